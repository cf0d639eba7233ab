#!/usr/bin/env python3
"""make bench: the national-scale workload, stage by stage.

Generates the national panel (13,000 buurten x 20 periods x 40
indicators), then measures in one run of this script:

  load     wc -l, a plain fread+memchr pass (the floor), the general CSV
           reader (whole file in memory, strtod) and the streaming reader
           wijkeval uses;
  run      wijkeval run configs/national.cfg with --jobs 1 and --jobs 2,
           per stage (from --timings);
  scaling  the same run on 1,000 and 4,000 buurten;
  wild     the plugins' TWFE and its wild cluster bootstrap (9,999 draws)
           on a simulated panel of the national size, from the rows and
           from the per-area sums (bench/wild_bench.c): CPU of the CR1
           fit, the bootstrap's setup and its draws;
  estimate wijkeval estimate on the national panel: TWFE + CR1 on all 40
           indicators (--jobs 1 and 2) and one indicator with the wild
           cluster bootstrap (B = 9,999), each against R
           (bench/reference.R: data.table::fread + estimatr::lm_robust)
           when Rscript and estimatr are installed.

--panel DIR measures on a national panel already written (it is not
regenerated; the scaling runs are left out).

Every figure is set against another of the same run (ratios), since bare
seconds say little about another machine. Writes the table to stdout and
to BUILD/bench/bench.md. Timings are measurements, never pass/fail.
"""
import argparse
import os
import resource
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = "20081107"


