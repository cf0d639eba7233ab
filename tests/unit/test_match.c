/* Matched comparison areas (core/src/methods/match.h):
 *  - Lalonde / NSW against MatchIt (tests/oracle/matching_reference.R):
 *    propensity scores and logit coefficients, matched sets, weights and
 *    balance tables of five variants;
 *  - small examples whose answers are worked out by hand in the comments:
 *    Mahalanobis distance, same-municipality restriction, with and without
 *    replacement;
 *  - a simulated panel where treatment is selected on the pre-period path:
 *    matching must restore balance and remove the bias of the DiD;
 *  - missing values, notes and errors;
 *  - Card and Krueger (1994): we_did_2x2 against lm_robust
 *    (tests/oracle/card_krueger_reference.R).
 * Fixtures are read with stdio and strtod only, from tests/oracle/fixtures
 * (run from the repository root) or $WE_ORACLE_FIXTURES. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "methods/match.h"
#include "methods/methods.h"

#define REL_TOL 1e-8
#define ABS_TOL 1e-10
#define REGENERATE "regenerate with: Rscript tests/oracle/matching_reference.R"

static int close_enough(double expected, double got)
{
    if (isnan(expected) || isnan(got))
        return isnan(expected) && isnan(got);
    double scale = fmax(fabs(expected), fabs(got));
    return fabs(expected - got) <= fmax(ABS_TOL, REL_TOL * scale);
}

/* ---- a minimal CSV table ---------------------------------------------- */

/* Whole file in one buffer, fields NUL-terminated in place, surrounding
 * double quotes removed (the source files quote strings; no field holds a
 * comma). Row 0 is the header. */
typedef struct table {
    char path[600];
    char *buf;
    size_t n_rows, n_cols, cap;
    char **cell;
} table;

static void table_free(table *t)
{
    free(t->buf);
    free(t->cell);
    memset(t, 0, sizeof *t);
}

static const char *fixtures_dir(void)
{
    const char *env = getenv("WE_ORACLE_FIXTURES");
    return env != NULL && *env ? env : "tests/oracle/fixtures";
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("%s: cannot open (%s); run from the repository root or set "
                 "WE_ORACLE_FIXTURES", path, strerror(errno));
    size_t len = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    while (buf != NULL) {
        len += fread(buf + len, 1, cap - len - 1, f);
        if (len < cap - 1)
            break;
        cap *= 2;
        char *grown = realloc(buf, cap);
        if (grown == NULL)
            free(buf);
        buf = grown;
    }
    fclose(f);
    if (buf == NULL)
        fail_msg("%s: out of memory", path);
    buf[len] = '\0';
    return buf;
}

static char *unquote(char *s)
{
    size_t len = strlen(s);
    if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
        s[len - 1] = '\0';
        return s + 1;
    }
    return s;
}

static void table_add(table *t, char *line, size_t line_no)
{
    size_t n = 1;
    for (const char *c = line; *c; c++)
        n += *c == ',';
    if (t->n_cols == 0)
        t->n_cols = n;
    if (n != t->n_cols)
        fail_msg("%s:%zu:1: %zu fields, the header has %zu; " REGENERATE,
                 t->path, line_no, n, t->n_cols);
    if (t->n_rows == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 1024;
        t->cell = realloc(t->cell, t->cap * n * sizeof *t->cell);
        assert_non_null(t->cell);
    }
    char *p = line;
    for (size_t c = 0; c < n; c++) {
        char *start = p;
        p += strcspn(p, ",");
        if (*p == ',')
            *p++ = '\0';
        t->cell[t->n_rows * n + c] = unquote(start);
    }
    t->n_rows++;
}

static void table_load(table *t, const char *dataset, const char *file)
{
    memset(t, 0, sizeof *t);
    snprintf(t->path, sizeof t->path, "%s/%s/%s", fixtures_dir(), dataset,
             file);
    t->buf = slurp(t->path);
    char *p = t->buf;
    for (size_t line_no = 1; *p != '\0'; line_no++) {
        char *eol = strchr(p, '\n');
        if (eol != NULL)
            *eol = '\0';
        size_t len = strlen(p);
        if (len > 0 && p[len - 1] == '\r')
            p[--len] = '\0';
        if (len > 0)
            table_add(t, p, line_no);
        p = eol != NULL ? eol + 1 : p + len;
    }
    if (t->n_rows < 2)
        fail_msg("%s:1:1: no data rows; " REGENERATE, t->path);
}

static const char *cell(const table *t, size_t r, size_t c)
{
    return t->cell[r * t->n_cols + c];
}

static size_t col(const table *t, const char *name)
{
    for (size_t c = 0; c < t->n_cols; c++)
        if (strcmp(cell(t, 0, c), name) == 0)
            return c;
    fail_msg("%s:1:1: no column '%s'; " REGENERATE, t->path, name);
    return 0;
}

/* Empty or NA: NaN; anything else must parse completely. */
static double num(const table *t, size_t r, size_t c)
{
    const char *s = cell(t, r, c);
    if (*s == '\0' || strcmp(s, "NA") == 0)
        return NAN;
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end != '\0')
        fail_msg("%s: row %zu, column %zu: '%s' is not a number; "
                 REGENERATE, t->path, r + 1, c + 1, s);
    return v;
}

