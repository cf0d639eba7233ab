/* What the analysis layer judged and computed for the report, in
 * report.json: each result's verdict and warnings, each experiment's
 * headline verdict, trend and per-wijk gaps. Field list: docs/report.md. */
#include "report/report_internal.h"
#include "report/report_json_internal.h"
#include "report/report_verdict.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static json_t *jperiods(const we_panel *p)
{
    json_t *a = json_array();
    for (size_t t = 0; a != NULL && t < p->n_periods; t++)
        if (json_array_append_new(a, json_integer(p->periods[t])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

int we_rj_result_judgement(const we_result_rec *r, json_t *o)
{
    if (!we_report_enriched(r)) {
        int bad = json_object_set_new(o, "verdict", json_null()) != 0;
        bad |= json_object_set_new(o, "warnings", json_null()) != 0;
        return bad ? -1 : 0;
    }
    json_t *w = json_array();
    int bad = w == NULL;
    if (!bad && r->x.pretrend_rejected)
        bad = json_array_append_new(w, json_string("pretrend_rejected")) != 0;
    if (!bad && r->x.underpowered)
        bad = json_array_append_new(w, json_string("underpowered")) != 0;
    if (bad) {
        json_decref(w);
        return -1;
    }
    bad = json_object_set_new(o, "verdict",
                              json_string(we_verdict_name(r->x.verdict)));
    bad |= json_object_set_new(o, "warnings", w) != 0;
    return bad ? -1 : 0;
}

static json_t *json_band(const we_group_band *b, size_t T)
{
    static const char *const k[] = {"n_areas", "mean", "ci_low", "ci_high"};
    json_t *v[] = {json_integer((json_int_t)b->n_areas), we_rj_numbers(b->mean, T),
                   we_rj_numbers(b->lo, T), we_rj_numbers(b->hi, T)};
    return we_rj_object(N_OF(k), k, v);
}

static json_t *json_trend(const we_run *run, const we_trend_view *t)
{
    if (t->indicator == NULL || t->n_periods != run->panel->n_periods)
        return json_null();
    static const char *const k[] = {"indicator", "periods", "treated",
                                    "comparison"};
    json_t *v[] = {we_rj_str(t->indicator), jperiods(run->panel),
                   json_band(&t->treated, t->n_periods),
                   json_band(&t->comparison, t->n_periods)};
    return we_rj_object(N_OF(k), k, v);
}

static json_t *json_wijk(const we_run *run, const we_wijk_view *w, size_t k)
{
    static const char *const key[] = {"code", "status", "gap"};
    json_t *v[] = {we_rj_str(run->panel->areas[w->area[k]].code),
                   json_string(we_wijk_status_name(w->status[k])),
                   we_rj_numbers(w->gap + k * w->n_periods, w->n_periods)};
    return we_rj_object(N_OF(key), key, v);
}

static json_t *json_per_wijk(const we_run *run, const we_wijk_view *w)
{
    const we_panel *p = run->panel;
    if (w->state == WE_WIJK_VIEW_NONE || w->n_periods != p->n_periods)
        return json_null();
    int ok = w->state == WE_WIJK_VIEW_OK;
    json_t *wijken = ok ? json_array() : json_null();
    for (size_t k = 0; ok && wijken != NULL && k < w->n_wijken; k++)
        if (json_array_append_new(wijken, json_wijk(run, w, k)) != 0) {
            json_decref(wijken);
            wijken = NULL;
        }
    static const char *const k[] = {"indicator", "reference", "available",
                                    "baseline", "latest", "periods",
                                    "n_behind", "n_closing", "wijken"};
    json_t *v[] = {
        we_rj_str(w->indicator),
        json_string(run->cfg->gap_reference == WE_GAP_NATIONAL
                        ? "national"
                        : "municipality"),
        json_boolean(ok),
        ok ? json_integer(p->periods[w->base]) : json_null(),
        ok ? json_integer(p->periods[w->latest]) : json_null(),
        jperiods(p),
        ok ? json_integer((json_int_t)w->n_behind) : json_null(),
        ok ? json_integer((json_int_t)w->n_closing) : json_null(),
        wijken};
    return we_rj_object(N_OF(k), k, v);
}

typedef void (*sentence_fn)(char *buf, size_t n, const we_run *run,
                            const we_experiment_run *x, we_lang l);

/* {nl, en} of a sentence; null when it is empty. */
static json_t *json_both(const we_run *run, const we_experiment_run *x,
                         sentence_fn fn)
{
    char nl[WE_SENTENCE], en[WE_SENTENCE];
    fn(nl, sizeof nl, run, x, WE_LANG_NL);
    fn(en, sizeof en, run, x, WE_LANG_EN);
    if (nl[0] == '\0' && en[0] == '\0')
        return json_null();
    static const char *const k[] = {"nl", "en"};
    json_t *v[] = {json_string(nl), json_string(en)};
    return we_rj_object(N_OF(k), k, v);
}

static json_t *json_smallest(const we_judgement *j)
{
    if (j->smallest_from == WE_SMALLEST_NONE)
        return json_null();
    static const char *const k[] = {"value", "source"};
    json_t *v[] = {we_rj_num(j->smallest),
                   json_string(we_smallest_from_name(j->smallest_from))};
    return we_rj_object(N_OF(k), k, v);
}

int we_rj_experiment_views(const we_run *run, const we_experiment_run *x,
                           json_t *o)
{
    int ok = x->status == WE_EXP_OK;
    const char *hv = we_hverdict_name(x->judgement.verdict);
    static const char *const k[] = {"verdict", "verdict_reason",
                                    "smallest_effect", "plain", "trend",
                                    "per_wijk"};
    json_t *v[] = {ok && hv != NULL ? json_string(hv) : json_null(),
                   ok ? json_both(run, x, we_verdict_reason) : json_null(),
                   ok ? json_smallest(&x->judgement) : json_null(),
                   ok ? json_both(run, x, we_plain_sentence) : json_null(),
                   ok ? json_trend(run, &x->trend) : json_null(),
                   ok ? json_per_wijk(run, &x->per_wijk) : json_null()};
    int bad = 0;
    for (size_t i = 0; i < N_OF(k); i++)
        bad |= v[i] == NULL || json_object_set_new(o, k[i], v[i]) != 0;
    return bad ? -1 : 0;
}

static json_t *json_side_effect(const we_run *run, const we_side_effect *s)
{
    char nl[WE_SENTENCE], en[WE_SENTENCE];
    we_side_effect_sentence(nl, sizeof nl, run, s, WE_LANG_NL);
    we_side_effect_sentence(en, sizeof en, run, s, WE_LANG_EN);
    const char *exp = s->experiment >= 0
                          ? run->experiments[s->experiment].id
                          : NULL;
    static const char *const tk[] = {"nl", "en"};
    json_t *tv[] = {json_string(nl), json_string(en)};
    static const char *const k[] = {"kind", "experiment", "indicator",
                                    "direction", "method", "estimate",
                                    "ci_low", "ci_high", "p", "text"};
    json_t *v[] = {json_string(we_side_kind_name(s->kind)), we_rj_str(exp),
                   we_rj_str(s->indicator),
                   json_string(s->lower_is_better ? "lower_is_better"
                                                  : "higher_is_better"),
                   json_string(we_report_method_name(s->method)),
                   we_rj_num(s->estimate), we_rj_num(s->ci_low),
                   we_rj_num(s->ci_high), we_rj_num(s->p),
                   we_rj_object(N_OF(tk), tk, tv)};
    return we_rj_object(N_OF(k), k, v);
}

json_t *we_rj_side_effects(const we_run *run)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < run->n_side_effects; i++)
        if (json_array_append_new(
                a, json_side_effect(run, &run->side_effects[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}
