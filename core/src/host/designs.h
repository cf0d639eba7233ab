/* The comparison designs beyond TWFE (Callaway-Sant'Anna, synthetic
 * control, synthetic DiD) as the host runs them: with the run's settings,
 * one headline estimate each, and the full result kept for the report. */
#ifndef WE_HOST_DESIGNS_H
#define WE_HOST_DESIGNS_H

#include <stdint.h>

#include "config/config.h"
#include "methods/cs.h"
#include "methods/synth.h"
#include "methods/methods.h"
#include "util/error.h"

typedef struct we_design_detail {
    we_method method; /* WE_METHOD_CS, ... ; 0 when empty */
    int has_cs;
    we_cs_result cs;
    int has_sc;
    we_sc_result sc;
    int has_sdid;
    we_sdid_result sdid;
} we_design_detail;

/* 1 for the methods this module runs. */
int we_is_design_method(we_method m);

/* Runs design `m` on y and fills est (estimate, se, interval, p, counts,
 * inference). With detail != NULL the full result is kept there (free it
 * with we_design_detail_free). */
int we_design_estimate(const we_config *c, const we_design *d,
                       const double *y, we_method m, uint64_t seed,
                       we_estimate *est, we_design_detail *detail,
                       we_error *err);
void we_design_detail_free(we_design_detail *detail);

/* The design an experiment's headline uses, and a one-line reason, for
 * the experiment's configured choice: auto picks cs with several
 * treatment waves, sdid with fewer than 5 treated areas, twfe otherwise. */
we_method we_design_choose(we_design_choice choice, const we_design *d,
                           char *reason, size_t n);

#endif
