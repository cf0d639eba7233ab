/* Holm and Benjamini-Hochberg adjustments, operation for operation as R's
 * stats::p.adjust (R 4.x), so that the results agree to the last bit:
 *
 *   holm: pmin(1, cummax((n + 1 - i) * p[o]))[ro], o = order(p)
 *   BH:   pmin(1, cummin(n / i * p[o]))[ro],  i = n:1,
 *         o = order(p, decreasing = TRUE)
 *
 * with NA (here NaN) removed first and n the number of the others.
 * Checked against R in tests/oracle/p_adjust_reference.R. */
#include "methods/inference.h"

#include <math.h>
#include <stdlib.h>

typedef struct ranked {
    double p;
    size_t at; /* position in the input */
} ranked;

/* Ascending p; ties keep input order, as R's order() does. Tied p-values
 * get the same adjusted value either way, but a total order keeps qsort's
 * result independent of the C library. */
static int by_p(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return (x->at > y->at) - (x->at < y->at);
}

/* The non-NaN p-values sorted, or NULL when fewer than two (R returns
 * those unchanged) or when memory runs out (*oom = 1). */
static ranked *present_sorted(const double *p, size_t n, size_t *m,
                              int *oom)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += !isnan(p[i]);
    *m = k;
    *oom = 0;
    if (k < 2)
        return NULL;
    ranked *r = malloc(k * sizeof *r);
    if (r == NULL) {
        *oom = 1;
        return NULL;
    }
    k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(p[i]))
            r[k++] = (ranked){p[i], i};
    qsort(r, k, sizeof *r, by_p);
    return r;
}

/* The starting point of both adjustments: NaN stays NaN, and the values
 * are returned unchanged when there is nothing to adjust. Without memory
 * every value becomes NaN, which no caller can mistake for a result. */
static ranked *prepare(const double *p, size_t n, double *out, size_t *m)
{
    int oom;
    ranked *r = present_sorted(p, n, m, &oom);
    for (size_t i = 0; i < n; i++)
        out[i] = oom ? NAN : p[i]; /* after reading p: p == out is fine */
    return r;
}

void we_p_adjust_holm(const double *p, size_t n, double *out)
{
    size_t m;
    ranked *r = prepare(p, n, out, &m);
    if (r == NULL)
        return;
    double run = -INFINITY;
    for (size_t i = 1; i <= m; i++) {
        double v = (double)(m + 1 - i) * r[i - 1].p;
        run = v > run ? v : run;
        out[r[i - 1].at] = run < 1.0 ? run : 1.0;
    }
    free(r);
}

void we_p_adjust_bh(const double *p, size_t n, double *out)
{
    size_t m;
    ranked *r = prepare(p, n, out, &m);
    if (r == NULL)
        return;
    double run = INFINITY;
    /* Largest p first: i runs n, n - 1, ..., 1 over the sorted values. */
    for (size_t i = m; i >= 1; i--) {
        double v = (double)m / (double)i * r[i - 1].p;
        run = v < run ? v : run;
        out[r[i - 1].at] = run < 1.0 ? run : 1.0;
    }
    free(r);
}