/* ---- Lalonde ---------------------------------------------------------- */

/* Logit / Mahalanobis features, in the order of R's model matrix with
 * treatment contrasts (black = reference race). */
#define N_X 8
/* Balance features: MatchIt lists every race level, then the score. */
#define N_B 10
static const char *const BAL_NAMES[N_B] = {
    "age", "educ", "raceblack", "racehispan", "racewhite", "married",
    "nodegree", "re74", "re75", "ps"};

typedef struct lalonde {
    int loaded;
    table src;
    size_t n;
    const char **id;
    unsigned char *treat;
    int *married;
    double *X; /* n x N_X */
    double *B; /* n x N_B; column 9 is the C propensity score */
} lalonde;

static lalonde LAL;

static long lalonde_row(const char *id)
{
    for (size_t i = 0; i < LAL.n; i++)
        if (strcmp(LAL.id[i], id) == 0)
            return (long)i;
    fail_msg("lalonde: unknown id '%s'; " REGENERATE, id);
    return -1;
}

static void lalonde_fill_row(size_t i, size_t r, const size_t *c)
{
    const table *t = &LAL.src;
    const char *race = cell(t, r, c[2]);
    double black = strcmp(race, "black") == 0;
    double hisp = strcmp(race, "hispan") == 0;
    double white = strcmp(race, "white") == 0;
    if (black + hisp + white != 1)
        fail_msg("%s: row %zu: race '%s' is not black, hispan or white",
                 t->path, r + 1, race);
    double age = num(t, r, c[0]), educ = num(t, r, c[1]);
    double mar = num(t, r, c[3]), nod = num(t, r, c[4]);
    double re74 = num(t, r, c[5]), re75 = num(t, r, c[6]);
    double x[N_X] = {age, educ, hisp, white, mar, nod, re74, re75};
    double b[N_B] = {age, educ, black, hisp, white, mar, nod, re74, re75,
                     NAN};
    memcpy(LAL.X + i * N_X, x, sizeof x);
    memcpy(LAL.B + i * N_B, b, sizeof b);
    LAL.married[i] = (int)mar;
}

static void lalonde_load(void)
{
    if (LAL.loaded)
        return;
    table *t = &LAL.src;
    table_load(t, "lalonde", "lalonde_matchit.csv");
    LAL.n = t->n_rows - 1;
    LAL.id = calloc(LAL.n, sizeof *LAL.id);
    LAL.treat = calloc(LAL.n, 1);
    LAL.married = calloc(LAL.n, sizeof *LAL.married);
    LAL.X = calloc(LAL.n * N_X, sizeof *LAL.X);
    LAL.B = calloc(LAL.n * N_B, sizeof *LAL.B);
    assert_true(LAL.id && LAL.treat && LAL.married && LAL.X && LAL.B);
    size_t c_id = col(t, "id"), c_treat = col(t, "treat");
    size_t c[7] = {col(t, "age"), col(t, "educ"), col(t, "race"),
                   col(t, "married"), col(t, "nodegree"), col(t, "re74"),
                   col(t, "re75")};
    for (size_t i = 0; i < LAL.n; i++) {
        LAL.id[i] = cell(t, i + 1, c_id);
        LAL.treat[i] = num(t, i + 1, c_treat) == 1;
        lalonde_fill_row(i, i + 1, c);
    }
    LAL.loaded = 1;
}

static void lalonde_free(void)
{
    table_free(&LAL.src);
    free(LAL.id);
    free(LAL.treat);
    free(LAL.married);
    free(LAL.X);
    free(LAL.B);
    memset(&LAL, 0, sizeof LAL);
}

static void run_match(const double *X, size_t n, size_t p,
                      const unsigned char *treat, const we_match_opts *o,
                      we_match_result *r)
{
    we_error err = {{0}};
    int rc = we_match_features(X, n, p, treat, NULL, NULL, o, r, &err);
    if (rc != WE_OK)
        fail_msg("we_match_features: %d: %s", rc, err.msg);
}

/* ---- Lalonde: propensity score ---------------------------------------- */

static void test_lalonde_propensity(void **state)
{
    (void)state;
    lalonde_load();
    we_match_opts o = {WE_MATCH_PROPENSITY, 1, 0, NULL};
    we_match_result r;
    run_match(LAL.X, LAL.n, N_X, LAL.treat, &o, &r);

    table ps;
    table_load(&ps, "lalonde", "ps.csv");
    assert_int_equal(ps.n_rows - 1, LAL.n);
    size_t c_id = col(&ps, "id"), c_ps = col(&ps, "ps");
    double worst = 0;
    int bad = 0;
    for (size_t k = 1; k < ps.n_rows; k++) {
        long i = lalonde_row(cell(&ps, k, c_id));
        double want = num(&ps, k, c_ps), got = r.score[i];
        worst = fmax(worst, fabs(want - got));
        if (!close_enough(want, got) && bad++ < 5)
            print_error("ps %s: MatchIt %.17g, C %.17g\n", LAL.id[i], want,
                        got);
    }
    print_message("lalonde: largest |ps difference| to MatchIt %.3g "
                  "(%d IRLS iterations)\n", worst, r.iterations);

    table coef;
    table_load(&coef, "lalonde", "ps_coef.csv");
    assert_int_equal(coef.n_rows - 1, r.n_coef);
    for (size_t j = 0; j < r.n_coef; j++) {
        double want = num(&coef, j + 1, col(&coef, "estimate"));
        if (!close_enough(want, r.coef[j]) && bad++ < 10)
            print_error("coef %s: glm %.17g, C %.17g\n",
                        cell(&coef, j + 1, 0), want, r.coef[j]);
    }
    /* The C score becomes the balance table's `ps` column. */
    for (size_t i = 0; i < LAL.n; i++)
        LAL.B[i * N_B + 9] = r.score[i];
    table_free(&ps);
    table_free(&coef);
    we_match_result_free(&r);
    assert_int_equal(bad, 0);
}

