/* host->gap_reference (ABI 1.2): the run's gap reference, by the rule of
 * the config's gap group (municipality or national, weighted or not), on
 * a panel of five wijken small enough to compute every value by hand; and
 * the same reference as the gap method's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/design.h"
#include "host/host.h"

enum { A = 5, T = 2 };

/* Wijken 0-2 in GM0001, 3-4 in GM0002; 100 to 500 inhabitants; 2007 and
 * 2008. Wijk 1 and wijk 4 lack 2008. Wijken 0, 2 and 3 are treated from
 * 2008. */
static const double y[A * T] = {
    10, 12,  /* GM0001, 100 */
    20, NAN, /* GM0001, 200 */
    30, 33,  /* GM0001, 300 */
    40, 44,  /* GM0002, 400 */
    50, NAN, /* GM0002, 500 */
};

typedef struct fixture {
    we_panel panel;
    we_config cfg;
    we_treated_cfg treated[3];
    int followup[1];
    we_plugin plugin;
    we_run_design rd;
    int has_rd;
    we_experiment_run out;
    struct we_ctx ctx;
} fixture;

static char *dup(const char *s)
{
    char *c = strdup(s);
    assert_non_null(c);
    return c;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    static const char *const codes[A] = {"WK000101", "WK000102", "WK000103",
                                         "WK000201", "WK000202"};
    static const int periods[T] = {2007, 2008};
    we_error err = {{0}};
    if (we_panel_new_empty(&f->panel, codes, A, periods, T, &err) != 0 ||
        we_panel_add_indicator(&f->panel, "y", WE_HIGHER_IS_BETTER, y,
                               &err) != 0)
        fail_msg("%s", err.msg);
    for (size_t a = 0; a < A; a++) {
        free(f->panel.areas[a].municipality);
        f->panel.areas[a].municipality = dup(a < 3 ? "GM0001" : "GM0002");
        f->panel.areas[a].population = 100.0 * (double)(a + 1);
    }
    we_config_set_defaults(&f->cfg);
    f->cfg.path = (char *)"test.cfg";
    f->cfg.baseline = 2007;
    f->followup[0] = 2008;
    f->cfg.followup = f->followup;
    f->cfg.n_followup = 1;
    f->treated[0] = (we_treated_cfg){.area = (char *)"WK000101",
                                     .from = 2008, .line = 1};
    f->treated[1] = (we_treated_cfg){.area = (char *)"WK000103",
                                     .from = 2008, .line = 2};
    f->treated[2] = (we_treated_cfg){.area = (char *)"WK000201",
                                     .from = 2008, .line = 3};
    f->cfg.treated = f->treated;
    f->cfg.n_treated = 3;
    f->plugin.desc.id = "test_host_gap";
    f->plugin.path = (char *)"(test)";
    f->out.headline = -1;
    *state = f;
    return 0;
}

static void drop_design(fixture *f)
{
    if (f->has_rd)
        we_run_design_free(&f->rd);
    f->has_rd = 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    drop_design(f);
    we_panel_free(&f->panel);
    free(f);
    return 0;
}

/* The context of a run with this gap configuration, as the host builds
 * it: the design derives the groups and the weights from the config. */
static const we_host *run_with(fixture *f, we_gap_ref_mode mode,
                               int weighted)
{
    drop_design(f);
    f->cfg.gap_reference = mode;
    f->cfg.gap_weighted = weighted;
    we_error err = {{0}};
    if (we_run_design_build(&f->rd, &f->cfg, &f->panel, &err) != 0)
        fail_msg("%s", err.msg);
    f->has_rd = 1;
    f->ctx = (struct we_ctx){.cfg = &f->cfg, .panel = &f->panel,
                             .rd = &f->rd, .plugin = &f->plugin,
                             .out = &f->out};
    return we_host_table();
}

/* want[] with NaN where the reference is undefined. */
static void expect_reference(fixture *f, const double *want)
{
    const we_host *h = we_host_table();
    double out[A * T];
    for (size_t k = 0; k < A * T; k++)
        out[k] = -1.0; /* every cell must be written */
    assert_int_equal(h->gap_reference(&f->ctx, "y", out), WE_OK);
    for (size_t k = 0; k < A * T; k++) {
        if (isnan(want[k])) {
            if (!isnan(out[k]))
                fail_msg("area %zu, period %zu: %.17g, expected NaN", k / T,
                         k % T, out[k]);
        } else if (!(fabs(out[k] - want[k]) <= 1e-12)) {
            fail_msg("area %zu, period %zu: %.17g, expected %.17g", k / T,
                     k % T, out[k], want[k]);
        }
    }
}

/* The other wijken of the municipality, plain means. 2008: wijk 0's
 * neighbours are 1 (missing) and 2; wijk 3's only neighbour, 4, is
 * missing, so wijk 3 has no reference; wijk 4 has one although its own
 * value is missing. */
static void test_municipality_unweighted(void **state)
{
    fixture *f = *state;
    run_with(f, WE_GAP_MUNICIPALITY, 0);
    const double want[A * T] = {
        (20 + 30) / 2.0, 33,
        (10 + 30) / 2.0, (12 + 33) / 2.0,
        (10 + 20) / 2.0, 12,
        50, NAN,
        40, 44,
    };
    expect_reference(f, want);
}

