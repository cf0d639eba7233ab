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

#include "report/report.h"

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
    we_experiment_run exps[2];
    we_result_rec res[3];
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
                                    1000.0 * (i + 1)};
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

static void fill_results(fx *f)
{
    const uint32_t sz = sizeof(we_estimate);
    f->res[0] = (we_result_rec){"tevreden_woonomgeving_pct", WE_ROLE_PRIMARY,
        {.struct_size = sz, .method = WE_METHOD_TWFE, .estimate = 0.5,
         .se = 0.125, .ci_low = 0.25, .ci_high = 0.75,
         .p_value = 0.001953125, .df = 11, .n_treated = 4, .n_control = 8,
         .n_obs = 48, .baseline = NAN, .latest = NAN}};
    f->res[1] = (we_result_rec){"tevreden_woonomgeving_pct", WE_ROLE_PRIMARY,
        {.struct_size = sz, .method = WE_METHOD_PRE_POST, .estimate = 0.1,
         .se = 0.0625, .ci_low = -0.25, .ci_high = 0.5, .p_value = NAN,
         .df = 3, .n_treated = 4, .n_control = 0, .n_obs = 8,
         .baseline = 60.5, .latest = 60.75}};
    f->res[2] = (we_result_rec){"werkloosheid_pct", WE_ROLE_SECONDARY,
        {.struct_size = sz, .method = WE_METHOD_GAP, .estimate = -1.25,
         .se = 0.5, .ci_low = -2.5, .ci_high = 0, .p_value = 0.0625,
         .df = 3, .n_treated = 4, .n_control = -1, .n_obs = 8,
         .baseline = 5.5, .latest = 4.25, .closing = 1}};
    f->met[0] = (we_metric_rec){"initiatives_per_1000", 2.5,
                                "per 1000 residents",
                                "Resident initiatives, per 1000 residents"};
}

static void fill_experiments(fx *f)
{
    f->exps[0] = (we_experiment_run){
        .id = "samenhang", .title_nl = "Samenhang in de wijk",
        .title_en = "Social cohesion", .version = "1.0.0",
        .summary = "Did social cohesion improve in treated areas?",
        .status = WE_EXP_OK, .results = f->res, .n_results = 3,
        .metrics = f->met, .n_metrics = 1};
    f->exps[1] = (we_experiment_run){
        .id = "gezonde_wijk", .title_nl = "Gezonde wijk",
        .title_en = "Healthy neighbourhood", .version = "1.0.0",
        .summary = "Did perceived health improve?",
        .status = WE_EXP_FAILED, .error = ERROR_MSG};
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

static void write_ok(fx *f, unsigned formats)
{
    we_error err = {{0}};
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
    assert_non_null(strstr(json_string_value(json_object_get(
                               twfe, "inference")), "CR1"));
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
        "p_value,df,n_treated,n_control,n_obs,baseline,latest,closing,error\n"
        "samenhang,ok,tevreden_woonomgeving_pct,primary,twfe,0.5,0.125,0.25,"
        "0.75,0.001953125,11,4,8,48,,,,\n"
        "samenhang,ok,tevreden_woonomgeving_pct,primary,pre_post,"
        "0.10000000000000001,0.0625,-0.25,0.5,,3,4,0,8,60.5,60.75,,\n"
        "samenhang,ok,werkloosheid_pct,secondary,gap,-1.25,0.5,-2.5,0,0.0625,"
        "3,4,,8,5.5,4.25,true,\n"
        "gezonde_wijk,failed,,,,,,,,,,,,,,,,\"data: \"\"ervaren_gezondheid_pct"
        "\"\" not found, add it | or drop it\"\n";
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
    char *fields[32];
    size_t n, rows = 0;
    while ((n = csv_record(&s, fields, 32)) > 0) {
        assert_int_equal(n, 18);
        if (rows >= 1 && rows <= 3)
            assert_string_equal(fields[0], f->exps[0].id);
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

static void test_md_content(void **state)
{
    fx *f = *state;
    char *md = write_md(f);
    static const char *const want[] = {
        "# Simulated demo data, unit test\n",
        "Data: 3 areas, periods 2006\xe2\x80\x93" "2009, baseline (nulmeting) "
        "2007; follow-up 2008, 2009.",
        "| Social cohesion | Satisfied with residential environment (pct) | "
        "0.5 [0.25, 0.75] | better | ok |\n",
        "| Healthy neighbourhood | \xe2\x80\x94 | \xe2\x80\x94 | \xe2\x80\x94 "
        "| failed: data: \"ervaren_gezondheid_pct\" not found, add it \\| or "
        "drop it |\n",
        "TWFE effect (95% CI)",
        "| Unemployment (pct) | secondary | gap (closing) | -1.25 | "
        "[-2.5, 0] | 0.062 | 4 / \xe2\x80\x94 |\n",
        "| Satisfied with residential environment (pct) | primary | "
        "before/after | 0.1 | [-0.25, 0.5] | \xe2\x80\x94 | 4 / 0 |\n",
        "| initiatives_per_1000 | 2.5 | per 1000 residents | Resident "
        "initiatives, per 1000 residents |\n",
        "**Failed:** data: \"ervaren_gezondheid_pct\"",
        "- Configuration SHA-256: " SHA_CFG "\n",
        "- Data SHA-256: " SHA_DATA "\n",
        "- Seed: 12345\n",
        "- Started: 2008-01-01T00:00:00Z\n"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (strstr(md, want[i]) == NULL)
            fail_msg("report.md lacks: %s\n--- report.md ---\n%s", want[i],
                     md);
    free(md);
}

static void expect_verdict(fx *f, double lo, double hi, const char *verdict)
{
    char row[128];
    f->res[0].est.ci_low = lo;
    f->res[0].est.ci_high = hi;
    char *md = write_md(f);
    snprintf(row, sizeof row, " | %s | ok |", verdict);
    if (strstr(md, row) == NULL)
        fail_msg("expected %s for [%g, %g]:\n%s", verdict, lo, hi, md);
    free(md);
}

static void test_md_direction(void **state)
{
    fx *f = *state;
    expect_verdict(f, 0.25, 0.75, "better");
    expect_verdict(f, -0.75, -0.25, "worse");
    expect_verdict(f, -0.25, 0.75, "unclear");
    expect_verdict(f, NAN, NAN, "unclear");
    f->res[0].indicator = "werkloosheid_pct"; /* lower is better */
    expect_verdict(f, -0.75, -0.25, "better");
    expect_verdict(f, 0.25, 0.75, "worse");
    f->res[0].indicator = "not_in_catalogue";
    expect_verdict(f, 0.25, 0.75, "unclear");
    f->cfg.alpha = 0.1;
    char *md = write_md(f);
    assert_non_null(strstr(md, "TWFE effect (90% CI)"));
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
    assert_int_equal(we_report_write(&f->run, f->dir, 8, &err), -1);
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
        cmocka_unit_test_setup_teardown(test_csv_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_parses_back, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_md_content, setup, teardown),
        cmocka_unit_test_setup_teardown(test_md_direction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parent_is_file, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_creates_parents, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_formats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rename_target_is_dir, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_late_stage_failure, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
