/* Randomisation inference for the TWFE coefficient (event.h): the
 * coefficient by Frisch-Waugh-Lovell on the TWFE sample, recomputed for
 * permuted treatment paths from per-area terms computed once. Formulas:
 * docs/methods.md. */
#include "methods/event.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/event_internal.h"
#include "methods/ols.h"
#include "methods/sample.h"
#include "util/reference.h"

/* A permutation's partialled-out treatment variance below this share of
 * its raw variance is collinearity with the period effects in floating
 * point (the same threshold as the pivots of we_chol_factor). */
#define PIVOT_TOL 1e-12

/* ---- randomisation inference ------------------------------------------- */

/* The TWFE coefficient by Frisch-Waugh-Lovell, for many treatment paths
 * on one sample: with y and the period dummies Z demeaned within area
 * once, a path's demeaned D gives b = (D'y - D'Z (Z'Z)^-1 Z'y) /
 * (D'D - D'Z (Z'Z)^-1 Z'D). */
typedef struct ri_fit {
    we_sample p;
    size_t m;       /* period dummies */
    size_t *start;  /* rows of area i: start[i] .. start[i + 1] - 1 */
    size_t *row_t;  /* period of each row */
    double *yd;     /* demeaned y, N */
    double *Z;      /* demeaned period dummies, N x m */
    double *L;      /* Cholesky factor of Z'Z */
    double *zy;     /* L^-1 Z'y */
    double *dd, *zd; /* work: demeaned D (N), L^-1 Z'D (m) */
} ri_fit;

static void ri_free(ri_fit *r)
{
    we_sample_free(&r->p);
    free(r->start);
    free(r->row_t);
    free(r->yd);
    free(r->Z);
    free(r->L);
    free(r->zy);
    free(r->dd);
    free(r->zd);
}

static int ri_alloc(ri_fit *r, size_t A, we_error *err)
{
    size_t N = r->p.N, m = r->p.n_pc;
    r->m = m;
    r->start = malloc((A + 1) * sizeof *r->start);
    r->row_t = malloc((N ? N : 1) * sizeof *r->row_t);
    r->yd = malloc((N ? N : 1) * sizeof *r->yd);
    r->Z = calloc(N * m + 1, sizeof *r->Z);
    r->L = calloc(m * m + 1, sizeof *r->L);
    r->zy = calloc(m + 1, sizeof *r->zy);
    r->dd = malloc((N > m ? N : m + 1) * sizeof *r->dd);
    r->zd = malloc((m + 1) * sizeof *r->zd);
    if (!r->start || !r->row_t || !r->yd || !r->Z || !r->L || !r->zy ||
        !r->dd || !r->zd)
        return we_fail(err, WE_ENOMEM, "out of memory");
    return WE_OK;
}

/* Rows of area i, demeaned within the area. */
static void ri_add_area(ri_fit *r, const double *y, const we_design *d,
                        size_t i, size_t *row)
{
    size_t m = r->m, r0 = *row, T = d->n_periods;
    double ybar = 0, n = (double)r->p.area_n[i];
    for (size_t t = 0; t < r->p.T_max; t++) {
        if (!we_sample_cell(&r->p, y, d, i, t))
            continue;
        size_t k = (*row)++;
        r->row_t[k] = t;
        r->yd[k] = y[i * T + t];
        ybar += y[i * T + t] / n;
        if (r->p.period_col[t] >= 0)
            r->Z[k * m + (size_t)r->p.period_col[t]] = 1.0;
    }
    for (size_t c = 0; c < m; c++) {
        double mean = 0;
        for (size_t k = r0; k < *row; k++)
            mean += r->Z[k * m + c] / n;
        for (size_t k = r0; k < *row; k++)
            r->Z[k * m + c] -= mean;
    }
    for (size_t k = r0; k < *row; k++)
        r->yd[k] -= ybar;
}

static int ri_prepare(ri_fit *r, const double *y, const we_design *d,
                      we_error *err)
{
    size_t m = r->m, row = 0;
    for (size_t i = 0; i < d->n_areas; i++) {
        r->start[i] = row;
        if (r->p.area_n[i] > 0)
            ri_add_area(r, y, d, i, &row);
    }
    r->start[d->n_areas] = row;
    for (size_t k = 0; k < r->p.N; k++) {
        const double *z = r->Z + k * m;
        for (size_t a = 0; a < m; a++) {
            r->zy[a] += z[a] * r->yd[k];
            for (size_t c = 0; c <= a; c++)
                r->L[a * m + c] += z[a] * z[c];
        }
    }
    if (we_chol_factor(r->L, m) != WE_OK)
        return we_fail(err, WE_ESINGULAR,
                       "the period effects are collinear in the "
                       "sample (a period observed only in areas with "
                       "one observation?)");
    we_chol_forward(r->L, m, r->zy);
    return WE_OK;
}

