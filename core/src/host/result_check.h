/* The one rule for a result a plugin emits, used where the host copies it
 * in (host->emit_result) and where it reads it back from a child process
 * or a part file (we_wire_validate): a number the report prints must be
 * one that can be true, and an experiment has one primary indicator. */
#ifndef WE_HOST_RESULT_CHECK_H
#define WE_HOST_RESULT_CHECK_H

#include <stddef.h>

#include "config/config.h"
#include "model/run.h"
#include "util/error.h"

/* What a result is checked against: the experiment's targets and the
 * panel's size. n_areas = 0 means the panel is not known here: the counts
 * are then checked only for their sign. */
typedef struct we_result_scope {
    const we_target_cfg *targets;
    size_t n_targets;
    size_t n_areas, n_periods; /* 0: the panel is unknown, counts are
                                  not bounded by it */
} we_result_scope;

/* Checks result r against the scope and the results the experiment
 * already has (prev[0..n_prev)). Refused:
 *   - an indicator that is not a target, a role other than the target's
 *     (so a second primary indicator), the same indicator and method
 *     twice;
 *   - an unknown method or inference, an estimate that is not finite;
 *   - a p-value outside [0, 1]; a negative or infinite SE or df; an
 *     infinite baseline or latest; an interval side on the wrong side of
 *     the estimate (so also a reversed interval); closing other than 0/1;
 *   - a count below -1, or above the panel's (n_treated and n_control:
 *     its areas; n_obs and df: its cells); negative replications.
 * NaN stays allowed wherever the field may be unavailable (se, p_value,
 * df, an interval side, baseline, latest), -1 for a count: that is how
 * we_estimate marks "none" (wijkeval/plugin.h), e.g. synthetic control's
 * SE or an interval side the wild bootstrap never bounds (+-Inf).
 * Returns 0, or WE_EINVAL with err "'IND' (METHOD): FIELD is VALUE, why;
 * what the plugin should do" (the caller prefixes where the result came
 * from). */
int we_result_check(const we_result_rec *r, const we_result_rec *prev,
                    size_t n_prev, const we_result_scope *scope,
                    we_error *err);

#endif
