/* The run's design, derived once from the config and the panel: who is
 * treated from when, who is compared, the clusters and the gap groups. */
#ifndef WE_ANALYSIS_DESIGN_H
#define WE_ANALYSIS_DESIGN_H

#include <stddef.h>

#include "config/config.h"
#include "data/panel.h"
#include "methods/methods.h"
#include "model/design.h"
#include "util/error.h"

int we_run_design_build(we_run_design *rd, const we_config *c,
                        const we_panel *p, we_error *err);

/* A copy of src (over A areas) whose sample keeps the treated areas with
 * keep_treated[i] and the comparison areas with keep_comparison[i] (NULL:
 * all); a treated area left out leaves the sample. Matching and an
 * experiment's `municipalities` make their designs this way. */
int we_run_design_subset(we_run_design *dst, const we_run_design *src,
                         size_t A, const unsigned char *keep_treated,
                         const unsigned char *keep_comparison, we_error *err);

/* The design of an experiment with rows in data.assignment (its id):
 * treated are its assigned wijken, each from its own start; compared are
 * the programme wijken (src's treated) outside the experiment under
 * WE_EXP_CMP_PROGRAMME, where areas outside the programme leave the
 * sample, or src's comparison group (outside the programme) under
 * WE_EXP_CMP_UNTREATED and WE_EXP_CMP_MATCHED (the pool matching draws
 * from). Errors name the assignment file and line. *n_overlap counts its
 * wijken that other experiments also have. */
int we_run_design_experiment(we_run_design *dst, const we_run_design *src,
                             const we_config *c, const we_panel *p,
                             const char *experiment, we_exp_comparison mode,
                             size_t *n_overlap, we_error *err);

#endif
