/* Displacement (the waterbed effect): does a problem move from the
 * treated areas to their untreated neighbours? Per configured indicator,
 * a TWFE DiD of the ring (treated from the earliest start of its treated
 * neighbours) against the comparison areas outside it, with the run's
 * inference. Method: docs/methods.md, "Displacement". */
#ifndef WE_HOST_DISPLACEMENT_EVAL_H
#define WE_HOST_DISPLACEMENT_EVAL_H

#include "config/config.h"
#include "data/panel.h"
#include "analysis/design.h"
#include "model/displacement.h"
#include "util/error.h"
#include "wijkeval/plugin.h"

/* Every indicator in the catalogue and with data, a ring that is not
 * empty; else an error naming the config line. 0 when the group is
 * absent. */
int we_displacement_check(const we_config *c, const we_panel *p,
                          const we_run_design *rd, we_error *err);

/* 0, or -1 when memory runs out. An indicator whose DiD cannot be
 * estimated gets WE_DISP_NOT_ESTIMABLE with the reason. */
int we_displacement_evaluate(const we_config *c, const we_panel *p,
                             const we_run_design *rd, we_disp_result *r);

#endif
