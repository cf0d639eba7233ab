/* The wild cluster bootstrap (core/src/methods/wild.c) against the slow
 * reference of tests/oracle/wild_reference.py, which refits the full dummy
 * regression for every draw. Fixture format and cases:
 * tests/oracle/README.md, "Wild cluster bootstrap". Plus properties that
 * need no reference (seeds, enumeration, errors) and a small simulation of
 * the size of the test under the null.
 *
 * The fixtures are read with stdio and strtod only, as test_oracle.c does.
 * Run from the repository root, or set WE_ORACLE_FIXTURES to the fixtures
 * directory. */
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

#include "methods/methods.h"
#include "methods/twfe_sums.h"
#include "methods/wild.h"
#include "util/mt19937.h"
#include "util/reference.h"

#define REGENERATE \
    "regenerate with: /usr/bin/python3 tests/oracle/wild_reference.py"
#define MAX_COLS 32

/* ---- a minimal CSV table ---------------------------------------------- */

/* Every line of a file, split at commas in place (the fixtures never
 * quote). Row 0 is the header. */
typedef struct table {
    char path[512];
    char *buf;
    size_t n_rows, n_cols;
    char **cell;    /* n_rows * n_cols */
    size_t *line;   /* 1-based line of each row */
} table;

static void table_free(table *t)
{
    free(t->buf);
    free(t->cell);
    free(t->line);
    memset(t, 0, sizeof *t);
}

static char *slurp(const char *path, we_error *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        we_fail(err, WE_EINVAL,
                "%s: cannot open (%s); run from the repository root "
                "or set WE_ORACLE_FIXTURES",
                path, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    long len = -1;
    if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)len + 1)))
        len = (long)fread(buf, 1, (size_t)len, f);
    int bad = buf == NULL || ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        we_fail(err, WE_EINVAL, "%s: cannot read the file", path);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

static size_t split_fields(char *line, char **out)
{
    size_t n = 0;
    for (char *p = line;; p++) {
        if (n < MAX_COLS)
            out[n] = p;
        n++;
        p += strcspn(p, ",");
        if (*p == '\0')
            break;
        *p = '\0';
    }
    return n;
}

static int table_add(table *t, char *line, size_t line_no, size_t cap,
                     we_error *err)
{
    char *f[MAX_COLS];
    size_t n = split_fields(line, f);
    if (t->n_cols == 0)
        t->n_cols = n;
    if (n != t->n_cols || n > MAX_COLS)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:1: %zu fields, the header has %zu; " REGENERATE,
                       t->path, line_no, n, t->n_cols);
    if (t->cell == NULL && (t->cell = malloc(cap * n * sizeof *t->cell)) ==
                               NULL)
        return we_fail(err, WE_ENOMEM, "%s: out of memory", t->path);
    memcpy(t->cell + t->n_rows * n, f, n * sizeof *f);
    t->line[t->n_rows++] = line_no;
    return 0;
}

static int table_read(table *t, const char *dir, const char *file,
                      we_error *err)
{
    memset(t, 0, sizeof *t);
    snprintf(t->path, sizeof t->path, "%s/%s", dir, file);
    if ((t->buf = slurp(t->path, err)) == NULL)
        return -1;
    size_t cap = 1;
    for (const char *p = t->buf; *p; p++)
        cap += *p == '\n';
    if ((t->line = malloc(cap * sizeof *t->line)) == NULL)
        return we_fail(err, WE_ENOMEM, "%s: out of memory", t->path);
    char *p = t->buf;
    for (size_t line_no = 1; *p != '\0'; line_no++) {
        char *eol = strchr(p, '\n');
        if (eol != NULL)
            *eol = '\0';
        size_t len = strlen(p);
        if (len > 0 && p[len - 1] == '\r')
            p[--len] = '\0';
        if (len > 0 && table_add(t, p, line_no, cap, err) != 0)
            return -1;
        p = eol != NULL ? eol + 1 : p + len;
    }
    if (t->n_rows < 2)
        return we_fail(err, WE_EINVAL, "%s:1:1: no data rows; " REGENERATE,
                       t->path);
    return 0;
}

static const char *cell(const table *t, size_t r, size_t c)
{
    return t->cell[r * t->n_cols + c];
}

static int column(const table *t, const char *name, size_t *out,
                  we_error *err)
{
    for (size_t c = 0; c < t->n_cols; c++)
        if (strcmp(cell(t, 0, c), name) == 0)
            return (int)(*out = c, 0);
    return we_fail(err, WE_EINVAL, "%s:1:1: no column '%s'; " REGENERATE,
                   t->path, name);
}

/* Column position of a cell, for messages. */
static size_t col_no(const table *t, size_t r, size_t c)
{
    return (size_t)(cell(t, r, c) - cell(t, r, 0)) + 1;
}

static int bad_cell(const table *t, size_t r, size_t c, const char *what,
                    we_error *err)
{
    return we_fail(err, WE_EINVAL, "%s:%zu:%zu: '%s' is not %s; " REGENERATE,
                   t->path, t->line[r], col_no(t, r, c), cell(t, r, c), what);
}

/* Empty or NA is NaN; Inf and -Inf are allowed (an unbounded interval). */
static int cell_double(const table *t, size_t r, size_t c, double *out,
                       we_error *err)
{
    const char *s = cell(t, r, c);
    if (*s == '\0' || strcmp(s, "NA") == 0)
        return (int)(*out = NAN, 0);
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || isnan(v))
        return bad_cell(t, r, c, "a number", err);
    *out = v;
    return 0;
}

