/* The free and name functions of the results model (the headers in model/). */
#include <stdlib.h>
#include <string.h>

#include "model/run.h"

void we_run_design_free(we_run_design *rd)
{
    free(rd->treated_from);
    free(rd->comparison);
    free(rd->in_sample);
    free(rd->municipality);
    free(rd->cluster);
    free(rd->weight);
    free(rd->followup);
    free(rd->ring_from);
    memset(rd, 0, sizeof *rd);
}

void we_matching_free(we_experiment_matching *em)
{
    we_match_panel_free(&em->match);
    we_run_design_free(&em->rd);
    free(em->indicator);
    memset(em, 0, sizeof *em);
}

void we_disp_free(we_disp_result *r)
{
    free(r->rows);
    memset(r, 0, sizeof *r);
}

const char *we_disp_verdict_name(we_disp_verdict v)
{
    switch (v) {
    case WE_DISP_DISPLACEMENT: return "displacement";
    case WE_DISP_SPILLOVER: return "spillover";
    case WE_DISP_NOT_ESTIMABLE: return "not_estimable";
    case WE_DISP_NO_EVIDENCE: break;
    }
    return "no_evidence";
}

const char *we_goal_status_name(we_goal_status s)
{
    static const char *const names[WE_GOAL_COUNT_] = {
        "met", "on_track", "off_track", "open", "missed", "no_data"};
    return (unsigned)s < WE_GOAL_COUNT_ ? names[s] : "unknown";
}

const char *we_cpe_status_name(we_cpe_status s)
{
    static const char *const names[] = {"defined",   "ci_includes_zero",
                                        "harmful",   "no_estimate",
                                        "no_costs",  "no_residents"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s]
                                                         : "unknown";
}

void we_targets_eval_free(we_targets_eval *ev)
{
    free(ev->res);
    free(ev->wijken);
    free(ev->munis);
    ev->res = NULL;
    ev->wijken = ev->munis = NULL;
    ev->n_wijken = ev->n_munis = 0;
}

void we_policy_eval_free(we_policy_eval *ev)
{
    for (size_t e = 0; ev->per_exp != NULL && e < ev->n; e++)
        free(ev->per_exp[e].overlaps);
    free(ev->per_exp);
    free(ev->order);
    ev->per_exp = NULL;
    ev->order = NULL;
    ev->n = ev->n_ranked = 0;
}

void we_experiment_run_free(we_experiment_run *e)
{
    free(e->id);
    free(e->title_nl);
    free(e->title_en);
    free(e->version);
    free(e->summary);
    free(e->summary_nl);
    free(e->error);
    for (size_t k = 0; k < e->n_results; k++) {
        free(e->results[k].indicator);
        we_result_extra_free(&e->results[k].x);
    }
    free(e->results);
    for (size_t k = 0; k < e->n_metrics; k++) {
        free(e->metrics[k].name);
        free(e->metrics[k].unit);
        free(e->metrics[k].description);
        free(e->metrics[k].label_en);
        free(e->metrics[k].label_nl);
        free(e->metrics[k].description_nl);
        free(e->metrics[k].unit_nl);
    }
    free(e->metrics);
    for (size_t k = 0; k < e->n_area_metrics; k++) {
        we_area_metric_rec *a = &e->area_metrics[k];
        free(a->name);
        free(a->values);
        free(a->unit);
        free(a->description);
        free(a->label_en);
        free(a->label_nl);
        free(a->description_nl);
        free(a->unit_nl);
    }
    free(e->area_metrics);
    for (size_t k = 0; k < e->n_warnings; k++)
        free(e->warnings[k]);
    free(e->warnings);
    we_trend_view_free(&e->trend);
    we_wijk_view_free(&e->per_wijk);
    memset(e, 0, sizeof *e);
}

void we_result_extra_free(we_result_extra *x)
{
    we_design_detail_free(&x->detail);
    if (x->has_event)
        we_event_result_free(&x->event);
    x->has_event = 0;
}

const void *we_run_analysis(const we_run *run, const char *name)
{
    for (size_t k = 0; run->analyses != NULL && k < run->n_analyses; k++)
        if (strcmp(run->analyses[k].name, name) == 0)
            return run->analyses[k].result;
    return NULL;
}

const char *we_verdict_name(we_verdict v)
{
    switch (v) {
    case WE_VERDICT_BETTER: return "better";
    case WE_VERDICT_WORSE: return "worse";
    case WE_VERDICT_UNCLEAR: break;
    }
    return "unclear";
}

const char *we_side_kind_name(we_side_kind k)
{
    return k == WE_SIDE_DISPLACEMENT ? "displacement" : "secondary";
}

void we_run_side_effects_free(we_run *run)
{
    free(run->side_effects);
    run->side_effects = NULL;
    run->n_side_effects = 0;
}

const char *we_hverdict_name(we_hverdict v)
{
    static const char *const names[] = {
        NULL, "better", "worse", "no_effect", "inconclusive", "not_credible"};
    return (unsigned)v < sizeof names / sizeof names[0] ? names[v] : NULL;
}

const char *we_smallest_from_name(we_smallest_from s)
{
    static const char *const names[] = {NULL, "mde", "indicator",
                                        "experiment"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : NULL;
}

const char *we_wijk_status_name(we_wijk_status s)
{
    static const char *const names[] = {"no_gap", "no_deficit", "closing",
                                        "not_closing"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s]
                                                         : "unknown";
}

void we_trend_view_free(we_trend_view *v)
{
    free(v->indicator);
    /* Each band's three series share one allocation. */
    free(v->treated.mean);
    free(v->comparison.mean);
    memset(v, 0, sizeof *v);
}

void we_wijk_view_free(we_wijk_view *v)
{
    free(v->indicator);
    free(v->area);
    free(v->gap);
    free(v->status);
    memset(v, 0, sizeof *v);
}

void we_since_previous_free(we_since_previous *sp)
{
    if (sp == NULL)
        return;
    free(sp->added_periods);
    free(sp->revisions);
    free(sp->settings);
    free(sp->inputs);
    free(sp->experiments);
    free(sp->targets);
    memset(sp, 0, sizeof *sp);
}

const char *we_sp_move_name(we_sp_move m)
{
    switch (m) {
    case WE_SP_UP: return "up";
    case WE_SP_DOWN: return "down";
    case WE_SP_CHANGED: return "changed";
    case WE_SP_NEW: return "new";
    case WE_SP_GONE: return "gone";
    case WE_SP_SAME: break;
    }
    return "same";
}
