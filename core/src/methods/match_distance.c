/* The two matching distances: the Mahalanobis distance with the pooled
 * within-group covariance (as MatchIt >= 4.4 and optmatch compute it), and
 * the propensity score from a logit fitted the way R's glm.fit fits it, so
 * that the scores agree with MatchIt's distance = "glm" to rounding. */
#include "methods/match_internal.h"

#include <float.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* 1 - R^2 of a feature on the features before it, on the correlation
 * scale, below which the covariance counts as singular. */
#define COLLINEAR_TOL 1e-10
/* glm.control(): epsilon and maxit. */
#define GLM_EPSILON 1e-8
#define GLM_MAXIT 25
/* A QR pivot this small relative to its column norm: collinear design. */
#define QR_RANK_TOL 1e-10

/* ---- Mahalanobis --------------------------------------------------------- */

/* Pooled within-group covariance: each row centred at its own group's
 * mean (treated or comparison), cross-products over m - 2. */
static void pooled_covariance(const we_match_data *md, double *mean,
                              gsl_matrix *S)
{
    size_t q = md->q, cnt[2] = {0, 0};
    memset(mean, 0, 2 * q * sizeof *mean);
    for (size_t e = 0; e < md->m; e++) {
        size_t g = md->treated[e];
        cnt[g]++;
        for (size_t u = 0; u < q; u++)
            mean[g * q + u] += md->Z[e * q + u];
    }
    for (size_t g = 0; g < 2; g++)
        for (size_t u = 0; u < q; u++)
            mean[g * q + u] /= (double)cnt[g];
    gsl_matrix_set_zero(S);
    for (size_t e = 0; e < md->m; e++) {
        const double *z = md->Z + e * q, *mu = mean + md->treated[e] * q;
        for (size_t a = 0; a < q; a++)
            for (size_t b = 0; b <= a; b++)
                *gsl_matrix_ptr(S, a, b) += (z[a] - mu[a]) * (z[b] - mu[b]);
    }
    for (size_t a = 0; a < q; a++)
        for (size_t b = 0; b <= a; b++) {
            double v = gsl_matrix_get(S, a, b) / (double)(md->m - 2);
            gsl_matrix_set(S, a, b, v);
            gsl_matrix_set(S, b, a, v);
        }
}

/* Cholesky of the leading j x j block of R; 0 when it is positive
 * definite with every pivot above the tolerance. */
static int leading_block_ok(const gsl_matrix *R, size_t j, gsl_matrix *work)
{
    gsl_matrix_const_view src = gsl_matrix_const_submatrix(R, 0, 0, j, j);
    gsl_matrix_view dst = gsl_matrix_submatrix(work, 0, 0, j, j);
    gsl_matrix_memcpy(&dst.matrix, &src.matrix);
    if (gsl_linalg_cholesky_decomp1(&dst.matrix) != GSL_SUCCESS)
        return 0;
    for (size_t u = 0; u < j; u++) {
        double l = gsl_matrix_get(&dst.matrix, u, u);
        if (!(l * l > COLLINEAR_TOL))
            return 0;
    }
    return 1;
}

/* Names the first feature that is (almost) a linear combination of the
 * features before it: the first leading block that fails ends with it. */
static int report_collinear(const gsl_matrix *R, gsl_matrix *work,
                            const char *const *feature_labels,
                            const size_t *feature_col, we_error *err)
{
    size_t q = R->size1, j = 1;
    while (j < q && leading_block_ok(R, j + 1, work))
        j++;
    size_t culprit = j < q ? j : q - 1;
    char buf[64];
    return we_fail(err, WE_ESINGULAR,
                   "Mahalanobis matching: the pooled covariance of "
                   "the matching features is singular: %s is (almost) "
                   "a linear combination of the features before it; "
                   "leave it out",
                   we_match_feature_name(feature_labels, feature_col[culprit],
                                         buf, sizeof buf));
}

/* R = S scaled to unit diagonal; fails on a feature without variance
 * within the groups. */
static int scale_covariance(const gsl_matrix *S, gsl_matrix *R, double *sd,
                            const char *const *feature_labels,
                            const size_t *feature_col, we_error *err)
{
    size_t q = S->size1;
    for (size_t u = 0; u < q; u++) {
        sd[u] = sqrt(gsl_matrix_get(S, u, u));
        if (!(sd[u] > 0)) {
            char buf[64];
            return we_fail(err, WE_ESINGULAR,
                           "Mahalanobis matching: %s does not vary "
                           "within the treated nor within the "
                           "comparison areas (pooled within-group "
                           "variance 0); leave it out or use the "
                           "propensity score",
                           we_match_feature_name(feature_labels,
                                                 feature_col[u], buf,
                                                 sizeof buf));
        }
    }
    for (size_t a = 0; a < q; a++)
        for (size_t b = 0; b < q; b++)
            gsl_matrix_set(R, a, b,
                           gsl_matrix_get(S, a, b) / (sd[a] * sd[b]));
    return WE_OK;
}

