#!/usr/bin/python3
"""Reference values for the wild cluster bootstrap of the TWFE coefficient
(core/src/methods/wild.c), computed the slow and obvious way.

For every bootstrap draw the outcome y* is built observation by observation
and the full dummy regression (treatment, intercept, area dummies, period
dummies) is fitted again, with the CR1 sandwich computed from that fit's
residuals. Nothing of the cluster-level algebra of wild.c is used. The draws
are fitted in batches (one matrix product for many y* columns), which is the
same arithmetic as one fit per draw; statsmodels refits a few draws one at a
time as a check of that.

Run from the repository root (needs numpy and statsmodels; Rscript with
sandwich and clubSandwich for the CR1 cross-check):

    /usr/bin/python3 tests/oracle/wild_reference.py

It writes tests/oracle/fixtures/wild/small/{panel,treated,design}.csv (a
small simulated panel in the format of the other oracle fixtures) and
tests/oracle/fixtures/wild/cases.csv. The file format and the cases are
described in tests/oracle/README.md ("Wild cluster bootstrap").
"""

import math
import os
import subprocess
import sys

import numpy as np
import statsmodels.api as sm

FIXTURES = os.path.join("tests", "oracle", "fixtures")
OUT = os.path.join(FIXTURES, "wild")
TIE_REL = 1e-9      # |t*| >= |t| (1 - TIE_REL) counts as a tie
NEAR_TIE = 1e-7     # no other draw may come this close: see check_ties
CI_TOL_SE = 1e-10   # bisection stops at this many standard errors
CHUNK = 2000        # draws per batch
WEBB = np.array([-math.sqrt(1.5), -1.0, -math.sqrt(0.5),
                 math.sqrt(0.5), 1.0, math.sqrt(1.5)])


def fmt(v):
    if isinstance(v, str):
        return v
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if math.isinf(v):
        return "Inf" if v > 0 else "-Inf"
    return "%.17g" % v


# ---- the generator of wild.c: GSL's mt19937 and gsl_rng_uniform_int ----

class GslMt19937:
    """Mersenne Twister exactly as GSL's gsl_rng_mt19937 (seeding included:
    seed 0 means 4357)."""

    def __init__(self, seed):
        s = seed & 0xFFFFFFFF
        if s == 0:
            s = 4357
        mt = [s]
        for i in range(1, 624):
            mt.append((1812433253 * (mt[-1] ^ (mt[-1] >> 30)) + i)
                      & 0xFFFFFFFF)
        self.mt = mt
        self.mti = 624

    def _twist(self):
        mt = self.mt
        for k in range(624):
            y = (mt[k] & 0x80000000) | (mt[(k + 1) % 624] & 0x7FFFFFFF)
            mt[k] = mt[(k + 397) % 624] ^ (y >> 1) ^ (0x9908B0DF if y & 1
                                                     else 0)
        self.mti = 0

    def get(self):
        if self.mti >= 624:
            self._twist()
        y = self.mt[self.mti]
        self.mti += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        return y ^ (y >> 18)

    def uniform_int(self, n):
        scale = 0xFFFFFFFF // n
        while True:
            k = self.get() // scale
            if k < n:
                return k


def check_generator():
    """Our mt19937 against numpy's legacy RandomState (the same
    init_genrand seeding): two implementations of one generator."""
    for seed in (1, 20240611):
        ours = GslMt19937(seed)
        raw = np.random.RandomState(seed).randint(0, 2**32, size=2000,
                                                  dtype=np.uint64)
        mine = [ours.get() for _ in range(2000)]
        if [int(v) for v in raw] != mine:
            sys.exit("mt19937 reimplementation differs from numpy's")


def fold_seed(seed):
    return (seed ^ (seed >> 32)) & 0xFFFFFFFF


