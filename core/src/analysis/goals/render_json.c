/* report.json: the `targets` and `policy_return` sections (docs/report.md).
 * Each is null when the config has no data.targets / data.costs. */
#include <jansson.h>
#include <math.h>

#include "model/goals.h"
#include "analysis/goals/render.h"
#include "report/report_internal.h"
#include "report/report_json_internal.h"

static json_t *jbool_or_null(int v)
{
    return v < 0 ? json_null() : json_boolean(v);
}

static json_t *jperiod(int p)
{
    return p != 0 ? json_integer(p) : json_null();
}

static json_t *json_target(const we_run *run, const we_wijk_target *t,
                           const we_target_result *r)
{
    const we_panel *p = run->panel;
    const we_area_rec *a = &p->areas[t->area];
    const we_catalog_rec *cat = t->indicator >= 0
                                    ? &p->catalog[t->indicator]
                                    : NULL;
    static const char *const k[] = {
        "area", "area_name", "municipality", "kind", "indicator",
        "direction", "unit", "target_value", "realised", "deadline",
        "description", "status", "current_period", "current_value",
        "baseline_value", "observed_per_year", "required_per_year",
        "remaining", "line"};
    json_t *v[] = {
        we_rj_str(a->code), we_rj_str(a->name), we_rj_str(a->municipality),
        json_string(cat ? "numeric" : "item"),
        cat ? we_rj_str(cat->indicator) : json_null(),
        cat ? we_rj_str(we_report_direction_name(cat->direction))
            : json_null(),
        cat ? we_rj_str(cat->unit) : json_null(),
        we_rj_num(t->target), jbool_or_null(t->realised),
        json_integer(t->deadline), we_rj_str(t->description),
        json_string(we_goal_status_name(r->status)),
        jperiod(r->current_period), we_rj_num(r->current_value),
        we_rj_num(r->baseline_value), we_rj_num(r->observed_per_year),
        we_rj_num(r->required_per_year), we_rj_num(r->remaining),
        json_integer((json_int_t)t->line)};
    return we_rj_object(sizeof k / sizeof k[0], k, v);
}

