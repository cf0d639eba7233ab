#!/usr/bin/python3
"""Renders an HTML file in headless Chromium and reports what happened.

    render_html.py REPORT.html --screenshot OUT.png [--chromium PATH]
                   [--width 1000] [--height 1414] [--hostile TEXT]
                   [--pdf OUT.pdf] [--top PX] [--open]

Drives Chromium through the DevTools protocol over a pipe
(--remote-debugging-pipe: commands on fd 3, events on fd 4, each message
JSON ending in a NUL byte), so nothing beyond Chromium and the Python
standard library is needed. Content Security Policy is bypassed, so that
the checks test the page's own escaping rather than the policy.

Prints one JSON object: console errors, network requests other than the
page itself, dialogs opened (alert), and facts read from the rendered
document (experiment sections, the forest plot, where the hostile text
appears, tables wider than their container, the table of contents'
links). Exits 2 when Chromium cannot be driven.
"""
import argparse
import base64
import fcntl
import json
import os
import select
import subprocess
import sys
import tempfile
import time

TIMEOUT = 90.0

FACTS_JS = r"""
(() => {
  const hostile = %s;
  const cells = [...document.querySelectorAll('td.wijk-name')];
  const forest = document.querySelector('figure.forest svg.forest');
  return {
    title: document.title,
    lang: document.documentElement.lang,
    sections: document.querySelectorAll('section.experiment').length,
    section_ids: [...document.querySelectorAll('section.experiment')]
                   .map(s => s.id),
    goal_sections: [...document.querySelectorAll('section.goals')]
                     .map(s => s.id),
    policy_rows: document.querySelectorAll('#policy-return table.policy tbody tr').length,
    watch_rows: document.querySelectorAll('#early-warning table.watch tbody tr').length,
    small_charts: document.querySelectorAll('#early-warning svg.small').length,
    forest: forest !== null,
    forest_rows: forest ? forest.querySelectorAll('text.label').length : 0,
    forest_top: forest ? [...forest.querySelectorAll('text.label.top')]
                           .map(t => t.textContent) : [],
    front_programme: [...document.querySelectorAll(
        '.decision ul.verdicts.programme li')].map(li => ({
          href: li.querySelector('a') ? li.querySelector('a').getAttribute('href') : null,
          tag: li.querySelector('.tag') ? li.querySelector('.tag').textContent : null,
          text: li.textContent})),
    trend_charts: document.querySelectorAll('svg.chart.line').length,
    event_charts: document.querySelectorAll('svg.chart.event').length,
    scripts: document.querySelectorAll('script').length,
    hostile_cells: cells.filter(td => td.textContent === hostile).length,
    hostile_cell_children: cells.filter(td => td.textContent === hostile)
                                .map(td => td.children.length),
    hostile_in_text: document.body.innerText.includes(hostile),
    width: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    // Tables wider than their container (they would scroll sideways).
    wide_tables: [...document.querySelectorAll('table')]
      .filter(t => t.offsetParent !== null &&
              t.getBoundingClientRect().width > t.parentElement.clientWidth + 1)
      .map(t => (t.className || 'table') + ' ' +
           Math.round(t.getBoundingClientRect().width) + '>' +
           t.parentElement.clientWidth),
    scrolling: [...document.querySelectorAll('*')]
      .filter(e => e.scrollWidth > e.clientWidth + 1 &&
              ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
      .map(e => e.className || e.tagName),
    toc_links: document.querySelectorAll('nav.toc a').length,
    toc_broken: [...document.querySelectorAll('nav.toc a')]
      .filter(a => !document.getElementById(a.getAttribute('href').slice(1)))
      .map(a => a.getAttribute('href')),
    simulated_banner: document.querySelector('.simulated') !== null,
    dateline: (document.querySelector('.dateline') || {}).textContent || ''
  };
})()
"""


def high_fd(fd):
    new = fcntl.fcntl(fd, fcntl.F_DUPFD, 20)
    os.close(fd)
    return new


