/* TWFE from per-area sums, kept for what builds on the fit. we_twfe_sums
 * (methods.h) gives the estimate and its CR1 inference from these sums;
 * the wild cluster bootstrap (wild.c, we_twfe_wild_sums) takes its
 * per-cluster inputs from the same sums, so neither materialises the
 * within-transformed rows (N x k doubles) that we_twfe_rows_build does. */
#ifndef WE_METHODS_TWFE_SUMS_H
#define WE_METHODS_TWFE_SUMS_H

#include <stddef.h>

#include "methods/methods.h"
#include "methods/sample.h"
#include "util/error.h"

/* The per-area sums of one TWFE fit on the sample of we_twfe: columns 0
 * the treatment, 1 + c period dummy c (k = 1 + n_pc), the area effects
 * absorbed by demeaning within the area. */
typedef struct we_twfe_area_sums {
    const double *y;
    const we_design *d;
    we_sample s;
    int *cl;              /* cluster 0..G-1 of each sample area, -1 else */
    size_t G, k, K;       /* clusters; columns; CR1 parameter count */
    double *ubar, *ybar;  /* A x k dummy means; A y means */
    double *xtx, *xty;    /* X'X (k x k, row-major), X'y of the demeaned
                             rows, summed area by area */
    double *beta, *B, *S; /* coefficients; (X'X)^-1; G x k cluster scores */
} we_twfe_area_sums;

/* we_twfe_sums, keeping the sums in w (free it with
 * we_twfe_area_sums_free whatever the result). */
int we_twfe_area_sums_fit(const double *y, const we_design *d,
                          we_twfe_area_sums *w, we_estimate *out,
                          we_error *err);
void we_twfe_area_sums_free(we_twfe_area_sums *w);

/* The dummies of cell (i, t) (c1: the treatment column 0 or -1; c2: the
 * period column 1 + c or -1): the columns of we_twfe's rows. */
void we_twfe_area_cols(const we_twfe_area_sums *w, size_t i, size_t t,
                       long *c1, long *c2);

#endif