static int cell_long(const table *t, size_t r, size_t c, long *out,
                     we_error *err)
{
    const char *s = cell(t, r, c);
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE)
        return bad_cell(t, r, c, "an integer", err);
    *out = v;
    return 0;
}

/* ---- one panel -------------------------------------------------------- */

typedef struct panel {
    char name[64];
    size_t n_areas, n_periods, n_munis;
    const char **area, **munis; /* into the panel table */
    long *period;               /* labels, ascending */
    int *area_id, *muni_id;
    double *y;
    long *treated_from;
    unsigned char *in_sample;
    size_t baseline, *followup, n_followup;
    double alpha;
    table t;
} panel;

static void panel_free(panel *p)
{
    free(p->area);
    free(p->munis);
    free(p->period);
    free(p->area_id);
    free(p->muni_id);
    free(p->y);
    free(p->treated_from);
    free(p->in_sample);
    free(p->followup);
    table_free(&p->t);
    memset(p, 0, sizeof *p);
}

static long find_name(const char **names, size_t n, const char *s)
{
    for (size_t i = n; i-- > 0;)
        if (strcmp(names[i], s) == 0)
            return (long)i;
    return -1;
}

static long find_period(const panel *p, long label)
{
    for (size_t t = 0; t < p->n_periods; t++)
        if (p->period[t] == label)
            return (long)t;
    return -1;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, z = *(const long *)b;
    return (x > z) - (x < z);
}

static int panel_alloc(panel *p, size_t n)
{
    p->area = calloc(n, sizeof *p->area);
    p->munis = calloc(n, sizeof *p->munis);
    p->period = calloc(n, sizeof *p->period);
    p->area_id = calloc(n, sizeof *p->area_id);
    p->muni_id = calloc(n, sizeof *p->muni_id);
    p->treated_from = calloc(n, sizeof *p->treated_from);
    p->in_sample = calloc(n, 1);
    p->followup = calloc(n, sizeof *p->followup);
    return !p->area || !p->munis || !p->period || !p->area_id ||
           !p->muni_id || !p->treated_from || !p->in_sample || !p->followup;
}

/* Areas in order of first appearance (ids 0.. by area and by
 * municipality), sorted distinct periods. */
static int panel_index(panel *p, const size_t *c, we_error *err)
{
    const table *t = &p->t;
    for (size_t r = 1; r < t->n_rows; r++) {
        long label;
        if (cell_long(t, r, c[2], &label, err) != 0)
            return -1;
        if (find_period(p, label) < 0)
            p->period[p->n_periods++] = label;
        const char *a = cell(t, r, c[0]), *m = cell(t, r, c[1]);
        if (find_name(p->area, p->n_areas, a) >= 0)
            continue;
        long g = find_name(p->munis, p->n_munis, m);
        if (g < 0)
            p->munis[g = (long)p->n_munis++] = m;
        p->area[p->n_areas] = a;
        p->area_id[p->n_areas] = (int)p->n_areas;
        p->muni_id[p->n_areas] = (int)g;
        p->treated_from[p->n_areas] = -1;
        p->in_sample[p->n_areas++] = 1;
    }
    qsort(p->period, p->n_periods, sizeof *p->period, cmp_long);
    return 0;
}

static int panel_values(panel *p, const size_t *c, we_error *err)
{
    const table *t = &p->t;
    size_t n = p->n_areas * p->n_periods;
    if ((p->y = malloc(n * sizeof *p->y)) == NULL)
        return we_fail(err, WE_ENOMEM, "%s: out of memory", t->path);
    for (size_t k = 0; k < n; k++)
        p->y[k] = NAN;
    for (size_t r = 1; r < t->n_rows; r++) {
        long label;
        size_t i = (size_t)find_name(p->area, p->n_areas, cell(t, r, c[0]));
        if (cell_long(t, r, c[2], &label, err) != 0)
            return -1;
        size_t k = i * p->n_periods + (size_t)find_period(p, label);
        if (cell_double(t, r, c[3], &p->y[k], err) != 0)
            return -1;
    }
    return 0;
}

static int load_panel(panel *p, const char *dir, we_error *err)
{
    size_t c[4] = {0, 0, 0, 0};
    if (table_read(&p->t, dir, "panel.csv", err) != 0 ||
        column(&p->t, "area", &c[0], err) ||
        column(&p->t, "municipality", &c[1], err) ||
        column(&p->t, "period", &c[2], err) || column(&p->t, "y", &c[3], err))
        return -1;
    if (panel_alloc(p, p->t.n_rows) != 0)
        return we_fail(err, WE_ENOMEM, "%s: out of memory", p->t.path);
    if (panel_index(p, c, err) != 0)
        return -1;
    return panel_values(p, c, err);
}

static int period_cell(const panel *p, const table *t, size_t r, size_t c,
                       const char *s, size_t *out, we_error *err)
{
    char *end;
    long v = strtol(s, &end, 10), k;
    if (end == s || *end != '\0' || (k = find_period(p, v)) < 0)
        return bad_cell(t, r, c, "a period of panel.csv", err);
    *out = (size_t)k;
    return 0;
}

