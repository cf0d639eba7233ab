/* `wijkeval import cbs FILE`: a CBS StatLine download into the long
 * indicators format (docs/import.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "import/cbs.h"
#include "util/text.h"

static const char import_usage[] =
    "usage: wijkeval import cbs FILE --mapping MAP -o OUT\n"
    "         (--period YEAR | --period-column NAME)\n"
    "         [--recode CODES] [--areas-out AREAS] [--catalog FILE]\n"
    "         [--level gemeente,wijk,buurt] [--code-column NAME]\n"
    "         [--name-column NAME] [--population-column NAME]\n"
    "         [--append | --force] [-q]\n"
    "Converts a CBS StatLine download (one row per region, ';' or ',',\n"
    "quoted, padded codes, '.' for secret values) into the long format\n"
    "area,period,indicator,value of the panel loader (docs/import.md).\n"
    "  --mapping MAP        CSV cbs_column,indicator[,scale,denominator,\n"
    "                       aggregate]: which column becomes which\n"
    "                       catalogue indicator\n"
    "  -o OUT               the long file; refused when it exists, unless\n"
    "                       --append (add the rows) or --force (replace)\n"
    "  --period YEAR        the period of every row; or --period-column\n"
    "                       NAME (2019 or 2019JJ00)\n"
    "  --recode CODES       CSV old_code,new_code,year,weight[,new_name]:\n"
    "                       merged and split areas, to build a panel in the\n"
    "                       newest codes\n"
    "  --areas-out AREAS    also write the areas file (area,name,\n"
    "                       municipality,level,population)\n"
    "  --catalog FILE       default: the shipped data/catalog.csv\n"
    "  --level LIST         import only these levels (default: all)\n"
    "  --code-column NAME   default: the first column holding region codes;\n"
    "                       rows of other regions (NL00, PV27) are skipped\n"
    "  --name-column NAME, --population-column NAME  for the areas file\n";

typedef struct import_args {
    we_cbs_options in;
    we_cbs_output out;
    const char *recode;
    int quiet;
} import_args;

static int parse_levels(const char *s, unsigned *levels)
{
    static const char *const names[] = { "gemeente", "wijk", "buurt" };
    *levels = 0;
    while (*s != '\0') {
        size_t n = strcspn(s, ",");
        size_t k = 0;
        while (k < 3 && !(strlen(names[k]) == n &&
                          strncmp(s, names[k], n) == 0))
            k++;
        if (k == 3)
            return -1;
        *levels |= 1u << k;
        s += n + (s[n] == ',');
    }
    return *levels != 0 ? 0 : -1;
}

static int parse_period(const char *s, int *period)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 1000 || v > 9999)
        return -1;
    *period = (int)v;
    return 0;
}

/* 0, -1 for a bad value, -2 for an unknown option. */
static int parse_value(import_args *a, const char *opt, const char *v)
{
    we_cbs_options *in = &a->in;
    if (strcmp(opt, "--mapping") == 0) in->mapping = v;
    else if (strcmp(opt, "-o") == 0) a->out.path = v;
    else if (strcmp(opt, "--period") == 0) return parse_period(v, &in->period);
    else if (strcmp(opt, "--period-column") == 0) in->period_column = v;
    else if (strcmp(opt, "--recode") == 0) a->recode = v;
    else if (strcmp(opt, "--areas-out") == 0) a->out.areas_path = v;
    else if (strcmp(opt, "--catalog") == 0) in->catalog = v;
    else if (strcmp(opt, "--level") == 0) return parse_levels(v, &in->levels);
    else if (strcmp(opt, "--code-column") == 0) in->code_column = v;
    else if (strcmp(opt, "--name-column") == 0) in->name_column = v;
    else if (strcmp(opt, "--population-column") == 0)
        in->population_column = v;
    else return -2;
    return 0;
}

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "wijkeval import: %s%s%s%s\n\n%s", what,
            arg ? " '" : "", arg ? arg : "", arg ? "'" : "", import_usage);
    return 2;
}

