/* What the run makes of the targets and costs files: the status of each
 * self-named target, and each experiment's cost per treated resident and
 * per unit of its headline effect. Definitions: docs/report.md. */
#ifndef WE_ANALYSIS_GOALS_H
#define WE_ANALYSIS_GOALS_H

#include "model/goals.h"
#include "model/run.h"

/* The status of target t on the panel: the latest value at or before the
 * deadline against the target in the indicator's direction, and, for a
 * deadline after the panel's last period, the yearly change still needed
 * against the yearly change observed since `baseline`. */
void we_target_assess(const we_wijk_target *t, const we_panel *p,
                      int baseline, we_target_result *out);

/* Cost per unit of effect: `cost` (EUR per resident) divided by the
 * effect in its good direction (dir +1: higher is better, -1: lower),
 * with the interval from the effect's interval [lo, hi]. Undefined
 * (status says why) unless the whole interval lies on the good side. */
we_cpe we_cost_per_effect(double cost, double est, double lo, double hi,
                          int dir);

/* Fills ev from the targets file (ev->in set by the caller). */
int we_targets_evaluate(we_targets_eval *ev, const we_panel *p,
                        int baseline);

/* Fills ev (ev->in set by the caller) for every experiment of the run:
 * after the host's inference, since it reads the headline estimates. */
int we_policy_evaluate(we_policy_eval *ev, const we_run *run);

#endif
