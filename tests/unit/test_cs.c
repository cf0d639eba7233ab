/* Callaway-Sant'Anna staggered-adoption estimator (core/src/methods/cs.h).
 *
 * Against R (tests/oracle/cs_reference.R, contract in tests/oracle/
 * README.md): every ATT(g,t), the four aggregations, their analytic
 * standard errors, intervals and p-values, and the sample counts, for
 * `mpdta` (balanced) and `waves` (unbalanced), both comparison groups and
 * two clusterings, to 1e-8; the bootstrap band's critical value on mpdta
 * within Monte Carlo error of R's. Then the bootstrap's reproducibility,
 * its standard errors against the analytic ones, the errors for bad
 * designs, and a simulation in which TWFE is biased and CS is not. The
 * fixtures are read with stdio and strtod only. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../validate/staggered_sim.h"
#include "methods/cs.h"
#include "methods/methods.h"
#include "methods/sensitivity.h"

#define REL_TOL 1e-8
#define ABS_TOL 1e-10
#define REGENERATE "regenerate with: Rscript tests/oracle/cs_reference.R"
#define MAX_FIELDS 24
#define MAX_LINE 1024

/* ---- fixtures ----------------------------------------------------------- */

typedef struct rows {
    size_t n, cap, n_cols;
    char **field; /* n * n_cols, strdup'ed */
    char *header[MAX_FIELDS];
} rows;

static void rows_free(rows *r)
{
    for (size_t k = 0; k < r->n * r->n_cols; k++)
        free(r->field[k]);
    for (size_t c = 0; c < r->n_cols; c++)
        free(r->header[c]);
    free(r->field);
    memset(r, 0, sizeof *r);
}

static size_t split(char *line, char **out)
{
    size_t n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *p = line; n < MAX_FIELDS;) {
        out[n++] = p;
        char *comma = strchr(p, ',');
        if (comma == NULL)
            break;
        *comma = '\0';
        p = comma + 1;
    }
    return n;
}

static void fixture_path(char *buf, size_t cap, const char *ds,
                         const char *file)
{
    const char *root = getenv("WE_ORACLE_FIXTURES");
    snprintf(buf, cap, "%s/%s/%s", root ? root : "tests/oracle/fixtures", ds,
             file);
}

static void rows_read(rows *r, const char *ds, const char *file)
{
    char path[512], line[MAX_LINE], *f[MAX_FIELDS];
    fixture_path(path, sizeof path, ds, file);
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        fail_msg("%s: cannot open; run from the repository root or set "
                 "WE_ORACLE_FIXTURES (%s)", path, REGENERATE);
    memset(r, 0, sizeof *r);
    assert_non_null(fgets(line, sizeof line, fp));
    r->n_cols = split(line, f);
    for (size_t c = 0; c < r->n_cols; c++)
        r->header[c] = strdup(f[c]);
    while (fgets(line, sizeof line, fp) != NULL) {
        if (split(line, f) != r->n_cols)
            fail_msg("%s:%zu: %zu columns expected", path, r->n + 2,
                     r->n_cols);
        if (r->n == r->cap) {
            r->cap = r->cap ? 2 * r->cap : 256;
            r->field = realloc(r->field, r->cap * r->n_cols *
                                             sizeof *r->field);
            assert_non_null(r->field);
        }
        for (size_t c = 0; c < r->n_cols; c++)
            r->field[r->n * r->n_cols + c] = strdup(f[c]);
        r->n++;
    }
    fclose(fp);
}

static const char *cell_of(const rows *r, size_t row, const char *col)
{
    for (size_t c = 0; c < r->n_cols; c++)
        if (strcmp(r->header[c], col) == 0)
            return r->field[row * r->n_cols + c];
    fail_msg("no column %s (%s)", col, REGENERATE);
    return NULL;
}

static double num_of(const rows *r, size_t row, const char *col)
{
    const char *s = cell_of(r, row, col);
    return strcmp(s, "NA") == 0 ? NAN : strtod(s, NULL);
}

/* A dataset as the core sees it: areas in order of first appearance,
 * periods ascending, cluster ids by area or municipality. */
typedef struct dataset {
    size_t A, T;
    long period[64];
    char (*area)[32];
    char (*muni)[32];
    double *y;
    long *from;
    unsigned char *in_sample;
    int *cl_area, *cl_muni;
    size_t followup[64], n_followup;
    double alpha;
} dataset;

static void dataset_free(dataset *d)
{
    free(d->area);
    free(d->muni);
    free(d->y);
    free(d->from);
    free(d->in_sample);
    free(d->cl_area);
    free(d->cl_muni);
}

static long period_index(const dataset *d, long label)
{
    for (size_t t = 0; t < d->T; t++)
        if (d->period[t] == label)
            return (long)t;
    fail_msg("period %ld not in the panel", label);
    return -1;
}

