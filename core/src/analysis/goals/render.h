/* The goals analysis's renderers: one per report format,
 * written with the report's kit (report/report_analysis.h). */
#ifndef WE_ANALYSIS_GOALS_RENDER_H
#define WE_ANALYSIS_GOALS_RENDER_H

#include "analysis/goals/goals_view.h"
#include "report/report_analysis.h"

/* The renderers (render_*.c). */
json_t *we_rj_targets(const we_run *run);
json_t *we_rj_policy(const we_run *run);
void we_md_policy(const we_run *run, FILE *f);
void we_md_targets(const we_run *run, FILE *f);
void we_html_policy(const we_html *h);
void we_html_policy_front(const we_html *h, size_t e);
void we_html_targets(const we_html *h);
int we_report_targets_csv(const we_run *run, FILE *f, we_error *err);
int we_report_policy_csv(const we_run *run, FILE *f, we_error *err);

#endif
