/* The report writers, on a run model built by hand: the JSON schema and its
 * nulls, CSV quoting and cells, the Markdown summary, and that a failed
 * write leaves neither temporary files nor a changed previous report. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/enrich.h"
#include "analysis/judge.h"
#include "report/report.h"
#include "report/report_internal.h"
#include "report/report_verdict.h"

#define ERROR_MSG "data: \"ervaren_gezondheid_pct\" not found, add it | or drop it"
#define SHA_CFG "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define SHA_DATA "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

typedef struct fx {
    char dir[64];
    we_config cfg;
    we_panel panel;
    we_run run;
    we_area_rec areas[3];
    int periods[4];
    we_catalog_rec catalog[3];
    double *values[3];
    double v0[12], v1[12];
    size_t marked[3];
    int followup[2];
    we_experiment_run exps[4];
    we_result_rec res[3];
    we_result_rec res2[1], res3[1]; /* of exps[2] and exps[3] */
    we_event_coef coef[4];
    we_metric_rec met[1];
} fx;

/* ---- helpers ------------------------------------------------------------ */

static char *path_in(const fx *f, const char *name)
{
    static char buf[4][512];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, sizeof buf[0], "%s/%s", f->dir, name);
    return p;
}

static char *slurp(const char *path)
{
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    fseek(in, 0, SEEK_END);
    long n = ftell(in);
    rewind(in);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, in), (size_t)n);
    s[n] = '\0';
    fclose(in);
    return s;
}

static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d != NULL && (e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char sub[1024];
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            remove_tree(sub);
        }
        if (d != NULL)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static int count_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += strstr(e->d_name, ".tmp.") != NULL;
    closedir(d);
    return n;
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* ---- the hand-built run ------------------------------------------------- */

static void fill_panel(fx *f)
{
    static const char *const codes[] = {"BU03630101", "BU03630102",
                                        "BU05990101"};
    for (int i = 0; i < 3; i++)
        f->areas[i] = (we_area_rec){(char *)codes[i], "Buurt",
                                    i < 2 ? "GM0363" : "GM0599", "",
                                    1000.0 * (i + 1), NULL};
    for (int t = 0; t < 4; t++)
        f->periods[t] = 2006 + t;
    f->catalog[0] = (we_catalog_rec){
        "tevreden_woonomgeving_pct", "Tevreden met woonomgeving",
        "Satisfied with residential environment", "pct",
        WE_HIGHER_IS_BETTER, "wonen", "WoON"};
    f->catalog[1] = (we_catalog_rec){
        "werkloosheid_pct", "Werkloosheid", "Unemployment", "pct",
        WE_LOWER_IS_BETTER, "werken", "CBS"};
    f->catalog[2] = (we_catalog_rec){
        "ervaren_gezondheid_pct", "Ervaren gezondheid", "Perceived health",
        "pct", WE_HIGHER_IS_BETTER, "gezondheid", "GGD"};
    f->values[0] = f->v0;
    f->values[1] = f->v1;
    f->values[2] = NULL;
    f->marked[1] = 3;
    f->panel = (we_panel){.n_areas = 3, .areas = f->areas, .n_periods = 4,
                          .periods = f->periods, .n_indicators = 3,
                          .catalog = f->catalog, .values = f->values,
                          .n_marked_missing = f->marked, .n_rows = 24};
    strcpy(f->panel.data_sha256, SHA_DATA);
}

static void fill_config(fx *f)
{
    we_config_set_defaults(&f->cfg);
    f->cfg.inference.boot_weights = 1; /* not the defaults: they must show */
    f->cfg.inference.perm_strata = 0;
    f->cfg.inference.event_min = -3;
    f->followup[0] = 2008;
    f->followup[1] = 2009;
    f->cfg.path = "configs/unit.cfg";
    f->cfg.name = "unit_run";
    f->cfg.title = "Simulated demo data, unit test";
    f->cfg.baseline = 2007;
    f->cfg.followup = f->followup;
    f->cfg.n_followup = 2;
    f->cfg.comparison = WE_COMPARISON_SAME_MUNICIPALITY;
    f->cfg.gap_reference = WE_GAP_NATIONAL;
    f->cfg.alpha = 0.05;
    f->cfg.seed = 12345;
    f->cfg.cluster = WE_CLUSTER_MUNICIPALITY;
    strcpy(f->cfg.config_sha256, SHA_CFG);
}

/* Extras as the host's pass leaves a result that has none of the
 * optional parts: enriched, every p-value NaN. */
static we_result_extra extras_none(void)
{
    we_result_extra x;
    memset(&x, 0, sizeof x);
    x.enriched = 1;
    x.p_holm = x.p_bh = x.p_holm_all = x.p_bh_all = NAN;
    x.p_adjusted = x.pretrend_p = NAN;
    return x;
}

static we_evidence evidence(int level, we_erkenning e, const char *why)
{
    we_evidence ev = {.sms_level = level, .erkenning = e};
    snprintf(ev.reasons, sizeof ev.reasons, "%s", why);
    return ev;
}

/* Two leads and two lags around the reference -1. */
static void fill_event(fx *f, we_result_extra *x)
{
    static const int rel[4] = {-3, -2, 0, 1};
    for (int i = 0; i < 4; i++)
        f->coef[i] = (we_event_coef){
            .rel_time = rel[i], .estimate = 0.125 * (i - 1), .se = 0.0625,
            .ci_low = 0.125 * (i - 1) - 0.125,
            .ci_high = 0.125 * (i - 1) + 0.125, .p_value = 0.5 - 0.125 * i,
            .n_treated = 4 - (i == 0)};
    x->has_event = 1;
    x->event = (we_event_result){
        .n_coef = 4, .coef = f->coef, .pretrend_q = 2, .pretrend_wald = 1.75,
        .pretrend_f = 0.875, .pretrend_p = 0.4375, .pretrend_boot_p = 0.5,
        .df = 11, .n_obs = 48, .pretrend_boot_reps = 999,
        .pretrend_boot_enumerated = 0};
}

/* The primary TWFE of samenhang: bootstrapped, with every extra. */
static void fill_twfe_extras(fx *f, we_result_extra *x)
{
    *x = extras_none();
    x->has_cr1 = 1;
    x->p_cr1 = 0.00390625;
    x->ci_low_cr1 = 0.21875;
    x->ci_high_cr1 = 0.78125;
    x->has_effect_size = 1;
    x->effect_size = (we_effect_size){0.25, 0.125, 0.375, 0.1875,
                                      0.09375, 0.28125, 2.0, 2.5};
    x->p_holm = 0.00390625;
    x->p_bh = 0.0029296875;
    x->p_holm_all = 0.015625;
    x->p_bh_all = 0.0078125;
    x->p_adjusted = x->p_holm;
    fill_event(f, x);
    x->pretrend_p = 0.5; /* the bootstrap p: the estimate was bootstrapped */
    x->has_ri = 1;
    x->ri = (we_ri_result){.estimate = 0.5, .p_value = 0.012, .reps = 999};
    x->has_mde = 1;
    x->mde = (we_mde){.mde = 0.3, .power = 0.8, .alpha = 0.05, .icc = 0.125,
                      .sigma2 = 1.5, .rho = 0.375, .sim_power = 0.795,
                      .sim_reps = 200};
    x->evidence = evidence(3, WE_ERKENNING_GOEDE,
                           "Level 3: DiD with comparison wijken; pre-trends "
                           "not rejected (p = 0.5).");
}

