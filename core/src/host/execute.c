/* One experiment: resolve its indicators, then init -> evaluate -> fini. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/enrich.h"
#include "host/host.h"

static int check_target(we_ctx *ctx, const char *name, we_direction expect,
                        we_error *err)
{
    const we_panel *p = ctx->panel;
    long k = we_panel_indicator(p, name);
    if (k < 0)
        return we_errorf(err, "indicator '%s' is not in the catalogue %s; "
                              "add it there or correct the name",
                         name, ctx->cfg->catalog_path);
    if (p->values[k] == NULL)
        return we_errorf(err, "indicator '%s' has no rows in %s", name,
                         ctx->cfg->indicators_path);
    if (expect != WE_DIRECTION_FROM_CATALOG &&
        expect != p->catalog[k].direction)
        return we_errorf(err, "indicator '%s': the plugin expects %s but "
                              "the catalogue says %s",
                         name,
                         expect > 0 ? "higher_is_better" : "lower_is_better",
                         p->catalog[k].direction > 0 ? "higher_is_better"
                                                     : "lower_is_better");
    return 0;
}

int we_host_resolve_targets(we_ctx *ctx, const we_experiment_cfg *ec,
                            we_error *err)
{
    const we_plugin_descriptor *d = &ctx->plugin->desc;
    size_t n = ec && ec->n_targets ? ec->n_targets : d->n_indicators;
    ctx->targets = calloc(n, sizeof *ctx->targets);
    if (ctx->targets == NULL)
        return we_errorf(err, "out of memory");
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

static void record_failure(we_ctx *ctx, const char *stage, int rc)
{
    char msg[WE_ERROR_MAX + 64];
    if (ctx->error[0] != '\0')
        snprintf(msg, sizeof msg, "%s: %s", stage, ctx->error);
    else if (ctx->method_error[0] != '\0')
        snprintf(msg, sizeof msg, "%s returned %d: %s", stage, rc,
                 ctx->method_error);
    else
        snprintf(msg, sizeof msg, "%s returned %d without a message", stage,
                 rc);
    ctx->out->status = WE_EXP_FAILED;
    free(ctx->out->error);
    ctx->out->error = we_strdup(msg);
}

int we_host_execute(we_ctx *ctx)
{
    const we_plugin_descriptor *d = &ctx->plugin->desc;
    const we_host *host = we_host_table();
    void *state = NULL;
    ctx->error[0] = ctx->method_error[0] = '\0';
    ctx->out->status = WE_EXP_OK;
    int rc = d->init ? d->init(host, ctx, &state) : WE_OK;
    if (rc != WE_OK) {
        record_failure(ctx, "init", rc);
        return -1;
    }
    rc = d->evaluate(host, ctx, state);
    if (rc != WE_OK)
        record_failure(ctx, "evaluate", rc);
    else if (ctx->out->n_results == 0)
        record_failure(ctx, "evaluate emitted no results; it", rc);
    if (d->fini)
        d->fini(state);
    return ctx->out->status == WE_EXP_OK ? 0 : -1;
}

void we_experiment_run_free(we_experiment_run *e)
{
    free(e->id);
    free(e->title_nl);
    free(e->title_en);
    free(e->version);
    free(e->summary);
    free(e->error);
    for (size_t k = 0; k < e->n_results; k++) {
        free(e->results[k].indicator);
        we_result_extra_free(&e->results[k].x);
    }
    free(e->results);
    for (size_t k = 0; k < e->n_metrics; k++) {
        free(e->metrics[k].name);
        free(e->metrics[k].unit);
        free(e->metrics[k].description);
    }
    free(e->metrics);
    memset(e, 0, sizeof *e);
}
