#!/bin/sh
# report.html in a real browser: the demo, with one wijk renamed to
# <script>alert(1)</script>, rendered in headless Chromium (driven over
# the DevTools pipe by render_html.py). Checks: no console errors, no
# network requests, the programme and seven experiment sections, the
# policy return,
# targets, early warning and displacement sections (three wijken of the copy made to
# slide: the watch list and its small multiples), the forest plot, the
# hostile name shown as text; a screenshot of the first page. Then the
# Dutch report: it renders too, and report.json is the same number for
# number.
#
# Chromium is installed with apt-get when it is missing and we are root;
# otherwise the script skips with a message (exit 0).
. "$(dirname "$0")/lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
HOSTILE='<script>alert(1)</script>'

if [ ! -x "$CHROMIUM" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing chromium (apt-get install -y chromium) ..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null 2>&1 ||
        { apt-get update >/dev/null 2>&1 &&
          DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null 2>&1; } || true
fi
if [ ! -x "$CHROMIUM" ]; then
    echo "SKIP: html.sh: $CHROMIUM not found and it cannot be installed here" \
         "(needs root and apt-get); install the Debian package chromium to run" \
         "this test"
    exit 0
fi
ok "browser: $($CHROMIUM --version 2>/dev/null | tail -n 1)"

# The demo data with the first treated wijk renamed.
mkdir "$TMP/data"
cp "$DEMO"/catalog.csv "$DEMO"/indicators.csv "$DEMO"/treatment.csv \
    "$DEMO"/targets.csv "$DEMO"/costs.csv "$DEMO"/adjacency.csv \
    "$DEMO"/assignment.csv "$TMP/data/"
FIRST=$(sed -n 2p "$DEMO/treatment.csv" | cut -d, -f1)
awk -F, -v OFS=, -v code="$FIRST" -v name="$HOSTILE" \
    '$1 == code { $2 = name } { print }' "$DEMO/areas.csv" >"$TMP/data/areas.csv"
grep -F -q "$FIRST,$HOSTILE," "$TMP/data/areas.csv" ||
    fail "could not rename $FIRST in a copy of areas.csv"
ok "wijk $FIRST renamed to $HOSTILE in a copy of the demo data"
N_HOSTILE=$(( $(grep -c ",$FIRST," "$DEMO/assignment.csv") + 1 ))
export N_HOSTILE
# Three untreated wijken made to slide, so that the early warning has a
# watch list and its small multiples to draw.
python3 - "$TMP/data/indicators.csv" <<'PY' || fail "could not inject the slide"
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
for r in rows[1:]:
    if r[0] in ("WK003402", "WK015304", "WK020003") and r[3] not in ("", ".", "x", "-", "?") and int(r[1]) >= 2005:
        k = int(r[1]) - 2004
        if r[2] == "rapportcijfer_woonomgeving":
            r[3] = "%.4f" % (float(r[3]) - 0.25 * k)
        elif r[2] == "verloedering_score":
            r[3] = "%.4f" % (float(r[3]) + 0.35 * k)
csv.writer(open(sys.argv[1], "w", newline=""), lineterminator="\n").writerows(rows)
PY
ok "three untreated wijken made to slide in the copy"

# The demo config, pointed at the copy; a Dutch variant.
sed -e "s|\.\./data/demo/|$TMP/data/|g" configs/demo.cfg >"$TMP/en.cfg"
{ cat "$TMP/en.cfg"; echo 'report = { language = "nl"; };'; } >"$TMP/nl.cfg"
expect_exit 0 "$W" run "$TMP/en.cfg" -o "$TMP/en" --plugin-dir "$WE_BUILD/plugins" -q
expect_exit 0 "$W" run "$TMP/nl.cfg" -o "$TMP/nl" --plugin-dir "$WE_BUILD/plugins" -q
expect_contains "$TMP/en/demo/report.html" \
    "&lt;script&gt;alert(1)&lt;/script&gt;"

render() { # LANG: renders $TMP/LANG/demo/report.html into $TMP/LANG.json
    if ! python3 tests/e2e/render_html.py "$TMP/$1/demo/report.html" \
        --chromium "$CHROMIUM" --screenshot "$TMP/$1.png" \
        --hostile "$HOSTILE" >"$TMP/$1.json" 2>"$TMP/$1.err"; then
        cat "$TMP/$1.err" >&2
        fail "Chromium did not render the $1 report"
    fi
    ok "rendered the $1 report in headless Chromium"
}
render en
render nl

pycheck "the rendered reports" '
import json, os, struct, sys
tmp, hostile = sys.argv[1], sys.argv[2]
def check(cond, msg):
    if not cond:
        sys.exit(msg)
    print("ok   " + msg)
for lang in ("en", "nl"):
    r = json.load(open("%s/%s.json" % (tmp, lang)))
    f = r["facts"]
    check(r["console_errors"] == [], "%s: no console errors %r"
          % (lang, r["console_errors"]))
    check(r["requests"] == [], "%s: no network requests %r"
          % (lang, r["requests"]))
    check(r["dialogs"] == [], "%s: no dialog opened (alert) %r"
          % (lang, r["dialogs"]))
    check(f["lang"] == lang, "%s: <html lang=%r>" % (lang, f["lang"]))
    check(f["sections"] == 8, "%s: the programme and seven experiment sections (%d)"
          % (lang, f["sections"]))
    check(f["goal_sections"] == ["policy-return", "targets", "early-warning",
                                 "displacement"],
          "%s: the policy return, targets, early warning and displacement "
          "sections %r"
          % (lang, f["goal_sections"]))
    check(f["watch_rows"] >= 3 and f["small_charts"] == f["watch_rows"],
          "%s: the watch list (%d wijken) and one small chart each (%d)"
          % (lang, f["watch_rows"], f["small_charts"]))
    check(f["policy_rows"] == 7, "%s: one policy return row per experiment (%d)"
          % (lang, f["policy_rows"]))
    check(f["forest"] and f["forest_rows"] == 7,
          "%s: the forest plot, one row per experiment (%d)"
          % (lang, f["forest_rows"]))
    check(f["trend_charts"] == 8 and f["event_charts"] == 8,
          "%s: a trend and an event-study chart per experiment and the programme (%d, %d)"
          % (lang, f["trend_charts"], f["event_charts"]))
    check(f["scripts"] == 0, "%s: no <script> element in the document"
          % lang)
    # One table row per section that treats the renamed wijk (the
    # programme and its experiments in assignment.csv) shows it, as plain
    # text: the cell has no child elements.
    n_hostile = int(os.environ["N_HOSTILE"])
    check(f["hostile_cells"] == n_hostile and
          f["hostile_cell_children"] == [0] * n_hostile,
          "%s: the hostile wijk name is shown as text, in %d cells"
          % (lang, f["hostile_cells"]))
    check(f["width"] <= f["viewport"],
          "%s: nothing wider than the page (%d <= %d px)"
          % (lang, f["width"], f["viewport"]))
    png = open("%s/%s.png" % (tmp, lang), "rb").read()
    w, h = struct.unpack(">II", png[16:24])
    check(png[:8] == b"\x89PNG\r\n\x1a\n" and (w, h) == (1000, 1414),
          "%s: screenshot of the first page, %dx%d PNG" % (lang, w, h))
' "$TMP" "$HOSTILE"

# Switching the language changes words and number formats, never numbers.
pycheck "the languages agree on every number" '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for r in (a, b):
    for k in ("started", "finished", "config", "config_sha256"):
        r["run"].pop(k, None)
if a != b:
    sys.exit("report.json differs between the English and the Dutch run")
print("ok   report.json identical in English and Dutch (apart from the "
      "config file and the times)")
' "$TMP/en/demo/report.json" "$TMP/nl/demo/report.json"
expect_same "$TMP/en/demo/results.csv" "$TMP/nl/demo/results.csv"
expect_contains "$TMP/nl/demo/report.html" '<html lang="nl">' "Oordeel per experiment" \
    "Gestandaardiseerd effect"
pycheck "Dutch numbers" '
import re, sys
nl = open(sys.argv[1], encoding="utf-8").read()
en = open(sys.argv[2], encoding="utf-8").read()
# The forest plot values: "0.65 [0.53, 0.78]" in English is
# "0,65 [0,53; 0,78]" in Dutch.
pat_en = re.compile(r">(\u2212?\d+\.\d\d) \[(\u2212?\d+\.\d\d), (\u2212?\d+\.\d\d)\]<")
pat_nl = re.compile(r">(\u2212?\d+,\d\d) \[(\u2212?\d+,\d\d); (\u2212?\d+,\d\d)\]<")
e, n = pat_en.findall(en), pat_nl.findall(nl)
if len(e) < 7 or [tuple(x.replace(".", ",") for x in t) for t in e] != n:
    sys.exit("forest values differ: en %r, nl %r" % (e, n))
print("ok   the seven forest values, with decimal commas in Dutch: %r" % (n,))
' "$TMP/nl/demo/report.html" "$TMP/en/demo/report.html"
