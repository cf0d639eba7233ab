/* Oracle test: the core methods against reference values computed in R
 * (tests/oracle/reference.R; contract and file formats in
 * tests/oracle/README.md). One test per dataset x method x variant, plus a
 * coverage test per dataset that ties expected.csv to the table below.
 *
 * The fixtures are read with stdio and strtod only, so that a fault in the
 * project's CSV reader cannot hide a fault in the methods. Run from the
 * repository root, or set WE_ORACLE_FIXTURES to the fixtures directory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "methods/methods.h"

#define REL_TOL 1e-8
#define ABS_TOL 1e-10
#define MAX_REPORTED 5
#define REGENERATE "regenerate with: Rscript tests/oracle/reference.R"

/* ---- the cases -------------------------------------------------------- */

typedef struct oracle_case {
    const char *dataset;
    const char *method;
    const char *variant;
} oracle_case;

#define DATASET_CASES(ds)                                                  \
    {ds, "pre_post", "none"}, {ds, "gap", "municipality"},                 \
    {ds, "gap", "municipality_weighted"}, {ds, "gap", "national"},         \
    {ds, "gap", "national_weighted"}, {ds, "did_2x2", "cluster_area"},     \
    {ds, "did_2x2", "cluster_municipality"}, {ds, "twfe", "cluster_area"}, \
    {ds, "twfe", "cluster_municipality"}

static const char *const DATASETS[] = {"prop99", "waves", "mpdta"};
#define N_DATASETS (sizeof DATASETS / sizeof DATASETS[0])

static const oracle_case CASES[] = {
    DATASET_CASES("prop99"), DATASET_CASES("waves"), DATASET_CASES("mpdta")};
#define N_CASES (sizeof CASES / sizeof CASES[0])

/* Order of the gap variants = order of the columns in reference.csv. */
static const char *const GAP_VARIANTS[] = {
    "municipality", "municipality_weighted", "national", "national_weighted"};
#define N_GAP (sizeof GAP_VARIANTS / sizeof GAP_VARIANTS[0])

/* expected.csv value columns, in file order. */
enum {
    F_ESTIMATE, F_SE, F_CI_LOW, F_CI_HIGH, F_P_VALUE, F_DF, F_N_TREATED,
    F_N_CONTROL, F_N_OBS, F_BASELINE, F_LATEST, N_FIELDS
};
static const char *const FIELD_NAMES[N_FIELDS] = {
    "estimate", "se", "ci_low", "ci_high", "p_value", "df", "n_treated",
    "n_control", "n_obs", "baseline", "latest"};

/* ---- a minimal CSV table ---------------------------------------------- */

/* The whole file in one buffer, fields NUL-terminated in place. Row 0 is
 * the header. The fixtures never quote fields. */
typedef struct csv_table {
    char path[512];
    char *buf;
    size_t n_cols, n_rows, cap_rows;
    char **cell;      /* n_rows * n_cols */
    size_t *col_no;   /* 1-based character column of each cell */
    size_t *line_no;  /* 1-based line of each row */
} csv_table;

