/* Effect sizes, multiple-testing adjustments, minimum detectable effects
 * and evidence levels (core/src/methods/inference.h).
 *
 * The p.adjust fixtures come from R (tests/oracle/p_adjust_reference.R);
 * run from the repository root or set WE_ORACLE_FIXTURES. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "methods/inference.h"

/* ====================================================================== */
/* Effect sizes                                                           */
/* ====================================================================== */

/* Nine areas, three periods, baseline = period 1. Baseline values:
 * comparison 2, 4, 6, 8 (and one NaN, and one out-of-sample area at
 * 1000, both ignored); treated 1, 3, 5. The other periods hold values
 * that would change every number if they were used. */
enum { ES_A = 9, ES_T = 3 };
static const double ES_Y[ES_A * ES_T] = {
    50, 2, 70,  51, 4, 71,  52, 6, 72,  53, 8, 73, /* comparison */
    54, NAN, 74,                                   /* no baseline */
    55, 1000, 75,                                  /* out of sample */
    56, 1, 76,  57, 3, 77,  58, 5, 78              /* treated */
};
static const long ES_FROM[ES_A] = {-1, -1, -1, -1, -1, -1, 2, 2, 2};
static const unsigned char ES_IN[ES_A] = {1, 1, 1, 1, 1, 0, 1, 1, 1};
static const int ES_CL[ES_A] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
static const size_t ES_FU[1] = {2};

static we_design es_design(void)
{
    return (we_design){ES_A, ES_T, ES_FROM, ES_IN, ES_CL, 1, ES_FU, 1, 0.05};
}

static we_estimate es_estimate(double est, double lo, double hi)
{
    we_estimate e = {.struct_size = sizeof e};
    we_estimate_clear(&e, WE_METHOD_TWFE);
    e.estimate = est;
    e.ci_low = lo;
    e.ci_high = hi;
    return e;
}

/* By hand: SD_C = sqrt(((2-5)^2 + (4-5)^2 + (6-5)^2 + (8-5)^2) / 3)
 * = sqrt(20/3) = 2.581988897471611. Treated SS = (1-3)^2 + 0 + (5-3)^2
 * = 8, so SD_pooled = sqrt((20 + 8) / 5) = sqrt(5.6) = 2.3664319132398464
 * and J = 1 - 3 / (4 * 7 - 9) = 16/19. With estimate 1.5 and CI
 * [0.5, 2.5]: Glass 1.5 / 2.58199 = 0.5809475019311126, CI
 * [0.19364916731037085, 0.9682458365518543]; Hedges 16/19 * 1.5 / 2.36643
 * = 0.5337816345653789, CI [0.17792721152179297, 0.8896360576089648]. */
static void test_effect_size_by_hand(void **state)
{
    (void)state;
    we_design d = es_design();
    we_estimate e = es_estimate(1.5, 0.5, 2.5);
    we_effect_size es;
    we_error err;
    assert_int_equal(we_effect_size_compute(ES_Y, &d, &e,
                                            WE_HIGHER_IS_BETTER, &es, &err),
                     WE_OK);
    assert_float_equal(es.sd_comparison, 2.581988897471611, 1e-14);
    assert_float_equal(es.sd_pooled, 2.3664319132398464, 1e-14);
    assert_float_equal(es.glass_delta, 0.5809475019311126, 1e-14);
    assert_float_equal(es.glass_low, 0.19364916731037085, 1e-14);
    assert_float_equal(es.glass_high, 0.9682458365518543, 1e-14);
    assert_float_equal(es.hedges_g, 0.5337816345653789, 1e-14);
    assert_float_equal(es.hedges_low, 0.17792721152179297, 1e-14);
    assert_float_equal(es.hedges_high, 0.8896360576089648, 1e-14);
}

/* Lower is better: a fall of 1.5 is an improvement of +0.58 SD, and the
 * interval turns round. */
static void test_effect_size_direction(void **state)
{
    (void)state;
    we_design d = es_design();
    we_estimate e = es_estimate(-1.5, -2.5, -0.5);
    we_effect_size es;
    we_error err;
    assert_int_equal(we_effect_size_compute(ES_Y, &d, &e,
                                            WE_LOWER_IS_BETTER, &es, &err),
                     WE_OK);
    assert_float_equal(es.glass_delta, 0.5809475019311126, 1e-14);
    assert_float_equal(es.glass_low, 0.19364916731037085, 1e-14);
    assert_float_equal(es.glass_high, 0.9682458365518543, 1e-14);
    assert_float_equal(es.hedges_low, 0.17792721152179297, 1e-14);
    assert_float_equal(es.hedges_high, 0.8896360576089648, 1e-14);

    /* A rise of 1.5 when lower is better: -0.58 SD, low < high. */
    e = es_estimate(1.5, 0.5, 2.5);
    assert_int_equal(we_effect_size_compute(ES_Y, &d, &e,
                                            WE_LOWER_IS_BETTER, &es, &err),
                     WE_OK);
    assert_float_equal(es.glass_delta, -0.5809475019311126, 1e-14);
    assert_float_equal(es.glass_low, -0.9682458365518543, 1e-14);
    assert_float_equal(es.glass_high, -0.19364916731037085, 1e-14);
    assert_true(es.hedges_low < es.hedges_g && es.hedges_g < es.hedges_high);
}

