/* The early warning in the table: the `early_warning` group's watch list
 * of sliding areas. */
#include <stdlib.h>

#include "analysis/analysis.h"
#include "analysis/early_warning/early_warning.h"
#include "analysis/early_warning/early_warning_view.h"

static int ew_prepare(const we_analysis_env *env, void **state,
                      we_error *err)
{
    *state = NULL;
    if (!env->cfg->early_warning.enabled)
        return 0;
    if (we_early_warning_check(env->cfg, env->panel, err) != 0)
        return -1;
    if ((*state = calloc(1, sizeof(we_ew_result))) == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory in the early warning");
    return 0;
}

static const void *ew_evaluate(const we_analysis_env *env, void *state,
                               const we_run *run, we_error *err)
{
    (void)run;
    if (we_early_warning_evaluate(env->cfg, env->panel, state) != 0) {
        we_fail(err, WE_ENOMEM, "out of memory in the early warning");
        return NULL;
    }
    return state;
}

static void ew_free(void *state)
{
    if (state != NULL)
        we_ew_free(state);
    free(state);
}

extern const we_config_group we_early_warning_config; /* config.c */

const we_analysis we_early_warning_analysis = {
    .name = "early_warning",
    .config = &we_early_warning_config,
    .render = &we_early_warning_render,
    .prepare = ew_prepare,
    .evaluate = ew_evaluate,
    .free = ew_free,
};