static int load_treated(panel *p, const char *dir, we_error *err)
{
    table t;
    size_t ca = 0, cf = 0;
    int rc = table_read(&t, dir, "treated.csv", err);
    if (rc == 0)
        rc = column(&t, "area", &ca, err) || column(&t, "from", &cf, err);
    for (size_t r = 1; rc == 0 && r < t.n_rows; r++) {
        long i = find_name(p->area, p->n_areas, cell(&t, r, ca));
        size_t k;
        if (i < 0)
            rc = bad_cell(&t, r, ca, "an area of panel.csv", err);
        else if ((rc = period_cell(p, &t, r, cf, cell(&t, r, cf), &k,
                                   err)) == 0)
            p->treated_from[i] = (long)k;
    }
    table_free(&t);
    return rc;
}

static int design_followup(panel *p, const table *t, size_t r, size_t c,
                           we_error *err)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", cell(t, r, c));
    char *save = NULL;
    for (char *tok = strtok_r(buf, " ", &save); tok != NULL;
         tok = strtok_r(NULL, " ", &save)) {
        if (p->n_followup == p->n_periods ||
            period_cell(p, t, r, c, tok, &p->followup[p->n_followup], err))
            return p->n_followup == p->n_periods
                       ? bad_cell(t, r, c, "a list of periods", err)
                       : -1;
        p->n_followup++;
    }
    return p->n_followup > 0 ? 0 : bad_cell(t, r, c, "a period list", err);
}

static int load_design(panel *p, const char *dir, we_error *err)
{
    table t;
    size_t ck = 0, cv = 0;
    int rc = table_read(&t, dir, "design.csv", err);
    if (rc == 0)
        rc = column(&t, "key", &ck, err) || column(&t, "value", &cv, err);
    for (size_t r = 1; rc == 0 && r < t.n_rows; r++) {
        const char *key = cell(&t, r, ck);
        if (strcmp(key, "baseline") == 0)
            rc = period_cell(p, &t, r, cv, cell(&t, r, cv), &p->baseline,
                             err);
        else if (strcmp(key, "followup") == 0)
            rc = design_followup(p, &t, r, cv, err);
        else if (strcmp(key, "alpha") == 0)
            rc = cell_double(&t, r, cv, &p->alpha, err);
    }
    if (rc == 0 && p->n_followup == 0)
        rc = we_fail(err, WE_EINVAL, "%s: no followup row; " REGENERATE,
                     t.path);
    table_free(&t);
    return rc;
}

/* Panels by fixture path (relative to the fixtures directory), loaded
 * once. */
#define MAX_PANELS 8
static panel PANELS[MAX_PANELS];

static const char *fixtures_root(void)
{
    const char *root = getenv("WE_ORACLE_FIXTURES");
    return root ? root : "tests/oracle/fixtures";
}

static panel *get_panel(const char *name)
{
    size_t k = 0;
    while (k < MAX_PANELS && PANELS[k].name[0] != '\0' &&
           strcmp(PANELS[k].name, name) != 0)
        k++;
    assert_true(k < MAX_PANELS);
    panel *p = &PANELS[k];
    if (p->name[0] != '\0')
        return p;
    char dir[600];
    we_error err = {{0}};
    snprintf(dir, sizeof dir, "%s/%s", fixtures_root(), name);
    snprintf(p->name, sizeof p->name, "%s", name);
    if (load_panel(p, dir, &err) || load_treated(p, dir, &err) ||
        load_design(p, dir, &err))
        fail_msg("%s", err.msg);
    return p;
}

static we_design design_of(const panel *p, const char *cluster)
{
    we_design d = {
        .n_areas = p->n_areas, .n_periods = p->n_periods,
        .treated_from = p->treated_from, .in_sample = p->in_sample,
        .cluster = strcmp(cluster, "area") == 0 ? p->area_id : p->muni_id,
        .baseline = p->baseline, .followup = p->followup,
        .n_followup = p->n_followup, .alpha = p->alpha};
    return d;
}

/* ---- the fixture cases ------------------------------------------------ */

enum {
    C_CASE, C_DATASET, C_CLUSTER, C_WEIGHTS, C_MODE, N_TEXT
};
static const char *const TEXT_COLS[N_TEXT] = {"case", "dataset", "cluster",
                                             "weights", "mode"};
enum {
    V_REPS, V_SEED, V_ALPHA, V_G, V_ENUM, V_USED, V_EST, V_SE, V_T, V_P,
    V_P_TOL, V_LO, V_HI, V_LO_TOL, V_HI_TOL, N_VALS
};
static const char *const VAL_COLS[N_VALS] = {
    "reps", "seed", "alpha", "n_clusters", "enumerated", "reps_used",
    "estimate", "se", "t_stat", "p_value", "p_tol", "ci_low", "ci_high",
    "ci_low_tol", "ci_high_tol"};

typedef struct wild_case {
    const char *text[N_TEXT];
    double v[N_VALS];
    size_t line;
} wild_case;

static table CASES_TABLE;
static wild_case *CASES;
static size_t N_CASES_LOADED;

static int load_cases(we_error *err)
{
    table *t = &CASES_TABLE;
    size_t ct[N_TEXT] = {0}, cv[N_VALS] = {0};
    char dir[600];
    snprintf(dir, sizeof dir, "%s/wild", fixtures_root());
    if (table_read(t, dir, "cases.csv", err) != 0)
        return -1;
    for (size_t k = 0; k < N_TEXT; k++)
        if (column(t, TEXT_COLS[k], &ct[k], err) != 0)
            return -1;
    for (size_t k = 0; k < N_VALS; k++)
        if (column(t, VAL_COLS[k], &cv[k], err) != 0)
            return -1;
    if ((CASES = calloc(t->n_rows, sizeof *CASES)) == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t r = 1; r < t->n_rows; r++, N_CASES_LOADED++) {
        wild_case *c = &CASES[r - 1];
        c->line = t->line[r];
        for (size_t k = 0; k < N_TEXT; k++)
            c->text[k] = cell(t, r, ct[k]);
        for (size_t k = 0; k < N_VALS; k++)
            if (cell_double(t, r, cv[k], &c->v[k], err) != 0)
                return -1;
    }
    return 0;
}

