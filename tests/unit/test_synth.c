/* Synthetic control and SDID: the simplex solver's KKT conditions,
 * noiseless panels with known weights and effects, and the California
 * Proposition 99 reference values of tests/oracle/synth_reference.R
 * (contract in tests/oracle/README.md). Fixtures are read with stdio only.
 * Run from the repository root, or set WE_ORACLE_FIXTURES. */
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

#include "methods/synth.h"
#include "util/reference.h"

#define TOL 1e-6       /* the agreement asked of weights and estimates */
#define KKT_TOL 1e-6   /* KKT on the mean-squared-error scale */
#define MAX_AREAS 64
#define MAX_PERIODS 64
#define MAX_ROWS 4096
#define LINE 512

/* ---- fixtures ----------------------------------------------------------- */

static const char *fixture_dir(void)
{
    const char *env = getenv("WE_ORACLE_FIXTURES");
    return env != NULL && env[0] ? env : "tests/oracle/fixtures";
}

/* A CSV file as rows of at most 6 fields (the fixtures never quote). */
typedef struct rows {
    size_t n;
    char (*field)[6][96];
} rows;

static void split(char *line, char out[6][96])
{
    line[strcspn(line, "\r\n")] = '\0';
    for (size_t k = 0; k < 6; k++) {
        size_t len = strcspn(line, ",");
        snprintf(out[k], 96, "%.*s", (int)len, line);
        line += len;
        if (*line == ',')
            line++;
    }
}

static rows read_rows(const char *file)
{
    char path[512], line[LINE];
    snprintf(path, sizeof path, "%s/prop99/%s", fixture_dir(), file);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        fail_msg("%s: cannot open; run from the repository root or set "
                 "WE_ORACLE_FIXTURES (regenerate with Rscript "
                 "tests/oracle/synth_reference.R)", path);
    rows r = {0, calloc(MAX_ROWS, sizeof *r.field)};
    assert_non_null(r.field);
    if (fgets(line, sizeof line, f) == NULL) /* the header */
        fail_msg("%s:1:1: empty file", path);
    while (r.n < MAX_ROWS && fgets(line, sizeof line, f) != NULL)
        split(line, r.field[r.n++]);
    fclose(f);
    return r;
}

/* The prop99 panel: areas in order of appearance, periods ascending. */
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

static size_t area_index(panel *p, const char *name, int add)
{
    for (size_t i = 0; i < p->A; i++)
        if (strcmp(p->area[i], name) == 0)
            return i;
    if (!add)
        fail_msg("area %s is not in the panel", name);
    snprintf(p->area[p->A], sizeof p->area[0], "%s", name);
    return p->A++;
}

static size_t period_index(const panel *p, int label)
{
    for (size_t t = 0; t < p->T; t++)
        if (p->period[t] == label)
            return t;
    fail_msg("period %d is not in the panel", label);
    return 0;
}

static void read_panel(panel *p)
{
    memset(p, 0, sizeof *p);
    rows r = read_rows("panel.csv");
    for (size_t k = 0; k < r.n; k++) {
        int lab = atoi(r.field[k][2]);
        size_t t = 0;
        while (t < p->T && p->period[t] != lab)
            t++;
        if (t == p->T)
            p->period[p->T++] = lab; /* the file is sorted by period */
        area_index(p, r.field[k][0], 1);
    }
    for (size_t k = 0; k < r.n; k++) {
        size_t i = area_index(p, r.field[k][0], 0);
        size_t t = period_index(p, atoi(r.field[k][2]));
        p->y[i * p->T + t] = strtod(r.field[k][3], NULL);
    }
    free(r.field);
    for (size_t i = 0; i < p->A; i++) {
        p->from[i] = -1;
        p->in_sample[i] = 1;
        p->cluster[i] = (int)i;
    }
    rows d = read_rows("design.csv");
    for (size_t k = 0; k < d.n; k++) {
        if (strcmp(d.field[k][0], "followup") != 0)
            continue;
        char *s = d.field[k][1], *end;
        for (long lab = strtol(s, &end, 10); end != s;
             lab = strtol(s = end, &end, 10))
            p->followup[p->n_followup++] = period_index(p, (int)lab);
    }
    free(d.field);
}

static void treat(panel *p, const char *name, int label)
{
    p->from[area_index(p, name, 0)] = (long)period_index(p, label);
}

static we_design design_of(const panel *p)
{
    return (we_design){.n_areas = p->A, .n_periods = p->T,
                       .treated_from = p->from, .in_sample = p->in_sample,
                       .cluster = p->cluster, .baseline = 0,
                       .followup = p->followup,
                       .n_followup = p->n_followup, .alpha = 0.05};
}

/* ---- comparisons ---------------------------------------------------------- */

static double worst_seen;

