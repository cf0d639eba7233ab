#include "data/panel_internal.h"

#include <math.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>

void we_cells_free(we_cells *c, size_t n_indicators)
{
    for (size_t i = 0; c->blocks && i < c->n_periods * n_indicators; i++) {
        free(c->blocks[i].v);
        free(c->blocks[i].line);
    }
    free(c->blocks);
    free(c->periods);
    memset(c, 0, sizeof *c);
}

static void *resize(void *arr, size_t n, size_t size)
{
    return n > SIZE_MAX / size ? NULL : realloc(arr, n * size);
}

/* Rows are usually grouped, so the previous row's period is tried
 * first. */
long we_cells_slot(we_cells *c, size_t n_ind, int period)
{
    if (c->n_periods > 0 && c->periods[c->last_period] == period)
        return (long)c->last_period;
    for (size_t i = 0; i < c->n_periods; i++)
        if (c->periods[i] == period) {
            c->last_period = i;
            return (long)i;
        }
    if (c->n_periods == c->cap_periods) {
        size_t cap = c->cap_periods == 0 ? 16 : c->cap_periods * 2;
        int *pv = resize(c->periods, cap, sizeof *pv);
        if (pv == NULL)
            return -1;
        c->periods = pv;
        we_cellblock *b = resize(c->blocks, cap * n_ind, sizeof *b);
        if (b == NULL)
            return -1;
        c->blocks = b;
        c->cap_periods = cap;
    }
    memset(c->blocks + c->n_periods * n_ind, 0, n_ind * sizeof *c->blocks);
    c->periods[c->n_periods] = period;
    c->last_period = c->n_periods++;
    return (long)c->last_period;
}

we_cellblock *we_cells_block(we_cells *c, size_t n_areas, size_t n_ind,
                             size_t t, size_t k, int lines)
{
    we_cellblock *b = &c->blocks[t * n_ind + k];
    if (b->v != NULL)
        return b;
    b->v = malloc((n_areas ? n_areas : 1) * sizeof *b->v);
    b->line = lines ? calloc(n_areas ? n_areas : 1, sizeof *b->line) : NULL;
    if (b->v == NULL || (lines && b->line == NULL))
        return NULL;
    for (size_t a = 0; a < n_areas; a++)
        b->v[a] = NAN;
    return b;
}

/* The blocks just freed are as large as the panel, in pieces below the
 * allocator's mmap threshold: glibc keeps such pages, so the process would
 * carry a second panel's worth of memory through the whole run. Hand the
 * free pages back. */
static void release_freed(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

static int cmp_int(const void *x, const void *y)
{
    int a = *(const int *)x, b = *(const int *)y;
    return (a > b) - (a < b);
}

long we_find_sorted(const int *v, size_t n, int key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == key ? (long)lo : -1;
}

/* values[k] for indicator k from its blocks, NULL when it has none. */
static int build_matrix(we_panel *p, we_cells *c, const size_t *rank,
                        size_t k, const char *path, we_error *err)
{
    size_t np = p->n_periods, n_ind = p->n_indicators;
    size_t cells = p->n_areas * np;
    double *m = NULL;
    for (size_t t = 0; t < np; t++) {
        we_cellblock *b = &c->blocks[t * n_ind + k];
        if (b->v == NULL)
            continue;
        if (m == NULL) {
            if (cells > SIZE_MAX / sizeof *m ||
                (m = malloc(cells * sizeof *m)) == NULL)
                return we_fail(err, WE_ENOMEM, "%s: out of memory", path);
            for (size_t i = 0; i < cells; i++)
                m[i] = NAN;
            p->values[k] = m;
        }
        for (size_t a = 0; a < p->n_areas; a++)
            m[a * np + rank[t]] = b->v[a];
        free(b->v);
        free(b->line);
        b->v = NULL;
        b->line = NULL;
    }
    return 0;
}

int we_cells_build(we_panel *p, we_cells *c, const char *path,
                   we_error *err)
{
    size_t np = c->n_periods;
    size_t *rank = malloc((np ? np : 1) * sizeof *rank);
    p->periods = malloc((np ? np : 1) * sizeof *p->periods);
    if (rank == NULL || p->periods == NULL) {
        free(rank);
        return we_fail(err, WE_ENOMEM, "%s: out of memory", path);
    }
    memcpy(p->periods, c->periods, np * sizeof *p->periods);
    qsort(p->periods, np, sizeof *p->periods, cmp_int);
    p->n_periods = np;
    for (size_t t = 0; t < np; t++)
        rank[t] = (size_t)we_find_sorted(p->periods, np, c->periods[t]);
    int rc = 0;
    for (size_t k = 0; k < p->n_indicators && rc == 0; k++)
        rc = build_matrix(p, c, rank, k, path, err);
    free(rank);
    release_freed();
    return rc;
}