static void fill_results(fx *f)
{
    const uint32_t sz = sizeof(we_estimate);
    f->res[0] = (we_result_rec){"tevreden_woonomgeving_pct", WE_ROLE_PRIMARY,
        {.struct_size = sz, .method = WE_METHOD_TWFE, .estimate = 0.5,
         .se = 0.125, .ci_low = 0.25, .ci_high = 0.75,
         .p_value = 0.001953125, .df = 11, .n_treated = 4, .n_control = 8,
         .n_obs = 48, .baseline = NAN, .latest = NAN,
         .inference = WE_INFERENCE_WILD_RADEMACHER,
         .inference_reps = 9999}, extras_none()};
    fill_twfe_extras(f, &f->res[0].x);
    f->res[1] = (we_result_rec){"tevreden_woonomgeving_pct", WE_ROLE_PRIMARY,
        {.struct_size = sz, .method = WE_METHOD_PRE_POST, .estimate = 0.1,
         .se = 0.0625, .ci_low = -0.25, .ci_high = 0.5, .p_value = NAN,
         .df = 3, .n_treated = 4, .n_control = 0, .n_obs = 8,
         .baseline = 60.5, .latest = 60.75,
         .inference = WE_INFERENCE_T_PAIRED}, extras_none()};
    f->res[1].x.evidence = evidence(1, WE_ERKENNING_NONE,
                                    "Level 1: before/after.");
    f->res[2] = (we_result_rec){"werkloosheid_pct", WE_ROLE_SECONDARY,
        {.struct_size = sz, .method = WE_METHOD_GAP, .estimate = -1.25,
         .se = 0.5, .ci_low = -2.5, .ci_high = 0, .p_value = 0.0625,
         .df = 3, .n_treated = 4, .n_control = -1, .n_obs = 8,
         .baseline = 5.5, .latest = 4.25, .closing = 1,
         .inference = WE_INFERENCE_T_PAIRED}, extras_none()};
    f->res[2].x.p_holm = f->res[2].x.p_bh = 0.0625;
    f->res[2].x.p_holm_all = f->res[2].x.p_bh_all = 0.125;
    f->res[2].x.p_adjusted = 0.0625;
    f->res[2].x.evidence = evidence(1, WE_ERKENNING_EERSTE, "Level 1: gap.");
    f->met[0] = (we_metric_rec){.name = "initiatives_per_1000", .value = 2.5,
                                .unit = "per 1000 residents",
                                .description = "Resident initiatives, per 1000 residents"};
}

/* Two more experiments for the order of the summary (left out unless a
 * test sets run.n_experiments = 4): slagkracht has the larger effect but
 * rejected pre-trends; bureaucratie has no headline. */
static void fill_more_results(fx *f)
{
    const uint32_t sz = sizeof(we_estimate);
    f->res2[0] = (we_result_rec){"werkloosheid_pct", WE_ROLE_PRIMARY,
        {.struct_size = sz, .method = WE_METHOD_TWFE, .estimate = -1.5,
         .se = 0.25, .ci_low = -2, .ci_high = -1, .p_value = 0.0001,
         .df = 11, .n_treated = 4, .n_control = 8, .n_obs = 48,
         .baseline = NAN, .latest = NAN, .inference = WE_INFERENCE_CR1},
        extras_none()};
    we_result_extra *x = &f->res2[0].x;
    x->has_effect_size = 1;
    x->effect_size = (we_effect_size){0.75, 0.5, 1.0, 0.7, 0.45, 0.95,
                                      2.0, 2.1};
    x->p_holm = x->p_bh = x->p_holm_all = x->p_bh_all = 0.0001;
    x->p_adjusted = 0.0001;
    x->pretrend_p = 0.003;
    x->evidence = evidence(2, WE_ERKENNING_EERSTE,
                           "Level 2: pre-trends rejected (p = 0.003).");
    f->res3[0] = (we_result_rec){"ervaren_gezondheid_pct", WE_ROLE_PRIMARY,
        {.struct_size = sz, .method = WE_METHOD_PRE_POST, .estimate = 1,
         .se = 0.5, .ci_low = 0, .ci_high = 2, .p_value = 0.05, .df = 3,
         .n_treated = 4, .n_control = 0, .n_obs = 8, .baseline = 50,
         .latest = 51, .inference = WE_INFERENCE_T_PAIRED}, extras_none()};
    f->res3[0].x.evidence = evidence(1, WE_ERKENNING_NONE, "Level 1.");
}

static void fill_experiments(fx *f)
{
    f->exps[0] = (we_experiment_run){
        .id = "samenhang", .title_nl = "Samenhang in de wijk",
        .title_en = "Social cohesion", .version = "1.0.0",
        .summary = "Did social cohesion improve in treated areas?",
        .status = WE_EXP_OK, .results = f->res, .n_results = 3,
        .metrics = f->met, .n_metrics = 1, .headline = 0,
        .evidence = f->res[0].x.evidence};
    /* headline 0, as the host's zeroed record leaves it: the headline of
     * a failed experiment must not be read. */
    f->exps[1] = (we_experiment_run){
        .id = "gezonde_wijk", .title_nl = "Gezonde wijk",
        .title_en = "Healthy neighbourhood", .version = "1.0.0",
        .summary = "Did perceived health improve?",
        .status = WE_EXP_FAILED, .error = ERROR_MSG};
    f->exps[2] = (we_experiment_run){
        .id = "slagkracht", .title_nl = "Slagkracht in de wijk",
        .title_en = "Capacity to act", .version = "1.0.0",
        .summary = "Faster action?", .status = WE_EXP_OK,
        .results = f->res2, .n_results = 1, .headline = 0,
        .evidence = f->res2[0].x.evidence};
    f->exps[3] = (we_experiment_run){
        .id = "bureaucratie", .title_nl = "Terugdringen bureaucratie",
        .title_en = "Reducing bureaucracy", .version = "1.0.0",
        .summary = "Shorter procedures?", .status = WE_EXP_OK,
        .results = f->res3, .n_results = 1, .headline = -1,
        .evidence = evidence(0, WE_ERKENNING_NONE,
                             "No TWFE estimate of the primary indicator: "
                             "no evidence level.")};

    f->run = (we_run){.cfg = &f->cfg, .panel = &f->panel,
                      .version = "0.1.0", .started = 1199145600,
                      .finished = 1199145661, .experiments = f->exps,
                      .n_experiments = 2};
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    strcpy(f->dir, "/tmp/we_report_XXXXXX");
    if (mkdtemp(f->dir) == NULL) {
        free(f);
        return -1;
    }
    fill_panel(f);
    fill_config(f);
    fill_results(f);
    fill_more_results(f);
    fill_experiments(f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    remove_tree(f->dir);
    free(f);
    return 0;
}

/* The report of the run as the analysis layer leaves it: the verdicts
 * and warnings judged again after a test changed the results. */
static void write_ok(fx *f, unsigned formats)
{
    we_error err = {{0}};
    we_judge_run(&f->cfg, &f->panel, &f->run);
    int rc = we_report_write(&f->run, f->dir, formats, &err);
    if (rc != 0)
        fail_msg("we_report_write: %s", err.msg);
    assert_int_equal(count_tmp(f->dir), 0);
}

/* ---- report.json -------------------------------------------------------- */

static json_t *load_json(fx *f)
{
    json_error_t je;
    json_t *root = json_load_file(path_in(f, "report.json"), 0, &je);
    if (root == NULL)
        fail_msg("report.json:%d:%d: %s", je.line, je.column, je.text);
    return root;
}

static const char *str(json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    if (v == NULL)
        fail_msg("\"%s\" is not a string", key);
    return v;
}

static json_int_t integer(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v))
        fail_msg("\"%s\" is not an integer", key);
    return json_integer_value(v);
}

