/* Event study (dynamic TWFE) with a pre-trend test, and randomisation
 * inference for the TWFE coefficient. Formulas: docs/methods.md. */
#include "methods/event.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "methods/ols.h"
#include "methods/sample.h"
#include "util/reference.h"

/* A permutation's partialled-out treatment variance below this share of
 * its raw variance is collinearity with the period effects in floating
 * point (the same threshold as the Cholesky pivots of ols.c). */
#define PIVOT_TOL 1e-12
/* A bootstrap or permutation statistic this close (relative) to the
 * observed one counts as at least as large: the draw that reproduces the
 * data must count however it rounds. */
#define TIE_TOL 1e-9
/* 2^G sign vectors are enumerated only below this many clusters. */
#define MAX_ENUM_CLUSTERS 30

/* mt19937 takes 32 bits: the two halves of the seed are folded (as in
 * the wild bootstrap of the TWFE coefficient). */
static unsigned long fold_seed(uint64_t seed)
{
    return (unsigned long)((seed ^ (seed >> 32)) & 0xffffffffu);
}

/* ---- small dense algebra (row-major, n x n) ---------------------------- */

/* b' V^-1 b; NaN when V is singular. work holds n * n + n doubles. */
static double quad_inverse(const double *V, const double *b, size_t n,
                           double *work)
{
    double *l = work, *z = work + n * n;
    memcpy(l, V, n * n * sizeof *l);
    memcpy(z, b, n * sizeof *z);
    if (we_chol_factor(l, n) != WE_OK)
        return NAN;
    we_chol_forward(l, n, z);
    double w = 0;
    for (size_t i = 0; i < n; i++)
        w += z[i] * z[i];
    return w;
}

/* ---- the design ------------------------------------------------------- */

static int check_design(const we_design *d, we_error *err)
{
    if (d->n_areas == 0 || d->n_periods == 0)
        return we_errorf(err, "the panel is empty; give at least one area "
                              "and one period"), WE_EINVAL;
    if (d->n_followup == 0)
        return we_errorf(err, "no follow-up period is set; set the "
                              "follow-up periods of the design"), WE_EINVAL;
    if (d->baseline >= d->n_periods ||
        d->followup[d->n_followup - 1] >= d->n_periods)
        return we_errorf(err, "baseline or follow-up outside the panel's "
                              "%zu periods; use period indices of the panel",
                         d->n_periods), WE_EINVAL;
    if (!(d->alpha > 0.0 && d->alpha < 1.0))
        return we_errorf(err, "alpha must lie in (0, 1), got %g", d->alpha),
               WE_EINVAL;
    for (size_t i = 0; i < d->n_areas; i++) {
        long g = d->treated_from[i];
        if (d->in_sample[i] && (g < -1 || g >= (long)d->n_periods))
            return we_errorf(err, "area %zu: first treated period %ld is "
                                  "outside the panel (0..%zu); use -1 for "
                                  "an area that is never treated",
                             i, g, d->n_periods - 1), WE_EINVAL;
    }
    return WE_OK;
}

/* ---- event-time columns ----------------------------------------------- */

typedef struct ev_window {
    long min_rel, max_rel; /* the binning bounds */
    long lo, hi;           /* binned event times that can occur */
    long *col;             /* column of event time lo + j; -1 none */
    long *n_treated;       /* treated areas observed at lo + j */
    size_t *n_obs;         /* observations at lo + j */
    size_t n_ev;           /* event-time columns */
} ev_window;

static void window_free(ev_window *w)
{
    free(w->col);
    free(w->n_treated);
    free(w->n_obs);
    memset(w, 0, sizeof *w);
}

/* Event column of observation (i, t); -1 for comparison areas and for the
 * reference event time -1. */
static long event_col(const we_design *d, const ev_window *w, size_t i,
                      size_t t)
{
    if (d->treated_from[i] < 0)
        return -1;
    long rel = (long)t - d->treated_from[i];
    rel = rel < w->min_rel ? w->min_rel : rel > w->max_rel ? w->max_rel : rel;
    return rel == -1 ? -1 : w->col[rel - w->lo];
}

static int window_alloc(ev_window *w, const we_design *d, const we_sample *p,
                        const we_event_options *o, we_error *err)
{
    memset(w, 0, sizeof *w);
    w->min_rel = o->min_rel;
    w->max_rel = o->max_rel;
    /* t - g_i lies in [-(T - 1), T_max - 1]: the table needs no more. */
    long lo_raw = -((long)d->n_periods - 1), hi_raw = (long)p->T_max - 1;
    w->lo = w->min_rel > lo_raw ? w->min_rel : lo_raw;
    w->hi = w->max_rel < hi_raw ? w->max_rel : hi_raw;
    size_t n = (size_t)(w->hi - w->lo + 1);
    w->col = malloc(n * sizeof *w->col);
    w->n_treated = calloc(n, sizeof *w->n_treated);
    w->n_obs = calloc(n, sizeof *w->n_obs);
    if (w->col == NULL || w->n_treated == NULL || w->n_obs == NULL) {
        window_free(w);
        return we_errorf(err, "out of memory"), WE_ENOMEM;
    }
    for (size_t j = 0; j < n; j++)
        w->col[j] = (long)j; /* provisional identity: counting uses it */
    return WE_OK;
}

/* Counts observations and treated areas per binned event time, then
 * numbers the event times that have observations (ascending, without -1). */
static int window_build(const double *y, const we_design *d,
                        const we_sample *p, const we_event_options *o,
                        ev_window *w, we_error *err)
{
    if (window_alloc(w, d, p, o, err) != WE_OK)
        return WE_ENOMEM;
    size_t n = (size_t)(w->hi - w->lo + 1);
    size_t *last = calloc(n, sizeof *last); /* last area seen, + 1 */
    if (last == NULL) {
        window_free(w);
        return we_errorf(err, "out of memory"), WE_ENOMEM;
    }
    for (size_t i = 0; i < d->n_areas; i++) {
        if (p->area_n[i] == 0 || d->treated_from[i] < 0)
            continue;
        for (size_t t = 0; t < p->T_max; t++) {
            long j = event_col(d, w, i, t);
            if (j < 0 || !we_sample_cell(p, y, d, i, t))
                continue;
            w->n_obs[j]++;
            if (last[j] != i + 1)
                w->n_treated[j]++;
            last[j] = i + 1;
        }
    }
    free(last);
    for (size_t j = 0; j < n; j++) {
        int used = w->lo + (long)j != -1 && w->n_obs[j] > 0;
        w->col[j] = used ? (long)w->n_ev++ : -1;
    }
    return WE_OK;
}

/* ---- the note on event times without observations --------------------- */

typedef struct run_note {
    char *buf;
    size_t cap;
    long a, b; /* the pending run, a > b when none */
    int any;
} run_note;

