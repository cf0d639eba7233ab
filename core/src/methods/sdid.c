/* Synthetic difference-in-differences on the design: builds the balanced
 * block of complete controls and treated areas, fits the weights with
 * synthdid's defaults, and adds the standard error. */
#include "methods/synth.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/sdid_internal.h"
#include "methods/synth_internal.h"

typedef struct sdid_ctx {
    const double *y;
    const we_design *d;
    size_t *treated, n_treated, g;
    size_t *post, n_post;
    size_t *unit;   /* block row -> area */
    size_t *period; /* block column -> period */
    we_sdid_block B;
} sdid_ctx;

static void ctx_free(sdid_ctx *c)
{
    free(c->treated);
    free(c->post);
    free(c->unit);
    free(c->period);
    free(c->B.Y);
}

void we_sdid_result_free(we_sdid_result *r)
{
    if (r == NULL)
        return;
    free(r->omega);
    free(r->lambda);
    free(r->curve);
    free(r->dropped);
    memset(r, 0, sizeof *r);
}

static int complete_row(const sdid_ctx *c, size_t i, size_t T)
{
    for (size_t k = 0; k < T; k++)
        if (!isfinite(c->y[i * c->d->n_periods + c->period[k]]))
            return 0;
    return 1;
}

/* Rows: complete controls in area order, then complete treated areas. */
static void select_units(sdid_ctx *c, unsigned char *dropped)
{
    const we_design *d = c->d;
    size_t T = c->B.T0 + c->B.T1, n = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < d->n_areas; i++) {
            int treated = d->treated_from[i] >= 0;
            if (!d->in_sample[i] || treated != pass)
                continue;
            if (!complete_row(c, i, T)) {
                dropped[i] = 1;
                continue;
            }
            c->unit[n++] = i;
        }
        if (pass == 0)
            c->B.N0 = n;
    }
    c->B.N1 = n - c->B.N0;
}

static int build_block(sdid_ctx *c, we_sdid_result *out, we_error *err)
{
    const we_design *d = c->d;
    size_t A = d->n_areas;
    c->treated = malloc(A * sizeof *c->treated);
    c->post = malloc(d->n_followup * sizeof *c->post);
    c->unit = malloc(A * sizeof *c->unit);
    c->period = malloc(d->n_periods * sizeof *c->period);
    if (!c->treated || !c->post || !c->unit || !c->period)
        return we_fail(err, WE_ENOMEM, "out of memory");
    int rc = we_synth_layout(d, c->treated, &c->n_treated, &c->g, c->post,
                             &c->n_post, err);
    if (rc != WE_OK)
        return rc;
    c->B.T0 = c->g;
    c->B.T1 = c->n_post;
    for (size_t t = 0; t < c->g; t++)
        c->period[t] = t;
    memcpy(c->period + c->g, c->post, c->n_post * sizeof *c->post);
    select_units(c, out->dropped);
    we_synth_note_areas(out->note, sizeof out->note,
                        "Areas dropped for missing values in the pre or "
                        "post periods", out->dropped, A);
    if (c->B.N0 < 2 || c->B.N1 < 1 || c->B.T0 < 2)
        return we_fail(err, WE_ENODATA,
                       "SDID needs at least 2 complete control "
                       "areas, 1 complete treated area and 2 pre "
                       "periods; have %zu, %zu and %zu",
                       c->B.N0, c->B.N1, c->B.T0);
    size_t T = c->B.T0 + c->B.T1, N = c->B.N0 + c->B.N1;
    c->B.Y = malloc(N * T * sizeof *c->B.Y);
    if (c->B.Y == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t r = 0; r < N; r++)
        for (size_t k = 0; k < T; k++)
            c->B.Y[r * T + k] = c->y[c->unit[r] * d->n_periods + c->period[k]];
    return WE_OK;
}

