/* The deterministic generator of the simulated demo panel (and, later, of
 * national-scale panels). Everything it writes is labelled simulated. */
#ifndef WE_SIMULATE_SIMULATE_H
#define WE_SIMULATE_SIMULATE_H

#include <stdint.h>

#include "util/error.h"

typedef struct we_sim_options {
    const char *out_dir;          /* created if missing */
    const char *catalog_path;     /* the indicator catalogue CSV */
    const char *krachtwijken_path;/* the 40 krachtwijken CSV */
    uint64_t seed;
} we_sim_options;

/* Writes areas.csv, catalog.csv, indicators.csv, treatment.csv and
 * truth.csv (the manifest of injected effects) into out_dir. */
int we_simulate_demo(const we_sim_options *opt, we_error *err);

#endif
