/* `wijkeval estimate`: one ad-hoc estimate without a config. The data go
 * through the same loader and design code as a full run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli/cli.h"
#include "config/config.h"
#include "analysis/design.h"
#include "analysis/design_choice.h"
#include "analysis/enrich.h"
#include "analysis/matching.h"
#include "config/est_settings.h"
#include "methods/estimator.h"
#include "model/run.h"
#include "report/report.h"
#include "cli/cli_estimate.h"
#include "util/parallel.h"
#include "util/text.h"

static const char est_usage[] =
    "usage: wijkeval estimate --data FILE [--areas FILE] [--catalog FILE]\n"
    "         --indicator NAME[,NAME...]\n"
    "         (--treated CODE[,CODE...] --from PERIOD | --treatment FILE)\n"
    "         [--baseline PERIOD]\n"
    "         [--method pre_post|gap|did_2x2|twfe|cs|sc|sdid]\n"
    "         [--cluster area|municipality] [--alpha A] [--json]\n"
    "         [--inference auto|cr1|wild] [--reps N] [--weights W] [--seed N]\n"
    "         [--adjacency FILE] [--jobs N]\n"
    "         [--comparison matched [--match-k K] [--match-method M]]\n"
    "         [--programme FILE [--comparison programme|untreated]]\n"
    "  --data       long CSV area,period,indicator,value\n"
    "  --indicator  one or more, comma-separated: each is estimated on the\n"
    "               same design and seed, as if alone (--json: an array)\n"
    "  --areas      area,name,municipality[,level][,population]; without it\n"
    "               the municipality is read from CBS codes (WK036301 ->\n"
    "               GM0363)\n"
    "  --catalog    indicator,label_nl,...,direction,...; without it\n"
    "               every indicator is higher_is_better\n"
    "  --treatment  CSV area,from: one row per treated area (waves)\n"
    "  --programme  CSV area,from: the programme's wijken; --treatment (or\n"
    "               --treated) is then the experiment's own wijken\n"
    "  --baseline   default: the last period before the first treatment\n"
    "  --method     default twfe; --cluster default municipality\n"
    "  --json       print the result object of report.json, with the\n"
    "               design detail: callaway_santanna.att_gt (cs),\n"
    "               synthetic.weights by area code (sc, sdid),\n"
    "               matching.balance (--comparison matched)\n"
    "  --inference  twfe p-value and interval: auto (default; the wild\n"
    "               cluster bootstrap below 42 clusters), cr1 or wild;\n"
    "               --reps (9999), --weights rademacher|webb, --seed (1)\n"
    "  --jobs       indicators estimated at once (default: the number of\n"
    "               processors); the output does not depend on it\n"
    "  --adjacency  CSV area,neighbour: the untreated neighbours of treated\n"
    "               areas leave the comparison group, as with\n"
    "               data.adjacency in a run\n"
    "  --comparison programme (the default with --programme): the\n"
    "               experiment's added value, against the programme wijken\n"
    "               outside it; areas outside the programme leave the sample\n"
    "  --comparison untreated (with --programme): programme and experiment\n"
    "               together, against the wijken outside the programme\n"
    "  --comparison matched: the k nearest untreated areas of each treated\n"
    "               area on the indicator's pre-period path form the\n"
    "               comparison group (--match-k 3, --match-method\n"
    "               mahalanobis|propensity)\n";

typedef struct est_env {
    we_config cfg;
    we_panel panel;
    we_run_design rd;
    /* --comparison matched: the matches and the balance table, for
     * --json; ec is what em.cfg points to. */
    we_experiment_cfg ec;
    we_experiment_matching em;
    int matched;
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
    else if (strcmp(opt, "--programme") == 0) a->programme = v;
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
        a->matched = a->cmp_untreated = a->cmp_programme = 0;
        if (strcmp(v, "run") == 0) a->matched = 0;
        else if (strcmp(v, "matched") == 0) a->matched = 1;
        else if (strcmp(v, "programme") == 0) a->cmp_programme = 1;
        else if (strcmp(v, "untreated") == 0) a->cmp_untreated = 1;
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
    } else if (strcmp(opt, "--jobs") == 0) {
        uint64_t j;
        if (we_cli_parse_u64(v, &j) != 0 || j < 1 || j > 1024)
            return -1;
        a->jobs = (size_t)j;
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
                    .reps = 9999, .seed = 1, .match_k = 3,
                    .jobs = we_default_jobs()};
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
    if ((a->cmp_programme || a->cmp_untreated) && a->programme == NULL) {
        fprintf(stderr, "wijkeval estimate: --comparison %s needs "
                        "--programme FILE (area,from of the programme's "
                        "wijken)\n",
                a->cmp_programme ? "programme" : "untreated");
        return 2;
    }
    if (a->programme != NULL && a->matched) {
        fprintf(stderr, "wijkeval estimate: --programme takes --comparison "
                        "programme or untreated, not matched\n");
        return 2;
    }
    return 0;
}

