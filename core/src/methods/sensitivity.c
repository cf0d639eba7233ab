/* Pre-test power and relative-magnitudes sensitivity (sensitivity.h).
 * The derivations are in docs/methods.md; tests/oracle/sensitivity.py
 * solves the same problems as linear programmes with scipy. */
#include "methods/sensitivity.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

static int normal_ref(double df)
{
    return !(df > 0.0) || !isfinite(df);
}

/* The upper p quantile of the t(df) (normal without df). */
static double t_upper(double p, double df)
{
    return normal_ref(df) ? gsl_cdf_ugaussian_Qinv(p)
                          : gsl_cdf_tdist_Qinv(p, df);
}

double we_ncf_sf(double x, double q, double df2, double ncp)
{
    if (!(q > 0.0) || !(ncp >= 0.0) || isnan(x))
        return NAN;
    if (x <= 0.0)
        return 1.0;
    double mu = ncp / 2.0;
    /* Poisson(mu) weights of central distributions with q + 2j df. */
    double jmax = mu + 40.0 * sqrt(mu + 1.0) + 50.0;
    double sum = 0.0, mass = 0.0;
    for (unsigned j = 0; (double)j <= jmax; j++) {
        double w = mu > 0.0 ? gsl_ran_poisson_pdf(j, mu) : j == 0;
        double tail;
        if (normal_ref(df2))
            tail = gsl_cdf_chisq_Q(q * x, q + 2.0 * j);
        else
            tail = gsl_cdf_beta_Q(q * x / (q * x + df2), q / 2.0 + j,
                                  df2 / 2.0);
        sum += w * tail;
        mass += w;
        if ((double)j > mu && 1.0 - mass < 1e-14)
            break;
    }
    return sum > 1.0 ? 1.0 : sum;
}

static size_t count_leads(const we_es_input *es)
{
    size_t q = 0;
    for (size_t j = 0; j < es->n; j++)
        q += es->rel[j] <= -2;
    return q;
}

int we_wald_power(const double *delta, const double *V, size_t ldv,
                  size_t q, double df, double alpha, double *power,
                  double *ncp, we_error *err)
{
    *power = *ncp = NAN;
    if (q == 0)
        return we_fail(err, WE_ENODATA,
                       "no pre-period coefficient: no pre-period check");
    if (!(alpha > 0.0 && alpha < 1.0))
        return we_fail(err, WE_EINVAL, "alpha must lie in (0, 1)");
    gsl_matrix *L = gsl_matrix_alloc(q, q);
    gsl_vector *d = gsl_vector_alloc(q), *x = gsl_vector_alloc(q);
    int rc = L && d && x ? WE_OK : we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t a = 0; rc == WE_OK && a < q; a++) {
        if (!isfinite(delta[a]))
            rc = we_fail(err, WE_EINVAL, "the trend is not finite");
        gsl_vector_set(d, a, delta[a]);
        for (size_t b = 0; b < q; b++)
            gsl_matrix_set(L, a, b, V[a * ldv + b]);
    }
    if (rc == WE_OK && gsl_linalg_cholesky_decomp1(L) != GSL_SUCCESS)
        rc = we_fail(err, WE_ESINGULAR, "the pre-period covariance is not "
                                        "positive definite");
    if (rc == WE_OK) {
        gsl_linalg_cholesky_solve(L, d, x);
        double lambda = 0.0;
        gsl_blas_ddot(d, x, &lambda);
        double crit = normal_ref(df)
                          ? gsl_cdf_chisq_Qinv(alpha, (double)q) / (double)q
                          : gsl_cdf_fdist_Qinv(alpha, (double)q, df);
        *ncp = lambda;
        *power = we_ncf_sf(crit, (double)q, df, lambda);
    }
    gsl_matrix_free(L);
    gsl_vector_free(d);
    gsl_vector_free(x);
    return rc;
}

