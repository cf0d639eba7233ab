/* The pre-period check of a synthetic control or SDID headline: its
 * pre-treatment fit and an in-time placebo (the treatment backdated
 * `shift` periods, the design re-estimated on pre-treatment data only,
 * the placebo effect ranked among those of placebo assignments in the
 * treated group's cluster shape, synth_placebo.c), and the check's power
 * against a linear pre-trend by simulation. Why this check (Abadie 2021;
 * Arkhangelsky et al. 2021) and why the cluster shape: docs/methods.md,
 * "The synthetic designs' own pre-period check". */
#include "methods/synth.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/mde_internal.h"
#include "methods/synth_internal.h"

/* The common start g, the number of follow-ups at or after it and of
 * periods before it. */
static int layout(const we_design *d, size_t *g, size_t *n_post,
                  we_error *err)
{
    size_t *treated = malloc((d->n_areas ? d->n_areas : 1) * sizeof *treated);
    size_t *post = malloc((d->n_followup ? d->n_followup : 1) * sizeof *post);
    size_t n_treated = 0;
    int rc = treated && post ? WE_OK
                             : we_fail(err, WE_ENOMEM, "out of memory");
    if (rc == WE_OK)
        rc = we_synth_layout(d, treated, &n_treated, g, post, n_post, err);
    free(treated);
    free(post);
    return rc;
}

size_t we_synth_pretest_shift(size_t n_pre, size_t n_post)
{
    size_t k = n_post < n_pre / 2 ? n_post : n_pre / 2;
    return k > 0 ? k : 1;
}

/* The periods before g in which every treated area has a value: those
 * the synthetic control can fit and the in-time placebo can score. */
static size_t pre_periods(const double *y, const we_design *d, size_t g,
                          size_t *pre)
{
    size_t n = 0;
    for (size_t t = 0; t < g; t++) {
        int ok = 1;
        for (size_t i = 0; i < d->n_areas && ok; i++)
            if (d->in_sample[i] && d->treated_from[i] >= 0)
                ok = isfinite(y[i * d->n_periods + t]);
        if (ok)
            pre[n++] = t;
    }
    return n;
}

/* The design with the treatment backdated to `start` and the follow-ups
 * fu[0..k-1] (all before the real start): every period it sees is before
 * the real start. */
typedef struct backdated {
    we_design d;
    long *from;
    size_t *fu;
} backdated;

static int backdate(const we_design *d, size_t start, const size_t *fu,
                    size_t k, backdated *b, we_error *err)
{
    b->d = *d;
    b->from = malloc(d->n_areas * sizeof *b->from);
    b->fu = malloc(k * sizeof *b->fu);
    if (b->from == NULL || b->fu == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t i = 0; i < d->n_areas; i++)
        b->from[i] = d->in_sample[i] && d->treated_from[i] >= 0
                         ? (long)start
                         : d->treated_from[i];
    memcpy(b->fu, fu, k * sizeof *fu);
    b->d.treated_from = b->from;
    b->d.followup = b->fu;
    b->d.n_followup = k;
    b->d.baseline = start > 0 ? start - 1 : 0;
    return WE_OK;
}

static void backdated_free(backdated *b)
{
    free(b->from);
    free(b->fu);
}

/* The standard deviation over t < g of the treated areas' mean, over the
 * periods where every treated area has a value: the scale of fit_rmspe. */
static double treated_sd(const double *y, const we_design *d, size_t g)
{
    double sum = 0, sum2 = 0;
    size_t n = 0;
    for (size_t t = 0; t < g; t++) {
        double m = 0;
        size_t k = 0;
        int ok = 1;
        for (size_t i = 0; i < d->n_areas; i++) {
            if (!d->in_sample[i] || d->treated_from[i] < 0)
                continue;
            double v = y[i * d->n_periods + t];
            ok &= isfinite(v);
            m += v;
            k++;
        }
        if (!ok || k == 0)
            continue;
        m /= (double)k;
        sum += m;
        sum2 += m * m;
        n++;
    }
    return n > 1 ? sqrt(fmax(sum2 - sum * sum / (double)n, 0.0) /
                        (double)(n - 1))
                 : NAN;
}

