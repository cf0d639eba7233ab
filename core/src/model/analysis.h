/* The optional analyses' results as the model records them. The run
 * holds one entry per analysis of the table (analysis/analyses.c), in the
 * table's order, whether or not the config asked for it; the report loops
 * over these entries and reaches each analysis's renderers through
 * `render`, so it never names an analysis. */
#ifndef WE_MODEL_ANALYSIS_H
#define WE_MODEL_ANALYSIS_H

#include <stddef.h>

/* Defined by the report (report/report_analysis.h): the analysis's JSON
 * values, CSV files and Markdown and HTML sections. */
struct we_analysis_render;

typedef struct we_analysis_out {
    const char *name;                         /* "early_warning", ... */
    const struct we_analysis_render *render;
    const void *result; /* the analysis's own result type; NULL when the
                           config does not ask for it or the run is a
                           shard */
} we_analysis_out;

#endif
