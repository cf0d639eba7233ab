/* Where the early warning analysis appears in the report. */
#include "analysis/early_warning/render.h"

static int has_watch_list(const we_run *run)
{
    return early_warning_of(run) != NULL;
}

const we_analysis_render we_early_warning_render = {
    .json = {{"early_warning", we_rj_early_warning}},
    .csv = {{"watch_list.csv", we_report_watch_csv, has_watch_list}},
    .md = {[WE_PLACE_AFTER_EXPERIMENTS] = we_md_early_warning},
    .html = {[WE_PLACE_AFTER_EXPERIMENTS] = we_html_early_warning},
    .toc = {{"early-warning", T_EW_TITLE, has_watch_list,
             WE_PLACE_AFTER_EXPERIMENTS}},
};
