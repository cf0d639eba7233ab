/* An experiment's matched comparison group (`comparison = "matched"`):
 * the k nearest untreated wijken of every treated wijk on the primary
 * indicator's pre-period path and the chosen baseline covariates. The
 * matched set replaces the comparison group for all of the experiment's
 * estimators. */
#ifndef WE_HOST_MATCHING_H
#define WE_HOST_MATCHING_H

#include "config/config.h"
#include "data/panel.h"
#include "analysis/design.h"
#include "methods/match.h"
#include "model/matching.h"
#include "util/error.h"

/* Matches for one experiment; `indicator` is its primary indicator.
 * Errors name the experiment and what is wrong. */
int we_matching_build(we_experiment_matching *em, const we_config *c,
                      const we_panel *p, const we_run_design *rd,
                      const we_experiment_cfg *ec, const char *indicator,
                      we_error *err);

#endif
