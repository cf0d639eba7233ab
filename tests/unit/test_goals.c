/* Self-named targets and policy return: reading the two files (and
 * refusing bad rows with file:line:column), the status of a target, the
 * cost per unit of effect and the ranking across experiments. Expected
 * values are worked out by hand in the comments. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data/goals.h"
#include "analysis/design.h"
#include "analysis/goals/goals.h"

#define EPS 1e-12

/* cmocka 1.1 compares floats only in single precision. */
static void near(double got, double want, const char *file, int line)
{
    if (!(fabs(got - want) <= EPS * (1.0 + fabs(want))))
        fail_msg("%s:%d: %.17g, expected %.17g", file, line, got, want);
}
#define assert_double_equal(a, b, eps) near((a), (b), __FILE__, __LINE__)

/* ---- cost per unit of effect ------------------------------------------- */

static void test_cpe_defined(void **state)
{
    (void)state;
    /* 100 EUR per resident, effect +2 [1, 4]: 50 [25, 100]. */
    we_cpe c = we_cost_per_effect(100, 2, 1, 4, 1);
    assert_int_equal(c.status, WE_CPE_DEFINED);
    assert_double_equal(c.value, 50, EPS);
    assert_double_equal(c.low, 25, EPS);
    assert_double_equal(c.high, 100, EPS);
    /* Lower is better: -2 [-4, -1] is the same improvement. */
    c = we_cost_per_effect(100, -2, -4, -1, -1);
    assert_int_equal(c.status, WE_CPE_DEFINED);
    assert_double_equal(c.value, 50, EPS);
    assert_double_equal(c.low, 25, EPS);
    assert_double_equal(c.high, 100, EPS);
    /* An unbounded effect interval: the cheapest end is 0 EUR. */
    c = we_cost_per_effect(100, 2, 1, INFINITY, 1);
    assert_int_equal(c.status, WE_CPE_DEFINED);
    assert_double_equal(c.low, 0, EPS);
    assert_double_equal(c.high, 100, EPS);
}

static void test_cpe_undefined(void **state)
{
    (void)state;
    we_cpe c = we_cost_per_effect(100, 1, -1, 3, 1);
    assert_int_equal(c.status, WE_CPE_INCLUDES_ZERO);
    assert_true(isnan(c.value) && isnan(c.low) && isnan(c.high));
    /* An interval that touches zero includes it. */
    assert_int_equal(we_cost_per_effect(100, 1, 0, 2, 1).status,
                     WE_CPE_INCLUDES_ZERO);
    assert_int_equal(we_cost_per_effect(100, -2, -3, -1, 1).status,
                     WE_CPE_HARMFUL);
    /* Up is bad for a lower-is-better indicator. */
    assert_int_equal(we_cost_per_effect(100, 2, 1, 3, -1).status,
                     WE_CPE_HARMFUL);
    assert_int_equal(we_cost_per_effect(100, NAN, 1, 3, 1).status,
                     WE_CPE_NO_ESTIMATE);
    assert_int_equal(we_cost_per_effect(NAN, 2, 1, 3, 1).status,
                     WE_CPE_NO_ESTIMATE);
}

/* ---- target status ------------------------------------------------------- */

typedef struct fixture {
    we_panel p;
} fixture;

/* One area, 2007-2010; "up" higher is better 10, 11, 12, 13; "down"
 * lower is better 20, 18, NaN, 17; "late" has no 2007 value. */
static int panel_setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    const char *codes[] = {"WK000101", "WK000102"};
    const int periods[] = {2007, 2008, 2009, 2010};
    const double up[] = {10, 11, 12, 13, 5, 5, 5, 5};
    const double down[] = {20, 18, NAN, 17, 5, 5, 5, 5};
    const double late[] = {NAN, 11, 12, 13, 5, 5, 5, 5};
    we_error err = {{0}};
    if (fx == NULL ||
        we_panel_new_empty(&fx->p, codes, 2, periods, 4, &err) != 0 ||
        we_panel_add_indicator(&fx->p, "up", WE_HIGHER_IS_BETTER, up,
                               &err) != 0 ||
        we_panel_add_indicator(&fx->p, "down", WE_LOWER_IS_BETTER, down,
                               &err) != 0 ||
        we_panel_add_indicator(&fx->p, "late", WE_HIGHER_IS_BETTER, late,
                               &err) != 0)
        return -1;
    fx->p.areas[0].population = 1000;
    fx->p.areas[1].population = 3000;
    *state = fx;
    return 0;
}