static void test_municipality_weighted(void **state)
{
    fixture *f = *state;
    run_with(f, WE_GAP_MUNICIPALITY, 1);
    const double want[A * T] = {
        (200 * 20 + 300 * 30) / 500.0, 33,
        (100 * 10 + 300 * 30) / 400.0, (100 * 12 + 300 * 33) / 400.0,
        (100 * 10 + 200 * 20) / 300.0, 12,
        50, NAN,
        40, 44,
    };
    expect_reference(f, want);
}

/* All wijken, each one itself included: one value per period. */
static void test_national_unweighted(void **state)
{
    fixture *f = *state;
    run_with(f, WE_GAP_NATIONAL, 0);
    double t0 = (10 + 20 + 30 + 40 + 50) / 5.0, t1 = (12 + 33 + 44) / 3.0;
    const double want[A * T] = {t0, t1, t0, t1, t0, t1, t0, t1, t0, t1};
    expect_reference(f, want);
}

static void test_national_weighted(void **state)
{
    fixture *f = *state;
    run_with(f, WE_GAP_NATIONAL, 1);
    double t0 = (100 * 10 + 200 * 20 + 300 * 30 + 400 * 40 + 500 * 50) /
                1500.0;
    double t1 = (100 * 12 + 300 * 33 + 400 * 44) / 800.0;
    const double want[A * T] = {t0, t1, t0, t1, t0, t1, t0, t1, t0, t1};
    expect_reference(f, want);
}

/* gap.weighted with one population unknown: plain means for all, as the
 * gap method does, not a mix of weighted and unweighted averages. */
static void test_weighted_needs_every_population(void **state)
{
    fixture *f = *state;
    f->panel.areas[4].population = NAN;
    run_with(f, WE_GAP_MUNICIPALITY, 1);
    const double want[A * T] = {
        25, 33, 20, 22.5, 15, 12, 50, NAN, 40, 44,
    };
    expect_reference(f, want);
}

/* The gap method compares with the same reference: its baseline and
 * latest are the means of y minus the reference over the treated wijken
 * with both (wijk 3 drops out where its 2008 reference is undefined). */
static void test_same_as_gap_method(void **state)
{
    fixture *f = *state;
    static const struct {
        we_gap_ref_mode mode;
        int weighted;
        long n; /* treated wijken with a gap in both years */
    } runs[] = {{WE_GAP_MUNICIPALITY, 0, 2}, {WE_GAP_MUNICIPALITY, 1, 2},
                {WE_GAP_NATIONAL, 0, 3}, {WE_GAP_NATIONAL, 1, 3}};
    static const size_t treated[] = {0, 2, 3};
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
        const we_host *h = run_with(f, runs[r].mode, runs[r].weighted);
        double ref[A * T];
        assert_int_equal(h->gap_reference(&f->ctx, "y", ref), WE_OK);
        we_estimate e = {.struct_size = sizeof e};
        if (h->estimate(&f->ctx, "y", WE_METHOD_GAP, &e) != WE_OK)
            fail_msg("run %zu: %s", r, f->ctx.method_error);
        double base = 0, last = 0;
        long n = 0;
        for (size_t k = 0; k < 3; k++) {
            size_t a = treated[k];
            double g0 = y[a * T] - ref[a * T];
            double g1 = y[a * T + 1] - ref[a * T + 1];
            if (isfinite(g0) && isfinite(g1)) {
                base += g0;
                last += g1;
                n++;
            }
        }
        assert_int_equal(n, runs[r].n);
        assert_int_equal(e.n_treated, n);
        if (!(fabs(e.baseline - base / (double)n) <= 1e-12 &&
              fabs(e.latest - last / (double)n) <= 1e-12))
            fail_msg("run %zu: gap method %.17g, %.17g; the reference "
                     "gives %.17g, %.17g", r, e.baseline, e.latest,
                     base / (double)n, last / (double)n);
    }
}

static void test_errors(void **state)
{
    fixture *f = *state;
    const we_host *h = run_with(f, WE_GAP_MUNICIPALITY, 1);
    double out[A * T];
    assert_int_equal(h->gap_reference(&f->ctx, "nope", out), WE_ENOTFOUND);
    assert_non_null(strstr(f->ctx.error, "gap_reference: indicator 'nope' "
                                         "is not in the panel"));
    f->ctx.error[0] = '\0';
    assert_int_equal(h->gap_reference(&f->ctx, NULL, out), WE_ENOTFOUND);
    assert_non_null(strstr(f->ctx.error, "'(null)'"));
    assert_int_equal(h->gap_reference(&f->ctx, "y", NULL), WE_EINVAL);
    assert_non_null(strstr(f->ctx.error, "out is NULL"));
}

int main(void)
{
#define T_(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T_(test_municipality_unweighted),
        T_(test_municipality_weighted),
        T_(test_national_unweighted),
        T_(test_national_weighted),
        T_(test_weighted_needs_every_population),
        T_(test_same_as_gap_method),
        T_(test_errors),
    };
#undef T_
    return cmocka_run_group_tests(tests, NULL, NULL);
}