static void note_append(char *buf, size_t cap, int comma, long a, long b)
{
    size_t len = strlen(buf);
    if (len + 1 >= cap)
        return;
    const char *sep = comma ? ", " : "";
    if (a == b)
        snprintf(buf + len, cap - len, "%s%ld", sep, a);
    else
        snprintf(buf + len, cap - len, "%s%ld..%ld", sep, a, b);
}

/* Adds a sentence to the result's note, separated by "; ". */
static void note_add(we_event_result *out, const char *msg)
{
    size_t len = strlen(out->note);
    snprintf(out->note + len, sizeof out->note - len, "%s%s",
             len > 0 ? "; " : "", msg);
}

static void run_flush(run_note *r)
{
    if (r->a > r->b)
        return;
    note_append(r->buf, r->cap, r->any, r->a, r->b);
    r->any = 1;
    r->a = 1;
    r->b = 0;
}

/* Adds the event times a..b without observations; -1 is never one. */
static void run_add(run_note *r, long a, long b)
{
    if (a > b)
        return;
    if (r->a <= r->b && a == r->b + 1) {
        r->b = b;
        return;
    }
    run_flush(r);
    r->a = a;
    r->b = b;
}

/* Names the event times of [min_rel, max_rel] that have no column. */
static void note_dropped(const ev_window *w, we_event_result *out)
{
    long span = w->max_rel - w->min_rel; /* event times without -1 */
    out->n_dropped = (size_t)(span - (long)w->n_ev);
    if (out->n_dropped == 0)
        return;
    snprintf(out->note, sizeof out->note,
             "no observations at event time(s) ");
    run_note r = {out->note, sizeof out->note, 1, 0, 0};
    run_add(&r, w->min_rel, w->lo - 1);
    for (long rel = w->lo; rel <= w->hi; rel++)
        if (rel != -1 && w->col[rel - w->lo] < 0)
            run_add(&r, rel, rel);
    run_add(&r, w->hi + 1, w->max_rel);
    run_flush(&r);
    note_add(out, "their coefficients are left out");
}

/* ---- the regression ---------------------------------------------------- */

typedef struct ev_fit {
    we_ols ols;      /* demeaned rows: event columns, then period columns
                        (the reference path only) */
    size_t k, G, q;  /* columns, clusters, leads (the first q columns) */
    size_t N;        /* observations */
    double c;        /* CR1 factor G/(G-1) (N-1)/(N-K) */
    double *beta, *V, *B; /* V scaled by c; B = (X'X)^-1 */
    /* Off the reference path the rows are never built: a row is two
     * dummies minus its area's means, so X'X, the scores and the
     * bootstrap's sums are summed area by area from these. */
    int sparse;
    const double *y;
    const we_design *d;
    const we_sample *p;
    const ev_window *w;
    const int *cl;
    double *ubar;    /* A x k: the within-area means of the dummies */
    double *ybar;    /* A: the within-area means of y */
} ev_fit;

static void fit_free(ev_fit *f)
{
    we_ols_free(&f->ols);
    free(f->ubar);
    free(f->ybar);
    free(f->beta);
    free(f->V);
    free(f->B);
    memset(f, 0, sizeof *f);
}

/* Adds area i's rows, demeaned within the area: this absorbs the area
 * effects exactly (Frisch-Waugh-Lovell), also in unbalanced panels. */
static void add_area(ev_fit *f, const double *y, const we_design *d,
                     const we_sample *p, const ev_window *w, size_t i,
                     int cluster, double *row, double *mean)
{
    size_t k = f->k, T = d->n_periods;
    double n = (double)p->area_n[i], ybar = 0;
    memset(mean, 0, k * sizeof *mean);
    for (size_t t = 0; t < p->T_max; t++) {
        if (!we_sample_cell(p, y, d, i, t))
            continue;
        long c = event_col(d, w, i, t), pc = p->period_col[t];
        ybar += y[i * T + t] / n;
        if (c >= 0)
            mean[c] += 1.0 / n;
        if (pc >= 0)
            mean[w->n_ev + (size_t)pc] += 1.0 / n;
    }
    for (size_t t = 0; t < p->T_max; t++) {
        if (!we_sample_cell(p, y, d, i, t))
            continue;
        long c = event_col(d, w, i, t), pc = p->period_col[t];
        for (size_t a = 0; a < k; a++)
            row[a] = -mean[a];
        if (c >= 0)
            row[c] += 1.0;
        if (pc >= 0)
            row[w->n_ev + (size_t)pc] += 1.0;
        we_ols_add(&f->ols, row, y[i * T + t] - ybar, cluster);
    }
}

static int fit_alloc(ev_fit *f, size_t N, we_error *err)
{
    size_t k = f->k;
    if (we_ols_init(&f->ols, N, k, err) != WE_OK)
        return WE_ENOMEM;
    f->beta = malloc(k * sizeof *f->beta);
    f->V = malloc(k * k * sizeof *f->V);
    f->B = malloc(k * k * sizeof *f->B);
    if (f->beta == NULL || f->V == NULL || f->B == NULL)
        return we_errorf(err, "out of memory"), WE_ENOMEM;
    return WE_OK;
}

/* ---- the regression from area sums (off the reference path) ---------- */

/* The two dummies of area i's row in period t (-1: none). */
static void row_cols(const ev_fit *f, size_t i, size_t t, long *ce,
                     long *cp)
{
    long pc = f->p->period_col[t];
    *ce = event_col(f->d, f->w, i, t);
    *cp = pc >= 0 ? (long)f->w->n_ev + pc : -1;
}

/* ubar and ybar of area i, summed in the order add_area sums them. */
static void area_means(ev_fit *f, size_t i)
{
    size_t T = f->d->n_periods, k = f->k;
    double n = (double)f->p->area_n[i], *ub = f->ubar + i * k;
    for (size_t t = 0; t < f->p->T_max; t++) {
        if (!we_sample_cell(f->p, f->y, f->d, i, t))
            continue;
        long ce, cp;
        row_cols(f, i, t, &ce, &cp);
        f->ybar[i] += f->y[i * T + t] / n;
        if (ce >= 0)
            ub[ce] += 1.0 / n;
        if (cp >= 0)
            ub[cp] += 1.0 / n;
    }
}

/* Adds area i to X'X = sum u u' - n ubar ubar' and X'y = sum u (y - ybar)
 * (u: a row's two dummies). */
static void area_normal(const ev_fit *f, size_t i, double *xtx, double *xty)
{
    size_t T = f->d->n_periods, k = f->k;
    const double *ub = f->ubar + i * k;
    double n = (double)f->p->area_n[i];
    for (size_t t = 0; t < f->p->T_max; t++) {
        if (!we_sample_cell(f->p, f->y, f->d, i, t))
            continue;
        long c[2];
        row_cols(f, i, t, &c[0], &c[1]);
        double yt = f->y[i * T + t] - f->ybar[i];
        for (int a = 0; a < 2; a++) {
            if (c[a] < 0)
                continue;
            xty[c[a]] += yt;
            for (int b = 0; b < 2; b++)
                if (c[b] >= 0)
                    xtx[(size_t)c[a] * k + (size_t)c[b]] += 1.0;
        }
    }
    for (size_t a = 0; a < k; a++)
        for (size_t b = 0; ub[a] != 0.0 && b < k; b++)
            xtx[a * k + b] -= n * ub[a] * ub[b];
}

