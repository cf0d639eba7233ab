/* The early warning's result as its renderers read it from the run. */
#ifndef WE_ANALYSIS_EARLY_WARNING_VIEW_H
#define WE_ANALYSIS_EARLY_WARNING_VIEW_H

#include "model/early_warning.h"
#include "model/run.h"
#include "report/report_analysis.h"

extern const struct we_analysis_render we_early_warning_render;

/* The watch list; NULL when the config has no early_warning group. */
static inline const we_ew_result *early_warning_of(const we_run *run)
{
    return we_run_analysis(run, "early_warning");
}

/* The renderers (render_*.c). */
json_t *we_rj_early_warning(const we_run *run);
void we_md_early_warning(const we_run *run, FILE *f);
void we_html_early_warning(const we_html *h);
int we_report_watch_csv(const we_run *run, FILE *f, we_error *err);

#endif
