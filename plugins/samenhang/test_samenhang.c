/* Tests for the samenhang plugin, run through the mock host
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
enum { N_TARGETS = 4 };

/* Area 11 has no activity figure in 2010: it drops out of the 2010
 * scale. */
static void edit(const char *name, double *y)
{
    if (strcmp(name, "actief_voor_buurt_pct") == 0)
        y[11 * WE_KIT_PERIODS + 5] = NAN;
}

static const char *const inputs[] = {
    "sociale_cohesie_score",
    "actief_voor_buurt_pct",
    "vrijwilligerswerk_pct",
    "eenzaamheid_pct",
};

static const we_kit_plugin kit = {
    .id = "samenhang",
    .series = data,
    .n_series = sizeof data / sizeof data[0],
    .n_targets = N_TARGETS,
    .inputs = inputs,
    .n_inputs = sizeof inputs / sizeof inputs[0],
    .edit = edit,
};

/* Reference values from a direct computation on the panel above:
 * z-score each item over the complete areas (sample SD), reverse
 * loneliness, alpha = 4/3 (1 - sum var(z_j) / var(sum z_j)). In 2010 area
 * 11 is incomplete, so alpha uses 11 areas. The change is the treated
 * mean of mean_j sign_j (x_2010 - x_2007) / sd_2007,j; in this additive
 * panel that is mean_j sign_j (1.9 scale_j + effect_j) / sd_2007,j. */
static void test_cohesion_metrics(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    assert_float_equal(we_kit_metric(m, "cohesion_scale_alpha"),
                       0.9580932827617936, 1e-12);
    assert_float_equal(we_kit_metric(m, "cohesion_scale_treated_change"),
                       1.346481817739266, 1e-12);
    assert_string_equal(we_mock_find_metric(m, "cohesion_scale_alpha")->unit,
                        "alpha");
    we_mock_free(m);
}

/* With 2009 as the last follow-up every area is complete again. */
static void test_latest_period_changes_metrics(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    const size_t followup[] = {3, 4};
    assert_int_equal(we_mock_set_followup(m, followup, 2), WE_OK);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    assert_float_equal(we_kit_metric(m, "cohesion_scale_alpha"),
                       0.9607646888734648, 1e-12);
    assert_float_equal(we_kit_metric(m, "cohesion_scale_treated_change"),
                       1.132704267067492, 1e-12);
    we_mock_free(m);
}

/* Loneliness enters the scale reversed: a wijk whose loneliness rises
 * moves down the scale. */
static void test_loneliness_is_reversed(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    double y[WE_KIT_AREAS * WE_KIT_PERIODS];
    we_kit_series worse = data[1];
    worse.effect = +6.0; /* loneliness up by 6 points after treatment */
    we_kit_fill(&worse, y);
    we_mock_set_indicator(m, worse.name, worse.dir, y);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    /* the loneliness term becomes -(-0.5 * 1.9 + 6) / sd instead of
     * -(-0.5 * 1.9 - 1.5) / sd: the change falls from 1.3465 to 0.2111 */
    assert_float_equal(we_kit_metric(m, "cohesion_scale_treated_change"),
                       0.21111293495270647, 1e-12);
    we_mock_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        WE_KIT_TESTS(&kit),
        WE_KIT_TEST(we_kit_test_dutch_text, &kit),
        cmocka_unit_test(test_cohesion_metrics),
        cmocka_unit_test(test_latest_period_changes_metrics),
        cmocka_unit_test(test_loneliness_is_reversed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
