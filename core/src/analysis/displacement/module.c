/* The displacement (waterbed) analysis in the table: the `displacement`
 * group's DiD of the ring of untreated neighbours. */
#include <stdlib.h>

#include "analysis/analysis.h"
#include "analysis/displacement/displacement.h"
#include "analysis/displacement/displacement_view.h"

static int disp_prepare(const we_analysis_env *env, void **state,
                        we_error *err)
{
    *state = NULL;
    if (!env->cfg->displacement.enabled)
        return 0;
    if (we_displacement_check(env->cfg, env->panel, env->rd, err) != 0)
        return -1;
    if ((*state = calloc(1, sizeof(we_disp_result))) == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory in the displacement");
    return 0;
}

static const void *disp_evaluate(const we_analysis_env *env, void *state,
                                 const we_run *run, we_error *err)
{
    (void)run;
    if (we_displacement_evaluate(env->cfg, env->panel, env->rd, state) !=
        0) {
        we_fail(err, WE_ENOMEM, "out of memory in the displacement");
        return NULL;
    }
    return state;
}

static void disp_free(void *state)
{
    if (state != NULL)
        we_disp_free(state);
    free(state);
}

extern const we_config_group we_displacement_config; /* config.c */

const we_analysis we_displacement_analysis = {
    .name = "displacement",
    .config = &we_displacement_config,
    .render = &we_displacement_render,
    .prepare = disp_prepare,
    .evaluate = disp_evaluate,
    .free = disp_free,
};
