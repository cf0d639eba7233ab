/* Tests for the bewonersparticipatie plugin, run through the mock host
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
    {"actief_voor_buurt_pct", WE_HIGHER_IS_BETTER, 20,
     {0, -2, 1, 3, -1, 2, 0.5, -3, 1.5, -0.5, 2.5, -1.5},
     1, 2},
    {"bewonersinitiatieven_per_10000", WE_HIGHER_IS_BETTER, 5,
     {1, 0, -1, 2, 0.5, -0.5, 1.5, -2, 0, 1, -1, 0.25},
     0.5, 1.5},
    {"opkomst_gemeenteraad_pct", WE_HIGHER_IS_BETTER, 45,
     {-4, 2, 0, 3, 1, -2, 4, -1, 2, 0, -3, 1},
     -1, 3},
    {"gemeente_betrekt_buurt_pct", WE_HIGHER_IS_BETTER, 30,
     {2, -1, 3, 0, -2, 1, 0, 2, -3, 1, 2, -1},
     2, 4},
    {"bewonersbudget_besteed_pct", WE_HIGHER_IS_BETTER, 70,
     {12, -5, 3, 8, 15, -10, 0, 4, 6, -2, 9, -7},
     3, 5},
};
enum { N_TARGETS = 4 };

static const char *const inputs[] = {"bewonersbudget_besteed_pct"};

static const we_kit_plugin kit = {
    .id = "bewonersparticipatie",
    .series = data,
    .n_series = sizeof data / sizeof data[0],
    .n_targets = N_TARGETS,
    .inputs = inputs,
    .n_inputs = sizeof inputs / sizeof inputs[0],
};

static void test_budget_metrics(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    /* 2009 = index 4: 70 + 3 * 1.9 + 5 + area = 80.7 + {12, -5, 15, 6}
     * = 92.7, 75.7, 95.7, 86.7 for wijken 0, 1, 4, 8: mean 87.7%, and two
     * of four at 90% or more. */
    assert_float_equal(we_kit_metric(m, "budget_spent_by_deadline"),
                       0.877, 1e-12);
    assert_float_equal(we_kit_metric(m, "wijken_budget_spent_share"),
                       0.5, 1e-12);
    const we_mock_metric *mt =
        we_mock_find_metric(m, "wijken_budget_spent_share");
    assert_string_equal(mt->unit, "share");
    assert_non_null(strstr(mt->description, "90%"));
    we_mock_free(m);
}

static void test_settings_change_metrics(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    we_mock_set_setting_double(m, "spent_threshold_pct", 85.0);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    /* 92.7, 95.7 and 86.7 reach 85% */
    assert_float_equal(we_kit_metric(m, "wijken_budget_spent_share"),
                       0.75, 1e-12);
    assert_float_equal(we_kit_metric(m, "budget_spent_by_deadline"),
                       0.877, 1e-12);

    /* 2010: 70 + 3 * 2.6 + 5 = 82.8 + area = 94.8, 77.8, 97.8, 88.8; an
     * integer value is accepted for a double setting */
    we_mock_set_setting_int(m, "deadline", 2010);
    we_mock_set_setting_int(m, "spent_threshold_pct", 88);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    assert_float_equal(we_kit_metric(m, "budget_spent_by_deadline"),
                       0.898, 1e-12);
    assert_float_equal(we_kit_metric(m, "wijken_budget_spent_share"),
                       0.75, 1e-12);
    we_mock_free(m);
}

static void test_bad_settings_fail(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    we_mock_set_setting_int(m, "deadline", 2015);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_EPLUGIN);
    assert_non_null(strstr(we_mock_error(m), "deadline"));
    assert_non_null(strstr(we_mock_error(m), "2015"));

    we_mock_set_setting_int(m, "deadline", 2009);
    we_mock_set_setting_double(m, "spent_threshold_pct", 120.0);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_EPLUGIN);
    assert_non_null(strstr(we_mock_error(m), "spent_threshold_pct"));

    /* the wrong type is refused before the plugin runs */
    we_mock_set_setting_string(m, "spent_threshold_pct", "ninety");
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_ETYPE);
    assert_non_null(strstr(we_mock_error(m), "spent_threshold_pct"));
    assert_int_equal(we_mock_n_results(m), 0);
    we_mock_free(m);
}