static we_boot_weights weights_of(const wild_case *c)
{
    if (strcmp(c->text[C_WEIGHTS], "rademacher") == 0)
        return WE_WEIGHTS_RADEMACHER;
    if (strcmp(c->text[C_WEIGHTS], "webb") != 0)
        fail_msg("cases.csv:%zu: unknown weights '%s'", c->line,
                 c->text[C_WEIGHTS]);
    return WE_WEIGHTS_WEBB;
}

/* |want - got| <= tol, with equal infinities accepted. */
static int check(const char *label, const char *what, double want,
                 double got, double tol)
{
    if (want == got || fabs(want - got) <= tol)
        return 0;
    print_error("%s %s: expected %.17g, got %.17g (difference %.3g, "
                "tolerance %.3g)\n", label, what, want, got, got - want, tol);
    return 1;
}

static double rel(double v, double r)
{
    return fmax(1e-300, r * fabs(v));
}

static void test_case(void **state)
{
    const wild_case *c = *state;
    const char *label = c->text[C_CASE];
    panel *p = get_panel(c->text[C_DATASET]);
    we_design d = design_of(p, c->text[C_CLUSTER]);
    we_wild_options o = {.weights = weights_of(c), .reps = (size_t)c->v[V_REPS],
                         .seed = (uint64_t)c->v[V_SEED],
                         .alpha = c->v[V_ALPHA], .want_ci = 1};
    we_wild_result r;
    we_error err = {{0}};
    int rc = we_twfe_wild(p->y, &d, &o, &r, &err);
    if (rc != 0)
        fail_msg("%s: returned %d: %s", label, rc, err.msg);
    int bad = 0;
    bad += check(label, "n_clusters", c->v[V_G], (double)r.n_clusters, 0);
    bad += check(label, "enumerated", c->v[V_ENUM], r.enumerated, 0);
    bad += check(label, "reps", c->v[V_USED], (double)r.reps, 0);
    bad += check(label, "estimate", c->v[V_EST], r.estimate,
                 rel(c->v[V_EST], 1e-10));
    bad += check(label, "t_stat", c->v[V_T], r.t_stat, rel(c->v[V_T], 1e-10));
    bad += check(label, "p_value", c->v[V_P], r.p_value, c->v[V_P_TOL]);
    bad += check(label, "ci_low", c->v[V_LO], r.ci_low, c->v[V_LO_TOL]);
    bad += check(label, "ci_high", c->v[V_HI], r.ci_high, c->v[V_HI_TOL]);
    print_message("%s: p %.6f (reference %.6f), ci [%.6f, %.6f] "
                  "(bounds off by %.2g, %.2g)\n", label, r.p_value,
                  c->v[V_P], r.ci_low, r.ci_high, r.ci_low - c->v[V_LO],
                  r.ci_high - c->v[V_HI]);
    if (bad > 0)
        fail_msg("%s (cases.csv line %zu): %d value(s) differ from the "
                 "reference", label, c->line, bad);
}

/* The Monte Carlo cases must be able to fail: their tolerances are a
 * small part of the quantities they bound (the p-value, and the width of
 * the interval). */
static void test_tolerances(void **state)
{
    (void)state;
    size_t mc = 0, same = 0;
    for (size_t k = 0; k < N_CASES_LOADED; k++) {
        const wild_case *c = &CASES[k];
        int is_mc = strcmp(c->text[C_MODE], "mc") == 0;
        mc += is_mc;
        same += !is_mc;
        assert_true(c->v[V_P_TOL] < (is_mc ? 0.03 : 1e-11));
        double width = c->v[V_HI] - c->v[V_LO];
        assert_true(c->v[V_LO_TOL] < 0.05 * width);
        assert_true(c->v[V_HI_TOL] < 0.05 * width);
    }
    assert_true(mc >= 2 && same >= 4);
}

/* ---- properties ------------------------------------------------------- */

static we_wild_result run(const char *dataset, const char *cluster,
                          we_boot_weights w, size_t reps, uint64_t seed,
                          int want_ci)
{
    panel *p = get_panel(dataset);
    we_design d = design_of(p, cluster);
    we_wild_options o = {.weights = w, .reps = reps, .seed = seed,
                         .alpha = 0.05, .want_ci = want_ci};
    we_wild_result r;
    we_error err = {{0}};
    int rc = we_twfe_wild(p->y, &d, &o, &r, &err);
    if (rc != 0)
        fail_msg("%s: %s", dataset, err.msg);
    return r;
}

/* The bootstrap on an explicit setup: the rows (we_twfe_wild_rows) or
 * the per-area sums (we_twfe_wild_sums). There the reference switch
 * changes only the draws (one at a time instead of in blocks). */