static void table_free(csv_table *t)
{
    free(t->buf);
    free(t->cell);
    free(t->col_no);
    free(t->line_no);
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
    size_t len = 0, cap = 1 << 16;
    char *buf = malloc(cap), *grown = buf;
    while (grown != NULL) {
        buf = grown;
        len += fread(buf + len, 1, cap - len - 1, f);
        if (len < cap - 1)
            break;
        cap *= 2;
        grown = realloc(buf, cap);
    }
    int bad = grown == NULL || ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        we_fail(err, WE_ENOMEM,
                "%s: cannot read the file (out of memory or I/O "
                "error)",
                path);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

static int table_grow(csv_table *t, we_error *err)
{
    size_t cap = t->cap_rows ? t->cap_rows * 2 : 256;
    char **cell = realloc(t->cell, cap * t->n_cols * sizeof *cell);
    if (cell != NULL)
        t->cell = cell;
    size_t *col_no = realloc(t->col_no, cap * t->n_cols * sizeof *col_no);
    if (col_no != NULL)
        t->col_no = col_no;
    size_t *line_no = realloc(t->line_no, cap * sizeof *line_no);
    if (line_no != NULL)
        t->line_no = line_no;
    if (cell == NULL || col_no == NULL || line_no == NULL)
        return we_fail(err, WE_ENOMEM, "%s: out of memory", t->path);
    t->cap_rows = cap;
    return 0;
}

static size_t count_fields(const char *line)
{
    size_t n = 1;
    for (; *line; line++)
        n += *line == ',';
    return n;
}

static int table_add_row(csv_table *t, char *line, size_t line_no,
                         we_error *err)
{
    size_t n = count_fields(line);
    if (t->n_cols == 0)
        t->n_cols = n;
    if (n != t->n_cols)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:1: %zu fields, the header has %zu; " REGENERATE,
                       t->path, line_no, n, t->n_cols);
    if (t->n_rows == t->cap_rows && table_grow(t, err) != 0)
        return -1;
    char *p = line;
    for (size_t c = 0; c < n; c++) {
        t->cell[t->n_rows * n + c] = p;
        t->col_no[t->n_rows * n + c] = (size_t)(p - line) + 1;
        p += strcspn(p, ",");
        if (*p == ',')
            *p++ = '\0';
    }
    t->line_no[t->n_rows++] = line_no;
    return 0;
}

static int table_read(csv_table *t, const char *dir, const char *file,
                      we_error *err)
{
    memset(t, 0, sizeof *t);
    snprintf(t->path, sizeof t->path, "%s/%s", dir, file);
    t->buf = slurp(t->path, err);
    if (t->buf == NULL)
        return -1;
    char *p = t->buf;
    for (size_t line_no = 1; *p != '\0'; line_no++) {
        char *eol = strchr(p, '\n');
        if (eol != NULL)
            *eol = '\0';
        size_t len = strlen(p);
        if (len > 0 && p[len - 1] == '\r')
            p[--len] = '\0';
        if (len > 0 && table_add_row(t, p, line_no, err) != 0)
            return -1;
        p = eol != NULL ? eol + 1 : p + len;
    }
    if (t->n_rows < 2)
        return we_fail(err, WE_EINVAL, "%s:1:1: no data rows; " REGENERATE,
                       t->path);
    return 0;
}

static const char *cell(const csv_table *t, size_t r, size_t c)
{
    return t->cell[r * t->n_cols + c];
}

static int column(const csv_table *t, const char *name, size_t *out,
                  we_error *err)
{
    for (size_t c = 0; c < t->n_cols; c++) {
        if (strcmp(cell(t, 0, c), name) == 0) {
            *out = c;
            return 0;
        }
    }
    return we_fail(err, WE_EINVAL, "%s:1:1: no column '%s'; " REGENERATE,
                   t->path, name);
}

static int cell_error(const csv_table *t, size_t r, size_t c, const char *what,
                      we_error *err)
{
    return we_fail(err, WE_EINVAL, "%s:%zu:%zu: '%s' is not %s; " REGENERATE,
                   t->path, t->line_no[r], t->col_no[r * t->n_cols + c],
                   cell(t, r, c), what);
}

/* Empty or NA is missing (NaN); anything else must be a finite number. */
static int cell_double(const csv_table *t, size_t r, size_t c, double *out,
                       we_error *err)
{
    const char *s = cell(t, r, c);
    if (*s == '\0' || strcmp(s, "NA") == 0) {
        *out = NAN;
        return 0;
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(v))
        return cell_error(t, r, c, "a finite number or NA", err);
    *out = v;
    return 0;
}

static int parse_long(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE)
        return -1;
    *out = v;
    return 0;
}

static int cell_long(const csv_table *t, size_t r, size_t c, long *out,
                     we_error *err)
{
    if (parse_long(cell(t, r, c), out) != 0)
        return cell_error(t, r, c, "an integer", err);
    return 0;
}

