/* Least squares on the unit simplex: min ||b - A w||^2, w >= 0, sum w = 1.
 *
 * A primal active-set method in the manner of Lawson and Hanson's NNLS.
 * The support S starts at the best single donor. Each outer step adds the
 * donor whose gradient lies furthest below the support's common value mu
 * (a descent direction inside the simplex); each inner step solves the
 * equality-constrained problem on S exactly and, when that solution leaves
 * the simplex, moves to the boundary and drops the donors that hit zero.
 * The subproblem eliminates the sum constraint with a pivot donor k:
 * w_k = 1 - sum_{i != k} w_i, so it is the plain least squares of b - A_k
 * on the columns A_i - A_k, solved by Householder QR. A donor is added only
 * when its gradient shows descent, so it is never in the affine hull of S
 * and the columns stay independent. */
#include "methods/synth.h"

#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct sx {
    const double *A, *b;
    size_t m, n;
    double *w, *z, *g, *r;  /* weights, trial weights, gradient, residual */
    double *wb;             /* weights before the last addition */
    size_t *S, *Sb;         /* support (S[0] is the pivot), and backup */
    size_t s, sb;
    double tol;             /* gradient tolerance for optimality */
    gsl_matrix *M;          /* m x (m+1) workspace for the QR */
    gsl_vector *tau, *rhs, *sol, *res;
} sx;

static void sx_free(sx *p)
{
    free(p->z);
    free(p->g);
    free(p->r);
    free(p->S);
    free(p->wb);
    free(p->Sb);
    if (p->M != NULL)
        gsl_matrix_free(p->M);
    if (p->tau != NULL)
        gsl_vector_free(p->tau);
    if (p->rhs != NULL)
        gsl_vector_free(p->rhs);
    if (p->sol != NULL)
        gsl_vector_free(p->sol);
    if (p->res != NULL)
        gsl_vector_free(p->res);
}

static int sx_alloc(sx *p)
{
    size_t m = p->m, k = m < p->n ? m : p->n;
    p->z = calloc(p->n, sizeof *p->z);
    p->g = calloc(p->n, sizeof *p->g);
    p->r = calloc(m, sizeof *p->r);
    p->S = calloc(p->n, sizeof *p->S);
    p->wb = calloc(p->n, sizeof *p->wb);
    p->Sb = calloc(p->n, sizeof *p->Sb);
    p->M = gsl_matrix_alloc(m, k > 0 ? k : 1);
    p->tau = gsl_vector_alloc(k > 0 ? k : 1);
    p->rhs = gsl_vector_alloc(m);
    p->sol = gsl_vector_alloc(k > 0 ? k : 1);
    p->res = gsl_vector_alloc(m);
    return p->z && p->g && p->r && p->S && p->wb && p->Sb && p->M && p->tau && p->rhs &&
                   p->sol && p->res
               ? 0
               : -1;
}

static double col_norm2(const double *a, size_t m)
{
    double s = 0;
    for (size_t r = 0; r < m; r++)
        s += a[r] * a[r];
    return s;
}

/* r = A w - b, g = 2 A' r; returns ||r||^2. */
static double sx_gradient(sx *p)
{
    size_t m = p->m;
    for (size_t r = 0; r < m; r++)
        p->r[r] = -p->b[r];
    for (size_t j = 0; j < p->n; j++) {
        if (p->w[j] == 0.0)
            continue;
        const double *a = p->A + j * m;
        for (size_t r = 0; r < m; r++)
            p->r[r] += p->w[j] * a[r];
    }
    for (size_t j = 0; j < p->n; j++) {
        const double *a = p->A + j * m;
        double s = 0;
        for (size_t r = 0; r < m; r++)
            s += a[r] * p->r[r];
        p->g[j] = 2.0 * s;
    }
    return col_norm2(p->r, m);
}

/* The scale of a gradient entry: 2 max|A_j| (max|A_j| + |b|). The
 * optimality tolerance is relative to it, so that it does not depend on
 * the units of the outcome. */
static double gradient_scale(const sx *p)
{
    double amax = 0;
    for (size_t j = 0; j < p->n; j++) {
        double a = sqrt(col_norm2(p->A + j * p->m, p->m));
        if (a > amax)
            amax = a;
    }
    double bn = sqrt(col_norm2(p->b, p->m));
    return 2.0 * amax * (amax + bn);
}

