#!/usr/bin/python3
"""Reference values for `wijkeval estimate --programme FILE --comparison
programme|untreated` (issue 14), computed independently with statsmodels.

The fixture (tests/oracle/fixtures/programme) is a simulated panel in which
the programme AND an experiment inside it both have effects: 12
municipalities of 8 wijken, 2003-2012; the programme is 36 wijken (24 from
2008, 12 from 2009); the experiment is 8 programme wijken in 3
municipalities from 2010. y = area effect + year effect + municipality
shock + noise + PROGRAMME_EFFECT from the programme start + ADDED_EFFECT
from the experiment's start.

  - comparison programme: the subset of programme wijken only (areas
    outside the programme leave the sample); D = experiment wijk and
    period >= its start. Its estimate is the experiment's ADDED effect.
  - comparison untreated: the experiment's wijken and the wijken outside
    the programme (other programme wijken leave the sample); the estimate
    is programme and experiment together.

Both: OLS y ~ D + C(area) + C(period), CR1 by municipality with the
contract's small-sample factor (K = 2 + (T - 1), as check_statsmodels.py
documents), df = G - 1.

    /usr/bin/python3 tests/oracle/programme_reference.py --generate
        writes the fixture inputs (seeded; byte-identical when re-run)
    /usr/bin/python3 tests/oracle/programme_reference.py
        writes expected.csv from the inputs
"""

import csv
import math
import os
import sys

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

D = os.path.join("tests", "oracle", "fixtures", "programme")
PROGRAMME_EFFECT = 1.5
ADDED_EFFECT = 2.0
INDICATOR = "actief_voor_buurt_pct"


def generate():
    rng = np.random.default_rng(20081107)
    os.makedirs(D, exist_ok=True)
    areas, programme, experiment, rows = [], [], [], []
    for m in range(12):
        muni = "GM%04d" % (100 + m)
        shock = rng.normal(0, 0.4, 10)
        for w in range(8):
            code = "WK%04d%02d" % (100 + m, w + 1)
            areas.append((code, "Wijk %d-%d" % (m, w), muni, "wijk",
                          5000 + 100 * w))
            start = 0
            if w < 3:
                start = 2008 if m < 8 else 2009
                programme.append((code, start))
            exp_from = 2010 if (m in (1, 4, 9) and w < 3 and
                                not (m == 9 and w == 2)) else 0
            if exp_from:
                experiment.append((code, exp_from))
            level = rng.normal(20, 3)
            for t, period in enumerate(range(2003, 2013)):
                y = (level + 0.3 * t + shock[t] + rng.normal(0, 0.8)
                     + (PROGRAMME_EFFECT if start and period >= start else 0)
                     + (ADDED_EFFECT if exp_from and period >= exp_from
                        else 0))
                rows.append((code, period, INDICATOR, "%.4f" % y))
    with open(os.path.join(D, "areas.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["area", "name", "municipality", "level", "population"])
        w.writerows(areas)
    with open(os.path.join(D, "indicators.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["area", "period", "indicator", "value"])
        w.writerows(rows)
    for name, rows_ in (("programme.csv", programme),
                        ("experiment.csv", experiment)):
        with open(os.path.join(D, name), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["area", "from"])
            w.writerows(rows_)


def twfe(data):
    n_periods = data["period"].nunique()
    groups = pd.factorize(data["municipality"])[0]
    fit = smf.ols("y ~ D + C(area) + C(period)", data=data).fit(
        cov_type="cluster", cov_kwds={"groups": groups,
                                      "use_correction": True})
    n = int(fit.nobs)
    k = fit.model.exog.shape[1]
    scale = (n - k) / (n - (2 + (n_periods - 1)))
    g = len(np.unique(groups))
    areas = data.drop_duplicates("area")
    return {"estimate": fit.params["D"],
            "se": math.sqrt(fit.cov_params().loc["D", "D"] * scale),
            "df": g - 1, "n_treated": int(areas["exp"].sum()),
            "n_control": int((~areas["exp"]).sum()), "n_obs": n}


def expected():
    areas = pd.read_csv(os.path.join(D, "areas.csv"), dtype=str)
    panel = pd.read_csv(os.path.join(D, "indicators.csv"),
                        dtype={"area": str})
    panel = panel.rename(columns={"value": "y"})
    panel = panel.merge(areas[["area", "municipality"]], on="area")
    prog = pd.read_csv(os.path.join(D, "programme.csv"), dtype={"area": str})
    exp = pd.read_csv(os.path.join(D, "experiment.csv"), dtype={"area": str})
    exp_from = dict(zip(exp["area"], exp["from"]))
    in_prog = set(prog["area"])
    panel["exp"] = panel["area"].isin(exp_from)
    panel["D"] = [float(a in exp_from and p >= exp_from[a])
                  for a, p in zip(panel["area"], panel["period"])]
    out = []
    keep = panel["area"].isin(in_prog)           # the programme's subset
    out.append(("programme", twfe(panel[keep].copy())))
    keep = panel["exp"] | ~panel["area"].isin(in_prog)
    out.append(("untreated", twfe(panel[keep].copy())))
    with open(os.path.join(D, "expected.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        cols = ["estimate", "se", "df", "n_treated", "n_control", "n_obs"]
        w.writerow(["comparison"] + cols)
        for name, r in out:
            w.writerow([name] + [repr(float(r[c])) if c in ("estimate", "se")
                                 else r[c] for c in cols])


if __name__ == "__main__":
    if "--generate" in sys.argv[1:]:
        generate()
    expected()
