/* Matched comparison areas: greedy nearest-neighbour matching of treated
 * units to comparison units on a Mahalanobis distance or an estimated
 * propensity score, with MatchIt's conventions for the ATT (weights,
 * balance statistics). Formulas and the reference checks:
 * docs/methods.md "Matched comparison areas".
 *
 * Two levels: we_match_features works on any feature matrix (one row per
 * unit); we_match_panel builds the features of an area from its pre-period
 * outcome path and caller-given covariates and returns the matched sample
 * as an in_sample mask for the other methods. Uses GSL: the process must
 * have called gsl_set_error_handler_off(). */
#ifndef WE_METHODS_MATCH_H
#define WE_METHODS_MATCH_H

#include <stddef.h>

#include "methods/methods.h"
#include "util/error.h"

typedef enum we_match_distance {
    WE_MATCH_MAHALANOBIS = 0, /* pooled within-group covariance */
    WE_MATCH_PROPENSITY = 1   /* |p_i - p_j|, p from a logit model */
} we_match_distance;

typedef struct we_match_opts {
    we_match_distance distance;
    size_t k;         /* matches per treated unit, >= 1 */
    int replace;      /* a comparison unit may serve several treated units */
    const int *group; /* NULL, or one id per row: a treated unit is matched
                         only to comparison units with its id (the same
                         municipality) */
} we_match_opts;

typedef struct we_match_result {
    size_t n, k, p;
    /* n * k, row-major: for a treated row i, match[i * k + j] is the row of
     * its (j + 1)-th match (found in round j + 1), -1 when there was none;
     * -1 in every other row. */
    long *match;
    /* n: MatchIt's ATT weights. A treated row with a match has 1, a
     * comparison row the sum over its treated rows of 1 / (their number
     * of matches), rescaled so that the comparison weights add up to the
     * number of comparison rows used; 0 outside the matched sample. */
    double *weight;
    unsigned char *matched;  /* n: weight > 0 (the matched sample) */
    unsigned char *eligible; /* n: rows that took part: in `use`, every
                                feature finite */
    double *score;           /* n: propensity score of eligible rows (NaN
                                elsewhere, and for Mahalanobis) */
    unsigned char *feature_used; /* p: 0 = dropped as constant */
    double *coef;  /* propensity: intercept, then one coefficient per used
                      feature in column order; NULL for Mahalanobis */
    size_t n_coef;
    int iterations; /* IRLS iterations of the propensity model */
    size_t n_treated, n_control;                 /* eligible rows */
    size_t n_treated_matched, n_control_matched; /* rows with weight > 0 */
    size_t n_excluded; /* rows in `use` with a missing feature */
    /* NULL, or what the caller should know: rows excluded for a missing
     * feature, dropped constant features, treated rows without (enough)
     * matches, unequal comparison weights (then a method that takes only
     * `matched` as its sample ignores the weights). */
    char *note;
} we_match_result;

/* Matches the treated rows of X (n x p, row-major) to the comparison rows.
 * treat[i] != 0 marks a treated row; use (NULL = all) selects the rows
 * that take part; a row with a non-finite feature cannot be matched and is
 * listed in the note, by labels[i] when labels is not NULL, else by row
 * number. Order, ties and weights: docs/methods.md. Errors: WE_EINVAL (bad
 * arguments), WE_ENODATA (no treated or no comparison row left),
 * WE_ESINGULAR (singular covariance or propensity design, separation,
 * no convergence), WE_ENOMEM. On error *r is left empty (safe to free). */
int we_match_features(const double *X, size_t n, size_t p,
                      const unsigned char *treat, const unsigned char *use,
                      const char *const *labels, const we_match_opts *o,
                      we_match_result *r, we_error *err);
void we_match_result_free(we_match_result *r);

/* ---- balance --------------------------------------------------------------
 * Per feature, MatchIt's balance statistics for the ATT before matching
 * (all rows in `use`, unit weights) and after (the same rows weighted by
 * `weight`, e.g. we_match_result.weight): weighted means of the treated and
 * comparison rows; the standardised mean difference, (treated mean -
 * comparison mean) / SD of the treated rows before matching (binary 0/1
 * features: sqrt(p (1 - p)); others: the n - 1 SD), the same denominator
 * before and after; and the variance ratio treated / comparison with
 * reliability weights (NaN for binary features). */
typedef struct we_balance_side {
    double mean_treated, mean_control, smd, var_ratio;
} we_balance_side;

typedef struct we_balance_row {
    int binary;
    we_balance_side before, after;
} we_balance_row;

/* X is n x p; every used cell must be finite (WE_EINVAL otherwise).
 * weight NULL: the `after` sides are NaN. */
int we_match_balance(const double *X, size_t n, size_t p,
                     const unsigned char *treat, const unsigned char *use,
                     const double *weight, we_balance_row *rows,
                     we_error *err);

/* ---- panel level ----------------------------------------------------------
 * Treated areas: in_sample and treated_from >= 0; candidates: in_sample
 * and never treated. Features of area i: y in every period t <= baseline
 * before the first treated period of any treated area (a period without
 * any value among the sample areas is left out, with a note), then
 * covariates[i * n_covariates + j] (e.g. each covariate indicator's value
 * at baseline; NULL when n_covariates is 0). */
typedef struct we_match_feature {
    int covariate; /* 0: the outcome in period `index`; 1: covariate column */
    size_t index;
} we_match_feature;

typedef struct we_match_panel {
    we_match_result m; /* one row per area; m.matched is the matched sample:
                          use it as the in_sample of a copy of the design */
    size_t n_features;
    we_match_feature *features; /* the columns of the feature matrix */
    we_balance_row *balance;    /* per feature, over the eligible areas */
} we_match_panel;

int we_match_panel_run(const double *y, const we_design *d,
                       const double *covariates, size_t n_covariates,
                       const char *const *area_labels,
                       const we_match_opts *o, we_match_panel *out,
                       we_error *err);
void we_match_panel_free(we_match_panel *mp);

#endif