static we_wild_result run_on(const double *y, const we_design *d,
                             int from_sums, we_boot_weights w, size_t reps,
                             uint64_t seed)
{
    we_wild_options o = {
        .weights = w, .reps = reps, .seed = seed, .alpha = 0.05, .want_ci = 1};
    we_wild_result r;
    we_estimate est = {.struct_size = (uint32_t)sizeof est};
    we_error err = {{0}};
    int rc;
    if (from_sums) {
        we_twfe_area_sums ws;
        rc = we_twfe_area_sums_fit(y, d, &ws, &est, &err);
        if (rc == 0)
            rc = we_twfe_wild_sums(&ws, &est, &o, &r, &err);
        we_twfe_area_sums_free(&ws);
    } else {
        we_twfe_rows rows;
        rc = we_twfe_rows_build(y, d, &rows, &err);
        if (rc == 0)
            rc = we_twfe_from_rows(&rows, d->alpha, &est, &err);
        if (rc == 0)
            rc = we_twfe_wild_rows(&rows, &est, &o, &r, &err);
        we_twfe_rows_free(&rows);
    }
    if (rc != 0)
        fail_msg("%s", err.msg);
    return r;
}

static int same_result(const we_wild_result *a, const we_wild_result *b)
{
    return memcmp(&a->estimate, &b->estimate, sizeof(double)) == 0 &&
           memcmp(&a->p_value, &b->p_value, sizeof(double)) == 0 &&
           memcmp(&a->ci_low, &b->ci_low, sizeof(double)) == 0 &&
           memcmp(&a->ci_high, &b->ci_high, sizeof(double)) == 0 &&
           a->reps == b->reps && a->enumerated == b->enumerated;
}

static void test_same_seed_same_result(void **state)
{
    (void)state;
    we_wild_result a = run("waves", "municipality", WE_WEIGHTS_WEBB, 999, 42,
                           1);
    we_wild_result b = run("waves", "municipality", WE_WEIGHTS_WEBB, 999, 42,
                           1);
    we_wild_result c = run("waves", "municipality", WE_WEIGHTS_WEBB, 999, 43,
                           1);
    assert_true(same_result(&a, &b));
    /* A different seed gives other draws: the interval moves. */
    assert_false(a.ci_low == c.ci_low && a.ci_high == c.ci_high);
    assert_int_equal(a.enumerated, 0);
    assert_int_equal(a.reps, 999);
}

/* The draws in blocks (the fast path) against one at a time (the
 * reference): the same weights, the same sums per draw, so the same
 * p-values and intervals to the bit, random and enumerated, Rademacher
 * and Webb, B not a multiple of the block; on the rows' setup and on the
 * sums'. */
static void test_blocks_match_reference(void **state)
{
    (void)state;
    static const struct {
        const char *set, *cluster;
        we_boot_weights w;
        size_t reps;
        int enumerated;
    } cases[] = {
        {"waves", "municipality", WE_WEIGHTS_WEBB, 999, 0},
        {"waves", "municipality", WE_WEIGHTS_RADEMACHER, 4095, 0},
        {"waves", "municipality", WE_WEIGHTS_RADEMACHER, 9999, 1},
        {"waves", "area", WE_WEIGHTS_RADEMACHER, 1003, 0},
        {"wild/small", "municipality", WE_WEIGHTS_RADEMACHER, 256, 1}};
    for (int sums = 0; sums < 2; sums++)
        for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
            panel *p = get_panel(cases[k].set);
            we_design d = design_of(p, cases[k].cluster);
            we_wild_result f =
                run_on(p->y, &d, sums, cases[k].w, cases[k].reps, 7);
            we_use_reference_paths(1);
            we_wild_result r =
                run_on(p->y, &d, sums, cases[k].w, cases[k].reps, 7);
            we_use_reference_paths(0);
            if (!same_result(&f, &r))
                fail_msg("%s/%s (%s): blocks p %.17g [%.17g, %.17g], "
                         "reference p %.17g [%.17g, %.17g]",
                         cases[k].set, cases[k].cluster,
                         sums ? "sums" : "rows", f.p_value, f.ci_low,
                         f.ci_high, r.p_value, r.ci_low, r.ci_high);
            assert_int_equal(f.enumerated, cases[k].enumerated);
        }
}

/* |a - b| <= tol |b|, or both the same infinity. */
static void near(double a, double b, double tol, const char *what,
                 const char *label)
{
    if (a == b || fabs(a - b) <= tol * fabs(b))
        return;
    fail_msg("%s %s: sums %.17g, rows %.17g (rel %.2g)", label, what, a, b,
             fabs(a - b) / fabs(b));
}

/* The bootstrap from the per-area sums (the fast path, what a run and
 * `estimate` use) against the rows (the reference): the sums run in
 * another order, so the estimate, t and the bounds agree to 1e-12
 * relative, not to the bit; the p-value is a count over the same draws
 * and is equal. The bounds are bisected to 1e-10 se, so a step of the
 * p-value function that rounding moves across a bisection point could
 * move a bound by up to that (not seen on these panels; the tolerance
 * below says so if it happens). */
static void sums_agree(const double *y, const we_design *d, we_boot_weights w,
                       size_t reps, const char *label)
{
    we_wild_result a = run_on(y, d, 1, w, reps, 11);
    we_wild_result b = run_on(y, d, 0, w, reps, 11);
    near(a.estimate, b.estimate, 1e-12, "estimate", label);
    near(a.t_stat, b.t_stat, 1e-12, "t", label);
    if (a.p_value != b.p_value)
        fail_msg("%s: p-value sums %.17g, rows %.17g", label, a.p_value,
                 b.p_value);
    near(a.ci_low, b.ci_low, 1e-12, "ci_low", label);
    near(a.ci_high, b.ci_high, 1e-12, "ci_high", label);
    assert_int_equal(a.reps, b.reps);
    assert_int_equal(a.enumerated, b.enumerated);
    assert_int_equal(a.n_clusters, b.n_clusters);
}

