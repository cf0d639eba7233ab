/* Placebo assignments for the synthetic designs' pre-period check
 * (synth_pretest.c; docs/methods.md, "The synthetic designs' own
 * pre-period check"). */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "methods/synth_internal.h"

void we_placebo_pool_free(we_placebo_pool *p)
{
    free(p->area);
    free(p->cl_start);
    free(p->cl_n);
    free(p->cl_used);
    free(p->need);
}

typedef struct cl_area {
    int cl;
    size_t area;
} cl_area;

static int cmp_cl_area(const void *a, const void *b)
{
    const cl_area *x = a, *y = b;
    if (x->cl != y->cl)
        return (x->cl > y->cl) - (x->cl < y->cl);
    return (x->area > y->area) - (x->area < y->area);
}

static int cmp_size_desc(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x < y) - (x > y);
}

/* Area i has a value in every period the backdated design uses: those
 * before its start and its follow-ups. */
static int complete(const double *y, const we_design *bd, size_t i)
{
    const double *row = y + i * bd->n_periods;
    for (size_t t = 0; t < bd->baseline + 1; t++)
        if (!isfinite(row[t]))
            return 0;
    for (size_t k = 0; k < bd->n_followup; k++)
        if (!isfinite(row[bd->followup[k]]))
            return 0;
    return 1;
}

/* Runs of equal clusters in the sorted x[0..n-1]: their count, and their
 * starts and lengths when `start` is not NULL. */
static size_t runs(const cl_area *x, size_t n, size_t *start, size_t *len)
{
    size_t r = 0;
    for (size_t k = 0; k < n; k++) {
        if (k == 0 || x[k].cl != x[k - 1].cl) {
            if (start != NULL) {
                start[r] = k;
                len[r] = 0;
            }
            r++;
        }
        if (len != NULL)
            len[r - 1]++;
    }
    return r;
}

/* The pool from the controls c[0..nc-1] and the treated t[0..nt-1]
 * (cluster, index): controls grouped by cluster, the treated group's
 * cluster sizes largest first. Sorts c and t. */
static int pool_from(cl_area *c, size_t nc, cl_area *t, size_t nt,
                     we_placebo_pool *p, we_error *err)
{
    qsort(c, nc, sizeof *c, cmp_cl_area);
    qsort(t, nt, sizeof *t, cmp_cl_area);
    p->area = malloc((nc ? nc : 1) * sizeof *p->area);
    p->n_ctrl = nc;
    p->n_tr = nt;
    p->n_cl = runs(c, nc, NULL, NULL);
    p->n_need = runs(t, nt, NULL, NULL);
    p->cl_start = malloc((p->n_cl ? p->n_cl : 1) * sizeof *p->cl_start);
    p->cl_n = malloc((p->n_cl ? p->n_cl : 1) * sizeof *p->cl_n);
    p->cl_used = malloc(p->n_cl ? p->n_cl : 1);
    size_t *tstart = malloc((p->n_need ? p->n_need : 1) * sizeof *tstart);
    p->need = malloc((p->n_need ? p->n_need : 1) * sizeof *p->need);
    int rc =
        p->area && p->cl_start && p->cl_n && p->cl_used && tstart && p->need
            ? WE_OK
            : we_fail(err, WE_ENOMEM, "out of memory");
    if (rc == WE_OK) {
        runs(c, nc, p->cl_start, p->cl_n);
        runs(t, nt, tstart, p->need);
        qsort(p->need, p->n_need, sizeof *p->need, cmp_size_desc);
        for (size_t k = 0; k < nc; k++)
            p->area[k] = c[k].area;
    }
    free(tstart);
    return rc;
}

/* The complete controls grouped by cluster and the treated group's
 * cluster sizes, on the backdated design bd (its treated areas are the
 * real ones). A design without clusters puts every area in its own. */
int we_placebo_pool_build(const double *y, const we_design *bd,
                          we_placebo_pool *p, we_error *err)
{
    memset(p, 0, sizeof *p);
    size_t A = bd->n_areas, nc = 0, nt = 0;
    cl_area *c = malloc((A ? A : 1) * sizeof *c);
    cl_area *t = malloc((A ? A : 1) * sizeof *t);
    int rc = c && t ? WE_OK : we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t i = 0; rc == WE_OK && i < A; i++) {
        if (!bd->in_sample[i] || !complete(y, bd, i))
            continue;
        cl_area e = {bd->cluster != NULL ? bd->cluster[i] : (int)i, i};
        if (bd->treated_from[i] >= 0)
            t[nt++] = e;
        else
            c[nc++] = e;
    }
    if (rc == WE_OK)
        rc = pool_from(c, nc, t, nt, p, err);
    free(c);
    free(t);
    return rc;
}

