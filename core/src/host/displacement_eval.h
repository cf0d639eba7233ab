/* Displacement (the waterbed effect): does a problem move from the
 * treated areas to their untreated neighbours? Per configured indicator,
 * a TWFE DiD of the ring (treated from the earliest start of its treated
 * neighbours) against the comparison areas outside it, with the run's
 * inference. Method: docs/methods.md, "Displacement". */
#ifndef WE_HOST_DISPLACEMENT_EVAL_H
#define WE_HOST_DISPLACEMENT_EVAL_H

#include "config/config.h"
#include "data/panel.h"
#include "host/design.h"
#include "util/error.h"
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

/* Every indicator in the catalogue and with data, a ring that is not
 * empty; else an error naming the config line. 0 when the group is
 * absent. */
int we_displacement_check(const we_config *c, const we_panel *p,
                          const we_run_design *rd, we_error *err);

/* 0, or -1 when memory runs out. An indicator whose DiD cannot be
 * estimated gets WE_DISP_NOT_ESTIMABLE with the reason. */
int we_displacement_evaluate(const we_config *c, const we_panel *p,
                             const we_run_design *rd, we_disp_result *r);

void we_disp_free(we_disp_result *r);

const char *we_disp_verdict_name(we_disp_verdict v);

#endif
