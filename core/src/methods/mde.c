/* Minimum detectable effect of the TWFE difference-in-differences for
 * this design, from pre-period variance components, with an optional
 * simulation of the power at the MDE. Formula, derivation and
 * assumptions: docs/methods.md, "Minimum detectable effect". */
#include "methods/inference.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/cs.h"
#include "methods/mde_internal.h"
#include "methods/sample.h"
#include "methods/synth.h"

/* The TWFE sample (sample.h) and what the formula needs of it. */
typedef struct mde_sample {
    we_sample ts;         /* the cells of the TWFE regression */
    size_t L;             /* latest follow-up */
    int *cl;              /* cluster by ascending id, -1 outside ts */
    size_t G, n_t, n_c;
    double sum_w2;        /* sum_g (n_Tg / n_T - n_Cg / n_C)^2 */
    size_t *pre, m;       /* periods <= baseline with data */
    size_t *post, r;      /* periods in (baseline, L] with data */
} mde_sample;

static void sample_free(mde_sample *s)
{
    we_sample_free(&s->ts);
    free(s->cl);
    free(s->pre);
    free(s->post);
}

static int check_args(const we_design *d, double power, we_error *err)
{
    if (!(power > 0.0 && power < 1.0))
        return we_fail(err, WE_EINVAL,
                       "MDE: power must lie in (0, 1), got %g; "
                       "0.8 is usual",
                       power);
    int rc = we_design_check(d, err);
    if (rc != WE_OK)
        return rc;
    size_t L = d->followup[d->n_followup - 1];
    if (L >= d->n_periods || d->baseline >= L)
        return we_fail(err, WE_EINVAL,
                       "MDE: the baseline (%zu) must precede the "
                       "latest follow-up (%zu) inside the panel "
                       "(%zu periods)",
                       d->baseline, L, d->n_periods);
    return WE_OK;
}

/* The periods of the sample before and after the baseline. */
static void split_periods(const we_design *d, mde_sample *s)
{
    s->m = s->r = 0;
    for (size_t t = 0; t <= s->L; t++) {
        if (s->ts.period_col[t] == WE_SAMPLE_ABSENT)
            continue;
        if (t <= d->baseline)
            s->pre[s->m++] = t;
        else
            s->post[s->r++] = t;
    }
}

/* Group sizes and the cluster weights of the DiD contrast. */
static int count_groups(const we_design *d, mde_sample *s, we_error *err)
{
    s->n_t = s->ts.n_treated;
    s->n_c = s->ts.n_control;
    double *w = calloc(s->G ? s->G : 1, sizeof *w);
    if (w == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t i = 0; i < d->n_areas; i++) {
        if (!s->ts.used[i])
            continue;
        w[s->cl[i]] += d->treated_from[i] >= 0 ? 1.0 / (double)s->n_t
                                               : -1.0 / (double)s->n_c;
    }
    s->sum_w2 = 0;
    for (size_t g = 0; g < s->G; g++)
        s->sum_w2 += w[g] * w[g];
    free(w);
    return WE_OK;
}

static int check_sample(const mde_sample *s, we_error *err)
{
    if (s->n_t == 0 || s->n_c == 0)
        return we_fail(err, WE_ENODATA,
                       "MDE: %zu treated and %zu comparison areas "
                       "with data; need both",
                       s->n_t, s->n_c);
    if (s->G < 2)
        return we_fail(err, WE_ENODATA,
                       "MDE: %zu cluster(s) in the sample; the t "
                       "reference needs at least 2",
                       s->G);
    if (s->r == 0)
        return we_fail(err, WE_ENODATA,
                       "MDE: no period after the baseline has "
                       "data");
    return WE_OK;
}

