/* Tests for the slagkracht plugin, run through the mock host.
 * The panel is noiseless: y = base + area effect + scale * time effect
 * + effect after treatment, so the TWFE estimate must equal `effect`.
 * Expected metric values are written out from the same numbers by hand
 * (see the comments), never computed by the plugin's own code. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mock_host.h"

const we_plugin_descriptor *wijkeval_plugin_entry(void);

enum { A = 12, T = 6, FROM = 3, BASELINE = 2 };
static const int periods[T] = {2005, 2006, 2007, 2008, 2009, 2010};
static const double time_eff[T] = {0.0, 0.4, 0.7, 1.5, 1.9, 2.6};
/* Treated from 2008: two wijken of the first municipality, one of each
 * other. Areas 4k..4k+3 form municipality k; area a has 1000 + 250 a
 * inhabitants. */
static const size_t treated[] = {0, 1, 4, 8};

typedef struct series {
    const char *name;
    we_direction dir;
    double base, area[A], time_scale, effect;
} series;

/* The descriptor's targets first, in its order, then other inputs. */
static const series data[] = {
    {"dagen_signaal_tot_actie", WE_LOWER_IS_BETTER, 40,
     {5, -3, 8, 0, -6, 2, 4, -2, 10, 1, -4, 3},
     -2, -7},
    {"meldingen_binnen_termijn_pct", WE_HIGHER_IS_BETTER, 60,
     {4, -6, 2, 0, -3, 5, 1, -2, 3, -4, 6, -1},
     3, 5},
    {"verloedering_score", WE_LOWER_IS_BETTER, 5,
     {0.5, 0.8, -0.2, 0, 0.6, -0.4, 0.1, -0.3, 0.7, 0.2, -0.5, 0.3},
     -0.3, -0.8},
    {"concrete_verbeteringen_count", WE_HIGHER_IS_BETTER, 0,
     {2, 0, 1, 3, 1, 0, 2, 1, 3, 0, 1, 2},
     0, 2},
};
enum { N_TARGETS = 4, N_SERIES = sizeof data / sizeof data[0] };

static int is_treated(size_t a)
{
    for (size_t k = 0; k < sizeof treated / sizeof treated[0]; k++)
        if (treated[k] == a)
            return 1;
    return 0;
}

static void fill(const series *s, double *y)
{
    for (size_t a = 0; a < A; a++)
        for (size_t t = 0; t < T; t++)
            y[a * T + t] = s->base + s->area[a] +
                           s->time_scale * time_eff[t] +
                           (is_treated(a) && t >= FROM ? s->effect : 0.0);
}

/* Treated wijk 8 reported no signal-to-action time in 2010. */
static void edit(const char *name, double *y)
{
    if (strcmp(name, "dagen_signaal_tot_actie") == 0)
        y[8 * T + 5] = NAN;
}

static we_mock *make_mock(void)
{
    we_mock *m = we_mock_new(A, periods, T);
    assert_non_null(m);
    char buf[32];
    for (size_t a = 0; a < A; a++) {
        snprintf(buf, sizeof buf, "WK%04zu", a);
        assert_int_equal(we_mock_set_area_code(m, a, buf), WE_OK);
        snprintf(buf, sizeof buf, "GM%04zu", a / 4);
        assert_int_equal(we_mock_set_area_municipality(m, a, buf), WE_OK);
        assert_int_equal(we_mock_set_area_population(m, a, 1000.0 + 250 * a),
                         WE_OK);
    }
    double y[A * T];
    for (size_t k = 0; k < N_SERIES; k++) {
        fill(&data[k], y);
        edit(data[k].name, y);
        assert_int_equal(we_mock_set_indicator(m, data[k].name, data[k].dir,
                                               y), WE_OK);
    }
    for (size_t k = 0; k < sizeof treated / sizeof treated[0]; k++)
        assert_int_equal(we_mock_set_treated(m, treated[k], FROM), WE_OK);
    assert_int_equal(we_mock_set_baseline(m, BASELINE), WE_OK);
    return m;
}