static size_t find_name(char (*names)[32], size_t n, const char *s)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(names[k], s) == 0)
            return k;
    return n;
}

static void read_periods(dataset *d, const rows *p)
{
    d->T = 0;
    for (size_t k = 0; k < p->n; k++) {
        long v = strtol(cell_of(p, k, "period"), NULL, 10);
        size_t t = 0;
        while (t < d->T && d->period[t] != v)
            t++;
        if (t == d->T) {
            assert_true(d->T < 64);
            d->period[d->T++] = v;
        }
    }
    for (size_t i = 1; i < d->T; i++) /* insertion sort */
        for (size_t j = i; j > 0 && d->period[j - 1] > d->period[j]; j--) {
            long tmp = d->period[j];
            d->period[j] = d->period[j - 1];
            d->period[j - 1] = tmp;
        }
}

static void read_areas(dataset *d, const rows *p)
{
    d->area = calloc(p->n, sizeof *d->area);
    d->muni = calloc(p->n, sizeof *d->muni);
    assert_non_null(d->area);
    assert_non_null(d->muni);
    d->A = 0;
    for (size_t k = 0; k < p->n; k++) {
        const char *a = cell_of(p, k, "area");
        if (find_name(d->area, d->A, a) < d->A)
            continue;
        snprintf(d->area[d->A], 32, "%s", a);
        snprintf(d->muni[d->A++], 32, "%s", cell_of(p, k, "municipality"));
    }
}

static void read_values(dataset *d, const rows *p)
{
    d->y = malloc(d->A * d->T * sizeof *d->y);
    assert_non_null(d->y);
    for (size_t k = 0; k < d->A * d->T; k++)
        d->y[k] = NAN;
    for (size_t k = 0; k < p->n; k++) {
        size_t i = find_name(d->area, d->A, cell_of(p, k, "area"));
        long t = period_index(d, strtol(cell_of(p, k, "period"), NULL, 10));
        const char *v = cell_of(p, k, "y");
        d->y[i * d->T + (size_t)t] = *v ? strtod(v, NULL) : NAN;
    }
}

static void read_design(dataset *d, const char *name)
{
    rows tr, de;
    rows_read(&tr, name, "treated.csv");
    rows_read(&de, name, "design.csv");
    d->from = malloc(d->A * sizeof *d->from);
    d->in_sample = malloc(d->A);
    d->cl_area = malloc(d->A * sizeof *d->cl_area);
    d->cl_muni = malloc(d->A * sizeof *d->cl_muni);
    for (size_t i = 0; i < d->A; i++) {
        d->from[i] = -1;
        d->in_sample[i] = 1;
        d->cl_area[i] = (int)i;
        d->cl_muni[i] = (int)find_name(d->muni, i + 1, d->muni[i]);
    }
    for (size_t k = 0; k < tr.n; k++) {
        size_t i = find_name(d->area, d->A, cell_of(&tr, k, "area"));
        d->from[i] = period_index(d, strtol(cell_of(&tr, k, "from"), NULL,
                                            10));
    }
    for (size_t k = 0; k < de.n; k++) {
        const char *key = cell_of(&de, k, "key");
        char *v = (char *)cell_of(&de, k, "value");
        if (strcmp(key, "alpha") == 0)
            d->alpha = strtod(v, NULL);
        for (char *s = strtok(v, " "); strcmp(key, "followup") == 0 && s;
             s = strtok(NULL, " "))
            d->followup[d->n_followup++] =
                (size_t)period_index(d, strtol(s, NULL, 10));
    }
    rows_free(&tr);
    rows_free(&de);
}

static void dataset_read(dataset *d, const char *name)
{
    memset(d, 0, sizeof *d);
    rows p;
    rows_read(&p, name, "panel.csv");
    read_periods(d, &p);
    read_areas(d, &p);
    read_values(d, &p);
    rows_free(&p);
    read_design(d, name);
}

static we_design design_of(const dataset *d, int by_muni)
{
    return (we_design){d->A, d->T, d->from, d->in_sample,
                       by_muni ? d->cl_muni : d->cl_area, d->followup[0],
                       d->followup, d->n_followup, d->alpha};
}

/* ---- comparison ------------------------------------------------------- */

static int close_enough(double want, double got)
{
    if (isnan(want))
        return isnan(got);
    double tol = fmax(ABS_TOL, REL_TOL * fmax(fabs(want), fabs(got)));
    return fabs(want - got) <= tol;
}

typedef struct checker {
    const char *what;
    size_t mismatches;
} checker;

static void check_num(checker *c, const char *field, double want, double got)
{
    if (close_enough(want, got))
        return;
    if (c->mismatches++ < 8)
        print_error("%s %s: expected %.17g, got %.17g\n", c->what, field,
                    want, got);
}

