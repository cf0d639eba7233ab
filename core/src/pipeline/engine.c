/* A whole run: config -> panel -> design -> every experiment -> report. */
/* realpath() is an X/Open extension of POSIX. */
#define _XOPEN_SOURCE 700
#include "pipeline/engine.h"

#include <gsl/gsl_errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/design.h"
#include "analysis/design_choice.h"
#include "analysis/analysis.h"
#include "analysis/enrich.h"
#include "analysis/judge.h"
#include "analysis/matching.h"
#include "analysis/goals/goals_view.h"
#include "history/history.h"
#include "analysis/side_effects.h"
#include "host/host.h"
#include "host/isolate.h"
#include "host/sandbox.h"
#include "host/wire.h"
#include "pipeline/programme.h"
#include "pipeline/shard.h"
#include "report/report.h"
#include "util/parallel.h"
#include "util/progress.h"
#include "util/stageclock.h"
#include "util/text.h"

typedef struct engine {
    const we_run_options *opt;
    we_config cfg;
    we_panel panel;
    we_run_design rd;
    we_plugin_dirs dirs;
    we_plugin *plugins;     /* one per experiment; path NULL = failed */
    we_experiment_matching *matchings; /* per experiment; used when its
                                          config asks for matching */
    we_run_design *restricted; /* per experiment with `municipalities`:
                                  the run's design within them; with an
                                  assignment: its own design */
    size_t *n_overlap;      /* per experiment with an assignment */
    char **load_errors;     /* per experiment */
    we_run run;
    size_t jobs;            /* children and threads at once */
    we_shard_set parts;     /* wijkeval merge: the experiments' messages */
    we_stage_clock clock;   /* --timings */
    char sandbox[320];      /* we_run's sandbox: "strict" or "off: why" */
    /* The optional analyses (analysis/analysis.h): each one's state,
     * NULL when the config does not ask for it, and the run's entries. */
    void **analysis_state;
    we_analysis_out *analyses;
} engine;

/* The file is found by the configured id, so a descriptor with another id
 * is another plugin under a borrowed name: its results would be reported
 * as the configured experiment's. */
static int check_id(we_plugin *p, const char *id, we_error *err)
{
    if (strcmp(p->desc.id, id) == 0)
        return 0;
    we_fail(err, WE_EINVAL,
            "%s: the plugin's descriptor has id '%s', not '%s'; "
            "a plugin's file must be named after its id (%s.so), "
            "or configure plugin = \"%s\"",
            p->path, p->desc.id, id, p->desc.id, p->desc.id);
    we_plugin_unload(p);
    return -1;
}

/* With isolation (the default) the plugin is loaded in a child process
 * under the experiment's limits and only its descriptor comes back: no
 * plugin code runs in wijkeval's process. Without isolation it is
 * dlopen'ed here, and its constructors run in wijkeval. */
static int load_plugin(const engine *e, const we_experiment_cfg *ec,
                       we_plugin *p, const char *path, we_error *err)
{
    if (!e->cfg.isolation.enabled)
        return we_plugin_load(p, path, err);
    we_isolation_cfg lim = e->cfg.isolation;
    lim.time_limit = ec->time_limit;
    lim.memory_limit_mb = ec->memory_limit_mb;
    return we_isolate_probe(p, path, &lim, err);
}

