#!/usr/bin/env python3
"""Independent reference for the synthetic control's placebo inference
(issue 16): the exact placebo p-value and the interval by test inversion,
recomputed from the raw panel in pure Python (no numpy), without any of
wijkeval's code.

    placebo_reference.py PANEL.csv TREATED FROM ALPHA [ALPHA ...]

PANEL.csv is wijkeval's long format (area,period,indicator,value) with one
indicator. The synthetic control fits the treated path over the periods
before FROM with simplex weights (w >= 0, sum 1; no predictors), by
projected gradient descent to convergence; every donor is refitted on the
other donors as a placebo. The statistic is the post/pre RMSPE ratio:
p = (1 + #{placebo ratio >= treated ratio}) / (1 + J). The interval is the
set of tau0 whose test (treated post values minus tau0) has p > alpha,
found here by a dense grid scan around the estimate (not the closed form
the C code uses), so the two are independent. Prints CSV:
alpha,p_value,ci_low,ci_high (inf for an unbounded side).
"""
import csv
import math
import sys


def project_simplex(v):
    u = sorted(v, reverse=True)
    css, rho, theta = 0.0, 0, 0.0
    for i, x in enumerate(u, 1):
        css += x
        t = (css - 1.0) / i
        if x - t > 0:
            rho, theta = i, t
    return [max(x - theta, 0.0) for x in v]


def simplex_ls(A, b, iters=200000):
    """min ||b - A w||^2, w on the simplex; A as a list of columns.
    Accelerated projected gradient (FISTA) with the exact Lipschitz
    constant 2 lambda_max(A'A) from power iteration."""
    n, m = len(A), len(b)
    G = [[sum(A[j][i] * A[k][i] for i in range(m)) for k in range(n)]
         for j in range(n)]
    c = [sum(A[j][i] * b[i] for i in range(m)) for j in range(n)]
    v = [1.0] * n
    for _ in range(500):
        u = [sum(G[j][k] * v[k] for k in range(n)) for j in range(n)]
        nu = math.sqrt(sum(x * x for x in u))
        v = [x / nu for x in u]
    L = 2.0 * nu
    w = [1.0 / n] * n
    z, t = w[:], 1.0
    for _ in range(iters):
        g = [2.0 * (sum(G[j][k] * z[k] for k in range(n)) - c[j])
             for j in range(n)]
        w_new = project_simplex([z[j] - g[j] / L for j in range(n)])
        t_new = (1.0 + math.sqrt(1.0 + 4.0 * t * t)) / 2.0
        z = [w_new[j] + (t - 1.0) / t_new * (w_new[j] - w[j])
             for j in range(n)]
        if max(abs(w_new[j] - w[j]) for j in range(n)) < 1e-14:
            w = w_new
            break
        w, t = w_new, t_new
    return w


def fit(target, donors, pre, post):
    A = [[d[t] for t in pre] for d in donors]
    w = simplex_ls(A, [target[t] for t in pre])
    synth = {t: sum(w[j] * donors[j][t] for j in range(len(donors)))
             for t in pre + post}
    gpre = [target[t] - synth[t] for t in pre]
    gpost = [target[t] - synth[t] for t in post]
    pre_rmspe = math.sqrt(sum(g * g for g in gpre) / len(gpre))
    return pre_rmspe, gpost


def ratio(pre_rmspe, gpost, tau0=0.0):
    return math.sqrt(sum((g - tau0) ** 2 for g in gpost) / len(gpost)) / pre_rmspe


def main():
    path, treated, start = sys.argv[1], sys.argv[2], int(sys.argv[3])
    alphas = [float(a) for a in sys.argv[4:]]
    y = {}
    for row in csv.DictReader(open(path)):
        y.setdefault(row["area"], {})[int(row["period"])] = float(row["value"])
    periods = sorted(y[treated])
    pre = [t for t in periods if t < start]
    post = [t for t in periods if t >= start]
    donors = sorted(a for a in y if a != treated)
    pre_t, gpost_t = fit(y[treated], [y[d] for d in donors], pre, post)
    est = sum(gpost_t) / len(gpost_t)
    placebo = []
    for d in donors:
        others = [y[o] for o in donors if o != d]
        p_pre, p_post = fit(y[d], others, pre, post)
        placebo.append(ratio(p_pre, p_post))
    J = len(placebo)

    def p_of(tau0):
        r = ratio(pre_t, gpost_t, tau0)
        return (1 + sum(1 for q in placebo if q >= r)) / (1 + J)

    print("alpha,estimate,p_value,ci_low,ci_high")
    for a in alphas:
        if 1.0 / (1 + J) > a:
            lo, hi = -math.inf, math.inf
        else:
            # scan outwards from the estimate in steps of 1e-5 (the
            # accepted set is an interval: the ratio is convex in tau0)
            step, lo, hi = 1e-5, est, est
            while p_of(lo - step) > a:
                lo -= step
            while p_of(hi + step) > a:
                hi += step
        print(f"{a},{est:.10g},{p_of(0.0):.10g},{lo:.10g},{hi:.10g}")


if __name__ == "__main__":
    main()
