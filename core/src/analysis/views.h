/* The report's views of an experiment's primary indicator, computed from
 * the panel once so that the renderers only read them: the treated and
 * comparison group means with their t bands per period, and each treated
 * wijk's signed gap to the gap reference (model/views.h). */
#ifndef WE_ANALYSIS_VIEWS_H
#define WE_ANALYSIS_VIEWS_H

#include <stddef.h>

#include "config/config.h"
#include "data/panel.h"
#include "model/run.h"

/* The mean of the members' finite values per period with its (1 - alpha)
 * t interval, t(n - 1) with n the period's finite values; lo and hi are
 * NaN with fewer than two, mean with none. y is areas x periods. */
void we_group_band_series(const double *y, size_t n_areas, size_t n_periods,
                          const unsigned char *member, double alpha,
                          double *mean, double *lo, double *hi);

/* Fills x->trend and x->per_wijk for x's primary indicator (the headline,
 * else its first primary result) on the design rd (replacing what they
 * held). rd NULL, no primary result or no values: no views. A gap
 * reference that cannot be computed leaves per_wijk.state FAILED. 0, or
 * -1 when out of memory. */
int we_views_experiment(const we_config *cfg, const we_panel *panel,
                        const we_run_design *rd, we_experiment_run *x);

/* The same for every ok experiment of the run (on its own design when it
 * has an assignment, else on rd) and for run->programme (on rd). */
int we_views_run(const we_config *cfg, const we_panel *panel,
                 const we_run_design *rd, we_run *run);

#endif