static int load_plugins(engine *e, we_error *err)
{
    size_t n = e->cfg.n_experiments;
    e->plugins = calloc(n, sizeof *e->plugins);
    e->load_errors = calloc(n, sizeof *e->load_errors);
    if (e->plugins == NULL || e->load_errors == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t k = 0; k < n; k++) {
        const we_experiment_cfg *ec = &e->cfg.experiments[k];
        we_error lerr = {{0}};
        char *path = we_plugin_find(ec->plugin, e->dirs.dirs, e->dirs.n,
                                    &lerr);
        /* A plugin that is not there is the config's mistake: stop
         * before any work, with the nearest id (exit 2). */
        if (path == NULL)
            return we_fail(err, WE_EINVAL,
                           "%s: experiment %zu (plugin = "
                           "\"%s\"): %s",
                           e->cfg.path, k + 1, ec->plugin, lerr.msg);
        if (load_plugin(e, ec, &e->plugins[k], path, &lerr) ||
            check_id(&e->plugins[k], ec->plugin, &lerr)) {
            e->load_errors[k] = we_strdup(lerr.msg);
            free(path);
            continue;
        }
        free(path);
        const we_plugin_descriptor *d = &e->plugins[k].desc;
        /* A settings mistake is a config error: stop before any work. */
        if (we_config_check_settings(&e->cfg, ec->settings, d->settings,
                                     d->n_settings, ec->plugin, err) != 0)
            return -1;
    }
    return 0;
}

/* The experiment's primary indicator: the config's override, else the
 * plugin's. */
static const char *primary_of(const we_experiment_cfg *ec,
                              const we_plugin_descriptor *d)
{
    for (size_t k = 0; k < ec->n_targets; k++)
        if (ec->targets[k].role == WE_ROLE_PRIMARY)
            return ec->targets[k].name;
    for (size_t k = 0; k < d->n_indicators; k++)
        if (d->indicators[k].role == WE_ROLE_PRIMARY)
            return d->indicators[k].name;
    return NULL;
}

/* The design of experiments that name their municipalities: treated
 * areas elsewhere leave the sample. A code without treated areas is a
 * config error. */
static int restrict_experiment(engine *e, size_t k, we_error *err)
{
    const we_experiment_cfg *ec = &e->cfg.experiments[k];
    size_t A = e->panel.n_areas;
    unsigned char *keep = calloc(A ? A : 1, 1);
    if (keep == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t m = 0; m < ec->n_municipalities; m++) {
        size_t here = 0;
        for (size_t i = 0; i < A; i++)
            if (strcmp(e->panel.areas[i].municipality,
                       ec->municipalities[m]) == 0 &&
                e->rd.treated_from[i] >= 0) {
                keep[i] = 1;
                here++;
            }
        if (here == 0) {
            free(keep);
            return we_fail(err, WE_EINVAL,
                           "%s:%d: experiment '%s': municipality %s "
                           "has no treated area; list municipalities "
                           "with treated areas, or fix the code",
                           e->cfg.path, ec->line, ec->plugin,
                           ec->municipalities[m]);
        }
    }
    int rc = we_run_design_subset(&e->restricted[k], &e->rd, A, keep, NULL,
                                  err);
    free(keep);
    return rc;
}

/* An experiment with rows in data.assignment: its own wijken from its
 * own starts against its comparison (matching draws from the wijken
 * outside the programme). */
static int assign_experiment(engine *e, size_t k, we_error *err)
{
    const we_experiment_cfg *ec = &e->cfg.experiments[k];
    we_exp_comparison mode = ec->comparison == WE_EXP_CMP_PROGRAMME
                                 ? WE_EXP_CMP_PROGRAMME
                                 : WE_EXP_CMP_UNTREATED;
    return we_run_design_experiment(&e->restricted[k], &e->rd, &e->cfg,
                                    &e->panel, ec->plugin, mode,
                                    &e->n_overlap[k], err);
}

static int build_restrictions(engine *e, we_error *err)
{
    size_t n = e->cfg.n_experiments;
    e->restricted = calloc(n ? n : 1, sizeof *e->restricted);
    e->n_overlap = calloc(n ? n : 1, sizeof *e->n_overlap);
    if (e->restricted == NULL || e->n_overlap == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t k = 0; k < n; k++) {
        const we_experiment_cfg *ec = &e->cfg.experiments[k];
        if ((ec->n_assigned > 0 && assign_experiment(e, k, err) != 0) ||
            (ec->n_municipalities > 0 && restrict_experiment(e, k, err) != 0))
            return -1;
    }
    return 0;
}