class Browser:
    def __init__(self, chromium, profile):
        cmd_r, self.cmd_w = os.pipe()
        self.ev_r, ev_w = os.pipe()
        # Above 3 and 4, so that placing them there cannot clobber either.
        cmd_r, ev_w = high_fd(cmd_r), high_fd(ev_w)
        args = [chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--remote-debugging-pipe", "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--mute-audio",
                "--user-data-dir=" + profile, "about:blank"]
        quiet = not os.environ.get("RENDER_DEBUG")
        actions = [(os.POSIX_SPAWN_DUP2, cmd_r, 3),
                   (os.POSIX_SPAWN_DUP2, ev_w, 4),
                   (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0)]
        if quiet:
            actions.append((os.POSIX_SPAWN_OPEN, 2, "/dev/null",
                            os.O_WRONLY, 0))
        self.pid = os.posix_spawn(chromium, args, os.environ,
                                  file_actions=actions)
        os.close(cmd_r)
        os.close(ev_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.cmd_w, json.dumps(msg).encode() + b"\0")
        return self.next_id

    def _read_one(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError("no answer from Chromium")
            ready, _, _ = select.select([self.ev_r], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.ev_r, 1 << 20)
            if not chunk:
                raise EOFError("Chromium closed the DevTools pipe")
            self.buf += chunk
        raw, self.buf = self.buf.split(b"\0", 1)
        return json.loads(raw)

    def _event(self, msg):
        self.events.append(msg)
        # A dialog (alert) blocks the page until answered; it is recorded,
        # then dismissed so the page can finish loading.
        if msg["method"] == "Page.javascriptDialogOpening":
            self.send("Page.handleJavaScriptDialog", {"accept": True},
                      msg.get("sessionId"))

    def call(self, method, params=None, session=None):
        want = self.send(method, params, session)
        deadline = time.time() + TIMEOUT
        while True:
            msg = self._read_one(deadline)
            if msg.get("id") == want:
                if "error" in msg:
                    raise RuntimeError("%s: %s" % (method, msg["error"]))
                return msg.get("result", {})
            if "method" in msg:
                self._event(msg)

    def wait_event(self, method, session, seconds=TIMEOUT):
        deadline = time.time() + seconds
        for msg in self.events:
            if msg.get("method") == method and msg.get("sessionId") == session:
                return msg
        while True:
            msg = self._read_one(deadline)
            if "method" in msg:
                self._event(msg)
                if msg["method"] == method and msg.get("sessionId") == session:
                    return msg

    def drain(self, seconds):
        deadline = time.time() + seconds
        try:
            while True:
                msg = self._read_one(deadline)
                if "method" in msg:
                    self._event(msg)
        except TimeoutError:
            pass

    def _exited(self, seconds):
        deadline = time.time() + seconds
        while time.time() < deadline:
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
            if pid == self.pid:
                return True
            time.sleep(0.05)
        return False

    def close(self):
        try:
            self.send("Browser.close")
        except OSError:
            pass
        if not self._exited(10):
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        os.close(self.cmd_w)
        os.close(self.ev_r)


def collect(events, session, page_url):
    errors, requests, dialogs = [], [], []
    for msg in events:
        if msg.get("sessionId") != session:
            continue
        m, p = msg["method"], msg.get("params", {})
        if m == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            errors.append("exception: " + d.get("text", "") + " " +
                          str(d.get("exception", {}).get("description", "")))
        elif m == "Runtime.consoleAPICalled" and p.get("type") == "error":
            errors.append("console.error: " + " ".join(
                str(a.get("value", a.get("description", "")))
                for a in p.get("args", [])))
        elif m == "Log.entryAdded" and \
                p.get("entry", {}).get("level") == "error":
            errors.append("log: " + p["entry"].get("text", ""))
        elif m == "Network.requestWillBeSent":
            url = p.get("request", {}).get("url", "")
            if url != page_url:
                requests.append(url)
        elif m == "Page.javascriptDialogOpening":
            dialogs.append(p.get("message", ""))
    return errors, requests, dialogs


def render(args):
    page_url = "file://" + os.path.abspath(args.html)
    profile = tempfile.mkdtemp(prefix="wijkeval-chromium.")
    b = Browser(args.chromium, profile)
    try:
        target = b.call("Target.createTarget", {"url": "about:blank"})
        s = b.call("Target.attachToTarget", {"targetId": target["targetId"],
                                             "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Network", "Page"):
            b.call(domain + ".enable", {}, s)
        b.call("Page.setBypassCSP", {"enabled": True}, s)
        b.call("Emulation.setDeviceMetricsOverride",
               {"width": args.width, "height": args.height,
                "deviceScaleFactor": 1, "mobile": False}, s)
        b.events.clear()
        b.call("Page.navigate", {"url": page_url}, s)
        b.wait_event("Page.loadEventFired", s)
        b.drain(1.0)
        expr = FACTS_JS % json.dumps(args.hostile)
        facts = b.call("Runtime.evaluate", {"expression": expr,
                                            "returnByValue": True}, s)
        facts = facts.get("result", {}).get("value", {})
        if args.open:
            b.call("Runtime.evaluate", {"expression": "document.querySelectorAll"
                   "('details').forEach(d => d.open = true)"}, s)
        shot_args = {"format": "png"}
        if args.top > 0:
            shot_args.update(captureBeyondViewport=True, clip={
                "x": 0, "y": args.top, "width": args.width,
                "height": args.height, "scale": 1})
        shot = b.call("Page.captureScreenshot", shot_args, s)
        with open(args.screenshot, "wb") as out:
            out.write(base64.b64decode(shot["data"]))
        if args.pdf:
            pdf = b.call("Page.printToPDF", {"preferCSSPageSize": True,
                                             "printBackground": True,
                                             "displayHeaderFooter": False}, s)
            with open(args.pdf, "wb") as out:
                out.write(base64.b64decode(pdf["data"]))
        errors, requests, dialogs = collect(b.events, s, page_url)
    finally:
        b.close()
        subprocess.run(["rm", "-rf", profile], check=False)
    return {"url": page_url, "console_errors": errors,
            "requests": requests, "dialogs": dialogs, "facts": facts}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("html")
    ap.add_argument("--screenshot", required=True)
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--width", type=int, default=1000)
    ap.add_argument("--height", type=int, default=1414)
    ap.add_argument("--top", type=int, default=0,
                    help="screenshot from this page offset instead of the "
                         "first page")
    ap.add_argument("--open", action="store_true",
                    help="open every <details> before the screenshot")
    ap.add_argument("--hostile", default="<script>alert(1)</script>")
    ap.add_argument("--pdf", help="also print the page to this PDF (A4, "
                    "the page's print style)")
    args = ap.parse_args()
    try:
        result = render(args)
    except (OSError, EOFError, TimeoutError, RuntimeError) as e:
        print("render_html.py: cannot drive %s: %s" % (args.chromium, e),
              file=sys.stderr)
        return 2
    json.dump(result, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
