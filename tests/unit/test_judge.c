/* What the analysis layer judges and computes for the report, so that the
 * renderers only read it (analysis/judge.c, analysis/views.c and the
 * enumerated flag of analysis/enrich.c): the verdict rules, the warnings,
 * the headline verdict, the bootstrap's enumerated flag against what
 * methods/wild.c did, and the trend and per-wijk views. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/enrich.h"
#include "analysis/judge.h"
#include "analysis/views.h"
#include "methods/estimator.h"
#include "methods/wild.h"
#include "run_fixture.h"

/* ---- verdict ------------------------------------------------------------- */

static we_verdict verdict_of(double lo, double hi, we_direction dir)
{
    we_estimate e = {.struct_size = sizeof e, .ci_low = lo, .ci_high = hi};
    we_catalog_rec cat = {.indicator = "x", .direction = dir};
    return we_judge_verdict(&e, &cat);
}

static void test_verdict_rules(void **state)
{
    (void)state;
    const we_direction up = WE_HIGHER_IS_BETTER, down = WE_LOWER_IS_BETTER;
    assert_int_equal(verdict_of(0.25, 0.75, up), WE_VERDICT_BETTER);
    assert_int_equal(verdict_of(-0.75, -0.25, up), WE_VERDICT_WORSE);
    assert_int_equal(verdict_of(-0.25, 0.75, up), WE_VERDICT_UNCLEAR);
    assert_int_equal(verdict_of(0, 0.75, up), WE_VERDICT_UNCLEAR);
    assert_int_equal(verdict_of(NAN, 0.75, up), WE_VERDICT_UNCLEAR);
    /* An interval open on one side still excludes 0. */
    assert_int_equal(verdict_of(0.25, INFINITY, up), WE_VERDICT_BETTER);
    assert_int_equal(verdict_of(-INFINITY, -0.25, up), WE_VERDICT_WORSE);
    /* Lower is better turns the sides around. */
    assert_int_equal(verdict_of(-0.75, -0.25, down), WE_VERDICT_BETTER);
    assert_int_equal(verdict_of(0.25, 0.75, down), WE_VERDICT_WORSE);
    /* Not catalogued: unclear. */
    we_estimate e = {.struct_size = sizeof e, .ci_low = 1, .ci_high = 2};
    assert_int_equal(we_judge_verdict(&e, NULL), WE_VERDICT_UNCLEAR);
    assert_string_equal(we_verdict_name(WE_VERDICT_BETTER), "better");
    assert_string_equal(we_verdict_name(WE_VERDICT_WORSE), "worse");
    assert_string_equal(we_verdict_name(WE_VERDICT_UNCLEAR), "unclear");
}

/* The fixture as the analysis left it: samenhang better without
 * warnings; bureaucratie unclear, pre-trends rejected (p = 0.01) and
 * underpowered (|-0.25| < MDE 2, p = 0.625); the failed one unclear. */
static void test_judged_fixture(void **state)
{
    run_fixture *f = *state;
    const we_result_rec *h = &f->res[0], *b = &f->res2[0];
    assert_int_equal(h->x.verdict, WE_VERDICT_BETTER);
    assert_false(h->x.pretrend_rejected);
    assert_false(h->x.underpowered);
    assert_int_equal(f->exps[0].verdict, WE_VERDICT_BETTER);
    /* wachttijd (lower is better), interval open below, up to 2000. */
    assert_int_equal(f->res[2].x.verdict, WE_VERDICT_UNCLEAR);
    assert_int_equal(b->x.verdict, WE_VERDICT_UNCLEAR);
    assert_true(b->x.pretrend_rejected);
    assert_true(b->x.underpowered);
    assert_int_equal(f->exps[1].verdict, WE_VERDICT_UNCLEAR);
    assert_int_equal(f->exps[2].verdict, WE_VERDICT_UNCLEAR);
}

