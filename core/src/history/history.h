/* The run history: every finished run of wijkeval in an embedded SQLite
 * database, and the comparison of a run with the previous one of its
 * series (docs/history.md). The history reads the model (we_run) and
 * writes SQLite; it builds the since_previous model object, which the
 * report renders. Nothing here ever stops a report: the pipeline turns
 * an error into a warning. */
#ifndef WE_HISTORY_HISTORY_H
#define WE_HISTORY_HISTORY_H

#include <stddef.h>

#include "model/goals.h"
#include "model/run.h"
#include "model/since_previous.h"
#include "util/error.h"

/* The schema this build writes (PRAGMA user_version). Older ones are
 * migrated on open; a newer one is refused. */
#define WE_HISTORY_SCHEMA 3

typedef struct we_history we_history;

/* Opens (creating it when absent) the history at path: WAL mode, a busy
 * timeout of busy_ms milliseconds, foreign keys on, the schema migrated
 * to WE_HISTORY_SCHEMA. Errors name the file and say what to do. */
int we_history_open(we_history **h, const char *path, int busy_ms,
                    we_error *err);
/* Opens an existing history only (the `history` commands): no file, no
 * history. */
int we_history_open_existing(we_history **h, const char *path, int busy_ms,
                             we_error *err);
void we_history_close(we_history *h);
int we_history_schema_version(we_history *h);

/* What is recorded of a run. */
typedef struct we_history_input {
    const we_run *run;
    const we_targets_eval *targets; /* NULL when the run judged none */
    const we_policy_eval *policy;   /* NULL when the run had no costs */
    const char *series;
    const char *report_dir;
} we_history_input;

/* Records the run in one transaction: all of it, or nothing. A run with
 * a failed experiment is recorded with status "partial". */
int we_history_record(we_history *h, const we_history_input *in, long *id,
                      we_error *err);

/* Builds the comparison of the run with the run compare_with (> 0), or
 * else with the latest run of in->series. *found is 0 when there is no
 * earlier run of the series (then out is empty, and it is no error). */
int we_history_compare(we_history *h, const we_history_input *in,
                       long compare_with, we_since_previous *out, int *found,
                       we_error *err);

/* ---- the `history` commands ------------------------------------------ */

typedef struct we_history_run_row {
    long id;
    char name[128], series[128], status[16], version[32];
    char started[32], finished[32];
    char config[512], config_sha256[65], data_sha256[65];
    int baseline, first_period, last_period;
    long n_experiments;
} we_history_run_row;

/* One experiment of one run (show and trend). */
typedef struct we_history_exp_row {
    long run_id;
    char finished[32];
    int last_period;
    char id[128];
    we_sp_side side;
} we_history_exp_row;

/* Runs, newest first; series NULL: all. */
int we_history_list(we_history *h, const char *series,
                    we_history_run_row **rows, size_t *n, we_error *err);
/* One run and its experiments; *found 0 when there is no such run. */
int we_history_show(we_history *h, long id, we_history_run_row *run,
                    we_history_exp_row **exps, size_t *n, int *found,
                    we_error *err);
/* Every experiment of every run of the series, oldest run first. */
int we_history_trend(we_history *h, const char *series,
                     we_history_exp_row **rows, size_t *n, we_error *err);
/* Deletes a run and everything recorded of it; *found 0 when none. */
int we_history_forget(we_history *h, long id, int *found, we_error *err);

#endif
