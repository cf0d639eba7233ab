/* Donor weights of one synthetic control fit, with the predictor weights
 * V chosen by the caller, by inverse variance, or by minimising the
 * pre-period outcome MSPE over V (the nested problem of Abadie and
 * Gardeazabal 2003 and the Synth package). */
#include "methods/synth_internal.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

double we_sc_mspe(const we_sc_problem *p, const double *w)
{
    double ss = 0;
    for (size_t r = 0; r < p->m_fit; r++) {
        double s = 0;
        for (size_t j = 0; j < p->n_donors; j++)
            s += w[j] * p->Y0[j * p->m_fit + r];
        ss += (p->y1[r] - s) * (p->y1[r] - s);
    }
    return ss / (double)p->m_fit;
}

/* Solves min sum_k v_k (x1_k - X0_k w)^2 by scaling the rows by sqrt(v). */
static int solve_weighted(const we_sc_problem *p, const double *v, double *A,
                          double *b, double *w, we_simplex_info *info,
                          we_error *err)
{
    size_t k = p->n_pred;
    for (size_t r = 0; r < k; r++) {
        double s = sqrt(v[r]);
        b[r] = s * p->x1[r];
        for (size_t j = 0; j < p->n_donors; j++)
            A[j * k + r] = s * p->X0[j * k + r];
    }
    return we_simplex_ls(A, k, p->n_donors, b, w, info, err);
}

/* Variance (n - 1) of predictor k over the target and the donors. */
static double predictor_variance(const we_sc_problem *p, size_t k)
{
    size_t n = p->n_donors + 1;
    double mean = p->x1[k];
    for (size_t j = 0; j < p->n_donors; j++)
        mean += p->X0[j * p->n_pred + k];
    mean /= (double)n;
    double ss = (p->x1[k] - mean) * (p->x1[k] - mean);
    for (size_t j = 0; j < p->n_donors; j++) {
        double e = p->X0[j * p->n_pred + k] - mean;
        ss += e * e;
    }
    return ss / (double)(n - 1);
}

/* v_k = u_k / var_k, normalised; predictors without variation get 0 (the
 * target equals every donor on them, so their weight is immaterial). */
static int scale_by_variance(const we_sc_problem *p, const double *u,
                             double *v, we_error *err)
{
    double sum = 0;
    for (size_t k = 0; k < p->n_pred; k++) {
        double var = predictor_variance(p, k);
        v[k] = var > 0 ? u[k] / var : 0.0;
        sum += v[k];
    }
    if (!(sum > 0) || !isfinite(sum))
        return we_fail(err, WE_ENODATA,
                       "synthetic control: no predictor varies "
                       "over the treated area and its donors; give "
                       "predictors that differ between areas");
    for (size_t k = 0; k < p->n_pred; k++)
        v[k] /= sum;
    return WE_OK;
}

static int invvar_v(const we_sc_problem *p, double *v, we_error *err)
{
    for (size_t k = 0; k < p->n_pred; k++)
        v[k] = 1.0;
    return scale_by_variance(p, v, v, err);
}

static int custom_v(const we_sc_options *o, double *v, we_error *err)
{
    double sum = 0;
    if (o->v == NULL)
        return we_fail(err, WE_EINVAL,
                       "synthetic control: v_mode is custom but no "
                       "predictor weights were given");
    for (size_t k = 0; k < o->n_pred; k++) {
        if (!(o->v[k] >= 0) || !isfinite(o->v[k]))
            return we_fail(err, WE_EINVAL,
                           "synthetic control: predictor weight %zu "
                           "is %g; weights must be finite and >= 0",
                           k, o->v[k]);
        sum += o->v[k];
    }
    if (!(sum > 0))
        return we_fail(err, WE_EINVAL,
                       "synthetic control: the predictor weights "
                       "are all zero; give at least one positive weight");
    for (size_t k = 0; k < o->n_pred; k++)
        v[k] = o->v[k] / sum;
    return WE_OK;
}

/* ---- the nested MSPE minimisation --------------------------------------
 * u = theta^2 / sum(theta^2) on the standardised predictors, so that the
 * search is unconstrained; Nelder-Mead (GSL nmsimplex2) from equal u,
 * restarted once from its end point. The MSPE is a step-wise smooth,
 * non-convex function of V: the result is a local optimum, as Synth's. */

typedef struct nested {
    const we_sc_problem *p;
    double *u, *v, *A, *b, *w;
} nested;

