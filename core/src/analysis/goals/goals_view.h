/* The goals analysis's result as its renderers read it from the run. */
#ifndef WE_ANALYSIS_GOALS_VIEW_H
#define WE_ANALYSIS_GOALS_VIEW_H

#include "data/goals.h"
#include "model/goals.h"
#include "model/run.h"
#include "report/report_analysis.h"

/* The targets and costs files, and what the run made of them. */
typedef struct we_goals_result {
    we_wijk_targets targets;    /* data.targets, empty when not given */
    we_costs costs;             /* data.costs, empty when not given */
    we_targets_eval targets_eval;
    we_policy_eval policy_eval;
    int has_targets, has_costs; /* the config names the file */
} we_goals_result;

extern const struct we_analysis_render we_goals_render;

/* NULL when the run did not judge targets (or costs). */
static inline const we_targets_eval *goals_targets(const we_run *run)
{
    const we_goals_result *g = we_run_analysis(run, "goals");
    return g != NULL && g->has_targets ? &g->targets_eval : NULL;
}

static inline const we_policy_eval *goals_policy(const we_run *run)
{
    const we_goals_result *g = we_run_analysis(run, "goals");
    return g != NULL && g->has_costs ? &g->policy_eval : NULL;
}

/* The renderers (render_*.c). */
json_t *we_rj_targets(const we_run *run);
json_t *we_rj_policy(const we_run *run);
void we_md_policy(const we_run *run, FILE *f);
void we_md_targets(const we_run *run, FILE *f);
void we_html_policy(const we_html *h);
void we_html_targets(const we_html *h);
int we_report_targets_csv(const we_run *run, FILE *f, we_error *err);
int we_report_policy_csv(const we_run *run, FILE *f, we_error *err);

#endif