/* ---- Lalonde: matching variants --------------------------------------- */

typedef struct lal_variant {
    const char *name;
    we_match_distance distance;
    size_t k;
    int replace, by_married;
} lal_variant;

static const lal_variant VARIANTS[] = {
    {"ps_nn1", WE_MATCH_PROPENSITY, 1, 0, 0},
    {"ps_nn2", WE_MATCH_PROPENSITY, 2, 0, 0},
    {"ps_nn2_replace", WE_MATCH_PROPENSITY, 2, 1, 0},
    {"ps_nn1_exact_married", WE_MATCH_PROPENSITY, 1, 0, 1},
    {"mahal_nn1", WE_MATCH_MAHALANOBIS, 1, 0, 0},
};

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* MatchIt's k matches of a unit with replacement are a set (its
 * partial_sort fixes no order among them): compare sorted. */
static int compare_matches(const lal_variant *v, const we_match_result *r)
{
    table t;
    table_load(&t, "lalonde", "matches.csv");
    size_t k = v->k, n = LAL.n;
    assert_in_range(k, 1, 4);
    long *want = malloc(n * k * sizeof *want);
    assert_non_null(want);
    for (size_t i = 0; i < n * k; i++)
        want[i] = -1;
    size_t cv = col(&t, "variant"), ct = col(&t, "treated");
    size_t cr = col(&t, "rank"), cc = col(&t, "control"), rows = 0;
    for (size_t q = 1; q < t.n_rows; q++) {
        if (strcmp(cell(&t, q, cv), v->name) != 0)
            continue;
        long i = lalonde_row(cell(&t, q, ct));
        size_t rank = (size_t)num(&t, q, cr);
        assert_in_range(rank, 1, k);
        const char *c = cell(&t, q, cc);
        want[(size_t)i * k + rank - 1] = *c ? lalonde_row(c) : -1;
        rows++;
    }
    assert_int_equal(rows, r->n_treated * k);
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        long got[4], ref[4];
        memcpy(got, r->match + i * k, k * sizeof *got);
        memcpy(ref, want + i * k, k * sizeof *ref);
        if (v->replace) {
            qsort(got, k, sizeof *got, cmp_long);
            qsort(ref, k, sizeof *ref, cmp_long);
        }
        if (memcmp(got, ref, k * sizeof *got) != 0 && bad++ < 5)
            print_error("%s: %s matched to row %ld, MatchIt row %ld\n",
                        v->name, LAL.id[i], got[0], ref[0]);
    }
    free(want);
    table_free(&t);
    return bad;
}

static int compare_weights(const lal_variant *v, const we_match_result *r)
{
    table t;
    table_load(&t, "lalonde", "weights.csv");
    size_t cv = col(&t, "variant"), ci = col(&t, "id"), cw = col(&t, "weight");
    int bad = 0;
    size_t rows = 0;
    for (size_t q = 1; q < t.n_rows; q++) {
        if (strcmp(cell(&t, q, cv), v->name) != 0)
            continue;
        long i = lalonde_row(cell(&t, q, ci));
        double want = num(&t, q, cw);
        rows++;
        if (!close_enough(want, r->weight[i]) && bad++ < 5)
            print_error("%s: weight of %s: MatchIt %.17g, C %.17g\n",
                        v->name, LAL.id[i], want, r->weight[i]);
        if ((want > 0) != (r->matched[i] != 0) && bad++ < 5)
            print_error("%s: %s matched flag %d\n", v->name, LAL.id[i],
                        r->matched[i]);
    }
    assert_int_equal(rows, LAL.n);
    table_free(&t);
    return bad;
}

static size_t bal_column(const char *name)
{
    for (size_t j = 0; j < N_B; j++)
        if (strcmp(BAL_NAMES[j], name) == 0)
            return j;
    fail_msg("balance.csv: unknown feature '%s'; " REGENERATE, name);
    return 0;
}

static const char *const BAL_FIELDS[8] = {
    "mean_treated_before", "mean_control_before", "smd_before",
    "var_ratio_before", "mean_treated_after", "mean_control_after",
    "smd_after", "var_ratio_after"};