/* Area i's terms of the coefficient for the path "treated from s": D'y,
 * D'D and Z'D over its rows, with D = 1[t >= s] demeaned within the area.
 * A never-treated area (s < 0) has none. Both the permutation loop and
 * the reference path sum these; only the order of the sums differs. */
static void area_terms(const ri_fit *r, size_t i, long s, double *dy,
                       double *dtd, double *zd)
{
    size_t m = r->m, r0 = r->start[i], r1 = r->start[i + 1];
    *dy = *dtd = 0;
    memset(zd, 0, m * sizeof *zd);
    if (s < 0 || r1 == r0)
        return;
    double mean = 0;
    for (size_t k = r0; k < r1; k++)
        mean += (double)((long)r->row_t[k] >= s) / (double)(r1 - r0);
    for (size_t k = r0; k < r1; k++) {
        double dk = (double)((long)r->row_t[k] >= s) - mean;
        *dy += dk * r->yd[k];
        *dtd += dk * dk;
        for (size_t c = 0; c < m; c++)
            zd[c] += dk * r->Z[k * m + c];
    }
}

/* The running sums of a path's terms, and the coefficient they give. */
typedef struct ri_sums {
    double dy, dtd;
    double *zd; /* m */
} ri_sums;

static void sums_add(ri_sums *t, size_t m, double dy, double dtd,
                     const double *zd)
{
    t->dy += dy;
    t->dtd += dtd;
    for (size_t c = 0; c < m; c++)
        t->zd[c] += zd[c];
}

/* NaN when the path is collinear with the period effects. */
static double sums_coef(const ri_fit *r, ri_sums *t)
{
    size_t m = r->m;
    we_chol_forward(r->L, m, t->zd);
    double num = t->dy, den = t->dtd;
    for (size_t c = 0; c < m; c++) {
        num -= t->zd[c] * r->zy[c];
        den -= t->zd[c] * t->zd[c];
    }
    return den > PIVOT_TOL * t->dtd ? num / den : NAN;
}

/* The coefficient for the treatment path tf, area by area: O(N m). The
 * reference for the permutation loop's per-area summaries. */
static double ri_coef(ri_fit *r, const we_design *d, const long *tf)
{
    size_t m = r->m;
    double dy, dtd, *zd = r->dd; /* dd has room for m: see ri_alloc */
    ri_sums t = {0, 0, r->zd};
    memset(t.zd, 0, m * sizeof *t.zd);
    for (size_t i = 0; i < d->n_areas; i++) {
        if (tf[i] < 0 || r->start[i + 1] == r->start[i])
            continue;
        area_terms(r, i, tf[i], &dy, &dtd, zd);
        sums_add(&t, m, dy, dtd, zd);
    }
    return sums_coef(r, &t);
}

/* The sample areas ordered by stratum (then by index): the blocks within
 * which the treatment paths are permuted. */
typedef struct ri_unit {
    int stratum;
    size_t area;
} ri_unit;

static int cmp_unit(const void *a, const void *b)
{
    const ri_unit *x = a, *z = b;
    if (x->stratum != z->stratum)
        return (x->stratum > z->stratum) - (x->stratum < z->stratum);
    return (x->area > z->area) - (x->area < z->area);
}

/* A permutation moves only the treated starts: within each block of equal
 * strata, a partial Fisher-Yates draws an ordered sample of as many units
 * as the block has treated areas, and the k-th drawn unit gets the block's
 * k-th treated start; every other unit is never treated. That is a uniform
 * permutation of the block's starts at a cost of one draw per treated
 * area. pos[] carries over between permutations (a partial shuffle of any
 * order is uniform). */
typedef struct ri_perm {
    ri_unit *unit;
    size_t n;
    size_t *pos;      /* units of each block, reordered by the draws */
    size_t *block;    /* block starts, n_blocks + 1 */
    size_t n_blocks;
    size_t *n_tv;     /* treated starts per block */
    long *tv;         /* the treated starts, block by block */
    size_t n_assigned;
    size_t *assigned; /* units drawn in this permutation, by area index */
    size_t *value;    /* their start: index into the distinct starts */
    long *distinct;   /* the distinct treated starts */
    size_t n_distinct;
    long *tf;         /* per area: the path of this permutation */
} ri_perm;

