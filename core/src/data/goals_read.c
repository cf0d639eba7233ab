/* Readers of the targets and costs files (docs/data.md). Every check
 * names file, line and column, and says what to do. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "data/csv.h"
#include "data/goals.h"
#include "util/sha256.h"
#include "util/strmap.h"

/* One file being read: the reader, the current row, the header width and
 * the column index of each named column (-1 when absent). */
typedef struct gtable {
    we_csv *r;
    we_csv_row row;
    size_t width;
    const char *header; /* the expected header, for messages */
} gtable;

static const char *gpath(const gtable *t)
{
    return we_csv_path(t->r);
}

static char *gtrim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static int gopen(gtable *t, const char *path, const char *header,
                 char sha[65], we_error *err)
{
    memset(t, 0, sizeof *t);
    t->header = header;
    if (we_csv_open(&t->r, path, err) != 0)
        return -1;
    size_t n;
    const char *bytes = we_csv_bytes(t->r, &n);
    we_sha256_buf_hex(bytes, n, sha);
    int rc = we_csv_next(t->r, &t->row, err);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return we_errorf(err, "%s: the file is empty; it needs a header "
                              "line with the columns %s", path, header);
    t->width = t->row.n_fields;
    return 0;
}

/* Column `name` of the header: its index, -1 when absent and optional.
 * A column given twice is an error. */
static int gcolumn(const gtable *t, const char *name, int required,
                   long *idx, we_error *err)
{
    *idx = -1;
    for (size_t i = 0; i < t->row.n_fields; i++) {
        if (strcmp(gtrim(t->row.fields[i]), name) != 0)
            continue;
        if (*idx >= 0)
            return we_errorf(err, "%s:%zu:%zu: column '%s' appears twice; "
                                  "rename or remove one",
                             gpath(t), t->row.line, t->row.columns[i], name);
        *idx = (long)i;
    }
    if (*idx < 0 && required)
        return we_errorf(err, "%s:%zu: missing column '%s'; the header "
                              "must name the columns %s",
                         gpath(t), t->row.line, name, t->header);
    return 0;
}

/* A header column that is not one of the n names is an error: a typo
 * would otherwise silently drop data. */
static int gknown(const gtable *t, const char *const *names, size_t n,
                  we_error *err)
{
    for (size_t i = 0; i < t->row.n_fields; i++) {
        const char *h = gtrim(t->row.fields[i]);
        size_t k = 0;
        while (k < n && strcmp(h, names[k]) != 0)
            k++;
        if (k == n)
            return we_errorf(err, "%s:%zu:%zu: unknown column '%.100s'; the "
                                  "columns are %s",
                             gpath(t), t->row.line, t->row.columns[i], h,
                             t->header);
    }
    return 0;
}

static int gnext(gtable *t, we_error *err)
{
    int rc = we_csv_next(t->r, &t->row, err);
    if (rc <= 0)
        return rc;
    if (t->row.n_fields != t->width)
        return we_errorf(err, "%s:%zu: expected %zu fields (as in the "
                              "header), found %zu; quote fields that contain "
                              "'%c' and add missing ones",
                         gpath(t), t->row.line, t->width, t->row.n_fields,
                         we_csv_delimiter(t->r));
    return 1;
}

static char *gfield(gtable *t, long i)
{
    return gtrim(t->row.fields[i]);
}

static size_t gcol(const gtable *t, long i)
{
    return t->row.columns[i];
}

static int goom(const gtable *t, we_error *err)
{
    return we_errorf(err, "%s:%zu: out of memory", gpath(t), t->row.line);
}

/* A whole year: digits only, 1000-9999. */
static int parse_year(const char *s, int *out)
{
    size_t n = strlen(s);
    if (n != 4)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return -1;
    *out = (int)strtol(s, NULL, 10); /* four digits: cannot overflow */
    return *out >= 1000 ? 0 : -1;
}

static int year_field(gtable *t, long c, const char *what, int *out,
                      we_error *err)
{
    const char *s = gfield(t, c);
    if (parse_year(s, out) != 0)
        return we_errorf(err, "%s:%zu:%zu: %s '%.100s' is not a year; write "
                              "the period as a whole year, as in the "
                              "indicators file, e.g. 2009",
                         gpath(t), t->row.line, gcol(t, c), what, s);
    return 0;
}