static void test_effect_size_degenerate(void **state)
{
    (void)state;
    we_design d = es_design();
    we_estimate e = es_estimate(1.5, NAN, NAN);
    we_effect_size es;
    we_error err;

    /* An estimate without an interval keeps NaN bounds. */
    assert_int_equal(we_effect_size_compute(ES_Y, &d, &e,
                                            WE_HIGHER_IS_BETTER, &es, &err),
                     WE_OK);
    assert_float_equal(es.glass_delta, 0.5809475019311126, 1e-14);
    assert_true(isnan(es.glass_low) && isnan(es.hedges_high));

    assert_int_equal(we_effect_size_compute(ES_Y, &d, &e,
                                            WE_DIRECTION_FROM_CATALOG, &es,
                                            &err),
                     WE_EINVAL);
    assert_non_null(strstr(err.msg, "direction"));
    assert_true(isnan(es.glass_delta));

    we_estimate bad = es_estimate(NAN, NAN, NAN);
    assert_int_equal(we_effect_size_compute(ES_Y, &d, &bad,
                                            WE_HIGHER_IS_BETTER, &es, &err),
                     WE_EINVAL);

    /* One comparison area left: no SD. */
    unsigned char in1[ES_A] = {1, 0, 0, 0, 1, 0, 1, 1, 1};
    d.in_sample = in1;
    assert_int_equal(we_effect_size_compute(ES_Y, &d, &e,
                                            WE_HIGHER_IS_BETTER, &es, &err),
                     WE_ENODATA);
    assert_non_null(strstr(err.msg, "1 comparison"));

    /* Two comparison areas and one treated: Glass exists, Hedges' J
     * would be 0 (one degree of freedom) and g stays NaN. */
    unsigned char in2[ES_A] = {1, 1, 0, 0, 0, 0, 1, 0, 0};
    d.in_sample = in2;
    assert_int_equal(we_effect_size_compute(ES_Y, &d, &e,
                                            WE_HIGHER_IS_BETTER, &es, &err),
                     WE_OK);
    assert_float_equal(es.sd_comparison, sqrt(2.0), 1e-14);
    assert_float_equal(es.glass_delta, 1.5 / sqrt(2.0), 1e-14);
    assert_true(isnan(es.hedges_g));

    /* Equal comparison baselines: nothing to standardise by. */
    double flat[ES_A * ES_T];
    memcpy(flat, ES_Y, sizeof flat);
    flat[0 * ES_T + 1] = flat[1 * ES_T + 1] = 4;
    assert_int_equal(we_effect_size_compute(flat, &d, &e,
                                            WE_HIGHER_IS_BETTER, &es, &err),
                     WE_ENODATA);
    assert_non_null(strstr(err.msg, "spread"));
}

/* ====================================================================== */
/* Multiple testing                                                       */
/* ====================================================================== */

#define MAX_ROWS 1024

typedef struct padj_rows {
    size_t n;
    char name[MAX_ROWS][32];
    double a[MAX_ROWS], b[MAX_ROWS];
} padj_rows;

static double parse_number(const char *s, const char *path, size_t line)
{
    if (strcmp(s, "NA") == 0)
        return NAN;
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end != '\0')
        fail_msg("%s:%zu: '%s' is not a number or NA", path, line, s);
    return v;
}

/* Reads `vector,position,x[,y]` rows; position must count 0.. within
 * each vector, so that rows cannot be silently reordered. */
static void read_rows(const char *file, int two, padj_rows *r)
{
    const char *dir = getenv("WE_ORACLE_FIXTURES");
    char path[512], buf[256];
    snprintf(path, sizeof path, "%s/p_adjust/%s",
             dir ? dir : "tests/oracle/fixtures", file);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        fail_msg("%s: cannot open; run from the repository root or set "
                 "WE_ORACLE_FIXTURES (regenerate with: Rscript "
                 "tests/oracle/p_adjust_reference.R)", path);
    r->n = 0;
    size_t line = 0, expect_pos = 0;
    while (fgets(buf, sizeof buf, f) != NULL) {
        if (++line == 1)
            continue;
        buf[strcspn(buf, "\r\n")] = '\0';
        char *name = strtok(buf, ","), *pos = strtok(NULL, ",");
        char *x = strtok(NULL, ","), *y = two ? strtok(NULL, ",\r\n") : NULL;
        if (name == NULL || pos == NULL || x == NULL || (two && y == NULL) ||
            r->n == MAX_ROWS || strlen(name) >= sizeof r->name[0])
            fail_msg("%s:%zu: expected vector,position,value%s", path, line,
                     two ? ",value" : "");
        if (r->n > 0 && strcmp(name, r->name[r->n - 1]) != 0)
            expect_pos = 0;
        if (strtoul(pos, NULL, 10) != expect_pos++)
            fail_msg("%s:%zu: position %s out of order", path, line, pos);
        strcpy(r->name[r->n], name);
        r->a[r->n] = parse_number(x, path, line);
        r->b[r->n] = two ? parse_number(y, path, line) : NAN;
        r->n++;
    }
    fclose(f);
}

static int same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static size_t compare_vector(const char *name, const char *method,
                             const double *got, const double *want,
                             size_t n)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        if (same_double(got[i], want[i]))
            continue;
        print_error("%s %s[%zu]: got %.17g, R gives %.17g\n", method, name,
                    i, got[i], want[i]);
        bad++;
    }
    return bad;
}

/* Bit-for-bit agreement with R's p.adjust on every fixture vector. */
static void test_p_adjust_matches_r(void **state)
{
    (void)state;
    static padj_rows in, want;
    read_rows("input.csv", 0, &in);
    read_rows("expected.csv", 1, &want);
    assert_int_equal(in.n, want.n);
    assert_true(in.n > 100);
    size_t bad = 0, vectors = 0;
    double holm[MAX_ROWS], bh[MAX_ROWS];
    for (size_t s = 0, e; s < in.n; s = e) {
        for (e = s; e < in.n && strcmp(in.name[e], in.name[s]) == 0; e++)
            assert_string_equal(in.name[e], want.name[e]);
        we_p_adjust_holm(in.a + s, e - s, holm);
        we_p_adjust_bh(in.a + s, e - s, bh);
        bad += compare_vector(in.name[s], "holm", holm, want.a + s, e - s);
        bad += compare_vector(in.name[s], "BH", bh, want.b + s, e - s);
        vectors++;
    }
    assert_true(vectors >= 10);
    assert_int_equal(bad, 0);
}

