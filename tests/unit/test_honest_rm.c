/* HonestDiD's C-LF relative-magnitudes set (methods/honest_rm.h) against
 * R HonestDiD itself: tests/oracle/honestdid_rm.R ran
 * createSensitivityResults_relativeMagnitudes (C-LF, Mbar = 1) and the
 * breakdown bisection on every panel in tests/oracle/fixtures/honestdid/
 * (HonestDiD's BCdata_EventStudy, the pinned waves and mpdta event
 * studies and the demo's headline event studies) into expected.csv.
 * Tolerance: the interval's ends within one grid step of R's (the grid
 * is the same; in practice they are equal), Mbar* within the bisection's
 * width. The building blocks are checked against R's own numbers too. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/csv_table.h"
#include "methods/honest_rm.h"

#define REGENERATE                                                            \
    "regenerate with: Rscript tests/oracle/honestdid_rm.R "                   \
    "(tests/oracle/README.md)"

static const char *root(void)
{
    const char *r = getenv("WE_ORACLE_FIXTURES");
    return r != NULL ? r : "tests/oracle/fixtures";
}

typedef struct es_fixture {
    size_t n;
    int rel[32];
    double b[32], V[32 * 32], df;
} es_fixture;

static double field_num(we_csv_table *t, long i)
{
    char *end, *s = we_csv_table_field(t, i);
    double v = strtod(s, &end);
    if (end == s || *end != '\0')
        fail_msg("%s:%zu: '%s' is not a number; " REGENERATE,
                 we_csv_table_path(t), we_csv_table_line(t), s);
    return v;
}

static void load_es(const char *panel, es_fixture *f)
{
    char path[512];
    snprintf(path, sizeof path, "%s/honestdid/%s/es_input.csv", root(), panel);
    we_csv_table t;
    we_error err = {{0}};
    if (we_csv_table_open(&t, path, "rel_time,estimate,df,v1..vn", &err) !=
        WE_OK)
        fail_msg("%s; " REGENERATE, err.msg);
    memset(f, 0, sizeof *f);
    int rc;
    while ((rc = we_csv_table_next(&t, &err)) == 1) {
        assert_true(f->n < 32);
        f->rel[f->n] = (int)field_num(&t, 0);
        f->b[f->n] = field_num(&t, 1);
        f->df = field_num(&t, 2);
        for (size_t j = 3; j < t.width; j++)
            f->V[f->n * (t.width - 3) + j - 3] = field_num(&t, (long)j);
        f->n++;
    }
    assert_int_equal(rc, 0);
    we_csv_table_close(&t);
}

static double expected(const char *panel, const char *quantity)
{
    char path[512];
    snprintf(path, sizeof path, "%s/honestdid/%s/expected.csv", root(), panel);
    we_csv_table t;
    we_error err = {{0}};
    if (we_csv_table_open(&t, path, "quantity,value", &err) != WE_OK)
        fail_msg("%s; " REGENERATE, err.msg);
    double v = NAN;
    int found = 0;
    while (we_csv_table_next(&t, &err) == 1)
        if (strcmp(we_csv_table_field(&t, 0), quantity) == 0) {
            v = field_num(&t, 1);
            found = 1;
        }
    we_csv_table_close(&t);
    if (!found)
        fail_msg("%s: no quantity '%s'; " REGENERATE, path, quantity);
    return v;
}

static we_es_input es_of(const es_fixture *f)
{
    we_es_input es = {
        .n = f->n, .rel = f->rel, .b = f->b, .V = f->V, .df = f->df};
    return es;
}

static void check_panel(const char *panel)
{
    es_fixture f;
    load_es(panel, &f);
    we_es_input es = es_of(&f);
    double alpha = expected(panel, "alpha");
    double lb = expected(panel, "grid_lb"), ub = expected(panel, "grid_ub");
    double step = expected(panel, "grid_step");
    double lo, hi, st;
    int open_end;
    we_error err = {{0}};
    /* On R's grid. */
    assert_int_equal(we_honest_rm_grid(&es, alpha, 1.0, lb, ub,
                                       (size_t)expected(panel, "grid_points"),
                                       &lo, &hi, &open_end, &err),
                     WE_OK);
    double rlo = expected(panel, "ci_low_mbar1");
    double rhi = expected(panel, "ci_high_mbar1");
    if (!(fabs(lo - rlo) <= step && fabs(hi - rhi) <= step))
        fail_msg("%s: C-LF [%.10g, %.10g], HonestDiD [%.10g, %.10g] "
                 "(grid step %.3g)",
                 panel, lo, hi, rlo, rhi, step);
    assert_false(open_end);
    /* And as the report chooses its grid (the same one). */
    assert_int_equal(we_honest_rm_ci(&es, alpha, 1.0, &lo, &hi, &st, &err),
                     WE_OK);
    assert_true(fabs(lo - rlo) <= step && fabs(hi - rhi) <= step);
    assert_true(fabs(st - step) <= 1e-9 * step);
    double tol = expected(panel, "breakdown_tol"), bd;
    double rbd = expected(panel, "breakdown_mbar");
    assert_int_equal(we_honest_rm_breakdown(&es, alpha, tol, &bd, &err),
                     WE_OK);
    if (!(fabs(bd - rbd) <= tol || (isinf(bd) && isinf(rbd))))
        fail_msg("%s: Mbar* %.10g, HonestDiD %.10g (tolerance %g)", panel, bd,
                 rbd, tol);
    print_message("%-28s C-LF [%.6g, %.6g] = HonestDiD [%.6g, %.6g]; "
                  "Mbar* %.6g = %.6g\n",
                  panel, lo, hi, rlo, rhi, bd, rbd);
}

