#!/usr/bin/python3
"""Independent reference for the synthetic designs' own pre-period check
(issue 16, methods/synth_pretest.c): the synthetic control's pre-treatment
fit and its in-time placebo, recomputed from the raw panel with numpy,
without any of wijkeval's code.

    sc_pretest_reference.py PANEL.csv TREATED FROM SHIFT > expected.csv

PANEL.csv is wijkeval's long format (area,period,indicator,value) with one
indicator and no missing values. The treatment is backdated to the
SHIFT-th last period before FROM; the synthetic control (simplex weights:
w >= 0, sum 1, no predictors) is fitted to the periods before that
placebo start, and its estimate is the mean gap (treated minus synthetic)
over the SHIFT placebo periods, all before FROM. Every donor is refitted on
the other donors in the same way; the check's p-value is
(1 + #{|placebo estimate| >= |estimate|}) / (1 + J), its smallest
attainable value 1 / (1 + J). The fit is the pre-treatment RMSPE of the
synthetic control fitted to all periods before FROM, and its scale the
standard deviation (n - 1) of the treated path over those periods.

The weights come from accelerated projected gradient (FISTA) followed by an
exact equality-constrained least-squares solve on the support it found
(checked against the KKT conditions), not from the C code's active-set
method. Prints CSV: one row of name,value.
"""
import csv
import sys

import numpy as np


def project_simplex(v):
    u = np.sort(v)[::-1]
    css = np.cumsum(u)
    k = np.arange(1, len(v) + 1)
    rho = np.nonzero(u - (css - 1.0) / k > 0)[0][-1]
    theta = (css[rho] - 1.0) / (rho + 1.0)
    return np.maximum(v - theta, 0.0)


def simplex_ls(A, b):
    """min ||b - A w||^2 over the simplex; A is (rows, donors)."""
    G = A.T @ A
    c = A.T @ b
    L = 2.0 * np.linalg.eigvalsh(G)[-1]
    n = A.shape[1]
    w = np.full(n, 1.0 / n)
    z, t = w.copy(), 1.0
    for _ in range(200000):
        w_new = project_simplex(z - 2.0 * (G @ z - c) / L)
        t_new = (1.0 + np.sqrt(1.0 + 4.0 * t * t)) / 2.0
        z = w_new + (t - 1.0) / t_new * (w_new - w)
        done = np.max(np.abs(w_new - w)) < 1e-15
        w, t = w_new, t_new
        if done:
            break
    # Polish: the exact minimiser on the support (sum 1, no sign bound),
    # kept when it stays non-negative and satisfies the KKT conditions.
    s = np.nonzero(w > 1e-10)[0]
    K = np.zeros((len(s) + 1, len(s) + 1))
    K[:-1, :-1] = 2.0 * G[np.ix_(s, s)]
    K[:-1, -1] = 1.0
    K[-1, :-1] = 1.0
    rhs = np.concatenate([2.0 * c[s], [1.0]])
    sol = np.linalg.lstsq(K, rhs, rcond=None)[0]
    if np.all(sol[:-1] >= 0):
        w2 = np.zeros(n)
        w2[s] = sol[:-1]
        g = 2.0 * (G @ w2 - c)
        mu = g @ w2
        if np.all(g - mu >= -1e-8 * max(1.0, abs(mu))):
            w = w2
    return w


def fit_gap(target, donors, fit, post):
    """Mean post gap and pre RMSPE of target against its synthetic."""
    w = simplex_ls(donors[:, fit].T, target[fit])
    synth = w @ donors
    gap = target - synth
    return gap[post].mean(), np.sqrt(np.mean(gap[fit] ** 2))


def main():
    path, treated, start, shift = (sys.argv[1], sys.argv[2],
                                   int(sys.argv[3]), int(sys.argv[4]))
    y = {}
    for row in csv.DictReader(open(path)):
        y.setdefault(row["area"], {})[int(row["period"])] = float(row["value"])
    periods = sorted(y[treated])
    areas = [treated] + sorted(a for a in y if a != treated)
    Y = np.array([[y[a][t] for t in periods] for a in areas])
    pre = [i for i, t in enumerate(periods) if t < start]
    fit, post = pre[:-shift], pre[-shift:]
    est, _ = fit_gap(Y[0], Y[1:], fit, post)
    placebo = []
    for j in range(1, len(areas)):
        others = np.delete(Y, [0, j], axis=0)
        placebo.append(fit_gap(Y[j], others, fit, post)[0])
    placebo = np.abs(np.array(placebo))
    J = len(placebo)
    p = (1 + np.sum(placebo >= abs(est))) / (1 + J)
    _, fit_rmspe = fit_gap(Y[0], Y[1:], pre, pre[-1:])
    fit_sd = np.std(Y[0, pre], ddof=1)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["name", "value"])
    for name, v in (("placebo_start", periods[post[0]]), ("shift", shift),
                    ("estimate", est), ("statistic", abs(est)),
                    ("p_value", p), ("min_p", 1.0 / (1 + J)),
                    ("n_placebos", J), ("fit_rmspe", fit_rmspe),
                    ("fit_sd", fit_sd)):
        w.writerow([name, "%.12g" % v])


if __name__ == "__main__":
    main()