static const char *catalog_path(void)
{
    const char *p = getenv("WE_CATALOG");
    return p ? p : "data/catalog.csv";
}

static double metric(const we_mock *m, const char *name)
{
    const we_mock_metric *mt = we_mock_find_metric(m, name);
    if (mt == NULL)
        fail_msg("metric %s was not emitted (error: %s)", name,
                 we_mock_error(m));
    return mt->value;
}

static void test_descriptor(void **st)
{
    (void)st;
    const we_plugin_descriptor *d = wijkeval_plugin_entry();
    char msg[512] = "";
    int rc = we_mock_check_descriptor(d, catalog_path(), msg, sizeof msg);
    if (rc != WE_OK)
        fail_msg("%s", msg);
    assert_string_equal(d->id, "slagkracht");
    assert_int_equal(d->abi_major, WE_ABI_MAJOR);
    assert_int_equal(d->n_indicators, N_TARGETS);
    for (size_t k = 0; k < N_TARGETS; k++) {
        assert_string_equal(d->indicators[k].name, data[k].name);
        assert_int_equal(d->indicators[k].role,
                         k == 0 ? WE_ROLE_PRIMARY : WE_ROLE_SECONDARY);
        assert_int_equal(d->indicators[k].direction, data[k].dir);
    }
}

static void test_methods_for_every_target(void **st)
{
    (void)st;
    we_mock *m = make_mock();
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    assert_int_equal(we_mock_n_results(m), 4 * N_TARGETS);
    for (size_t k = 0; k < N_TARGETS; k++) {
        for (int meth = 0; meth < WE_METHOD_COUNT_; meth++) {
            const we_mock_result *r =
                we_mock_find_result(m, data[k].name, (we_method)meth);
            assert_non_null(r);
            assert_int_equal(r->role, k == 0 ? WE_ROLE_PRIMARY
                                             : WE_ROLE_SECONDARY);
        }
        const we_mock_result *tw =
            we_mock_find_result(m, data[k].name, WE_METHOD_TWFE);
        assert_float_equal(tw->est.estimate, data[k].effect, 1e-9);
        assert_int_equal(tw->est.n_treated, 4);
        assert_int_equal(tw->est.n_control, 8);
    }
    we_mock_free(m);
}

/* A target without any data: its four methods are skipped with a warning,
 * the rest of the evaluation goes on. */
static void test_no_data_is_skipped(void **st)
{
    (void)st;
    we_mock *m = make_mock();
    double y[A * T];
    for (size_t i = 0; i < A * T; i++)
        y[i] = NAN;
    assert_int_equal(we_mock_set_indicator(m, data[2].name, data[2].dir, y),
                     WE_OK);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    assert_int_equal(we_mock_n_results(m), 4 * (N_TARGETS - 1));
    assert_null(we_mock_find_result(m, data[2].name, WE_METHOD_TWFE));
    size_t warnings = 0;
    for (size_t k = 0; k < we_mock_n_logs(m); k++) {
        const we_mock_log *lg = we_mock_log_at(m, k);
        warnings += lg->level == WE_LOG_WARNING &&
                    strstr(lg->message, data[2].name) != NULL;
    }
    assert_int_equal(warnings, 4);
    we_mock_free(m);
}

/* A target the panel does not have is an error, not a skipped method. */
static void test_unknown_target_fails(void **st)
{
    (void)st;
    we_mock *m = make_mock();
    const we_indicator_spec targets[] = {
        {data[0].name, WE_ROLE_PRIMARY, 0},
        {"woz_gemiddeld", WE_ROLE_SECONDARY, 0}};
    assert_int_equal(we_mock_set_targets(m, targets, 2), WE_OK);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_EPLUGIN);
    assert_non_null(strstr(we_mock_error(m), "woz_gemiddeld"));
    we_mock_free(m);
}

/* The inputs of the metrics: without one, the evaluation fails and says
 * which indicator is missing. */
