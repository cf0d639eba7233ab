/* Callaway-Sant'Anna group-time effects: the window, the cohorts, the
 * ATT(g, t) cells and their influence functions. Aggregations are in
 * cs_aggregate.c, inference in cs_inference.c; formulas in
 * docs/methods.md. */
#include "methods/cs.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "methods/cs_internal.h"
#include "methods/sample.h"

static int check_inputs(const we_design *d, const we_cs_options *o,
                        we_error *err)
{
    int rc = we_design_check(d, err);
    if (rc != WE_OK)
        return rc;
    if (o->control != WE_CS_NEVER_TREATED &&
        o->control != WE_CS_NOT_YET_TREATED)
        return we_fail(err, WE_EINVAL, "unknown comparison group %d",
                       (int)o->control);
    if (o->weights != WE_CS_RADEMACHER && o->weights != WE_CS_MAMMEN)
        return we_fail(err, WE_EINVAL, "unknown bootstrap weights %d",
                       (int)o->weights);
    if (o->reference != WE_CS_REF_NORMAL && o->reference != WE_CS_REF_T)
        return we_fail(err, WE_EINVAL, "unknown reference distribution %d",
                       (int)o->reference);
    for (size_t i = 0; i < d->n_areas; i++) {
        if (!d->in_sample[i])
            continue;
        if (d->treated_from[i] == 0)
            return we_fail(err, WE_EINVAL,
                           "area %zu is treated from the first period "
                           "of the panel: its cohort has no "
                           "pre-treatment period to compare with; "
                           "drop the area or add earlier periods",
                           i);
        if (d->cluster[i] < 0)
            return we_fail(err, WE_EINVAL, "area %zu: negative cluster id", i);
    }
    return 0;
}

/* Cohorts in the window 0..last; later starts count as never treated
 * (did's rule). */
static void assign_cohorts(cs_work *w, size_t last)
{
    const we_design *d = w->d;
    w->last = last;
    for (size_t i = 0; i < d->n_areas; i++) {
        long g = d->treated_from[i];
        w->g[i] = !d->in_sample[i] ? -2 : (g < 0 || g > (long)last) ? -1 : g;
    }
}

static int has_never_treated(const cs_work *w)
{
    for (size_t i = 0; i < w->d->n_areas; i++)
        if (w->g[i] == -1)
            return 1;
    return 0;
}

static long max_cohort(const cs_work *w)
{
    long m = -1;
    for (size_t i = 0; i < w->d->n_areas; i++)
        if (w->g[i] > m)
            m = w->g[i];
    return m;
}

/* The window, and did's fallback without never-treated areas: with the
 * not-yet-treated comparison the periods from the last cohort's start on
 * are dropped, so that cohort becomes the comparison group. */
