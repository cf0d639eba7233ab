/* The relative-magnitudes robust confidence set of Rambachan and Roth
 * (2023) by the conditional-least-favourable hybrid ("C-LF") test of
 * Andrews, Roth and Pakes (2023), as HonestDiD's
 * createSensitivityResults_relativeMagnitudes computes it (method "C-LF",
 * bound "deviation from parallel trends", postPeriodMomentsOnly, kappa =
 * alpha / 10, 1000 least-favourable draws with R's seed 0). The method,
 * its reference and the tolerance of the match: docs/methods.md
 * ("Sensitivity to parallel-trend violations"); the reference is
 * tests/oracle/honestdid_rm.R (R HonestDiD). */
#ifndef WE_METHODS_HONEST_RM_H
#define WE_METHODS_HONEST_RM_H

#include <stddef.h>

#include "methods/sensitivity.h"
#include "util/error.h"

/* The target is theta = l' beta_post with l = 1/L on the L lags (the
 * average lag). The leads must be the consecutive event times -q-1..-2
 * and the lags 0..L-1 (the reference -1 left out), L >= 2 (HonestDiD's
 * nuisance-parameter path). Errors: WE_EINVAL (input), WE_ENODATA (no
 * lead or fewer than two lags). */

/* Whether theta0 lies in the C-LF confidence set at level 1 - alpha
 * under Delta^RM(mbar): the union over the period s of the largest
 * pre-period change and its sign. */
int we_honest_rm_accepts(const we_es_input *es, double alpha, double mbar,
                         double theta0, int *accept, we_error *err);

/* The confidence set on the grid of n points from lb to ub (R's
 * seq(lb, ub, length.out = n)): *lo and *hi the smallest and largest
 * accepted point (NaN when none is accepted); *open_end is 1 when an end
 * of the grid is accepted. */
int we_honest_rm_grid(const we_es_input *es, double alpha, double mbar,
                      double lb, double ub, size_t n, double *lo, double *hi,
                      int *open_end, we_error *err);

/* The confidence set at mbar on the grid theta_hat +- w sd(theta_hat)
 * with 1000 points, w = 20 doubled while an end of the grid is accepted
 * (at most 6 times); *step receives the grid step. */
int we_honest_rm_ci(const we_es_input *es, double alpha, double mbar,
                    double *lo, double *hi, double *step, we_error *err);

/* The breakdown value: the smallest Mbar at which theta = 0 is accepted,
 * by bisection of [0, 64] to a width of `tol` (0 when Mbar = 0 accepts;
 * +infinity when Mbar = 64 does not). */
int we_honest_rm_breakdown(const we_es_input *es, double alpha, double tol,
                           double *mbar_star, we_error *err);

/* Building blocks, exposed for their tests. */

/* max c'x subject to A x = b (m x n, row-major), x >= 0, by a two-phase
 * simplex with Bland's rule. Returns 0 (optimal; x[n] and *val set),
 * 1 (infeasible) or 2 (unbounded). */
int we_lp_std_max(size_t m, size_t n, const double *A, const double *b,
                  const double *c, double *x, double *val);

/* The p quantile of the standard normal truncated to [l, u]
 * (TruncatedNormal::norminvp). */
double we_truncnorm_quantile(double p, double l, double u);

/* R's default generator after set.seed(seed): Mersenne-Twister uniforms
 * and normals by inversion, so that the least-favourable draws are
 * HonestDiD's (mvtnorm::rmvnorm, eigen square root). */
typedef struct we_rrng {
    unsigned mt[624];
    int mti;
} we_rrng;
void we_rrng_seed(we_rrng *g, unsigned seed);
double we_rrng_unif(we_rrng *g);
double we_rrng_norm(we_rrng *g);

#endif
