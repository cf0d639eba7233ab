/* `wijkeval estimate`: one ad-hoc estimate without a config. The data go
 * through the same loader and design code as a full run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "cli/cli.h"
#include "config/config.h"
#include "data/csv.h"
#include "analysis/design.h"
#include "analysis/design_choice.h"
#include "analysis/enrich.h"
#include "analysis/matching.h"
#include "config/est_settings.h"
#include "methods/estimator.h"
#include "model/run.h"
#include "report/report.h"
#include "util/strmap.h"
#include "cli/cli_estimate.h"

static const char est_usage[] =
    "usage: wijkeval estimate --data FILE [--areas FILE] [--catalog FILE]\n"
    "         --indicator NAME[,NAME...]\n"
    "         (--treated CODE[,CODE...] --from PERIOD | --treatment FILE)\n"
    "         [--baseline PERIOD]\n"
    "         [--method pre_post|gap|did_2x2|twfe|cs|sc|sdid]\n"
    "         [--cluster area|municipality] [--alpha A] [--json]\n"
    "         [--inference auto|cr1|wild] [--reps N] [--weights W] [--seed N]\n"
    "         [--adjacency FILE]\n"
    "  --data       long CSV area,period,indicator,value\n"
    "  --indicator  one or more, comma-separated: each is estimated on the\n"
    "               same design and seed, as if alone (--json: an array)\n"
    "  --areas      area,name,municipality[,level][,population]; without it\n"
    "               the municipality is read from CBS codes (WK036301 ->\n"
    "               GM0363)\n"
    "  --treatment  CSV area,from: one row per treated area (waves)\n"
    "  --baseline   default: the last period before the first treatment\n"
    "  --method     default twfe; --cluster default municipality\n"
    "  --json       print one result object with the report's fields\n"
    "  --inference  twfe p-value and interval: auto (default; the wild\n"
    "               cluster bootstrap below 42 clusters), cr1 or wild;\n"
    "               --reps (9999), --weights rademacher|webb, --seed (1)\n"
    "  --adjacency  CSV area,neighbour: the untreated neighbours of treated\n"
    "               areas leave the comparison group, as with\n"
    "               data.adjacency in a run\n"
    "  --comparison matched: the k nearest untreated areas of each treated\n"
    "               area on the indicator's pre-period path form the\n"
    "               comparison group (--match-k 3, --match-method\n"
    "               mahalanobis|propensity)\n";

typedef struct est_env {
    char tmpdir[4096];
    char areas_path[4200], catalog_path[4200];
    we_config cfg;
    we_panel panel;
    we_run_design rd;
} est_env;

static int parse_int(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < -100000 || v > 100000)
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_method(const char *s, we_method *m)
{
    int k = we_method_from_name(s);
    if (k < 0)
        return -1;
    *m = (we_method)k;
    return 0;
}

static int parse_value(est_args *a, const char *opt, const char *v)
{
    if (strcmp(opt, "--data") == 0) a->data = v;
    else if (strcmp(opt, "--areas") == 0) a->areas = v;
    else if (strcmp(opt, "--catalog") == 0) a->catalog = v;
    else if (strcmp(opt, "--indicator") == 0) a->indicator = v;
    else if (strcmp(opt, "--treated") == 0) a->treated = v;
    else if (strcmp(opt, "--treatment") == 0) a->treatment = v;
    else if (strcmp(opt, "--adjacency") == 0) a->adjacency = v;
    else if (strcmp(opt, "--from") == 0) return parse_int(v, &a->from);
    else if (strcmp(opt, "--baseline") == 0)
        return parse_int(v, &a->baseline);
    else if (strcmp(opt, "--method") == 0) return parse_method(v, &a->method);
    else if (strcmp(opt, "--inference") == 0) {
        if (strcmp(v, "auto") == 0) a->inference = WE_INFER_AUTO;
        else if (strcmp(v, "cr1") == 0) a->inference = WE_INFER_CR1;
        else if (strcmp(v, "wild") == 0) a->inference = WE_INFER_WILD;
        else return -1;
    } else if (strcmp(opt, "--weights") == 0) {
        if (strcmp(v, "rademacher") == 0) a->webb = 0;
        else if (strcmp(v, "webb") == 0) a->webb = 1;
        else return -1;
    } else if (strcmp(opt, "--reps") == 0) {
        uint64_t r;
        if (we_cli_parse_u64(v, &r) != 0 || r < 99 || r > 999999)
            return -1;
        a->reps = (size_t)r;
    } else if (strcmp(opt, "--comparison") == 0) {
        if (strcmp(v, "run") == 0) a->matched = 0;
        else if (strcmp(v, "matched") == 0) a->matched = 1;
        else return -1;
    } else if (strcmp(opt, "--match-method") == 0) {
        if (strcmp(v, "mahalanobis") == 0) a->match_propensity = 0;
        else if (strcmp(v, "propensity") == 0) a->match_propensity = 1;
        else return -1;
    } else if (strcmp(opt, "--match-k") == 0) {
        uint64_t k;
        if (we_cli_parse_u64(v, &k) != 0 || k < 1 || k > 50)
            return -1;
        a->match_k = (size_t)k;
    } else if (strcmp(opt, "--seed") == 0)
        return we_cli_parse_u64(v, &a->seed);
    else if (strcmp(opt, "--alpha") == 0) {
        char *end;
        a->alpha = strtod(v, &end);
        return *end == '\0' && a->alpha > 0 && a->alpha <= 0.5 ? 0 : -1;
    } else if (strcmp(opt, "--cluster") == 0) {
        if (strcmp(v, "area") == 0) a->cluster = WE_CLUSTER_AREA;
        else if (strcmp(v, "municipality") == 0)
            a->cluster = WE_CLUSTER_MUNICIPALITY;
        else return -1;
    } else return -2;
    return 0;
}

/* Returns 0 to go on, 1 after --help, or 2 on a usage error. */
static int parse_args(int argc, char **argv, est_args *a)
{
    *a = (est_args){.method = WE_METHOD_TWFE, .alpha = 0.05,
                    .cluster = WE_CLUSTER_MUNICIPALITY, .from = -1,
                    .baseline = -1, .inference = WE_INFER_AUTO,
                    .reps = 9999, .seed = 1, .match_k = 3};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            fputs(est_usage, stdout);
            return 1;
        }
        if (strcmp(argv[i], "--json") == 0) {
            a->json = 1;
            continue;
        }
        int rc = i + 1 < argc ? parse_value(a, argv[i], argv[i + 1]) : -2;
        if (rc != 0) {
            fprintf(stderr, "wijkeval estimate: %s '%s'\n\n%s",
                    rc == -2 ? "unknown option or missing value"
                             : "bad value for",
                    argv[i], est_usage);
            return 2;
        }
        i++;
    }
    const char *missing = !a->data ? "--data" : !a->indicator ? "--indicator"
                          : !a->treated && !a->treatment
                              ? "--treated or --treatment"
                          : a->treated && a->from < 0 ? "--from"
                                                      : NULL;
    if (missing == NULL && a->matched && strchr(a->indicator, ',')) {
        fprintf(stderr, "wijkeval estimate: --comparison matched matches on "
                        "one indicator's path; give one --indicator\n");
        return 2;
    }
    if (missing != NULL) {
        fprintf(stderr, "wijkeval estimate: %s is required\n\n%s", missing,
                est_usage);
        return 2;
    }
    return 0;
}