int we_placebo_pool_make(const int *ctrl_cl, size_t nc, const int *tr_cl,
                         size_t nt, we_placebo_pool *p, we_error *err)
{
    memset(p, 0, sizeof *p);
    cl_area *c = malloc((nc ? nc : 1) * sizeof *c);
    cl_area *t = malloc((nt ? nt : 1) * sizeof *t);
    int rc = c && t ? WE_OK : we_fail(err, WE_ENOMEM, "out of memory");
    /* without clusters: controls 0..nc-1, treated nc.. (all distinct) */
    for (size_t k = 0; rc == WE_OK && k < nc; k++)
        c[k] = (cl_area){ctrl_cl != NULL ? ctrl_cl[k] : (int)k, k};
    for (size_t k = 0; rc == WE_OK && k < nt; k++)
        t[k] = (cl_area){tr_cl != NULL ? tr_cl[k] : (int)(nc + k), k};
    if (rc == WE_OK)
        rc = pool_from(c, nc, t, nt, p, err);
    free(c);
    free(t);
    return rc;
}

/* The unused cluster with the most controls, or n_cl when none is left. */
static size_t largest_unused(const we_placebo_pool *p)
{
    size_t best = p->n_cl;
    for (size_t c = 0; c < p->n_cl; c++)
        if (!p->cl_used[c] && (best == p->n_cl || p->cl_n[c] > p->cl_n[best]))
            best = c;
    return best;
}

/* One placebo assignment into out[0..n_tr-1]: for each treated cluster
 * (largest first) an unused control cluster with at least as many
 * controls, uniformly, and that many of its controls, uniformly; when no
 * cluster is that large, all controls of the largest unused one and the
 * rest from the next. -1 when the controls run out (the caller has
 * checked that they do not). */
int we_placebo_pool_draw(we_placebo_pool *p, gsl_rng *rng, size_t *out)
{
    size_t k = 0;
    memset(p->cl_used, 0, p->n_cl);
    for (size_t j = 0; j < p->n_need; j++) {
        size_t want = p->need[j];
        while (want > 0) {
            size_t n_ok = 0, c = p->n_cl;
            for (size_t q = 0; q < p->n_cl; q++)
                n_ok += !p->cl_used[q] && p->cl_n[q] >= want;
            if (n_ok > 0) {
                size_t r = gsl_rng_uniform_int(rng, n_ok);
                for (c = 0; c < p->n_cl; c++)
                    if (!p->cl_used[c] && p->cl_n[c] >= want && r-- == 0)
                        break;
            } else {
                c = largest_unused(p);
                if (c == p->n_cl)
                    return -1;
            }
            p->cl_used[c] = 1;
            size_t *a = p->area + p->cl_start[c], n = p->cl_n[c];
            size_t take = want < n ? want : n;
            for (size_t i = 0; i < take; i++) { /* partial Fisher-Yates */
                size_t r = i + gsl_rng_uniform_int(rng, n - i);
                size_t tmp = a[i];
                a[i] = a[r];
                a[r] = tmp;
                out[k++] = a[i];
            }
            want -= take;
        }
    }
    return 0;
}

/* ---- the assignments a test uses -------------------------------------- */

/* C(n, k), or SIZE_MAX once it exceeds `cap`. */
static size_t n_subsets(size_t n, size_t k, size_t cap)
{
    if (k > n)
        return 0;
    double c = 1;
    for (size_t i = 0; i < k; i++) {
        c = c * (double)(n - i) / (double)(i + 1);
        if (c > (double)cap + 0.5)
            return SIZE_MAX;
    }
    return (size_t)(c + 0.5);
}

/* Next k-subset of 0..n-1 in lexicographic order; 0 after the last. */
static int next_subset(size_t *s, size_t k, size_t n)
{
    size_t i = k;
    while (i > 0 && s[i - 1] == n - k + i - 1)
        i--;
    if (i == 0)
        return 0;
    s[i - 1]++;
    for (size_t j = i; j < k; j++)
        s[j] = s[j - 1] + 1;
    return 1;
}

int we_placebo_walk_init(we_placebo_walk *w, we_placebo_pool *p, size_t reps,
                         unsigned long seed, we_error *err)
{
    memset(w, 0, sizeof *w);
    w->pool = p;
    int flat = p->n_cl == p->n_ctrl && p->n_need == p->n_tr;
    size_t all = n_subsets(p->n_ctrl, p->n_tr, reps);
    w->exact = (p->n_tr == 1 || flat) && all != SIZE_MAX;
    w->J = w->exact ? all : reps;
    w->sub = malloc((p->n_tr ? p->n_tr : 1) * sizeof *w->sub);
    if (!w->exact)
        w->rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (w->sub == NULL || (!w->exact && w->rng == NULL))
        return we_fail(err, WE_ENOMEM, "out of memory");
    if (w->rng != NULL)
        gsl_rng_set(w->rng, seed);
    for (size_t k = 0; k < p->n_tr; k++)
        w->sub[k] = k;
    return WE_OK;
}

int we_placebo_walk_next(we_placebo_walk *w, size_t *out)
{
    if (w->b >= w->J)
        return -1;
    w->b++;
    if (!w->exact)
        return we_placebo_pool_draw(w->pool, w->rng, out);
    for (size_t k = 0; k < w->pool->n_tr; k++)
        out[k] = w->pool->area[w->sub[k]];
    next_subset(w->sub, w->pool->n_tr, w->pool->n_ctrl);
    return 0;
}

void we_placebo_walk_free(we_placebo_walk *w)
{
    free(w->sub);
    if (w->rng != NULL)
        gsl_rng_free(w->rng);
    memset(w, 0, sizeof *w);
}