static int compare_balance(const lal_variant *v, const we_match_result *r)
{
    we_balance_row rows[N_B];
    we_error err = {{0}};
    assert_int_equal(we_match_balance(LAL.B, LAL.n, N_B, LAL.treat, NULL,
                                      r->weight, rows, &err),
                     WE_OK);
    table t;
    table_load(&t, "lalonde", "balance.csv");
    size_t cv = col(&t, "variant"), cf = col(&t, "feature"), seen = 0;
    int bad = 0;
    for (size_t q = 1; q < t.n_rows; q++) {
        if (strcmp(cell(&t, q, cv), v->name) != 0)
            continue;
        const we_balance_row *b = &rows[bal_column(cell(&t, q, cf))];
        double got[8] = {b->before.mean_treated, b->before.mean_control,
                         b->before.smd, b->before.var_ratio,
                         b->after.mean_treated, b->after.mean_control,
                         b->after.smd, b->after.var_ratio};
        for (size_t f = 0; f < 8; f++) {
            double want = num(&t, q, col(&t, BAL_FIELDS[f]));
            if (!close_enough(want, got[f]) && bad++ < 8)
                print_error("%s %s %s: MatchIt %.17g, C %.17g\n", v->name,
                            cell(&t, q, cf), BAL_FIELDS[f], want, got[f]);
        }
        seen++;
    }
    assert_int_equal(seen, N_B);
    table_free(&t);
    return bad;
}

static void test_lalonde_variant(void **state)
{
    const lal_variant *v = *state;
    lalonde_load();
    if (isnan(LAL.B[9]))
        test_lalonde_propensity(NULL);
    we_match_opts o = {v->distance, v->k, v->replace,
                       v->by_married ? LAL.married : NULL};
    we_match_result r;
    run_match(LAL.X, LAL.n, N_X, LAL.treat, &o, &r);
    assert_int_equal(r.n_treated, 185);
    assert_int_equal(r.n_control, 429);
    for (size_t i = 0; v->by_married && i < LAL.n * v->k; i++)
        if (r.match[i] >= 0)
            assert_int_equal(LAL.married[r.match[i]],
                             LAL.married[i / v->k]);
    int bad = compare_matches(v, &r);
    bad += compare_weights(v, &r);
    bad += compare_balance(v, &r);
    we_match_result_free(&r);
    assert_int_equal(bad, 0);
}

/* ---- small examples, worked by hand ----------------------------------- */

/* Rows: T0 (-1, 0), T1 (1, 0) treated; A (0, 3), B (0, -3), C (2, 0),
 * D (-2, 0) comparison. Both group means are (0, 0), so the pooled
 * within-group covariance is diag((1 + 1 + 4 + 4) / 4, (9 + 9) / 4) =
 * diag(2.5, 4.5). Squared Mahalanobis distances from T0: D 0.4, A and B
 * 1/2.5 + 9/4.5 = 2.4, C 9/2.5 = 3.6 (Euclidean: D 1, C 3, A and B 3.16,
 * so the covariance decides the second match). T1 mirrors T0 with C and
 * D swapped. */
static const double TINY[] = {-1, 0, 1, 0, 0, 3, 0, -3, 2, 0, -2, 0};
static const unsigned char TINY_TREAT[] = {1, 1, 0, 0, 0, 0};
enum { T0, T1, A, B, C, D };

static void test_mahalanobis_by_hand(void **state)
{
    (void)state;
    we_match_result r;
    /* With replacement, 2 each: T0 {D, A}, T1 {C, A} (A before B: ties go
     * to the lower row). Raw control weights A 1/2 + 1/2, C 1/2, D 1/2,
     * scaled by 3 controls / 2 = A 1.5, C 0.75, D 0.75. */
    we_match_opts o = {WE_MATCH_MAHALANOBIS, 2, 1, NULL};
    run_match(TINY, 6, 2, TINY_TREAT, &o, &r);
    long want_r[] = {D, A, C, A};
    assert_memory_equal(r.match, want_r, sizeof want_r);
    double w_r[] = {1, 1, 1.5, 0, 0.75, 0.75};
    for (size_t i = 0; i < 6; i++)
        assert_true(close_enough(w_r[i], r.weight[i]));
    assert_int_equal(r.n_control_matched, 3);
    assert_non_null(r.note);
    assert_non_null(strstr(r.note, "comparison weights differ"));
    we_match_result_free(&r);

    /* Without replacement, data order, in rounds: round 1 T0 D, T1 C;
     * round 2 T0 A (2.4, tie with B), T1 B (A is taken). */
    o.replace = 0;
    run_match(TINY, 6, 2, TINY_TREAT, &o, &r);
    long want_n[] = {D, A, C, B};
    assert_memory_equal(r.match, want_n, sizeof want_n);
    for (size_t i = 0; i < 6; i++)
        assert_true(close_enough(1.0, r.weight[i]));
    for (size_t i = 2 * 2; i < 6 * 2; i++)
        assert_int_equal(r.match[i], -1);
    we_match_result_free(&r);
}

/* T2 (0, 0) joins the treated: the treated mean stays (0, 0), so the
 * pooled covariance is diag(10 / 5, 18 / 5) = diag(2, 3.6). Squared
 * distances from T0 (-1, 0): D 0.5, A and B 0.5 + 2.5 = 3, C 4.5. Groups:
 * T0, A, B in 1; T1, C, D in 2; T2 alone in 3. */
static const double TINY3[] = {-1, 0, 1, 0, 0, 0, 0, 3, 0, -3, 2, 0, -2, 0};
static const unsigned char TINY3_TREAT[] = {1, 1, 1, 0, 0, 0, 0};
static const char *const TINY3_LABELS[] = {"T0", "T1", "T2", "A",
                                           "B",  "C",  "D"};