/* The municipality code of a CBS area code, or NULL. */
static int municipality_of(const char *code, char out[7])
{
    size_t n = strlen(code);
    if ((strncmp(code, "GM", 2) == 0 && n == 6) ||
        (strncmp(code, "WK", 2) == 0 && n == 8) ||
        (strncmp(code, "BU", 2) == 0 && n == 10)) {
        snprintf(out, 7, "GM%.4s", code + 2);
        return 0;
    }
    return -1;
}

/* Distinct strings in order of first appearance. */
typedef struct key_set {
    we_strmap *map;
    char **keys;
    size_t n, cap;
} key_set;

static int key_add(key_set *s, const char *key)
{
    long v = we_strmap_put(s->map, key, s->n);
    if (v < 0)
        return -1;
    if ((size_t)v != s->n)
        return 0; /* seen before */
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        char **k = realloc(s->keys, cap * sizeof *k);
        if (k == NULL)
            return -1;
        s->keys = k;
        s->cap = cap;
    }
    return (s->keys[s->n] = we_strdup(key)) ? (s->n++, 0) : -1;
}

static void key_free(key_set *s)
{
    for (size_t k = 0; k < s->n; k++)
        free(s->keys[k]);
    free(s->keys);
    we_strmap_free(s->map);
}

/* Collects the distinct areas and indicators of the data file. */
static int scan_data(const char *path, key_set *areas, key_set *inds,
                     we_error *err)
{
    we_csv *r;
    if (we_csv_open(&r, path, err) != 0)
        return -1;
    we_csv_row row;
    int rc = we_csv_next(r, &row, err);
    long ca = rc == 1 ? we_csv_column(&row, "area") : -1;
    long ci = rc == 1 ? we_csv_column(&row, "indicator") : -1;
    if (rc == 1 && (ca < 0 || ci < 0))
        rc = we_errorf(err, "%s:1: the header needs columns area and "
                            "indicator", path);
    while (rc == 1 && (rc = we_csv_next(r, &row, err)) == 1) {
        if ((size_t)ca >= row.n_fields || (size_t)ci >= row.n_fields)
            continue; /* the panel loader reports ragged rows */
        if (key_add(areas, row.fields[ca]) != 0 ||
            key_add(inds, row.fields[ci]) != 0)
            rc = we_errorf(err, "out of memory");
    }
    we_csv_close(r);
    return rc == 0 ? 0 : -1;
}

