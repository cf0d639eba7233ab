/* What a plugin of ABI 1.3 adds to its experiment in report.json: the
 * Dutch summary, its metrics' text in both languages, its per-wijk
 * metrics and its warnings. Field list: docs/report.md. */
#include <math.h>

#include "report/report_internal.h"
#include "report/report_json_internal.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* {nl, en}, or null when the plugin gave neither. */
static json_t *text_pair(const char *nl, const char *en)
{
    if (nl == NULL && en == NULL)
        return json_null();
    static const char *const k[] = {"nl", "en"};
    json_t *v[] = {we_rj_str(nl), we_rj_str(en)};
    return we_rj_object(N_OF(k), k, v);
}

int we_rj_metric_text(const we_metric_rec *m, json_t *o)
{
    static const char *const k[] = {"label", "description_nl", "unit_nl"};
    json_t *v[] = {text_pair(m->label_nl, m->label_en),
                   we_rj_str(m->description_nl), we_rj_str(m->unit_nl)};
    int bad = 0;
    for (size_t i = 0; i < N_OF(k); i++)
        bad |= v[i] == NULL || json_object_set_new(o, k[i], v[i]) != 0;
    return bad ? -1 : 0;
}

/* {code: value} over the wijken where the metric applies. */
static json_t *area_values(const we_run *run, const we_area_metric_rec *a)
{
    json_t *o = json_object();
    size_t n = a->n < run->panel->n_areas ? a->n : run->panel->n_areas;
    for (size_t i = 0; o != NULL && i < n; i++)
        if (isfinite(a->values[i]) &&
            json_object_set_new(o, run->panel->areas[i].code,
                                we_rj_num(a->values[i])) != 0) {
            json_decref(o);
            return NULL;
        }
    return o;
}

static json_t *area_metric(const we_run *run, const we_area_metric_rec *a)
{
    static const char *const k[] = {"name",    "label",       "unit",
                                    "unit_nl", "description", "description_nl",
                                    "values"};
    json_t *v[] = {
        we_rj_str(a->name),        text_pair(a->label_nl, a->label_en),
        we_rj_str(a->unit),        we_rj_str(a->unit_nl),
        we_rj_str(a->description), we_rj_str(a->description_nl),
        area_values(run, a)};
    return we_rj_object(N_OF(k), k, v);
}

int we_rj_experiment_plugin(const we_run *run, const we_experiment_run *x,
                            json_t *o)
{
    int ok = x->status == WE_EXP_OK;
    json_t *areas = json_array(), *warnings = json_array();
    int bad = areas == NULL || warnings == NULL;
    /* A failed evaluation's numbers are not reported (report_json.c);
     * its warnings are: they may say why it failed. */
    for (size_t k = 0; ok && !bad && k < x->n_area_metrics; k++)
        bad = json_array_append_new(areas,
                                    area_metric(run, &x->area_metrics[k]));
    for (size_t k = 0; !bad && k < x->n_warnings; k++)
        bad = json_array_append_new(warnings, we_rj_str(x->warnings[k]));
    if (bad) {
        json_decref(areas);
        json_decref(warnings);
        return -1;
    }
    bad = json_object_set_new(o, "summary_nl", we_rj_str(x->summary_nl));
    bad |= json_object_set_new(o, "area_metrics", areas);
    bad |= json_object_set_new(o, "plugin_warnings", warnings);
    return bad ? -1 : 0;
}