static void test_sums_match_rows(void **state)
{
    (void)state;
    static const struct {
        const char *set, *cluster;
        we_boot_weights w;
        size_t reps;
    } cases[] = {{"waves", "municipality", WE_WEIGHTS_WEBB, 999},
                 {"waves", "municipality", WE_WEIGHTS_RADEMACHER, 9999},
                 {"waves", "area", WE_WEIGHTS_RADEMACHER, 999},
                 {"prop99", "area", WE_WEIGHTS_WEBB, 999},
                 {"wild/small", "municipality", WE_WEIGHTS_RADEMACHER, 256}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        panel *p = get_panel(cases[k].set);
        we_design d = design_of(p, cases[k].cluster);
        char label[96];
        snprintf(label, sizeof label, "%s/%s", cases[k].set, cases[k].cluster);
        sums_agree(p->y, &d, cases[k].w, cases[k].reps, label);
    }
    /* Unbalanced: cells missing here and there, an area with a single
     * cell (it adds nothing to the sums but counts in N and in its
     * cluster), an area out of the sample, and a level of 250,000 (a WOZ
     * value in euros) where both lose digits to the demeaning. */
    panel *p = get_panel("waves");
    size_t A = p->n_areas, T = p->n_periods;
    double *y = malloc(A * T * sizeof *y);
    unsigned char *in = malloc(A);
    assert_non_null(y);
    assert_non_null(in);
    memcpy(y, p->y, A * T * sizeof *y);
    memcpy(in, p->in_sample, A);
    for (size_t c = 0; c < 40; c++)
        y[((c * 7) % A) * T + (c * 5) % T] = NAN;
    for (size_t t = 1; t < T; t++)
        y[2 * T + t] = NAN;
    in[5] = 0;
    we_design d = design_of(p, "municipality");
    d.in_sample = in;
    sums_agree(y, &d, WE_WEIGHTS_RADEMACHER, 999, "waves unbalanced");
    d.cluster = p->area_id;
    sums_agree(y, &d, WE_WEIGHTS_WEBB, 999, "waves unbalanced, by area");
    for (size_t c = 0; c < A * T; c++)
        y[c] = y[c] * 1000.0 + 250000.0;
    d.cluster = p->muni_id;
    sums_agree(y, &d, WE_WEIGHTS_RADEMACHER, 999, "waves at 250,000");
    /* The same refusals: collinear (no treated cell after the start). */
    for (size_t i = 0; i < A; i++)
        if (p->treated_from[i] >= 0)
            for (size_t t = (size_t)p->treated_from[i]; t < T; t++)
                y[i * T + t] = NAN;
    we_wild_options o = {.weights = WE_WEIGHTS_RADEMACHER,
                         .reps = 99,
                         .seed = 1,
                         .alpha = 0.05,
                         .want_ci = 1};
    we_wild_result r;
    we_error e1 = {{0}}, e2 = {{0}};
    int r1 = we_twfe_wild(y, &d, &o, &r, &e1);
    we_use_reference_paths(1);
    int r2 = we_twfe_wild(y, &d, &o, &r, &e2);
    we_use_reference_paths(0);
    assert_int_equal(r1, WE_ESINGULAR);
    assert_int_equal(r1, r2);
    assert_string_equal(e1.msg, e2.msg);
    free(y);
    free(in);
}

/* The inline generator of the fast path (util/mt19937.h) is GSL's
 * mt19937 stream: the same outputs for the same seed across several
 * regenerations of the state, and the same integers from
 * gsl_rng_uniform_int for the bootstrap's n = 2 and 6 (and others). */
static void test_mt19937_is_gsl(void **state)
{
    (void)state;
    static const unsigned long seeds[] = {
        0, 1, 4357, 20081107, 0xffffffffUL, 0x9e3779b9UL};
    static const uint32_t ns[] = {2, 6, 3, 1000, 0x7fffffffu};
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(r);
    for (size_t k = 0; k < sizeof seeds / sizeof seeds[0]; k++) {
        we_mt19937 g;
        gsl_rng_set(r, seeds[k]);
        we_mt19937_seed(&g, seeds[k]);
        for (int i = 0; i < 3 * WE_MT_N + 5; i++)
            assert_true(we_mt19937_next(&g) == (uint32_t)gsl_rng_get(r));
        for (size_t j = 0; j < sizeof ns / sizeof ns[0]; j++)
            for (int i = 0; i < 2000; i++)
                assert_true(we_mt19937_uniform_int(&g, ns[j]) ==
                            (uint32_t)gsl_rng_uniform_int(r, ns[j]));
    }
    gsl_rng_free(r);
}

