/* The early warning (core/src/methods/early_warning.c): the Theil-Sen
 * slope and Mann-Kendall test against R (tests/oracle/
 * early_warning_reference.R), and on simulated panels with known sliding
 * areas: they are flagged, in the order of their decline, with the
 * indicators that were made to decline as drivers; common shocks and
 * noise are not flagged beyond the false discovery rate. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "methods/early_warning.h"

#define TOL 1e-10

static void near(double got, double want, const char *what, int line)
{
    if (!(fabs(got - want) <= TOL * fmax(1.0, fabs(want))))
        fail_msg("line %d: %s: %.17g, expected %.17g", line, what, got,
                 want);
}

/* ---- against R ---------------------------------------------------------- */

static size_t parse_list(char *s, double *out, size_t cap)
{
    size_t n = 0;
    for (char *tok = strtok(s, ";"); tok != NULL && n < cap;
         tok = strtok(NULL, ";"))
        out[n++] = strtod(tok, NULL);
    return n;
}

static FILE *open_fixture(void)
{
    const char *dir = getenv("WE_ORACLE_FIXTURES");
    char path[512];
    snprintf(path, sizeof path, "%s/early_warning/trend.csv",
             dir ? dir : "tests/oracle/fixtures");
    FILE *f = fopen(path, "r");
    if (f == NULL)
        fail_msg("cannot open %s (run from the repository root; "
                 "regenerate with Rscript "
                 "tests/oracle/early_warning_reference.R)", path);
    return f;
}

static void test_trend_matches_r(void **state)
{
    (void)state;
    FILE *f = open_fixture();
    char line[4096];
    size_t cases = 0;
    assert_non_null(fgets(line, sizeof line, f)); /* header */
    while (fgets(line, sizeof line, f) != NULL) {
        char *field[8];
        size_t nf = 0;
        for (char *p = line; nf < 8; nf++) {
            field[nf] = p;
            p = strchr(p, ',');
            if (p == NULL) {
                nf++;
                break;
            }
            *p++ = '\0';
        }
        assert_int_equal(nf, 8);
        double x[64], y[64];
        size_t n = parse_list(field[2], x, 64);
        assert_int_equal(parse_list(field[3], y, 64), n);
        assert_int_equal(strtol(field[1], NULL, 10), (long)n);
        we_mann_kendall mk;
        we_mann_kendall_test(y, n, &mk);
        int ln = (int)cases + 2;
        near(we_theil_sen(x, y, n), strtod(field[4], NULL), "slope", ln);
        near(mk.s, strtod(field[5], NULL), "S", ln);
        near(mk.z, strtod(field[6], NULL), "z", ln);
        near(mk.p_decline, strtod(field[7], NULL), "p", ln);
        cases++;
    }
    fclose(f);
    assert_true(cases >= 19);
}

/* R: the slopes' median and mad() (tests/oracle/
 * early_warning_reference.R, empirical_null.csv: slope, z, p per row). */
static void test_empirical_null_matches_r(void **state)
{
    (void)state;
    const char *dir = getenv("WE_ORACLE_FIXTURES");
    char path[512], line[512];
    snprintf(path, sizeof path, "%s/early_warning/empirical_null.csv",
             dir ? dir : "tests/oracle/fixtures");
    FILE *f = fopen(path, "r");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    double b[64], zr[64], pr[64];
    size_t n = 0;
    assert_non_null(fgets(line, sizeof line, f));
    while (n < 64 && fgets(line, sizeof line, f) != NULL) {
        char *e1, *e2;
        b[n] = strtod(line, &e1);
        zr[n] = strtod(e1 + 1, &e2);
        pr[n] = strtod(e2 + 1, NULL);
        if (strncmp(line, "NA", 2) == 0)
            b[n] = NAN;
        n++;
    }
    fclose(f);
    assert_true(n >= 20);
    double z[64], p[64], c, s;
    we_empirical_null(b, n, z, p, &c, &s);
    for (size_t i = 0; i < n; i++) {
        if (isnan(b[i])) {
            assert_true(isnan(z[i]) && isnan(p[i]));
            continue;
        }
        near(z[i], zr[i], "robust z", (int)i + 2);
        near(p[i], pr[i], "p", (int)i + 2);
    }
}

static void test_trend_small(void **state)
{
    (void)state;
    double x[] = {1, 1, 2}, y[] = {0, 5, 1};
    /* The pair with equal x has no slope: median of 1 and -4. */
    assert_true(fabs(we_theil_sen(x, y, 3) - (-1.5)) < 1e-15);
    assert_true(isnan(we_theil_sen(x, y, 1)));
    double same[] = {2, 2};
    assert_true(isnan(we_theil_sen(same, y, 2)));
    we_mann_kendall mk;
    we_mann_kendall_test(y, 2, &mk);
    assert_true(isnan(mk.p_decline));
    double flat[] = {1, 1, 1, 1};
    we_mann_kendall_test(flat, 4, &mk);
    assert_true(mk.var_s == 0 && isnan(mk.p_decline));
}