static void test_same_municipality(void **state)
{
    (void)state;
    const int group[] = {1, 2, 3, 1, 1, 2, 2};
    we_match_opts o = {WE_MATCH_MAHALANOBIS, 1, 0, NULL};
    we_match_result r;
    we_error err = {{0}};
    /* Unrestricted, data order: T0 D (0.5), T1 C (0.5), T2 A (2.5 to A,
     * B; C and D are taken). */
    assert_int_equal(we_match_features(TINY3, 7, 2, TINY3_TREAT, NULL,
                                       TINY3_LABELS, &o, &r, &err),
                     WE_OK);
    long free_m[] = {6, 5, 3};
    assert_memory_equal(r.match, free_m, sizeof free_m);
    we_match_result_free(&r);

    /* Within municipality: T0 A (not D, which is nearer but in group 2),
     * T1 C, T2 none: left out of the matched sample and named. */
    o.group = group;
    assert_int_equal(we_match_features(TINY3, 7, 2, TINY3_TREAT, NULL,
                                       TINY3_LABELS, &o, &r, &err),
                     WE_OK);
    long in_m[] = {3, 5, -1};
    assert_memory_equal(r.match, in_m, sizeof in_m);
    const unsigned char sample[] = {1, 1, 0, 1, 0, 1, 0};
    assert_memory_equal(r.matched, sample, sizeof sample);
    assert_true(close_enough(0.0, r.weight[2]));
    assert_int_equal(r.n_treated_matched, 2);
    assert_non_null(r.note);
    assert_non_null(strstr(r.note, "1 treated area(s) without a comparison "
                                   "area left to match"));
    assert_non_null(strstr(r.note, "T2"));
    we_match_result_free(&r);

    /* Only T2 treated: nothing to match in its municipality. */
    const unsigned char only_t2[] = {0, 0, 1, 0, 0, 0, 0};
    assert_int_equal(we_match_features(TINY3, 7, 2, only_t2, NULL, NULL, &o,
                                       &r, &err),
                     WE_ENODATA);
    assert_non_null(strstr(err.msg, "in its municipality"));
    we_match_result_free(&r);
}

/* One feature; treated 0, 0.1, 5; comparison c0 0.04, c1 3, c2 10. */
static void test_replacement(void **state)
{
    (void)state;
    const double x[] = {0, 0.1, 5, 0.04, 3, 10};
    const unsigned char tr[] = {1, 1, 1, 0, 0, 0};
    we_match_opts o = {WE_MATCH_MAHALANOBIS, 1, 1, NULL};
    we_match_result r;
    /* With replacement: T0 and T1 both take c0, T2 takes c1. Raw weights
     * c0 2, c1 1; scaled by 2 controls / 3: c0 4/3, c1 2/3. */
    run_match(x, 6, 1, tr, &o, &r);
    long with[] = {3, 3, 4};
    assert_memory_equal(r.match, with, sizeof with);
    assert_true(close_enough(4.0 / 3.0, r.weight[3]));
    assert_true(close_enough(2.0 / 3.0, r.weight[4]));
    assert_true(close_enough(0.0, r.weight[5]));
    assert_int_equal(r.n_control_matched, 2);
    we_match_result_free(&r);
    /* Without: T0 c0; T1 c1 (2.9 beats 9.9); T2 c2, the only one left. */
    o.replace = 0;
    run_match(x, 6, 1, tr, &o, &r);
    long without[] = {3, 4, 5};
    assert_memory_equal(r.match, without, sizeof without);
    for (size_t i = 0; i < 6; i++)
        assert_true(close_enough(1.0, r.weight[i]));
    we_match_result_free(&r);
    /* Without replacement and k = 2: round 1 as above, round 2 finds
     * nothing left; each treated area is noted as short. */
    o.k = 2;
    run_match(x, 6, 1, tr, &o, &r);
    assert_non_null(r.note);
    assert_non_null(strstr(r.note, "3 treated area(s) with fewer than 2 "
                                   "matches"));
    we_match_result_free(&r);
}

/* ---- a panel with selection on the pre-period path -------------------- */

#define SIM_AREAS 600
#define SIM_T 8
#define SIM_BASE 4

typedef struct sim_panel {
    double y[SIM_AREAS * SIM_T];
    long from[SIM_AREAS];
    unsigned char in_sample[SIM_AREAS];
    int cluster[SIM_AREAS];
    size_t followup[SIM_T - SIM_BASE - 1];
    we_design d;
} sim_panel;

/* Levels a_i ~ N(0, 1) and trends -0.2 a_i + N(0, 0.05): low areas catch
 * up. Areas whose baseline-era level is low are treated from period 5
 * (deprived wijken get the programme); no true effect. A naive DiD then
 * credits the catching-up to the programme; the matched DiD should not. */
static void simulate(sim_panel *s)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(rng);
    gsl_rng_set(rng, 20070101);
    for (size_t i = 0; i < SIM_AREAS; i++) {
        double a = gsl_ran_gaussian(rng, 1.0);
        double slope = -0.2 * a + gsl_ran_gaussian(rng, 0.05);
        for (size_t t = 0; t < SIM_T; t++)
            s->y[i * SIM_T + t] = a + slope * (double)t +
                                  gsl_ran_gaussian(rng, 0.2);
        s->from[i] = a + gsl_ran_gaussian(rng, 1.0) < -1.8 ? SIM_BASE + 1
                                                            : -1;
        s->in_sample[i] = 1;
        s->cluster[i] = (int)i;
    }
    gsl_rng_free(rng);
    for (size_t f = 0; f < SIM_T - SIM_BASE - 1; f++)
        s->followup[f] = SIM_BASE + 1 + f;
    s->d = (we_design){SIM_AREAS, SIM_T, s->from, s->in_sample, s->cluster,
                       SIM_BASE, s->followup, SIM_T - SIM_BASE - 1, 0.05};
}

