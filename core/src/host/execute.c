/* One experiment: resolve its indicators, then init -> evaluate -> fini. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/host.h"
#include "host/isolate.h"

static int check_target(we_ctx *ctx, const char *name, we_direction expect,
                        we_error *err)
{
    const we_panel *p = ctx->panel;
    long k = we_panel_indicator(p, name);
    if (k < 0)
        return we_fail(err, WE_EINVAL,
                       "indicator '%s' is not in the catalogue %s; "
                       "add it there or correct the name",
                       name, ctx->cfg->catalog_path);
    if (p->values[k] == NULL)
        return we_fail(err, WE_EINVAL, "indicator '%s' has no rows in %s",
                       name, ctx->cfg->indicators_path);
    if (expect != WE_DIRECTION_FROM_CATALOG &&
        expect != p->catalog[k].direction)
        return we_fail(err, WE_EINVAL,
                       "indicator '%s': the plugin expects %s but "
                       "the catalogue says %s",
                       name,
                       expect > 0 ? "higher_is_better" : "lower_is_better",
                       p->catalog[k].direction > 0 ? "higher_is_better"
                                                   : "lower_is_better");
    return 0;
}

static int resolve_targets(we_ctx *ctx, const we_experiment_cfg *ec,
                           we_error *err)
{
    const we_plugin_descriptor *d = &ctx->plugin->desc;
    size_t n = ec && ec->n_targets ? ec->n_targets : d->n_indicators;
    ctx->targets = calloc(n, sizeof *ctx->targets);
    if (ctx->targets == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    ctx->n_targets = n;
    for (size_t k = 0; k < n; k++) {
        we_direction expect = WE_DIRECTION_FROM_CATALOG;
        if (ec && ec->n_targets) {
            ctx->targets[k] = ec->targets[k];
        } else {
            ctx->targets[k].name = (char *)d->indicators[k].name;
            ctx->targets[k].role = d->indicators[k].role;
            expect = d->indicators[k].direction;
        }
        if (check_target(ctx, ctx->targets[k].name, expect, err) != 0)
            return -1;
    }
    return 0;
}

int we_ctx_open(we_ctx *ctx, const we_ctx_params *p, we_error *err)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->cfg = p->cfg;
    ctx->panel = p->panel;
    ctx->rd = p->rd;
    ctx->plugin = p->plugin;
    ctx->settings = p->settings;
    ctx->exp = p->exp;
    ctx->out = p->out;
    ctx->verbosity = p->verbosity;
    ctx->log_sink = p->log_sink;
    ctx->log_user = p->log_user;
    ctx->host = p->host;
    ctx->design = p->design;
    return resolve_targets(ctx, p->exp, err);
}

void we_ctx_close(we_ctx *ctx)
{
    free(ctx->targets);
    ctx->targets = NULL;
    ctx->n_targets = 0;
}

static void set_failure(we_ctx *ctx, const char *msg)
{
    ctx->out->status = WE_EXP_FAILED;
    free(ctx->out->error);
    ctx->out->error = we_strdup(msg);
}

/* In an isolated child an allocation fails at the memory limit: say so,
 * since raising it is the likely fix. */
static void memory_hint(const we_ctx *ctx, int rc, char *buf, size_t n)
{
    buf[0] = '\0';
    if (rc == WE_ENOMEM && ctx->memory_limit_mb > 0)
        snprintf(buf, n, " (out of memory; the experiment's memory limit "
                         "is %ld MB: memory_limit_mb)",
                 ctx->memory_limit_mb);
}

static void record_failure(we_ctx *ctx, const char *stage, int rc)
{
    char msg[2 * WE_ERROR_MAX + 64], hint[128];
    memory_hint(ctx, rc, hint, sizeof hint);
    if (ctx->error[0] != '\0')
        snprintf(msg, sizeof msg, "%s: %s%s", stage, ctx->error, hint);
    else if (ctx->method_error[0] != '\0')
        snprintf(msg, sizeof msg, "%s returned %d: %s%s", stage, rc,
                 ctx->method_error, hint);
    else
        snprintf(msg, sizeof msg, "%s returned %d without a message%s",
                 stage, rc, hint);
    set_failure(ctx, msg);
}

static void enter(we_stage_fn on_stage, void *user, we_wire_stage s)
{
    if (on_stage != NULL)
        on_stage(user, s);
}

/* The plugin owns the state init returns and frees it in fini; without
 * a fini it leaks in every run, so the experiment fails and says how to
 * fix it. */
static int check_state(we_ctx *ctx, const void *state)
{
    if (state == NULL || ctx->plugin->desc.fini != NULL)
        return 0;
    set_failure(ctx, "init: the plugin keeps a state (init set *state) "
                     "but has no fini to release it; add a fini callback "
                     "to its descriptor");
    return -1;
}

static void evaluated(we_ctx *ctx, int rc)
{
    char msg[WE_ERROR_MAX + 64];
    if (rc != WE_OK) {
        record_failure(ctx, "evaluate", rc);
    } else if (ctx->emit_error[0] != '\0') {
        snprintf(msg, sizeof msg, "evaluate: the host refused a result "
                                  "and the plugin went on: %s",
                 ctx->emit_error);
        set_failure(ctx, msg);
    } else if (ctx->out->n_results == 0) {
        record_failure(ctx, "evaluate emitted no results; it", rc);
    }
}

int we_host_run_plugin(we_ctx *ctx, we_stage_fn on_stage, void *user)
{
    const we_plugin_descriptor *d = &ctx->plugin->desc;
    const we_host *host = ctx->host ? ctx->host : we_host_table();
    void *state = NULL;
    ctx->error[0] = ctx->method_error[0] = ctx->emit_error[0] = '\0';
    ctx->out->status = WE_EXP_OK;
    enter(on_stage, user, WE_STAGE_INIT);
    int rc = d->init ? d->init(host, ctx, &state) : WE_OK;
    if (rc != WE_OK) {
        record_failure(ctx, "init", rc);
        return -1;
    }
    if (check_state(ctx, state) != 0)
        return -1;
    enter(on_stage, user, WE_STAGE_EVALUATE);
    evaluated(ctx, d->evaluate(host, ctx, state));
    enter(on_stage, user, WE_STAGE_FINI);
    if (d->fini)
        d->fini(state);
    return ctx->out->status == WE_EXP_OK ? 0 : -1;
}

int we_host_execute(we_ctx *ctx)
{
    const we_isolation_cfg *run = &ctx->cfg->isolation;
    /* A remote plugin's code is not in this process: it runs isolated
     * whatever the config says. */
    if (!run->enabled && !ctx->plugin->remote)
        return we_host_run_plugin(ctx, NULL, NULL);
    we_isolation_cfg lim = *run;
    if (ctx->exp != NULL) {
        lim.time_limit = ctx->exp->time_limit;
        lim.memory_limit_mb = ctx->exp->memory_limit_mb;
    }
    return we_isolate_execute(ctx, &lim);
}
