/* The displacement (waterbed) finding as the model records it: per
 * indicator, the ring's DiD against the areas further away and its
 * verdict. */
#ifndef WE_MODEL_DISPLACEMENT_H
#define WE_MODEL_DISPLACEMENT_H

#include <stddef.h>

#include "wijkeval/plugin.h"

typedef enum we_disp_verdict {
    WE_DISP_NO_EVIDENCE = 0, /* the interval covers 0 */
    WE_DISP_DISPLACEMENT = 1, /* the ring worsened: interval excludes 0 on
                                 the bad side */
    WE_DISP_SPILLOVER = 2,    /* the ring improved: a spill-over of the
                                 improvement */
    WE_DISP_NOT_ESTIMABLE = 3 /* see `error` */
} we_disp_verdict;

typedef struct we_disp_row {
    const char *indicator; /* the config's string */
    const char *label_en, *label_nl, *unit; /* the catalogue's */
    int lower_is_better;
    we_estimate est;       /* TWFE: n_treated = ring areas, n_control = far */
    we_disp_verdict verdict;
    char error[256];       /* when not estimable */
} we_disp_row;

typedef struct we_disp_result {
    size_t n_ring, n_far;  /* areas in the ring and in the far group */
    const char *neighbours; /* "adjacency" or "centroids" */
    double band_m;         /* centroids only, else 0 */
    double alpha;
    we_disp_row *rows;
    size_t n_rows;
} we_disp_result;

void we_disp_free(we_disp_result *r);

const char *we_disp_verdict_name(we_disp_verdict v);

#endif
