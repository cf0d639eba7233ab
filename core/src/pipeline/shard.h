/* Partial result sets: `wijkeval run --shard i/n` evaluates every n-th
 * experiment (those with index k, counted from 0, where k mod n = i - 1)
 * and writes what their plugins returned to <report dir>/part-i-of-n.wes;
 * `wijkeval merge CONFIG PART...` takes the n parts in place of running
 * the plugins and makes the common report. The host's inference runs at
 * the merge, seeded per task, so the merged report is the one a single
 * `wijkeval run` writes.
 *
 * A part file: "WESH", version u16, 0 u16, then the strings config_sha256,
 * data_sha256 and seed (decimal), u32 i, u32 n, u32 experiments in the
 * config, u32 experiments in the part, and per experiment u32 index,
 * string plugin id, u32 length and that many bytes of one wire message
 * (host/wire.h). Integers little-endian; a string is u32 length + bytes. */
#ifndef WE_HOST_SHARD_H
#define WE_HOST_SHARD_H

#include <stddef.h>

#include "model/run.h"
#include "report/report_owner.h"
#include "util/error.h"

#define WE_SHARD_VERSION 1

/* "i/n" with 1 <= i <= n <= 10000. */
int we_shard_parse(const char *text, size_t *index, size_t *count);
/* 1 when experiment k belongs to shard index/count. */
int we_shard_mine(size_t k, size_t index, size_t count);

/* Writes the part of run (run->shard_index of run->shard_count) into dir,
 * atomically; with o (the directory as report/report_owner.h holds it),
 * only when o admits it. Sets *path (malloc'd) to the file written. */
int we_shard_write(const we_run *run, const char *dir, we_output *o,
                   char **path, we_error *err);

/* The messages of a run's experiments, gathered from its parts. */
typedef struct we_shard_set {
    size_t n;                /* experiments of the config */
    unsigned char **msg;     /* per experiment, owned */
    size_t *len;
} we_shard_set;

/* Reads the part files against the run's config, seed and data: each must
 * match them, the parts must be 1..n of one n, each once. Errors name the
 * file and say what to do. */
int we_shard_read(we_shard_set *set, char *const *paths, size_t n_paths,
                  const we_run *run, we_error *err);
void we_shard_set_free(we_shard_set *set);

#endif
