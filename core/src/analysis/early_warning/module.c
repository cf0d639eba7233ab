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
        return we_errorf(err, "out of memory in the early warning");
    return 0;
}

static const void *ew_evaluate(const we_analysis_env *env, void *state,
                               const we_run *run, we_error *err)
{
    (void)run;
    if (we_early_warning_evaluate(env->cfg, env->panel, state) != 0) {
        we_errorf(err, "out of memory in the early warning");
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

static int has_watch_list(const we_run *run)
{
    return early_warning_of(run) != NULL;
}

const we_analysis_render we_early_warning_render = {
    .json = {{"early_warning", we_rj_early_warning}},
    .csv = {{"watch_list.csv", we_report_watch_csv, has_watch_list}},
    .md = {[WE_PLACE_AFTER_EXPERIMENTS] = we_md_early_warning},
    .html = {[WE_PLACE_AFTER_EXPERIMENTS] = we_html_early_warning},
};

const we_analysis we_early_warning_analysis = {
    .name = "early_warning",
    .render = &we_early_warning_render,
    .prepare = ew_prepare,
    .evaluate = ew_evaluate,
    .free = ew_free,
};
