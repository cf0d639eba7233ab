/* Staggered adoption: the group-time average treatment effects of
 * Callaway and Sant'Anna (2021), "Difference-in-Differences with multiple
 * time periods", Journal of Econometrics 225(2), unconditional parallel
 * trends (no covariates), and the four aggregations of R's did::aggte.
 * TWFE with staggered timing and effects that change over time is biased
 * (Goodman-Bacon 2021); these estimates are not. Formulas, conventions and
 * the differences from the did package: docs/methods.md. */
#ifndef WE_METHODS_CS_H
#define WE_METHODS_CS_H

#include <stddef.h>
#include <stdint.h>

#include "methods/methods.h"
#include "util/error.h"

typedef enum we_cs_control {
    WE_CS_NEVER_TREATED = 0,  /* areas never treated in the window */
    WE_CS_NOT_YET_TREATED = 1 /* plus areas whose treatment starts after
                                 both periods of the comparison */
} we_cs_control;

typedef enum we_cs_multiplier {
    WE_CS_RADEMACHER = 0, /* +-1, each 1/2 (did's weights) */
    WE_CS_MAMMEN = 1      /* 1 - k w.p. k/sqrt5, k otherwise; k = golden */
} we_cs_multiplier;

/* The reference distribution of the analytic intervals and p-values. */
typedef enum we_cs_reference {
    WE_CS_REF_NORMAL = 0, /* standard normal, as did */
    WE_CS_REF_T = 1       /* t with G - 1 degrees of freedom, G the
                             clusters: the few-cluster correction the
                             estimator uses (docs/validation.md) */
} we_cs_reference;

typedef struct we_cs_options {
    we_cs_control control;
    size_t boot_reps;          /* multiplier bootstrap draws; 0 = none */
    we_cs_multiplier weights;
    uint64_t seed;
    we_cs_reference reference;
} we_cs_options;

/* One estimated quantity. estimate, se, interval and p are analytic: the
 * influence-function standard error clustered by the design's clusters,
 * with a standard normal reference (as did) or t(G - 1) (options). boot_se and the band come
 * from the multiplier bootstrap and are NaN without it; the band is
 * simultaneous over the family the quantity belongs to (all cells, or the
 * elements of one aggregation) and NaN for the overall summaries. */
typedef struct we_cs_stat {
    double estimate, se, ci_low, ci_high, p_value;
    double boot_se;
    double band_low, band_high;
} we_cs_stat;

/* ATT(g, t): cohort g (first treated period index), period t, compared
 * with base period b: t - 1 before treatment (t < g), g - 1 from it on. */
typedef struct we_cs_cell {
    long group;
    size_t period, base;
    long event;           /* period - group */
    long n_treated;       /* cohort areas with y at t and b */
    long n_control;       /* comparison areas with y at t and b */
    we_cs_stat s;
} we_cs_cell;

typedef struct we_cs_element {
    long key; /* event time, cohort (period index) or period index */
    we_cs_stat s;
} we_cs_element;

typedef struct we_cs_aggregation {
    size_t n;
    we_cs_element *elem; /* ascending key */
    we_cs_stat overall;  /* dynamic: mean over event times >= 0; group:
                            cohort-size weighted; calendar: mean */
    double crit;         /* critical value of the band; NaN without
                            bootstrap */
} we_cs_aggregation;

typedef struct we_cs_result {
    size_t n_cells;
    we_cs_cell *cell;    /* by cohort, then period */
    double cell_crit;    /* critical value of the cells' band */
    we_cs_stat simple;   /* post cells weighted by cohort size */
    we_cs_aggregation dynamic, group, calendar;
    size_t last_period;  /* periods 0..last_period enter */
    long n_treated;      /* areas of a cohort that enter some cell */
    long n_control;      /* never-treated areas that enter some cell */
    long n_obs;          /* (area, period) values that enter some cell */
    size_t n_clusters;
    double df;           /* G - 1 with WE_CS_REF_T, NaN with the normal */
    size_t boot_reps;    /* draws used; 0 without bootstrap */
    double alpha;
    size_t n_skipped;    /* cells without treated or comparison data */
    /* The design's own pre-period check (cs_pretest.c): the Wald test
     * that every pre-period element of the dynamic aggregation (event
     * times < 0, each a placebo ATT against the period before it) is
     * zero, W = b' V^-1 b with the clustered influence-function
     * covariance, and Hotelling's small-sample form F = W (G - q) / (q G)
     * against F(q, G - q) (pre_df = G - q; pre_scale = (G - q) / G; no
     * test when G <= q). With q close to G the plain F(q, G - 1) rejects
     * 12% of null panels at 18 clusters, this form 4% (docs/validation.md,
     * "Inference with few clusters"). dyn_vcov is the
     * covariance of all dynamic elements (dynamic.n squared, row-major);
     * pre_p is NaN (and pre_q 0) without a pre-period element. */
    double *dyn_vcov;
    size_t pre_q, pre_df;
    double pre_wald, pre_f, pre_p, pre_scale;
    char note[256];      /* which cells were skipped, and why the window
                            was shortened; empty when neither */
} we_cs_result;

/* Estimates every ATT(g, t) for the in-sample areas over periods
 * 0..latest follow-up (the design's baseline is not used: each cell has
 * its own base period), then the aggregations and, with boot_reps > 0,
 * the multiplier bootstrap, clustered by the design's clusters, drawn from
 * GSL's mt19937 seeded with the two 32-bit halves of `seed` xor-ed.
 * Cohorts starting after the window count as never treated. Errors: bad
 * design or options (WE_EINVAL), a treated area without a pre-treatment
 * period, no cohort, no comparison area, no computable post-treatment
 * cell, fewer than two clusters (WE_ENODATA), out of memory (WE_ENOMEM).
 * Free the result with we_cs_result_free either way. */
int we_cs_estimate(const double *y, const we_design *d,
                   const we_cs_options *o, we_cs_result *out,
                   we_error *err);
void we_cs_result_free(we_cs_result *r);

/* The power of the pre-period check at level alpha against a linear
 * trend of `slope` per period, which adds `slope` to every pre-period
 * element (each a short difference): the noncentral F(q, G - q) with
 * noncentrality pre_scale * d' V^-1 d, the statistic's own scaling.
 * WE_ENODATA without a check. */
int we_cs_pretest_power(const we_cs_result *r, double slope, double alpha,
                        double *power, double *ncp, we_error *err);

/* The simple aggregation as a headline: estimate, se, interval, p (all
 * analytic; df the result's: G - 1 with the t reference, NaN with the
 * normal), n_treated, n_control, n_obs.
 * baseline and latest are NaN, closing 0, inference WE_INFERENCE_NONE and
 * inference_reps 0; `method` and `struct_size` are left as they are, for
 * the host to label the result. */
void we_cs_headline(const we_cs_result *r, we_estimate *e);

#endif
