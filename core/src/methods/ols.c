#include "methods/ols.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wijkeval/plugin.h"

int we_ols_init(we_ols *o, size_t cap, size_t k, we_error *err)
{
    memset(o, 0, sizeof *o);
    o->cap = cap;
    o->k = k;
    o->X = malloc((cap ? cap : 1) * k * sizeof *o->X);
    o->y = malloc((cap ? cap : 1) * sizeof *o->y);
    o->cluster = malloc((cap ? cap : 1) * sizeof *o->cluster);
    if (o->X == NULL || o->y == NULL || o->cluster == NULL) {
        we_ols_free(o);
        return we_fail(err, WE_ENOMEM, "out of memory for %zu x %zu rows", cap,
                       k);
    }
    return WE_OK;
}

void we_ols_free(we_ols *o)
{
    free(o->X);
    free(o->y);
    free(o->cluster);
    memset(o, 0, sizeof *o);
}

void we_ols_add(we_ols *o, const double *row, double y, int cluster)
{
    memcpy(o->X + o->n * o->k, row, o->k * sizeof *row);
    o->y[o->n] = y;
    o->cluster[o->n] = cluster;
    o->n++;
}

/* X'X and X'y, accumulated row by row. */
static void cross_products(const we_ols *o, gsl_matrix *xtx, gsl_vector *xty)
{
    size_t k = o->k;
    gsl_matrix_set_zero(xtx);
    gsl_vector_set_zero(xty);
    for (size_t r = 0; r < o->n; r++) {
        const double *x = o->X + r * k;
        for (size_t a = 0; a < k; a++) {
            double xa = x[a];
            if (xa == 0.0)
                continue;
            double *dst = gsl_matrix_ptr(xtx, a, 0);
            for (size_t b = 0; b <= a; b++)
                dst[b] += xa * x[b];
            *gsl_vector_ptr(xty, a) += xa * o->y[r];
        }
    }
    for (size_t a = 0; a < k; a++)
        for (size_t b = a + 1; b < k; b++)
            gsl_matrix_set(xtx, a, b, gsl_matrix_get(xtx, b, a));
}

/* Cholesky of X'X; a matrix that is not numerically positive definite
 * means collinear regressors. */
static int factor(gsl_matrix *xtx, we_error *err)
{
    size_t k = xtx->size1;
    double maxdiag = 0;
    for (size_t a = 0; a < k; a++)
        maxdiag = fmax(maxdiag, gsl_matrix_get(xtx, a, a));
    int rc = gsl_linalg_cholesky_decomp1(xtx);
    /* A pivot far below the scale of X'X is rank deficiency in floating
     * point: report it rather than return a meaningless coefficient. */
    for (size_t a = 0; rc == 0 && a < k; a++) {
        double l = gsl_matrix_get(xtx, a, a);
        if (!(l * l > 1e-12 * maxdiag))
            rc = GSL_EDOM;
    }
    if (rc != 0)
        return we_fail(err, WE_ESINGULAR,
                       "the regressors are collinear (for example, "
                       "no treated observation after treatment "
                       "starts, or a period effect that equals the "
                       "treatment)");
    return WE_OK;
}

/* Written out rather than GSL's blocked factorization: the event study
 * and randomisation inference have always used this order of operations,
 * and GSL's rounds differently in the last bits (the pre-trend Wald
 * statistics of the reports would change in the 16th digit). */
int we_chol_factor(double *a, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        double d = a[j * n + j], scale = d;
        for (size_t k = 0; k < j; k++)
            d -= a[j * n + k] * a[j * n + k];
        if (!(d > 1e-12 * scale))
            return WE_ESINGULAR;
        double l = sqrt(d);
        a[j * n + j] = l;
        for (size_t i = j + 1; i < n; i++) {
            double s = a[i * n + j];
            for (size_t k = 0; k < j; k++)
                s -= a[i * n + k] * a[j * n + k];
            a[i * n + j] = s / l;
        }
    }
    return WE_OK;
}

void we_chol_forward(const double *l, size_t n, double *b)
{
    for (size_t i = 0; i < n; i++) {
        double s = b[i];
        for (size_t k = 0; k < i; k++)
            s -= l[i * n + k] * b[k];
        b[i] = s / l[i * n + i];
    }
}

void we_chol_solve(const double *l, size_t n, double *b)
{
    we_chol_forward(l, n, b);
    for (size_t i = n; i-- > 0;) {
        double s = b[i];
        for (size_t k = i + 1; k < n; k++)
            s -= l[k * n + i] * b[k];
        b[i] = s / l[i * n + i];
    }
}

static double cluster_variance(const we_ols *o, size_t G,
                               const gsl_vector *beta, const gsl_vector *a0)
{
    double *w = calloc(G, sizeof *w);
    if (w == NULL)
        return -1.0; /* never a sum of squares, unlike NaN from overflow */
    size_t k = o->k;
    for (size_t r = 0; r < o->n; r++) {
        const double *x = o->X + r * k;
        double fit = 0, ax = 0;
        for (size_t c = 0; c < k; c++) {
            fit += x[c] * gsl_vector_get(beta, c);
            ax += x[c] * gsl_vector_get(a0, c);
        }
        w[o->cluster[r]] += ax * (o->y[r] - fit);
    }
    double v = 0;
    for (size_t g = 0; g < G; g++)
        v += w[g] * w[g];
    free(w);
    return v;
}

