/* Which design an experiment's headline uses (Callaway-Sant'Anna,
 * synthetic control, synthetic DiD or TWFE), and why, in one line. */
#ifndef WE_ANALYSIS_DESIGN_CHOICE_H
#define WE_ANALYSIS_DESIGN_CHOICE_H

#include <stddef.h>

#include "config/config.h"
#include "methods/methods.h"

/* The design an experiment's headline uses, and a one-line reason, for
 * the experiment's configured choice: auto picks cs with several
 * treatment waves, sdid with fewer than 5 treated areas, twfe otherwise. */
we_method we_design_choose(we_design_choice choice, const we_design *d,
                           char *reason, size_t n);

/* The same for an experiment's config entry (NULL: design = "auto"),
 * without the reason: the we_design_fn the pipeline, check-plugin and
 * the mock host hand the host for host->headline. */
we_method we_design_for(const we_experiment_cfg *exp, const we_design *d);

#endif
