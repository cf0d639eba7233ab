/* The host functions of ABI 1.3 through the mock host (the real host
 * table): host->indicator_info from the catalogue, host->headline by the
 * run's design rule, host->emit_metric_text and host->emit_area_metric
 * with their checks, warnings kept for the report, and the 1.2 table
 * without them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mock_host.h"

enum { A = 8, T = 4 };
static const int periods[T] = {2006, 2007, 2008, 2009};

/* What the plugin under test does this time. */
static enum {
    DO_INFO,
    DO_TEXT,
    DO_TWICE,
    DO_AREA,
    DO_AREA_BAD,
    DO_WARN,
    DO_HEADLINE,
    DO_HAS
} mode;
static we_indicator_info seen_info;
static int seen_rc;
static we_estimate seen_headline;
static int seen_has[4];

static const we_indicator_spec targets[] = {
    {"misdrijven_per_1000", WE_ROLE_PRIMARY, WE_LOWER_IS_BETTER},
};

static int evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    (void)state;
    int rc = h->evaluate_targets(ctx, WE_METHOD_BIT(WE_METHOD_TWFE));
    if (rc != WE_OK)
        return rc;
    double v[A];
    we_metric m = {.struct_size = sizeof m, .name = "m", .value = 1.5,
                   .unit = "share", .description = "a share",
                   .label_en = "Share", .label_nl = "Aandeel",
                   .description_nl = "een aandeel", .unit_nl = "aandeel"};
    we_area_metric am = {.struct_size = sizeof am, .name = "caught_up",
                         .values = v, .unit = "0/1",
                         .description = "1 when the wijk caught up",
                         .label_nl = "Ingehaald"};
    for (size_t i = 0; i < A; i++)
        v[i] = i < 2 ? (double)(i % 2) : NAN;
    switch (mode) {
    case DO_INFO:
        seen_info = (we_indicator_info){.struct_size = sizeof seen_info};
        rc = h->indicator_info(ctx, targets[0].name, &seen_info);
        seen_rc = h->indicator_info(ctx, "no_such_indicator", &seen_info);
        return rc;
    case DO_TEXT:
        return h->emit_metric_text(ctx, &m);
    case DO_TWICE:
        rc = h->emit_metric(ctx, "m", 1, "", "first");
        seen_rc = h->emit_metric_text(ctx, &m);
        return rc;
    case DO_AREA:
        return h->emit_area_metric(ctx, &am);
    case DO_AREA_BAD:
        for (size_t i = 0; i < A; i++)
            v[i] = NAN;
        seen_rc = h->emit_area_metric(ctx, &am);
        return WE_OK;
    case DO_WARN:
        h->log(ctx, WE_LOG_WARNING, "wijk %s: no data", "WK0001");
        h->log(ctx, WE_LOG_WARNING, "wijk %s: no data", "WK0001");
        h->log(ctx, WE_LOG_INFO, "only information");
        return WE_OK;
    case DO_HEADLINE:
        seen_headline = (we_estimate){.struct_size = sizeof seen_headline};
        return h->headline(ctx, targets[0].name, &seen_headline);
    case DO_HAS:
        seen_has[0] = WE_HOST_HAS(h, indicator_info);
        seen_has[1] = WE_HOST_HAS(h, headline);
        seen_has[2] = WE_HOST_HAS(h, emit_metric_text);
        seen_has[3] = WE_HOST_HAS(h, emit_area_metric);
        return WE_OK;
    }
    return WE_OK;
}

static const we_plugin_descriptor desc = {
    WE_DESCRIPTOR_HEADER,
    .id = "fx_text",
    .title_nl = "Tekst",
    .title_en = "Text",
    .version = "1.0.0",
    .summary = "Tests ABI 1.3.",
    .summary_nl = "Test ABI 1.3.",
    .indicators = targets,
    .n_indicators = 1,
    .evaluate = evaluate,
};

/* Eight wijken in two municipalities, y = area + period + effect; the
 * first `treated` wijken treated from 2008. */
static we_mock *panel_mock(size_t treated)
{
    we_mock *m = we_mock_new(A, periods, T);
    assert_non_null(m);
    double y[A * T];
    for (size_t a = 0; a < A; a++) {
        char code[16];
        snprintf(code, sizeof code, "WK%04zu", a);
        assert_int_equal(we_mock_set_area_code(m, a, code), WE_OK);
        assert_int_equal(we_mock_set_area_municipality(
                             m, a, a < A / 2 ? "GM0001" : "GM0002"),
                         WE_OK);
        for (size_t t = 0; t < T; t++)
            y[a * T + t] = 50 + 3.0 * (double)a + 2.0 * (double)t +
                           (a < treated && t >= 2 ? -4.0 : 0.0) +
                           0.01 * (double)((a * 7 + t * 3) % 5);
    }
    assert_int_equal(we_mock_set_indicator(m, targets[0].name,
                                           WE_LOWER_IS_BETTER, y),
                     WE_OK);
    for (size_t a = 0; a < treated; a++)
        assert_int_equal(we_mock_set_treated(m, a, 2), WE_OK);
    assert_int_equal(we_mock_set_baseline(m, 1), WE_OK);
    return m;
}

