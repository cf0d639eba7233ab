/* The simulated demo panel: determinism, shape, the truth manifest and
 * whether the injected effects are in the data (checked with plain
 * difference-in-differences of means, independent of the estimators). */
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

#include "data/csv.h"
#include "simulate/simulate.h"

#define CATALOG "data/catalog.csv"
#define KRACHT "data/krachtwijken_40.csv"
#define SEED 20081107u

static const char *const FILES[] = {"areas.csv", "catalog.csv",
                                    "indicators.csv", "treatment.csv",
                                    "truth.csv", "adjacency.csv",
                                    "assignment.csv", "README.md"};
enum { N_FILES = sizeof FILES / sizeof FILES[0] };

static const char *const EXPERIMENTS[] = {
    "bewonersparticipatie", "samenhang", "slagkracht", "achter_de_voordeur",
    "bureaucratie", "gezonde_wijk", "vernieuwend_welzijn"};

/* ---- helpers --------------------------------------------------------- */

typedef struct table {
    size_t n_rows, n_cols;
    char **head;  /* n_cols */
    char **cells; /* n_rows * n_cols */
} table;

static void table_free(table *t)
{
    for (size_t i = 0; i < t->n_cols; i++)
        free(t->head[i]);
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
        free(t->cells[i]);
    free(t->head);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

static char **copy_fields(const we_csv_row *row)
{
    char **out = calloc(row->n_fields, sizeof *out);
    assert_non_null(out);
    for (size_t i = 0; i < row->n_fields; i++) {
        out[i] = strdup(row->fields[i]);
        assert_non_null(out[i]);
    }
    return out;
}

static void table_load(table *t, const char *dir, const char *name)
{
    char path[512];
    we_error err = {{0}};
    we_csv *r = NULL;
    we_csv_row row;
    size_t cap = 0;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    memset(t, 0, sizeof *t);
    assert_int_equal(we_csv_open(&r, path, &err), 0);
    assert_int_equal(we_csv_next(r, &row, &err), 1);
    t->n_cols = row.n_fields;
    t->head = copy_fields(&row);
    int rc;
    while ((rc = we_csv_next(r, &row, &err)) == 1) {
        assert_int_equal(row.n_fields, t->n_cols);
        if ((t->n_rows + 1) * t->n_cols > cap) {
            cap = cap ? cap * 2 : 1024;
            t->cells = realloc(t->cells, cap * sizeof *t->cells);
            assert_non_null(t->cells);
        }
        char **f = copy_fields(&row);
        memcpy(t->cells + t->n_rows * t->n_cols, f, t->n_cols * sizeof *f);
        free(f);
        t->n_rows++;
    }
    assert_int_equal(rc, 0);
    we_csv_close(r);
}

static const char *cell(const table *t, size_t row, const char *col)
{
    for (size_t c = 0; c < t->n_cols; c++)
        if (strcmp(t->head[c], col) == 0)
            return t->cells[row * t->n_cols + c];
    fail_msg("no column %s", col);
    return NULL;
}

static long find_row(const table *t, const char *col, const char *value)
{
    for (size_t r = 0; r < t->n_rows; r++)
        if (strcmp(cell(t, r, col), value) == 0)
            return (long)r;
    return -1;
}

static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    char *buf = malloc((size_t)n);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static int same_file(const char *a, const char *b, const char *name)
{
    size_t na, nb;
    char *x = slurp(a, name, &na), *y = slurp(b, name, &nb);
    int same = na == nb && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return same;
}

static void generate(char *dir, uint64_t seed)
{
    we_error err = {{0}};
    we_sim_options o = {dir, CATALOG, KRACHT, seed};
    int rc = we_simulate_demo(&o, &err);
    if (rc != 0)
        fail_msg("we_simulate_demo: %s", err.msg);
}

static char *make_tmpdir(void)
{
    char *d = strdup("/tmp/we_test_simulate_XXXXXX");
    assert_non_null(d);
    assert_non_null(mkdtemp(d));
    return d;
}

/* Removes exactly the files the generator writes: rmdir fails, and the
 * test with it, if a temporary file was left behind. */
static void remove_output(char *dir, const char *sub)
{
    char path[600], base[512];
    snprintf(base, sizeof base, "%s%s%s", dir, sub ? "/" : "", sub ? sub : "");
    for (size_t i = 0; i < N_FILES; i++) {
        snprintf(path, sizeof path, "%s/%s", base, FILES[i]);
        unlink(path);
    }
    assert_int_equal(rmdir(base), 0);
}

static void remove_tmpdir(char *dir)
{
    remove_output(dir, NULL);
    free(dir);
}

/* ---- fixture: one demo generated with the default seed --------------- */

static char *g_demo;

static int setup_demo(void **state)
{
    (void)state;
    g_demo = strdup("/tmp/we_test_simulate_XXXXXX");
    if (g_demo == NULL || mkdtemp(g_demo) == NULL)
        return -1;
    we_error err = {{0}};
    we_sim_options o = {g_demo, CATALOG, KRACHT, SEED};
    if (we_simulate_demo(&o, &err) != 0) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown_demo(void **state)
{
    (void)state;
    remove_tmpdir(g_demo);
    return 0;
}

/* ---- determinism ----------------------------------------------------- */

static void test_same_seed_same_bytes(void **state)
{
    (void)state;
    char *b = make_tmpdir(), *c = make_tmpdir();
    generate(b, SEED);
    generate(c, 7);
    for (size_t i = 0; i < N_FILES; i++)
        assert_true(same_file(g_demo, b, FILES[i]));
    assert_false(same_file(g_demo, c, "indicators.csv"));
    assert_false(same_file(g_demo, c, "areas.csv")); /* populations */
    assert_true(same_file(g_demo, c, "catalog.csv"));
    assert_true(same_file(g_demo, c, "treatment.csv"));
    remove_tmpdir(b);
    remove_tmpdir(c);
}

static void test_creates_nested_out_dir(void **state)
{
    (void)state;
    char *d = make_tmpdir(), sub[512];
    snprintf(sub, sizeof sub, "%s/a/b", d);
    generate(sub, SEED);
    assert_true(same_file(g_demo, sub, "truth.csv"));
    remove_output(d, "a/b");
    snprintf(sub, sizeof sub, "%s/a", d);
    assert_int_equal(rmdir(sub), 0);
    assert_int_equal(rmdir(d), 0);
    free(d);
}

/* ---- shape ----------------------------------------------------------- */

static void test_catalog_copied(void **state)
{
    (void)state;
    table in, out;
    table_load(&in, ".", CATALOG);
    table_load(&out, g_demo, "catalog.csv");
    const char *cols[] = {"indicator", "label_nl", "label_en", "unit",
                          "direction", "theme", "source"};
    assert_int_equal(out.n_cols, 7);
    assert_int_equal(out.n_rows, in.n_rows);
    assert_int_equal(out.n_rows, 51);
    for (size_t c = 0; c < 7; c++) {
        assert_string_equal(out.head[c], cols[c]);
        for (size_t r = 0; r < out.n_rows; r++)
            assert_string_equal(cell(&out, r, cols[c]), cell(&in, r, cols[c]));
    }
    table_free(&in);
    table_free(&out);
}

static int valid_wk(const char *code, const char *muni)
{
    if (strlen(code) != 8 || strncmp(code, "WK", 2) != 0)
        return 0;
    for (int i = 2; i < 8; i++)
        if (code[i] < '0' || code[i] > '9')
            return 0;
    return strlen(muni) == 6 && strncmp(code + 2, muni + 2, 4) == 0;
}

static void test_areas_and_treatment(void **state)
{
    (void)state;
    table areas, tr, kw;
    table_load(&areas, g_demo, "areas.csv");
    table_load(&tr, g_demo, "treatment.csv");
    table_load(&kw, ".", KRACHT);
    assert_int_equal(tr.n_rows, 60);
    size_t n_kracht = 0;
    for (size_t r = 0; r < tr.n_rows; r++) {
        long a = find_row(&areas, "area", cell(&tr, r, "area"));
        assert_true(a >= 0);
        int kracht = strcmp(cell(&tr, r, "wave"), "aandachtswijken") == 0;
        n_kracht += kracht;
        assert_string_equal(cell(&tr, r, "from"), kracht ? "2008" : "2009");
        if (!kracht) {
            assert_string_equal(cell(&tr, r, "wave"), "preventie");
            assert_non_null(strstr(cell(&areas, (size_t)a, "name"),
                                   "gesimuleerd"));
        }
    }
    assert_int_equal(n_kracht, 40);
    size_t untreated = areas.n_rows - tr.n_rows;
    assert_true(untreated >= 130 && untreated <= 170);
    for (size_t r = 0; r < areas.n_rows; r++) {
        assert_true(valid_wk(cell(&areas, r, "area"),
                             cell(&areas, r, "municipality")));
        assert_string_equal(cell(&areas, r, "level"), "wijk");
        double pop = atof(cell(&areas, r, "population"));
        assert_true(pop >= 3000 && pop <= 40000);
    }
    /* every krachtwijk keeps its real name and municipality */
    for (size_t k = 0; k < kw.n_rows; k++) {
        int found = 0;
        for (size_t r = 0; r < areas.n_rows && !found; r++)
            found = strcmp(cell(&areas, r, "name"), cell(&kw, k, "wijk")) ==
                        0 &&
                    strcmp(cell(&areas, r, "municipality"),
                           cell(&kw, k, "gemeentecode")) == 0 &&
                    find_row(&tr, "area", cell(&areas, r, "area")) >= 0;
        assert_true(found);
    }
    table_free(&areas);
    table_free(&tr);
    table_free(&kw);
}

/* Whole survey years are absent; the panel is unbalanced by design. */
static size_t expected_years(const char *source)
{
    if (strstr(source, "Veiligheidsmonitor") != NULL)
        return 8; /* 2003, 2005, 2007..2012 */
    if (strncmp(source, "Leefbaarometer", 14) == 0)
        return 4; /* 2006, 2008, 2010, 2012 */
    return 10;
}

static void test_indicator_rows(void **state)
{
    (void)state;
    table areas, cat, ind;
    table_load(&areas, g_demo, "areas.csv");
    table_load(&cat, g_demo, "catalog.csv");
    table_load(&ind, g_demo, "indicators.csv");
    size_t total = 0;
    for (size_t k = 0; k < cat.n_rows; k++) {
        const char *name = cell(&cat, k, "indicator");
        size_t n = 0;
        for (size_t r = 0; r < ind.n_rows; r++)
            n += strcmp(cell(&ind, r, "indicator"), name) == 0;
        assert_int_equal(n, areas.n_rows *
                                expected_years(cell(&cat, k, "source")));
        total += n;
    }
    assert_int_equal(ind.n_rows, total);
    table_free(&areas);
    table_free(&cat);
    table_free(&ind);
}

typedef struct range {
    const char *unit;
    double lo, hi;
} range;

static const range RANGES[] = {
    {"pct", 0, 100},          {"score_0_10", 0, 10},
    {"score_1_5", 1, 5},      {"class_1_9", 1, 9},
    {"score_501_550", 501, 550}, {"per_1000", 0, 1000},
    {"per_10000", 0, 10000},  {"days", 0, HUGE_VAL},
    {"count", 0, HUGE_VAL},   {"eur", 0, HUGE_VAL},
};

static const range *unit_range(const char *unit)
{
    for (size_t i = 0; i < sizeof RANGES / sizeof RANGES[0]; i++)
        if (strcmp(RANGES[i].unit, unit) == 0)
            return &RANGES[i];
    fail_msg("unknown unit %s", unit);
    return NULL;
}

static void test_values_and_markers(void **state)
{
    (void)state;
    table cat, ind;
    table_load(&cat, g_demo, "catalog.csv");
    table_load(&ind, g_demo, "indicators.csv");
    size_t dot = 0, secret = 0, empty = 0;
    for (size_t r = 0; r < ind.n_rows; r++) {
        const char *v = cell(&ind, r, "value");
        dot += strcmp(v, ".") == 0;
        secret += strcmp(v, "x") == 0;
        empty += v[0] == '\0';
        if (strcmp(v, ".") == 0 || strcmp(v, "x") == 0 || v[0] == '\0')
            continue;
        long k = find_row(&cat, "indicator", cell(&ind, r, "indicator"));
        assert_true(k >= 0);
        const range *u = unit_range(cell(&cat, (size_t)k, "unit"));
        char *end;
        double x = strtod(v, &end);
        assert_true(*end == '\0' && x >= u->lo && x <= u->hi);
    }
    double share = (double)(dot + secret + empty) / (double)ind.n_rows;
    assert_true(dot > 0 && secret > 0 && empty > 0);
    assert_true(share > 0.005 && share < 0.03);
    table_free(&cat);
    table_free(&ind);
}

/* ---- the truth manifest ---------------------------------------------- */

static void test_truth_manifest(void **state)
{
    (void)state;
    table truth, cat;
    table_load(&truth, g_demo, "truth.csv");
    table_load(&cat, g_demo, "catalog.csv");
    const char *cols[] = {"experiment",  "indicator", "role", "pattern",
                          "true_effect", "unit",      "note", "by_period"};
    assert_int_equal(truth.n_cols, 8);
    size_t ramps = 0;
    for (size_t c = 0; c < 8; c++)
        assert_string_equal(truth.head[c], cols[c]);
    for (size_t e = 0; e < 7; e++) {
        size_t primaries = 0;
        for (size_t r = 0; r < truth.n_rows; r++)
            primaries += strcmp(cell(&truth, r, "experiment"),
                                EXPERIMENTS[e]) == 0 &&
                         strcmp(cell(&truth, r, "role"), "primary") == 0;
        assert_int_equal(primaries, 1);
    }
    for (size_t r = 0; r < truth.n_rows; r++) {
        long k = find_row(&cat, "indicator", cell(&truth, r, "indicator"));
        assert_true(k >= 0);
        assert_string_equal(cell(&truth, r, "unit"),
                            cell(&cat, (size_t)k, "unit"));
        const char *p = cell(&truth, r, "pattern");
        double eff = atof(cell(&truth, r, "true_effect"));
        int higher = strcmp(cell(&cat, (size_t)k, "direction"),
                            "higher_is_better") == 0;
        if (strcmp(p, "displacement") == 0) {
            /* the ring worsens: the bad direction */
            assert_string_equal(cell(&truth, r, "experiment"),
                                "displacement");
            assert_string_equal(cell(&truth, r, "role"), "ring");
            assert_true(higher ? eff < 0 : eff > 0);
        } else if (strcmp(p, "null") == 0 || strcmp(p, "pretrend") == 0) {
            assert_true(eff == 0.0);
        } else if (strcmp(p, "harmful") == 0) {
            /* a side effect in the bad direction */
            assert_true(higher ? eff < 0 : eff > 0);
        } else if (strcmp(p, "ramp") == 0) {
            /* builds up in the good direction; true_effect is the mean of
             * by_period ("2010=0;2011=-12;2012=-24"), which starts at 0 */
            assert_true(higher ? eff > 0 : eff < 0);
            const char *b = cell(&truth, r, "by_period");
            double sum = 0, first = NAN;
            int n = 0;
            for (const char *q = b; q != NULL && *q != '\0';) {
                const char *eq = strchr(q, '=');
                assert_non_null(eq);
                double v = atof(eq + 1);
                if (n == 0)
                    first = v;
                sum += v;
                n++;
                q = strchr(eq, ';');
                if (q != NULL)
                    q++;
            }
            assert_true(n >= 2);
            assert_true(first == 0.0);
            assert_true(fabs(sum / n - eff) < 1e-9);
            ramps++;
        } else if (strcmp(cell(&truth, r, "experiment"), "programme") == 0) {
            assert_string_equal(cell(&truth, r, "role"), "headline");
            assert_string_equal(p, "positive");
            assert_true(higher ? eff > 0 : eff < 0);
        } else if (strcmp(cell(&truth, r, "role"), "process") != 0) {
            assert_string_equal(p, "positive");
            assert_true(higher ? eff > 0 : eff < 0);
        }
    }
    assert_int_equal(ramps, 1); /* the demo's effect that builds up */
    long g = find_row(&truth, "indicator", "ervaren_gezondheid_goed_pct");
    assert_true(g >= 0);
    assert_string_equal(cell(&truth, (size_t)g, "pattern"), "pretrend");
    assert_non_null(strstr(cell(&truth, (size_t)g, "note"), "pre_slope="));
    table_free(&truth);
    table_free(&cat);
}

/* ---- recovery -------------------------------------------------------- */

typedef struct cell_sum {
    double sum;
    size_t n;
} cell_sum;

static double mean_of(const cell_sum *s)
{
    assert_true(s->n > 0);
    return s->sum / (double)s->n;
}

/* Whether area is in tr (the treatment, or with exp the assignment rows
 * of that experiment). */
static int in_table(const table *tr, const char *area, const char *exp)
{
    for (size_t r = 0; r < tr->n_rows; r++)
        if (strcmp(cell(tr, r, "area"), area) == 0 &&
            (exp == NULL || strcmp(cell(tr, r, "experiment"), exp) == 0))
            return 1;
    return 0;
}

/* Mean change of the wijken in tr (of experiment exp, or all) minus the
 * mean change of the wijken outside the programme `prog` from period
 * `pre` to periods post_lo..post_hi (missing cells skipped; other
 * programme wijken left out). */
static double raw_did_exp(const table *ind, const table *tr,
                          const char *exp, const table *prog,
                          const char *name, int pre, int post_lo,
                          int post_hi)
{
    cell_sum s[2][2] = {{{0, 0}, {0, 0}}, {{0, 0}, {0, 0}}};
    for (size_t r = 0; r < ind->n_rows; r++) {
        if (strcmp(cell(ind, r, "indicator"), name) != 0)
            continue;
        const char *v = cell(ind, r, "value");
        char *end;
        double x = strtod(v, &end);
        int t = atoi(cell(ind, r, "period"));
        if (v[0] == '\0' || *end != '\0')
            continue;
        int post = t >= post_lo && t <= post_hi;
        if (t != pre && !post)
            continue;
        const char *a = cell(ind, r, "area");
        int treated = in_table(tr, a, exp);
        if (!treated && find_row(prog, "area", a) >= 0)
            continue;
        s[treated][post].sum += x;
        s[treated][post].n++;
    }
    return (mean_of(&s[1][1]) - mean_of(&s[1][0])) -
           (mean_of(&s[0][1]) - mean_of(&s[0][0]));
}

static double raw_did(const table *ind, const table *tr, const char *name,
                      int pre, int post_lo, int post_hi)
{
    return raw_did_exp(ind, tr, NULL, tr, name, pre, post_lo, post_hi);
}

static double true_effect(const table *truth, const char *name)
{
    long r = find_row(truth, "indicator", name);
    assert_true(r >= 0);
    return atof(cell(truth, (size_t)r, "true_effect"));
}

/* Tolerances are about four standard deviations of the 2x2 estimate over
 * seeds; an effect missing or doubled falls far outside them. */
static void test_effects_recovered(void **state)
{
    (void)state;
    table ind, tr, as, truth;
    table_load(&ind, g_demo, "indicators.csv");
    table_load(&tr, g_demo, "treatment.csv");
    table_load(&as, g_demo, "assignment.csv");
    table_load(&truth, g_demo, "truth.csv");
    /* An experiment's added effect in its own wijken from its start
     * (bewonersparticipatie: 2009), against the wijken outside the
     * programme (no programme effect on its indicators). */
    double pos = true_effect(&truth, "actief_voor_buurt_pct");
    assert_true(pos > 1.0);
    double d = raw_did_exp(&ind, &as, "bewonersparticipatie", &tr,
                           "actief_voor_buurt_pct", 2007, 2010, 2012);
    assert_true(fabs(d - pos) < 1.2);
    /* ... and none in the other programme wijken */
    d = raw_did_exp(&ind, &as, "slagkracht", &tr, "actief_voor_buurt_pct",
                    2007, 2010, 2012);
    assert_true(fabs(d) < 1.2);

    assert_true(true_effect(&truth, "sociale_cohesie_score") == 0.0);
    d = raw_did_exp(&ind, &as, "samenhang", &tr, "sociale_cohesie_score",
                    2007, 2010, 2012);
    assert_true(fabs(d) < 0.3);

    /* the programme's effect in all programme wijken */
    double prog = true_effect(&truth, "werkzaam_15_64_pct");
    assert_true(prog > 0.5);
    d = raw_did(&ind, &tr, "werkzaam_15_64_pct", 2007, 2010, 2012);
    assert_true(fabs(d - prog) < 0.8);

    /* the ramp: bureaucratie's permit lead time, nothing in its first
     * year (2010), by_period's last value (2 x the yearly step) in 2012 */
    long rr = find_row(&truth, "indicator", "doorlooptijd_vergunning_dagen");
    assert_true(rr >= 0);
    assert_string_equal(cell(&truth, (size_t)rr, "pattern"), "ramp");
    double step = true_effect(&truth, "doorlooptijd_vergunning_dagen");
    d = raw_did_exp(&ind, &as, "bureaucratie", &tr,
                    "doorlooptijd_vergunning_dagen", 2007, 2010, 2010);
    assert_true(fabs(d) < 0.5 * fabs(step));
    d = raw_did_exp(&ind, &as, "bureaucratie", &tr,
                    "doorlooptijd_vergunning_dagen", 2007, 2012, 2012);
    assert_true(fabs(d - 2 * step) < 0.5 * fabs(step));

    /* the pre-trend: gezonde_wijk's wijken gain ~1.5 a year before */
    d = raw_did_exp(&ind, &as, "gezonde_wijk", &tr,
                    "ervaren_gezondheid_goed_pct", 2004, 2007, 2007);
    assert_true(d > 2.0 && d < 7.0);
    table_free(&ind);
    table_free(&tr);
    table_free(&as);
    table_free(&truth);
}

/* Neighbours are consecutive wijken of one municipality; the ring is
 * every untreated wijk with a treated neighbour. */
static void ring_of(const table *areas, const table *tr, unsigned char *ring)
{
    table adj;
    table_load(&adj, g_demo, "adjacency.csv");
    assert_true(adj.n_rows > 100);
    memset(ring, 0, areas->n_rows);
    for (size_t r = 0; r < adj.n_rows; r++) {
        long a = find_row(areas, "area", cell(&adj, r, "area"));
        long b = find_row(areas, "area", cell(&adj, r, "neighbour"));
        assert_true(a >= 0 && b == a + 1);
        assert_string_equal(cell(areas, (size_t)a, "municipality"),
                            cell(areas, (size_t)b, "municipality"));
        int ta = find_row(tr, "area", cell(areas, (size_t)a, "area")) >= 0;
        int tb = find_row(tr, "area", cell(areas, (size_t)b, "area")) >= 0;
        ring[a] |= !ta && tb;
        ring[b] |= ta && !tb;
    }
    table_free(&adj);
}

/* The ring against the untreated wijken further away, 2007 to
 * 2010-2012: the injected worsening, not zero. */
static void test_displacement_injected(void **state)
{
    (void)state;
    table ind, tr, truth, areas;
    table_load(&ind, g_demo, "indicators.csv");
    table_load(&tr, g_demo, "treatment.csv");
    table_load(&truth, g_demo, "truth.csv");
    table_load(&areas, g_demo, "areas.csv");
    unsigned char *ring = malloc(areas.n_rows);
    assert_non_null(ring);
    ring_of(&areas, &tr, ring);
    size_t n_ring = 0;
    for (size_t a = 0; a < areas.n_rows; a++)
        n_ring += ring[a];
    char note[64];
    snprintf(note, sizeof note, "in the %zu untreated wijken", n_ring);
    long t = find_row(&truth, "pattern", "displacement");
    assert_true(t >= 0 && n_ring >= 10);
    assert_non_null(strstr(cell(&truth, (size_t)t, "note"), note));
    double truth_ring = atof(cell(&truth, (size_t)t, "true_effect"));
    cell_sum s[2][2] = {{{0, 0}, {0, 0}}, {{0, 0}, {0, 0}}};
    for (size_t r = 0; r < ind.n_rows; r++) {
        const char *v = cell(&ind, r, "value");
        char *end;
        double x = strtod(v, &end);
        int p = atoi(cell(&ind, r, "period"));
        if (strcmp(cell(&ind, r, "indicator"), "woninginbraken_per_1000") ||
            v[0] == '\0' || *end != '\0' || (p != 2007 && p < 2010))
            continue;
        long a = find_row(&areas, "area", cell(&ind, r, "area"));
        if (find_row(&tr, "area", cell(&ind, r, "area")) >= 0)
            continue;
        s[ring[a]][p >= 2010].sum += x;
        s[ring[a]][p >= 2010].n++;
    }
    double d = (mean_of(&s[1][1]) - mean_of(&s[1][0])) -
               (mean_of(&s[0][1]) - mean_of(&s[0][0]));
    assert_true(truth_ring > 3.0);
    assert_true(fabs(d - truth_ring) < 1.8);
    free(ring);
    table_free(&ind);
    table_free(&tr);
    table_free(&truth);
    table_free(&areas);
}

static void test_process_metric(void **state)
{
    (void)state;
    table ind, tr;
    table_load(&ind, g_demo, "indicators.csv");
    table_load(&tr, g_demo, "assignment.csv");
    cell_sum s = {0, 0};
    for (size_t r = 0; r < ind.n_rows; r++) {
        if (strcmp(cell(&ind, r, "indicator"), "bewonersbudget_besteed_pct") ||
            atoi(cell(&ind, r, "period")) < 2011)
            continue;
        char *end;
        double x = strtod(cell(&ind, r, "value"), &end);
        if (*end == '\0' && cell(&ind, r, "value")[0] &&
            in_table(&tr, cell(&ind, r, "area"), "bewonersparticipatie")) {
            s.sum += x;
            s.n++;
        }
    }
    double m = mean_of(&s);
    assert_true(m >= 90 && m <= 100);
    table_free(&ind);
    table_free(&tr);
}

/* ---- bad input ------------------------------------------------------- */

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void expect_error(const char *catalog, const char *kracht,
                         const char *needle)
{
    char *d = make_tmpdir(), cp[512], kp[512], out[512];
    snprintf(cp, sizeof cp, "%s/cat.csv", d);
    snprintf(kp, sizeof kp, "%s/kw.csv", d);
    snprintf(out, sizeof out, "%s/out", d);
    if (catalog)
        write_text(cp, catalog);
    if (kracht)
        write_text(kp, kracht);
    we_error err = {{0}};
    we_sim_options o = {out, catalog ? cp : CATALOG, kracht ? kp : KRACHT,
                        SEED};
    assert_int_equal(we_simulate_demo(&o, &err), -1);
    if (strstr(err.msg, needle) == NULL)
        fail_msg("error '%s' lacks '%s'", err.msg, needle);
    unlink(cp);
    unlink(kp);
    assert_int_equal(access(out, F_OK), -1); /* nothing written */
    assert_int_equal(rmdir(d), 0);
    free(d);
}

static void test_bad_input(void **state)
{
    (void)state;
    const char *head = "indicator,label_nl,label_en,unit,direction,theme,"
                       "source,nl_mean,krachtwijk_mean,sd_between_wijken\n";
    char buf[1024];
    snprintf(buf, sizeof buf, "%sa,A,A,furlongs,higher_is_better,t,s,1,2,3\n",
             head);
    expect_error(buf, NULL, "cat.csv:2:7: unit 'furlongs' is unknown");
    snprintf(buf, sizeof buf, "%sa,A,A,pct,up,t,s,1,2,3\n", head);
    expect_error(buf, NULL, "cat.csv:2:11: direction 'up' is unknown");
    snprintf(buf, sizeof buf, "%sa,A,A,pct,higher_is_better,t,s,1,?,3\n",
             head);
    expect_error(buf, NULL, "cat.csv:2:");
    snprintf(buf, sizeof buf, "%sa,A,A,pct,higher_is_better,t,s,1,2,3\n",
             head);
    expect_error(buf, NULL, "'actief_voor_buurt_pct'");
    expect_error("indicator,unit\n", NULL, "missing column 'label_nl'");
    expect_error(NULL, "wijk,gemeente,gemeentecode\nNoord,Amsterdam,363\n",
                 "kw.csv:2:17: gemeentecode '363'");
    expect_error(NULL,
                 "wijk,gemeente,gemeentecode\nNoord,Amsterdam,GM0363\n"
                 "Noord,Amsterdam,GM0363\n",
                 "kw.csv:3:1: wijk 'Noord' of GM0363 is listed twice");
    expect_error(NULL, "wijk,gemeente,gemeentecode\n", "no krachtwijken");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_bytes),
        cmocka_unit_test(test_creates_nested_out_dir),
        cmocka_unit_test(test_catalog_copied),
        cmocka_unit_test(test_areas_and_treatment),
        cmocka_unit_test(test_indicator_rows),
        cmocka_unit_test(test_values_and_markers),
        cmocka_unit_test(test_truth_manifest),
        cmocka_unit_test(test_effects_recovered),
        cmocka_unit_test(test_displacement_injected),
        cmocka_unit_test(test_process_metric),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, setup_demo, teardown_demo);
}