static void check_stat(checker *c, const rows *r, size_t row,
                       const we_cs_stat *s)
{
    check_num(c, "estimate", num_of(r, row, "estimate"), s->estimate);
    check_num(c, "se", num_of(r, row, "se"), s->se);
    check_num(c, "ci_low", num_of(r, row, "ci_low"), s->ci_low);
    check_num(c, "ci_high", num_of(r, row, "ci_high"), s->ci_high);
    check_num(c, "p_value", num_of(r, row, "p_value"), s->p_value);
}

/* The aggregation element with key `key`, or NULL. */
static const we_cs_stat *element(const we_cs_aggregation *a, long key)
{
    for (size_t e = 0; e < a->n; e++)
        if (a->elem[e].key == key)
            return &a->elem[e].s;
    return NULL;
}

static const we_cs_cell *find_cell(const we_cs_result *res, long g, long t)
{
    for (size_t k = 0; k < res->n_cells; k++)
        if (res->cell[k].group == g && (long)res->cell[k].period == t)
            return &res->cell[k];
    return NULL;
}

static long label_index(const dataset *d, const rows *r, size_t row,
                        const char *col)
{
    return period_index(d, (long)num_of(r, row, col));
}

static void check_cell(checker *c, const dataset *d, const rows *r,
                       size_t row, const we_cs_result *res)
{
    long g = label_index(d, r, row, "group"), t = label_index(d, r, row,
                                                               "period");
    const we_cs_cell *cell = find_cell(res, g, t);
    if (cell == NULL) {
        c->mismatches++;
        print_error("%s: no cell for group %ld period %ld\n", c->what, g, t);
        return;
    }
    check_stat(c, r, row, &cell->s);
    check_num(c, "base", (double)label_index(d, r, row, "base"),
              (double)cell->base);
    check_num(c, "event", num_of(r, row, "event"), (double)cell->event);
    check_num(c, "n_treated", num_of(r, row, "n_treated"),
              (double)cell->n_treated);
    check_num(c, "n_control", num_of(r, row, "n_control"),
              (double)cell->n_control);
}

static const we_cs_stat *row_stat(const dataset *d, const rows *r,
                                  size_t row, const we_cs_result *res)
{
    const char *type = cell_of(r, row, "type");
    if (strcmp(type, "simple") == 0)
        return &res->simple;
    if (strcmp(type, "dynamic_overall") == 0)
        return &res->dynamic.overall;
    if (strcmp(type, "group_overall") == 0)
        return &res->group.overall;
    if (strcmp(type, "calendar_overall") == 0)
        return &res->calendar.overall;
    if (strcmp(type, "dynamic") == 0)
        return element(&res->dynamic, (long)num_of(r, row, "event"));
    if (strcmp(type, "group") == 0)
        return element(&res->group, label_index(d, r, row, "group"));
    if (strcmp(type, "calendar") == 0)
        return element(&res->calendar, label_index(d, r, row, "period"));
    fail_msg("unknown row type %s (%s)", type, REGENERATE);
    return NULL;
}

static void check_sample(checker *c, const rows *r, size_t row,
                         const we_cs_result *res)
{
    check_num(c, "n_treated", num_of(r, row, "n_treated"),
              (double)res->n_treated);
    check_num(c, "n_control", num_of(r, row, "n_control"),
              (double)res->n_control);
    check_num(c, "n_obs", num_of(r, row, "n_obs"), (double)res->n_obs);
    check_num(c, "n_clusters", num_of(r, row, "n_clusters"),
              (double)res->n_clusters);
}