/* Adds area i's score X_i'(y_i - X_i coef) to s (k). */
static void area_score(const ev_fit *f, size_t i, const double *coef,
                       double *s)
{
    size_t T = f->d->n_periods, k = f->k;
    const double *ub = f->ubar + i * k;
    double fit_bar = 0, sum_e = 0;
    for (size_t a = 0; a < k; a++)
        fit_bar += ub[a] * coef[a];
    for (size_t t = 0; t < f->p->T_max; t++) {
        if (!we_sample_cell(f->p, f->y, f->d, i, t))
            continue;
        long ce, cp;
        row_cols(f, i, t, &ce, &cp);
        double e = f->y[i * T + t] - f->ybar[i] + fit_bar -
                   (ce >= 0 ? coef[ce] : 0.0) - (cp >= 0 ? coef[cp] : 0.0);
        if (ce >= 0)
            s[ce] += e;
        if (cp >= 0)
            s[cp] += e;
        sum_e += e;
    }
    for (size_t a = 0; a < k; a++)
        s[a] -= ub[a] * sum_e;
}

/* The per-cluster scores at coef, G x k. */
static void sparse_scores(const ev_fit *f, const double *coef, double *S)
{
    memset(S, 0, f->G * f->k * sizeof *S);
    for (size_t i = 0; i < f->d->n_areas; i++)
        if (f->p->area_n[i] > 0)
            area_score(f, i, coef, S + (size_t)f->cl[i] * f->k);
}

static int fit_sparse(const double *y, const we_design *d,
                      const we_sample *p, const ev_window *w, const int *cl,
                      ev_fit *f, size_t K, we_error *err)
{
    size_t k = f->k, A = d->n_areas;
    *f = (ev_fit){.k = k, .G = f->G, .q = f->q, .N = p->N, .sparse = 1,
                  .y = y, .d = d, .p = p, .w = w, .cl = cl};
    f->ubar = calloc(A * k + 1, sizeof *f->ubar);
    f->ybar = calloc(A + 1, sizeof *f->ybar);
    f->beta = malloc(k * sizeof *f->beta);
    f->V = malloc(k * k * sizeof *f->V);
    f->B = malloc(k * k * sizeof *f->B);
    double *xtx = calloc(k * k, sizeof *xtx), *xty = calloc(k, sizeof *xty);
    double *S = malloc((f->G * k + 1) * sizeof *S);
    int rc = f->ubar && f->ybar && f->beta && f->V && f->B && xtx && xty && S
                 ? WE_OK
                 : (we_errorf(err, "out of memory"), WE_ENOMEM);
    for (size_t i = 0; rc == WE_OK && i < A; i++)
        if (p->area_n[i] > 0) {
            area_means(f, i);
            area_normal(f, i, xtx, xty);
        }
    if (rc == WE_OK)
        rc = we_ols_normal_solve(xtx, xty, k, f->beta, f->B, err);
    if (rc == WE_OK) {
        sparse_scores(f, f->beta, S);
        rc = we_ols_sandwich(S, f->G, f->B, k, f->V, err);
    }
    free(xtx);
    free(xty);
    free(S);
    if (rc != WE_OK)
        return rc;
    double N = (double)p->N, G = (double)f->G;
    f->c = G / (G - 1.0) * (N - 1.0) / (N - (double)K);
    for (size_t a = 0; a < k * k; a++)
        f->V[a] *= f->c;
    return WE_OK;
}

/* Builds the demeaned regression and fits it with the CR1 covariance. */
static int fit_event(const double *y, const we_design *d, const we_sample *p,
                     const ev_window *w, const int *cl, ev_fit *f,
                     we_error *err)
{
    f->k = w->n_ev + p->n_pc;
    /* K: event dummies, intercept and period effects; the area effects
     * are nested in the clusters and not counted (fixest/reghdfe). */
    size_t K = w->n_ev + 1 + p->n_pc;
    if (f->G < 2)
        return we_errorf(err, "%zu cluster(s) in the sample; cluster-robust "
                              "inference needs at least 2", f->G),
               WE_ENODATA;
    if (p->N <= K)
        return we_errorf(err, "%zu observations for %zu parameters; widen "
                              "the sample or narrow the event window",
                         p->N, K), WE_ENODATA;
    f->N = p->N;
    if (!we_reference_paths())
        return fit_sparse(y, d, p, w, cl, f, K, err);
    int rc = fit_alloc(f, p->N, err);
    double *row = rc == WE_OK ? malloc(2 * f->k * sizeof *row) : NULL;
    if (rc == WE_OK && row == NULL)
        rc = (we_errorf(err, "out of memory"), WE_ENOMEM);
    for (size_t i = 0; rc == WE_OK && i < d->n_areas; i++)
        if (p->area_n[i] > 0)
            add_area(f, y, d, p, w, i, cl[i], row, row + f->k);
    free(row);
    if (rc == WE_OK)
        rc = we_ols_cluster_full(&f->ols, f->G, f->beta, f->V, f->B, err);
    if (rc != WE_OK)
        return rc;
    double N = (double)p->N, G = (double)f->G;
    f->c = G / (G - 1.0) * (N - 1.0) / (N - (double)K);
    for (size_t a = 0; a < f->k * f->k; a++)
        f->V[a] *= f->c;
    return WE_OK;
}

/* Estimate, CR1 standard error and t(df) interval and p-value. */
static void fill_coef(we_event_coef *e, double b, double var, double df,
                      double alpha)
{
    e->estimate = b;
    e->se = sqrt(var);
    e->ci_low = e->ci_high = b;
    e->p_value = NAN;
    if (!(e->se > 0.0) || !isfinite(e->se))
        return; /* a constant outcome: no t reference */
    double q = gsl_cdf_tdist_Pinv(1.0 - alpha / 2.0, df);
    e->ci_low = b - q * e->se;
    e->ci_high = b + q * e->se;
    e->p_value = 2.0 * gsl_cdf_tdist_Q(fabs(b / e->se), df);
}

static int fill_coefs(const ev_fit *f, const ev_window *w, double alpha,
                      we_event_result *out, we_error *err)
{
    out->coef = calloc(w->n_ev, sizeof *out->coef);
    if (out->coef == NULL)
        return we_errorf(err, "out of memory"), WE_ENOMEM;
    out->n_coef = w->n_ev;
    for (long rel = w->lo; rel <= w->hi; rel++) {
        long c = w->col[rel - w->lo];
        if (c < 0)
            continue;
        we_event_coef *e = &out->coef[c];
        e->rel_time = (int)rel;
        e->n_treated = w->n_treated[rel - w->lo];
        fill_coef(e, f->beta[c], f->V[(size_t)c * f->k + (size_t)c],
                  (double)out->df, alpha);
    }
    return WE_OK;
}

