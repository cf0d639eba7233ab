#!/usr/bin/env python3
"""Writes data/demo/costs.csv and data/demo/targets.csv, the demo's
optional inputs for the policy return and the self-named targets
(docs/data.md). `make demo-data` runs it after `wijkeval simulate`; the
same inputs give byte-identical files.

costs.csv: each experiment's own invented budget (BUDGETS below, EUR,
distinct: a few to a few tens of millions), only for its own wijken
(assignment.csv): spread over its wijken by population (areas.csv) and
evenly over the years from its start to 2012, rounded to whole euros.
Every assigned wijk has rows. The programme's own money (the real
additional investment per krachtwijk, data/krachtwijken_40.csv) is not
an experiment's and is not in this file.

targets.csv: invented targets, five per krachtwijk, stated the way a
wijk would name them in 2007 from its own figures (the value in the
simulated indicators.csv at the baseline 2007, else the latest earlier
one):
  - concrete_verbeteringen_count by 2009: the baseline + 2;
  - actief_voor_buurt_pct by 2011: the baseline + 3 points;
  - werkzaam_15_64_pct by 2017: the baseline + 4 points (deadline after
    the data: on track or not);
  - an item by 2009: "at least one successful project with an external
    partner" (the letter's goal for 2009), realised in every wijk but
    the 4th, 8th, ... in file order;
  - an item by 2014: "wijkcentrum open", realised in every 3rd wijk.

usage: scripts/demo_goals.py [DEMO_DIR] [KRACHTWIJKEN_CSV] [CONFIG]
"""
import csv
from decimal import Decimal
import re
import sys

DEMO = sys.argv[1] if len(sys.argv) > 1 else "data/demo"
KW = sys.argv[2] if len(sys.argv) > 2 else "data/krachtwijken_40.csv"
CFG = sys.argv[3] if len(sys.argv) > 3 else "configs/demo.cfg"
YEARS = range(2008, 2013)
BASELINE = 2007

NUMERIC = [  # indicator, deadline, step from the baseline, description
    ("concrete_verbeteringen_count", 2009, 2,
     "Twee concrete verbeteringen per jaar meer dan in 2007"),
    ("actief_voor_buurt_pct", 2011, 3,
     "Drie procentpunt meer bewoners actief voor de buurt"),
    ("werkzaam_15_64_pct", 2017, 4,
     "Vier procentpunt meer werkenden (15-64 jaar)"),
]


def experiments():
    """The plugin ids of the demo config, in its order."""
    text = open(CFG, encoding="utf-8").read()
    return re.findall(r'plugin\s*=\s*"([a-z_]+)"', text)


def krachtwijk_codes():
    """(code, additional investment in mln EUR per year) per krachtwijk,
    in areas.csv order: matched on municipality code and wijk name."""
    areas = {}
    with open(DEMO + "/areas.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            areas[(r["municipality"], r["name"])] = r["area"]
    out = []
    with open(KW, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code = areas[(r["gemeentecode"], r["wijk"])]
            out.append((code, r["additionele_inzet_mln_eur"]))
    return sorted(out)


def baselines():
    want = {n for n, _, _, _ in NUMERIC}
    vals = {}
    with open(DEMO + "/indicators.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["indicator"] in want and int(r["period"]) <= BASELINE:
                try:
                    v = float(r["value"])
                except ValueError:
                    continue
                key = (r["area"], r["indicator"])
                if key not in vals or vals[key][0] < int(r["period"]):
                    vals[key] = (int(r["period"]), v)
    return vals


# Invented budgets per experiment, EUR over its whole run.
BUDGETS = {
    "bewonersparticipatie": 6400000,
    "samenhang": 3100000,
    "slagkracht": 18500000,
    "achter_de_voordeur": 27800000,
    "bureaucratie": 4200000,
    "gezonde_wijk": 9600000,
    "vernieuwend_welzijn": 12300000,
}


def assignment():
    """experiment -> [(area, from)] in file order."""
    out = {}
    with open(DEMO + "/assignment.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            out.setdefault(r["experiment"], []).append(
                (r["area"], int(r["from"])))
    return out


def populations():
    with open(DEMO + "/areas.csv", newline="", encoding="utf-8") as f:
        return {r["area"]: int(r["population"]) for r in csv.DictReader(f)}


def write_costs(exps):
    assigned = assignment()
    pop = populations()
    with open(DEMO + "/costs.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["experiment", "area", "period", "amount_eur"])
        for exp in exps:
            wijken = assigned[exp]
            total = sum(pop[a] for a, _ in wijken)
            for area, start in wijken:
                years = [y for y in YEARS if y >= start]
                share = Decimal(BUDGETS[exp]) * pop[area] / total
                amount = int((share / len(years)).to_integral_value())
                for year in years:
                    w.writerow([exp, area, year, amount])


def write_targets(wijken):
    base = baselines()
    with open(DEMO + "/targets.csv", "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["area", "indicator", "target_value", "deadline",
                    "description"])
        for i, (code, _) in enumerate(wijken, start=1):
            for name, deadline, step, text in NUMERIC:
                _, b = base[(code, name)]
                w.writerow([code, name, "%.1f" % (b + step), deadline, text])
            w.writerow([code, "", "no" if i % 4 == 0 else "yes", 2009,
                        "Minstens een succesvol project met een externe "
                        "partner"])
            w.writerow([code, "", "yes" if i % 3 == 0 else "no", 2014,
                        "Wijkcentrum open"])


def main():
    wijken = krachtwijk_codes()
    if len(wijken) != 40:
        sys.exit("expected 40 krachtwijken, found %d" % len(wijken))
    write_costs(experiments())
    write_targets(wijken)


if __name__ == "__main__":
    main()
