/* Tests for the gezonde_wijk plugin, run through the mock host
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
    {"ervaren_gezondheid_goed_pct", WE_HIGHER_IS_BETTER, 70,
     {-5, -8, 2, 4, -3, 1, 3, 5, -6, 2, 0, 4},
     0.5, 2},
    {"psychisch_ongezond_pct", WE_LOWER_IS_BETTER, 12,
     {3, 4, -1, -2, 2, 0, -1, -1, 3, -2, 1, 0},
     -0.2, -1},
    {"overgewicht_pct", WE_LOWER_IS_BETTER, 45,
     {4, 6, -2, -3, 5, 0, -1, -2, 6, -3, -1, 1},
     0.8, -1.5},
    {"beweegnorm_pct", WE_HIGHER_IS_BETTER, 55,
     {-6, -4, 3, 2, -5, 1, 2, 4, -7, 3, 1, 2},
     0.4, 2.5},
};
enum { N_TARGETS = 4 };

static const char *const inputs[] = {
    "ervaren_gezondheid_goed_pct",
    "psychisch_ongezond_pct",
    "overgewicht_pct",
    "beweegnorm_pct",
};

static const we_kit_plugin kit = {
    .id = "gezonde_wijk",
    .series = data,
    .n_series = sizeof data / sizeof data[0],
    .n_targets = N_TARGETS,
    .inputs = inputs,
    .n_inputs = sizeof inputs / sizeof inputs[0],
};

/* Reference values from a direct computation on the panel above: for
 * each indicator j and treated wijk i, sign_j (x_i - ref_i) / sd_j, where
 * ref_i is the run's gap reference, by default (gap.reference
 * "municipality", gap.weighted true) the population-weighted mean of the
 * other three wijken of i's municipality (1000 + 250 a inhabitants), and
 * sd_j the sample SD of all twelve wijken in 2007; the index is the mean
 * of the 16 terms. */
static void test_health_gap_index(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    assert_float_equal(we_kit_metric(m, "health_gap_index_baseline"),
                       -1.68088497283754, 1e-12);
    assert_float_equal(we_kit_metric(m, "health_gap_index_latest"),
                       -1.2441448197392104, 1e-12);
    assert_string_equal(
        we_mock_find_metric(m, "health_gap_index_latest")->unit, "sd");
    we_mock_free(m);
}

/* The per-wijk index (tests/oracle/gezonde_wijk_by_wijk.py): each
 * treated wijk's mean of the four terms at 2010; every one of them was
 * behind at baseline and still is, so none caught up (0); NaN for the
 * wijken outside the experiment. */
static void test_health_gap_by_wijk(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    const we_mock_area_metric *g =
        we_mock_find_area_metric(m, "health_gap_by_wijk");
    const we_mock_area_metric *c =
        we_mock_find_area_metric(m, "health_gap_caught_up");
    assert_non_null(g);
    assert_non_null(c);
    static const double want[WE_KIT_AREAS] = {-1.0073181084206553,
                                              -1.4681045497638818,
                                              NAN,
                                              NAN,
                                              -1.0815214152366166,
                                              NAN,
                                              NAN,
                                              NAN,
                                              -1.4196352055356884,
                                              NAN,
                                              NAN,
                                              NAN};
    for (size_t i = 0; i < WE_KIT_AREAS; i++) {
        if (isnan(want[i])) {
            assert_true(isnan(g->values[i]) && isnan(c->values[i]));
        } else {
            assert_float_equal(g->values[i], want[i], 1e-12);
            assert_float_equal(c->values[i], 0, 0);
        }
    }
    assert_string_equal(g->unit, "sd");
    assert_non_null(g->label_nl);
    we_mock_free(m);
}

/* A treated wijk pushed above its reference in 2010 has caught up. */
static void lift(const char *name, double *y)
{
    if (strcmp(name, "ervaren_gezondheid_goed_pct") == 0)
        y[0 * WE_KIT_PERIODS + 5] += 60;
}

