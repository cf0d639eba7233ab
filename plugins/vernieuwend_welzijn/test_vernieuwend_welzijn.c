/* Tests for the vernieuwend_welzijn plugin, run through the mock host
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
    {"zelfredzaamheid_score", WE_HIGHER_IS_BETTER, 3.2,
     {0.4, -0.3, 0.1, 0.5, 0, -0.2, 0.3, -0.1, 0.2, 0.1, -0.4, 0.2},
     0.05, 0.3},
    {"outreach_tijd_pct", WE_HIGHER_IS_BETTER, 25,
     {3, -2, 1, 0, 4, -1, 2, -3, -2, 1, 0, 2},
     2, 8},
    {"huisuitzettingen_per_1000", WE_LOWER_IS_BETTER, 3,
     {0.5, 0.8, -0.4, 0, 0.6, -0.2, 0.1, -0.3, 0.9, -0.5, 0.2, 0},
     -0.1, -0.6},
    {"eenzaamheid_pct", WE_LOWER_IS_BETTER, 12,
     {-2, 1, 0, -3, 2, -1, 1, 0.5, -0.5, 2.5, -1.5, 1},
     -0.5, -1.5},
};
enum { N_TARGETS = 4 };

static const char *const inputs[] = {"zelfredzaamheid_score"};

static const we_kit_plugin kit = {
    .id = "vernieuwend_welzijn",
    .series = data,
    .n_series = sizeof data / sizeof data[0],
    .n_targets = N_TARGETS,
    .inputs = inputs,
    .n_inputs = sizeof inputs / sizeof inputs[0],
};

static void test_self_reliance_metrics(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    /* 2007: 3.2 + 0.05 * 0.7 + area = 3.235 + {0.4, -0.3, 0, 0.2} = 3.635,
     * 2.935, 3.235, 3.435: one of four >= 3.5. 2010: 3.2 + 0.13 + 0.3
     * + area = 4.03, 3.33, 3.63, 3.83: three of four. */
    assert_float_equal(we_kit_metric(m, "self_reliant_share_latest"),
                       0.75, 1e-12);
    assert_float_equal(we_kit_metric(m, "self_reliant_share_change"),
                       0.5, 1e-12);
    we_mock_free(m);
}

static void test_settings_change_metrics(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    we_mock_set_setting_double(m, "self_reliance_threshold", 3.4);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    /* >= 3.4: 2007 two of four (3.635, 3.435), 2010 three of four */
    assert_float_equal(we_kit_metric(m, "self_reliant_share_latest"),
                       0.75, 1e-12);
    assert_float_equal(we_kit_metric(m, "self_reliant_share_change"),
                       0.25, 1e-12);
    we_mock_set_setting_double(m, "self_reliance_threshold", 3.7);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    /* >= 3.7: 2007 none, 2010 4.03 and 3.83 */
    assert_float_equal(we_kit_metric(m, "self_reliant_share_latest"),
                       0.5, 1e-12);
    assert_float_equal(we_kit_metric(m, "self_reliant_share_change"),
                       0.5, 1e-12);
    we_mock_free(m);
}

static void test_bad_settings_fail(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    we_mock_set_setting_double(m, "self_reliance_threshold", 6.0);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_EPLUGIN);
    assert_non_null(strstr(we_mock_error(m), "self_reliance_threshold"));
    we_mock_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        WE_KIT_TESTS(&kit),
        WE_KIT_TEST(we_kit_test_dutch_text, &kit),
        cmocka_unit_test(test_self_reliance_metrics),
        cmocka_unit_test(test_settings_change_metrics),
        cmocka_unit_test(test_bad_settings_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
