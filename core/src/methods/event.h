/* Event study (dynamic TWFE) with its pre-trend test, and randomisation
 * inference for the TWFE coefficient: event.c, pretrend.c and ri.c, all on
 * the TWFE sample (sample.h). */
#ifndef WE_METHODS_EVENT_H
#define WE_METHODS_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "methods/methods.h"
#include "util/error.h"

/* y_it = a_i + l_t + sum_{k != -1} b_k 1{t - g_i = k} + e_it for treated
 * areas with first treated period g_i; comparison areas have no event
 * dummies. Event times below min_rel / above max_rel are binned into the
 * end points. Reference: k = -1 (the period before treatment). */
typedef struct we_event_options {
    int min_rel; /* e.g. -5 */
    int max_rel; /* e.g. +4 */
} we_event_options;

typedef struct we_event_coef {
    int rel_time;
    double estimate, se, ci_low, ci_high, p_value; /* CR1, t(G-1) */
    long n_treated; /* treated areas observed at this event time */
} we_event_coef;

typedef struct we_event_result {
    size_t n_coef;
    we_event_coef *coef;   /* ascending rel_time, without -1 */
    double *vcov;          /* n_coef x n_coef, row-major: the CR1
                              covariance of the coefficients (the se's
                              are the roots of its diagonal) */
    /* Joint test that all leads (k < -1) are zero: Wald F = W / q with
     * the CR1 covariance, p from F(q, G - 1); and its wild cluster
     * bootstrap version (restricted, Rademacher). */
    size_t pretrend_q;
    double pretrend_wald;  /* W = b' V^-1 b */
    double pretrend_f, pretrend_p;
    double pretrend_boot_p; /* NaN when reps == 0 */
    size_t df;             /* G - 1 */
    size_t n_obs;
    /* Bootstrap draws used; when 2^G <= boot_reps every Rademacher sign
     * vector is used once instead (exact, seed-free) and the flag is 1. */
    size_t pretrend_boot_reps;
    int pretrend_boot_enumerated;
    /* Event times of the window without any observation are left out of
     * `coef`; n_dropped counts them and `note` names them (empty when
     * none). The note also says why a pre-trend test is not available;
     * note_nl says the same in Dutch. */
    size_t n_dropped;
    char note[256];
    char note_nl[320];
} we_event_result;

/* Sample as we_twfe: in-sample areas, periods up to the latest follow-up,
 * finite y. Needs min_rel <= -1 <= max_rel - 1, treated and comparison
 * areas, and 2 or more clusters. The pre-trend bootstrap p is the share of
 * draws with W* >= W (ties within 1e-9 relative count; a draw with a
 * singular lead covariance counts as exceeding); draws come from GSL's
 * mt19937 seeded with the two 32-bit halves of `seed` xor-ed. Returns
 * WE_OK, or WE_EINVAL / WE_ENODATA / WE_ESINGULAR / WE_ENOMEM with a
 * message; free the result with we_event_result_free either way. */
int we_event_study(const double *y, const we_design *d,
                   const we_event_options *o, size_t boot_reps,
                   uint64_t seed, we_event_result *out, we_error *err);
void we_event_result_free(we_event_result *r);

/* Randomisation inference for the TWFE coefficient: permutes the
 * treatment paths (the treated_from values) across the sample areas,
 * within strata when `strata` is not NULL (e.g. municipality ids), and
 * recomputes the coefficient. p = (1 + #{|b*| >= |b|}) / (1 + reps).
 * Sample areas are the in-sample areas with data (as we_twfe); a
 * permutation whose coefficient does not exist (the path is collinear
 * with the period effects) is skipped and not counted in reps. A draw
 * reassigns the treated starts within each stratum by a partial
 * Fisher-Yates shuffle (gsl_rng_uniform_int on mt19937, seeded as the
 * event study: the same seed gives the same p) and sums per-area terms
 * computed once (docs/methods.md). reps == 0 gives the estimate only
 * (p NaN). */
typedef struct we_ri_result {
    double estimate;
    double p_value;
    size_t reps; /* permutations used: those whose coefficient exists */
} we_ri_result;

int we_randomization_inference(const double *y, const we_design *d,
                               const int *strata, size_t reps,
                               uint64_t seed, we_ri_result *out,
                               we_error *err);

#endif