/* The design experiment k starts from: its assignment's, its
 * municipalities', or the run's. */
static const we_run_design *base_design(const engine *e, size_t k)
{
    const we_experiment_cfg *ec = &e->cfg.experiments[k];
    return ec->n_municipalities > 0 || ec->n_assigned > 0 ? &e->restricted[k]
                                                          : &e->rd;
}

/* Builds the matched comparison groups. A matching that fails fails its
 * experiment, not the run. */
static int build_matchings(engine *e, we_error *err)
{
    size_t n = e->cfg.n_experiments;
    e->matchings = calloc(n, sizeof *e->matchings);
    if (e->matchings == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t k = 0; k < n; k++) {
        const we_experiment_cfg *ec = &e->cfg.experiments[k];
        if (!ec->matching.enabled || e->load_errors[k] != NULL)
            continue;
        const char *name = primary_of(ec, &e->plugins[k].desc);
        we_error merr = {{0}};
        if (name == NULL ||
            we_matching_build(&e->matchings[k], &e->cfg, &e->panel,
                              base_design(e, k), ec, name, &merr) != 0)
            e->load_errors[k] = we_strdup(merr.msg[0] ? merr.msg
                                                      : "no primary "
                                                        "indicator to "
                                                        "match on");
    }
    return 0;
}

static void set_identity(we_experiment_run *x, const we_plugin *p,
                         const char *id)
{
    const we_plugin_descriptor *d = &p->desc;
    x->id = we_strdup(id);
    x->title_nl = we_strdup(d->title_nl ? d->title_nl : id);
    x->title_en = we_strdup(d->title_en ? d->title_en : id);
    x->version = we_strdup(d->version ? d->version : "");
    x->summary = we_strdup(d->summary ? d->summary : "");
    x->summary_nl = d->summary_nl && *d->summary_nl
                        ? we_text_sanitize(we_strdup(d->summary_nl))
                        : NULL;
}

/* Sets up experiment k for its run: ctx, or 0 when it has already
 * failed (loading, matching, targets). */
static int prepare_experiment(engine *e, size_t k, we_ctx *ctx)
{
    we_experiment_run *x = &e->run.experiments[k];
    const we_experiment_cfg *ec = &e->cfg.experiments[k];
    set_identity(x, &e->plugins[k], ec->plugin);
    x->comparison = ec->comparison;
    x->n_overlap = e->n_overlap != NULL ? e->n_overlap[k] : 0;
    if (e->load_errors[k] != NULL) {
        x->status = WE_EXP_FAILED;
        x->error = we_strdup(e->load_errors[k]);
        return 0;
    }
    const we_experiment_matching *m = &e->matchings[k];
    x->matching = m->indicator != NULL ? m : NULL;
    x->rd = x->matching ? &m->rd : base_design(e, k);
    we_ctx_params params = {
        .cfg = &e->cfg,
        .panel = &e->panel,
        .rd = x->rd,
        .plugin = &e->plugins[k],
        .settings = ec->settings,
        .exp = ec,
        .out = x,
        .verbosity = e->opt->verbosity,
        .design = we_design_for,
    };
    we_error err = {{0}};
    if (we_ctx_open(ctx, &params, &err) != 0) {
        x->status = WE_EXP_FAILED;
        x->error = we_strdup(err.msg);
        return 0;
    }
    return 1;
}

/* wijkeval merge: what experiment k's plugin returned in its shard, as
 * if its child had just sent it. */
