/* The one estimator entry point: every estimate the core makes (the host
 * table's `estimate`, an experiment's design headline, the analyses and
 * `wijkeval estimate`) goes through we_estimate_run, so a method gets the
 * same inference and the same random stream wherever it is asked for. */
#include "methods/estimator.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "methods/twfe_sums.h"
#include "methods/wild.h"
#include "util/reference.h"

/* One random stream per (experiment, indicator, procedure): results do
 * not depend on the order in which experiments run. FNV-1a folded into
 * the seed, then splitmix64 to spread the bits. */
uint64_t we_derive_seed(uint64_t seed, const char *a, const char *b,
                        const char *procedure)
{
    uint64_t h = 1469598103934665603ULL;
    const char *parts[3] = {a, b, procedure};
    for (size_t k = 0; k < 3; k++) {
        for (const char *c = parts[k] ? parts[k] : ""; *c; c++)
            h = (h ^ (unsigned char)*c) * 1099511628211ULL;
        h = (h ^ 0xff) * 1099511628211ULL; /* separator */
    }
    uint64_t z = seed ^ h;
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

int we_use_wild(const we_est_settings *s, size_t n_clusters)
{
    switch (s->wild) {
    case WE_WILD_NEVER:
        return 0;
    case WE_WILD_ALWAYS:
        return 1;
    default:
        return n_clusters < 42; /* CR1 over-rejects with few clusters */
    }
}

int we_twfe_inferred(const we_est_settings *s, const double *y,
                     const we_design *d, uint64_t seed, we_estimate *est,
                     we_error *err)
{
    /* The per-area sums for the estimate, CR1 and the bootstrap's
     * per-cluster inputs; the rows on the reference path. */
    int ref = we_reference_paths();
    we_twfe_area_sums sums;
    we_twfe_rows rows;
    memset(&sums, 0, sizeof sums);
    memset(&rows, 0, sizeof rows);
    int rc;
    if (ref) {
        rc = we_twfe_rows_build(y, d, &rows, err);
        if (rc != WE_OK) {
            we_estimate_clear(est, WE_METHOD_TWFE);
            return rc;
        }
        rc = we_twfe_from_rows(&rows, d->alpha, est, err);
    } else {
        rc = we_twfe_area_sums_fit(y, d, &sums, est, err);
    }
    we_wild_options o = {
        .weights = s->boot_webb ? WE_WEIGHTS_WEBB
                                             : WE_WEIGHTS_RADEMACHER,
        .reps = s->boot_reps,
        .seed = seed,
        .alpha = s->alpha,
        .want_ci = 1,
    };
    we_wild_result w;
    int wild = rc == WE_OK && we_use_wild(s, (size_t)est->df + 1);
    if (wild)
        rc = ref ? we_twfe_wild_rows(&rows, est, &o, &w, err)
                 : we_twfe_wild_sums(&sums, est, &o, &w, err);
    we_twfe_rows_free(&rows);
    we_twfe_area_sums_free(&sums);
    if (rc != WE_OK || !wild)
        return rc;
    est->p_value = w.p_value;
    est->ci_low = w.ci_low;
    est->ci_high = w.ci_high;
    est->inference = o.weights == WE_WEIGHTS_WEBB
                         ? WE_INFERENCE_WILD_WEBB
                         : WE_INFERENCE_WILD_RADEMACHER;
    est->inference_reps = (long)w.reps;
    return WE_OK;
}

int we_is_design_method(we_method m)
{
    return m == WE_METHOD_CS || m == WE_METHOD_SC || m == WE_METHOD_SDID;
}

static int run_cs(const we_est_settings *s, const we_design *d, const double *y,
                  uint64_t seed, we_estimate *est, we_design_detail *detail,
                  we_error *err)
{
    we_cs_options o = {
        .control = s->cs_not_yet ? WE_CS_NOT_YET_TREATED
                                         : WE_CS_NEVER_TREATED,
        .boot_reps = s->cs_boot_reps,
        .weights = WE_CS_RADEMACHER,
        .seed = seed,
        /* t(G - 1): the normal reference over-rejects with few clusters
         * (docs/validation.md, "Callaway-Sant'Anna with few clusters"). */
        .reference = WE_CS_REF_T,
    };
    we_cs_result r;
    int rc = we_cs_estimate(y, d, &o, &r, err);
    if (rc == WE_OK) {
        we_cs_headline(&r, est);
        est->method = WE_METHOD_CS;
        est->inference = WE_INFERENCE_INFLUENCE;
        est->inference_reps = 0;
    }
    if (rc == WE_OK && detail != NULL) {
        detail->method = WE_METHOD_CS;
        detail->has_cs = 1;
        detail->cs = r;
    } else {
        we_cs_result_free(&r);
    }
    return rc;
}

/* Counts for the estimate: treated and donor areas of the design. */
static void count_areas(const we_design *d, we_estimate *est)
{
    est->n_treated = est->n_control = 0;
    for (size_t i = 0; i < d->n_areas; i++) {
        if (!d->in_sample[i])
            continue;
        if (d->treated_from[i] >= 0)
            est->n_treated++;
        else
            est->n_control++;
    }
}

static int run_sc(const we_est_settings *s, const we_design *d,
                  const double *y, uint64_t seed, we_estimate *est,
                  we_design_detail *detail, we_error *err)
{
    /* the placebo groups of a multi-area average: as many as SDID's
     * permutation draws, from the run's seed */
    we_sc_options o = {.x = NULL,
                       .v_mode = WE_SC_V_INVVAR,
                       .placebo = 1,
                       .reps = s->sdid_reps,
                       .seed = seed};
    we_sc_result r;
    int rc = we_synth(y, d, &o, &r, err);
    if (rc != WE_OK) {
        we_sc_result_free(&r);
        return rc;
    }
    /* Synthetic control has no standard error: its inference is the rank
     * of the treated fit among the placebo fits. */
    est->estimate = r.average.estimate;
    est->p_value = r.average.p_value;
    est->ci_low = r.average.ci_low;
    est->ci_high = r.average.ci_high;
    est->inference = WE_INFERENCE_PLACEBO;
    est->inference_reps = (long)r.average_placebos;
    count_areas(d, est);
    est->n_obs = (long)(r.average.n_fit + r.average.n_post);
    if (detail != NULL) {
        detail->method = WE_METHOD_SC;
        detail->has_sc = 1;
        detail->sc = r;
    } else {
        we_sc_result_free(&r);
    }
    return WE_OK;
}

static int run_sdid(const we_est_settings *s, const we_design *d, const double *y,
                    uint64_t seed, we_estimate *est,
                    we_design_detail *detail, we_error *err)
{
    we_sdid_options o = {.variance = WE_SDID_VAR_AUTO,
                         .reps = s->sdid_reps, .seed = seed,
                         .permutation = 1};
    we_sdid_result r;
    memset(&r, 0, sizeof r); /* early refusals leave it untouched */
    int rc = we_sdid(y, d, &o, &r, err);
    if (rc != WE_OK) {
        we_sdid_result_free(&r);
        return rc;
    }
    est->estimate = r.estimate;
    est->se = r.se;
    if (r.perm_n > 0) {
        /* The placebo permutation test and its inversion: a normal
         * p-value from the placebo or jackknife standard error can fall
         * below what N0 donors can attain (1 / (N0 + 1) with one treated
         * area). se stays synthdid's, for the effect size. */
        est->ci_low = r.perm_ci_low;
        est->ci_high = r.perm_ci_high;
        est->p_value = r.perm_p;
        est->inference = WE_INFERENCE_PLACEBO;
        est->inference_reps = (long)r.perm_n;
    } else {
        est->ci_low = r.ci_low;
        est->ci_high = r.ci_high;
        est->p_value = r.p_value;
        est->inference = r.variance == WE_SDID_VAR_PLACEBO
                             ? WE_INFERENCE_PLACEBO
                         : r.variance == WE_SDID_VAR_BOOTSTRAP
                             ? WE_INFERENCE_BOOTSTRAP
                             : WE_INFERENCE_JACKKNIFE;
        est->inference_reps = (long)r.reps;
    }
    est->n_treated = (long)r.n_treated;
    est->n_control = (long)r.n_control;
    est->n_obs = (long)((r.n_treated + r.n_control) * (r.n_pre + r.n_post));
    if (detail != NULL) {
        detail->method = WE_METHOD_SDID;
        detail->has_sdid = 1;
        detail->sdid = r;
    } else {
        we_sdid_result_free(&r);
    }
    return WE_OK;
}

int we_design_estimate(const we_est_settings *s, const we_design *d,
                       const double *y, we_method m, uint64_t seed,
                       we_estimate *est, we_design_detail *detail,
                       we_error *err)
{
    if (detail != NULL)
        memset(detail, 0, sizeof *detail);
    we_estimate_clear(est, m);
    switch (m) {
    case WE_METHOD_CS:
        return run_cs(s, d, y, seed, est, detail, err);
    case WE_METHOD_SC: return run_sc(s, d, y, seed, est, detail, err);
    case WE_METHOD_SDID:
        return run_sdid(s, d, y, seed, est, detail, err);
    default:
        return we_fail(err, WE_EINVAL,
                       "design %s is not available in this build",
                       we_method_name(m));
    }
}

void we_design_detail_free(we_design_detail *detail)
{
    if (detail->has_cs)
        we_cs_result_free(&detail->cs);
    if (detail->has_sc)
        we_sc_result_free(&detail->sc);
    if (detail->has_sdid)
        we_sdid_result_free(&detail->sdid);
    memset(detail, 0, sizeof *detail);
}

/* The gap reference of y under the call's groups and weights: the one
 * rule the host table, `estimate` and the per-wijk report use. */
double *we_gap_reference_of(const double *y, size_t n_areas,
                            size_t n_periods, const int *group,
                            const double *weight, we_error *err)
{
    double *ref = malloc(n_areas * n_periods * sizeof *ref);
    if (ref == NULL) {
        we_fail(err, WE_ENOMEM, "out of memory");
        return NULL;
    }
    if (we_gap_reference(y, n_areas, n_periods, group, weight, ref, err) !=
        WE_OK) {
        free(ref);
        return NULL;
    }
    return ref;
}

static uint64_t seed_of(const we_est_settings *s, const we_est_call *call,
                        const char *procedure)
{
    return call->has_seed ? call->seed
                          : we_derive_seed(s->seed, call->experiment,
                                           call->indicator, procedure);
}

int we_estimate_run(const we_est_settings *s, const we_est_call *call,
                    we_estimate *est, we_design_detail *detail,
                    we_error *err)
{
    const we_design *d = call->d;
    if (detail != NULL)
        memset(detail, 0, sizeof *detail);
    if (call->method == WE_METHOD_TWFE)
        return we_twfe_inferred(s, call->y, d, seed_of(s, call, "wild"), est,
                                err);
    if (we_is_design_method(call->method))
        return we_design_estimate(s, d, call->y, call->method,
                                  seed_of(s, call,
                                          we_method_name(call->method)),
                                  est, detail, err);
    double *ref = NULL;
    if (call->method == WE_METHOD_GAP) {
        ref = we_gap_reference_of(call->y, d->n_areas, d->n_periods,
                                  call->gap_group, call->gap_weight, err);
        if (ref == NULL) {
            we_estimate_clear(est, call->method);
            return WE_ENOMEM;
        }
    }
    int rc = we_method_run(call->method, call->y, ref, d, call->direction,
                           est, err);
    free(ref);
    return rc;
}