static void perm_free(ri_perm *q)
{
    free(q->unit);
    free(q->pos);
    free(q->block);
    free(q->n_tv);
    free(q->tv);
    free(q->assigned);
    free(q->value);
    free(q->distinct);
    free(q->tf);
}

static size_t distinct_index(const ri_perm *q, long s)
{
    size_t j = 0;
    while (q->distinct[j] != s)
        j++;
    return j;
}

/* Blocks, their treated starts and the distinct starts. */
static void perm_blocks(ri_perm *q, const we_design *d)
{
    size_t n_tv = 0;
    for (size_t b0 = 0, b1; b0 < q->n; b0 = b1) {
        for (b1 = b0 + 1;
             b1 < q->n && q->unit[b1].stratum == q->unit[b0].stratum; b1++)
            ;
        q->block[q->n_blocks] = b0;
        q->n_tv[q->n_blocks] = 0;
        for (size_t j = b0; j < b1; j++) {
            long s = d->treated_from[q->unit[j].area];
            q->pos[j] = j;
            if (s < 0)
                continue;
            q->tv[n_tv++] = s;
            q->n_tv[q->n_blocks]++;
            size_t k = 0;
            while (k < q->n_distinct && q->distinct[k] != s)
                k++;
            if (k == q->n_distinct)
                q->distinct[q->n_distinct++] = s;
        }
        q->n_blocks++;
    }
    q->block[q->n_blocks] = q->n;
}

static int perm_init(ri_perm *q, const we_design *d, const we_sample *p,
                     const int *strata, we_error *err)
{
    size_t A = d->n_areas, n1 = A + 1;
    memset(q, 0, sizeof *q);
    q->unit = malloc(n1 * sizeof *q->unit);
    q->pos = malloc(n1 * sizeof *q->pos);
    q->block = malloc((n1 + 1) * sizeof *q->block);
    q->n_tv = malloc(n1 * sizeof *q->n_tv);
    q->tv = malloc(n1 * sizeof *q->tv);
    q->assigned = malloc(n1 * sizeof *q->assigned);
    q->value = malloc(n1 * sizeof *q->value);
    q->distinct = malloc(n1 * sizeof *q->distinct);
    q->tf = malloc(n1 * sizeof *q->tf);
    if (!q->unit || !q->pos || !q->block || !q->n_tv || !q->tv ||
        !q->assigned || !q->value || !q->distinct || !q->tf)
        return we_fail(err, WE_ENOMEM, "out of memory");
    memcpy(q->tf, d->treated_from, A * sizeof *q->tf);
    for (size_t i = 0; i < A; i++) {
        if (p->area_n[i] == 0)
            continue;
        q->unit[q->n].stratum = strata != NULL ? strata[i] : 0;
        q->unit[q->n++].area = i;
    }
    qsort(q->unit, q->n, sizeof *q->unit, cmp_unit);
    perm_blocks(q, d);
    /* Every draw assigns the treated starts anew. */
    for (size_t j = 0; j < q->n; j++)
        q->tf[q->unit[j].area] = -1;
    return WE_OK;
}

/* Draws the next permutation: the areas drawn (assigned[]) with their
 * start (value[]), and the path tf for the reference. */
static void perm_next(ri_perm *q, gsl_rng *rng)
{
    for (size_t k = 0; k < q->n_assigned; k++)
        q->tf[q->assigned[k]] = -1;
    q->n_assigned = 0;
    const long *tv = q->tv;
    for (size_t b = 0; b < q->n_blocks; tv += q->n_tv[b++]) {
        size_t b0 = q->block[b], nb = q->block[b + 1] - b0;
        size_t *pos = q->pos + b0;
        for (size_t j = 0; j < q->n_tv[b]; j++) {
            size_t k = j + (size_t)gsl_rng_uniform_int(rng, nb - j);
            size_t tmp = pos[j];
            pos[j] = pos[k];
            pos[k] = tmp;
            size_t area = q->unit[pos[j]].area;
            q->tf[area] = tv[j];
            q->assigned[q->n_assigned++] = area;
        }
    }
    for (size_t k = 0; k < q->n_assigned; k++)
        q->value[k] = distinct_index(q, q->tf[q->assigned[k]]);
}