/* Every row of the variant is matched, and every output is in a row. */
static void compare_variant(const char *ds, const char *control,
                            const char *cluster)
{
    dataset d;
    rows r;
    dataset_read(&d, ds);
    rows_read(&r, ds, "cs_expected.csv");
    we_design des = design_of(&d, strcmp(cluster, "municipality") == 0);
    we_cs_options o = {strcmp(control, "notyet") == 0 ? WE_CS_NOT_YET_TREATED
                                                      : WE_CS_NEVER_TREATED,
                       0, WE_CS_RADEMACHER, 1, WE_CS_REF_NORMAL};
    we_cs_result res;
    we_error err = {""};
    int rc = we_cs_estimate(d.y, &des, &o, &res, &err);
    if (rc != WE_OK)
        fail_msg("%s %s %s: %s", ds, control, cluster, err.msg);
    size_t n_rows = 0;
    char what[128];
    checker c = {what, 0};
    for (size_t k = 0; k < r.n; k++) {
        if (strcmp(cell_of(&r, k, "control"), control) != 0 ||
            strcmp(cell_of(&r, k, "cluster"), cluster) != 0)
            continue;
        const char *type = cell_of(&r, k, "type");
        snprintf(what, sizeof what, "%s %s %s line %zu (%s)", ds, control,
                 cluster, k + 2, type);
        n_rows++;
        if (strcmp(type, "cell") == 0) {
            check_cell(&c, &d, &r, k, &res);
        } else if (strcmp(type, "sample") == 0) {
            check_sample(&c, &r, k, &res);
        } else {
            const we_cs_stat *s = row_stat(&d, &r, k, &res);
            if (s == NULL && c.mismatches++ < 8)
                print_error("%s: no such element\n", what);
            if (s != NULL)
                check_stat(&c, &r, k, s);
        }
    }
    size_t n_out = res.n_cells + 1 + res.dynamic.n + res.group.n +
                   res.calendar.n + 3 + 1;
    if (n_rows != n_out)
        print_error("%s %s %s: %zu expected rows, %zu results (%s)\n", ds,
                    control, cluster, n_rows, n_out, REGENERATE);
    assert_int_equal(n_rows, n_out);
    assert_int_equal(c.mismatches, 0);
    we_cs_result_free(&res);
    rows_free(&r);
    dataset_free(&d);
}

#define VARIANT_TEST(name, ds, control, cluster)                             \
    static void name(void **state)                                           \
    {                                                                        \
        (void)state;                                                         \
        compare_variant(ds, control, cluster);                               \
    }
VARIANT_TEST(test_mpdta_never_area, "mpdta", "never", "area")
VARIANT_TEST(test_mpdta_never_muni, "mpdta", "never", "municipality")
VARIANT_TEST(test_mpdta_notyet_area, "mpdta", "notyet", "area")
VARIANT_TEST(test_mpdta_notyet_muni, "mpdta", "notyet", "municipality")
VARIANT_TEST(test_waves_never_area, "waves", "never", "area")
VARIANT_TEST(test_waves_never_muni, "waves", "never", "municipality")
VARIANT_TEST(test_waves_notyet_area, "waves", "notyet", "area")
VARIANT_TEST(test_waves_notyet_muni, "waves", "notyet", "municipality")

/* ---- the design's own pre-period check --------------------------------- */

/* tests/oracle/cs_pretest.py rebuilt the dynamic aggregation with did's
 * influence functions in numpy (its estimates and se's match R's to
 * 1e-10) and wrote the joint F test of the pre-period elements and its
 * power (scipy.stats.ncf) to cs_pretest_expected.csv. */
static double pretest_value(const rows *r, const char *cluster,
                            const char *q)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(cell_of(r, i, "cluster"), cluster) == 0 &&
            strcmp(cell_of(r, i, "quantity"), q) == 0)
            return num_of(r, i, "value");
    fail_msg("cs_pretest_expected.csv: no %s %s; run "
             "tests/oracle/cs_pretest.py", cluster, q);
    return NAN;
}

static void pretest_close(const char *what, double want, double got)
{
    if (!(fabs(want - got) <= 1e-8 * (1.0 + fabs(want))))
        fail_msg("%s: want %.12g, got %.12g", what, want, got);
}

static void test_pretest_against_python(void **state)
{
    (void)state;
    dataset d;
    dataset_read(&d, "mpdta");
    rows r;
    rows_read(&r, "mpdta", "cs_pretest_expected.csv");
    static const char *const cl[] = {"area", "municipality"};
    for (int by = 0; by < 2; by++) {
        we_design des = design_of(&d, by);
        we_cs_options o = {WE_CS_NEVER_TREATED, 0, WE_CS_RADEMACHER, 1,
                           WE_CS_REF_NORMAL};
        we_cs_result res;
        we_error err = {""};
        if (we_cs_estimate(d.y, &des, &o, &res, &err) != WE_OK)
            fail_msg("%s", err.msg);
        assert_int_equal(res.pre_q, (size_t)pretest_value(&r, cl[by], "q"));
        assert_int_equal(res.pre_df,
                         (size_t)pretest_value(&r, cl[by], "df"));
        pretest_close("wald", pretest_value(&r, cl[by], "wald"),
                      res.pre_wald);
        pretest_close("f", pretest_value(&r, cl[by], "f"), res.pre_f);
        pretest_close("p", pretest_value(&r, cl[by], "p"), res.pre_p);
        /* The covariance's diagonal is the analytic se's. */
        for (size_t e = 0; e < res.dynamic.n; e++)
            pretest_close("diag", res.dynamic.elem[e].s.se,
                          sqrt(res.dyn_vcov[e * res.dynamic.n + e]));
        for (int k = 1; k <= 2; k++) {
            char ks[16], kn[16], kp[16];
            snprintf(ks, sizeof ks, "slope_%d", k);
            snprintf(kn, sizeof kn, "ncp_%d", k);
            snprintf(kp, sizeof kp, "power_%d", k);
            double power, ncp;
            assert_int_equal(we_cs_pretest_power(&res,
                                                 pretest_value(&r, cl[by], ks),
                                                 0.05, &power, &ncp, &err),
                             WE_OK);
            pretest_close(kn, pretest_value(&r, cl[by], kn), ncp);
            pretest_close(kp, pretest_value(&r, cl[by], kp), power);
        }
        we_cs_result_free(&res);
    }
    rows_free(&r);
    dataset_free(&d);
}

