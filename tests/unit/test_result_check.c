/* The rule for a result a plugin emits (host/result_check.h): each number
 * that cannot be true is refused with a message naming the indicator, the
 * method, the field and the value; NaN (none), an infinite interval side,
 * a p-value of exactly 0 or 1 and the same primary indicator by several
 * methods stay allowed. The rule is applied by host->emit_result and by
 * we_wire_validate alike. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/host.h"
#include "host/result_check.h"
#include "host/wire.h"

static const we_target_cfg TARGETS[] = {
    {(char *)"a", WE_ROLE_PRIMARY},
    {(char *)"b", WE_ROLE_SECONDARY},
};

/* 20 areas, 10 periods: 200 observations. */
static const we_result_scope SCOPE = {TARGETS, 2, 20, 10};

static void assert_contains(const char *msg, const char *part)
{
    if (strstr(msg, part) == NULL)
        fail_msg("message \"%s\"\n  lacks \"%s\"", msg, part);
}

/* A TWFE estimate of "a" that passes: every field set, as host->estimate
 * fills it. */
static we_result_rec good(void)
{
    we_result_rec r;
    memset(&r, 0, sizeof r);
    r.indicator = (char *)"a";
    r.role = WE_ROLE_PRIMARY;
    r.est.struct_size = sizeof r.est;
    r.est.method = WE_METHOD_TWFE;
    r.est.estimate = 2;
    r.est.se = 0.5;
    r.est.ci_low = 1;
    r.est.ci_high = 3;
    r.est.p_value = 0.01;
    r.est.df = 19;
    r.est.n_treated = 5;
    r.est.n_control = 15;
    r.est.n_obs = 200;
    r.est.baseline = 40;
    r.est.latest = 42;
    r.est.inference = WE_INFERENCE_CR1;
    return r;
}

static void accepted(const we_result_rec *r, const we_result_rec *prev,
                     size_t n_prev)
{
    we_error err = {{0}};
    if (we_result_check(r, prev, n_prev, &SCOPE, &err) != 0)
        fail_msg("refused: %s", err.msg);
}

static void refused(const we_result_rec *r, const char *part)
{
    we_error err = {{0}};
    assert_int_equal(we_result_check(r, NULL, 0, &SCOPE, &err), WE_EINVAL);
    assert_contains(err.msg, part);
}

/* ---- refused --------------------------------------------------------- */

static void test_p_value(void **state)
{
    (void)state;
    we_result_rec r = good();
    r.est.p_value = 7.5;
    refused(&r, "'a' (twfe): p_value is 7.5, outside [0, 1]; a p-value is "
                "a probability");
    r.est.p_value = -0.5;
    refused(&r, "'a' (twfe): p_value is -0.5, outside [0, 1]");
    r.est.p_value = INFINITY;
    refused(&r, "p_value is +Inf");
    r.est.p_value = nextafter(1.0, 2.0);
    refused(&r, "p_value is 1.0000000000000002, outside");
}

static void test_se_and_df(void **state)
{
    (void)state;
    we_result_rec r = good();
    r.est.se = -1;
    refused(&r, "'a' (twfe): se is -1, not a finite number >= 0; emit the "
                "one host->estimate gives, or NaN");
    r.est.se = INFINITY;
    refused(&r, "se is +Inf, not a finite number >= 0");
    r = good();
    r.est.df = -3;
    refused(&r, "'a' (twfe): df is -3, not a finite number >= 0");
    r.est.df = INFINITY;
    refused(&r, "df is +Inf");
    r.est.df = 201;
    refused(&r, "df is 201, more than the panel's 200 observations");
}

static void test_interval(void **state)
{
    (void)state;
    we_result_rec r = good();
    r.est.ci_low = 3;
    r.est.ci_high = 1;
    refused(&r, "'a' (twfe): ci_low..ci_high is [3, 1], reversed");
    r.est.ci_low = 2.5;
    r.est.ci_high = 4;
    refused(&r, "'a' (twfe): ci_low is 2.5, above the estimate; an "
                "interval contains its estimate");
    r.est.ci_low = 0;
    r.est.ci_high = 1.5;
    refused(&r, "'a' (twfe): ci_high is 1.5, below the estimate");
    r.est.ci_low = INFINITY;
    r.est.ci_high = NAN;
    refused(&r, "ci_low is +Inf, above the estimate");
    r.est.ci_low = NAN;
    r.est.ci_high = -INFINITY;
    refused(&r, "ci_high is -Inf, below the estimate");
}

static void test_counts(void **state)
{
    (void)state;
    we_result_rec r = good();
    r.est.n_treated = -5;
    refused(&r, "'a' (twfe): n_treated is -5, negative; a count is >= 0, "
                "or -1 when the method has none");
    r.est.n_treated = 21;
    refused(&r, "n_treated is 21, more than the panel's 20 areas");
    r = good();
    r.est.n_control = 21;
    refused(&r, "n_control is 21, more than the panel's 20 areas");
    r.est.n_control = -2;
    refused(&r, "n_control is -2, negative");
    r = good();
    r.est.n_obs = 201;
    refused(&r, "n_obs is 201, more than the panel's 200 observations");
    r = good();
    r.est.inference_reps = -1;
    refused(&r, "inference_reps is -1, negative");
}

