/* The run's design as the model records it: who is treated from when,
 * who is compared, the clusters and the gap groups. Built by
 * analysis/design.c, read by the host, the analyses and the report. */
#ifndef WE_MODEL_DESIGN_H
#define WE_MODEL_DESIGN_H

#include <stddef.h>

#include "methods/methods.h"

typedef struct we_run_design {
    long *treated_from;         /* period index, -1 = never */
    unsigned char *comparison;  /* 1 = comparison area */
    unsigned char *in_sample;   /* treated or comparison */
    int *municipality;          /* group id per area */
    int *cluster;               /* = municipality or area index */
    const int *gap_group;       /* the gap reference's groups: municipality
                                   (points into it), or NULL: national */
    double *weight;             /* population for the gap, or NULL */
    size_t n_no_population;     /* gap.weighted, but these areas have no
                                   population: the reference is
                                   unweighted (weight NULL) */
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

void we_run_design_free(we_run_design *rd);

#endif