/* ---- bootstrap ------------------------------------------------------- */

static void run_mpdta(const dataset *d, const we_cs_options *o,
                      we_cs_result *res)
{
    we_design des = design_of(d, 0);
    we_error err = {""};
    if (we_cs_estimate(d->y, &des, o, res, &err) != WE_OK)
        fail_msg("%s", err.msg);
}

static int same_stat(const we_cs_stat *a, const we_cs_stat *b)
{
    return a->boot_se == b->boot_se && a->band_low == b->band_low &&
           a->band_high == b->band_high;
}

static void test_bootstrap_reproducible(void **state)
{
    (void)state;
    dataset d;
    dataset_read(&d, "mpdta");
    we_cs_options o = {WE_CS_NEVER_TREATED, 499, WE_CS_RADEMACHER, 42,
                       WE_CS_REF_NORMAL};
    we_cs_result a, b, c;
    run_mpdta(&d, &o, &a);
    run_mpdta(&d, &o, &b);
    o.seed = 43;
    run_mpdta(&d, &o, &c);
    assert_int_equal(a.boot_reps, 499);
    assert_true(a.cell_crit == b.cell_crit);
    assert_true(a.dynamic.crit == b.dynamic.crit);
    for (size_t k = 0; k < a.n_cells; k++)
        assert_true(same_stat(&a.cell[k].s, &b.cell[k].s));
    assert_true(same_stat(&a.dynamic.elem[0].s, &b.dynamic.elem[0].s));
    assert_false(same_stat(&a.cell[0].s, &c.cell[0].s));
    /* the bootstrap leaves the analytic figures alone */
    assert_true(a.simple.se == c.simple.se);
    we_cs_result_free(&a);
    we_cs_result_free(&b);
    we_cs_result_free(&c);
    dataset_free(&d);
}

/* IQR-based bootstrap SE vs the analytic SE: relative Monte Carlo SD of
 * the IQR estimate is 1.166 / sqrt(B) for a normal; allow 4 of them. */
static void check_boot_se(const we_cs_stat *s, size_t B, const char *what)
{
    double tol = 4.0 * 1.166 / sqrt((double)B);
    double rel = fabs(s->boot_se / s->se - 1.0);
    if (rel > tol)
        print_error("%s: boot se %.6f, analytic %.6f (rel. diff %.4f > %.4f)"
                    "\n", what, s->boot_se, s->se, rel, tol);
    assert_true(rel <= tol);
}

static void boot_against_analytic(we_cs_multiplier m)
{
    dataset d;
    dataset_read(&d, "mpdta");
    size_t B = 5000;
    we_cs_options o = {WE_CS_NEVER_TREATED, B, m, 7, WE_CS_REF_NORMAL};
    we_cs_result res;
    run_mpdta(&d, &o, &res);
    for (size_t k = 0; k < res.n_cells; k++)
        check_boot_se(&res.cell[k].s, B, "cell");
    for (size_t e = 0; e < res.dynamic.n; e++)
        check_boot_se(&res.dynamic.elem[e].s, B, "dynamic");
    check_boot_se(&res.simple, B, "simple");
    check_boot_se(&res.group.overall, B, "group overall");
    /* simultaneous bands are wider than pointwise intervals */
    assert_true(res.cell_crit > 1.96 && res.cell_crit < 4.0);
    const we_cs_stat *s = &res.cell[0].s;
    assert_true(s->band_high - s->band_low > s->ci_high - s->ci_low);
    assert_true(isnan(res.simple.band_low));
    we_cs_result_free(&res);
    dataset_free(&d);
}

static void test_bootstrap_se_rademacher(void **state)
{
    (void)state;
    boot_against_analytic(WE_CS_RADEMACHER);
}

static void test_bootstrap_se_mammen(void **state)
{
    (void)state;
    boot_against_analytic(WE_CS_MAMMEN);
}

