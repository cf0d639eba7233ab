/* Restricted wild cluster bootstrap-t (WCR) for the TWFE coefficient, with
 * the "fast and wild" algebra of Roodman, MacKinnon, Nielsen and Webb
 * (2019). docs/methods.md, "Wild cluster bootstrap", states the same.
 *
 * The algebra. we_twfe_rows_build gives the rows with the area effects
 * already absorbed (within-area demeaning): d the treatment column, Z the
 * m = P - 1 period dummies, y the outcome, all demeaned. Partial Z out too
 * (Frisch-Waugh-Lovell):
 *
 *     x = M_Z d,  yz = M_Z y,  xx = x'x,  b = x'yz / xx.
 *
 * Restricted fit at the null b0: residuals ur = yz - b0 x. A draw gives
 * y* = fitted_r + b0 d + w_g ur (one weight per cluster g). Because x is
 * orthogonal to Z and to the area dummies, and every area lies inside one
 * cluster:
 *
 *     b* - b0 = sum_g w_g s_g / xx,            s_g = x_g' ur_g
 *     u*      = M_Z v - x (x'v) / xx,          v = w o ur
 *     score_h = x_h' u*_h
 *             = w_h s_h - E_h' (Z'Z)^-1 sum_g w_g Z_g' ur_g
 *               - (x_h'x_h / xx) sum_g w_g s_g,  E_h = Z_h' x_h.
 *
 * So with per-cluster F_g = (Z'Z)^-1 Z_g' ur_g (m-vectors) a draw costs
 * O(G m): e = sum_g w_g F_g, then score_h for every h. The CR1 variance
 * is c1 sum_h score_h^2 / xx^2, c1 = G/(G-1) (N-1)/(N-K) as in we_twfe,
 * and
 *
 *     t* = (b* - b0) / se* = sum_g w_g s_g / sqrt(c1 sum_h score_h^2).
 *
 * Everything above is affine in b0: ur = yz - b0 x, so s_g = s1_g - b0
 * s2_g (s1_g = x_g'yz_g, s2_g = x_g'x_g), F_g = F1_g - b0 F2_g, and
 * score_h = p_h - b0 q_h. One pass over the draws stores five numbers per
 * draw, a = sum w s1, c = sum w s2, pp = p'p, pq = p'q, qq = q'q, and then
 * for any b0
 *
 *     t*(b0) = (a - b0 c) / sqrt(c1 (pp - 2 b0 pq + b0^2 qq)),
 *
 * which makes the p-value function O(B) and the test inversion cheap with
 * the same draws at every b0. The actual statistic t(b0) is the same
 * formula for w = 1 (then y* = y): it equals (b - b0) / se of we_twfe up to
 * rounding, and makes the draws w = +-1, which reproduce the sample, tie
 * with it exactly rather than by chance of rounding. */
#include "methods/wild.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/twfe_sums.h"
#include "util/mt19937.h"
#include "util/reference.h"

/* Cluster-level quantities of the block comment. */
typedef struct wild_setup {
    size_t G, m;
    double xx, c1;   /* x'x; the CR1 factor */
    double *s1, *s2; /* G */
    double *ratio;   /* G: s2_h / xx */
    double *E;       /* G x m: Z_g' x_g */
    double *F1, *F2; /* G x m: (Z'Z)^-1 Z_g' yz_g, (Z'Z)^-1 Z_g' x_g */
} wild_setup;

typedef struct wild_draw {
    double a, c, pp, pq, qq;
} wild_draw;

typedef struct wild_draws {
    size_t B;
    wild_draw *draw;
    wild_draw actual; /* w = 1 */
    int enumerated;   /* the draws are all 2^G sign vectors (w = 1 among
                         them) */
} wild_draws;

static void setup_free(wild_setup *s)
{
    free(s->s1);
    free(s->s2);
    free(s->ratio);
    free(s->E);
    free(s->F1);
    free(s->F2);
    memset(s, 0, sizeof *s);
}