static int set_window(cs_work *w, we_error *err, char *note, size_t cap)
{
    const we_design *d = w->d;
    size_t last = d->followup[d->n_followup - 1];
    assign_cohorts(w, last);
    if (max_cohort(w) < 0)
        return we_fail(err, WE_ENODATA,
                       "no in-sample area is treated within periods "
                       "0..%zu; nothing to estimate",
                       last);
    if (has_never_treated(w))
        return WE_OK;
    if (w->control == WE_CS_NEVER_TREATED)
        return we_fail(err, WE_ENODATA,
                       "no never-treated area in the sample, so the "
                       "never-treated comparison group is empty; use "
                       "the not-yet-treated comparison or add "
                       "never-treated areas");
    long gmax = max_cohort(w);
    assign_cohorts(w, (size_t)gmax - 1);
    if (max_cohort(w) < 0)
        return we_fail(err, WE_ENODATA,
                       "no never-treated area and a single cohort: "
                       "no comparison group for it");
    snprintf(note, cap, "no never-treated area: periods from %ld on dropped, "
                        "the cohort of period %ld is the comparison group. ",
             gmax, gmax);
    return WE_OK;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

static int collect_cohorts(cs_work *w)
{
    size_t A = w->d->n_areas, k = 0;
    w->cohort = malloc(A * sizeof *w->cohort);
    if (w->cohort == NULL)
        return WE_ENOMEM;
    for (size_t i = 0; i < A; i++)
        if (w->g[i] >= 0)
            w->cohort[k++] = w->g[i];
    qsort(w->cohort, k, sizeof *w->cohort, cmp_long);
    w->n_cohorts = 0;
    for (size_t i = 0; i < k; i++)
        if (i == 0 || w->cohort[i] != w->cohort[i - 1])
            w->cohort[w->n_cohorts++] = w->cohort[i];
    return WE_OK;
}

int we_cs_member(const cs_work *w, const we_cs_cell *c, size_t a)
{
    size_t T = w->d->n_periods;
    long g = w->g[a];
    if (g == -2 || !isfinite(w->y[a * T + c->period]) ||
        !isfinite(w->y[a * T + c->base]))
        return 0;
    if (g == c->group)
        return 1;
    if (g == -1)
        return -1;
    /* did: not yet treated by the later of the two periods. */
    size_t later = c->period > c->base ? c->period : c->base;
    if (w->control == WE_CS_NOT_YET_TREATED && g > (long)later)
        return -1;
    return 0;
}

static void count_members(const cs_work *w, we_cs_cell *c)
{
    c->n_treated = c->n_control = 0;
    for (size_t i = 0; i < w->d->n_areas; i++) {
        int m = we_cs_member(w, c, i);
        c->n_treated += m == 1;
        c->n_control += m == -1;
    }
}

static void note_skipped(char *note, size_t cap, const we_cs_cell *c)
{
    size_t len = strlen(note);
    if (len + 1 >= cap)
        return;
    snprintf(note + len, cap - len, "ATT(%ld,%zu) skipped: %s. ",
             c->group, c->period,
             c->n_treated == 0 ? "no treated area with both values"
                               : "no comparison area with both values");
}

/* Every (cohort, period 1..last) cell with treated and comparison data. */
static int build_cells(cs_work *w, we_cs_result *out)
{
    size_t max = w->n_cohorts * w->last;
    out->cell = calloc(max > 0 ? max : 1, sizeof *out->cell);
    if (out->cell == NULL)
        return WE_ENOMEM;
    for (size_t k = 0; k < w->n_cohorts; k++) {
        long g = w->cohort[k];
        for (size_t t = 1; t <= w->last; t++) {
            we_cs_cell *c = &out->cell[out->n_cells];
            c->group = g;
            c->period = t;
            c->base = (long)t < g ? t - 1 : (size_t)g - 1;
            c->event = (long)t - g;
            count_members(w, c);
            if (c->n_treated > 0 && c->n_control > 0) {
                out->n_cells++;
                continue;
            }
            out->n_skipped++;
            note_skipped(out->note, sizeof out->note, c);
        }
    }
    return WE_OK;
}

/* Areas that enter some cell get a used index; clusters are numbered in
 * order of first appearance (sample.h). Counts the areas and observations
 * used. */
static int index_areas(cs_work *w, we_cs_result *out, we_error *err)
{
    const we_design *d = w->d;
    size_t A = d->n_areas, T = d->n_periods;
    unsigned char *obs = calloc(A * T, 1), *used = calloc(A ? A : 1, 1);
    int *cl = malloc((A ? A : 1) * sizeof *cl);
    if (obs == NULL || used == NULL || cl == NULL) {
        free(obs);
        free(used);
        free(cl);
        return WE_ENOMEM;
    }
    for (size_t k = 0; k < out->n_cells; k++) {
        const we_cs_cell *c = &out->cell[k];
        for (size_t i = 0; i < A; i++)
            if (we_cs_member(w, c, i) != 0)
                obs[i * T + c->period] = obs[i * T + c->base] = 1;
    }
    w->n = 0;
    out->n_obs = out->n_treated = out->n_control = 0;
    for (size_t i = 0; i < A; i++) {
        size_t cells = 0;
        for (size_t t = 0; t < T; t++)
            cells += obs[i * T + t];
        used[i] = cells > 0;
        out->n_obs += (long)cells;
    }
    int rc = we_sample_clusters(d, used, WE_CLUSTERS_FIRST_SEEN, cl, &w->G,
                                err);
    for (size_t i = 0; rc == WE_OK && i < A; i++) {
        w->pos[i] = -1;
        if (!used[i])
            continue;
        out->n_treated += w->g[i] >= 0;
        out->n_control += w->g[i] == -1;
        w->cl[w->n] = cl[i];
        w->pos[i] = (long)w->n++;
    }
    free(obs);
    free(used);
    free(cl);
    if (rc == WE_OK && w->G < 2)
        return we_fail(err, WE_ENODATA,
                       "%zu cluster(s) among the areas used; the "
                       "clustered standard errors need at least 2",
                       w->G);
    return rc;
}

/* psi_i = n [ D_i (dy_i - m1) / n1 - C_i (dy_i - m0) / n0 ]: the 2x2 DiD of
 * means and its influence function (did with est_method "dr" or "reg" and
 * no covariates reduces to this). */
static void cell_statistic(cs_work *w, const we_cs_cell *c, size_t k)
{
    const we_design *d = w->d;
    size_t T = d->n_periods;
    double s[2] = {0, 0}, m[2];
    double n[2] = {(double)c->n_control, (double)c->n_treated};
    for (size_t i = 0; i < d->n_areas; i++) {
        int mem = we_cs_member(w, c, i);
        if (mem != 0)
            s[mem > 0] += w->y[i * T + c->period] - w->y[i * T + c->base];
    }
    m[0] = s[0] / n[0];
    m[1] = s[1] / n[1];
    w->est[k] = m[1] - m[0];
    double *psi = w->psi + k * w->n, scale = (double)w->n;
    memset(psi, 0, w->n * sizeof *psi);
    for (size_t i = 0; i < d->n_areas; i++) {
        int mem = we_cs_member(w, c, i);
        if (mem == 0)
            continue;
        int tr = mem > 0;
        double dy = w->y[i * T + c->period] - w->y[i * T + c->base];
        psi[w->pos[i]] = (tr ? 1.0 : -1.0) * scale * (dy - m[tr]) / n[tr];
    }
}

static int alloc_work(cs_work *w, size_t n_cells)
{
    size_t T = w->last + 1;
    /* cells, simple, event times (< 2T), cohorts and periods (< T each),
     * and the three overall summaries */
    w->cap = n_cells + 1 + 2 * T + T + T + 3;
    w->est = calloc(w->cap, sizeof *w->est);
    w->se = calloc(w->cap, sizeof *w->se);
    w->boot_se = calloc(w->cap, sizeof *w->boot_se);
    w->psi = calloc(w->cap * (w->n > 0 ? w->n : 1), sizeof *w->psi);
    if (w->est == NULL || w->se == NULL || w->boot_se == NULL ||
        w->psi == NULL)
        return WE_ENOMEM;
    return WE_OK;
}

static void work_free(cs_work *w)
{
    free(w->g);
    free(w->cohort);
    free(w->pos);
    free(w->cl);
    free(w->ug);
    free(w->est);
    free(w->psi);
    free(w->se);
    free(w->boot_se);
}

static int no_post_cell(const we_cs_result *out)
{
    for (size_t k = 0; k < out->n_cells; k++)
        if (out->cell[k].event >= 0)
            return 0;
    return 1;
}

/* The window, the cohorts, the cells and the used areas: everything
 * that depends on which cells of y are finite, not on their values. */
static int prepare_cells(cs_work *w, we_cs_result *out, we_error *err)
{
    char note[256] = "";
    int rc = set_window(w, err, note, sizeof note);
    if (rc != WE_OK)
        return rc;
    snprintf(out->note, sizeof out->note, "%s", note);
    out->last_period = w->last;
    if (collect_cohorts(w) != WE_OK || build_cells(w, out) != WE_OK)
        return we_fail(err, WE_ENOMEM, "out of memory");
    if (out->n_cells == 0 || no_post_cell(out))
        return we_fail(err, WE_ENODATA,
                       "no post-treatment ATT(g,t) has both treated "
                       "and comparison areas with data at its two "
                       "periods");
    rc = index_areas(w, out, err);
    if (rc == WE_ENOMEM)
        we_fail(err, WE_ENOMEM, "out of memory");
    return rc;
}

static int estimate_cells(cs_work *w, we_cs_result *out, we_error *err)
{
    int rc = prepare_cells(w, out, err);
    if (rc != WE_OK)
        return rc;
    if (alloc_work(w, out->n_cells) != WE_OK)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t k = 0; k < out->n_cells; k++)
        cell_statistic(w, &out->cell[k], k);
    w->n_stats = out->n_cells;
    return WE_OK;
}