static void check_json_run_inference(json_t *inf)
{
    json_t *boot = json_object_get(inf, "bootstrap");
    json_t *perm = json_object_get(inf, "permutation");
    json_t *ev = json_object_get(inf, "event_study");
    assert_string_equal(str(inf, "method"), "auto");
    assert_int_equal(integer(boot, "reps"), 9999);
    assert_string_equal(str(boot, "weights"), "webb");
    assert_int_equal(integer(perm, "reps"), 999);
    assert_string_equal(str(perm, "strata"), "none");
    assert_int_equal(integer(ev, "min"), -3);
    assert_int_equal(integer(ev, "max"), 3);
    assert_int_equal(integer(ev, "bootstrap_reps"), 999);
    assert_string_equal(str(inf, "adjust"), "holm");
    assert_true(json_real_value(json_object_get(inf, "power")) == 0.8);
    assert_int_equal(integer(inf, "mde_simulations"), 200);
}

static void check_json_run(json_t *root)
{
    json_t *run = json_object_get(root, "run");
    assert_string_equal(json_string_value(json_object_get(root, "schema")),
                        "wijkeval-report/1");
    assert_string_equal(json_string_value(json_object_get(run, "name")),
                        "unit_run");
    assert_string_equal(json_string_value(json_object_get(run, "config")),
                        "configs/unit.cfg");
    assert_string_equal(
        json_string_value(json_object_get(run, "config_sha256")), SHA_CFG);
    assert_string_equal(
        json_string_value(json_object_get(run, "data_sha256")), SHA_DATA);
    assert_int_equal(json_integer_value(json_object_get(run, "seed")), 12345);
    assert_true(json_real_value(json_object_get(run, "alpha")) == 0.05);
    assert_string_equal(json_string_value(json_object_get(run, "cluster")),
                        "municipality");
    assert_string_equal(
        json_string_value(json_object_get(run, "comparison")),
        "same_municipality");
    assert_string_equal(
        json_string_value(json_object_get(run, "gap_reference")), "national");
    assert_int_equal(json_array_size(json_object_get(run, "followup")), 2);
    assert_int_equal(json_integer_value(json_array_get(
                         json_object_get(run, "followup"), 1)), 2009);
    assert_string_equal(json_string_value(json_object_get(run, "started")),
                        "2008-01-01T00:00:00Z");
    assert_string_equal(json_string_value(json_object_get(run, "finished")),
                        "2008-01-01T00:01:01Z");
    check_json_run_inference(json_object_get(run, "inference"));
}

static void check_json_data(json_t *root)
{
    json_t *d = json_object_get(root, "data");
    json_t *miss = json_object_get(d, "missing_by_indicator");
    assert_int_equal(json_integer_value(json_object_get(d, "areas")), 3);
    assert_int_equal(json_integer_value(json_array_get(
                         json_object_get(d, "periods"), 0)), 2006);
    assert_int_equal(json_integer_value(json_array_get(
                         json_object_get(d, "periods"), 1)), 2009);
    assert_int_equal(json_integer_value(json_object_get(d, "n_periods")), 4);
    assert_int_equal(json_integer_value(json_object_get(d, "indicators")), 2);
    assert_int_equal(json_integer_value(json_object_get(d, "rows")), 24);
    assert_int_equal(
        json_integer_value(json_object_get(d, "missing_marked")), 3);
    assert_int_equal(json_object_size(miss), 1);
    assert_int_equal(
        json_integer_value(json_object_get(miss, "werkloosheid_pct")), 3);
}

static double num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    assert_true(json_is_number(v));
    return json_number_value(v);
}

static double item(json_t *o, const char *key, size_t i)
{
    json_t *v = json_array_get(json_object_get(o, key), i);
    if (!json_is_number(v))
        fail_msg("\"%s\"[%zu] is not a number", key, i);
    return json_number_value(v);
}

static void check_json_event(json_t *es)
{
    json_t *coefs = json_object_get(es, "coefficients");
    json_t *pt = json_object_get(es, "pretrend");
    json_t *c0 = json_array_get(coefs, 0), *c3 = json_array_get(coefs, 3);
    assert_int_equal(json_array_size(coefs), 4);
    assert_int_equal(integer(c0, "rel_time"), -3);
    assert_true(num(c0, "estimate") == -0.125);
    assert_true(num(c0, "se") == 0.0625);
    assert_true(num(c0, "ci_low") == -0.25);
    assert_true(num(c0, "ci_high") == 0);
    assert_true(num(c0, "p_value") == 0.5);
    assert_int_equal(integer(c0, "n_treated"), 3);
    assert_int_equal(integer(c3, "rel_time"), 1);
    assert_true(num(c3, "estimate") == 0.25);
    assert_int_equal(integer(pt, "q"), 2);
    assert_true(num(pt, "wald") == 1.75);
    assert_true(num(pt, "f") == 0.875);
    assert_true(num(pt, "p") == 0.4375);
    assert_true(num(pt, "boot_p") == 0.5);
    assert_int_equal(integer(pt, "boot_reps"), 999);
    assert_true(json_is_false(json_object_get(pt, "boot_enumerated")));
    assert_int_equal(integer(pt, "df"), 11);
    assert_true(json_is_null(json_object_get(es, "note")));
}

static void check_json_effect(json_t *es)
{
    assert_true(num(es, "glass_delta") == 0.25);
    assert_true(item(es, "glass_ci", 0) == 0.125);
    assert_true(item(es, "glass_ci", 1) == 0.375);
    assert_true(num(es, "hedges_g") == 0.1875);
    assert_true(item(es, "hedges_ci", 0) == 0.09375);
    assert_true(item(es, "hedges_ci", 1) == 0.28125);
    assert_true(num(es, "sd_comparison") == 2.0);
    assert_true(num(es, "sd_pooled") == 2.5);
}

static void check_json_adjusted(json_t *pa)
{
    assert_string_equal(str(pa, "method"), "holm");
    assert_true(num(pa, "value") == 0.00390625);
    assert_true(num(json_object_get(pa, "holm"), "experiment") == 0.00390625);
    assert_true(num(json_object_get(pa, "holm"), "report") == 0.015625);
    assert_true(num(json_object_get(pa, "bh"), "experiment") ==
                0.0029296875);
    assert_true(num(json_object_get(pa, "bh"), "report") == 0.0078125);
}

