/* The host's own additions to every result, after the plugins ran:
 * bootstrap inference, effect sizes, event study and pre-trend test,
 * randomisation inference, MDE, adjusted p-values and evidence levels. */
#ifndef WE_ANALYSIS_ENRICH_H
#define WE_ANALYSIS_ENRICH_H

#include <stdint.h>

#include "analysis/design.h"
#include "config/config.h"
#include "data/panel.h"
#include "model/run.h"
#include "util/error.h"
#include "util/progress.h"

typedef struct we_enrich_env {
    const we_config *cfg;
    const we_panel *panel;
    const we_run_design *rd;
    we_progress *progress; /* NULL, or a line advanced per result (its
                              total is set to the number of results) */
    size_t jobs;           /* threads; 0 or 1: this thread only */
} we_enrich_env;

/* Keeps the analytic CR1 p-value and interval of a TWFE result whose
 * p-value and interval came from the bootstrap (x.has_cr1), and records
 * whether that bootstrap enumerated every sign vector
 * (x.boot_enumerated). */
void we_result_keep_cr1(const we_config *c, we_result_rec *r);

/* Sets x.descriptive and x.descriptive_reason when the row's p-value and
 * interval are not valid inference for the design d: one treated
 * cluster, where only the placebo and randomisation methods are (every
 * other method is flagged), and cluster-robust t inference (did_2x2,
 * twfe without the wild bootstrap, cs's clustered influence function)
 * with fewer than WE_MIN_TREATED_CLUSTERS treated clusters, where it
 * over-rejects (MacKinnon and Webb 2017; docs/validation.md). */
#define WE_MIN_TREATED_CLUSTERS 6
void we_result_flag_descriptive(const we_design *d, we_result_rec *r);

/* The MDE of a design result (cs, sc, sdid) by simulation from its own
 * estimator (methods/inference.h we_mde_design), into x.mde; the
 * simulated panels are the config's inference.mde_simulations (200 when
 * that is 0, since there is no analytic MDE for these designs). err
 * says why when x.has_mde stays 0. */
void we_result_design_mde(const we_config *c, const we_design *d,
                          const double *y, uint64_t seed, we_result_rec *r,
                          we_error *err);

/* Enrichment in two steps, so that the run's headline family is complete
 * before anything that depends on it is judged:
 *
 * we_enrich_results adds the extras to every result of every ok
 * experiment of `run` (not run->programme), the p-values adjusted within
 * each experiment and method and across experiments (which need all
 * results), each result's evidence level and each experiment's headline.
 *
 * we_enrich_headlines then adjusts the headlines across the run (one
 * family: every experiment's headline and run->programme's, when it has
 * one, enriched by we_enrich_results on a run of its own), assesses each
 * headline's evidence with the larger of its two adjusted p-values, and
 * makes the verdicts and warnings (analysis/judge.h) and the trend and
 * per-wijk views (analysis/views.h) of the experiments and the programme
 * row. Call it once, after every member of the family is enriched. */
int we_enrich_results(const we_enrich_env *env, we_run *run);
int we_enrich_headlines(const we_enrich_env *env, we_run *run);

#endif
