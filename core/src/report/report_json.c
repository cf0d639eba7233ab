#include <inttypes.h>
#include <jansson.h>

#include "report/report.h"
#include "report/report_internal.h"
#include "report/report_lang.h"
#include "report/report_analysis.h"
#include "report/report_json_internal.h"

static json_t *jtime(time_t t)
{
    char buf[32];
    return we_report_iso_time(buf, sizeof buf, t) == 0 ? json_string(buf)
                                                        : json_null();
}

static json_t *jseed(uint64_t seed)
{
    char buf[32];
    if (seed <= (uint64_t)INT64_MAX)
        return json_integer((json_int_t)seed);
    /* Beyond json_int_t: a string keeps every digit. */
    snprintf(buf, sizeof buf, "%" PRIu64, seed);
    return json_string(buf);
}

static json_t *jpair(const char *nl, const char *en)
{
    static const char *const k[] = {"nl", "en"};
    json_t *v[] = {we_rj_str(nl), we_rj_str(en)};
    return we_rj_object(2, k, v);
}

static json_t *json_followup(const we_config *c)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < c->n_followup; i++)
        if (json_array_append_new(a, json_integer(c->followup[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static const char *comparison_name(we_comparison_mode m)
{
    switch (m) {
    case WE_COMPARISON_SAME_MUNICIPALITY: return "same_municipality";
    case WE_COMPARISON_LIST: return "list";
    default: return "untreated";
    }
}

/* How the plugins ran: in child processes or not, and sandboxed or why
 * not (host/sandbox.h). */
static json_t *json_isolation(const we_run *run)
{
    const we_config *c = run->cfg;
    return json_pack("{s:b,s:s?}", "enabled", c->isolation.enabled,
                     "sandbox", run->sandbox);
}

static json_t *json_run(const we_run *run)
{
    const we_config *c = run->cfg;
    static const char *const k[] = {
        "name", "title", "version", "config", "config_sha256",
        "data_sha256", "seed", "alpha", "cluster", "baseline", "followup",
        "comparison", "gap_reference", "inference", "started", "finished",
        "gap_weighted", "gap_areas_without_population", "isolation"};
    json_t *v[] = {
        we_rj_str(c->name), we_rj_str(c->title != NULL ? c->title : c->name),
        we_rj_str(run->version), we_rj_str(c->path), we_rj_str(c->config_sha256),
        we_rj_str(run->panel->data_sha256), jseed(c->seed), we_rj_num(c->alpha),
        json_string(c->cluster == WE_CLUSTER_MUNICIPALITY ? "municipality"
                                                          : "area"),
        json_integer(c->baseline), json_followup(c),
        json_string(comparison_name(c->comparison)),
        json_string(c->gap_reference == WE_GAP_NATIONAL ? "national"
                                                        : "municipality"),
        we_rj_run_inference(c), jtime(run->started), jtime(run->finished),
        json_boolean(run->rd != NULL && run->rd->weight != NULL),
        json_integer(run->rd != NULL ? (json_int_t)run->rd->n_no_population
                                     : 0),
        json_isolation(run)};
    return we_rj_object(sizeof k / sizeof k[0], k, v);
}

static json_t *json_periods(const we_panel *p)
{
    if (p->n_periods == 0 || p->periods == NULL)
        return json_null();
    return json_pack("[i,i]", p->periods[0], p->periods[p->n_periods - 1]);
}

static json_t *json_missing(const we_panel *p, size_t *total)
{
    json_t *o = json_object();
    *total = 0;
    for (size_t k = 0; o != NULL && p->n_marked_missing != NULL &&
                       k < p->n_indicators; k++) {
        size_t m = p->n_marked_missing[k];
        *total += m;
        if (m > 0 && json_object_set_new(o, p->catalog[k].indicator,
                                         json_integer((json_int_t)m)) != 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

static json_t *json_data(const we_panel *p)
{
    size_t with_data = 0, missing = 0;
    for (size_t k = 0; p->values != NULL && k < p->n_indicators; k++)
        with_data += p->values[k] != NULL;
    json_t *by_ind = json_missing(p, &missing);
    static const char *const k[] = {"areas", "periods", "n_periods",
                                    "indicators", "rows", "missing_marked",
                                    "missing_by_indicator"};
    json_t *v[] = {json_integer((json_int_t)p->n_areas), json_periods(p),
                   json_integer((json_int_t)p->n_periods),
                   json_integer((json_int_t)with_data),
                   json_integer((json_int_t)p->n_rows),
                   json_integer((json_int_t)missing), by_ind};
    return we_rj_object(sizeof k / sizeof k[0], k, v);
}

static json_t *json_result(const we_run *run, const we_result_rec *r)
{
    const we_estimate *e = &r->est;
    const we_catalog_rec *cat = we_report_catalog(run->panel, r->indicator);
    static const char *const k[] = {
        "indicator", "label", "direction", "unit", "role", "method",
        "estimate", "se", "ci_low", "ci_high", "p_value", "df", "n_treated",
        "n_control", "n_obs", "baseline", "latest"};
    json_t *v[] = {
        we_rj_str(r->indicator),
        cat ? jpair(cat->label_nl, cat->label_en) : json_null(),
        we_rj_str(cat ? we_report_direction_name(cat->direction) : NULL),
        we_rj_str(cat ? cat->unit : NULL), json_string(we_report_role_name(r->role)),
        json_string(we_report_method_name(e->method)), we_rj_num(e->estimate),
        we_rj_num(e->se), we_rj_num(e->ci_low), we_rj_num(e->ci_high), we_rj_num(e->p_value),
        we_rj_num(e->df), we_rj_count(e->n_treated), we_rj_count(e->n_control),
        we_rj_count(e->n_obs), we_rj_num(e->baseline), we_rj_num(e->latest)};
    json_t *o = we_rj_object(sizeof k / sizeof k[0], k, v);
    int bad = o == NULL;
    if (!bad && e->method == WE_METHOD_GAP)
        bad = json_object_set_new(o, "closing", json_boolean(e->closing));
    if (!bad)
        bad = we_rj_result_extras(run, r, o) != 0;
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *json_metric(const we_metric_rec *m)
{
    static const char *const k[] = {"name", "value", "unit", "description"};
    json_t *v[] = {we_rj_str(m->name), we_rj_num(m->value), we_rj_str(m->unit),
                   we_rj_str(m->description)};
    json_t *o = we_rj_object(sizeof k / sizeof k[0], k, v);
    if (o != NULL && we_rj_metric_text(m, o) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Results of a failed evaluation are not reported: a plugin that failed
 * halfway may have emitted numbers it would have corrected. */
static json_t *json_lists(const we_run *run, const we_experiment_run *x,
                          json_t **metrics)
{
    json_t *res = json_array();
    *metrics = json_array();
    int ok = x->status == WE_EXP_OK, bad = res == NULL || *metrics == NULL;
    for (size_t i = 0; ok && !bad && i < x->n_results; i++)
        bad = json_array_append_new(res, json_result(run, &x->results[i]));
    for (size_t i = 0; ok && !bad && i < x->n_metrics; i++)
        bad = json_array_append_new(*metrics, json_metric(&x->metrics[i]));
    if (bad) {
        json_decref(res);
        json_decref(*metrics);
        *metrics = NULL;
        return NULL;
    }
    return res;
}

/* A failed experiment has no evidence; an ok one without a headline
 * says why in its reasons. */
static json_t *json_exp_evidence(const we_experiment_run *x)
{
    if (x->status != WE_EXP_OK || x->evidence.reasons[0] == '\0')
        return json_null();
    return we_rj_evidence(&x->evidence);
}

/* The headline's p adjusted across all headlines of the run (the
 * experiments' and the programme row's); n: how many. */
static json_t *json_p_headlines(const we_experiment_run *x)
{
    if (x->status != WE_EXP_OK || x->headline < 0)
        return json_null();
    static const char *const k[] = {"family", "n", "holm", "bh"};
    json_t *v[] = {json_string("all headlines of the run"),
                   json_integer((json_int_t)x->n_headlines),
                   we_rj_num(x->p_holm_headlines),
                   we_rj_num(x->p_bh_headlines)};
    return we_rj_object(sizeof k / sizeof k[0], k, v);
}

/* The balance of one feature before and after matching. */
static json_t *json_balance_row(const we_run *run,
                                const we_experiment_matching *m, size_t f)
{
    const we_match_feature *ft = &m->match.features[f];
    const we_balance_row *b = &m->match.balance[f];
    char label[160];
    if (ft->covariate)
        snprintf(label, sizeof label, "%s (baseline)",
                 m->cfg->covariates[ft->index]);
    else
        snprintf(label, sizeof label, "%s %d", m->indicator,
                 run->panel->periods[ft->index]);
    static const char *const k[] = {"feature", "smd_before", "smd_after",
                                    "var_ratio_before", "var_ratio_after"};
    json_t *v[] = {we_rj_str(label), we_rj_num(b->before.smd),
                   we_rj_num(b->after.smd), we_rj_num(b->before.var_ratio),
                   we_rj_num(b->after.var_ratio)};
    return we_rj_object(sizeof k / sizeof k[0], k, v);
}

static json_t *json_matching_of(const we_run *run,
                                const we_experiment_matching *m)
{
    json_t *bal = json_array();
    for (size_t f = 0; bal != NULL && f < m->match.n_features; f++)
        if (json_array_append_new(bal, json_balance_row(run, m, f))) {
            json_decref(bal);
            bal = NULL;
        }
    static const char *const k[] = {
        "method", "k", "replace", "same_municipality", "matched_on",
        "n_treated_matched", "n_control_matched", "n_excluded", "note",
        "balance"};
    json_t *v[] = {
        json_string(m->cfg->propensity ? "propensity" : "mahalanobis"),
        json_integer((json_int_t)m->cfg->k), json_boolean(m->cfg->replace),
        json_boolean(m->cfg->same_municipality), we_rj_str(m->indicator),
        json_integer((json_int_t)m->match.m.n_treated_matched),
        json_integer((json_int_t)m->match.m.n_control_matched),
        json_integer((json_int_t)m->match.m.n_excluded),
        m->match.m.note ? we_rj_str(m->match.m.note) : json_null(), bal};
    return we_rj_object(sizeof k / sizeof k[0], k, v);
}

static json_t *json_matching(const we_run *run, const we_experiment_run *x)
{
    if (x->matching == NULL || x->status != WE_EXP_OK)
        return json_null();
    return json_matching_of(run, x->matching);
}

/* What the experiment is compared with and which question its number
 * answers, in both languages; its own treated and comparison wijken. */
static int json_comparison(const we_experiment_run *x, json_t *o)
{
    we_text q = (we_text)we_report_question_text(x);
    json_t *question = json_pack(
        "{s:s,s:s,s:s}", "id", we_report_question_id(x), "nl",
        we_tr(WE_LANG_NL, q), "en", we_tr(WE_LANG_EN, q));
    json_t *n_t = x->rd != NULL ? json_integer((json_int_t)x->rd->n_treated)
                                : json_null();
    json_t *n_c = x->rd != NULL
                      ? json_integer((json_int_t)x->rd->n_comparison)
                      : json_null();
    return json_object_set_new(o, "comparison",
                               json_string(we_report_comparison(x))) ||
           json_object_set_new(o, "question", question) ||
           json_object_set_new(o, "n_treated", n_t) ||
           json_object_set_new(o, "n_comparison", n_c) ||
           json_object_set_new(o, "n_overlap",
                               json_integer((json_int_t)x->n_overlap));
}

static json_t *json_experiment(const we_run *run, const we_experiment_run *x)
{
    json_t *metrics;
    json_t *results = json_lists(run, x, &metrics);
    int ok = x->status == WE_EXP_OK;
    const we_result_rec *h = we_report_headline(x);
    static const char *const k[] = {"id", "title", "version", "summary",
                                    "status", "error", "headline",
                                    "design", "design_reason", "matching",
                                    "evidence", "p_headlines", "results",
                                    "metrics"};
    json_t *v[] = {we_rj_str(x->id), jpair(x->title_nl, x->title_en),
                   we_rj_str(x->version), we_rj_str(x->summary),
                   json_string(ok ? "ok" : "failed"),
                   ok ? json_null() : we_rj_str(x->error ? x->error : "failed"),
                   h != NULL ? json_integer((json_int_t)x->headline)
                             : json_null(),
                   ok ? json_string(we_report_method_name(x->design))
                      : json_null(),
                   ok ? we_rj_str(x->design_reason) : json_null(),
                   json_matching(run, x),
                   json_exp_evidence(x), json_p_headlines(x), results,
                   metrics};
    json_t *o = we_rj_object(sizeof k / sizeof k[0], k, v);
    if (o != NULL && json_comparison(x, o) != 0) {
        json_decref(o);
        return NULL;
    }
    if (o != NULL && (we_rj_experiment_views(run, x, o) != 0 ||
                      we_rj_experiment_plugin(run, x, o) != 0)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *json_experiments(const we_run *run, size_t *n_ok)
{
    json_t *a = json_array();
    *n_ok = 0;
    for (size_t i = 0; a != NULL && i < run->n_experiments; i++) {
        *n_ok += run->experiments[i].status == WE_EXP_OK;
        if (json_array_append_new(
                a, json_experiment(run, &run->experiments[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* The optional analyses add at most this many top-level keys. */
#define WE_REPORT_JSON_MAX 32

static json_t *json_report(const we_run *run)
{
    size_t n_ok;
    json_t *exps = json_experiments(run, &n_ok);
    json_t *summary = json_pack("{s:I,s:I,s:I}", "experiments",
                                (json_int_t)run->n_experiments, "ok",
                                (json_int_t)n_ok, "failed",
                                (json_int_t)(run->n_experiments - n_ok));
    const char *k[8 + WE_REPORT_JSON_MAX] = {
        "schema", "run", "data", "experiments", "summary", "side_effects"};
    json_t *v[8 + WE_REPORT_JSON_MAX] = {json_string(WE_REPORT_SCHEMA),
                                         json_run(run),
                                         json_data(run->panel),
                                         exps,
                                         summary,
                                         we_rj_side_effects(run)};
    size_t n = 6;
    if (run->programme != NULL) {
        k[n] = "programme";
        v[n++] = json_experiment(run, run->programme);
    }
    if (run->since_previous != NULL) {
        k[n] = "since_previous";
        v[n++] = we_rj_since_previous(run);
    }
    for (size_t a = 0; a < run->n_analyses; a++) {
        const we_analysis_render *r = run->analyses[a].render;
        for (size_t j = 0; r != NULL && j < WE_RENDER_MAX; j++)
            if (r->json[j].key != NULL && n < 8 + WE_REPORT_JSON_MAX) {
                k[n] = r->json[j].key;
                v[n++] = r->json[j].value(run);
            }
    }
    return we_rj_object(n, k, v);
}

int we_report_json(const we_run *run, FILE *f, we_error *err)
{
    json_t *root = json_report(run);
    if (root == NULL)
        return we_fail(err, WE_ENOMEM,
                       "cannot build the JSON report: out of memory "
                       "or an indicator id that is not UTF-8");
    int rc = json_dumpf(root, f, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    json_decref(root);
    if (rc != 0 || fputc('\n', f) == EOF)
        return we_fail(err, WE_EINVAL, "cannot write the JSON report");
    return 0;
}

int we_report_result_json(const we_run *run, const we_result_rec *r,
                          FILE *f, we_error *err)
{
    return we_report_result_json_matched(run, r, NULL, f, err);
}

int we_report_result_json_matched(const we_run *run, const we_result_rec *r,
                                  const we_experiment_matching *m, FILE *f,
                                  we_error *err)
{
    json_t *o = json_result(run, r);
    if (o != NULL && m != NULL &&
        json_object_set_new(o, "matching", json_matching_of(run, m)) != 0) {
        json_decref(o);
        o = NULL;
    }
    if (o == NULL)
        return we_fail(err, WE_ENOMEM,
                       "out of memory building the JSON result");
    int rc = json_dumpf(o, f, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    json_decref(o);
    fputc('\n', f);
    return rc == 0 ? 0
                   : we_fail(err, WE_EINVAL, "cannot write the JSON result");
}