static void test_p_adjust_small_cases(void **state)
{
    (void)state;
    /* By hand: m = 3 sorted 0.01 < 0.02 < 0.04. Holm: 3*0.01, max(2*0.02,
     * 0.03), max(1*0.04, 0.04). BH: 3/3*0.04, min(3/2*0.02, 0.04),
     * min(3*0.01, 0.03). */
    double p[3] = {0.04, 0.01, 0.02}, out[3];
    we_p_adjust_holm(p, 3, out);
    assert_true(out[0] == 0.04 && out[1] == 3.0 * 0.01 && out[2] == 0.04);
    we_p_adjust_bh(p, 3, out);
    assert_true(out[0] == 0.04 && out[2] == 1.5 * 0.02 &&
                out[1] == fmin(3.0 * 0.01, out[2]));

    /* In place, as the header allows. */
    double q[3] = {0.04, 0.01, 0.02};
    we_p_adjust_holm(q, 3, q);
    assert_true(q[0] == 0.04 && q[1] == 3.0 * 0.01 && q[2] == 0.04);

    /* Nothing to adjust: empty, or one value among NaN. */
    we_p_adjust_bh(p, 0, out);
    double one[2] = {NAN, 0.7};
    we_p_adjust_holm(one, 2, out);
    assert_true(isnan(out[0]) && out[1] == 0.7);
}

/* ====================================================================== */
/* Minimum detectable effect                                              */
/* ====================================================================== */

/* A simulated panel from the model of docs/methods.md: area and period
 * effects (which the estimator must remove), a cluster-by-period shock
 * with variance s2c and an AR(1) area error with variance s2u. Areas are
 * numbered in clusters of `per` areas; the first `tc` clusters are treated
 * from baseline + 1 (treatment by cluster, as municipalities do). */
typedef struct sim_panel {
    size_t A, T, base, per;
    double *y;
    long *from;
    unsigned char *in;
    int *cl;
    size_t fu[64];
    we_design d;
} sim_panel;

static void panel_make(sim_panel *p, size_t A, size_t per, size_t T,
                       size_t base, size_t tc)
{
    p->A = A;
    p->T = T;
    p->base = base;
    p->per = per;
    p->y = malloc(A * T * sizeof *p->y);
    p->from = malloc(A * sizeof *p->from);
    p->in = malloc(A);
    p->cl = malloc(A * sizeof *p->cl);
    assert_non_null(p->y);
    assert_non_null(p->from);
    assert_non_null(p->in);
    assert_non_null(p->cl);
    size_t nf = 0;
    for (size_t t = base + 1; t < T; t++)
        p->fu[nf++] = t;
    for (size_t i = 0; i < A; i++) {
        p->cl[i] = (int)(i / per);
        p->in[i] = 1;
        p->from[i] = i / per < tc ? (long)base + 1 : -1;
    }
    p->d = (we_design){A, T, p->from, p->in, p->cl, base, p->fu, nf, 0.05};
}

static void panel_fill(sim_panel *p, double s2u, double s2c, double rho,
                       unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(r);
    gsl_rng_set(r, seed);
    size_t G = (p->A + p->per - 1) / p->per;
    double *shock = malloc(G * p->T * sizeof *shock);
    assert_non_null(shock);
    for (size_t k = 0; k < G * p->T; k++)
        shock[k] = gsl_ran_gaussian(r, sqrt(s2c));
    for (size_t i = 0; i < p->A; i++) {
        double u = gsl_ran_gaussian(r, sqrt(s2u));
        double area = 60.0 + gsl_ran_gaussian(r, 5.0);
        for (size_t t = 0; t < p->T; t++) {
            if (t > 0)
                u = rho * u +
                    gsl_ran_gaussian(r, sqrt(s2u * (1.0 - rho * rho)));
            p->y[i * p->T + t] = area + 0.4 * (double)t +
                                 shock[(size_t)p->cl[i] * p->T + t] + u;
        }
    }
    free(shock);
    gsl_rng_free(r);
}

static void panel_free(sim_panel *p)
{
    free(p->y);
    free(p->from);
    free(p->in);
    free(p->cl);
}

/* Recovery of known components on a large panel: 2000 areas in clusters
 * of 4, 8 pre-periods; truth s2u = 1, s2c = 0.25 (sigma2 = 1.25,
 * ICC = 0.2), rho = 0.5. Over 40 seeds the estimates had SD 0.031
 * (sigma2), 0.0076 (ICC) and 0.016 (rho), with means within one SD of the
 * truth; the tolerances are four SDs. Ignoring the bias that demeaning
 * puts into the residual moments would move rho by about -0.2. */
static void test_mde_recovers_components(void **state)
{
    (void)state;
    sim_panel p;
    panel_make(&p, 2000, 4, 10, 7, 250);
    panel_fill(&p, 1.0, 0.25, 0.5, 11);
    we_mde m;
    we_error err;
    assert_int_equal(we_mde_compute(p.y, &p.d, 0.8, 0, 1, &m, &err), WE_OK);
    assert_float_equal(m.sigma2, 1.25, 0.125);
    assert_float_equal(m.icc, 0.2, 0.03);
    assert_float_equal(m.rho, 0.5, 0.065);
    assert_true(isnan(m.sim_power));
    assert_int_equal(m.sim_reps, 0);
    assert_true(m.power == 0.8 && m.alpha == 0.05);
    panel_free(&p);
}

/* The closed form of docs/methods.md in its textbook shape, written out
 * independently of the implementation: Burlig, Preonas and Woerman's
 * serially correlated DiD variance with average covariances psi_B (within
 * pre), psi_A (within post), psi_X (across), plus the design effect
 * 1 + (mbar - 1) ICC for whole clusters of mbar areas. */
