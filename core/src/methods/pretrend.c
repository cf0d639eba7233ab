/* The pre-trend test of the event study: the Wald test that all leads are
 * zero with the CR1 covariance, and its restricted wild cluster bootstrap.
 * Apart from the event study because the bootstrap's algebra (per-cluster
 * sums instead of rows) is a subject of its own. Formulas:
 * docs/methods.md. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/event_internal.h"
#include "methods/ols.h"
#include "util/reference.h"

/* 2^G sign vectors are enumerated only below this many clusters. */
#define MAX_ENUM_CLUSTERS 30

/* ---- the Wald statistic ------------------------------------------------ */

/* b' V^-1 b; NaN when V is singular. work holds n * n + n doubles. */
static double quad_inverse(const double *V, const double *b, size_t n,
                           double *work)
{
    double *l = work, *z = work + n * n;
    memcpy(l, V, n * n * sizeof *l);
    memcpy(z, b, n * sizeof *z);
    if (we_chol_factor(l, n) != WE_OK)
        return NAN;
    we_chol_forward(l, n, z);
    double w = 0;
    for (size_t i = 0; i < n; i++)
        w += z[i] * z[i];
    return w;
}

/* W = b_L' V_LL^-1 b_L over the leads (the first q columns); F = W / q
 * with p from F(q, G - 1). */
