#!/usr/bin/python3
"""Reference values for Callaway-Sant'Anna's own pre-period check
(core/src/methods/cs_pretest.c), computed independently with numpy/scipy.

On mpdta (balanced; never-treated comparison, unconditional parallel
trends, varying base period, as R's did::att_gt defaults) it rebuilds
every ATT(g, t), its influence function, the dynamic aggregation with
did's weight influence function, checks the dynamic estimates and
standard errors against R's (tests/oracle/fixtures/mpdta/cs_expected.csv,
from cs_reference.R), then writes the joint test of the pre-period
elements (W = b' V^-1 b; Hotelling's small-sample form F = W (G - q) / (q G),
p from F(q, G - q)) and its power against a constant short-difference trend
(scipy.stats.ncf, noncentrality (G - q) / G d' V^-1 d) for area and
state clustering into cs_pretest_expected.csv.

Run from the repository root: /usr/bin/python3 tests/oracle/cs_pretest.py
"""
import csv
import os
import sys

import numpy as np
from scipy import stats

ROOT = os.environ.get("WE_ORACLE_FIXTURES", "tests/oracle/fixtures")
DIR = os.path.join(ROOT, "mpdta")
ALPHA = 0.05
SLOPES = (0.01, 0.03)


def load():
    with open(os.path.join(DIR, "panel.csv")) as f:
        rows = list(csv.DictReader(f))
    areas = sorted({r["area"] for r in rows})
    periods = sorted({int(r["period"]) for r in rows})
    ai = {a: i for i, a in enumerate(areas)}
    pi = {p: i for i, p in enumerate(periods)}
    y = np.full((len(areas), len(periods)), np.nan)
    muni = {}
    for r in rows:
        y[ai[r["area"]], pi[int(r["period"])]] = float(r["y"])
        muni[r["area"]] = r["municipality"]
    g = np.full(len(areas), -1)
    with open(os.path.join(DIR, "treated.csv")) as f:
        for r in csv.DictReader(f):
            g[ai[r["area"]]] = pi[int(r["from"])]
    m = sorted(set(muni.values()))
    mi = {v: i for i, v in enumerate(m)}
    state = np.array([mi[muni[a]] for a in areas])
    return y, g, state


def cells(y, g):
    n, T = y.shape
    never = g < 0
    out = []  # (group, period, event, att, psi)
    for gg in sorted(set(g[g >= 0].tolist())):
        for t in range(1, T):
            base = t - 1 if t < gg else gg - 1
            if base < 0:
                continue
            d = y[:, t] - y[:, base]
            tr = g == gg
            mu_g, mu_c = d[tr].mean(), d[never].mean()
            psi = np.zeros(n)
            psi[tr] = n / tr.sum() * (d[tr] - mu_g)
            psi[never] = -n / never.sum() * (d[never] - mu_c)
            out.append((gg, t, t - gg, mu_g - mu_c, psi))
    return out


def dynamic(y, g, cl):
    n = y.shape[0]
    groups = sorted(set(g[g >= 0].tolist()))
    pg = {gg: float(np.mean(g == gg)) for gg in groups}
    cs = cells(y, g)
    events = sorted({c[2] for c in cs})
    est, psi = [], []
    for e in events:
        keep = [c for c in cs if c[2] == e]
        S = sum(pg[c[0]] for c in keep)
        w = [pg[c[0]] / S for c in keep]
        att = np.array([c[3] for c in keep])
        theta = float(np.dot(w, att))
        ps = sum(wk * c[4] for wk, c in zip(w, keep))
        # did's wif: the estimated weights' influence function
        ind = np.array([(g == c[0]).astype(float) - pg[c[0]] for c in keep])
        if1 = ind / S
        if2 = np.outer(ind.sum(axis=0), [pg[c[0]] for c in keep]).T / S**2
        ps = ps + (if1 - if2).T @ att
        est.append(theta)
        psi.append(ps)
    psi = np.array(psi)
    G = int(cl.max()) + 1
    Ssum = np.zeros((len(events), G))
    for c in range(G):
        Ssum[:, c] = psi[:, cl == c].sum(axis=1)
    V = Ssum @ Ssum.T / n**2
    return np.array(events), np.array(est), V, G


def check_against_r(events, est, V, cluster):
    want = {}
    with open(os.path.join(DIR, "cs_expected.csv")) as f:
        for r in csv.DictReader(f):
            if (r["control"] == "never" and r["cluster"] == cluster
                    and r["type"] == "dynamic"):
                want[int(r["event"])] = (float(r["estimate"]), float(r["se"]))
    for e, b, v in zip(events, est, np.diag(V)):
        wb, ws = want[int(e)]
        if abs(b - wb) > 1e-10 or abs(np.sqrt(v) - ws) > 1e-10:
            sys.exit("dynamic e=%d (%s): got %r %r, R %r %r"
                     % (e, cluster, b, np.sqrt(v), wb, ws))


def main():
    y, g, state = load()
    n = y.shape[0]
    rows = []
    for cluster, cl in (("area", np.arange(n)), ("municipality", state)):
        events, est, V, G = dynamic(y, g, cl)
        check_against_r(events, est, V, cluster)
        pre = events < 0
        q = int(pre.sum())
        b = est[pre]
        Vp = V[np.ix_(pre, pre)]
        W = float(b @ np.linalg.solve(Vp, b))
        df = G - q
        F = W * df / (q * G)
        p = float(stats.f.sf(F, q, df))
        rows += [(cluster, "q", q), (cluster, "df", df), (cluster, "wald", W),
                 (cluster, "f", F), (cluster, "p", p)]
        for i, s in enumerate(SLOPES, 1):
            d = np.full(q, s)
            ncp = float(d @ np.linalg.solve(Vp, d)) * df / G
            pw = float(stats.ncf.sf(stats.f.isf(ALPHA, q, df), q, df, ncp))
            rows += [(cluster, "slope_%d" % i, s), (cluster, "ncp_%d" % i, ncp),
                     (cluster, "power_%d" % i, pw)]
    path = os.path.join(DIR, "cs_pretest_expected.csv")
    with open(path, "w") as f:
        f.write("cluster,quantity,value\n")
        for c, k, v in rows:
            f.write("%s,%s,%r\n" % (c, k, float(v)))
    print(path)
    for r in rows:
        print(*r)
    return 0


if __name__ == "__main__":
    sys.exit(main())