static void test_other_fields(void **state)
{
    (void)state;
    we_result_rec r = good();
    r.est.estimate = NAN;
    refused(&r, "'a' (twfe): the estimate is NaN; a plugin must emit "
                "finite estimates");
    r = good();
    r.est.method = (we_method)99;
    refused(&r, "'a': method 99 is unknown");
    r = good();
    r.est.inference = (we_inference)77;
    refused(&r, "inference is 77, unknown");
    r = good();
    r.est.baseline = -INFINITY;
    refused(&r, "baseline is -Inf, not finite");
    r = good();
    r.est.latest = INFINITY;
    refused(&r, "latest is +Inf, not finite");
    r = good();
    r.est.closing = 2;
    refused(&r, "closing is 2, neither 0 nor 1");
}

static void test_identity(void **state)
{
    (void)state;
    we_result_rec r = good();
    r.indicator = (char *)"c";
    refused(&r, "'c' is not one of this experiment's indicators");
    /* A second primary indicator: "b" is the secondary one. */
    r = good();
    r.indicator = (char *)"b";
    refused(&r, "'b' (twfe): role is primary, but this experiment has 'b' "
                "as a secondary indicator");
    r = good();
    r.role = WE_ROLE_SECONDARY;
    refused(&r, "'a' (twfe): role is secondary, but this experiment has "
                "'a' as a primary indicator");
    r.role = (we_role)7;
    refused(&r, "role is 7, neither primary nor secondary");
    /* The same indicator and method twice: which one is the headline? */
    we_result_rec prev[2] = {good(), good()};
    prev[0].est.method = WE_METHOD_DID_2X2;
    r = good();
    we_error err = {{0}};
    assert_int_equal(we_result_check(&r, prev, 2, &SCOPE, &err), WE_EINVAL);
    assert_contains(err.msg, "'a' (twfe): a second result of this "
                             "indicator by this method");
}

/* ---- allowed --------------------------------------------------------- */

/* Synthetic control: no SE, no interval, no df; a placebo p-value. */
static void test_none_is_nan(void **state)
{
    (void)state;
    we_result_rec r = good();
    r.est.method = WE_METHOD_SC;
    r.est.se = r.est.ci_low = r.est.ci_high = r.est.df = NAN;
    r.est.baseline = r.est.latest = NAN;
    r.est.p_value = 0.2;
    r.est.inference = WE_INFERENCE_PLACEBO;
    r.est.inference_reps = 19;
    accepted(&r, NULL, 0);
    r.est.p_value = NAN;
    r.est.n_treated = r.est.n_control = r.est.n_obs = -1;
    accepted(&r, NULL, 0);
}

static void test_edges(void **state)
{
    (void)state;
    we_result_rec r = good();
    r.est.p_value = 0;
    accepted(&r, NULL, 0);
    r.est.p_value = 1;
    accepted(&r, NULL, 0);
    /* Sides the wild bootstrap could not bound, one or both. */
    r.est.ci_low = -INFINITY;
    accepted(&r, NULL, 0);
    r.est.ci_high = INFINITY;
    accepted(&r, NULL, 0);
    r.est.ci_low = 1;
    accepted(&r, NULL, 0);
    r.est.ci_low = NAN;
    r.est.ci_high = 2;
    accepted(&r, NULL, 0);
    /* A constant outcome: SE 0, the interval collapsed on the estimate. */
    r.est.se = 0;
    r.est.ci_low = r.est.ci_high = r.est.estimate;
    accepted(&r, NULL, 0);
    /* Counts at the panel's size; df NaN. */
    r.est.n_treated = r.est.n_control = 20;
    r.est.n_obs = 200;
    r.est.df = NAN;
    accepted(&r, NULL, 0);
    /* Without the panel's size the counts are checked only for sign. */
    we_result_scope unknown = {TARGETS, 2, 0, 0};
    r.est.n_obs = 1234567;
    we_error err = {{0}};
    assert_int_equal(we_result_check(&r, NULL, 0, &unknown, &err), 0);
}

/* What host->evaluate_targets emits: every method on the primary and on
 * the secondary indicator. */
static void test_primary_by_several_methods(void **state)
{
    (void)state;
    we_result_rec all[8];
    size_t n = 0;
    for (int t = 0; t < 2; t++)
        for (int m = 0; m < 4; m++) {
            we_result_rec r = good();
            r.indicator = TARGETS[t].name;
            r.role = TARGETS[t].role;
            r.est.method = (we_method)m;
            accepted(&r, all, n);
            all[n++] = r;
        }
}

/* ---- both paths apply it --------------------------------------------- */

