/* Tests for the bureaucratie plugin, run through the mock host
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
    {"doorlooptijd_vergunning_dagen", WE_LOWER_IS_BETTER, 70,
     {-10, 5, 0, 8, -20, 3, -5, 6, 12, -2, 4, 0},
     -4, -9},
    {"doorlooptijd_subsidie_dagen", WE_LOWER_IS_BETTER, 90,
     {10, -15, 5, 0, 20, -10, 8, -5, -12, 6, 0, 4},
     -6, -14},
    {"administratietijd_pct", WE_LOWER_IS_BETTER, 30,
     {2, -3, 1, 0, 4, -2, 1, -1, 3, -4, 2, 0},
     -1, -2.5},
    {"gemeente_bereikbaar_pct", WE_HIGHER_IS_BETTER, 65,
     {-5, 3, 0, 4, -2, 6, -1, 2, -4, 1, 5, -3},
     2, 6},
};
enum { N_TARGETS = 4 };

static const char *const inputs[] = {"doorlooptijd_vergunning_dagen"};

static const we_kit_plugin kit = {
    .id = "bureaucratie",
    .series = data,
    .n_series = sizeof data / sizeof data[0],
    .n_targets = N_TARGETS,
    .inputs = inputs,
    .n_inputs = sizeof inputs / sizeof inputs[0],
};

static void test_permit_metrics(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    /* 2010: 70 - 4 * 2.6 - 9 + area = 50.6 + {-10, 5, -20, 12} = 40.6,
     * 55.6, 30.6, 62.6 days: median (40.6 + 55.6) / 2 = 48.1; three within
     * 56 days */
    assert_float_equal(we_kit_metric(m, "median_permit_days"), 48.1, 1e-9);
    assert_float_equal(we_kit_metric(m, "share_within_legal_term"),
                       0.75, 1e-12);
    assert_string_equal(we_mock_find_metric(m, "median_permit_days")->unit,
                        "days");
    we_mock_free(m);
}

static void test_settings_change_metrics(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    we_mock_set_setting_double(m, "legal_term_days", 42.0);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    /* 40.6 and 30.6 are within six weeks */
    assert_float_equal(we_kit_metric(m, "share_within_legal_term"),
                       0.5, 1e-12);
    assert_float_equal(we_kit_metric(m, "median_permit_days"), 48.1, 1e-9);
    we_mock_free(m);
}

/* The metrics follow the design's latest period: 2009 instead of 2010
 * shifts every treated value by 4 * (2.6 - 1.9) = 2.8 days. */
static void test_latest_period(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    const size_t followup[] = {3, 4};
    we_mock_set_followup(m, followup, 2);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    /* 43.4, 58.4, 33.4, 65.4: median 50.9, two within 56 days */
    assert_float_equal(we_kit_metric(m, "median_permit_days"), 50.9, 1e-9);
    assert_float_equal(we_kit_metric(m, "share_within_legal_term"),
                       0.5, 1e-12);
    we_mock_free(m);
}

static void test_bad_settings_fail(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    we_mock_set_setting_double(m, "legal_term_days", -3.0);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_EPLUGIN);
    assert_non_null(strstr(we_mock_error(m), "legal_term_days"));
    we_mock_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        WE_KIT_TESTS(&kit),
        WE_KIT_TEST(we_kit_test_dutch_text, &kit),
        cmocka_unit_test(test_permit_metrics),
        cmocka_unit_test(test_settings_change_metrics),
        cmocka_unit_test(test_latest_period),
        cmocka_unit_test(test_bad_settings_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
