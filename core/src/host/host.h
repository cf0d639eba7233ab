/* The host side of one experiment: the context a plugin's callbacks get,
 * the host-services table, and the init/evaluate/fini sequence. */
#ifndef WE_HOST_HOST_H
#define WE_HOST_HOST_H

#include <libconfig.h>

#include "config/config.h"
#include "data/panel.h"
#include "model/design.h"
#include "host/loader.h"
#include "model/run.h"
#include "wijkeval/plugin.h"

/* The design of an experiment's headline, for its config entry (NULL
 * when there is none) and design; the pipeline passes analysis/'s rule
 * (the host may not include analysis/). */
typedef we_method (*we_design_fn)(const we_experiment_cfg *exp,
                                  const we_design *d);

struct we_ctx {
    const we_config *cfg;
    const we_panel *panel;
    const we_run_design *rd;
    const we_plugin *plugin;
    const config_setting_t *settings; /* may be NULL */
    we_target_cfg *targets;           /* effective targets (names borrowed) */
    size_t n_targets;
    we_experiment_run *out;
    int verbosity; /* messages up to this we_log_level are printed */
    /* When set, host->log hands each message (up to verbosity) to this
     * instead of printing it: the mock host collects them for tests. */
    void (*log_sink)(void *user, we_log_level level, const char *message);
    void *log_user;
    char error[WE_ERROR_MAX];
    char method_error[WE_ERROR_MAX]; /* why the last host->estimate failed */
    /* The first result or metric the host refused; it fails the
     * evaluation even when the plugin ignores emit_*'s return value. */
    char emit_error[WE_ERROR_MAX];
    /* The experiment's config entry, for its isolation limits; set by
     * we_ctx_open (NULL: the run-level limits). */
    const we_experiment_cfg *exp;
    /* In an isolated child, its memory limit (0 none): an out-of-memory
     * failure names it. */
    long memory_limit_mb;
    /* The host table the plugin is given; NULL for we_host_table(). The
     * mock host passes an older minor's, to test a plugin's fallbacks. */
    const we_host *host;
    /* host->headline's design: the one the report's headline uses for
     * this experiment (the pipeline hands analysis/'s choice in); NULL:
     * TWFE. */
    we_design_fn design;
};

const we_host *we_host_table(void);

/* Runs init, evaluate and fini of ctx->plugin and records the outcome in
 * ctx->out (status, error, results, metrics). Returns 0 when ok. With
 * cfg->isolation.enabled (the default) this happens in a child process
 * under the experiment's time and memory limits (host/isolate.h), so a
 * crashing or hanging plugin fails only its own experiment. */
int we_host_execute(we_ctx *ctx);

/* What a context is opened with: the run's config, panel and design, the
 * plugin and its settings, where its outcome goes, and how its messages
 * are shown. The pipeline, the mock host and check-plugin all open their
 * contexts this way. */
typedef struct we_ctx_params {
    const we_config *cfg;
    const we_panel *panel;
    const we_run_design *rd;
    const we_plugin *plugin;
    const config_setting_t *settings;  /* may be NULL */
    const we_experiment_cfg *exp;      /* the config's entry, or NULL: the
                                          plugin's own targets and the
                                          run-level limits */
    we_experiment_run *out;
    int verbosity;
    void (*log_sink)(void *user, we_log_level level, const char *message);
    void *log_user;
    const we_host *host;               /* NULL: we_host_table() */
    we_design_fn design;               /* NULL: headline is TWFE */
} we_ctx_params;

/* Opens ctx and resolves the effective targets: the config's overrides or
 * the plugin's defaults; each must be in the catalogue with data, in the
 * direction the plugin expects. On failure err says which and why. Close
 * with we_ctx_close in either case. */
int we_ctx_open(we_ctx *ctx, const we_ctx_params *p, we_error *err);
void we_ctx_close(we_ctx *ctx);

#endif
