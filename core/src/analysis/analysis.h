/* The optional analyses, registered in one static table in the spirit of
 * collectd's and Fluent Bit's plugin tables, but inside the core: each
 * analysis is one folder under analysis/ with its config check, its
 * evaluation and its renderers, and one line in analysis/analyses.c. The
 * pipeline loops over the table (prepare before the plugins run,
 * evaluate after the inference, free at the end) and the report loops
 * over the run's entries (model/analysis.h). Nothing else names an
 * analysis. */
#ifndef WE_ANALYSIS_ANALYSIS_H
#define WE_ANALYSIS_ANALYSIS_H

#include <stddef.h>

#include "config/config.h"
#include "data/panel.h"
#include "model/run.h"
#include "util/error.h"

typedef struct we_analysis_env {
    const we_config *cfg;
    const we_panel *panel;
    const we_run_design *rd;
} we_analysis_env;

typedef struct we_analysis {
    const char *name; /* the key of its entry in the run and report.json */
    const we_config_group *config;           /* its config group */
    const struct we_analysis_render *render; /* its renderers */
    /* Before any plugin runs, so that a mistake costs nothing: reads the
     * analysis's inputs and checks them against the config, the panel and
     * the design. Sets *state to NULL when the config does not ask for the
     * analysis. An error names the file or config line and what to do. */
    int (*prepare)(const we_analysis_env *env, void **state, we_error *err);
    /* After the host's inference (an analysis may read the headlines).
     * Returns the result the run records, or NULL with err set. */
    const void *(*evaluate)(const we_analysis_env *env, void *state,
                            const we_run *run, we_error *err);
    void (*free)(void *state);
} we_analysis;

extern const we_analysis *const we_analyses[];
extern const size_t we_n_analyses;

/* The panel index of indicator `name`, which config group `group` names
 * at `line`: -1 with err naming the line when the catalogue lacks it or it
 * has no data. The analyses check their indicators this one way. */
long we_analysis_indicator(const we_config *c, const we_panel *p,
                           const char *group, const char *name, int line,
                           we_error *err);

#endif