static void test_emit_result(void **state)
{
    (void)state;
    we_config cfg;
    we_config_set_defaults(&cfg);
    we_plugin plugin;
    memset(&plugin, 0, sizeof plugin);
    plugin.desc.id = "fx";
    we_panel panel;
    memset(&panel, 0, sizeof panel);
    panel.n_areas = 20;
    panel.n_periods = 10;
    we_experiment_run out;
    memset(&out, 0, sizeof out);
    struct we_ctx ctx = {.cfg = &cfg, .panel = &panel, .plugin = &plugin,
                         .targets = (we_target_cfg *)TARGETS,
                         .n_targets = 2, .out = &out};
    const we_host *h = we_host_table();
    we_result_rec r = good();
    assert_int_equal(h->emit_result(&ctx, "a", WE_ROLE_PRIMARY, &r.est),
                     WE_OK);
    r.est.method = WE_METHOD_DID_2X2;
    r.est.p_value = 7.5;
    assert_int_equal(h->emit_result(&ctx, "a", WE_ROLE_PRIMARY, &r.est),
                     WE_EINVAL);
    assert_contains(ctx.emit_error, "emit_result: 'a' (did_2x2): p_value "
                                    "is 7.5, outside [0, 1]");
    r.est.p_value = 0.5;
    assert_int_equal(h->emit_result(&ctx, "b", WE_ROLE_PRIMARY, &r.est),
                     WE_EINVAL);
    assert_contains(ctx.error, "role is primary, but this experiment has "
                               "'b' as a secondary indicator");
    r.est.n_obs = 201;
    assert_int_equal(h->emit_result(&ctx, "a", WE_ROLE_PRIMARY, &r.est),
                     WE_EINVAL);
    assert_contains(ctx.error, "n_obs is 201, more than the panel's 200");
    assert_int_equal(out.n_results, 1);
    /* A we_estimate whose struct_size is wrong (a plugin that forgot to
     * set it, or one from a broken header): the indicator, the method and
     * both sizes are named, for estimate and for emit_result. */
    char expect[160];
    r = good();
    r.est.struct_size = 16;
    assert_int_equal(h->emit_result(&ctx, "a", WE_ROLE_PRIMARY, &r.est),
                     WE_EINVAL);
    snprintf(expect, sizeof expect,
             "emit_result: 'a' (twfe): struct_size is 16, expected %zu "
             "(at least %zu); set struct_size = sizeof(we_estimate)",
             sizeof(we_estimate), offsetof(we_estimate, closing));
    assert_contains(ctx.error, expect);
    r.est.struct_size = 0;
    assert_int_equal(h->emit_result(&ctx, "a", WE_ROLE_PRIMARY, &r.est),
                     WE_EINVAL);
    assert_contains(ctx.error, "emit_result: 'a' (method unknown): "
                               "struct_size is 0");
    we_estimate e = {.struct_size = 8};
    assert_int_equal(h->estimate(&ctx, "b", WE_METHOD_GAP, &e), WE_EINVAL);
    snprintf(expect, sizeof expect,
             "estimate: 'b' (gap): out->struct_size is 8, expected %zu "
             "(at least %zu); set out->struct_size = sizeof(we_estimate) "
             "before the call",
             sizeof(we_estimate), offsetof(we_estimate, closing));
    assert_contains(ctx.error, expect);
    assert_int_equal(out.n_results, 1);
    we_experiment_run_free(&out);
}

/* A child (or part file) that bypassed emit_result: the same refusals. */
static void test_wire(void **state)
{
    (void)state;
    we_wire_msg m;
    memset(&m, 0, sizeof m);
    m.complete = m.has_outcome = 1;
    m.run.status = WE_EXP_OK;
    we_result_rec rs[2] = {good(), good()};
    rs[1].est.method = WE_METHOD_PRE_POST;
    m.run.results = rs;
    m.run.n_results = 2;
    we_error err = {{0}};
    assert_int_equal(we_wire_validate(&m, TARGETS, 2, &err), 0);
    assert_int_equal(we_wire_validate_in(&m, &SCOPE, &err), 0);
    rs[1].est.se = -1;
    assert_int_equal(we_wire_validate(&m, TARGETS, 2, &err), -1);
    assert_contains(err.msg, "result 2: 'a' (pre_post): se is -1");
    rs[1].est.se = 1;
    rs[1].est.method = WE_METHOD_TWFE;
    assert_int_equal(we_wire_validate(&m, TARGETS, 2, &err), -1);
    assert_contains(err.msg, "result 2: 'a' (twfe): a second result");
    rs[1].est.method = WE_METHOD_GAP;
    rs[1].est.n_obs = 500;
    assert_int_equal(we_wire_validate(&m, TARGETS, 2, &err), 0);
    assert_int_equal(we_wire_validate_in(&m, &SCOPE, &err), -1);
    assert_contains(err.msg, "result 2: 'a' (gap): n_obs is 500");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_p_value),
        cmocka_unit_test(test_se_and_df),
        cmocka_unit_test(test_interval),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_other_fields),
        cmocka_unit_test(test_identity),
        cmocka_unit_test(test_none_is_nan),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_primary_by_several_methods),
        cmocka_unit_test(test_emit_result),
        cmocka_unit_test(test_wire),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