/* sd of the controls' first differences over the pre periods. */
static double noise_level(const we_sdid_block *B)
{
    size_t T = B->T0 + B->T1, n = B->N0 * (B->T0 - 1);
    double mean = 0, ss = 0;
    for (size_t i = 0; i < B->N0; i++)
        for (size_t t = 0; t + 1 < B->T0; t++)
            mean += B->Y[i * T + t + 1] - B->Y[i * T + t];
    mean /= (double)n;
    for (size_t i = 0; i < B->N0; i++)
        for (size_t t = 0; t + 1 < B->T0; t++) {
            double e = B->Y[i * T + t + 1] - B->Y[i * T + t] - mean;
            ss += e * e;
        }
    return sqrt(ss / (double)(n - 1));
}

/* synthdid_estimate's defaults. */
static we_sdid_tuning default_tuning(const we_sdid_block *B, double sigma)
{
    double eta_omega = pow((double)(B->N1 * B->T1), 0.25);
    return (we_sdid_tuning){.zeta_omega = eta_omega * sigma,
                            .zeta_lambda = 1e-6 * sigma,
                            .min_decrease = 1e-5 * sigma,
                            .max_iter = 10000,
                            .max_iter_pre_sparsify = 100};
}

static int result_alloc(we_sdid_result *out, const we_design *d,
                        we_error *err)
{
    out->omega = calloc(d->n_areas, sizeof *out->omega);
    out->lambda = calloc(d->n_periods, sizeof *out->lambda);
    out->curve = malloc(d->n_periods * sizeof *out->curve);
    out->dropped = calloc(d->n_areas, 1);
    if (!out->omega || !out->lambda || !out->curve || !out->dropped)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t t = 0; t < d->n_periods; t++)
        out->curve[t] = NAN;
    out->estimate = out->se = out->ci_low = out->ci_high = NAN;
    out->p_value = out->noise_level = NAN;
    out->perm_p = out->perm_ci_low = out->perm_ci_high = NAN;
    out->perm_min_p = NAN;
    out->zeta_omega = out->zeta_lambda = NAN;
    return WE_OK;
}

/* The effect per post period: the omega-weighted treated-minus-control
 * difference in that period minus its lambda-weighted pre average. */
static void effect_curve(const sdid_ctx *c, const double *omega,
                         const double *lambda, double *curve)
{
    const we_sdid_block *B = &c->B;
    size_t T = B->T0 + B->T1, N = B->N0 + B->N1;
    double base = 0;
    for (size_t t = 0; t < T; t++) {
        double s = 0;
        for (size_t i = 0; i < N; i++)
            s += B->Y[i * T + t] *
                 (i < B->N0 ? -omega[i] : 1.0 / (double)B->N1);
        if (t < B->T0)
            base += lambda[t] * s;
        else
            curve[c->period[t]] = s;
    }
    for (size_t k = 0; k < B->T1; k++)
        curve[c->period[B->T0 + k]] -= base;
}

static void set_inference(we_sdid_result *out, double alpha)
{
    double se = out->se;
    if (!(se > 0.0) || !isfinite(se) || !(alpha > 0.0 && alpha < 1.0)) {
        if (se == 0.0)
            out->ci_low = out->ci_high = out->estimate;
        return;
    }
    double z = gsl_cdf_ugaussian_Pinv(1.0 - alpha / 2.0);
    out->ci_low = out->estimate - z * se;
    out->ci_high = out->estimate + z * se;
    out->p_value = 2.0 * gsl_cdf_ugaussian_Q(fabs(out->estimate / se));
}

static we_sdid_variance resolve(const we_sdid_options *o,
                                const we_sdid_block *B)
{
    if (o->variance != WE_SDID_VAR_AUTO)
        return o->variance;
    return B->N1 == 1 ? WE_SDID_VAR_PLACEBO : WE_SDID_VAR_JACKKNIFE;
}

/* mt19937 takes 32 bits: the two halves of the seed are folded, as in
 * we_twfe_wild. */