static int setup_alloc(wild_setup *s, size_t G, size_t m, we_error *err)
{
    size_t gm = G * (m ? m : 1);
    memset(s, 0, sizeof *s);
    s->G = G;
    s->m = m;
    s->s1 = calloc(G, sizeof *s->s1);
    s->s2 = calloc(G, sizeof *s->s2);
    s->ratio = calloc(G, sizeof *s->ratio);
    s->E = calloc(gm, sizeof *s->E);
    s->F1 = calloc(gm, sizeof *s->F1);
    s->F2 = calloc(gm, sizeof *s->F2);
    if (!s->s1 || !s->s2 || !s->ratio || !s->E || !s->F1 || !s->F2) {
        setup_free(s);
        return we_fail(err, WE_ENOMEM, "out of memory for %zu clusters", G);
    }
    return WE_OK;
}

/* Z'Z, Z'd and Z'y over the rows; Z is columns 1..k-1 of X. Raw
 * pointers: a gsl accessor per element would cost a call in the inner
 * loop. */
static void period_cross(const we_ols *o, gsl_matrix *zz, gsl_vector *zd,
                         gsl_vector *zy)
{
    size_t k = o->k, m = k - 1, tda = zz->tda;
    gsl_matrix_set_zero(zz);
    gsl_vector_set_zero(zd);
    gsl_vector_set_zero(zy);
    double *ZZ = zz->data, *ZD = zd->data, *ZY = zy->data;
    size_t sd = zd->stride, sy = zy->stride;
    for (size_t r = 0; r < o->n; r++) {
        const double *z = o->X + r * k + 1;
        double d = o->X[r * k], y = o->y[r];
        for (size_t a = 0; a < m; a++) {
            double za = z[a];
            if (za == 0.0)
                continue;
            double *row = ZZ + a * tda;
            for (size_t b = 0; b <= a; b++)
                row[b] += za * z[b];
            ZD[a * sd] += za * d;
            ZY[a * sy] += za * y;
        }
    }
    for (size_t a = 0; a < m; a++)
        for (size_t b = a + 1; b < m; b++)
            ZZ[a * tda + b] = ZZ[b * tda + a];
}

