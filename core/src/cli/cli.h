/* The subcommands. Each takes argv with argv[0] = the command name and
 * returns the process exit code (0, 1 or 2). */
#ifndef WE_CLI_CLI_H
#define WE_CLI_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "wijkeval/plugin.h"

int we_cli_run(int argc, char **argv);
int we_cli_merge(int argc, char **argv);
int we_cli_plugins(int argc, char **argv);
int we_cli_check_plugin(int argc, char **argv);
int we_cli_estimate(int argc, char **argv);
int we_cli_simulate(int argc, char **argv);
int we_cli_import(int argc, char **argv);
int we_cli_new_plugin(int argc, char **argv);
int we_cli_history(int argc, char **argv);

/* Shared option helpers. */
int we_cli_parse_u64(const char *s, uint64_t *out);
/* Parses "json,csv,md,html" into WE_FORMAT_* bits; 0 on a bad list. */
unsigned we_cli_parse_formats(const char *s);
/* Path of a file shipped with wijkeval (e.g. "data/catalog.csv"): looked up
 * next to the executable's tree (../), then in the installed share dir.
 * Returns a malloc'd path or NULL. */
char *we_cli_data_file(const char *rel);
/* Where temporary files go: $TMPDIR when it is an absolute path, else
 * /tmp. */
const char *we_cli_tmpdir(void);

#endif
