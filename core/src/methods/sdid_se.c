/* Standard errors of the SDID estimate (Arkhangelsky et al. 2021,
 * Algorithms 2-4, as synthdid's vcov): placebo treatments among the
 * controls, the fixed-weight jackknife and the unit bootstrap. The draws
 * come from GSL's mt19937 so that a seed gives the same numbers
 * everywhere; the conventions are in docs/methods.md. */
#include "methods/sdid_internal.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "methods/synth.h"
#include "methods/synth_internal.h"
#include "util/reference.h"

/* A resampled block with its initial weights. */
typedef struct resample {
    we_sdid_block B;
    double *omega_init, *omega, *lambda;
    size_t *rows;
} resample;

static void resample_free(resample *r)
{
    free(r->B.Y);
    free(r->omega_init);
    free(r->omega);
    free(r->lambda);
    free(r->rows);
}

static int resample_alloc(resample *r, const we_sdid_block *B)
{
    size_t N = B->N0 + B->N1, T = B->T0 + B->T1;
    memset(r, 0, sizeof *r);
    r->B.Y = malloc(N * T * sizeof *r->B.Y);
    r->omega_init = malloc(N * sizeof *r->omega_init);
    r->omega = malloc(N * sizeof *r->omega);
    r->lambda = malloc(B->T0 * sizeof *r->lambda);
    r->rows = malloc(N * sizeof *r->rows);
    return r->B.Y && r->omega_init && r->omega && r->lambda && r->rows
               ? 0
               : -1;
}

/* Copies rows[0..n0+n1-1] of B (controls first) into r->B and sets the
 * initial omega to the original weights of the kept controls, normalised
 * (uniform when they sum to zero: synthdid's sum_normalize). */
static void take_rows(const we_sdid_block *B, const double *omega,
                      resample *r, size_t n0, size_t n1)
{
    size_t T = B->T0 + B->T1;
    r->B.N0 = n0;
    r->B.N1 = n1;
    r->B.T0 = B->T0;
    r->B.T1 = B->T1;
    double s = 0;
    for (size_t k = 0; k < n0 + n1; k++)
        memcpy(r->B.Y + k * T, B->Y + r->rows[k] * T, T * sizeof *B->Y);
    for (size_t k = 0; k < n0; k++)
        s += omega[r->rows[k]];
    for (size_t k = 0; k < n0; k++)
        r->omega_init[k] = s != 0.0 ? omega[r->rows[k]] / s
                                    : 1.0 / (double)n0;
}

/* sqrt((B - 1) / B) sd(x) = sqrt(sum (x - mean)^2 / B). */
static double replicate_se(const double *x, size_t n)
{
    double mean = 0, ss = 0;
    for (size_t b = 0; b < n; b++)
        mean += x[b];
    mean /= (double)n;
    for (size_t b = 0; b < n; b++)
        ss += (x[b] - mean) * (x[b] - mean);
    return sqrt(ss / (double)n);
}

/* Re-estimates the weights on the resampled block from the original
 * lambda and the renormalised omega, and returns its tau. */
static int refit_tau(resample *r, const we_sdid_tuning *tu,
                     const double *lambda, double *tau, we_error *err)
{
    int rc = we_sdid_weights(&r->B, tu, r->omega_init, lambda, r->omega,
                             r->lambda, NULL, NULL, err);
    if (rc == WE_OK)
        *tau = we_sdid_tau(&r->B, r->omega, r->lambda);
    return rc;
}

/* Algorithm 4: each draw permutes the controls (gsl_ran_shuffle of
 * 0..N0-1); the last N1 of the permutation play the treated. */