def gsl_weights(kind, seed, B, G):
    rng = GslMt19937(fold_seed(seed))
    W = np.empty((B, G))
    for b in range(B):
        for g in range(G):
            if kind == "rademacher":
                W[b, g] = 1.0 if rng.uniform_int(2) else -1.0
            else:
                W[b, g] = WEBB[rng.uniform_int(6)]
    return W


def enumerated_weights(G):
    j = np.arange(2**G)[:, None]
    return np.where((j >> np.arange(G)[None, :]) & 1, -1.0, 1.0)


def numpy_weights(kind, seed, B, G):
    rng = np.random.default_rng(seed)
    pts = np.array([-1.0, 1.0]) if kind == "rademacher" else WEBB
    return rng.choice(pts, size=(B, G))


# ---- the small simulated panel -----------------------------------------

def make_small():
    """30 areas in 8 municipalities, 2001-2008, two treatment waves, 6% of
    the cells missing; 2008 lies after the latest follow-up."""
    rng = np.random.default_rng(20250101)
    sizes = [6, 5, 4, 4, 3, 3, 3, 2]
    treated_per_muni = [3, 3, 2, 2, 0, 0, 0, 0]
    periods = list(range(2001, 2009))
    rows, treated = [], []
    area_no = 0
    muni_shock = rng.normal(0.0, 0.6, size=(len(sizes), len(periods)))
    period_eff = np.cumsum(rng.normal(0.3, 0.4, size=len(periods)))
    for m, size in enumerate(sizes):
        for j in range(size):
            area_no += 1
            name = "A%02d" % area_no
            start = None
            if j < treated_per_muni[m]:
                start = 2004 if m < 2 else 2005
                treated.append((name, start))
            a_eff = rng.normal(10.0, 2.0)
            pop = int(rng.integers(800, 5000))
            for t, p in enumerate(periods):
                d = 1.0 if start is not None and p >= start else 0.0
                y = (a_eff + period_eff[t] + 0.8 * d + muni_shock[m, t]
                     + rng.normal(0.0, 1.0))
                rows.append([name, "M%d" % (m + 1), p, y, pop])
    miss = rng.choice(len(rows), size=int(0.06 * len(rows)), replace=False)
    for r in miss:
        rows[r][3] = None
    d = os.path.join(OUT, "small")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "panel.csv"), "w") as f:
        f.write("area,municipality,period,y,population\n")
        for a, m, p, y, pop in rows:
            f.write("%s,%s,%d,%s,%d\n" % (a, m, p,
                                          "" if y is None else fmt(y), pop))
    with open(os.path.join(d, "treated.csv"), "w") as f:
        f.write("area,from\n")
        for a, s in treated:
            f.write("%s,%d\n" % (a, s))
    with open(os.path.join(d, "design.csv"), "w") as f:
        f.write("key,value\nbaseline,2003\nfollowup,2004 2005 2006 2007\n"
                "alpha,0.05\n")


# ---- loading a fixture panel -------------------------------------------

def read_csv(path):
    with open(path) as f:
        lines = [ln.rstrip("\r\n") for ln in f if ln.strip()]
    head = lines[0].split(",")
    return [dict(zip(head, ln.split(","))) for ln in lines[1:]]


def load(dataset):
    d = os.path.join(FIXTURES, dataset)
    panel = read_csv(os.path.join(d, "panel.csv"))
    areas, muni = [], {}
    for r in panel:
        if r["area"] not in muni:
            areas.append(r["area"])
            muni[r["area"]] = r["municipality"]
    periods = sorted({int(r["period"]) for r in panel})
    y = np.full((len(areas), len(periods)), np.nan)
    a_ix = {a: i for i, a in enumerate(areas)}
    p_ix = {p: t for t, p in enumerate(periods)}
    for r in panel:
        if r["y"] not in ("", "NA"):
            y[a_ix[r["area"]], p_ix[int(r["period"])]] = float(r["y"])
    start = {r["area"]: p_ix[int(r["from"])]
             for r in read_csv(os.path.join(d, "treated.csv"))}
    design = {r["key"]: r["value"]
              for r in read_csv(os.path.join(d, "design.csv"))}
    latest = max(p_ix[int(v)] for v in design["followup"].split())
    return {"areas": areas, "muni": muni, "y": y, "start": start,
            "latest": latest, "alpha": float(design["alpha"])}