/* SDID's pre-period fit: the treated mean minus the omega-weighted
 * controls, around its own mean over t < g (SDID allows a level
 * difference), as a root mean square. */
static double sdid_fit(const double *y, const we_design *d,
                       const we_sdid_result *r, size_t g)
{
    double sum = 0, sum2 = 0;
    size_t n = 0;
    for (size_t t = 0; t < g; t++) {
        double tr = 0, co = 0;
        size_t k = 0;
        int ok = 1;
        for (size_t i = 0; i < d->n_areas; i++) {
            if (!d->in_sample[i] || r->dropped[i])
                continue;
            double v = y[i * d->n_periods + t];
            if (d->treated_from[i] >= 0) {
                ok &= isfinite(v);
                tr += v;
                k++;
            } else if (r->omega[i] > 0) {
                ok &= isfinite(v);
                co += r->omega[i] * v;
            }
        }
        if (!ok || k == 0)
            continue;
        double diff = tr / (double)k - co;
        sum += diff;
        sum2 += diff * diff;
        n++;
    }
    return n > 0 ? sqrt(fmax(sum2 / (double)n - (sum / (double)n) *
                                                   (sum / (double)n),
                             0.0))
                 : NAN;
}

/* The fit at the real start: SC's pre-treatment RMSPE, SDID's weighted
 * pre-period difference around its mean. */
static int real_fit(const double *y, const we_design *d, we_method m,
                    size_t g, double *fit, we_error *err)
{
    if (m == WE_METHOD_SC) {
        we_sc_options o = {.x = NULL, .v_mode = WE_SC_V_INVVAR};
        we_sc_result r;
        int rc = we_synth(y, d, &o, &r, err);
        *fit = rc == WE_OK ? r.average.pre_rmspe : NAN;
        we_sc_result_free(&r);
        return rc;
    }
    we_sdid_options o = {.variance = WE_SDID_VAR_NONE};
    we_sdid_result r;
    memset(&r, 0, sizeof r);
    int rc = we_sdid(y, d, &o, &r, err);
    *fit = rc == WE_OK ? sdid_fit(y, d, &r, g) : NAN;
    we_sdid_result_free(&r);
    return rc;
}

/* The design's estimate: sc, the synthetic control of the treated mean
 * (its mean gap over the follow-ups); sdid, the SDID estimate. */
static int estimate(const double *y, const we_design *d, we_method m,
                    double *est, we_error *err)
{
    *est = NAN;
    if (m == WE_METHOD_SC) {
        we_sc_options so = {.x = NULL, .v_mode = WE_SC_V_INVVAR};
        we_sc_result r;
        int rc = we_synth(y, d, &so, &r, err);
        if (rc == WE_OK)
            *est = r.average.estimate;
        we_sc_result_free(&r);
        return rc;
    }
    we_sdid_options so = {.variance = WE_SDID_VAR_NONE};
    we_sdid_result r;
    memset(&r, 0, sizeof r);
    int rc = we_sdid(y, d, &so, &r, err);
    if (rc == WE_OK)
        *est = r.estimate;
    we_sdid_result_free(&r);
    return rc;
}

/* The placebo designs of bd: the treated areas out, the pseudo-treated
 * in from bd's start. */
typedef struct placebo_design {
    we_design d;
    long *from;
    unsigned char *in;
} placebo_design;

static int placebo_design_init(const we_design *bd, placebo_design *q,
                               we_error *err)
{
    q->d = *bd;
    q->from = malloc(bd->n_areas * sizeof *q->from);
    q->in = malloc(bd->n_areas);
    if (q->from == NULL || q->in == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t i = 0; i < bd->n_areas; i++) {
        q->in[i] = bd->in_sample[i] && bd->treated_from[i] < 0;
        q->from[i] = -1;
    }
    q->d.treated_from = q->from;
    q->d.in_sample = q->in;
    return WE_OK;
}