static void check_json_twfe_extras(json_t *twfe)
{
    json_t *inf = json_object_get(twfe, "inference");
    json_t *cr1 = json_object_get(twfe, "cr1");
    json_t *mde = json_object_get(twfe, "mde");
    json_t *ri = json_object_get(twfe, "randomization");
    json_t *ev = json_object_get(twfe, "evidence");
    assert_string_equal(str(inf, "method"), "wild_rademacher");
    assert_int_equal(integer(inf, "reps"), 9999);
    assert_string_equal(str(inf, "description"),
                        "wild cluster bootstrap by municipality (WCR, "
                        "Rademacher, 9,999 replications); se: CR1 with "
                        "t(G-1)");
    assert_true(num(cr1, "p_value") == 0.00390625);
    assert_true(num(cr1, "ci_low") == 0.21875);
    assert_true(num(cr1, "ci_high") == 0.78125);
    check_json_adjusted(json_object_get(twfe, "p_adjusted"));
    check_json_effect(json_object_get(twfe, "effect_size"));
    assert_true(num(twfe, "pretrend_p") == 0.5);
    check_json_event(json_object_get(twfe, "event_study"));
    assert_true(num(ri, "p_value") == 0.012);
    assert_int_equal(integer(ri, "reps"), 999);
    assert_true(num(mde, "value") == 0.3);
    assert_true(num(mde, "power") == 0.8);
    assert_true(num(mde, "alpha") == 0.05);
    assert_true(num(mde, "icc") == 0.125);
    assert_true(num(mde, "sigma2") == 1.5);
    assert_true(num(mde, "rho") == 0.375);
    assert_true(num(mde, "simulated_power") == 0.795);
    assert_int_equal(integer(mde, "simulations"), 200);
    assert_int_equal(integer(ev, "sms_level"), 3);
    assert_string_equal(str(ev, "erkenning"), "goede aanwijzingen");
}

/* Methods without the TWFE extras: nulls, and no event_study key. */
static void check_json_plain_extras(json_t *pp, json_t *gap)
{
    json_t *inf = json_object_get(pp, "inference");
    assert_string_equal(str(inf, "method"), "t_paired");
    assert_true(json_is_null(json_object_get(inf, "reps")));
    assert_non_null(strstr(str(inf, "description"), "paired"));
    static const char *const nulls[] = {"cr1", "effect_size", "pretrend_p",
                                        "randomization", "mde"};
    for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++) {
        if (!json_is_null(json_object_get(pp, nulls[i])))
            fail_msg("pre_post: %s is not null", nulls[i]);
    }
    assert_null(json_object_get(pp, "event_study"));
    json_t *pa = json_object_get(pp, "p_adjusted");
    assert_true(json_is_null(json_object_get(pa, "value")));
    assert_true(json_is_null(json_object_get(json_object_get(pa, "bh"),
                                             "report")));
    json_t *ev = json_object_get(pp, "evidence");
    assert_int_equal(integer(ev, "sms_level"), 1);
    assert_true(json_is_null(json_object_get(ev, "erkenning")));
    assert_string_equal(str(ev, "reasons"), "Level 1: before/after.");
    assert_true(num(json_object_get(json_object_get(gap, "p_adjusted"),
                                    "bh"), "report") == 0.125);
    assert_string_equal(str(json_object_get(gap, "evidence"), "erkenning"),
                        "eerste aanwijzingen");
}

static void check_json_results(json_t *res)
{
    json_t *twfe = json_array_get(res, 0), *pp = json_array_get(res, 1);
    json_t *gap = json_array_get(res, 2);
    assert_int_equal(json_array_size(res), 3);
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(twfe, "label"), "en")),
                        "Satisfied with residential environment");
    assert_string_equal(
        json_string_value(json_object_get(twfe, "direction")),
        "higher_is_better");
    assert_string_equal(json_string_value(json_object_get(twfe, "method")),
                        "twfe");
    assert_true(num(twfe, "estimate") == 0.5);
    assert_true(num(twfe, "p_value") == 0.001953125);
    assert_true(json_is_null(json_object_get(twfe, "baseline")));
    assert_null(json_object_get(twfe, "closing"));
    check_json_twfe_extras(twfe);
    check_json_plain_extras(pp, gap);
    /* 17 significant digits: 0.1 comes back as the same double. */
    assert_true(num(pp, "estimate") == 0.1);
    assert_true(json_is_null(json_object_get(pp, "p_value")));
    assert_int_equal(json_integer_value(json_object_get(pp, "n_control")), 0);
    assert_true(json_is_null(json_object_get(gap, "n_control")));
    assert_true(json_is_true(json_object_get(gap, "closing")));
    assert_string_equal(json_string_value(json_object_get(gap, "role")),
                        "secondary");
    assert_string_equal(
        json_string_value(json_object_get(gap, "direction")),
        "lower_is_better");
}

static void check_json_experiments(json_t *root)
{
    json_t *ex = json_object_get(root, "experiments");
    json_t *ok = json_array_get(ex, 0), *bad = json_array_get(ex, 1);
    json_t *sum = json_object_get(root, "summary");
    assert_int_equal(json_array_size(ex), 2);
    assert_string_equal(json_string_value(json_object_get(ok, "status")),
                        "ok");
    assert_true(json_is_null(json_object_get(ok, "error")));
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(ok, "title"), "nl")),
                        "Samenhang in de wijk");
    check_json_results(json_object_get(ok, "results"));
    json_t *m = json_array_get(json_object_get(ok, "metrics"), 0);
    assert_string_equal(json_string_value(json_object_get(m, "name")),
                        "initiatives_per_1000");
    assert_true(num(m, "value") == 2.5);
    assert_int_equal(integer(ok, "headline"), 0);
    json_t *ev = json_object_get(ok, "evidence");
    assert_int_equal(integer(ev, "sms_level"), 3);
    assert_string_equal(str(ev, "erkenning"), "goede aanwijzingen");
    assert_non_null(strstr(str(ev, "reasons"), "pre-trends not rejected"));
    assert_true(json_is_null(json_object_get(bad, "headline")));
    assert_true(json_is_null(json_object_get(bad, "evidence")));
    assert_string_equal(json_string_value(json_object_get(bad, "status")),
                        "failed");
    assert_string_equal(json_string_value(json_object_get(bad, "error")),
                        ERROR_MSG);
    assert_int_equal(json_array_size(json_object_get(bad, "results")), 0);
    assert_int_equal(json_integer_value(json_object_get(sum, "ok")), 1);
    assert_int_equal(json_integer_value(json_object_get(sum, "failed")), 1);
    assert_int_equal(json_integer_value(json_object_get(sum, "experiments")),
                     2);
}

static void test_json(void **state)
{
    fx *f = *state;
    write_ok(f, WE_FORMAT_JSON);
    assert_false(exists(path_in(f, "results.csv")));
    assert_false(exists(path_in(f, "report.md")));
    json_t *root = load_json(f);
    check_json_run(root);
    check_json_data(root);
    check_json_experiments(root);
    json_decref(root);
}

static void test_json_edge_values(void **state)
{
    fx *f = *state;
    f->cfg.seed = UINT64_MAX;
    f->exps[1].error = "bad byte \xff here";
    f->run.started = (time_t)-1;
    write_ok(f, WE_FORMAT_JSON);
    json_t *root = load_json(f);
    json_t *run = json_object_get(root, "run");
    assert_string_equal(json_string_value(json_object_get(run, "seed")),
                        "18446744073709551615");
    assert_true(json_is_null(json_object_get(run, "started")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(
                            json_object_get(root, "experiments"), 1),
                                                          "error")),
                        "bad byte ? here");
    json_decref(root);
}

