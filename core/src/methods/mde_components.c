/* Variance components of the pre-period residuals for the minimum
 * detectable effect: residual variance, intra-cluster correlation and
 * serial correlation, by the method of moments with the exact
 * expectations of the two-way demeaned residuals. Derivation:
 * docs/methods.md, "Minimum detectable effect". */
#include "methods/mde_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/sample.h"
#include "wijkeval/plugin.h"

/* rho is searched on this grid, then refined by bisection; the ends keep
 * the AR(1) stationary and the moment equations well conditioned. */
#define RHO_MIN (-0.95)
#define RHO_MAX 0.99
#define RHO_GRID 195    /* points, steps of 0.01 */
#define RHO_GRID_POS 100 /* points from 0, steps of 0.01 */
#define MIN_AREAS 3
#define MIN_PERIODS 3

/* malloc(0) may return NULL, which would read as out of memory. */
static size_t nonzero(size_t n)
{
    return n > 0 ? n : 1;
}

/* The balanced pre-period panel the moments are taken on. */
typedef struct pre_panel {
    size_t A, m;
    size_t *period; /* the m period indices, ascending */
    size_t lag;     /* the shortest gap between two of them */
    int *cl;        /* compact cluster of each of the A areas */
    double *e;      /* A x m two-way demeaned values */
    size_t G;       /* clusters among the A areas */
    double *row;    /* m scratch values */
    double *csum;   /* G x m scratch: cluster sums of e */
    size_t *size;   /* areas per cluster (G) */
} pre_panel;

static void pre_panel_free(pre_panel *p)
{
    free(p->period);
    free(p->cl);
    free(p->e);
    free(p->row);
    free(p->csum);
    free(p->size);
}

/* Areas whose values up to the baseline are untreated. */
static int candidate(const we_design *d, const unsigned char *used, size_t i)
{
    return used[i] && (d->treated_from[i] < 0 ||
                       (size_t)d->treated_from[i] > d->baseline);
}

/* Pre-periods observed for at least half of the candidate areas: a sparse
 * early year would otherwise empty the balanced panel. */
static size_t select_periods(const double *y, const we_design *d,
                             const unsigned char *used, size_t *period)
{
    size_t nc = 0, m = 0, T = d->n_periods;
    for (size_t i = 0; i < d->n_areas; i++)
        nc += (size_t)candidate(d, used, i);
    for (size_t t = 0; t <= d->baseline; t++) {
        size_t cnt = 0;
        for (size_t i = 0; i < d->n_areas; i++)
            cnt += candidate(d, used, i) && isfinite(y[i * T + t]);
        if (cnt > 0 && 2 * cnt >= nc)
            period[m++] = t;
    }
    return m;
}

static int complete(const double *y, const we_design *d, const pre_panel *p,
                    size_t i)
{
    for (size_t k = 0; k < p->m; k++)
        if (!isfinite(y[i * d->n_periods + p->period[k]]))
            return 0;
    return 1;
}

/* e_ik = y_ik - row mean - column mean + grand mean: the residual of the
 * two-way fixed effects model on a balanced panel. */
static void demean(double *e, size_t A, size_t m)
{
    /* Rows first, then columns: the column means of the row-demeaned
     * values are the column means minus the grand mean. */
    for (size_t i = 0; i < A; i++) {
        double r = 0;
        for (size_t k = 0; k < m; k++)
            r += e[i * m + k] / (double)m;
        for (size_t k = 0; k < m; k++)
            e[i * m + k] -= r;
    }
    for (size_t k = 0; k < m; k++) {
        double c = 0;
        for (size_t i = 0; i < A; i++)
            c += e[i * m + k] / (double)A;
        for (size_t i = 0; i < A; i++)
            e[i * m + k] -= c;
    }
}

/* The shortest gap between consecutive selected pre-periods: 1 for an
 * annual indicator, 2 for a biennial one. The serial correlation is
 * estimated from the pairs of periods this far apart. */
static size_t shortest_gap(const pre_panel *p)
{
    size_t h = 0;
    for (size_t k = 0; k + 1 < p->m; k++) {
        size_t g = p->period[k + 1] - p->period[k];
        if (h == 0 || g < h)
            h = g;
    }
    return h;
}