/* --programme: the experiment's wijken (--treatment or --treated) against
 * the programme wijken outside them (--comparison programme, the default;
 * areas outside the programme leave the sample) or against the wijken
 * outside the programme (--comparison untreated). */
static int use_programme(est_env *env, const est_args *a, we_error *err)
{
    we_run_design own;
    size_t overlap = 0;
    we_exp_comparison mode =
        a->cmp_untreated ? WE_EXP_CMP_UNTREATED : WE_EXP_CMP_PROGRAMME;
    if (we_run_design_experiment(&own, &env->rd, &env->cfg, &env->panel,
                                 "estimate", mode, &overlap, err) != 0)
        return -1;
    we_run_design_free(&env->rd);
    env->rd = own;
    return 0;
}

/* One indicator's estimate, printed into its own buffer: the indicators
 * run on threads and are printed in the order asked. */
typedef struct est_task {
    const char *name;
    char *out;      /* what it prints (open_memstream) */
    size_t out_len;
    int rc;
    we_error err;
} est_task;

typedef struct est_batch {
    est_env *env;
    const est_args *a;
    est_task *task;
} est_batch;

static int estimate_one(est_env *env, const est_args *a, const char *name,
                        FILE *out, we_error *err)
{
    long k = we_panel_indicator(&env->panel, name);
    if (k < 0 || env->panel.values[k] == NULL)
        return we_fail(err, WE_EINVAL, "%s: no rows for indicator '%s'",
                       a->data, name);
    we_result_rec r = {.indicator = (char *)name,
                       .role = WE_ROLE_PRIMARY,
                       .est = {.struct_size = sizeof r.est}};
    we_est_settings es = we_config_est_settings(&env->cfg);
    we_est_call call = {.d = &env->rd.d, .y = env->panel.values[k],
                        .method = a->method,
                        .direction = env->panel.catalog[k].direction,
                        .gap_group = env->rd.gap_group,
                        .gap_weight = env->rd.weight,
                        .indicator = name, .has_seed = 1, .seed = a->seed};
    /* The design detail (CS cells, SC/SDID weights) goes where a run's
     * design headline keeps it, so the report's writer prints it. */
    if (we_estimate_run(&es, &call, &r.est, &r.x.detail, err) != WE_OK)
        return -1;
    we_result_keep_cr1(&env->cfg, &r);
    we_result_flag_descriptive(&env->rd.d, &r);
    /* The MDE of what was estimated: the analytic TWFE formula, or the
     * design estimator's own by simulation; seeded from --seed. */
    we_error merr = {{0}};
    if (we_is_design_method(a->method))
        we_result_design_mde(&env->cfg, &env->rd.d, env->panel.values[k],
                             we_derive_seed(a->seed, NULL, name, "mde"), &r,
                             &merr);
    else if (a->method == WE_METHOD_TWFE || a->method == WE_METHOD_DID_2X2)
        r.x.has_mde = we_mde_compute(env->panel.values[k], &env->rd.d,
                                     0.8, 0, a->seed,
                                     &r.x.mde, &merr) == WE_OK;
    we_run run = {.cfg = &env->cfg, .panel = &env->panel,
                  .version = WE_VERSION};
    int rc = 0;
    if (a->json)
        rc = we_report_result_json_matched(&run, &r,
                                           env->matched ? &env->em : NULL,
                                           out, err);
    else
        print_estimate(out, &r, &env->cfg, merr.msg);
    we_result_extra_free(&r.x);
    return rc;
}