static double bpw_mde(const we_mde *m, size_t nt, size_t nc, size_t pre,
                      size_t post, double mbar, double G)
{
    double s2 = m->sigma2, s2u = s2 * (1.0 - m->icc), rho = m->rho;
    double psiB = 0, psiA = 0, psiX = 0;
    for (size_t t = 0; t < pre; t++)
        for (size_t s = 0; s < pre; s++)
            psiB += t == s ? 0 : pow(rho, fabs((double)t - (double)s));
    for (size_t t = 0; t < post; t++)
        for (size_t s = 0; s < post; s++)
            psiA += t == s ? 0 : pow(rho, fabs((double)t - (double)s));
    for (size_t t = 0; t < pre; t++)
        for (size_t s = 0; s < post; s++)
            psiX += pow(rho, (double)(pre + s - t));
    double m_ = (double)pre, r = (double)post;
    psiB *= s2u / (m_ * (m_ - 1.0));
    psiA *= r > 1 ? s2u / (r * (r - 1.0)) : 0.0;
    psiX *= s2u / (m_ * r);
    double var = (1.0 / (double)nt + 1.0 / (double)nc) *
                 ((1.0 / m_ + 1.0 / r) * s2 * (1.0 + (mbar - 1.0) * m->icc) +
                  (m_ - 1.0) / m_ * psiB + (r - 1.0) / r * psiA -
                  2.0 * psiX);
    double q = gsl_cdf_tdist_Pinv(1.0 - m->alpha / 2.0, G - 1.0) +
               gsl_cdf_tdist_Pinv(m->power, G - 1.0);
    return q * sqrt(var);
}

static void test_mde_formula(void **state)
{
    (void)state;
    sim_panel p;
    /* 90 areas in 30 clusters of 3; 12 clusters treated; 6 pre, 3 post. */
    panel_make(&p, 90, 3, 9, 5, 12);
    panel_fill(&p, 1.0, 0.5, 0.4, 5);
    we_mde m;
    we_error err;
    assert_int_equal(we_mde_compute(p.y, &p.d, 0.8, 0, 1, &m, &err), WE_OK);
    assert_true(m.icc > 0.05 && m.rho > 0.05); /* both terms matter */
    assert_float_equal(m.mde, bpw_mde(&m, 36, 54, 6, 3, 3.0, 30.0),
                       1e-12 * m.mde);

    /* Area clusters: the design effect is 1 whatever the ICC. */
    for (size_t i = 0; i < p.A; i++)
        p.cl[i] = (int)i;
    assert_int_equal(we_mde_compute(p.y, &p.d, 0.9, 0, 1, &m, &err), WE_OK);
    assert_float_equal(m.icc, 0.0, 0.0); /* not identified: no pairs */
    assert_float_equal(m.mde, bpw_mde(&m, 36, 54, 6, 3, 1.0, 90.0),
                       1e-12 * m.mde);
    panel_free(&p);
}

static void test_mde_scaling(void **state)
{
    (void)state;
    sim_panel p;
    panel_make(&p, 60, 2, 8, 4, 5);
    panel_fill(&p, 1.0, 0.3, 0.3, 21);
    we_mde base, half, more;
    we_error err;
    assert_int_equal(we_mde_compute(p.y, &p.d, 0.8, 0, 1, &base, &err),
                     WE_OK);

    /* Halving every deviation halves sigma and the MDE, and leaves the
     * correlations alone. */
    for (size_t k = 0; k < p.A * p.T; k++)
        p.y[k] *= 0.5;
    assert_int_equal(we_mde_compute(p.y, &p.d, 0.8, 0, 1, &half, &err),
                     WE_OK);
    assert_float_equal(half.mde, 0.5 * base.mde, 1e-9 * base.mde);
    assert_float_equal(half.sigma2, 0.25 * base.sigma2, 1e-9);
    assert_float_equal(half.icc, base.icc, 1e-9);
    assert_float_equal(half.rho, base.rho, 1e-9);

    /* 5 -> 15 of 30 clusters treated on the same data: smaller MDE. */
    for (size_t i = 0; i < p.A; i++)
        p.from[i] = i / 2 < 15 ? (long)p.base + 1 : -1;
    assert_int_equal(we_mde_compute(p.y, &p.d, 0.8, 0, 1, &more, &err),
                     WE_OK);
    assert_true(more.mde < 0.8 * half.mde);
    assert_float_equal(more.sigma2, half.sigma2, 1e-9);

    /* Higher power needs a larger effect. */
    we_mde strict;
    assert_int_equal(we_mde_compute(p.y, &p.d, 0.95, 0, 1, &strict, &err),
                     WE_OK);
    assert_true(strict.mde > more.mde);
    panel_free(&p);
}

/* The simulated power at the MDE against the nominal 0.8. With 400
 * replications the Monte Carlo SD is sqrt(0.8 * 0.2 / 400) = 0.02; over
 * 30 seeds per design the simulated power averaged 0.802 and 0.806 (SD
 * 0.021 and 0.014), so the analytic formula and the CR1 t-test have no
 * visible bias at these cluster counts. The tolerance is four Monte Carlo
 * SDs: 0.08. */
static void check_power(size_t A, size_t per, size_t tc, double s2u,
                        double s2c, double rho, unsigned long seed)
{
    sim_panel p;
    panel_make(&p, A, per, 9, 4, tc);
    panel_fill(&p, s2u, s2c, rho, seed);
    we_mde m, again;
    we_error err;
    assert_int_equal(we_mde_compute(p.y, &p.d, 0.8, 400, 7, &m, &err),
                     WE_OK);
    print_message("MDE %.4f, simulated power %.4f (sigma2 %.3f, ICC %.3f, "
                  "rho %.3f)\n", m.mde, m.sim_power, m.sigma2, m.icc, m.rho);
    assert_int_equal(m.sim_reps, 400);
    assert_float_equal(m.sim_power, 0.8, 0.08);

    /* Seeded: the same seed gives the same power, bit for bit. */
    assert_int_equal(we_mde_compute(p.y, &p.d, 0.8, 400, 7, &again, &err),
                     WE_OK);
    assert_true(again.sim_power == m.sim_power && again.mde == m.mde);
    panel_free(&p);
}