/* ---- one dataset ------------------------------------------------------ */

typedef struct oracle_row {
    const char *method, *variant; /* point into the expected table */
    double v[N_FIELDS];           /* NaN = NA */
} oracle_row;

typedef struct oracle_data {
    const char *name;
    int state; /* 0 not loaded, 1 loaded, -1 failed (see err) */
    we_error err;
    csv_table panel, expected;
    size_t n_areas, n_periods, n_munis;
    const char **area;  /* names, into the panel table */
    const char **munis; /* names, into the panel table */
    long *period;       /* labels, ascending */
    int *area_id;       /* 0..n_areas-1: clusters by area */
    int *muni_id;       /* per area: clusters and gap groups */
    double *population, *y;
    long *treated_from;
    unsigned char *in_sample;
    size_t baseline, *followup, n_followup;
    double alpha;
    oracle_row *rows;
    size_t n_rows;
    double *ref[N_GAP]; /* expected reference series, NaN = none */
} oracle_data;

static oracle_data DATA[N_DATASETS];

static long find_name(const char **names, size_t n, const char *s)
{
    for (size_t i = n; i-- > 0;) /* rows come grouped: search from the end */
        if (strcmp(names[i], s) == 0)
            return (long)i;
    return -1;
}

static long find_period(const oracle_data *d, long label)
{
    for (size_t t = 0; t < d->n_periods; t++)
        if (d->period[t] == label)
            return (long)t;
    return -1;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, z = *(const long *)b;
    return (x > z) - (x < z);
}

static int alloc_arrays(oracle_data *d, size_t n_rows, we_error *err)
{
    d->area = calloc(n_rows, sizeof *d->area);
    d->munis = calloc(n_rows, sizeof *d->munis);
    d->period = calloc(n_rows, sizeof *d->period);
    d->area_id = calloc(n_rows, sizeof *d->area_id);
    d->muni_id = calloc(n_rows, sizeof *d->muni_id);
    d->population = calloc(n_rows, sizeof *d->population);
    d->treated_from = calloc(n_rows, sizeof *d->treated_from);
    d->in_sample = calloc(n_rows, sizeof *d->in_sample);
    if (!d->area || !d->munis || !d->period || !d->area_id || !d->muni_id
        || !d->population || !d->treated_from || !d->in_sample)
        return we_fail(err, WE_ENOMEM, "%s: out of memory", d->panel.path);
    return 0;
}

typedef struct panel_cols { size_t area, muni, period, y, pop; } panel_cols;

static int panel_columns(const csv_table *t, panel_cols *c, we_error *err)
{
    if (column(t, "area", &c->area, err) || column(t, "municipality", &c->muni, err)
        || column(t, "period", &c->period, err) || column(t, "y", &c->y, err)
        || column(t, "population", &c->pop, err))
        return -1;
    return 0;
}

/* Pass 1: areas in order of first appearance with their municipality and
 * population, and the sorted distinct periods. */
static int panel_index(oracle_data *d, const panel_cols *c, we_error *err)
{
    const csv_table *t = &d->panel;
    for (size_t r = 1; r < t->n_rows; r++) {
        long label = 0;
        double pop = NAN;
        if (cell_long(t, r, c->period, &label, err)
            || cell_double(t, r, c->pop, &pop, err))
            return -1;
        if (find_period(d, label) < 0)
            d->period[d->n_periods++] = label;
        const char *a = cell(t, r, c->area), *m = cell(t, r, c->muni);
        long i = find_name(d->area, d->n_areas, a);
        if (i < 0) {
            long g = find_name(d->munis, d->n_munis, m);
            if (g < 0) {
                g = (long)d->n_munis++;
                d->munis[g] = m;
            }
            i = (long)d->n_areas++;
            d->area[i] = a;
            d->area_id[i] = (int)i;
            d->muni_id[i] = (int)g;
            d->population[i] = pop;
            d->treated_from[i] = -1;
            d->in_sample[i] = 1;
        } else if (strcmp(d->munis[d->muni_id[i]], m) != 0
                   || !(pop == d->population[i]
                        || (isnan(pop) && isnan(d->population[i])))) {
            return cell_error(t, r, c->muni, "the municipality and "
                              "population of the area's earlier rows", err);
        }
    }
    qsort(d->period, d->n_periods, sizeof *d->period, cmp_long);
    return 0;
}