/* W = b_L' V_LL^-1 b_L over the leads (the first q columns); F = W / q
 * with p from F(q, G - 1). */
static int pretrend_test(const ev_fit *f, we_event_result *out,
                         we_error *err)
{
    size_t q = f->q, k = f->k;
    out->pretrend_q = q;
    if (q == 0) {
        note_add(out, "no lead coefficient (event time <= -2) in the "
                      "window: no pre-trend test");
        return WE_OK;
    }
    double *work = malloc((2 * q * q + q) * sizeof *work);
    if (work == NULL)
        return we_errorf(err, "out of memory"), WE_ENOMEM;
    double *VL = work + q * q + q;
    for (size_t a = 0; a < q; a++)
        for (size_t b = 0; b < q; b++)
            VL[a * q + b] = f->V[a * k + b];
    out->pretrend_wald = quad_inverse(VL, f->beta, q, work);
    free(work);
    if (isnan(out->pretrend_wald)) {
        note_add(out, "the covariance of the leads is singular (more "
                      "leads than clusters?): no pre-trend test");
        return WE_OK;
    }
    out->pretrend_f = out->pretrend_wald / (double)q;
    out->pretrend_p = gsl_cdf_fdist_Q(out->pretrend_f, (double)q,
                                      (double)out->df);
    return WE_OK;
}

/* ---- wild cluster bootstrap of the pre-trend Wald statistic ------------ */

/* The restricted wild cluster bootstrap with the leads set to zero. With
 * B = (X'X)^-1, restricted coefficients bt and residuals u, cluster scores
 * s_g = X_g'u and weights v_g, a draw y* = X bt + v u has
 *   b* = bt + B t,  t = sum_g v_g s_g,   u* = v u - X B t,
 * so its leads are (B t)_L and its CR1 covariance of the leads is
 * c sum_g w_g w_g' with w_g = sum_{r in g} (B_L x_r) u*_r. */
typedef struct ev_boot {
    const ev_fit *f;
    size_t N;
    double *u;     /* restricted residuals, N */
    double *S;     /* restricted scores, G x k */
    double *Z;     /* B_L x_r, N x q (the reference path only) */
    double *A;     /* per cluster: sum of Z_r u_r, G x q */
    double *M;     /* per cluster: sum of Z_r x_r', G x q x k */
    double *v;     /* weights, G */
    double *t, *delta; /* k each */
    double *w;     /* G x q */
    double *Vq;    /* q x q */
    double *work;  /* q x q + q */
} ev_boot;

static void boot_free(ev_boot *b)
{
    free(b->u);
    free(b->S);
    free(b->Z);
    free(b->A);
    free(b->M);
    free(b->v);
    free(b->t);
    free(b->delta);
    free(b->w);
    free(b->Vq);
    free(b->work);
}

static int boot_alloc(ev_boot *b, const ev_fit *f, we_error *err)
{
    size_t N = f->N, k = f->k, q = f->q, G = f->G;
    memset(b, 0, sizeof *b);
    b->f = f;
    b->N = N;
    b->u = malloc((N + 1) * sizeof *b->u);
    b->S = malloc(G * k * sizeof *b->S);
    b->Z = malloc(((we_reference_paths() ? N * q : 0) + 1) * sizeof *b->Z);
    b->A = calloc(G * q + 1, sizeof *b->A);
    b->M = calloc(G * q * k + 1, sizeof *b->M);
    b->v = malloc(G * sizeof *b->v);
    b->t = malloc(k * sizeof *b->t);
    b->delta = malloc(k * sizeof *b->delta);
    b->w = malloc(G * q * sizeof *b->w);
    b->Vq = malloc(q * q * sizeof *b->Vq);
    b->work = malloc((q * q + q) * sizeof *b->work);
    if (!b->u || !b->S || !b->Z || !b->A || !b->M || !b->v || !b->t ||
        !b->delta || !b->w || !b->Vq || !b->work) {
        boot_free(b);
        return we_errorf(err, "out of memory"), WE_ENOMEM;
    }
    return WE_OK;
}

/* Restricted least squares, b_L = 0: bt = b - B_.L (B_LL)^-1 b_L. The
 * factor of B_LL exists because B is positive definite. */
static int restricted_beta(const ev_fit *f, double *bt, double *work)
{
    size_t k = f->k, q = f->q;
    double *l = work, *x = work + q * q;
    for (size_t a = 0; a < q; a++) {
        x[a] = f->beta[a];
        for (size_t c = 0; c < q; c++)
            l[a * q + c] = f->B[a * k + c];
    }
    memcpy(bt, f->beta, k * sizeof *bt);
    if (we_chol_factor(l, q) != WE_OK)
        return -1;
    we_chol_solve(l, q, x);
    for (size_t a = 0; a < k; a++)
        for (size_t c = 0; c < q; c++)
            bt[a] -= f->B[a * k + c] * x[c];
    for (size_t a = 0; a < q; a++)
        bt[a] = 0.0; /* exactly, not up to rounding */
    return 0;
}

/* Adds area i's B_L X_i'X_i = sum (B_L u) u' - n (B_L ubar) ubar' to the
 * q x k block M (u: a row's two dummies). */
static void area_lead_gram(const ev_fit *f, size_t i, double *M, double *zb)
{
    size_t k = f->k, q = f->q;
    const double *ub = f->ubar + i * k, *B = f->B;
    double n = (double)f->p->area_n[i];
    for (size_t t = 0; t < f->p->T_max; t++) {
        if (!we_sample_cell(f->p, f->y, f->d, i, t))
            continue;
        long ce, cp;
        row_cols(f, i, t, &ce, &cp);
        for (size_t a = 0; a < q; a++) {
            double z = (ce >= 0 ? B[a * k + (size_t)ce] : 0.0) +
                       (cp >= 0 ? B[a * k + (size_t)cp] : 0.0);
            if (ce >= 0)
                M[a * k + (size_t)ce] += z;
            if (cp >= 0)
                M[a * k + (size_t)cp] += z;
        }
    }
    for (size_t a = 0; a < q; a++) {
        zb[a] = 0;
        for (size_t c = 0; c < k; c++)
            zb[a] += B[a * k + c] * ub[c];
    }
    for (size_t a = 0; a < q; a++)
        for (size_t c = 0; c < k; c++)
            if (ub[c] != 0.0)
                M[a * k + c] -= n * zb[a] * ub[c];
}

/* The bootstrap's sums from the areas: S (scores at the restricted fit),
 * A_g = B_L S_g and M_g = B_L X_g'X_g. */