/* Matching must remove at least 70% of every feature's imbalance; the
 * one-dimensional propensity score must leave no |SMD| above 0.2. The
 * Mahalanobis distance on the whole path also weighs the period-to-period
 * noise (docs/methods.md), so it is held to the reduction only. */
static void check_balance_gain(const we_match_panel *mp, const char *what)
{
    double worst = 0;
    for (size_t j = 0; j < mp->n_features; j++) {
        const we_balance_row *b = &mp->balance[j];
        print_message("  %s, period %zu: SMD %.3f before, %.3f after\n",
                      what, mp->features[j].index, b->before.smd,
                      b->after.smd);
        assert_true(fabs(b->before.smd) > 1.0);
        assert_true(fabs(b->after.smd) < 0.3 * fabs(b->before.smd));
        worst = fmax(worst, fabs(b->after.smd));
    }
    if (mp->m.coef != NULL) /* propensity score */
        assert_true(worst < 0.2);
}

/* Without replacement every control weight is 1, so an unweighted method
 * on the matched sample is the matched comparison: the DiD must lose at
 * least three quarters of the naive bias. With replacement the weights
 * differ and a note says so. */
static void check_matched_did(const sim_panel *s, const we_match_panel *mp,
                              double naive, const char *what)
{
    int unequal = mp->m.note != NULL &&
                  strstr(mp->m.note, "weights differ") != NULL;
    if (mp->m.k == 1 && unequal != (mp->m.n_control_matched <
                                    mp->m.n_treated_matched))
        fail_msg("%s: weights note %d, %zu controls for %zu treated", what,
                 unequal, mp->m.n_control_matched, mp->m.n_treated_matched);
    if (unequal)
        return;
    we_design dm = s->d;
    dm.in_sample = mp->m.matched;
    we_estimate est = {.struct_size = sizeof est};
    we_error err = {{0}};
    assert_int_equal(we_did_2x2(s->y, &dm, &est, &err), WE_OK);
    assert_int_equal(est.n_control, (long)mp->m.n_control_matched);
    assert_int_equal(est.n_treated, (long)mp->m.n_treated_matched);
    print_message("  %s: DiD %.3f on the matched sample, %.3f naive (true "
                  "effect 0)\n", what, est.estimate, naive);
    assert_true(fabs(est.estimate) < naive / 4);
}

static void test_panel_selection_on_path(void **state)
{
    (void)state;
    sim_panel *s = malloc(sizeof *s);
    assert_non_null(s);
    simulate(s);
    we_error err = {{0}};
    we_estimate naive = {.struct_size = sizeof naive};
    assert_int_equal(we_did_2x2(s->y, &s->d, &naive, &err), WE_OK);
    assert_true(naive.estimate > 0.3); /* the selection bias to remove */
    static const char *const WHAT[] = {
        "Mahalanobis", "propensity", "Mahalanobis with replacement",
        "propensity with replacement"};
    for (int v = 0; v < 4; v++) {
        we_match_opts o = {(we_match_distance)(v % 2), 1, v / 2, NULL};
        we_match_panel mp;
        if (we_match_panel_run(s->y, &s->d, NULL, 0, NULL, &o, &mp, &err))
            fail_msg("we_match_panel_run: %s", err.msg);
        assert_int_equal(mp.n_features, SIM_BASE + 1);
        for (size_t j = 0; j < mp.n_features; j++)
            assert_true(!mp.features[j].covariate &&
                        mp.features[j].index == j);
        check_balance_gain(&mp, WHAT[v]);
        check_matched_did(s, &mp, naive.estimate, WHAT[v]);
        we_match_panel_free(&mp);
    }
    free(s);
}

/* ---- missing values, notes, errors ------------------------------------ */