static void near(double expected, double got, double tol, const char *what)
{
    double diff = fabs(expected - got);
    if (isnan(expected) && isnan(got))
        return;
    if (diff > worst_seen)
        worst_seen = diff;
    if (!(diff <= tol * fmax(1.0, fabs(expected))))
        fail_msg("%s: expected %.17g, got %.17g (difference %.3g)", what,
                 expected, got, diff);
}

/* The KKT conditions of min ||b - A w||^2 / m on the simplex, checked
 * here from scratch: w feasible, the gradient equal on the support and
 * not below that value elsewhere. */
static double assert_kkt(const double *A, size_t m, size_t n,
                         const double *b, const double *w, const char *what)
{
    double *g = malloc(n * sizeof *g), sum = 0, mu = 0, worst = 0;
    assert_non_null(g);
    for (size_t j = 0; j < n; j++) {
        assert_true(w[j] >= 0.0);
        sum += w[j];
    }
    for (size_t j = 0; j < n; j++) {
        double s = 0;
        for (size_t r = 0; r < m; r++) {
            double fit = 0;
            for (size_t k = 0; k < n; k++)
                fit += A[k * m + r] * w[k];
            s += A[j * m + r] * (fit - b[r]);
        }
        g[j] = 2.0 * s / (double)m;
        mu += w[j] * g[j];
    }
    for (size_t j = 0; j < n; j++) {
        double v = w[j] > 0 ? fabs(g[j] - mu) : mu - g[j];
        worst = fmax(worst, v);
    }
    free(g);
    if (!(fabs(sum - 1.0) <= 1e-12 && worst <= KKT_TOL))
        fail_msg("%s: KKT violated: sum(w) - 1 = %.3g, worst %.3g", what,
                 sum - 1.0, worst);
    return mu;
}

/* ---- the simplex solver --------------------------------------------------- */

static void test_simplex_kkt_random(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 7);
    const size_t shapes[][2] = {{3, 40}, {10, 6}, {19, 38}, {30, 200},
                                {1, 5},  {5, 1},  {50, 20}};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        size_t m = shapes[s][0], n = shapes[s][1];
        double *A = malloc(m * n * sizeof *A), *b = malloc(m * sizeof *b);
        double *w = malloc(n * sizeof *w);
        for (size_t k = 0; k < m * n; k++)
            A[k] = 100.0 + 20.0 * gsl_ran_gaussian(rng, 1.0);
        for (size_t r = 0; r < m; r++)
            b[r] = 95.0 + 25.0 * gsl_ran_gaussian(rng, 1.0);
        we_simplex_info info;
        we_error err = {{0}};
        assert_int_equal(we_simplex_ls(A, m, n, b, w, &info, &err), WE_OK);
        char what[64];
        snprintf(what, sizeof what, "random %zu x %zu", m, n);
        double mu = assert_kkt(A, m, n, b, w, what);
        /* the solver's multiplier is the same gradient value */
        near(mu, info.multiplier / (double)m, 1e-9, "multiplier");
        assert_true(info.support <= m + 1);
        assert_true(info.kkt / (double)m <= KKT_TOL);
        free(A);
        free(b);
        free(w);
    }
    gsl_rng_free(rng);
}

static void test_simplex_errors(void **state)
{
    (void)state;
    double A[4] = {1, 2, 3, NAN}, b[2] = {1, 2}, w[2];
    we_error err = {{0}};
    assert_int_equal(we_simplex_ls(A, 0, 2, b, w, NULL, &err), WE_EINVAL);
    assert_non_null(strstr(err.msg, "rows"));
    assert_int_equal(we_simplex_ls(A, 2, 2, b, w, NULL, &err), WE_EINVAL);
    assert_non_null(strstr(err.msg, "column 1"));
}

/* ---- noiseless synthetic control ------------------------------------------ */

#define NT 14
#define NPRE 10

/* Six donors with random paths and treated areas that are exact convex
 * combinations of them, plus `effect` from period NPRE on. */
typedef struct toy {
    double y[10 * NT];
    long from[10];
    unsigned char in_sample[10];
    int cluster[10];
    size_t followup[NT - NPRE];
} toy;

static void toy_build(toy *p, size_t n_treated, const double (*mix)[6],
                      const double *effect)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 11);
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < 6; i++)
        for (size_t t = 0; t < NT; t++)
            p->y[i * NT + t] = 50.0 + 2.0 * (double)t * (double)i / 5.0 +
                               8.0 * gsl_ran_gaussian(rng, 1.0);
    for (size_t u = 0; u < n_treated; u++)
        for (size_t t = 0; t < NT; t++) {
            double s = t >= NPRE ? effect[u] : 0.0;
            for (size_t j = 0; j < 6; j++)
                s += mix[u][j] * p->y[j * NT + t];
            p->y[(6 + u) * NT + t] = s;
        }
    for (size_t i = 0; i < 6 + n_treated; i++) {
        p->from[i] = i >= 6 ? NPRE : -1;
        p->in_sample[i] = 1;
        p->cluster[i] = (int)i;
    }
    for (size_t k = 0; k < NT - NPRE; k++)
        p->followup[k] = NPRE + k;
    gsl_rng_free(rng);
}

