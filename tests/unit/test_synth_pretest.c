/* The synthetic designs' own pre-period check (methods/synth.h,
 * we_synth_pretest and we_synth_pretest_power): the synthetic control's
 * in-time placebo and fit on the Basque data against the independent
 * numpy reference tests/oracle/sc_pretest_reference.py (fixture
 * tests/oracle/fixtures/sc_pretest/basque_shift4.csv); SDID's exact
 * placebo p; a check that can never reject has power 0 and cannot earn
 * level 3; on simulated panels the check rejects a real pre-trend, and
 * its power grows with the trend and follows the seed; the placebo
 * assignments take the treated group's cluster shape (whole
 * municipalities' areas, as many per cluster as the treated have), so
 * that a municipality shock shared by the treated areas is not mistaken
 * for a pre-trend, while a treated group that departs from every
 * municipality is still rejected. Run from the repository root, or set
 * WE_ORACLE_FIXTURES. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "methods/inference.h"
#include "methods/synth.h"
#include "methods/synth_internal.h"

#define MAX_AREAS 200
#define MAX_PERIODS 64

typedef struct panel {
    size_t A, T;
    char area[MAX_AREAS][32];
    int period[MAX_PERIODS];
    double y[MAX_AREAS * MAX_PERIODS];
    long from[MAX_AREAS];
    unsigned char in_sample[MAX_AREAS];
    int cluster[MAX_AREAS];
    size_t followup[MAX_PERIODS], n_followup;
} panel;

static size_t index_of_area(panel *p, const char *name)
{
    for (size_t i = 0; i < p->A; i++)
        if (strcmp(p->area[i], name) == 0)
            return i;
    assert_true(p->A < MAX_AREAS);
    snprintf(p->area[p->A], sizeof p->area[0], "%s", name);
    return p->A++;
}

static size_t index_of_period(panel *p, int label)
{
    for (size_t t = 0; t < p->T; t++)
        if (p->period[t] == label)
            return t;
    assert_true(p->T < MAX_PERIODS);
    p->period[p->T] = label; /* the file is sorted by area, then period */
    return p->T++;
}

/* The Basque panel (tests/fixtures/basque), the Basque Country treated
 * from 1975, every region its own cluster. */
static void basque(panel *p, we_design *d)
{
    memset(p, 0, sizeof *p);
    FILE *f = fopen("tests/fixtures/basque/basque.csv", "r");
    if (f == NULL)
        fail_msg("tests/fixtures/basque/basque.csv: cannot open; run from "
                 "the repository root");
    char line[256], area[32], ind[32];
    int period;
    double v;
    assert_non_null(fgets(line, sizeof line, f)); /* header */
    while (fgets(line, sizeof line, f) != NULL) {
        for (char *c = line; *c; c++)
            if (*c == ',')
                *c = ' ';
        assert_int_equal(sscanf(line, "%31s %d %31s %lf", area, &period, ind,
                                &v),
                         4);
        size_t i = index_of_area(p, area);
        size_t t = index_of_period(p, period);
        p->y[i * MAX_PERIODS + t] = v;
    }
    fclose(f);
    /* repack from stride MAX_PERIODS to stride T */
    for (size_t i = 0; i < p->A; i++)
        for (size_t t = 0; t < p->T; t++)
            p->y[i * p->T + t] = p->y[i * MAX_PERIODS + t];
    size_t g = index_of_period(p, 1975);
    for (size_t i = 0; i < p->A; i++) {
        p->from[i] = strcmp(p->area[i], "WK001701") == 0 ? (long)g : -1;
        p->in_sample[i] = 1;
        p->cluster[i] = (int)i;
    }
    for (size_t t = g; t < p->T; t++)
        p->followup[p->n_followup++] = t;
    *d = (we_design){.n_areas = p->A, .n_periods = p->T,
                     .treated_from = p->from, .in_sample = p->in_sample,
                     .cluster = p->cluster, .baseline = g - 1,
                     .followup = p->followup, .n_followup = p->n_followup,
                     .alpha = 0.05};
}

