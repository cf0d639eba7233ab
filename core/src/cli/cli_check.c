/* `wijkeval check-plugin FILE.so`, the plugin author's test harness: it
 * validates the descriptor and the ABI, then runs the plugin on the demo
 * panel and on edge-case panels derived from it (cli_check_cases.c), each
 * twice, and prints a pass/fail list. docs/plugins.md describes every
 * check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli/cli.h"
#include "cli/cli_check.h"
#include "host/isolate.h"
#include "host/sandbox.h"
#include "util/text.h"

static const char check_usage[] =
    "usage: wijkeval check-plugin FILE.so [--demo DIR] [--time-limit S]\n"
    "                             [-v]\n"
    "Validates the plugin's descriptor and ABI, then runs it on the\n"
    "simulated demo panel and on edge-case panels (missing values, a\n"
    "single treated area, no follow-up data), each twice, each time in a\n"
    "child process. Checks that it ends normally, that the\n"
    "host refused nothing, that every result is finite or marked\n"
    "unavailable (NaN) and belongs to an indicator it declared, and that\n"
    "both runs agree. Prints one line per check; exit 0 when all pass,\n"
    "1 when one fails.\n"
    "  --demo DIR        the demo panel (default: the one shipped with\n"
    "                    wijkeval)\n"
    "  --time-limit S    seconds a run in the child may take (default 60)\n"
    "  -v                also print the plugin's warnings\n";

int we_check_report(we_check_env *env, int ok, const char *what,
                    const char *why)
{
    env->n_checks++;
    env->failures += !ok;
    printf("%*s[%s] %s%s", 2 + 2 * env->depth, "", ok ? "pass" : "FAIL",
           what, ok ? "" : ": ");
    /* The detail may quote the plugin's strings. */
    we_text_put(stdout, ok ? "" : (why != NULL && *why ? why : "(no detail)"));
    fputc('\n', stdout);
    return ok;
}

/* The id must be the file name: the host finds a plugin by its id. */
static void check_file_name(we_check_env *env)
{
    const char *base = strrchr(env->file, '/');
    base = base ? base + 1 : env->file;
    size_t n = strlen(base), id = strlen(env->plugin.desc.id);
    char why[512];
    snprintf(why, sizeof why, "the file is '%s' but the id is '%s'; name "
             "it %s.so, since the host looks a plugin up by its id", base,
             env->plugin.desc.id, env->plugin.desc.id);
    we_check_report(env, n == id + 3 && strcmp(base + id, ".so") == 0 &&
                             strncmp(base, env->plugin.desc.id, id) == 0,
                    "file name is the id + .so", why);
}

static void describe_plugin(const we_plugin_descriptor *d)
{
    char line[2048];
    snprintf(line, sizeof line, "         %s %s, plugin ABI %u.%u (host ABI "
             "%d.%d): %s", d->id, d->version, d->abi_major, d->abi_minor,
             WE_ABI_MAJOR, WE_ABI_MINOR, d->title_en);
    printf("%s\n", we_text_sanitize(line));
    if (d->maintainer != NULL) {
        fputs("         maintainer: ", stdout);
        we_text_put(stdout, d->maintainer);
        fputc('\n', stdout);
    }
}

/* Loading and the descriptor: 1 when the plugin can be run. */
static int check_descriptor(we_check_env *env)
{
    we_error err = {{0}};
    /* In a child process: a crashing, exiting or hanging constructor
     * fails this check, not check-plugin. */
    we_isolation_cfg lim = {.enabled = 1, .time_limit = env->time_limit,
                            .sandbox = we_sandbox_for_tools()};
    int ok = we_isolate_probe(&env->plugin, env->file, &lim, &err) == 0;
    we_check_report(env, ok, "loads; ABI and required descriptor fields "
                             "valid", err.msg);
    if (!ok)
        return 0;
    describe_plugin(&env->plugin.desc);
    ok = we_plugin_check_author(&env->plugin.desc, &err) == 0;
    we_check_report(env, ok, "descriptor complete: titles, version, "
                             "summary, distinct indicators and settings",
                    err.msg);
    check_file_name(env);
    return 1;
}

/* The demo panel's directory: --demo, else the one shipped with wijkeval
 * (data/demo in the source tree, share/wijkeval/data/demo installed). */
static char *demo_dir(const char *arg)
{
    if (arg != NULL)
        return we_strdup(arg);
    char *areas = we_cli_data_file("data/demo/areas.csv");
    if (areas != NULL)
        *strrchr(areas, '/') = '\0';
    return areas;
}

static int parse_args(int argc, char **argv, we_check_env *env,
                      const char **demo)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(check_usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--demo") == 0 && i + 1 < argc) {
            *demo = argv[++i];
        } else if (strcmp(argv[i], "--time-limit") == 0 && i + 1 < argc) {
            char *end;
            const char *v = argv[++i];
            env->time_limit = strtod(v, &end);
            if (*v == '\0' || *end != '\0' || !(env->time_limit > 0) ||
                env->time_limit > 86400) {
                fprintf(stderr, "wijkeval check-plugin: --time-limit '%s' "
                        "is not a number of seconds from 0 to 86400\n", v);
                return 2;
            }
        } else if (strcmp(argv[i], "-v") == 0) {
            env->verbose = 1;
        } else if (env->file == NULL && argv[i][0] != '-') {
            env->file = argv[i];
        } else {
            fprintf(stderr, "wijkeval check-plugin: unexpected '%s'\n\n%s",
                    argv[i], check_usage);
            return 2;
        }
    }
    if (env->file == NULL) {
        fputs(check_usage, stderr);
        return 2;
    }
    return -1;
}

int we_cli_check_plugin(int argc, char **argv)
{
    we_check_env env;
    memset(&env, 0, sizeof env);
    env.time_limit = 60;
    const char *demo_arg = NULL;
    int rc = parse_args(argc, argv, &env, &demo_arg);
    if (rc >= 0)
        return rc;
    gsl_set_error_handler_off();
    printf("checking %s\n", env.file);
    if (check_descriptor(&env)) {
        char *demo = demo_dir(demo_arg);
        if (demo == NULL)
            we_check_report(&env, 0, "find the demo panel",
                            "no data/demo next to wijkeval; pass --demo "
                            "DIR");
        else
            we_check_cases(&env, demo);
        free(demo);
    }
    we_plugin_unload(&env.plugin);
    printf("%s: %d of %d checks failed\n", env.failures ? "FAIL" : "PASS",
           env.failures, env.n_checks);
    return env.failures ? 1 : 0;
}
