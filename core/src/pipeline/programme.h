/* The programme's own row (config `programme = { indicators }`): the
 * wijkenaanpak as a whole, its wijken against wijken outside it, on the
 * monitor's headline indicators, through the same estimate path and the
 * same inference as the experiments. */
#ifndef WE_PIPELINE_PROGRAMME_H
#define WE_PIPELINE_PROGRAMME_H

#include "analysis/enrich.h"
#include "model/run.h"

/* Fills *out (zeroed by the caller) for the run's design: a built-in
 * evaluation run through the host in this process, then the results'
 * enrichment on it alone (we_enrich_results); its headline's adjustment
 * across the run's headlines, evidence label and verdict come with the
 * experiments' (we_enrich_headlines, once the row is in run->programme).
 * A failure of the evaluation is recorded in out
 * (status, error), like a plugin's; -1 only when out of memory. */
int we_programme_evaluate(const we_enrich_env *env, we_experiment_run *out);

#endif
