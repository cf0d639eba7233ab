/* Tests for the slagkracht plugin, run through the mock host
 * on the standard panel of we_plugin_test_kit.h (noiseless, so the TWFE
 * estimate equals `effect`).
 * Expected metric values are written out from the same numbers by hand
 * (see the comments), never computed by the plugin's own code. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "we_plugin_test_kit.h"

/* The descriptor's targets first, in its order, then other inputs. */
static const we_kit_series data[] = {
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
enum { N_TARGETS = 4 };

/* Treated wijk 8 reported no signal-to-action time in 2010. */
static void edit(const char *name, double *y)
{
    if (strcmp(name, "dagen_signaal_tot_actie") == 0)
        y[8 * WE_KIT_PERIODS + 5] = NAN;
}

static const char *const inputs[] = {
    "dagen_signaal_tot_actie",
    "concrete_verbeteringen_count",
};

static const we_kit_plugin kit = {
    .id = "slagkracht",
    .series = data,
    .n_series = sizeof data / sizeof data[0],
    .n_targets = N_TARGETS,
    .inputs = inputs,
    .n_inputs = sizeof inputs / sizeof inputs[0],
    .edit = edit,
};

static void test_slagkracht_metrics(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    /* 2010: 40 - 2 * 2.6 - 7 + area = 27.8 + {5, -3, -6} for wijken 0, 1,
     * 4 (8 is missing) = 32.8, 24.8, 21.8: median 24.8 */
    assert_float_equal(we_kit_metric(m, "median_days_signal_to_action"),
                       24.8, 1e-12);
    /* improvements in 2009: 0 + area + 2 = 4, 2, 3, 5 for 0, 1, 4, 8;
     * three of four reach 3 */
    assert_float_equal(we_kit_metric(m, "share_wijken_improvements_realised"),
                       0.75, 1e-12);
    /* The unit and label from the catalogue (host->indicator_info). */
    const we_mock_metric *md =
        we_mock_find_metric(m, "median_days_signal_to_action");
    assert_string_equal(md->unit, "days");
    assert_string_equal(md->unit_nl, "dagen");
    assert_non_null(strstr(md->description, "'Days from signal to action'"));
    /* Per wijk: the same four treated wijken, 1 where they reached 3
     * improvements (4, 2, 3, 5 -> 1, 0, 1, 1), NaN elsewhere. */
    const we_mock_area_metric *a =
        we_mock_find_area_metric(m, "improvements_target_reached");
    assert_non_null(a);
    assert_int_equal(a->n, WE_KIT_AREAS);
    static const double want[WE_KIT_AREAS] = {1,   0,   NAN, NAN, 1,   NAN,
                                              NAN, NAN, 1,   NAN, NAN, NAN};
    for (size_t i = 0; i < WE_KIT_AREAS; i++)
        if (isnan(want[i]))
            assert_true(isnan(a->values[i]));
        else
            assert_float_equal(a->values[i], want[i], 0);
    assert_string_equal(a->label_nl, "Doel verbeteringen gehaald");
    we_mock_free(m);
}

/* With all four wijken present the median is the mean of the middle two:
 * 32.8, 24.8, 21.8, 37.8 -> (24.8 + 32.8) / 2. */
static void test_median_of_even_count(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    double y[WE_KIT_AREAS * WE_KIT_PERIODS];
    we_kit_fill(&data[0], y);
    we_mock_set_indicator(m, data[0].name, data[0].dir, y);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    assert_float_equal(we_kit_metric(m, "median_days_signal_to_action"),
                       28.8, 1e-12);
    we_mock_free(m);
}

static void test_settings_change_metrics(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    we_mock_set_setting_int(m, "improvements_target", 5);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    /* 4, 2, 3, 5: one reaches 5 */
    assert_float_equal(we_kit_metric(m, "share_wijken_improvements_realised"),
                       0.25, 1e-12);
    /* 2007, before treatment: 2, 0, 1, 3; one reaches 3 */
    we_mock_set_setting_int(m, "improvements_target", 3);
    we_mock_set_setting_int(m, "deadline", 2007);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    assert_float_equal(we_kit_metric(m, "share_wijken_improvements_realised"),
                       0.25, 1e-12);
    assert_non_null(strstr(
        we_mock_find_metric(m, "share_wijken_improvements_realised")
            ->description, "2007"));
    we_mock_free(m);
}

static void test_bad_settings_fail(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
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
        WE_KIT_TESTS(&kit),
        WE_KIT_TEST(we_kit_test_dutch_text, &kit),
        cmocka_unit_test(test_slagkracht_metrics),
        cmocka_unit_test(test_median_of_even_count),
        cmocka_unit_test(test_settings_change_metrics),
        cmocka_unit_test(test_bad_settings_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