int we_cs_estimate(const double *y, const we_design *d,
                   const we_cs_options *o, we_cs_result *out,
                   we_error *err)
{
    memset(out, 0, sizeof *out);
    out->alpha = d->alpha;
    out->df = NAN;
    out->cell_crit = NAN;
    if (check_inputs(d, o, err) != 0)
        return WE_EINVAL;
    cs_work w = {.y = y, .d = d, .control = o->control};
    size_t A = d->n_areas;
    w.g = malloc(A * sizeof *w.g);
    w.pos = malloc(A * sizeof *w.pos);
    w.cl = malloc(A * sizeof *w.cl);
    int rc = WE_OK;
    if (w.g == NULL || w.pos == NULL || w.cl == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    if (rc == WE_OK)
        rc = estimate_cells(&w, out, err);
    cs_layout lay;
    if (rc == WE_OK)
        rc = we_cs_aggregate(&w, out, &lay, err);
    if (rc == WE_OK)
        rc = we_cs_inference(&w, &lay, o, out, err);
    if (rc == WE_OK)
        rc = we_cs_pretest(&w, &lay, out, err);
    work_free(&w);
    return rc;
}

void we_cs_result_free(we_cs_result *r)
{
    free(r->cell);
    free(r->dynamic.elem);
    free(r->group.elem);
    free(r->calendar.elem);
    free(r->dyn_vcov);
    memset(r, 0, sizeof *r);
}

void we_cs_headline(const we_cs_result *r, we_estimate *e)
{
    e->estimate = r->simple.estimate;
    e->se = r->simple.se;
    e->ci_low = r->simple.ci_low;
    e->ci_high = r->simple.ci_high;
    e->p_value = r->simple.p_value;
    e->df = r->df;
    e->n_treated = r->n_treated;
    e->n_control = r->n_control;
    e->n_obs = r->n_obs;
    e->baseline = e->latest = NAN;
    e->closing = 0;
    e->inference = WE_INFERENCE_NONE;
    e->inference_reps = 0;
}

/* ---- the simple aggregation on many panels ----------------------------- */

/* The plan walks the panel area by area, so that each area's row is read
 * once: member[off[i]..off[i + 1]) lists the post-treatment cells area i
 * enters, as 2 k + 1 (treated in cell k) or 2 k (comparison). Each
 * cell's two sums still receive their areas in ascending order, as in
 * cell_statistic(), so every sum is the same to the bit. */
struct we_cs_plan {
    size_t T;          /* the design's n_periods */
    size_t n_areas;
    size_t n_cells;    /* post-treatment cells */
    size_t *period, *base;
    double *n1, *n0;   /* treated and comparison areas per cell */
    double *a;         /* the cells' weights in the simple aggregation */
    size_t *off;       /* n_areas + 1 */
    uint32_t *member;
    double *sum;       /* 2 n_cells: scratch */
};

void we_cs_plan_free(we_cs_plan *p)
{
    if (p == NULL)
        return;
    free(p->period);
    free(p->base);
    free(p->n1);
    free(p->n0);
    free(p->a);
    free(p->off);
    free(p->member);
    free(p->sum);
    free(p);
}

/* Cohort g's share of the used areas, as cs_aggregate.c's cohort_share
 * (did's pg), from the used areas' cohorts. */
static double plan_share(const cs_work *w, long g)
{
    size_t k = 0;
    for (size_t i = 0; i < w->d->n_areas; i++)
        k += w->pos[i] >= 0 && w->g[i] == g;
    return (double)k / (double)w->n;
}

/* The post-treatment cells (their statistic indices into post[]). */
static size_t post_cells(const we_cs_result *r, size_t *post)
{
    size_t K = 0;
    for (size_t k = 0; k < r->n_cells; k++)
        if (r->cell[k].event >= 0)
            post[K++] = k;
    return K;
}

static int plan_alloc(we_cs_plan *p, size_t K, size_t A)
{
    size_t k1 = K ? K : 1;
    p->period = malloc(k1 * sizeof *p->period);
    p->base = malloc(k1 * sizeof *p->base);
    p->n1 = malloc(k1 * sizeof *p->n1);
    p->n0 = malloc(k1 * sizeof *p->n0);
    p->a = malloc(k1 * sizeof *p->a);
    p->sum = malloc(2 * k1 * sizeof *p->sum);
    p->off = calloc(A + 1, sizeof *p->off);
    return p->period && p->base && p->n1 && p->n0 && p->a && p->sum &&
                   p->off
               ? WE_OK
               : WE_ENOMEM;
}

/* The members of every post cell, area by area (two passes: count, then
 * fill). */
static int plan_members(const cs_work *w, const we_cs_result *r,
                        const size_t *post, we_cs_plan *p)
{
    size_t A = w->d->n_areas;
    for (size_t i = 0; i < A; i++) {
        size_t m = 0;
        for (size_t k = 0; k < p->n_cells; k++)
            m += we_cs_member(w, &r->cell[post[k]], i) != 0;
        p->off[i + 1] = p->off[i] + m;
    }
    p->member = malloc((p->off[A] ? p->off[A] : 1) * sizeof *p->member);
    if (p->member == NULL)
        return WE_ENOMEM;
    for (size_t i = 0; i < A; i++) {
        size_t at = p->off[i];
        for (size_t k = 0; k < p->n_cells; k++) {
            int mem = we_cs_member(w, &r->cell[post[k]], i);
            if (mem != 0)
                p->member[at++] = (uint32_t)(2 * k + (mem > 0));
        }
    }
    return WE_OK;
}

/* The post-treatment cells with their areas and simple-aggregation
 * weights a_j = p_j / S, summed in combine()'s order. */
static int plan_fill(const cs_work *w, const we_cs_result *r, we_cs_plan *p)
{
    size_t *post = malloc((r->n_cells ? r->n_cells : 1) * sizeof *post);
    if (post == NULL)
        return WE_ENOMEM;
    p->n_cells = post_cells(r, post);
    p->n_areas = w->d->n_areas;
    p->T = w->d->n_periods;
    if (2 * p->n_cells > UINT32_MAX ||
        plan_alloc(p, p->n_cells, p->n_areas) != WE_OK) {
        free(post);
        return WE_ENOMEM;
    }
    double S = 0;
    for (size_t k = 0; k < p->n_cells; k++)
        S += plan_share(w, r->cell[post[k]].group);
    for (size_t k = 0; k < p->n_cells; k++) {
        const we_cs_cell *c = &r->cell[post[k]];
        p->a[k] = plan_share(w, c->group) / S;
        p->period[k] = c->period;
        p->base[k] = c->base;
        p->n1[k] = (double)c->n_treated;
        p->n0[k] = (double)c->n_control;
    }
    int rc = plan_members(w, r, post, p);
    free(post);
    return rc;
}

int we_cs_plan_build(const double *y, const we_design *d,
                     we_cs_control control, we_cs_plan **out,
                     we_error *err)
{
    *out = NULL;
    we_cs_options o = {.control = control};
    if (check_inputs(d, &o, err) != 0)
        return WE_EINVAL;
    we_cs_result r;
    memset(&r, 0, sizeof r);
    cs_work w = {.y = y, .d = d, .control = control};
    size_t A = d->n_areas;
    w.g = malloc(A * sizeof *w.g);
    w.pos = malloc(A * sizeof *w.pos);
    w.cl = malloc(A * sizeof *w.cl);
    we_cs_plan *p = calloc(1, sizeof *p);
    int rc = WE_OK;
    if (w.g == NULL || w.pos == NULL || w.cl == NULL || p == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    if (rc == WE_OK)
        rc = prepare_cells(&w, &r, err);
    if (rc == WE_OK && plan_fill(&w, &r, p) != WE_OK)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    work_free(&w);
    we_cs_result_free(&r);
    if (rc != WE_OK) {
        we_cs_plan_free(p);
        return rc;
    }
    *out = p;
    return WE_OK;
}

/* The arithmetic of cell_statistic() and combine(), in their order. */
double we_cs_plan_simple(const we_cs_plan *p, const double *y)
{
    size_t T = p->T;
    double *s = p->sum;
    for (size_t k = 0; k < 2 * p->n_cells; k++)
        s[k] = 0.0;
    for (size_t i = 0; i < p->n_areas; i++) {
        const double *row = y + i * T;
        for (size_t j = p->off[i]; j < p->off[i + 1]; j++) {
            size_t k = p->member[j] >> 1;
            s[p->member[j]] += row[p->period[k]] - row[p->base[k]];
        }
    }
    double theta = 0;
    for (size_t k = 0; k < p->n_cells; k++) {
        double est = s[2 * k + 1] / p->n1[k] - s[2 * k] / p->n0[k];
        theta += p->a[k] * est;
    }
    return theta;
}