/* Pass 2: the y matrix; missing rows and empty cells stay NaN. */
static int panel_values(oracle_data *d, const panel_cols *c, we_error *err)
{
    const csv_table *t = &d->panel;
    size_t n = d->n_areas * d->n_periods;
    d->y = malloc(n * sizeof *d->y);
    unsigned char *seen = calloc(n, 1);
    int rc = d->y == NULL || seen == NULL
                 ? we_fail(err, WE_ENOMEM, "%s: out of memory", t->path)
                 : 0;
    for (size_t k = 0; rc == 0 && k < n; k++)
        d->y[k] = NAN;
    for (size_t r = 1; rc == 0 && r < t->n_rows; r++) {
        /* Pass 1 has validated the area and period of every row. */
        long label = 0;
        size_t i = (size_t)find_name(d->area, d->n_areas, cell(t, r, c->area));
        (void)parse_long(cell(t, r, c->period), &label);
        size_t k = i * d->n_periods + (size_t)find_period(d, label);
        if (seen[k]++)
            rc = cell_error(t, r, c->period, "a new period for the area",
                            err);
        else
            rc = cell_double(t, r, c->y, &d->y[k], err);
    }
    free(seen);
    return rc;
}

static int load_panel(oracle_data *d, const char *dir, we_error *err)
{
    panel_cols c = {0, 0, 0, 0, 0};
    if (table_read(&d->panel, dir, "panel.csv", err) != 0
        || panel_columns(&d->panel, &c, err) != 0
        || alloc_arrays(d, d->panel.n_rows, err) != 0
        || panel_index(d, &c, err) != 0)
        return -1;
    return panel_values(d, &c, err);
}

/* The first period at or after `from`; -1 when it is after the data. */
static long period_at_or_after(const oracle_data *d, long from)
{
    for (size_t t = 0; t < d->n_periods; t++)
        if (d->period[t] >= from)
            return (long)t;
    return -1;
}

static int load_treated(oracle_data *d, const char *dir, we_error *err)
{
    csv_table t;
    size_t ca = 0, cf = 0;
    int rc = table_read(&t, dir, "treated.csv", err);
    if (rc == 0)
        rc = column(&t, "area", &ca, err) || column(&t, "from", &cf, err);
    for (size_t r = 1; rc == 0 && r < t.n_rows; r++) {
        long from = 0, i = find_name(d->area, d->n_areas, cell(&t, r, ca));
        if (i < 0)
            rc = cell_error(&t, r, ca, "an area of panel.csv", err);
        else
            rc = cell_long(&t, r, cf, &from, err);
        if (rc == 0)
            d->treated_from[i] = period_at_or_after(d, from);
    }
    table_free(&t);
    return rc;
}

static int design_period(oracle_data *d, const csv_table *t, size_t r,
                         size_t c, const char *label, size_t *out,
                         we_error *err)
{
    long v, k;
    if (parse_long(label, &v) != 0 || (k = find_period(d, v)) < 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: '%s' is not a period of "
                       "panel.csv; " REGENERATE,
                       t->path, t->line_no[r], t->col_no[r * t->n_cols + c],
                       label);
    *out = (size_t)k;
    return 0;
}

