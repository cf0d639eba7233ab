/* Tests for the achter_de_voordeur plugin, run through the mock host
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
    {"huishoudens_bereikt_per_1000", WE_HIGHER_IS_BETTER, 20,
     {10, -5, 3, 0, 25, -8, 2, 4, -2, 6, -4, 1},
     4, 15},
    {"mpg_met_plan_pct", WE_HIGHER_IS_BETTER, 30,
     {5, -5, 2, 0, 8, -3, 1, -2, -4, 3, 0, 2},
     5, 10},
    {"langdurige_bijstand_pct", WE_LOWER_IS_BETTER, 6,
     {1, 0.5, -0.5, 0, 1.5, -1, 0.2, -0.2, 0.8, -0.6, 0.4, 0},
     -0.2, -0.7},
    {"wachttijd_schuldhulp_dagen", WE_LOWER_IS_BETTER, 50,
     {5, 8, -4, 0, 10, -6, 2, -2, 7, -3, 1, -5},
     -3, -12},
};
enum { N_TARGETS = 4 };

static const char *const inputs[] = {
    "huishoudens_bereikt_per_1000",
    "mpg_met_plan_pct",
};

static const we_kit_plugin kit = {
    .id = "achter_de_voordeur",
    .series = data,
    .n_series = sizeof data / sizeof data[0],
    .n_targets = N_TARGETS,
    .inputs = inputs,
    .n_inputs = sizeof inputs / sizeof inputs[0],
};

static void test_outreach_metrics(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    /* reached in 2010: 20 + 4 * 2.6 + 15 + area = 45.4 + {10, -5, 25, -2}
     * = 55.4, 40.4, 70.4, 43.4 per 1000; over 50: 1 (capped), 0.808,
     * 1 (capped), 0.868; mean 0.919 */
    assert_float_equal(we_kit_metric(m, "outreach_reach_share"), 0.919, 1e-12);
    /* plan in 2010: 30 + 5 * 2.6 + 10 + {5, -5, 8, -4} = 58, 48, 61, 49 */
    assert_float_equal(we_kit_metric(m, "mpg_plan_share_latest"), 0.54, 1e-12);
    we_mock_free(m);
}

static void test_settings_change_metrics(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    we_mock_set_setting_double(m, "mpg_per_1000", 80.0);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    /* 55.4 / 80 = 0.6925, 0.505, 0.88, 0.5425: none capped, mean 0.655 */
    assert_float_equal(we_kit_metric(m, "outreach_reach_share"), 0.655, 1e-12);
    assert_float_equal(we_kit_metric(m, "mpg_plan_share_latest"), 0.54, 1e-12);
    assert_non_null(strstr(
        we_mock_find_metric(m, "outreach_reach_share")->description, "80"));
    we_mock_free(m);
}

static void test_bad_settings_fail(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    we_mock_set_setting_double(m, "mpg_per_1000", 0.0);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_EPLUGIN);
    assert_non_null(strstr(we_mock_error(m), "mpg_per_1000"));
    assert_int_equal(we_mock_n_results(m), 0);
    we_mock_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        WE_KIT_TESTS(&kit),
        WE_KIT_TEST(we_kit_test_dutch_text, &kit),
        cmocka_unit_test(test_outreach_metrics),
        cmocka_unit_test(test_settings_change_metrics),
        cmocka_unit_test(test_bad_settings_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
