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
  - how often the pre-trend experiment's pre-trend test rejects (power).

usage: tests/validate/demo_coverage.py [--seeds N] [--first S] [--build DIR]
       [--min-coverage C]
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


def one_seed(w, seed, tmp):
    data = os.path.join(tmp, "data%d" % seed)
    run([w, "simulate", "--seed", str(seed), "--out", data])
    cfg = open("configs/demo.cfg", encoding="utf-8").read()
    cfg = re.sub(r"^\s*(costs|targets|municipalities) = .*$", "", cfg, flags=re.M)
    cfg = cfg.replace("../data/demo/", data + "/")
    path = os.path.join(tmp, "demo%d.cfg" % seed)
    open(path, "w", encoding="utf-8").write(cfg)
    run([w, "run", path, "-q", "--force", "-o", os.path.join(tmp, "out"),
         "--seed", str(seed)])
    rep = json.load(open(os.path.join(tmp, "out", "demo", "report.json")))
    truth = {(t["experiment"], t["indicator"]): t
             for t in csv.DictReader(open(os.path.join(data, "truth.csv")))}
    return rep, truth


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("--build", default="build")
    ap.add_argument("--min-coverage", type=float, default=0.0)
    a = ap.parse_args()
    w = os.path.join(a.build, "wijkeval")
    cov = n = prog_cov = prog_n = null_better = null_n = pre_flag = pre_n = 0
    misses = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(a.first, a.first + a.seeds):
            rep, truth = one_seed(w, seed, tmp)
            for x in rep["experiments"]:
                if x["headline"] is None:
                    continue
                h = x["results"][x["headline"]]
                t = truth[(x["id"], h["indicator"])]
                if t["pattern"] == "pretrend":
                    pre_n += 1
                    pre_flag += "pretrend_rejected" in h.get("warnings", [])
                    continue
                n += 1
                if h["ci_low"] <= float(t["true_effect"]) <= h["ci_high"]:
                    cov += 1
                else:
                    misses.append((seed, x["id"]))
                if t["pattern"] == "null":
                    null_n += 1
                    null_better += h.get("verdict") == "better"
            p = rep.get("programme")
            if p and p["headline"] is not None:
                h = p["results"][p["headline"]]
                t = truth[("programme", h["indicator"])]
                prog_n += 1
                prog_cov += h["ci_low"] <= float(t["true_effect"]) <= h["ci_high"]
    print("seeds %d-%d" % (a.first, a.first + a.seeds - 1))
    print("added effects: %d of %d headline intervals cover (%.3f)"
          % (cov, n, cov / n))
    print("programme row: %d of %d cover (%.3f)"
          % (prog_cov, prog_n, prog_cov / max(prog_n, 1)))
    print("null experiment 'better': %d of %d" % (null_better, null_n))
    print("pre-trend flagged: %d of %d" % (pre_flag, pre_n))
    print("misses: %s" % misses)
    if cov / n < a.min_coverage:
        sys.exit("coverage %.3f below %.3f" % (cov / n, a.min_coverage))


if __name__ == "__main__":
    main()
