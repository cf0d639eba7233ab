/* Where the displacement analysis appears in the report. */
#include "analysis/displacement/render.h"

static int has_displacement(const we_run *run)
{
    return displacement_of(run) != NULL;
}

const we_analysis_render we_displacement_render = {
    .json = {{"displacement", we_rj_displacement}},
    .csv = {{"displacement.csv", we_report_displacement_csv,
             has_displacement}},
    .md = {[WE_PLACE_AFTER_EXPERIMENTS] = we_md_displacement},
    .html = {[WE_PLACE_AFTER_EXPERIMENTS] = we_html_displacement},
    .toc = {{"displacement", T_DP_TITLE, has_displacement,
             WE_PLACE_AFTER_EXPERIMENTS}},
};