static int design_followup(oracle_data *d, const csv_table *t, size_t r,
                           size_t c, we_error *err)
{
    char *list = strdup(cell(t, r, c)), *save = NULL;
    d->followup = calloc(d->n_periods, sizeof *d->followup);
    if (list == NULL || d->followup == NULL) {
        free(list);
        return we_fail(err, WE_ENOMEM, "%s: out of memory", t->path);
    }
    int rc = 0;
    for (char *tok = strtok_r(list, " ", &save); rc == 0 && tok != NULL;
         tok = strtok_r(NULL, " ", &save)) {
        size_t k = 0;
        rc = design_period(d, t, r, c, tok, &k, err);
        if (rc == 0 && d->n_followup > 0 && k <= d->followup[d->n_followup - 1])
            rc = cell_error(t, r, c, "an ascending list of periods", err);
        if (rc == 0)
            d->followup[d->n_followup++] = k;
    }
    free(list);
    if (rc == 0 && d->n_followup == 0)
        rc = cell_error(t, r, c, "a list of follow-up periods", err);
    return rc;
}

static int load_design(oracle_data *d, const char *dir, we_error *err)
{
    csv_table t;
    size_t ck = 0, cv = 0;
    int rc = table_read(&t, dir, "design.csv", err), have = 0;
    if (rc == 0)
        rc = column(&t, "key", &ck, err) || column(&t, "value", &cv, err);
    for (size_t r = 1; rc == 0 && r < t.n_rows; r++) {
        const char *key = cell(&t, r, ck);
        if (strcmp(key, "baseline") == 0)
            rc = design_period(d, &t, r, cv, cell(&t, r, cv), &d->baseline, err);
        else if (strcmp(key, "followup") == 0)
            rc = design_followup(d, &t, r, cv, err);
        else if (strcmp(key, "alpha") == 0)
            rc = cell_double(&t, r, cv, &d->alpha, err);
        else
            rc = cell_error(&t, r, ck, "baseline, followup or alpha", err);
        have += rc == 0;
    }
    if (rc == 0 && have != 3)
        rc = we_fail(err, WE_EINVAL,
                     "%s: needs the keys baseline, followup and alpha "
                     "once each; " REGENERATE,
                     t.path);
    table_free(&t);
    return rc;
}

static int load_expected(oracle_data *d, const char *dir, we_error *err)
{
    csv_table *t = &d->expected;
    size_t cm = 0, cv = 0, cf[N_FIELDS] = {0};
    if (table_read(t, dir, "expected.csv", err) != 0
        || column(t, "method", &cm, err) || column(t, "variant", &cv, err))
        return -1;
    for (size_t f = 0; f < N_FIELDS; f++)
        if (column(t, FIELD_NAMES[f], &cf[f], err) != 0)
            return -1;
    d->rows = calloc(t->n_rows, sizeof *d->rows);
    if (d->rows == NULL)
        return we_fail(err, WE_ENOMEM, "%s: out of memory", t->path);
    for (size_t r = 1; r < t->n_rows; r++, d->n_rows++) {
        oracle_row *row = &d->rows[d->n_rows];
        row->method = cell(t, r, cm);
        row->variant = cell(t, r, cv);
        for (size_t f = 0; f < N_FIELDS; f++)
            if (cell_double(t, r, cf[f], &row->v[f], err) != 0)
                return -1;
    }
    return 0;
}

static int reference_row(oracle_data *d, const csv_table *t, size_t r,
                         const size_t *col, unsigned char *seen,
                         we_error *err)
{
    long label = 0, i = find_name(d->area, d->n_areas, cell(t, r, col[0])), p;
    if (i < 0)
        return cell_error(t, r, col[0], "an area of panel.csv", err);
    if (cell_long(t, r, col[1], &label, err) != 0)
        return -1;
    if ((p = find_period(d, label)) < 0)
        return cell_error(t, r, col[1], "a period of panel.csv", err);
    size_t k = (size_t)i * d->n_periods + (size_t)p;
    if (seen[k]++)
        return cell_error(t, r, col[1], "a new period for the area", err);
    for (size_t g = 0; g < N_GAP; g++)
        if (cell_double(t, r, col[2 + g], &d->ref[g][k], err) != 0)
            return -1;
    return 0;
}