class Problem:
    """The TWFE regression on explicit dummies, in the sample of we_twfe:
    every area, periods up to the latest follow-up, y present."""

    def __init__(self, data, cluster):
        obs = [(i, t) for i in range(len(data["areas"]))
               for t in range(data["latest"] + 1)
               if not math.isnan(data["y"][i, t])]
        used = sorted({i for i, _ in obs})
        present = sorted({t for _, t in obs})
        key = (lambda i: data["areas"][i]) if cluster == "area" else \
            (lambda i: data["muni"][data["areas"][i]])
        cl_ix = {}
        for i in used:  # clusters numbered by first appearance, as wild.c
            cl_ix.setdefault(key(i), len(cl_ix))
        self.y = np.array([data["y"][i, t] for i, t in obs])
        self.D = np.array([1.0 if data["areas"][i] in data["start"]
                           and t >= data["start"][data["areas"][i]] else 0.0
                           for i, t in obs])
        cols = [self.D, np.ones(len(obs))]
        cols += [np.array([1.0 if i == j else 0.0 for i, _ in obs])
                 for j in used[1:]]
        cols += [np.array([1.0 if t == s else 0.0 for _, t in obs])
                 for s in present[1:]]
        self.X = np.column_stack(cols)
        self.cl = np.array([cl_ix[key(i)] for i, _ in obs])
        self.G = len(cl_ix)
        self.N = len(obs)
        self.K = 2 + len(present) - 1
        self.c = (self.G / (self.G - 1.0) * (self.N - 1.0)
                  / (self.N - self.K))
        self.H = np.linalg.solve(self.X.T @ self.X, self.X.T)
        self.member = np.zeros((self.G, self.N))
        self.member[self.cl, np.arange(self.N)] = 1.0
        self.Xr = self.X[:, 1:]

    def fit(self, Y):
        """OLS of every column of Y on X: coefficient of D and its CR1
        standard error."""
        beta = self.H @ Y
        U = Y - self.X @ beta
        scores = self.member @ (self.H[0][:, None] * U)
        return beta[0], np.sqrt(self.c * np.sum(scores**2, axis=0))

    def restricted(self, beta0):
        z = self.y - beta0 * self.D
        coef, *_ = np.linalg.lstsq(self.Xr, z, rcond=None)
        fitted = self.Xr @ coef
        return fitted, z - fitted

    def tstar(self, W, beta0):
        fitted, u = self.restricted(beta0)
        out = []
        for s in range(0, W.shape[0], CHUNK):
            Wc = W[s:s + CHUNK]
            Y = ((fitted + beta0 * self.D)[:, None]
                 + Wc[:, self.cl].T * u[:, None])
            b, se = self.fit(Y)
            out.append((b - beta0) / se)
        return np.concatenate(out)


def statsmodels_t(P, y, beta0):
    """One fit with statsmodels, its cluster small-sample factor (which
    counts every column) rescaled to the K of the contract."""
    res = sm.OLS(y, P.X).fit(cov_type="cluster",
                             cov_kwds={"groups": P.cl})
    kfull = P.X.shape[1]
    se = res.bse[0] * math.sqrt((P.N - kfull) / (P.N - P.K))
    return (res.params[0] - beta0) / se


def check_batch(P, W, beta0):
    fitted, u = P.restricted(beta0)
    t = P.tstar(W[:3], beta0)
    for b in range(3):
        ys = fitted + beta0 * P.D + W[b, P.cl] * u
        ts = statsmodels_t(P, ys, beta0)
        if abs(ts - t[b]) > 1e-9 * max(1.0, abs(ts)):
            sys.exit("batch fit differs from statsmodels: %r %r" % (ts, t[b]))


