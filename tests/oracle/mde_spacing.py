#!/usr/bin/env python3
"""Independent reference for the MDE variance components of indicators
observed at irregular or biennial periods (docs/methods.md, "Minimum
detectable effect").

The C code (core/src/methods/mde_components.c) uses closed-form traces of
the two-way demeaning and the cluster structure. This script writes out
the covariance matrices and takes the traces by brute force:

    e = (Q_A x Q_m) w,  Var(w) = s2u (I_A x R) + s2c (B x I_m)
    E e'(Ma x Mm)e = s2u tr(Q_A Ma Q_A) tr(Q_m Mm Q_m R)
                   + s2c tr(Q_A Ma Q_A B) tr(Q_m Mm Q_m)

with R_ts = rho^|t-s| over the observed pre-periods (in years), B the
same-cluster indicator and the moments tot (Ma = Mm = I), clu (Ma = B - I)
and lag (Mm = adjacency of periods the shortest gap apart). rho is the
root of the lag equation; the script checks that there is exactly one on
a grid of 0.0005 (so the first-root rule of the C code is moot) and
refines it by bisection. Var(b) of the DiD is the explicit quadratic form
a' Var(w) a over all observed (area, period) cells.

Pure Python (no numpy on the build machine). Deterministic: writes
tests/oracle/fixtures/mde_spacing_<name>_panel.csv (one line per area:
cluster, treated_from, then the values of periods 0..T-1, "nan" where not
observed) and tests/oracle/fixtures/mde_spacing_expected.csv.

    python3 tests/oracle/mde_spacing.py
"""
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "fixtures")

# name, seed, areas, areas per cluster, treated clusters, periods T,
# baseline, observed periods, truth (s2u, s2c, rho per year)
SCENARIOS = [
    # Biennial, like the demo's sociale_cohesie_score: pre 0,2,4,6; post 8,10.
    ("biennial", 16, 36, 3, 5, 11, 7, [0, 2, 4, 6, 8, 10], (1.0, 0.4, 0.6)),
    # Irregular: gaps 3, 2, 4; shortest gap 2 (even: rho >= 0).
    ("irregular", 17, 40, 4, 4, 13, 9, [0, 3, 5, 9, 11, 12], (1.0, 0.3, 0.5)),
    # Every third year: odd shortest gap, negative rho allowed.
    ("triennial", 18, 30, 3, 4, 13, 9, [0, 3, 6, 9, 12], (1.0, 0.2, 0.7)),
]


def simulate(seed, A, per, tc, T, base, obs, truth):
    s2u, s2c, rho = truth
    rng = random.Random(seed)
    G = (A + per - 1) // per
    shock = [[rng.gauss(0, math.sqrt(s2c)) for _ in range(T)] for _ in range(G)]
    rows = []
    for i in range(A):
        g = i // per
        frm = base + 1 if g < tc else -1
        u = rng.gauss(0, math.sqrt(s2u))
        area = 50 + rng.gauss(0, 5)
        y = []
        for t in range(T):
            if t > 0:
                u = rho * u + rng.gauss(0, math.sqrt(s2u * (1 - rho * rho)))
            v = area + 0.3 * t + shock[g][t] + u
            y.append(round(v, 10) if t in obs else float("nan"))
        rows.append((g, frm, y))
    return rows


def mat(n, f):
    return [[f(i, j) for j in range(n)] for i in range(n)]


def mul(a, b):
    n, k, m = len(a), len(b), len(b[0])
    return [[sum(a[i][x] * b[x][j] for x in range(k)) for j in range(m)]
            for i in range(n)]


def tr(a):
    return sum(a[i][i] for i in range(len(a)))


def centre(n):
    return mat(n, lambda i, j: (1.0 if i == j else 0.0) - 1.0 / n)