static int placebo_draws(const we_sdid_block *B, const we_sdid_tuning *tu,
                         const double *omega, const double *lambda,
                         gsl_rng *rng, size_t reps, double *taus,
                         we_error *err)
{
    resample r;
    if (resample_alloc(&r, B) != 0) {
        resample_free(&r);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    int rc = WE_OK;
    for (size_t b = 0; rc == WE_OK && b < reps; b++) {
        for (size_t i = 0; i < B->N0; i++)
            r.rows[i] = i;
        gsl_ran_shuffle(rng, r.rows, B->N0, sizeof *r.rows);
        take_rows(B, omega, &r, B->N0 - B->N1, B->N1);
        rc = refit_tau(&r, tu, lambda, &taus[b], err);
    }
    resample_free(&r);
    return rc;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Algorithm 2: N units drawn with replacement (gsl_rng_uniform_int), in
 * ascending order; draws without a control or without a treated unit
 * are discarded and drawn again. */
static int bootstrap_draws(const we_sdid_block *B, const we_sdid_tuning *tu,
                           const double *omega, const double *lambda,
                           gsl_rng *rng, size_t reps, double *taus,
                           we_error *err)
{
    size_t N = B->N0 + B->N1;
    resample r;
    if (resample_alloc(&r, B) != 0) {
        resample_free(&r);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    int rc = WE_OK;
    for (size_t b = 0; rc == WE_OK && b < reps;) {
        size_t n0 = 0;
        for (size_t k = 0; k < N; k++) {
            r.rows[k] = gsl_rng_uniform_int(rng, N);
            n0 += r.rows[k] < B->N0;
        }
        if (n0 == 0 || n0 == N)
            continue;
        qsort(r.rows, N, sizeof *r.rows, cmp_size);
        take_rows(B, omega, &r, n0, N - n0);
        rc = refit_tau(&r, tu, lambda, &taus[b++], err);
    }
    resample_free(&r);
    return rc;
}

/* Each unit's contrast r_i = mean of its post periods - lambda'(its pre
 * periods): tau = mean of r over the treated - sum omega_i r_i / sum
 * omega over the controls (the weights as take_rows normalises them). */
static void contrasts(const we_sdid_block *B, const double *lambda,
                      double *r)
{
    size_t T = B->T0 + B->T1, N = B->N0 + B->N1;
    for (size_t i = 0; i < N; i++) {
        const double *row = B->Y + i * T;
        double x = 0;
        for (size_t t = 0; t < T; t++)
            x += row[t] * (t < B->T0 ? -lambda[t] : 1.0 / (double)B->T1);
        r[i] = x;
    }
}

/* The leave-one-out estimates from the contrasts: O(N T) for all of them
 * instead of O(N^2 T). Control j out: its weight leaves the sums (or, when
 * no positive weight is left, the others weigh alike, as in take_rows);
 * treated j out: it leaves the treated mean. */
static void jackknife_contrasts(const we_sdid_block *B, const double *omega,
                                const double *r, double *u)
{
    size_t N0 = B->N0, N1 = B->N1;
    double sw = 0, swr = 0, sr0 = 0, sr1 = 0;
    for (size_t i = 0; i < N0; i++) {
        sw += omega[i];
        swr += omega[i] * r[i];
        sr0 += r[i];
    }
    for (size_t i = N0; i < N0 + N1; i++)
        sr1 += r[i];
    for (size_t j = 0; j < N0; j++) {
        double w = sw - omega[j];
        double ctrl = w != 0.0 ? (swr - omega[j] * r[j]) / w
                               : (sr0 - r[j]) / (double)(N0 - 1);
        u[j] = sr1 / (double)N1 - ctrl;
    }
    double ctrl = sw != 0.0 ? swr / sw : sr0 / (double)N0;
    for (size_t j = N0; j < N0 + N1; j++)
        u[j] = (sr1 - r[j]) / (double)(N1 - 1) - ctrl;
}

/* Algorithm 3: leave one unit out, omega renormalised, lambda fixed. */
static int jackknife(const we_sdid_block *B, const double *omega,
                     const double *lambda, double *se, we_error *err)
{
    size_t N = B->N0 + B->N1;
    double *u = calloc(N, sizeof *u), *r = calloc(N, sizeof *r);
    resample res;
    int have_res = 0;
    if (u != NULL && r != NULL && we_reference_paths())
        have_res = resample_alloc(&res, B) == 0 ? 1 : -1;
    if (u == NULL || r == NULL || have_res < 0) {
        if (have_res < 0)
            resample_free(&res);
        free(u);
        free(r);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    if (!have_res) {
        contrasts(B, lambda, r);
        jackknife_contrasts(B, omega, r, u);
    }
    /* The reference: every unit left out of a copy of the block. */
    for (size_t out = 0; have_res && out < N; out++) {
        size_t k = 0;
        for (size_t i = 0; i < N; i++)
            if (i != out)
                res.rows[k++] = i;
        size_t n0 = out < B->N0 ? B->N0 - 1 : B->N0;
        take_rows(B, omega, &res, n0, N - 1 - n0);
        u[out] = we_sdid_tau(&res.B, res.omega_init, lambda);
    }
    /* sqrt((n - 1) / n * sum (u - mean)^2) */
    double s = replicate_se(u, N);
    *se = s * sqrt((double)(N - 1));
    if (have_res)
        resample_free(&res);
    free(u);
    free(r);
    return WE_OK;
}

static size_t nonzero(const double *x, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += x[i] != 0.0;
    return k;
}

/* NaN with a sentence when the method does not apply to the block. */
static int undefined(const we_sdid_block *B, const double *omega, int method,
                     char *note, size_t cap)
{
    const char *why = NULL;
    if (method == WE_SDID_VAR_PLACEBO && B->N0 <= B->N1)
        why = "the placebo variance needs more controls than treated areas";
    else if (method != WE_SDID_VAR_PLACEBO && B->N1 < 2)
        why = "the jackknife and bootstrap variances need at least two "
              "treated areas; use the placebo variance";
    else if (method == WE_SDID_VAR_JACKKNIFE && nonzero(omega, B->N0) < 2)
        why = "the jackknife variance is undefined with a single control "
              "of positive weight";
    if (why != NULL)
        we_synth_note(note, cap, "%sStandard error not computed: %s.",
                      note[0] ? " " : "", why);
    return why != NULL;
}

static int draws(const we_sdid_block *B, const we_sdid_tuning *tu,
                 const double *omega, const double *lambda, int method,
                 size_t reps, unsigned long seed, double *se, we_error *err)
{
    double *taus = malloc(reps * sizeof *taus);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    int rc = WE_OK;
    if (taus == NULL || rng == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    if (rc == WE_OK) {
        gsl_rng_set(rng, seed);
        rc = method == WE_SDID_VAR_PLACEBO
                 ? placebo_draws(B, tu, omega, lambda, rng, reps, taus, err)
                 : bootstrap_draws(B, tu, omega, lambda, rng, reps, taus,
                                   err);
    }
    if (rc == WE_OK)
        *se = replicate_se(taus, reps);
    free(taus);
    if (rng != NULL)
        gsl_rng_free(rng);
    return rc;
}

/* ---- the placebo permutation test ---------------------------------------
 * Every placebo assignment puts N1 of the N0 controls in the treated
 * rows, refits the weights on the controls alone and records its tau.
 * Under H0: tau = 0 and exchangeable units the actual tau is one draw of
 * that distribution, so p = (1 + #{|tau_b| >= |tau|}) / (1 + J). Only
 * the treated post values depend on tau0 in H0: tau = tau0 (lambda uses
 * the controls, omega the treated pre-period mean), and subtracting tau0
 * from them moves the estimate to tau - tau0 and leaves every placebo
 * estimate as it is: the test inverts in closed form. */

/* tau of each placebo assignment of the walk w (control rows of B as
 * pseudo-treated; the other controls keep their order). */
static int walk_placebos(const we_sdid_block *B, const we_sdid_tuning *tu,
                         const double *omega, const double *lambda,
                         we_placebo_walk *w, double *taus, we_error *err)
{
    size_t N0 = B->N0, N1 = B->N1;
    resample r;
    size_t *c = malloc(N1 * sizeof *c);
    unsigned char *in = malloc(N0);
    if (c == NULL || in == NULL || resample_alloc(&r, B) != 0) {
        if (c != NULL && in != NULL)
            resample_free(&r);
        free(c);
        free(in);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    int rc = WE_OK;
    for (size_t b = 0; rc == WE_OK && b < w->J; b++) {
        if (we_placebo_walk_next(w, c) != 0) {
            rc = we_fail(err, WE_ENODATA,
                         "SDID permutation: the placebo draws ran out of "
                         "control areas");
            break;
        }
        memset(in, 0, N0);
        for (size_t k = 0; k < N1; k++)
            in[c[k]] = 1;
        size_t m = 0;
        for (size_t i = 0; i < N0; i++)
            if (!in[i])
                r.rows[m++] = i;
        for (size_t k = 0; k < N1; k++)
            r.rows[m++] = c[k];
        take_rows(B, omega, &r, N0 - N1, N1);
        rc = refit_tau(&r, tu, lambda, &taus[b], err);
    }
    resample_free(&r);
    free(c);
    free(in);
    return rc;
}

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

int we_sdid_permutation(const we_sdid_block *B, const we_sdid_tuning *tu,
                        const double *omega, const double *lambda,
                        const int *cluster, double tau, size_t reps,
                        unsigned long seed, double alpha, we_sdid_perm *out,
                        we_error *err)
{
    out->p_value = out->ci_low = out->ci_high = NAN;
    out->n = 0;
    out->exact = 0;
    out->min_p = NAN;
    if (B->N0 <= B->N1 || reps == 0 || !isfinite(tau))
        return WE_OK;
    we_placebo_pool pool;
    we_placebo_walk w = {0};
    int rc = we_placebo_pool_make(cluster, B->N0,
                                  cluster != NULL ? cluster + B->N0 : NULL,
                                  B->N1, &pool, err);
    if (rc == WE_OK)
        rc = we_placebo_walk_init(&w, &pool, reps, seed, err);
    size_t J = w.J;
    int exact = w.exact;
    double *taus = rc == WE_OK ? malloc((J ? J : 1) * sizeof *taus) : NULL;
    if (rc == WE_OK && taus == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    if (rc == WE_OK)
        rc = walk_placebos(B, tu, omega, lambda, &w, taus, err);
    we_placebo_walk_free(&w);
    we_placebo_pool_free(&pool);
    if (rc != WE_OK || J == 0) {
        free(taus);
        return rc;
    }
    size_t ge = 0;
    for (size_t b = 0; b < J; b++) {
        taus[b] = fabs(taus[b]);
        ge += taus[b] >= fabs(tau);
    }
    out->n = J;
    out->exact = exact;
    out->p_value = (1.0 + (double)ge) / (1.0 + (double)J);
    out->min_p = 1.0 / (1.0 + (double)J);
    /* tau0 is rejected when (1 + #{|tau_b| >= |tau - tau0|}) / (1 + J)
     * <= alpha. With k the smallest count for which (1 + k) / (1 + J) >
     * alpha, it is kept iff at least k placebos reach |tau - tau0|, i.e.
     * iff |tau - tau0| <= the k-th largest |tau_b|. k = 0 (1 / (1 + J) >
     * alpha): no tau0 is ever rejected, the interval is the whole line. */
    size_t k = 0;
    while (k < J && !((1.0 + (double)k) / (1.0 + (double)J) > alpha))
        k++;
    if (k == 0) {
        out->ci_low = -INFINITY;
        out->ci_high = INFINITY;
    } else {
        qsort(taus, J, sizeof *taus, cmp_desc);
        out->ci_low = tau - taus[k - 1];
        out->ci_high = tau + taus[k - 1];
    }
    free(taus);
    return WE_OK;
}

int we_sdid_se(const we_sdid_block *B, const we_sdid_tuning *tu,
               const double *omega, const double *lambda, int method,
               size_t reps, unsigned long seed, double *se, size_t *reps_used,
               char *note, size_t note_cap, we_error *err)
{
    *se = NAN;
    *reps_used = 0;
    if (undefined(B, omega, method, note, note_cap))
        return WE_OK;
    if (method == WE_SDID_VAR_JACKKNIFE)
        return jackknife(B, omega, lambda, se, err);
    if (reps < 2)
        return we_fail(err, WE_EINVAL,
                       "SDID: %zu replications; the placebo and "
                       "bootstrap variances need at least 2 (synthdid "
                       "uses 200)",
                       reps);
    *reps_used = reps;
    return draws(B, tu, omega, lambda, method, reps, seed, se, err);
}