static int build_panel(const double *y, const we_design *d,
                       const unsigned char *used, pre_panel *p,
                       we_error *err)
{
    size_t A = d->n_areas;
    memset(p, 0, sizeof *p);
    p->period = malloc((d->baseline + 1) * sizeof *p->period);
    unsigned char *keep = calloc(nonzero(A), 1);
    int *cl = malloc(nonzero(A) * sizeof *cl);
    int rc = WE_OK;
    if (p->period == NULL || keep == NULL || cl == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    if (rc == WE_OK) {
        p->m = select_periods(y, d, used, p->period);
        for (size_t i = 0; i < A; i++)
            keep[i] = candidate(d, used, i) && complete(y, d, p, i);
        rc = we_sample_clusters(d, keep, WE_CLUSTERS_BY_ID, cl, &p->G, err);
        p->lag = shortest_gap(p);
    }
    for (size_t i = 0; rc == WE_OK && i < A; i++)
        p->A += keep[i];
    if (rc == WE_OK) {
        p->e = malloc(nonzero(p->A * p->m) * sizeof *p->e);
        p->cl = malloc(nonzero(p->A) * sizeof *p->cl);
        p->row = malloc(nonzero(p->m) * sizeof *p->row);
        p->csum = calloc(nonzero(p->G * p->m), sizeof *p->csum);
        p->size = calloc(nonzero(p->G), sizeof *p->size);
        if (p->e == NULL || p->cl == NULL || p->row == NULL ||
            p->csum == NULL || p->size == NULL)
            rc = we_fail(err, WE_ENOMEM, "out of memory");
    }
    for (size_t i = 0, a = 0; rc == WE_OK && i < A; i++) {
        if (!keep[i])
            continue;
        for (size_t k = 0; k < p->m; k++)
            p->e[a * p->m + k] = y[i * d->n_periods + p->period[k]];
        p->cl[a++] = cl[i];
    }
    free(keep);
    free(cl);
    if (rc == WE_OK)
        demean(p->e, p->A, p->m);
    return rc;
}

/* ---- moments and their expectations ----------------------------------- */

/* Periods k and k + 1 of the panel are the shortest gap apart. */
static int adjacent(const pre_panel *p, size_t k)
{
    return p->period[k + 1] == p->period[k] + p->lag;
}

/* Observed quadratic forms of the residuals e:
 *   tot = sum e_it^2
 *   lag = 2 sum_i sum_{adjacent t, s} e_it e_is   (periods `lag` apart)
 *   clu = sum_t sum_{i != j, same cluster} e_it e_jt
 * and the constants of their expectations that do not depend on rho. */
typedef struct moments {
    double tot, lag, clu;
    double ku_I, kc_I;   /* tr(Q_A), tr(Q_A B Q_A) */
    double ku_B, kc_B;   /* tr((B-I) Q_A), tr((B-I) Q_A B Q_A) */
    double n_adj;        /* adjacent period pairs */
    int has_pairs;       /* some cluster holds two or more areas */
} moments;

static void cluster_traces(const pre_panel *p, moments *s)
{
    double A = (double)p->A, s2 = 0, s3 = 0;
    for (size_t g = 0; g < p->G; g++) {
        double n = (double)p->size[g];
        s2 += n * n;
        s3 += n * n * n;
    }
    s->has_pairs = s2 > A;
    s->ku_I = A - 1.0;
    s->kc_I = A - s2 / A;
    s->ku_B = 1.0 - s2 / A;
    s->kc_B = s2 - 2.0 * s3 / A + s2 * s2 / (A * A) - (A - s2 / A);
}

/* clu = sum_t sum_g [(sum_{i in g} e_it)^2 - sum_{i in g} e_it^2]. */
static void observe(const pre_panel *p, moments *s)
{
    size_t m = p->m;
    s->tot = s->lag = s->clu = s->n_adj = 0;
    for (size_t k = 0; k + 1 < m; k++)
        s->n_adj += adjacent(p, k);
    for (size_t a = 0; a < p->A; a++) {
        const double *e = p->e + a * m;
        double *cs = p->csum + (size_t)p->cl[a] * m;
        p->size[p->cl[a]]++;
        for (size_t k = 0; k < m; k++) {
            s->tot += e[k] * e[k];
            cs[k] += e[k];
            if (k + 1 < m && adjacent(p, k))
                s->lag += 2.0 * e[k] * e[k + 1];
        }
    }
    for (size_t k = 0; k < p->G * m; k++)
        s->clu += p->csum[k] * p->csum[k];
    s->clu -= s->tot;
    cluster_traces(p, s);
}

/* tr(Q R Q) and tr(L Q R Q) for the AR(1) correlation R_ts = rho^|t-s|
 * of the selected periods, Q = I - J/m and L the symmetric adjacency of
 * periods the shortest gap apart. (QRQ)_ts = R_ts - rbar_t - rbar_s + rbar with
 * rbar_t the row means of R and rbar their mean. */
static void serial_traces(const pre_panel *p, double rho, double *tq,
                          double *tl)
{
    size_t m = p->m;
    double rbar = 0, *row = p->row;
    for (size_t t = 0; t < m; t++) {
        row[t] = 0;
        for (size_t s = 0; s < m; s++) {
            double gap = fabs((double)p->period[t] - (double)p->period[s]);
            row[t] += pow(rho, gap) / (double)m;
        }
        rbar += row[t] / (double)m;
    }
    *tq = (double)m - rbar * (double)m;
    /* pow(rho, 1) is rho exactly, so annual indicators are unchanged. */
    double r_lag = p->lag == 1 ? rho : pow(rho, (double)p->lag);
    *tl = 0;
    for (size_t k = 0; k + 1 < m; k++)
        if (adjacent(p, k))
            *tl += 2.0 * (r_lag - row[k] - row[k + 1] + rbar);
}

/* s2u and s2c for a given rho from the tot and clu equations:
 *   E tot = s2u ku_I tq + s2c kc_I (m - 1)
 *   E clu = s2u ku_B tq + s2c kc_B (m - 1)
 * A negative solution is set to zero and the other refitted from tot
 * alone (a variance cannot be negative; sampling noise can make it so). */
static void solve_variances(const pre_panel *p, const moments *s, double tq,
                            double *s2u, double *s2c)
{
    double m1 = (double)p->m - 1.0, A = (double)p->A;
    double det = s->ku_I * s->kc_B - s->kc_I * s->ku_B;
    *s2u = s->tot / (s->ku_I * tq);
    *s2c = 0;
    /* Without two areas in one cluster (or with all areas in one, whose
     * shock the period effects absorb) the cluster shock is not
     * identified: it is then part of the area error. */
    if (!s->has_pairs || !(det > 1e-12 * A * A * A))
        return;
    double u = (s->tot * s->kc_B - s->clu * s->kc_I) / (tq * det);
    double c = (s->ku_I * s->clu - s->ku_B * s->tot) / (m1 * det);
    if (c < 0)
        return;
    if (u < 0) {
        *s2u = 0;
        *s2c = s->tot / (s->kc_I * m1);
        return;
    }
    *s2u = u;
    *s2c = c;
}

/* Expected minus observed lag moment at rho:
 *   E lag = s2u ku_I tl + s2c kc_I tr(L Q),  tr(L Q) = -2 n_adj / m. */
static double lag_misfit(const pre_panel *p, const moments *s, double rho,
                         double *s2u, double *s2c)
{
    double tq, tl;
    serial_traces(p, rho, &tq, &tl);
    solve_variances(p, s, tq, s2u, s2c);
    double tlq = -2.0 * s->n_adj / (double)p->m;
    return *s2u * s->ku_I * tl + *s2c * s->kc_I * tlq - s->lag;
}

static double bisect(const pre_panel *p, const moments *s, double lo,
                     double hi, double f_lo)
{
    double u, c;
    for (int it = 0; it < 60; it++) {
        double mid = 0.5 * (lo + hi), f = lag_misfit(p, s, mid, &u, &c);
        if ((f < 0) == (f_lo < 0)) {
            lo = mid;
            f_lo = f;
        } else {
            hi = mid;
        }
    }
    return 0.5 * (lo + hi);
}

/* The first root of the misfit on the grid, refined; without a root, the
 * grid point that fits best (ties: the one nearest zero). At an even
 * shortest gap the moments see rho^lag, which does not tell rho from
 * -rho: the search is then over rho >= 0 (grid from 0, steps of 0.01). */
static double solve_rho(const pre_panel *p, const moments *s)
{
    double best = 0, best_f = INFINITY, prev = NAN, prev_f = NAN, u, c;
    int even = p->lag % 2 == 0;
    double lo = even ? 0.0 : RHO_MIN;
    int n = even ? RHO_GRID_POS : RHO_GRID;
    for (int k = 0; k < n; k++) {
        double r = lo + (RHO_MAX - lo) * k / (n - 1);
        double f = lag_misfit(p, s, r, &u, &c);
        if (f == 0)
            return r;
        if (k > 0 && (f < 0) != (prev_f < 0))
            return bisect(p, s, prev, r, prev_f);
        if (fabs(f) < best_f ||
            (fabs(f) == best_f && fabs(r) < fabs(best))) {
            best = r;
            best_f = fabs(f);
        }
        prev = r;
        prev_f = f;
    }
    return best;
}

static int check_panel(const pre_panel *p, const moments *s, we_error *err)
{
    if (p->A < MIN_AREAS || p->m < MIN_PERIODS)
        return we_fail(err, WE_ENODATA,
                       "%zu area(s) have values in all of %zu "
                       "pre-period(s) up to the baseline; the "
                       "variance components need at least %d areas "
                       "and %d pre-periods",
                       p->A, p->m, MIN_AREAS, MIN_PERIODS);
    if (!(s->tot > 0) || !isfinite(s->tot))
        return we_fail(err, WE_ENODATA,
                       "the pre-period values have no variation "
                       "left after removing area and period "
                       "effects; there is no noise to size an "
                       "effect against");
    return WE_OK;
}

int we_mde_components_estimate(const double *y, const we_design *d,
                               const unsigned char *used,
                               we_mde_components *c, we_error *err)
{
    pre_panel p;
    moments s;
    int rc = build_panel(y, d, used, &p, err);
    if (rc == WE_OK) {
        observe(&p, &s);
        rc = check_panel(&p, &s, err);
    }
    if (rc == WE_OK) {
        c->rho = solve_rho(&p, &s);
        lag_misfit(&p, &s, c->rho, &c->s2u, &c->s2c);
        c->n_areas = p.A;
        c->n_periods = p.m;
    }
    pre_panel_free(&p);
    return rc;
}
