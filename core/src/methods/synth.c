/* Synthetic control on the design: the treated average and every treated
 * area fitted on the donor pool, gap paths, and placebo-in-space
 * inference. The weight problems are solved in synth_solve.c. */
#include "methods/synth.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/synth_internal.h"

typedef struct sc_ctx {
    const double *y;
    const we_design *d;
    const we_sc_options *o;
    size_t A, T, g;          /* areas, periods, first treated period */
    size_t *treated, n_treated;
    size_t *post, n_post;
    unsigned char *pool;     /* never-treated in-sample areas */
} sc_ctx;

/* One target to fit: its outcome path, predictors, the periods to fit and
 * the donors it may use. */
typedef struct sc_target {
    const double *path;        /* n_periods */
    const double *x;           /* n_pred or NULL */
    const unsigned char *fit;  /* n_periods: 1 = fitting period */
    const unsigned char *pool; /* n_areas: candidate donors */
} sc_target;

static void fit_free(we_sc_fit *f)
{
    free(f->weight);
    free(f->v);
    free(f->gap);
    memset(f, 0, sizeof *f);
}

static int fit_alloc(we_sc_fit *f, size_t A, size_t T, size_t n_pred)
{
    memset(f, 0, sizeof *f);
    f->weight = calloc(A, sizeof *f->weight);
    f->gap = malloc(T * sizeof *f->gap);
    f->v = n_pred > 0 ? calloc(n_pred, sizeof *f->v) : NULL;
    f->pre_rmspe = f->post_rmspe = f->ratio = NAN;
    f->estimate = f->p_value = f->kkt = NAN;
    f->ci_low = f->ci_high = NAN;
    return f->weight && f->gap && (n_pred == 0 || f->v) ? 0 : -1;
}

void we_sc_result_free(we_sc_result *r)
{
    if (r == NULL)
        return;
    fit_free(&r->average);
    for (size_t i = 0; r->unit != NULL && i < r->n_units; i++)
        fit_free(&r->unit[i]);
    free(r->unit);
    free(r->placebo_ratio);
    free(r->placebo_estimate);
    free(r->group_ratio);
    free(r->dropped);
    memset(r, 0, sizeof *r);
}

/* ---- building the weight problem -------------------------------------- */

static int predictors_finite(const sc_ctx *c, const double *x)
{
    for (size_t k = 0; c->o->x != NULL && k < c->o->n_pred; k++)
        if (!isfinite(x[k]))
            return 0;
    return 1;
}

/* Donors: pool areas with every fitting period and predictor present.
 * Flags the others in `dropped` (when not NULL). */
static size_t select_donors(const sc_ctx *c, const sc_target *tg,
                            size_t *donor, unsigned char *dropped)
{
    size_t n = 0;
    for (size_t i = 0; i < c->A; i++) {
        if (!tg->pool[i])
            continue;
        int ok = predictors_finite(c, c->o->x ? c->o->x + i * c->o->n_pred
                                              : NULL);
        for (size_t t = 0; ok && t < c->g; t++)
            ok = !tg->fit[t] || isfinite(c->y[i * c->T + t]);
        if (ok)
            donor[n++] = i;
        else if (dropped != NULL)
            dropped[i] = 1;
    }
    return n;
}

typedef struct sc_buffers {
    size_t *donor;
    double *Y0, *y1, *X0, *w;
} sc_buffers;

static void buffers_free(sc_buffers *b)
{
    free(b->donor);
    free(b->Y0);
    free(b->y1);
    free(b->X0);
    free(b->w);
}

static int buffers_alloc(sc_buffers *b, const sc_ctx *c)
{
    size_t k = c->o->x ? c->o->n_pred : 0;
    b->donor = malloc(c->A * sizeof *b->donor);
    b->Y0 = malloc(c->A * c->g * sizeof *b->Y0);
    b->y1 = malloc(c->g * sizeof *b->y1);
    b->X0 = malloc((k ? k : 1) * c->A * sizeof *b->X0);
    b->w = malloc(c->A * sizeof *b->w);
    return b->donor && b->Y0 && b->y1 && b->X0 && b->w ? 0 : -1;
}

