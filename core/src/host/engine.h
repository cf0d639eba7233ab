/* Running a whole evaluation from a config file. */
#ifndef WE_HOST_ENGINE_H
#define WE_HOST_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

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
    size_t jobs;              /* parallel tasks; 0 = the processors */
    size_t shard_index;       /* --shard i/n (host/shard.h); 0: whole */
    size_t shard_count;
    char *const *merge_parts; /* wijkeval merge: the part files */
    size_t n_merge_parts;
    const char *timings_path; /* stage timings (TSV), or NULL */
} we_run_options;

/* Where plugins are looked for, in order: the command line, the config,
 * WIJKEVAL_PLUGIN_PATH (':'-separated), then the plugins/ directory next
 * to the executable (the build tree) and the installed
 * ../lib/wijkeval/plugins. Never the current directory. */
typedef struct we_plugin_dirs {
    char *dirs[32];
    size_t n;
} we_plugin_dirs;

void we_plugin_dirs_default(we_plugin_dirs *pd, char *const *cli,
                            size_t n_cli, const we_config *cfg);
void we_plugin_dirs_free(we_plugin_dirs *pd);

/* Returns the process exit code: 0 all ok, 1 report written but some
 * experiment failed, 2 usage/config/data error and nothing written. */
int we_engine_run(const we_run_options *opt);

#endif