/* The band's critical value against R's (100,000 draws, its own RNG). */
static void test_bootstrap_crit_against_r(void **state)
{
    (void)state;
    dataset d;
    rows r;
    dataset_read(&d, "mpdta");
    rows_read(&r, "mpdta", "cs_bootstrap.csv");
    size_t B = 5000, checked = 0;
    for (size_t k = 0; k < r.n; k++) {
        if (strcmp(cell_of(&r, k, "cluster"), "area") != 0)
            continue;
        int nyt = strcmp(cell_of(&r, k, "control"), "notyet") == 0;
        we_cs_options o = {nyt ? WE_CS_NOT_YET_TREATED : WE_CS_NEVER_TREATED,
                           B, WE_CS_RADEMACHER, 11, WE_CS_REF_NORMAL};
        we_cs_result res;
        run_mpdta(&d, &o, &res);
        int cells = strcmp(cell_of(&r, k, "family"), "cells") == 0;
        double got = cells ? res.cell_crit : res.dynamic.crit;
        double want = num_of(&r, k, "crit");
        /* R's batch SE is for 10,000 draws; at B the SD is sqrt(2) more */
        double mc = num_of(&r, k, "crit_mc_se") * sqrt(10.0) *
                    sqrt(10000.0 / (double)B);
        double tol = 4.0 * sqrt(mc * mc + pow(num_of(&r, k, "crit_mc_se"), 2));
        if (fabs(got - want) > tol)
            print_error("line %zu: crit %.4f, R %.4f, tolerance %.4f\n", k + 2,
                        got, want, tol);
        assert_true(fabs(got - want) <= tol);
        checked++;
        we_cs_result_free(&res);
    }
    assert_int_equal(checked, 4);
    rows_free(&r);
    dataset_free(&d);
}

/* ---- errors and edge cases ------------------------------------------- */

/* A small balanced panel: 9 areas in 9 clusters, 5 periods, cohorts 2
 * and 3 and never treated (3 each), y = area + period + effect. */
typedef struct small {
    double y[9 * 5];
    long from[9];
    unsigned char in[9];
    int cl[9];
    size_t fu[3];
    we_design d;
} small;

static void small_init(small *s)
{
    for (size_t i = 0; i < 9; i++) {
        s->from[i] = i < 3 ? 2 : i < 6 ? 3 : -1;
        s->in[i] = 1;
        s->cl[i] = (int)i;
        for (size_t t = 0; t < 5; t++)
            s->y[i * 5 + t] = (double)i + 0.5 * (double)t +
                              0.1 * (double)((i * 7 + t * 3) % 5) +
                              (s->from[i] >= 0 && (long)t >= s->from[i]);
    }
    s->fu[0] = 2, s->fu[1] = 3, s->fu[2] = 4;
    s->d = (we_design){9, 5, s->from, s->in, s->cl, 1, s->fu, 3, 0.05};
}

static int small_run(small *s, we_cs_control c, we_cs_result *res,
                     we_error *err)
{
    we_cs_options o = {c, 0, WE_CS_RADEMACHER, 1, WE_CS_REF_NORMAL};
    return we_cs_estimate(s->y, &s->d, &o, res, err);
}

static void expect_error(small *s, we_cs_control c, int code,
                         const char *needle)
{
    we_cs_result res;
    we_error err = {""};
    int rc = small_run(s, c, &res, &err);
    if (rc != code || strstr(err.msg, needle) == NULL)
        print_error("rc %d, message '%s'\n", rc, err.msg);
    assert_int_equal(rc, code);
    assert_non_null(strstr(err.msg, needle));
    we_cs_result_free(&res);
}

static void test_error_no_never_treated(void **state)
{
    (void)state;
    small s;
    small_init(&s);
    for (size_t i = 6; i < 9; i++)
        s.in[i] = 0;
    expect_error(&s, WE_CS_NEVER_TREATED, WE_ENODATA, "never-treated");
}

static void test_error_first_period(void **state)
{
    (void)state;
    small s;
    small_init(&s);
    s.from[0] = 0;
    expect_error(&s, WE_CS_NEVER_TREATED, WE_EINVAL, "first period");
    s.from[0] = -3;
    expect_error(&s, WE_CS_NEVER_TREATED, WE_EINVAL, "first treated period -3 is outside the panel");
}

static void test_error_options(void **state)
{
    (void)state;
    small s;
    small_init(&s);
    expect_error(&s, (we_cs_control)7, WE_EINVAL, "comparison group");
    s.d.alpha = 1.5;
    expect_error(&s, WE_CS_NEVER_TREATED, WE_EINVAL, "alpha");
}

static void test_error_one_cluster(void **state)
{
    (void)state;
    small s;
    small_init(&s);
    for (size_t i = 0; i < 9; i++)
        s.cl[i] = 4;
    expect_error(&s, WE_CS_NEVER_TREATED, WE_ENODATA, "cluster");
}

static void test_error_no_cohort(void **state)
{
    (void)state;
    small s;
    small_init(&s);
    for (size_t i = 0; i < 6; i++)
        s.from[i] = -1;
    expect_error(&s, WE_CS_NEVER_TREATED, WE_ENODATA, "nothing to estimate");
}