static void test_warning_rules(void **state)
{
    run_fixture *f = *state;
    we_result_rec *r = &f->res2[0];
    /* Significant: not underpowered, however small. */
    r->est.p_value = 0.01;
    we_judge_result(&f->cfg, &f->panel, r);
    assert_false(r->x.underpowered);
    /* Not significant but at least the MDE. */
    r->est.p_value = 0.5;
    r->est.estimate = -2.5;
    we_judge_result(&f->cfg, &f->panel, r);
    assert_false(r->x.underpowered);
    r->est.estimate = -0.25;
    we_judge_result(&f->cfg, &f->panel, r);
    assert_true(r->x.underpowered);
    /* No MDE, or a result the host did not enrich: no warnings. */
    r->x.has_mde = 0;
    we_judge_result(&f->cfg, &f->panel, r);
    assert_false(r->x.underpowered);
    assert_true(r->x.pretrend_rejected);
    r->x.enriched = 0;
    we_judge_result(&f->cfg, &f->panel, r);
    assert_false(r->x.pretrend_rejected);
    r->x.enriched = 1;
    /* The pre-trend p at alpha is not below it. */
    r->x.pretrend_p = 0.05;
    we_judge_result(&f->cfg, &f->panel, r);
    assert_false(r->x.pretrend_rejected);
    /* Turning the headline around turns the experiment's verdict. */
    f->res[0].est.ci_low = -3.5;
    f->res[0].est.ci_high = -1.5;
    we_judge_run(&f->cfg, &f->panel, &f->run);
    assert_int_equal(f->exps[0].verdict, WE_VERDICT_WORSE);
    f->exps[0].headline = -1;
    we_judge_run(&f->cfg, &f->panel, &f->run);
    assert_int_equal(f->exps[0].verdict, WE_VERDICT_UNCLEAR);
}

/* ---- the bootstrap's enumerated flag ------------------------------------ */

#define EA 8
#define ET 4

/* Eight areas, each its own cluster; four treated from period 2. */
typedef struct boot_case {
    long treated_from[EA];
    unsigned char in_sample[EA];
    int cluster[EA];
    size_t followup[2];
    double y[EA * ET];
    we_design d;
} boot_case;

static void boot_case_build(boot_case *c)
{
    for (int i = 0; i < EA; i++) {
        c->treated_from[i] = i < 4 ? 2 : -1;
        c->in_sample[i] = 1;
        c->cluster[i] = i;
        for (int t = 0; t < ET; t++)
            c->y[i * ET + t] = 10.0 + 0.5 * t + 0.25 * ((i * 7 + t * 3) % 5) +
                               (i < 4 && t >= 2 ? 1.0 : 0.0);
    }
    c->followup[0] = 2;
    c->followup[1] = 3;
    c->d = (we_design){EA, ET, c->treated_from, c->in_sample, c->cluster,
                       1, c->followup, 2, 0.05};
}

/* The flag the enrichment sets for a TWFE estimate made with `reps`
 * replications and the weights, and what the bootstrap itself said. */
static void check_enumerated(const boot_case *c, size_t reps, int webb,
                             int want)
{
    we_est_settings s = {.seed = 7, .alpha = 0.05, .wild = WE_WILD_ALWAYS,
                         .boot_webb = webb, .boot_reps = reps};
    we_result_rec r;
    memset(&r, 0, sizeof r);
    r.est.struct_size = sizeof r.est;
    we_est_call call = {.d = &c->d, .y = c->y, .method = WE_METHOD_TWFE,
                        .experiment = "e", .indicator = "y"};
    we_error err = {{0}};
    assert_int_equal(we_estimate_run(&s, &call, &r.est, NULL, &err), WE_OK);
    we_wild_options o = {.weights = webb ? WE_WEIGHTS_WEBB
                                         : WE_WEIGHTS_RADEMACHER,
                         .reps = reps, .seed = 7, .alpha = 0.05,
                         .want_ci = 1};
    we_wild_result w;
    assert_int_equal(we_twfe_wild(c->y, &c->d, &o, &w, &err), WE_OK);
    we_config cfg;
    we_config_set_defaults(&cfg);
    cfg.inference.boot_reps = reps;
    cfg.inference.boot_weights = webb;
    we_result_keep_cr1(&cfg, &r);
    assert_int_equal(w.enumerated, want);
    assert_int_equal(r.x.boot_enumerated, want);
    assert_int_equal(r.est.inference_reps, (long)w.reps);
}

