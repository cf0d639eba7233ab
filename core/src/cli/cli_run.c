/* `wijkeval run`, `wijkeval plugins` and `wijkeval simulate`. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "config/config.h"
#include "host/engine.h"
#include "host/loader.h"
#include "simulate/simulate.h"

static const char run_usage[] =
    "usage: wijkeval run CONFIG [-o DIR] [--format json,csv,md,html]\n"
    "                    [--seed N] [--plugin-dir DIR]... [--force]\n"
    "                    [-q|-v]\n"
    "  -o DIR            write the report to DIR/<run name>/ (default:\n"
    "                    output.dir of the config)\n"
    "  --format LIST     report formats, comma-separated (default: config)\n"
    "  --seed N          override inference.seed\n"
    "  --plugin-dir DIR  search DIR for plugins first (repeatable)\n"
    "  --force           replace a report that another config wrote to\n"
    "                    the same directory (refused without it)\n"
    "  -q                only errors; -v more detail\n";

/* Fetches the value of an option that takes one, or reports. */
static const char *option_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "wijkeval: option %s needs a value\n", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

static int parse_run_option(int argc, char **argv, int *i,
                            we_run_options *o, char **dirs)
{
    const char *a = argv[*i], *v;
    if (strcmp(a, "-q") == 0)
        o->verbosity = WE_LOG_ERROR;
    else if (strcmp(a, "-v") == 0)
        o->verbosity = WE_LOG_DEBUG;
    else if (strcmp(a, "--force") == 0)
        o->force = 1;
    else if (strcmp(a, "-o") == 0) {
        if ((o->output_dir = option_value(argc, argv, i)) == NULL)
            return -1;
    } else if (strcmp(a, "--format") == 0) {
        if ((v = option_value(argc, argv, i)) == NULL)
            return -1;
        if ((o->formats = we_cli_parse_formats(v)) == 0) {
            fprintf(stderr, "wijkeval: --format '%s': use a comma-separated "
                            "list of json, csv, md, html\n", v);
            return -1;
        }
    } else if (strcmp(a, "--seed") == 0) {
        if ((v = option_value(argc, argv, i)) == NULL)
            return -1;
        if (we_cli_parse_u64(v, &o->seed) != 0) {
            fprintf(stderr, "wijkeval: --seed '%s' is not a non-negative "
                            "integer\n", v);
            return -1;
        }
        o->has_seed = 1;
    } else if (strcmp(a, "--plugin-dir") == 0) {
        if ((v = option_value(argc, argv, i)) == NULL)
            return -1;
        if (o->n_plugin_dirs == 16) {
            fprintf(stderr, "wijkeval: at most 16 --plugin-dir options\n");
            return -1;
        }
        dirs[o->n_plugin_dirs++] = (char *)v;
    } else {
        fprintf(stderr, "wijkeval run: unknown option '%s'\n\n%s", a,
                run_usage);
        return -1;
    }
    return 0;
}

int we_cli_run(int argc, char **argv)
{
    we_run_options o = {.verbosity = WE_LOG_WARNING};
    char *dirs[16];
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(run_usage, stdout);
            return 0;
        }
        if (argv[i][0] != '-' && o.config_path == NULL)
            o.config_path = argv[i];
        else if (parse_run_option(argc, argv, &i, &o, dirs) != 0)
            return 2;
    }
    if (o.config_path == NULL) {
        fprintf(stderr, "wijkeval run: no CONFIG given\n\n%s", run_usage);
        return 2;
    }
    o.plugin_dirs = dirs;
    return we_engine_run(&o);
}

/* ---- plugins ------------------------------------------------------- */