/* Noise-free effect of 1 from treatment on: every post cell is exactly 1,
 * every pre cell 0, whatever the comparison group. */
static void test_exact_effect(void **state)
{
    (void)state;
    small s;
    small_init(&s);
    for (size_t i = 0; i < 9; i++)
        for (size_t t = 0; t < 5; t++)
            s.y[i * 5 + t] = (double)i + 0.5 * (double)t +
                             (s.from[i] >= 0 && (long)t >= s.from[i]);
    for (int c = 0; c < 2; c++) {
        we_cs_result res;
        we_error err = {""};
        assert_int_equal(small_run(&s, (we_cs_control)c, &res, &err), WE_OK);
        assert_int_equal(res.n_cells, 8);
        for (size_t k = 0; k < res.n_cells; k++)
            assert_true(fabs(res.cell[k].s.estimate -
                             (res.cell[k].event >= 0)) < 1e-12);
        assert_true(fabs(res.simple.estimate - 1.0) < 1e-12);
        assert_true(fabs(res.group.overall.estimate - 1.0) < 1e-12);
        assert_int_equal(res.n_treated, 6);
        assert_int_equal(res.n_control, 3);
        we_cs_result_free(&res);
    }
}

/* Without never-treated areas the not-yet-treated comparison drops the
 * periods from the last cohort's start on (did's rule). */
static void test_not_yet_without_never(void **state)
{
    (void)state;
    small s;
    small_init(&s);
    for (size_t i = 6; i < 9; i++)
        s.in[i] = 0;
    we_cs_result res;
    we_error err = {""};
    assert_int_equal(small_run(&s, WE_CS_NOT_YET_TREATED, &res, &err), WE_OK);
    assert_int_equal(res.last_period, 2);
    assert_int_equal(res.n_cells, 2); /* cohort 2 at periods 1 and 2 */
    assert_int_equal(res.n_control, 3);
    assert_non_null(strstr(res.note, "comparison group"));
    we_cs_result_free(&res);
}

/* A missing value removes the area from the cells that need it only; a
 * cell without any treated value is skipped and named. */
static void test_unbalanced_cells(void **state)
{
    (void)state;
    small s;
    small_init(&s);
    s.y[0 * 5 + 4] = NAN;
    we_cs_result res;
    we_error err = {""};
    assert_int_equal(small_run(&s, WE_CS_NEVER_TREATED, &res, &err), WE_OK);
    const we_cs_cell *c = find_cell(&res, 2, 4);
    assert_non_null(c);
    assert_int_equal(c->n_treated, 2);
    assert_int_equal(find_cell(&res, 2, 3)->n_treated, 3);
    we_cs_result_free(&res);
    s.y[1 * 5 + 4] = s.y[2 * 5 + 4] = NAN;
    assert_int_equal(small_run(&s, WE_CS_NEVER_TREATED, &res, &err), WE_OK);
    assert_int_equal(res.n_skipped, 1);
    assert_null(find_cell(&res, 2, 4));
    assert_non_null(strstr(res.note, "ATT(2,4) skipped"));
    we_cs_result_free(&res);
}

static void test_headline(void **state)
{
    (void)state;
    small s;
    small_init(&s);
    we_cs_result res;
    we_error err = {""};
    assert_int_equal(small_run(&s, WE_CS_NEVER_TREATED, &res, &err), WE_OK);
    we_estimate e = {.struct_size = sizeof e, .method = WE_METHOD_TWFE};
    we_cs_headline(&res, &e);
    assert_true(e.estimate == res.simple.estimate);
    assert_true(e.se == res.simple.se && e.p_value == res.simple.p_value);
    assert_true(e.ci_low == res.simple.ci_low);
    assert_true(isnan(e.df) && isnan(e.baseline) && isnan(e.latest));
    assert_int_equal(e.n_treated, 6);
    assert_int_equal(e.n_control, 3);
    assert_int_equal(e.n_obs, 45);
    assert_int_equal(e.inference, WE_INFERENCE_NONE);
    assert_int_equal(e.method, WE_METHOD_TWFE);
    assert_int_equal(e.struct_size, sizeof e);
    we_cs_result_free(&res);
}

/* The t(G - 1) reference (issue 16): the same estimates, the analytic
 * standard error times sqrt(G / (G - 1)) (CR1's factor), the interval
 * est +- t_{G-1}(0.975) se and p = 2 P(T_{G-1} > |est / se|), recomputed
 * here from the normal run's numbers; df = G - 1 on the headline. */
