/* Early warning: which areas slide against the national trend.
 *
 * A composite liveability score per area and period (standardised,
 * direction-signed, weighted mean of indicators), taken relative to the
 * national mean of that period; per area its Theil-Sen slope over the
 * last `window` periods and a one-sided Mann-Kendall test for a decline;
 * Benjamini-Hochberg across all areas. Method: docs/methods.md, "Early
 * warning". */
#ifndef WE_METHODS_EARLY_WARNING_H
#define WE_METHODS_EARLY_WARNING_H

#include <stddef.h>

/* The Theil-Sen slope of (x, y): the median of the pairwise slopes
 * (y_j - y_i) / (x_j - x_i), i < j, over pairs with x_i != x_j. NaN when
 * there is no such pair or memory runs out. */
double we_theil_sen(const double *x, const double *y, size_t n);

/* Mann-Kendall trend test of y in its given (time) order: the statistic
 * S = sum_{i<j} sign(y_j - y_i), its null variance with the tie
 * correction, z with the continuity correction, and the one-sided
 * p-value of a decline, P(Z <= z). n < 3 gives NaN throughout. */
typedef struct we_mann_kendall {
    double s, var_s, z, p_decline;
} we_mann_kendall;

void we_mann_kendall_test(const double *y, size_t n, we_mann_kendall *out);

/* The empirical null of slopes (Efron 2004): each slope's robust z
 * against the cross-section, z_i = (b_i - median b) / (1.4826 MAD b),
 * and the one-sided p-value of a decline, P(Z <= z_i). NaN b_i are left
 * out and get NaN; fewer than 3 finite slopes, or a MAD of 0, give NaN
 * throughout. *center and *scale receive the median and 1.4826 MAD. */
void we_empirical_null(const double *b, size_t n, double *z, double *p,
                       double *center, double *scale);

/* The test of each area's slope. */
typedef enum we_ew_test {
    WE_EW_EMPIRICAL_NULL = 0, /* robust z against all areas' slopes */
    WE_EW_MANN_KENDALL = 1    /* per area, rank-based, no cross-section */
} we_ew_test;

/* The panel the early warning reads: indicator k's values are
 * values[k][area * n_periods + t] (NaN missing), with weight w[k] > 0 and
 * sign[k] = +1 when higher is better, -1 when lower is better. */
typedef struct we_ew_spec {
    size_t n_ind, n_areas, n_periods;
    const double *const *values;
    const double *weight;
    const int *sign;
    const int *periods; /* the x of the slopes, e.g. years */
    size_t window;      /* the last `window` periods; >= 4 */
    we_ew_test test;
    double alpha;       /* the false discovery rate */
} we_ew_spec;

/* Fewer observed periods in the window than this: not tested. */
#define WE_EW_MIN_OBS 4

typedef struct we_ew_result {
    size_t n_ind, n_areas, n_periods, window, first; /* first: the window's
                                                        first period index */
    double alpha;
    we_ew_test test;
    double null_center, null_scale; /* the empirical null; NaN for MK */
    double *mean, *sd;   /* per indicator, over all areas and periods */
    double *national;    /* per period: mean composite over areas */
    double *rel;         /* n_areas * n_periods: composite - national */
    double *slope;       /* per area: Theil-Sen slope of rel in the window,
                            SD units per period unit (year) */
    double *s, *var_s;   /* Mann-Kendall S and its variance */
    double *z, *p, *q;   /* the chosen test's z and one-sided p, and the
                            BH q; NaN untested */
    size_t *n_obs;       /* observed periods of rel in the window */
    double *contrib;     /* n_areas * n_ind: weight share x Theil-Sen slope
                            of the indicator's signed relative z-score */
    size_t n_tested;
    size_t *watch;       /* flagged areas (q <= alpha, slope < 0), the
                            steepest decline first */
    size_t n_watch;
} we_ew_result;

/* 0, or -1 when memory runs out (r is then empty). */
int we_ew_run(const we_ew_spec *spec, we_ew_result *r);
void we_ew_free(we_ew_result *r);

/* The indicators that drive area a's decline: those with a negative
 * contribution, the most negative first; at most `max` into out. */
size_t we_ew_drivers(const we_ew_result *r, size_t area, size_t *out,
                     size_t max);

#endif
