#!/usr/bin/python3
"""Second route to tests/oracle/fixtures/early_warning/trend.csv: the
Theil-Sen slope from scipy.stats.theilslopes and the Mann-Kendall z and
one-sided p from scipy.stats.kendalltau (its tie-corrected variance of S,
with the continuity correction applied here). Exits non-zero and prints
both numbers for every value that differs by more than 1e-10.

Run from the repository root:  /usr/bin/python3 tests/oracle/check_early_warning.py
"""
import csv
import math
import sys

from scipy import stats

TOL = 1e-10


def close(a, b):
    return abs(a - b) <= TOL * max(1.0, abs(b))


def main():
    bad = 0
    path = "tests/oracle/fixtures/early_warning/trend.csv"
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            x = [float(v) for v in row["x"].split(";")]
            y = [float(v) for v in row["y"].split(";")]
            slope = stats.theilslopes(y, x).slope
            kt = stats.kendalltau(x, y, method="asymptotic")
            n = len(y)
            s = sum((y[j] > y[i]) - (y[j] < y[i])
                    for i in range(n) for j in range(i + 1, n))
            # kendalltau's z is S / sqrt(var S) without the correction.
            var = (s / stats.norm.isf(kt.pvalue / 2)) ** 2 if s else None
            if var is None:
                z = 0.0
            else:
                z = (s - math.copysign(1, s)) / math.sqrt(var)
            p = stats.norm.cdf(z)
            for name, got in (("slope", slope), ("s", s), ("z", z),
                              ("p_decline", p)):
                want = float(row[name])
                if not close(got, want):
                    print("%s %s: scipy %.17g, fixture %.17g"
                          % (row["case"], name, got, want))
                    bad += 1
    if bad:
        sys.exit(1)
    print("ok: scipy agrees with %s to %g" % (path, TOL))


main()