static void test_t_reference(void **state)
{
    (void)state;
    small s;
    small_init(&s);
    we_cs_result rn, rt;
    we_error err = {""};
    we_cs_options o = {WE_CS_NEVER_TREATED, 0, WE_CS_RADEMACHER, 1,
                       WE_CS_REF_T};
    assert_int_equal(small_run(&s, WE_CS_NEVER_TREATED, &rn, &err), WE_OK);
    assert_int_equal(we_cs_estimate(s.y, &s.d, &o, &rt, &err), WE_OK);
    double G = (double)rt.n_clusters;
    assert_true(G >= 2);
    assert_true(isnan(rn.df));
    assert_true(rt.df == G - 1.0);
    const we_cs_stat *a = &rn.simple, *b = &rt.simple;
    assert_true(a->estimate == b->estimate);
    double se = a->se * sqrt(G / (G - 1.0));
    assert_true(fabs(b->se - se) <= 1e-12 * se);
    double q = gsl_cdf_tdist_Pinv(0.975, G - 1.0);
    assert_true(fabs(b->ci_low - (b->estimate - q * se)) <= 1e-10);
    assert_true(fabs(b->ci_high - (b->estimate + q * se)) <= 1e-10);
    double p = 2.0 * gsl_cdf_tdist_Q(fabs(b->estimate / se), G - 1.0);
    assert_true(fabs(b->p_value - p) <= 1e-12);
    assert_true(b->p_value > a->p_value); /* heavier tails, larger se */
    for (size_t k = 0; k < rt.n_cells; k++)
        assert_true(rt.cell[k].s.ci_high - rt.cell[k].s.ci_low >=
                    rn.cell[k].s.ci_high - rn.cell[k].s.ci_low);
    we_estimate e = {.struct_size = sizeof e};
    we_cs_headline(&rt, &e);
    assert_true(e.df == G - 1.0);
    o.reference = (we_cs_reference)7;
    we_cs_result bad;
    assert_int_equal(we_cs_estimate(s.y, &s.d, &o, &bad, &err), WE_EINVAL);
    assert_non_null(strstr(err.msg, "reference distribution"));
    we_cs_result_free(&bad);
    we_cs_result_free(&rn);
    we_cs_result_free(&rt);
}

/* ---- simulation: TWFE biased, CS not ---------------------------------- */

static void test_simulation_dynamic_effects(void **state)
{
    (void)state;
    const stag_design sd = {90, 8, 3, 3, 5, 1.0, 1.0, 1.0, 0.2, 0.5, 1.0};
    stag_panel p;
    assert_int_equal(stag_init(&p, &sd), 0);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 20081107);
    stag_tally twfe = {0}, cs = {0};
    for (size_t k = 0; k < 100; k++)
        stag_replicate(r, &p, &twfe, &cs);
    double b_cs = stag_bias(&cs), se_cs = stag_bias_se(&cs);
    double b_tw = stag_bias(&twfe), se_tw = stag_bias_se(&twfe);
    print_message("truth %.3f; CS bias %+.4f (MC SE %.4f), TWFE bias %+.4f "
                  "(MC SE %.4f); coverage CS %.2f, TWFE %.2f\n",
                  stag_truth(&p), b_cs, se_cs, b_tw, se_tw,
                  (double)cs.covered / (double)cs.n,
                  (double)twfe.covered / (double)twfe.n);
    assert_int_equal(cs.failures + twfe.failures, 0);
    assert_true(fabs(b_cs) < 3.0 * se_cs);
    assert_true(fabs(b_tw) > 5.0 * se_tw);
    gsl_rng_free(r);
    stag_free(&p);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mpdta_never_area),
        cmocka_unit_test(test_mpdta_never_muni),
        cmocka_unit_test(test_mpdta_notyet_area),
        cmocka_unit_test(test_mpdta_notyet_muni),
        cmocka_unit_test(test_waves_never_area),
        cmocka_unit_test(test_waves_never_muni),
        cmocka_unit_test(test_waves_notyet_area),
        cmocka_unit_test(test_waves_notyet_muni),
        cmocka_unit_test(test_pretest_against_python),
        cmocka_unit_test(test_bootstrap_reproducible),
        cmocka_unit_test(test_bootstrap_se_rademacher),
        cmocka_unit_test(test_bootstrap_se_mammen),
        cmocka_unit_test(test_bootstrap_crit_against_r),
        cmocka_unit_test(test_error_no_never_treated),
        cmocka_unit_test(test_error_first_period),
        cmocka_unit_test(test_error_options),
        cmocka_unit_test(test_error_one_cluster),
        cmocka_unit_test(test_error_no_cohort),
        cmocka_unit_test(test_exact_effect),
        cmocka_unit_test(test_not_yet_without_never),
        cmocka_unit_test(test_unbalanced_cells),
        cmocka_unit_test(test_headline),
        cmocka_unit_test(test_t_reference),
        cmocka_unit_test(test_simulation_dynamic_effects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
