/* The goals analysis in the table: the self-named targets (data.targets)
 * and the policy return (data.costs). */
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/goals/goals.h"
#include "analysis/goals/goals_view.h"

/* Which wijken are experiment k's: its rows in data.assignment, else
 * the run's treated wijken. */
static void own_wijken(const we_analysis_env *env, size_t k,
                       unsigned char *mark)
{
    const we_config *c = env->cfg;
    size_t na = env->panel->n_areas;
    const we_experiment_cfg *ec = &c->experiments[k];
    if (ec->n_assigned == 0) {
        for (size_t a = 0; a < na; a++)
            mark[a] = env->rd->treated_from[a] >= 0;
        return;
    }
    memset(mark, 0, na);
    for (size_t i = 0; i < c->n_assigned; i++) {
        long a = we_panel_area(env->panel, c->assigned[i].area);
        if (a >= 0 && strcmp(c->assigned[i].experiment, ec->plugin) == 0)
            mark[a] = 1;
    }
}

/* Every assigned wijk of an experiment has cost rows, unless the config
 * says costs = { missing = "zero"; }: then it counts as costing nothing
 * and the report says how many there are. */
static int check_missing(const we_analysis_env *env, const we_costs *cs,
                         we_error *err)
{
    const we_config *c = env->cfg;
    if (c->costs_missing_zero)
        return 0;
    for (size_t i = 0; i < c->n_assigned; i++) {
        const we_assigned_cfg *as = &c->assigned[i];
        long a = we_panel_area(env->panel, as->area);
        size_t k = 0;
        while (k < c->n_experiments &&
               strcmp(c->experiments[k].plugin, as->experiment) != 0)
            k++;
        int found = 0;
        for (size_t r = 0; r < cs->n && !found; r++)
            found = cs->rows[r].experiment == k &&
                    (long)cs->rows[r].area == a;
        if (!found)
            return we_fail(err, WE_EINVAL,
                           "%s: wijk '%s' of experiment '%s' (%s:%d) has "
                           "no cost rows; add its rows experiment,area,"
                           "period,amount_eur (0 when it cost nothing), or "
                           "set costs = { missing = \"zero\"; } to count "
                           "it as costing nothing",
                           c->costs_path, as->area, as->experiment,
                           c->assignment_path, as->line);
    }
    return 0;
}

/* The costs must belong to the own wijken of known experiments. */
static int load_costs(const we_analysis_env *env, we_goals_result *g,
                      we_error *err)
{
    const we_config *c = env->cfg;
    size_t n = c->n_experiments, na = env->panel->n_areas;
    const char **ids = malloc((n ? n : 1) * sizeof *ids);
    unsigned char *treated = malloc((n ? n : 1) * (na ? na : 1));
    int rc = -1;
    if (ids == NULL || treated == NULL)
        we_fail(err, WE_ENOMEM, "out of memory reading %s", c->costs_path);
    else {
        for (size_t k = 0; k < n; k++) {
            ids[k] = c->experiments[k].plugin;
            own_wijken(env, k, treated + k * na);
        }
        rc = we_costs_load(&g->costs, c->costs_path, env->panel, ids, n,
                           treated, err);
        if (rc == 0)
            rc = check_missing(env, &g->costs, err);
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
