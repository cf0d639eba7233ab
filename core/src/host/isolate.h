/* Running one experiment's plugin in a child process, so that a crash,
 * a hang, a runaway allocation or an exit() costs only that experiment.
 *
 * The child keeps no descriptor but stdin, stdout, stderr and its pipe,
 * loads the plugin itself when the host knows it only by its descriptor
 * (we_isolate_probe), runs init -> evaluate -> fini with the real host
 * table, sends what the plugin emitted over a pipe (host/wire.h), then
 * unloads the plugin (its destructors run there too). The host reads
 * it against the time limit, validates it, and classifies how the child
 * ended. The host's enrichment of the results runs later, in the host. */
#ifndef WE_HOST_ISOLATE_H
#define WE_HOST_ISOLATE_H

#include <stddef.h>

#include "config/config.h"
#include "host/host.h"
#include "host/wire.h"

/* Told when the plugin is about to enter each stage. */
typedef void (*we_stage_fn)(void *user, we_wire_stage stage);

/* Runs init, evaluate and fini in this process and records the outcome in
 * ctx->out (execute.c). on_stage may be NULL. Returns 0 when ok. */
int we_host_run_plugin(we_ctx *ctx, we_stage_fn on_stage, void *user);

/* The same in a child process under lim's time_limit and memory_limit_mb
 * (lim->enabled is not consulted). Every way the child can end becomes a
 * failed experiment with a precise error; returns 0 when ok. */
int we_isolate_execute(we_ctx *ctx, const we_isolation_cfg *lim);

/* The most children (and threads) a run uses at once. */
#define WE_MAX_JOBS 256

/* The same for n experiments, ctx[k] under lim[k], with at most `jobs`
 * children running at once. Each experiment's outcome is in its ctx->out,
 * as if it had run alone. The host must not have threads running: a fork
 * copies only the calling thread, and locks the others held. */
void we_isolate_execute_many(we_ctx *const *ctx,
                             const we_isolation_cfg *lim, size_t n,
                             size_t jobs);

/* Loads the plugin at path in a child process under lim's time and
 * memory limits and reads its descriptor from there (host/wire.h): no
 * plugin code (constructors, the entry function, destructors) runs in
 * this process. p becomes a remote plugin (host/loader.h) whose code each
 * experiment's child loads again. A child that crashes, exits, hangs or
 * sends nothing usable is an error whose message says "while loading"
 * (or "while unloading", for a destructor); the loader's own refusals
 * (ABI, missing fields) come back as they are. */
int we_isolate_probe(we_plugin *p, const char *path,
                     const we_isolation_cfg *lim, we_error *err);

/* "SIGSEGV (segmentation fault)", or "signal 42". */
void we_signal_describe(int sig, char *buf, size_t n);

/* 1 when the memory limit is applied: not under AddressSanitizer, whose
 * shadow memory reserves terabytes of address space. */
int we_isolate_memory_limit_supported(void);

#endif
