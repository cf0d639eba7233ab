/* Core evaluation methods. The formulas, and the reference each one is
 * checked against, are in docs/methods.md. */
#include "methods/methods.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/ols.h"
#include "methods/sample.h"
#include "methods/twfe_sums.h"

void we_estimate_clear(we_estimate *e, we_method m)
{
    uint32_t size = e->struct_size;
    e->method = m;
    e->estimate = e->se = e->ci_low = e->ci_high = NAN;
    e->p_value = e->df = NAN;
    e->n_treated = e->n_control = e->n_obs = -1;
    e->baseline = e->latest = NAN;
    e->closing = 0;
    e->inference = WE_INFERENCE_NONE;
    e->inference_reps = 0;
    e->struct_size = size;
}

/* Fills se-derived fields from a t reference with df degrees of freedom. */
static void set_t_inference(we_estimate *e, double se, double df,
                            double alpha)
{
    e->se = se;
    e->df = df;
    if (!(se > 0.0) || !isfinite(se) || !(df > 0.0)) {
        /* A zero SE (constant outcome) has no t reference: the interval
         * collapses and the p-value stays undefined. */
        e->ci_low = e->ci_high = e->estimate;
        return;
    }
    double q = gsl_cdf_tdist_Pinv(1.0 - alpha / 2.0, df);
    e->ci_low = e->estimate - q * se;
    e->ci_high = e->estimate + q * se;
    e->p_value = 2.0 * gsl_cdf_tdist_Q(fabs(e->estimate / se), df);
}

static size_t latest_index(const we_design *d)
{
    return d->followup[d->n_followup - 1];
}

static int is_treated(const we_design *d, size_t i)
{
    return d->in_sample[i] && d->treated_from[i] >= 0;
}

/* Paired comparison of x at baseline and latest over treated areas:
 * the shared core of pre_post and gap. */
static int paired_change(const double *x, const we_design *d,
                         we_estimate *out, we_error *err)
{
    size_t T = d->n_periods, b = d->baseline, L = latest_index(d);
    double sum_b = 0, sum_l = 0, sum_d = 0;
    size_t n = 0;
    for (size_t i = 0; i < d->n_areas; i++) {
        double xb = x[i * T + b], xl = x[i * T + L];
        if (!is_treated(d, i) || !isfinite(xb) || !isfinite(xl))
            continue;
        sum_b += xb;
        sum_l += xl;
        sum_d += xl - xb;
        n++;
    }
    if (n < 2)
        return we_fail(err, WE_ENODATA,
                       "%zu treated area(s) with values at both "
                       "baseline and latest follow-up; need 2",
                       n);
    double mean_d = sum_d / (double)n, ss = 0;
    for (size_t i = 0; i < d->n_areas; i++) {
        double xb = x[i * T + b], xl = x[i * T + L];
        if (is_treated(d, i) && isfinite(xb) && isfinite(xl))
            ss += (xl - xb - mean_d) * (xl - xb - mean_d);
    }
    out->estimate = mean_d;
    out->baseline = sum_b / (double)n;
    out->latest = sum_l / (double)n;
    out->n_treated = (long)n;
    out->n_control = 0;
    out->n_obs = (long)(2 * n);
    double sd = sqrt(ss / (double)(n - 1));
    set_t_inference(out, sd / sqrt((double)n), (double)(n - 1), d->alpha);
    out->inference = WE_INFERENCE_T_PAIRED;
    return WE_OK;
}

int we_pre_post(const double *y, const we_design *d, we_estimate *out,
                we_error *err)
{
    we_estimate_clear(out, WE_METHOD_PRE_POST);
    if (we_design_check(d, err) != 0)
        return WE_EINVAL;
    return paired_change(y, d, out, err);
}

