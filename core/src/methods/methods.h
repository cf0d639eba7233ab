/* The core evaluation methods, on plain arrays so that they can be tested
 * against reference implementations. Formulas: docs/methods.md. */
#ifndef WE_METHODS_METHODS_H
#define WE_METHODS_METHODS_H

#include <stddef.h>

#include "methods/ols.h"
#include "util/error.h"
#include "wijkeval/plugin.h"

/* These functions use GSL; the process must have called
 * gsl_set_error_handler_off() once (the host and the mock host do), so that
 * a singular design returns WE_ESINGULAR instead of aborting. */

/* The design of one evaluation, shared by all methods. Matrices are
 * row-major by area: y[area * n_periods + t]. */
typedef struct we_design {
    size_t n_areas, n_periods;
    const long *treated_from;      /* first treated period index, -1 never */
    const unsigned char *in_sample; /* 1 = treated or comparison area */
    const int *cluster;            /* cluster id per area, >= 0 */
    size_t baseline;               /* period index of the baseline */
    const size_t *followup;        /* ascending period indices */
    size_t n_followup;
    double alpha;
} we_design;

void we_estimate_clear(we_estimate *e, we_method m);

/* Treated areas: mean at baseline, mean at latest follow-up, and the mean
 * paired change with a t interval (n - 1 df). */
int we_pre_post(const double *y, const we_design *d, we_estimate *out,
                we_error *err);

/* Reference (achterstand) series: ref[area * n_periods + t] is the mean of
 * the other areas with the same group id (municipality) or, when group is
 * NULL, the mean over all areas; weighted by `weight` when not NULL. */
int we_gap_reference(const double *y, size_t n_areas, size_t n_periods,
                     const int *group, const double *weight, double *ref,
                     we_error *err);

/* Gap of the treated areas to `ref` at baseline and latest follow-up, the
 * mean change with a t interval, and whether a deficit closes. */
int we_gap(const double *y, const double *ref, const we_design *d,
           we_direction direction, we_estimate *out, we_error *err);

/* 2x2 DiD on area means: (post mean - baseline) for treated minus the same
 * for comparison areas; post = mean over follow-up periods. CR1 SE by
 * cluster, t with G - 1 df. */
int we_did_2x2(const double *y, const we_design *d, we_estimate *out,
               we_error *err);

/* Two-way fixed effects: y_it = a_i + l_t + b D_it + e over in-sample
 * areas and periods up to the latest follow-up. CR1 cluster-robust SE with
 * G/(G-1) (N-1)/(N-K), K = 2 + (T - 1); t with G - 1 df. */
int we_twfe(const double *y, const we_design *d, we_estimate *out,
            we_error *err);

/* The regression of we_twfe with the area effects absorbed: rows
 * [D, period dummies] and y demeaned within area, clusters 0..G-1, in
 * we_twfe's sample and order. K is the parameter count of its CR1 factor.
 * Methods that build on the TWFE fit (the wild bootstrap) start here. */
typedef struct we_twfe_rows {
    we_ols ols;
    size_t G, K;
    long n_treated, n_control; /* areas with at least one observation */
} we_twfe_rows;

int we_twfe_rows_build(const double *y, const we_design *d,
                       we_twfe_rows *rows, we_error *err);
void we_twfe_rows_free(we_twfe_rows *rows);
/* we_twfe on rows already built (the wild bootstrap reuses them). */
int we_twfe_from_rows(const we_twfe_rows *rows, double alpha,
                      we_estimate *out, we_error *err);

/* we_twfe from per-area sums, without rows: the same sample, clusters,
 * errors and CR1 inference; estimate and se equal we_twfe's to 1e-12
 * relative (the sums run in another order). O(cells + areas k^2) time and
 * O(areas k) memory: `wijkeval estimate` uses it for CR1 inference. */
int we_twfe_sums(const double *y, const we_design *d, we_estimate *out,
                 we_error *err);

/* The method's name as in reports and configs ("twfe", "cs", ...), or
 * "unknown"; and the reverse (-1 when no method has that name). */
const char *we_method_name(we_method m);
int we_method_from_name(const char *name);

/* One entry point for hosts: runs `m` with the design. `ref` is needed only
 * by WE_METHOD_GAP; `direction` only by the gap's `closing` flag. */
int we_method_run(we_method m, const double *y, const double *ref,
                  const we_design *d, we_direction direction,
                  we_estimate *out, we_error *err);

#endif
