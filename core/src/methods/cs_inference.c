/* Inference for the Callaway-Sant'Anna statistics: clustered analytic
 * standard errors from the influence functions, and the multiplier
 * bootstrap (did's mboot, with cluster sums) for bootstrap standard errors
 * and simultaneous bands. Formulas: docs/methods.md. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/cs_internal.h"

/* Cluster sums of every statistic's influence function: s[k * G + c]. */
static double *cluster_sums(const cs_work *w)
{
    double *s = calloc(w->n_stats * w->G, sizeof *s);
    if (s == NULL)
        return NULL;
    for (size_t k = 0; k < w->n_stats; k++)
        for (size_t i = 0; i < w->n; i++)
            s[k * w->G + (size_t)w->cl[i]] += w->psi[k * w->n + i];
    return s;
}

/* se = sqrt(sum_c S_c^2) / n; with one area per cluster this is did's
 * sqrt(mean(psi^2) / n). */
static void analytic_se(cs_work *w, const double *s)
{
    for (size_t k = 0; k < w->n_stats; k++) {
        double ss = 0;
        for (size_t c = 0; c < w->G; c++)
            ss += s[k * w->G + c] * s[k * w->G + c];
        w->se[k] = sqrt(ss) / (double)w->n;
        w->boot_se[k] = NAN;
    }
}

/* ---- multiplier bootstrap ------------------------------------------------ */

static unsigned long fold_seed(uint64_t seed)
{
    return (unsigned long)((seed ^ (seed >> 32)) & 0xffffffffu);
}

static void draw_weights(gsl_rng *r, we_cs_multiplier m, double *u,
                         size_t G)
{
    const double k = (1.0 + sqrt(5.0)) / 2.0;
    for (size_t c = 0; c < G; c++) {
        if (m == WE_CS_RADEMACHER)
            u[c] = gsl_rng_uniform_int(r, 2) ? 1.0 : -1.0;
        else
            u[c] = gsl_rng_uniform(r) < k / sqrt(5.0) ? 1.0 - k : k;
    }
}