/* name,value rows of the oracle fixture. */
static double expected(const char *name)
{
    const char *dir = getenv("WE_ORACLE_FIXTURES");
    char path[512], line[128];
    snprintf(path, sizeof path, "%s/sc_pretest/basque_shift4.csv",
             dir != NULL && dir[0] ? dir : "tests/oracle/fixtures");
    FILE *f = fopen(path, "r");
    if (f == NULL)
        fail_msg("%s: cannot open (regenerate with "
                 "tests/oracle/sc_pretest_reference.py)", path);
    while (fgets(line, sizeof line, f) != NULL) {
        char *comma = strchr(line, ',');
        if (comma == NULL)
            continue;
        *comma = '\0';
        if (strcmp(line, name) == 0) {
            fclose(f);
            return strtod(comma + 1, NULL);
        }
    }
    fclose(f);
    fail_msg("%s: no row %s", path, name);
    return NAN;
}

static void test_basque_sc_oracle(void **state)
{
    (void)state;
    static panel p;
    we_design d;
    basque(&p, &d);
    we_synth_pretest_options o = {.shift = 4};
    we_synth_pretest_result r;
    we_error err = {{0}};
    assert_int_equal(we_synth_pretest(p.y, &d, WE_METHOD_SC, &o, &r, &err),
                     WE_OK);
    assert_int_equal(p.period[r.placebo_start], (int)expected("placebo_start"));
    assert_int_equal(r.shift, 4);
    assert_int_equal(r.n_placebos, (size_t)expected("n_placebos"));
    assert_true(fabs(r.estimate - expected("estimate")) < 1e-6);
    assert_true(fabs(r.stat - expected("statistic")) < 1e-6);
    assert_true(fabs(r.p - expected("p_value")) < 1e-9);
    assert_true(fabs(r.min_p - expected("min_p")) < 1e-9);
    assert_true(fabs(r.fit_rmspe - expected("fit_rmspe")) < 1e-6);
    assert_true(fabs(r.fit_sd - expected("fit_sd")) < 1e-9);
    assert_true(r.exact);
    /* 16 donors: p >= 1/17 > 0.05, so the check can never reject and its
     * power is 0 without simulation. */
    assert_int_equal(we_synth_pretest_power(p.y, &d, &o, 0.1, 10, &r, &err),
                     WE_OK);
    assert_true(r.power == 0.0);
    assert_int_equal(r.power_sims, 0);
}

static void test_basque_sdid_exact(void **state)
{
    (void)state;
    static panel p;
    we_design d;
    basque(&p, &d);
    we_synth_pretest_options o = {.reps = 200, .seed = 7};
    we_synth_pretest_result r;
    we_error err = {{0}};
    assert_int_equal(we_synth_pretest(p.y, &d, WE_METHOD_SDID, &o, &r, &err),
                     WE_OK);
    /* default shift: min(23 follow-ups, 20 / 2) = 10 */
    assert_int_equal(r.shift, 10);
    assert_int_equal(p.period[r.placebo_start], 1965);
    assert_int_equal(r.n_placebos, 16);
    assert_true(r.exact);
    assert_true(fabs(r.min_p - 1.0 / 17.0) < 1e-12);
    double k = r.p * 17.0;
    assert_true(fabs(k - round(k)) < 1e-9 && r.p >= 1.0 / 17.0 - 1e-12);
    assert_true(r.fit_rmspe >= 0 && isfinite(r.fit_sd));
    /* errors: another method; too few pre-periods */
    assert_int_equal(we_synth_pretest(p.y, &d, WE_METHOD_TWFE, &o, &r, &err),
                     WE_EINVAL);
    o.shift = 19;
    assert_int_equal(we_synth_pretest(p.y, &d, WE_METHOD_SC, &o, &r, &err),
                     WE_ENODATA);
    assert_non_null(strstr(err.msg, "needs at least 21 periods"));
}

