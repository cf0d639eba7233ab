/* The host's inference and evidence in report.json: the run's inference
 * settings and each result's extras. Field list: docs/report.md. */
#include <math.h>

#include "report/report_internal.h"
#include "report/report_json_internal.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static json_t *jsize(size_t n)
{
    return json_integer((json_int_t)n);
}

static json_t *jpair_num(double lo, double hi)
{
    json_t *a = json_array();
    if (a == NULL)
        return NULL;
    /* append_new consumes its value even on failure. */
    int bad = json_array_append_new(a, we_rj_num(lo)) != 0;
    bad |= json_array_append_new(a, we_rj_num(hi)) != 0;
    if (bad) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static const char *infer_method_name(we_infer_method m)
{
    switch (m) {
    case WE_INFER_CR1: return "cr1";
    case WE_INFER_WILD: return "wild";
    default: return "auto";
    }
}

json_t *we_rj_run_inference(const we_config *c)
{
    const we_inference_cfg *ic = &c->inference;
    static const char *const kb[] = {"reps", "weights"};
    json_t *vb[] = {jsize(ic->boot_reps),
                    json_string(ic->boot_weights ? "webb" : "rademacher")};
    static const char *const kp[] = {"reps", "strata"};
    json_t *vp[] = {jsize(ic->perm_reps),
                    json_string(ic->perm_strata ? "municipality" : "none")};
    static const char *const ke[] = {"min", "max", "bootstrap_reps"};
    json_t *ve[] = {json_integer(ic->event_min), json_integer(ic->event_max),
                    jsize(ic->event_boot_reps)};
    static const char *const k[] = {"method", "bootstrap", "permutation",
                                    "event_study", "adjust", "power",
                                    "mde_simulations"};
    json_t *v[] = {json_string(infer_method_name(ic->method)),
                   we_rj_object(N_OF(kb), kb, vb),
                   we_rj_object(N_OF(kp), kp, vp),
                   we_rj_object(N_OF(ke), ke, ve),
                   json_string(we_report_adjust_name(ic->adjust)),
                   we_rj_num(ic->power), jsize(ic->mde_sims)};
    return we_rj_object(N_OF(k), k, v);
}

json_t *we_rj_evidence(const we_evidence *e)
{
    static const char *const k[] = {"sms_level", "erkenning", "reasons"};
    /* Level 0 and label "none" are the absence of a level or label. */
    json_t *v[] = {e->sms_level >= 1 ? json_integer(e->sms_level)
                                     : json_null(),
                   e->erkenning != WE_ERKENNING_NONE
                       ? json_string(we_erkenning_name(e->erkenning))
                       : json_null(),
                   we_rj_str(e->reasons)};
    return we_rj_object(N_OF(k), k, v);
}

static json_t *json_inference(const we_run *run, const we_result_rec *r)
{
    char text[400];
    const we_estimate *e = &r->est;
    we_inference i = we_report_inference_of(e);
    int boot = i == WE_INFERENCE_WILD_RADEMACHER || i == WE_INFERENCE_WILD_WEBB;
    int placebo = i == WE_INFERENCE_PLACEBO;
    char note[640];
    we_report_inference_text(text, sizeof text, r, run->cfg);
    we_report_interval_note(note, sizeof note, r,
                            run->cfg ? run->cfg->alpha : 0.05);
    /* The smallest p-value the method can give: 1 / (B + 1) for a
     * bootstrap drawn at random, 2 / 2^G enumerated (Rademacher signs: w
     * and -w give the same |t*|, and w = 1 is the sample itself, so both
     * of its vectors count), 1 / (J + 1) for J placebos; null for the
     * analytic references. */
    double min_p = NAN;
    if ((boot || placebo) && e->inference_reps > 0)
        min_p = boot && r->x.boot_enumerated
                    ? 2.0 / (double)e->inference_reps
                    : 1.0 / (double)(e->inference_reps + 1);
    static const char *const k[] = {"method", "reps", "description",
                                    "enumerated", "df", "min_p",
                                    "interval_note"};
    json_t *v[] = {json_string(we_report_inference_name(i)),
                   (boot || placebo) && e->inference_reps > 0
                       ? json_integer((json_int_t)e->inference_reps)
                       : json_null(),
                   json_string(text),
                   boot ? json_boolean(r->x.boot_enumerated) : json_null(),
                   we_rj_num(e->df), we_rj_num(min_p),
                   note[0] ? json_string(note) : json_null()};
    return we_rj_object(N_OF(k), k, v);
}

static json_t *json_cr1(const we_result_extra *x)
{
    if (!x->has_cr1)
        return json_null();
    static const char *const k[] = {"p_value", "ci_low", "ci_high"};
    json_t *v[] = {we_rj_num(x->p_cr1), we_rj_num(x->ci_low_cr1),
                   we_rj_num(x->ci_high_cr1)};
    return we_rj_object(N_OF(k), k, v);
}

static json_t *json_family(double experiment, double report)
{
    static const char *const k[] = {"experiment", "report"};
    json_t *v[] = {we_rj_num(experiment), we_rj_num(report)};
    return we_rj_object(N_OF(k), k, v);
}

static json_t *json_p_adjusted(const we_run *run, const we_result_rec *r)
{
    const we_result_extra *x = &r->x;
    if (!we_report_enriched(r))
        return json_null();
    static const char *const k[] = {"method", "value", "holm", "bh"};
    json_t *v[] = {
        json_string(we_report_adjust_name(run->cfg->inference.adjust)),
        we_rj_num(x->p_adjusted), json_family(x->p_holm, x->p_holm_all),
        json_family(x->p_bh, x->p_bh_all)};
    return we_rj_object(N_OF(k), k, v);
}

static json_t *json_effect_size(const we_result_extra *x)
{
    const we_effect_size *s = &x->effect_size;
    if (!x->has_effect_size)
        return json_null();
    static const char *const k[] = {"glass_delta", "glass_ci", "hedges_g",
                                    "hedges_ci", "sd_comparison",
                                    "sd_pooled"};
    json_t *v[] = {we_rj_num(s->glass_delta),
                   jpair_num(s->glass_low, s->glass_high),
                   we_rj_num(s->hedges_g),
                   jpair_num(s->hedges_low, s->hedges_high),
                   we_rj_num(s->sd_comparison), we_rj_num(s->sd_pooled)};
    return we_rj_object(N_OF(k), k, v);
}

static json_t *json_event_coef(const we_event_coef *c)
{
    static const char *const k[] = {"rel_time", "estimate", "se", "ci_low",
                                    "ci_high", "p_value", "n_treated"};
    json_t *v[] = {json_integer(c->rel_time), we_rj_num(c->estimate),
                   we_rj_num(c->se), we_rj_num(c->ci_low),
                   we_rj_num(c->ci_high), we_rj_num(c->p_value),
                   we_rj_count(c->n_treated)};
    return we_rj_object(N_OF(k), k, v);
}

static json_t *json_pretrend(const we_event_result *ev)
{
    static const char *const k[] = {"q", "wald", "f", "p", "boot_p",
                                    "boot_reps", "boot_enumerated", "df"};
    json_t *v[] = {jsize(ev->pretrend_q), we_rj_num(ev->pretrend_wald),
                   we_rj_num(ev->pretrend_f), we_rj_num(ev->pretrend_p),
                   we_rj_num(ev->pretrend_boot_p),
                   jsize(ev->pretrend_boot_reps),
                   json_boolean(ev->pretrend_boot_enumerated),
                   jsize(ev->df)};
    return we_rj_object(N_OF(k), k, v);
}

static json_t *json_event(const we_result_extra *x)
{
    const we_event_result *ev = &x->event;
    if (!x->has_event)
        return json_null();
    json_t *coefs = json_array();
    for (size_t i = 0; coefs != NULL && i < ev->n_coef; i++)
        if (json_array_append_new(coefs, json_event_coef(&ev->coef[i])) !=
            0) {
            json_decref(coefs);
            coefs = NULL;
        }
    /* The coefficients' covariance (row-major, in the order of
     * "coefficients"), so that HonestDiD can be run on the same event
     * study (tests/oracle/honestdid_rm.R). */
    json_t *vc = ev->vcov != NULL ? json_array() : json_null();
    for (size_t i = 0; ev->vcov != NULL && vc != NULL && i < ev->n_coef; i++) {
        json_t *row = json_array();
        for (size_t j = 0; row != NULL && j < ev->n_coef; j++)
            json_array_append_new(row,
                                  we_rj_num(ev->vcov[i * ev->n_coef + j]));
        if (row == NULL || json_array_append_new(vc, row) != 0) {
            json_decref(vc);
            vc = NULL;
        }
    }
    static const char *const k[] = {"coefficients", "vcov", "pretrend",
                                    "note"};
    json_t *v[] = {coefs, vc, json_pretrend(ev),
                   ev->note[0] != '\0' ? we_rj_str(ev->note) : json_null()};
    return we_rj_object(N_OF(k), k, v);
}

static json_t *json_ri(const we_result_extra *x)
{
    if (!x->has_ri)
        return json_null();
    static const char *const k[] = {"p_value", "reps"};
    json_t *v[] = {we_rj_num(x->ri.p_value), jsize(x->ri.reps)};
    return we_rj_object(N_OF(k), k, v);
}

static json_t *json_mde(const we_result_extra *x)
{
    const we_mde *m = &x->mde;
    if (!x->has_mde)
        return json_null();
    static const char *const k[] = {"value", "power", "alpha", "icc",
                                    "sigma2", "rho", "simulated_power",
                                    "simulations", "method", "estimator",
                                    "simulated_sd", "note"};
    json_t *v[] = {we_rj_num(m->mde), we_rj_num(m->power),
                   we_rj_num(m->alpha), we_rj_num(m->icc),
                   we_rj_num(m->sigma2), we_rj_num(m->rho),
                   we_rj_num(m->sim_power), jsize(m->sim_reps),
                   json_string(m->simulated ? "simulation" : "analytic"),
                   json_string(we_method_name(m->method)),
                   we_rj_num(m->sim_sd),
                   isinf(m->mde)
                       ? json_string("no effect is detectable: the "
                                     "smallest attainable placebo p-value "
                                     "exceeds alpha")
                       : json_null()};
    return we_rj_object(N_OF(k), k, v);
}

/* An sc or sdid headline's own check (docs/methods.md, "The synthetic
 * designs' own pre-period check"); null for other rows. */
static json_t *json_in_time(const we_run *run, const we_result_extra *x)
{
    const we_synth_pretest_result *pt = &x->synth_pretest;
    if (!x->has_synth_pretest)
        return x->synth_pretest_error[0]
                   ? json_pack("{s:s}", "error", x->synth_pretest_error)
                   : json_null();
    json_t *start = run->panel != NULL &&
                            pt->placebo_start < run->panel->n_periods
                        ? json_integer(run->panel->periods[pt->placebo_start])
                        : json_null();
    static const char *const k[] = {
        "placebo_start", "shift",  "estimate",    "statistic",
        "p_value",       "min_p",  "n_placebos",  "exact",
        "fit_rmspe",     "fit_sd", "simulations", "clusters"};
    json_t *v[] = {start,
                   jsize(pt->shift),
                   we_rj_num(pt->estimate),
                   we_rj_num(pt->stat),
                   we_rj_num(pt->p),
                   we_rj_num(pt->min_p),
                   jsize(pt->n_placebos),
                   json_boolean(pt->exact),
                   we_rj_num(pt->fit_rmspe),
                   we_rj_num(pt->fit_sd),
                   jsize(pt->power_sims),
                   jsize(pt->clusters)};
    return we_rj_object(N_OF(k), k, v);
}

/* The pre-period check's power (docs/methods.md, "Pre-test power"). */
static json_t *json_pretest(const we_run *run, const we_result_extra *x)
{
    if (!x->enriched || x->pretest_what == NULL)
        return json_null();
    static const char *const k[] = {"check",         "power",
                                    "power_min",     "trend_slope",
                                    "noncentrality", "borrowed",
                                    "in_time_placebo"};
    json_t *v[] = {json_string(x->pretest_what),
                   we_rj_num(x->pretest_power),
                   we_rj_num(run->cfg->inference.pretest_power_min),
                   we_rj_num(x->pretest_slope), we_rj_num(x->pretest_ncp),
                   json_boolean(x->pretest_borrowed),
                   json_in_time(run, x)};
    return we_rj_object(N_OF(k), k, v);
}

/* Rambachan-Roth relative magnitudes (docs/methods.md, "Sensitivity to
 * parallel-trend violations"): HonestDiD's C-LF set when s->clf, the
 * Bonferroni projection (always under "projection") otherwise;
 * breakdown_mbar null with unbounded true when no Mbar up to the search's
 * end breaks the conclusion. */
static json_t *json_sensitivity(const we_result_extra *x)
{
    const we_rm_sensitivity *s = &x->sensitivity;
    if (!x->has_sensitivity)
        return json_null();
    static const char *const k[] = {
        "method",         "source",    "target",
        "estimate",       "se",        "ci_mbar1",
        "breakdown_mbar", "unbounded", "max_pre_change",
        "n_leads",        "n_lags",    "grid_step",
        "breakdown_tol",  "projection"};
    static const char *const pk[] = {"ci_mbar1", "breakdown_mbar"};
    json_t *pv[] = {jpair_num(s->proj_low, s->proj_high),
                    we_rj_num(s->proj_breakdown)};
    json_t *v[] = {
        json_string(s->clf ? "relative magnitudes, C-LF (HonestDiD)"
                           : "relative magnitudes, Bonferroni projection"),
        json_string(x->sensitivity_borrowed ? "twfe event study of the "
                                              "same indicator"
                                            : "event study"),
        json_string("average of the event-study lags"),
        we_rj_num(s->theta),
        we_rj_num(s->se_theta),
        jpair_num(s->ci_low, s->ci_high),
        we_rj_num(s->breakdown_mbar),
        json_boolean(isinf(s->breakdown_mbar)),
        we_rj_num(s->dmax),
        jsize(s->n_leads),
        jsize(s->n_lags),
        we_rj_num(s->grid_step),
        we_rj_num(s->breakdown_tol),
        we_rj_object(N_OF(pk), pk, pv)};
    return we_rj_object(N_OF(k), k, v);
}

/* Sets every pair; the values are consumed even after a failure. */
static int set_all(json_t *o, size_t n, const char *const *keys,
                   json_t **vals)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++)
        bad |= json_object_set_new(o, keys[i], vals[i]) != 0;
    return bad ? -1 : 0;
}