static we_design toy_design(toy *p, size_t n_treated)
{
    return (we_design){.n_areas = 6 + n_treated, .n_periods = NT,
                       .treated_from = p->from, .in_sample = p->in_sample,
                       .cluster = p->cluster, .baseline = NPRE - 1,
                       .followup = p->followup, .n_followup = NT - NPRE,
                       .alpha = 0.05};
}

static void assert_recovered(const we_sc_fit *f, const double *mix,
                             double effect)
{
    for (size_t j = 0; j < 6; j++)
        near(mix[j], f->weight[j], 1e-9, "recovered weight");
    for (size_t t = 0; t < NT; t++)
        near(t >= NPRE ? effect : 0.0, f->gap[t], 1e-9, "gap");
    near(effect, f->estimate, 1e-9, "estimate");
    assert_true(f->pre_rmspe < 1e-9);
}

static void test_sc_noiseless_single(void **state)
{
    (void)state;
    static const double mix[1][6] = {{0.5, 0, 0.3, 0, 0.2, 0}};
    const double effect[1] = {2.5};
    toy p;
    toy_build(&p, 1, mix, effect);
    we_design d = toy_design(&p, 1);
    we_sc_options o = {.placebo = 1};
    we_sc_result r;
    we_error err = {{0}};
    assert_int_equal(we_synth(p.y, &d, &o, &r, &err), WE_OK);
    assert_recovered(&r.average, mix[0], 2.5);
    assert_int_equal(r.n_units, 1);
    assert_recovered(&r.unit[0], mix[0], 2.5);
    assert_int_equal(r.n_placebos, 6);
    assert_string_equal(r.note, "");
    we_sc_result_free(&r);
}

static void test_sc_noiseless_multi(void **state)
{
    (void)state;
    static const double mix[2][6] = {{0.5, 0, 0.3, 0, 0.2, 0},
                                     {0, 0.6, 0, 0.4, 0, 0}};
    const double effect[2] = {2.0, -1.0};
    toy p;
    toy_build(&p, 2, mix, effect);
    we_design d = toy_design(&p, 2);
    we_sc_result r;
    we_error err = {{0}};
    assert_int_equal(we_synth(p.y, &d, NULL, &r, &err), WE_OK);
    assert_int_equal(r.n_units, 2);
    for (size_t u = 0; u < 2; u++) {
        assert_int_equal(r.unit[u].unit, (long)(6 + u));
        assert_recovered(&r.unit[u], mix[u], effect[u]);
    }
    double avg[6];
    for (size_t j = 0; j < 6; j++)
        avg[j] = (mix[0][j] + mix[1][j]) / 2.0;
    assert_int_equal(r.average.unit, -1);
    assert_recovered(&r.average, avg, 0.5);
    assert_true(isnan(r.average.p_value)); /* no placebos asked */
    we_sc_result_free(&r);
}

/* Missing values: a donor without a pre value is dropped and named; a
 * weighted donor without a post value leaves that period's gap undefined. */
static void test_sc_missing(void **state)
{
    (void)state;
    static const double mix[1][6] = {{0.5, 0, 0.3, 0, 0.2, 0}};
    const double effect[1] = {2.5};
    toy p;
    toy_build(&p, 1, mix, effect);
    p.y[1 * NT + 3] = NAN;      /* donor 1, a pre period */
    p.y[2 * NT + NPRE + 1] = NAN; /* donor 2 (weight 0.3), a post period */
    we_design d = toy_design(&p, 1);
    we_sc_result r;
    we_error err = {{0}};
    assert_int_equal(we_synth(p.y, &d, NULL, &r, &err), WE_OK);
    assert_int_equal(r.dropped[1], 1);
    assert_int_equal(r.dropped[2], 0);
    assert_non_null(strstr(r.note, "by index): 1."));
    assert_true(r.average.weight[1] == 0.0);
    assert_true(isnan(r.average.gap[NPRE + 1]));
    assert_int_equal(r.average.n_post, NT - NPRE - 1);
    near(2.5, r.average.estimate, 1e-9, "estimate without the gap");
    we_sc_result_free(&r);
}

