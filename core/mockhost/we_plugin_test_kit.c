/* The standard panel and the generic plugin tests; see
 * we_plugin_test_kit.h. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "we_plugin_test_kit.h"

enum { A = WE_KIT_AREAS, T = WE_KIT_PERIODS, FROM = 3, BASELINE = 2 };
static const int periods[T] = {2005, 2006, 2007, 2008, 2009, 2010};
static const double time_eff[T] = {0.0, 0.4, 0.7, 1.5, 1.9, 2.6};
static const size_t treated[] = {0, 1, 4, 8};
enum { N_TREATED = sizeof treated / sizeof treated[0] };

static int is_treated(size_t a)
{
    for (size_t k = 0; k < N_TREATED; k++)
        if (treated[k] == a)
            return 1;
    return 0;
}

void we_kit_fill(const we_kit_series *s, double *y)
{
    for (size_t a = 0; a < A; a++)
        for (size_t t = 0; t < T; t++)
            y[a * T + t] = s->base + s->area[a] +
                           s->time_scale * time_eff[t] +
                           (is_treated(a) && t >= FROM ? s->effect : 0.0);
}

static void set_areas(we_mock *m)
{
    char buf[32];
    for (size_t a = 0; a < A; a++) {
        snprintf(buf, sizeof buf, "WK%04zu", a);
        assert_int_equal(we_mock_set_area_code(m, a, buf), WE_OK);
        snprintf(buf, sizeof buf, "GM%04zu", a / 4);
        assert_int_equal(we_mock_set_area_municipality(m, a, buf), WE_OK);
        assert_int_equal(we_mock_set_area_population(m, a, 1000.0 + 250 * a),
                         WE_OK);
    }
}

we_mock *we_kit_mock(const we_kit_plugin *k)
{
    we_mock *m = we_mock_new(A, periods, T);
    assert_non_null(m);
    set_areas(m);
    double y[A * T];
    for (size_t j = 0; j < k->n_series; j++) {
        we_kit_fill(&k->series[j], y);
        if (k->edit != NULL)
            k->edit(k->series[j].name, y);
        assert_int_equal(we_mock_set_indicator(m, k->series[j].name,
                                               k->series[j].dir, y), WE_OK);
    }
    for (size_t j = 0; j < N_TREATED; j++)
        assert_int_equal(we_mock_set_treated(m, treated[j], FROM), WE_OK);
    assert_int_equal(we_mock_set_baseline(m, BASELINE), WE_OK);
    /* The catalogue's units and labels, as host->indicator_info gives
     * them in a run. */
    if (we_mock_set_catalog_text(m, we_kit_catalog_path()) != WE_OK)
        fail_msg("%s (run the test from the repository root, or set "
                 "WE_CATALOG)",
                 we_mock_error(m));
    return m;
}

double we_kit_metric(const we_mock *m, const char *name)
{
    const we_mock_metric *mt = we_mock_find_metric(m, name);
    if (mt == NULL)
        fail_msg("metric %s was not emitted (error: %s)", name,
                 we_mock_error(m));
    /* fail_msg jumps out of the test; the analysers cannot see that. */
    return mt != NULL ? mt->value : NAN;
}

const char *we_kit_catalog_path(void)
{
    const char *p = getenv("WE_CATALOG");
    return p ? p : "data/catalog.csv";
}

static we_role role_of(size_t k)
{
    return k == 0 ? WE_ROLE_PRIMARY : WE_ROLE_SECONDARY;
}

void we_kit_test_descriptor(void **state)
{
    const we_kit_plugin *k = *state;
    const we_plugin_descriptor *d = wijkeval_plugin_entry();
    char msg[512] = "";
    int rc = we_mock_check_descriptor(d, we_kit_catalog_path(), msg,
                                      sizeof msg);
    if (rc != WE_OK)
        fail_msg("%s", msg);
    assert_string_equal(d->id, k->id);
    assert_int_equal(d->abi_major, WE_ABI_MAJOR);
    assert_int_equal(d->n_indicators, k->n_targets);
    for (size_t j = 0; j < k->n_targets; j++) {
        assert_string_equal(d->indicators[j].name, k->series[j].name);
        assert_int_equal(d->indicators[j].role, role_of(j));
        assert_int_equal(d->indicators[j].direction, k->series[j].dir);
    }
}

void we_kit_test_methods_for_every_target(void **state)
{
    const we_kit_plugin *k = *state;
    we_mock *m = we_kit_mock(k);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    assert_int_equal(we_mock_n_results(m), 4 * k->n_targets);
    for (size_t j = 0; j < k->n_targets; j++) {
        const char *name = k->series[j].name;
        for (int meth = 0; meth < WE_METHOD_COUNT_; meth++) {
            if (!(WE_METHODS_ALL & WE_METHOD_BIT(meth)))
                continue; /* the designs are not part of the standard set */
            const we_mock_result *r =
                we_mock_find_result(m, name, (we_method)meth);
            assert_non_null(r);
            assert_int_equal(r->role, role_of(j));
        }
        const we_mock_result *tw = we_mock_find_result(m, name,
                                                       WE_METHOD_TWFE);
        assert_float_equal(tw->est.estimate, k->series[j].effect, 1e-9);
        assert_int_equal(tw->est.n_treated, 4);
        assert_int_equal(tw->est.n_control, 8);
    }
    we_mock_free(m);
}