static int panel_teardown(void **state)
{
    fixture *fx = *state;
    we_panel_free(&fx->p);
    free(fx);
    return 0;
}

static we_target_result judge(const fixture *fx, const char *ind,
                              double target, int deadline)
{
    we_wijk_target t = {.area = 0, .target = target, .realised = -1,
                        .deadline = deadline, .description = ""};
    t.indicator = we_panel_indicator(&fx->p, ind);
    we_target_result r;
    we_target_assess(&t, &fx->p, 2007, &r);
    return r;
}

static void test_target_numeric(void **state)
{
    const fixture *fx = *state;
    we_target_result r = judge(fx, "up", 12, 2009);
    assert_int_equal(r.status, WE_GOAL_MET);
    assert_int_equal(r.current_period, 2009);
    assert_double_equal(r.current_value, 12, EPS);
    assert_double_equal(r.observed_per_year, 1, EPS); /* (12-10)/2 */
    assert_true(isnan(r.required_per_year));
    /* Reached later (2010), but not by the deadline. */
    r = judge(fx, "up", 12.5, 2009);
    assert_int_equal(r.status, WE_GOAL_MISSED);
    assert_double_equal(r.remaining, 0.5, EPS);
    /* 13 in 2010 at +1 a year since 2007: 16 in 2013, on track. */
    r = judge(fx, "up", 16, 2013);
    assert_int_equal(r.status, WE_GOAL_ON_TRACK);
    assert_int_equal(r.as_of, 2010);
    assert_double_equal(r.required_per_year, 1, EPS);   /* (16-13)/3 */
    assert_double_equal(r.observed_per_year, 1, EPS);   /* (13-10)/3 */
    r = judge(fx, "up", 17, 2013);
    assert_int_equal(r.status, WE_GOAL_OFF_TRACK);
    assert_double_equal(r.required_per_year, 4.0 / 3.0, EPS);
}

static void test_target_direction_gaps(void **state)
{
    const fixture *fx = *state;
    /* Lower is better; 2009 is missing, so 2008's 18 counts. */
    we_target_result r = judge(fx, "down", 18, 2009);
    assert_int_equal(r.status, WE_GOAL_MET);
    assert_int_equal(r.current_period, 2008);
    r = judge(fx, "down", 15, 2012);
    /* 17 in 2010, -1 a year since 2007: 15 in 2012, on track. */
    assert_int_equal(r.status, WE_GOAL_ON_TRACK);
    assert_double_equal(r.required_per_year, -1, EPS);
    /* No baseline value: no trend to judge. */
    r = judge(fx, "late", 20, 2015);
    assert_int_equal(r.status, WE_GOAL_OPEN);
    assert_true(isnan(r.observed_per_year));
    /* A deadline before the first period: nothing to judge. */
    r = judge(fx, "up", 5, 2005);
    assert_int_equal(r.status, WE_GOAL_NO_DATA);
    assert_int_equal(r.current_period, 0);
}

static void test_target_item(void **state)
{
    const fixture *fx = *state;
    we_wijk_target t = {.area = 0, .indicator = -1, .target = NAN,
                        .realised = 1, .deadline = 2009,
                        .description = "x"};
    we_target_result r;
    we_target_assess(&t, &fx->p, 2007, &r);
    assert_int_equal(r.status, WE_GOAL_MET);
    t.realised = 0;
    we_target_assess(&t, &fx->p, 2007, &r);
    assert_int_equal(r.status, WE_GOAL_MISSED);
    t.deadline = 2010; /* the last period: the deadline has come */
    we_target_assess(&t, &fx->p, 2007, &r);
    assert_int_equal(r.status, WE_GOAL_MISSED);
    t.deadline = 2011;
    we_target_assess(&t, &fx->p, 2007, &r);
    assert_int_equal(r.status, WE_GOAL_OPEN);
}

/* ---- reading the files ---------------------------------------------------- */