static int build_sample(const double *y, const we_design *d, mde_sample *s,
                        we_error *err)
{
    size_t A = d->n_areas;
    memset(s, 0, sizeof *s);
    s->L = d->followup[d->n_followup - 1];
    s->cl = malloc((A ? A : 1) * sizeof *s->cl);
    s->pre = malloc((s->L + 1) * sizeof *s->pre);
    s->post = malloc((s->L + 1) * sizeof *s->post);
    if (s->cl == NULL || s->pre == NULL || s->post == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    int rc = we_sample_build(y, d, &s->ts, err);
    if (rc != WE_OK)
        return rc;
    split_periods(d, s);
    rc = we_sample_clusters(d, s->ts.used, WE_CLUSTERS_BY_ID, s->cl, &s->G,
                            err);
    if (rc == WE_OK)
        rc = count_groups(d, s, err);
    return rc == WE_OK ? check_sample(s, err) : rc;
}

/* sum over t in a, s in b of rho^|t - s|. */
static double corr_sum(const size_t *a, size_t na, const size_t *b,
                       size_t nb, double rho)
{
    double sum = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            sum += pow(rho, fabs((double)a[i] - (double)b[j]));
    return sum;
}

/* Var(b) = s2u S (1/n_T + 1/n_C) + s2c (1/m + 1/r) sum_g W_g^2 with
 * S = Var(post mean - pre mean of one area's AR(1) error) / s2u. */
static double did_variance(const mde_sample *s, const we_mde_components *c)
{
    double m = (double)s->m, r = (double)s->r;
    double serial = corr_sum(s->pre, s->m, s->pre, s->m, c->rho) / (m * m) +
                    corr_sum(s->post, s->r, s->post, s->r, c->rho) /
                        (r * r) -
                    2.0 * corr_sum(s->pre, s->m, s->post, s->r, c->rho) /
                        (m * r);
    double groups = 1.0 / (double)s->n_t + 1.0 / (double)s->n_c;
    return c->s2u * serial * groups + c->s2c * (1.0 / m + 1.0 / r) *
                                          s->sum_w2;
}

/* ---- simulation check ------------------------------------------------- */

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* mt19937 takes 32 seed bits; mixing first makes all 64 count. */
static gsl_rng *seeded_rng(uint64_t seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (r != NULL)
        gsl_rng_set(r, (unsigned long)(splitmix64(&seed) & 0xffffffffu));
    return r;
}

/* One panel from the model plus `effect` D_it, on the cells of the real
 * panel that have data (so that gaps in the data are reproduced); the
 * area and period effects are left out because the TWFE removes them
 * exactly. */
static void draw_panel(const double *y, const we_design *d,
                       const mde_sample *s, const we_mde_components *c,
                       double effect, gsl_rng *rng, double *shock,
                       double *ys)
{
    size_t T = d->n_periods, P = s->L + 1;
    double su = sqrt(c->s2u), sc = sqrt(c->s2c);
    double innov = su * sqrt(1.0 - c->rho * c->rho);
    for (size_t k = 0; k < s->G * P; k++)
        shock[k] = gsl_ran_gaussian(rng, sc);
    for (size_t i = 0; i < d->n_areas; i++) {
        for (size_t t = 0; t < T; t++)
            ys[i * T + t] = NAN;
        if (!s->ts.used[i])
            continue;
        double u = gsl_ran_gaussian(rng, su); /* stationary start */
        for (size_t t = 0; t < P; t++) {
            if (t > 0)
                u = c->rho * u + gsl_ran_gaussian(rng, innov);
            int D = d->treated_from[i] >= 0 && (long)t >= d->treated_from[i];
            if (isfinite(y[i * T + t]))
                ys[i * T + t] = shock[(size_t)s->cl[i] * P + t] + u +
                                effect * (double)D;
        }
    }
}

static int simulate_power(const double *y, const we_design *d,
                          const mde_sample *s, const we_mde_components *c,
                          double effect, size_t reps, uint64_t seed,
                          double *power, we_error *err)
{
    gsl_rng *rng = seeded_rng(seed);
    double *shock = malloc(s->G * (s->L + 1) * sizeof *shock);
    double *ys = malloc(d->n_areas * d->n_periods * sizeof *ys);
    int rc = WE_OK;
    size_t rejected = 0;
    if (rng == NULL || shock == NULL || ys == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    size_t k = 0;
    for (; rc == WE_OK && k < reps; k++) {
        we_estimate est = {.struct_size = sizeof est};
        draw_panel(y, d, s, c, effect, rng, shock, ys);
        rc = we_twfe(ys, d, &est, err);
        rejected += rc == WE_OK && est.p_value < d->alpha;
    }
    *power = rc == WE_OK ? (double)rejected / (double)reps : NAN;
    if (rc != WE_OK && err != NULL && k > 0) {
        char why[WE_ERROR_MAX];
        memcpy(why, err->msg, sizeof why);
        we_fail(err, WE_EINVAL, "MDE simulation, replication %zu: %s", k, why);
    }
    if (rng != NULL)
        gsl_rng_free(rng);
    free(shock);
    free(ys);
    return rc;
}

/* ---- entry point ------------------------------------------------------ */

static void fill(we_mde *out, const we_mde_components *c, double power,
                 double alpha, size_t reps)
{
    out->power = power;
    out->alpha = alpha;
    out->sigma2 = c->s2u + c->s2c;
    out->icc = out->sigma2 > 0 ? c->s2c / out->sigma2 : NAN;
    out->rho = c->rho;
    out->sim_reps = reps;
}

/* The sample and the variance components every MDE starts from. */
static int fit_model(const double *y, const we_design *d, mde_sample *s,
                     we_mde_components *c, we_error *err)
{
    int rc = build_sample(y, d, s, err);
    return rc == WE_OK ? we_mde_components_estimate(y, d, s->ts.used, c, err)
                       : rc;
}

int we_mde_compute(const double *y, const we_design *d, double power,
                   size_t sim_reps, uint64_t seed, we_mde *out,
                   we_error *err)
{
    memset(out, 0, sizeof *out);
    out->mde = out->icc = out->sigma2 = out->rho = NAN;
    out->power = out->alpha = out->sim_power = out->sim_sd = NAN;
    out->method = WE_METHOD_TWFE;
    int rc = check_args(d, power, err);
    if (rc != WE_OK)
        return rc;
    mde_sample s;
    we_mde_components c;
    rc = fit_model(y, d, &s, &c, err);
    if (rc == WE_OK) {
        fill(out, &c, power, d->alpha, sim_reps);
        double df = (double)(s.G - 1);
        double q = gsl_cdf_tdist_Pinv(1.0 - d->alpha / 2.0, df) +
                   gsl_cdf_tdist_Pinv(power, df);
        out->mde = q * sqrt(did_variance(&s, &c));
    }
    if (rc == WE_OK && sim_reps > 0)
        rc = simulate_power(y, d, &s, &c, out->mde, sim_reps, seed,
                            &out->sim_power, err);
    sample_free(&s);
    return rc;
}

/* ---- the design estimators' MDE, by simulation ------------------------- */

/* The SC or SDID estimate of one simulated panel (point estimate only:
 * no bootstrap, no placebos), NaN when the estimator refuses the panel.
 * CS's is we_cs_plan_simple. */
static double design_estimate(we_method m, const double *ys,
                              const we_design *d)
{
    we_error e = {{0}};
    double v = NAN;
    if (m == WE_METHOD_SC) {
        we_sc_options o = {.x = NULL, .v_mode = WE_SC_V_INVVAR};
        we_sc_result r;
        if (we_synth(ys, d, &o, &r, &e) == WE_OK)
            v = r.average.estimate;
        we_sc_result_free(&r);
    } else {
        we_sdid_options o = {.variance = WE_SDID_VAR_NONE, .reps = 0};
        we_sdid_result r;
        if (we_sdid(ys, d, &o, &r, &e) == WE_OK)
            v = r.estimate;
        we_sdid_result_free(&r);
    }
    return v;
}

/* The spread of the design's estimator over `reps` null panels drawn from
 * the model of we_mde_compute. */
static int design_spread(const double *y, const we_design *d,
                         const mde_sample *s, const we_mde_components *c,
                         we_method m, size_t reps, uint64_t seed,
                         double *sd, size_t *used, we_error *err)
{
    gsl_rng *rng = seeded_rng(seed);
    double *shock = malloc(s->G * (s->L + 1) * sizeof *shock);
    double *ys = malloc(d->n_areas * d->n_periods * sizeof *ys);
    int rc = rng && shock && ys ? WE_OK
                                : we_fail(err, WE_ENOMEM, "out of memory");
    double sum = 0, sum2 = 0;
    size_t n = 0;
    /* CS is a fixed linear function of the panel once its finite cells
     * are fixed, and every simulated panel has the same ones: its cells
     * are found once (methods/cs.h, the same numbers bit for bit). */
    we_cs_plan *plan = NULL;
    int planned = 0;
    for (size_t k = 0; rc == WE_OK && k < reps; k++) {
        draw_panel(y, d, s, c, 0.0, rng, shock, ys);
        if (m == WE_METHOD_CS && !planned) {
            we_error perr = {{0}};
            planned = 1;
            if (we_cs_plan_build(ys, d, WE_CS_NEVER_TREATED, &plan, &perr) ==
                    WE_ENOMEM)
                rc = we_fail(err, WE_ENOMEM, "out of memory");
        }
        double v = m != WE_METHOD_CS ? design_estimate(m, ys, d)
                   : plan != NULL    ? we_cs_plan_simple(plan, ys)
                                     : NAN;
        if (isfinite(v)) {
            sum += v;
            sum2 += v * v;
            n++;
        }
    }
    *used = n;
    *sd = n > 1 ? sqrt(fmax(sum2 - sum * sum / (double)n, 0.0) /
                       (double)(n - 1))
                : NAN;
    if (rc == WE_OK && n < 2)
        rc = we_fail(err, WE_ENODATA,
                     "MDE: the %s estimator failed on %zu of %zu simulated "
                     "panels", we_method_name(m), reps - n, reps);
    we_cs_plan_free(plan);
    if (rng != NULL)
        gsl_rng_free(rng);
    free(shock);
    free(ys);
    return rc;
}

int we_mde_design(const double *y, const we_design *d, we_method m,
                  double power, size_t reps, double min_p, uint64_t seed,
                  we_mde *out, we_error *err)
{
    memset(out, 0, sizeof *out);
    out->mde = out->icc = out->sigma2 = out->rho = NAN;
    out->power = out->alpha = out->sim_power = out->sim_sd = NAN;
    out->method = m;
    if (m != WE_METHOD_CS && m != WE_METHOD_SC && m != WE_METHOD_SDID)
        return we_fail(err, WE_EINVAL, "MDE by simulation: %s is not a "
                       "design method (cs, sc, sdid)", we_method_name(m));
    if (reps < 2)
        return we_fail(err, WE_EINVAL, "MDE by simulation: %zu panels; "
                       "set inference.mde_sims to at least 2 (e.g. 200)",
                       reps);
    int rc = check_args(d, power, err);
    if (rc != WE_OK)
        return rc;
    mde_sample s;
    we_mde_components c;
    rc = fit_model(y, d, &s, &c, err);
    size_t used = 0;
    if (rc == WE_OK)
        rc = design_spread(y, d, &s, &c, m, reps, seed, &out->sim_sd, &used,
                           err);
    if (rc == WE_OK) {
        fill(out, &c, power, d->alpha, used);
        out->simulated = 1;
        /* CS tests with t(G - 1); SC and SDID by placebo ranks, which
         * can never reject when their smallest p exceeds alpha. */
        double q = m == WE_METHOD_CS
                       ? gsl_cdf_tdist_Pinv(1.0 - d->alpha / 2.0,
                                            (double)s.G - 1.0) +
                             gsl_cdf_tdist_Pinv(power, (double)s.G - 1.0)
                       : gsl_cdf_ugaussian_Pinv(1.0 - d->alpha / 2.0) +
                             gsl_cdf_ugaussian_Pinv(power);
        out->mde = min_p > d->alpha ? INFINITY : q * out->sim_sd;
    }
    sample_free(&s);
    return rc;
}

/* ---- null panels for other simulations -------------------------------- */

int we_mde_null_panels(const double *y, const we_design *d, size_t reps,
                       uint64_t seed, we_mde_panel_fn fn, void *user,
                       we_error *err)
{
    int rc = check_args(d, 0.5, err);
    if (rc != WE_OK)
        return rc;
    mde_sample s;
    we_mde_components c;
    rc = fit_model(y, d, &s, &c, err);
    gsl_rng *rng = rc == WE_OK ? seeded_rng(seed) : NULL;
    double *shock = rc == WE_OK ? malloc(s.G * (s.L + 1) * sizeof *shock)
                                : NULL;
    double *ys = rc == WE_OK
                     ? malloc(d->n_areas * d->n_periods * sizeof *ys)
                     : NULL;
    if (rc == WE_OK && (rng == NULL || shock == NULL || ys == NULL))
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t k = 0; rc == WE_OK && k < reps; k++) {
        draw_panel(y, d, &s, &c, 0.0, rng, shock, ys);
        rc = fn(ys, user, err);
    }
    if (rng != NULL)
        gsl_rng_free(rng);
    free(shock);
    free(ys);
    sample_free(&s);
    return rc;
}
