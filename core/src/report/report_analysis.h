/* How an optional analysis appears in the report: the renderers it hands
 * the report through its run entry (model/analysis.h). The report calls
 * them in the table's order; an analysis without a part leaves it NULL.
 * The renderers live in the analysis's own folder and use the report's
 * writing kit (report_internal.h and the per-format internal headers). */
#ifndef WE_REPORT_ANALYSIS_H
#define WE_REPORT_ANALYSIS_H

#include <jansson.h>
#include <stdio.h>

#include "model/run.h"
#include "report/report_html_internal.h"
#include "util/error.h"

#define WE_RENDER_MAX 4

/* Where a section goes: before the experiments (the decisions a reader
 * makes first) or after them. */
typedef enum we_render_place {
    WE_PLACE_BEFORE_EXPERIMENTS = 0,
    WE_PLACE_AFTER_EXPERIMENTS = 1,
    WE_PLACE_COUNT_ = 2
} we_render_place;

typedef struct we_render_json {
    const char *key;                      /* top-level key of report.json */
    json_t *(*value)(const we_run *run);  /* null when the run has none */
} we_render_json;

typedef struct we_render_csv {
    const char *name;                     /* file name, "watch_list.csv" */
    int (*write)(const we_run *run, FILE *f, we_error *err);
    int (*wanted)(const we_run *run);     /* 1 when the run has the data */
} we_render_csv;

/* A section in the HTML report's table of contents. */
typedef struct we_render_toc {
    const char *id;                       /* the section's id; NULL: none */
    we_text title;
    int (*wanted)(const we_run *run);     /* 1 when the section is there */
    we_render_place at;
} we_render_toc;

typedef struct we_analysis_render {
    we_render_json json[WE_RENDER_MAX];
    we_render_csv csv[WE_RENDER_MAX];
    void (*md[WE_PLACE_COUNT_])(const we_run *run, FILE *f);
    void (*html[WE_PLACE_COUNT_])(const we_html *h);
    /* One short line for experiment e in its verdict on the front page
     * (e.g. the costs); NULL when the analysis adds none. Writes nothing
     * when the run has no data for it. */
    void (*html_front)(const we_html *h, size_t e);
    we_render_toc toc[WE_RENDER_MAX];
} we_analysis_render;

#endif