static void test_panels_match_honestdid(void **state)
{
    (void)state;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/honestdid", root());
    DIR *d = opendir(dir);
    if (d == NULL)
        fail_msg("%s: cannot open; " REGENERATE, dir);
    size_t n = 0;
    int bc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s/expected.csv", dir, e->d_name);
        FILE *f = fopen(path, "r");
        if (f == NULL)
            continue;
        fclose(f);
        check_panel(e->d_name);
        bc |= strcmp(e->d_name, "bcdata") == 0;
        n++;
    }
    closedir(d);
    /* The published example and at least one more. */
    assert_true(bc);
    assert_true(n >= 2);
}

/* R: set.seed(0); rnorm(3); runif after set.seed(0). */
static void test_r_generator(void **state)
{
    (void)state;
    we_rrng g;
    we_rrng_seed(&g, 0);
    assert_float_equal(we_rrng_norm(&g), 1.262954284880793, 1e-14);
    assert_float_equal(we_rrng_norm(&g), -0.326233360705649, 1e-14);
    assert_float_equal(we_rrng_norm(&g), 1.329799262922501, 1e-14);
    we_rrng_seed(&g, 0);
    assert_float_equal(we_rrng_unif(&g), 0.896697200136259, 1e-14);
    assert_float_equal(we_rrng_unif(&g), 0.265508663142100, 1e-14);
}

/* TruncatedNormal::norminvp(0.955, l, u) in R. */
static void test_truncnorm_quantile(void **state)
{
    (void)state;
    assert_float_equal(we_truncnorm_quantile(0.955, -1, 2), 1.55825091726045,
                       1e-12);
    assert_float_equal(we_truncnorm_quantile(0.955, 0.5, INFINITY),
                       2.2005431995046, 1e-12);
    assert_float_equal(we_truncnorm_quantile(0.955, 40, 41), 40.0774041565897,
                       1e-9);
    assert_float_equal(we_truncnorm_quantile(0.045, -41, -40),
                       -40.0774041565897, 1e-9);
    assert_true(isnan(we_truncnorm_quantile(0.5, 2, 1)));
}

/* max x1 + x2 s.t. x1 + 2 x2 + s1 = 4, 3 x1 + x2 + s2 = 6: (1.6, 1.2);
 * infeasible and unbounded cases are told apart. */
static void test_simplex(void **state)
{
    (void)state;
    const double A[] = {1, 2, 1, 0, 3, 1, 0, 1}, b[] = {4, 6},
                 c[] = {1, 1, 0, 0};
    double x[4], val;
    assert_int_equal(we_lp_std_max(2, 4, A, b, c, x, &val), 0);
    assert_float_equal(val, 2.8, 1e-12);
    assert_float_equal(x[0], 1.6, 1e-12);
    assert_float_equal(x[1], 1.2, 1e-12);
    const double A2[] = {1, 1, 1, 1}, b2[] = {1, 2}, c2[] = {1, 0};
    assert_int_equal(we_lp_std_max(2, 2, A2, b2, c2, x, &val), 1);
    const double A3[] = {1, -1}, b3[] = {0}, c3[] = {1, 0};
    assert_int_equal(we_lp_std_max(1, 2, A3, b3, c3, x, &val), 2);
}

/* Inputs C-LF cannot take are errors, never numbers. */
static void test_bad_input(void **state)
{
    (void)state;
    es_fixture f;
    load_es("bcdata", &f);
    we_es_input es = es_of(&f);
    we_error err = {{0}};
    int acc;
    double lo, hi, bd, st;
    int gap[32];
    memcpy(gap, f.rel, sizeof gap);
    gap[0] = -7; /* leads no longer consecutive */
    es.rel = gap;
    assert_int_equal(we_honest_rm_accepts(&es, 0.05, 1.0, 0.0, &acc, &err),
                     WE_EINVAL);
    assert_non_null(strstr(err.msg, "consecutive"));
    es = es_of(&f);
    es.n = f.n - 3; /* one lag */
    assert_int_equal(we_honest_rm_ci(&es, 0.05, 1.0, &lo, &hi, &st, &err),
                     WE_ENODATA);
    es = es_of(&f);
    assert_int_equal(we_honest_rm_breakdown(&es, 0.05, 0.0, &bd, &err),
                     WE_EINVAL);
    assert_int_equal(we_honest_rm_accepts(&es, 1.5, 1.0, 0.0, &acc, &err),
                     WE_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_r_generator),
        cmocka_unit_test(test_truncnorm_quantile),
        cmocka_unit_test(test_simplex),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_panels_match_honestdid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
