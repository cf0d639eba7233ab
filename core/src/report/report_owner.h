/* The report directory as wijkeval holds it for one run: refused when it
 * is a system directory; locked against a second run for the whole run;
 * owned by one config (the canonical path of the config file, with its
 * SHA-256), recorded in the marker file .wijkeval-owner together with the
 * manifest, the names of the files wijkeval wrote there. A file that is
 * not in the manifest is never replaced, not even with --force. */
#ifndef WE_REPORT_REPORT_OWNER_H
#define WE_REPORT_REPORT_OWNER_H

#include <stddef.h>

#include "model/run.h"
#include "util/atomic_file.h"
#include "util/error.h"

#define WE_OUTPUT_LOCK ".wijkeval.lock"
#define WE_OUTPUT_MARKER ".wijkeval-owner"

typedef struct we_output {
    char *dir;       /* as given: the messages name it */
    char *canon;     /* canonical: every file operation uses it */
    char *config;    /* canonical path of this run's config */
    char sha[65];    /* its SHA-256 */
    int lock_fd;     /* -1 when not held */
    char **files;    /* the manifest */
    size_t n_files;
    char *made_top;  /* the topmost directory this run created, or NULL */
    int own_marker;  /* this run wrote the first marker */
    int written;     /* files of this run went into place */
    int shared;      /* a shard: the lock is shared with other shards */
} we_output;

/* Takes dir for the report of cfg: refuses a system directory, creates
 * dir, refuses one that holds files but neither marker nor wijkeval
 * report, locks it (failing at once when another run holds it, naming
 * that run's pid and config; `shared`: a shard, which other shards may
 * run beside), refuses one owned by another config unless force, and
 * refuses one where report.json, results.csv, report.md or report.html
 * (those of `formats`) exist but are not in the manifest. On failure
 * nothing of the run is left in dir and o holds nothing. */
int we_output_claim(we_output *o, const char *dir, const we_config *cfg,
                    int force, int shared, unsigned formats, we_error *err);
/* Before the staged files are renamed into o's directory: refuses when a
 * target exists that is not in the manifest (naming it; nothing was
 * replaced), else records this config as the owner and the files in the
 * manifest, durably. */
int we_output_admit(we_output *o, const we_staged_file *files, size_t n,
                    we_error *err);
/* Releases the lock. A directory this run created, or a marker it wrote
 * first, is removed again when no file of the run went into place. */
void we_output_release(we_output *o);

#endif
