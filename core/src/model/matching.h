/* An experiment's matched comparison group as the model records it: the
 * design with the matched sample, the matches and the balance table. */
#ifndef WE_MODEL_MATCHING_H
#define WE_MODEL_MATCHING_H

#include "config/config.h"
#include "methods/match.h"
#include "model/design.h"

typedef struct we_experiment_matching {
    we_run_design rd;      /* the run's design with the matched sample */
    we_match_panel match;  /* matches, weights and the balance table */
    char *indicator;       /* whose pre-period path was matched on */
    const we_matching_cfg *cfg;
} we_experiment_matching;

void we_matching_free(we_experiment_matching *em);

#endif