/* Non-finite extras are null like every other number; an infinite bound
 * of a bootstrap interval too. */
static void test_json_nonfinite_extras(void **state)
{
    fx *f = *state;
    we_result_extra *x = &f->res[0].x;
    x->effect_size.glass_high = INFINITY;
    x->p_cr1 = NAN;
    x->mde.sim_power = NAN;
    x->event.pretrend_boot_p = NAN;
    x->pretrend_p = NAN;
    f->res[0].est.ci_low = -INFINITY;
    snprintf(x->event.note, sizeof x->event.note, "no observations at "
             "event time(s) 2");
    write_ok(f, WE_FORMAT_JSON);
    json_t *root = load_json(f);
    json_t *twfe = json_array_get(json_object_get(json_array_get(
        json_object_get(root, "experiments"), 0), "results"), 0);
    json_t *es = json_object_get(twfe, "event_study");
    assert_true(json_is_null(json_array_get(json_object_get(
        json_object_get(twfe, "effect_size"), "glass_ci"), 1)));
    assert_true(json_is_null(json_object_get(json_object_get(twfe, "cr1"),
                                             "p_value")));
    assert_true(json_is_null(json_object_get(json_object_get(twfe, "mde"),
                                             "simulated_power")));
    assert_true(json_is_null(json_object_get(
        json_object_get(es, "pretrend"), "boot_p")));
    assert_true(json_is_null(json_object_get(twfe, "pretrend_p")));
    assert_true(json_is_null(json_object_get(twfe, "ci_low")));
    assert_string_equal(str(es, "note"), "no observations at event time(s) 2");
    json_decref(root);
}

/* A result built outside a run (wijkeval estimate): zeroed extras and no
 * recorded inference. Its adjusted p, pre-trend p and evidence are null,
 * not 0, and the inference is the method's analytic one. */
static void test_json_result_without_extras(void **state)
{
    fx *f = *state;
    we_result_rec r = f->res[0];
    memset(&r.x, 0, sizeof r.x);
    r.est.inference = WE_INFERENCE_NONE;
    r.est.inference_reps = 0;
    char *path = path_in(f, "one.json");
    FILE *o = fopen(path, "w");
    assert_non_null(o);
    we_error err = {{0}};
    assert_int_equal(we_report_result_json(&f->run, &r, o, &err), 0);
    fclose(o);
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    assert_non_null(j);
    json_t *inf = json_object_get(j, "inference");
    assert_string_equal(str(inf, "method"), "cr1");
    assert_true(json_is_null(json_object_get(inf, "reps")));
    assert_string_equal(str(inf, "description"),
                        "CR1 cluster-robust by municipality, t(G-1)");
    static const char *const nulls[] = {"p_adjusted", "pretrend_p",
                                        "evidence", "cr1", "effect_size",
                                        "event_study", "randomization",
                                        "mde"};
    for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
        if (!json_is_null(json_object_get(j, nulls[i])))
            fail_msg("%s is not null", nulls[i]);
    json_decref(j);
}

/* Webb weights, and Rademacher with every sign vector (2^12 = 4096). */
static void test_json_inference_text(void **state)
{
    fx *f = *state;
    char buf[200];
    we_result_rec r = f->res[0];
    we_estimate *e = &r.est;
    e->inference = WE_INFERENCE_WILD_WEBB;
    we_result_keep_cr1(&f->cfg, &r);
    assert_false(r.x.boot_enumerated);
    we_report_inference_text(buf, sizeof buf, &r, &f->cfg);
    assert_string_equal(buf, "wild cluster bootstrap by municipality (WCR, "
                             "Webb, 9,999 replications); se: CR1 with "
                             "t(G-1)");
    e->inference = WE_INFERENCE_WILD_RADEMACHER;
    e->inference_reps = 4096;
    f->cfg.cluster = WE_CLUSTER_AREA;
    we_result_keep_cr1(&f->cfg, &r);
    assert_true(r.x.boot_enumerated);
    we_report_inference_text(buf, sizeof buf, &r, &f->cfg);
    assert_string_equal(buf, "wild cluster bootstrap by area (WCR, "
                             "Rademacher, all 4,096 sign vectors, exact); "
                             "se: CR1 with t(G-1)");
    e->inference_reps = 4095; /* 2^12 draws were not all used */
    we_result_keep_cr1(&f->cfg, &r);
    assert_false(r.x.boot_enumerated);
    we_report_inference_text(buf, sizeof buf, &r, &f->cfg);
    assert_non_null(strstr(buf, "4,095 replications"));
    we_report_grouped(buf, sizeof buf, 1234567ULL);
    assert_string_equal(buf, "1,234,567");
    we_report_grouped(buf, sizeof buf, 999ULL);
    assert_string_equal(buf, "999");
}

/* Why an SC interval is missing: an empty confidence set (every constant
 * effect rejected) says so in both languages; a placebo row without
 * placebos says that instead. */
static void test_interval_note_empty_sc(void **state)
{
    fx *f = *state;
    char buf[640];
    we_result_rec r = f->res[0];
    memset(&r.x.detail, 0, sizeof r.x.detail);
    r.est.method = WE_METHOD_SC;
    r.est.inference = WE_INFERENCE_PLACEBO;
    r.est.inference_reps = 25;
    r.est.p_value = 1.0 / 26.0;
    r.est.ci_low = r.est.ci_high = NAN;
    r.x.detail.has_sc = 1;
    r.x.detail.sc.average.ci_empty = 1;
    we_report_interval_note_lang(buf, sizeof buf, &r, 0.05, WE_LANG_EN);
    assert_non_null(strstr(buf, "empty: the placebo test rejects every "
                                "constant effect"));
    assert_non_null(strstr(buf, "no single effect size fits"));
    we_report_interval_note_lang(buf, sizeof buf, &r, 0.05, WE_LANG_NL);
    assert_non_null(strstr(buf, "leeg: de placebotoets verwerpt elk "
                                "constant effect"));
    /* 20 placebos can reject; an infinite side means a placebo ratio is
     * infinite (fitted exactly before the start) */
    r.x.detail.sc.average.ci_empty = 0;
    r.est.inference_reps = 20;
    r.est.ci_low = -INFINITY;
    r.est.ci_high = INFINITY;
    we_report_interval_note_lang(buf, sizeof buf, &r, 0.05, WE_LANG_EN);
    assert_non_null(strstr(buf, "unbounded: a placebo fits the periods "
                                "before the start exactly"));
    we_report_interval_note_lang(buf, sizeof buf, &r, 0.05, WE_LANG_NL);
    assert_non_null(strstr(buf, "onbegrensd: een placebo sluit"));
    r.est.ci_low = r.est.ci_high = NAN;
    r.est.inference_reps = 0;
    we_report_interval_note_lang(buf, sizeof buf, &r, 0.05, WE_LANG_EN);
    assert_non_null(strstr(buf, "not available: no placebo"));
    r.x.detail.has_sc = 0;
}

/* ---- results.csv -------------------------------------------------------- */

/* Reads one RFC 4180 record from *s into fields (malloc'd); returns the
 * number of fields, 0 at the end. */