static int write_areas(const char *path, const key_set *areas,
                       we_error *err)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return we_errorf(err, "cannot write %s", path);
    fputs("area,name,municipality\n", f);
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < areas->n; k++) {
        const char *code = areas->keys[k];
        char gm[7];
        if (municipality_of(code, gm) != 0)
            rc = we_errorf(err, "cannot derive the municipality of area "
                                "'%s' from its code; pass --areas", code);
        else
            fprintf(f, "%s,%s,%s\n", code, code, gm);
    }
    return fclose(f) != 0 && rc == 0 ? we_errorf(err, "cannot write %s",
                                                 path)
                                     : rc;
}

/* Without a catalogue the direction is unknown; did_2x2 and twfe do not
 * need it, so every indicator is entered as higher_is_better. */
static int write_catalog(const char *path, const key_set *inds,
                         we_error *err)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return we_errorf(err, "cannot write %s", path);
    fputs("indicator,label_nl,label_en,unit,direction,theme,source\n", f);
    for (size_t k = 0; k < inds->n; k++) {
        const char *n = inds->keys[k];
        fprintf(f, "%s,%s,%s,,higher_is_better,welzijn,\n", n, n, n);
    }
    return fclose(f) == 0 ? 0 : we_errorf(err, "cannot write %s", path);
}

/* The areas and catalogue files that were not given, derived from the
 * data file in a temporary directory; nothing when both were given. */
static int make_inputs(est_env *env, const est_args *a, we_error *err)
{
    if (a->areas != NULL && a->catalog != NULL)
        return 0;
    key_set areas = {.map = we_strmap_new(1024)};
    key_set inds = {.map = we_strmap_new(64)};
    int rc = areas.map && inds.map ? scan_data(a->data, &areas, &inds, err)
                                   : we_errorf(err, "out of memory");
    const char *tmp = we_cli_tmpdir();
    int n = snprintf(env->tmpdir, sizeof env->tmpdir, "%s/wijkeval-est-XXXXXX",
                     tmp);
    if (rc == 0 && (n < 0 || (size_t)n >= sizeof env->tmpdir ||
                    mkdtemp(env->tmpdir) == NULL)) {
        env->tmpdir[0] = '\0';
        rc = we_errorf(err, "cannot create a temporary directory in %s; "
                       "set TMPDIR to a writable directory", tmp);
    }
    snprintf(env->areas_path, sizeof env->areas_path, "%s/areas.csv",
             env->tmpdir);
    snprintf(env->catalog_path, sizeof env->catalog_path, "%s/catalog.csv",
             env->tmpdir);
    if (rc == 0 && a->areas == NULL)
        rc = write_areas(env->areas_path, &areas, err);
    if (rc == 0 && a->catalog == NULL)
        rc = write_catalog(env->catalog_path, &inds, err);
    key_free(&areas);
    key_free(&inds);
    return rc;
}