/* ---- simulated panels ---------------------------------------------------- */

typedef struct rng {
    uint64_t s;
} rng;

static double uniform(rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return ((double)(r->s >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(rng *r)
{
    return sqrt(-2.0 * log(uniform(r))) * cos(6.283185307179586 *
                                               uniform(r));
}

#define A 300
#define T 12
#define K 3
#define SLIDERS 15
#define WINDOW 8

/* Three indicators: 0 higher is better, 1 lower is better, 2 higher is
 * better with half the weight. Every area has its own level, every
 * period a common shock (a steep national decline of indicator 0
 * included), and noise. Area 10 j (j < n_sliders) slides from period
 * T - WINDOW on: indicator 0 down, indicator 1 up, by 0.2 + 0.05 j raw
 * units a period; indicator 2 is left alone. */
typedef struct panel {
    double v[K][A * T];
    int periods[T];
} panel;

static void simulate(panel *p, uint64_t seed, size_t n_sliders)
{
    rng r = {seed * 2654435761u + 88172645463325252u};
    double shock[K][T];
    for (size_t k = 0; k < K; k++)
        for (size_t t = 0; t < T; t++)
            shock[k][t] = normal(&r) - (k == 0 ? 0.5 * (double)t : 0);
    for (size_t t = 0; t < T; t++)
        p->periods[t] = 2001 + (int)t;
    for (size_t a = 0; a < A; a++)
        for (size_t k = 0; k < K; k++) {
            double level = 3 * normal(&r);
            for (size_t t = 0; t < T; t++)
                p->v[k][a * T + t] = level + shock[k][t] + 0.1 * normal(&r);
        }
    for (size_t j = 0; j < n_sliders; j++)
        for (size_t t = T - WINDOW; t < T; t++) {
            double d = (0.2 + 0.05 * (double)j) *
                       (double)(t - (T - WINDOW) + 1);
            p->v[0][10 * j * T + t] -= d;
            p->v[1][10 * j * T + t] += d;
        }
}

static const double WEIGHT[K] = {1, 1, 0.5};
static const int SIGN[K] = {1, -1, 1};

static int run(const panel *p, we_ew_result *r, we_ew_test test)
{
    const double *vals[K] = {p->v[0], p->v[1], p->v[2]};
    we_ew_spec s = {.n_ind = K, .n_areas = A, .n_periods = T,
                    .values = vals, .weight = WEIGHT, .sign = SIGN,
                    .periods = p->periods, .window = WINDOW, .alpha = 0.05,
                    .test = test};
    return we_ew_run(&s, r);
}

static int is_slider(size_t a, size_t n_sliders)
{
    return a % 10 == 0 && a / 10 < n_sliders;
}

static void sliders_flagged_in_order(we_ew_test test)
{
    static panel p;
    simulate(&p, 1, SLIDERS);
    we_ew_result r;
    assert_int_equal(run(&p, &r, test), 0);
    assert_int_equal(r.n_tested, A);
    assert_int_equal(r.first, T - WINDOW);
    size_t hits = 0, nulls = 0;
    for (size_t i = 0; i < r.n_watch; i++) {
        hits += is_slider(r.watch[i], SLIDERS);
        nulls += !is_slider(r.watch[i], SLIDERS);
    }
    assert_int_equal(hits, SLIDERS);
    /* The national decline of indicator 0 is a common shock: it must not
     * flag the other areas. */
    assert_true(nulls <= 2);
    /* The steepest slide first: area 10 j slides faster for larger j. */
    size_t prev = SIZE_MAX;
    for (size_t i = 0; i < r.n_watch; i++) {
        size_t a = r.watch[i];
        if (!is_slider(a, SLIDERS))
            continue;
        if (prev != SIZE_MAX)
            assert_true(a < prev);
        prev = a;
        assert_true(r.q[a] <= 0.05 && r.slope[a] < 0);
        /* Drivers: indicators 0 and 1, and 2 not before them. */
        size_t d[3];
        size_t nd = we_ew_drivers(&r, a, d, 3);
        assert_true(nd >= 2);
        assert_true((d[0] == 0 && d[1] == 1) || (d[0] == 1 && d[1] == 0));
        double c2 = r.contrib[a * K + 2];
        assert_true(fabs(c2) < 0.2 * fabs(r.contrib[a * K + 0]));
    }
    /* The composite's slope is about the sum of the contributions. */
    size_t a = r.watch[0];
    double sum = 0;
    for (size_t k = 0; k < K; k++)
        sum += r.contrib[a * K + k];
    assert_true(fabs(sum - r.slope[a]) < 0.05 * fabs(r.slope[a]));
    we_ew_free(&r);
}

static void test_sliders_empirical_null(void **state)
{
    (void)state;
    sliders_flagged_in_order(WE_EW_EMPIRICAL_NULL);
}

static void test_sliders_mann_kendall(void **state)
{
    (void)state;
    sliders_flagged_in_order(WE_EW_MANN_KENDALL);
}

/* Over replications, the share of flagged areas that do not slide stays
 * near the false discovery rate (BH controls its mean at alpha m0 / m). */
static void false_discovery_rate(we_ew_test test)
{
    static panel p;
    double fdp = 0;
    size_t reps = 20, flagged_null = 0;
    for (size_t rep = 0; rep < reps; rep++) {
        simulate(&p, 100 + rep, SLIDERS);
        we_ew_result r;
        assert_int_equal(run(&p, &r, test), 0);
        size_t nulls = 0;
        for (size_t i = 0; i < r.n_watch; i++)
            nulls += !is_slider(r.watch[i], SLIDERS);
        fdp += r.n_watch ? (double)nulls / (double)r.n_watch : 0;
        flagged_null += nulls;
        we_ew_free(&r);
    }
    print_message("mean false discovery proportion %.4f (%zu null areas "
                  "flagged in %zu runs)\n", fdp / (double)reps,
                  flagged_null, reps);
    assert_true(fdp / (double)reps <= 0.08);
}

static void test_fdr_empirical_null(void **state)
{
    (void)state;
    false_discovery_rate(WE_EW_EMPIRICAL_NULL);
}

static void test_fdr_mann_kendall(void **state)
{
    (void)state;
    false_discovery_rate(WE_EW_MANN_KENDALL);
}

/* Without sliders nothing should be flagged (the family-wise error of BH
 * under the global null is alpha). */
static void test_pure_null(void **state)
{
    (void)state;
    static panel p;
    size_t runs_with_flags = 0;
    for (uint64_t rep = 0; rep < 40; rep++) {
        simulate(&p, 500 + rep, 0);
        we_ew_result r;
        assert_int_equal(run(&p, &r, rep % 2 ? WE_EW_MANN_KENDALL
                                             : WE_EW_EMPIRICAL_NULL), 0);
        runs_with_flags += r.n_watch > 0;
        we_ew_free(&r);
    }
    assert_true(runs_with_flags <= 6);
}

/* The composite by hand on a 3 x 2 panel with a missing cell: weights 1
 * and 3; without the weight-3 indicator less than half the weight is
 * observed, so that cell has no composite. */
static void test_composite_missing(void **state)
{
    (void)state;
    double v0[6] = {1, 2, 3, 4, 5, 6}; /* higher is better */
    double v1[6] = {6, NAN, 4, 3, 2, 1}; /* lower is better */
    const double *vals[2] = {v0, v1};
    double w[2] = {1, 3};
    int sign[2] = {1, -1};
    int periods[2] = {2010, 2011};
    we_ew_spec s = {.n_ind = 2, .n_areas = 3, .n_periods = 2,
                    .values = vals, .weight = w, .sign = sign,
                    .periods = periods, .window = 2, .alpha = 0.05};
    we_ew_result r;
    assert_int_equal(we_ew_run(&s, &r), 0);
    /* v0: mean 3.5, sd sqrt(3.5); v1 (5 values): mean 3.2, sd
     * sqrt(3.7). */
    double sd0 = sqrt(3.5), sd1 = sqrt(3.7);
    double c[6];
    for (size_t i = 0; i < 6; i++)
        c[i] = (1 * (v0[i] - 3.5) / sd0 - 3 * (v1[i] - 3.2) / sd1) / 4;
    c[1] = NAN;
    /* Period 2010: areas 0, 1, 2 at cells 0, 2, 4; 2011: 1, 3, 5 (cell 1
     * missing). */
    double n0 = (c[0] + c[2] + c[4]) / 3, n1 = (c[3] + c[5]) / 2;
    near(r.national[0], n0, "national 2010", __LINE__);
    near(r.national[1], n1, "national 2011", __LINE__);
    near(r.rel[0], c[0] - n0, "rel a0 2010", __LINE__);
    assert_true(isnan(r.rel[1]));
    near(r.rel[5], c[5] - n1, "rel a2 2011", __LINE__);
    /* Two points: too short to test; no slope enters the null. */
    assert_int_equal(r.n_tested, 0);
    assert_true(isnan(r.p[0]) && isnan(r.q[0]) && isnan(r.slope[2]));
    assert_int_equal(r.n_watch, 0);
    we_ew_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trend_matches_r),
        cmocka_unit_test(test_trend_small),
        cmocka_unit_test(test_empirical_null_matches_r),
        cmocka_unit_test(test_sliders_empirical_null),
        cmocka_unit_test(test_sliders_mann_kendall),
        cmocka_unit_test(test_fdr_empirical_null),
        cmocka_unit_test(test_fdr_mann_kendall),
        cmocka_unit_test(test_pure_null),
        cmocka_unit_test(test_composite_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
