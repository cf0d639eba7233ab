/* The event study (dynamic TWFE): the event-time window, the regression
 * with the area effects absorbed, and its coefficients. The pre-trend test
 * and its bootstrap are in pretrend.c, randomisation inference in ri.c;
 * what they share is in event_internal.h. Formulas: docs/methods.md. */
#include "methods/event.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "methods/event_internal.h"
#include "methods/ols.h"
#include "methods/sample.h"
#include "util/reference.h"

/* ---- the design ------------------------------------------------------- */

/* ---- event-time columns ----------------------------------------------- */


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
        return we_fail(err, WE_ENOMEM, "out of memory");
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
        return we_fail(err, WE_ENOMEM, "out of memory");
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

/* Adds a sentence to the result's note and its Dutch one, separated by
 * "; ". */
void we_event_note_add(we_event_result *out, const char *msg,
                       const char *msg_nl)
{
    size_t len = strlen(out->note);
    snprintf(out->note + len, sizeof out->note - len, "%s%s",
             len > 0 ? "; " : "", msg);
    len = strlen(out->note_nl);
    snprintf(out->note_nl + len, sizeof out->note_nl - len, "%s%s",
             len > 0 ? "; " : "", msg_nl);
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
    char times[160] = "";
    run_note r = {times, sizeof times, 1, 0, 0};
    run_add(&r, w->min_rel, w->lo - 1);
    for (long rel = w->lo; rel <= w->hi; rel++)
        if (rel != -1 && w->col[rel - w->lo] < 0)
            run_add(&r, rel, rel);
    run_add(&r, w->hi + 1, w->max_rel);
    run_flush(&r);
    snprintf(out->note, sizeof out->note,
             "no observations at event time(s) %s", times);
    snprintf(out->note_nl, sizeof out->note_nl,
             "geen waarnemingen op tijdstip(pen) %s ten opzichte van de "
             "start",
             times);
    we_event_note_add(out, "their coefficients are left out",
                      "hun co\xc3\xab"
                      "ffici\xc3\xab"
                      "nten zijn weggelaten");
}

/* ---- the regression ---------------------------------------------------- */

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

/* we_event_row_cols for the sample's row builders. */
static void fit_cols(const void *ctx, size_t i, size_t t, long *c1, long *c2)
{
    we_event_row_cols(ctx, i, t, c1, c2);
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
        return we_fail(err, WE_ENOMEM, "out of memory");
    return WE_OK;
}

/* ---- the regression from area sums (off the reference path) ---------- */

/* The two dummies of area i's row in period t (-1: none). */
void we_event_row_cols(const ev_fit *f, size_t i, size_t t, long *ce,
                       long *cp)
{
    long pc = f->p->period_col[t];
    *ce = event_col(f->d, f->w, i, t);
    *cp = pc >= 0 ? (long)f->w->n_ev + pc : -1;
}

/* ubar and ybar of area i, summed as the rows of the reference path. */
static void area_means(ev_fit *f, size_t i)
{
    f->ybar[i] = we_sample_area_means(f->y, f->d, f->p, i, f->k, fit_cols, f,
                                      f->ubar + i * f->k);
}

/* Adds area i to X'X and X'y (we_sample_area_normal). */
static void area_normal(const ev_fit *f, size_t i, double *xtx, double *xty)
{
    we_sample_area_normal(f->y, f->d, f->p, i, f->k, fit_cols, f, f->ybar[i],
                          f->ubar + i * f->k, xtx, xty);
}

/* Adds area i's score X_i'(y_i - X_i coef) to s (k). */
static void area_score(const ev_fit *f, size_t i, const double *coef,
                       double *s)
{
    we_sample_area_score(f->y, f->d, f->p, i, f->k, fit_cols, f, f->ybar[i],
                         f->ubar + i * f->k, coef, s);
}

/* The per-cluster scores at coef, G x k. */
void we_event_sparse_scores(const ev_fit *f, const double *coef, double *S)
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
                 : we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t i = 0; rc == WE_OK && i < A; i++)
        if (p->area_n[i] > 0) {
            area_means(f, i);
            area_normal(f, i, xtx, xty);
        }
    if (rc == WE_OK)
        rc = we_ols_normal_solve(xtx, xty, k, f->beta, f->B, err);
    if (rc == WE_OK) {
        we_event_sparse_scores(f, f->beta, S);
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
        return we_fail(err, WE_ENODATA,
                       "%zu cluster(s) in the sample; cluster-robust "
                       "inference needs at least 2",
                       f->G);
    if (p->N <= K)
        return we_fail(err, WE_ENODATA,
                       "%zu observations for %zu parameters; widen "
                       "the sample or narrow the event window",
                       p->N, K);
    f->N = p->N;
    f->y = y; /* for we_event_row_cols */
    f->d = d;
    f->p = p;
    f->w = w;
    f->cl = cl;
    if (!we_reference_paths())
        return fit_sparse(y, d, p, w, cl, f, K, err);
    int rc = fit_alloc(f, p->N, err);
    double *row = rc == WE_OK ? malloc(2 * f->k * sizeof *row) : NULL;
    if (rc == WE_OK && row == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t i = 0; rc == WE_OK && i < d->n_areas; i++)
        if (p->area_n[i] > 0)
            we_sample_add_area(&f->ols, y, d, p, i, cl[i], fit_cols, f, row,
                               row + f->k);
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
    out->vcov = malloc(w->n_ev * w->n_ev * sizeof *out->vcov);
    if (out->coef == NULL || out->vcov == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    out->n_coef = w->n_ev;
    /* The event columns come first in V (k columns, n_ev of them). */
    for (size_t a = 0; a < w->n_ev; a++)
        for (size_t b = 0; b < w->n_ev; b++)
            out->vcov[a * w->n_ev + b] = f->V[a * f->k + b];
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
    free(r->vcov);
    result_clear(r);
}

static int check_window(const we_event_options *o, we_error *err)
{
    if (o->min_rel > -1 || o->max_rel < 0)
        return we_fail(err, WE_EINVAL,
                       "event window [%d, %d] must contain the "
                       "reference event time -1 and event time 0; "
                       "set min_rel <= -1 and max_rel >= 0",
                       o->min_rel, o->max_rel);
    return WE_OK;
}

int we_event_need_groups(const we_sample *p, we_error *err)
{
    if (p->n_treated == 0)
        return we_fail(err, WE_ENODATA,
                       "no treated area with data in the sample; "
                       "the event study needs treated areas");
    if (p->n_control == 0)
        return we_fail(err, WE_ENODATA,
                       "no comparison area with data in the sample; "
                       "add comparison areas");
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
        rc = we_event_pretrend(&f, boot_reps, seed, out, err);
    fit_free(&f);
    return rc;
}

int we_event_study(const double *y, const we_design *d,
                   const we_event_options *o, size_t boot_reps,
                   uint64_t seed, we_event_result *out, we_error *err)
{
    result_clear(out);
    int rc = we_design_check(d, err);
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
    rc = cl == NULL ? we_fail(err, WE_ENOMEM, "out of memory")
                    : we_event_need_groups(&p, err);
    if (rc == WE_OK)
        rc = we_sample_clusters(d, p.used, WE_CLUSTERS_FIRST_SEEN, cl, &G,
                                err);
    if (rc == WE_OK)
        rc = window_build(y, d, &p, o, &w, err);
    if (rc == WE_OK && w.n_ev == 0)
        rc = we_fail(err, WE_ENODATA,
                     "no treated observation at any event time of "
                     "[%d, %d] other than -1; widen the window",
                     o->min_rel, o->max_rel);
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

