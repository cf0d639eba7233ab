/* The programme row: a built-in evaluation with the plugins' shape (a
 * descriptor whose evaluate asks the host for every method on its
 * targets), so that its estimates come from the host's one estimate path
 * and the enrichment adds the same inference, headline design and
 * evidence as for the experiments. */
#include "pipeline/programme.h"

#include <stdlib.h>
#include <string.h>

#include "host/host.h"
#include "host/isolate.h"
#include "host/loader.h"
#include "util/text.h"

static int programme_evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    (void)state;
    return h->evaluate_targets(ctx, WE_METHODS_ALL);
}

static const we_plugin_descriptor PROGRAMME_DESC = {
    .abi_major = WE_ABI_MAJOR,
    .abi_minor = WE_ABI_MINOR,
    .struct_size = sizeof(we_plugin_descriptor),
    .id = "programme",
    .title_nl = "Wijkenaanpak (het programma als geheel)",
    .title_en = "Wijkenaanpak (the programme as a whole)",
    .version = "",
    .summary = "Did the wijkenaanpak work? Programme wijken against wijken "
               "outside the programme.",
    .summary_nl = "Werkte de wijkenaanpak? Aandachtswijken tegen wijken "
                  "buiten de wijkenaanpak.",
    .evaluate = programme_evaluate,
};

static void set_identity(we_experiment_run *x)
{
    const we_plugin_descriptor *d = &PROGRAMME_DESC;
    x->id = we_strdup(d->id);
    x->title_nl = we_strdup(d->title_nl);
    x->title_en = we_strdup(d->title_en);
    x->version = we_strdup(d->version);
    x->summary = we_strdup(d->summary);
    x->summary_nl = we_strdup(d->summary_nl);
    x->comparison = WE_EXP_CMP_RUN;
    x->is_programme = 1;
}

/* The programme as an experiment of the config: the first indicator is
 * its primary, the others secondary; the headline design is chosen as
 * for the experiments (auto). */
static int programme_cfg(const we_config *c, we_experiment_cfg *ec)
{
    memset(ec, 0, sizeof *ec);
    ec->plugin = (char *)PROGRAMME_DESC.id;
    ec->line = c->programme_line;
    ec->n_targets = c->n_programme_indicators;
    ec->targets = calloc(ec->n_targets ? ec->n_targets : 1,
                         sizeof *ec->targets);
    if (ec->targets == NULL)
        return -1;
    for (size_t k = 0; k < ec->n_targets; k++) {
        ec->targets[k].name = c->programme_indicators[k];
        ec->targets[k].role = k == 0 ? WE_ROLE_PRIMARY : WE_ROLE_SECONDARY;
    }
    ec->time_limit = c->isolation.time_limit;
    ec->memory_limit_mb = c->isolation.memory_limit_mb;
    return 0;
}

int we_programme_evaluate(const we_enrich_env *env, we_experiment_run *out)
{
    we_experiment_cfg ec;
    if (programme_cfg(env->cfg, &ec) != 0)
        return -1;
    set_identity(out);
    out->rd = env->rd;
    we_plugin plugin = {.desc = PROGRAMME_DESC};
    we_ctx ctx;
    we_error err = {{0}};
    we_ctx_params params = {.cfg = env->cfg, .panel = env->panel,
                            .rd = env->rd, .plugin = &plugin, .exp = &ec,
                            .out = out, .verbosity = WE_LOG_ERROR};
    if (we_ctx_open(&ctx, &params, &err) != 0) {
        out->status = WE_EXP_FAILED;
        out->error = we_strdup(err.msg);
    } else {
        we_host_run_plugin(&ctx, NULL, NULL);
    }
    we_ctx_close(&ctx);
    int rc = 0;
    if (out->status == WE_EXP_OK) {
        /* The enrichment of a run that holds the programme alone, with
         * the programme as its one experiment; its headline joins the
         * run's family, adjusted and judged with the experiments' (the
         * engine's we_enrich_headlines). */
        we_config c1 = *env->cfg;
        c1.experiments = &ec;
        c1.n_experiments = 1;
        we_enrich_env e1 = *env;
        e1.cfg = &c1;
        e1.progress = NULL;
        we_run one = {.cfg = &c1, .panel = env->panel, .rd = env->rd,
                      .experiments = out, .n_experiments = 1};
        rc = we_enrich_results(&e1, &one);
    }
    free(ec.targets);
    return rc;
}