static void test_sc_errors(void **state)
{
    (void)state;
    static const double mix[2][6] = {{0.5, 0, 0.3, 0, 0.2, 0},
                                     {0, 0.6, 0, 0.4, 0, 0}};
    const double effect[2] = {1.0, 1.0};
    toy p;
    toy_build(&p, 2, mix, effect);
    we_design d = toy_design(&p, 2);
    we_sc_result r;
    we_error err = {{0}};
    p.from[7] = NPRE + 1;
    assert_int_equal(we_synth(p.y, &d, NULL, &r, &err), WE_EINVAL);
    assert_non_null(strstr(err.msg, "one common start"));
    we_sc_result_free(&r);
    p.from[6] = p.from[7] = 0;
    assert_int_equal(we_synth(p.y, &d, NULL, &r, &err), WE_ENODATA);
    assert_non_null(strstr(err.msg, "no pre-treatment period"));
    we_sc_result_free(&r);
    p.from[6] = p.from[7] = NPRE;
    for (size_t i = 0; i < 6; i++)
        p.in_sample[i] = 0;
    assert_int_equal(we_synth(p.y, &d, NULL, &r, &err), WE_ENODATA);
    assert_non_null(strstr(err.msg, "no donor"));
    we_sc_result_free(&r);
    we_sc_window bad = {3, 2};
    double x[8];
    assert_int_equal(we_sc_outcome_predictors(p.y, 8, NT, &bad, 1, x, &err),
                     WE_EINVAL);
    assert_non_null(strstr(err.msg, "reversed or outside"));
}

/* ---- prop99 synthetic control --------------------------------------------- */

static const char *const MULTI[] = {"California", "Nevada", "Utah"};

/* Checks one fit against the rows of `case_name`/`unit` in the fixture. */
static size_t check_fit(const rows *e, const panel *p, const char *case_name,
                        const char *unit, const we_sc_fit *f)
{
    size_t n = 0;
    for (size_t k = 0; k < e->n; k++) {
        char (*row)[96] = e->field[k];
        if (strcmp(row[0], case_name) || strcmp(row[1], unit))
            continue;
        double v = strtod(row[4], NULL), got = NAN;
        const char *key = row[2];
        if (!strcmp(key, "weight"))
            got = f->weight[area_index((panel *)p, row[3], 0)];
        else if (!strcmp(key, "v"))
            got = f->v[atoi(row[3])];
        else if (!strcmp(key, "gap"))
            got = f->gap[period_index(p, atoi(row[3]))];
        else if (!strcmp(key, "pre_rmspe"))
            got = f->pre_rmspe;
        else if (!strcmp(key, "post_rmspe"))
            got = f->post_rmspe;
        else if (!strcmp(key, "ratio"))
            got = f->ratio;
        else if (!strcmp(key, "estimate"))
            got = f->estimate;
        else if (!strcmp(key, "p_value"))
            got = f->p_value;
        else
            fail_msg("%s/%s: unknown key %s", case_name, unit, key);
        char what[160];
        snprintf(what, sizeof what, "%s %s %s %s", case_name, unit, key,
                 row[3]);
        near(v, got, TOL, what);
        n++;
    }
    return n;
}

static void check_case(const rows *e, const panel *p, const char *case_name,
                       const we_sc_result *r)
{
    size_t n = check_fit(e, p, case_name, "average", &r->average);
    for (size_t u = 0; u < r->n_units; u++)
        n += check_fit(e, p, case_name, p->area[r->unit[u].unit],
                       &r->unit[u]);
    for (size_t k = 0; k < e->n; k++)
        if (!strcmp(e->field[k][0], case_name) &&
            !strcmp(e->field[k][1], "placebo")) {
            size_t j = area_index((panel *)p, e->field[k][3], 0);
            near(strtod(e->field[k][4], NULL), r->placebo_ratio[j], TOL,
                 "placebo ratio");
            n++;
        } else if (!strcmp(e->field[k][0], case_name) &&
                   !strcmp(e->field[k][1], "group")) {
            /* the average's placebo groups, in draw order */
            size_t b = (size_t)atol(e->field[k][3]);
            assert_true(b < r->n_groups);
            near(strtod(e->field[k][4], NULL), r->group_ratio[b], TOL,
                 "placebo group ratio");
            n++;
        }
    for (size_t k = 0; k < e->n; k++)
        n -= !strcmp(e->field[k][0], case_name) &&
             strcmp(e->field[k][2], "window") != 0;
    assert_int_equal(n, 0); /* every fixture row of the case was checked */
}

/* KKT of the headline outcome-path fit, recomputed from the panel. */
static void assert_prop99_kkt(const panel *p, const we_sc_result *r)
{
    size_t ca = area_index((panel *)p, "California", 0), m = 19, n = 0;
    double A[MAX_AREAS * 19], b[19], w[MAX_AREAS];
    for (size_t i = 0; i < p->A; i++) {
        if (i == ca)
            continue;
        for (size_t t = 0; t < m; t++)
            A[n * m + t] = p->y[i * p->T + t];
        w[n++] = r->average.weight[i];
    }
    for (size_t t = 0; t < m; t++)
        b[t] = p->y[ca * p->T + t];
    assert_kkt(A, m, n, b, w, "prop99 outcome path");
    assert_true(r->average.kkt <= KKT_TOL);
}