static void test_mde_simulated_power_areas(void **state)
{
    (void)state;
    check_power(60, 1, 20, 1.0, 0.0, 0.5, 1000); /* 60 clusters */
}

static void test_mde_simulated_power_clusters(void **state)
{
    (void)state;
    check_power(80, 2, 15, 1.0, 0.4, 0.3, 1000); /* 40 clusters of 2 */
}

/* Gaps in the data: a sparse early year is left out of the components,
 * areas with a missing pre-period value too, and the simulation keeps
 * the real panel's gaps. */
static void test_mde_missing_data(void **state)
{
    (void)state;
    sim_panel p;
    panel_make(&p, 60, 2, 9, 4, 10);
    panel_fill(&p, 1.0, 0.2, 0.3, 3);
    for (size_t i = 0; i < p.A; i++)
        if (i % 5 != 0)
            p.y[i * p.T + 0] = NAN; /* period 0: 20% observed */
    p.y[7 * p.T + 2] = NAN;
    p.y[8 * p.T + 6] = NAN;
    we_mde m;
    we_error err;
    assert_int_equal(we_mde_compute(p.y, &p.d, 0.8, 50, 3, &m, &err), WE_OK);
    assert_true(isfinite(m.mde) && m.mde > 0);
    assert_true(m.sim_power >= 0 && m.sim_power <= 1);
    panel_free(&p);
}

/* Indicators observed at irregular or biennial periods: the components
 * and the MDE against tests/oracle/mde_spacing.py, which takes the traces
 * of the moment equations by brute force over the explicit covariance
 * matrices (regenerate: python3 tests/oracle/mde_spacing.py). */
#define SPACING_MAX_A 64
#define SPACING_MAX_T 16

typedef struct spacing_case {
    char name[32];
    size_t T, base, G, lag, A, m;
    double s2u, s2c, rho, sigma2, icc, se;
} spacing_case;

static FILE *open_fixture(const char *file)
{
    const char *dir = getenv("WE_ORACLE_FIXTURES");
    char path[512];
    snprintf(path, sizeof path, "%s/%s",
             dir ? dir : "tests/oracle/fixtures", file);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        fail_msg("%s: cannot open; run from the repository root or set "
                 "WE_ORACLE_FIXTURES (regenerate with: python3 "
                 "tests/oracle/mde_spacing.py)", path);
    return f;
}

static void check_spacing_case(const spacing_case *c)
{
    char file[96], buf[1024];
    snprintf(file, sizeof file, "mde_spacing_%s_panel.csv", c->name);
    FILE *f = open_fixture(file);
    static double y[SPACING_MAX_A * SPACING_MAX_T];
    static long from[SPACING_MAX_A];
    static unsigned char in[SPACING_MAX_A];
    static int cl[SPACING_MAX_A];
    size_t fu[SPACING_MAX_T], nf = 0, A = 0;
    assert_true(c->T <= SPACING_MAX_T);
    while (fgets(buf, sizeof buf, f) != NULL) {
        if (buf[0] == '#')
            continue;
        assert_true(A < SPACING_MAX_A);
        char *end = buf;
        cl[A] = (int)strtol(end, &end, 10);
        assert_true(*end == ',');
        from[A] = strtol(end + 1, &end, 10);
        for (size_t t = 0; t < c->T; t++) {
            assert_true(*end == ',');
            y[A * c->T + t] = strtod(end + 1, &end);
        }
        in[A++] = 1;
    }
    fclose(f);
    assert_int_equal(A, c->A);
    for (size_t t = c->base + 1; t < c->T; t++)
        fu[nf++] = t;
    we_design d = {A, c->T, from, in, cl, c->base, fu, nf, 0.05};
    we_mde m;
    we_error err;
    assert_int_equal(we_mde_compute(y, &d, 0.8, 0, 1, &m, &err), WE_OK);
    print_message("%s: sigma2 %.6f (oracle %.6f), icc %.6f (%.6f), "
                  "rho %.6f (%.6f)\n", c->name, m.sigma2, c->sigma2, m.icc,
                  c->icc, m.rho, c->rho);
    assert_float_equal(m.sigma2, c->sigma2, 1e-9 * c->sigma2);
    assert_float_equal(m.icc, c->icc, 1e-9);
    assert_float_equal(m.rho, c->rho, 1e-9);
    double q = gsl_cdf_tdist_Pinv(0.975, (double)c->G - 1.0) +
               gsl_cdf_tdist_Pinv(0.8, (double)c->G - 1.0);
    assert_float_equal(m.mde, q * c->se, 1e-9 * m.mde);
}

static void test_mde_irregular_periods(void **state)
{
    (void)state;
    FILE *f = open_fixture("mde_spacing_expected.csv");
    char buf[512];
    size_t n = 0;
    assert_non_null(fgets(buf, sizeof buf, f)); /* header */
    while (fgets(buf, sizeof buf, f) != NULL) {
        spacing_case c;
        assert_int_equal(sscanf(buf,
                                "%31[^,],%zu,%zu,%zu,%zu,%zu,%zu,%lf,%lf,"
                                "%lf,%lf,%lf,%lf",
                                c.name, &c.T, &c.base, &c.G, &c.lag, &c.A,
                                &c.m, &c.s2u, &c.s2c, &c.rho, &c.sigma2,
                                &c.icc, &c.se),
                         13);
        check_spacing_case(&c);
        n++;
    }
    fclose(f);
    assert_int_equal(n, 3); /* biennial, irregular, triennial */
}

