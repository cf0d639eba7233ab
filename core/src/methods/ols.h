/* Least squares with cluster-robust variance for one coefficient. Rows are
 * stored, because the cluster scores need the residuals after the fit. */
#ifndef WE_METHODS_OLS_H
#define WE_METHODS_OLS_H

#include <stddef.h>

#include "util/error.h"

typedef struct we_ols {
    size_t n, cap, k;
    double *X; /* n x k, row-major */
    double *y;
    int *cluster; /* 0..G-1 */
} we_ols;

int we_ols_init(we_ols *o, size_t cap, size_t k, we_error *err);
void we_ols_free(we_ols *o);
/* Appends a row; the caller sized cap for every row it adds. */
void we_ols_add(we_ols *o, const double *row, double y, int cluster);

/* Fits y on X (no intercept is added) and returns coefficient 0 and the
 * unscaled (CR0) cluster-robust variance of it:
 * e0' (X'X)^-1 [sum_g X_g' u_g u_g' X_g] (X'X)^-1 e0. */
int we_ols_cluster(const we_ols *o, size_t G, double *beta0, double *var0,
                   we_error *err);

/* Fits y on X and returns every coefficient: beta (k), the unscaled (CR0)
 * cluster-robust covariance V = B [sum_g X_g' u_g u_g' X_g] B (k x k,
 * row-major) and, when `bread` is not NULL, B = (X'X)^-1 (k x k,
 * row-major). Callers apply their own small-sample factor to V. */
int we_ols_cluster_full(const we_ols *o, size_t G, double *beta, double *V,
                        double *bread, we_error *err);

/* The same pieces from normal equations already summed (X'X k x k and
 * X'y, row-major): beta and B = (X'X)^-1; and the CR0 sandwich
 * V = B [sum_g s_g s_g'] B from per-cluster scores S (G x k). For
 * regressions whose X'X is cheaper to sum than to materialise (the event
 * study's within-area dummies). */
int we_ols_normal_solve(const double *xtx, const double *xty, size_t k,
                        double *beta, double *B, we_error *err);
int we_ols_sandwich(const double *S, size_t G, const double *B, size_t k,
                    double *V, we_error *err);

/* A Cholesky factor for small symmetric systems outside OLS (the event
 * study's Wald statistics and restricted fit, randomisation inference),
 * kept here so that the project has one place for its factorizations.
 * a is n x n, row-major; on return its lower triangle is L with A = L L'
 * (the upper triangle is not read). WE_ESINGULAR, without a message
 * (callers decide whether a singular matrix is an error), when a pivot is
 * not above 1e-12 of its diagonal element. Not the factor of the OLS
 * solves above: those use GSL's, which rounds differently. */
int we_chol_factor(double *a, size_t n);
/* b := L^-1 b and b := A^-1 b = L'^-1 L^-1 b with the factor above. */
void we_chol_forward(const double *l, size_t n, double *b);
void we_chol_solve(const double *l, size_t n, double *b);

#endif