static json_t *json_cs_stat(const we_cs_stat *s)
{
    static const char *const k[] = {"estimate", "se", "ci_low", "ci_high",
                                    "p_value", "band_low", "band_high"};
    json_t *v[] = {we_rj_num(s->estimate), we_rj_num(s->se),
                   we_rj_num(s->ci_low), we_rj_num(s->ci_high),
                   we_rj_num(s->p_value), we_rj_num(s->band_low),
                   we_rj_num(s->band_high)};
    return we_rj_object(N_OF(k), k, v);
}

/* Period labels instead of indices, so that readers need no lookup. */
static json_t *json_period(const we_run *run, long t)
{
    if (t < 0 || run->panel == NULL || (size_t)t >= run->panel->n_periods)
        return json_null();
    return json_integer(run->panel->periods[t]);
}

static json_t *json_cs_cells(const we_run *run, const we_cs_result *cs)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < cs->n_cells; i++) {
        const we_cs_cell *c = &cs->cell[i];
        json_t *o = json_cs_stat(&c->s);
        if (o == NULL ||
            json_object_set_new(o, "group", json_period(run, c->group)) ||
            json_object_set_new(o, "period",
                                json_period(run, (long)c->period)) ||
            json_object_set_new(o, "event_time", json_integer(c->event)) ||
            json_object_set_new(o, "n_treated", json_integer(c->n_treated)) ||
            json_object_set_new(o, "n_control", json_integer(c->n_control)) ||
            json_array_append_new(a, o)) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* An aggregation: its elements keyed by event time (dynamic) or by the
 * period label (group, calendar), and the overall value. */
static json_t *json_cs_agg(const we_run *run, const we_cs_aggregation *g,
                           int keys_are_periods)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < g->n; i++) {
        json_t *o = json_cs_stat(&g->elem[i].s);
        json_t *key = keys_are_periods ? json_period(run, g->elem[i].key)
                                       : json_integer(g->elem[i].key);
        if (o == NULL || json_object_set_new(o, "key", key) ||
            json_array_append_new(a, o)) {
            json_decref(a);
            return NULL;
        }
    }
    static const char *const k[] = {"elements", "overall", "band_crit"};
    json_t *v[] = {a, json_cs_stat(&g->overall), we_rj_num(g->crit)};
    return we_rj_object(N_OF(k), k, v);
}