static void adopt_part(engine *e, size_t k, we_ctx *ctx)
{
    we_wire_msg m;
    we_error err = {{0}};
    char msg[2 * WE_ERROR_MAX];
    int bad = we_wire_decode(e->parts.msg[k], e->parts.len[k], &m, &err);
    if (!bad && (!m.complete || !m.has_outcome))
        bad = (we_fail(&err, WE_EINVAL, "the message is incomplete"), 1);
    if (!bad)
        bad = we_wire_validate_in(
            &m,
            &(we_result_scope){ctx->targets, ctx->n_targets,
                               ctx->panel ? ctx->panel->n_areas : 0,
                               ctx->panel ? ctx->panel->n_periods : 0},
            &err);
    if (bad) {
        snprintf(msg, sizeof msg, "its results in the part file are "
                 "invalid: %s", err.msg);
        ctx->out->status = WE_EXP_FAILED;
        ctx->out->error = we_strdup(msg);
    } else {
        we_wire_adopt(ctx->out, &m);
    }
    we_wire_msg_free(&m);
}

/* Isolated experiments run side by side, one child process each, up to
 * --jobs at a time; without isolation they run here one after another.
 * A shard runs only its own experiments; a merge runs none. */
static void run_experiments(engine *e, we_ctx *ctx, we_ctx **ready,
                            we_isolation_cfg *lim, we_progress *pg)
{
    size_t n = e->cfg.n_experiments, n_ready = 0;
    for (size_t k = 0; k < n; k++) {
        we_progress_update(pg, k, e->cfg.experiments[k].plugin);
        if (!we_shard_mine(k, e->run.shard_index, e->run.shard_count))
            continue;
        if (!prepare_experiment(e, k, &ctx[k]))
            continue;
        if (e->opt->n_merge_parts > 0) {
            adopt_part(e, k, &ctx[k]);
            continue;
        }
        if (!e->cfg.isolation.enabled) {
            we_host_execute(&ctx[k]);
            continue;
        }
        lim[n_ready] = e->cfg.isolation;
        lim[n_ready].time_limit = ctx[k].exp ? ctx[k].exp->time_limit
                                             : lim[n_ready].time_limit;
        lim[n_ready].memory_limit_mb = ctx[k].exp
                                           ? ctx[k].exp->memory_limit_mb
                                           : lim[n_ready].memory_limit_mb;
        ready[n_ready++] = &ctx[k];
    }
    we_isolate_execute_many(ready, lim, n_ready, e->jobs);
    for (size_t k = 0; k < n; k++)
        we_ctx_close(&ctx[k]);
}

static void apply_overrides(engine *e)
{
    const we_run_options *o = e->opt;
    if (o->has_seed)
        e->cfg.seed = o->seed;
    if (o->formats != 0)
        e->cfg.formats = o->formats;
}

static char *report_dir(const engine *e)
{
    const char *base = e->opt->output_dir ? e->opt->output_dir
                                          : e->cfg.output_dir;
    size_t n = strlen(base) + strlen(e->cfg.name) + 2;
    char *dir = malloc(n);
    if (dir != NULL)
        snprintf(dir, n, "%s/%s", base, e->cfg.name);
    return dir;
}

/* The history file: --history, history.file, else history.sqlite in the
 * directory that holds the report directory. */
static char *history_file(const engine *e)
{
    if (e->opt->history_path != NULL)
        return we_strdup(e->opt->history_path);
    if (e->cfg.history_path != NULL)
        return we_strdup(e->cfg.history_path);
    const char *base = e->opt->output_dir ? e->opt->output_dir
                                          : e->cfg.output_dir;
    size_t n = strlen(base) + sizeof "/history.sqlite";
    char *path = malloc(n);
    if (path != NULL)
        snprintf(path, n, "%s/history.sqlite", base);
    return path;
}

/* The history's part of a run (docs/history.md): opened before the
 * report, so that the report can say what changed since the previous
 * run; the run itself is recorded once its report is written. A history
 * that fails is a warning, never a reason to keep the report back. */
typedef struct history_step {
    char *path;
    we_history *h;
    we_since_previous sp;
    int failed;
} history_step;

