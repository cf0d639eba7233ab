/* How much a conclusion depends on parallel trends: the power of a
 * pre-trend test against a linear trend (Roth 2022), and the
 * relative-magnitudes sensitivity of Rambachan and Roth (2023) for an
 * event study. Formulas, the confidence set used and its limits:
 * docs/methods.md ("Pre-test power" and "Sensitivity to parallel-trend
 * violations"). */
#ifndef WE_METHODS_SENSITIVITY_H
#define WE_METHODS_SENSITIVITY_H

#include <stddef.h>

#include "util/error.h"

/* An event study as the sensitivity needs it: n coefficients at event
 * times rel[] (ascending, distinct, without the reference -1, whose
 * coefficient is 0 by construction), their estimates b[] and n x n
 * covariance V (row-major), and the degrees of freedom of the t
 * reference (NaN or infinite: the normal). Leads are rel <= -2, lags
 * rel >= 0. */
typedef struct we_es_input {
    size_t n;
    const int *rel;
    const double *b;
    const double *V;
    double df;
} we_es_input;

/* Survival function of the noncentral F(q, df2, ncp) at x (df2 NaN or
 * infinite: of the noncentral chi-square(q, ncp) at q x), by the Poisson
 * mixture of central ones, to a relative 1e-12. */
double we_ncf_sf(double x, double q, double df2, double ncp);

/* Power of a Wald test of q coefficients (W / q against F(q, df) at
 * level alpha; the chi-square without df) when their true values are
 * delta[0..q-1]: P(F(q, df, ncp) > crit), ncp = delta' V^-1 delta with V
 * the q x q block at the top left of a matrix with leading dimension
 * ldv. Errors: q == 0 (WE_ENODATA), singular V (WE_ESINGULAR). */
int we_wald_power(const double *delta, const double *V, size_t ldv,
                  size_t q, double df, double alpha, double *power,
                  double *ncp, we_error *err);

/* Power of a Wald test that all leads are zero (W = b' V^-1 b over the
 * leads, W / q against F(q, df) at level alpha) when the leads are
 * delta_r = slope * (r + 1), the linear trend through the reference
 * period. *ncp receives W's noncentrality delta' V^-1 delta. Errors: no
 * lead, a singular lead covariance (WE_ENODATA / WE_ESINGULAR). */
int we_pretest_power_linear(const we_es_input *es, double slope,
                            double alpha, double *power, double *ncp,
                            we_error *err);

/* The relative-magnitudes sensitivity of the average of the lags
 * theta = (1/L) sum_{r >= 0} beta_r. Under Delta^RM(Mbar) every
 * post-period change of the trend difference is at most Mbar times the
 * largest pre-period change (HonestDiD's relative magnitudes). The
 * confidence set here is the Bonferroni projection in docs/methods.md
 * (the alternative to the report's C-LF set, methods/honest_rm.h): level
 * 1 - alpha/2 for theta's own t interval and 1 - alpha/2 for a box of
 * simultaneous intervals around the leads. */
typedef struct we_rm_sensitivity {
    double theta, se_theta;   /* the average lag and its standard error */
    double crit_theta;        /* t quantile 1 - alpha/4 */
    double crit_box;          /* t quantile 1 - alpha/(4 q) */
    double dmax;              /* largest pre-period change within the box */
    double steps;             /* sum over lags of (r + 1) / L */
    double ci_low, ci_high;   /* the robust interval at `mbar` */
    double mbar;              /* the Mbar of ci_low/ci_high */
    /* The smallest Mbar at which the robust interval contains 0: 0 when
     * even Mbar = 0 does (no conclusion to break), +infinity when the
     * leads leave no room (dmax = 0). */
    double breakdown_mbar;
    size_t n_leads, n_lags;
    /* 1 when ci_low, ci_high and breakdown_mbar were replaced by the
     * C-LF confidence set of methods/honest_rm.h (HonestDiD's default;
     * the report's method), with the projection kept in proj_*; 0 when
     * they are the projection's (C-LF needs consecutive event times and
     * two lags). grid_step: the C-LF grid's step; breakdown_tol: the
     * width of its breakdown bisection. */
    int clf;
    double proj_low, proj_high, proj_breakdown;
    double grid_step, breakdown_tol;
} we_rm_sensitivity;

/* Needs at least one lead and one lag with a positive variance.
 * Errors: WE_EINVAL (input), WE_ENODATA (no lead or no lag). */
int we_rm_sensitivity_compute(const we_es_input *es, double alpha,
                              double mbar, we_rm_sensitivity *out,
                              we_error *err);

/* The robust interval of an already computed sensitivity at another
 * Mbar (>= 0). */
void we_rm_interval(const we_rm_sensitivity *s, double mbar, double *low,
                    double *high);

#endif
