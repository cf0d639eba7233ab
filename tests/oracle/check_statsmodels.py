#!/usr/bin/python3
"""Second, independent check of the twfe and did_2x2 reference values.

Recomputes both estimators from the fixture inputs with statsmodels (OLS on
explicit dummies, cluster-robust covariance) and compares estimate, se,
interval, p-value, df and counts with expected.csv at relative tolerance
1e-8 (absolute 1e-10 near zero). Run from the repository root:

    /usr/bin/python3 tests/oracle/check_statsmodels.py [dataset ...]

Without arguments it checks every dataset under tests/oracle/fixtures.
"""

import math
import os
import sys

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats

FIXTURES = os.path.join("tests", "oracle", "fixtures")
REL_TOL = 1e-8
ABS_TOL = 1e-10


def read_inputs(dataset):
    d = os.path.join(FIXTURES, dataset)
    panel = pd.read_csv(os.path.join(d, "panel.csv"),
                        dtype={"area": str, "municipality": str})
    treated = pd.read_csv(os.path.join(d, "treated.csv"), dtype={"area": str})
    design = pd.read_csv(os.path.join(d, "design.csv"), dtype=str)
    design = dict(zip(design["key"], design["value"]))
    expected = pd.read_csv(os.path.join(d, "expected.csv"))
    from_ = dict(zip(treated["area"], treated["from"]))
    panel["treat"] = panel["area"].map(lambda a: a in from_)
    panel["from"] = panel["area"].map(lambda a: from_.get(a, math.inf))
    return {
        "panel": panel,
        "baseline": int(design["baseline"]),
        "followup": [int(x) for x in design["followup"].split()],
        "alpha": float(design["alpha"]),
        "expected": expected,
    }


def cluster_column(variant):
    return {"cluster_area": "area",
            "cluster_municipality": "municipality"}[variant]


def clustered_fit(formula, data, cluster, k_convention):
    """OLS with a CR1 covariance where the small-sample factor counts
    k_convention regressors.

    statsmodels' cluster covariance (use_correction=True) multiplies the
    sandwich by G/(G-1) * (N-1)/(N-k), with k the number of columns of the
    design matrix: for the twfe regression that includes every area dummy.
    The contract counts only the regressors that are not absorbed by fixed
    effects nested in the clusters (K = 2 + (T - 1), as fixest and reghdfe
    do), so the variance is rescaled by (N-k)/(N-K). For did_2x2 k = K = 2
    and the factor is 1."""
    groups = pd.factorize(data[cluster])[0]
    fit = smf.ols(formula, data=data).fit(
        cov_type="cluster", cov_kwds={"groups": groups, "use_correction": True})
    n = int(fit.nobs)
    k = fit.model.exog.shape[1]
    assert np.linalg.matrix_rank(fit.model.exog) == k, "rank-deficient design"
    scale = (n - k) / (n - k_convention)
    g = len(np.unique(groups))
    return fit, fit.cov_params() * scale, n, g


def t_quantile(upper, df):
    """The t quantile with upper-tail probability `upper`. scipy's ppf is
    only accurate to about 1e-9 (relative), which a confidence bound near
    zero amplifies past the 1e-8 tolerance; two Newton steps on the
    survival function, which is accurate to rounding, fix that."""
    q = stats.t.isf(upper, df)
    for _ in range(2):
        q += (stats.t.sf(q, df) - upper) / stats.t.pdf(q, df)
    return q


def t_summary(b, se, df, alpha):
    q = t_quantile(alpha / 2, df)
    return {"estimate": b, "se": se, "ci_low": b - q * se,
            "ci_high": b + q * se,
            "p_value": 2 * stats.t.sf(abs(b / se), df), "df": df}


def did_2x2(ds, variant):
    p = ds["panel"]
    base = p[p["period"] == ds["baseline"]].set_index("area")["y"]
    post = (p[p["period"].isin(ds["followup"])].dropna(subset=["y"])
            .groupby("area")["y"].agg(["mean", "count"]))
    areas = p.drop_duplicates("area").set_index("area")
    data = areas.join(base.rename("y0")).join(post, how="inner")
    data = data[data["y0"].notna()].copy()
    data["delta"] = data["mean"] - data["y0"]
    data["treatment"] = data["treat"].astype(float)
    data = data.reset_index()
    fit, cov, n, g = clustered_fit("delta ~ treatment", data,
                                   cluster_column(variant), 2)
    out = t_summary(fit.params["treatment"],
                    math.sqrt(cov.loc["treatment", "treatment"]),
                    g - 1, ds["alpha"])
    tr = data["treat"]
    out.update(n_treated=int(tr.sum()), n_control=int((~tr).sum()),
               n_obs=int(n + data["count"].sum()),
               baseline=data.loc[tr, "y0"].mean() - data.loc[~tr, "y0"].mean(),
               latest=(data.loc[tr, "mean"].mean()
                       - data.loc[~tr, "mean"].mean()))
    return out


def twfe(ds, variant):
    p = ds["panel"]
    data = p[(p["period"] <= max(ds["followup"])) & p["y"].notna()].copy()
    data["D"] = (data["period"] >= data["from"]).astype(float)
    n_periods = data["period"].nunique()
    fit, cov, n, g = clustered_fit("y ~ D + C(area) + C(period)", data,
                                   cluster_column(variant),
                                   2 + (n_periods - 1))
    out = t_summary(fit.params["D"], math.sqrt(cov.loc["D", "D"]), g - 1,
                    ds["alpha"])
    areas = data.drop_duplicates("area")
    out.update(n_treated=int(areas["treat"].sum()),
               n_control=int((~areas["treat"]).sum()), n_obs=n)
    return out


def close(a, b):
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return abs(a - b) <= max(ABS_TOL, REL_TOL * max(abs(a), abs(b)))


def check(dataset):
    ds = read_inputs(dataset)
    failures = 0
    checked = 0
    for _, row in ds["expected"].iterrows():
        method, variant = row["method"], row["variant"]
        if method not in ("did_2x2", "twfe"):
            continue
        got = (did_2x2 if method == "did_2x2" else twfe)(ds, variant)
        for field, value in got.items():
            checked += 1
            want = float(row[field])
            if not close(want, float(value)):
                failures += 1
                print(f"{dataset} {method}/{variant} {field}: expected "
                      f"{want!r}, statsmodels {float(value)!r}")
        print(f"{dataset} {method}/{variant}: estimate {got['estimate']:.17g}"
              f" se {got['se']:.17g}")
    if checked == 0:
        print(f"{dataset}: no did_2x2 or twfe rows in expected.csv")
        failures += 1
    return failures


def main(argv):
    if not os.path.isdir(FIXTURES):
        sys.exit(f"{FIXTURES}: not found; run from the repository root")
    datasets = argv[1:] or sorted(
        d for d in os.listdir(FIXTURES)
        if os.path.isfile(os.path.join(FIXTURES, d, "expected.csv")))
    failures = sum(check(d) for d in datasets)
    if failures:
        sys.exit(f"{failures} value(s) differ from expected.csv")
    print(f"statsmodels agrees with expected.csv for: {', '.join(datasets)}")


if __name__ == "__main__":
    main(sys.argv)
