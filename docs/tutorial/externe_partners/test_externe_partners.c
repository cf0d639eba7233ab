/* Unit test of the externe_partners plugin on the mock host: the real
 * wijkeval host on a panel made here. Every expected number is worked out
 * by hand from the panel below. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <wijkeval/mock_host.h>

const we_plugin_descriptor *wijkeval_plugin_entry(void);

/* [panel] */
/* Ten wijken, 2006-2009, the baseline 2007. Wijken 0-4 are treated from
 * 2008; wijk a and wijk a + 5 share municipality a. Each indicator is
 * base + wijk + year + effect (treated, from 2008): without noise, so
 * that TWFE finds the effect exactly. Youth unemployment falls by half a
 * point a year everywhere, and by 2 more in a treated wijk. */
enum { A = 10, T = 4, TREATED = 5, FROM = 2, BASELINE = 1, LATEST = 3 };
static const int periods[T] = {2006, 2007, 2008, 2009};
static const double wijk[A] = {1, -2, 0.5, 3, -1, 2, -0.5, 1.5, -3, 0};
static const double year[T] = {0, -0.5, -1, -1.5};

typedef struct series {
    const char *name;
    we_direction dir;
    double base, effect;
} series;

static const series data[] = {
    {"jeugdwerkloosheid_pct", WE_LOWER_IS_BETTER, 18, -2},
    {"werkzaam_15_64_pct", WE_HIGHER_IS_BETTER, 52, 1.5},
    {"tevreden_woonomgeving_pct", WE_HIGHER_IS_BETTER, 64, 3},
};
enum { N_SERIES = sizeof data / sizeof data[0] };

/* y[j][a * T + t]: the values of data[j], to be edited by a test. */
typedef double values[N_SERIES][A * T];

static we_mock *panel(values y)
{
    we_mock *m = we_mock_new(A, periods, T);
    assert_non_null(m);
    char gm[16];
    for (size_t a = 0; a < A; a++) {
        snprintf(gm, sizeof gm, "GM%04zu", a % TREATED + 1);
        assert_int_equal(we_mock_set_area_municipality(m, a, gm), WE_OK);
        if (a < TREATED)
            assert_int_equal(we_mock_set_treated(m, a, FROM), WE_OK);
    }
    assert_int_equal(we_mock_set_baseline(m, BASELINE), WE_OK);
    /* Five municipalities are too few clusters: cluster by wijk. */
    we_mock_set_cluster(m, WE_MOCK_CLUSTER_AREA);
    for (size_t j = 0; j < N_SERIES; j++)
        for (size_t a = 0; a < A; a++)
            for (size_t t = 0; t < T; t++)
                y[j][a * T + t] = data[j].base + wijk[a] + year[t] +
                                  (a < TREATED && t >= FROM ? data[j].effect
                                                            : 0);
    return m;
}

/* Hands the values to the mock and runs the plugin. */
static int run(we_mock *m, values y)
{
    for (size_t j = 0; j < N_SERIES; j++)
        assert_int_equal(we_mock_set_indicator(m, data[j].name, data[j].dir,
                                               y[j]), WE_OK);
    return we_mock_run(m, wijkeval_plugin_entry());
}

static void run_ok(we_mock *m, values y)
{
    if (run(m, y) != WE_OK)
        fail_msg("the run failed: %s", we_mock_error(m));
}
/* [/panel] */

static double metric(const we_mock *m)
{
    const we_mock_metric *mt = we_mock_find_metric(m,
                                                   "ahead_of_comparison_share");
    if (mt == NULL)
        fail_msg("no ahead_of_comparison_share: %s", we_mock_error(m));
    return mt != NULL ? mt->value : NAN;
}

static int warned(const we_mock *m, const char *text)
{
    for (size_t k = 0; k < we_mock_n_logs(m); k++) {
        const we_mock_log *lg = we_mock_log_at(m, k);
        if (lg->level == WE_LOG_WARNING && strstr(lg->message, text))
            return 1;
    }
    return 0;
}

/* The loader's checks, and the indicators in the catalogue. */
static void test_descriptor(void **st)
{
    (void)st;
    const char *catalog = getenv("WE_CATALOG");
    char msg[512] = "";
    if (catalog == NULL)
        fail_msg("set WE_CATALOG to wijkeval's catalog.csv (make test "
                 "does)");
    if (we_mock_check_descriptor(wijkeval_plugin_entry(), catalog, msg,
                                 sizeof msg) != WE_OK)
        fail_msg("%s", msg);
}

