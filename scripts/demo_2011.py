#!/usr/bin/env python3
"""Derives the 2011 progress report's inputs from the demo panel, so that
`make run` can show a history of two reports (docs/history.md):

  data/demo-2011/   the files of data/demo with
    - indicators.csv: the periods up to 2011 only, and the 2010 values of
      one indicator as "preliminary figures": the final value times
      1 + d/100, d = -3..3 from the wijk's code (SHA-256), rounded to the
      decimals the final value has (a wijk whose d rounds away keeps its
      value). The 2012 data (data/demo) then revise them, as CBS
      revises its statistics, and the 2012 report names the revision.
      The indicator is REVISE if given, else the primary indicator of the
      first experiment in data/demo/truth.csv.
    - costs.csv: the rows up to 2011;
    - truth.csv: as it is, but an effect that builds up (a by_period
      cell, pattern "ramp") gets as true_effect the mean of by_period up
      to 2011: what a DiD on the data to 2011 estimates;
    - every other file as it is (areas, catalog, treatment, targets,
      adjacency, centroids, truth); README.md says what was done.
  configs/demo-2011.cfg   configs/demo.cfg with name "demo-2011", series
      "demo", the data of data/demo-2011 and follow-up periods up to 2011.

It reads only data/demo and configs/demo.cfg, so a regenerated demo
(`make demo-data`) is followed by running this again (make does so: the
demo-2011 target depends on data/demo). The same inputs give
byte-identical files.

usage: scripts/demo_2011.py [DEMO_DIR] [OUT_DIR] [DEMO_CFG] [OUT_CFG] [REVISE]
"""
import csv
import hashlib
import os
import re
import shutil
import sys

LAST = 2011
REVISED_PERIOD = 2010


def decimals(text):
    return len(text.split(".", 1)[1]) if "." in text else 0


def preliminary(area, text):
    d = hashlib.sha256(area.encode()).digest()[0] % 7 - 3
    value = float(text) * (1 + d / 100)
    n = decimals(text)
    out = f"{value:.{n}f}"
    if n == 0 and out in ("-0",):
        out = "0"
    return out


