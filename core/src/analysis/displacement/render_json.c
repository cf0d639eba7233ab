/* report.json: the `displacement` section (docs/report.md); null when the
 * config has no displacement group. */
#include <jansson.h>

#include "analysis/displacement/render.h"
#include "report/report_internal.h"
#include "report/report_json_internal.h"

static json_t *json_disp_row(const we_disp_row *r)
{
    int ok = r->verdict != WE_DISP_NOT_ESTIMABLE;
    const we_estimate *e = &r->est;
    static const char *const keys[] = {
        "indicator", "direction", "unit", "method", "estimate", "se",
        "ci_low", "ci_high", "p", "inference", "inference_reps",
        "ring_areas", "far_areas", "n_obs", "verdict", "error"};
    json_t *v[] = {
        we_rj_str(r->indicator),
        we_rj_str(r->lower_is_better ? "lower_is_better"
                                     : "higher_is_better"),
        we_rj_str(r->unit), json_string("twfe"),
        ok ? we_rj_num(e->estimate) : json_null(),
        ok ? we_rj_num(e->se) : json_null(),
        ok ? we_rj_num(e->ci_low) : json_null(),
        ok ? we_rj_num(e->ci_high) : json_null(),
        ok ? we_rj_num(e->p_value) : json_null(),
        ok ? we_rj_str(we_report_inference_name(e->inference)) : json_null(),
        ok ? json_integer((json_int_t)e->inference_reps) : json_null(),
        ok ? json_integer((json_int_t)e->n_treated) : json_null(),
        ok ? json_integer((json_int_t)e->n_control) : json_null(),
        ok ? json_integer((json_int_t)e->n_obs) : json_null(),
        json_string(we_disp_verdict_name(r->verdict)),
        ok ? json_null() : we_rj_str(r->error)};
    return we_rj_object(sizeof keys / sizeof keys[0], keys, v);
}

json_t *we_rj_displacement(const we_run *run)
{
    const we_disp_result *r = displacement_of(run);
    if (r == NULL)
        return json_null();
    json_t *rows = json_array();
    for (size_t i = 0; rows != NULL && i < r->n_rows; i++)
        if (json_array_append_new(rows, json_disp_row(&r->rows[i])) != 0) {
            json_decref(rows);
            rows = NULL;
        }
    static const char *const keys[] = {
        "neighbours", "band_m", "ring_areas", "far_areas", "alpha",
        "comparison_excludes_ring", "indicators"};
    json_t *v[] = {
        we_rj_str(r->neighbours),
        r->band_m > 0 ? json_real(r->band_m) : json_null(),
        json_integer((json_int_t)r->n_ring),
        json_integer((json_int_t)r->n_far), json_real(r->alpha),
        json_true(), rows};
    return we_rj_object(sizeof keys / sizeof keys[0], keys, v);
}
