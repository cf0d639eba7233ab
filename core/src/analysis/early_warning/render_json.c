/* report.json: the `early_warning` section (docs/report.md); null when the
 * config has no early_warning group. */
#include <jansson.h>
#include <math.h>

#include "model/design.h"
#include "analysis/early_warning/render.h"
#include "report/report_internal.h"
#include "report/report_json_internal.h"

static json_t *json_ew_indicators(const we_run *run)
{
    const we_early_warning_cfg *c = &run->cfg->early_warning;
    const we_ew_result *r = early_warning_of(run);
    json_t *a = json_array();
    for (size_t k = 0; a != NULL && k < c->n_indicators; k++) {
        const we_catalog_rec *cat =
            we_report_catalog(run->panel, c->indicators[k].name);
        static const char *const keys[] = {"name", "weight", "direction",
                                           "mean", "sd"};
        json_t *v[] = {
            we_rj_str(c->indicators[k].name),
            json_real(c->indicators[k].weight),
            cat ? we_rj_str(we_report_direction_name(cat->direction))
                : json_null(),
            we_rj_num(r->mean[k]), we_rj_num(r->sd[k])};
        if (json_array_append_new(a, we_rj_object(5, keys, v)) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *json_drivers(const we_run *run, size_t area)
{
    const we_ew_result *r = early_warning_of(run);
    size_t d[3];
    size_t nd = we_ew_drivers(r, area, d, 3);
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < nd; i++) {
        static const char *const keys[] = {"indicator", "contribution"};
        json_t *v[] = {
            we_rj_str(run->cfg->early_warning.indicators[d[i]].name),
            we_rj_num(r->contrib[area * r->n_ind + d[i]])};
        if (json_array_append_new(a, we_rj_object(2, keys, v)) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *json_contributions(const we_run *run, size_t area)
{
    const we_ew_result *r = early_warning_of(run);
    json_t *o = json_object();
    for (size_t k = 0; o != NULL && k < r->n_ind; k++)
        if (json_object_set_new(o, run->cfg->early_warning.indicators[k].name,
                                we_rj_num(r->contrib[area * r->n_ind + k])) !=
            0) {
            json_decref(o);
            return NULL;
        }
    return o;
}

static json_t *json_watch_entry(const we_run *run, size_t rank)
{
    const we_ew_result *r = early_warning_of(run);
    size_t a = r->watch[rank];
    const we_area_rec *ar = &run->panel->areas[a];
    int treated = run->rd != NULL ? run->rd->treated_from[a] >= 0 : -1;
    static const char *const keys[] = {
        "rank", "area", "area_name", "municipality", "treated", "slope",
        "mk_s", "z", "p", "q", "periods_observed", "drivers",
        "contributions", "relative_composite"};
    json_t *v[] = {
        json_integer((json_int_t)rank + 1), we_rj_str(ar->code),
        we_rj_str(ar->name), we_rj_str(ar->municipality),
        treated < 0 ? json_null() : json_boolean(treated),
        we_rj_num(r->slope[a]), we_rj_num(r->s[a]), we_rj_num(r->z[a]),
        we_rj_num(r->p[a]), we_rj_num(r->q[a]),
        json_integer((json_int_t)r->n_obs[a]), json_drivers(run, a),
        json_contributions(run, a),
        we_rj_numbers(&r->rel[a * r->n_periods], r->n_periods)};
    return we_rj_object(sizeof keys / sizeof keys[0], keys, v);
}

static json_t *json_periods(const we_panel *p)
{
    json_t *a = json_array();
    for (size_t t = 0; a != NULL && t < p->n_periods; t++)
        if (json_array_append_new(a, json_integer(p->periods[t])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

json_t *we_rj_early_warning(const we_run *run)
{
    const we_ew_result *r = early_warning_of(run);
    if (r == NULL)
        return json_null();
    const we_panel *p = run->panel;
    json_t *watch = json_array();
    for (size_t i = 0; watch != NULL && i < r->n_watch; i++)
        if (json_array_append_new(watch, json_watch_entry(run, i)) != 0) {
            json_decref(watch);
            watch = NULL;
        }
    static const char *const keys[] = {
        "indicators", "window", "first_period", "last_period", "alpha",
        "test", "null_center", "null_scale", "areas", "tested", "flagged",
        "periods",
        "national_composite", "watch_list"};
    json_t *v[] = {
        json_ew_indicators(run), json_integer((json_int_t)r->window),
        json_integer(p->periods[r->first]),
        json_integer(p->periods[p->n_periods - 1]), json_real(r->alpha),
        json_string(r->test == WE_EW_MANN_KENDALL ? "mann_kendall"
                                                  : "empirical_null"),
        we_rj_num(r->null_center), we_rj_num(r->null_scale),
        json_integer((json_int_t)r->n_areas),
        json_integer((json_int_t)r->n_tested),
        json_integer((json_int_t)r->n_watch), json_periods(p),
        we_rj_numbers(r->national, r->n_periods), watch};
    return we_rj_object(sizeof keys / sizeof keys[0], keys, v);
}
