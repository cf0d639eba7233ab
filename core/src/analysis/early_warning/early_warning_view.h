/* The early warning's result as its renderers read it from the run. */
#ifndef WE_ANALYSIS_EARLY_WARNING_VIEW_H
#define WE_ANALYSIS_EARLY_WARNING_VIEW_H

#include "model/early_warning.h"
#include "model/run.h"

extern const struct we_analysis_render we_early_warning_render;

/* The watch list; NULL when the config has no early_warning group. */
static inline const we_ew_result *early_warning_of(const we_run *run)
{
    return we_run_analysis(run, "early_warning");
}

#endif