static void placebo_design_free(placebo_design *q)
{
    free(q->from);
    free(q->in);
}

/* The estimate with the areas a[0..n-1] pseudo-treated from `start`. */
static int placebo_estimate(const double *y, placebo_design *q,
                            const size_t *a, size_t n, size_t start,
                            we_method m, double *est, we_error *err)
{
    for (size_t k = 0; k < n; k++)
        q->from[a[k]] = (long)start;
    int rc = estimate(y, &q->d, m, est, err);
    for (size_t k = 0; k < n; k++)
        q->from[a[k]] = -1;
    return rc;
}

/* |effect| of each placebo assignment of the walk w on bd into abs_e
 * (NaN where the estimator refused one). */
static int placebos(const double *y, const we_design *bd, we_method m,
                    we_placebo_walk *w, double *abs_e, we_error *err)
{
    placebo_design q = {0};
    size_t *a = malloc(w->pool->n_tr * sizeof *a);
    int rc = placebo_design_init(bd, &q, err);
    if (rc == WE_OK && a == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t b = 0; rc == WE_OK && b < w->J; b++) {
        if (we_placebo_walk_next(w, a) != 0)
            rc = we_fail(err, WE_ENODATA,
                         "the in-time placebo ran out of control areas");
        we_error e = {{0}};
        double est = NAN;
        if (rc == WE_OK &&
            placebo_estimate(y, &q, a, w->pool->n_tr, bd->baseline + 1, m,
                             &est, &e) == WE_ENOMEM)
            rc = we_fail(err, WE_ENOMEM, "out of memory");
        abs_e[b] = fabs(est);
    }
    free(a);
    placebo_design_free(&q);
    return rc;
}

/* The in-time placebo on the backdated design bd: its effect, |effect|
 * as the statistic, and the rank p among the placebo assignments'. */
