#!/usr/bin/env python3
"""make bench: the national-scale workload, stage by stage.

Generates the national panel (13,000 buurten x 20 periods x 40
indicators), then measures in one run of this script:

  load     wc -l, a plain fread+memchr pass (the floor), the general CSV
           reader (whole file in memory, strtod) and the streaming reader
           wijkeval uses;
  run      wijkeval run configs/national.cfg with --jobs 1 and --jobs 2,
           per stage (from --timings);
  scaling  the same run on 1,000 and 4,000 buurten.

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
    a = ap.parse_args()
    os.chdir(ROOT)
    w = os.path.join(a.build, "wijkeval")
    loader = os.path.join(a.build, "bench", "bench_load")
    out = os.path.join(a.build, "bench")
    os.makedirs(out, exist_ok=True)
    big = "build/national"  # where configs/national.cfg looks
    n_areas, n_munis = (1000, 50) if a.quick else (13000, 350)
    md = []

    g = generate(w, big, n_areas, n_munis)
    size = os.path.getsize(big + "/indicators.csv")
    mb = size / 1e6
    dense_mb = n_areas * 20 * 40 * 8 / 1e6

    # ---- load ------------------------------------------------------------
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
    md.append("### Load: %.0f MB, %d rows\n\n" % (mb, fast["rows"]) +
              table(rows, ["stage", "wall s", "CPU s", "peak RSS MB",
                           "throughput", "x floor"]))

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

    # ---- scaling ---------------------------------------------------------
    if not a.quick:
        rows = []
        base = None
        for n, m in ((1000, 50), (4000, 150), (13000, 350)):
            if n == 13000:
                r = runs
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

    text = "\n\n".join(md) + "\n"
    print(text)
    with open(os.path.join(out, "bench.md"), "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