static json_t *json_cs(const we_run *run, const we_cs_result *cs)
{
    static const char *const k[] = {"att_gt", "simple", "dynamic", "group",
                                    "calendar", "bootstrap_reps", "note"};
    json_t *v[] = {json_cs_cells(run, cs), json_cs_stat(&cs->simple),
                   json_cs_agg(run, &cs->dynamic, 0),
                   json_cs_agg(run, &cs->group, 1),
                   json_cs_agg(run, &cs->calendar, 1),
                   json_integer((json_int_t)cs->boot_reps),
                   we_rj_str(cs->note)};
    return we_rj_object(N_OF(k), k, v);
}

/* The donors with the largest weights, largest first (at most 10), with
 * their codes and names: what a reader needs to judge a synthetic twin. */
static json_t *json_top_weights(const we_run *run, const double *w)
{
    enum { TOP = 10 };
    size_t idx[TOP], n = 0;
    size_t A = run->panel ? run->panel->n_areas : 0;
    for (size_t i = 0; i < A; i++) {
        if (!(w[i] > 1e-12))
            continue;
        size_t pos = n < TOP ? n++ : TOP;
        while (pos > 0 && w[idx[pos - 1]] < w[i]) {
            if (pos < TOP)
                idx[pos] = idx[pos - 1];
            pos--;
        }
        if (pos < TOP)
            idx[pos] = i;
    }
    json_t *a = json_array();
    for (size_t k = 0; a != NULL && k < n; k++) {
        const we_area_rec *ar = &run->panel->areas[idx[k]];
        static const char *const key[] = {"area", "name", "weight"};
        json_t *v[] = {we_rj_str(ar->code), we_rj_str(ar->name),
                       we_rj_num(w[idx[k]])};
        if (json_array_append_new(a, we_rj_object(N_OF(key), key, v))) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *json_synthetic(const we_run *run, const we_design_detail *d)
{
    if (d->has_sc) {
        static const char *const k[] = {"weights", "pre_rmspe",
                                        "post_rmspe", "placebos", "note"};
        json_t *v[] = {json_top_weights(run, d->sc.average.weight),
                       we_rj_num(d->sc.average.pre_rmspe),
                       we_rj_num(d->sc.average.post_rmspe),
                       json_integer((json_int_t)d->sc.average_placebos),
                       we_rj_str(d->sc.note)};
        return we_rj_object(N_OF(k), k, v);
    }
    json_t *lam = json_array();
    size_t T = run->panel ? run->panel->n_periods : 0;
    for (size_t t = 0; lam != NULL && t < T; t++)
        if (d->sdid.lambda[t] > 1e-12) {
            static const char *const key[] = {"period", "weight"};
            json_t *v[] = {json_integer(run->panel->periods[t]),
                           we_rj_num(d->sdid.lambda[t])};
            json_array_append_new(lam, we_rj_object(N_OF(key), key, v));
        }
    static const char *const k[] = {"weights", "time_weights", "zeta_omega",
                                    "note"};
    json_t *v[] = {json_top_weights(run, d->sdid.omega), lam,
                   we_rj_num(d->sdid.zeta_omega), we_rj_str(d->sdid.note)};
    return we_rj_object(N_OF(k), k, v);
}

int we_rj_result_extras(const we_run *run, const we_result_rec *r,
                        json_t *o)
{
    const we_result_extra *x = &r->x;
    int enriched = we_report_enriched(r);
    static const char *const k[] = {"inference", "cr1", "p_adjusted",
                                    "effect_size", "pretrend_p"};
    json_t *v[] = {json_inference(run, r), json_cr1(x),
                   json_p_adjusted(run, r), json_effect_size(x),
                   enriched ? we_rj_num(x->pretrend_p) : json_null()};
    int rc = set_all(o, N_OF(k), k, v);
    if (r->est.method == WE_METHOD_TWFE &&
        json_object_set_new(o, "event_study", json_event(x)) != 0)
        rc = -1;
    if (x->detail.has_cs &&
        json_object_set_new(o, "callaway_santanna",
                            json_cs(run, &x->detail.cs)) != 0)
        rc = -1;
    if ((x->detail.has_sc || x->detail.has_sdid) &&
        json_object_set_new(o, "synthetic",
                            json_synthetic(run, &x->detail)) != 0)
        rc = -1;
    static const char *const k2[] = {"randomization", "mde", "pretest",
                                     "sensitivity", "evidence",
                                     "descriptive", "descriptive_reason"};
    json_t *v2[] = {json_ri(x), json_mde(x), json_pretest(run, x),
                    json_sensitivity(x),
                    enriched ? we_rj_evidence(&x->evidence) : json_null(),
                    json_integer(x->descriptive),
                    x->descriptive ? json_string(x->descriptive_reason)
                                   : json_null()};
    if (set_all(o, N_OF(k2), k2, v2) != 0)
        rc = -1;
    return we_rj_result_judgement(r, o) != 0 ? -1 : rc;
}