static void test_mde_errors(void **state)
{
    (void)state;
    sim_panel p;
    panel_make(&p, 20, 1, 6, 2, 5);
    panel_fill(&p, 1.0, 0.0, 0.2, 9);
    we_mde m;
    we_error err;

    assert_int_equal(we_mde_compute(p.y, &p.d, 1.0, 0, 1, &m, &err),
                     WE_EINVAL);
    assert_non_null(strstr(err.msg, "power"));
    assert_true(isnan(m.mde));
    assert_int_equal(we_mde_compute(p.y, &p.d, 0.0, 0, 1, &m, &err),
                     WE_EINVAL);

    /* Three pre-periods are enough, two are not. */
    assert_int_equal(we_mde_compute(p.y, &p.d, 0.8, 0, 1, &m, &err), WE_OK);
    for (size_t i = 0; i < p.A; i++)
        p.y[i * p.T + 0] = NAN;
    assert_int_equal(we_mde_compute(p.y, &p.d, 0.8, 0, 1, &m, &err),
                     WE_ENODATA);
    assert_non_null(strstr(err.msg, "pre-period"));

    /* No comparison area. */
    panel_fill(&p, 1.0, 0.0, 0.2, 9);
    for (size_t i = 0; i < p.A; i++)
        p.from[i] = 3;
    assert_int_equal(we_mde_compute(p.y, &p.d, 0.8, 0, 1, &m, &err),
                     WE_ENODATA);
    assert_non_null(strstr(err.msg, "comparison"));

    /* The baseline must come before the latest follow-up. */
    p.d.baseline = 5;
    assert_int_equal(we_mde_compute(p.y, &p.d, 0.8, 0, 1, &m, &err),
                     WE_EINVAL);

    /* A constant outcome has no noise to size an effect against. */
    p.d.baseline = 2;
    for (size_t i = 0; i < p.A; i++)
        p.from[i] = i < 5 ? 3 : -1;
    for (size_t k = 0; k < p.A * p.T; k++)
        p.y[k] = 7.0;
    assert_int_equal(we_mde_compute(p.y, &p.d, 0.8, 0, 1, &m, &err),
                     WE_ENODATA);
    assert_non_null(strstr(err.msg, "no variation"));
    panel_free(&p);
}

/* ====================================================================== */
/* Evidence levels (docs/evidence.md, one test per rule)                  */
/* ====================================================================== */

static we_evidence_input ev_input(we_design_kind k, double pretrend,
                                  double p_adj)
{
    return (we_evidence_input){.design = k, .pretrend_p = pretrend,
                               .pretest_power = 0.8,
                               .pretest_power_min = 0.5,
                               .p_adjusted = p_adj, .alpha = 0.05,
                               .good_direction = 1, .n_followup = 3,
                               .n_studies = 1};
}

static we_evidence assess(we_evidence_input in)
{
    we_evidence ev;
    memset(&ev, 0x5a, sizeof ev);
    we_evidence_assess(&in, &ev);
    assert_non_null(memchr(ev.reasons, '\0', sizeof ev.reasons));
    return ev;
}

static void expect(we_evidence ev, int level, we_erkenning e,
                   const char *text1, const char *text2)
{
    if (ev.sms_level != level || ev.erkenning != e ||
        strstr(ev.reasons, text1) == NULL ||
        (text2 != NULL && strstr(ev.reasons, text2) == NULL))
        fail_msg("got level %d, %s: \"%s\"; wanted level %d, %s with "
                 "\"%s\"%s%s", ev.sms_level, we_erkenning_name(ev.erkenning),
                 ev.reasons, level, we_erkenning_name(e), text1,
                 text2 ? " and " : "", text2 ? text2 : "");
}

static void test_evidence_levels(void **state)
{
    (void)state;
    /* Before/after and gap are descriptive: level 1, never a label. */
    expect(assess(ev_input(WE_DESIGN_PRE_POST, NAN, 0.01)), 1,
           WE_ERKENNING_NONE, "Level 1: before/after",
           "earns no label on its own");
    expect(assess(ev_input(WE_DESIGN_GAP, NAN, 1e-9)), 1, WE_ERKENNING_NONE,
           "Level 1: gap", "secular trend");
    expect(assess(ev_input(WE_DESIGN_DID, NAN, 0.01)), 2,
           WE_ERKENNING_EERSTE, "Level 2: DiD with comparison wijken; "
                                "no pre-period check (pre-trends not tested)",
           "without a powerful pre-period check");
    /* A rejected pre-check: level 2 and no label, however significant. */
    expect(assess(ev_input(WE_DESIGN_DID, 0.003, 0.01)), 2, WE_ERKENNING_NONE,
           "pre-period check rejected (pre-trends, p = 0.003; alpha 0.05)",
           "may be the trend");
    expect(assess(ev_input(WE_DESIGN_DID, 0.41, 0.003)), 3,
           WE_ERKENNING_GOEDE,
           "Level 3: DiD with comparison wijken; pre-period check not "
           "rejected (pre-trends, p = 0.41; power 0.80",
           "sterke aanwijzingen need at least 2 controlled studies");
    /* Exactly alpha is not a rejection. */
    expect(assess(ev_input(WE_DESIGN_DID, 0.05, 0.003)), 3,
           WE_ERKENNING_GOEDE, "p = 0.05;", NULL);
    expect(assess(ev_input(WE_DESIGN_SYNTHETIC, 0.6, 0.01)), 3,
           WE_ERKENNING_GOEDE, "Level 3: synthetic control", NULL);
    expect(assess(ev_input(WE_DESIGN_SYNTHETIC, 0.01, 0.01)), 2,
           WE_ERKENNING_NONE, "Level 2: synthetic", NULL);
    expect(assess(ev_input(WE_DESIGN_QUASI_RANDOM, NAN, 0.01)), 4,
           WE_ERKENNING_GOEDE, "Level 4:", NULL);
    expect(assess(ev_input(WE_DESIGN_RANDOMISED, 0.01, 0.01)), 5,
           WE_ERKENNING_GOEDE, "Level 5: randomised", NULL);
}