def run(cmd, **kw):
    """Runs cmd; returns (wall s, cpu s of it and its children, stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, **kw)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode not in (0, 1):
        sys.exit("bench: %s failed (%d):\n%s" % (" ".join(cmd), p.returncode,
                                                 p.stderr))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime -
                                                 before.ru_stime)
    return wall, cpu, p.stdout


def run_proc(cmd):
    """Runs cmd; returns (wall s, stdout, stderr)."""
    t0 = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    wall = time.monotonic() - t0
    if p.returncode != 0:
        sys.exit("bench: %s failed (%d):\n%s" % (" ".join(cmd),
                                                 p.returncode, p.stderr))
    return wall, p.stdout, p.stderr


def timed(cmd):
    """(wall s, CPU s, peak RSS MB, stdout) of cmd, via /usr/bin/time."""
    wall, out, err = run_proc(["/usr/bin/time", "-f",
                               "@@time %U %S %M"] + cmd)
    line = [l for l in err.splitlines() if l.startswith("@@time ")][-1]
    _, u, sy, rss = line.split()
    return wall, float(u) + float(sy), int(rss) / 1024, out


def r_has(*pkgs):
    """Rscript is installed and loads every package of pkgs."""
    return shutil.which("Rscript") is not None and subprocess.run(
        ["Rscript", "-e", ";".join("library(%s)" % p for p in pkgs)],
        capture_output=True).returncode == 0


def ratio_cells(r, peer):
    """Peer's wall, CPU, RSS and the peer / wijkeval ratios (wall, CPU,
    RSS), or dashes."""
    if peer is None:
        return ["-"] * 6
    return ["%.2f" % peer[0], "%.2f" % peer[1], "%.0f" % peer[2],
            "%.1fx" % (peer[0] / r[0]), "%.1fx" % (peer[1] / r[1]),
            "%.1fx" % (peer[2] / r[2])]


def estimate_stage(w, data, reps_r):
    """wijkeval estimate against its R peers on the national panel: fixest
    (TWFE + CR1, 40 indicators) and fwildclusterboot (one WCR, B = 9,999)
    where installed (bench/peer.R), and the estimatr/data.table reference
    (bench/reference.R --fit within); every ratio from this one run."""
    inds = [l.split(",")[0] for l in
            open(data + "/catalog.csv").read().splitlines()[1:]][:40]
    base = [w, "estimate", "--data", data + "/indicators.csv", "--areas",
            data + "/areas.csv", "--catalog", data + "/catalog.csv",
            "--treatment", data + "/treatment.csv", "--json"]
    rows, res, notes = [], {}, []
    for jobs in (1, 2):
        res[jobs] = timed(base + ["--indicator", ",".join(inds),
                                  "--inference", "cr1", "--jobs", str(jobs)])
    wild = timed(base + ["--indicator", inds[0], "--inference", "wild",
                         "--reps", "9999", "--weights", "rademacher"])
    fx = fwcb = r_cr1 = r_wild = None
    if r_has("fixest", "data.table"):
        fx = timed(["Rscript", "bench/peer.R", "--data", data,
                    "--indicators", ",".join(inds), "--task", "twfe"])
        check_same(res[2][3], fx[3])
        notes.append("fixest: bench/peer.R --task twfe (fread, dcast, one "
                     "multi-outcome feols with area and period effects, "
                     "CR1 by municipality, 2 threads; %s); estimates and "
                     "SEs agree to 1e-8 relative, n_obs equal"
                     % versions(fx[3]))
    else:
        notes.append("fixest is not installed here: no fixest row")
    if r_has("fixest", "fwildclusterboot"):
        fwcb = timed(["Rscript", "bench/peer.R", "--data", data,
                      "--indicators", inds[0], "--task", "wcr",
                      "--reps", "9999"])
        notes.append("fwildclusterboot: bench/peer.R --task wcr (feols, "
                     "then boottest WCR, Rademacher, B = 9,999, fe = area; "
                     "%s); p-values: wijkeval %s, fwildclusterboot %s "
                     "(two Monte Carlo estimates)"
                     % (versions(fwcb[3]), p_of_json(wild[3]),
                        p_of_csv(fwcb[3])))
    else:
        notes.append("fwildclusterboot is not installed here: no row")
    if r_has("estimatr", "data.table"):
        r_cr1 = timed(["Rscript", "bench/reference.R", "--data", data,
                       "--indicators", ",".join(inds), "--reps", "0",
                       "--fit", "within"])
        check_same(res[2][3], r_cr1[3])
        notes.append("R reference: bench/reference.R --fit within "
                     "(data.table::fread, within-area demeaning, lm.fit, "
                     "the CR1 sandwich; estimatr::lm_robust with "
                     "fixed_effects needs more than 24 GB here); estimates "
                     "and SEs agree to 1e-8 relative")
        if reps_r:
            r_wild = timed(["Rscript", "bench/reference.R", "--data", data,
                            "--indicators", inds[0], "--reps",
                            str(reps_r), "--fit", "within"])
    for name, r, peer, pname in (
            ("TWFE + CR1, 40 indicators, --jobs 1", res[1], fx, "fixest"),
            ("TWFE + CR1, 40 indicators, --jobs 2", res[2], fx, "fixest"),
            ("one indicator, WCR B = 9,999", wild, fwcb,
             "fwildclusterboot"),
            ("TWFE + CR1, 40 indicators, --jobs 2", res[2], r_cr1,
             "R lm.fit reference")):
        if peer is None and pname == "R lm.fit reference":
            continue
        rows.append([name, "%.3f" % r[0], "%.3f" % r[1], "%.0f" % r[2],
                     pname if peer is not None else "-"] +
                    ratio_cells(r, peer))
    whole = None
    if r_wild is not None:
        import csv
        import io
        boot = sum(float(r["seconds_boot"])
                   for r in csv.DictReader(io.StringIO(r_wild[3])))
        whole = r_wild[0] - boot + boot / reps_r * 9999
        notes.append("R's plain WCR loop with B = %d took %.1f s, %.1f s "
                     "of it the draws (%.2f s per draw), so B = 9,999 would "
                     "take about %.0f s in all: %.0fx wijkeval's wall time"
                     % (reps_r, r_wild[0], boot, boot / reps_r, whole,
                        whole / wild[0]))
    notes.append("load average at the end: %.1f %.1f %.1f"
                 % os.getloadavg())
    found = {"cr1": res[2], "wild": wild, "fixest": fx, "fwcb": fwcb,
             "r_cr1": r_cr1, "r_wild_wall": whole}
    return found, ("### Estimate: wijkeval estimate on the national panel\n\n" +
            table(rows, ["task", "wall s", "CPU s", "peak RSS MB", "peer",
                         "peer wall s", "peer CPU s", "peer RSS MB",
                         "peer / wijkeval, wall", "peer / wijkeval, CPU",
                         "peer / wijkeval, RSS"]) +
            "\n\n- " + "\n- ".join(notes))


def goals_section(runs, est):
    """Issue 18's goals, each a ratio of two measurements of this run:
    against fixest and fwildclusterboot where they are installed,
    otherwise against the in-repo R reference (bench/reference.R).
    Rows: goal, wijkeval, peer, peer's time, ratio, target, met."""
    rows = []
    peer, pname = None, None  # the TWFE + CR1 peer of 40 indicators
    if est is not None:
        peer, pname = ((est["fixest"], "fixest") if est["fixest"]
                       else (est["r_cr1"], "R lm.fit reference"))
        cr1, wild = est["cr1"], est["wild"]
        if peer is not None:
            r = peer[0] / cr1[0]
            rows.append(["estimate, TWFE + CR1, 40 indicators (--jobs 2), "
                         "wall", "%.2f s" % cr1[0], pname,
                         "%.2f s" % peer[0], "%.1fx" % r, ">= 10x",
                         "yes" if r >= 10 else "no"])
        if est["fwcb"] is not None:
            fw = est["fwcb"]
            r, m = fw[0] / wild[0], wild[2] / fw[2]
            rows.append(["estimate, one WCR B = 9,999, wall; peak RSS",
                         "%.2f s; %.0f MB" % (wild[0], wild[2]),
                         "fwildclusterboot",
                         "%.2f s; %.0f MB" % (fw[0], fw[2]),
                         "%.1fx; RSS %.3f" % (r, m), ">= 18x; RSS <= 0.2",
                         "yes" if r >= 18 and m <= 0.2 else "no"])
        elif est["r_wild_wall"] is not None:
            r = est["r_wild_wall"] / wild[0]
            rows.append(["estimate, one WCR B = 9,999, wall",
                         "%.2f s" % wild[0], "R WCR loop (bench/reference.R)",
                         "%.0f s (extrapolated)" % est["r_wild_wall"],
                         "%.1fx" % r, ">= 18x", "yes" if r >= 18 else "no"])
    if runs is not None:
        r2 = runs[2]
        if peer is not None:
            r = r2["wall"] / peer[0]
            rows.append(["run configs/national.cfg (--jobs 2), wall / the "
                         "peer's TWFE + CR1 on 40 indicators",
                         "%.2f s" % r2["wall"], pname, "%.2f s" % peer[0],
                         "%.2f" % r, "<= 0.5", "yes" if r <= 0.5 else "no"])
        cw = r2["cpu"] / r2["wall"]
        rows.append(["run configs/national.cfg (--jobs 2), CPU / wall",
                     "%.1f s / %.1f s" % (r2["cpu"], r2["wall"]), "-", "-",
                     "%.2f" % cw, ">= 1.8", "yes" if cw >= 1.8 else "no"])
        rss = max(r2["rss_mb"], r2["child_mb"])
        rows.append(["run configs/national.cfg (--jobs 2), peak RSS (host "
                     "or a plugin process)", "%.0f MB" % rss, "-", "-", "-",
                     "<= 250 MB", "yes" if rss <= 250 else "no"])
    if not rows:
        return ""
    return ("### Against issue 18's goals (ratios of this run)\n\n" +
            table(rows, ["goal", "wijkeval", "peer", "peer's time",
                         "ratio", "target", "met"]) +
            "\n\nload average at the end: %.1f %.1f %.1f"
            % os.getloadavg())