int we_pretest_power_linear(const we_es_input *es, double slope,
                            double alpha, double *power, double *ncp,
                            we_error *err)
{
    size_t q = count_leads(es);
    double *delta = malloc((q ? q : 1) * sizeof *delta);
    if (delta == NULL) {
        *power = *ncp = NAN;
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    /* The leads come first (rel ascending). */
    for (size_t a = 0; a < q; a++)
        delta[a] = slope * (es->rel[a] + 1);
    int rc = we_wald_power(delta, es->V, es->n, q, es->df, alpha, power,
                           ncp, err);
    free(delta);
    return rc;
}

void we_rm_interval(const we_rm_sensitivity *s, double mbar, double *low,
                    double *high)
{
    double half = s->crit_theta * s->se_theta + mbar * s->dmax * s->steps;
    *low = s->theta - half;
    *high = s->theta + half;
}

int we_rm_sensitivity_compute(const we_es_input *es, double alpha,
                              double mbar, we_rm_sensitivity *out,
                              we_error *err)
{
    out->theta = out->se_theta = out->dmax = out->steps = NAN;
    out->ci_low = out->ci_high = out->breakdown_mbar = NAN;
    out->crit_theta = out->crit_box = NAN;
    out->mbar = mbar;
    out->n_leads = out->n_lags = 0;
    out->clf = 0;
    out->proj_low = out->proj_high = out->proj_breakdown = NAN;
    out->grid_step = out->breakdown_tol = NAN;
    if (!(alpha > 0.0 && alpha < 1.0) || !(mbar >= 0.0))
        return we_fail(err, WE_EINVAL,
                       "alpha must lie in (0, 1) and Mbar be >= 0");
    size_t q = count_leads(es), first_lag = es->n;
    for (size_t j = 0; j < es->n; j++) {
        if (es->rel[j] == -1 || (j > 0 && es->rel[j] <= es->rel[j - 1]))
            return we_fail(err, WE_EINVAL, "event times must ascend and "
                                           "leave out the reference -1");
        if (es->rel[j] >= 0 && first_lag == es->n)
            first_lag = j;
    }
    size_t L = es->n - first_lag;
    if (q == 0 || L == 0)
        return we_fail(err, WE_ENODATA,
                       "the relative-magnitudes bound needs a lead (event "
                       "time <= -2) and a lag (event time >= 0)");
    /* theta = l'b with l = 1/L on the lags; its variance l'V l. */
    double th = 0.0, var = 0.0, steps = 0.0;
    for (size_t a = first_lag; a < es->n; a++) {
        th += es->b[a] / (double)L;
        steps += (double)(es->rel[a] + 1) / (double)L;
        for (size_t b = first_lag; b < es->n; b++)
            var += es->V[a * es->n + b] / ((double)L * (double)L);
    }
    /* The box: every lead within crit_box of its estimate; the lead
     * changes, with the reference's 0 after the last lead. */
    double cb = t_upper(alpha / (4.0 * (double)q), es->df);
    double dmax = 0.0;
    for (size_t a = 0; a < q; a++) {
        double sa = sqrt(es->V[a * es->n + a]);
        double bn = a + 1 < q ? es->b[a + 1] : 0.0;
        double sn = a + 1 < q ? sqrt(es->V[(a + 1) * es->n + a + 1]) : 0.0;
        double d = fabs(bn - es->b[a]) + cb * (sa + sn);
        if (!isfinite(d))
            return we_fail(err, WE_EINVAL, "a lead or its variance is not "
                                           "finite");
        if (d > dmax)
            dmax = d;
    }
    if (!(var > 0.0) || !isfinite(var) || !isfinite(th))
        return we_fail(err, WE_EINVAL, "the average lag has no positive "
                                       "finite variance");
    out->theta = th;
    out->se_theta = sqrt(var);
    out->crit_theta = t_upper(alpha / 4.0, es->df);
    out->crit_box = cb;
    out->dmax = dmax;
    out->steps = steps;
    out->n_leads = q;
    out->n_lags = L;
    we_rm_interval(out, mbar, &out->ci_low, &out->ci_high);
    double room = fabs(th) - out->crit_theta * out->se_theta;
    if (!(room > 0.0))
        out->breakdown_mbar = 0.0;
    else if (!(dmax * steps > 0.0))
        out->breakdown_mbar = INFINITY;
    else
        out->breakdown_mbar = room / (dmax * steps);
    out->proj_low = out->ci_low;
    out->proj_high = out->ci_high;
    out->proj_breakdown = out->breakdown_mbar;
    return WE_OK;
}
