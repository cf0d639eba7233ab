/* Files that appear whole or not at all: each is written to a temporary
 * ".<name>.tmp.<pid>" beside its place, synced, and renamed into place
 * only when every file of the set was written. The report and the
 * shard parts are written this way, so a crash, a full disk or a kill
 * never leaves a truncated file under a final name. */
#ifndef WE_UTIL_ATOMIC_FILE_H
#define WE_UTIL_ATOMIC_FILE_H

#include <stddef.h>
#include <stdio.h>

#include "util/error.h"

/* Writes the file's bytes to f; 0, or -1 with err set. */
typedef int (*we_file_writer)(const void *user, FILE *f, we_error *err);

typedef struct we_staged_file {
    char *final_path; /* <dir>/<name> */
    char *tmp_path;   /* <dir>/.<name>.tmp.<pid>, NULL once renamed */
} we_staged_file;

/* mkdir -p dir (mode 0755 before umask). */
int we_mkdirs(const char *dir, we_error *err);
/* Writes <dir>/.<name>.tmp.<pid> with `writer`, fsyncs and closes it.
 * On failure no temporary file is left and *out holds no paths. */
int we_file_stage(we_staged_file *out, const char *dir, const char *name,
                  we_file_writer writer, const void *user, we_error *err);
/* Renames every staged file into place. A target that is a directory is
 * found before the first rename, so such a failure changes nothing. */
int we_files_commit(we_staged_file *files, size_t n, const char *dir,
                    we_error *err);
/* Removes the temporary files that are still there and frees the paths. */
void we_files_discard(we_staged_file *files, size_t n);
/* Removes the temporaries ".<name>.tmp.<pid>" in dir, for each of the n
 * names, that a killed run left: only those whose process is gone. */
void we_files_sweep(const char *dir, const char *const *names, size_t n);

#endif