def versions(r_csv):
    import csv
    import io
    return next(csv.DictReader(io.StringIO(r_csv)))["versions"]


def p_of_csv(r_csv):
    import csv
    import io
    return next(csv.DictReader(io.StringIO(r_csv)))["p_value"]


def p_of_json(est_json):
    import json
    r = json.loads(est_json)
    r = r[0] if isinstance(r, list) else r
    return r.get("p_value")


def check_same(est_json, r_csv):
    """wijkeval's and R's estimates and SEs agree to 1e-8 relative."""
    import csv
    import io
    import json
    mine = {r["indicator"]: r for r in json.loads(est_json)}
    for r in csv.DictReader(io.StringIO(r_csv)):
        m = mine[r["indicator"]]
        for k in ("estimate", "se"):
            a, b = m[k], float(r[k])
            if abs(a - b) > 1e-8 * abs(b):
                sys.exit("bench: %s %s: wijkeval %r, R %r"
                         % (r["indicator"], k, a, b))
        if int(r["n_obs"]) != m["n_obs"]:
            sys.exit("bench: %s n_obs differ" % r["indicator"])


def generate(w, out, areas, munis):
    if os.path.isdir(out):
        shutil.rmtree(out)
    return run([w, "simulate", "--national", "--out", out, "--areas",
                str(areas), "--municipalities", str(munis), "--seed", SEED])


def load_stage(loader, mode, data):
    wall, cpu, out = run([loader, mode, data + "/areas.csv",
                          data + "/indicators.csv", data + "/catalog.csv"])
    f = out.split()
    return {"wall": float(f[1]), "cpu": float(f[2]), "rss_mb": int(f[3]) / 1024,
            "bytes": int(f[4]), "rows": int(f[5])}