/* The third target without any data: its four methods are skipped with a
 * warning, the rest of the evaluation goes on. */
void we_kit_test_no_data_is_skipped(void **state)
{
    const we_kit_plugin *k = *state;
    assert_true(k->n_targets >= 3);
    const we_kit_series *s = &k->series[2];
    we_mock *m = we_kit_mock(k);
    double y[A * T];
    for (size_t i = 0; i < (size_t)A * T; i++)
        y[i] = NAN;
    assert_int_equal(we_mock_set_indicator(m, s->name, s->dir, y), WE_OK);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_OK);
    assert_int_equal(we_mock_n_results(m), 4 * (k->n_targets - 1));
    assert_null(we_mock_find_result(m, s->name, WE_METHOD_TWFE));
    size_t warnings = 0;
    for (size_t j = 0; j < we_mock_n_logs(m); j++) {
        const we_mock_log *lg = we_mock_log_at(m, j);
        warnings += lg->level == WE_LOG_WARNING &&
                    strstr(lg->message, s->name) != NULL;
    }
    assert_int_equal(warnings, 4);
    we_mock_free(m);
}

/* A target the panel does not have is an error, not a skipped method. */
void we_kit_test_unknown_target_fails(void **state)
{
    const we_kit_plugin *k = *state;
    we_mock *m = we_kit_mock(k);
    const we_indicator_spec targets[] = {
        {k->series[0].name, WE_ROLE_PRIMARY, 0},
        {"woz_gemiddeld", WE_ROLE_SECONDARY, 0}};
    assert_int_equal(we_mock_set_targets(m, targets, 2), WE_OK);
    assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_EPLUGIN);
    assert_non_null(strstr(we_mock_error(m), "woz_gemiddeld"));
    we_mock_free(m);
}

/* Makes every target but `name` a target, so that the host's check of
 * the targets passes and the plugin itself has to notice that `name` has
 * no data. */
static void drop_target(we_mock *m, const we_kit_plugin *k, const char *name)
{
    we_indicator_spec t[16];
    size_t n = 0;
    assert_true(k->n_targets <= sizeof t / sizeof t[0]);
    for (size_t j = 0; j < k->n_targets; j++)
        if (strcmp(k->series[j].name, name) != 0)
            t[n++] = (we_indicator_spec){k->series[j].name, role_of(j), 0};
    assert_int_equal(we_mock_set_targets(m, t, n), WE_OK);
}

/* The inputs of the metrics: without one, the evaluation fails and says
 * which indicator is missing. */
void we_kit_test_missing_input_fails(void **state)
{
    const we_kit_plugin *k = *state;
    assert_true(k->n_inputs > 0);
    for (size_t j = 0; j < k->n_inputs; j++) {
        we_mock *m = we_kit_mock(k);
        assert_int_equal(we_mock_remove_indicator(m, k->inputs[j]), WE_OK);
        drop_target(m, k, k->inputs[j]);
        assert_int_equal(we_mock_run(m, wijkeval_plugin_entry()), WE_EPLUGIN);
        if (strstr(we_mock_error(m), k->inputs[j]) == NULL)
            fail_msg("error does not name %s: %s", k->inputs[j],
                     we_mock_error(m));
        assert_int_equal(we_mock_n_metrics(m), 0);
        we_mock_free(m);
    }
}

/* Text for a report in Dutch (ABI 1.3): the descriptor's summary_nl, and
 * a Dutch label and description for every metric and per-wijk metric the
 * plugin emits on the standard panel. */
void we_kit_test_dutch_text(void **state)
{
    const we_kit_plugin *k = *state;
    const we_plugin_descriptor *d = wijkeval_plugin_entry();
    assert_true(d->abi_minor >= 3);
    if (d->summary_nl == NULL || d->summary_nl[0] == '\0')
        fail_msg("%s: the descriptor has no summary_nl", k->id);
    we_mock *m = we_kit_mock(k);
    assert_int_equal(we_mock_run(m, d), WE_OK);
    assert_true(we_mock_n_metrics(m) + we_mock_n_area_metrics(m) > 0);
    for (size_t j = 0; j < we_mock_n_metrics(m); j++) {
        const we_mock_metric *mt = we_mock_metric_at(m, j);
        if (mt->label_nl == NULL || mt->description_nl == NULL ||
            mt->label_en == NULL)
            fail_msg("metric %s lacks label_en, label_nl or "
                     "description_nl",
                     mt->name);
    }
    for (size_t j = 0; j < we_mock_n_area_metrics(m); j++) {
        const we_mock_area_metric *a = we_mock_area_metric_at(m, j);
        if (a->label_nl == NULL || a->description_nl == NULL ||
            a->label_en == NULL)
            fail_msg("per-wijk metric %s lacks label_en, label_nl or "
                     "description_nl",
                     a->name);
    }
    we_mock_free(m);
}
