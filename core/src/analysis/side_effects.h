/* The side effects the report puts up front (model/run.h): every
 * secondary indicator of an experiment that moved significantly in its
 * bad direction after the report's adjustment, and every displacement
 * finding "displacement". Rules: docs/report.md, "Side effects". */
#ifndef WE_ANALYSIS_SIDE_EFFECTS_H
#define WE_ANALYSIS_SIDE_EFFECTS_H

#include "config/config.h"
#include "data/panel.h"
#include "model/run.h"

/* The result that speaks for secondary indicator `name` of experiment x:
 * its estimate by the experiment's headline design, else TWFE, else the
 * 2x2 DiD (designs with a comparison group; a before/after or gap change
 * is not an effect). NULL when there is none. */
const we_result_rec *we_side_result(const we_experiment_run *x,
                                    const char *name);

/* Fills run->side_effects (after the optional analyses: the displacement
 * finding is one of them). Returns 0, or -1 out of memory. */
int we_side_effects_run(const we_config *cfg, const we_panel *panel,
                        we_run *run);

#endif
