/* Placebo assignments for the synthetic designs' pre-period check
 * (synth_pretest.c; docs/methods.md, "The synthetic designs' own
 * pre-period check"). */
#include <gsl/gsl_rng.h>
#include <math.h>
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
    p->area = malloc((A ? A : 1) * sizeof *p->area);
    if (c == NULL || t == NULL || p->area == NULL) {
        free(c);
        free(t);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < A; i++) {
        if (!bd->in_sample[i] || !complete(y, bd, i))
            continue;
        cl_area e = {bd->cluster != NULL ? bd->cluster[i] : (int)i, i};
        if (bd->treated_from[i] >= 0)
            t[nt++] = e;
        else
            c[nc++] = e;
    }
    qsort(c, nc, sizeof *c, cmp_cl_area);
    qsort(t, nt, sizeof *t, cmp_cl_area);
    p->n_ctrl = nc;
    p->n_tr = nt;
    p->n_cl = runs(c, nc, NULL, NULL);
    p->n_need = runs(t, nt, NULL, NULL);
    p->cl_start = malloc((p->n_cl ? p->n_cl : 1) * sizeof *p->cl_start);
    p->cl_n = malloc((p->n_cl ? p->n_cl : 1) * sizeof *p->cl_n);
    p->cl_used = malloc(p->n_cl ? p->n_cl : 1);
    size_t *tstart = malloc((p->n_need ? p->n_need : 1) * sizeof *tstart);
    p->need = malloc((p->n_need ? p->n_need : 1) * sizeof *p->need);
    int rc = p->cl_start && p->cl_n && p->cl_used && tstart && p->need
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
