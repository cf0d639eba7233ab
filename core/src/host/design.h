/* The run's design, derived once from the config and the panel: who is
 * treated from when, who is compared, the clusters and the gap groups. */
#ifndef WE_HOST_DESIGN_H
#define WE_HOST_DESIGN_H

#include <stddef.h>

#include "config/config.h"
#include "data/panel.h"
#include "methods/methods.h"
#include "util/error.h"

typedef struct we_run_design {
    long *treated_from;         /* period index, -1 = never */
    unsigned char *comparison;  /* 1 = comparison area */
    unsigned char *in_sample;   /* treated or comparison */
    int *municipality;          /* group id per area */
    int *cluster;               /* = municipality or area index */
    double *weight;             /* population for the gap, or NULL */
    size_t *followup;
    size_t n_followup;
    size_t baseline;
    size_t n_treated, n_comparison;
    we_design d;                /* points into the arrays above */
} we_run_design;

int we_run_design_build(we_run_design *rd, const we_config *c,
                        const we_panel *p, we_error *err);
void we_run_design_free(we_run_design *rd);

#endif