static void test_prop99_sc_outcome(void **state)
{
    (void)state;
    panel p;
    read_panel(&p);
    treat(&p, "California", 1989);
    we_design d = design_of(&p);
    rows e = read_rows("synth_expected.csv");
    we_sc_options o = {.placebo = 1};
    we_sc_result r, again;
    we_error err = {{0}};
    worst_seen = 0;
    assert_int_equal(we_synth(p.y, &d, &o, &r, &err), WE_OK);
    check_case(&e, &p, "outcome", &r);
    assert_prop99_kkt(&p, &r);
    /* the placebo p-value is deterministic and is the rank formula */
    assert_int_equal(we_synth(p.y, &d, &o, &again, &err), WE_OK);
    assert_true(again.average.p_value == r.average.p_value);
    size_t above = 0;
    for (size_t i = 0; i < p.A; i++)
        above += r.placebo_ratio[i] >= r.average.ratio;
    assert_int_equal(r.n_placebos, 38);
    assert_true(r.average.p_value == (1.0 + (double)above) / 39.0);
    print_message("prop99 SC outcome: estimate %.6f, p %.4f, worst "
                  "difference to R %.2e\n", r.average.estimate,
                  r.average.p_value, worst_seen);
    we_sc_result_free(&r);
    we_sc_result_free(&again);
    free(e.field);
}

static size_t read_windows(const rows *e, we_sc_window *win)
{
    size_t n = 0;
    for (size_t k = 0; k < e->n; k++)
        if (!strcmp(e->field[k][2], "window")) {
            unsigned a, b;
            assert_int_equal(sscanf(e->field[k][4], "%u %u", &a, &b), 2);
            win[n++] = (we_sc_window){a, b};
        }
    return n;
}

static void test_prop99_sc_predictors(void **state)
{
    (void)state;
    panel p;
    read_panel(&p);
    treat(&p, "California", 1989);
    we_design d = design_of(&p);
    rows e = read_rows("synth_expected.csv");
    we_sc_window win[MAX_PERIODS];
    size_t k = read_windows(&e, win);
    assert_int_equal(k, 21);
    double *x = malloc(p.A * k * sizeof *x);
    we_error err = {{0}};
    assert_int_equal(we_sc_outcome_predictors(p.y, p.A, p.T, win, k, x, &err),
                     WE_OK);
    we_sc_options o = {.x = x, .n_pred = k, .v_mode = WE_SC_V_INVVAR,
                       .placebo = 1};
    we_sc_result r;
    worst_seen = 0;
    assert_int_equal(we_synth(p.y, &d, &o, &r, &err), WE_OK);
    check_case(&e, &p, "predictors_invvar", &r);
    print_message("prop99 SC predictors: estimate %.6f, worst difference to "
                  "R %.2e\n", r.average.estimate, worst_seen);
    double invvar_mspe = r.average.pre_rmspe * r.average.pre_rmspe;
    we_sc_result_free(&r);
    /* The nested V can only lower the pre-period MSPE of its start. */
    o.v_mode = WE_SC_V_OPTIMISE;
    o.placebo = 0;
    assert_int_equal(we_synth(p.y, &d, &o, &r, &err), WE_OK);
    double s = 0;
    for (size_t q = 0; q < k; q++)
        s += r.average.v[q];
    near(1.0, s, 1e-12, "sum of v");
    assert_true(r.average.pre_rmspe * r.average.pre_rmspe <=
                invvar_mspe * (1 + 1e-12));
    print_message("prop99 SC optimised V: estimate %.6f, pre-RMSPE %.6f "
                  "(inverse variance %.6f)\n", r.average.estimate,
                  r.average.pre_rmspe, sqrt(invvar_mspe));
    we_sc_result_free(&r);
    free(x);
    free(e.field);
}

/* Three treated states: the average's placebos are 200 groups of three
 * donors (synth_placebo.c's draws, reproduced in R); in the clustered
 * case clusters of four states in panel order stand in for
 * municipalities and two of the treated share one, so each group holds
 * two donors of one cluster and one of another. */
static void sc_multi_case(const char *name, const char *const *tr,
                          int clustered)
{
    panel p;
    read_panel(&p);
    for (size_t u = 0; u < 3; u++)
        treat(&p, tr[u], 1989);
    for (size_t i = 0; clustered && i < p.A; i++)
        p.cluster[i] = (int)(i / 4);
    we_design d = design_of(&p);
    rows e = read_rows("synth_expected.csv");
    we_sc_options o = {.placebo = 1, .reps = 200, .seed = 20081107};
    we_sc_result r;
    we_error err = {{0}};
    worst_seen = 0;
    assert_int_equal(we_synth(p.y, &d, &o, &r, &err), WE_OK);
    assert_int_equal(r.n_units, 3);
    assert_int_equal(r.n_groups, 200);
    assert_false(r.groups_exact);
    assert_int_equal(r.n_placebos, 36); /* the per-state fits' placebos */
    check_case(&e, &p, name, &r);
    print_message("prop99 SC %s: average %.6f, p %.4f among %zu groups, "
                  "worst difference to R %.2e\n",
                  name, r.average.estimate, r.average.p_value,
                  r.average_placebos, worst_seen);
    we_sc_result_free(&r);
    free(e.field);
}