static int boot_prepare_sparse(ev_boot *b)
{
    const ev_fit *f = b->f;
    size_t k = f->k, q = f->q;
    if (restricted_beta(f, b->delta, b->work) != 0)
        return -1;
    sparse_scores(f, b->delta, b->S);
    for (size_t g = 0; g < f->G; g++)
        for (size_t a = 0; a < q; a++) {
            double acc = 0;
            for (size_t c = 0; c < k; c++)
                acc += f->B[a * k + c] * b->S[g * k + c];
            b->A[g * q + a] = acc;
        }
    for (size_t i = 0; i < f->d->n_areas; i++)
        if (f->p->area_n[i] > 0)
            area_lead_gram(f, i, b->M + (size_t)f->cl[i] * q * k, b->work);
    return 0;
}

static int boot_prepare(ev_boot *b)
{
    const ev_fit *f = b->f;
    if (f->sparse)
        return boot_prepare_sparse(b);
    const we_ols *o = &f->ols;
    size_t k = f->k, q = f->q;
    if (restricted_beta(f, b->delta, b->work) != 0)
        return -1;
    memset(b->S, 0, f->G * k * sizeof *b->S);
    for (size_t r = 0; r < b->N; r++) {
        const double *x = o->X + r * k;
        double u = o->y[r];
        for (size_t c = 0; c < k; c++)
            u -= x[c] * b->delta[c];
        b->u[r] = u;
        double *s = b->S + (size_t)o->cluster[r] * k;
        for (size_t c = 0; c < k; c++)
            s[c] += x[c] * u;
        size_t g = (size_t)o->cluster[r];
        for (size_t a = 0; a < q; a++) {
            double z = 0;
            for (size_t c = 0; c < k; c++)
                z += f->B[a * k + c] * x[c];
            if (we_reference_paths())
                b->Z[r * q + a] = z;
            b->A[g * q + a] += z * u;
            double *mrow = b->M + (g * q + a) * k;
            for (size_t c = 0; c < k; c++)
                mrow[c] += z * x[c];
        }
    }
    return 0;
}

/* w_g = sum over the rows r of cluster g of Z_r (v_g u_r - x_r'delta),
 * row by row: O(N q k) per draw. The reference of cluster_w. */
static void rows_w(ev_boot *b)
{
    const ev_fit *f = b->f;
    const we_ols *o = &f->ols;
    size_t k = f->k, q = f->q;
    memset(b->w, 0, f->G * q * sizeof *b->w);
    for (size_t r = 0; r < b->N; r++) {
        const double *x = o->X + r * k;
        double us = b->v[o->cluster[r]] * b->u[r];
        for (size_t c = 0; c < k; c++)
            us -= x[c] * b->delta[c];
        double *w = b->w + (size_t)o->cluster[r] * q;
        for (size_t a = 0; a < q; a++)
            w[a] += b->Z[r * q + a] * us;
    }
}

/* The same w_g from the per-cluster sums: v_g A_g - M_g delta, O(G q k)
 * per draw whatever the number of observations. */
static void cluster_w(ev_boot *b)
{
    size_t k = b->f->k, q = b->f->q;
    for (size_t g = 0; g < b->f->G; g++)
        for (size_t a = 0; a < q; a++) {
            const double *mrow = b->M + (g * q + a) * k;
            double s = b->v[g] * b->A[g * q + a];
            for (size_t c = 0; c < k; c++)
                s -= mrow[c] * b->delta[c];
            b->w[g * q + a] = s;
        }
}

/* The Wald statistic of one draw with weights b->v. */
static double boot_stat(ev_boot *b)
{
    const ev_fit *f = b->f;
    size_t k = f->k, q = f->q, G = f->G;
    memset(b->t, 0, k * sizeof *b->t);
    for (size_t g = 0; g < G; g++)
        for (size_t c = 0; c < k; c++)
            b->t[c] += b->v[g] * b->S[g * k + c];
    for (size_t a = 0; a < k; a++) {
        double s = 0;
        for (size_t c = 0; c < k; c++)
            s += f->B[a * k + c] * b->t[c];
        b->delta[a] = s;
    }
    if (we_reference_paths())
        rows_w(b);
    else
        cluster_w(b);
    memset(b->Vq, 0, q * q * sizeof *b->Vq);
    for (size_t g = 0; g < G; g++)
        for (size_t a = 0; a < q; a++)
            for (size_t c = 0; c < q; c++)
                b->Vq[a * q + c] += f->c * b->w[g * q + a] * b->w[g * q + c];
    return quad_inverse(b->Vq, b->delta, q, b->work);
}

/* A draw whose lead covariance is singular has an unbounded statistic: it
 * counts as exceeding (conservative). */
static int boot_exceeds(double wstar, double W)
{
    return isnan(wstar) || wstar >= W * (1.0 - TIE_TOL);
}

static size_t boot_enumerate(ev_boot *b, double W, size_t *reps)
{
    size_t G = b->f->G, hits = 0, n = (size_t)1 << G;
    for (size_t m = 0; m < n; m++) {
        for (size_t g = 0; g < G; g++)
            b->v[g] = (m >> g) & 1u ? -1.0 : 1.0;
        hits += (size_t)boot_exceeds(boot_stat(b), W);
    }
    *reps = n;
    return hits;
}

static size_t boot_draw(ev_boot *b, double W, size_t reps, gsl_rng *rng)
{
    size_t hits = 0;
    for (size_t r = 0; r < reps; r++) {
        for (size_t g = 0; g < b->f->G; g++)
            b->v[g] = gsl_rng_uniform_int(rng, 2) ? 1.0 : -1.0;
        hits += (size_t)boot_exceeds(boot_stat(b), W);
    }
    return hits;
}

static int pretrend_bootstrap(const ev_fit *f, size_t reps, uint64_t seed,
                              we_event_result *out, we_error *err)
{
    if (reps == 0 || isnan(out->pretrend_wald))
        return WE_OK;
    ev_boot b;
    if (boot_alloc(&b, f, err) != WE_OK)
        return WE_ENOMEM;
    if (boot_prepare(&b) != 0) {
        boot_free(&b);
        note_add(out, "the restricted fit of the bootstrap is singular: "
                      "no bootstrap p-value");
        return WE_OK;
    }
    size_t hits, used = reps;
    if (f->G <= MAX_ENUM_CLUSTERS && ((size_t)1 << f->G) <= reps) {
        hits = boot_enumerate(&b, out->pretrend_wald, &used);
        out->pretrend_boot_enumerated = 1;
    } else {
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
        if (rng == NULL) {
            boot_free(&b);
            return we_errorf(err, "out of memory"), WE_ENOMEM;
        }
        gsl_rng_set(rng, fold_seed(seed));
        hits = boot_draw(&b, out->pretrend_wald, reps, rng);
        gsl_rng_free(rng);
    }
    boot_free(&b);
    out->pretrend_boot_reps = used;
    out->pretrend_boot_p = (double)hits / (double)used;
    return WE_OK;
}

/* ---- the event study --------------------------------------------------- */