/* z <- L^-1 (z / sd) for every row, with R = L L'. */
static void whiten_rows(we_match_data *md, const gsl_matrix *L,
                        const double *sd)
{
    gsl_vector_view v;
    for (size_t e = 0; e < md->m; e++) {
        double *z = md->Z + e * md->q;
        for (size_t u = 0; u < md->q; u++)
            z[u] /= sd[u];
        v = gsl_vector_view_array(z, md->q);
        gsl_blas_dtrsv(CblasLower, CblasNoTrans, CblasNonUnit, L, &v.vector);
    }
}

int we_match_whiten(we_match_data *md, const char *const *feature_labels,
                    const size_t *feature_col, we_error *err)
{
    size_t q = md->q;
    if (md->m < 3)
        return we_fail(err, WE_ENODATA,
                       "Mahalanobis matching: %zu areas take part; "
                       "the pooled covariance needs at least 3",
                       md->m);
    gsl_matrix *S = gsl_matrix_alloc(q, q), *R = gsl_matrix_alloc(q, q);
    gsl_matrix *work = gsl_matrix_alloc(q, q);
    double *mean = malloc(2 * q * sizeof *mean), *sd = malloc(q * sizeof *sd);
    int rc = WE_OK;
    if (S == NULL || R == NULL || work == NULL || mean == NULL || sd == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    if (rc == WE_OK) {
        pooled_covariance(md, mean, S);
        rc = scale_covariance(S, R, sd, feature_labels, feature_col, err);
    }
    if (rc == WE_OK && !leading_block_ok(R, q, work))
        rc = report_collinear(R, work, feature_labels, feature_col, err);
    if (rc == WE_OK)
        whiten_rows(md, work, sd); /* work holds the Cholesky factor of R */
    gsl_matrix_free(S);
    gsl_matrix_free(R);
    gsl_matrix_free(work);
    free(mean);
    free(sd);
    return rc;
}

/* ---- propensity score ------------------------------------------------------ */

/* R's binomial()$linkinv and $mu.eta (family.c), thresholds included, so
 * that the iterations follow glm.fit's. */
#define LOGIT_THRESH 30.0

static double logit_inv(double eta)
{
    double t = eta < -LOGIT_THRESH  ? DBL_EPSILON
               : eta > LOGIT_THRESH ? 1.0 / DBL_EPSILON
                                    : exp(eta);
    return t / (1.0 + t);
}

static double logit_mu_eta(double eta)
{
    if (eta > LOGIT_THRESH || eta < -LOGIT_THRESH)
        return DBL_EPSILON;
    double opexp = 1.0 + exp(eta);
    return exp(eta) / (opexp * opexp);
}

static double deviance(const we_match_data *md, const double *mu)
{
    double dev = 0;
    for (size_t e = 0; e < md->m; e++)
        dev += 2.0 * (md->treated[e] ? log(1.0 / mu[e])
                                     : log(1.0 / (1.0 - mu[e])));
    return dev;
}

typedef struct irls_work {
    gsl_matrix *A;
    gsl_vector *tau, *b, *x, *res;
    double *eta, *mu, *norm;
} irls_work;

static void irls_free(irls_work *w)
{
    gsl_matrix_free(w->A);
    gsl_vector_free(w->tau);
    gsl_vector_free(w->b);
    gsl_vector_free(w->x);
    gsl_vector_free(w->res);
    free(w->eta);
    free(w->mu);
    free(w->norm);
}

static int irls_alloc(irls_work *w, size_t m, size_t k)
{
    w->A = gsl_matrix_alloc(m, k);
    w->tau = gsl_vector_alloc(k);
    w->b = gsl_vector_alloc(m);
    w->x = gsl_vector_alloc(k);
    w->res = gsl_vector_alloc(m);
    w->eta = malloc(m * sizeof *w->eta);
    w->mu = malloc(m * sizeof *w->mu);
    w->norm = malloc(k * sizeof *w->norm);
    return w->A && w->tau && w->b && w->x && w->res && w->eta && w->mu &&
           w->norm;
}

/* One weighted least-squares step: rows sqrt(w) [1, z], response
 * sqrt(w) (eta + (y - mu) / mu.eta); QR without pivoting, with a rank
 * check against each column's norm. Returns the deficient column + 1, or
 * 0. */
static size_t irls_step(const we_match_data *md, irls_work *w)
{
    size_t k = md->q + 1;
    for (size_t e = 0; e < md->m; e++) {
        double me = logit_mu_eta(w->eta[e]), mu = w->mu[e];
        double sw = sqrt(me * me / (mu * (1.0 - mu)));
        double z = w->eta[e] + ((double)md->treated[e] - mu) / me;
        gsl_matrix_set(w->A, e, 0, sw);
        for (size_t u = 0; u < md->q; u++)
            gsl_matrix_set(w->A, e, u + 1, sw * md->Z[e * md->q + u]);
        gsl_vector_set(w->b, e, sw * z);
    }
    for (size_t j = 0; j < k; j++) {
        gsl_vector_view col = gsl_matrix_column(w->A, j);
        w->norm[j] = gsl_blas_dnrm2(&col.vector);
    }
    gsl_linalg_QR_decomp(w->A, w->tau);
    for (size_t j = 0; j < k; j++)
        if (!(fabs(gsl_matrix_get(w->A, j, j)) > QR_RANK_TOL * w->norm[j]))
            return j + 1;
    gsl_linalg_QR_lssolve(w->A, w->tau, w->b, w->x, w->res);
    for (size_t e = 0; e < md->m; e++) {
        double eta = gsl_vector_get(w->x, 0);
        for (size_t u = 0; u < md->q; u++)
            eta += gsl_vector_get(w->x, u + 1) * md->Z[e * md->q + u];
        w->eta[e] = eta;
        w->mu[e] = logit_inv(eta);
    }
    return 0;
}

static int separation_error(const we_match_data *md, const double *mu,
                            we_error *err)
{
    const double eps = 10.0 * DBL_EPSILON;
    size_t n0 = 0, n1 = 0;
    for (size_t e = 0; e < md->m; e++) {
        n0 += mu[e] < eps;
        n1 += mu[e] > 1.0 - eps;
    }
    if (n0 + n1 == 0)
        return WE_OK;
    return we_fail(err, WE_ESINGULAR,
                   "propensity score: the features separate treated "
                   "and comparison areas (fitted probability "
                   "numerically 0 for %zu and 1 for %zu areas), so "
                   "the logit has no finite estimate; use Mahalanobis "
                   "matching or fewer features",
                   n0, n1);
}

static int irls_run(const we_match_data *md, irls_work *w, int *iterations,
                    const char *const *feature_labels,
                    const size_t *feature_col, we_error *err)
{
    for (size_t e = 0; e < md->m; e++) {
        w->mu[e] = ((double)md->treated[e] + 0.5) / 2.0;
        w->eta[e] = log(w->mu[e] / (1.0 - w->mu[e]));
    }
    double devold = deviance(md, w->mu);
    for (int it = 1; it <= GLM_MAXIT; it++) {
        size_t bad = irls_step(md, w);
        if (bad > 0) {
            char buf[64];
            const char *name =
                bad == 1 ? "the intercept"
                         : we_match_feature_name(feature_labels,
                                                 feature_col[bad - 2], buf,
                                                 sizeof buf);
            return we_fail(err, WE_ESINGULAR,
                           "propensity score: %s is a linear "
                           "combination of the other columns of the "
                           "logit design; leave the feature out",
                           name);
        }
        double dev = deviance(md, w->mu);
        if (!isfinite(dev))
            return we_fail(err, WE_ESINGULAR,
                           "propensity score: the logit deviance is "
                           "not finite at iteration %d; use "
                           "Mahalanobis matching",
                           it);
        *iterations = it;
        if (fabs(dev - devold) / (fabs(dev) + 0.1) < GLM_EPSILON)
            return separation_error(md, w->mu, err);
        devold = dev;
    }
    return we_fail(err, WE_ESINGULAR,
                   "propensity score: the logit did not converge in "
                   "%d iterations (often a sign of separation); use "
                   "Mahalanobis matching or fewer features",
                   GLM_MAXIT);
}

int we_match_logit(const we_match_data *md, double *beta, double *prob,
                   int *iterations, const char *const *feature_labels,
                   const size_t *feature_col, we_error *err)
{
    size_t k = md->q + 1;
    if (md->m <= k)
        return we_fail(err, WE_ENODATA,
                       "propensity score: %zu parameters for %zu "
                       "areas; use fewer features or Mahalanobis "
                       "matching",
                       k, md->m);
    irls_work w = {0};
    int rc =
        irls_alloc(&w, md->m, k)
            ? irls_run(md, &w, iterations, feature_labels, feature_col, err)
            : we_fail(err, WE_ENOMEM, "out of memory");
    if (rc == WE_OK) {
        for (size_t j = 0; j < k; j++)
            beta[j] = gsl_vector_get(w.x, j);
        memcpy(prob, w.mu, md->m * sizeof *prob);
    }
    irls_free(&w);
    return rc;
}