/* Solves the subproblem on S into z (zero off S). Returns -1 when the
 * columns are (numerically) dependent. */
static int sx_subproblem(sx *p)
{
    size_t m = p->m, k = p->S[0], q = p->s - 1;
    for (size_t i = 0; i < p->s; i++)
        p->z[p->S[i]] = 0.0;
    if (q == 0) {
        p->z[k] = 1.0;
        return 0;
    }
    if (q > m)
        return -1;
    const double *ak = p->A + k * m;
    gsl_matrix_view M = gsl_matrix_submatrix(p->M, 0, 0, m, q);
    for (size_t c = 0; c < q; c++) {
        const double *a = p->A + p->S[c + 1] * m;
        for (size_t r = 0; r < m; r++)
            gsl_matrix_set(&M.matrix, r, c, a[r] - ak[r]);
    }
    for (size_t r = 0; r < m; r++)
        gsl_vector_set(p->rhs, r, p->b[r] - ak[r]);
    gsl_vector_view tau = gsl_vector_subvector(p->tau, 0, q);
    gsl_vector_view sol = gsl_vector_subvector(p->sol, 0, q);
    if (gsl_linalg_QR_decomp(&M.matrix, &tau.vector) != 0)
        return -1;
    double dmax = 0, dmin = INFINITY;
    for (size_t c = 0; c < q; c++) {
        double d = fabs(gsl_matrix_get(&M.matrix, c, c));
        dmax = d > dmax ? d : dmax;
        dmin = d < dmin ? d : dmin;
    }
    if (!(dmin > 1e-12 * dmax))
        return -1;
    if (gsl_linalg_QR_lssolve(&M.matrix, &tau.vector, p->rhs, &sol.vector,
                              p->res) != 0)
        return -1;
    double rest = 1.0;
    for (size_t c = 0; c < q; c++) {
        p->z[p->S[c + 1]] = gsl_vector_get(&sol.vector, c);
        rest -= p->z[p->S[c + 1]];
    }
    p->z[k] = rest;
    return 0;
}

static void sx_remove_zeros(sx *p)
{
    size_t keep = 0;
    for (size_t i = 0; i < p->s; i++) {
        size_t j = p->S[i];
        if (p->w[j] > 0.0)
            p->S[keep++] = j;
        else
            p->w[j] = 0.0;
    }
    p->s = keep;
}

/* Moves from w towards z until the first weight reaches zero. */
static void sx_step_to_boundary(sx *p)
{
    double alpha = 1.0;
    size_t hit = p->S[0];
    for (size_t i = 0; i < p->s; i++) {
        size_t j = p->S[i];
        if (p->z[j] <= 0.0) {
            double a = p->w[j] / (p->w[j] - p->z[j]);
            if (a < alpha) {
                alpha = a;
                hit = j;
            }
        }
    }
    for (size_t i = 0; i < p->s; i++) {
        size_t j = p->S[i];
        p->w[j] += alpha * (p->z[j] - p->w[j]);
        if (p->w[j] < 1e-15)
            p->w[j] = 0.0;
    }
    p->w[hit] = 0.0;
    sx_remove_zeros(p);
}

/* Solves on S, stepping back to the boundary until the solution is
 * interior. Returns 0 on success, 1 when the newly added donor `added`
 * cannot enter (numerical stall: the current point is optimal to
 * rounding), -1 on dependent columns. */
static int sx_inner(sx *p, size_t added)
{
    for (size_t guard = 0; guard <= p->n; guard++) {
        if (sx_subproblem(p) != 0)
            return -1;
        int interior = 1;
        for (size_t i = 0; i < p->s; i++)
            interior &= p->z[p->S[i]] > 0.0;
        if (interior) {
            for (size_t i = 0; i < p->s; i++)
                p->w[p->S[i]] = p->z[p->S[i]];
            return 0;
        }
        if (guard == 0 && p->z[added] <= 0.0)
            return 1;
        sx_step_to_boundary(p);
        if (p->s == 0)
            return -1;
    }
    return -1;
}

static size_t best_vertex(const sx *p)
{
    size_t best = 0;
    double bv = INFINITY;
    for (size_t j = 0; j < p->n; j++) {
        const double *a = p->A + j * p->m;
        double s = 0;
        for (size_t r = 0; r < p->m; r++)
            s += (p->b[r] - a[r]) * (p->b[r] - a[r]);
        if (s < bv) {
            bv = s;
            best = j;
        }
    }
    return best;
}