static int load_reference(oracle_data *d, const char *dir, we_error *err)
{
    csv_table t;
    size_t col[2 + N_GAP] = {0}, n = d->n_areas * d->n_periods;
    unsigned char *seen = calloc(n, 1);
    int rc = table_read(&t, dir, "reference.csv", err);
    if (rc == 0)
        rc = column(&t, "area", &col[0], err) || column(&t, "period", &col[1], err);
    for (size_t g = 0; rc == 0 && g < N_GAP; g++) {
        rc = column(&t, GAP_VARIANTS[g], &col[2 + g], err);
        if (rc == 0 && (d->ref[g] = malloc(n * sizeof *d->ref[g])) == NULL)
            rc = we_fail(err, WE_ENOMEM, "%s: out of memory", t.path);
    }
    if (rc == 0 && seen == NULL)
        rc = we_fail(err, WE_ENOMEM, "%s: out of memory", t.path);
    for (size_t r = 1; rc == 0 && r < t.n_rows; r++)
        rc = reference_row(d, &t, r, col, seen, err);
    if (rc == 0 && t.n_rows - 1 != n)
        rc = we_fail(err, WE_EINVAL,
                     "%s: %zu rows, expected one per area and period "
                     "(%zu); " REGENERATE,
                     t.path, t.n_rows - 1, n);
    free(seen);
    table_free(&t);
    return rc;
}

static void data_free(oracle_data *d)
{
    table_free(&d->panel);
    table_free(&d->expected);
    free(d->area);
    free(d->munis);
    free(d->period);
    free(d->area_id);
    free(d->muni_id);
    free(d->population);
    free(d->y);
    free(d->treated_from);
    free(d->in_sample);
    free(d->followup);
    free(d->rows);
    for (size_t g = 0; g < N_GAP; g++)
        free(d->ref[g]);
    memset(d, 0, sizeof *d);
}

static oracle_data *dataset(const char *name)
{
    size_t k = 0;
    while (k < N_DATASETS && strcmp(DATASETS[k], name) != 0)
        k++;
    assert_true(k < N_DATASETS);
    oracle_data *d = &DATA[k];
    if (d->state == 0) {
        const char *root = getenv("WE_ORACLE_FIXTURES");
        char dir[400];
        snprintf(dir, sizeof dir, "%s/%s", root ? root : "tests/oracle/fixtures",
                 name);
        d->name = DATASETS[k];
        int rc = load_panel(d, dir, &d->err) || load_treated(d, dir, &d->err)
                 || load_design(d, dir, &d->err)
                 || load_expected(d, dir, &d->err)
                 || load_reference(d, dir, &d->err);
        d->state = rc == 0 ? 1 : -1;
    }
    if (d->state < 0)
        fail_msg("%s", d->err.msg);
    return d;
}

/* ---- comparison ------------------------------------------------------- */

static int close_enough(double want, double got)
{
    if (isnan(want) || isnan(got))
        return isnan(want) && isnan(got);
    double scale = fmax(fabs(want), fabs(got));
    return fabs(want - got) <= fmax(ABS_TOL, REL_TOL * scale);
}

/* Prints both numbers on a mismatch; returns 1 when they differ. */
static int check_double(const char *label, const char *field, double want,
                        double got)
{
    if (close_enough(want, got))
        return 0;
    print_error("%s %s: expected %.17g, got %.17g (difference %.3g)\n", label,
                field, want, got, got - want);
    return 1;
}

/* NA in expected.csv means "not produced": -1 by the plugin.h contract. */
static int check_count(const char *label, const char *field, double want,
                       long got)
{
    long w = isnan(want) ? -1 : (long)want;
    if (w == got)
        return 0;
    print_error("%s %s: expected %ld, got %ld\n", label, field, w, got);
    return 1;
}