static void test_health_gap_caught_up(void **st)
{
    (void)st;
    we_kit_plugin k = kit;
    k.edit = lift;
    we_mock *m = we_kit_mock(&k);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    const we_mock_area_metric *g =
        we_mock_find_area_metric(m, "health_gap_by_wijk");
    const we_mock_area_metric *c =
        we_mock_find_area_metric(m, "health_gap_caught_up");
    assert_true(g->values[0] > 0);
    assert_float_equal(c->values[0], 1, 0);
    assert_float_equal(c->values[1], 0, 0);
    we_mock_free(m);
}

/* One unknown population: the city references become plain means (the
 * host's rule for gap.weighted). */
static void test_unweighted_without_population(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    we_mock_set_area_population(m, 11, NAN);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    assert_float_equal(we_kit_metric(m, "health_gap_index_baseline"),
                       -1.593214115896327, 1e-12);
    assert_float_equal(we_kit_metric(m, "health_gap_index_latest"),
                       -1.1757118139654026, 1e-12);
    we_mock_free(m);
}

/* A treated wijk alone in its municipality has no city reference and
 * drops out: wijk 8 moves to a municipality of its own. The remaining
 * 12 terms (wijken 0, 1, 4) were computed the same way as above. */
static void test_wijk_without_city(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    we_mock_set_area_municipality(m, 8, "GM9999");
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    assert_float_equal(we_kit_metric(m, "health_gap_index_baseline"),
                       -1.600967307832454, 1e-12);
    assert_float_equal(we_kit_metric(m, "health_gap_index_latest"),
                       -1.1856480244737178, 1e-12);
    we_mock_free(m);
}

/* The index follows the run's gap reference (host->gap_reference), as
 * the gap method does: the same 16 terms with ref_i the plain mean of the
 * other three wijken (gap.weighted false, although every population is
 * known: the values of the test above), or the mean of all twelve wijken,
 * i itself included, weighted by population or not (gap.reference
 * "national"). */
static void test_follows_run_gap_reference(void **st)
{
    (void)st;
    static const struct {
        we_mock_gap reference;
        int weighted;
        double baseline, latest;
    } runs[] = {
        {WE_MOCK_GAP_MUNICIPALITY, 0, -1.593214115896327,
         -1.1757118139654026},
        {WE_MOCK_GAP_NATIONAL, 1, -1.3776992174984324, -1.004144526297079},
        {WE_MOCK_GAP_NATIONAL, 0, -1.255862007370346, -0.9218601658256056},
    };
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
        we_mock *m = we_kit_mock(&kit);
        we_mock_set_gap(m, runs[r].reference, runs[r].weighted);
        assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
        assert_float_equal(we_kit_metric(m, "health_gap_index_baseline"),
                           runs[r].baseline, 1e-12);
        assert_float_equal(we_kit_metric(m, "health_gap_index_latest"),
                           runs[r].latest, 1e-12);
        we_mock_free(m);
    }
}

/* The plugin needs host->gap_reference: a host of ABI 1.1 refuses it. */
static void test_needs_abi_1_2(void **st)
{
    (void)st;
    we_mock *m = we_kit_mock(&kit);
    assert_int_equal(we_mock_set_host_abi(m, 1), WE_OK);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_EINVAL);
    assert_non_null(strstr(we_mock_error(m), "newer than host ABI 1.1"));
    assert_int_equal(we_mock_n_metrics(m), 0);
    we_mock_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        WE_KIT_TESTS(&kit),
        WE_KIT_TEST(we_kit_test_dutch_text, &kit),
        cmocka_unit_test(test_health_gap_by_wijk),
        cmocka_unit_test(test_health_gap_caught_up),
        cmocka_unit_test(test_health_gap_index),
        cmocka_unit_test(test_unweighted_without_population),
        cmocka_unit_test(test_wijk_without_city),
        cmocka_unit_test(test_follows_run_gap_reference),
        cmocka_unit_test(test_needs_abi_1_2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
