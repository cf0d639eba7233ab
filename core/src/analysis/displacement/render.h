/* The displacement analysis's renderers: one per report format,
 * written with the report's kit (report/report_analysis.h). */
#ifndef WE_ANALYSIS_DISPLACEMENT_RENDER_H
#define WE_ANALYSIS_DISPLACEMENT_RENDER_H

#include "analysis/displacement/displacement_view.h"
#include "report/report_analysis.h"

/* The renderers (render_*.c). */
json_t *we_rj_displacement(const we_run *run);
void we_md_displacement(const we_run *run, FILE *f);
void we_html_displacement(const we_html *h);
int we_report_displacement_csv(const we_run *run, FILE *f, we_error *err);

#endif
