/* The two optional inputs that answer the letter's own commitments: the
 * targets each wijk named itself (data.targets) and what each experiment
 * cost (data.costs). File formats: docs/data.md. Both are checked
 * against the panel and the run when read, so a mistake stops the run
 * before any work with "file:line:column: what; what to do". */
#ifndef WE_DATA_GOALS_H
#define WE_DATA_GOALS_H

#include <stddef.h>

#include "data/panel.h"
#include "util/error.h"

/* ---- targets -------------------------------------------------------------- */

/* One self-named target: a value of a catalogue indicator to reach by a
 * deadline (numeric), or an improvement the wijk reports as realised or
 * not (an item: no indicator). */
typedef struct we_wijk_target {
    size_t area;        /* panel area index */
    long indicator;     /* panel indicator index; -1 for an item */
    double target;      /* numeric: the value to reach; NaN for an item */
    int realised;       /* item: 1 yes, 0 no; -1 for a numeric target */
    int deadline;       /* the last period in which it counts, e.g. 2009 */
    char *description;  /* "" when not given */
    size_t line;        /* line in the file, for messages */
} we_wijk_target;

typedef struct we_wijk_targets {
    char *path;
    char sha256[65];
    we_wijk_target *t;
    size_t n;
} we_wijk_targets;

/* Reads a targets file (columns area,indicator,target_value,deadline and
 * optionally description). */
int we_targets_load(we_wijk_targets *out, const char *path,
                    const we_panel *p, we_error *err);
void we_targets_free(we_wijk_targets *t);

/* ---- costs ---------------------------------------------------------------- */

typedef struct we_cost_row {
    size_t experiment;  /* index into the config's experiments */
    size_t area;        /* panel area index */
    int period;
    double amount_eur;  /* >= 0 */
    size_t line;
} we_cost_row;

typedef struct we_costs {
    char *path;
    char sha256[65];
    we_cost_row *rows;
    size_t n;
} we_costs;

/* Reads a costs file (columns experiment,area,period,amount_eur).
 * experiment must be one of the n_experiments ids; area a panel area
 * with treated[k * n_areas + area] set for that experiment k (costs are
 * those of the experiment's own wijken: its assignment, else the run's
 * treated wijken). */
int we_costs_load(we_costs *out, const char *path, const we_panel *p,
                  const char *const *experiments, size_t n_experiments,
                  const unsigned char *treated, we_error *err);
void we_costs_free(we_costs *c);

#endif