/* A check that cannot reject never grants level 3, and says why. */
static void test_powerless_evidence(void **state)
{
    (void)state;
    we_evidence_input in = {.design = WE_DESIGN_SYNTHETIC,
                            .pretrend_p = 0.41, .pretest_power = 0.0,
                            .pretest_power_min = 0.5,
                            .pretest = "its own in-time placebo",
                            .pretest_min_p = 1.0 / 17.0,
                            .p_adjusted = 0.01, .alpha = 0.05,
                            .good_direction = 1, .n_followup = 3,
                            .n_studies = 1};
    we_evidence ev;
    we_evidence_assess(&in, &ev);
    assert_int_equal(ev.sms_level, 2);
    assert_int_equal(ev.erkenning, WE_ERKENNING_EERSTE);
    assert_non_null(strstr(ev.reasons, "cannot reject"));
    assert_non_null(strstr(ev.reasons_nl, "kan niet verwerpen"));
    /* the same check with 40 donors and power 0.8 earns level 3 */
    in.pretest_min_p = 1.0 / 41.0;
    in.pretest_power = 0.8;
    we_evidence_assess(&in, &ev);
    assert_int_equal(ev.sms_level, 3);
    assert_int_equal(ev.erkenning, WE_ERKENNING_GOEDE);
}

/* 40 areas, 12 periods, 4 treated from period 8, iid N(0, 1) noise plus
 * area levels N(0, 25) (so that the treated paths stay inside the
 * donors' hull); a linear trend `slope` (t - 7) on the treated areas. */
static void simulated(panel *p, we_design *d, double slope, uint64_t seed)
{
    memset(p, 0, sizeof *p);
    p->A = 40;
    p->T = 12;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, (unsigned long)seed);
    for (size_t i = 0; i < p->A; i++) {
        double level = gsl_ran_gaussian(rng, 5.0);
        p->from[i] = i < 4 ? 8 : -1;
        p->in_sample[i] = 1;
        p->cluster[i] = (int)i;
        for (size_t t = 0; t < p->T; t++)
            p->y[i * p->T + t] = level + gsl_ran_gaussian(rng, 1.0) +
                                 (i < 4 ? slope * ((double)t - 7.0) : 0.0);
    }
    gsl_rng_free(rng);
    for (size_t t = 8; t < p->T; t++)
        p->followup[p->n_followup++] = t;
    *d = (we_design){.n_areas = p->A, .n_periods = p->T,
                     .treated_from = p->from, .in_sample = p->in_sample,
                     .cluster = p->cluster, .baseline = 7,
                     .followup = p->followup, .n_followup = p->n_followup,
                     .alpha = 0.05};
}

static void test_power_and_rejection(void **state)
{
    (void)state;
    static panel p;
    we_design d;
    we_method ms[] = {WE_METHOD_SC, WE_METHOD_SDID};
    for (size_t k = 0; k < 2; k++) {
        we_synth_pretest_options o = {.reps = 40, .seed = 11};
        we_synth_pretest_result r, r2;
        we_error err = {{0}};
        /* a strong pre-trend is rejected */
        simulated(&p, &d, 1.0, 3);
        assert_int_equal(we_synth_pretest(p.y, &d, ms[k], &o, &r, &err),
                         WE_OK);
        assert_int_equal(r.shift, 4); /* min(4 follow-ups, 8 / 2) */
        assert_true(r.p < 0.05);
        /* power grows with the slope; the same seed, the same power */
        simulated(&p, &d, 0.0, 3);
        assert_int_equal(we_synth_pretest(p.y, &d, ms[k], &o, &r, &err),
                         WE_OK);
        r2 = r;
        assert_int_equal(
            we_synth_pretest_power(p.y, &d, &o, 0.0, 60, &r, &err), WE_OK);
        double size = r.power;
        assert_int_equal(
            we_synth_pretest_power(p.y, &d, &o, 2.0, 60, &r, &err), WE_OK);
        assert_int_equal(
            we_synth_pretest_power(p.y, &d, &o, 2.0, 60, &r2, &err), WE_OK);
        assert_true(r.power == r2.power);
        assert_int_equal(r.power_sims, 60);
        assert_true(size <= 0.2);
        assert_true(r.power >= 0.8 && r.power > size);
        assert_true(r.slope == 2.0);
        /* a NaN slope (no MDE) is an error unless the check is powerless */
        assert_int_equal(
            we_synth_pretest_power(p.y, &d, &o, NAN, 60, &r, &err),
            WE_EINVAL);
    }
}