static int compare_estimate(const char *label, const oracle_row *row,
                            const we_estimate *e)
{
    const double got[N_FIELDS] = {
        e->estimate, e->se, e->ci_low, e->ci_high, e->p_value, e->df,
        (double)e->n_treated, (double)e->n_control, (double)e->n_obs,
        e->baseline, e->latest};
    int bad = 0;
    for (size_t f = 0; f < N_FIELDS; f++) {
        if (f == F_N_TREATED || f == F_N_CONTROL || f == F_N_OBS)
            bad += check_count(label, FIELD_NAMES[f], row->v[f], (long)got[f]);
        else
            bad += check_double(label, FIELD_NAMES[f], row->v[f], got[f]);
    }
    return bad;
}

static int compare_reference(const char *label, const oracle_data *d,
                             const double *want, const double *got)
{
    int bad = 0;
    for (size_t i = 0; i < d->n_areas; i++) {
        for (size_t t = 0; t < d->n_periods; t++) {
            size_t k = i * d->n_periods + t;
            if (close_enough(want[k], got[k]))
                continue;
            if (bad++ < MAX_REPORTED)
                print_error("%s reference %s %ld: expected %.17g, got %.17g\n",
                            label, d->area[i], d->period[t], want[k], got[k]);
        }
    }
    if (bad > MAX_REPORTED)
        print_error("%s reference: %d cells differ in all\n", label, bad);
    return bad;
}

/* ---- running one case ------------------------------------------------- */

static const oracle_row *expected_row(const oracle_data *d,
                                      const oracle_case *c)
{
    const oracle_row *found = NULL;
    for (size_t r = 0; r < d->n_rows; r++) {
        if (strcmp(d->rows[r].method, c->method) != 0
            || strcmp(d->rows[r].variant, c->variant) != 0)
            continue;
        if (found != NULL)
            fail_msg("%s: %s/%s appears twice; " REGENERATE,
                     d->expected.path, c->method, c->variant);
        found = &d->rows[r];
    }
    if (found == NULL)
        fail_msg("%s: no row for %s/%s; " REGENERATE, d->expected.path,
                 c->method, c->variant);
    return found;
}

static we_design design_for(const oracle_data *d, const char *variant)
{
    int by_muni = strcmp(variant, "cluster_municipality") == 0;
    we_design des = {
        .n_areas = d->n_areas, .n_periods = d->n_periods,
        .treated_from = d->treated_from, .in_sample = d->in_sample,
        .cluster = by_muni ? d->muni_id : d->area_id,
        .baseline = d->baseline, .followup = d->followup,
        .n_followup = d->n_followup, .alpha = d->alpha};
    return des;
}

/* Fields the method leaves untouched show up as mismatches. */
static void poison(we_estimate *e)
{
    memset(e, 0, sizeof *e);
    e->struct_size = (uint32_t)sizeof *e;
    e->estimate = e->se = e->ci_low = e->ci_high = -777.25;
    e->p_value = e->df = e->baseline = e->latest = -777.25;
    e->n_treated = e->n_control = e->n_obs = -777;
}

static size_t gap_variant(const char *variant)
{
    for (size_t g = 0; g < N_GAP; g++)
        if (strcmp(GAP_VARIANTS[g], variant) == 0)
            return g;
    fail_msg("unknown gap variant '%s'", variant);
    return 0;
}

/* Computes the reference series, compares it with reference.csv, then
 * runs the gap on it. */
static int run_gap(const oracle_data *d, const oracle_case *c,
                   const char *label, int *bad, we_estimate *out,
                   we_error *err)
{
    size_t g = gap_variant(c->variant);
    const int *group = g < 2 ? d->muni_id : NULL;
    const double *weight = g % 2 == 1 ? d->population : NULL;
    double *ref = malloc(d->n_areas * d->n_periods * sizeof *ref);
    assert_non_null(ref);
    we_design des = design_for(d, c->variant);
    int rc = we_gap_reference(d->y, d->n_areas, d->n_periods, group, weight,
                              ref, err);
    if (rc == 0) {
        *bad += compare_reference(label, d, d->ref[g], ref);
        rc = we_gap(d->y, ref, &des, WE_HIGHER_IS_BETTER, out, err);
    }
    free(ref);
    return rc;
}