def config_for(data, path):
    """configs/national.cfg with its data paths pointed at data."""
    text = open(os.path.join(ROOT, "configs", "national.cfg")).read()
    text = text.replace("../build/national/", data.rstrip("/") + "/")
    with open(path, "w") as f:
        f.write(text)
    return path


def run_stage(w, cfg, out, jobs):
    tsv = "%s/timings-%d.tsv" % (out, jobs)
    wall, cpu, _ = run([w, "run", cfg, "-q", "--force", "--jobs", str(jobs),
                        "-o", out, "--timings", tsv])
    stages = {}
    for line in open(tsv).read().splitlines()[1:]:
        name, sw, sc, rss, crss = line.split("\t")
        stages[name] = (float(sw), float(sc), int(rss) / 1024,
                        int(crss) / 1024)
    return {"wall": wall, "cpu": cpu, "stages": stages,
            "rss_mb": max(s[2] for s in stages.values()),
            "child_mb": max(s[3] for s in stages.values())}


def table(rows, head):
    widths = [max(len(str(r[i])) for r in rows + [head])
              for i in range(len(head))]
    fmt = "| " + " | ".join("%%-%ds" % w for w in widths) + " |"
    lines = [fmt % tuple(head),
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += [fmt % tuple(str(c) for c in r) for r in rows]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--quick", action="store_true",
                    help="1,000 buurten only (a smoke run)")
    ap.add_argument("--panel", default=None,
                    help="a national panel already written: measure on "
                         "it, do not regenerate")
    ap.add_argument("--only", default=None,
                    help="comma-separated sections: load,run,scaling,"
                         "wild,estimate (default: all)")
    ap.add_argument("--r-wild-reps", type=int, default=99,
                    help="draws of R's WCR loop (extrapolated to 9,999)")
    a = ap.parse_args()
    os.chdir(ROOT)
    w = os.path.join(a.build, "wijkeval")
    loader = os.path.join(a.build, "bench", "bench_load")
    out = os.path.join(a.build, "bench")
    os.makedirs(out, exist_ok=True)
    big = "build/national"  # where configs/national.cfg looks
    n_areas, n_munis = (1000, 50) if a.quick else (13000, 350)
    md = []

    want = set((a.only or "load,run,scaling,wild,estimate").split(","))
    if a.panel:
        big = a.panel
        g = (float("nan"), float("nan"), "")
        want.discard("scaling")
    else:
        g = generate(w, big, n_areas, n_munis)
    size = os.path.getsize(big + "/indicators.csv")
    mb = size / 1e6
    dense_mb = n_areas * 20 * 40 * 8 / 1e6

    # ---- load ------------------------------------------------------------
    fl = {"wall": float("nan")}
    if "load" in want or "run" in want:
        md.append(load_section(loader, big, mb, g, fl))
    if "run" in want:
        runs = run_section(w, big, out, fl, dense_mb, md)
    if "scaling" in want and not a.quick:
        scaling_section(w, out, runs if "run" in want else None, md)
    if "wild" in want:
        md.append(wild_section(os.path.join(a.build, "bench",
                                            "wild_bench")))
    est = None
    if "estimate" in want and not a.quick:
        est, text = estimate_stage(w, big, a.r_wild_reps)
        md.append(text)
    if "run" in want or est is not None:
        md.append(goals_section(runs if "run" in want else None, est))

    text = "\n\n".join(md) + "\n"
    print(text)
    with open(os.path.join(out, "bench.md"), "w") as f:
        f.write(text)


def wild_section(prog):
    """bench/wild_bench.c: CPU seconds (medians of three) of one
    indicator's TWFE + WCR at the national size, rows against sums."""
    import re
    out = run([prog])[2]
    pat = re.compile(r"(rows|sums)\s+CR1 fit (\S+) s \| wild setup "
                     r"\(fit \+ setup, B = 1\) (\S+) s \| draws "
                     r"\(B = 9,999 minus B = 1\) (\S+) s \| whole "
                     r"\(B = 9,999\) (\S+) s \| p (\S+) "
                     r"\[(\S+), (\S+)\]")
    rows, got = [], {}
    for m in pat.finditer(out):
        got[m.group(1)] = m.groups()
        rows.append([m.group(1), m.group(2), m.group(3), m.group(4),
                     m.group(5), m.group(6),
                     "[%s, %s]" % (m.group(7), m.group(8))])
    note = ""
    if "rows" in got and "sums" in got:
        r, s = got["rows"], got["sums"]
        note = ("\n\nfit + setup: rows / sums = %.1fx; whole bootstrap: "
                "%.1fx; the same p-value and interval: %s\n"
                % (float(r[2]) / float(s[2]), float(r[4]) / float(s[4]),
                   "yes" if r[5:] == s[5:] else "no"))
    return ("#### TWFE + WCR (B = 9,999) of one indicator, 13,000 areas, "
            "350 clusters, 20 periods (CPU s, medians of 3)\n\n" +
            table(rows, ["from", "CR1 fit", "fit + bootstrap setup",
                         "9,999 draws + interval", "whole bootstrap", "p",
                         "interval"]) +
            note)