int we_gap_reference(const double *y, size_t n_areas, size_t n_periods,
                     const int *group, const double *weight, double *ref,
                     we_error *err)
{
    size_t G = 1;
    for (size_t i = 0; group != NULL && i < n_areas; i++) {
        if (group[i] < 0)
            return we_fail(err, WE_EINVAL, "negative group id");
        if ((size_t)group[i] + 1 > G)
            G = (size_t)group[i] + 1;
    }
    double *sw = calloc(G, sizeof *sw), *swy = calloc(G, sizeof *swy);
    if (sw == NULL || swy == NULL) {
        free(sw);
        free(swy);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    for (size_t t = 0; t < n_periods; t++) {
        memset(sw, 0, G * sizeof *sw);
        memset(swy, 0, G * sizeof *swy);
        for (size_t i = 0; i < n_areas; i++) {
            double v = y[i * n_periods + t], w = weight ? weight[i] : 1.0;
            size_t g = group ? (size_t)group[i] : 0;
            if (isfinite(v) && isfinite(w)) {
                sw[g] += w;
                swy[g] += w * v;
            }
        }
        for (size_t i = 0; i < n_areas; i++) {
            double v = y[i * n_periods + t], w = weight ? weight[i] : 1.0;
            size_t g = group ? (size_t)group[i] : 0;
            double s = sw[g], sy = swy[g];
            /* The municipality reference excludes the area itself: a wijk
             * is compared with the rest of its city. */
            if (group != NULL && isfinite(v) && isfinite(w)) {
                s -= w;
                sy -= w * v;
            }
            ref[i * n_periods + t] = s > 0 ? sy / s : NAN;
        }
    }
    free(sw);
    free(swy);
    return WE_OK;
}

int we_gap(const double *y, const double *ref, const we_design *d,
           we_direction direction, we_estimate *out, we_error *err)
{
    we_estimate_clear(out, WE_METHOD_GAP);
    if (we_design_check(d, err) != 0)
        return WE_EINVAL;
    size_t n = d->n_areas * d->n_periods;
    double *gap = malloc(n * sizeof *gap);
    if (gap == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t k = 0; k < n; k++)
        gap[k] = y[k] - ref[k];
    int rc = paired_change(gap, d, out, err);
    free(gap);
    if (rc == WE_OK) {
        double dir = (double)direction;
        out->closing = out->baseline * dir < 0 && out->estimate * dir > 0;
    }
    return rc;
}

/* Fills estimate and inference from coefficient beta and its CR0
 * variance v0, with the CR1 factor G/(G-1) (N-1)/(N-K). */
static void cr1_finish(double beta, double v0, size_t n, size_t K, size_t G,
                       double alpha, we_estimate *out)
{
    double N = (double)n, g = (double)G;
    double factor = g / (g - 1.0) * (N - 1.0) / (N - (double)K);
    out->estimate = beta;
    out->n_obs = (long)n;
    set_t_inference(out, sqrt(v0 * factor), g - 1.0, alpha);
    out->inference = WE_INFERENCE_CR1;
}

/* Runs the clustered regression and fills estimate and inference from
 * coefficient 0, with the CR1 factor G/(G-1) (N-1)/(N-K). */
static int cr1_coefficient(const we_ols *ols, size_t K, size_t G, double alpha,
                           we_estimate *out, we_error *err)
{
    if (G < 2)
        return we_fail(err, WE_ENODATA,
                       "%zu cluster(s) in the sample; cluster-"
                       "robust inference needs at least 2",
                       G);
    if (ols->n <= K)
        return we_fail(err, WE_ENODATA, "%zu observations for %zu parameters",
                       ols->n, K);
    double beta, v0;
    int rc = we_ols_cluster(ols, G, &beta, &v0, err);
    if (rc != WE_OK)
        return rc;
    cr1_finish(beta, v0, ols->n, K, G, alpha, out);
    return WE_OK;
}

/* Mean of the finite follow-up values of area i, or NaN; counts cells. */
static double followup_mean(const double *y, const we_design *d, size_t i,
                            size_t *cells)
{
    double s = 0;
    size_t n = 0;
    for (size_t f = 0; f < d->n_followup; f++) {
        double v = y[i * d->n_periods + d->followup[f]];
        if (isfinite(v)) {
            s += v;
            n++;
        }
    }
    *cells = n;
    return n > 0 ? s / (double)n : NAN;
}

int we_did_2x2(const double *y, const we_design *d, we_estimate *out,
               we_error *err)
{
    we_estimate_clear(out, WE_METHOD_DID_2X2);
    if (we_design_check(d, err) != 0)
        return WE_EINVAL;
    size_t A = d->n_areas, T = d->n_periods;
    unsigned char *used = calloc(A, 1);
    int *cl = malloc(A * sizeof *cl);
    we_ols ols;
    int rc = we_ols_init(&ols, A, 2, err);
    if (used == NULL || cl == NULL || rc != WE_OK) {
        free(used);
        free(cl);
        if (rc == WE_OK)
            we_ols_free(&ols);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    double m[2][2] = {{0, 0}, {0, 0}}; /* [treated][pre/post] sums */
    size_t cnt[2] = {0, 0}, cells = 0;
    for (size_t i = 0; i < A; i++) {
        size_t c;
        double pre = y[i * T + d->baseline];
        double post = followup_mean(y, d, i, &c);
        if (!d->in_sample[i] || !isfinite(pre) || !isfinite(post))
            continue;
        int tr = d->treated_from[i] >= 0;
        used[i] = 1;
        m[tr][0] += pre;
        m[tr][1] += post;
        cnt[tr]++;
        cells += 1 + c;
    }
    size_t G = 0;
    rc = we_sample_clusters(d, used, WE_CLUSTERS_FIRST_SEEN, cl, &G, err);
    if (rc == WE_OK && (cnt[0] == 0 || cnt[1] == 0))
        rc = we_fail(err, WE_ENODATA,
                     "%zu treated and %zu comparison areas with "
                     "baseline and follow-up data; need both",
                     cnt[1], cnt[0]);
    for (size_t i = 0; rc == WE_OK && i < A; i++) {
        size_t c;
        if (!used[i])
            continue;
        double row[2] = {(double)(d->treated_from[i] >= 0), 1.0};
        double dy = followup_mean(y, d, i, &c) - y[i * T + d->baseline];
        we_ols_add(&ols, row, dy, cl[i]);
    }
    if (rc == WE_OK)
        rc = cr1_coefficient(&ols, 2, G, d->alpha, out, err);
    if (rc == WE_OK) {
        double n1 = (double)cnt[1], n0 = (double)cnt[0];
        out->baseline = m[1][0] / n1 - m[0][0] / n0;
        out->latest = m[1][1] / n1 - m[0][1] / n0;
        out->n_treated = (long)cnt[1];
        out->n_control = (long)cnt[0];
        out->n_obs = (long)cells;
    }
    we_ols_free(&ols);
    free(used);
    free(cl);
    return rc;
}

/* The dummies of cell (i, t) in the TWFE rows: column 0 the treatment
 * (from the first treated period on), column 1 + c period dummy c. */
typedef struct twfe_cols_ctx {
    const we_design *d;
    const we_sample *s;
} twfe_cols_ctx;

static void twfe_cols(const void *ctx, size_t i, size_t t, long *c1,
                      long *c2)
{
    const twfe_cols_ctx *c = ctx;
    long g = c->d->treated_from[i], pc = c->s->period_col[t];
    *c1 = g >= 0 && (long)t >= g ? 0 : -1;
    *c2 = pc >= 0 ? 1 + pc : -1;
}

/* Builds the within-transformed rows of the sample areas; column 0 is the
 * treatment, column 1 + c the period dummy c of the sample. */
static int twfe_rows_fill(const double *y, const we_design *d,
                          const we_sample *s, const int *cl,
                          we_twfe_rows *r, we_error *err)
{
    size_t k = 1 + s->n_pc;
    if (we_ols_init(&r->ols, s->N, k, err) != WE_OK)
        return WE_ENOMEM;
    double *row = malloc(2 * k * sizeof *row);
    if (row == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    twfe_cols_ctx ctx = {d, s};
    for (size_t i = 0; i < d->n_areas; i++)
        if (s->used[i])
            we_sample_add_area(&r->ols, y, d, s, i, cl[i], twfe_cols, &ctx,
                               row, row + k);
    r->n_treated = (long)s->n_treated;
    r->n_control = (long)s->n_control;
    /* K: treatment, intercept and period effects; the area effects are
     * nested in the clusters and not counted (fixest/reghdfe). */
    r->K = 2 + s->n_pc;
    free(row);
    return WE_OK;
}

void we_twfe_rows_free(we_twfe_rows *r)
{
    we_ols_free(&r->ols);
    memset(r, 0, sizeof *r);
}

int we_twfe_rows_build(const double *y, const we_design *d,
                       we_twfe_rows *r, we_error *err)
{
    memset(r, 0, sizeof *r);
    if (we_design_check(d, err) != 0)
        return WE_EINVAL;
    we_sample s;
    int *cl = malloc((d->n_areas ? d->n_areas : 1) * sizeof *cl);
    int rc = cl == NULL ? we_fail(err, WE_ENOMEM, "out of memory")
                        : we_sample_build(y, d, &s, err);
    if (rc == WE_OK) {
        rc = we_sample_clusters(d, s.used, WE_CLUSTERS_FIRST_SEEN, cl, &r->G,
                                err);
        if (rc == WE_OK)
            rc = twfe_rows_fill(y, d, &s, cl, r, err);
        we_sample_free(&s);
    }
    if (rc != WE_OK)
        we_twfe_rows_free(r);
    free(cl);
    return rc;
}

int we_twfe_from_rows(const we_twfe_rows *r, double alpha, we_estimate *out,
                      we_error *err)
{
    we_estimate_clear(out, WE_METHOD_TWFE);
    int rc = cr1_coefficient(&r->ols, r->K, r->G, alpha, out, err);
    if (rc == WE_OK) {
        out->n_treated = r->n_treated;
        out->n_control = r->n_control;
    }
    return rc;
}

int we_twfe(const double *y, const we_design *d, we_estimate *out,
            we_error *err)
{
    we_estimate_clear(out, WE_METHOD_TWFE);
    we_twfe_rows r;
    int rc = we_twfe_rows_build(y, d, &r, err);
    if (rc != WE_OK)
        return rc;
    rc = we_twfe_from_rows(&r, d->alpha, out, err);
    we_twfe_rows_free(&r);
    return rc;
}

/* ---- we_twfe from per-area sums ---------------------------------------
 * The regression of the rows above, summed per area (sample.h): X'X and
 * X'y from each area's dummy counts and means, the per-cluster scores
 * from each area's residuals. O(cells + areas k^2) and no rows in memory,
 * against O(cells k^2) and cells x k doubles for the rows. The sums run in
 * another order, so the results equal we_twfe's to rounding (tested to
 * 1e-12 relative in tests/unit/test_event.c), not to the bit. */

void we_twfe_area_sums_free(we_twfe_area_sums *w)
{
    we_sample_free(&w->s);
    free(w->cl);
    free(w->ubar);
    free(w->ybar);
    free(w->xtx);
    free(w->xty);
    free(w->beta);
    free(w->B);
    free(w->S);
    memset(w, 0, sizeof *w);
}

void we_twfe_area_cols(const we_twfe_area_sums *w, size_t i, size_t t,
                       long *c1, long *c2)
{
    twfe_cols_ctx ctx = {w->d, &w->s};
    twfe_cols(&ctx, i, t, c1, c2);
}

static int twfe_sums_fit(we_twfe_area_sums *w, double *beta0, double *var0,
                         we_error *err)
{
    const double *y = w->y;
    const we_design *d = w->d;
    const we_sample *s = &w->s;
    size_t k = w->k, A = d->n_areas;
    w->ubar = calloc(A * k + 1, sizeof *w->ubar);
    w->ybar = calloc(A + 1, sizeof *w->ybar);
    w->xtx = calloc(k * k, sizeof *w->xtx);
    w->xty = calloc(k, sizeof *w->xty);
    w->beta = malloc(k * sizeof *w->beta);
    w->B = malloc(k * k * sizeof *w->B);
    w->S = calloc(w->G * k + 1, sizeof *w->S);
    if (!w->ubar || !w->ybar || !w->xtx || !w->xty || !w->beta || !w->B ||
        !w->S)
        return we_fail(err, WE_ENOMEM, "out of memory");
    twfe_cols_ctx ctx = {d, s};
    for (size_t i = 0; i < A; i++) {
        if (!s->used[i])
            continue;
        double *ub = w->ubar + i * k;
        w->ybar[i] = we_sample_area_means(y, d, s, i, k, twfe_cols, &ctx, ub);
        we_sample_area_normal(y, d, s, i, k, twfe_cols, &ctx, w->ybar[i], ub,
                              w->xtx, w->xty);
    }
    int rc = we_ols_normal_solve(w->xtx, w->xty, k, w->beta, w->B, err);
    if (rc != WE_OK)
        return rc;
    for (size_t i = 0; i < A; i++)
        if (s->used[i])
            we_sample_area_score(y, d, s, i, k, twfe_cols, &ctx, w->ybar[i],
                                 w->ubar + i * k, w->beta,
                                 w->S + (size_t)w->cl[i] * k);
    /* Coefficient 0's CR0 variance: sum_g (B_0. s_g)^2. */
    double v = 0;
    for (size_t g = 0; g < w->G; g++) {
        double a = 0;
        for (size_t c = 0; c < k; c++)
            a += w->B[c] * w->S[g * k + c];
        v += a * a;
    }
    *beta0 = w->beta[0];
    *var0 = v;
    if (!isfinite(v) || !isfinite(*beta0))
        return we_fail(err, WE_ENODATA,
                       "the estimate or its variance is not finite (the "
                       "sums overflow); check the indicator for extreme "
                       "values");
    return WE_OK;
}

int we_twfe_area_sums_fit(const double *y, const we_design *d,
                          we_twfe_area_sums *w, we_estimate *out,
                          we_error *err)
{
    memset(w, 0, sizeof *w);
    we_estimate_clear(out, WE_METHOD_TWFE);
    if (we_design_check(d, err) != 0)
        return WE_EINVAL;
    w->y = y;
    w->d = d;
    w->cl = malloc((d->n_areas ? d->n_areas : 1) * sizeof *w->cl);
    int rc = w->cl == NULL ? we_fail(err, WE_ENOMEM, "out of memory")
                           : we_sample_build(y, d, &w->s, err);
    if (rc != WE_OK)
        return rc;
    w->k = 1 + w->s.n_pc;
    w->K = 2 + w->s.n_pc;
    rc = we_sample_clusters(d, w->s.used, WE_CLUSTERS_FIRST_SEEN, w->cl, &w->G,
                            err);
    /* The checks of cr1_coefficient, in its order and words. */
    if (rc == WE_OK && w->G < 2)
        rc = we_fail(err, WE_ENODATA,
                     "%zu cluster(s) in the sample; cluster-robust "
                     "inference needs at least 2",
                     w->G);
    if (rc == WE_OK && w->s.N <= w->K)
        rc = we_fail(err, WE_ENODATA, "%zu observations for %zu parameters",
                     w->s.N, w->K);
    double beta = 0, v0 = 0;
    if (rc == WE_OK)
        rc = twfe_sums_fit(w, &beta, &v0, err);
    if (rc == WE_OK) {
        cr1_finish(beta, v0, w->s.N, w->K, w->G, d->alpha, out);
        out->n_treated = (long)w->s.n_treated;
        out->n_control = (long)w->s.n_control;
    }
    return rc;
}

int we_twfe_sums(const double *y, const we_design *d, we_estimate *out,
                 we_error *err)
{
    we_twfe_area_sums w;
    int rc = we_twfe_area_sums_fit(y, d, &w, out, err);
    we_twfe_area_sums_free(&w);
    return rc;
}

static const char *const method_names[WE_METHOD_COUNT_] = {
    "pre_post", "gap", "did_2x2", "twfe", "cs", "sc", "sdid"};

const char *we_method_name(we_method m)
{
    return (int)m >= 0 && m < WE_METHOD_COUNT_ ? method_names[m] : "unknown";
}

int we_method_from_name(const char *name)
{
    for (int k = 0; name != NULL && k < WE_METHOD_COUNT_; k++)
        if (strcmp(name, method_names[k]) == 0)
            return k;
    return -1;
}

int we_method_run(we_method m, const double *y, const double *ref,
                  const we_design *d, we_direction direction,
                  we_estimate *out, we_error *err)
{
    switch (m) {
    case WE_METHOD_PRE_POST:
        return we_pre_post(y, d, out, err);
    case WE_METHOD_GAP:
        if (ref == NULL)
            return we_fail(err, WE_EINVAL, "the gap needs a reference series");
        return we_gap(y, ref, d, direction, out, err);
    case WE_METHOD_DID_2X2:
        return we_did_2x2(y, d, out, err);
    case WE_METHOD_TWFE:
        return we_twfe(y, d, out, err);
    default: return we_fail(err, WE_EINVAL, "unknown method %d", (int)m);
    }
}