static void test_missing_input_fails(void **st)
{
    (void)st;
    static const char *const inputs[] = {
        "dagen_signaal_tot_actie",
        "concrete_verbeteringen_count"
    };
    for (size_t k = 0; k < sizeof inputs / sizeof inputs[0]; k++) {
        we_mock *m = make_mock();
        assert_int_equal(we_mock_remove_indicator(m, inputs[k]), WE_OK);
        assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_EPLUGIN);
        if (strstr(we_mock_error(m), inputs[k]) == NULL)
            fail_msg("error does not name %s: %s", inputs[k],
                     we_mock_error(m));
        assert_int_equal(we_mock_n_metrics(m), 0);
        we_mock_free(m);
    }
}

static void test_slagkracht_metrics(void **st)
{
    (void)st;
    we_mock *m = make_mock();
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    /* 2010: 40 - 2 * 2.6 - 7 + area = 27.8 + {5, -3, -6} for wijken 0, 1,
     * 4 (8 is missing) = 32.8, 24.8, 21.8: median 24.8 */
    assert_float_equal(metric(m, "median_days_signal_to_action"), 24.8,
                       1e-12);
    /* improvements in 2009: 0 + area + 2 = 4, 2, 3, 5 for 0, 1, 4, 8;
     * three of four reach 3 */
    assert_float_equal(metric(m, "share_wijken_improvements_realised"), 0.75,
                       1e-12);
    assert_string_equal(
        we_mock_find_metric(m, "median_days_signal_to_action")->unit,
        "days");
    we_mock_free(m);
}

/* With all four wijken present the median is the mean of the middle two:
 * 32.8, 24.8, 21.8, 37.8 -> (24.8 + 32.8) / 2. */
static void test_median_of_even_count(void **st)
{
    (void)st;
    we_mock *m = make_mock();
    double y[A * T];
    fill(&data[0], y);
    we_mock_set_indicator(m, data[0].name, data[0].dir, y);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    assert_float_equal(metric(m, "median_days_signal_to_action"), 28.8,
                       1e-12);
    we_mock_free(m);
}

static void test_settings_change_metrics(void **st)
{
    (void)st;
    we_mock *m = make_mock();
    we_mock_set_setting_int(m, "improvements_target", 5);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    /* 4, 2, 3, 5: one reaches 5 */
    assert_float_equal(metric(m, "share_wijken_improvements_realised"), 0.25,
                       1e-12);
    /* 2007, before treatment: 2, 0, 1, 3; one reaches 3 */
    we_mock_set_setting_int(m, "improvements_target", 3);
    we_mock_set_setting_int(m, "deadline", 2007);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    assert_float_equal(metric(m, "share_wijken_improvements_realised"), 0.25,
                       1e-12);
    assert_non_null(strstr(
        we_mock_find_metric(m, "share_wijken_improvements_realised")
            ->description, "2007"));
    we_mock_free(m);
}

static void test_bad_settings_fail(void **st)
{
    (void)st;
    we_mock *m = make_mock();
    we_mock_set_setting_int(m, "deadline", 1999);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_EPLUGIN);
    assert_non_null(strstr(we_mock_error(m), "deadline"));
    we_mock_set_setting_int(m, "deadline", 2009);
    we_mock_set_setting_int(m, "improvements_target", -1);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_EPLUGIN);
    assert_non_null(strstr(we_mock_error(m), "improvements_target"));
    we_mock_set_setting_int(m, "improvements_target", 3);
    we_mock_set_setting_bool(m, "strict", 1);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_EINVAL);
    assert_non_null(strstr(we_mock_error(m), "strict"));
    we_mock_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_methods_for_every_target),
        cmocka_unit_test(test_no_data_is_skipped),
        cmocka_unit_test(test_unknown_target_fails),
        cmocka_unit_test(test_missing_input_fails),
        cmocka_unit_test(test_slagkracht_metrics),
        cmocka_unit_test(test_median_of_even_count),
        cmocka_unit_test(test_settings_change_metrics),
        cmocka_unit_test(test_bad_settings_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