static void result_clear(we_event_result *r)
{
    memset(r, 0, sizeof *r);
    r->pretrend_wald = r->pretrend_f = r->pretrend_p = NAN;
    r->pretrend_boot_p = NAN;
}

void we_event_result_free(we_event_result *r)
{
    if (r == NULL)
        return;
    free(r->coef);
    result_clear(r);
}

static int check_window(const we_event_options *o, we_error *err)
{
    if (o->min_rel > -1 || o->max_rel < 0)
        return we_errorf(err, "event window [%d, %d] must contain the "
                              "reference event time -1 and event time 0; "
                              "set min_rel <= -1 and max_rel >= 0",
                         o->min_rel, o->max_rel), WE_EINVAL;
    return WE_OK;
}

static int need_groups(const we_sample *p, we_error *err)
{
    if (p->n_treated == 0)
        return we_errorf(err, "no treated area with data in the sample; "
                              "the event study needs treated areas"),
               WE_ENODATA;
    if (p->n_control == 0)
        return we_errorf(err, "no comparison area with data in the sample; "
                              "add comparison areas"), WE_ENODATA;
    return WE_OK;
}

/* Fits the event-time regression and its inference into out. */
static int event_estimate(const double *y, const we_design *d,
                          const we_sample *p, const ev_window *w,
                          const int *cl, size_t G, size_t boot_reps,
                          uint64_t seed, we_event_result *out,
                          we_error *err)
{
    ev_fit f;
    memset(&f, 0, sizeof f);
    f.G = G;
    for (long rel = w->lo; rel <= -2 && rel <= w->hi; rel++)
        f.q += w->col[rel - w->lo] >= 0;
    out->df = G > 0 ? G - 1 : 0;
    out->n_obs = p->N;
    int rc = fit_event(y, d, p, w, cl, &f, err);
    if (rc == WE_OK)
        rc = fill_coefs(&f, w, d->alpha, out, err);
    if (rc == WE_OK)
        rc = pretrend_test(&f, out, err);
    if (rc == WE_OK)
        rc = pretrend_bootstrap(&f, boot_reps, seed, out, err);
    fit_free(&f);
    return rc;
}

int we_event_study(const double *y, const we_design *d,
                   const we_event_options *o, size_t boot_reps,
                   uint64_t seed, we_event_result *out, we_error *err)
{
    result_clear(out);
    int rc = check_design(d, err);
    if (rc == WE_OK)
        rc = check_window(o, err);
    if (rc != WE_OK)
        return rc;
    we_sample p;
    ev_window w;
    memset(&w, 0, sizeof w);
    if (we_sample_build(y, d, &p, err) != WE_OK)
        return WE_ENOMEM;
    int *cl = malloc(d->n_areas * sizeof *cl);
    size_t G = 0;
    rc = cl == NULL ? (we_errorf(err, "out of memory"), WE_ENOMEM)
                    : need_groups(&p, err);
    if (rc == WE_OK)
        rc = we_sample_clusters(d, p.used, WE_CLUSTERS_FIRST_SEEN, cl, &G,
                                err);
    if (rc == WE_OK)
        rc = window_build(y, d, &p, o, &w, err);
    if (rc == WE_OK && w.n_ev == 0)
        rc = (we_errorf(err, "no treated observation at any event time of "
                             "[%d, %d] other than -1; widen the window",
                        o->min_rel, o->max_rel), WE_ENODATA);
    if (rc == WE_OK) {
        note_dropped(&w, out);
        rc = event_estimate(y, d, &p, &w, cl, G, boot_reps, seed, out, err);
    }
    if (rc != WE_OK)
        we_event_result_free(out);
    window_free(&w);
    we_sample_free(&p);
    free(cl);
    return rc;
}

/* ---- randomisation inference ------------------------------------------- */

/* The TWFE coefficient by Frisch-Waugh-Lovell, for many treatment paths
 * on one sample: with y and the period dummies Z demeaned within area
 * once, a path's demeaned D gives b = (D'y - D'Z (Z'Z)^-1 Z'y) /
 * (D'D - D'Z (Z'Z)^-1 Z'D). */
typedef struct ri_fit {
    we_sample p;
    size_t m;       /* period dummies */
    size_t *start;  /* rows of area i: start[i] .. start[i + 1] - 1 */
    size_t *row_t;  /* period of each row */
    double *yd;     /* demeaned y, N */
    double *Z;      /* demeaned period dummies, N x m */
    double *L;      /* Cholesky factor of Z'Z */
    double *zy;     /* L^-1 Z'y */
    double *dd, *zd; /* work: demeaned D (N), L^-1 Z'D (m) */
} ri_fit;

static void ri_free(ri_fit *r)
{
    we_sample_free(&r->p);
    free(r->start);
    free(r->row_t);
    free(r->yd);
    free(r->Z);
    free(r->L);
    free(r->zy);
    free(r->dd);
    free(r->zd);
}

static int ri_alloc(ri_fit *r, size_t A, we_error *err)
{
    size_t N = r->p.N, m = r->p.n_pc;
    r->m = m;
    r->start = malloc((A + 1) * sizeof *r->start);
    r->row_t = malloc((N ? N : 1) * sizeof *r->row_t);
    r->yd = malloc((N ? N : 1) * sizeof *r->yd);
    r->Z = calloc(N * m + 1, sizeof *r->Z);
    r->L = calloc(m * m + 1, sizeof *r->L);
    r->zy = calloc(m + 1, sizeof *r->zy);
    r->dd = malloc((N > m ? N : m + 1) * sizeof *r->dd);
    r->zd = malloc((m + 1) * sizeof *r->zd);
    if (!r->start || !r->row_t || !r->yd || !r->Z || !r->L || !r->zy ||
        !r->dd || !r->zd)
        return we_errorf(err, "out of memory"), WE_ENOMEM;
    return WE_OK;
}

/* Rows of area i, demeaned within the area. */
static void ri_add_area(ri_fit *r, const double *y, const we_design *d,
                        size_t i, size_t *row)
{
    size_t m = r->m, r0 = *row, T = d->n_periods;
    double ybar = 0, n = (double)r->p.area_n[i];
    for (size_t t = 0; t < r->p.T_max; t++) {
        if (!we_sample_cell(&r->p, y, d, i, t))
            continue;
        size_t k = (*row)++;
        r->row_t[k] = t;
        r->yd[k] = y[i * T + t];
        ybar += y[i * T + t] / n;
        if (r->p.period_col[t] >= 0)
            r->Z[k * m + (size_t)r->p.period_col[t]] = 1.0;
    }
    for (size_t c = 0; c < m; c++) {
        double mean = 0;
        for (size_t k = r0; k < *row; k++)
            mean += r->Z[k * m + c] / n;
        for (size_t k = r0; k < *row; k++)
            r->Z[k * m + c] -= mean;
    }
    for (size_t k = r0; k < *row; k++)
        r->yd[k] -= ybar;
}