/* Returns 0 to go on, 1 after --help, 2 on a usage error. */
static int parse_args(int argc, char **argv, import_args *a)
{
    for (int i = 2; i < argc; i++) {
        const char *opt = argv[i];
        if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            fputs(import_usage, stdout);
            return 1;
        }
        if (strcmp(opt, "--append") == 0) a->out.append = 1;
        else if (strcmp(opt, "--force") == 0) a->out.force = 1;
        else if (strcmp(opt, "-q") == 0) a->quiet = 1;
        else if (opt[0] != '-' && a->in.input == NULL) a->in.input = opt;
        else {
            int rc = i + 1 < argc ? parse_value(a, opt, argv[i + 1]) : -2;
            if (rc != 0)
                return usage_error(rc == -2 ? "unknown option or missing "
                                              "value for"
                                            : "bad value for", opt);
            i++;
        }
    }
    const char *missing = !a->in.input ? "FILE" : !a->in.mapping
                              ? "--mapping MAP" : !a->out.path ? "-o OUT"
                          : !a->in.period && !a->in.period_column
                              ? "--period YEAR or --period-column NAME"
                              : NULL;
    if (missing != NULL)
        return usage_error("missing", missing);
    if (a->in.period && a->in.period_column)
        return usage_error("give --period or --period-column, not both",
                           NULL);
    if (a->out.append && a->out.force)
        return usage_error("give --append or --force, not both", NULL);
    return 0;
}

static const char *s_if(size_t n)
{
    return n == 1 ? "" : "s";
}

static void summary(const import_args *a, const we_cbs_data *d)
{
    if (a->quiet)
        return;
    size_t n_values = d->n_rows * d->n_ind, missing = we_cbs_missing(d);
    printf("%s: %zu area%s x %zu indicator%s = %zu value%s (%zu missing) "
           "-> %s\n", a->in.input, d->n_rows, s_if(d->n_rows), d->n_ind,
           s_if(d->n_ind), n_values, s_if(n_values), missing, a->out.path);
    if (a->out.areas_path != NULL)
        printf("areas -> %s\n", a->out.areas_path);
    if (d->n_recoded > 0)
        printf("%zu area%s of the download recoded with %s\n",
               d->n_recoded, s_if(d->n_recoded), a->recode);
    if (d->n_other_level > 0)
        printf("%zu row%s of other levels left out (--level)\n",
               d->n_other_level, s_if(d->n_other_level));
}

static void skipped(const we_cbs_data *d, const char *input)
{
    if (d->n_skipped > 0)
        fprintf(stderr, "wijkeval import: warning: skipped %zu row%s whose "
                        "region is not a gemeente, wijk or buurt (the "
                        "first: %s on %s:%zu)\n",
                d->n_skipped, s_if(d->n_skipped), d->skipped_code, input,
                d->skipped_line);
}

static int run_import(import_args *a)
{
    we_error err = { { 0 } };
    we_cbs_data d;
    char *shipped = NULL;
    if (a->in.catalog == NULL) {
        shipped = we_cli_data_file("data/catalog.csv");
        if (shipped == NULL) {
            fprintf(stderr, "wijkeval import: cannot find the shipped "
                            "data/catalog.csv; pass --catalog FILE\n");
            return 2;
        }
        a->in.catalog = shipped;
    }
    a->out.catalog = a->in.catalog;
    int rc = we_cbs_read(&d, &a->in, &err);
    if (rc == 0 && a->recode != NULL)
        rc = we_cbs_recode(&d, a->recode, &err);
    if (rc == 0)
        rc = we_cbs_write(&d, &a->out, &err);
    if (rc == 0) {
        skipped(&d, a->in.input);
        summary(a, &d);
    } else
        fprintf(stderr, "wijkeval import: %s\n", we_text_sanitize(err.msg));
    we_cbs_free(&d);
    free(shipped);
    return rc == 0 ? 0 : 2;
}

int we_cli_import(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        fputs(import_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "cbs") != 0) {
        fprintf(stderr, "wijkeval import: unknown source '%s'; the one "
                        "source is cbs\n\n%s", argv[1], import_usage);
        return 2;
    }
    import_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(argc, argv, &a);
    if (rc != 0)
        return rc == 1 ? 0 : 2;
    return run_import(&a);
}