static void test_prop99_sc_multi(void **state)
{
    (void)state;
    sc_multi_case("multi", MULTI, 0);
    static const char *const shared[] = {"California", "Colorado", "Utah"};
    sc_multi_case("multi_clustered", shared, 1);
}

/* ---- SDID ----------------------------------------------------------------- */

static size_t check_sdid(const rows *e, const panel *p, const char *case_name,
                         const we_sdid_result *r)
{
    size_t n = 0;
    for (size_t k = 0; k < e->n; k++) {
        char (*row)[96] = e->field[k];
        if (strcmp(row[0], case_name))
            continue;
        const char *key = row[1];
        double v = strtod(row[3], NULL), got;
        if (!strcmp(key, "omega"))
            got = r->omega[area_index((panel *)p, row[2], 0)];
        else if (!strcmp(key, "lambda"))
            got = r->lambda[period_index(p, atoi(row[2]))];
        else if (!strcmp(key, "curve"))
            got = r->curve[period_index(p, atoi(row[2]))];
        else if (!strcmp(key, "estimate"))
            got = r->estimate;
        else if (!strcmp(key, "noise_level"))
            got = r->noise_level;
        else if (!strcmp(key, "zeta_omega"))
            got = r->zeta_omega;
        else if (!strcmp(key, "zeta_lambda"))
            got = r->zeta_lambda;
        else if (!strcmp(key, "iter_omega"))
            got = (double)r->iter_omega;
        else if (!strcmp(key, "iter_lambda"))
            got = (double)r->iter_lambda;
        else
            continue; /* SE rows: checked by the caller */
        char what[160];
        snprintf(what, sizeof what, "SDID %s %s %s", case_name, key, row[2]);
        near(v, got, TOL, what);
        n++;
    }
    return n;
}

static double fixture_value(const rows *e, const char *case_name,
                            const char *key)
{
    for (size_t k = 0; k < e->n; k++)
        if (!strcmp(e->field[k][0], case_name) &&
            !strcmp(e->field[k][1], key))
            return strtod(e->field[k][3], NULL);
    fail_msg("sdid_expected.csv has no %s %s", case_name, key);
    return NAN;
}

static void test_prop99_sdid(void **state)
{
    (void)state;
    panel p;
    read_panel(&p);
    treat(&p, "California", 1989);
    we_design d = design_of(&p);
    rows e = read_rows("sdid_expected.csv");
    we_sdid_options o = {WE_SDID_VAR_AUTO,
                         (size_t)fixture_value(&e, "prop99", "reps"),
                         (uint64_t)fixture_value(&e, "prop99", "seed"), 0};
    we_sdid_result r;
    we_error err = {{0}};
    worst_seen = 0;
    assert_int_equal(we_sdid(p.y, &d, &o, &r, &err), WE_OK);
    assert_int_equal(r.variance, WE_SDID_VAR_PLACEBO);
    assert_int_equal(r.reps, 200);
    assert_int_equal(check_sdid(&e, &p, "prop99", &r), 38 + 19 + 12 + 6);
    near(fixture_value(&e, "prop99", "se_placebo"), r.se, TOL, "placebo SE");
    print_message("prop99 SDID: tau %.6f, placebo SE %.6f, worst difference "
                  "to R %.2e\n", r.estimate, r.se, worst_seen);
    near(-15.60383, r.estimate, 5e-6, "published synthdid estimate");
    near(r.estimate - 1.959963984540054 * r.se, r.ci_low, 1e-12, "ci_low");
    we_sdid_result_free(&r);
    free(e.field);
}

static void test_prop99_sdid_multi(void **state)
{
    (void)state;
    panel p;
    read_panel(&p);
    for (size_t u = 0; u < 3; u++)
        treat(&p, MULTI[u], 1989);
    we_design d = design_of(&p);
    rows e = read_rows("sdid_expected.csv");
    we_sdid_options o = {WE_SDID_VAR_AUTO, 0, 0, 0};
    we_sdid_result r;
    we_error err = {{0}};
    worst_seen = 0;
    assert_int_equal(we_sdid(p.y, &d, &o, &r, &err), WE_OK);
    assert_int_equal(r.variance, WE_SDID_VAR_JACKKNIFE);
    assert_int_equal(check_sdid(&e, &p, "multi", &r), 36 + 19 + 12 + 6);
    near(fixture_value(&e, "multi", "se_jackknife"), r.se, TOL, "jackknife");
    /* The jackknife from the units' contrasts; the reference leaves each
     * unit out of a copy of the block. */
    size_t zero = 0;
    for (size_t i = 0; i < d.n_areas; i++)
        zero += d.treated_from[i] < 0 && r.omega[i] == 0.0;
    double fast_se = r.se;
    we_sdid_result_free(&r);
    we_use_reference_paths(1);
    assert_int_equal(we_sdid(p.y, &d, &o, &r, &err), WE_OK);
    we_use_reference_paths(0);
    print_message("jackknife: %zu controls of weight zero; SE %.17g (fast) "
                  "and %.17g (reference)\n", zero, fast_se, r.se);
    assert_true(zero >= 2);
    assert_true(fabs(fast_se - r.se) <= 1e-12 * r.se);
    we_sdid_result_free(&r);
    o = (we_sdid_options){WE_SDID_VAR_BOOTSTRAP,
                          (size_t)fixture_value(&e, "multi", "reps"),
                          (uint64_t)fixture_value(&e, "multi", "seed"), 0};
    assert_int_equal(we_sdid(p.y, &d, &o, &r, &err), WE_OK);
    near(fixture_value(&e, "multi", "se_bootstrap"), r.se, TOL, "bootstrap");
    print_message("prop99 SDID three treated: tau %.6f, bootstrap SE %.6f, "
                  "worst difference to R %.2e\n", r.estimate, r.se,
                  worst_seen);
    we_sdid_result_free(&r);
    free(e.field);
}

