/* Parts of `wijkeval estimate` shared by its two source files. */
#ifndef WE_CLI_CLI_ESTIMATE_H
#define WE_CLI_CLI_ESTIMATE_H

#include <stdio.h>

#include "config/config.h"
#include "data/panel.h"
#include "model/run.h"
#include "util/error.h"

typedef struct est_args {
    const char *data, *areas, *catalog, *indicator, *treated, *treatment;
    const char *adjacency; /* NULL, or area,neighbour: the ring leaves the
                              comparison group, as in a run */
    int from, baseline, json;
    we_method method;
    we_cluster cluster;
    double alpha;
    we_infer_method inference; /* for twfe: auto, cr1 or wild */
    size_t reps;               /* wild bootstrap replications */
    int webb;                  /* Webb instead of Rademacher weights */
    uint64_t seed;
    int matched;          /* --comparison matched */
    const char *programme; /* --programme FILE: area,from of the programme;
                              --treatment is then the experiment's */
    int cmp_untreated;     /* --comparison untreated (with --programme) */
    int cmp_programme;     /* --comparison programme given */
    size_t match_k;       /* --match-k */
    int match_propensity; /* --match-method propensity */
    size_t jobs;          /* --jobs: indicators estimated at once */
} est_args;

/* Fills the few config fields the design needs from the options: the
 * treated areas (--treated/--from or --treatment), baseline, follow-up. */
int build_estimate_config(we_config *c, const est_args *a,
                          const we_panel *p, we_error *err);
void free_estimate_config(we_config *c);
/* The text output; mde_why: why there is no MDE ("" when there is one or
 * none was asked for). */
void print_estimate(FILE *out, const we_result_rec *r, const we_config *c,
                    const char *mde_why);

#endif
