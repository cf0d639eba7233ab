#include "host/designs.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int we_is_design_method(we_method m)
{
    return m == WE_METHOD_CS || m == WE_METHOD_SC || m == WE_METHOD_SDID;
}

static int run_cs(const we_config *c, const we_design *d, const double *y,
                  uint64_t seed, we_estimate *est, we_design_detail *detail,
                  we_error *err)
{
    we_cs_options o = {
        .control = c->designs.cs_not_yet ? WE_CS_NOT_YET_TREATED
                                         : WE_CS_NEVER_TREATED,
        .boot_reps = c->designs.cs_boot_reps,
        .weights = WE_CS_RADEMACHER,
        .seed = seed,
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

static int run_sc(const we_design *d, const double *y, we_estimate *est,
                  we_design_detail *detail, we_error *err)
{
    we_sc_options o = {.x = NULL, .v_mode = WE_SC_V_INVVAR, .placebo = 1};
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
    est->inference = WE_INFERENCE_PLACEBO;
    est->inference_reps = (long)r.n_placebos;
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

static int run_sdid(const we_config *c, const we_design *d, const double *y,
                    uint64_t seed, we_estimate *est,
                    we_design_detail *detail, we_error *err)
{
    we_sdid_options o = {.variance = WE_SDID_VAR_AUTO,
                         .reps = c->designs.sdid_reps, .seed = seed};
    we_sdid_result r;
    memset(&r, 0, sizeof r); /* early refusals leave it untouched */
    int rc = we_sdid(y, d, &o, &r, err);
    if (rc != WE_OK) {
        we_sdid_result_free(&r);
        return rc;
    }
    est->estimate = r.estimate;
    est->se = r.se;
    est->ci_low = r.ci_low;
    est->ci_high = r.ci_high;
    est->p_value = r.p_value;
    est->inference = r.variance == WE_SDID_VAR_PLACEBO ? WE_INFERENCE_PLACEBO
                     : r.variance == WE_SDID_VAR_BOOTSTRAP
                         ? WE_INFERENCE_BOOTSTRAP
                         : WE_INFERENCE_JACKKNIFE;
    est->inference_reps = (long)r.reps;
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

int we_design_estimate(const we_config *c, const we_design *d,
                       const double *y, we_method m, uint64_t seed,
                       we_estimate *est, we_design_detail *detail,
                       we_error *err)
{
    if (detail != NULL)
        memset(detail, 0, sizeof *detail);
    we_estimate_clear(est, m);
    switch (m) {
    case WE_METHOD_CS:
        return run_cs(c, d, y, seed, est, detail, err);
    case WE_METHOD_SC:
        return run_sc(d, y, est, detail, err);
    case WE_METHOD_SDID:
        return run_sdid(c, d, y, seed, est, detail, err);
    default:
        return we_errorf(err, "design %s is not available in this build",
                         we_method_name(m)),
               WE_EINVAL;
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

static size_t count_waves(const we_design *d, size_t *n_treated)
{
    long seen[64];
    size_t n = 0;
    *n_treated = 0;
    for (size_t i = 0; i < d->n_areas; i++) {
        long g = d->treated_from[i];
        if (!d->in_sample[i] || g < 0)
            continue;
        (*n_treated)++;
        size_t k = 0;
        while (k < n && seen[k] != g)
            k++;
        if (k == n && n < 64)
            seen[n++] = g;
    }
    return n;
}

we_method we_design_choose(we_design_choice choice, const we_design *d,
                           char *reason, size_t n)
{
    static const we_method fixed[] = {WE_METHOD_TWFE, WE_METHOD_TWFE,
                                      WE_METHOD_CS, WE_METHOD_SC,
                                      WE_METHOD_SDID};
    if (choice != WE_DESIGN_CHOICE_AUTO) {
        snprintf(reason, n, "%s, as the config asks", 
                 we_method_name(fixed[choice]));
        return fixed[choice];
    }
    size_t treated, waves = count_waves(d, &treated);
    if (waves > 1) {
        snprintf(reason, n, "cs: treatment starts in %zu waves, where "
                 "TWFE is biased if effects change over time", waves);
        return WE_METHOD_CS;
    }
    if (treated < 5) {
        snprintf(reason, n, "sdid: only %zu treated area(s), too few for "
                 "a comparison-group average", treated);
        return WE_METHOD_SDID;
    }
    snprintf(reason, n, "twfe: one treatment wave and %zu treated areas",
             treated);
    return WE_METHOD_TWFE;
}