def check_r(dataset, cluster, est, se):
    """CR1 of the same regression with sandwich::vcovCL and
    clubSandwich::vcovCR (tests/oracle/wild_cr1.R)."""
    out = subprocess.run(["Rscript", os.path.join("tests", "oracle",
                                                  "wild_cr1.R"),
                          os.path.join(FIXTURES, dataset), cluster],
                         check=True, capture_output=True, text=True).stdout
    vals = [float(v) for v in out.split()]
    for name, got, want in (("estimate", vals[0], est),
                            ("se sandwich", vals[1], se),
                            ("se clubSandwich", vals[2], se)):
        if abs(got - want) > 1e-10 * max(1.0, abs(want)):
            sys.exit("%s %s %s: R %r, here %r" % (dataset, cluster, name, got,
                                                  want))


# ---- p-value and interval ------------------------------------------------

class Boot:
    def __init__(self, P, W, enumerated=0):
        self.P, self.W, self.enumerated = P, W, enumerated
        self.est, self.se = (float(v[0]) for v in P.fit(P.y[:, None]))

    def stats(self, beta0):
        t = abs((self.est - beta0) / self.se)
        return t, np.abs(self.P.tstar(self.W, beta0))

    def p(self, beta0):
        """Enumerated: the exact share (w = 1 is among the 2^G draws);
        drawn at random: (1 + #{>=}) / (B + 1), the sample counted as one
        draw, so never 0 (issue 16)."""
        t, ts = self.stats(beta0)
        hits = float(np.sum(ts >= t * (1.0 - TIE_REL)))
        if self.enumerated:
            return hits / len(ts)
        return (1.0 + hits) / (len(ts) + 1.0)

    def check_ties(self, beta0):
        """Only w = +1 and w = -1 may tie with the sample (they reproduce
        it); any other draw this close to |t| could be counted differently
        by two correct implementations, and the exact comparison would be
        fragile."""
        t, ts = self.stats(beta0)
        close = np.abs(ts / t - 1.0) < NEAR_TIE
        unit = np.all(np.abs(self.W) == 1.0, axis=1) & \
            (np.all(self.W == self.W[:, :1], axis=1))
        if np.any(close & ~unit) or np.any(unit & ~close):
            sys.exit("a draw ties with the sample by chance; pick another "
                     "seed")

    def bound(self, alpha, q, side, tol):
        """wild.c's search: double from the CR1 half-width, then bisect on
        p(b0) > alpha."""
        half = q * self.se
        inner, outer = self.est, self.est + side * half
        for _ in range(64):
            if self.p(outer) > alpha:
                inner, half = outer, 2 * half
                outer = self.est + side * half
            else:
                break
        else:
            return side * math.inf
        while abs(outer - inner) > tol:
            mid = inner + (outer - inner) / 2
            if mid in (inner, outer):
                break
            if self.p(mid) > alpha:
                inner = mid
            else:
                outer = mid
        return inner + (outer - inner) / 2

    def slope(self, b0, h):
        return abs(self.p(b0 + h) - self.p(b0 - h)) / (2 * h)


def t_quantile(p, df):
    from scipy import stats
    q = stats.t.ppf(p, df)
    for _ in range(2):  # scipy's quantile is good to about 1e-9
        q -= (stats.t.cdf(q, df) - p) / stats.t.pdf(q, df)
    return q


# ---- the cases -----------------------------------------------------------