static void test_enumeration_ignores_seed(void **state)
{
    (void)state;
    we_wild_result a = run("waves", "municipality", WE_WEIGHTS_RADEMACHER,
                           9999, 1, 1);
    we_wild_result b = run("waves", "municipality", WE_WEIGHTS_RADEMACHER,
                           4096, 0xfeedfacecafeULL, 1);
    assert_true(same_result(&a, &b));
    assert_int_equal(a.enumerated, 1);
    assert_int_equal(a.reps, 4096);
    assert_int_equal(a.n_clusters, 12);
    /* One replication short of 2^12: random signs instead. */
    we_wild_result c = run("waves", "municipality", WE_WEIGHTS_RADEMACHER,
                           4095, 1, 0);
    assert_int_equal(c.enumerated, 0);
    assert_int_equal(c.reps, 4095);
    /* Webb weights are never enumerated. */
    we_wild_result w = run("waves", "municipality", WE_WEIGHTS_WEBB, 9999, 1,
                           0);
    assert_int_equal(w.enumerated, 0);
    assert_true(isnan(w.ci_low) && isnan(w.ci_high));
}

/* With enumeration the p-value is a multiple of 2^-G, and never below
 * 2 / 2^G: w = 1 and w = -1 reproduce the sample and tie with it. */
static void test_enumeration_lattice(void **state)
{
    (void)state;
    we_wild_result a = run("wild/small", "municipality",
                           WE_WEIGHTS_RADEMACHER, 256, 5, 0);
    assert_int_equal(a.reps, 256);
    double k = a.p_value * 256.0;
    assert_true(k == floor(k) && k >= 2.0);
}

/* Drawn at random, p = (1 + #{|t*| >= |t|}) / (B + 1): a multiple of
 * 1 / (B + 1) and never 0 (issue 16). */
static void test_p_never_zero(void **state)
{
    (void)state;
    we_wild_result a = run("waves", "municipality", WE_WEIGHTS_WEBB, 19, 3,
                           0);
    print_message("p with 19 Webb draws: %.17g\n", a.p_value);
    assert_int_equal(a.enumerated, 0);
    assert_int_equal(a.reps, 19);
    double k = a.p_value * 20.0;
    assert_true(fabs(k - round(k)) < 1e-9 && round(k) >= 1.0);
}

static void test_t_equals_twfe(void **state)
{
    (void)state;
    static const char *const sets[][2] = {
        {"waves", "municipality"}, {"waves", "area"}, {"prop99", "area"},
        {"wild/small", "municipality"}};
    for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++) {
        panel *p = get_panel(sets[k][0]);
        we_design d = design_of(p, sets[k][1]);
        we_estimate e = {.struct_size = (uint32_t)sizeof e};
        we_error err = {{0}};
        /* The sums' estimate (we_twfe_sums), the bootstrap's own. */
        assert_int_equal(we_twfe_sums(p->y, &d, &e, &err), 0);
        we_wild_result r = run(sets[k][0], sets[k][1], WE_WEIGHTS_WEBB, 99,
                               3, 0);
        assert_true(r.estimate == e.estimate);
        assert_true(r.t_stat == e.estimate / e.se);
    }
}

/* ---- errors ----------------------------------------------------------- */

static int run_err(const double *y, const we_design *d,
                   const we_wild_options *o, we_error *err)
{
    we_wild_result r;
    memset(err, 0, sizeof *err);
    int rc = we_twfe_wild(y, d, o, &r, err);
    assert_true(isnan(r.p_value));
    assert_true(err->msg[0] != '\0');
    print_message("refused as expected: %s\n", err->msg);
    return rc;
}

static void test_errors(void **state)
{
    (void)state;
    panel *p = get_panel("waves");
    we_design d = design_of(p, "municipality");
    we_wild_options o = {.weights = WE_WEIGHTS_WEBB, .reps = 0, .seed = 1,
                         .alpha = 0.05, .want_ci = 1};
    we_error err;
    assert_int_equal(run_err(p->y, &d, &o, &err), WE_EINVAL);
    assert_non_null(strstr(err.msg, "reps"));
    o.reps = 99;
    o.weights = (we_boot_weights)7;
    assert_int_equal(run_err(p->y, &d, &o, &err), WE_EINVAL);
    o.weights = WE_WEIGHTS_RADEMACHER;
    o.alpha = 1.5;
    assert_int_equal(run_err(p->y, &d, &o, &err), WE_EINVAL);
    o.alpha = 0.05;

    int *one = calloc(p->n_areas, sizeof *one); /* a single cluster */
    assert_non_null(one);
    d.cluster = one;
    assert_int_equal(run_err(p->y, &d, &o, &err), WE_ENODATA);
    assert_non_null(strstr(err.msg, "cluster"));
    free(one);

    long *never = malloc(p->n_areas * sizeof *never); /* no treatment */
    assert_non_null(never);
    for (size_t i = 0; i < p->n_areas; i++)
        never[i] = -1;
    d = design_of(p, "municipality");
    d.treated_from = never;
    assert_int_equal(run_err(p->y, &d, &o, &err), WE_ESINGULAR);
    free(never);

    size_t n = p->n_areas * p->n_periods; /* a constant outcome */
    double *flat = malloc(n * sizeof *flat);
    assert_non_null(flat);
    for (size_t k = 0; k < n; k++)
        flat[k] = 5.0;
    d = design_of(p, "municipality");
    assert_int_equal(run_err(flat, &d, &o, &err), WE_ENODATA);
    assert_non_null(strstr(err.msg, "standard error is zero"));

    /* +-1e308 overflow the sums: named as such, not as a zero SE. */
    for (size_t k = 0; k < n; k++)
        flat[k] = k % 2 ? 1e308 : -1e308;
    assert_int_equal(run_err(flat, &d, &o, &err), WE_ENODATA);
    assert_non_null(strstr(err.msg, "not finite"));
    assert_null(strstr(err.msg, "is zero"));
    free(flat);
}

