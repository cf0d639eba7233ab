/* Tests for the bewonersparticipatie plugin, run through the mock host.
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
    assert_string_equal(d->id, "bewonersparticipatie");
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
        "bewonersbudget_besteed_pct"
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

static void test_budget_metrics(void **st)
{
    (void)st;
    we_mock *m = make_mock();
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    /* 2009 = index 4: 70 + 3 * 1.9 + 5 + area = 80.7 + {12, -5, 15, 6}
     * = 92.7, 75.7, 95.7, 86.7 for wijken 0, 1, 4, 8: mean 87.7%, and two
     * of four at 90% or more. */
    assert_float_equal(metric(m, "budget_spent_by_deadline"), 0.877, 1e-12);
    assert_float_equal(metric(m, "wijken_budget_spent_share"), 0.5, 1e-12);
    const we_mock_metric *mt =
        we_mock_find_metric(m, "wijken_budget_spent_share");
    assert_string_equal(mt->unit, "share");
    assert_non_null(strstr(mt->description, "90%"));
    we_mock_free(m);
}

static void test_settings_change_metrics(void **st)
{
    (void)st;
    we_mock *m = make_mock();
    we_mock_set_setting_double(m, "spent_threshold_pct", 85.0);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    /* 92.7, 95.7 and 86.7 reach 85% */
    assert_float_equal(metric(m, "wijken_budget_spent_share"), 0.75, 1e-12);
    assert_float_equal(metric(m, "budget_spent_by_deadline"), 0.877, 1e-12);

    /* 2010: 70 + 3 * 2.6 + 5 = 82.8 + area = 94.8, 77.8, 97.8, 88.8; an
     * integer value is accepted for a double setting */
    we_mock_set_setting_int(m, "deadline", 2010);
    we_mock_set_setting_int(m, "spent_threshold_pct", 88);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    assert_float_equal(metric(m, "budget_spent_by_deadline"), 0.898, 1e-12);
    assert_float_equal(metric(m, "wijken_budget_spent_share"), 0.75, 1e-12);
    we_mock_free(m);
}

static void test_bad_settings_fail(void **st)
{
    (void)st;
    we_mock *m = make_mock();
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
    we_mock *m = make_mock();
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
    we_mock *m = make_mock();
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
    assert_int_equal(we_mock_check_descriptor(&d, catalog_path(), msg,
                                              sizeof msg), WE_EINVAL);
    assert_non_null(strstr(msg, "opkomst_gemeenteraad_pct"));
    assert_int_equal(we_mock_run(m, &d), WE_EINVAL); /* the panel's too */

    specs[2].direction = WE_HIGHER_IS_BETTER;
    specs[3].name = "no_such_indicator";
    assert_int_equal(we_mock_check_descriptor(&d, catalog_path(), msg,
                                              sizeof msg), WE_ENOTFOUND);
    assert_non_null(strstr(msg, "no_such_indicator"));
    we_mock_free(m);
}

/* Clustering by area instead of municipality: 12 clusters, so the TWFE
 * reference t has 11 degrees of freedom instead of 2. */
static void test_cluster_choice(void **st)
{
    (void)st;
    we_mock *m = make_mock();
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
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_methods_for_every_target),
        cmocka_unit_test(test_no_data_is_skipped),
        cmocka_unit_test(test_unknown_target_fails),
        cmocka_unit_test(test_missing_input_fails),
        cmocka_unit_test(test_budget_metrics),
        cmocka_unit_test(test_settings_change_metrics),
        cmocka_unit_test(test_bad_settings_fail),
        cmocka_unit_test(test_target_override),
        cmocka_unit_test(test_broken_descriptors_are_refused),
        cmocka_unit_test(test_cluster_choice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
