/* The goals analysis's result as its renderers read it from the run. */
#ifndef WE_ANALYSIS_GOALS_VIEW_H
#define WE_ANALYSIS_GOALS_VIEW_H

#include "data/goals.h"
#include "model/goals.h"
#include "model/run.h"

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

#endif
