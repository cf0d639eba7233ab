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
    /* With data.adjacency or data.centroids: the untreated neighbours of
     * treated areas (the ring), each from the earliest start among its
     * treated neighbours, else -1. They are left out of the comparison
     * group. NULL without neighbours. */
    long *ring_from;
    size_t n_ring;
    we_design d;                /* points into the arrays above */
} we_run_design;

int we_run_design_build(we_run_design *rd, const we_config *c,
                        const we_panel *p, we_error *err);
void we_run_design_free(we_run_design *rd);

/* A copy of src (over A areas) whose sample keeps the treated areas with
 * keep_treated[i] and the comparison areas with keep_comparison[i] (NULL:
 * all); a treated area left out leaves the sample. Matching and an
 * experiment's `municipalities` make their designs this way. */
int we_run_design_subset(we_run_design *dst, const we_run_design *src,
                         size_t A, const unsigned char *keep_treated,
                         const unsigned char *keep_comparison, we_error *err);

#endif