static void fill_problem(const sc_ctx *c, const sc_target *tg,
                         sc_buffers *b, size_t nd, we_sc_problem *p)
{
    size_t m = 0, k = c->o->x ? c->o->n_pred : 0;
    for (size_t t = 0; t < c->g; t++)
        if (tg->fit[t])
            b->y1[m++] = tg->path[t];
    for (size_t j = 0; j < nd; j++) {
        size_t r = 0, i = b->donor[j];
        for (size_t t = 0; t < c->g; t++)
            if (tg->fit[t])
                b->Y0[j * m + r++] = c->y[i * c->T + t];
        for (size_t q = 0; q < k; q++)
            b->X0[j * k + q] = c->o->x[i * k + q];
    }
    *p = (we_sc_problem){.n_donors = nd, .m_fit = m, .Y0 = b->Y0,
                         .y1 = b->y1, .n_pred = k, .X0 = b->X0,
                         .x1 = tg->x};
}

/* ---- gaps and summaries ----------------------------------------------- */

/* Treated minus synthetic in period t; NaN when a needed value is
 * missing. */
static double gap_at(const sc_ctx *c, const sc_target *tg,
                     const double *weight, size_t t)
{
    double s = 0;
    for (size_t i = 0; i < c->A; i++) {
        if (weight[i] == 0.0)
            continue;
        double v = c->y[i * c->T + t];
        if (!isfinite(v))
            return NAN;
        s += weight[i] * v;
    }
    return tg->path[t] - s;
}

static void summarise_gaps(const sc_ctx *c, const sc_target *tg,
                           we_sc_fit *f)
{
    double pre = 0, post = 0, sum = 0;
    size_t n_pre = 0, n_post = 0;
    for (size_t t = 0; t < c->T; t++)
        f->gap[t] = gap_at(c, tg, f->weight, t);
    for (size_t t = 0; t < c->g; t++)
        if (tg->fit[t]) {
            pre += f->gap[t] * f->gap[t];
            n_pre++;
        }
    for (size_t k = 0; k < c->n_post; k++) {
        double e = f->gap[c->post[k]];
        if (isfinite(e)) {
            post += e * e;
            sum += e;
            n_post++;
        }
    }
    f->n_fit = n_pre;
    f->n_post = n_post;
    f->pre_rmspe = sqrt(pre / (double)n_pre);
    f->post_rmspe = n_post ? sqrt(post / (double)n_post) : NAN;
    f->estimate = n_post ? sum / (double)n_post : NAN;
    f->ratio = f->post_rmspe / f->pre_rmspe;
    if (f->pre_rmspe == 0.0 && f->post_rmspe == 0.0)
        f->ratio = NAN; /* 0/0: no information, left out of the ranks */
}

/* ---- one fit ------------------------------------------------------------ */