static int ri_prepare(ri_fit *r, const double *y, const we_design *d,
                      we_error *err)
{
    size_t m = r->m, row = 0;
    for (size_t i = 0; i < d->n_areas; i++) {
        r->start[i] = row;
        if (r->p.area_n[i] > 0)
            ri_add_area(r, y, d, i, &row);
    }
    r->start[d->n_areas] = row;
    for (size_t k = 0; k < r->p.N; k++) {
        const double *z = r->Z + k * m;
        for (size_t a = 0; a < m; a++) {
            r->zy[a] += z[a] * r->yd[k];
            for (size_t c = 0; c <= a; c++)
                r->L[a * m + c] += z[a] * z[c];
        }
    }
    if (we_chol_factor(r->L, m) != WE_OK)
        return we_errorf(err, "the period effects are collinear in the "
                              "sample (a period observed only in areas with "
                              "one observation?)"), WE_ESINGULAR;
    we_chol_forward(r->L, m, r->zy);
    return WE_OK;
}

/* Area i's terms of the coefficient for the path "treated from s": D'y,
 * D'D and Z'D over its rows, with D = 1[t >= s] demeaned within the area.
 * A never-treated area (s < 0) has none. Both the permutation loop and
 * the reference path sum these; only the order of the sums differs. */
static void area_terms(const ri_fit *r, size_t i, long s, double *dy,
                       double *dtd, double *zd)
{
    size_t m = r->m, r0 = r->start[i], r1 = r->start[i + 1];
    *dy = *dtd = 0;
    memset(zd, 0, m * sizeof *zd);
    if (s < 0 || r1 == r0)
        return;
    double mean = 0;
    for (size_t k = r0; k < r1; k++)
        mean += (double)((long)r->row_t[k] >= s) / (double)(r1 - r0);
    for (size_t k = r0; k < r1; k++) {
        double dk = (double)((long)r->row_t[k] >= s) - mean;
        *dy += dk * r->yd[k];
        *dtd += dk * dk;
        for (size_t c = 0; c < m; c++)
            zd[c] += dk * r->Z[k * m + c];
    }
}

/* The running sums of a path's terms, and the coefficient they give. */
typedef struct ri_sums {
    double dy, dtd;
    double *zd; /* m */
} ri_sums;

static void sums_add(ri_sums *t, size_t m, double dy, double dtd,
                     const double *zd)
{
    t->dy += dy;
    t->dtd += dtd;
    for (size_t c = 0; c < m; c++)
        t->zd[c] += zd[c];
}

/* NaN when the path is collinear with the period effects. */
static double sums_coef(const ri_fit *r, ri_sums *t)
{
    size_t m = r->m;
    we_chol_forward(r->L, m, t->zd);
    double num = t->dy, den = t->dtd;
    for (size_t c = 0; c < m; c++) {
        num -= t->zd[c] * r->zy[c];
        den -= t->zd[c] * t->zd[c];
    }
    return den > PIVOT_TOL * t->dtd ? num / den : NAN;
}

/* The coefficient for the treatment path tf, area by area: O(N m). The
 * reference for the permutation loop's per-area summaries. */
static double ri_coef(ri_fit *r, const we_design *d, const long *tf)
{
    size_t m = r->m;
    double dy, dtd, *zd = r->dd; /* dd has room for m: see ri_alloc */
    ri_sums t = {0, 0, r->zd};
    memset(t.zd, 0, m * sizeof *t.zd);
    for (size_t i = 0; i < d->n_areas; i++) {
        if (tf[i] < 0 || r->start[i + 1] == r->start[i])
            continue;
        area_terms(r, i, tf[i], &dy, &dtd, zd);
        sums_add(&t, m, dy, dtd, zd);
    }
    return sums_coef(r, &t);
}

/* The sample areas ordered by stratum (then by index): the blocks within
 * which the treatment paths are permuted. */
typedef struct ri_unit {
    int stratum;
    size_t area;
} ri_unit;

static int cmp_unit(const void *a, const void *b)
{
    const ri_unit *x = a, *z = b;
    if (x->stratum != z->stratum)
        return (x->stratum > z->stratum) - (x->stratum < z->stratum);
    return (x->area > z->area) - (x->area < z->area);
}

/* A permutation moves only the treated starts: within each block of equal
 * strata, a partial Fisher-Yates draws an ordered sample of as many units
 * as the block has treated areas, and the k-th drawn unit gets the block's
 * k-th treated start; every other unit is never treated. That is a uniform
 * permutation of the block's starts at a cost of one draw per treated
 * area. pos[] carries over between permutations (a partial shuffle of any
 * order is uniform). */
typedef struct ri_perm {
    ri_unit *unit;
    size_t n;
    size_t *pos;      /* units of each block, reordered by the draws */
    size_t *block;    /* block starts, n_blocks + 1 */
    size_t n_blocks;
    size_t *n_tv;     /* treated starts per block */
    long *tv;         /* the treated starts, block by block */
    size_t n_assigned;
    size_t *assigned; /* units drawn in this permutation, by area index */
    size_t *value;    /* their start: index into the distinct starts */
    long *distinct;   /* the distinct treated starts */
    size_t n_distinct;
    long *tf;         /* per area: the path of this permutation */
} ri_perm;

static void perm_free(ri_perm *q)
{
    free(q->unit);
    free(q->pos);
    free(q->block);
    free(q->n_tv);
    free(q->tv);
    free(q->assigned);
    free(q->value);
    free(q->distinct);
    free(q->tf);
}

static size_t distinct_index(const ri_perm *q, long s)
{
    size_t j = 0;
    while (q->distinct[j] != s)
        j++;
    return j;
}

/* Blocks, their treated starts and the distinct starts. */
static void perm_blocks(ri_perm *q, const we_design *d)
{
    size_t n_tv = 0;
    for (size_t b0 = 0, b1; b0 < q->n; b0 = b1) {
        for (b1 = b0 + 1;
             b1 < q->n && q->unit[b1].stratum == q->unit[b0].stratum; b1++)
            ;
        q->block[q->n_blocks] = b0;
        q->n_tv[q->n_blocks] = 0;
        for (size_t j = b0; j < b1; j++) {
            long s = d->treated_from[q->unit[j].area];
            q->pos[j] = j;
            if (s < 0)
                continue;
            q->tv[n_tv++] = s;
            q->n_tv[q->n_blocks]++;
            size_t k = 0;
            while (k < q->n_distinct && q->distinct[k] != s)
                k++;
            if (k == q->n_distinct)
                q->distinct[q->n_distinct++] = s;
        }
        q->n_blocks++;
    }
    q->block[q->n_blocks] = q->n;
}