static char *write_tmp(const char *text)
{
    char *path = strdup("/tmp/test_goals_XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

/* Loads targets from text; returns the loader's result, message in err. */
static int load_targets_text(const fixture *fx, const char *text,
                             we_wijk_targets *t, we_error *err)
{
    char *path = write_tmp(text);
    assert_non_null(path);
    int rc = we_targets_load(t, path, &fx->p, err);
    unlink(path);
    free(path);
    return rc;
}

static void expect_target_error(const fixture *fx, const char *text,
                                const char *where, const char *what)
{
    we_wijk_targets t;
    we_error err = {{0}};
    assert_int_equal(load_targets_text(fx, text, &t, &err), -1);
    if (strstr(err.msg, where) == NULL || strstr(err.msg, what) == NULL)
        fail_msg("expected '%s' and '%s' in: %s", where, what, err.msg);
    assert_int_equal(t.n, 0);
}

static void test_targets_read(void **state)
{
    const fixture *fx = *state;
    we_wijk_targets t;
    we_error err = {{0}};
    int rc = load_targets_text(fx,
        "area,indicator,target_value,deadline,description\n"
        "WK000101,up,12,2009,More up\n"
        "WK000102,,ja,2009,\"Project, with partner\"\n"
        "WK000101,up,14,2012,Later\n", &t, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(t.n, 3);
    assert_int_equal(t.t[0].indicator, we_panel_indicator(&fx->p, "up"));
    assert_double_equal(t.t[0].target, 12, EPS);
    assert_int_equal(t.t[1].area, 1);
    assert_int_equal(t.t[1].indicator, -1);
    assert_int_equal(t.t[1].realised, 1);
    assert_string_equal(t.t[1].description, "Project, with partner");
    assert_int_equal(t.t[2].deadline, 2012);
    assert_int_equal(strlen(t.sha256), 64);
    we_targets_free(&t);
}

static void test_targets_errors(void **state)
{
    const fixture *fx = *state;
    const char *h = "area,indicator,target_value,deadline\n";
    char buf[256];
    snprintf(buf, sizeof buf, "%sWK999999,up,1,2009\n", h);
    expect_target_error(fx, buf, ":2:1:", "unknown area 'WK999999'");
    snprintf(buf, sizeof buf, "%sWK000101,sideways,1,2009\n", h);
    expect_target_error(fx, buf, ":2:10:", "unknown indicator 'sideways'");
    snprintf(buf, sizeof buf, "%sWK000101,up,1,2009-12-31\n", h);
    expect_target_error(fx, buf, ":2:15:", "deadline '2009-12-31' is not "
                                           "a year");
    snprintf(buf, sizeof buf, "%sWK000101,up,lots,2009\n", h);
    expect_target_error(fx, buf, ":2:13:", "target_value 'lots' is not a "
                                           "number");
    expect_target_error(fx, "area,indicator,target_value,deadline,"
                            "description\nWK000101,,maybe,2009,x\n",
                        ":2:11:", "must be yes or no");
    snprintf(buf, sizeof buf, "%sWK000101,,yes,2009\n", h);
    expect_target_error(fx, buf, ":2:", "description column");
    snprintf(buf, sizeof buf, "%sWK000101,up,1,2009\nWK000101,up,2,2009\n",
             h);
    expect_target_error(fx, buf, ":3:", "given twice (first on line 2)");
    expect_target_error(fx, "area,indicator,target,deadline\n", ":1:",
                        "missing column 'target_value'");
    expect_target_error(fx, "area,indicator,target_value,deadline,note\n",
                        ":1:38:", "unknown column 'note'");
    expect_target_error(fx, h, "no targets after the header", "");
}

static int load_costs_text(const fixture *fx, const char *text,
                           we_costs *c, we_error *err)
{
    static const char *const exps[] = {"alpha", "beta"};
    /* per experiment (alpha, beta), per area: WK000101 treated in both */
    static const unsigned char treated[] = {1, 0, 1, 0};
    char *path = write_tmp(text);
    assert_non_null(path);
    int rc = we_costs_load(c, path, &fx->p, exps, 2, treated, err);
    unlink(path);
    free(path);
    return rc;
}

static void expect_cost_error(const fixture *fx, const char *row,
                              const char *where, const char *what)
{
    char buf[256];
    snprintf(buf, sizeof buf, "experiment,area,period,amount_eur\n%s", row);
    we_costs c;
    we_error err = {{0}};
    assert_int_equal(load_costs_text(fx, buf, &c, &err), -1);
    if (strstr(err.msg, where) == NULL || strstr(err.msg, what) == NULL)
        fail_msg("expected '%s' and '%s' in: %s", where, what, err.msg);
}

static void test_costs_read(void **state)
{
    const fixture *fx = *state;
    we_costs c;
    we_error err = {{0}};
    /* A ';' file with decimal commas, as Dutch spreadsheets write. */
    int rc = load_costs_text(fx, "experiment;area;period;amount_eur\n"
                                 "beta;WK000101;2008;1500,5\n"
                                 "alpha;WK000101;2009;0\n", &c, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.rows[0].experiment, 1);
    assert_double_equal(c.rows[0].amount_eur, 1500.5, EPS);
    assert_int_equal(c.rows[1].period, 2009);
    we_costs_free(&c);
}

/* In a ';' file 271.429 may be EUR 271,429 written with a Dutch thousands
 * separator or EUR 271.43: refused with its place and both readings, where
 * it used to become EUR 271.43. 271,429 and 271429 are read. */
static void test_costs_ambiguous(void **state)
{
    const fixture *fx = *state;
    we_costs c;
    we_error err = {{0}};
    const char *h = "experiment;area;period;amount_eur\n";
    char buf[256];
    snprintf(buf, sizeof buf, "%salpha;WK000101;2008;271.429\n", h);
    assert_int_equal(load_costs_text(fx, buf, &c, &err), -1);
    if (strstr(err.msg, ":2:21: '271.429' could be 271429 (a thousands "
                        "separator) or 271.429 (a decimal point)") == NULL)
        fail_msg("unexpected: %s", err.msg);
    snprintf(buf, sizeof buf, "%salpha;WK000101;2008;271,429\n"
             "beta;WK000101;2008;271429\n", h);
    assert_int_equal(load_costs_text(fx, buf, &c, &err), 0);
    assert_double_equal(c.rows[0].amount_eur, 271.429, EPS);
    assert_double_equal(c.rows[1].amount_eur, 271429, EPS);
    we_costs_free(&c);
}

static void test_costs_errors(void **state)
{
    const fixture *fx = *state;
    expect_cost_error(fx, "alpha,WK000101,2008,-5\n", ":2:21:",
                      "amount_eur '-5' is negative");
    expect_cost_error(fx, "gamma,WK000101,2008,5\n", ":2:1:",
                      "experiment 'gamma' is not in the config");
    expect_cost_error(fx, "alpha,WK000102,2008,5\n", ":2:7:",
                      "'WK000102' is not treated");
    expect_cost_error(fx, "alpha,WK000103,2008,5\n", ":2:7:",
                      "unknown area 'WK000103'");
    expect_cost_error(fx, "alpha,WK000101,08,5\n", ":2:16:",
                      "period '08' is not a year");
    expect_cost_error(fx, "alpha,WK000101,2008,.\n", ":2:21:",
                      "amount_eur '.' is not a number");
    expect_cost_error(fx, "alpha,WK000101,2008,5\nalpha,WK000101,2008,6\n",
                      ":3:", "given twice");
    expect_cost_error(fx, "alpha,WK000101,2008\n", ":2:",
                      "expected 4 fields");
}

/* ---- policy return across experiments ------------------------------------ */

/* Three experiments on the fixture (area 0 treated, 1000 residents):
 * costs 100,000 / 50,000 / 80,000 EUR, so 100 / 50 / 80 per resident;
 * Glass's delta 0.5 [0.25, 1], 0.1 [-0.1, 0.3], 0.2 [0.1, 0.4]. */
static void test_policy_rank(void **state)
{
    fixture *fx = *state;
    we_cost_row rows[] = {{0, 0, 2008, 60000, 2}, {0, 0, 2009, 40000, 3},
                          {1, 0, 2008, 50000, 4}, {2, 0, 2008, 80000, 5}};
    we_costs costs = {.rows = rows, .n = 4};
    long treated_from[] = {1, -1};
    we_run_design rd = {.treated_from = treated_from};
    const double es[3][3] = {{0.5, 0.25, 1}, {0.1, -0.1, 0.3},
                             {0.2, 0.1, 0.4}};
    we_result_rec res[3];
    we_experiment_run x[3];
    memset(res, 0, sizeof res);
    memset(x, 0, sizeof x);
    for (int e = 0; e < 3; e++) {
        res[e].indicator = "up";
        res[e].est = (we_estimate){.estimate = 10 * es[e][0],
                                   .ci_low = 10 * es[e][1],
                                   .ci_high = 10 * es[e][2]};
        res[e].x.has_effect_size = 1;
        res[e].x.effect_size.glass_delta = es[e][0];
        res[e].x.effect_size.glass_low = es[e][1];
        res[e].x.effect_size.glass_high = es[e][2];
        x[e] = (we_experiment_run){.results = &res[e], .n_results = 1,
                                   .headline = 0, .status = WE_EXP_OK};
        x[e].judgement.verdict = WE_HV_BETTER;
    }
    we_run run = {.panel = &fx->p, .rd = &rd, .experiments = x,
                  .n_experiments = 3};
    we_policy_eval ev = {.in = &costs};
    assert_int_equal(we_policy_evaluate(&ev, &run), 0);
    const we_policy_return *a = &ev.per_exp[0], *b = &ev.per_exp[1],
                           *c = &ev.per_exp[2];
    assert_double_equal(a->total_eur, 100000, EPS);
    assert_int_equal(a->first_period, 2008);
    assert_int_equal(a->last_period, 2009);
    assert_int_equal(a->n_treated, 1);
    assert_double_equal(a->residents, 1000, EPS);
    assert_double_equal(a->per_resident, 100, EPS);
    /* Per unit: effect 5 [2.5, 10] -> 20 [10, 40]; per SD 200 [100, 400]. */
    assert_double_equal(a->per_unit.value, 20, EPS);
    assert_double_equal(a->per_unit.low, 10, EPS);
    assert_double_equal(a->per_unit.high, 40, EPS);
    assert_double_equal(a->per_sd.value, 200, EPS);
    assert_int_equal(b->per_sd.status, WE_CPE_INCLUDES_ZERO);
    assert_int_equal(b->rank, 0);
    /* c: 80 / 0.2 = 400 [200, 800]. a is cheaper, and their intervals
     * overlap ([100, 400] and [200, 800]): not distinguishable. */
    assert_double_equal(c->per_sd.value, 400, EPS);
    assert_int_equal(ev.n_ranked, 2);
    assert_int_equal(a->rank, 1);
    assert_int_equal(c->rank, 2);
    assert_int_equal(a->n_overlaps, 1);
    assert_int_equal(a->overlaps[0], 2);
    /* c's interval moved to [500, 800] (80 / 0.16 = 500): apart from a's
     * [100, 400], so both are distinguishable. */
    we_policy_eval_free(&ev);
    res[2].x.effect_size.glass_high = 0.16;  /* 80 / 0.16 = 500 */
    ev = (we_policy_eval){.in = &costs};
    assert_int_equal(we_policy_evaluate(&ev, &run), 0);
    assert_int_equal(ev.per_exp[0].n_overlaps, 0);
    assert_int_equal(ev.per_exp[2].n_overlaps, 0);
    assert_false(ev.per_exp[2].not_better);
    /* c's interval is on the good side, but its verdict is not better
     * (not significant after the report's adjustment): not ranked, and
     * a is ranked alone. */
    we_policy_eval_free(&ev);
    x[2].judgement.verdict = WE_HV_INCONCLUSIVE;
    ev = (we_policy_eval){.in = &costs};
    assert_int_equal(we_policy_evaluate(&ev, &run), 0);
    assert_int_equal(ev.per_exp[2].per_sd.status, WE_CPE_DEFINED);
    assert_true(ev.per_exp[2].not_better);
    assert_false(ev.per_exp[2].not_credible);
    assert_int_equal(ev.per_exp[2].rank, 0);
    assert_int_equal(ev.n_ranked, 1);
    assert_int_equal(ev.per_exp[0].rank, 1);
    assert_false(ev.per_exp[1].not_better); /* no cost per SD: not asked */
    x[2].judgement.verdict = WE_HV_BETTER;
    /* No population for a treated wijk: no cost per resident. */
    we_policy_eval_free(&ev);
    fx->p.areas[0].population = NAN;
    ev = (we_policy_eval){.in = &costs};
    assert_int_equal(we_policy_evaluate(&ev, &run), 0);
    assert_int_equal(ev.per_exp[0].per_unit.status, WE_CPE_NO_RESIDENTS);
    assert_int_equal(ev.per_exp[0].n_no_population, 1);
    assert_int_equal(ev.n_ranked, 0);
    we_policy_eval_free(&ev);
    fx->p.areas[0].population = 1000;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpe_defined),
        cmocka_unit_test(test_cpe_undefined),
        cmocka_unit_test_setup_teardown(test_target_numeric, panel_setup,
                                        panel_teardown),
        cmocka_unit_test_setup_teardown(test_target_direction_gaps,
                                        panel_setup, panel_teardown),
        cmocka_unit_test_setup_teardown(test_target_item, panel_setup,
                                        panel_teardown),
        cmocka_unit_test_setup_teardown(test_targets_read, panel_setup,
                                        panel_teardown),
        cmocka_unit_test_setup_teardown(test_targets_errors, panel_setup,
                                        panel_teardown),
        cmocka_unit_test_setup_teardown(test_costs_ambiguous, panel_setup,
                                        panel_teardown),
        cmocka_unit_test_setup_teardown(test_costs_read, panel_setup,
                                        panel_teardown),
        cmocka_unit_test_setup_teardown(test_costs_errors, panel_setup,
                                        panel_teardown),
        cmocka_unit_test_setup_teardown(test_policy_rank, panel_setup,
                                        panel_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