static void estimate_task(void *user, size_t i)
{
    est_batch *b = user;
    est_task *t = &b->task[i];
    FILE *out = open_memstream(&t->out, &t->out_len);
    if (out == NULL) {
        t->rc = we_fail(&t->err, WE_ENOMEM, "out of memory");
        return;
    }
    t->rc = estimate_one(b->env, b->a, t->name, out, &t->err);
    if (fclose(out) != 0 && t->rc == 0)
        t->rc = we_fail(&t->err, WE_ENOMEM, "out of memory");
}

/* Each indicator of the comma-separated list, on the one loaded panel,
 * up to a->jobs at a time; printed in the order given, up to the first
 * that fails (as one after the other would). */
static int run_estimate(est_env *env, const est_args *a, we_error *err)
{
    char *list = we_strdup(a->indicator), *save = NULL;
    size_t n = 1;
    for (const char *c = a->indicator; *c; c++)
        n += *c == ',';
    est_task *task = calloc(n, sizeof *task);
    if (list == NULL || task == NULL) {
        free(list);
        free(task);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    size_t m = 0;
    for (char *name = strtok_r(list, ",", &save); name != NULL;
         name = strtok_r(NULL, ",", &save))
        task[m++].name = name;
    est_batch b = {env, a, task};
    we_parallel_for(m, a->jobs, estimate_task, &b);
    int several = m > 1 || strchr(a->indicator, ',') != NULL, rc = 0;
    if (several && a->json)
        fputs("[\n", stdout);
    for (size_t i = 0; i < m && rc == 0; i++) {
        if (several && a->json && i > 0)
            fputs(",\n", stdout);
        if (task[i].out != NULL)
            fwrite(task[i].out, 1, task[i].out_len, stdout);
        rc = task[i].rc;
        if (rc != 0)
            *err = task[i].err;
    }
    if (several && a->json && rc == 0)
        fputs("]\n", stdout);
    for (size_t i = 0; i < m; i++)
        free(task[i].out);
    free(task);
    free(list);
    return rc;
}

/* Replaces the comparison group by the matched one; the matches and
 * balance table stay in env->em for --json. */
static int use_matching(est_env *env, const est_args *a, we_error *err)
{
    env->ec = (we_experiment_cfg){
        .plugin = (char *)"estimate",
        .matching = {.enabled = 1, .propensity = a->match_propensity,
                     .k = a->match_k, .replace = 1},
    };
    we_experiment_matching *em = &env->em;
    if (we_matching_build(em, &env->cfg, &env->panel, &env->rd, &env->ec,
                          a->indicator, err) != 0)
        return -1;
    env->matched = 1;
    if (em->match.m.note != NULL)
        fprintf(stderr, "wijkeval estimate: matching: %s\n",
                em->match.m.note);
    we_run_design_free(&env->rd);
    env->rd = em->rd;
    memset(&em->rd, 0, sizeof em->rd);
    return 0;
}

static void cleanup(est_env *env)
{
    if (env->matched)
        we_matching_free(&env->em);
    we_run_design_free(&env->rd);
    we_panel_free(&env->panel);
    free_estimate_config(&env->cfg);
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
    /* The loader of a run; without --areas or --catalog it derives them
     * from the data file, in memory. */
    /* Only the indicators asked for, and no checksum: estimate prints
     * none (docs/performance.md). */
    we_panel_load_options lo = {.indicators = a.indicator, .no_checksum = 1};
    rc = we_panel_load_with(&env.panel, a.areas, a.data, a.catalog, &lo,
                            &err);
    if (rc == 0)
        rc = build_estimate_config(&env.cfg, &a, &env.panel, &err);
    if (rc == 0)
        rc = we_run_design_build(&env.rd, &env.cfg, &env.panel, &err);
    if (rc == 0 && a.matched)
        rc = use_matching(&env, &a, &err);
    if (rc == 0 && a.programme != NULL)
        rc = use_programme(&env, &a, &err);
    if (rc == 0)
        rc = run_estimate(&env, &a, &err);
    if (rc != 0)
        fprintf(stderr, "wijkeval estimate: %s\n", we_text_sanitize(err.msg));
    cleanup(&env);
    return rc == 0 ? 0 : 2;
}