/* ---- placebo assignments in the treated group's cluster shape -------- */

/* 9 clusters of 1..5 areas (cluster c has c % 5 + 1), 2 periods, every
 * value 0 except one NaN; the treated areas given by `treated`. */
static void clustered_design(panel *p, we_design *d, const int *treated,
                             size_t n_treated, int with_clusters)
{
    memset(p, 0, sizeof *p);
    p->T = 3;
    for (int c = 0; c < 9; c++)
        for (int k = 0; k < c % 5 + 1; k++) {
            p->cluster[p->A] = c;
            p->in_sample[p->A] = 1;
            p->from[p->A] = -1;
            p->A++;
        }
    for (size_t k = 0; k < n_treated; k++)
        p->from[treated[k]] = 2;
    p->y[5 * p->T + 1] = NAN; /* area 5 (cluster 2) lacks a value */
    p->followup[p->n_followup++] = 2;
    *d = (we_design){.n_areas = p->A,
                     .n_periods = p->T,
                     .treated_from = p->from,
                     .in_sample = p->in_sample,
                     .cluster = with_clusters ? p->cluster : NULL,
                     .baseline = 1,
                     .followup = p->followup,
                     .n_followup = p->n_followup,
                     .alpha = 0.05};
}

/* Cluster of each drawn area, and how many areas each cluster gave. */
static size_t draw_shape(const panel *p, const size_t *a, size_t n,
                         size_t *per_cluster)
{
    size_t used = 0;
    memset(per_cluster, 0, 9 * sizeof *per_cluster);
    for (size_t k = 0; k < n; k++) {
        assert_true(a[k] < p->A);
        assert_true(p->from[a[k]] < 0); /* a control */
        assert_true(a[k] != 5);         /* complete */
        for (size_t j = 0; j < k; j++)
            assert_true(a[j] != a[k]); /* distinct */
        used += per_cluster[p->cluster[a[k]]]++ == 0;
    }
    return used;
}

static void test_placebo_draws_whole_clusters(void **state)
{
    (void)state;
    static panel p;
    we_design d;
    /* treated: 2 areas of cluster 4 (5 areas), 1 of cluster 1 (2 areas) */
    int treated[] = {10, 11, 1};
    clustered_design(&p, &d, treated, 3, 1);
    we_placebo_pool pool;
    we_error err = {{0}};
    assert_int_equal(we_placebo_pool_build(p.y, &d, &pool, &err), WE_OK);
    assert_int_equal(pool.n_tr, 3);
    assert_int_equal(pool.n_need, 2);
    assert_int_equal(pool.need[0], 2);
    assert_int_equal(pool.need[1], 1);
    assert_int_equal(pool.n_ctrl, p.A - 3 - 1); /* area 5 incomplete */
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 1);
    size_t a[8], per[9], pair_from[9] = {0};
    for (int b = 0; b < 400; b++) {
        assert_int_equal(we_placebo_pool_draw(&pool, rng, a), 0);
        /* two clusters: one gives 2 areas, the other 1 */
        assert_int_equal(draw_shape(&p, a, 3, per), 2);
        for (size_t c = 0; c < 9; c++)
            assert_true(per[c] <= 2);
        assert_int_equal(per[p.cluster[a[0]]], 2);
        pair_from[p.cluster[a[0]]]++;
    }
    /* the pair comes from every cluster with >= 2 complete controls
     * (clusters 0 and 5 have one area, 1 one control left) */
    for (size_t c = 0; c < 9; c++)
        assert_true((pair_from[c] > 0) == (c != 0 && c != 1 && c != 5));
    we_placebo_pool_free(&pool);

    /* 6 treated in cluster 4 and 3 more: no control cluster holds 6, so
     * the largest unused one gives all it has and the next the rest */
    int many[] = {10, 11, 12, 13, 14, 6};
    clustered_design(&p, &d, many, 6, 1);
    assert_int_equal(we_placebo_pool_build(p.y, &d, &pool, &err), WE_OK);
    assert_int_equal(pool.need[0], 5);
    assert_int_equal(we_placebo_pool_draw(&pool, rng, a), 0);
    assert_int_equal(draw_shape(&p, a, 6, per), 3);
    we_placebo_pool_free(&pool);

    /* without clusters every area is its own: 3 distinct areas */
    clustered_design(&p, &d, treated, 3, 0);
    assert_int_equal(we_placebo_pool_build(p.y, &d, &pool, &err), WE_OK);
    assert_int_equal(pool.n_need, 3);
    assert_int_equal(we_placebo_pool_draw(&pool, rng, a), 0);
    draw_shape(&p, a, 3, per);
    we_placebo_pool_free(&pool);
    gsl_rng_free(rng);
}

