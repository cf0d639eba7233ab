/* wijkeval command line: dispatches the subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char usage[] =
    "usage: wijkeval <command> [options]\n"
    "\n"
    "Evaluates the wijkenaanpak experiments: loads one plugin per\n"
    "experiment, runs the core methods on the indicator panel and writes\n"
    "one common report.\n"
    "\n"
    "commands:\n"
    "  run CONFIG            evaluate the experiments of a config file\n"
    "  merge CONFIG PART...  the report from the parts of run --shard I/N\n"
    "  plugins               list the plugins that can be loaded\n"
    "  check-plugin FILE.so  validate a plugin and run it on the demo panel\n"
    "  estimate              an ad-hoc estimate without a config\n"
    "  simulate              write the simulated demo panel\n"
    "  import cbs FILE       convert a CBS download to the long format\n"
    "  new-plugin ID         write the skeleton of a new experiment plugin\n"
    "  history list|show|trend|forget  the runs kept in the run history\n"
    "\n"
    "  wijkeval COMMAND --help   options of a command\n"
    "  wijkeval --version        print the version\n"
    "\n"
    "exit codes: 0 ok; 1 report written but an experiment failed;\n"
    "            2 usage, config or data error (nothing written);\n"
    "            3 report written, but not the run history (a warning\n"
    "              says why)\n";

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
        strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("wijkeval %s (plugin ABI %d.%d)\n", WE_VERSION, WE_ABI_MAJOR,
               WE_ABI_MINOR);
        return 0;
    }
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } commands[] = {
        {"run", we_cli_run},
        {"merge", we_cli_merge},
        {"plugins", we_cli_plugins},
        {"check-plugin", we_cli_check_plugin},
        {"estimate", we_cli_estimate},
        {"simulate", we_cli_simulate},
        {"import", we_cli_import},
        {"new-plugin", we_cli_new_plugin},
        {"history", we_cli_history},
    };
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
        if (strcmp(cmd, commands[k].name) == 0)
            return commands[k].fn(argc - 1, argv + 1);
    fprintf(stderr, "wijkeval: unknown command '%s'\n\n%s", cmd, usage);
    return 2;
}