static void history_warn(history_step *hs, const engine *e, char *msg)
{
    hs->failed = 1;
    if (e->opt->verbosity >= WE_LOG_ERROR)
        fprintf(stderr, "wijkeval: warning: %s (the report is written "
                "without it; exit code 3)\n", we_text_sanitize(msg));
}

static we_history_input history_input(engine *e, const char *dir)
{
    return (we_history_input){.run = &e->run,
                              .targets = goals_targets(&e->run),
                              .policy = goals_policy(&e->run),
                              .series = e->cfg.series ? e->cfg.series
                                                      : e->cfg.name,
                              .report_dir = dir};
}

static void history_before(engine *e, history_step *hs, const char *dir)
{
    memset(hs, 0, sizeof *hs);
    if (e->opt->no_history || e->opt->shard_count > 0)
        return;
    we_error err = {{0}};
    if ((hs->path = history_file(e)) == NULL) {
        char oom[] = "out of memory";
        history_warn(hs, e, oom);
        return;
    }
    if (we_history_open(&hs->h, hs->path, 10000, &err) != 0) {
        history_warn(hs, e, err.msg);
        return;
    }
    we_history_input in = history_input(e, dir);
    int found = 0;
    if (we_history_compare(hs->h, &in, e->opt->compare_with, &hs->sp, &found,
                           &err) != 0)
        history_warn(hs, e, err.msg);
    else if (found)
        e->run.since_previous = &hs->sp;
}

static void history_after(engine *e, history_step *hs, const char *dir)
{
    if (hs->h == NULL)
        return;
    we_history_input in = history_input(e, dir);
    we_error err = {{0}};
    long id = 0;
    if (we_history_record(hs->h, &in, &id, &err) != 0)
        history_warn(hs, e, err.msg);
    else {
        e->run.history_path = hs->path;
        e->run.history_id = id;
    }
}

static void history_end(engine *e, history_step *hs)
{
    e->run.since_previous = NULL;
    we_since_previous_free(&hs->sp);
    we_history_close(hs->h);
    free(hs->path);
}

static void stage_done(engine *e, const char *stage)
{
    we_stage_clock_lap(&e->clock, stage);
}

static we_analysis_env analysis_env(const engine *e)
{
    return (we_analysis_env){.cfg = &e->cfg, .panel = &e->panel,
                             .rd = &e->rd};
}

/* The optional analyses read and check their inputs after the design
 * (costs must belong to treated wijken) and before any plugin runs, so
 * that a mistake in them costs nothing. */
