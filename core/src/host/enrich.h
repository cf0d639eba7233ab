/* The host's own additions to every result, after the plugins ran:
 * bootstrap inference, effect sizes, event study and pre-trend test,
 * randomisation inference, MDE, adjusted p-values and evidence levels. */
#ifndef WE_HOST_ENRICH_H
#define WE_HOST_ENRICH_H

#include <stdint.h>

#include "config/config.h"
#include "data/panel.h"
#include "host/design.h"
#include "host/run.h"
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

/* A seed for one random procedure on one indicator of one experiment. */
uint64_t we_derive_seed(uint64_t seed, const char *experiment,
                        const char *indicator, const char *procedure);

/* 1 when the TWFE p-value and interval come from the wild bootstrap:
 * method "wild", or "auto" with fewer than 42 clusters. */
int we_use_wild(const we_config *c, size_t n_clusters);

/* TWFE with the run's inference: the CR1 estimate, and the wild cluster
 * bootstrap's p-value and interval when we_use_wild says so (est->se
 * stays CR1). The rows are built once for both. */
int we_twfe_inferred(const we_config *c, const double *y,
                     const we_design *d, uint64_t seed, we_estimate *est,
                     we_error *err);

/* Keeps the analytic CR1 p-value and interval of a TWFE result whose
 * p-value and interval came from the bootstrap (x.has_cr1). */
void we_result_keep_cr1(const we_config *c, we_result_rec *r);

/* Adds the extras to every result of every ok experiment, then the
 * adjusted p-values (which need all results) and the evidence levels. */
int we_enrich_run(const we_enrich_env *env, we_run *run);

void we_result_extra_free(we_result_extra *x);

#endif
