/* `wijkeval run`, `wijkeval plugins` and `wijkeval simulate`. */
/* realpath() is an X/Open extension of POSIX. */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/terminal.h"
#include "config/config.h"
#include "host/isolate.h"
#include "host/loader.h"
#include "host/sandbox.h"
#include "pipeline/engine.h"
#include "pipeline/shard.h"
#include "report/report.h"
#include "simulate/simulate.h"
#include "util/text.h"

static const char run_usage[] =
    "usage: wijkeval run CONFIG [-o DIR] [--format json,csv,md,html]\n"
    "                    [--seed N] [--plugin-dir DIR]... [--force]\n"
    "                    [--jobs N] [--timings FILE] [--shard I/N]\n"
    "                    [--allow-unsandboxed] [--history FILE]\n"
    "                    [--no-history] [--compare-with RUN_ID] [-q|-v]\n"
    "  -o DIR            write the report to DIR/<run name>/ (default:\n"
    "                    output.dir of the config)\n"
    "  --format LIST     report formats, comma-separated (default: config)\n"
    "  --seed N          override inference.seed\n"
    "  --plugin-dir DIR  search DIR for plugins first (repeatable)\n"
    "  --force           replace a report that another config wrote to\n"
    "                    the same directory (refused without it); a file\n"
    "                    wijkeval did not write is never replaced\n"
    "  --jobs N          experiments and inference tasks run N at a time\n"
    "                    (default: the number of processors); the\n"
    "                    results are the same for every N\n"
    "  --timings FILE    write the wall and CPU time and peak memory of\n"
    "                    each stage to FILE (tab-separated)\n"
    "  --shard I/N       run only experiments I, I+N, I+2N, ... (counted\n"
    "                    from 1) and write part-I-of-N.wes to the report\n"
    "                    directory; `wijkeval merge` makes the report\n"
    "  --allow-unsandboxed  run plugins even where this kernel cannot\n"
    "                    sandbox them (no Landlock or seccomp); the report\n"
    "                    says so (isolation.sandbox, docs/plugins.md)\n"
    "  --history FILE    the run history (default: history.file of the\n"
    "                    config, else history.sqlite beside the report\n"
    "                    directory; docs/history.md)\n"
    "  --no-history      neither compare with nor record in a history\n"
    "  --compare-with RUN_ID  compare with that run of the history rather\n"
    "                    than the latest of the series\n"
    "  -q                only errors; -v more detail\n"
    "Exit: 0 ok; 1 report written, an experiment failed; 2 nothing\n"
    "written; 3 report written, the history not (a warning says why)\n";

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
    else if (strcmp(a, "--allow-unsandboxed") == 0)
        o->allow_unsandboxed = 1;
    else if (strcmp(a, "--no-history") == 0)
        o->no_history = 1;
    else if (strcmp(a, "--history") == 0) {
        if ((o->history_path = option_value(argc, argv, i)) == NULL)
            return -1;
    } else if (strcmp(a, "--compare-with") == 0) {
        uint64_t id;
        if ((v = option_value(argc, argv, i)) == NULL)
            return -1;
        if (we_cli_parse_u64(v, &id) != 0 || id < 1 || id > LONG_MAX) {
            fprintf(stderr, "wijkeval: --compare-with '%s': give a run id "
                            "from `wijkeval history list`\n", v);
            return -1;
        }
        o->compare_with = (long)id;
    }
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
    } else if (strcmp(a, "--jobs") == 0) {
        uint64_t n;
        if ((v = option_value(argc, argv, i)) == NULL)
            return -1;
        if (we_cli_parse_u64(v, &n) != 0 || n < 1 || n > 256) {
            fprintf(stderr, "wijkeval: --jobs '%s': give a number from 1 "
                            "to 256\n", v);
            return -1;
        }
        o->jobs = (size_t)n;
    } else if (strcmp(a, "--shard") == 0 && o->n_merge_parts == 0) {
        if ((v = option_value(argc, argv, i)) == NULL)
            return -1;
        if (we_shard_parse(v, &o->shard_index, &o->shard_count) != 0) {
            fprintf(stderr, "wijkeval: --shard '%s': write I/N with 1 <= "
                            "I <= N <= 10000, e.g. 2/8\n", v);
            return -1;
        }
    } else if (strcmp(a, "--timings") == 0) {
        if ((o->timings_path = option_value(argc, argv, i)) == NULL)
            return -1;
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

static const char merge_usage[] =
    "usage: wijkeval merge CONFIG PART... [-o DIR] [--format LIST]\n"
    "                      [--seed N] [--plugin-dir DIR]... [--force]\n"
    "                      [--jobs N] [--timings FILE] [-q|-v]\n"
    "Makes the common report from the part files of `wijkeval run CONFIG\n"
    "--shard I/N` (all N of them, any order): the plugins' results come\n"
    "from the parts, the inference runs here. Same config, data and seed\n"
    "as the parts, or it refuses; the options are those of run.\n";

/* The report directory as the user would type it: relative to the
 * working directory when it lies below it. */
static char *shown_dir(const char *dir)
{
    char *abs = realpath(dir, NULL), cwd[PATH_MAX];
    size_t n = getcwd(cwd, sizeof cwd) ? strlen(cwd) : 0;
    if (abs && n > 0 && strncmp(abs, cwd, n) == 0 && abs[n] == '/')
        memmove(abs, abs + n + 1, strlen(abs + n + 1) + 1);
    return abs;
}

/* One line on what changed since the previous run of the series
 * (docs/history.md). */
static void print_since(const we_since_previous *sp)
{
    if (sp == NULL)
        return;
    char line[1024];
    size_t n = 0;
#define ADD(...)                                                            \
    do {                                                                    \
        if (n < sizeof line)                                                \
            n += (size_t)snprintf(line + n, sizeof line - n, __VA_ARGS__);  \
    } while (0)
    ADD("since run %ld (%s, data to %d): %zu verdict%s changed",
        sp->prev_id, sp->prev_name, sp->prev_last, sp->n_verdicts_changed,
        sp->n_verdicts_changed == 1 ? "" : "s");
    for (size_t i = 0; i < sp->n_added_periods; i++)
        ADD("%s%d", i ? ", " : "; new periods ", sp->added_periods[i]);
    for (size_t i = 0; i < sp->n_revisions; i++) {
        ADD("%s%s", i ? ", " : "; revised ", sp->revisions[i].indicator);
        if (sp->revisions[i].n_cells >= 0)
            ADD(" (%ld cells)", sp->revisions[i].n_cells);
    }
    if (sp->n_settings > 0)
        ADD("; %zu setting%s of the method changed", sp->n_settings,
            sp->n_settings == 1 ? "" : "s");
#undef ADD
    printf("%s\n", we_text_sanitize(line));
}

/* The table of experiments, so the terminal already answers "which
 * moved, how sure, how strong", then where the report files are. */
static void print_summary(void *user, const we_run *run, const char *dir)
{
    const we_run_options *o = user;
    if (o->verbosity < WE_LOG_WARNING)
        return;
    int colour = we_terminal_colour(isatty(fileno(stdout)),
                                    getenv("NO_COLOR"));
    char *shown = shown_dir(dir);
    unsigned formats = run->cfg->formats;
    we_terminal_summary(stdout, run, colour);
    we_terminal_files(stdout, shown != NULL ? shown : dir, formats, colour,
                      we_lang_of(run->cfg));
    const char *more[8];
    size_t n_more = we_report_extra_files(run, formats, more, 8);
    we_terminal_more_files(stdout, shown != NULL ? shown : dir, more,
                           n_more);
    free(shown);
    print_since(run->since_previous);
    if (run->history_path != NULL) {
        char *base = we_strdup(run->history_path), *slash;
        char *hdir = base ? shown_dir((slash = strrchr(base, '/')) != NULL
                                          ? (*slash = '\0', base)
                                          : ".")
                          : NULL;
        const char *name = strrchr(run->history_path, '/');
        printf("recorded as run %ld of series %s in %s/%s\n",
               run->history_id, run->cfg->series ? run->cfg->series
                                                 : run->cfg->name,
               hdir ? hdir : ".", name ? name + 1 : run->history_path);
        free(hdir);
        free(base);
    }
}

/* run and merge: CONFIG, then for merge the part files. */
static int run_or_merge(int argc, char **argv, int merge)
{
    we_run_options o = {.verbosity = WE_LOG_WARNING,
                        .on_report = print_summary};
    o.on_report_user = &o;
    char *dirs[16];
    char **parts = calloc((size_t)argc, sizeof *parts);
    if (parts == NULL)
        return 2;
    o.merge_parts = parts;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(merge ? merge_usage : run_usage, stdout);
            free(parts);
            return 0;
        }
        if (argv[i][0] != '-' && o.config_path == NULL)
            o.config_path = argv[i];
        else if (argv[i][0] != '-' && merge)
            parts[o.n_merge_parts++] = argv[i];
        else if (parse_run_option(argc, argv, &i, &o, dirs) != 0) {
            free(parts);
            return 2;
        }
    }
    const char *what = o.config_path == NULL ? "no CONFIG given"
                       : merge && o.n_merge_parts == 0 ? "no PART given"
                                                       : NULL;
    if (what != NULL) {
        fprintf(stderr, "wijkeval %s: %s\n\n%s", merge ? "merge" : "run",
                what, merge ? merge_usage : run_usage);
        free(parts);
        return 2;
    }
    o.plugin_dirs = dirs;
    int rc = we_engine_run(&o);
    free(parts);
    return rc;
}

