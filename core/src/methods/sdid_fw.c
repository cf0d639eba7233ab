/* Frank-Wolfe for min ||A x - b||^2 + eta ||x||^2 over the simplex with
 * exact line search: synthdid's fw.step and sc.weight.fw, with the same
 * steps, objective and stopping rule.
 *
 * synthdid recomputes A x and A'(A x - b) at every step, O(rows n). A step
 * moves x towards a vertex, x' = (1 - s) x + s e_i, so both are updated in
 * O(rows + n) instead: A x' = A x + s (A_i - A x) and
 * h' = (1 - s) h + s (A'A_i - A'b) with h = A'(A x - b). The columns A'A_i
 * are computed when a vertex is first visited and kept (Frank-Wolfe visits
 * few vertices). Every REFRESH steps both are recomputed from x, so that
 * rounding cannot accumulate: the iterates stay within rounding of
 * synthdid's (1e-13 on the Proposition 99 panel after 10,100 steps). */
#include "methods/sdid_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define REFRESH 64
#define CACHE_BYTES ((size_t)48 << 20) /* cap on the kept A'A columns: the
                                         run's peak memory budget */

typedef struct fw_state {
    const we_fw_problem *p;
    double *Ax;     /* rows */
    double *h;      /* n: A'(A x - b) */
    double *c;      /* n: A'b */
    double *grad;   /* n */
    double **G;     /* n: kept columns of A'A, NULL until visited */
    double *gtmp;   /* n: a column when the cache is full */
    size_t kept;
} fw_state;

static const double *row_of(const we_fw_problem *p, size_t r)
{
    return p->M + r * (p->n + 1);
}

static void state_free(fw_state *s)
{
    for (size_t j = 0; s->G != NULL && j < s->p->n; j++)
        free(s->G[j]);
    free(s->G);
    free(s->Ax);
    free(s->h);
    free(s->c);
    free(s->grad);
    free(s->gtmp);
}

static int state_alloc(fw_state *s, const we_fw_problem *p)
{
    memset(s, 0, sizeof *s);
    s->p = p;
    s->Ax = malloc(p->rows * sizeof *s->Ax);
    s->h = malloc(p->n * sizeof *s->h);
    s->c = malloc(p->n * sizeof *s->c);
    s->grad = malloc(p->n * sizeof *s->grad);
    s->G = calloc(p->n, sizeof *s->G);
    s->gtmp = malloc(p->n * sizeof *s->gtmp);
    return s->Ax && s->h && s->c && s->grad && s->G && s->gtmp ? 0 : -1;
}

/* A x and h = A'(A x - b) from scratch; c = A'b. */
static void refresh(fw_state *s, const double *x)
{
    const we_fw_problem *p = s->p;
    for (size_t j = 0; j < p->n; j++)
        s->h[j] = s->c[j] = 0.0;
    for (size_t r = 0; r < p->rows; r++) {
        const double *a = row_of(p, r);
        double ax = 0;
        for (size_t j = 0; j < p->n; j++)
            ax += a[j] * x[j];
        s->Ax[r] = ax;
        for (size_t j = 0; j < p->n; j++) {
            s->h[j] += (ax - a[p->n]) * a[j];
            s->c[j] += a[p->n] * a[j];
        }
    }
}

/* Column i of A'A: kept, or computed into the scratch buffer. */
static const double *gram_column(fw_state *s, size_t i)
{
    const we_fw_problem *p = s->p;
    if (s->G[i] != NULL)
        return s->G[i];
    double *g = s->gtmp;
    if ((s->kept + 1) * p->n * sizeof *g <= CACHE_BYTES) {
        double *kept = malloc(p->n * sizeof *kept);
        if (kept != NULL) {
            s->G[i] = g = kept;
            s->kept++;
        }
    }
    for (size_t j = 0; j < p->n; j++)
        g[j] = 0.0;
    for (size_t r = 0; r < p->rows; r++) {
        const double *a = row_of(p, r);
        for (size_t j = 0; j < p->n; j++)
            g[j] += a[i] * a[j];
    }
    return g;
}

/* The first minimum of g[0..n-1] (which.min), as the scan
 *   best = 0; for j: if (g[j] < g[best]) best = j;
 * but in four interleaved lanes, so that the comparisons do not wait on
 * each other: each lane keeps its first minimum, and the lanes' smallest
 * value wins, the lowest index among equal ones -- the scan's answer
 * whenever no g[j] is NaN, which is checked (a NaN falls back to the
 * scan). */
static size_t first_min(const double *g, size_t n)
{
    enum { LANES = 4 };
    size_t best[LANES] = {0, 1, 2, 3};
    int nan = 0;
    if (n < 2 * (size_t)LANES) {
        size_t b = 0;
        for (size_t j = 0; j < n; j++)
            b = g[j] < g[b] ? j : b;
        return b;
    }
    for (size_t j = 0; j + LANES <= n; j += LANES)
        for (size_t l = 0; l < LANES; l++) {
            best[l] = g[j + l] < g[best[l]] ? j + l : best[l];
            nan |= g[j + l] != g[j + l];
        }
    size_t b = best[0];
    for (size_t l = 1; l < LANES; l++)
        if (g[best[l]] < g[b] || (g[best[l]] == g[b] && best[l] < b))
            b = best[l];
    for (size_t j = n - n % LANES; j < n; j++) {
        b = g[j] < g[b] ? j : b;
        nan |= g[j] != g[j];
    }
    if (nan) {
        b = 0;
        for (size_t j = 0; j < n; j++)
            b = g[j] < g[b] ? j : b;
    }
    return b;
}

