/* The Callaway-Sant'Anna design's own pre-period check: the pre-period
 * elements of the dynamic aggregation, tested jointly with the clustered
 * covariance of their influence functions (docs/methods.md, "Pre-period
 * check of each design"). */
#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>

#include "methods/cs_internal.h"
#include "methods/sensitivity.h"

/* V_ab = sum_c S_ac S_bc / n^2 over the dynamic elements: the analytic
 * se's (cs_inference.c) are the roots of its diagonal. */
static int dyn_cov(const cs_work *w, const cs_layout *lay, double *V)
{
    size_t m = lay->n_dyn, G = w->G;
    double *S = calloc(m * (G ? G : 1), sizeof *S);
    if (S == NULL)
        return WE_ENOMEM;
    for (size_t a = 0; a < m; a++)
        for (size_t i = 0; i < w->n; i++)
            S[a * G + (size_t)w->cl[i]] += w->psi[(lay->dyn0 + a) * w->n + i];
    double n2 = (double)w->n * (double)w->n;
    for (size_t a = 0; a < m; a++)
        for (size_t b = 0; b <= a; b++) {
            double v = 0.0;
            for (size_t c = 0; c < G; c++)
                v += S[a * G + c] * S[b * G + c];
            V[a * m + b] = V[b * m + a] = v / n2;
        }
    free(S);
    return WE_OK;
}

/* W = b' V^-1 b over the first q elements (the pre-period ones: keys
 * ascend); NaN when their covariance is singular. */
static double wald(const double *V, size_t m, const we_cs_aggregation *a,
                   size_t q)
{
    gsl_matrix *L = gsl_matrix_alloc(q, q);
    gsl_vector *b = gsl_vector_alloc(q), *x = gsl_vector_alloc(q);
    double W = NAN;
    if (L != NULL && b != NULL && x != NULL) {
        for (size_t i = 0; i < q; i++) {
            gsl_vector_set(b, i, a->elem[i].s.estimate);
            for (size_t j = 0; j < q; j++)
                gsl_matrix_set(L, i, j, V[i * m + j]);
        }
        if (gsl_linalg_cholesky_decomp1(L) == GSL_SUCCESS &&
            gsl_linalg_cholesky_solve(L, b, x) == GSL_SUCCESS)
            gsl_blas_ddot(b, x, &W);
    }
    gsl_matrix_free(L);
    gsl_vector_free(b);
    gsl_vector_free(x);
    return W;
}

int we_cs_pretest(const cs_work *w, const cs_layout *lay, we_cs_result *out,
                  we_error *err)
{
    size_t m = lay->n_dyn;
    out->pre_q = 0;
    out->pre_df = 0;
    out->pre_wald = out->pre_f = out->pre_p = out->pre_scale = NAN;
    if (m == 0)
        return WE_OK;
    out->dyn_vcov = malloc(m * m * sizeof *out->dyn_vcov);
    if (out->dyn_vcov == NULL || dyn_cov(w, lay, out->dyn_vcov) != WE_OK)
        return we_fail(err, WE_ENOMEM, "out of memory");
    size_t q = 0;
    while (q < out->dynamic.n && out->dynamic.elem[q].key < 0)
        q++;
    out->pre_q = q;
    out->pre_df = w->G > q ? w->G - q : 0;
    out->pre_scale = (double)out->pre_df / (double)w->G;
    if (q == 0 || out->pre_df == 0)
        return WE_OK;
    out->pre_wald = wald(out->dyn_vcov, m, &out->dynamic, q);
    if (isfinite(out->pre_wald)) {
        out->pre_f = out->pre_wald * out->pre_scale / (double)q;
        out->pre_p = gsl_cdf_fdist_Q(out->pre_f, (double)q,
                                     (double)out->pre_df);
    }
    return WE_OK;
}

int we_cs_pretest_power(const we_cs_result *r, double slope, double alpha,
                        double *power, double *ncp, we_error *err)
{
    *power = *ncp = NAN;
    if (r->pre_q == 0 || r->pre_df == 0 || r->dyn_vcov == NULL)
        return we_fail(err, WE_ENODATA, "no pre-period check");
    double *delta = malloc(r->pre_q * sizeof *delta);
    if (delta == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    /* d' (V / s)^-1 d = s d' V^-1 d: scale the trend by sqrt(s) */
    for (size_t a = 0; a < r->pre_q; a++)
        delta[a] = slope * sqrt(r->pre_scale);
    int rc = we_wald_power(delta, r->dyn_vcov, r->dynamic.n, r->pre_q,
                           (double)r->pre_df, alpha, power, ncp, err);
    free(delta);
    return rc;
}
