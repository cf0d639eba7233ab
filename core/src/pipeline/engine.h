/* Running a whole evaluation from a config file: the one place that wires
 * config -> data -> host -> analysis -> report. */
#ifndef WE_PIPELINE_ENGINE_H
#define WE_PIPELINE_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "model/run.h"

typedef struct we_run_options {
    const char *config_path;
    const char *output_dir;   /* overrides output.dir when not NULL */
    unsigned formats;         /* WE_FORMAT_* bits, 0 = from the config */
    int has_seed;
    uint64_t seed;            /* overrides inference.seed when has_seed */
    int verbosity;            /* a we_log_level: print up to this level */
    char *const *plugin_dirs; /* searched before the config's */
    size_t n_plugin_dirs;
    int force;                /* replace a report of another config */
    int allow_unsandboxed;    /* run plugins even where the kernel cannot
                                 sandbox them (isolation.sandbox) */
    size_t jobs;              /* parallel tasks; 0 = the processors */
    size_t shard_index;       /* --shard i/n (pipeline/shard.h); 0: whole */
    size_t shard_count;
    char *const *merge_parts; /* wijkeval merge: the part files */
    size_t n_merge_parts;
    const char *timings_path; /* stage timings (TSV), or NULL */
    /* The run history (docs/history.md): --history FILE overrides
     * history.file and the default DIR/history.sqlite; --no-history
     * skips it; --compare-with RUN_ID compares with that run instead of
     * the latest of the series (0: the latest). */
    const char *history_path;
    int no_history;
    long compare_with;
    /* Called once the report is written, with the run and the report
     * directory: the CLI prints its summary here. NULL: nothing. */
    void (*on_report)(void *user, const we_run *run, const char *dir);
    void *on_report_user;
} we_run_options;

/* Returns the process exit code: 0 all ok, 1 report written but some
 * experiment failed, 2 usage/config/data error and nothing written, 3
 * report written and every experiment ok, but the history could not be
 * read or written (a warning said why). */
int we_engine_run(const we_run_options *opt);

#endif