int we_cli_run(int argc, char **argv)
{
    return run_or_merge(argc, argv, 0);
}

int we_cli_merge(int argc, char **argv)
{
    return run_or_merge(argc, argv, 1);
}

/* ---- plugins ------------------------------------------------------- */

/* Each plugin is loaded in a child process (we_isolate_probe): a plugin
 * whose constructor crashes, exits or hangs is listed as refused. */

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
        char line[2048];
        /* In the sandbox, as in a run. */
        we_isolation_cfg lim = {.enabled = 1, .time_limit = 60,
                                .sandbox = we_sandbox_for_tools()};
        if (we_isolate_probe(&p, path, &lim, &err) != 0) {
            printf("%-22s (refused) %s\n", ent->d_name,
                   we_text_sanitize(err.msg));
            continue;
        }
        /* The descriptor's strings are the plugin's: no control
         * character of theirs reaches the terminal. */
        snprintf(line, sizeof line, "%-22s %-8s ABI %u.%u  %s%s%s",
                 p.desc.id, p.desc.version, p.desc.abi_major,
                 p.desc.abi_minor, p.desc.title_en,
                 p.desc.maintainer ? "; maintainer: " : "",
                 p.desc.maintainer ? p.desc.maintainer : "");
        printf("%s\n", we_text_sanitize(line));
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
    we_plugin_dirs_default(&pd, dirs, n, NULL, 0);
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
    "       wijkeval simulate --national --out DIR [--areas N]\n"
    "                         [--municipalities N] [--indicators N]\n"
    "                         [--periods N] [--seed N]\n"
    "Writes the simulated demo panel (areas, catalog, indicators,\n"
    "treatment, truth.csv with the injected effects). Deterministic for a\n"
    "seed (default 20081107).\n"
    "With --national: the national-scale panel of `make bench`, every\n"
    "buurt of a simulated country (default 13000 buurten in 350\n"
    "municipalities, 20 periods from 2000, 40 indicators; about 470 MB).\n";

