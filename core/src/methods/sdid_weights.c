/* The SDID unit and time weights, following the synthdid R package
 * (Arkhangelsky et al. 2021, Algorithm 1) step for step, so that its
 * numbers are reproduced: the collapsed form of Y, the two centred
 * (intercept) weight problems, and the estimate. The Frank-Wolfe solver
 * with synthdid's stopping rule and sparsification is in sdid_fw.c. */
#include "methods/sdid_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* intercept = TRUE: every column minus its mean over the rows. */
static void center_columns(we_fw_problem *p)
{
    size_t w = p->n + 1;
    for (size_t j = 0; j < w; j++) {
        double s = 0;
        for (size_t r = 0; r < p->rows; r++)
            s += p->M[r * w + j];
        double mean = s / (double)p->rows;
        for (size_t r = 0; r < p->rows; r++)
            p->M[r * w + j] -= mean;
    }
}

/* The collapsed form: controls x pre periods, with the controls' post
 * means as an extra column and the treated pre means as an extra row;
 * Yc[i * (T0 + 1) + t]. */
static void collapse(const we_sdid_block *B, double *Yc)
{
    size_t T = B->T0 + B->T1, N = B->N0 + B->N1, w = B->T0 + 1;
    for (size_t i = 0; i <= B->N0; i++)
        for (size_t t = 0; t <= B->T0; t++) {
            size_t i0 = i < B->N0 ? i : B->N0, i1 = i < B->N0 ? i + 1 : N;
            size_t t0 = t < B->T0 ? t : B->T0, t1 = t < B->T0 ? t + 1 : T;
            double s = 0;
            for (size_t a = i0; a < i1; a++)
                for (size_t b = t0; b < t1; b++)
                    s += B->Y[a * T + b];
            Yc[i * w + t] = s / (double)((i1 - i0) * (t1 - t0));
        }
}

/* Lambda: rows = controls, columns = pre periods, target = post mean. */
static void lambda_problem(const we_sdid_block *B, const double *Yc,
                           we_fw_problem *p)
{
    p->rows = B->N0;
    p->n = B->T0;
    memcpy(p->M, Yc, B->N0 * (B->T0 + 1) * sizeof *p->M);
    center_columns(p);
}

/* Omega: rows = pre periods, columns = controls, target = treated mean. */
static void omega_problem(const we_sdid_block *B, const double *Yc,
                          we_fw_problem *p)
{
    p->rows = B->T0;
    p->n = B->N0;
    for (size_t t = 0; t < B->T0; t++)
        for (size_t i = 0; i <= B->N0; i++)
            p->M[t * (B->N0 + 1) + i] = Yc[i * (B->T0 + 1) + t];
    center_columns(p);
}

int we_sdid_weights(const we_sdid_block *B, const we_sdid_tuning *tu,
                    const double *omega_init, const double *lambda_init,
                    double *omega, double *lambda, size_t *it_omega,
                    size_t *it_lambda, we_error *err)
{
    size_t cells = (B->N0 + 1) * (B->T0 + 1), il = 0, io = 0;
    double *Yc = malloc(cells * sizeof *Yc);
    we_fw_problem p = {.M = malloc(cells * sizeof *p.M)};
    int rc = WE_OK;
    if (Yc == NULL || p.M == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    if (rc == WE_OK) {
        collapse(B, Yc);
        lambda_problem(B, Yc, &p);
        rc = we_fw_two_rounds(&p, tu->zeta_lambda, tu, lambda_init, lambda,
                              &il, err);
    }
    if (rc == WE_OK) {
        omega_problem(B, Yc, &p);
        rc = we_fw_two_rounds(&p, tu->zeta_omega, tu, omega_init, omega,
                              &io, err);
    }
    if (rc == WE_OK && it_lambda != NULL)
        *it_lambda += il;
    if (rc == WE_OK && it_omega != NULL)
        *it_omega += io;
    free(Yc);
    free(p.M);
    return rc;
}

double we_sdid_tau(const we_sdid_block *B, const double *omega,
                   const double *lambda)
{
    size_t T = B->T0 + B->T1, N = B->N0 + B->N1;
    double tau = 0;
    for (size_t i = 0; i < N; i++) {
        double a = i < B->N0 ? -omega[i] : 1.0 / (double)B->N1;
        const double *row = B->Y + i * T;
        double r = 0;
        for (size_t t = 0; t < T; t++)
            r += row[t] * (t < B->T0 ? -lambda[t] : 1.0 / (double)B->T1);
        tau += a * r;
    }
    return tau;
}