/* ---- size under the null ---------------------------------------------- */

/* 18 municipalities of 6 areas, 1 to 3 treated areas in each, two
 * treatment waves, 8 periods; no effect. Municipality-by-period shocks
 * make the municipality the right cluster. */
#define SIZE_SIMS 1000
#define SIZE_G 18
#define SIZE_AREAS 6
#define SIZE_T 8

static void simulate_null(gsl_rng *rng, double *y)
{
    double shock[SIZE_G][SIZE_T];
    for (size_t g = 0; g < SIZE_G; g++)
        for (size_t t = 0; t < SIZE_T; t++)
            shock[g][t] = gsl_ran_gaussian(rng, 0.7);
    for (size_t i = 0; i < SIZE_G * SIZE_AREAS; i++) {
        double a = gsl_ran_gaussian(rng, 1.0);
        for (size_t t = 0; t < SIZE_T; t++)
            y[i * SIZE_T + t] = a + 0.2 * (double)t +
                                shock[i / SIZE_AREAS][t] +
                                gsl_ran_gaussian(rng, 1.0);
    }
}

/* The rejection rate at 5% of SIZE_SIMS null panels (Webb, 199 draws).
 * The size of the test in this design is about 5.4% (10,000 simulations,
 * 199 draws; CR1 with t(G-1) is at 5.3%: balanced clusters, all of them
 * treated, as the 40 wijken in 18 municipalities). The count of
 * rejections is then about Binomial(1000, 0.054): mean 54, sd 7.1. The
 * window 25..80 lies 4 and 3.7 sd from it, so a correct implementation
 * fails it with probability below 0.02%; it catches a bootstrap that
 * rejects far too often (the CR1 of a wrong cluster level) or almost
 * never. A smoke check; the fuller size study is separate. */
static void test_size_under_null(void **state)
{
    (void)state;
    size_t A = SIZE_G * SIZE_AREAS;
    double *y = malloc(A * SIZE_T * sizeof *y);
    long from[SIZE_G * SIZE_AREAS];
    int cl[SIZE_G * SIZE_AREAS];
    unsigned char in[SIZE_G * SIZE_AREAS];
    size_t fu[] = {4, 5, 6, 7};
    assert_non_null(y);
    for (size_t i = 0; i < A; i++) {
        size_t g = i / SIZE_AREAS;
        cl[i] = (int)g;
        in[i] = 1;
        from[i] = i % SIZE_AREAS <= g % 3 ? (long)(4 + g % 2) : -1;
    }
    we_design d = {.n_areas = A, .n_periods = SIZE_T, .treated_from = from,
                   .in_sample = in, .cluster = cl, .baseline = 3,
                   .followup = fu, .n_followup = 4, .alpha = 0.05};
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(rng);
    gsl_rng_set(rng, 20250601);
    size_t boot = 0, cr1 = 0;
    for (size_t s = 0; s < SIZE_SIMS; s++) {
        simulate_null(rng, y);
        we_wild_options o = {.weights = WE_WEIGHTS_WEBB, .reps = 199,
                             .seed = s + 1, .alpha = 0.05};
        we_wild_result r;
        we_estimate e = {.struct_size = (uint32_t)sizeof e};
        we_error err = {{0}};
        assert_int_equal(we_twfe_wild(y, &d, &o, &r, &err), 0);
        assert_int_equal(we_twfe(y, &d, &e, &err), 0);
        boot += r.p_value <= 0.05;
        cr1 += e.p_value <= 0.05;
    }
    print_message("size at 5%%: wild bootstrap %zu / %d, CR1 t(G-1) %zu / "
                  "%d\n", boot, SIZE_SIMS, cr1, SIZE_SIMS);
    gsl_rng_free(rng);
    free(y);
    assert_in_range(boot, 25, 80);
}

/* ---- main ------------------------------------------------------------- */

static int free_all(void **state)
{
    (void)state;
    for (size_t k = 0; k < MAX_PANELS; k++)
        panel_free(&PANELS[k]);
    table_free(&CASES_TABLE);
    free(CASES);
    return 0;
}

int main(void)
{
    gsl_set_error_handler_off();
    we_error err = {{0}};
    if (load_cases(&err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        free_all(NULL);
        return 1;
    }
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_tolerances),
        cmocka_unit_test(test_same_seed_same_result),
        cmocka_unit_test(test_blocks_match_reference),
        cmocka_unit_test(test_sums_match_rows),
        cmocka_unit_test(test_mt19937_is_gsl),
        cmocka_unit_test(test_enumeration_ignores_seed),
        cmocka_unit_test(test_enumeration_lattice),
        cmocka_unit_test(test_p_never_zero),
        cmocka_unit_test(test_t_equals_twfe),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_size_under_null)};
    size_t n_fixed = sizeof fixed / sizeof fixed[0];
    size_t n = n_fixed + N_CASES_LOADED;
    struct CMUnitTest *tests = calloc(n, sizeof *tests);
    if (tests == NULL) {
        free_all(NULL);
        return 1;
    }
    for (size_t k = 0; k < N_CASES_LOADED; k++)
        tests[k] = (struct CMUnitTest){CASES[k].text[C_CASE], test_case,
                                       NULL, NULL, &CASES[k]};
    memcpy(tests + N_CASES_LOADED, fixed, sizeof fixed);
    int rc = _cmocka_run_group_tests("wild", tests, n, NULL, free_all);
    free(tests);
    return rc;
}