static int run_method(const oracle_data *d, const oracle_case *c,
                      const char *label, int *bad, we_estimate *out,
                      we_error *err)
{
    we_design des = design_for(d, c->variant);
    if (strcmp(c->method, "pre_post") == 0)
        return we_pre_post(d->y, &des, out, err);
    if (strcmp(c->method, "gap") == 0)
        return run_gap(d, c, label, bad, out, err);
    if (strcmp(c->method, "did_2x2") == 0)
        return we_did_2x2(d->y, &des, out, err);
    if (strcmp(c->method, "twfe") == 0)
        return we_twfe(d->y, &des, out, err);
    fail_msg("unknown method '%s'", c->method);
    return -1;
}

static void test_case(void **state)
{
    const oracle_case *c = *state;
    const oracle_data *d = dataset(c->dataset);
    const oracle_row *row = expected_row(d, c);
    char label[128];
    snprintf(label, sizeof label, "%s %s/%s", c->dataset, c->method,
             c->variant);
    we_estimate out;
    we_error err = {{0}};
    int bad = 0;
    poison(&out);
    int rc = run_method(d, c, label, &bad, &out, &err);
    if (rc == WE_ENODATA && isnan(row->v[F_SE]) && err.msg[0] != '\0') {
        /* One treated area: no standard deviation. Refusing with a message
         * is as correct as returning the point estimate without one. */
        print_message("%s: refused as expected: %s\n", label, err.msg);
        return;
    }
    if (rc != 0)
        fail_msg("%s: returned %d: %s", label, rc, err.msg);
    bad += compare_estimate(label, row, &out);
    if (bad > 0)
        fail_msg("%s: %d value(s) differ from the R reference", label, bad);
}

/* Every row of expected.csv has a test, so a row added in R cannot go
 * unchecked. */
static void test_coverage(void **state)
{
    const char *name = *state;
    const oracle_data *d = dataset(name);
    size_t n_cases = 0;
    for (size_t k = 0; k < N_CASES; k++)
        n_cases += strcmp(CASES[k].dataset, name) == 0;
    for (size_t r = 0; r < d->n_rows; r++) {
        size_t k = 0;
        while (k < N_CASES
               && (strcmp(CASES[k].dataset, name) != 0
                   || strcmp(CASES[k].method, d->rows[r].method) != 0
                   || strcmp(CASES[k].variant, d->rows[r].variant) != 0))
            k++;
        if (k == N_CASES)
            fail_msg("%s:%zu: %s/%s has no test; add it to CASES in "
                     "tests/unit/test_oracle.c", d->expected.path,
                     d->expected.line_no[r + 1], d->rows[r].method,
                     d->rows[r].variant);
    }
    assert_int_equal(d->n_rows, n_cases);
}

static int free_all(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_DATASETS; k++)
        data_free(&DATA[k]);
    return 0;
}

int main(void)
{
    static struct CMUnitTest tests[N_CASES + N_DATASETS];
    static char names[N_CASES + N_DATASETS][96];
    for (size_t k = 0; k < N_DATASETS; k++) {
        snprintf(names[k], sizeof names[k], "%s/coverage", DATASETS[k]);
        tests[k] = (struct CMUnitTest){names[k], test_coverage, NULL, NULL,
                                       (void *)(uintptr_t)DATASETS[k]};
    }
    for (size_t k = 0; k < N_CASES; k++) {
        char *name = names[N_DATASETS + k];
        snprintf(name, sizeof names[0], "%s/%s/%s", CASES[k].dataset,
                 CASES[k].method, CASES[k].variant);
        tests[N_DATASETS + k] = (struct CMUnitTest){
            name, test_case, NULL, NULL, (void *)(uintptr_t)&CASES[k]};
    }
    return cmocka_run_group_tests_name("oracle", tests, NULL, free_all);
}
