#!/usr/bin/env python3
"""Coverage of the demo design over seeds (issue 14): the programme with
its effect, seven experiments in 2-5 municipalities each with ADDED
effects (data/demo/truth.csv's design), evaluated as configs/demo.cfg does
(comparison = "programme").

For each seed: `wijkeval simulate --seed S`, then `wijkeval run` on the
demo config pointed at that panel (costs and targets left out). Counts
over seeds and experiments:
  - coverage of the headline 95% interval for the added effect (primary
    indicators with a constant truth: positive or null), and of the
    programme row's headline for the programme effect;
  - how often the null experiment's verdict is "better" (a false
    positive; expected about alpha/2 or less);
  - how often the pre-trend experiment's pre-trend test rejects (power);
  - how often the programme row's own pre-period check rejects (its
    truth has parallel trends: a size, expected about alpha).

With --history each seed is also evaluated as the 2011 progress report
(scripts/demo_2011.py derives the data to 2011 and its config, as `make
run` does), and the output counts per experiment how its verdict went
from 2011 to 2012 (the demo's history, docs/history.md): an experiment
whose truth builds up (pattern "ramp") should mostly go from
inconclusive to better, because its mean effect over the treated years
doubles and it gains a treated year; the others should mostly keep
their verdict. Coverage then also counts the 2011 runs, each against the
truth of its own window (the 2011 truth.csv gives a ramp's mean to 2011).

usage: tests/validate/demo_coverage.py [--seeds N] [--first S] [--build DIR]
       [--min-coverage C] [--history]
Exits 1 when the coverage of the added effects is below --min-coverage
(default 0: report only). Runs take about 2 s per seed.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    if r.returncode not in (0, 1):
        sys.exit("%s failed (%d): %s" % (cmd[0], r.returncode, r.stderr))
    return r


def evaluate(w, cfg, seed, tmp, name, data):
    run([w, "run", cfg, "-q", "--force", "--no-history", "-o",
         os.path.join(tmp, "out"), "--seed", str(seed)])
    rep = json.load(open(os.path.join(tmp, "out", name, "report.json")))
    truth = {(t["experiment"], t["indicator"]): t
             for t in csv.DictReader(open(os.path.join(data, "truth.csv")))}
    return rep, truth


def one_seed(w, seed, tmp, history):
    """[(report, truth)] of the seed: the 2012 report, and with history
    first the 2011 one."""
    data = os.path.join(tmp, "data%d" % seed)
    run([w, "simulate", "--seed", str(seed), "--out", data])
    cfg = open("configs/demo.cfg", encoding="utf-8").read()
    cfg = re.sub(r"^\s*(costs|targets|municipalities) = .*$", "", cfg, flags=re.M)
    cfg = cfg.replace("../data/demo/", "../data%d/" % seed)
    cdir = os.path.join(tmp, "cfgs")
    os.makedirs(cdir, exist_ok=True)
    path = os.path.join(cdir, "demo%d.cfg" % seed)
    open(path, "w", encoding="utf-8").write(cfg)
    out = []
    if history:
        data11 = data + "-2011"
        path11 = os.path.join(cdir, "demo%d-2011.cfg" % seed)
        run([sys.executable, "scripts/demo_2011.py", data, data11, path,
             path11])
        out.append(evaluate(w, path11, seed, tmp, "demo-2011", data11))
    out.append(evaluate(w, path, seed, tmp, "demo", data))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("--build", default="build")
    ap.add_argument("--min-coverage", type=float, default=0.0)
    ap.add_argument("--history", action="store_true")
    a = ap.parse_args()
    w = os.path.join(a.build, "wijkeval")
    cov = n = prog_cov = prog_n = null_better = null_n = pre_flag = pre_n = 0
    prog_flag = 0
    misses = []
    moves = {}      # experiment -> {(verdict 2011, verdict 2012): count}
    patterns = {}   # experiment -> its headline's truth pattern
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(a.first, a.first + a.seeds):
            verdicts = []
            for rep, truth in one_seed(w, seed, tmp, a.history):
                v = {}
                for x in rep["experiments"]:
                    v[x["id"]] = x.get("verdict")
                    if x["headline"] is None:
                        continue
                    h = x["results"][x["headline"]]
                    t = truth[(x["id"], h["indicator"])]
                    patterns[x["id"]] = t["pattern"]
                    if t["pattern"] == "pretrend":
                        pre_n += 1
                        pre_flag += "pretrend_rejected" in h.get("warnings", [])
                        continue
                    n += 1
                    if h["ci_low"] <= float(t["true_effect"]) <= h["ci_high"]:
                        cov += 1
                    else:
                        misses.append((seed, rep["run"].get("name"), x["id"]))
                    if t["pattern"] == "null":
                        null_n += 1
                        null_better += x.get("verdict") == "better"
                p = rep.get("programme")
                if p and p["headline"] is not None:
                    v["programme"] = p.get("verdict")
                    patterns["programme"] = "positive"
                    h = p["results"][p["headline"]]
                    t = truth[("programme", h["indicator"])]
                    prog_n += 1
                    prog_cov += h["ci_low"] <= float(t["true_effect"]) <= h["ci_high"]
                    prog_flag += "pretrend_rejected" in h.get("warnings", [])
                verdicts.append(v)
            if len(verdicts) == 2:
                for e, now in verdicts[1].items():
                    key = (verdicts[0].get(e), now)
                    moves.setdefault(e, {})
                    moves[e][key] = moves[e].get(key, 0) + 1
    print("seeds %d-%d%s" % (a.first, a.first + a.seeds - 1,
                             " (2011 and 2012 reports)" if a.history else ""))
    print("added effects: %d of %d headline intervals cover (%.3f)"
          % (cov, n, cov / n))
    print("programme row: %d of %d cover (%.3f)"
          % (prog_cov, prog_n, prog_cov / max(prog_n, 1)))
    print("programme row's pre-period check rejects: %d of %d"
          % (prog_flag, prog_n))
    print("null experiment 'better': %d of %d" % (null_better, null_n))
    print("pre-trend flagged: %d of %d" % (pre_flag, pre_n))
    print("misses: %s" % misses)
    for e in sorted(moves):
        print("verdict 2011 -> 2012, %s (%s): %s" % (
            e, patterns.get(e), ", ".join(
                "%s -> %s: %d" % (k[0], k[1], c)
                for k, c in sorted(moves[e].items(), key=lambda kv: -kv[1]))))
    if cov / n < a.min_coverage:
        sys.exit("coverage %.3f below %.3f" % (cov / n, a.min_coverage))


if __name__ == "__main__":
    main()