static int prepare_analyses(engine *e, we_error *err)
{
    e->analysis_state = calloc(we_n_analyses, sizeof *e->analysis_state);
    e->analyses = calloc(we_n_analyses, sizeof *e->analyses);
    if (e->analysis_state == NULL || e->analyses == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    we_analysis_env env = analysis_env(e);
    for (size_t k = 0; k < we_n_analyses; k++) {
        e->analyses[k].name = we_analyses[k]->name;
        e->analyses[k].render = we_analyses[k]->render;
        if (we_analyses[k]->prepare(&env, &e->analysis_state[k], err) != 0)
            return -1;
    }
    return 0;
}

/* After the inference: an analysis may read the headline estimates. */
static int evaluate_analyses(engine *e, we_error *err)
{
    we_analysis_env env = analysis_env(e);
    for (size_t k = 0; k < we_n_analyses; k++) {
        if (e->analysis_state[k] == NULL)
            continue;
        e->analyses[k].result = we_analyses[k]->evaluate(
            &env, e->analysis_state[k], &e->run, err);
        if (e->analyses[k].result == NULL)
            return -1;
    }
    return 0;
}

/* Whether plugins run sandboxed (isolation.sandbox): "strict" refuses to
 * run them where the kernel cannot sandbox, unless --allow-unsandboxed;
 * anything but a sandbox is said on the terminal and in the report. */
static int decide_sandbox(engine *e, we_error *err)
{
    we_isolation_cfg *iso = &e->cfg.isolation;
    char why[256];
    if (!iso->enabled)
        snprintf(why, sizeof why, "isolation.enabled = false: plugins run "
                 "inside wijkeval");
    else if (!iso->sandbox)
        snprintf(why, sizeof why, "isolation.sandbox = \"off\"");
    else if (!we_sandbox_available(why, sizeof why)) {
        if (!e->opt->allow_unsandboxed)
            return we_fail(err, WE_EINVAL, "%s: plugins not sandboxed: %s; "
                           "isolation.sandbox = \"strict\" does not run "
                           "them so: pass --allow-unsandboxed to run them "
                           "anyway", e->cfg.path, why);
        iso->sandbox = 0;
        size_t len = strlen(why);
        snprintf(why + len, sizeof why - len, " (--allow-unsandboxed)");
    } else {
        snprintf(e->sandbox, sizeof e->sandbox, "strict");
        return 0;
    }
    iso->sandbox = 0;
    snprintf(e->sandbox, sizeof e->sandbox, "off: %s", why);
    if (e->opt->n_merge_parts == 0 && e->opt->verbosity >= WE_LOG_WARNING)
        fprintf(stderr, "wijkeval: warning: plugins not sandboxed: %s\n",
                why);
    return 0;
}

/* What needs no data: the config, the sandbox decision and the plugins
 * (an id that is not found stops here), so that the output can be
 * claimed before the panel is read. */
static int prepare_config(engine *e, we_error *err)
{
    if (we_config_load(&e->cfg, e->opt->config_path, err) != 0)
        return -1;
    apply_overrides(e);
    if (decide_sandbox(e, err) != 0)
        return -1;
    we_plugin_dirs_default(&e->dirs, e->opt->plugin_dirs,
                           e->opt->n_plugin_dirs, e->cfg.plugin_dirs,
                           e->cfg.n_plugin_dirs);
    return load_plugins(e, err);
}

/* Every input file read and the designs built, before any plugin runs. */
static int prepare_data(engine *e, we_error *err)
{
    if (we_panel_load(&e->panel, e->cfg.areas_path, e->cfg.indicators_path,
                      e->cfg.catalog_path, err) != 0)
        return -1;
    if (e->cfg.municipalities_path != NULL &&
        we_panel_name_municipalities(&e->panel, e->cfg.municipalities_path,
                                     err) != 0)
        return -1;
    stage_done(e, "load");
    /* The experiments' own designs (assignment, municipalities) before
     * the analyses, whose costs are checked against them. */
    if (we_judge_check(&e->cfg, &e->panel, err) != 0 ||
        we_run_design_build(&e->rd, &e->cfg, &e->panel, err) != 0 ||
        build_restrictions(e, err) != 0 || prepare_analyses(e, err) != 0)
        return -1;
    if (e->rd.n_no_population > 0 && e->opt->verbosity >= WE_LOG_WARNING)
        fprintf(stderr, "wijkeval: warning: gap.weighted is set, but %zu "
                        "areas of %s have no population; the gap reference "
                        "is unweighted (give every area a population, or "
                        "set gap.weighted = false)\n",
                e->rd.n_no_population, e->cfg.areas_path);
    int rc = build_matchings(e, err);
    stage_done(e, "design");
    return rc;
}

/* Progress goes to stderr, and only to a terminal and without -q. */
static FILE *progress_stream(const engine *e)
{
    return we_progress_wanted(isatty(fileno(stderr)),
                              e->opt->verbosity < WE_LOG_WARNING)
               ? stderr
               : NULL;
}

static int execute(engine *e, we_error *err)
{
    size_t n = e->cfg.n_experiments;
    e->run = (we_run){.cfg = &e->cfg, .panel = &e->panel, .rd = &e->rd,
                      .version = WE_VERSION, .started = time(NULL),
                      .sandbox = e->sandbox};
    e->run.experiments = calloc(n, sizeof *e->run.experiments);
    we_ctx *ctx = calloc(n, sizeof *ctx);
    /* An array of pointers. */
    we_ctx **ready = calloc(n, sizeof *ready); // NOLINT(bugprone-sizeof-expression)
    we_isolation_cfg *lim = calloc(n, sizeof *lim);
    if (e->run.experiments == NULL || ctx == NULL || ready == NULL ||
        lim == NULL) {
        free(ctx);
        free(ready);
        free(lim);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    e->run.n_experiments = n;
    e->run.analyses = e->analyses;
    e->run.n_analyses = we_n_analyses;
    e->run.shard_index = e->opt->shard_index;
    e->run.shard_count = e->opt->shard_count;
    if (e->opt->n_merge_parts > 0 &&
        we_shard_read(&e->parts, e->opt->merge_parts, e->opt->n_merge_parts,
                      &e->run, err) != 0) {
        free(ctx);
        free(ready);
        free(lim);
        return -1;
    }
    we_progress pg;
    we_progress_begin(&pg, progress_stream(e), "experiments", n);
    run_experiments(e, ctx, ready, lim, &pg);
    free(ctx);
    free(ready);
    free(lim);
    stage_done(e, "plugins");
    int failed = 0;
    for (size_t k = 0; k < n; k++)
        failed += we_shard_mine(k, e->run.shard_index, e->run.shard_count) &&
                  e->run.experiments[k].status != WE_EXP_OK;
    if (e->run.shard_count > 0) { /* the merge does the rest */
        we_progress_end(&pg);
        return failed;
    }
    we_progress_begin(&pg, progress_stream(e), "inference", 0);
    we_enrich_env env = {.cfg = &e->cfg, .panel = &e->panel, .rd = &e->rd,
                         .progress = &pg, .jobs = e->jobs};
    int rc = we_enrich_results(&env, &e->run);
    we_progress_end(&pg);
    if (rc != 0)
        return we_fail(err, WE_ENOMEM,
                       "out of memory adding inference to results");
    if (e->cfg.programme_enabled) {
        e->run.programme = calloc(1, sizeof *e->run.programme);
        if (e->run.programme == NULL ||
            we_programme_evaluate(&env, e->run.programme) != 0)
            return we_fail(err, WE_ENOMEM,
                           "out of memory evaluating the programme");
    }
    /* The programme row is in the headline family: adjusted, labelled and
     * judged with the experiments, once all of them are enriched. */
    if (we_enrich_headlines(&env, &e->run) != 0)
        return we_fail(err, WE_ENOMEM, "out of memory judging the headlines");
    stage_done(e, "inference");
    if (evaluate_analyses(e, err) != 0)
        return -1;
    if (we_side_effects_run(&e->cfg, &e->panel, &e->run) != 0)
        return we_fail(err, WE_ENOMEM,
                       "out of memory listing the side effects");
    e->run.finished = time(NULL);
    return failed;
}

/* --shard: the part file instead of the report. */
static int write_part(engine *e, we_output *out)
{
    we_error err = {{0}};
    char *path = NULL;
    if (we_shard_write(&e->run, out->canon, out, &path, &err) != 0) {
        fprintf(stderr, "wijkeval: cannot write the part file: %s\n",
                we_text_sanitize(err.msg));
        return 2;
    }
    stage_done(e, "report");
    if (e->opt->verbosity >= WE_LOG_WARNING)
        printf("part %zu of %zu written to %s\nmerge all %zu parts with: "
               "wijkeval merge CONFIG PART...\n", e->run.shard_index,
               e->run.shard_count, path, e->run.shard_count);
    free(path);
    return 0;
}

static void engine_free(engine *e)
{
    for (size_t k = 0; k < e->run.n_experiments; k++)
        we_experiment_run_free(&e->run.experiments[k]);
    free(e->run.experiments);
    we_run_side_effects_free(&e->run);
    if (e->run.programme != NULL)
        we_experiment_run_free(e->run.programme);
    free(e->run.programme);
    for (size_t k = 0; e->plugins && k < e->cfg.n_experiments; k++) {
        we_plugin_unload(&e->plugins[k]);
        free(e->load_errors[k]);
    }
    for (size_t k = 0; e->matchings && k < e->cfg.n_experiments; k++)
        we_matching_free(&e->matchings[k]);
    free(e->matchings);
    for (size_t k = 0; e->restricted && k < e->cfg.n_experiments; k++)
        we_run_design_free(&e->restricted[k]);
    free(e->restricted);
    free(e->n_overlap);
    free(e->plugins);
    free(e->load_errors);
    we_plugin_dirs_free(&e->dirs);
    we_shard_set_free(&e->parts);
    for (size_t k = 0; e->analysis_state && k < we_n_analyses; k++)
        we_analyses[k]->free(e->analysis_state[k]);
    free(e->analysis_state);
    free(e->analyses);
    we_run_design_free(&e->rd);
    we_panel_free(&e->panel);
    we_config_free(&e->cfg);
}

int we_engine_run(const we_run_options *opt)
{
    gsl_set_error_handler_off();
    engine e;
    memset(&e, 0, sizeof e);
    e.opt = opt;
    e.jobs = opt->jobs > 0 ? opt->jobs : we_default_jobs();
    we_stage_clock_start(&e.clock);
    we_error err = {{0}};
    if (prepare_config(&e, &err) != 0) {
        fprintf(stderr, "wijkeval: %s\n", we_text_sanitize(err.msg));
        engine_free(&e);
        return 2;
    }
    /* Claimed before the panel is read, so that an output directory that
     * cannot be written stops the run at once; held from before the
     * owner check until the report is in place. */
    char *dir = report_dir(&e);
    we_output out;
    if (dir == NULL ||
        we_output_claim(&out, dir, &e.cfg, opt->force, opt->shard_count > 0,
                        opt->shard_count > 0 ? 0 : e.cfg.formats, &err) != 0) {
        fprintf(stderr, "wijkeval: %s\n",
                dir ? we_text_sanitize(err.msg) : "out of memory");
        free(dir);
        engine_free(&e);
        return 2;
    }
    if (prepare_data(&e, &err) != 0) {
        we_output_release(&out);
        free(dir);
        fprintf(stderr, "wijkeval: %s\n", we_text_sanitize(err.msg));
        engine_free(&e);
        return 2;
    }
    int failed = execute(&e, &err);
    if (failed < 0) {
        we_output_release(&out);
        free(dir);
        fprintf(stderr, "wijkeval: %s\n", we_text_sanitize(err.msg));
        engine_free(&e);
        return 2;
    }
    int rc = failed > 0 ? 1 : 0;
    history_step hs;
    history_before(&e, &hs, dir);
    if (opt->shard_count > 0) {
        rc = write_part(&e, &out) != 0 ? 2 : rc;
    } else if (we_report_write_owned(&e.run, &out, e.cfg.formats, &err)) {
        fprintf(stderr, "wijkeval: cannot write the report: %s\n",
                we_text_sanitize(err.msg));
        rc = 2;
    } else {
        stage_done(&e, "report");
        /* Only a run whose report is complete is recorded. */
        history_after(&e, &hs, dir);
        if (opt->on_report != NULL)
            opt->on_report(opt->on_report_user, &e.run, dir);
    }
    if (hs.failed && rc == 0)
        rc = 3;
    history_end(&e, &hs);
    we_output_release(&out);
    if (opt->timings_path != NULL &&
        we_stage_clock_write(&e.clock, opt->timings_path, &err) != 0) {
        fprintf(stderr, "wijkeval: %s\n", we_text_sanitize(err.msg));
        rc = 2;
    }
    free(dir);
    engine_free(&e);
    return rc;
}
