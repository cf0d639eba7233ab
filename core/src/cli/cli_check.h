/* Shared parts of `wijkeval check-plugin` (cli_check.c, cli_check_cases.c). */
#ifndef WE_CLI_CHECK_H
#define WE_CLI_CHECK_H

#include "host/loader.h"

typedef struct we_check_env {
    const char *file;  /* the plugin file as given */
    we_plugin plugin;  /* loaded and validated */
    int verbose;       /* -v: print the plugin's warnings */
    int depth;         /* 1 inside a case: its checks are indented */
    double time_limit; /* seconds per run in the child process */
    int n_checks, failures;
} we_check_env;

/* Prints "[pass] what" or "[FAIL] what: why" and counts it; returns ok. */
int we_check_report(we_check_env *env, int ok, const char *what,
                    const char *why);

/* Runs the plugin on the demo panel in `demo` and on the edge-case panels
 * derived from it, reporting each check. */
void we_check_cases(we_check_env *env, const char *demo);

#endif