/* Every sample area's terms for every distinct treated start, computed
 * once: a permutation then sums the terms of its treated areas,
 * O(treated areas x m) instead of O(N x m). */
typedef struct ri_summary {
    size_t S, m;
    double *dy, *dtd; /* [area * S + j] */
    double *zd;       /* [(area * S + j) * m + c] */
} ri_summary;

static void summary_free(ri_summary *u)
{
    free(u->dy);
    free(u->dtd);
    free(u->zd);
}

static int summary_build(ri_summary *u, const ri_fit *r, const ri_perm *q,
                         size_t A, we_error *err)
{
    size_t S = q->n_distinct, m = r->m;
    *u = (ri_summary){.S = S, .m = m};
    u->dy = calloc(A * S + 1, sizeof *u->dy);
    u->dtd = calloc(A * S + 1, sizeof *u->dtd);
    u->zd = calloc(A * S * m + 1, sizeof *u->zd);
    if (!u->dy || !u->dtd || !u->zd)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t j = 0; j < q->n; j++) {
        size_t i = q->unit[j].area;
        for (size_t v = 0; v < S; v++) {
            size_t c = i * S + v;
            area_terms(r, i, q->distinct[v], &u->dy[c], &u->dtd[c],
                       u->zd + c * m);
        }
    }
    return WE_OK;
}

static double summary_coef(const ri_fit *r, const ri_summary *u,
                           const ri_perm *q)
{
    size_t m = r->m;
    ri_sums t = {0, 0, r->zd};
    memset(t.zd, 0, m * sizeof *t.zd);
    for (size_t k = 0; k < q->n_assigned; k++) {
        size_t c = q->assigned[k] * u->S + q->value[k];
        sums_add(&t, m, u->dy[c], u->dtd[c], u->zd + c * m);
    }
    return sums_coef(r, &t);
}

static int ri_permute(ri_fit *r, const we_design *d, const int *strata,
                      size_t reps, uint64_t seed, we_ri_result *out,
                      we_error *err)
{
    ri_perm q;
    ri_summary u = {0};
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    int rc = perm_init(&q, d, &r->p, strata, err);
    if (rc == WE_OK && rng == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    int reference = we_reference_paths();
    if (rc == WE_OK && !reference)
        rc = summary_build(&u, r, &q, d->n_areas, err);
    size_t hits = 0, used = 0;
    if (rc == WE_OK)
        gsl_rng_set(rng, we_event_fold_seed(seed));
    for (size_t k = 0; rc == WE_OK && k < reps; k++) {
        perm_next(&q, rng);
        double b = reference ? ri_coef(r, d, q.tf) : summary_coef(r, &u, &q);
        if (isnan(b))
            continue; /* not identified under this path: no information */
        used++;
        hits += fabs(b) >= fabs(out->estimate) * (1.0 - TIE_TOL);
    }
    if (rc == WE_OK && used > 0) {
        out->reps = used;
        out->p_value = (1.0 + (double)hits) / (1.0 + (double)used);
    }
    if (rng != NULL)
        gsl_rng_free(rng);
    summary_free(&u);
    perm_free(&q);
    return rc;
}

int we_randomization_inference(const double *y, const we_design *d,
                               const int *strata, size_t reps,
                               uint64_t seed, we_ri_result *out,
                               we_error *err)
{
    out->estimate = out->p_value = NAN;
    out->reps = 0;
    int rc = we_design_check(d, err);
    if (rc != WE_OK)
        return rc;
    ri_fit r;
    memset(&r, 0, sizeof r);
    if (we_sample_build(y, d, &r.p, err) != WE_OK)
        return WE_ENOMEM;
    rc = we_event_need_groups(&r.p, err);
    if (rc == WE_OK)
        rc = ri_alloc(&r, d->n_areas, err);
    if (rc == WE_OK)
        rc = ri_prepare(&r, y, d, err);
    if (rc == WE_OK) {
        out->estimate = ri_coef(&r, d, d->treated_from);
        if (isnan(out->estimate))
            rc = we_fail(err, WE_ESINGULAR,
                         "the treatment is collinear with the period "
                         "effects (no treated observation after "
                         "treatment starts?)");
    }
    if (rc == WE_OK)
        rc = ri_permute(&r, d, strata, reps, seed, out, err);
    ri_free(&r);
    return rc;
}