static void test_target_override(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    const we_indicator_spec only[] = {
        {"gemeente_betrekt_buurt_pct", WE_ROLE_PRIMARY, 0}};
    assert_int_equal(we_mock_set_targets(m, only, 1), WE_OK);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    assert_int_equal(we_mock_n_results(m), 4);
    const we_mock_result *r =
        we_mock_find_result(m, "gemeente_betrekt_buurt_pct", WE_METHOD_TWFE);
    assert_non_null(r);
    assert_int_equal(r->role, WE_ROLE_PRIMARY);
    assert_float_equal(r->est.estimate, 4.0, 1e-9);
    we_mock_free(m);
}

/* The checks behind test_descriptor can fail: broken copies of the
 * descriptor are refused, by we_mock_run as by the real host. */
static void test_broken_descriptors_are_refused(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    char msg[512];
    we_plugin_descriptor d = *wijkeval_plugin_entry();
    d.abi_major = WE_ABI_MAJOR + 1;
    assert_int_equal(we_mock_run(m, &d), WE_EINVAL);
    assert_non_null(strstr(we_mock_error(m), "ABI"));

    d = *wijkeval_plugin_entry();
    we_indicator_spec specs[N_TARGETS];
    memcpy(specs, d.indicators, sizeof specs);
    d.indicators = specs;
    specs[1].role = WE_ROLE_PRIMARY;
    assert_int_equal(we_mock_check_descriptor(&d, NULL, msg, sizeof msg),
                     WE_EINVAL);
    assert_non_null(strstr(msg, "primary"));

    specs[1].role = WE_ROLE_SECONDARY;
    specs[2].direction = WE_LOWER_IS_BETTER;
    assert_int_equal(we_mock_check_descriptor(&d, NULL, msg, sizeof msg),
                     WE_OK);
    assert_int_equal(we_mock_check_descriptor(&d, we_kit_catalog_path(), msg,
                                              sizeof msg), WE_EINVAL);
    assert_non_null(strstr(msg, "opkomst_gemeenteraad_pct"));
    assert_int_equal(we_mock_run(m, &d), WE_EINVAL); /* the panel's too */

    specs[2].direction = WE_HIGHER_IS_BETTER;
    specs[3].name = "no_such_indicator";
    assert_int_equal(we_mock_check_descriptor(&d, we_kit_catalog_path(), msg,
                                              sizeof msg), WE_ENOTFOUND);
    assert_non_null(strstr(msg, "no_such_indicator"));
    we_mock_free(m);
}

/* Clustering by area instead of municipality: 12 clusters, so the TWFE
 * reference t has 11 degrees of freedom instead of 2. */
static void test_cluster_choice(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    const we_mock_result *r =
        we_mock_find_result(m, data[0].name, WE_METHOD_TWFE);
    assert_float_equal(r->est.df, 2.0, 0.0);
    we_mock_set_cluster(m, WE_MOCK_CLUSTER_AREA);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    r = we_mock_find_result(m, data[0].name, WE_METHOD_TWFE);
    assert_float_equal(r->est.df, 11.0, 0.0);
    we_mock_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        WE_KIT_TESTS(&kit),
        WE_KIT_TEST(we_kit_test_dutch_text, &kit),
        cmocka_unit_test(test_budget_metrics),
        cmocka_unit_test(test_settings_change_metrics),
        cmocka_unit_test(test_bad_settings_fail),
        cmocka_unit_test(test_target_override),
        cmocka_unit_test(test_broken_descriptors_are_refused),
        cmocka_unit_test(test_cluster_choice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
