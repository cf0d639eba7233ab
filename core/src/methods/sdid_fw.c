/* Frank-Wolfe for min ||A x - b||^2 + eta ||x||^2 over the simplex with
 * exact line search: synthdid's fw.step and sc.weight.fw, with the same
 * steps, objective and stopping rule.
 *
 * synthdid recomputes A x and A'(A x - b) at every step, O(rows n). A step
 * moves x towards a vertex, x' = (1 - s) x + s e_i, so both are updated in
 * O(rows + n) instead: A x' = A x + s (A_i - A x) and
 * h' = (1 - s) h + s (A'A_i - A'b) with h = A'(A x - b). The columns A'A_i
 * are computed when a vertex is first visited and kept (up to CACHE_BYTES).
 * Every REFRESH steps both are recomputed from x, so that rounding cannot
 * accumulate: the iterates stay within rounding of synthdid's (1e-13 on
 * the Proposition 99 panel after 10,100 steps).
 *
 * That is the reference. The fast path below takes the same steps with the
 * same arithmetic and fewer passes over the weights (sums over the support
 * of x, A'A_i computed block by block instead of kept: on 10,113 donors
 * Frank-Wolfe visits about 8,000 vertices in 10,100 steps); its iterates
 * are the reference's bit for bit. */
#include "methods/sdid_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/reference.h"

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
    /* the fast path (below): the support of x and the next vertex */
    size_t *supp; /* ascending indices j, x_j may be non-zero */
    size_t ns;
    int next_ok; /* grad and next_i are those of the current x */
    size_t next_i;
    double x2; /* x'x, summed over the support in order */
    /* the wide pass's prefixes of the next line search's sums, by
     * support position (update_wide) */
    double *pnum, *px2;
    int prefix_ok;
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
    free(s->supp);
    free(s->pnum);
    free(s->px2);
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
    s->supp = malloc(p->n * sizeof *s->supp);
    s->pnum = malloc(p->n * sizeof *s->pnum);
    s->px2 = malloc(p->n * sizeof *s->px2);
    return s->Ax && s->h && s->c && s->grad && s->G && s->gtmp && s->supp &&
                   s->pnum && s->px2
               ? 0
               : -1;
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

/* The end of every line search towards vertex i: the squared change of
 * the fit, then the step -num / (derr + eta dx2) clamped to [0, 1]. One
 * copy, so the reference and the fast paths divide the same way. */
static double clamped_step(const fw_state *s, size_t i, double num,
                           double dx2, double eta)
{
    const we_fw_problem *p = s->p;
    double derr = 0;
    for (size_t r = 0; r < p->rows; r++) {
        double e = row_of(p, r)[i] - s->Ax[r];
        derr += e * e;
    }
    double step = -num / (derr + eta * dx2);
    return step < 0.0 ? 0.0 : step > 1.0 ? 1.0 : step;
}