static int in_time(const double *y, const we_design *bd, we_method m,
                   const we_synth_pretest_options *o,
                   we_synth_pretest_result *out, we_error *err)
{
    double est = NAN;
    we_placebo_pool p;
    int rc = we_placebo_pool_build(y, bd, &p, err);
    if (rc == WE_OK)
        rc = estimate(y, bd, m, &est, err);
    if (rc == WE_OK && p.n_ctrl < p.n_tr + 2)
        rc = we_fail(err, WE_ENODATA,
                     "the in-time placebo needs at least %zu control areas "
                     "with data in every period it uses (as many as the "
                     "%zu treated areas, and 2 to compare them with); "
                     "there are %zu",
                     p.n_tr + 2, p.n_tr, p.n_ctrl);
    size_t reps = o->reps ? o->reps : WE_SYNTH_PRETEST_REPS;
    we_placebo_walk w = {0};
    if (rc == WE_OK)
        rc = we_placebo_walk_init(
            &w, &p, reps,
            (unsigned long)((o->seed ^ (o->seed >> 32)) & 0xffffffffu), err);
    size_t J = w.J;
    int exact = w.exact;
    double *abs_e = rc == WE_OK ? malloc((J ? J : 1) * sizeof *abs_e) : NULL;
    if (rc == WE_OK && abs_e == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    if (rc == WE_OK)
        rc = placebos(y, bd, m, &w, abs_e, err);
    we_placebo_walk_free(&w);
    if (rc == WE_OK && isfinite(est)) {
        size_t n = 0, above = 0;
        for (size_t b = 0; b < J; b++) {
            n += isfinite(abs_e[b]);
            above += isfinite(abs_e[b]) && abs_e[b] >= fabs(est);
        }
        out->estimate = est;
        out->stat = fabs(est);
        out->n_placebos = n;
        out->exact = exact && n == J;
        out->clusters = p.n_need;
        if (n > 0) {
            out->p = (1.0 + (double)above) / (1.0 + (double)n);
            out->min_p = 1.0 / (1.0 + (double)n);
        }
    }
    free(abs_e);
    we_placebo_pool_free(&p);
    return rc;
}
static void clear(we_synth_pretest_result *out, we_method m)
{
    memset(out, 0, sizeof *out);
    out->method = m;
    out->estimate = out->stat = out->p = out->min_p = NAN;
    out->fit_rmspe = out->fit_sd = NAN;
    out->power = out->slope = NAN;
}

static int check_method(we_method m, we_error *err)
{
    if (m != WE_METHOD_SC && m != WE_METHOD_SDID)
        return we_fail(err, WE_EINVAL,
                       "the in-time placebo check is for sc and sdid, "
                       "not %s",
                       we_method_name(m));
    return WE_OK;
}

/* The check with k placebo periods: the last k periods before g with
 * treated data are the placebo follow-ups, the earlier ones (at least 2)
 * are fitted; the fit at the real start only when asked. */
static int run_check(const double *y, const we_design *d, we_method m,
                     const we_synth_pretest_options *o, size_t g, size_t k,
                     we_synth_pretest_result *out, we_error *err)
{
    size_t *pre = malloc((g ? g : 1) * sizeof *pre);
    if (pre == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    size_t n = pre_periods(y, d, g, pre);
    backdated b = {0};
    int rc = WE_OK;
    if (n < k + 2)
        rc = we_fail(err, WE_ENODATA,
                     "the in-time placebo needs at least %zu periods with "
                     "data for every treated area before the start (2 to "
                     "fit, %zu backdated); there are %zu",
                     k + 2, k, n);
    if (rc == WE_OK) {
        out->placebo_start = pre[n - k];
        rc = backdate(d, pre[n - k], pre + n - k, k, &b, err);
    }
    if (rc == WE_OK)
        rc = in_time(y, &b.d, m, o, out, err);
    backdated_free(&b);
    free(pre);
    if (rc == WE_OK) {
        rc = real_fit(y, d, m, g, &out->fit_rmspe, err);
        out->fit_sd = treated_sd(y, d, g);
    }
    return rc;
}

/* The number of periods before g with treated data. */
static int count_pre(const double *y, const we_design *d, size_t g,
                     size_t *n, we_error *err)
{
    size_t *pre = malloc((g ? g : 1) * sizeof *pre);
    if (pre == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    *n = pre_periods(y, d, g, pre);
    free(pre);
    return WE_OK;
}

int we_synth_pretest(const double *y, const we_design *d, we_method m,
                     const we_synth_pretest_options *o,
                     we_synth_pretest_result *out, we_error *err)
{
    clear(out, m);
    size_t g = 0, n_post = 0, n_pre = 0;
    int rc = check_method(m, err);
    if (rc == WE_OK)
        rc = layout(d, &g, &n_post, err);
    if (rc == WE_OK)
        rc = count_pre(y, d, g, &n_pre, err);
    if (rc != WE_OK)
        return rc;
    size_t k =
        o->shift > 0 ? o->shift : we_synth_pretest_shift(n_pre, n_post);
    out->start = g;
    out->shift = k;
    return run_check(y, d, m, o, g, k, out, err);
}

/* ---- power against a linear pre-trend ---------------------------------- */

typedef struct power_sim {
    const we_design *d;
    we_method m;
    size_t g, k;
    double slope;
    size_t used;
    double *null_stat, *alt_stat; /* |effect| without and with the trend */
} power_sim;

static void add_trend(const power_sim *s, double *ys)
{
    const we_design *d = s->d;
    for (size_t i = 0; i < d->n_areas; i++) {
        if (!d->in_sample[i] || d->treated_from[i] < 0)
            continue;
        for (size_t t = 0; t < d->n_periods; t++)
            ys[i * d->n_periods + t] +=
                s->slope * ((double)t - (double)s->g + 1.0);
    }
}

/* |effect| of the backdated design (point estimate only), NaN when
 * refused. */
static double backdated_stat(const power_sim *s, const double *ys)
{
    size_t *pre = malloc((s->g ? s->g : 1) * sizeof *pre);
    if (pre == NULL)
        return NAN;
    size_t n = pre_periods(ys, s->d, s->g, pre);
    backdated b = {0};
    we_error e = {{0}};
    double v = NAN;
    if (n >= s->k + 2 &&
        backdate(s->d, pre[n - s->k], pre + n - s->k, s->k, &b, &e) == WE_OK &&
        estimate(ys, &b.d, s->m, &v, &e) == WE_OK)
        v = fabs(v);
    else
        v = NAN;
    backdated_free(&b);
    free(pre);
    return v;
}

/* One simulated panel: the backdated |effect| without and with the
 * trend; a panel the estimator refuses is not counted. */
static int power_one(double *ys, void *user, we_error *err)
{
    (void)err;
    power_sim *s = user;
    double t0 = backdated_stat(s, ys);
    add_trend(s, ys);
    double t1 = backdated_stat(s, ys);
    if (isfinite(t0) && isfinite(t1)) {
        s->null_stat[s->used] = t0;
        s->alt_stat[s->used++] = t1;
    }
    return WE_OK;
}

/* The check rejects when (1 + #{placebos >= stat}) / (1 + J) < alpha,
 * i.e. when at most kmax of its J placebos reach the statistic. The null
 * panels stand in for the placebo distribution: with q the share of them
 * at or above a trended panel's statistic, the check rejects that panel
 * with probability P(Binomial(J, q) <= kmax). The power is the mean of
 * that over the trended panels. */
static double rejection_rate(const power_sim *s, size_t J, double alpha)
{
    size_t kmax = 0;
    if (!((1.0 + 0.0) / (1.0 + (double)J) < alpha))
        return 0.0;
    while (kmax + 1 <= J && (2.0 + (double)kmax) / (1.0 + (double)J) < alpha)
        kmax++;
    double sum = 0;
    for (size_t a = 0; a < s->used; a++) {
        size_t above = 0;
        for (size_t b = 0; b < s->used; b++)
            above += s->null_stat[b] >= s->alt_stat[a];
        double q = (double)above / (double)s->used;
        sum += kmax >= J ? 1.0
                         : gsl_cdf_binomial_P((unsigned)kmax, q, (unsigned)J);
    }
    return sum / (double)s->used;
}

int we_synth_pretest_power(const double *y, const we_design *d,
                           const we_synth_pretest_options *o, double slope,
                           size_t sims, we_synth_pretest_result *pt,
                           we_error *err)
{
    pt->slope = slope;
    pt->power = NAN;
    pt->power_sims = 0;
    if (!(pt->min_p < d->alpha)) {
        pt->power = 0.0; /* no panel can reject: no simulation needed */
        return WE_OK;
    }
    if (!isfinite(slope) || sims == 0)
        return we_fail(err, WE_EINVAL,
                       "pre-test power: slope %g and %zu simulations; "
                       "need a finite slope and at least one simulation",
                       slope, sims);
    power_sim s = {.d = d,
                   .m = pt->method,
                   .g = pt->start,
                   .k = pt->shift,
                   .slope = slope};
    int rc = WE_OK;
    s.null_stat = malloc(sims * sizeof *s.null_stat);
    s.alt_stat = malloc(sims * sizeof *s.alt_stat);
    if (s.null_stat == NULL || s.alt_stat == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    if (rc == WE_OK)
        rc = we_mde_null_panels(y, d, sims, o->seed, power_one, &s, err);
    if (rc == WE_OK && s.used == 0)
        rc = we_fail(err, WE_ENODATA,
                     "pre-test power: the in-time placebo failed on all "
                     "%zu simulated panels",
                     sims);
    if (rc == WE_OK) {
        pt->power = rejection_rate(&s, pt->n_placebos, d->alpha);
        pt->power_sims = s.used;
    }
    free(s.null_stat);
    free(s.alt_stat);
    return rc;
}