/* 20 municipalities: the first holds 14 areas, 8 of them treated from
 * period 5, the others 8 control areas each. Period `at` (4: the in-time
 * placebo's follow-up, shift 1; 5: the real follow-up) carries a
 * municipality shock, +-1 alternating, `treated_shock` for the first;
 * elsewhere only a small area pattern. */
static void shocked_at(panel *p, we_design *d, double treated_shock, size_t at)
{
    memset(p, 0, sizeof *p);
    p->T = 6;
    for (int m = 0; m < 20; m++) {
        double shock = m == 0 ? treated_shock : m % 2 ? 1.0 : -1.0;
        for (int k = 0; k < (m == 0 ? 14 : 8); k++) {
            size_t i = p->A++;
            p->cluster[i] = m;
            p->in_sample[i] = 1;
            p->from[i] = m == 0 && k < 8 ? 5 : -1;
            for (size_t t = 0; t < p->T; t++)
                p->y[i * p->T + t] =
                    0.05 * sin(1.7 * (double)i + 2.3 * (double)t) +
                    (t == at ? shock : 0.0);
        }
    }
    p->followup[p->n_followup++] = 5;
    *d = (we_design){.n_areas = p->A,
                     .n_periods = p->T,
                     .treated_from = p->from,
                     .in_sample = p->in_sample,
                     .cluster = p->cluster,
                     .baseline = 4,
                     .followup = p->followup,
                     .n_followup = p->n_followup,
                     .alpha = 0.05};
}

static void shocked(panel *p, we_design *d, double treated_shock)
{
    shocked_at(p, d, treated_shock, 4);
}

static void test_sdid_check_clustered_shock(void **state)
{
    (void)state;
    static panel p;
    we_design d;
    we_synth_pretest_options o = {.reps = 20, .seed = 1};
    we_synth_pretest_result r;
    we_error err = {{0}};
    /* The treated municipality's shock is like every other's: placebo
     * groups of 8 areas in one municipality reach the treated's effect
     * (p = 1). Groups of 8 areas from 8 municipalities would average the
     * +-1 shocks away and call the treated group's shock a pre-trend
     * (p = 1/21 with this seed). */
    shocked(&p, &d, 0.9);
    assert_int_equal(we_synth_pretest(p.y, &d, WE_METHOD_SDID, &o, &r, &err),
                     WE_OK);
    assert_int_equal(r.clusters, 1);
    assert_int_equal(r.n_placebos, 20);
    assert_false(r.exact);
    assert_true(r.p > 0.5);
    int own[MAX_AREAS];
    for (size_t i = 0; i < p.A; i++)
        own[i] = (int)i;
    d.cluster = own;
    assert_int_equal(we_synth_pretest(p.y, &d, WE_METHOD_SDID, &o, &r, &err),
                     WE_OK);
    assert_int_equal(r.clusters, 8);
    assert_true(r.p < 0.05);
    /* a treated group that departs from every municipality is rejected */
    shocked(&p, &d, 3.0);
    assert_int_equal(we_synth_pretest(p.y, &d, WE_METHOD_SDID, &o, &r, &err),
                     WE_OK);
    assert_true(fabs(r.p - 1.0 / 21.0) < 1e-12);
}

