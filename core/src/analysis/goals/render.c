/* Where the goals analysis appears in the report. */
#include "analysis/goals/render.h"

static int has_targets(const we_run *run) { return goals_targets(run) != NULL; }
static int has_policy(const we_run *run) { return goals_policy(run) != NULL; }

const we_analysis_render we_goals_render = {
    .json = {{"targets", we_rj_targets}, {"policy_return", we_rj_policy}},
    .csv = {{"targets.csv", we_report_targets_csv, has_targets},
            {"policy_return.csv", we_report_policy_csv, has_policy}},
    .md = {[WE_PLACE_BEFORE_EXPERIMENTS] = we_md_policy,
           [WE_PLACE_AFTER_EXPERIMENTS] = we_md_targets},
    .html = {[WE_PLACE_BEFORE_EXPERIMENTS] = we_html_policy,
             [WE_PLACE_AFTER_EXPERIMENTS] = we_html_targets},
    .html_front = we_html_policy_front,
    .toc = {{"policy-return", T_POLICY_TITLE, has_policy,
             WE_PLACE_BEFORE_EXPERIMENTS},
            {"targets", T_TARGETS_TITLE, has_targets,
             WE_PLACE_AFTER_EXPERIMENTS}},
};