/* [test_estimates] */
/* The four methods on each indicator; TWFE finds each effect exactly,
 * from 5 treated and 5 comparison wijken. */
static void test_estimates(void **st)
{
    (void)st;
    values y;
    we_mock *m = panel(y);
    run_ok(m, y);
    assert_int_equal(we_mock_n_results(m), 4 * N_SERIES);
    for (size_t j = 0; j < N_SERIES; j++) {
        const we_mock_result *r = we_mock_find_result(m, data[j].name,
                                                      WE_METHOD_TWFE);
        assert_non_null(r);
        assert_float_equal(r->est.estimate, data[j].effect, 1e-9);
        assert_int_equal(r->est.n_treated, 5);
        assert_int_equal(r->est.n_control, 5);
        assert_int_equal(r->role, j == 0 ? WE_ROLE_PRIMARY
                                         : WE_ROLE_SECONDARY);
    }
    we_mock_free(m);
}
/* [/test_estimates] */

/* [test_metric] */
/* From 2007 to 2009 youth unemployment falls by 1 point in a comparison
 * wijk and by 1 + 2 = 3 in a treated one: 5 of 5 treated wijken ahead.
 * Then comparison wijk 9 ends 5 points lower, so that the comparison
 * wijken fall by (4 x 1 + 6) / 5 = 2 on average, and treated wijken 1, 2
 * and 4 end 2.5, 10 and 1.5 points higher: they fall by 0.5 and 1.5, or
 * rise by 7, not more than 2. Ahead: wijken 0 and 3, 2 of 5. */
static void test_metric(void **st)
{
    (void)st;
    values y;
    we_mock *m = panel(y);
    run_ok(m, y);
    assert_float_equal(metric(m), 1.0, 1e-12);
    y[0][9 * T + LATEST] -= 5;
    y[0][1 * T + LATEST] += 2.5;
    y[0][2 * T + LATEST] += 10;
    y[0][4 * T + LATEST] += 1.5;
    run_ok(m, y);
    assert_float_equal(metric(m), 0.4, 1e-12);
    /* A host of ABI 1.0 has no comparison_values: the plugin's own
     * computation gives the same share. */
    assert_int_equal(we_mock_set_host_abi(m, 0), WE_OK);
    run_ok(m, y);
    assert_float_equal(metric(m), 0.4, 1e-12);
    we_mock_free(m);
}
/* [/test_metric] */

/* Four treated wijken with data, fewer than the default min_wijken of 5:
 * no metric, a warning, and the evaluation succeeds. min_wijken = 4
 * brings it back: wijk 2 drops out, the other 4 are ahead. */
static void test_min_wijken(void **st)
{
    (void)st;
    values y;
    we_mock *m = panel(y);
    y[0][2 * T + LATEST] = NAN;
    run_ok(m, y);
    assert_null(we_mock_find_metric(m, "ahead_of_comparison_share"));
    assert_true(warned(m, "fewer than min_wijken (5)"));
    assert_int_equal(we_mock_set_setting_int(m, "min_wijken", 4), WE_OK);
    run_ok(m, y);
    assert_float_equal(metric(m), 1.0, 1e-12);
    we_mock_free(m);
}

/* No comparison wijk with a 2009 value: no benchmark, no metric. */
static void test_no_comparison_data(void **st)
{
    (void)st;
    values y;
    we_mock *m = panel(y);
    for (size_t a = TREATED; a < A; a++)
        y[0][a * T + LATEST] = NAN;
    run_ok(m, y);
    assert_null(we_mock_find_metric(m, "ahead_of_comparison_share"));
    assert_true(warned(m, "no comparison wijk has jeugdwerkloosheid_pct"));
    we_mock_free(m);
}

static void test_bad_setting(void **st)
{
    (void)st;
    values y;
    we_mock *m = panel(y);
    assert_int_equal(we_mock_set_setting_int(m, "min_wijken", 0), WE_OK);
    assert_int_equal(run(m, y), WE_EPLUGIN);
    assert_non_null(strstr(we_mock_error(m), "min_wijken"));
    we_mock_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_estimates),
        cmocka_unit_test(test_metric),
        cmocka_unit_test(test_min_wijken),
        cmocka_unit_test(test_no_comparison_data),
        cmocka_unit_test(test_bad_setting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
