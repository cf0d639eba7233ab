/* The C-LF relative-magnitudes confidence set (honest_rm.h). The steps
 * follow HonestDiD 0.2.8 (R/deltarm.R, R/arp-nuisance.R) so that the
 * numbers are the package's; docs/methods.md explains them and
 * tests/oracle/honestdid_rm.R computes the reference with the package. */
#include "methods/honest_rm.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_sf_erf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { LF_SIMS = 1000, GRID_POINTS = 1000, MAX_SIDE = 32 };

/* ---- R's random numbers ---------------------------------------------- */

void we_rrng_seed(we_rrng *g, unsigned seed)
{
    for (int j = 0; j < 50; j++)
        seed = 69069u * seed + 1u;
    seed = 69069u * seed + 1u; /* the slot that holds mti */
    for (int j = 0; j < 624; j++) {
        seed = 69069u * seed + 1u;
        g->mt[j] = seed;
    }
    g->mti = 624;
}

static unsigned mt_next(we_rrng *g)
{
    static const unsigned mag01[2] = {0x0u, 0x9908b0dfu};
    unsigned y;
    if (g->mti >= 624) {
        int kk;
        for (kk = 0; kk < 624 - 397; kk++) {
            y = (g->mt[kk] & 0x80000000u) | (g->mt[kk + 1] & 0x7fffffffu);
            g->mt[kk] = g->mt[kk + 397] ^ (y >> 1) ^ mag01[y & 1u];
        }
        for (; kk < 623; kk++) {
            y = (g->mt[kk] & 0x80000000u) | (g->mt[kk + 1] & 0x7fffffffu);
            g->mt[kk] = g->mt[kk + 397 - 624] ^ (y >> 1) ^ mag01[y & 1u];
        }
        y = (g->mt[623] & 0x80000000u) | (g->mt[0] & 0x7fffffffu);
        g->mt[623] = g->mt[396] ^ (y >> 1) ^ mag01[y & 1u];
        g->mti = 0;
    }
    y = g->mt[g->mti++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

double we_rrng_unif(we_rrng *g)
{
    const double i2_32m1 = 2.328306437080797e-10;
    double x = (double)mt_next(g) * 2.3283064365386963e-10;
    if (x <= 0.0)
        return 0.5 * i2_32m1;
    if (1.0 - x <= 0.0)
        return 1.0 - 0.5 * i2_32m1;
    return x;
}

double we_rrng_norm(we_rrng *g)
{
    const double big = 134217728.0; /* 2^27, R's INVERSION */
    double u = we_rrng_unif(g);
    u = (double)(int)(big * u) + we_rrng_unif(g);
    return gsl_cdf_ugaussian_Pinv(u / big);
}

/* ---- truncated normal quantile --------------------------------------- */

/* exp(x^2 / 2) Q(x), TruncatedNormal's qfun. */
static double qfun(double x)
{
    return exp(0.5 * x * x + gsl_sf_log_erfc(x / M_SQRT2) - M_LN2);
}

/* TruncatedNormal's normq for 0 < l < u far in the tail: the Rayleigh
 * approximation refined by Newton's method (its `newton`). */
static double tail_q(double p, double l, double u)
{
    double l2 = l * l, u2 = u * u;
    double x = sqrt(l2 - 2.0 * log1p(p * expm1(l2 / 2.0 - u2 / 2.0)));
    if (l > 1e5)
        return x;
    double ql = qfun(l), qu = isinf(u) ? 0.0 : qfun(u);
    for (int it = 0; it < 100; it++) {
        double del = -qfun(x) + (1.0 - p) * exp(0.5 * (x * x - l2)) * ql +
                     p * exp(0.5 * (x * x - u2)) * qu;
        x -= del;
        if (fabs(del) <= 1e-10)
            break;
    }
    return x;
}

double we_truncnorm_quantile(double p, double l, double u)
{
    if (!(l <= u) || !(p >= 0.0 && p <= 1.0))
        return NAN;
    if (p == 0.0)
        return l;
    if (p == 1.0)
        return u;
    if (l > 35.0)
        return tail_q(p, l, u);
    if (u < -35.0)
        return -tail_q(1.0 - p, -u, -l);
    if (l >= 0.0) {
        double ql = gsl_cdf_ugaussian_Q(l), qu = gsl_cdf_ugaussian_Q(u);
        return gsl_cdf_ugaussian_Qinv(ql - p * (ql - qu));
    }
    double pl = gsl_cdf_ugaussian_P(l), pu = gsl_cdf_ugaussian_P(u);
    return gsl_cdf_ugaussian_Pinv(pl + p * (pu - pl));
}

/* ---- linear programmes ------------------------------------------------ */

typedef struct tableau {
    size_t m, n, w; /* rows, original variables, row width */
    double *t;      /* m rows: n + m columns (artificials last), rhs */
    size_t *basis;
} tableau;

static void pivot(tableau *T, size_t r, size_t e)
{
    double *row = T->t + r * T->w, p = row[e];
    for (size_t j = 0; j < T->w; j++)
        row[j] /= p;
    for (size_t i = 0; i < T->m; i++) {
        double *o = T->t + i * T->w, f = o[e];
        if (i == r || f == 0.0)
            continue;
        for (size_t j = 0; j < T->w; j++)
            o[j] -= f * row[j];
        o[e] = 0.0;
    }
    T->basis[r] = e;
}

/* Maximises cost' x over the columns below `ncols` (Bland's rule). */
static int simplex(tableau *T, const double *cost, size_t ncols)
{
    const double tol = 1e-9;
    for (int it = 0; it < 50000; it++) {
        size_t e = ncols;
        for (size_t j = 0; j < ncols && e == ncols; j++) {
            int basic = 0;
            for (size_t i = 0; i < T->m; i++)
                basic |= T->basis[i] == j;
            if (basic)
                continue;
            double r = cost[j];
            for (size_t i = 0; i < T->m; i++)
                r -= cost[T->basis[i]] * T->t[i * T->w + j];
            if (r > tol)
                e = j;
        }
        if (e == ncols)
            return 0;
        size_t r = T->m;
        double best = INFINITY;
        for (size_t i = 0; i < T->m; i++) {
            double a = T->t[i * T->w + e];
            if (a <= tol)
                continue;
            double ratio = T->t[i * T->w + T->w - 1] / a;
            if (ratio < best - 1e-12 || (ratio <= best + 1e-12 && r < T->m &&
                                         T->basis[i] < T->basis[r])) {
                if (ratio < best)
                    best = ratio;
                r = i;
            }
        }
        if (r == T->m)
            return 2;
        pivot(T, r, e);
    }
    return 2;
}

int we_lp_std_max(size_t m, size_t n, const double *A, const double *b,
                  const double *c, double *x, double *val)
{
    tableau T = {m, n, n + m + 1, NULL, NULL};
    T.t = calloc(m * T.w, sizeof *T.t);
    T.basis = malloc(m * sizeof *T.basis);
    double *cost = calloc(n + m, sizeof *cost);
    int rc = 1;
    if (T.t == NULL || T.basis == NULL || cost == NULL)
        goto done;
    for (size_t i = 0; i < m; i++) {
        double s = b[i] < 0.0 ? -1.0 : 1.0;
        for (size_t j = 0; j < n; j++)
            T.t[i * T.w + j] = s * A[i * n + j];
        T.t[i * T.w + n + i] = 1.0;
        T.t[i * T.w + T.w - 1] = s * b[i];
        T.basis[i] = n + i;
        cost[n + i] = -1.0;
    }
    /* Phase 1: drive the artificials to zero. */
    if (simplex(&T, cost, n + m) != 0)
        goto done;
    double infeas = 0.0, scale = 1.0;
    for (size_t i = 0; i < m; i++) {
        scale += fabs(b[i]);
        if (T.basis[i] >= n)
            infeas += T.t[i * T.w + T.w - 1];
    }
    if (infeas > 1e-9 * scale)
        goto done;
    for (size_t i = 0; i < m; i++) {
        if (T.basis[i] < n)
            continue;
        for (size_t j = 0; j < n; j++)
            if (fabs(T.t[i * T.w + j]) > 1e-9) {
                pivot(&T, i, j);
                break;
            }
    }
    /* Phase 2 over the original variables. */
    for (size_t j = 0; j < n + m; j++)
        cost[j] = j < n ? c[j] : 0.0;
    rc = simplex(&T, cost, n);
    if (rc != 0)
        goto done;
    memset(x, 0, n * sizeof *x);
    *val = 0.0;
    for (size_t i = 0; i < m; i++)
        if (T.basis[i] < n) {
            x[T.basis[i]] = T.t[i * T.w + T.w - 1];
            *val += c[T.basis[i]] * x[T.basis[i]];
        }
done:
    free(T.t);
    free(T.basis);
    free(cost);
    return rc;
}

/* ---- the moment inequalities of Delta^RM_{s,sign}(Mbar) -------------- */

/* One (s, sign): the 2L moments y(theta) = Y - a1 theta, Y = A beta,
 * that must satisfy y - X delta <= 0 for some nuisance delta. */
typedef struct rm_problem {
    size_t M, k; /* moments (2L), nuisance parameters (L - 1) */
    double Y[2 * MAX_SIDE], a1[2 * MAX_SIDE], sd[2 * MAX_SIDE];
    double X[2 * MAX_SIDE * MAX_SIDE]; /* M x k */
    double S[4 * MAX_SIDE * MAX_SIDE]; /* M x M covariance of Y */
    double lf_cv;
} rm_problem;

typedef struct rm_input {
    size_t q, L, n;
    const double *b, *V;
} rm_input;

static int check_input(const we_es_input *es, rm_input *in, we_error *err)
{
    size_t q = 0;
    while (q < es->n && es->rel[q] <= -2)
        q++;
    size_t L = es->n - q;
    if (q == 0 || L < 2)
        return we_fail(err, WE_ENODATA,
                       "the C-LF relative-magnitudes set needs a lead (event "
                       "time <= -2) and at least two lags");
    if (es->n > MAX_SIDE)
        return we_fail(err, WE_EINVAL,
                       "more than %d event-study "
                       "coefficients",
                       MAX_SIDE);
    for (size_t j = 0; j < es->n; j++) {
        int want = j < q ? (int)j - (int)q - 1 : (int)(j - q);
        if (es->rel[j] != want)
            return we_fail(err, WE_EINVAL,
                           "the event times must be the consecutive leads "
                           "-%zu..-2 and lags 0..%zu (got %d at position "
                           "%zu)",
                           q + 1, L - 1, es->rel[j], j);
        if (!isfinite(es->b[j]) || !(es->V[j * es->n + j] > 0.0))
            return we_fail(err, WE_EINVAL,
                           "coefficient %d has no finite "
                           "estimate and positive variance",
                           es->rel[j]);
    }
    *in = (rm_input){q, L, es->n, es->b, es->V};
    return WE_OK;
}

/* Inverse of HonestDiD's Gamma (first row l' = 1/L, then e_1' ..
 * e_{L-1}': the pivots of rref([l, I])) times the columns: returns
 * Ginv (L x L). */
static void gamma_inverse(size_t L, double *Ginv)
{
    /* Gamma = [1/L ... 1/L; e_1; ...; e_{L-1}]: its inverse maps
     * (theta, d_1..d_{L-1}) to beta with beta_j = d_j (j < L) and
     * beta_L = L theta - sum d_j. */
    memset(Ginv, 0, L * L * sizeof *Ginv);
    for (size_t j = 0; j + 1 < L; j++)
        Ginv[j * L + j + 1] = 1.0;
    Ginv[(L - 1) * L] = (double)L;
    for (size_t j = 1; j < L; j++)
        Ginv[(L - 1) * L + j] = -1.0;
}

/* eta = min eta s.t. y - X delta <= eta sd, through its dual: max y'g
 * s.t. sd'g = 1, X'g = 0, g >= 0. Returns 0 when solved. */
static int eta_lp(const rm_problem *P, const double *y, double *eta, double *g)
{
    size_t m = P->k + 1, n = P->M;
    double A[(MAX_SIDE + 1) * 2 * MAX_SIDE], b[MAX_SIDE + 1];
    for (size_t i = 0; i < n; i++) {
        A[i] = P->sd[i];
        for (size_t c = 0; c < P->k; c++)
            A[(c + 1) * n + i] = P->X[i * P->k + c];
    }
    memset(b, 0, m * sizeof *b);
    b[0] = 1.0;
    return we_lp_std_max(m, n, A, b, y, g, eta);
}

static void build_problem(const rm_input *in, double mbar, size_t s_idx,
                          int sign, rm_problem *P)
{
    size_t q = in->q, L = in->L, n = in->n, M = 2 * L;
    double A[2 * MAX_SIDE * MAX_SIDE];
    memset(A, 0, sizeof A);
    /* The largest pre-period change: delta_{s+1} - delta_s over the
     * leads with the reference's 0 after the last (s_idx = 0 .. q - 1
     * is HonestDiD's s = -(q-1) .. 0). */
    double v[MAX_SIDE] = {0};
    if (s_idx + 1 < q)
        v[s_idx + 1] = 1.0;
    v[s_idx] = -1.0;
    for (size_t j = 0; j < L; j++) {
        for (size_t h = 0; h < 2; h++) {
            double *row = A + (h * L + j) * n, sg = h == 0 ? 1.0 : -1.0;
            row[q + j] += sg;
            if (j > 0)
                row[q + j - 1] -= sg;
            for (size_t c = 0; c < q; c++)
                row[c] -= mbar * sign * v[c];
        }
    }
    P->M = M;
    P->k = L - 1;
    double Ginv[MAX_SIDE * MAX_SIDE];
    gamma_inverse(L, Ginv);
    for (size_t i = 0; i < M; i++) {
        const double *row = A + i * n;
        double y = 0.0;
        for (size_t c = 0; c < n; c++)
            y += row[c] * in->b[c];
        P->Y[i] = y;
        for (size_t c = 0; c < L; c++) {
            double x = 0.0;
            for (size_t j = 0; j < L; j++)
                x += row[q + j] * Ginv[j * L + c];
            if (c == 0)
                P->a1[i] = x;
            else
                P->X[i * P->k + c - 1] = x;
        }
        for (size_t i2 = 0; i2 < M; i2++) {
            const double *r2 = A + i2 * n;
            double acc = 0.0;
            for (size_t a = 0; a < n; a++) {
                if (row[a] == 0.0)
                    continue;
                double t = 0.0;
                for (size_t bb = 0; bb < n; bb++)
                    t += in->V[a * n + bb] * r2[bb];
                acc += row[a] * t;
            }
            P->S[i * M + i2] = acc;
        }
    }
    for (size_t i = 0; i < M; i++)
        P->sd[i] = sqrt(P->S[i * M + i]);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The least-favourable critical value: the 1 - kappa quantile (R's type
 * 7) of eta over 1000 draws of N(0, S), drawn as mvtnorm::rmvnorm does
 * after set.seed(0). */
static int least_favourable_cv(rm_problem *P, double kappa, we_error *err)
{
    size_t M = P->M;
    gsl_matrix *S = gsl_matrix_alloc(M, M), *E = gsl_matrix_alloc(M, M);
    gsl_vector *ev = gsl_vector_alloc(M);
    gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(M);
    double *R = malloc(M * M * sizeof *R),
           *eta = malloc(LF_SIMS * sizeof *eta);
    int rc = S && E && ev && w && R && eta
                 ? WE_OK
                 : we_fail(err, WE_ENOMEM, "out of memory");
    if (rc == WE_OK) {
        for (size_t i = 0; i < M; i++)
            for (size_t j = 0; j < M; j++)
                gsl_matrix_set(S, i, j, P->S[i * M + j]);
        gsl_eigen_symmv(S, ev, E, w);
        /* The symmetric square root E diag(sqrt(max(ev, 0))) E'. */
        for (size_t i = 0; i < M; i++)
            for (size_t j = 0; j < M; j++) {
                double acc = 0.0;
                for (size_t a = 0; a < M; a++) {
                    double lam = gsl_vector_get(ev, a);
                    if (lam > 0.0)
                        acc += gsl_matrix_get(E, i, a) * sqrt(lam) *
                               gsl_matrix_get(E, j, a);
                }
                R[i * M + j] = acc;
            }
        we_rrng g;
        we_rrng_seed(&g, 0);
        size_t kept = 0;
        double z[2 * MAX_SIDE], xi[2 * MAX_SIDE], lam[2 * MAX_SIDE];
        for (size_t d = 0; d < LF_SIMS; d++) {
            for (size_t i = 0; i < M; i++)
                z[i] = we_rrng_norm(&g);
            for (size_t j = 0; j < M; j++) {
                double acc = 0.0;
                for (size_t i = 0; i < M; i++)
                    acc += z[i] * R[i * M + j];
                xi[j] = acc;
            }
            double e;
            if (eta_lp(P, xi, &e, lam) == 0)
                eta[kept++] = e;
        }
        if (kept == 0) {
            rc = we_fail(err, WE_ESINGULAR,
                         "no least-favourable draw has "
                         "a solution");
        } else {
            qsort(eta, kept, sizeof *eta, cmp_double);
            double h = (double)(kept - 1) * (1.0 - kappa);
            size_t lo = (size_t)floor(h);
            size_t hi = lo + 1 < kept ? lo + 1 : lo;
            P->lf_cv = eta[lo] + (h - (double)lo) * (eta[hi] - eta[lo]);
        }
    }
    gsl_matrix_free(S);
    gsl_matrix_free(E);
    gsl_vector_free(ev);
    if (w)
        gsl_eigen_symmv_free(w);
    free(R);
    free(eta);
    return rc;
}

/* ---- the conditional test -------------------------------------------- */

typedef struct dual_ctx {
    const rm_problem *P;
    double sT[2 * MAX_SIDE], bv[2 * MAX_SIDE];
} dual_ctx;

/* max (s_T + b c)'x s.t. W'x = e1, x >= 0: is c its value? */
static int dual_check(const dual_ctx *D, double c, double *x)
{
    const rm_problem *P = D->P;
    size_t m = P->k + 1, n = P->M;
    double A[(MAX_SIDE + 1) * 2 * MAX_SIDE], b[MAX_SIDE + 1], f[2 * MAX_SIDE],
        val;
    for (size_t i = 0; i < n; i++) {
        A[i] = P->sd[i];
        for (size_t cc = 0; cc < P->k; cc++)
            A[(cc + 1) * n + i] = P->X[i * P->k + cc];
        f[i] = D->sT[i] + D->bv[i] * c;
    }
    memset(b, 0, m * sizeof *b);
    b[0] = 1.0;
    if (we_lp_std_max(m, n, A, b, f, x, &val) != 0)
        return 0;
    return fabs(c - val) <= 1e-6;
}

static double roundeps(double x)
{
    return fabs(x) < pow(DBL_EPSILON, 0.75) ? 0.0 : x;
}

static double shortcut(const dual_ctx *D, const double *x)
{
    double a = 0.0, bb = 0.0;
    for (size_t i = 0; i < D->P->M; i++) {
        a += x[i] * D->sT[i];
        bb += x[i] * D->bv[i];
    }
    return roundeps(a) / (1.0 - bb);
}

/* vlo or vup (upper = 1) of HonestDiD's .vlo_vup_dual_fn. */
static double dual_bound(const dual_ctx *D, double eta, double start,
                         int upper)
{
    const double tol_c = 1e-6;
    const int maxiters = 10000, switchiters = 10;
    double x[2 * MAX_SIDE];
    if (dual_check(D, start, x))
        return upper ? INFINITY : -INFINITY;
    double dif = 0.0, mid = shortcut(D, x);
    int iters = 1;
    while (!dual_check(D, mid, x) && iters < maxiters) {
        iters++;
        if (iters >= switchiters) {
            dif = tol_c + 1.0;
            break;
        }
        mid = shortcut(D, x);
    }
    double lo = upper ? eta : mid, hi = upper ? mid : eta;
    while (dif > tol_c && iters < maxiters) {
        iters++;
        mid = (lo + hi) / 2.0;
        int sol = dual_check(D, mid, x);
        if (upper ? sol : !sol)
            lo = mid;
        else
            hi = mid;
        dif = hi - lo;
    }
    return mid;
}

/* Solves B z = r (B n x n row-major, overwritten); 0 when regular. */
static int solve_square(size_t n, double *B, double *r)
{
    gsl_matrix_view Bv = gsl_matrix_view_array(B, n, n);
    gsl_vector_view rv = gsl_vector_view_array(r, n);
    gsl_permutation *p = gsl_permutation_alloc(n);
    int sgn, ok = p != NULL &&
                  gsl_linalg_LU_decomp(&Bv.matrix, p, &sgn) == GSL_SUCCESS;
    for (size_t i = 0; ok && i < n; i++)
        ok = fabs(gsl_matrix_get(&Bv.matrix, i, i)) > 1e-12;
    if (ok)
        ok = gsl_linalg_LU_svx(&Bv.matrix, p, &rv.vector) == GSL_SUCCESS;
    gsl_permutation_free(p);
    return ok ? 0 : 1;
}

static double quad(const double *S, size_t M, const double *u, const double *v)
{
    double acc = 0.0;
    for (size_t i = 0; i < M; i++)
        for (size_t j = 0; j < M; j++)
            acc += u[i] * S[i * M + j] * v[j];
    return acc;
}

/* HonestDiD's .lp_conditional_test_fn with the LF hybrid: 1 = reject. */
static int conditional_test(const rm_problem *P, double theta, double alpha,
                            double kappa)
{
    size_t M = P->M, k = P->k;
    double y[2 * MAX_SIDE], g[2 * MAX_SIDE], eta;
    for (size_t i = 0; i < M; i++)
        y[i] = P->Y[i] - P->a1[i] * theta;
    if (eta_lp(P, y, &eta, g) != 0)
        return 0;
    if (eta > P->lf_cv)
        return 1;
    double mod_size = (alpha - kappa) / (1.0 - kappa);
    size_t nb = 0, bidx[2 * MAX_SIDE];
    for (size_t i = 0; i < M; i++)
        if (g[i] > 1e-6)
            bidx[nb++] = i;
    int primal = nb == k + 1;
    double WB[MAX_SIDE * MAX_SIDE] = {0};
    if (primal) {
        /* W_B = [sd_B, X_B] must be regular (X_B of full rank). */
        for (size_t a = 0; a < nb; a++) {
            WB[a * nb] = P->sd[bidx[a]];
            for (size_t c = 0; c < k; c++)
                WB[a * nb + c + 1] = P->X[bidx[a] * k + c];
        }
        double tmp[MAX_SIDE * MAX_SIDE], r[MAX_SIDE] = {0};
        memcpy(tmp, WB, nb * nb * sizeof *tmp);
        r[0] = 1.0;
        primal = solve_square(nb, tmp, r) == 0;
    }
    double zlo, zup, maxstat;
    if (!primal) {
        dual_ctx D = {.P = P};
        double sg2 = quad(P->S, M, g, g);
        if (fabs(sg2) < DBL_EPSILON)
            return eta > 0.0;
        double Sg[2 * MAX_SIDE], gy = 0.0;
        for (size_t i = 0; i < M; i++) {
            Sg[i] = 0.0;
            for (size_t j = 0; j < M; j++)
                Sg[i] += P->S[i * M + j] * g[j];
            gy += g[i] * y[i];
        }
        for (size_t i = 0; i < M; i++) {
            D.bv[i] = Sg[i] / sg2;
            D.sT[i] = y[i] - D.bv[i] * gy;
        }
        double sB = sqrt(sg2);
        double x[2 * MAX_SIDE], vlo = eta, vup = INFINITY;
        if (dual_check(&D, eta, x)) {
            vup = dual_bound(&D, eta, fmax(100.0, eta + 20.0 * sB), 1);
            vlo = dual_bound(&D, eta, fmin(-100.0, eta - 20.0 * sB), 0);
        }
        maxstat = eta / sB;
        zlo = vlo / sB;
        zup = fmin(vup, P->lf_cv) / sB;
    } else {
        /* v_B' = e1' W_B^-1 S_B; Gamma_B = [sd, X]_Bc W_B^-1 S_B - S_Bc. */
        double vB[2 * MAX_SIDE] = {0}, Winv[MAX_SIDE * MAX_SIDE];
        for (size_t c = 0; c < nb; c++) {
            double tmp[MAX_SIDE * MAX_SIDE], r[MAX_SIDE] = {0};
            memcpy(tmp, WB, nb * nb * sizeof *tmp);
            r[c] = 1.0;
            solve_square(nb, tmp, r);
            for (size_t a = 0; a < nb; a++)
                Winv[a * nb + c] = r[a];
        }
        for (size_t a = 0; a < nb; a++)
            vB[bidx[a]] = Winv[a];
        double s2 = quad(P->S, M, vB, vB), sB = sqrt(s2);
        double SvB[2 * MAX_SIDE], vy = 0.0;
        for (size_t i = 0; i < M; i++) {
            SvB[i] = 0.0;
            for (size_t j = 0; j < M; j++)
                SvB[i] += P->S[i * M + j] * vB[j];
            vy += vB[i] * y[i];
        }
        double vlo = -INFINITY, vup = INFINITY;
        for (size_t i = 0; i < M; i++) {
            int binding = 0;
            for (size_t a = 0; a < nb; a++)
                binding |= bidx[a] == i;
            if (binding)
                continue;
            /* Row of Gamma_B: [sd_i, X_i] W_B^-1 S_B - e_i. */
            double G[2 * MAX_SIDE] = {0}, wi[MAX_SIDE];
            wi[0] = P->sd[i];
            for (size_t c = 0; c < k; c++)
                wi[c + 1] = P->X[i * k + c];
            for (size_t a = 0; a < nb; a++) {
                double acc = 0.0;
                for (size_t c = 0; c < nb; c++)
                    acc += wi[c] * Winv[c * nb + a];
                G[bidx[a]] = acc;
            }
            G[i] -= 1.0;
            double rho = 0.0, Gy = 0.0;
            for (size_t j = 0; j < M; j++) {
                rho += G[j] * SvB[j];
                Gy += G[j] * y[j];
            }
            rho /= s2;
            double mm = -Gy / rho + vy;
            if (rho > 0.0 && mm > vlo)
                vlo = mm;
            if (rho < 0.0 && mm < vup)
                vup = mm;
        }
        maxstat = eta / sB;
        zlo = vlo / sB;
        zup = fmin(vup, P->lf_cv) / sB;
    }
    if (!(zlo <= maxstat && maxstat <= zup))
        return 0;
    double cval = fmax(0.0, we_truncnorm_quantile(1.0 - mod_size, zlo, zup));
    return maxstat > cval;
}

/* ---- the confidence set ---------------------------------------------- */

typedef struct rm_set {
    size_t n;
    rm_problem *P; /* 2 q problems */
} rm_set;

static int build_set(const rm_input *in, double alpha, double mbar,
                     rm_set *set, we_error *err)
{
    set->n = 2 * in->q;
    set->P = malloc(set->n * sizeof *set->P);
    if (set->P == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t s = 0; s < in->q; s++)
        for (int h = 0; h < 2; h++) {
            rm_problem *P = &set->P[2 * s + (size_t)h];
            build_problem(in, mbar, s, h == 0 ? 1 : -1, P);
            int rc = least_favourable_cv(P, alpha / 10.0, err);
            if (rc != WE_OK) {
                free(set->P);
                set->P = NULL;
                return rc;
            }
        }
    return WE_OK;
}

static int set_accepts(const rm_set *set, double alpha, double theta)
{
    for (size_t i = 0; i < set->n; i++)
        if (!conditional_test(&set->P[i], theta, alpha, alpha / 10.0))
            return 1;
    return 0;
}

static int check_args(double alpha, double mbar, we_error *err)
{
    if (!(alpha > 0.0 && alpha < 1.0) || !(mbar >= 0.0) || !isfinite(mbar))
        return we_fail(err, WE_EINVAL,
                       "alpha must lie in (0, 1) and Mbar be finite >= 0");
    return WE_OK;
}

int we_honest_rm_accepts(const we_es_input *es, double alpha, double mbar,
                         double theta0, int *accept, we_error *err)
{
    rm_input in;
    rm_set set;
    *accept = 0;
    int rc = check_args(alpha, mbar, err);
    if (rc == WE_OK)
        rc = check_input(es, &in, err);
    if (rc == WE_OK)
        rc = build_set(&in, alpha, mbar, &set, err);
    if (rc != WE_OK)
        return rc;
    *accept = set_accepts(&set, alpha, theta0);
    free(set.P);
    return WE_OK;
}

int we_honest_rm_grid(const we_es_input *es, double alpha, double mbar,
                      double lb, double ub, size_t n, double *lo, double *hi,
                      int *open_end, we_error *err)
{
    rm_input in;
    rm_set set;
    *lo = *hi = NAN;
    *open_end = 0;
    int rc = check_args(alpha, mbar, err);
    if (rc == WE_OK && !(n >= 2 && lb < ub && isfinite(lb) && isfinite(ub)))
        rc = we_fail(err, WE_EINVAL,
                     "the grid needs two or more points "
                     "and finite bounds lb < ub");
    if (rc == WE_OK)
        rc = check_input(es, &in, err);
    if (rc == WE_OK)
        rc = build_set(&in, alpha, mbar, &set, err);
    if (rc != WE_OK)
        return rc;
    double by = (ub - lb) / (double)(n - 1);
    for (size_t i = 0; i < n; i++) {
        double th = lb + (double)i * by; /* R's seq() */
        if (!set_accepts(&set, alpha, th))
            continue;
        if (isnan(*lo))
            *lo = th;
        *hi = th;
        if (i == 0 || i == n - 1)
            *open_end = 1;
    }
    free(set.P);
    return WE_OK;
}

static void theta_hat(const we_es_input *es, size_t q, double *th, double *sd)
{
    size_t L = es->n - q;
    double t = 0.0, v = 0.0;
    for (size_t a = q; a < es->n; a++) {
        t += es->b[a] / (double)L;
        for (size_t b = q; b < es->n; b++)
            v += es->V[a * es->n + b] / ((double)L * (double)L);
    }
    *th = t;
    *sd = sqrt(v);
}

int we_honest_rm_ci(const we_es_input *es, double alpha, double mbar,
                    double *lo, double *hi, double *step, we_error *err)
{
    rm_input in;
    *lo = *hi = *step = NAN;
    int rc = check_input(es, &in, err);
    if (rc != WE_OK)
        return rc;
    double th, sd;
    theta_hat(es, in.q, &th, &sd);
    for (int widen = 0; widen <= 6; widen++) {
        double w = ldexp(20.0, widen);
        int open_end;
        rc = we_honest_rm_grid(es, alpha, mbar, th - w * sd, th + w * sd,
                               GRID_POINTS, lo, hi, &open_end, err);
        *step = 2.0 * w * sd / (double)(GRID_POINTS - 1);
        if (rc != WE_OK || !open_end)
            break;
    }
    return rc;
}

int we_honest_rm_breakdown(const we_es_input *es, double alpha, double tol,
                           double *mbar_star, we_error *err)
{
    *mbar_star = NAN;
    if (!(tol > 0.0))
        return we_fail(err, WE_EINVAL, "the tolerance must be positive");
    int acc, rc = we_honest_rm_accepts(es, alpha, 0.0, 0.0, &acc, err);
    if (rc != WE_OK)
        return rc;
    if (acc) {
        *mbar_star = 0.0;
        return WE_OK;
    }
    double lo = 0.0, hi = 1.0;
    for (;;) {
        rc = we_honest_rm_accepts(es, alpha, hi, 0.0, &acc, err);
        if (rc != WE_OK)
            return rc;
        if (acc)
            break;
        if (hi >= 64.0) {
            *mbar_star = INFINITY;
            return WE_OK;
        }
        lo = hi;
        hi *= 2.0;
    }
    while (hi - lo > tol) {
        double mid = (lo + hi) / 2.0;
        rc = we_honest_rm_accepts(es, alpha, mid, 0.0, &acc, err);
        if (rc != WE_OK)
            return rc;
        if (acc)
            hi = mid;
        else
            lo = mid;
    }
    *mbar_star = hi;
    return WE_OK;
}