static int area_field(gtable *t, long c, const we_panel *p, size_t *out,
                      we_error *err)
{
    const char *code = gfield(t, c);
    long a = we_panel_area(p, code);
    if (a < 0)
        return we_errorf(err, "%s:%zu:%zu: unknown area '%.100s'; use a code "
                              "of the areas file, or add the area there",
                         gpath(t), t->row.line, gcol(t, c), code);
    *out = (size_t)a;
    return 0;
}

/* Reports a row whose key an earlier row had. */
static int check_unique(gtable *t, we_strmap *seen, const char *key,
                        const char *what, we_error *err)
{
    long first = we_strmap_put(seen, key, t->row.line);
    if (first < 0)
        return goom(t, err);
    if ((size_t)first != t->row.line)
        return we_errorf(err, "%s:%zu: %s is given twice (first on line "
                              "%ld); keep one row",
                         gpath(t), t->row.line, what, first);
    return 0;
}

/* ---- targets -------------------------------------------------------------- */

enum { T_AREA, T_IND, T_VALUE, T_DEADLINE, T_DESC, T_NCOL };
static const char *const TARGET_COLS[T_NCOL] = {
    "area", "indicator", "target_value", "deadline", "description"};
#define TARGET_HEADER "area,indicator,target_value,deadline[,description]"

/* yes/no (also ja/nee): 1, 0, or -1 when neither. */
static int parse_yes_no(const char *s)
{
    if (strcasecmp(s, "yes") == 0 || strcasecmp(s, "ja") == 0)
        return 1;
    if (strcasecmp(s, "no") == 0 || strcasecmp(s, "nee") == 0)
        return 0;
    return -1;
}

static int target_item(gtable *t, const long *c, we_wijk_target *x,
                       we_error *err)
{
    const char *v = gfield(t, c[T_VALUE]);
    x->indicator = -1;
    x->target = NAN;
    x->realised = parse_yes_no(v);
    if (x->realised < 0)
        return we_errorf(err, "%s:%zu:%zu: target_value '%.100s' of a row "
                              "without an indicator must be yes or no (was "
                              "the item realised?); name a catalogue "
                              "indicator for a numeric target",
                         gpath(t), t->row.line, gcol(t, c[T_VALUE]), v);
    if (x->description[0] == '\0')
        return we_errorf(err, "%s:%zu: a row without an indicator is an "
                              "improvement realised or not; say in the "
                              "description column what it is",
                         gpath(t), t->row.line);
    return 0;
}

static int target_numeric(gtable *t, const long *c, const we_panel *p,
                          const char *name, we_wijk_target *x, we_error *err)
{
    x->indicator = we_panel_indicator(p, name);
    x->realised = -1;
    if (x->indicator < 0)
        return we_errorf(err, "%s:%zu:%zu: unknown indicator '%.100s'; use "
                              "an indicator of the catalogue, or leave the "
                              "column empty for a yes/no item",
                         gpath(t), t->row.line, gcol(t, c[T_IND]), name);
    const char *v = gfield(t, c[T_VALUE]);
    int rc = we_csv_number(t->r, v, &x->target);
    if (rc != 0 || !isfinite(x->target))
        return we_errorf(err, "%s:%zu:%zu: target_value '%.100s' is not a "
                              "number; give the value of %s to reach",
                         gpath(t), t->row.line, gcol(t, c[T_VALUE]), v, name);
    return 0;
}