/* A size option: a whole number within [lo, hi]. */
static int size_option(const char *v, size_t lo, size_t hi, size_t *out)
{
    uint64_t x;
    if (we_cli_parse_u64(v, &x) != 0 || x < lo || x > hi)
        return -1;
    *out = (size_t)x;
    return 0;
}

/* Parses one option with its value; returns -1 on a bad one. */
static int sim_option(const char *a, const char *v, we_sim_options *o,
                      we_national_options *n)
{
    size_t periods = (size_t)n->n_periods;
    if (strcmp(a, "--out") == 0)
        o->out_dir = n->out_dir = v;
    else if (strcmp(a, "--catalog") == 0)
        o->catalog_path = n->catalog_path = v;
    else if (strcmp(a, "--krachtwijken") == 0)
        o->krachtwijken_path = n->krachtwijken_path = v;
    else if (strcmp(a, "--seed") == 0)
        return we_cli_parse_u64(v, &o->seed) != 0 ? -1
               : (n->seed = o->seed, 0);
    else if (strcmp(a, "--areas") == 0)
        return size_option(v, 100, 1000000, &n->n_areas);
    else if (strcmp(a, "--municipalities") == 0)
        return size_option(v, 1, 9999, &n->n_munis);
    else if (strcmp(a, "--indicators") == 0)
        return size_option(v, 1, 10000, &n->n_indicators);
    else if (strcmp(a, "--periods") == 0) {
        if (size_option(v, 12, 200, &periods) != 0)
            return -1;
        n->n_periods = (int)periods;
    } else
        return -1;
    return 0;
}

int we_cli_simulate(int argc, char **argv)
{
    we_sim_options o = {.seed = 20081107};
    we_national_options n = {.seed = 20081107, .n_areas = 13000,
                             .n_munis = 350, .n_indicators = 40,
                             .first_period = 2000, .n_periods = 20};
    char *catalog = NULL, *kw = NULL;
    int rc = 2, national = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0) {
            fputs(sim_usage, stdout);
            rc = 0;
            goto out;
        }
        if (strcmp(a, "--national") == 0) {
            national = 1;
            continue;
        }
        const char *v = option_value(argc, argv, &i);
        if (v == NULL)
            goto out;
        if (sim_option(a, v, &o, &n) != 0) {
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
        o.catalog_path = n.catalog_path = catalog =
            we_cli_data_file("data/catalog.csv");
    if (o.krachtwijken_path == NULL)
        o.krachtwijken_path = n.krachtwijken_path = kw =
            we_cli_data_file("data/krachtwijken_40.csv");
    if (o.catalog_path == NULL || o.krachtwijken_path == NULL) {
        fprintf(stderr, "wijkeval simulate: cannot find data/catalog.csv or "
                        "data/krachtwijken_40.csv; pass --catalog and "
                        "--krachtwijken\n");
        goto out;
    }
    we_error err = {{0}};
    if ((national ? we_simulate_national(&n, &err)
                  : we_simulate_demo(&o, &err)) != 0) {
        fprintf(stderr, "wijkeval simulate: %s\n", we_text_sanitize(err.msg));
        goto out;
    }
    printf("simulated %s panel written to %s/\n",
           national ? "national" : "demo", o.out_dir);
    rc = 0;
out:
    free(catalog);
    free(kw);
    return rc;
}