static void test_indicator_info(void **state)
{
    (void)state;
    we_mock *m = panel_mock(5);
    assert_int_equal(we_mock_set_indicator_info(
                         m, targets[0].name, "per_1000",
                         "Misdrijven per 1.000 inwoners",
                         "Crimes per 1,000 residents", "veiligheid"),
                     WE_OK);
    assert_int_equal(we_mock_set_indicator_info(m, "nope", "pct", NULL,
                                                NULL, NULL),
                     WE_ENOTFOUND);
    mode = DO_INFO;
    assert_int_equal(we_mock_run(m, &desc), WE_OK);
    assert_string_equal(seen_info.unit, "per_1000");
    assert_string_equal(seen_info.unit_en, "per 1,000");
    assert_string_equal(seen_info.unit_nl, "per 1.000");
    assert_string_equal(seen_info.label_nl, "Misdrijven per 1.000 inwoners");
    assert_string_equal(seen_info.label_en, "Crimes per 1,000 residents");
    assert_string_equal(seen_info.theme, "veiligheid");
    assert_int_equal(seen_info.direction, WE_LOWER_IS_BETTER);
    assert_int_equal(seen_rc, WE_ENOTFOUND);
    /* From the catalogue file: the same fields. */
    assert_int_equal(we_mock_set_catalog_text(m, "data/catalog.csv"), WE_OK);
    assert_int_equal(we_mock_run(m, &desc), WE_OK);
    assert_string_equal(seen_info.label_en,
                        "Police-recorded crimes per 1,000 residents");
    assert_string_equal(seen_info.unit, "per_1000");
    assert_int_equal(we_mock_set_catalog_text(m, "no/such/catalog.csv"),
                     WE_ENOTFOUND);
    we_mock_free(m);
}

static void test_metric_text(void **state)
{
    (void)state;
    we_mock *m = panel_mock(5);
    mode = DO_TEXT;
    assert_int_equal(we_mock_run(m, &desc), WE_OK);
    const we_mock_metric *mt = we_mock_find_metric(m, "m");
    assert_non_null(mt);
    assert_true(mt->value == 1.5);
    assert_string_equal(mt->label_nl, "Aandeel");
    assert_string_equal(mt->label_en, "Share");
    assert_string_equal(mt->description_nl, "een aandeel");
    assert_string_equal(mt->unit_nl, "aandeel");
    assert_string_equal(mt->description, "a share");
    /* A name emitted twice is refused, and the run fails. */
    mode = DO_TWICE;
    assert_int_equal(we_mock_run(m, &desc), WE_EPLUGIN);
    assert_int_equal(seen_rc, WE_EINVAL);
    assert_non_null(strstr(we_mock_error(m), "metric 'm' was emitted "
                                             "before"));
    we_mock_free(m);
}

static void test_area_metric(void **state)
{
    (void)state;
    we_mock *m = panel_mock(5);
    mode = DO_AREA;
    assert_int_equal(we_mock_run(m, &desc), WE_OK);
    const we_mock_area_metric *am = we_mock_find_area_metric(m, "caught_up");
    assert_non_null(am);
    assert_int_equal(am->n, A);
    assert_true(am->values[0] == 0 && am->values[1] == 1);
    for (size_t i = 2; i < A; i++)
        assert_true(isnan(am->values[i]));
    assert_string_equal(am->label_nl, "Ingehaald");
    assert_null(am->label_en);
    assert_int_equal(we_mock_n_area_metrics(m), 1);
    /* No value anywhere: refused with a message. */
    mode = DO_AREA_BAD;
    assert_int_equal(we_mock_run(m, &desc), WE_EPLUGIN);
    assert_int_equal(seen_rc, WE_EINVAL);
    assert_non_null(strstr(we_mock_error(m), "no value for any area"));
    we_mock_free(m);
}

static void test_warnings_kept(void **state)
{
    (void)state;
    we_mock *m = panel_mock(5);
    mode = DO_WARN;
    assert_int_equal(we_mock_run(m, &desc), WE_OK);
    assert_int_equal(we_mock_n_warnings(m), 1);
    assert_string_equal(we_mock_warning_at(m, 0), "wijk WK0001: no data");
    assert_null(we_mock_warning_at(m, 1));
    we_mock_free(m);
}

/* Five treated wijken in one wave: TWFE, the plugin's own TWFE result;
 * three: the run's rule takes SDID. */
static void test_headline(void **state)
{
    (void)state;
    we_mock *m = panel_mock(5);
    mode = DO_HEADLINE;
    assert_int_equal(we_mock_run(m, &desc), WE_OK);
    assert_int_equal(seen_headline.method, WE_METHOD_TWFE);
    const we_mock_result *r =
        we_mock_find_result(m, targets[0].name, WE_METHOD_TWFE);
    assert_non_null(r);
    assert_true(seen_headline.estimate == r->est.estimate);
    we_mock_free(m);
    m = panel_mock(3);
    assert_int_equal(we_mock_run(m, &desc), WE_OK);
    assert_int_equal(seen_headline.method, WE_METHOD_SDID);
    assert_true(isfinite(seen_headline.estimate));
    assert_float_equal(seen_headline.estimate, -4.0, 0.1);
    we_mock_free(m);
}

static void test_older_table(void **state)
{
    (void)state;
    we_mock *m = panel_mock(5);
    mode = DO_HAS;
    assert_int_equal(we_mock_run(m, &desc), WE_OK);
    for (size_t k = 0; k < 4; k++)
        assert_int_equal(seen_has[k], 1);
    we_plugin_descriptor old = desc;
    old.abi_minor = 2;
    assert_int_equal(we_mock_set_host_abi(m, 2), WE_OK);
    assert_int_equal(we_mock_run(m, &old), WE_OK);
    for (size_t k = 0; k < 4; k++)
        assert_int_equal(seen_has[k], 0);
    we_mock_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_indicator_info),
        cmocka_unit_test(test_metric_text),
        cmocka_unit_test(test_area_metric),
        cmocka_unit_test(test_warnings_kept),
        cmocka_unit_test(test_headline),
        cmocka_unit_test(test_older_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