static int pretrend_test(const ev_fit *f, we_event_result *out,
                         we_error *err)
{
    size_t q = f->q, k = f->k;
    out->pretrend_q = q;
    if (q == 0) {
        we_event_note_add(out,
                          "no lead coefficient (event time <= -2) in the "
                          "window: no pre-trend test",
                          "geen co\xc3\xab"
                          "ffici\xc3\xab"
                          "nt v\xc3\xb3\xc3\xb3r "
                          "de start (tijdstip <= -2) in het venster: geen "
                          "pre-trendtoets");
        return WE_OK;
    }
    double *work = malloc((2 * q * q + q) * sizeof *work);
    if (work == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    double *VL = work + q * q + q;
    for (size_t a = 0; a < q; a++)
        for (size_t b = 0; b < q; b++)
            VL[a * q + b] = f->V[a * k + b];
    out->pretrend_wald = quad_inverse(VL, f->beta, q, work);
    free(work);
    if (isnan(out->pretrend_wald)) {
        we_event_note_add(out,
                          "the covariance of the leads is singular (more "
                          "leads than clusters?): no pre-trend test",
                          "de covariantie van de co\xc3\xab"
                          "ffici\xc3\xab"
                          "nten "
                          "v\xc3\xb3\xc3\xb3r de start is singulier (meer "
                          "perioden dan clusters?): geen pre-trendtoets");
        return WE_OK;
    }
    out->pretrend_f = out->pretrend_wald / (double)q;
    out->pretrend_p = gsl_cdf_fdist_Q(out->pretrend_f, (double)q,
                                      (double)out->df);
    return WE_OK;
}

/* ---- wild cluster bootstrap of the pre-trend Wald statistic ------------ */

/* The restricted wild cluster bootstrap with the leads set to zero. With
 * B = (X'X)^-1, restricted coefficients bt and residuals u, cluster scores
 * s_g = X_g'u and weights v_g, a draw y* = X bt + v u has
 *   b* = bt + B t,  t = sum_g v_g s_g,   u* = v u - X B t,
 * so its leads are (B t)_L and its CR1 covariance of the leads is
 * c sum_g w_g w_g' with w_g = sum_{r in g} (B_L x_r) u*_r. */
typedef struct ev_boot {
    const ev_fit *f;
    size_t N;
    double *u;     /* restricted residuals, N */
    double *S;     /* restricted scores, G x k */
    double *Z;     /* B_L x_r, N x q (the reference path only) */
    double *A;     /* per cluster: sum of Z_r u_r, G x q */
    double *M;     /* per cluster: sum of Z_r x_r', G x q x k */
    double *v;     /* weights, G */
    double *t, *delta; /* k each */
    double *w;     /* G x q */
    double *Vq;    /* q x q */
    double *work;  /* q x q + q */
} ev_boot;

static void boot_free(ev_boot *b)
{
    free(b->u);
    free(b->S);
    free(b->Z);
    free(b->A);
    free(b->M);
    free(b->v);
    free(b->t);
    free(b->delta);
    free(b->w);
    free(b->Vq);
    free(b->work);
}

static int boot_alloc(ev_boot *b, const ev_fit *f, we_error *err)
{
    size_t N = f->N, k = f->k, q = f->q, G = f->G;
    memset(b, 0, sizeof *b);
    b->f = f;
    b->N = N;
    b->u = malloc((N + 1) * sizeof *b->u);
    b->S = malloc(G * k * sizeof *b->S);
    b->Z = malloc(((we_reference_paths() ? N * q : 0) + 1) * sizeof *b->Z);
    b->A = calloc(G * q + 1, sizeof *b->A);
    b->M = calloc(G * q * k + 1, sizeof *b->M);
    b->v = malloc(G * sizeof *b->v);
    b->t = malloc(k * sizeof *b->t);
    b->delta = malloc(k * sizeof *b->delta);
    b->w = malloc(G * q * sizeof *b->w);
    b->Vq = malloc(q * q * sizeof *b->Vq);
    b->work = malloc((q * q + q) * sizeof *b->work);
    if (!b->u || !b->S || !b->Z || !b->A || !b->M || !b->v || !b->t ||
        !b->delta || !b->w || !b->Vq || !b->work) {
        boot_free(b);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    return WE_OK;
}

/* Restricted least squares, b_L = 0: bt = b - B_.L (B_LL)^-1 b_L. The
 * factor of B_LL exists because B is positive definite. */
static int restricted_beta(const ev_fit *f, double *bt, double *work)
{
    size_t k = f->k, q = f->q;
    double *l = work, *x = work + q * q;
    for (size_t a = 0; a < q; a++) {
        x[a] = f->beta[a];
        for (size_t c = 0; c < q; c++)
            l[a * q + c] = f->B[a * k + c];
    }
    memcpy(bt, f->beta, k * sizeof *bt);
    if (we_chol_factor(l, q) != WE_OK)
        return -1;
    we_chol_solve(l, q, x);
    for (size_t a = 0; a < k; a++)
        for (size_t c = 0; c < q; c++)
            bt[a] -= f->B[a * k + c] * x[c];
    for (size_t a = 0; a < q; a++)
        bt[a] = 0.0; /* exactly, not up to rounding */
    return 0;
}

/* Adds area i's B_L X_i'X_i = sum (B_L u) u' - n (B_L ubar) ubar' to the
 * q x k block M (u: a row's two dummies). */
static void area_lead_gram(const ev_fit *f, size_t i, double *M, double *zb)
{
    size_t k = f->k, q = f->q;
    const double *ub = f->ubar + i * k, *B = f->B;
    double n = (double)f->p->area_n[i];
    for (size_t t = 0; t < f->p->T_max; t++) {
        if (!we_sample_cell(f->p, f->y, f->d, i, t))
            continue;
        long ce, cp;
        we_event_row_cols(f, i, t, &ce, &cp);
        for (size_t a = 0; a < q; a++) {
            double z = (ce >= 0 ? B[a * k + (size_t)ce] : 0.0) +
                       (cp >= 0 ? B[a * k + (size_t)cp] : 0.0);
            if (ce >= 0)
                M[a * k + (size_t)ce] += z;
            if (cp >= 0)
                M[a * k + (size_t)cp] += z;
        }
    }
    for (size_t a = 0; a < q; a++) {
        zb[a] = 0;
        for (size_t c = 0; c < k; c++)
            zb[a] += B[a * k + c] * ub[c];
    }
    for (size_t a = 0; a < q; a++)
        for (size_t c = 0; c < k; c++)
            if (ub[c] != 0.0)
                M[a * k + c] -= n * zb[a] * ub[c];
}

/* The bootstrap's sums from the areas: S (scores at the restricted fit),
 * A_g = B_L S_g and M_g = B_L X_g'X_g. */
static int boot_prepare_sparse(ev_boot *b)
{
    const ev_fit *f = b->f;
    size_t k = f->k, q = f->q;
    if (restricted_beta(f, b->delta, b->work) != 0)
        return -1;
    we_event_sparse_scores(f, b->delta, b->S);
    for (size_t g = 0; g < f->G; g++)
        for (size_t a = 0; a < q; a++) {
            double acc = 0;
            for (size_t c = 0; c < k; c++)
                acc += f->B[a * k + c] * b->S[g * k + c];
            b->A[g * q + a] = acc;
        }
    for (size_t i = 0; i < f->d->n_areas; i++)
        if (f->p->area_n[i] > 0)
            area_lead_gram(f, i, b->M + (size_t)f->cl[i] * q * k, b->work);
    return 0;
}

static int boot_prepare(ev_boot *b)
{
    const ev_fit *f = b->f;
    if (f->sparse)
        return boot_prepare_sparse(b);
    const we_ols *o = &f->ols;
    size_t k = f->k, q = f->q;
    if (restricted_beta(f, b->delta, b->work) != 0)
        return -1;
    memset(b->S, 0, f->G * k * sizeof *b->S);
    for (size_t r = 0; r < b->N; r++) {
        const double *x = o->X + r * k;
        double u = o->y[r];
        for (size_t c = 0; c < k; c++)
            u -= x[c] * b->delta[c];
        b->u[r] = u;
        double *s = b->S + (size_t)o->cluster[r] * k;
        for (size_t c = 0; c < k; c++)
            s[c] += x[c] * u;
        size_t g = (size_t)o->cluster[r];
        for (size_t a = 0; a < q; a++) {
            double z = 0;
            for (size_t c = 0; c < k; c++)
                z += f->B[a * k + c] * x[c];
            if (we_reference_paths())
                b->Z[r * q + a] = z;
            b->A[g * q + a] += z * u;
            double *mrow = b->M + (g * q + a) * k;
            for (size_t c = 0; c < k; c++)
                mrow[c] += z * x[c];
        }
    }
    return 0;
}

/* w_g = sum over the rows r of cluster g of Z_r (v_g u_r - x_r'delta),
 * row by row: O(N q k) per draw. The reference of cluster_w. */
static void rows_w(ev_boot *b)
{
    const ev_fit *f = b->f;
    const we_ols *o = &f->ols;
    size_t k = f->k, q = f->q;
    memset(b->w, 0, f->G * q * sizeof *b->w);
    for (size_t r = 0; r < b->N; r++) {
        const double *x = o->X + r * k;
        double us = b->v[o->cluster[r]] * b->u[r];
        for (size_t c = 0; c < k; c++)
            us -= x[c] * b->delta[c];
        double *w = b->w + (size_t)o->cluster[r] * q;
        for (size_t a = 0; a < q; a++)
            w[a] += b->Z[r * q + a] * us;
    }
}

/* The same w_g from the per-cluster sums: v_g A_g - M_g delta, O(G q k)
 * per draw whatever the number of observations. */
static void cluster_w(ev_boot *b)
{
    size_t k = b->f->k, q = b->f->q;
    for (size_t g = 0; g < b->f->G; g++)
        for (size_t a = 0; a < q; a++) {
            const double *mrow = b->M + (g * q + a) * k;
            double s = b->v[g] * b->A[g * q + a];
            for (size_t c = 0; c < k; c++)
                s -= mrow[c] * b->delta[c];
            b->w[g * q + a] = s;
        }
}

/* The Wald statistic of one draw with weights b->v. */
static double boot_stat(ev_boot *b)
{
    const ev_fit *f = b->f;
    size_t k = f->k, q = f->q, G = f->G;
    memset(b->t, 0, k * sizeof *b->t);
    for (size_t g = 0; g < G; g++)
        for (size_t c = 0; c < k; c++)
            b->t[c] += b->v[g] * b->S[g * k + c];
    for (size_t a = 0; a < k; a++) {
        double s = 0;
        for (size_t c = 0; c < k; c++)
            s += f->B[a * k + c] * b->t[c];
        b->delta[a] = s;
    }
    if (we_reference_paths())
        rows_w(b);
    else
        cluster_w(b);
    memset(b->Vq, 0, q * q * sizeof *b->Vq);
    for (size_t g = 0; g < G; g++)
        for (size_t a = 0; a < q; a++)
            for (size_t c = 0; c < q; c++)
                b->Vq[a * q + c] += f->c * b->w[g * q + a] * b->w[g * q + c];
    return quad_inverse(b->Vq, b->delta, q, b->work);
}

/* A draw whose lead covariance is singular has an unbounded statistic: it
 * counts as exceeding (conservative). */
static int boot_exceeds(double wstar, double W)
{
    return isnan(wstar) || wstar >= W * (1.0 - TIE_TOL);
}

static size_t boot_enumerate(ev_boot *b, double W, size_t *reps)
{
    size_t G = b->f->G, hits = 0, n = (size_t)1 << G;
    for (size_t m = 0; m < n; m++) {
        for (size_t g = 0; g < G; g++)
            b->v[g] = (m >> g) & 1u ? -1.0 : 1.0;
        hits += (size_t)boot_exceeds(boot_stat(b), W);
    }
    *reps = n;
    return hits;
}

static size_t boot_draw(ev_boot *b, double W, size_t reps, gsl_rng *rng)
{
    size_t hits = 0;
    for (size_t r = 0; r < reps; r++) {
        for (size_t g = 0; g < b->f->G; g++)
            b->v[g] = gsl_rng_uniform_int(rng, 2) ? 1.0 : -1.0;
        hits += (size_t)boot_exceeds(boot_stat(b), W);
    }
    return hits;
}

static int pretrend_bootstrap(const ev_fit *f, size_t reps, uint64_t seed,
                              we_event_result *out, we_error *err)
{
    if (reps == 0 || isnan(out->pretrend_wald))
        return WE_OK;
    ev_boot b;
    if (boot_alloc(&b, f, err) != WE_OK)
        return WE_ENOMEM;
    if (boot_prepare(&b) != 0) {
        boot_free(&b);
        we_event_note_add(out,
                          "the restricted fit of the bootstrap is singular: "
                          "no bootstrap p-value",
                          "de beperkte schatting van de bootstrap is "
                          "singulier: geen bootstrap-p-waarde");
        return WE_OK;
    }
    size_t hits, used = reps;
    if (f->G <= MAX_ENUM_CLUSTERS && ((size_t)1 << f->G) <= reps) {
        hits = boot_enumerate(&b, out->pretrend_wald, &used);
        out->pretrend_boot_enumerated = 1;
    } else {
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
        if (rng == NULL) {
            boot_free(&b);
            return we_fail(err, WE_ENOMEM, "out of memory");
        }
        gsl_rng_set(rng, we_event_fold_seed(seed));
        hits = boot_draw(&b, out->pretrend_wald, reps, rng);
        gsl_rng_free(rng);
    }
    boot_free(&b);
    out->pretrend_boot_reps = used;
    /* Enumerated, the identity draw is among the 2^G; drawn at random,
     * the sample counts as one more draw, so p is never 0. */
    out->pretrend_boot_p = out->pretrend_boot_enumerated
                               ? (double)hits / (double)used
                               : (1.0 + (double)hits) / (1.0 + (double)used);
    return WE_OK;
}

int we_event_pretrend(const ev_fit *f, size_t reps, uint64_t seed,
                      we_event_result *out, we_error *err)
{
    int rc = pretrend_test(f, out, err);
    if (rc == WE_OK)
        rc = pretrend_bootstrap(f, reps, seed, out, err);
    return rc;
}
