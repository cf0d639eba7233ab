/* The displacement analysis's result as its renderers read it. */
#ifndef WE_ANALYSIS_DISPLACEMENT_VIEW_H
#define WE_ANALYSIS_DISPLACEMENT_VIEW_H

#include "model/displacement.h"
#include "model/run.h"

extern const struct we_analysis_render we_displacement_render;

/* The ring's DiDs; NULL when the config has no displacement group. */
static inline const we_disp_result *displacement_of(const we_run *run)
{
    return we_run_analysis(run, "displacement");
}

#endif