/* {targets, met, on_track, ...} plus the given leading keys. */
static json_t *json_tally(const we_goal_tally *g, const char *code_key)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    int bad = 0;
    if (code_key != NULL)
        bad |= json_object_set_new(o, code_key, we_rj_str(g->code));
    if (g->name != NULL)
        bad |= json_object_set_new(o, "name", we_rj_str(g->name));
    bad |= json_object_set_new(o, "targets", json_integer((json_int_t)g->n));
    for (int s = 0; s < WE_GOAL_COUNT_; s++)
        bad |= json_object_set_new(o, we_goal_status_name((we_goal_status)s),
                                   json_integer((json_int_t)g->count[s]));
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *json_tallies(const we_goal_tally *g, size_t n,
                            const char *code_key)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++)
        if (json_array_append_new(a, json_tally(&g[i], code_key)) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

json_t *we_rj_targets(const we_run *run)
{
    const we_targets_eval *ev = goals_targets(run);
    if (ev == NULL)
        return json_null();
    json_t *items = json_array();
    for (size_t i = 0; items != NULL && i < ev->in->n; i++)
        if (json_array_append_new(
                items, json_target(run, &ev->in->t[i], &ev->res[i])) != 0) {
            json_decref(items);
            items = NULL;
        }
    static const char *const k[] = {"file", "sha256", "as_of", "baseline",
                                    "targets", "per_wijk",
                                    "per_municipality", "total"};
    json_t *v[] = {we_rj_str(ev->in->path), we_rj_str(ev->in->sha256),
                   json_integer(ev->as_of), json_integer(run->cfg->baseline),
                   items, json_tallies(ev->wijken, ev->n_wijken, "area"),
                   json_tallies(ev->munis, ev->n_munis, "municipality"),
                   json_tally(&ev->total, NULL)};
    return we_rj_object(sizeof k / sizeof k[0], k, v);
}

static json_t *json_cpe(const we_cpe *c)
{
    static const char *const k[] = {"status", "value", "ci_low", "ci_high"};
    json_t *v[] = {json_string(we_cpe_status_name(c->status)),
                   we_rj_num(c->value), we_rj_num(c->low),
                   we_rj_num(c->high)};
    return we_rj_object(4, k, v);
}

static json_t *json_headline(const we_run *run, const we_experiment_run *x,
                             const we_policy_return *r)
{
    if (r->headline < 0)
        return json_null();
    const we_result_rec *h = &x->results[r->headline];
    const we_catalog_rec *cat = we_report_catalog(run->panel, h->indicator);
    const we_effect_size *es = &h->x.effect_size;
    int has = h->x.has_effect_size;
    static const char *const k[] = {
        "indicator", "unit", "direction", "method", "estimate", "ci_low",
        "ci_high", "effect_size", "effect_size_low", "effect_size_high"};
    json_t *v[] = {
        we_rj_str(h->indicator), cat ? we_rj_str(cat->unit) : json_null(),
        cat ? we_rj_str(we_report_direction_name(cat->direction))
            : json_null(),
        json_string(we_report_method_name(h->est.method)),
        we_rj_num(h->est.estimate), we_rj_num(h->est.ci_low),
        we_rj_num(h->est.ci_high), we_rj_num(has ? es->glass_delta : NAN),
        we_rj_num(has ? es->glass_low : NAN),
        we_rj_num(has ? es->glass_high : NAN)};
    return we_rj_object(sizeof k / sizeof k[0], k, v);
}

static json_t *json_overlaps(const we_run *run, const we_policy_return *r)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < r->n_overlaps; i++)
        if (json_array_append_new(
                a, we_rj_str(run->experiments[r->overlaps[i]].id)) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *json_policy_exp(const we_run *run, size_t e)
{
    const we_policy_return *r = &goals_policy(run)->per_exp[e];
    const we_experiment_run *x = &run->experiments[e];
    static const char *const k[] = {
        "experiment", "total_eur", "cost_rows", "first_period",
        "last_period", "treated_wijken", "treated_wijken_with_costs",
        "treated_wijken_without_population", "treated_residents",
        "cost_per_resident", "headline", "cost_per_unit", "cost_per_sd",
        "rank", "not_distinguishable_from", "not_credible", "not_better"};
    json_t *v[] = {
        we_rj_str(x->id), json_real(r->total_eur),
        json_integer((json_int_t)r->n_rows),
        r->has_costs ? json_integer(r->first_period) : json_null(),
        r->has_costs ? json_integer(r->last_period) : json_null(),
        json_integer((json_int_t)r->n_treated),
        json_integer((json_int_t)r->n_treated_costed),
        json_integer((json_int_t)r->n_no_population),
        json_real(r->residents), we_rj_num(r->per_resident),
        json_headline(run, x, r), json_cpe(&r->per_unit),
        json_cpe(&r->per_sd), r->rank > 0 ? json_integer(r->rank)
                                          : json_null(),
        json_overlaps(run, r), json_boolean(r->not_credible),
        json_boolean(r->not_better)};
    return we_rj_object(sizeof k / sizeof k[0], k, v);
}

json_t *we_rj_policy(const we_run *run)
{
    const we_policy_eval *ev = goals_policy(run);
    if (ev == NULL)
        return json_null();
    json_t *a = json_array();
    for (size_t e = 0; a != NULL && e < ev->n; e++)
        if (json_array_append_new(a, json_policy_exp(run, e)) != 0) {
            json_decref(a);
            a = NULL;
        }
    static const char *const k[] = {"file", "sha256", "currency",
                                    "experiments", "ranked",
                                    "identical_totals", "even_split",
                                    "missing", "wijken_without_costs",
                                    "unit"};
    json_t *v[] = {we_rj_str(ev->in->path), we_rj_str(ev->in->sha256),
                   json_string("EUR"), a,
                   json_integer((json_int_t)ev->n_ranked),
                   json_boolean(ev->identical_totals),
                   json_boolean(ev->even_split),
                   json_string(ev->missing_zero ? "zero" : "error"),
                   json_integer((json_int_t)ev->n_missing),
                   json_string("EUR per resident per unit of effect")};
    return we_rj_object(sizeof k / sizeof k[0], k, v);
}
