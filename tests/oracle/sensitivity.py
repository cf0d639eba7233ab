#!/usr/bin/python3
"""Reference values for methods/sensitivity.c, computed independently.

For each dataset (waves, mpdta) it reads the event study that wijkeval's
test pins in tests/oracle/fixtures/<dataset>/es_input.csv (rel_time,
estimate, df, then the covariance row) and writes
sensitivity_expected.csv (quantity,value):

* the relative-magnitudes robust interval of the average lag by the
  Bonferroni projection of docs/methods.md, solved here as linear
  programmes with scipy.optimize.linprog: for every lead change s and
  sign, Delta^RM_{s,sign}(Mbar) = {delta: |delta_t - delta_{t-1}| <=
  Mbar * sign * (delta_{s+1} - delta_s) for the lags}, with the leads in
  their simultaneous box; min and max of the average lag bias, the union
  over (s, sign); and the breakdown Mbar by bisection on those LPs;
* the power of the lead Wald F test against delta_r = slope (r + 1),
  with scipy.stats.ncf.

The C code uses a closed form; this script never uses it.
Run from the repository root: /usr/bin/python3 tests/oracle/sensitivity.py
"""
import csv
import os
import sys

import numpy as np
from scipy import optimize, stats

ALPHA = 0.05
SLOPES = {"waves": (0.1, 0.4), "mpdta": (0.01, 0.03)}
ROOT = os.environ.get("WE_ORACLE_FIXTURES", "tests/oracle/fixtures")


def load(dataset):
    with open(os.path.join(ROOT, dataset, "es_input.csv")) as f:
        rows = list(csv.reader(f))[1:]
    rel = np.array([int(r[0]) for r in rows])
    b = np.array([float(r[1]) for r in rows])
    df = float(rows[0][2])
    V = np.array([[float(x) for x in r[3:]] for r in rows])
    return rel, b, df, V


def crit(p, df):
    return stats.t.isf(p, df)


def bias_range(rel, b, V, df, mbar):
    """min and max of mean(delta_lags) over the union of the polyhedra."""
    lead = np.where(rel <= -2)[0]
    lag = np.where(rel >= 0)[0]
    q, L = len(lead), len(lag)
    cb = crit(ALPHA / (4 * q), df)
    se = np.sqrt(np.diag(V))
    # Variables: delta at every event time of the path, the reference -1
    # included (fixed to 0), in ascending order.
    times = sorted(set(rel.tolist()) | {-1})
    ix = {t: i for i, t in enumerate(times)}
    n = len(times)
    bounds = []
    for t in times:
        if t == -1:
            bounds.append((0.0, 0.0))
        elif t <= -2:
            j = int(np.where(rel == t)[0][0])
            bounds.append((b[j] - cb * se[j], b[j] + cb * se[j]))
        else:
            bounds.append((None, None))
    pre_times = [t for t in times if t <= -1]
    post_times = [t for t in times if t >= -1]
    obj = np.zeros(n)
    for j in lag:
        obj[ix[rel[j]]] = 1.0 / L
    lo, hi = np.inf, -np.inf
    for k in range(len(pre_times) - 1):
        s0, s1 = pre_times[k], pre_times[k + 1]
        for sign in (1.0, -1.0):
            A, ub = [], []
            ref = np.zeros(n)
            ref[ix[s1]] += sign
            ref[ix[s0]] -= sign
            for a, c in zip(post_times[:-1], post_times[1:]):
                d = np.zeros(n)
                d[ix[c]] += 1.0
                d[ix[a]] -= 1.0
                A.append(d - mbar * ref)
                ub.append(0.0)
                A.append(-d - mbar * ref)
                ub.append(0.0)
            A.append(-ref)  # the chosen lead change has the sign
            ub.append(0.0)
            for sense in (1.0, -1.0):
                r = optimize.linprog(sense * obj, A_ub=np.array(A),
                                     b_ub=np.array(ub), bounds=bounds,
                                     method="highs")
                if r.status == 2:
                    continue  # infeasible: the box excludes this sign
                assert r.status == 0, r.message
                v = sense * r.fun
                lo, hi = min(lo, v), max(hi, v)
    return lo, hi


def robust_ci(rel, b, V, df, mbar):
    lag = np.where(rel >= 0)[0]
    L = len(lag)
    l = np.zeros(len(b))
    l[lag] = 1.0 / L
    theta = float(l @ b)
    se = float(np.sqrt(l @ V @ l))
    c1 = crit(ALPHA / 4, df)
    lo, hi = bias_range(rel, b, V, df, mbar)
    return theta, se, theta - c1 * se - hi, theta + c1 * se - lo


def breakdown(rel, b, V, df):
    def covers(m):
        _, _, lo, hi = robust_ci(rel, b, V, df, m)
        return lo <= 0.0 <= hi
    if covers(0.0):
        return 0.0
    a, z = 0.0, 1.0
    while not covers(z):
        a, z = z, 2 * z
        if z > 1e6:
            return float("inf")
    for _ in range(200):
        mid = (a + z) / 2
        if covers(mid):
            z = mid
        else:
            a = mid
        if z - a < 1e-13 * max(1.0, z):
            break
    return (a + z) / 2


def power(rel, V, df, slope):
    lead = np.where(rel <= -2)[0]
    d = slope * (rel[lead] + 1.0)
    Vl = V[np.ix_(lead, lead)]
    ncp = float(d @ np.linalg.solve(Vl, d))
    q = len(lead)
    fcrit = stats.f.isf(ALPHA, q, df)
    return ncp, float(stats.ncf.sf(fcrit, q, df, ncp))


def main():
    for ds in ("waves", "mpdta"):
        rel, b, df, V = load(ds)
        out = [("alpha", ALPHA)]
        theta, se, lo1, hi1 = robust_ci(rel, b, V, df, 1.0)
        out += [("theta", theta), ("se_theta", se),
                ("ci_low_mbar1", lo1), ("ci_high_mbar1", hi1)]
        for m, name in ((0.0, "0"), (0.5, "0.5"), (2.0, "2")):
            _, _, lo, hi = robust_ci(rel, b, V, df, m)
            out += [("ci_low_mbar" + name, lo), ("ci_high_mbar" + name, hi)]
        out.append(("breakdown_mbar", breakdown(rel, b, V, df)))
        for i, s in enumerate(SLOPES[ds], 1):
            ncp, pw = power(rel, V, df, s)
            out += [("slope_%d" % i, s), ("ncp_%d" % i, ncp),
                    ("power_%d" % i, pw)]
        path = os.path.join(ROOT, ds, "sensitivity_expected.csv")
        with open(path, "w", newline="") as f:
            f.write("quantity,value\n")
            for k, v in out:
                f.write("%s,%s\n" % (k, "inf" if v == float("inf")
                                     else repr(float(v))))
        print(path, dict(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
