/* Tests for the samenhang plugin, run through the mock host.
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
    {"sociale_cohesie_score", WE_HIGHER_IS_BETTER, 5.5,
     {0.5, -0.3, 0.2, 0.8, -0.6, 0.1, 0.4, -0.2, 0.3, -0.5, 0.6, -0.1},
     0.2, 0.3},
    {"eenzaamheid_pct", WE_LOWER_IS_BETTER, 12,
     {-2, 1, 0, -3, 2, -1, 1, 0.5, -0.5, 2.5, -1.5, 1},
     -0.5, -1.5},
    {"vrijwilligerswerk_pct", WE_HIGHER_IS_BETTER, 22,
     {1, -2, 0.5, 2, -1, 0, 1.5, -0.5, 2, -1.5, 0.5, -1},
     0.3, 1},
    {"rapportcijfer_woonomgeving", WE_HIGHER_IS_BETTER, 6.5,
     {0.2, -0.4, 0.1, 0.3, -0.2, 0.4, 0, -0.3, 0.1, 0.2, -0.1, 0},
     0.1, 0.2},
    {"actief_voor_buurt_pct", WE_HIGHER_IS_BETTER, 18,
     {2, -1, 0, 3, -2, 1, 1, -1, 0.5, -2, 2, -0.5},
     0.4, 1.2},
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

/* Area 11 has no activity figure in 2010: it drops out of the 2010
 * scale. */
static void edit(const char *name, double *y)
{
    if (strcmp(name, "actief_voor_buurt_pct") == 0)
        y[11 * T + 5] = NAN;
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
    assert_string_equal(d->id, "samenhang");
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
        "sociale_cohesie_score",
        "actief_voor_buurt_pct",
        "vrijwilligerswerk_pct",
        "eenzaamheid_pct"
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

/* Reference values from a direct computation on the panel above:
 * z-score each item over the complete areas (sample SD), reverse
 * loneliness, alpha = 4/3 (1 - sum var(z_j) / var(sum z_j)). In 2010 area
 * 11 is incomplete, so alpha uses 11 areas. The change is the treated
 * mean of mean_j sign_j (x_2010 - x_2007) / sd_2007,j; in this additive
 * panel that is mean_j sign_j (1.9 scale_j + effect_j) / sd_2007,j. */
static void test_cohesion_metrics(void **st)
{
    (void)st;
    we_mock *m = make_mock();
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    assert_float_equal(metric(m, "cohesion_scale_alpha"), 0.9580932827617936,
                       1e-12);
    assert_float_equal(metric(m, "cohesion_scale_treated_change"),
                       1.346481817739266, 1e-12);
    assert_string_equal(we_mock_find_metric(m, "cohesion_scale_alpha")->unit,
                        "alpha");
    we_mock_free(m);
}

/* With 2009 as the last follow-up every area is complete again. */
static void test_latest_period_changes_metrics(void **st)
{
    (void)st;
    we_mock *m = make_mock();
    const size_t followup[] = {3, 4};
    assert_int_equal(we_mock_set_followup(m, followup, 2), WE_OK);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    assert_float_equal(metric(m, "cohesion_scale_alpha"), 0.9607646888734648,
                       1e-12);
    assert_float_equal(metric(m, "cohesion_scale_treated_change"),
                       1.132704267067492, 1e-12);
    we_mock_free(m);
}

/* Loneliness enters the scale reversed: a wijk whose loneliness rises
 * moves down the scale. */
static void test_loneliness_is_reversed(void **st)
{
    (void)st;
    we_mock *m = make_mock();
    double y[A * T];
    series worse = data[1];
    worse.effect = +6.0; /* loneliness up by 6 points after treatment */
    fill(&worse, y);
    we_mock_set_indicator(m, worse.name, worse.dir, y);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    /* the loneliness term becomes -(-0.5 * 1.9 + 6) / sd instead of
     * -(-0.5 * 1.9 - 1.5) / sd: the change falls from 1.3465 to 0.2111 */
    assert_float_equal(metric(m, "cohesion_scale_treated_change"),
                       0.21111293495270647, 1e-12);
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
        cmocka_unit_test(test_cohesion_metrics),
        cmocka_unit_test(test_latest_period_changes_metrics),
        cmocka_unit_test(test_loneliness_is_reversed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