/* The exact line search towards vertex i, clamped to [0, 1]. */
static double line_search(const fw_state *s, const double *x, size_t i,
                          double eta)
{
    const we_fw_problem *p = s->p;
    double num = 0, dx2 = 0;
    for (size_t j = 0; j < p->n; j++) {
        double dx = j == i ? 1.0 - x[j] : -x[j];
        num += s->grad[j] * dx;
        dx2 += dx * dx;
    }
    return clamped_step(s, i, num, dx2, eta);
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

/* ---- the fast path ------------------------------------------------------
 * The same steps with the same arithmetic, fewer passes over the n
 * weights. After sparsification x has few non-zero weights and a step adds
 * at most one (its vertex), so the sums over x -- the line search's
 * grad'dx and dx'dx, the objective's x'x -- run over the support only,
 * kept in ascending order: they add the same non-zero terms in the same
 * order as the full sums, and a weight that is exactly zero adds an exact
 * zero (+0 times a finite number), which leaves a sum unchanged. The
 * gradients are finite when the problem's values are (`bounded`): h is a
 * convex combination of terms below 2 rows max|M|^2; a problem that is not
 * bounded goes to the reference. A step that is not a number makes every
 * weight NaN, as in the reference, and the support all of them. The update
 * of h forms the next step's gradient in the same pass, with column i of
 * A'A computed block by block when it is not kept. The iterates are the
 * reference's bit for bit (tests/unit/test_fastpaths.c); util/reference.h
 * switches back to it. */

#define BLOCK 512 /* weights per block of the h update */
#define LANES 8

static int bounded(const we_fw_problem *p, double eta)
{
    double mx = 0;
    for (size_t k = 0; k < p->rows * (p->n + 1); k++) {
        double v = fabs(p->M[k]);
        if (!(v <= mx))
            mx = v; /* a NaN stays: the test below fails */
    }
    return 4.0 * (double)p->rows * mx * mx + eta < 1e300;
}

/* The support of x: every j with x_j != 0 (NaN included), ascending. */
static void support_from(fw_state *s, const double *x)
{
    s->ns = 0;
    for (size_t j = 0; j < s->p->n; j++)
        if (x[j] != 0.0)
            s->supp[s->ns++] = j;
}

/* x'x over the support, in order. */
static double support_x2(const fw_state *s, const double *x)
{
    double x2 = 0;
    for (size_t k = 0; k < s->ns; k++)
        x2 += x[s->supp[k]] * x[s->supp[k]];
    return x2;
}

/* The first position of the support whose index is not below i. */
static size_t support_pos(const fw_state *s, size_t i)
{
    size_t lo = 0, hi = s->ns;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->supp[mid] < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Adds i to the support, keeping it ascending. */
static void support_add(fw_state *s, size_t i)
{
    size_t lo = support_pos(s, i);
    if (lo < s->ns && s->supp[lo] == i)
        return;
    memmove(s->supp + lo + 1, s->supp + lo, (s->ns - lo) * sizeof *s->supp);
    s->supp[lo] = i;
    s->ns++;
}

/* The reference's moves test: some coordinate of the direction is not 0. */
static int moves_fast(const fw_state *s, const double *x, size_t i)
{
    if (1.0 - x[i] != 0.0)
        return 1;
    for (size_t k = 0; k < s->ns; k++)
        if (s->supp[k] != i && -x[s->supp[k]] != 0.0)
            return 1;
    return 0;
}

/* line_search with the sums over the support (which holds i). */
static double line_search_fast(const fw_state *s, const double *x, size_t i,
                               double eta)
{
    double num = 0, dx2 = 0;
    for (size_t k = 0; k < s->ns; k++) {
        size_t j = s->supp[k];
        double dx = j == i ? 1.0 - x[j] : -x[j];
        num += s->grad[j] * dx;
        dx2 += dx * dx;
    }
    return clamped_step(s, i, num, dx2, eta);
}

/* Weights j0 .. j0 + m - 1 of column i of A'A, summed as gram_column
 * does (0 + a_0i a_0j + a_1i a_1j + ...), eight at a time in vectors of
 * GCC and Clang (pairs, in the registers of every x86-64): element by
 * element the same operations (no fused multiply-add). Returns how many
 * it summed (a multiple of 8). */
typedef double pair_v __attribute__((vector_size(2 * sizeof(double))));

static size_t gram_block_pairs(const we_fw_problem *p, size_t i, size_t j0,
                               size_t m, double *gb)
{
    size_t k = 0;
    for (; k + 8 <= m; k += 8) {
        pair_v c0 = {0, 0}, c1 = c0, c2 = c0, c3 = c0;
        for (size_t r = 0; r < p->rows; r++) {
            const double *a = row_of(p, r);
            const double *v = a + j0 + k;
            pair_v ai = {a[i], a[i]}, v0, v1, v2, v3;
            memcpy(&v0, v, sizeof v0);
            memcpy(&v1, v + 2, sizeof v1);
            memcpy(&v2, v + 4, sizeof v2);
            memcpy(&v3, v + 6, sizeof v3);
            c0 += ai * v0;
            c1 += ai * v1;
            c2 += ai * v2;
            c3 += ai * v3;
        }
        memcpy(gb + k, &c0, sizeof c0);
        memcpy(gb + k + 2, &c1, sizeof c1);
        memcpy(gb + k + 4, &c2, sizeof c2);
        memcpy(gb + k + 6, &c3, sizeof c3);
    }
    return k;
}

#if defined(__x86_64__) && defined(__GNUC__)
#define WE_FW_AVX2 1
#include <immintrin.h>
#endif

/* h = (1 - step) h + step (A'A_i - c) and the next gradient h + eta x,
 * for a long problem (rows > n: lambda's), which keeps its few columns of
 * A'A as the reference does. */
static void update_h(fw_state *s, const double *x, size_t i, double step,
                     double eta)
{
    const we_fw_problem *p = s->p;
    const double *g = gram_column(s, i);
    for (size_t j = 0; j < p->n; j++) {
        s->h[j] = (1.0 - step) * s->h[j] + step * (g[j] - s->c[j]);
        s->grad[j] = s->h[j] + eta * x[j];
    }
}

/* The wide problem's pass (omega's: thousands of donors, of which
 * Frank-Wolfe visits thousands once or twice each, so column i of A'A is
 * computed where it is used instead of kept). Weight by weight, in
 * ascending order and in groups of 16 (8 without AVX2):
 *  - the step on the support members of the group, x_j + step dx_j, and
 *    x'x summed in the support's order (fw_step_fast's loop); its prefixes
 *    are those of the next line search's dx'dx, since (-x_j)^2 = x_j^2;
 *  - column i of A'A summed as gram_column does (0 + a_0i a_0j +
 *    a_1i a_1j + ...), h and the gradient h + eta x as update_h does, and
 *    the gradient's smallest value (`g < lo ? g : lo`) and whether one is
 *    NaN;
 *  - the next line search's sum grad_j dx_j with dx_j = -x_j over the
 *    support members of the group, and its prefixes.
 * The next line search starts from the prefixes where its vertex sits in
 * the support (line_search_prefix): the same terms added in the same
 * order, with the two serial sums done beside the column work instead of
 * after it. */
typedef struct wide_pass {
    fw_state *s;
    const we_fw_problem *p;
    size_t i;
    double step, eta;
    double *x;
    int walk;  /* 1: step x on the support and sum the prefixes */
    size_t sp; /* the next support position */
    double x2, num, lo;
    int nan;
} wide_pass;

/* The step on the support members below `end`; returns the first. */
static inline size_t walk_x(wide_pass *w, size_t end)
{
    fw_state *s = w->s;
    size_t k0 = w->sp;
    if (!w->walk)
        return k0;
    /* locals, so that the sum stays in a register */
    double *x = w->x, *px2 = s->px2, x2 = w->x2, step = w->step;
    const size_t *supp = s->supp;
    size_t k = k0, ns = s->ns, i = w->i;
    for (; k < ns && supp[k] < end; k++) {
        size_t j = supp[k];
        x[j] = x[j] + step * (j == i ? 1.0 - x[j] : -x[j]);
        x2 += x[j] * x[j];
        px2[k] = x2;
    }
    w->sp = k;
    w->x2 = x2;
    return k0;
}

/* grad_j (-x_j) of support members k0 .. sp - 1 into the next line
 * search's sum. */
static inline void walk_num(wide_pass *w, size_t k0)
{
    fw_state *s = w->s;
    if (!w->walk)
        return;
    const double *x = w->x, *grad = s->grad;
    const size_t *supp = s->supp;
    double num = w->num, *pnum = s->pnum;
    for (size_t k = k0; k < w->sp; k++) {
        size_t j = supp[k];
        double dx = -x[j];
        num += grad[j] * dx;
        pnum[k] = num;
    }
    w->num = num;
}

static inline void wide_col(wide_pass *w, size_t j)
{
    const we_fw_problem *p = w->p;
    fw_state *s = w->s;
    size_t k0 = walk_x(w, j + 1);
    double acc = 0;
    for (size_t r = 0; r < p->rows; r++)
        acc += row_of(p, r)[w->i] * row_of(p, r)[j];
    s->h[j] = (1.0 - w->step) * s->h[j] + w->step * (acc - s->c[j]);
    s->grad[j] = s->h[j] + w->eta * w->x[j];
    w->lo = s->grad[j] < w->lo ? s->grad[j] : w->lo;
    w->nan |= s->grad[j] != s->grad[j];
    walk_num(w, k0);
}

static void wide_block_pairs(wide_pass *w, size_t j0, size_t m)
{
    fw_state *s = w->s;
    size_t k = 0;
    for (; k + 8 <= m; k += 8) {
        double gb[8];
        size_t j = j0 + k, k0 = walk_x(w, j + 8);
        gram_block_pairs(w->p, w->i, j, 8, gb);
        for (size_t q = 0; q < 8; q++) {
            s->h[j + q] = (1.0 - w->step) * s->h[j + q] +
                          w->step * (gb[q] - s->c[j + q]);
            s->grad[j + q] = s->h[j + q] + w->eta * w->x[j + q];
            w->lo = s->grad[j + q] < w->lo ? s->grad[j + q] : w->lo;
            w->nan |= s->grad[j + q] != s->grad[j + q];
        }
        walk_num(w, k0);
    }
    for (; k < m; k++)
        wide_col(w, j0 + k);
}

#ifdef WE_FW_AVX2
/* The same, sixteen weights at a time in AVX2 registers: element by
 * element the same operations (no fused multiply-add); _mm256_min_pd(g,
 * lo) is `g < lo ? g : lo`. */
__attribute__((target("avx2"))) static void
wide_block_quads(wide_pass *w, size_t j0, size_t m)
{
    const we_fw_problem *p = w->p;
    fw_state *s = w->s;
    const __m256d om = _mm256_set1_pd(1.0 - w->step);
    const __m256d st = _mm256_set1_pd(w->step), et = _mm256_set1_pd(w->eta);
    __m256d low = _mm256_set1_pd(w->lo), bad = _mm256_setzero_pd();
    size_t k = 0;
    for (; k + 16 <= m; k += 16) {
        size_t j = j0 + k, k0 = walk_x(w, j + 16);
        __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
        for (size_t r = 0; r < p->rows; r++) {
            const double *a = row_of(p, r) + j;
            __m256d ai = _mm256_broadcast_sd(row_of(p, r) + w->i);
            a0 = _mm256_add_pd(a0, _mm256_mul_pd(ai, _mm256_loadu_pd(a)));
            a1 = _mm256_add_pd(a1, _mm256_mul_pd(ai, _mm256_loadu_pd(a + 4)));
            a2 = _mm256_add_pd(a2, _mm256_mul_pd(ai, _mm256_loadu_pd(a + 8)));
            a3 = _mm256_add_pd(a3, _mm256_mul_pd(ai, _mm256_loadu_pd(a + 12)));
        }
        const __m256d acc[4] = {a0, a1, a2, a3};
        for (size_t q = 0; q < 4; q++) {
            size_t jq = j + 4 * q;
            __m256d h = _mm256_add_pd(
                _mm256_mul_pd(om, _mm256_loadu_pd(s->h + jq)),
                _mm256_mul_pd(st,
                              _mm256_sub_pd(acc[q], _mm256_loadu_pd(s->c + jq))));
            __m256d g = _mm256_add_pd(
                h, _mm256_mul_pd(et, _mm256_loadu_pd(w->x + jq)));
            _mm256_storeu_pd(s->h + jq, h);
            _mm256_storeu_pd(s->grad + jq, g);
            low = _mm256_min_pd(g, low);
            bad = _mm256_or_pd(bad, _mm256_cmp_pd(g, g, _CMP_UNORD_Q));
        }
        walk_num(w, k0);
    }
    double l4[4];
    _mm256_storeu_pd(l4, low);
    for (size_t q = 0; q < 4; q++)
        w->lo = l4[q] < w->lo ? l4[q] : w->lo;
    w->nan |= _mm256_movemask_pd(bad) != 0;
    for (; k < m; k++)
        wide_col(w, j0 + k);
}
#endif

/* The wide pass over all weights (walk: with the step on the support, as
 * above; else x is already stepped); returns the next vertex, the
 * gradient's first minimum: the smallest value over the blocks, then the
 * first index holding it -- first_min's answer when no gradient is NaN
 * and the smallest is finite, else first_min itself. */
static size_t update_wide(fw_state *s, double *x, size_t i, double step,
                          double eta, int walk)
{
    const we_fw_problem *p = s->p;
    wide_pass w = {s, p, i, step, eta, x, walk, 0, 0.0, 0.0, INFINITY, 0};
    size_t nb = (p->n + BLOCK - 1) / BLOCK, best = 0;
    double v = INFINITY;
#ifdef WE_FW_AVX2
    int avx2 = __builtin_cpu_supports("avx2");
#endif
    for (size_t b = 0; b < nb; b++) {
        size_t j0 = b * BLOCK, m = p->n - j0 < BLOCK ? p->n - j0 : BLOCK;
        w.lo = INFINITY;
#ifdef WE_FW_AVX2
        if (avx2)
            wide_block_quads(&w, j0, m);
        else
#endif
            wide_block_pairs(&w, j0, m);
        if (w.lo < v) { /* the first block holding the smallest value */
            v = w.lo;
            best = b;
        }
    }
    if (walk)
        s->x2 = w.x2;
    if (w.nan || !(v < INFINITY))
        return first_min(s->grad, p->n);
    for (size_t j = best * BLOCK; j < p->n; j++)
        if (s->grad[j] == v)
            return j;
    return first_min(s->grad, p->n);
}

/* line_search_fast from the wide pass's prefixes, before i joins the
 * support: the terms of the support members before i are summed already;
 * then i's own term and those after it. */
static double line_search_prefix(const fw_state *s, const double *x,
                                 size_t i, double eta)
{
    size_t pos = support_pos(s, i);
    int in = pos < s->ns && s->supp[pos] == i;
    double num = pos > 0 ? s->pnum[pos - 1] : 0.0;
    double dx2 = pos > 0 ? s->px2[pos - 1] : 0.0;
    double di = 1.0 - x[i];
    num += s->grad[i] * di;
    dx2 += di * di;
    for (size_t k = pos + (size_t)in; k < s->ns; k++) {
        size_t j = s->supp[k];
        double dx = -x[j];
        num += s->grad[j] * dx;
        dx2 += dx * dx;
    }
    return clamped_step(s, i, num, dx2, eta);
}

/* first_min of a gradient without NaN: the smallest value (in lanes that
 * compare as the scan does), then the first index holding it; with a NaN
 * after all, first_min. */
static size_t first_min_finite(const double *g, size_t n)
{
    if (n < 2 * (size_t)LANES)
        return first_min(g, n);
    double lo[LANES];
    memcpy(lo, g, sizeof lo);
    size_t j = LANES;
    for (; j + LANES <= n; j += LANES)
        for (size_t q = 0; q < LANES; q++)
            lo[q] = g[j + q] < lo[q] ? g[j + q] : lo[q];
    double v = lo[0];
    for (size_t q = 1; q < LANES; q++)
        v = lo[q] < v ? lo[q] : v;
    for (; j < n; j++)
        v = g[j] < v ? g[j] : v;
    size_t b = 0;
    while (b < n && !(g[b] == v))
        b++;
    return b < n ? b : first_min(g, n);
}

/* fw_step; the gradient of the next step is formed with h. */
static void fw_step_fast(fw_state *s, double *x, double eta)
{
    const we_fw_problem *p = s->p;
    int wide = p->rows <= p->n;
    if (!s->next_ok) {
        s->next_i = descent_vertex(s, x, eta);
        s->next_ok = 1;
        s->prefix_ok = 0;
    }
    size_t i = s->next_i;
    if (!moves_fast(s, x, i)) /* nothing changes, the next step neither */
        return;
    double step = wide && s->prefix_ok ? line_search_prefix(s, x, i, eta) : 0;
    support_add(s, i);
    if (!(wide && s->prefix_ok))
        step = line_search_fast(s, x, i, eta);
    if (wide && step == step) { /* the step on x within the pass */
        for (size_t r = 0; r < p->rows; r++)
            s->Ax[r] += step * (row_of(p, r)[i] - s->Ax[r]);
        s->next_i = update_wide(s, x, i, step, eta, 1);
        s->prefix_ok = 1;
        return;
    }
    s->prefix_ok = 0;
    if (step == step) {
        double x2 = 0;
        for (size_t k = 0; k < s->ns; k++) {
            size_t j = s->supp[k];
            x[j] = x[j] + step * (j == i ? 1.0 - x[j] : -x[j]);
            x2 += x[j] * x[j];
        }
        s->x2 = x2;
    } else { /* every weight becomes NaN */
        for (size_t j = 0; j < p->n; j++)
            x[j] = x[j] + step * (j == i ? 1.0 - x[j] : -x[j]);
        support_from(s, x);
        s->x2 = support_x2(s, x);
    }
    for (size_t r = 0; r < p->rows; r++)
        s->Ax[r] += step * (row_of(p, r)[i] - s->Ax[r]);
    if (wide) {
        s->next_i = update_wide(s, x, i, step, eta, 0);
    } else {
        update_h(s, x, i, step, eta);
        s->next_i = step == step ? first_min_finite(s->grad, p->n)
                                 : first_min(s->grad, p->n);
    }
}

/* fw_value with x'x as the step summed it. */
static double fw_value_fast(const fw_state *s, double zeta2)
{
    const we_fw_problem *p = s->p;
    double e2 = 0;
    for (size_t r = 0; r < p->rows; r++) {
        double e = s->Ax[r] - row_of(p, r)[p->n];
        e2 += e * e;
    }
    return zeta2 * s->x2 + e2 / (double)p->rows;
}

/* fw_solve on the fast path. */
static size_t fw_solve_fast(fw_state *s, double zeta, double *x,
                            double min_decrease, size_t max_iter)
{
    double zeta2 = zeta * zeta, eta = (double)s->p->rows * zeta2;
    double prev = NAN, last = NAN, md2 = min_decrease * min_decrease;
    size_t t = 0;
    if (!bounded(s->p, eta))
        return fw_solve(s, zeta, x, min_decrease, max_iter);
    refresh(s, x);
    support_from(s, x);
    s->x2 = support_x2(s, x);
    s->next_ok = 0;
    while (t < max_iter && (t < 2 || prev - last > md2)) {
        t++;
        fw_step_fast(s, x, eta);
        if (t % REFRESH == 0) {
            refresh(s, x);
            s->next_ok = 0;
        }
        prev = last;
        last = fw_value_fast(s, zeta2);
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
    size_t (*solve)(fw_state *, double, double *, double, size_t) =
        we_reference_paths() ? fw_solve : fw_solve_fast;
    size_t it =
        solve(&s, zeta, x, tu->min_decrease, tu->max_iter_pre_sparsify);
    sparsify(x, p->n);
    it += solve(&s, zeta, x, tu->min_decrease, tu->max_iter);
    state_free(&s);
    *iters = it;
    return WE_OK;
}