/* Level 3 needs the pre-check's power (Roth 2022) at the minimum. */
static void test_evidence_pretest_power(void **state)
{
    (void)state;
    we_evidence_input in = ev_input(WE_DESIGN_DID, 0.6, 0.001);
    in.pretest = "event-study leads";
    in.pretest_power = 0.31;
    expect(assess(in), 2, WE_ERKENNING_EERSTE,
           "(event-study leads, p = 0.6) but its power against a trend as "
           "large as the MDE is 0.31, below 0.50", NULL);
    in.pretest_power = NAN;
    expect(assess(in), 2, WE_ERKENNING_EERSTE, "its power is unknown", NULL);
    in.pretest_power = 0.5; /* exactly the minimum is enough */
    expect(assess(in), 3, WE_ERKENNING_GOEDE, "power 0.50", NULL);
    in.pretest_borrowed = 1; /* another design's check cannot grant 3 */
    expect(assess(in), 2, WE_ERKENNING_EERSTE,
           "but level 3 needs the design's own check", NULL);
    in.pretest_borrowed = 0;
    in.pretest_power_min = 0.9;
    in.pretest_power = 0.85;
    expect(assess(in), 2, WE_ERKENNING_EERSTE, "below 0.90", NULL);
    /* A descriptive row feeds no level, whatever else it has. */
    in.pretest_power = 0.99;
    in.descriptive = 1;
    in.descriptive_reason = "CR1 with 3 treated clusters";
    expect(assess(in), 0, WE_ERKENNING_NONE,
           "Descriptive only: CR1 with 3 treated clusters; no evidence "
           "level.", NULL);
    in.descriptive_reason = NULL;
    expect(assess(in), 0, WE_ERKENNING_NONE, "not valid for its design",
           NULL);
}

/* SC and SDID headlines (docs/evidence.md, "Eerste aanwijzingen and a
 * pre-trend the check cannot see"): eerste aanwijzingen needs their
 * check to have run and not rejected; a low-powered check keeps eerste
 * with the power in the reasons; a rejected check, their own or the
 * borrowed TWFE leads, removes the label; a check that cannot reject
 * says so. */
static void test_evidence_synthetic_check(void **state)
{
    (void)state;
    we_evidence_input in = ev_input(WE_DESIGN_SYNTHETIC, 0.4, 0.01);
    in.pretest = "its own in-time placebo";
    in.pretest_min_p = 0.01;
    in.pretest_power = 0.15;
    expect(assess(in), 2, WE_ERKENNING_EERSTE,
           "its own in-time placebo, p = 0.4) but its power against a "
           "trend as large as the MDE is 0.15, below 0.50",
           "without a powerful pre-period check");
    in.pretrend_p = 0.02; /* own check rejected */
    expect(assess(in), 2, WE_ERKENNING_NONE, "pre-period check rejected",
           "may be the trend");
    in.pretest_borrowed = 1; /* the TWFE leads, rejected: still counts */
    in.pretest = "the twfe event study's leads";
    in.pretest_min_p = NAN;
    in.pretest_power = NAN;
    expect(assess(in), 2, WE_ERKENNING_NONE, "pre-period check rejected",
           "may be the trend");
    in.pretrend_p = 0.3; /* borrowed, not rejected: level 2 at most */
    expect(assess(in), 2, WE_ERKENNING_EERSTE,
           "but level 3 needs the design's own check", NULL);
    in.pretest_borrowed = 0; /* own check with 15 placebos: powerless */
    in.pretest = "its own in-time placebo";
    in.pretest_min_p = 1.0 / 16.0;
    in.pretest_power = 0.0;
    expect(assess(in), 2, WE_ERKENNING_EERSTE, "but it cannot reject",
           "smallest attainable p is 0.0625");
}

static void test_evidence_no_effect(void **state)
{
    (void)state;
    expect(assess(ev_input(WE_DESIGN_DID, 0.5, NAN)), 3, WE_ERKENNING_NONE,
           "No aanwijzingen: the effect has no p-value", NULL);
    expect(assess(ev_input(WE_DESIGN_DID, 0.5, 0.12)), 3, WE_ERKENNING_NONE,
           "not significant after adjustment (p = 0.12; alpha 0.05)", NULL);
    expect(assess(ev_input(WE_DESIGN_PRE_POST, NAN, 0.05)), 1,
           WE_ERKENNING_NONE, "not significant", NULL);
    we_evidence_input bad = ev_input(WE_DESIGN_DID, 0.5, 0.001);
    bad.good_direction = 0;
    expect(assess(bad), 3, WE_ERKENNING_NONE, "bad direction", NULL);
    bad.design = WE_DESIGN_PRE_POST;
    expect(assess(bad), 1, WE_ERKENNING_NONE, "bad direction", NULL);
}

static void test_evidence_sterke(void **state)
{
    (void)state;
    we_evidence_input in = ev_input(WE_DESIGN_DID, 0.5, 0.001);
    in.n_studies = 2;
    in.n_followup = 2;
    expect(assess(in), 3, WE_ERKENNING_STERKE,
           "Sterke aanwijzingen", "2 controlled studies");
    in.n_followup = 1; /* several studies, one follow-up period */
    expect(assess(in), 3, WE_ERKENNING_GOEDE, "this is 2 studies with 1 "
                                              "follow-up period)", NULL);
    in.n_followup = 5;
    in.n_studies = 1; /* one run is one study: never sterke */
    expect(assess(in), 3, WE_ERKENNING_GOEDE, "this is 1 study", NULL);
    in.n_studies = 3;
    in.design = WE_DESIGN_DID;
    in.pretrend_p = NAN; /* level 2 stays eerste, however many studies */
    expect(assess(in), 2, WE_ERKENNING_EERSTE, "Eerste", NULL);
    in.design = WE_DESIGN_RANDOMISED;
    expect(assess(in), 5, WE_ERKENNING_STERKE, "Sterke", NULL);
}