static double dot(const double *a, const double *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

/* Partials Z out of d and y row by row and sums the per-cluster
 * quantities; F1 holds Z_g' yz_g until solve_f turns it into F1. */
static void accumulate(const we_ols *o, const double *gz, const double *gy,
                       wild_setup *s)
{
    size_t k = o->k, m = s->m;
    for (size_t r = 0; r < o->n; r++) {
        const double *z = o->X + r * k + 1;
        size_t g = (size_t)o->cluster[r];
        double x = o->X[r * k] - dot(z, gz, m);
        double yz = o->y[r] - dot(z, gy, m);
        s->s1[g] += x * yz;
        s->s2[g] += x * x;
        s->xx += x * x;
        for (size_t a = 0; a < m; a++) {
            s->E[g * m + a] += z[a] * x;
            s->F1[g * m + a] += z[a] * yz;
        }
    }
}

/* F1_g = (Z'Z)^-1 Z_g' yz_g and F2_g = (Z'Z)^-1 E_g with the factor. */
static void solve_f(const gsl_matrix *chol, wild_setup *s)
{
    size_t m = s->m;
    for (size_t g = 0; g < s->G && m > 0; g++) {
        gsl_vector_view f1 = gsl_vector_view_array(s->F1 + g * m, m);
        gsl_vector_view f2 = gsl_vector_view_array(s->F2 + g * m, m);
        gsl_vector_const_view e = gsl_vector_const_view_array(s->E + g * m,
                                                              m);
        gsl_linalg_cholesky_svx(chol, &f1.vector);
        gsl_linalg_cholesky_solve(chol, &e.vector, &f2.vector);
    }
}

static int singular(we_error *err)
{
    return we_fail(err, WE_ESINGULAR,
                   "the treatment is collinear with the period "
                   "effects (no variation left after the fixed "
                   "effects); the bootstrap needs treated and "
                   "comparison areas observed before and after "
                   "treatment starts");
}

/* Solves the period normal equations and fills the setup. */
static int setup_solve(const we_ols *o, gsl_matrix *zz, gsl_vector *zd,
                       gsl_vector *zy, wild_setup *s, we_error *err)
{
    size_t m = s->m;
    if (m > 0) {
        period_cross(o, zz, zd, zy);
        if (gsl_linalg_cholesky_decomp1(zz) != 0)
            return singular(err);
        gsl_linalg_cholesky_svx(zz, zd);
        gsl_linalg_cholesky_svx(zz, zy);
    }
    accumulate(o, zd->data, zy->data, s);
    double dd = 0;
    for (size_t r = 0; r < o->n; r++)
        dd += o->X[r * o->k] * o->X[r * o->k];
    /* Same scale rule as the OLS factorisation: a residual variation of
     * the treatment far below its raw variation is rank deficiency. */
    if (!(s->xx > 1e-12 * dd))
        return singular(err);
    for (size_t g = 0; g < s->G; g++)
        s->ratio[g] = s->s2[g] / s->xx;
    if (m > 0)
        solve_f(zz, s);
    return WE_OK;
}

static int setup_build(const we_twfe_rows *rows, wild_setup *s,
                       we_error *err)
{
    const we_ols *o = &rows->ols;
    size_t m = o->k - 1, mm = m ? m : 1;
    if (setup_alloc(s, rows->G, m, err) != WE_OK)
        return WE_ENOMEM;
    double N = (double)o->n, G = (double)rows->G;
    s->c1 = G / (G - 1.0) * (N - 1.0) / (N - (double)rows->K);
    gsl_matrix *zz = gsl_matrix_calloc(mm, mm);
    gsl_vector *zd = gsl_vector_calloc(mm), *zy = gsl_vector_calloc(mm);
    int rc = WE_OK;
    if (zz == NULL || zd == NULL || zy == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    if (rc == WE_OK)
        rc = setup_solve(o, zz, zd, zy, s, err);
    gsl_matrix_free(zz);
    gsl_vector_free(zd);
    gsl_vector_free(zy);
    if (rc != WE_OK)
        setup_free(s);
    return rc;
}

/* The same setup from the per-area sums of the fit (twfe_sums.h), without
 * rows. Z'Z, Z'd and Z'y are blocks of the sums' X'X and X'y. Then one
 * pass over the cells: a cell's x = M_Z d and yz = M_Z y are its demeaned
 * treatment and outcome minus the demeaned period dummies times gz and gy,
 * i.e. (d - dbar) - (gz[c] - zbar'gz) with c the cell's period column
 * (gz = 0 for the reference period); per cluster, s1 and s2 sum x yz and
 * x x, and E_g = Z~_g'x_g = sum over the cells of x at the cell's period
 * column minus zbar times the area's sum of x (Z~ the demeaned dummies;
 * the sum of x over an area is zero up to rounding, and kept). O(cells +
 * areas m) and O(G m) memory, against O(cells m) and the N x k rows. The
 * sums run in another order than the rows': the setup equals
 * setup_build's to rounding, not to the bit. */
static int setup_sums_solve(const we_twfe_area_sums *w, gsl_matrix *zz,
                            gsl_vector *zd, gsl_vector *zy, wild_setup *s,
                            we_error *err)
{
    size_t m = s->m, k = w->k, T = w->d->n_periods;
    const double *gz = zd->data, *gy = zy->data;
    if (m > 0) {
        for (size_t a = 0; a < m; a++) {
            for (size_t b = 0; b <= a; b++) {
                double v = w->xtx[(a + 1) * k + (b + 1)];
                gsl_matrix_set(zz, a, b, v);
                gsl_matrix_set(zz, b, a, v);
            }
            gsl_vector_set(zd, a, w->xtx[(a + 1) * k]);
            gsl_vector_set(zy, a, w->xty[a + 1]);
        }
        if (gsl_linalg_cholesky_decomp1(zz) != 0)
            return singular(err);
        gsl_linalg_cholesky_svx(zz, zd);
        gsl_linalg_cholesky_svx(zz, zy);
    }
    for (size_t i = 0; i < w->d->n_areas; i++) {
        if (!w->s.used[i])
            continue;
        const double *ub = w->ubar + i * k, *zbar = ub + 1;
        double ybar = w->ybar[i], zgz = dot(zbar, gz, m),
               zgy = dot(zbar, gy, m), sx = 0, syz = 0;
        size_t g = (size_t)w->cl[i];
        double *E = s->E + g * m, *F1 = s->F1 + g * m;
        for (size_t t = 0; t < w->s.T_max; t++) {
            if (!we_sample_cell(&w->s, w->y, w->d, i, t))
                continue;
            long c1, c2;
            we_twfe_area_cols(w, i, t, &c1, &c2);
            double x = ((c1 >= 0 ? 1.0 : 0.0) - ub[0]) -
                       ((c2 >= 0 ? gz[c2 - 1] : 0.0) - zgz);
            double yz = (w->y[i * T + t] - ybar) -
                        ((c2 >= 0 ? gy[c2 - 1] : 0.0) - zgy);
            s->s1[g] += x * yz;
            s->s2[g] += x * x;
            s->xx += x * x;
            if (c2 >= 0) {
                E[c2 - 1] += x;
                F1[c2 - 1] += yz;
            }
            sx += x;
            syz += yz;
        }
        for (size_t a = 0; a < m; a++) {
            E[a] -= zbar[a] * sx;
            F1[a] -= zbar[a] * syz;
        }
    }
    /* The rule of setup_solve; d'd of the demeaned rows is X'X[0][0]. */
    if (!(s->xx > 1e-12 * w->xtx[0]))
        return singular(err);
    for (size_t g = 0; g < s->G; g++)
        s->ratio[g] = s->s2[g] / s->xx;
    if (m > 0)
        solve_f(zz, s);
    return WE_OK;
}

static int setup_build_sums(const we_twfe_area_sums *w, wild_setup *s,
                            we_error *err)
{
    size_t m = w->k - 1, mm = m ? m : 1;
    if (setup_alloc(s, w->G, m, err) != WE_OK)
        return WE_ENOMEM;
    double N = (double)w->s.N, G = (double)w->G;
    s->c1 = G / (G - 1.0) * (N - 1.0) / (N - (double)w->K);
    gsl_matrix *zz = gsl_matrix_calloc(mm, mm);
    gsl_vector *zd = gsl_vector_calloc(mm), *zy = gsl_vector_calloc(mm);
    int rc = WE_OK;
    if (zz == NULL || zd == NULL || zy == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    if (rc == WE_OK)
        rc = setup_sums_solve(w, zz, zd, zy, s, err);
    gsl_matrix_free(zz);
    gsl_vector_free(zd);
    gsl_vector_free(zy);
    if (rc != WE_OK)
        setup_free(s);
    return rc;
}

/* The five numbers of one weight vector; `e` is scratch of 2m. */
static wild_draw draw_stats(const wild_setup *s, const double *w, double *e)
{
    size_t G = s->G, m = s->m;
    double *e1 = e, *e2 = e + m;
    wild_draw d = {0, 0, 0, 0, 0};
    memset(e, 0, 2 * m * sizeof *e);
    for (size_t g = 0; g < G; g++) {
        d.a += w[g] * s->s1[g];
        d.c += w[g] * s->s2[g];
        for (size_t j = 0; j < m; j++) {
            e1[j] += w[g] * s->F1[g * m + j];
            e2[j] += w[g] * s->F2[g * m + j];
        }
    }
    for (size_t h = 0; h < G; h++) {
        const double *E = s->E + h * m;
        double p = w[h] * s->s1[h] - dot(E, e1, m) - s->ratio[h] * d.a;
        double q = w[h] * s->s2[h] - dot(E, e2, m) - s->ratio[h] * d.c;
        d.pp += p * p;
        d.pq += p * q;
        d.qq += q * q;
    }
    return d;
}

/* DRAWS draws at a time (the fast path; draw_stats is its reference): the
 * per-cluster sums times a block of weight vectors as one cache-blocked
 * product, e = F' W and then p = diag(s1) W - E e - ratio a' (likewise q),
 * with the block's draws innermost and contiguous, so that every inner
 * loop runs over DRAWS draws with one broadcast factor and vectorises. For
 * each draw the sums still run over g (and j) in draw_stats's order with
 * the same operations (no contraction: ISO C mode), so the draws'
 * statistics, and the p-values and intervals, are equal to the bit; the
 * weights come from the one generator in the same order. W holds the
 * block's weights cluster-major (W[g * DRAWS + k]; draws past nb are 0);
 * e is scratch of 2 m DRAWS. A BLAS GEMM would sum in its own order (and
 * the shapes, 19 x 350 times 350 x 32, are small): not used. */
enum { DRAWS = 32 };

/* Wider vectors where the processor has them (chosen at load time): the
 * same IEEE operations on each element in the same order, and no
 * contraction into fused multiply-adds (-std=c11 sets
 * -ffp-contract=off), so every clone gives the same bits;
 * test_blocks_match_reference checks the one this machine picks. */
#if defined(__x86_64__) && defined(__GNUC__) && defined(__has_attribute)
#if __has_attribute(target_clones) && !defined(__SANITIZE_ADDRESS__)
#define WE_VECTOR_CLONES                                                      \
    __attribute__((target_clones("avx512f", "avx2", "default")))
#endif
#endif
#ifndef WE_VECTOR_CLONES
#define WE_VECTOR_CLONES
#endif

WE_VECTOR_CLONES
static void draw_block(const wild_setup *s, const double *restrict W,
                       size_t nb, double *restrict e, wild_draw *out)
{
    size_t G = s->G, m = s->m;
    double a[DRAWS] = {0}, c[DRAWS] = {0};
    double pp[DRAWS] = {0}, pq[DRAWS] = {0}, qq[DRAWS] = {0};
    double acc1[DRAWS], acc2[DRAWS];
    double *restrict e1 = e, *restrict e2 = e + m * DRAWS;
    memset(e, 0, 2 * m * DRAWS * sizeof *e);
    for (size_t g = 0; g < G; g++) {
        const double *restrict wg = W + g * DRAWS;
        const double *f1 = s->F1 + g * m, *f2 = s->F2 + g * m;
        double s1 = s->s1[g], s2 = s->s2[g];
        for (size_t k = 0; k < DRAWS; k++) {
            a[k] += wg[k] * s1;
            c[k] += wg[k] * s2;
        }
        for (size_t j = 0; j < m; j++) {
            double f1j = f1[j], f2j = f2[j];
            double *restrict r1 = e1 + j * DRAWS;
            double *restrict r2 = e2 + j * DRAWS;
            for (size_t k = 0; k < DRAWS; k++) {
                r1[k] += wg[k] * f1j;
                r2[k] += wg[k] * f2j;
            }
        }
    }
    for (size_t h = 0; h < G; h++) {
        const double *restrict wh = W + h * DRAWS;
        const double *E = s->E + h * m;
        double s1 = s->s1[h], s2 = s->s2[h], ratio = s->ratio[h];
        for (size_t k = 0; k < DRAWS; k++)
            acc1[k] = acc2[k] = 0.0;
        for (size_t j = 0; j < m; j++) {
            double Ej = E[j];
            const double *restrict r1 = e1 + j * DRAWS;
            const double *restrict r2 = e2 + j * DRAWS;
            for (size_t k = 0; k < DRAWS; k++) {
                acc1[k] += Ej * r1[k];
                acc2[k] += Ej * r2[k];
            }
        }
        for (size_t k = 0; k < DRAWS; k++) {
            double p = wh[k] * s1 - acc1[k] - ratio * a[k];
            double q = wh[k] * s2 - acc2[k] - ratio * c[k];
            pp[k] += p * p;
            pq[k] += p * q;
            qq[k] += q * q;
        }
    }
    for (size_t k = 0; k < nb; k++)
        out[k] = (wild_draw){a[k], c[k], pp[k], pq[k], qq[k]};
}

static double t_at(const wild_draw *d, double b0, double c1)
{
    double v = d->pp - 2.0 * b0 * d->pq + b0 * b0 * d->qq;
    /* Rounding can push a vanishing variance below zero. */
    return (d->a - b0 * d->c) / sqrt(c1 * fmax(v, 0.0));
}

/* (1 + #{|t*(b0)| >= |t(b0)|}) / (B + 1) over B random draws: the actual
 * sample counts as one draw, so the p-value is never 0 (Davison and
 * Hinkley 1997, eq. 4.11). Enumerated, the 2^G sign vectors already
 * contain w = 1: the share #{>=} / 2^G is the exact p-value. */
static double p_at(const wild_draws *D, double b0, double c1)
{
    double t = fabs(t_at(&D->actual, b0, c1));
    size_t n = 0;
    for (size_t b = 0; b < D->B; b++)
        n += fabs(t_at(&D->draw[b], b0, c1)) >= t;
    if (D->enumerated)
        return (double)n / (double)D->B;
    return (1.0 + (double)n) / (1.0 + (double)D->B);
}

static const double WEBB[6] = {-1.2247448713915890491, -1.0,
                               -0.70710678118654752440,
                               0.70710678118654752440, 1.0,
                               1.2247448713915890491};

/* The generator of the weights: GSL's mt19937 on the reference path, the
 * same stream inline (util/mt19937.h) on the fast path; the same integers
 * either way. */
typedef struct wild_rng {
    gsl_rng *gsl;
    we_mt19937 mt;
} wild_rng;

/* Fills w[g * stride] for draw b: bits of b when enumerating, else the
 * generator, one value per cluster in cluster order. */
static void weights(const we_wild_options *o, int enumerate, size_t b,
                    wild_rng *rng, double *w, size_t G, size_t stride)
{
    int rad = o->weights == WE_WEIGHTS_RADEMACHER;
    if (enumerate) {
        for (size_t g = 0; g < G; g++)
            w[g * stride] = (b >> g) & 1u ? -1.0 : 1.0;
    } else if (rng->gsl == NULL && rad) {
        /* 2k - 1: the signs of k ? 1 : -1 without a branch on a random
         * bit (a mispredicted branch per weight cost more than the
         * generator). */
        for (size_t g = 0; g < G; g++)
            w[g * stride] =
                (double)(2 * (int)we_mt19937_uniform_int(&rng->mt, 2) - 1);
    } else if (rng->gsl == NULL) {
        for (size_t g = 0; g < G; g++)
            w[g * stride] = WEBB[we_mt19937_uniform_int(&rng->mt, 6)];
    } else {
        for (size_t g = 0; g < G; g++)
            w[g * stride] =
                rad ? (gsl_rng_uniform_int(rng->gsl, 2) ? 1.0 : -1.0)
                    : WEBB[gsl_rng_uniform_int(rng->gsl, 6)];
    }
}

/* mt19937 takes 32 bits: the two halves of the seed are folded. */
static unsigned long fold_seed(uint64_t seed)
{
    return (unsigned long)((seed ^ (seed >> 32)) & 0xffffffffu);
}

static int run_draws(const wild_setup *s, const we_wild_options *o,
                     int enumerate, wild_draws *D, we_error *err)
{
    size_t G = s->G;
    int ref = we_reference_paths();
    double *w = malloc(G * DRAWS * sizeof *w);
    double *e = malloc(2 * (s->m ? s->m : 1) * DRAWS * sizeof *e);
    D->draw = malloc(D->B * sizeof *D->draw);
    wild_rng *rng = malloc(sizeof *rng);
    if (rng != NULL)
        rng->gsl = enumerate || !ref ? NULL : gsl_rng_alloc(gsl_rng_mt19937);
    int rc = WE_OK;
    if (w == NULL || e == NULL || D->draw == NULL || rng == NULL ||
        (!enumerate && ref && rng->gsl == NULL))
        rc = we_fail(err, WE_ENOMEM, "out of memory for %zu bootstrap draws",
                     D->B);
    if (rc == WE_OK) {
        if (rng->gsl != NULL)
            gsl_rng_set(rng->gsl, fold_seed(o->seed));
        else
            we_mt19937_seed(&rng->mt, fold_seed(o->seed));
        for (size_t g = 0; g < G; g++)
            w[g] = 1.0;
        D->actual = draw_stats(s, w, e);
        if (ref) {
            for (size_t b = 0; b < D->B; b++) {
                weights(o, enumerate, b, rng, w, G, 1);
                D->draw[b] = draw_stats(s, w, e);
            }
        } else {
            for (size_t b = 0; b < D->B; b += DRAWS) {
                size_t nb = D->B - b < DRAWS ? D->B - b : DRAWS;
                if (nb < DRAWS)
                    memset(w, 0, G * DRAWS * sizeof *w);
                for (size_t k = 0; k < nb; k++)
                    weights(o, enumerate, b + k, rng, w + k, G, DRAWS);
                draw_block(s, w, nb, e, D->draw + b);
            }
        }
    }
    if (rng != NULL)
        gsl_rng_free(rng->gsl);
    free(rng);
    free(w);
    free(e);
    return rc;
}

/* The bound on one side (side = -1 or +1): doubles the distance from the
 * estimate, starting at the CR1 half-width, until the test rejects, then
 * bisects on "p(b0) > alpha" with the same draws. Infinite when no
 * rejection is found, NaN when the estimate itself is rejected. */
static double ci_bound(const wild_draws *D, const wild_setup *s, double est,
                       double half, double se, double alpha, double side)
{
    double inner = est, outer = est + side * half;
    if (!(p_at(D, inner, s->c1) > alpha))
        return NAN;
    int found = 0;
    for (int j = 0; j < 64 && !found; j++) {
        if (p_at(D, outer, s->c1) > alpha) {
            inner = outer;
            half *= 2.0;
            outer = est + side * half;
        } else {
            found = 1;
        }
    }
    if (!found)
        return side * INFINITY;
    double tol = 1e-10 * se;
    for (int j = 0; j < 200 && fabs(outer - inner) > tol; j++) {
        double mid = inner + (outer - inner) / 2.0;
        if (mid == inner || mid == outer)
            break;
        if (p_at(D, mid, s->c1) > alpha)
            inner = mid;
        else
            outer = mid;
    }
    return inner + (outer - inner) / 2.0;
}

static int check_options(const we_wild_options *o, we_error *err)
{
    if (o->reps == 0)
        return we_fail(err, WE_EINVAL,
                       "the wild bootstrap needs at least one "
                       "replication (reps = 0); set reps, e.g. "
                       "9999");
    if (o->reps > ((size_t)-1) / sizeof(wild_draw))
        return we_fail(err, WE_EINVAL,
                       "%zu bootstrap replications do not fit in "
                       "memory; use fewer, e.g. 9999",
                       o->reps);
    if (o->weights != WE_WEIGHTS_RADEMACHER && o->weights != WE_WEIGHTS_WEBB)
        return we_fail(err, WE_EINVAL,
                       "unknown bootstrap weights %d; use "
                       "Rademacher or Webb",
                       (int)o->weights);
    if (o->want_ci && !(o->alpha > 0.0 && o->alpha < 1.0))
        return we_fail(err, WE_EINVAL,
                       "alpha must lie in (0, 1) for the bootstrap "
                       "interval, got %g",
                       o->alpha);
    return WE_OK;
}

static void result_clear(we_wild_result *r)
{
    r->estimate = r->t_stat = r->p_value = NAN;
    r->ci_low = r->ci_high = NAN;
    r->reps = 0;
    r->enumerated = 0;
    r->n_clusters = 0;
}

/* The bootstrap proper, once the CR1 fit has succeeded: from the rows
 * (rows != NULL) or from the per-area sums. */
static int bootstrap(const we_twfe_rows *rows, const we_twfe_area_sums *w,
                     const we_estimate *est, const we_wild_options *o,
                     we_wild_result *out, we_error *err)
{
    wild_setup s;
    int rc = rows != NULL ? setup_build(rows, &s, err)
                          : setup_build_sums(w, &s, err);
    if (rc != WE_OK)
        return rc;
    size_t G = s.G;
    int enumerate = o->weights == WE_WEIGHTS_RADEMACHER &&
                    G < 8 * sizeof(size_t) - 1 &&
                    ((size_t)1 << G) <= o->reps;
    wild_draws D = {.B = enumerate ? (size_t)1 << G : o->reps,
                    .enumerated = enumerate};
    rc = run_draws(&s, o, enumerate, &D, err);
    if (rc == WE_OK) {
        out->p_value = p_at(&D, 0.0, s.c1);
        out->reps = D.B;
        out->enumerated = enumerate;
    }
    if (rc == WE_OK && o->want_ci) {
        double q = gsl_cdf_tdist_Pinv(1.0 - o->alpha / 2.0, (double)G - 1.0);
        double half = q * est->se;
        out->ci_low = ci_bound(&D, &s, est->estimate, half, est->se,
                               o->alpha, -1.0);
        out->ci_high = ci_bound(&D, &s, est->estimate, half, est->se,
                                o->alpha, 1.0);
    }
    free(D.draw);
    setup_free(&s);
    return rc;
}

static int wild_on(const we_twfe_rows *rows, const we_twfe_area_sums *w,
                   const we_estimate *est, const we_wild_options *o,
                   we_wild_result *out, we_error *err)
{
    result_clear(out);
    if (check_options(o, err) != WE_OK)
        return WE_EINVAL;
    if (!(est->se > 0.0) || !isfinite(est->se))
        return we_fail(err, WE_ENODATA,
                       "the CR1 standard error is zero (the model "
                       "fits the data exactly, as on a noise-free "
                       "test panel), so the bootstrap t statistic is "
                       "undefined; check that the indicator varies "
                       "within areas over time beyond the effect");
    out->estimate = est->estimate;
    out->t_stat = est->estimate / est->se;
    out->n_clusters = rows != NULL ? rows->G : w->G;
    int rc = bootstrap(rows, w, est, o, out, err);
    if (rc != WE_OK)
        result_clear(out);
    return rc;
}

int we_twfe_wild_rows(const we_twfe_rows *rows, const we_estimate *est,
                      const we_wild_options *o, we_wild_result *out,
                      we_error *err)
{
    return wild_on(rows, NULL, est, o, out, err);
}

int we_twfe_wild_sums(const we_twfe_area_sums *w, const we_estimate *est,
                      const we_wild_options *o, we_wild_result *out,
                      we_error *err)
{
    return wild_on(NULL, w, est, o, out, err);
}

int we_twfe_wild(const double *y, const we_design *d,
                 const we_wild_options *o, we_wild_result *out,
                 we_error *err)
{
    result_clear(out);
    if (check_options(o, err) != WE_OK)
        return WE_EINVAL;
    we_estimate est = {.struct_size = (uint32_t)sizeof est};
    int rc;
    if (!we_reference_paths()) {
        we_twfe_area_sums w;
        rc = we_twfe_area_sums_fit(y, d, &w, &est, err);
        if (rc == WE_OK)
            rc = we_twfe_wild_sums(&w, &est, o, out, err);
        we_twfe_area_sums_free(&w);
        return rc;
    }
    we_twfe_rows rows;
    rc = we_twfe_rows_build(y, d, &rows, err);
    if (rc != WE_OK)
        return rc;
    rc = we_twfe_from_rows(&rows, d->alpha, &est, err);
    if (rc == WE_OK)
        rc = we_twfe_wild_rows(&rows, &est, o, out, err);
    we_twfe_rows_free(&rows);
    return rc;
}