/* The headline tests (SDID's permutation test, SC's placebo rank of the
 * treated average and its interval) with no effect but a follow-up shock
 * the treated areas share with their municipality, like every other
 * municipality's: placebo groups in the treated group's shape (8 areas of
 * one municipality) carry such shocks too, and the test does not reject.
 * Placebo areas drawn one by one from 8 municipalities average the +-1
 * shocks away, and the shared shock looks like an effect (the old
 * area-by-area draws: SDID p = 2/21 with this seed, SC p = 1/159 with
 * its 158 donors one by one). */
static void test_headline_clustered_shock(void **state)
{
    (void)state;
    static panel p;
    we_design d;
    we_error err = {{0}};
    shocked_at(&p, &d, 0.9, 5);
    we_sdid_options so = {
        .variance = WE_SDID_VAR_NONE, .reps = 20, .seed = 1, .permutation = 1};
    we_sdid_result sr;
    memset(&sr, 0, sizeof sr);
    assert_int_equal(we_sdid(p.y, &d, &so, &sr, &err), WE_OK);
    print_message("sdid: tau %.3f, perm p %.3f [%.3f, %.3f]\n", sr.estimate,
                  sr.perm_p, sr.perm_ci_low, sr.perm_ci_high);
    assert_true(fabs(sr.estimate - 0.9) < 0.3);
    assert_int_equal(sr.perm_n, 20);
    assert_false(sr.perm_exact);
    assert_true(sr.perm_p > 0.2);
    assert_true(sr.perm_ci_low < 0.0 && 0.0 < sr.perm_ci_high);
    we_sdid_result_free(&sr);
    we_sc_options co = {.placebo = 1, .reps = 20, .seed = 1};
    we_sc_result cr;
    assert_int_equal(we_synth(p.y, &d, &co, &cr, &err), WE_OK);
    print_message("sc: estimate %.3f, placebo p %.3f among %zu [%.3f, "
                  "%.3f]\n",
                  cr.average.estimate, cr.average.p_value, cr.average_placebos,
                  cr.average.ci_low, cr.average.ci_high);
    assert_int_equal(cr.average_placebos, 20);
    assert_true(cr.average.p_value > 0.1);
    assert_true(cr.average.ci_low < 0.0 && 0.0 < cr.average.ci_high);
    we_sc_result_free(&cr);
    /* without municipalities the same shock is an effect */
    int own[MAX_AREAS];
    for (size_t i = 0; i < p.A; i++)
        own[i] = (int)i;
    d.cluster = own;
    memset(&sr, 0, sizeof sr);
    assert_int_equal(we_sdid(p.y, &d, &so, &sr, &err), WE_OK);
    assert_true(sr.perm_p < 0.05);
    we_sdid_result_free(&sr);
    assert_int_equal(we_synth(p.y, &d, &co, &cr, &err), WE_OK);
    assert_true(cr.average.p_value < 0.05);
    we_sc_result_free(&cr);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basque_sc_oracle),
        cmocka_unit_test(test_basque_sdid_exact),
        cmocka_unit_test(test_powerless_evidence),
        cmocka_unit_test(test_power_and_rejection),
        cmocka_unit_test(test_placebo_draws_whole_clusters),
        cmocka_unit_test(test_sdid_check_clustered_shock),
        cmocka_unit_test(test_headline_clustered_shock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