static int estimate_one(est_env *env, const est_args *a, const char *name,
                        we_error *err)
{
    long k = we_panel_indicator(&env->panel, name);
    if (k < 0 || env->panel.values[k] == NULL)
        return we_errorf(err, "%s: no rows for indicator '%s'", a->data,
                         name);
    we_result_rec r = {.indicator = (char *)name,
                       .role = WE_ROLE_PRIMARY,
                       .est = {.struct_size = sizeof r.est}};
    we_est_settings es = we_config_est_settings(&env->cfg);
    we_est_call call = {.d = &env->rd.d, .y = env->panel.values[k],
                        .method = a->method,
                        .direction = env->panel.catalog[k].direction,
                        .gap_group = env->rd.municipality,
                        .gap_weight = env->rd.weight,
                        .indicator = name, .has_seed = 1, .seed = a->seed};
    if (we_estimate_run(&es, &call, &r.est, NULL, err) != WE_OK)
        return -1;
    we_result_keep_cr1(&env->cfg, &r);
    we_run run = {.cfg = &env->cfg, .panel = &env->panel,
                  .version = WE_VERSION};
    if (a->json)
        return we_report_result_json(&run, &r, stdout, err);
    print_estimate(&r.est, name);
    return 0;
}

/* Each indicator of the comma-separated list, on the one loaded panel. */
static int run_estimate(est_env *env, const est_args *a, we_error *err)
{
    char *list = we_strdup(a->indicator), *save = NULL;
    if (list == NULL)
        return we_errorf(err, "out of memory");
    int several = strchr(list, ',') != NULL, rc = 0, n = 0;
    if (several && a->json)
        fputs("[\n", stdout);
    for (char *name = strtok_r(list, ",", &save); rc == 0 && name != NULL;
         name = strtok_r(NULL, ",", &save)) {
        if (several && a->json && n++ > 0)
            fputs(",\n", stdout);
        rc = estimate_one(env, a, name, err);
    }
    if (several && a->json && rc == 0)
        fputs("]\n", stdout);
    free(list);
    return rc;
}

/* Replaces the comparison group by the matched one. */
static int use_matching(est_env *env, const est_args *a, we_error *err)
{
    we_experiment_cfg ec = {
        .plugin = (char *)"estimate",
        .matching = {.enabled = 1, .propensity = a->match_propensity,
                     .k = a->match_k, .replace = 1},
    };
    we_experiment_matching em;
    if (we_matching_build(&em, &env->cfg, &env->panel, &env->rd, &ec,
                          a->indicator, err) != 0)
        return -1;
    if (em.match.m.note != NULL)
        fprintf(stderr, "wijkeval estimate: matching: %s\n",
                em.match.m.note);
    we_run_design_free(&env->rd);
    env->rd = em.rd;
    memset(&em.rd, 0, sizeof em.rd);
    we_matching_free(&em);
    return 0;
}

static void cleanup(est_env *env)
{
    we_run_design_free(&env->rd);
    we_panel_free(&env->panel);
    free_estimate_config(&env->cfg);
    if (env->tmpdir[0] != '\0' && strstr(env->tmpdir, "XXXXXX") == NULL) {
        unlink(env->areas_path);
        unlink(env->catalog_path);
        rmdir(env->tmpdir);
    }
}

int we_cli_estimate(int argc, char **argv)
{
    est_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc != 0)
        return rc == 1 ? 0 : 2;
    gsl_set_error_handler_off();
    est_env env;
    memset(&env, 0, sizeof env);
    we_error err = {{0}};
    rc = make_inputs(&env, &a, &err);
    if (rc == 0)
        rc = we_panel_load(&env.panel, a.areas ? a.areas : env.areas_path,
                           a.data, a.catalog ? a.catalog : env.catalog_path,
                           &err);
    if (rc == 0)
        rc = build_estimate_config(&env.cfg, &a, &env.panel, &err);
    if (rc == 0)
        rc = we_run_design_build(&env.rd, &env.cfg, &env.panel, &err);
    if (rc == 0 && a.matched)
        rc = use_matching(&env, &a, &err);
    if (rc == 0)
        rc = run_estimate(&env, &a, &err);
    if (rc != 0)
        fprintf(stderr, "wijkeval estimate: %s\n", err.msg);
    cleanup(&env);
    return rc == 0 ? 0 : 2;
}