static void list_dir(const char *dir, int *count)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        size_t n = strlen(ent->d_name);
        if (n < 4 || strcmp(ent->d_name + n - 3, ".so") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        we_plugin p;
        we_error err = {{0}};
        if (we_plugin_load(&p, path, &err) != 0) {
            printf("%-22s (refused) %s\n", ent->d_name, err.msg);
            continue;
        }
        printf("%-22s %-8s ABI %u.%u  %s%s%s\n", p.desc.id,
               p.desc.version, p.desc.abi_major, p.desc.abi_minor,
               p.desc.title_en, p.desc.maintainer ? "; maintainer: " : "",
               p.desc.maintainer ? p.desc.maintainer : "");
        (*count)++;
        we_plugin_unload(&p);
    }
    closedir(d);
}

int we_cli_plugins(int argc, char **argv)
{
    char *dirs[16];
    size_t n = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            puts("usage: wijkeval plugins [--plugin-dir DIR]...\n"
                 "Lists id, version, ABI, title and maintainer of every "
                 "plugin found.");
            return 0;
        }
        if (strcmp(argv[i], "--plugin-dir") == 0 && i + 1 < argc && n < 16)
            dirs[n++] = argv[++i];
        else {
            fprintf(stderr, "wijkeval plugins: unknown option '%s'\n",
                    argv[i]);
            return 2;
        }
    }
    we_plugin_dirs pd;
    we_plugin_dirs_default(&pd, dirs, n, NULL);
    int count = 0;
    for (size_t k = 0; k < pd.n; k++)
        list_dir(pd.dirs[k], &count);
    we_plugin_dirs_free(&pd);
    if (count == 0) {
        fprintf(stderr, "wijkeval: no plugins found\n");
        return 1;
    }
    return 0;
}

/* ---- simulate ------------------------------------------------------ */

static const char sim_usage[] =
    "usage: wijkeval simulate --out DIR [--seed N] [--catalog FILE]\n"
    "                         [--krachtwijken FILE]\n"
    "Writes the simulated demo panel (areas, catalog, indicators,\n"
    "treatment, truth.csv with the injected effects). Deterministic for a\n"
    "seed (default 20081107).\n";

int we_cli_simulate(int argc, char **argv)
{
    we_sim_options o = {.seed = 20081107};
    char *catalog = NULL, *kw = NULL;
    int rc = 2;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0) {
            fputs(sim_usage, stdout);
            rc = 0;
            goto out;
        }
        const char *v = option_value(argc, argv, &i);
        if (v == NULL)
            goto out;
        if (strcmp(a, "--out") == 0)
            o.out_dir = v;
        else if (strcmp(a, "--catalog") == 0)
            o.catalog_path = v;
        else if (strcmp(a, "--krachtwijken") == 0)
            o.krachtwijken_path = v;
        else if (strcmp(a, "--seed") != 0 ||
                 we_cli_parse_u64(v, &o.seed) != 0) {
            fprintf(stderr, "wijkeval simulate: bad option '%s %s'\n\n%s", a,
                    v, sim_usage);
            goto out;
        }
    }
    if (o.out_dir == NULL) {
        fprintf(stderr, "wijkeval simulate: --out DIR is required\n");
        goto out;
    }
    if (o.catalog_path == NULL)
        o.catalog_path = catalog = we_cli_data_file("data/catalog.csv");
    if (o.krachtwijken_path == NULL)
        o.krachtwijken_path = kw = we_cli_data_file("data/krachtwijken_40.csv");
    if (o.catalog_path == NULL || o.krachtwijken_path == NULL) {
        fprintf(stderr, "wijkeval simulate: cannot find data/catalog.csv or "
                        "data/krachtwijken_40.csv; pass --catalog and "
                        "--krachtwijken\n");
        goto out;
    }
    we_error err = {{0}};
    if (we_simulate_demo(&o, &err) != 0) {
        fprintf(stderr, "wijkeval simulate: %s\n", err.msg);
        goto out;
    }
    printf("simulated demo panel written to %s/\n", o.out_dir);
    rc = 0;
out:
    free(catalog);
    free(kw);
    return rc;
}