static int target_row(gtable *t, const long *c, const we_panel *p,
                      we_strmap *seen, we_wijk_target *x, we_error *err)
{
    memset(x, 0, sizeof *x);
    x->line = t->row.line;
    if (area_field(t, c[T_AREA], p, &x->area, err) != 0 ||
        year_field(t, c[T_DEADLINE], "deadline", &x->deadline, err) != 0)
        return -1;
    x->description = we_strdup(c[T_DESC] >= 0 ? gfield(t, c[T_DESC]) : "");
    if (x->description == NULL)
        return goom(t, err);
    const char *name = gfield(t, c[T_IND]);
    if ((name[0] == '\0' ? target_item(t, c, x, err)
                         : target_numeric(t, c, p, name, x, err)) != 0)
        return -1;
    /* A wijk may name several targets for one indicator (an interim and
     * a final one), but one per deadline; an item once per text. */
    char key[1024];
    snprintf(key, sizeof key, "%s\x1f%s\x1f%d", p->areas[x->area].code,
             name[0] ? name : x->description, name[0] ? x->deadline : 0);
    return check_unique(t, seen, key,
                        name[0] ? "this area, indicator and deadline"
                                : "this area and item description",
                        err);
}

static int push_target(we_wijk_targets *out, size_t *cap,
                       const we_wijk_target *x)
{
    if (out->n == *cap) {
        size_t nc = *cap ? 2 * *cap : 64;
        we_wijk_target *g = realloc(out->t, nc * sizeof *g);
        if (g == NULL)
            return -1;
        out->t = g;
        *cap = nc;
    }
    out->t[out->n++] = *x;
    return 0;
}

static int read_targets(gtable *t, we_wijk_targets *out, const we_panel *p,
                        we_error *err)
{
    long c[T_NCOL];
    for (int i = 0; i < T_NCOL; i++)
        if (gcolumn(t, TARGET_COLS[i], i != T_DESC, &c[i], err) != 0)
            return -1;
    if (gknown(t, TARGET_COLS, T_NCOL, err) != 0)
        return -1;
    we_strmap *seen = we_strmap_new(256);
    if (seen == NULL)
        return goom(t, err);
    size_t cap = 0;
    int rc;
    while ((rc = gnext(t, err)) == 1) {
        we_wijk_target x;
        if (target_row(t, c, p, seen, &x, err) != 0)
            rc = -1;
        else if (push_target(out, &cap, &x) != 0)
            rc = goom(t, err);
        if (rc != 1) {
            free(x.description);
            break;
        }
    }
    we_strmap_free(seen);
    if (rc == 0 && out->n == 0)
        return we_errorf(err, "%s: no targets after the header; add rows "
                              "or remove data.targets from the config",
                         gpath(t));
    return rc;
}

int we_targets_load(we_wijk_targets *out, const char *path,
                    const we_panel *p, we_error *err)
{
    memset(out, 0, sizeof *out);
    gtable t;
    int rc = gopen(&t, path, TARGET_HEADER, out->sha256, err);
    if (rc == 0)
        rc = read_targets(&t, out, p, err);
    we_csv_close(t.r);
    if (rc == 0 && (out->path = we_strdup(path)) == NULL)
        rc = we_errorf(err, "%s: out of memory", path);
    if (rc != 0)
        we_targets_free(out);
    return rc;
}

void we_targets_free(we_wijk_targets *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->t[i].description);
    free(t->t);
    free(t->path);
    memset(t, 0, sizeof *t);
}

/* ---- costs ---------------------------------------------------------------- */

enum { C_EXP, C_AREA, C_PERIOD, C_AMOUNT, C_NCOL };
static const char *const COST_COLS[C_NCOL] = {"experiment", "area", "period",
                                              "amount_eur"};
#define COST_HEADER "experiment,area,period,amount_eur"

typedef struct cost_ctx {
    const we_panel *p;
    const char *const *exps;
    size_t n_exps;
    const unsigned char *treated;
} cost_ctx;

static int cost_experiment(gtable *t, long c, const cost_ctx *x,
                           size_t *out, we_error *err)
{
    const char *id = gfield(t, c);
    for (size_t k = 0; k < x->n_exps; k++)
        if (strcmp(x->exps[k], id) == 0) {
            *out = k;
            return 0;
        }
    return we_errorf(err, "%s:%zu:%zu: experiment '%.100s' is not in the "
                          "config's experiments; use the plugin id of a "
                          "configured experiment, e.g. '%s'",
                     gpath(t), t->row.line, gcol(t, c), id,
                     x->n_exps > 0 ? x->exps[0] : "bewonersparticipatie");
}