static void test_panel_missing(void **state)
{
    (void)state;
    sim_panel *s = malloc(sizeof *s);
    assert_non_null(s);
    simulate(s);
    const char **labels = malloc(SIM_AREAS * sizeof *labels);
    char(*names)[16] = malloc(SIM_AREAS * sizeof *names);
    assert_true(labels != NULL && names != NULL);
    for (size_t i = 0; i < SIM_AREAS; i++) {
        snprintf(names[i], sizeof names[i], "WK%03zu", i);
        labels[i] = names[i];
        s->y[i * SIM_T + 0] = NAN; /* period 0 is never observed */
    }
    size_t t_first = 0, c_first = 0;
    while (s->from[t_first] < 0)
        t_first++;
    while (s->from[c_first] >= 0)
        c_first++;
    s->y[t_first * SIM_T + 2] = NAN;
    s->y[c_first * SIM_T + SIM_BASE] = NAN;
    /* A covariate column: one area lacks it. */
    double *cov = malloc(SIM_AREAS * sizeof *cov);
    assert_non_null(cov);
    for (size_t i = 0; i < SIM_AREAS; i++)
        cov[i] = s->y[i * SIM_T + 1] * 2.0 + (double)(i % 7);
    cov[SIM_AREAS - 1] = NAN;

    we_match_opts o = {WE_MATCH_MAHALANOBIS, 1, 1, NULL};
    we_match_panel mp;
    we_error err = {{0}};
    if (we_match_panel_run(s->y, &s->d, cov, 1, labels, &o, &mp, &err))
        fail_msg("we_match_panel_run: %s", err.msg);
    print_message("note: %s\n", mp.m.note);
    assert_int_equal(mp.n_features, SIM_BASE + 1); /* periods 1-4, cov */
    assert_true(mp.features[SIM_BASE].covariate);
    assert_int_equal(mp.m.n_excluded, 3);
    assert_false(mp.m.eligible[t_first] || mp.m.eligible[c_first] ||
                 mp.m.eligible[SIM_AREAS - 1]);
    assert_false(mp.m.matched[t_first]);
    assert_non_null(strstr(mp.m.note, "period index(es) 0 have no outcome"));
    assert_non_null(strstr(mp.m.note, "3 area(s) not matched because a "
                                      "matching feature is missing"));
    assert_non_null(strstr(mp.m.note, names[t_first]));
    assert_non_null(strstr(mp.m.note, names[c_first]));
    we_match_panel_free(&mp);
    free(cov);
    free(labels);
    free(names);
    free(s);
}

static void test_errors(void **state)
{
    (void)state;
    we_match_result r;
    we_error err = {{0}};
    /* Second column = 2 x first: singular covariance, named. */
    double X[12];
    for (size_t i = 0; i < 6; i++) {
        X[2 * i] = TINY[2 * i] + 0.1 * (double)i;
        X[2 * i + 1] = 2.0 * X[2 * i];
    }
    we_match_opts o = {WE_MATCH_MAHALANOBIS, 1, 0, NULL};
    assert_int_equal(we_match_features(X, 6, 2, TINY_TREAT, NULL, NULL, &o,
                                       &r, &err),
                     WE_ESINGULAR);
    assert_non_null(strstr(err.msg, "feature column 1"));
    /* Propensity score on a feature that separates the groups. */
    const double sep[] = {5, 6, 7, 1, 2, 3, 2.5};
    const unsigned char tr[] = {1, 1, 1, 0, 0, 0, 0};
    o.distance = WE_MATCH_PROPENSITY;
    assert_int_equal(we_match_features(sep, 7, 1, tr, NULL, NULL, &o, &r,
                                       &err),
                     WE_ESINGULAR);
    assert_non_null(strstr(err.msg, "separate"));
    /* A constant feature is left out with a note. */
    const double with_const[] = {5, 1, 2, 1, 1, 1, 6, 1, 3, 1, 4, 1, 2.5, 1};
    o.distance = WE_MATCH_MAHALANOBIS;
    assert_int_equal(we_match_features(with_const, 7, 2, tr, NULL, NULL, &o,
                                       &r, &err),
                     WE_OK);
    assert_false(r.feature_used[1]);
    assert_non_null(strstr(r.note, "feature column 1"));
    we_match_result_free(&r);
    /* Bad arguments and nothing to match. */
    o.k = 0;
    assert_int_equal(we_match_features(sep, 7, 1, tr, NULL, NULL, &o, &r,
                                       &err),
                     WE_EINVAL);
    o.k = 1;
    const unsigned char all_treated[] = {1, 1, 1, 1, 1, 1, 1};
    assert_int_equal(we_match_features(sep, 7, 1, all_treated, NULL, NULL,
                                       &o, &r, &err),
                     WE_ENODATA);
    assert_non_null(strstr(err.msg, "0 comparison"));
    we_match_result_free(&r);
}

/* ---- Card and Krueger (1994) ------------------------------------------ */

typedef struct ck_data {
    size_t n;
    double *y; /* n x 2 */
    long *from;
    unsigned char *in_sample;
    int *by_store, *by_region;
} ck_data;

static long ck_find(const char **names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return (long)i;
    return -1;
}

static void ck_alloc(ck_data *ck, size_t n)
{
    ck->n = n;
    ck->y = malloc(2 * n * sizeof *ck->y);
    ck->from = malloc(n * sizeof *ck->from);
    ck->in_sample = malloc(n);
    ck->by_store = malloc(n * sizeof *ck->by_store);
    ck->by_region = malloc(n * sizeof *ck->by_region);
    assert_true(ck->y && ck->from && ck->in_sample && ck->by_store &&
                ck->by_region);
}

static void ck_free(ck_data *ck)
{
    free(ck->y);
    free(ck->from);
    free(ck->in_sample);
    free(ck->by_store);
    free(ck->by_region);
}

/* panel.csv holds two rows per store, wave 199202 then 199211; the
 * municipality column is the region (5 of them). */