static size_t csv_record(const char **s, char **fields, size_t max)
{
    size_t n = 0;
    if (**s == '\0')
        return 0;
    for (;;) {
        char buf[512];
        size_t k = 0;
        int quoted = **s == '"';
        *s += quoted;
        while (**s != '\0') {
            if (quoted && **s == '"' && (*s)[1] == '"')
                (*s)++;
            else if (quoted && **s == '"') {
                quoted = 0;
                (*s)++;
                continue;
            } else if (!quoted && (**s == ',' || **s == '\n'))
                break;
            assert_true(k + 1 < sizeof buf);
            buf[k++] = *(*s)++;
        }
        buf[k] = '\0';
        assert_true(n < max);
        fields[n++] = strdup(buf);
        if (**s != ',')
            break;
        (*s)++;
    }
    if (**s == '\n')
        (*s)++;
    return n;
}

static void free_fields(char **fields, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(fields[i]);
}

static void test_csv_rows(void **state)
{
    fx *f = *state;
    write_ok(f, WE_FORMAT_CSV);
    char *csv = slurp(path_in(f, "results.csv"));
    const char *expect =
        "experiment,status,indicator,role,method,estimate,se,ci_low,ci_high,"
        "p_value,df,n_treated,n_control,n_obs,baseline,latest,closing,error,"
        "inference,inference_reps,p_cr1,p_holm,p_bh,p_holm_report,"
        "p_bh_report,p_adjusted,effect_size,effect_size_low,"
        "effect_size_high,pretrend_p,ri_p,mde,sms_level,erkenning\n"
        "samenhang,ok,tevreden_woonomgeving_pct,primary,twfe,0.5,0.125,0.25,"
        "0.75,0.001953125,11,4,8,48,,,,"
        ",wild_rademacher,9999,0.00390625,0.00390625,0.0029296875,0.015625,"
        "0.0078125,0.00390625,0.25,0.125,0.375,0.5,0.012,"
        "0.29999999999999999,3,goede aanwijzingen\n"
        "samenhang,ok,tevreden_woonomgeving_pct,primary,pre_post,"
        "0.10000000000000001,0.0625,-0.25,0.5,,3,4,0,8,60.5,60.75,,"
        ",t_paired,,,,,,,,,,,,,,1,\n"
        "samenhang,ok,werkloosheid_pct,secondary,gap,-1.25,0.5,-2.5,0,0.0625,"
        "3,4,,8,5.5,4.25,true,"
        ",t_paired,,,0.0625,0.0625,0.125,0.125,0.0625,,,,,,,1,"
        "eerste aanwijzingen\n"
        "gezonde_wijk,failed,,,,,,,,,,,,,,,,\"data: \"\"ervaren_gezondheid_pct"
        "\"\" not found, add it | or drop it\",,,,,,,,,,,,,,,,\n";
    assert_string_equal(csv, expect);
    free(csv);
}

static void test_csv_parses_back(void **state)
{
    fx *f = *state;
    f->exps[0].id = "id,with \"quote\"\nand newline";
    write_ok(f, WE_FORMAT_CSV);
    char *csv = slurp(path_in(f, "results.csv"));
    const char *s = csv;
    char *fields[40];
    size_t n, rows = 0;
    while ((n = csv_record(&s, fields, 40)) > 0) {
        assert_int_equal(n, 34);
        if (rows >= 1 && rows <= 3)
            assert_string_equal(fields[0], f->exps[0].id);
        if (rows == 1)
            assert_string_equal(fields[18], "wild_rademacher");
        if (rows == 4)
            assert_string_equal(fields[17], ERROR_MSG);
        free_fields(fields, n);
        rows++;
    }
    assert_int_equal(rows, 5);
    free(csv);
}

/* ---- report.md ---------------------------------------------------------- */

static char *write_md(fx *f)
{
    write_ok(f, WE_FORMAT_MD);
    return slurp(path_in(f, "report.md"));
}

static void expect_all(const char *md, const char *const *want, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strstr(md, want[i]) == NULL)
            fail_msg("report.md lacks: %s\n--- report.md ---\n%s", want[i],
                     md);
}

#define EM "\xe2\x80\x94"

static void test_md_content(void **state)
{
    fx *f = *state;
    char *md = write_md(f);
    static const char *const want[] = {
        "# Simulated demo data, unit test\n",
        "Data: 3 areas, periods 2006\xe2\x80\x93"
        "2009, baseline (nulmeting) "
        "2007; follow-up 2008, 2009.",
        "| Experiment | Verdict | Primary indicator | Design | Effect (95% "
        "CI) | Standardised effect | Adjusted p (Holm) | Evidence |\n",
        "| Social cohesion | \xe2\x9c\x93 better | Satisfied with residential "
        "environment | TWFE | 0.5 [0.25, 0.75] | 0.25 | 0.004 | SMS 3 "
        "\xc2\xb7 "
        "goede aanwijzingen |\n",
        "| Healthy neighbourhood | failed | " EM " | " EM " | " EM " | " EM
        " | " EM " | data: \"ervaren_gezondheid_pct\" not found, add it \\| "
        "or drop it |\n",
        "### \xe2\x9a\xa0 Side effects\n\nNo side effects found",
        "- **Social cohesion** (\xe2\x9c\x93 better): Satisfied with "
        "residential environment: rose by about 0.5 percentage points more "
        "than in comparable wijken (95%: 0.25 to 0.75).",
        "How to read this table: the experiments are ordered by the "
        "standardised effect, best first",
        "| Unemployment (pct) | secondary | gap (closing) | -1.25 | "
        "[-2.5, 0] | 0.062 | 0.062 | SMS 1 | 4 / " EM " |\n",
        "| Satisfied with residential environment (pct) | primary | "
        "before/after | 0.1 | [-0.25, 0.5] | " EM " | " EM " | SMS 1 | "
        "4 / 0 |\n",
        "| Satisfied with residential environment (pct) | primary | TWFE | "
        "0.5 | [0.25, 0.75] | 0.002 | 0.004 | SMS 3 | 4 / 8 |\n",
        "| initiatives_per_1000 | 2.5 | per 1000 residents | Resident "
        "initiatives, per 1000 residents |\n",
        "**Failed:** data: \"ervaren_gezondheid_pct\"",
        "- Configuration SHA-256: " SHA_CFG "\n",
        "- Data SHA-256: " SHA_DATA "\n",
        "- Seed: 12345\n",
        "- Started: 2008-01-01T00:00:00Z\n"};
    expect_all(md, want, sizeof want / sizeof want[0]);
    free(md);
}

/* The section of the headline: evidence, its details, the event study
 * and the inference named in the Methods. */