static int perm_init(ri_perm *q, const we_design *d, const we_sample *p,
                     const int *strata, we_error *err)
{
    size_t A = d->n_areas, n1 = A + 1;
    memset(q, 0, sizeof *q);
    q->unit = malloc(n1 * sizeof *q->unit);
    q->pos = malloc(n1 * sizeof *q->pos);
    q->block = malloc((n1 + 1) * sizeof *q->block);
    q->n_tv = malloc(n1 * sizeof *q->n_tv);
    q->tv = malloc(n1 * sizeof *q->tv);
    q->assigned = malloc(n1 * sizeof *q->assigned);
    q->value = malloc(n1 * sizeof *q->value);
    q->distinct = malloc(n1 * sizeof *q->distinct);
    q->tf = malloc(n1 * sizeof *q->tf);
    if (!q->unit || !q->pos || !q->block || !q->n_tv || !q->tv ||
        !q->assigned || !q->value || !q->distinct || !q->tf)
        return we_errorf(err, "out of memory"), WE_ENOMEM;
    memcpy(q->tf, d->treated_from, A * sizeof *q->tf);
    for (size_t i = 0; i < A; i++) {
        if (p->area_n[i] == 0)
            continue;
        q->unit[q->n].stratum = strata != NULL ? strata[i] : 0;
        q->unit[q->n++].area = i;
    }
    qsort(q->unit, q->n, sizeof *q->unit, cmp_unit);
    perm_blocks(q, d);
    /* Every draw assigns the treated starts anew. */
    for (size_t j = 0; j < q->n; j++)
        q->tf[q->unit[j].area] = -1;
    return WE_OK;
}

/* Draws the next permutation: the areas drawn (assigned[]) with their
 * start (value[]), and the path tf for the reference. */
static void perm_next(ri_perm *q, gsl_rng *rng)
{
    for (size_t k = 0; k < q->n_assigned; k++)
        q->tf[q->assigned[k]] = -1;
    q->n_assigned = 0;
    const long *tv = q->tv;
    for (size_t b = 0; b < q->n_blocks; tv += q->n_tv[b++]) {
        size_t b0 = q->block[b], nb = q->block[b + 1] - b0;
        size_t *pos = q->pos + b0;
        for (size_t j = 0; j < q->n_tv[b]; j++) {
            size_t k = j + (size_t)gsl_rng_uniform_int(rng, nb - j);
            size_t tmp = pos[j];
            pos[j] = pos[k];
            pos[k] = tmp;
            size_t area = q->unit[pos[j]].area;
            q->tf[area] = tv[j];
            q->assigned[q->n_assigned++] = area;
        }
    }
    for (size_t k = 0; k < q->n_assigned; k++)
        q->value[k] = distinct_index(q, q->tf[q->assigned[k]]);
}

/* Every sample area's terms for every distinct treated start, computed
 * once: a permutation then sums the terms of its treated areas,
 * O(treated areas x m) instead of O(N x m). */
typedef struct ri_summary {
    size_t S, m;
    double *dy, *dtd; /* [area * S + j] */
    double *zd;       /* [(area * S + j) * m + c] */
} ri_summary;

static void summary_free(ri_summary *u)
{
    free(u->dy);
    free(u->dtd);
    free(u->zd);
}

static int summary_build(ri_summary *u, const ri_fit *r, const ri_perm *q,
                         size_t A, we_error *err)
{
    size_t S = q->n_distinct, m = r->m;
    *u = (ri_summary){.S = S, .m = m};
    u->dy = calloc(A * S + 1, sizeof *u->dy);
    u->dtd = calloc(A * S + 1, sizeof *u->dtd);
    u->zd = calloc(A * S * m + 1, sizeof *u->zd);
    if (!u->dy || !u->dtd || !u->zd)
        return we_errorf(err, "out of memory"), WE_ENOMEM;
    for (size_t j = 0; j < q->n; j++) {
        size_t i = q->unit[j].area;
        for (size_t v = 0; v < S; v++) {
            size_t c = i * S + v;
            area_terms(r, i, q->distinct[v], &u->dy[c], &u->dtd[c],
                       u->zd + c * m);
        }
    }
    return WE_OK;
}

static double summary_coef(const ri_fit *r, const ri_summary *u,
                           const ri_perm *q)
{
    size_t m = r->m;
    ri_sums t = {0, 0, r->zd};
    memset(t.zd, 0, m * sizeof *t.zd);
    for (size_t k = 0; k < q->n_assigned; k++) {
        size_t c = q->assigned[k] * u->S + q->value[k];
        sums_add(&t, m, u->dy[c], u->dtd[c], u->zd + c * m);
    }
    return sums_coef(r, &t);
}

static int ri_permute(ri_fit *r, const we_design *d, const int *strata,
                      size_t reps, uint64_t seed, we_ri_result *out,
                      we_error *err)
{
    ri_perm q;
    ri_summary u = {0};
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    int rc = perm_init(&q, d, &r->p, strata, err);
    if (rc == WE_OK && rng == NULL)
        rc = (we_errorf(err, "out of memory"), WE_ENOMEM);
    int reference = we_reference_paths();
    if (rc == WE_OK && !reference)
        rc = summary_build(&u, r, &q, d->n_areas, err);
    size_t hits = 0, used = 0;
    if (rc == WE_OK)
        gsl_rng_set(rng, fold_seed(seed));
    for (size_t k = 0; rc == WE_OK && k < reps; k++) {
        perm_next(&q, rng);
        double b = reference ? ri_coef(r, d, q.tf) : summary_coef(r, &u, &q);
        if (isnan(b))
            continue; /* not identified under this path: no information */
        used++;
        hits += fabs(b) >= fabs(out->estimate) * (1.0 - TIE_TOL);
    }
    if (rc == WE_OK && used > 0) {
        out->reps = used;
        out->p_value = (1.0 + (double)hits) / (1.0 + (double)used);
    }
    if (rng != NULL)
        gsl_rng_free(rng);
    summary_free(&u);
    perm_free(&q);
    return rc;
}

int we_randomization_inference(const double *y, const we_design *d,
                               const int *strata, size_t reps,
                               uint64_t seed, we_ri_result *out,
                               we_error *err)
{
    out->estimate = out->p_value = NAN;
    out->reps = 0;
    int rc = check_design(d, err);
    if (rc != WE_OK)
        return rc;
    ri_fit r;
    memset(&r, 0, sizeof r);
    if (we_sample_build(y, d, &r.p, err) != WE_OK)
        return WE_ENOMEM;
    rc = need_groups(&r.p, err);
    if (rc == WE_OK)
        rc = ri_alloc(&r, d->n_areas, err);
    if (rc == WE_OK)
        rc = ri_prepare(&r, y, d, err);
    if (rc == WE_OK) {
        out->estimate = ri_coef(&r, d, d->treated_from);
        if (isnan(out->estimate))
            rc = (we_errorf(err, "the treatment is collinear with the period "
                                 "effects (no treated observation after "
                                 "treatment starts?)"), WE_ESINGULAR);
    }
    if (rc == WE_OK)
        rc = ri_permute(&r, d, strata, reps, seed, out, err);
    ri_free(&r);
    return rc;
}