static int fit_target(const sc_ctx *c, const sc_target *tg, we_sc_fit *f,
                      unsigned char *dropped, we_error *err)
{
    size_t k = c->o->x ? c->o->n_pred : 0, m = 0;
    for (size_t t = 0; t < c->g; t++)
        m += tg->fit[t] != 0;
    if (fit_alloc(f, c->A, c->T, k) != 0)
        return we_fail(err, WE_ENOMEM, "out of memory");
    if (m == 0)
        return we_fail(err, WE_ENODATA,
                       "synthetic control: the treated series has "
                       "no value before the treatment start; it cannot "
                       "be fitted");
    sc_buffers b = {0};
    if (buffers_alloc(&b, c) != 0) {
        buffers_free(&b);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    size_t nd = select_donors(c, tg, b.donor, dropped);
    int rc = WE_OK;
    if (nd == 0)
        rc = we_fail(err, WE_ENODATA,
                     "synthetic control: no donor area has values "
                     "in all %zu fitting periods; widen the comparison "
                     "group",
                     m);
    we_sc_problem p;
    we_simplex_info info;
    if (rc == WE_OK) {
        fill_problem(c, tg, &b, nd, &p);
        rc = we_sc_solve(&p, c->o, f->v, b.w, &info, err);
    }
    if (rc == WE_OK) {
        for (size_t j = 0; j < nd; j++)
            f->weight[b.donor[j]] = b.w[j];
        f->n_donors = nd;
        f->kkt = info.kkt / (double)(k ? k : m);
        summarise_gaps(c, tg, f);
    }
    buffers_free(&b);
    return rc;
}

/* ---- layout ------------------------------------------------------------- */

static int check_options(const we_sc_options *o, we_error *err)
{
    if (o->x != NULL && o->n_pred == 0)
        return we_fail(err, WE_EINVAL,
                       "synthetic control: predictors given with "
                       "n_pred = 0; pass NULL to fit the outcome path");
    if (o->x != NULL && (unsigned)o->v_mode > WE_SC_V_OPTIMISE)
        return we_fail(err, WE_EINVAL, "synthetic control: unknown v_mode %d",
                       (int)o->v_mode);
    return WE_OK;
}

static int ctx_init(sc_ctx *c, const double *y, const we_design *d,
                    const we_sc_options *o, we_error *err)
{
    *c = (sc_ctx){.y = y, .d = d, .o = o, .A = d->n_areas,
                  .T = d->n_periods};
    c->treated = malloc((c->A ? c->A : 1) * sizeof *c->treated);
    c->post = malloc((d->n_followup ? d->n_followup : 1) * sizeof *c->post);
    c->pool = calloc(c->A ? c->A : 1, 1);
    if (c->treated == NULL || c->post == NULL || c->pool == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    int rc = we_synth_layout(d, c->treated, &c->n_treated, &c->g, c->post,
                             &c->n_post, err);
    if (rc != WE_OK)
        return rc;
    for (size_t i = 0; i < c->A; i++)
        c->pool[i] = d->in_sample[i] && d->treated_from[i] < 0;
    return check_options(o, err);
}

static void ctx_free(sc_ctx *c)
{
    free(c->treated);
    free(c->post);
    free(c->pool);
}

/* ---- the treated average ------------------------------------------------ */

typedef struct avg_target {
    double *path, *x;
    unsigned char *fit;
} avg_target;

static void avg_free(avg_target *a)
{
    free(a->path);
    free(a->x);
    free(a->fit);
}

/* The mean of the treated outcomes per period (NaN when any is missing:
 * the composition stays fixed) and of their predictors. */
static int avg_build(const sc_ctx *c, avg_target *a, we_error *err)
{
    size_t k = c->o->x ? c->o->n_pred : 0;
    a->path = malloc(c->T * sizeof *a->path);
    a->x = calloc(k ? k : 1, sizeof *a->x);
    a->fit = calloc(c->T, 1);
    if (a->path == NULL || a->x == NULL || a->fit == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    double n = (double)c->n_treated;
    for (size_t t = 0; t < c->T; t++) {
        double s = 0;
        for (size_t u = 0; u < c->n_treated; u++)
            s += c->y[c->treated[u] * c->T + t];
        a->path[t] = s / n;
        a->fit[t] = t < c->g && isfinite(a->path[t]);
    }
    for (size_t q = 0; q < k; q++) {
        for (size_t u = 0; u < c->n_treated; u++)
            a->x[q] += c->o->x[c->treated[u] * k + q] / n;
        if (!isfinite(a->x[q]))
            return we_fail(err, WE_ENODATA,
                           "synthetic control: predictor %zu is "
                           "missing for a treated area; it cannot be "
                           "matched",
                           q);
    }
    return WE_OK;
}

/* ---- per treated area --------------------------------------------------- */

static int fit_units(const sc_ctx *c, we_sc_result *out, we_error *err)
{
    size_t k = c->o->x ? c->o->n_pred : 0;
    unsigned char *fit = malloc(c->T);
    out->unit = calloc(c->n_treated, sizeof *out->unit);
    if (fit == NULL || out->unit == NULL) {
        free(fit);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    out->n_units = c->n_treated;
    int rc = WE_OK;
    for (size_t u = 0; rc == WE_OK && u < c->n_treated; u++) {
        size_t i = c->treated[u];
        for (size_t t = 0; t < c->T; t++)
            fit[t] = t < c->g && isfinite(c->y[i * c->T + t]);
        sc_target tg = {.path = c->y + i * c->T,
                        .x = k ? c->o->x + i * k : NULL,
                        .fit = fit, .pool = c->pool};
        if (k && !predictors_finite(c, tg.x))
            rc = we_fail(err, WE_ENODATA,
                         "synthetic control: treated area %zu has "
                         "a missing predictor",
                         i);
        else
            rc = fit_target(c, &tg, &out->unit[u], NULL, err);
        out->unit[u].unit = (long)i;
    }
    free(fit);
    return rc;
}

/* ---- placebos ----------------------------------------------------------- */

/* Each donor of the headline fit as pseudo-treated, on the headline's
 * fitting periods, with the other donors as its pool. */
static int run_placebos(const sc_ctx *c, const avg_target *a,
                        we_sc_result *out, we_error *err)
{
    size_t k = c->o->x ? c->o->n_pred : 0;
    unsigned char *pool = malloc(c->A);
    if (pool == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->A; i++)
        pool[i] = c->pool[i] && !out->dropped[i];
    int rc = WE_OK;
    for (size_t j = 0; rc == WE_OK && j < c->A; j++) {
        if (!pool[j])
            continue;
        pool[j] = 0;
        sc_target tg = {.path = c->y + j * c->T,
                        .x = k ? c->o->x + j * k : NULL,
                        .fit = a->fit, .pool = pool};
        we_sc_fit f;
        we_error local;
        rc = fit_target(c, &tg, &f, NULL, &local);
        if (rc == WE_ENODATA)
            rc = WE_OK; /* a donor with no pool left has no placebo */
        else if (rc != WE_OK)
            we_fail(err, WE_EINVAL, "%s", local.msg);
        else {
            if (!isnan(f.ratio)) {
                out->placebo_ratio[j] = f.ratio;
                out->n_placebos++;
            }
            if (isfinite(f.estimate)) {
                out->placebo_estimate[j] = f.estimate;
                out->n_placebo_estimates++;
            }
        }
        fit_free(&f);
        pool[j] = 1;
    }
    free(pool);
    return rc;
}

/* The average's placebos when there are two or more treated areas:
 * groups of pool donors in the treated group's cluster shape
 * (we_placebo_walk), the mean of each group's outcomes and predictors
 * refitted on the other donors, on the headline's fitting periods. */
typedef struct group_ctx {
    const sc_ctx *c;
    const avg_target *a;
    unsigned char *pool;
    double *path, *x;
    size_t *member;
} group_ctx;

static int group_fit(group_ctx *g, size_t n, double *ratio, we_error *err)
{
    const sc_ctx *c = g->c;
    size_t k = c->o->x ? c->o->n_pred : 0;
    for (size_t t = 0; t < c->T; t++) {
        double s = 0;
        for (size_t u = 0; u < n; u++)
            s += c->y[g->member[u] * c->T + t];
        g->path[t] = s / (double)n;
    }
    for (size_t q = 0; q < k; q++) {
        g->x[q] = 0;
        for (size_t u = 0; u < n; u++)
            g->x[q] += c->o->x[g->member[u] * k + q] / (double)n;
    }
    for (size_t u = 0; u < n; u++)
        g->pool[g->member[u]] = 0;
    sc_target tg = {.path = g->path,
                    .x = k ? g->x : NULL,
                    .fit = g->a->fit,
                    .pool = g->pool};
    we_sc_fit f;
    we_error local;
    int rc = fit_target(c, &tg, &f, NULL, &local);
    *ratio = rc == WE_OK ? f.ratio : NAN;
    if (rc == WE_ENODATA)
        rc = WE_OK; /* no donor left: no placebo */
    else if (rc != WE_OK)
        we_fail(err, rc, "%s", local.msg);
    fit_free(&f);
    for (size_t u = 0; u < n; u++)
        g->pool[g->member[u]] = 1;
    return rc;
}

static int run_groups(const sc_ctx *c, const avg_target *a, we_sc_result *out,
                      we_error *err)
{
    size_t k = c->o->x ? c->o->n_pred : 0, nd = 0;
    group_ctx g = {.c = c, .a = a};
    g.pool = malloc(c->A);
    g.path = malloc(c->T * sizeof *g.path);
    g.x = malloc((k ? k : 1) * sizeof *g.x);
    g.member = malloc(c->n_treated * sizeof *g.member);
    size_t *donor = malloc(c->A * sizeof *donor);
    int *dcl = malloc(c->A * sizeof *dcl);
    int *tcl = malloc(c->n_treated * sizeof *tcl);
    int rc = g.pool && g.path && g.x && g.member && donor && dcl && tcl
                 ? WE_OK
                 : we_fail(err, WE_ENOMEM, "out of memory");
    const int *cl = c->d->cluster;
    for (size_t i = 0; rc == WE_OK && i < c->A; i++) {
        g.pool[i] = c->pool[i] && !out->dropped[i];
        if (g.pool[i]) {
            dcl[nd] = cl != NULL ? cl[i] : (int)i;
            donor[nd++] = i;
        }
    }
    for (size_t u = 0; rc == WE_OK && u < c->n_treated; u++)
        tcl[u] = cl != NULL ? cl[c->treated[u]] : (int)(c->A + u);
    we_placebo_pool p = {0};
    we_placebo_walk w = {0};
    if (rc == WE_OK && nd > c->n_treated) {
        rc = we_placebo_pool_make(dcl, nd, tcl, c->n_treated, &p, err);
        size_t reps = c->o->reps ? c->o->reps : WE_SYNTH_PRETEST_REPS;
        uint64_t s = c->o->seed;
        if (rc == WE_OK)
            rc = we_placebo_walk_init(
                &w, &p, reps, (unsigned long)((s ^ (s >> 32)) & 0xffffffffu),
                err);
        out->group_ratio =
            rc == WE_OK ? malloc((w.J ? w.J : 1) * sizeof *out->group_ratio)
                        : NULL;
        if (rc == WE_OK && out->group_ratio == NULL)
            rc = we_fail(err, WE_ENOMEM, "out of memory");
        for (size_t b = 0; rc == WE_OK && b < w.J; b++) {
            if (we_placebo_walk_next(&w, g.member) != 0) {
                rc = we_fail(err, WE_ENODATA,
                             "synthetic control: the placebo groups ran "
                             "out of donors");
                break;
            }
            for (size_t u = 0; u < c->n_treated; u++)
                g.member[u] = donor[g.member[u]];
            rc = group_fit(&g, c->n_treated, &out->group_ratio[b], err);
            out->n_groups++;
        }
        out->groups_exact = w.exact;
    }
    we_placebo_walk_free(&w);
    we_placebo_pool_free(&p);
    free(g.pool);
    free(g.path);
    free(g.x);
    free(g.member);
    free(donor);
    free(dcl);
    free(tcl);
    return rc;
}

/* The ratios r[0..n-1] that are not NaN: their count. */
static size_t count_ratios(const double *r, size_t n)
{
    size_t J = 0;
    for (size_t i = 0; r != NULL && i < n; i++)
        J += !isnan(r[i]);
    return J;
}

/* (1 + #{placebo ratios >= ratio}) / (1 + J), over the ratios r[0..n-1]
 * that are not NaN. */
static double placebo_p(const double *r, size_t n, double ratio)
{
    size_t J = count_ratios(r, n);
    if (J == 0 || isnan(ratio))
        return NAN;
    size_t above = 0;
    for (size_t i = 0; i < n; i++)
        above += !isnan(r[i]) && r[i] >= ratio;
    return (1.0 + (double)above) / (1.0 + (double)J);
}

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* Inverts the placebo test of f against the ratios r[0..n-1] (NaN
 * skipped). With the post gaps g_t lowered by tau0, ratio(tau0)^2 pre^2 =
 * var(g) + (estimate - tau0)^2 (var over the post periods, divisor
 * n_post), and p(tau0) > alpha iff at least k placebo ratios reach
 * ratio(tau0), i.e. iff ratio(tau0) <= r_k, the k-th largest placebo
 * ratio, k the smallest count with (1 + k) / (1 + J) > alpha; k = 0: no
 * tau0 is ever rejected. When var(g) alone exceeds (r_k pre)^2 every
 * tau0 is rejected: the set is empty (f->ci_empty). */
static void placebo_interval(const double *ratios, size_t n_r, double alpha,
                             we_sc_fit *f)
{
    size_t J = count_ratios(ratios, n_r), k = 0;
    if (J == 0 || !isfinite(f->estimate) || !(f->pre_rmspe > 0))
        return;
    while (k < J && !((1.0 + (double)k) / (1.0 + (double)J) > alpha))
        k++;
    if (k == 0) {
        f->ci_low = -INFINITY;
        f->ci_high = INFINITY;
        return;
    }
    double *r = malloc(J * sizeof *r);
    if (r == NULL)
        return;
    size_t n = 0;
    for (size_t i = 0; i < n_r; i++)
        if (!isnan(ratios[i]))
            r[n++] = ratios[i];
    qsort(r, n, sizeof *r, cmp_desc);
    double rk = r[k - 1];
    free(r);
    double var = f->post_rmspe * f->post_rmspe - f->estimate * f->estimate;
    double room = rk * f->pre_rmspe * rk * f->pre_rmspe - fmax(var, 0.0);
    if (!(room >= 0)) {
        f->ci_empty = !isnan(room);
        return;
    }
    f->ci_low = f->estimate - sqrt(room);
    f->ci_high = f->estimate + sqrt(room);
}

static int result_alloc(we_sc_result *out, const sc_ctx *c, we_error *err)
{
    out->n_areas = c->A;
    out->n_periods = c->T;
    out->n_pred = c->o->x ? c->o->n_pred : 0;
    out->placebo_ratio = malloc(c->A * sizeof *out->placebo_ratio);
    out->placebo_estimate = malloc(c->A * sizeof *out->placebo_estimate);
    out->dropped = calloc(c->A, 1);
    if (out->placebo_ratio == NULL || out->placebo_estimate == NULL ||
        out->dropped == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->A; i++)
        out->placebo_ratio[i] = out->placebo_estimate[i] = NAN;
    return WE_OK;
}

static int synth_run(const sc_ctx *c, we_sc_result *out, we_error *err)
{
    avg_target a = {0};
    int rc = result_alloc(out, c, err);
    if (rc == WE_OK)
        rc = avg_build(c, &a, err);
    if (rc == WE_OK) {
        sc_target tg = {.path = a.path, .x = c->o->x ? a.x : NULL,
                        .fit = a.fit, .pool = c->pool};
        rc = fit_target(c, &tg, &out->average, out->dropped, err);
        out->average.unit = -1;
    }
    if (rc == WE_OK && out->average.n_post == 0)
        rc = we_fail(err, WE_ENODATA,
                     "synthetic control: no follow-up period has "
                     "both the treated value and its synthetic "
                     "counterpart");
    we_synth_note_areas(out->note, sizeof out->note,
                        "Donors dropped for missing values in the fitting "
                        "periods or predictors",
                        out->dropped, c->A);
    if (rc == WE_OK)
        rc = fit_units(c, out, err);
    if (rc == WE_OK && c->o->placebo)
        rc = run_placebos(c, &a, out, err);
    if (rc == WE_OK && c->o->placebo && c->n_treated > 1)
        rc = run_groups(c, &a, out, err);
    if (rc == WE_OK && c->o->placebo) {
        const double *avg =
            c->n_treated > 1 ? out->group_ratio : out->placebo_ratio;
        size_t n_avg = c->n_treated > 1 ? out->n_groups : c->A;
        out->average_placebos = count_ratios(avg, n_avg);
        out->average.p_value = placebo_p(avg, n_avg, out->average.ratio);
        placebo_interval(avg, n_avg, c->d->alpha, &out->average);
        for (size_t u = 0; u < out->n_units; u++) {
            out->unit[u].p_value =
                placebo_p(out->placebo_ratio, c->A, out->unit[u].ratio);
            placebo_interval(out->placebo_ratio, c->A, c->d->alpha,
                             &out->unit[u]);
        }
    }
    avg_free(&a);
    return rc;
}

int we_synth(const double *y, const we_design *d, const we_sc_options *o,
             we_sc_result *out, we_error *err)
{
    static const we_sc_options defaults = {0};
    memset(out, 0, sizeof *out);
    sc_ctx c;
    int rc = ctx_init(&c, y, d, o ? o : &defaults, err);
    if (rc == WE_OK)
        rc = synth_run(&c, out, err);
    ctx_free(&c);
    return rc;
}

int we_sc_outcome_predictors(const double *y, size_t n_areas,
                             size_t n_periods, const we_sc_window *win,
                             size_t n_win, double *x, we_error *err)
{
    for (size_t k = 0; k < n_win; k++)
        if (win[k].from > win[k].to || win[k].to >= n_periods)
            return we_fail(err, WE_EINVAL,
                           "synthetic control: predictor window %zu "
                           "(periods %zu to %zu) is reversed or outside "
                           "the %zu periods",
                           k, win[k].from, win[k].to, n_periods);
    for (size_t i = 0; i < n_areas; i++)
        for (size_t k = 0; k < n_win; k++) {
            double s = 0;
            for (size_t t = win[k].from; t <= win[k].to; t++)
                s += y[i * n_periods + t];
            x[i * n_win + k] = s / (double)(win[k].to - win[k].from + 1);
        }
    return WE_OK;
}
