/* The SDID block and its weight solver, shared by sdid.c (estimate) and
 * sdid_se.c (variance); not part of the public API. */
#ifndef WE_METHODS_SDID_INTERNAL_H
#define WE_METHODS_SDID_INTERNAL_H

#include <stddef.h>

#include "util/error.h"
#include "wijkeval/plugin.h"

/* A balanced block: controls in rows 0..N0-1, treated rows after them;
 * pre periods in columns 0..T0-1, post periods after them. Row-major:
 * Y[i * (T0 + T1) + t]. */
typedef struct we_sdid_block {
    size_t N0, N1, T0, T1;
    double *Y;
} we_sdid_block;

/* The tuning of the weight problems (synthdid_estimate's arguments). */
typedef struct we_sdid_tuning {
    double zeta_omega, zeta_lambda, min_decrease;
    size_t max_iter, max_iter_pre_sparsify;
} we_sdid_tuning;

/* A weight problem of synthdid's sc.weight.fw: rows x (n + 1), row-major;
 * the first n columns are the candidates, the last is the target. */
typedef struct we_fw_problem {
    size_t rows, n;
    double *M;
} we_fw_problem;

/* Frank-Wolfe from init (NULL: 1/n) for max_iter_pre_sparsify steps,
 * sparsification (weights <= max/4 set to 0, renormalised), then up to
 * max_iter further steps; *iters receives the steps taken. The columns of
 * p must already be centred (the intercept). */
int we_fw_two_rounds(const we_fw_problem *p, double zeta,
                     const we_sdid_tuning *tu, const double *init, double *x,
                     size_t *iters, we_error *err);

/* Solves lambda (T0) and omega (N0) as synthdid_estimate does: Frank-Wolfe
 * from the initial weights (NULL: uniform) for max_iter_pre_sparsify
 * steps, sparsification (weights <= max/4 set to 0, renormalised), then
 * Frank-Wolfe again for up to max_iter steps. Adds the steps taken to
 * *it_omega and *it_lambda when not NULL. */
int we_sdid_weights(const we_sdid_block *B, const we_sdid_tuning *tu,
                    const double *omega_init, const double *lambda_init,
                    double *omega, double *lambda, size_t *it_omega,
                    size_t *it_lambda, we_error *err);

/* tau = (-omega, 1/N1, ...)' Y (-lambda, 1/T1, ...). */
double we_sdid_tau(const we_sdid_block *B, const double *omega,
                   const double *lambda);

/* The standard error by `method` (a we_sdid_variance other than AUTO and
 * NONE) around the fitted weights; *reps receives the replications used.
 * NaN, with a sentence in note, when the method is undefined for the
 * block. */
int we_sdid_se(const we_sdid_block *B, const we_sdid_tuning *tu,
               const double *omega, const double *lambda, int method,
               size_t reps, unsigned long seed, double *se, size_t *reps_used,
               char *note, size_t note_cap, we_error *err);

/* The placebo permutation test of tau = 0 and its inversion into a
 * (1 - alpha) interval. The placebo assignments are those of
 * we_placebo_walk (synth_internal.h) over the control rows, in the
 * treated rows' cluster shape: cluster[0..N0+N1-1] gives each block row's
 * cluster (municipality), NULL every row its own; seeded draws, or all
 * C(N0, N1) assignments when exact. */
typedef struct we_sdid_perm {
    double p_value, ci_low, ci_high; /* the interval may be infinite */
    double min_p;                    /* 1 / (1 + n): the smallest p */
    size_t n;                        /* placebo assignments */
    int exact;                       /* 1: all of them */
} we_sdid_perm;

int we_sdid_permutation(const we_sdid_block *B, const we_sdid_tuning *tu,
                        const double *omega, const double *lambda,
                        const int *cluster, double tau, size_t reps,
                        unsigned long seed, double alpha, we_sdid_perm *out,
                        we_error *err);

#endif