static unsigned long fold_seed(uint64_t seed)
{
    return (unsigned long)((seed ^ (seed >> 32)) & 0xffffffffu);
}

static int fit_and_report(sdid_ctx *c, const we_sdid_options *o,
                          we_sdid_result *out, we_error *err)
{
    const we_sdid_block *B = &c->B;
    double *omega = malloc(B->N0 * sizeof *omega);
    double *lambda = malloc(B->T0 * sizeof *lambda);
    if (omega == NULL || lambda == NULL) {
        free(omega);
        free(lambda);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    out->noise_level = noise_level(B);
    we_sdid_tuning tu = default_tuning(B, out->noise_level);
    out->zeta_omega = tu.zeta_omega;
    out->zeta_lambda = tu.zeta_lambda;
    int rc = we_sdid_weights(B, &tu, NULL, NULL, omega, lambda,
                             &out->iter_omega, &out->iter_lambda, err);
    if (rc == WE_OK) {
        out->estimate = we_sdid_tau(B, omega, lambda);
        for (size_t i = 0; i < B->N0; i++)
            out->omega[c->unit[i]] = omega[i];
        for (size_t t = 0; t < B->T0; t++)
            out->lambda[c->period[t]] = lambda[t];
        effect_curve(c, omega, lambda, out->curve);
        out->variance = resolve(o, B);
    }
    if (rc == WE_OK && out->variance != WE_SDID_VAR_NONE)
        rc = we_sdid_se(B, &tu, omega, lambda, (int)out->variance, o->reps,
                        fold_seed(o->seed), &out->se, &out->reps, out->note,
                        sizeof out->note, err);
    int *cl = NULL;
    size_t N = B->N0 + B->N1;
    if (rc == WE_OK && o->permutation && c->d->cluster != NULL) {
        cl = malloc(N * sizeof *cl); /* each block row's cluster */
        if (cl == NULL)
            rc = we_fail(err, WE_ENOMEM, "out of memory");
        for (size_t r = 0; cl != NULL && r < N; r++)
            cl[r] = c->d->cluster[c->unit[r]];
    }
    if (rc == WE_OK && o->permutation) {
        we_sdid_perm pm;
        rc = we_sdid_permutation(B, &tu, omega, lambda, cl, out->estimate,
                                 o->reps, fold_seed(o->seed) ^ 0x5eedu,
                                 c->d->alpha, &pm, err);
        out->perm_p = pm.p_value;
        out->perm_ci_low = pm.ci_low;
        out->perm_ci_high = pm.ci_high;
        out->perm_min_p = pm.min_p;
        out->perm_n = pm.n;
        out->perm_exact = pm.exact;
    }
    free(cl);
    free(omega);
    free(lambda);
    return rc;
}

int we_sdid(const double *y, const we_design *d, const we_sdid_options *o,
            we_sdid_result *out, we_error *err)
{
    static const we_sdid_options defaults = {WE_SDID_VAR_AUTO, 200, 0, 0};
    memset(out, 0, sizeof *out);
    if (o == NULL)
        o = &defaults;
    if ((unsigned)o->variance > WE_SDID_VAR_NONE)
        return we_fail(err, WE_EINVAL, "SDID: unknown variance method %d",
                       (int)o->variance);
    if (d->n_areas == 0 || d->n_periods == 0 || d->n_followup == 0)
        return we_fail(err, WE_EINVAL,
                       "SDID: the panel is empty or has no "
                       "follow-up period");
    sdid_ctx c = {.y = y, .d = d};
    int rc = result_alloc(out, d, err);
    if (rc == WE_OK)
        rc = build_block(&c, out, err);
    if (rc == WE_OK)
        rc = fit_and_report(&c, o, out, err);
    if (rc == WE_OK) {
        out->n_treated = c.B.N1;
        out->n_control = c.B.N0;
        out->n_pre = c.B.T0;
        out->n_post = c.B.T1;
        set_inference(out, d->alpha);
    }
    ctx_free(&c);
    return rc;
}