/* y = a_i + b_t + tau D (+ noise): with parallel trends any weights that
 * sum to one give tau exactly, so SDID must. */
static void build_twoway(double *y, long *from, unsigned char *in,
                         int *cl, size_t *fu, double tau, double noise)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 3);
    for (size_t i = 0; i < 20; i++) {
        double a = 10.0 * gsl_ran_gaussian(rng, 1.0);
        for (size_t t = 0; t < 12; t++) {
            double b = 3.0 * sin((double)t) + 0.5 * (double)t;
            y[i * 12 + t] = a + b + (i >= 17 && t >= 8 ? tau : 0.0) +
                            noise * gsl_ran_gaussian(rng, 1.0);
        }
        from[i] = i >= 17 ? 8 : -1;
        in[i] = 1;
        cl[i] = (int)i;
    }
    for (size_t k = 0; k < 4; k++)
        fu[k] = 8 + k;
    gsl_rng_free(rng);
}

static void test_sdid_known_effect(void **state)
{
    (void)state;
    double y[240];
    long from[20];
    unsigned char in[20];
    int cl[20];
    size_t fu[4];
    build_twoway(y, from, in, cl, fu, 4.0, 0.0);
    we_design d = {20, 12, from, in, cl, 7, fu, 4, 0.05};
    we_sdid_result r;
    we_error err = {{0}};
    assert_int_equal(we_sdid(y, &d, NULL, &r, &err), WE_OK);
    near(4.0, r.estimate, 1e-9, "two-way panel effect");
    for (size_t t = 8; t < 12; t++)
        near(4.0, r.curve[t], 1e-9, "effect curve");
    assert_int_equal(r.variance, WE_SDID_VAR_JACKKNIFE);
    assert_true(r.se < 1e-9);
    we_sdid_result_free(&r);
    /* with noise: close to the effect, and the interval covers it */
    build_twoway(y, from, in, cl, fu, 4.0, 0.5);
    assert_int_equal(we_sdid(y, &d, NULL, &r, &err), WE_OK);
    assert_true(fabs(r.estimate - 4.0) < 1.0);
    assert_true(r.ci_low < 4.0 && 4.0 < r.ci_high);
    double s = 0;
    for (size_t i = 0; i < 20; i++)
        s += r.omega[i];
    near(1.0, s, 1e-12, "sum of omega");
    print_message("two-way panel with noise: tau %.4f, jackknife SE %.4f\n",
                  r.estimate, r.se);
    we_sdid_result_free(&r);
}

/* SC's test inversion with an empty confidence set: one treated area
 * fitted closely before the start, whose gaps after it swing +-4 around
 * a mean near 0. Every constant effect leaves that swing, far above what
 * the critical placebo ratio allows: ci_empty, no interval, and the
 * placebo p is the smallest (the swing itself is the treated's ratio). */
