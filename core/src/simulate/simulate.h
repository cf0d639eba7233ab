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

/* The national-scale panel (docs/performance.md): n_areas buurten in
 * n_munis municipalities, n_periods periods from first_period, the
 * experiments' target indicators plus others up to n_indicators. Treated:
 * the krachtwijken's buurten from 2008, a second wave from
 * WE_NATIONAL_FROM_WAVE2. */
enum { WE_NATIONAL_FROM_WAVE2 = 2011 };

typedef struct we_national_options {
    const char *out_dir;
    const char *catalog_path;
    const char *krachtwijken_path;
    uint64_t seed;
    size_t n_areas;      /* 13000 */
    size_t n_munis;      /* 350 */
    size_t n_indicators; /* 40 */
    int first_period;    /* 2000 */
    int n_periods;       /* 20 */
} we_national_options;

int we_simulate_national(const we_national_options *o, we_error *err);

#endif