def load_section(loader, big, mb, g, fl_out):
    wc = run(["wc", "-l", big + "/indicators.csv"])
    fl = load_stage(loader, "floor", big)
    ref = load_stage(loader, "reference", big)
    fast = load_stage(loader, "fast", big)
    rows = []
    for name, wall, cpu, rss in (
            ("generate (simulate --national)", g[0], g[1], None),
            ("wc -l", wc[0], wc[1], None),
            ("floor: fread + memchr", fl["wall"], fl["cpu"], fl["rss_mb"]),
            ("load, general reader (strtod)", ref["wall"], ref["cpu"],
             ref["rss_mb"]),
            ("load, streaming reader", fast["wall"], fast["cpu"],
             fast["rss_mb"])):
        rows.append([name, "%.3f" % wall, "%.3f" % cpu,
                     "-" if rss is None else "%.0f" % rss,
                     "%.0f MB/s" % (mb / wall),
                     "%.2f" % (wall / fl["wall"])])
    fl_out.update(fl)
    return ("### Load: %.0f MB, %d rows\n\n" % (mb, fast["rows"]) +
            table(rows, ["stage", "wall s", "CPU s", "peak RSS MB",
                         "throughput", "x floor"]))


def run_section(w, big, out, fl, dense_mb, md):
    # ---- end to end ------------------------------------------------------
    cfg = config_for(os.path.abspath(big), os.path.join(out, "national.cfg"))
    runs = {j: run_stage(w, cfg, out, j) for j in (1, 2)}
    rows = []
    for name in ("load", "design", "plugins", "inference", "report"):
        s1, s2 = runs[1]["stages"][name], runs[2]["stages"][name]
        rows.append([name, "%.3f" % s1[0], "%.3f" % s2[0], "%.3f" % s2[1],
                     "%.2f" % (s1[0] / s2[0] if s2[0] > 0 else 1.0)])
    r1, r2 = runs[1], runs[2]
    rows.append(["total", "%.3f" % r1["wall"], "%.3f" % r2["wall"],
                 "%.3f" % r2["cpu"], "%.2f" % (r1["wall"] / r2["wall"])])
    md.append("### End to end: wijkeval run configs/national.cfg\n\n" +
              table(rows, ["stage", "wall s, 1 job", "wall s, 2 jobs",
                           "CPU s, 2 jobs", "speed-up"]) +
              "\n\n- total wall with 2 jobs / load floor: %.1fx\n"
              "- peak RSS of the host: %.0f MB (1 job), %.0f MB (2 jobs); "
              "dense matrices %.0f MB, target 2 x %.0f + 100 = %.0f MB\n"
              "- peak RSS of the largest plugin process: %.0f MB"
              % (r2["wall"] / fl["wall"], r1["rss_mb"], r2["rss_mb"],
                 dense_mb, dense_mb, 2 * dense_mb + 100,
                 max(r1["child_mb"], r2["child_mb"])))
    return runs


def scaling_section(w, out, runs, md):
    # ---- scaling ---------------------------------------------------------
    if True:
        rows = []
        base = None
        for n, m in ((1000, 50), (4000, 150), (13000, 350)):
            if n == 13000 and runs is not None:
                r = runs
            elif n == 13000:
                continue
            else:
                data = os.path.join(out, "n%d" % n)
                generate(w, data, n, m)
                c = config_for(os.path.abspath(data),
                               os.path.join(out, "n%d.cfg" % n))
                r = {j: run_stage(w, c, os.path.join(out, "n%d-out" % n), j)
                     for j in (1, 2)}
                shutil.rmtree(data)
            base = base or r[1]["wall"]
            rows.append([n, "%.3f" % r[1]["wall"], "%.3f" % r[2]["wall"],
                         "%.2f" % (r[1]["wall"] / r[2]["wall"]),
                         "%.2f" % (r[1]["wall"] / base)])
        md.append("### Scaling\n\n" +
                  table(rows, ["buurten", "wall s, 1 job", "wall s, 2 jobs",
                               "2-job speed-up", "1-job time / 1,000"]))


if __name__ == "__main__":
    main()