/* R's quantile(type = 1) of sorted x[0..B-1]. */
static double quantile1(const double *x, size_t B, double p)
{
    double np = (double)B * p;
    double j = floor(np + 4.0 * 2.220446049250313e-16);
    size_t idx = (size_t)j + (np > j ? 1 : 0);
    if (idx < 1)
        idx = 1;
    if (idx > B)
        idx = B;
    return x[idx - 1];
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct boot {
    size_t B;
    double *draw; /* n_stats * B: (1/n) sum_c u_c S_c per draw */
    double *tmp;  /* B */
} boot;

static int boot_run(const cs_work *w, const double *s, const we_cs_options *o,
                    boot *bt)
{
    size_t B = o->boot_reps, G = w->G;
    bt->B = B;
    bt->draw = malloc(w->n_stats * B * sizeof *bt->draw);
    bt->tmp = malloc(B * sizeof *bt->tmp);
    double *u = malloc(G * sizeof *u);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    int rc = bt->draw && bt->tmp && u && r ? WE_OK : WE_ENOMEM;
    if (rc == WE_OK)
        gsl_rng_set(r, fold_seed(o->seed));
    for (size_t b = 0; rc == WE_OK && b < B; b++) {
        draw_weights(r, o->weights, u, G);
        for (size_t k = 0; k < w->n_stats; k++) {
            double v = 0;
            for (size_t c = 0; c < G; c++)
                v += u[c] * s[k * G + c];
            bt->draw[k * B + b] = v / (double)w->n;
        }
    }
    free(u);
    if (r != NULL)
        gsl_rng_free(r);
    return rc;
}

/* did's robust bootstrap standard error: the interquartile range of the
 * draws over that of the standard normal. Degenerate statistics (zero
 * influence function) get NaN. */
static void boot_se(cs_work *w, boot *bt)
{
    double iqr_n = gsl_cdf_ugaussian_Pinv(0.75) - gsl_cdf_ugaussian_Pinv(0.25);
    for (size_t k = 0; k < w->n_stats; k++) {
        if (!(w->se[k] > 0)) {
            w->boot_se[k] = NAN;
            continue;
        }
        memcpy(bt->tmp, bt->draw + k * bt->B, bt->B * sizeof *bt->tmp);
        qsort(bt->tmp, bt->B, sizeof *bt->tmp, cmp_double);
        double v = (quantile1(bt->tmp, bt->B, 0.75) -
                    quantile1(bt->tmp, bt->B, 0.25)) / iqr_n;
        w->boot_se[k] = v > 0 ? v : NAN;
    }
}

/* Critical value of the simultaneous band over statistics first..first+m:
 * the (1 - alpha) type-1 quantile of max_k |draw_k / boot_se_k|, but never
 * below the pointwise normal value (did reverts to pointwise then). */
static double band_crit(const cs_work *w, boot *bt, size_t first, size_t m,
                        double alpha)
{
    double z = gsl_cdf_ugaussian_Pinv(1.0 - alpha / 2.0);
    size_t used = 0;
    for (size_t b = 0; b < bt->B; b++) {
        double mx = -1;
        for (size_t k = first; k < first + m; k++) {
            double se = w->boot_se[k];
            if (isfinite(se) && fabs(bt->draw[k * bt->B + b]) / se > mx)
                mx = fabs(bt->draw[k * bt->B + b]) / se;
        }
        if (mx >= 0)
            bt->tmp[used++] = mx;
    }
    if (used == 0)
        return NAN;
    qsort(bt->tmp, used, sizeof *bt->tmp, cmp_double);
    double c = quantile1(bt->tmp, used, 1.0 - alpha);
    return c > z ? c : z;
}

/* ---- filling the results --------------------------------------------- */

/* Two-sided p of |t| under the normal (df NaN) or t(df) reference. */
static double two_sided(double t, double df)
{
    return isnan(df) ? 2.0 * gsl_cdf_ugaussian_P(-fabs(t))
                     : 2.0 * gsl_cdf_tdist_Q(fabs(t), df);
}

static void fill_stat(const cs_work *w, size_t k, double crit, double alpha,
                      double df, we_cs_stat *s)
{
    double z = isnan(df) ? gsl_cdf_ugaussian_Pinv(1.0 - alpha / 2.0)
                         : gsl_cdf_tdist_Pinv(1.0 - alpha / 2.0, df);
    s->estimate = w->est[k];
    /* With the t reference the variance gets CR1's G / (G - 1) too. */
    s->se = isnan(df) ? w->se[k] : w->se[k] * sqrt((df + 1.0) / df);
    s->ci_low = s->estimate - z * s->se;
    s->ci_high = s->estimate + z * s->se;
    s->p_value = s->se > 0 ? two_sided(s->estimate / s->se, df) : NAN;
    s->boot_se = w->boot_se[k];
    s->band_low = s->estimate - crit * s->boot_se;
    s->band_high = s->estimate + crit * s->boot_se;
}

static void fill_family(const cs_work *w, we_cs_aggregation *a, size_t first,
                        size_t overall, double alpha, double df)
{
    for (size_t e = 0; e < a->n; e++)
        fill_stat(w, first + e, a->crit, alpha, df, &a->elem[e].s);
    fill_stat(w, overall, NAN, alpha, df, &a->overall);
}

static void fill_all(const cs_work *w, const cs_layout *lay,
                     we_cs_result *out)
{
    double a = out->alpha, df = out->df;
    for (size_t k = 0; k < lay->n_cells; k++)
        fill_stat(w, k, out->cell_crit, a, df, &out->cell[k].s);
    fill_stat(w, lay->simple, NAN, a, df, &out->simple);
    fill_family(w, &out->dynamic, lay->dyn0, lay->dyn_all, a, df);
    fill_family(w, &out->group, lay->grp0, lay->grp_all, a, df);
    fill_family(w, &out->calendar, lay->cal0, lay->cal_all, a, df);
}

static int bootstrap(cs_work *w, const cs_layout *lay, const double *s,
                     const we_cs_options *o, we_cs_result *out)
{
    boot bt = {0};
    int rc = boot_run(w, s, o, &bt);
    if (rc == WE_OK) {
        double a = out->alpha;
        boot_se(w, &bt);
        out->cell_crit = band_crit(w, &bt, 0, lay->n_cells, a);
        out->dynamic.crit = band_crit(w, &bt, lay->dyn0, lay->n_dyn, a);
        out->group.crit = band_crit(w, &bt, lay->grp0, lay->n_grp, a);
        out->calendar.crit = band_crit(w, &bt, lay->cal0, lay->n_cal, a);
        out->boot_reps = o->boot_reps;
    }
    free(bt.draw);
    free(bt.tmp);
    return rc;
}

int we_cs_inference(cs_work *w, const cs_layout *lay,
                    const we_cs_options *o, we_cs_result *out,
                    we_error *err)
{
    double *s = cluster_sums(w);
    if (s == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    analytic_se(w, s);
    out->n_clusters = w->G;
    out->df = o->reference == WE_CS_REF_T ? (double)w->G - 1.0 : NAN;
    out->cell_crit = out->dynamic.crit = NAN;
    out->group.crit = out->calendar.crit = NAN;
    int rc = o->boot_reps > 0 ? bootstrap(w, lay, s, o, out) : WE_OK;
    free(s);
    if (rc != WE_OK)
        return we_fail(err, WE_ENOMEM, "out of memory"), rc;
    fill_all(w, lay, out);
    return WE_OK;
}
