/* `wijkeval check-plugin FILE.so`: loads a plugin, validates it and runs
 * it on the demo panel, twice, printing a pass/fail list. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "cli/cli.h"
#include "config/config.h"
#include "host/design.h"
#include "host/host.h"
#include "host/loader.h"

static const char check_usage[] =
    "usage: wijkeval check-plugin FILE.so [--demo DIR]\n"
    "Validates the descriptor and ABI, runs the plugin on the simulated\n"
    "demo panel twice and checks that every result is finite, belongs to a\n"
    "declared indicator and is the same both times.\n";

typedef struct check_env {
    we_config cfg;
    we_panel panel;
    we_run_design rd;
    we_plugin plugin;
    int failures;
} check_env;

static void report(check_env *env, int ok, const char *what, const char *why)
{
    printf("  [%s] %s%s%s\n", ok ? "pass" : "FAIL", what, ok ? "" : ": ",
           ok ? "" : why);
    env->failures += !ok;
}

/* A throw-away config for the demo panel with this one plugin. */
static int write_config(char *path, const char *demo, const char *id,
                        const char *plugin_dir)
{
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    FILE *f = fdopen(fd, "w");
    if (f == NULL) {
        close(fd);
        return -1;
    }
    fprintf(f,
            "name = \"check\";\n"
            "data = { areas = \"%s/areas.csv\"; indicators = "
            "\"%s/indicators.csv\"; catalog = \"%s/catalog.csv\"; };\n"
            "baseline = 2007;\nfollowup = [2008, 2009, 2010, 2011, 2012];\n"
            "treatment = { file = \"%s/treatment.csv\"; };\n"
            "plugin_dirs = [\"%s\"];\n"
            "experiments = ( { plugin = \"%s\"; } );\n",
            demo, demo, demo, demo, plugin_dir, id);
    return fclose(f);
}

static int load_demo(check_env *env, const char *demo, we_error *err)
{
    char path[] = "/tmp/wijkeval-check-XXXXXX";
    if (write_config(path, demo, env->plugin.desc.id, "/nonexistent") != 0)
        return we_errorf(err, "cannot write a temporary config in /tmp");
    int rc = we_config_load(&env->cfg, path, err);
    unlink(path);
    if (rc == 0)
        rc = we_panel_load(&env->panel, env->cfg.areas_path,
                           env->cfg.indicators_path, env->cfg.catalog_path,
                           err);
    if (rc == 0)
        rc = we_run_design_build(&env->rd, &env->cfg, &env->panel, err);
    return rc;
}

static int run_once(check_env *env, we_experiment_run *out, char *why,
                    size_t n_why)
{
    we_ctx ctx = {.cfg = &env->cfg, .panel = &env->panel, .rd = &env->rd,
                  .plugin = &env->plugin, .out = out,
                  .verbosity = WE_LOG_WARNING};
    we_error err = {{0}};
    int rc = we_host_resolve_targets(&ctx, NULL, &err);
    if (rc != 0)
        snprintf(why, n_why, "%s", err.msg);
    else if ((rc = we_host_execute(&ctx)) != 0)
        snprintf(why, n_why, "%s", out->error ? out->error : "failed");
    free(ctx.targets);
    return rc;
}

static int results_valid(const we_experiment_run *x, char *why, size_t n)
{
    for (size_t k = 0; k < x->n_results; k++) {
        const we_estimate *e = &x->results[k].est;
        if (!isfinite(e->estimate) || !(isfinite(e->se) || isnan(e->se))) {
            snprintf(why, n, "%s: estimate or SE not finite",
                     x->results[k].indicator);
            return 0;
        }
    }
    return 1;
}

static int same_results(const we_experiment_run *a,
                        const we_experiment_run *b)
{
    if (a->n_results != b->n_results || a->n_metrics != b->n_metrics)
        return 0;
    for (size_t k = 0; k < a->n_results; k++)
        /* Bitwise on purpose: a determinism check must tell NaN payloads
         * and -0 apart; we_estimate has no padding on LP64 and ILP32. */
        /* NOLINTNEXTLINE(bugprone-suspicious-memory-comparison) */
        if (memcmp(&a->results[k].est, &b->results[k].est,
                   sizeof a->results[k].est) != 0)
            return 0;
    for (size_t k = 0; k < a->n_metrics; k++)
        if (a->metrics[k].value != b->metrics[k].value)
            return 0;
    return 1;
}

static void run_checks(check_env *env)
{
    we_experiment_run first = {0}, second = {0};
    char why[WE_ERROR_MAX + 64] = "";
    int ok = run_once(env, &first, why, sizeof why) == 0;
    report(env, ok, "evaluate on the demo panel", why);
    if (ok) {
        printf("         %zu results, %zu domain metrics\n",
               first.n_results, first.n_metrics);
        report(env, first.n_metrics > 0, "emits at least one domain metric",
               "no metric emitted");
        report(env, results_valid(&first, why, sizeof why),
               "every estimate finite", why);
        ok = run_once(env, &second, why, sizeof why) == 0;
        report(env, ok && same_results(&first, &second),
               "deterministic (two runs give identical results)",
               ok ? "the two runs differ" : why);
    }
    we_experiment_run_free(&first);
    we_experiment_run_free(&second);
}

int we_cli_check_plugin(int argc, char **argv)
{
    const char *file = NULL, *demo_arg = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            fputs(check_usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--demo") == 0 && i + 1 < argc)
            demo_arg = argv[++i];
        else if (file == NULL && argv[i][0] != '-')
            file = argv[i];
        else {
            fprintf(stderr, "wijkeval check-plugin: unexpected '%s'\n\n%s",
                    argv[i], check_usage);
            return 2;
        }
    }
    if (file == NULL) {
        fputs(check_usage, stderr);
        return 2;
    }
    gsl_set_error_handler_off();
    check_env env;
    memset(&env, 0, sizeof env);
    we_error err = {{0}};
    printf("checking %s\n", file);
    int loaded = we_plugin_load(&env.plugin, file, &err) == 0;
    report(&env, loaded, "loads; descriptor and ABI valid", err.msg);
    char *areas = demo_arg ? NULL : we_cli_data_file("data/demo/areas.csv");
    char *demo = demo_arg ? we_strdup(demo_arg) : areas;
    if (demo != NULL && demo_arg == NULL)
        *strrchr(demo, '/') = '\0';
    if (loaded && demo == NULL)
        report(&env, 0, "find the demo panel", "pass --demo DIR");
    else if (loaded) {
        int ok = load_demo(&env, demo, &err) == 0;
        report(&env, ok, "demo panel loads", err.msg);
        if (ok)
            run_checks(&env);
    }
    free(demo);
    we_run_design_free(&env.rd);
    we_panel_free(&env.panel);
    we_config_free(&env.cfg);
    we_plugin_unload(&env.plugin);
    printf("%s: %d check(s) failed\n", env.failures ? "FAIL" : "PASS",
           env.failures);
    return env.failures ? 1 : 0;
}
