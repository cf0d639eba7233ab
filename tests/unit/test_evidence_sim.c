/* The evidence rules on simulated null panels (tests/validate/
 * evidence_sim.h; the full study is `make validate`, docs/validation.md):
 * a favourable secular trend makes before/after significant in most
 * panels, and it earns no label; the comparison designs give a label
 * that claims an effect to fewer than 5% of the null panels (within three
 * Monte Carlo standard errors), and to most panels with a true effect. */
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <setjmp.h>
#include <string.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_errno.h>

#include "../validate/evidence_sim.h"
#include "../validate/evidence_synth.h"

/* Under valgrind or the sanitizers (tests/run-tests.sh sets
 * WE_TEST_UNDER_VALGRIND or WE_TEST_UNDER_SANITIZERS) a study whose panels
 * are costly runs on fewer of them (here: none): those passes look for
 * memory errors, which the unit tests of the same code reach
 * (test_synth, test_synth_pretest, test_inference); the plain pass runs
 * the full size that the Monte Carlo bounds are written for. */
static int env_set(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && strcmp(v, "1") == 0;
}

static size_t panels(size_t full, size_t under_checker)
{
    return env_set("WE_TEST_UNDER_VALGRIND") ||
                   env_set("WE_TEST_UNDER_SANITIZERS")
               ? under_checker
               : full;
}

static void test_null_secular_trend(void **state)
{
    (void)state;
    const size_t reps = 300;
    ev_tally t;
    assert_int_equal(ev_run(&EV_SCENARIOS[0], reps, 99, 20081107, &t), 0);
    assert_int_equal(t.reps, reps);
    for (int m = 0; m < EV_N_METHODS; m++)
        assert_int_equal(t.failed[m], 0);
    print_message("null, secular trend: before/after significant %zu of "
                  "%zu; labels did %.3f, twfe %.3f; level 3 twfe %zu; mean "
                  "pre-test power %.3f\n",
                  t.significant[EV_PRE_POST], reps,
                  ev_label_share(&t, EV_DID), ev_label_share(&t, EV_TWFE),
                  t.level3[EV_TWFE], t.power_sum / (double)t.power_n);
    /* The trend makes before/after significant in most panels ... */
    assert_true(t.significant[EV_PRE_POST] > reps / 2);
    /* ... and it never earns a label. */
    assert_true(ev_label_share(&t, EV_PRE_POST) == 0.0);
    double bound = 0.05 + 3.0 * sqrt(0.05 * 0.95 / reps);
    if (!(ev_label_share(&t, EV_DID) < bound) ||
        !(ev_label_share(&t, EV_TWFE) < bound))
        fail_msg("labels on null panels: did %.3f, twfe %.3f (bound %.3f)",
                 ev_label_share(&t, EV_DID), ev_label_share(&t, EV_TWFE),
                 bound);
    /* Level 3 only with a powerful pre-check: its mean power is shown. */
    assert_true(t.power_n > reps / 2);
}

static void test_effect_earns_labels(void **state)
{
    (void)state;
    ev_tally t;
    assert_int_equal(ev_run(&EV_SCENARIOS[2], 100, 99, 7, &t), 0);
    assert_true(ev_label_share(&t, EV_TWFE) > 0.5);
    assert_true(ev_label_share(&t, EV_PRE_POST) == 0.0);
    /* The 2x2 DiD's CR1 test with 5 treated municipalities: the host's
     * rule flags every panel descriptive, so a significant estimate
     * earns no label; TWFE with the wild bootstrap is not flagged. */
    assert_int_equal(t.descriptive[EV_DID], t.reps);
    assert_int_equal(t.descriptive[EV_TWFE], 0);
    assert_true(t.significant[EV_DID] > t.reps / 4);
    assert_true(ev_label_share(&t, EV_DID) == 0.0);
    assert_int_equal(t.mde_n, t.reps);
    assert_true(t.est_sum[EV_TWFE] / (double)t.reps > 0.3);
}

/* With 8 treated municipalities the 2x2 DiD is not descriptive and earns
 * labels when there is an effect: the flag follows the treated clusters,
 * not the method. */
static void test_did_labels_with_enough_clusters(void **state)
{
    (void)state;
    ev_scenario s = EV_SCENARIOS[2];
    s.n_treated = 8;
    ev_tally t;
    assert_int_equal(ev_run(&s, 60, 0, 11, &t), 0);
    assert_int_equal(t.descriptive[EV_DID], 0);
    assert_true(ev_label_share(&t, EV_DID) > 0.3);
    /* boot_reps 0: TWFE's p is CR1's, with 8 treated clusters valid */
    assert_int_equal(t.descriptive[EV_TWFE], 0);
}

/* SC and SDID headlines with their own pre-period check (a small version
 * of the study in docs/validation.md): every panel gets its check and a
 * power; under the null with a favourable trend few panels earn a label
 * that claims an effect. 12 panels: mechanics, with a loose bound. */
static void test_synth_null_secular_trend(void **state)
{
    (void)state;
    es_tally t;
    /* Under valgrind and the sanitizers this study is skipped: one panel
     * costs a minute under valgrind, and test_synth_pretest, test_synth
     * and test_sdid run the same code under both. */
    const size_t reps = panels(12, 0);
    if (reps == 0)
        skip();
    assert_int_equal(es_run(&EV_SCENARIOS[0], reps, 20081107, &t), 0);
    assert_int_equal(t.reps, reps);
    for (int m = 0; m < ES_N_METHODS; m++) {
        print_message("%s: labels %.3f, level 3 %zu, check rejected %zu, "
                      "mean power %.3f (%zu)\n",
                      m == ES_SC ? "sc" : "sdid", es_label_share(&t, m),
                      t.level3[m], t.check_rejected[m],
                      t.power_sum[m] / (double)t.power_n[m], t.power_n[m]);
        assert_int_equal(t.failed[m], 0);
        assert_int_equal(t.power_n[m], reps);
        assert_true(t.powerless[m] == 0); /* 99 placebos: min p 1/100 */
        /* at most 2 of 12 (0.05 + 3 Monte Carlo SEs is 0.24) */
        assert_true(es_label_share(&t, m) <= 2.0 / 12.0);
    }
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_secular_trend),
        cmocka_unit_test(test_effect_earns_labels),
        cmocka_unit_test(test_did_labels_with_enough_clusters),
        cmocka_unit_test(test_synth_null_secular_trend),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