def components(rows, base, obs):
    pre = [t for t in obs if t <= base]
    A, m = len(rows), len(pre)
    # two-way demeaned pre-period values
    e = [[r[2][t] for t in pre] for r in rows]
    rm = [sum(x) / m for x in e]
    cm = [sum(e[i][k] for i in range(A)) / A for k in range(m)]
    gm = sum(rm) / A
    e = [[e[i][k] - rm[i] - cm[k] + gm for k in range(m)] for i in range(A)]
    cl = [r[0] for r in rows]
    h = min(pre[k + 1] - pre[k] for k in range(m - 1))
    adj = mat(m, lambda a, b: 1.0 if abs(pre[a] - pre[b]) == h else 0.0)
    tot = sum(x * x for row in e for x in row)
    clu = sum(e[i][k] * e[j][k] for k in range(m) for i in range(A)
              for j in range(A) if i != j and cl[i] == cl[j])
    lag = sum(e[i][a] * adj[a][b] * e[i][b] for i in range(A)
              for a in range(m) for b in range(m))
    QA, Qm = centre(A), centre(m)
    B = mat(A, lambda i, j: 1.0 if cl[i] == cl[j] else 0.0)
    BI = mat(A, lambda i, j: B[i][j] - (1.0 if i == j else 0.0))
    QAQ = mul(QA, QA)
    a_tot = (tr(QAQ), tr(mul(QAQ, B)))          # Ma = I
    a_clu = (tr(mul(mul(QA, BI), QA)), tr(mul(mul(mul(QA, BI), QA), B)))
    Qm2 = mul(Qm, Qm)
    QLQ = mul(mul(Qm, adj), Qm)

    def m_traces(rho):
        R = mat(m, lambda a, b: rho ** abs(pre[a] - pre[b]))
        return tr(mul(Qm2, R)), tr(Qm2), tr(mul(QLQ, R)), tr(QLQ)

    def variances(rho):
        tq, tm, tl, tlm = m_traces(rho)
        # E tot = u a_tot0 tq + c a_tot1 tm ; E clu = u a_clu0 tq + c a_clu1 tm
        a11, a12 = a_tot[0] * tq, a_tot[1] * tm
        a21, a22 = a_clu[0] * tq, a_clu[1] * tm
        det = a11 * a22 - a12 * a21
        u = (tot * a22 - a12 * clu) / det
        c = (a11 * clu - a21 * tot) / det
        if c < 0:
            u, c = tot / a11, 0.0
        elif u < 0:
            u, c = 0.0, tot / a12
        return u, c, a_tot[0] * tl, a_tot[1] * tlm

    def misfit(rho):
        u, c, kl, klm = variances(rho)
        return u * kl + c * klm - lag

    lo = 0.0 if h % 2 == 0 else -0.95
    n = int(round((0.99 - lo) / 0.0005))
    grid = [lo + (0.99 - lo) * k / n for k in range(n + 1)]
    f = [misfit(r) for r in grid]
    roots = [k for k in range(n) if (f[k] < 0) != (f[k + 1] < 0)]
    if len(roots) != 1:
        raise SystemExit("%d roots of the lag equation; pick another seed"
                         % len(roots))
    a, b = grid[roots[0]], grid[roots[0] + 1]
    fa = f[roots[0]]
    for _ in range(100):
        mid = 0.5 * (a + b)
        fm = misfit(mid)
        if (fm < 0) == (fa < 0):
            a, fa = mid, fm
        else:
            b = mid
    rho = 0.5 * (a + b)
    u, c, _, _ = variances(rho)
    return u, c, rho, h, A, m


def did_se(rows, base, obs, s2u, s2c, rho):
    pre = [t for t in obs if t <= base]
    post = [t for t in obs if t > base]
    nt = sum(1 for r in rows if r[1] >= 0)
    nc = len(rows) - nt
    cells, a = [], []
    for i, r in enumerate(rows):
        w = 1.0 / nt if r[1] >= 0 else -1.0 / nc
        for t in obs:
            cells.append((i, r[0], t))
            a.append(w / len(post) if t > base else -w / len(pre))
    var = 0.0
    for x, (i, g, t) in enumerate(cells):
        for y, (j, k, s) in enumerate(cells):
            cov = (s2u * rho ** abs(t - s) if i == j else 0.0) + \
                  (s2c if g == k and t == s else 0.0)
            var += a[x] * a[y] * cov
    return math.sqrt(var)


def main():
    os.makedirs(FIX, exist_ok=True)
    out = ["scenario,T,baseline,clusters,lag,areas,pre_periods,s2u,s2c,rho,"
           "sigma2,icc,se"]
    for name, seed, A, per, tc, T, base, obs, truth in SCENARIOS:
        rows = simulate(seed, A, per, tc, T, base, obs, truth)
        with open(os.path.join(FIX, "mde_spacing_%s_panel.csv" % name),
                  "w") as f:
            f.write("# written by tests/oracle/mde_spacing.py\n")
            for g, frm, y in rows:
                f.write("%d,%d,%s\n" % (g, frm, ",".join(
                    "nan" if math.isnan(v) else repr(v) for v in y)))
        u, c, rho, h, na, m = components(rows, base, obs)
        se = did_se(rows, base, obs, u, c, rho)
        G = (A + per - 1) // per
        out.append("%s,%d,%d,%d,%d,%d,%d,%r,%r,%r,%r,%r,%r" % (
            name, T, base, G, h, na, m, u, c, rho, u + c, c / (u + c), se))
        print("%s: s2u %.4f s2c %.4f rho %.4f (truth %s), se %.4f"
              % (name, u, c, rho, truth, se))
    with open(os.path.join(FIX, "mde_spacing_expected.csv"), "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