static void test_enumerated_flag(void **state)
{
    (void)state;
    boot_case c;
    boot_case_build(&c);
    check_enumerated(&c, 999, 0, 1); /* 2^8 = 256 <= 999: every vector */
    check_enumerated(&c, 256, 0, 1);
    check_enumerated(&c, 255, 0, 0); /* random draws */
    check_enumerated(&c, 999, 1, 0); /* Webb never enumerates */
}

/* ---- views --------------------------------------------------------------- */

/* samenhang's primary (tevreden_pct, higher is better): area 0 is 5.125
 * behind the rest of its municipality at the baseline 2006, 2.125 at the
 * latest follow-up 2009, closing; area 3 likewise behind and closing. */
static void test_views(void **state)
{
    run_fixture *f = *state;
    const we_wijk_view *w = &f->exps[0].per_wijk;
    assert_int_equal(w->state, WE_WIJK_VIEW_OK);
    assert_string_equal(w->indicator, "tevreden_pct");
    assert_int_equal(w->n_wijken, 2);
    assert_int_equal(w->area[0], 0);
    assert_int_equal(w->area[1], 3);
    assert_int_equal(w->base, 1);
    assert_int_equal(w->latest, 4);
    assert_true(fabs(w->gap[1] - -5.125) < 1e-12);
    assert_true(fabs(w->gap[4] - -2.125) < 1e-12);
    assert_int_equal(w->status[0], WE_WIJK_CLOSING);
    assert_int_equal(w->n_behind, 2);
    assert_int_equal(w->n_closing, 2);
    const we_trend_view *t = &f->exps[0].trend;
    assert_string_equal(t->indicator, "tevreden_pct");
    assert_int_equal(t->n_periods, RF_PERIODS);
    assert_int_equal(t->treated.n_areas, 2);
    assert_int_equal(t->comparison.n_areas, 4);
    /* 2005: both treated areas at 56.25, no spread. */
    assert_true(fabs(t->treated.mean[0] - 56.25) < 1e-12);
    assert_true(fabs(t->treated.lo[0] - 56.25) < 1e-12);
    /* bureaucratie's wachttijd is the same in every area: no gap, and
     * lower is better does not make 0 a deficit. */
    const we_wijk_view *b = &f->exps[1].per_wijk;
    assert_int_equal(b->state, WE_WIJK_VIEW_OK);
    assert_int_equal(b->status[0], WE_WIJK_NO_DEFICIT);
    assert_true(b->gap[0] == 0);
    /* The failed experiment has none. */
    assert_null(f->exps[2].trend.indicator);
    assert_int_equal(f->exps[2].per_wijk.state, WE_WIJK_VIEW_NONE);
    /* Without a design: no views. */
    assert_int_equal(we_views_experiment(&f->cfg, &f->panel, NULL,
                                         &f->exps[0]), 0);
    assert_null(f->exps[0].trend.indicator);
    assert_int_equal(f->exps[0].per_wijk.state, WE_WIJK_VIEW_NONE);
}

/* Three members at period 0 (1, 2, 3): mean 2, sd 1, t(2) 4.302653;
 * period 1 has one value (a mean, no band); period 2 none. */
static void test_group_band(void **state)
{
    (void)state;
    const double y[4 * 3] = {1, 5, NAN, 2, NAN, NAN, 3, NAN, NAN,
                             100, 100, 100};
    const unsigned char member[4] = {1, 1, 1, 0};
    double mean[3], lo[3], hi[3];
    we_group_band_series(y, 4, 3, member, 0.05, mean, lo, hi);
    double half = 4.302652729911275 / sqrt(3.0);
    assert_true(fabs(mean[0] - 2) < 1e-12);
    assert_true(fabs(lo[0] - (2 - half)) < 1e-9);
    assert_true(fabs(hi[0] - (2 + half)) < 1e-9);
    assert_true(mean[1] == 5 && isnan(lo[1]) && isnan(hi[1]));
    assert_true(isnan(mean[2]) && isnan(lo[2]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verdict_rules),
        cmocka_unit_test_setup_teardown(test_judged_fixture, rf_setup,
                                        rf_teardown),
        cmocka_unit_test_setup_teardown(test_warning_rules, rf_setup, rf_teardown),
        cmocka_unit_test(test_enumerated_flag),
        cmocka_unit_test_setup_teardown(test_views, rf_setup, rf_teardown),
        cmocka_unit_test(test_group_band),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