# name, dataset, cluster, weights, reps, seed, mode. Mode "same" replays the
# draws of wild.c (enumeration, or GSL's stream for the seed): results must
# agree to rounding. Mode "mc" uses independent draws (numpy) with
# REF_DRAWS replications: agreement within Monte Carlo error.
CASES = [
    ("small_enum", "wild/small", "municipality", "rademacher", 999, 7, "same"),
    ("small_webb", "wild/small", "area", "webb", 999, 11, "same"),
    ("waves_enum", "waves", "municipality", "rademacher", 9999, 3, "same"),
    ("waves_webb", "waves", "municipality", "webb", 9999, 20240611, "same"),
    ("waves_webb_mc", "waves", "municipality", "webb", 9999, 5, "mc"),
    ("prop99_enum", "prop99", "municipality", "rademacher", 9999, 1, "same"),
    ("prop99_rademacher", "prop99", "area", "rademacher", 9999, 99, "same"),
    ("prop99_webb_mc", "prop99", "area", "webb", 9999, 17, "mc"),
]
REF_DRAWS = 49999
REF_SEED = 424242

COLUMNS = ["case", "dataset", "cluster", "weights", "reps", "seed", "alpha",
           "mode", "n_clusters", "enumerated", "reps_used", "estimate", "se",
           "t_stat", "p_value", "p_tol", "ci_low", "ci_high", "ci_low_tol",
           "ci_high_tol"]


def weights_for(P, kind, reps, seed, mode):
    if mode == "mc":
        return numpy_weights(kind, REF_SEED + seed, REF_DRAWS, P.G), 0
    if kind == "rademacher" and P.G < 63 and 2**P.G <= reps:
        return enumerated_weights(P.G), 1
    return gsl_weights(kind, seed, reps, P.G), 0


def run_case(case):
    name, dataset, cluster, kind, reps, seed, mode = case
    data = load(dataset)
    P = Problem(data, cluster)
    W, enumerated = weights_for(P, kind, reps, seed, mode)
    bt = Boot(P, W, enumerated)
    check_batch(P, W, 0.0)
    check_r(dataset, cluster, bt.est, bt.se)
    alpha = data["alpha"]
    q = t_quantile(1 - alpha / 2, P.G - 1)
    p = bt.p(0.0)
    tol_ci = CI_TOL_SE * bt.se if mode == "same" else 1e-4 * bt.se
    lo = bt.bound(alpha, q, -1.0, tol_ci)
    hi = bt.bound(alpha, q, 1.0, tol_ci)
    if mode == "same":
        bt.check_ties(0.0)
        p_tol = 1e-12
        lo_tol = 1e-7 * max(abs(lo), bt.se)
        hi_tol = 1e-7 * max(abs(hi), bt.se)
        used = W.shape[0]
    else:
        # The test runs `reps` draws against REF_DRAWS here: the variance
        # of the difference of two independent estimates of p, and for
        # the bounds that error divided by the slope of p(b0) there.
        var = 1.0 / reps + 1.0 / REF_DRAWS
        pp = max(p, 1.0 / reps)
        p_tol = 4.0 * math.sqrt(pp * (1 - pp) * var)
        s_err = 4.0 * math.sqrt(alpha * (1 - alpha) * var)
        h = 0.25 * bt.se
        lo_tol = s_err / bt.slope(lo, h)
        hi_tol = s_err / bt.slope(hi, h)
        used = reps
    row = [name, dataset, cluster, kind, reps, seed, alpha, mode, P.G,
           enumerated, used, bt.est, bt.se, bt.est / bt.se, p, p_tol, lo,
           hi, lo_tol, hi_tol]
    print("%-18s G=%2d p=%.6f ci=[%.6f, %.6f]" % (name, P.G, p, lo, hi),
          file=sys.stderr)
    return row


def main():
    check_generator()
    make_small()
    names = sys.argv[1:]
    rows = [run_case(c) for c in CASES if not names or c[0] in names]
    if names:  # a partial run only prints
        return
    with open(os.path.join(OUT, "cases.csv"), "w") as f:
        f.write(",".join(COLUMNS) + "\n")
        for r in rows:
            f.write(",".join(fmt(v) for v in r) + "\n")


if __name__ == "__main__":
    main()