static void test_md_headline(void **state)
{
    fx *f = *state;
    char *md = write_md(f);
    static const char *const want[] = {
        "**Evidence:** SMS 3 \xc2\xb7 goede aanwijzingen. Level 3: DiD with "
        "comparison wijken; pre-trends not rejected (p = 0.5).\n",
        "Headline: TWFE on Satisfied with residential environment (pct).\n",
        "- Standardised effect: Glass's \xce\x94 0.25 [0.125, 0.375], "
        "Hedges' g 0.188 [0.0938, 0.281] (positive is an improvement).\n",
        "- Analytic CR1 instead of the bootstrap: p = 0.004, 95% CI "
        "[0.219, 0.781].\n",
        "- Randomisation inference: p = 0.012 (999 permutations of the "
        "treatment paths).\n",
        "- This design could only detect effects larger than 0.3 pct (in "
        "the indicator's unit) with 80% power (analytic, for TWFE with "
        "CR1).\n",
        "- p-value and interval from: wild cluster bootstrap by "
        "municipality (WCR, Rademacher, 9,999 replications); se: CR1 with "
        "t(G-1).\n",
        "| Event time | Estimate | 95% CI | Treated |\n",
        "| -3 | -0.125 | [-0.25, 0] | 3 |\n| -2 | 0 | [-0.125, 0.125] | 4 |\n"
        "| 0 | 0.125 | [0, 0.25] | 4 |\n| 1 | 0.25 | [0.125, 0.375] | 4 |\n",
        "Pre-trend test (all leads zero): F(2, 11) = 0.875, p = 0.438; wild "
        "cluster bootstrap p = 0.500 (999 draws).\n",
        "- Inference of the TWFE effect: wild cluster bootstrap by "
        "municipality (WCR, Rademacher, 9,999 replications); se: CR1 with "
        "t(G-1) (inference.method = auto",
        "- Adjusted p: Holm within each experiment and method",
        "- Event study: event times -3 to 3"};
    expect_all(md, want, sizeof want / sizeof want[0]);
    assert_null(strstr(md, "Warning"));
    /* The event table comes after the results table. */
    assert_true(strstr(md, "| Event time |") >
                strstr(md, "| Indicator | Role |"));
    free(md);
}

/* The experiments' order in the summary table, from report.md. */
static void summary_order(fx *f, const char *const *rows, size_t n)
{
    char *md = write_md(f);
    char *end = strstr(md, "How to read this table");
    const char *prev = md;
    assert_non_null(end);
    for (size_t i = 0; i < n; i++) {
        const char *at = strstr(md, rows[i]);
        if (at == NULL || at < prev || at > end)
            fail_msg("summary row %zu should be %s:\n%s", i, rows[i], md);
        prev = at;
    }
    free(md);
}

static void test_md_order(void **state)
{
    fx *f = *state;
    f->run.n_experiments = 4;
    static const char *const by_delta[] = {
        /* Better by its interval, but the pre-trends were rejected: not
         * credible, never better. */
        "| Capacity to act | \xe2\x9a\xa0 not credible | Unemployment | TWFE "
        "| \xe2\x88\x92"
        "1.5 [\xe2\x88\x92"
        "2, \xe2\x88\x92"
        "1] | 0.75 | "
        "<0.001 | SMS 2 \xc2\xb7 eerste aanwijzingen |\n",
        "| Social cohesion |", "| Healthy neighbourhood |",
        "| Reducing bureaucracy | ? inconclusive | Perceived health | " EM
        " | " EM " | " EM " | " EM " | " EM " |\n"};
    summary_order(f, by_delta, 4);
    /* A negative effect (worse) ranks below a positive one. */
    f->res2[0].x.effect_size.glass_delta = -0.5;
    static const char *const flipped[] = {
        "| Social cohesion |", "| Capacity to act |",
        "| Healthy neighbourhood |", "| Reducing bureaucracy |"};
    summary_order(f, flipped, 4);
    /* Without an effect size an experiment joins those at the end, in
     * config order. */
    f->res[0].x.has_effect_size = 0;
    static const char *const none[] = {
        "| Capacity to act |", "| Social cohesion |",
        "| Healthy neighbourhood |", "| Reducing bureaucracy |"};
    summary_order(f, none, 4);
}

#define PRETREND_WARNING                                                    \
    "> **Warning:** pre-trends rejected (p = 0.003): the treated wijken "   \
    "already diverged before the start; the effect is not credible.\n"

static void test_md_pretrend_warning(void **state)
{
    fx *f = *state;
    f->run.n_experiments = 4;
    char *md = write_md(f);
    const char *w = strstr(md, PRETREND_WARNING);
    if (w == NULL)
        fail_msg("no pre-trend warning:\n%s", md);
    /* Only in slagkracht's section. */
    assert_true(w > strstr(md, "## Capacity to act (slagkracht"));
    assert_null(strstr(w + strlen(PRETREND_WARNING), "> **Warning:**"));
    assert_null(strstr(md, "pre-trends rejected (p = 0.5"));
    free(md);
    /* At alpha exactly the test does not reject. */
    f->res2[0].x.pretrend_p = 0.05;
    md = write_md(f);
    assert_null(strstr(md, "> **Warning:** pre-trends rejected"));
    assert_null(strstr(md, "(pre-trends rejected)"));
    free(md);
}

/* The programme row's pre-trend reason speaks of the programme, an
 * experiment's of the experiment (both languages). */
static void test_reason_programme(void **state)
{
    fx *f = *state;
    char buf[1024];
    f->run.n_experiments = 4;
    we_judge_run(&f->cfg, &f->panel, &f->run);
    we_experiment_run *x = &f->exps[2]; /* slagkracht: pre-trends rejected */
    assert_int_equal(x->judgement.verdict, WE_HV_NOT_CREDIBLE);
    we_verdict_reason(buf, sizeof buf, &f->run, x, WE_LANG_EN);
    assert_non_null(strstr(buf, "attributed to the experiment"));
    assert_non_null(strstr(buf, "p = 0.003"));
    x->is_programme = 1;
    we_verdict_reason(buf, sizeof buf, &f->run, x, WE_LANG_EN);
    assert_non_null(strstr(buf, "attributed to the programme"));
    assert_non_null(strstr(buf, "p = 0.003"));
    assert_null(strstr(buf, "experiment"));
    we_verdict_reason(buf, sizeof buf, &f->run, x, WE_LANG_NL);
    assert_non_null(strstr(buf, "niet aan het programma toe te schrijven"));
    assert_null(strstr(buf, "experiment"));
}

static int has_underpowered(fx *f)
{
    char *md = write_md(f);
    int found = strstr(md, "> **Warning:** underpowered: the estimate") !=
                NULL;
    free(md);
    return found;
}

static void test_md_underpowered(void **state)
{
    fx *f = *state;
    assert_false(has_underpowered(f)); /* 0.5 > MDE 0.3 */
    f->res[0].x.mde.mde = 0.8;
    assert_false(has_underpowered(f)); /* below, but significant */
    f->res[0].est.p_value = 0.2;
    char *md = write_md(f);
    const char *want = "> **Warning:** underpowered: the estimate (0.5) is "
                       "smaller than the minimum detectable effect (0.8) and "
                       "not significant (p = 0.200)";
    if (strstr(md, want) == NULL)
        fail_msg("report.md lacks: %s\n%s", want, md);
    free(md);
    f->res[0].est.estimate = -0.5; /* the absolute estimate counts */
    assert_true(has_underpowered(f));
    f->res[0].est.estimate = 0.9;
    assert_false(has_underpowered(f));
    f->res[0].est.estimate = 0.5;
    f->res[0].x.has_mde = 0;
    assert_false(has_underpowered(f));
    md = write_md(f);
    assert_non_null(strstr(md, "- Minimum detectable effect: not available "
                               "for this indicator.\n"));
    assert_null(strstr(md, "could only detect"));
    free(md);
}