/* The Dutch reasons are Dutch: the pre-period check and the descriptive
 * reason come in both languages (never the English words in the Dutch
 * sentence), and a headline's p names both adjustments it survived. */
static void test_evidence_dutch_and_headline(void **state)
{
    (void)state;
    we_evidence_input in = ev_input(WE_DESIGN_DID, 0.6, 0.001);
    in.pretest = "event-study leads";
    in.pretest_nl = "de perioden voor de start in de event study";
    in.pretest_power = 0.31;
    we_evidence ev = assess(in);
    assert_non_null(strstr(ev.reasons, "(event-study leads, p = 0.6)"));
    assert_non_null(strstr(ev.reasons_nl, "(de perioden voor de start in de "
                                          "event study, p = 0,6)"));
    assert_null(strstr(ev.reasons_nl, "event-study leads"));
    assert_non_null(strstr(ev.reasons, "significant after adjustment (p"));
    /* Without Dutch words for the check: Dutch words, not the English. */
    in.pretest_nl = NULL;
    ev = assess(in);
    assert_null(strstr(ev.reasons_nl, "event-study leads"));
    assert_non_null(strstr(ev.reasons_nl, "de eigen toets van de opzet"));
    in.pretest = NULL;
    ev = assess(in);
    assert_non_null(strstr(ev.reasons, "(pre-trends, p = 0.6)"));
    assert_non_null(strstr(ev.reasons_nl, "trends v\xc3\xb3\xc3\xb3r de "
                                          "start, p = 0,6"));
    /* A headline's p: adjusted within the experiment and across the
     * report's headlines, and the reasons say so in both languages. */
    in.across_headlines = 1;
    in.p_adjusted = 0.2;
    ev = assess(in);
    expect(ev, 2, WE_ERKENNING_NONE,
           "not significant after adjustment within the experiment and "
           "across the report's headlines (p = 0.2; alpha 0.05)",
           NULL);
    assert_non_null(strstr(ev.reasons_nl, "niet significant na correctie "
                                          "binnen het experiment en over de "
                                          "kernresultaten van het rapport "
                                          "(p = 0,2; alfa 0,05)"));
    /* The descriptive reason in Dutch, and a Dutch fallback. */
    in.descriptive = 1;
    in.descriptive_reason = "3 treated clusters";
    in.descriptive_reason_nl = "3 aangepakte clusters";
    ev = assess(in);
    assert_non_null(strstr(ev.reasons_nl, "Alleen beschrijvend: 3 "
                                          "aangepakte clusters; geen "
                                          "bewijsniveau."));
    assert_null(strstr(ev.reasons_nl, "treated"));
    in.descriptive_reason_nl = NULL;
    ev = assess(in);
    assert_null(strstr(ev.reasons_nl, "treated"));
    assert_non_null(strstr(ev.reasons_nl, "niet geldig voor deze opzet"));
}

static void test_evidence_invalid_and_format(void **state)
{
    (void)state;
    expect(assess(ev_input((we_design_kind)9, NAN, 0.01)), 0,
           WE_ERKENNING_NONE, "unknown design kind 9", NULL);
    we_evidence_input in = ev_input(WE_DESIGN_DID, 0.5, 0.01);
    in.alpha = 0;
    expect(assess(in), 0, WE_ERKENNING_NONE, "alpha must lie in (0, 1)",
           NULL);
    in.alpha = NAN;
    expect(assess(in), 0, WE_ERKENNING_NONE, "alpha", NULL);

    /* Never "0.05 < 0.05": enough digits to stay below alpha. */
    expect(assess(ev_input(WE_DESIGN_DID, 0.5, 0.04996)), 3,
           WE_ERKENNING_GOEDE, "(p = 0.04996; alpha 0.05)", NULL);
    expect(assess(ev_input(WE_DESIGN_DID, 0.050004, 0.2)), 3,
           WE_ERKENNING_NONE, "not rejected (pre-trends, p = 0.05;", NULL);
    /* A bootstrap p of 0 only says p is below the resolution. */
    expect(assess(ev_input(WE_DESIGN_DID, 0.0, 0.0)), 2, WE_ERKENNING_NONE,
           "rejected (pre-trends, p < 0.001; alpha 0.05)",
           "significant (p < 0.001)");

    assert_string_equal(we_erkenning_name(WE_ERKENNING_NONE),
                        "geen aanwijzingen");
    assert_string_equal(we_erkenning_name(WE_ERKENNING_EERSTE),
                        "eerste aanwijzingen");
    assert_string_equal(we_erkenning_name(WE_ERKENNING_GOEDE),
                        "goede aanwijzingen");
    assert_string_equal(we_erkenning_name(WE_ERKENNING_STERKE),
                        "sterke aanwijzingen");
    assert_string_equal(we_erkenning_name((we_erkenning)7), "onbekend");
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_effect_size_by_hand),
        cmocka_unit_test(test_effect_size_direction),
        cmocka_unit_test(test_effect_size_degenerate),
        cmocka_unit_test(test_p_adjust_matches_r),
        cmocka_unit_test(test_p_adjust_small_cases),
        cmocka_unit_test(test_mde_recovers_components),
        cmocka_unit_test(test_mde_formula),
        cmocka_unit_test(test_mde_scaling),
        cmocka_unit_test(test_mde_simulated_power_areas),
        cmocka_unit_test(test_mde_simulated_power_clusters),
        cmocka_unit_test(test_mde_missing_data),
        cmocka_unit_test(test_mde_irregular_periods),
        cmocka_unit_test(test_mde_errors),
        cmocka_unit_test(test_evidence_levels),
        cmocka_unit_test(test_evidence_pretest_power),
        cmocka_unit_test(test_evidence_synthetic_check),
        cmocka_unit_test(test_evidence_no_effect),
        cmocka_unit_test(test_evidence_sterke),
        cmocka_unit_test(test_evidence_invalid_and_format),
        cmocka_unit_test(test_evidence_dutch_and_headline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