def revised_indicator(demo, given):
    if given:
        return given
    with open(os.path.join(demo, "truth.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row.get("role") == "primary":
                return row["indicator"]
    sys.exit("demo_2011.py: no primary indicator in truth.csv; pass REVISE")


def write_indicators(demo, out, revise):
    n_rev = 0
    with open(os.path.join(demo, "indicators.csv"), newline="") as f, \
            open(os.path.join(out, "indicators.csv"), "w", newline="") as g:
        r = csv.reader(f)
        w = csv.writer(g, lineterminator="\n")
        header = next(r)
        w.writerow(header)
        ia, ip, ii, iv = (header.index(k) for k in
                          ("area", "period", "indicator", "value"))
        for row in r:
            if int(row[ip]) > LAST:
                continue
            if (row[ii] == revise and int(row[ip]) == REVISED_PERIOD
                    and re.fullmatch(r"-?\d+(\.\d+)?", row[iv])):
                new = preliminary(row[ia], row[iv])
                n_rev += new != row[iv]
                row[iv] = new
            w.writerow(row)
    if n_rev == 0:
        sys.exit(f"demo_2011.py: indicator {revise} has no {REVISED_PERIOD} "
                 "value to revise; pass another REVISE")
    return n_rev


def write_costs(demo, out):
    src = os.path.join(demo, "costs.csv")
    if not os.path.exists(src):
        return
    with open(src, newline="") as f, \
            open(os.path.join(out, "costs.csv"), "w", newline="") as g:
        r = csv.reader(f)
        w = csv.writer(g, lineterminator="\n")
        header = next(r)
        w.writerow(header)
        ip = header.index("period")
        for row in r:
            if int(row[ip]) <= LAST:
                w.writerow(row)


def short(v):
    """A number as wijkeval simulate writes it (4 decimals, no trailing
    zeros)."""
    out = f"{v:.4f}".rstrip("0").rstrip(".")
    return "0" if out in ("-0", "") else out


def window_effect(by_period):
    """The mean of a by_period cell ("2010=0;2011=-12;...") over the
    periods up to LAST; None when none is."""
    vals = [float(v) for p, v in (x.split("=") for x in by_period.split(";"))
            if int(p) <= LAST]
    return sum(vals) / len(vals) if vals else None


def write_truth(demo, out):
    with open(os.path.join(demo, "truth.csv"), newline="") as f, \
            open(os.path.join(out, "truth.csv"), "w", newline="") as g:
        r = csv.reader(f)
        w = csv.writer(g, lineterminator="\n")
        header = next(r)
        w.writerow(header)
        ie = header.index("true_effect")
        ib = header.index("by_period") if "by_period" in header else None
        for row in r:
            if ib is not None and row[ib]:
                v = window_effect(row[ib])
                row[ie] = short(v) if v is not None else "0"
            w.writerow(row)


def write_config(src, dst, demo, out):
    text = open(src).read()
    rel_demo = os.path.relpath(demo, os.path.dirname(dst))
    rel_out = os.path.relpath(out, os.path.dirname(dst))
    text, n = re.subn(r'^name = "[^"]*";', 'name = "demo-2011";\n'
                      'series = "demo";                     '
                      '# one history series with configs/demo.cfg',
                      text, count=1, flags=re.M)
    if n != 1:
        sys.exit(f"demo_2011.py: {src}: no name = \"...\"; line")
    text = text.replace(f'"{rel_demo}/', f'"{rel_out}/')

    def cut(m):
        years = [y for y in re.findall(r"\d+", m.group(1)) if int(y) <= LAST]
        return "followup = [" + ", ".join(years) + "];"
    text, n = re.subn(r"followup = \[([^\]]*)\];", cut, text, count=1)
    if n != 1:
        sys.exit(f"demo_2011.py: {src}: no followup = [...]; line")
    head = ("# GENERATED by scripts/demo_2011.py from configs/demo.cfg: the "
            "2011 progress\n# report of the demo (`make run`); edit "
            "configs/demo.cfg and run `make demo-data`.\n")
    open(dst, "w").write(head + text)


def main():
    a = sys.argv[1:]
    demo = a[0] if len(a) > 0 else "data/demo"
    out = a[1] if len(a) > 1 else "data/demo-2011"
    cfg = a[2] if len(a) > 2 else "configs/demo.cfg"
    out_cfg = a[3] if len(a) > 3 else "configs/demo-2011.cfg"
    revise = revised_indicator(demo, a[4] if len(a) > 4 else None)
    os.makedirs(out, exist_ok=True)
    for name in sorted(os.listdir(demo)):
        if name.endswith(".csv") and name not in ("indicators.csv",
                                                  "costs.csv", "truth.csv"):
            shutil.copyfile(os.path.join(demo, name), os.path.join(out, name))
    n_rev = write_indicators(demo, out, revise)
    write_costs(demo, out)
    write_truth(demo, out)
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write(f"""# The 2011 view of the simulated demo panel

**Simulated data, GENERATED by `scripts/demo_2011.py` from `data/demo`;
do not edit.** The demo's 2011 progress report (`configs/demo-2011.cfg`,
`make run`) reads these files: the data of `data/demo` up to {LAST}, with
the {REVISED_PERIOD} values of `{revise}` as preliminary figures
({n_rev} of them differ from the final figures in `data/demo`), so that
the 2012 report finds and names the revision (docs/history.md). In
`truth.csv` an effect that builds up (a `by_period` cell) has as
`true_effect` its mean over the treated years up to {LAST}, what a DiD on
these data estimates.
""")
    write_config(cfg, out_cfg, demo, out)
    print(f"demo_2011.py: wrote {out}/ and {out_cfg} "
          f"({revise} {REVISED_PERIOD} revised in {n_rev} wijken)")


if __name__ == "__main__":
    main()