static double nested_mspe(const gsl_vector *theta, void *params)
{
    nested *n = params;
    size_t k = n->p->n_pred;
    double s = 0;
    for (size_t i = 0; i < k; i++)
        s += gsl_vector_get(theta, i) * gsl_vector_get(theta, i);
    if (!(s > 0) || !isfinite(s))
        return INFINITY;
    for (size_t i = 0; i < k; i++)
        n->u[i] = gsl_vector_get(theta, i) * gsl_vector_get(theta, i) / s;
    if (scale_by_variance(n->p, n->u, n->v, NULL) != WE_OK ||
        solve_weighted(n->p, n->v, n->A, n->b, n->w, NULL, NULL) != WE_OK)
        return INFINITY;
    return we_sc_mspe(n->p, n->w);
}

static double nelder_mead(nested *n, gsl_vector *theta)
{
    size_t k = n->p->n_pred;
    /* The member .f shares the variable's name; cppcheck 2.10 then takes
     * the initialiser for a read of f itself. */
    /* cppcheck-suppress legacyUninitvar */
    gsl_multimin_function f = {.f = nested_mspe, .n = k, .params = n};
    gsl_multimin_fminimizer *s =
        gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, k);
    gsl_vector *step = gsl_vector_alloc(k);
    if (s == NULL || step == NULL) {
        if (s != NULL)
            gsl_multimin_fminimizer_free(s);
        if (step != NULL)
            gsl_vector_free(step);
        return INFINITY;
    }
    gsl_vector_set_all(step, 0.5);
    gsl_multimin_fminimizer_set(s, &f, theta, step);
    for (int it = 0; it < 2000; it++) {
        if (gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS)
            break;
        if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), 1e-7) ==
            GSL_SUCCESS)
            break;
    }
    double best = s->fval;
    gsl_vector_memcpy(theta, s->x);
    gsl_multimin_fminimizer_free(s);
    gsl_vector_free(step);
    return best;
}

static int optimise_v(const we_sc_problem *p, double *v, we_error *err)
{
    size_t k = p->n_pred, nd = p->n_donors;
    nested n = {.p = p};
    n.u = malloc(k * sizeof *n.u);
    n.v = v;
    n.A = malloc(k * nd * sizeof *n.A);
    n.b = malloc(k * sizeof *n.b);
    n.w = malloc(nd * sizeof *n.w);
    gsl_vector *theta = gsl_vector_alloc(k);
    int rc = WE_OK;
    if (n.u == NULL || n.A == NULL || n.b == NULL || n.w == NULL ||
        theta == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    if (rc == WE_OK) {
        gsl_vector_set_all(theta, 1.0);
        nelder_mead(&n, theta);
        nelder_mead(&n, theta);
        /* Evaluating at the end point leaves its weights in v. */
        if (!isfinite(nested_mspe(theta, &n)))
            rc = invvar_v(p, v, err);
    }
    free(n.u);
    free(n.A);
    free(n.b);
    free(n.w);
    if (theta != NULL)
        gsl_vector_free(theta);
    return rc;
}

static int choose_v(const we_sc_problem *p, const we_sc_options *o,
                    double *v, we_error *err)
{
    switch (o->v_mode) {
    case WE_SC_V_CUSTOM:
        return custom_v(o, v, err);
    case WE_SC_V_INVVAR:
        return invvar_v(p, v, err);
    case WE_SC_V_OPTIMISE:
        if (p->n_pred == 1) {
            v[0] = 1.0;
            return WE_OK;
        }
        return optimise_v(p, v, err);
    }
    return we_fail(err, WE_EINVAL, "synthetic control: unknown v_mode %d",
                   (int)o->v_mode);
}

int we_sc_solve(const we_sc_problem *p, const we_sc_options *o, double *v,
                double *w, we_simplex_info *info, we_error *err)
{
    if (p->n_pred == 0)
        return we_simplex_ls(p->Y0, p->m_fit, p->n_donors, p->y1, w, info,
                             err);
    int rc = choose_v(p, o, v, err);
    if (rc != WE_OK)
        return rc;
    double *A = malloc(p->n_pred * p->n_donors * sizeof *A);
    double *b = malloc(p->n_pred * sizeof *b);
    if (A == NULL || b == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    else
        rc = solve_weighted(p, v, A, b, w, info, err);
    free(A);
    free(b);
    return rc;
}
