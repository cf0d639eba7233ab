/* Wild cluster bootstrap for the TWFE treatment coefficient: the
 * restricted (null-imposed) WCR bootstrap-t of Cameron, Gelbach and Miller
 * (2008), computed with the "fast and wild" algebra of Roodman, MacKinnon,
 * Nielsen and Webb (2019), so that a replication costs O(G) or O(G^2), not
 * O(N). Formulas: docs/methods.md. */
#ifndef WE_METHODS_WILD_H
#define WE_METHODS_WILD_H

#include <stddef.h>
#include <stdint.h>

#include "methods/methods.h"
#include "util/error.h"

typedef enum we_boot_weights {
    WE_WEIGHTS_RADEMACHER = 0, /* +-1 with probability 1/2 */
    WE_WEIGHTS_WEBB = 1        /* six points +-sqrt(1/2), +-1, +-sqrt(3/2) */
} we_boot_weights;

typedef struct we_wild_options {
    we_boot_weights weights;
    size_t reps;      /* requested replications, e.g. 9999 */
    uint64_t seed;
    double alpha;     /* for the interval */
    int want_ci;      /* 1: invert the test for a (1 - alpha) interval */
} we_wild_options;

typedef struct we_wild_result {
    double estimate;  /* the TWFE coefficient (same as we_twfe) */
    double t_stat;    /* with the CR1 standard error */
    double p_value;   /* symmetric bootstrap-t p-value of b = 0:
                         (1 + #{|t*| >= |t|}) / (B + 1) over B random
                         draws (never 0); enumerated, the exact share
                         #{|t*| >= |t|} / 2^G (w = 1 is among them) */
    double ci_low, ci_high; /* by test inversion; NaN when not asked,
                               -/+INFINITY for a side that never rejects */
    size_t reps;      /* replications used */
    int enumerated;   /* 1 when all 2^G sign vectors were used (Rademacher
                         and 2^G <= requested reps): exact, seed-free */
    size_t n_clusters;
} we_wild_result;

/* The design and sample are those of we_twfe (same clusters, same rows).
 * Deterministic for a seed (GSL mt19937). Errors: reps == 0, unknown
 * weights, alpha outside (0, 1) with want_ci (WE_EINVAL); fewer than two
 * clusters or a zero CR1 standard error (WE_ENODATA); collinear regressors
 * (WE_ESINGULAR). */
/* The same on TWFE rows and their estimate (we_twfe_from_rows), so a
 * caller that has them does not build them again. */
int we_twfe_wild_rows(const we_twfe_rows *rows, const we_estimate *est,
                      const we_wild_options *o, we_wild_result *out,
                      we_error *err);

/* The same on the per-area sums of the fit and their estimate
 * (we_twfe_area_sums_fit): no rows. Equal to we_twfe_wild_rows to
 * rounding (the sums run in another order; tested to 1e-12 relative),
 * the same draws. */
struct we_twfe_area_sums;
int we_twfe_wild_sums(const struct we_twfe_area_sums *w,
                      const we_estimate *est, const we_wild_options *o,
                      we_wild_result *out, we_error *err);

/* From the panel: the per-area sums (the rows on the reference path,
 * we_use_reference_paths). */
int we_twfe_wild(const double *y, const we_design *d,
                 const we_wild_options *o, we_wild_result *out,
                 we_error *err);

#endif