static int in_support(const sx *p, size_t j)
{
    for (size_t i = 0; i < p->s; i++)
        if (p->S[i] == j)
            return 1;
    return 0;
}

/* The support's common gradient value and the KKT violation. */
static double sx_kkt(const sx *p, double *mu_out)
{
    double mu = 0, worst = 0;
    for (size_t j = 0; j < p->n; j++)
        mu += p->w[j] * p->g[j];
    for (size_t j = 0; j < p->n; j++) {
        double v = p->w[j] > 0.0 ? fabs(p->g[j] - mu) : mu - p->g[j];
        worst = v > worst ? v : worst;
    }
    *mu_out = mu;
    return worst;
}

static void sx_save(sx *p)
{
    memcpy(p->wb, p->w, p->n * sizeof *p->w);
    memcpy(p->Sb, p->S, p->s * sizeof *p->S);
    p->sb = p->s;
}

static void sx_restore(sx *p)
{
    memcpy(p->w, p->wb, p->n * sizeof *p->w);
    memcpy(p->S, p->Sb, p->sb * sizeof *p->S);
    p->s = p->sb;
}

/* The donor off the support with the most negative reduced gradient, or
 * n when none is below -tol. */
static size_t sx_entering(sx *p)
{
    double mu, best = -p->tol;
    sx_kkt(p, &mu);
    size_t add = p->n;
    for (size_t j = 0; j < p->n; j++) {
        double red = p->g[j] - mu;
        if (red < best && !in_support(p, j)) {
            best = red;
            add = j;
        }
    }
    return add;
}

/* The outer loop: add the steepest donor until none shows descent. A
 * donor that cannot enter (the subproblem rejects it, which happens only
 * at rounding level) ends the search at the last interior point. */
static size_t sx_run(sx *p)
{
    size_t iter = 0, cap = 10 * (p->n + p->m) + 100;
    for (; iter < cap; iter++) {
        sx_gradient(p);
        size_t add = sx_entering(p);
        if (add == p->n)
            break;
        sx_save(p);
        p->S[p->s++] = add;
        if (sx_inner(p, add) != 0) {
            sx_restore(p);
            break;
        }
    }
    return iter;
}

/* Restores the subproblem solution of the final support: the inner loop
 * may have stopped on a boundary point of a stalled step. */
static void sx_polish(sx *p)
{
    if (sx_subproblem(p) != 0)
        return;
    for (size_t i = 0; i < p->s; i++)
        if (!(p->z[p->S[i]] > 0.0))
            return;
    for (size_t i = 0; i < p->s; i++)
        p->w[p->S[i]] = p->z[p->S[i]];
}

static int check_input(const double *A, size_t m, size_t n, const double *b,
                       we_error *err)
{
    if (m == 0 || n == 0)
        return we_fail(err, WE_EINVAL,
                       "simplex least squares: %zu rows and %zu "
                       "columns; both must be positive",
                       m, n);
    for (size_t k = 0; k < m * n; k++)
        if (!isfinite(A[k]))
            return we_fail(err, WE_EINVAL,
                           "simplex least squares: column %zu has "
                           "a missing or infinite value; drop it first",
                           k / m);
    for (size_t r = 0; r < m; r++)
        if (!isfinite(b[r]))
            return we_fail(err, WE_EINVAL,
                           "simplex least squares: target row %zu "
                           "is missing or infinite",
                           r);
    return WE_OK;
}

int we_simplex_ls(const double *A, size_t m, size_t n, const double *b,
                  double *w, we_simplex_info *info, we_error *err)
{
    if (check_input(A, m, n, b, err) != WE_OK)
        return WE_EINVAL;
    sx p = {.A = A, .b = b, .m = m, .n = n, .w = w};
    if (sx_alloc(&p) != 0) {
        sx_free(&p);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    memset(w, 0, n * sizeof *w);
    p.tol = 1e-13 * gradient_scale(&p);
    p.S[0] = best_vertex(&p);
    p.s = 1;
    w[p.S[0]] = 1.0;
    size_t iter = sx_run(&p);
    sx_polish(&p);
    double obj = sx_gradient(&p), mu;
    double kkt = sx_kkt(&p, &mu);
    if (info != NULL) {
        info->iterations = iter;
        info->support = p.s;
        info->objective = obj;
        info->multiplier = mu;
        info->kkt = kkt;
    }
    sx_free(&p);
    return WE_OK;
}