static int cost_amount(gtable *t, long c, double *out, we_error *err)
{
    const char *v = gfield(t, c);
    if (we_csv_number(t->r, v, out) != 0 || !isfinite(*out))
        return we_errorf(err, "%s:%zu:%zu: amount_eur '%.100s' is not a "
                              "number; give the amount in euros, e.g. "
                              "414286",
                         gpath(t), t->row.line, gcol(t, c), v);
    if (*out < 0)
        return we_errorf(err, "%s:%zu:%zu: amount_eur '%.100s' is "
                              "negative; costs are amounts spent (0 or "
                              "more); book a refund against the same year's "
                              "spending",
                         gpath(t), t->row.line, gcol(t, c), v);
    return 0;
}

static int cost_row(gtable *t, const long *c, const cost_ctx *x,
                    we_strmap *seen, we_cost_row *r, we_error *err)
{
    memset(r, 0, sizeof *r);
    r->line = t->row.line;
    if (cost_experiment(t, c[C_EXP], x, &r->experiment, err) != 0 ||
        area_field(t, c[C_AREA], x->p, &r->area, err) != 0 ||
        year_field(t, c[C_PERIOD], "period", &r->period, err) != 0 ||
        cost_amount(t, c[C_AMOUNT], &r->amount_eur, err) != 0)
        return -1;
    if (!x->treated[r->area])
        return we_errorf(err, "%s:%zu:%zu: area '%s' is not treated in this "
                              "run; costs belong to treated wijken (add it "
                              "to the treatment, or remove the row)",
                         gpath(t), t->row.line, gcol(t, c[C_AREA]),
                         x->p->areas[r->area].code);
    char key[512];
    snprintf(key, sizeof key, "%s\x1f%s\x1f%d", x->exps[r->experiment],
             x->p->areas[r->area].code, r->period);
    return check_unique(t, seen, key, "this experiment, area and period",
                        err);
}

static int push_cost(we_costs *out, size_t *cap, const we_cost_row *r)
{
    if (out->n == *cap) {
        size_t nc = *cap ? 2 * *cap : 256;
        we_cost_row *g = realloc(out->rows, nc * sizeof *g);
        if (g == NULL)
            return -1;
        out->rows = g;
        *cap = nc;
    }
    out->rows[out->n++] = *r;
    return 0;
}

static int read_costs(gtable *t, we_costs *out, const cost_ctx *x,
                      we_error *err)
{
    long c[C_NCOL];
    for (int i = 0; i < C_NCOL; i++)
        if (gcolumn(t, COST_COLS[i], 1, &c[i], err) != 0)
            return -1;
    if (gknown(t, COST_COLS, C_NCOL, err) != 0)
        return -1;
    we_strmap *seen = we_strmap_new(1024);
    if (seen == NULL)
        return goom(t, err);
    size_t cap = 0;
    int rc;
    while ((rc = gnext(t, err)) == 1) {
        we_cost_row r;
        if (cost_row(t, c, x, seen, &r, err) != 0)
            rc = -1;
        else if (push_cost(out, &cap, &r) != 0)
            rc = goom(t, err);
        if (rc != 1)
            break;
    }
    we_strmap_free(seen);
    if (rc == 0 && out->n == 0)
        return we_errorf(err, "%s: no costs after the header; add rows or "
                              "remove data.costs from the config",
                         gpath(t));
    return rc;
}

int we_costs_load(we_costs *out, const char *path, const we_panel *p,
                  const char *const *experiments, size_t n_experiments,
                  const unsigned char *treated, we_error *err)
{
    memset(out, 0, sizeof *out);
    cost_ctx x = {p, experiments, n_experiments, treated};
    gtable t;
    int rc = gopen(&t, path, COST_HEADER, out->sha256, err);
    if (rc == 0)
        rc = read_costs(&t, out, &x, err);
    we_csv_close(t.r);
    if (rc == 0 && (out->path = we_strdup(path)) == NULL)
        rc = we_errorf(err, "%s: out of memory", path);
    if (rc != 0)
        we_costs_free(out);
    return rc;
}

void we_costs_free(we_costs *c)
{
    if (c == NULL)
        return;
    free(c->rows);
    free(c->path);
    memset(c, 0, sizeof *c);
}