static void ck_load(ck_data *ck)
{
    table p, t;
    table_load(&p, "card_krueger", "panel.csv");
    table_load(&t, "card_krueger", "treated.csv");
    size_t ca = col(&p, "area"), cm = col(&p, "municipality");
    size_t cp = col(&p, "period"), cy = col(&p, "y");
    ck_alloc(ck, (p.n_rows - 1) / 2);
    const char **area = malloc(ck->n * sizeof *area), *regions[8];
    assert_non_null(area);
    size_t n_regions = 0;
    for (size_t i = 0; i < ck->n; i++) {
        for (size_t w = 0; w < 2; w++) {
            size_t r = 1 + 2 * i + w;
            assert_int_equal((long)num(&p, r, cp), w ? 199211 : 199202);
            assert_string_equal(cell(&p, r, ca), cell(&p, 1 + 2 * i, ca));
            ck->y[2 * i + w] = num(&p, r, cy);
        }
        area[i] = cell(&p, 1 + 2 * i, ca);
        const char *reg = cell(&p, 1 + 2 * i, cm);
        long g = ck_find(regions, n_regions, reg);
        if (g < 0) {
            assert_true(n_regions < 8);
            regions[n_regions] = reg;
            g = (long)n_regions++;
        }
        ck->by_region[i] = (int)g;
        ck->by_store[i] = (int)i;
        ck->in_sample[i] = 1;
        ck->from[i] = -1;
    }
    assert_int_equal(n_regions, 5);
    for (size_t r = 1; r < t.n_rows; r++) {
        long i = ck_find(area, ck->n, cell(&t, r, col(&t, "area")));
        assert_true(i >= 0);
        assert_int_equal((long)num(&t, r, col(&t, "from")), 199211);
        ck->from[i] = 1; /* period index of wave 2 */
    }
    free(area);
    table_free(&p);
    table_free(&t);
}

static const char *const CK_FIELDS[] = {
    "estimate", "se", "ci_low", "ci_high", "p_value", "df", "n_treated",
    "n_control", "n_obs", "baseline", "latest"};

static int ck_compare(const table *e, size_t row, const we_estimate *got)
{
    double v[] = {got->estimate, got->se, got->ci_low, got->ci_high,
                  got->p_value, got->df, (double)got->n_treated,
                  (double)got->n_control, (double)got->n_obs, got->baseline,
                  got->latest};
    int bad = 0;
    for (size_t f = 0; f < sizeof v / sizeof v[0]; f++) {
        double want = num(e, row, col(e, CK_FIELDS[f]));
        if (!close_enough(want, v[f]) && bad++ < 5)
            print_error("card_krueger %s %s: R %.17g, C %.17g\n",
                        cell(e, row, col(e, "variant")), CK_FIELDS[f], want,
                        v[f]);
    }
    return bad;
}

static void test_card_krueger(void **state)
{
    (void)state;
    ck_data ck;
    ck_load(&ck);
    table des, e;
    table_load(&des, "card_krueger", "design.csv");
    table_load(&e, "card_krueger", "expected.csv");
    assert_string_equal(cell(&des, 1, 0), "baseline");
    assert_int_equal((long)num(&des, 1, 1), 199202);
    assert_string_equal(cell(&des, 2, 0), "followup");
    assert_int_equal((long)num(&des, 2, 1), 199211);
    assert_string_equal(cell(&des, 3, 0), "alpha");
    size_t followup[] = {1};
    we_design d = {ck.n, 2, ck.from, ck.in_sample, ck.by_store, 0,
                   followup, 1, num(&des, 3, 1)};
    int bad = 0;
    assert_int_equal(e.n_rows - 1, 2);
    for (size_t r = 1; r < e.n_rows; r++) {
        const char *variant = cell(&e, r, col(&e, "variant"));
        assert_string_equal(cell(&e, r, col(&e, "method")), "did_2x2");
        int by_area = strcmp(variant, "cluster_area") == 0;
        assert_true(by_area || strcmp(variant, "cluster_municipality") == 0);
        d.cluster = by_area ? ck.by_store : ck.by_region;
        we_estimate got = {.struct_size = sizeof got};
        we_error err = {{0}};
        if (we_did_2x2(ck.y, &d, &got, &err) != WE_OK)
            fail_msg("we_did_2x2: %s", err.msg);
        bad += ck_compare(&e, r, &got);
        if (by_area)
            print_message("card_krueger: DiD %.4f FTE (se %.4f by store), "
                          "%ld NJ and %ld PA stores\n",
                          got.estimate, got.se, got.n_treated, got.n_control);
    }
    table_free(&des);
    table_free(&e);
    ck_free(&ck);
    assert_int_equal(bad, 0);
}

/* ---- runner ------------------------------------------------------------ */

static int teardown_all(void **state)
{
    (void)state;
    lalonde_free();
    return 0;
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lalonde_propensity),
        cmocka_unit_test_prestate(test_lalonde_variant, (void *)&VARIANTS[0]),
        cmocka_unit_test_prestate(test_lalonde_variant, (void *)&VARIANTS[1]),
        cmocka_unit_test_prestate(test_lalonde_variant, (void *)&VARIANTS[2]),
        cmocka_unit_test_prestate(test_lalonde_variant, (void *)&VARIANTS[3]),
        cmocka_unit_test_prestate(test_lalonde_variant, (void *)&VARIANTS[4]),
        cmocka_unit_test(test_mahalanobis_by_hand),
        cmocka_unit_test(test_same_municipality),
        cmocka_unit_test(test_replacement),
        cmocka_unit_test(test_panel_selection_on_path),
        cmocka_unit_test(test_panel_missing),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_card_krueger),
    };
    return cmocka_run_group_tests(tests, NULL, teardown_all);
}