static void expect_verdict(fx *f, double lo, double hi, const char *verdict)
{
    char row[128];
    f->res[0].est.ci_low = lo;
    f->res[0].est.ci_high = hi;
    char *md = write_md(f);
    snprintf(row, sizeof row, "| Social cohesion | %s |", verdict);
    if (strstr(md, row) == NULL)
        fail_msg("expected %s for [%g, %g]:\n%s", verdict, lo, hi, md);
    free(md);
}

static void test_md_direction(void **state)
{
    fx *f = *state;
#define BETTER "\xe2\x9c\x93 better"
#define WORSE "\xe2\x9c\x97 worse"
    expect_verdict(f, 0.25, 0.75, BETTER);
    expect_verdict(f, -0.75, -0.25, WORSE);
    /* Includes 0, reaches beyond the MDE (0.3): the data cannot tell. */
    expect_verdict(f, -0.25, 0.75, "? inconclusive");
    /* Within +-MDE: a relevant effect is ruled out. */
    expect_verdict(f, -0.25, 0.25, "= no effect");
    expect_verdict(f, NAN, NAN, "? inconclusive");
    /* A bootstrap interval may be open on one side. */
    expect_verdict(f, 0.25, INFINITY, BETTER);
    expect_verdict(f, -INFINITY, -0.25, WORSE);
    char *md = write_md(f);
    assert_non_null(strstr(md, "| 0.5 [\xe2\x88\x92\xe2\x88\x9e, "
                               "\xe2\x88\x92"
                               "0.25] |"));
    free(md);
    f->res[0].indicator = "werkloosheid_pct"; /* lower is better */
    expect_verdict(f, -0.75, -0.25, BETTER);
    expect_verdict(f, 0.25, 0.75, WORSE);
    f->res[0].indicator = "not_in_catalogue";
    expect_verdict(f, 0.25, 0.75, "? inconclusive");
#undef BETTER
#undef WORSE
    f->cfg.alpha = 0.1;
    f->cfg.inference.adjust = WE_ADJUST_BH;
    md = write_md(f);
    assert_non_null(strstr(md, "Effect (90% CI)"));
    assert_non_null(strstr(md, "Adjusted p (Benjamini-Hochberg)"));
    free(md);
}

/* ---- atomicity ---------------------------------------------------------- */

static void test_parent_is_file(void **state)
{
    fx *f = *state;
    char target[600];
    const char *file = path_in(f, "plain");
    FILE *o = fopen(file, "w");
    assert_non_null(o);
    fclose(o);
    snprintf(target, sizeof target, "%s/out", file);
    we_error err = {{0}};
    assert_int_equal(we_report_write(&f->run, target, WE_FORMAT_JSON |
                                     WE_FORMAT_CSV | WE_FORMAT_MD, &err), -1);
    assert_non_null(strstr(err.msg, file));
    assert_non_null(strstr(err.msg, strerror(ENOTDIR)));
    assert_int_equal(count_tmp(f->dir), 0);
}

static void test_creates_parents(void **state)
{
    fx *f = *state;
    char target[600], json[700];
    snprintf(target, sizeof target, "%s/a/b/c/", f->dir);
    we_error err = {{0}};
    assert_int_equal(we_report_write(&f->run, target, WE_FORMAT_JSON, &err),
                     0);
    snprintf(json, sizeof json, "%sreport.json", target);
    assert_true(exists(json));
    snprintf(json, sizeof json, "%s/a/b/c/.report.json.tmp.%ld", f->dir,
             (long)getpid());
    assert_false(exists(json));
}

static void test_bad_formats(void **state)
{
    fx *f = *state;
    we_error err = {{0}};
    assert_int_equal(we_report_write(&f->run, f->dir, 0, &err), -1);
    assert_non_null(strstr(err.msg, "format"));
    assert_int_equal(we_report_write(&f->run, f->dir, 16, &err), -1);
    assert_int_equal(we_report_write(NULL, f->dir, 1, &err), -1);
    assert_false(exists(path_in(f, "report.json")));
}

static void assert_report_is(fx *f, char *const before[2])
{
    char *json = slurp(path_in(f, "report.json"));
    char *md = slurp(path_in(f, "report.md"));
    assert_string_equal(json, before[0]);
    assert_string_equal(md, before[1]);
    free(json);
    free(md);
}

/* results.csv is a directory: found before any rename, so report.json and
 * report.md keep the previous run and no temporary file stays behind. */
static void test_rename_target_is_dir(void **state)
{
    fx *f = *state;
    const unsigned all = WE_FORMAT_JSON | WE_FORMAT_CSV | WE_FORMAT_MD;
    write_ok(f, all);
    char *before[2] = {slurp(path_in(f, "report.json")),
                       slurp(path_in(f, "report.md"))};
    assert_int_equal(unlink(path_in(f, "results.csv")), 0);
    assert_int_equal(mkdir(path_in(f, "results.csv"), 0755), 0);
    f->cfg.title = "A newer run";
    we_error err = {{0}};
    assert_int_equal(we_report_write(&f->run, f->dir, all, &err), -1);
    assert_non_null(strstr(err.msg, path_in(f, "results.csv")));
    assert_non_null(strstr(err.msg, strerror(EISDIR)));
    assert_int_equal(count_tmp(f->dir), 0);
    assert_report_is(f, before);
    /* Once the obstacle is gone the newer run replaces the report. */
    assert_int_equal(rmdir(path_in(f, "results.csv")), 0);
    write_ok(f, all);
    char *md = slurp(path_in(f, "report.md"));
    assert_non_null(strstr(md, "# A newer run\n"));
    free(md);
    free(before[0]);
    free(before[1]);
}

/* The temporary of report.md cannot be created (a directory with that name
 * is in the way) after those of report.json and results.csv were written:
 * both must be removed and the previous report left as it was. */
static void test_late_stage_failure(void **state)
{
    fx *f = *state;
    const unsigned all = WE_FORMAT_JSON | WE_FORMAT_CSV | WE_FORMAT_MD;
    char name[128], block[700], inside[800];
    write_ok(f, all);
    char *before[2] = {slurp(path_in(f, "report.json")),
                       slurp(path_in(f, "report.md"))};
    snprintf(name, sizeof name, ".report.md.tmp.%ld", (long)getpid());
    snprintf(block, sizeof block, "%s", path_in(f, name));
    assert_int_equal(mkdir(block, 0755), 0);
    snprintf(inside, sizeof inside, "%s/keep", block);
    FILE *o = fopen(inside, "w");
    assert_non_null(o);
    fclose(o);
    f->cfg.title = "A newer run";
    we_error err = {{0}};
    assert_int_equal(we_report_write(&f->run, f->dir, all, &err), -1);
    assert_non_null(strstr(err.msg, block));
    assert_int_equal(count_tmp(f->dir), 1); /* only the blocking directory */
    assert_report_is(f, before);
    free(before[0]);
    free(before[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_edge_values, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_json_nonfinite_extras, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_json_result_without_extras, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_json_inference_text, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_interval_note_empty_sc, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_csv_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_parses_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_md_content, setup, teardown),
        cmocka_unit_test_setup_teardown(test_md_headline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_md_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_md_pretrend_warning, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_reason_programme, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_md_underpowered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_md_direction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parent_is_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_creates_parents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_formats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rename_target_is_dir, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_late_stage_failure, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
