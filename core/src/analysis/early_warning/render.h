/* The early warning analysis's renderers: one per report format,
 * written with the report's kit (report/report_analysis.h). */
#ifndef WE_ANALYSIS_EARLY_WARNING_RENDER_H
#define WE_ANALYSIS_EARLY_WARNING_RENDER_H

#include "analysis/early_warning/early_warning_view.h"
#include "report/report_analysis.h"

/* The renderers (render_*.c). */
json_t *we_rj_early_warning(const we_run *run);
void we_md_early_warning(const we_run *run, FILE *f);
void we_html_early_warning(const we_html *h);
int we_report_watch_csv(const we_run *run, FILE *f, we_error *err);

#endif