/* The vertex of steepest descent (the first minimum, as which.min). */
static size_t descent_vertex(fw_state *s, const double *x, double eta)
{
    for (size_t j = 0; j < s->p->n; j++)
        s->grad[j] = s->h[j] + eta * x[j];
    return first_min(s->grad, s->p->n);
}

/* The exact line search towards vertex i, clamped to [0, 1]. */
static double line_search(const fw_state *s, const double *x, size_t i,
                          double eta)
{
    const we_fw_problem *p = s->p;
    double num = 0, dx2 = 0, derr = 0;
    for (size_t j = 0; j < p->n; j++) {
        double dx = j == i ? 1.0 - x[j] : -x[j];
        num += s->grad[j] * dx;
        dx2 += dx * dx;
    }
    for (size_t r = 0; r < p->rows; r++) {
        double e = row_of(p, r)[i] - s->Ax[r];
        derr += e * e;
    }
    double step = -num / (derr + eta * dx2);
    return step < 0.0 ? 0.0 : step > 1.0 ? 1.0 : step;
}

static void fw_step(fw_state *s, double *x, double eta)
{
    const we_fw_problem *p = s->p;
    size_t i = descent_vertex(s, x, eta);
    int moves = 0;
    for (size_t j = 0; j < p->n && !moves; j++)
        moves = (j == i ? 1.0 - x[j] : -x[j]) != 0.0;
    if (!moves)
        return;
    double step = line_search(s, x, i, eta);
    for (size_t j = 0; j < p->n; j++)
        x[j] = x[j] + step * (j == i ? 1.0 - x[j] : -x[j]);
    const double *g = gram_column(s, i);
    for (size_t r = 0; r < p->rows; r++)
        s->Ax[r] += step * (row_of(p, r)[i] - s->Ax[r]);
    for (size_t j = 0; j < p->n; j++)
        s->h[j] = (1.0 - step) * s->h[j] + step * (g[j] - s->c[j]);
}

/* zeta^2 ||x||^2 + ||A x - b||^2 / rows. */
static double fw_value(const fw_state *s, const double *x, double zeta2)
{
    const we_fw_problem *p = s->p;
    double e2 = 0, x2 = 0;
    for (size_t r = 0; r < p->rows; r++) {
        double e = s->Ax[r] - row_of(p, r)[p->n];
        e2 += e * e;
    }
    for (size_t j = 0; j < p->n; j++)
        x2 += x[j] * x[j];
    return zeta2 * x2 + e2 / (double)p->rows;
}

/* sc.weight.fw: steps until the objective falls by no more than
 * min_decrease^2, or max_iter steps. Returns the steps taken. */
static size_t fw_solve(fw_state *s, double zeta, double *x,
                       double min_decrease, size_t max_iter)
{
    double zeta2 = zeta * zeta, eta = (double)s->p->rows * zeta2;
    double prev = NAN, last = NAN, md2 = min_decrease * min_decrease;
    size_t t = 0;
    refresh(s, x);
    while (t < max_iter && (t < 2 || prev - last > md2)) {
        t++;
        fw_step(s, x, eta);
        if (t % REFRESH == 0)
            refresh(s, x);
        prev = last;
        last = fw_value(s, x, zeta2);
    }
    return t;
}

/* Weights at most max/4 set to zero, the rest renormalised
 * (synthdid's sparsify_function). */
static void sparsify(double *x, size_t n)
{
    double mx = x[0], s = 0;
    for (size_t j = 1; j < n; j++)
        mx = x[j] > mx ? x[j] : mx;
    for (size_t j = 0; j < n; j++) {
        if (x[j] <= mx / 4.0)
            x[j] = 0.0;
        s += x[j];
    }
    for (size_t j = 0; j < n; j++)
        x[j] /= s;
}

int we_fw_two_rounds(const we_fw_problem *p, double zeta,
                     const we_sdid_tuning *tu, const double *init, double *x,
                     size_t *iters, we_error *err)
{
    fw_state s;
    if (state_alloc(&s, p) != 0) {
        state_free(&s);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    for (size_t j = 0; j < p->n; j++)
        x[j] = init != NULL ? init[j] : 1.0 / (double)p->n;
    size_t it = fw_solve(&s, zeta, x, tu->min_decrease,
                         tu->max_iter_pre_sparsify);
    sparsify(x, p->n);
    it += fw_solve(&s, zeta, x, tu->min_decrease, tu->max_iter);
    state_free(&s);
    *iters = it;
    return WE_OK;
}