int we_ols_cluster(const we_ols *o, size_t G, double *beta0, double *var0,
                   we_error *err)
{
    size_t k = o->k;
    gsl_matrix *xtx = gsl_matrix_alloc(k, k);
    gsl_vector *xty = gsl_vector_alloc(k), *beta = gsl_vector_alloc(k);
    gsl_vector *a0 = gsl_vector_calloc(k);
    int rc = WE_OK;
    if (xtx == NULL || xty == NULL || beta == NULL || a0 == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    if (rc == WE_OK) {
        cross_products(o, xtx, xty);
        rc = factor(xtx, err);
    }
    if (rc == WE_OK) {
        gsl_vector *e0 = gsl_vector_calloc(k);
        if (e0 == NULL)
            rc = we_fail(err, WE_ENOMEM, "out of memory");
        else {
            gsl_vector_set(e0, 0, 1.0);
            /* a0 = (X'X)^-1 e0: the row of the bread for coefficient 0. */
            gsl_linalg_cholesky_solve(xtx, e0, a0);
            gsl_linalg_cholesky_solve(xtx, xty, beta);
            gsl_vector_free(e0);
            *beta0 = gsl_vector_get(beta, 0);
            *var0 = cluster_variance(o, G, beta, a0);
            if (*var0 < 0)
                rc = we_fail(err, WE_ENOMEM, "out of memory");
            else if (!isfinite(*var0) || !isfinite(*beta0))
                rc = we_fail(err, WE_ENODATA,
                             "the estimate or its variance is not "
                             "finite (the sums overflow); check "
                             "the indicator for extreme values");
        }
    }
    gsl_matrix_free(xtx);
    gsl_vector_free(xty);
    gsl_vector_free(beta);
    gsl_vector_free(a0);
    return rc;
}

/* Per-cluster scores S[g] = X_g' u_g (G x k, zeroed here). */
static void cluster_scores(const we_ols *o, const double *beta, double *S,
                           size_t G)
{
    size_t k = o->k;
    memset(S, 0, G * k * sizeof *S);
    for (size_t r = 0; r < o->n; r++) {
        const double *x = o->X + r * k;
        double u = o->y[r];
        for (size_t c = 0; c < k; c++)
            u -= x[c] * beta[c];
        double *s = S + (size_t)o->cluster[r] * k;
        for (size_t c = 0; c < k; c++)
            s[c] += x[c] * u;
    }
}

/* V = sum_g (B s_g)(B s_g)': the sandwich from the scores; B symmetric. */
static void sandwich(const double *S, size_t G, const double *B, size_t k,
                     double *w, double *V)
{
    memset(V, 0, k * k * sizeof *V);
    for (size_t g = 0; g < G; g++) {
        const double *s = S + g * k;
        for (size_t a = 0; a < k; a++) {
            double acc = 0;
            for (size_t c = 0; c < k; c++)
                acc += B[a * k + c] * s[c];
            w[a] = acc;
        }
        for (size_t a = 0; a < k; a++)
            for (size_t b = 0; b < k; b++)
                V[a * k + b] += w[a] * w[b];
    }
}

/* beta and B = (X'X)^-1 (row-major) from the normal equations in xtx and
 * xty; xtx is overwritten. */
static int solve_normal(gsl_matrix *xtx, const gsl_vector *xty, double *beta,
                        double *B, we_error *err)
{
    size_t k = xtx->size1;
    int rc = factor(xtx, err);
    if (rc != WE_OK)
        return rc;
    gsl_vector_view b = gsl_vector_view_array(beta, k);
    gsl_linalg_cholesky_solve(xtx, xty, &b.vector);
    gsl_linalg_cholesky_invert(xtx);
    for (size_t a = 0; a < k; a++)
        for (size_t c = 0; c < k; c++)
            B[a * k + c] = gsl_matrix_get(xtx, a, c);
    return WE_OK;
}

static int solve_full(const we_ols *o, double *beta, double *B,
                      we_error *err)
{
    size_t k = o->k;
    gsl_matrix *xtx = gsl_matrix_alloc(k, k);
    gsl_vector *xty = gsl_vector_alloc(k);
    int rc = WE_OK;
    if (xtx == NULL || xty == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    if (rc == WE_OK) {
        cross_products(o, xtx, xty);
        rc = solve_normal(xtx, xty, beta, B, err);
    }
    gsl_matrix_free(xtx);
    gsl_vector_free(xty);
    return rc;
}

int we_ols_cluster_full(const we_ols *o, size_t G, double *beta, double *V,
                        double *bread, we_error *err)
{
    size_t k = o->k;
    double *B = bread != NULL ? bread : malloc(k * k * sizeof *B);
    double *S = malloc((G ? G : 1) * k * sizeof *S);
    double *w = malloc(k * sizeof *w);
    int rc = WE_OK;
    if (B == NULL || S == NULL || w == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    if (rc == WE_OK)
        rc = solve_full(o, beta, B, err);
    if (rc == WE_OK) {
        cluster_scores(o, beta, S, G);
        sandwich(S, G, B, k, w, V);
    }
    if (bread == NULL)
        free(B);
    free(S);
    free(w);
    return rc;
}

int we_ols_normal_solve(const double *xtx, const double *xty, size_t k,
                        double *beta, double *B, we_error *err)
{
    gsl_matrix_const_view m = gsl_matrix_const_view_array(xtx, k, k);
    gsl_vector_const_view v = gsl_vector_const_view_array(xty, k);
    gsl_matrix *a = gsl_matrix_alloc(k, k);
    if (a == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    gsl_matrix_memcpy(a, &m.matrix);
    int rc = solve_normal(a, &v.vector, beta, B, err);
    gsl_matrix_free(a);
    return rc;
}

int we_ols_sandwich(const double *S, size_t G, const double *B, size_t k,
                    double *V, we_error *err)
{
    double *w = malloc((k ? k : 1) * sizeof *w);
    if (w == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    sandwich(S, G, B, k, w, V);
    free(w);
    return WE_OK;
}