static void test_sc_empty_confidence_set(void **state)
{
    (void)state;
    enum { A = 26, T = 10, G = 6 };
    static double y[A * T];
    static long from[A];
    static unsigned char in[A];
    static size_t fu[T - G];
    for (size_t i = 0; i < A; i++) {
        from[i] = i == 0 ? G : -1;
        in[i] = 1;
        for (size_t t = 0; t < T; t++)
            y[i * T + t] = 10.0 + sin(1.3 * (double)i + 0.7 * (double)t) +
                           0.2 * cos(2.9 * (double)i * (double)t);
    }
    for (size_t t = 0; t < T; t++) /* donors 1 and 2, a little noise */
        y[t] =
            0.5 * (y[T + t] + y[2 * T + t]) +
            (t < G ? 0.05 * ((t % 2) ? 1.0 : -1.0) : ((t % 2) ? 4.0 : -4.0));
    for (size_t k = 0; k < T - G; k++)
        fu[k] = G + k;
    we_design d = {.n_areas = A,
                   .n_periods = T,
                   .treated_from = from,
                   .in_sample = in,
                   .baseline = G - 1,
                   .followup = fu,
                   .n_followup = T - G,
                   .alpha = 0.05};
    we_sc_options o = {.placebo = 1};
    we_sc_result r;
    we_error err = {{0}};
    assert_int_equal(we_synth(y, &d, &o, &r, &err), WE_OK);
    print_message("empty set: estimate %.3f, p %.4f, ratio %.1f\n",
                  r.average.estimate, r.average.p_value, r.average.ratio);
    assert_int_equal(r.average_placebos, A - 1);
    near(1.0 / (double)A, r.average.p_value, 1e-12, "smallest p");
    assert_true(r.average.ci_empty);
    assert_true(isnan(r.average.ci_low) && isnan(r.average.ci_high));
    /* with alpha so small that no test can reject: the whole line */
    d.alpha = 0.01;
    we_sc_result_free(&r);
    assert_int_equal(we_synth(y, &d, &o, &r, &err), WE_OK);
    assert_false(r.average.ci_empty);
    assert_true(isinf(r.average.ci_low) && isinf(r.average.ci_high));
    /* a constant effect of 4 and a looser fit before the start: the
     * interval exists and holds it */
    for (size_t t = 0; t < T; t++)
        y[t] = 0.5 * (y[T + t] + y[2 * T + t]) +
               (t < G ? 0.3 * ((t % 2) ? 1.0 : -1.0) : 4.0);
    d.alpha = 0.05;
    we_sc_result_free(&r);
    assert_int_equal(we_synth(y, &d, &o, &r, &err), WE_OK);
    assert_false(r.average.ci_empty);
    assert_true(r.average.ci_low < 4.0 && 4.0 < r.average.ci_high);
    we_sc_result_free(&r);
}

static void test_sdid_seed_and_errors(void **state)
{
    (void)state;
    double y[240];
    long from[20];
    unsigned char in[20];
    int cl[20];
    size_t fu[4];
    build_twoway(y, from, in, cl, fu, 4.0, 0.5);
    we_design d = {20, 12, from, in, cl, 7, fu, 4, 0.05};
    we_sdid_options o = {WE_SDID_VAR_PLACEBO, 50, 42, 0};
    we_sdid_result a, b;
    we_error err = {{0}};
    assert_int_equal(we_sdid(y, &d, &o, &a, &err), WE_OK);
    assert_int_equal(we_sdid(y, &d, &o, &b, &err), WE_OK);
    assert_true(a.se == b.se && a.se > 0);
    we_sdid_result_free(&b);
    o.seed = 43;
    assert_int_equal(we_sdid(y, &d, &o, &b, &err), WE_OK);
    assert_true(a.se != b.se);
    we_sdid_result_free(&a);
    we_sdid_result_free(&b);
    y[3 * 12 + 2] = NAN; /* a control with a missing pre value */
    assert_int_equal(we_sdid(y, &d, &o, &a, &err), WE_OK);
    assert_int_equal(a.dropped[3], 1);
    assert_int_equal(a.n_control, 16);
    assert_true(a.omega[3] == 0.0);
    assert_non_null(strstr(a.note, "by index): 3."));
    we_sdid_result_free(&a);
    from[18] = 9;
    assert_int_equal(we_sdid(y, &d, &o, &a, &err), WE_EINVAL);
    assert_non_null(strstr(err.msg, "one common start"));
    we_sdid_result_free(&a);
    from[18] = 8;
    o.reps = 1;
    assert_int_equal(we_sdid(y, &d, &o, &a, &err), WE_EINVAL);
    assert_non_null(strstr(err.msg, "at least 2"));
    we_sdid_result_free(&a);
    o = (we_sdid_options){WE_SDID_VAR_BOOTSTRAP, 20, 1, 0};
    for (size_t i = 17; i < 19; i++)
        from[i] = -1; /* one treated area left */
    assert_int_equal(we_sdid(y, &d, &o, &a, &err), WE_OK);
    assert_true(isnan(a.se) && isnan(a.p_value));
    assert_non_null(strstr(a.note, "at least two treated"));
    we_sdid_result_free(&a);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simplex_kkt_random),
        cmocka_unit_test(test_simplex_errors),
        cmocka_unit_test(test_sc_noiseless_single),
        cmocka_unit_test(test_sc_noiseless_multi),
        cmocka_unit_test(test_sc_missing),
        cmocka_unit_test(test_sc_errors),
        cmocka_unit_test(test_prop99_sc_outcome),
        cmocka_unit_test(test_prop99_sc_predictors),
        cmocka_unit_test(test_prop99_sc_multi),
        cmocka_unit_test(test_prop99_sdid),
        cmocka_unit_test(test_prop99_sdid_multi),
        cmocka_unit_test(test_sdid_known_effect),
        cmocka_unit_test(test_sdid_seed_and_errors),
        cmocka_unit_test(test_sc_empty_confidence_set),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
