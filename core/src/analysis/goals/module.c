/* The goals analysis in the table: the self-named targets (data.targets)
 * and the policy return (data.costs). */
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/goals/goals.h"
#include "analysis/goals/goals_view.h"

/* The costs must belong to treated wijken of known experiments. */
static int load_costs(const we_analysis_env *env, we_goals_result *g,
                      we_error *err)
{
    const we_config *c = env->cfg;
    size_t n = c->n_experiments, na = env->panel->n_areas;
    const char **ids = malloc((n ? n : 1) * sizeof *ids);
    unsigned char *treated = malloc(na ? na : 1);
    int rc = -1;
    if (ids == NULL || treated == NULL)
        we_fail(err, WE_ENOMEM, "out of memory reading %s", c->costs_path);
    else {
        for (size_t k = 0; k < n; k++)
            ids[k] = c->experiments[k].plugin;
        for (size_t a = 0; a < na; a++)
            treated[a] = env->rd->treated_from[a] >= 0;
        rc = we_costs_load(&g->costs, c->costs_path, env->panel, ids, n,
                           treated, err);
    }
    free(ids);
    free(treated);
    return rc;
}

static void goals_free(void *state)
{
    we_goals_result *g = state;
    if (g == NULL)
        return;
    we_targets_eval_free(&g->targets_eval);
    we_policy_eval_free(&g->policy_eval);
    we_targets_free(&g->targets);
    we_costs_free(&g->costs);
    free(g);
}

static int goals_prepare(const we_analysis_env *env, void **state,
                         we_error *err)
{
    const we_config *c = env->cfg;
    *state = NULL;
    if (c->targets_path == NULL && c->costs_path == NULL)
        return 0;
    we_goals_result *g = calloc(1, sizeof *g);
    if (g == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory reading the goals");
    if ((c->targets_path != NULL &&
         we_targets_load(&g->targets, c->targets_path, env->panel, err) !=
             0) ||
        (c->costs_path != NULL && load_costs(env, g, err) != 0)) {
        goals_free(g);
        return -1;
    }
    *state = g;
    return 0;
}

/* After the inference: the policy return reads the headline estimates. */
static const void *goals_evaluate(const we_analysis_env *env, void *state,
                                  const we_run *run, we_error *err)
{
    we_goals_result *g = state;
    if (env->cfg->targets_path != NULL) {
        g->targets_eval.in = &g->targets;
        if (we_targets_evaluate(&g->targets_eval, env->panel,
                                env->cfg->baseline) != 0) {
            we_fail(err, WE_ENOMEM, "out of memory judging the targets");
            return NULL;
        }
        g->has_targets = 1;
    }
    if (env->cfg->costs_path != NULL) {
        g->policy_eval.in = &g->costs;
        if (we_policy_evaluate(&g->policy_eval, run) != 0) {
            we_fail(err, WE_ENOMEM,
                    "out of memory computing the policy return");
            return NULL;
        }
        g->has_costs = 1;
    }
    return g;
}

extern const we_config_group we_goals_config; /* config.c */

const we_analysis we_goals_analysis = {
    .name = "goals",
    .config = &we_goals_config,
    .render = &we_goals_render,
    .prepare = goals_prepare,
    .evaluate = goals_evaluate,
    .free = goals_free,
};
