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

#include "data/csv_table.h"
#include "data/goals.h"
#include "util/sha256.h"
#include "util/strmap.h"

/* Opens the file and reads the header; sha gets the file's fingerprint. */
static int gopen(we_csv_table *t, const char *path, const char *expected,
                 char sha[65], we_error *err)
{
    we_sha256 h;
    unsigned char digest[32];
    we_sha256_init(&h);
    int rc = we_csv_table_open_hashed(t, path, expected, &h, err);
    we_sha256_final(&h, digest);
    we_sha256_hex(digest, sha);
    return rc;
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

static int year_field(we_csv_table *t, long c, const char *what, int *out,
                      we_error *err)
{
    const char *s = we_csv_table_field(t, c);
    if (parse_year(s, out) != 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: %s '%.100s' is not a year; write "
                       "the period as a whole year, as in the "
                       "indicators file, e.g. 2009",
                       we_csv_table_path(t), we_csv_table_line(t),
                       we_csv_table_col(t, c), what, s);
    return 0;
}

static int area_field(we_csv_table *t, long c, const we_panel *p, size_t *out,
                      we_error *err)
{
    const char *code = we_csv_table_field(t, c);
    long a = we_panel_area(p, code);
    if (a < 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: unknown area '%.100s'; use a code "
                       "of the areas file, or add the area there",
                       we_csv_table_path(t), we_csv_table_line(t),
                       we_csv_table_col(t, c), code);
    *out = (size_t)a;
    return 0;
}

/* Reports a row whose key an earlier row had. */
static int check_unique(we_csv_table *t, we_strmap *seen, const char *key,
                        const char *what, we_error *err)
{
    long first = we_strmap_put(seen, key, we_csv_table_line(t));
    if (first < 0)
        return we_csv_table_oom(t, err);
    if ((size_t)first != we_csv_table_line(t))
        return we_fail(err, WE_EINVAL,
                       "%s:%zu: %s is given twice (first on line "
                       "%ld); keep one row",
                       we_csv_table_path(t), we_csv_table_line(t), what,
                       first);
    return 0;
}

/* ---- targets -------------------------------------------------------------- */

enum { T_AREA, T_IND, T_VALUE, T_DEADLINE, T_DESC, T_NCOL };
static const char *const TARGET_COLS[T_NCOL] = {
    "area", "indicator", "target_value", "deadline", "description"};
#define TARGET_HEADER                                                       \
    "the columns area,indicator,target_value,deadline[,description]"

/* yes/no (also ja/nee): 1, 0, or -1 when neither. */
static int parse_yes_no(const char *s)
{
    if (strcasecmp(s, "yes") == 0 || strcasecmp(s, "ja") == 0)
        return 1;
    if (strcasecmp(s, "no") == 0 || strcasecmp(s, "nee") == 0)
        return 0;
    return -1;
}

static int target_item(we_csv_table *t, const long *c, we_wijk_target *x,
                       we_error *err)
{
    const char *v = we_csv_table_field(t, c[T_VALUE]);
    x->indicator = -1;
    x->target = NAN;
    x->realised = parse_yes_no(v);
    if (x->realised < 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: target_value '%.100s' of a row "
                       "without an indicator must be yes or no (was "
                       "the item realised?); name a catalogue "
                       "indicator for a numeric target",
                       we_csv_table_path(t), we_csv_table_line(t),
                       we_csv_table_col(t, c[T_VALUE]), v);
    if (x->description[0] == '\0')
        return we_fail(err, WE_EINVAL,
                       "%s:%zu: a row without an indicator is an "
                       "improvement realised or not; say in the "
                       "description column what it is",
                       we_csv_table_path(t), we_csv_table_line(t));
    return 0;
}

static int target_numeric(we_csv_table *t, const long *c, const we_panel *p,
                          const char *name, we_wijk_target *x, we_error *err)
{
    x->indicator = we_panel_indicator(p, name);
    x->realised = -1;
    if (x->indicator < 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: unknown indicator '%.100s'; use "
                       "an indicator of the catalogue, or leave the "
                       "column empty for a yes/no item",
                       we_csv_table_path(t), we_csv_table_line(t),
                       we_csv_table_col(t, c[T_IND]), name);
    const char *v = we_csv_table_field(t, c[T_VALUE]);
    int rc = we_csv_table_number(t, v, &x->target);
    if (rc == WE_CSV_AMBIGUOUS)
        return we_csv_ambiguous(we_csv_table_path(t), we_csv_table_line(t),
                                we_csv_table_col(t, c[T_VALUE]), v, err);
    if (rc != 0 || !isfinite(x->target))
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: target_value '%.100s' is not a "
                       "number; give the value of %s to reach",
                       we_csv_table_path(t), we_csv_table_line(t),
                       we_csv_table_col(t, c[T_VALUE]), v, name);
    return 0;
}

static int target_row(we_csv_table *t, const long *c, const we_panel *p,
                      we_strmap *seen, we_wijk_target *x, we_error *err)
{
    memset(x, 0, sizeof *x);
    x->line = we_csv_table_line(t);
    if (area_field(t, c[T_AREA], p, &x->area, err) != 0 ||
        year_field(t, c[T_DEADLINE], "deadline", &x->deadline, err) != 0)
        return -1;
    const char *desc = c[T_DESC] >= 0 ? we_csv_table_field(t, c[T_DESC])
                                       : "";
    x->description = we_strdup(desc);
    if (x->description == NULL)
        return we_csv_table_oom(t, err);
    const char *name = we_csv_table_field(t, c[T_IND]);
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

static int read_targets(we_csv_table *t, we_wijk_targets *out,
                        const we_panel *p,
                        we_error *err)
{
    long c[T_NCOL];
    if (we_csv_table_columns(t, TARGET_COLS, T_NCOL, T_DESC, c, err) != 0 ||
        we_csv_table_only(t, TARGET_COLS, T_NCOL, err) != 0)
        return -1;
    we_strmap *seen = we_strmap_new(256);
    if (seen == NULL)
        return we_csv_table_oom(t, err);
    size_t cap = 0;
    int rc;
    while ((rc = we_csv_table_next(t, err)) == 1) {
        we_wijk_target x;
        if (target_row(t, c, p, seen, &x, err) != 0)
            rc = -1;
        else if (push_target(out, &cap, &x) != 0)
            rc = we_csv_table_oom(t, err);
        if (rc != 1) {
            free(x.description);
            break;
        }
    }
    we_strmap_free(seen);
    if (rc == 0 && out->n == 0)
        return we_fail(err, WE_EINVAL,
                       "%s: no targets after the header; add rows "
                       "or remove data.targets from the config",
                       we_csv_table_path(t));
    return rc;
}

int we_targets_load(we_wijk_targets *out, const char *path,
                    const we_panel *p, we_error *err)
{
    memset(out, 0, sizeof *out);
    we_csv_table t;
    int rc = gopen(&t, path, TARGET_HEADER, out->sha256, err);
    if (rc == 0)
        rc = read_targets(&t, out, p, err);
    we_csv_table_close(&t);
    if (rc == 0 && (out->path = we_strdup(path)) == NULL)
        rc = we_fail(err, WE_ENOMEM, "%s: out of memory", path);
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
#define COST_HEADER "the columns experiment,area,period,amount_eur"

typedef struct cost_ctx {
    const we_panel *p;
    const char *const *exps;
    size_t n_exps;
    const unsigned char *treated;
} cost_ctx;

static int cost_experiment(we_csv_table *t, long c, const cost_ctx *x,
                           size_t *out, we_error *err)
{
    const char *id = we_csv_table_field(t, c);
    for (size_t k = 0; k < x->n_exps; k++)
        if (strcmp(x->exps[k], id) == 0) {
            *out = k;
            return 0;
        }
    return we_fail(err, WE_EINVAL,
                   "%s:%zu:%zu: experiment '%.100s' is not in the "
                   "config's experiments; use the plugin id of a "
                   "configured experiment, e.g. '%s'",
                   we_csv_table_path(t), we_csv_table_line(t),
                   we_csv_table_col(t, c), id,
                   x->n_exps > 0 ? x->exps[0] : "bewonersparticipatie");
}

static int cost_amount(we_csv_table *t, long c, double *out, we_error *err)
{
    const char *v = we_csv_table_field(t, c);
    int rc = we_csv_table_number(t, v, out);
    if (rc == WE_CSV_AMBIGUOUS)
        return we_csv_ambiguous(we_csv_table_path(t), we_csv_table_line(t),
                                we_csv_table_col(t, c), v, err);
    if (rc != 0 || !isfinite(*out))
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: amount_eur '%.100s' is not a "
                       "number; give the amount in euros, e.g. "
                       "414286",
                       we_csv_table_path(t), we_csv_table_line(t),
                       we_csv_table_col(t, c), v);
    if (*out < 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: amount_eur '%.100s' is "
                       "negative; costs are amounts spent (0 or "
                       "more); book a refund against the same year's "
                       "spending",
                       we_csv_table_path(t), we_csv_table_line(t),
                       we_csv_table_col(t, c), v);
    return 0;
}

static int cost_row(we_csv_table *t, const long *c, const cost_ctx *x,
                    we_strmap *seen, we_cost_row *r, we_error *err)
{
    memset(r, 0, sizeof *r);
    r->line = we_csv_table_line(t);
    if (cost_experiment(t, c[C_EXP], x, &r->experiment, err) != 0 ||
        area_field(t, c[C_AREA], x->p, &r->area, err) != 0 ||
        year_field(t, c[C_PERIOD], "period", &r->period, err) != 0 ||
        cost_amount(t, c[C_AMOUNT], &r->amount_eur, err) != 0)
        return -1;
    if (!x->treated[r->experiment * x->p->n_areas + r->area])
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: area '%s' is not treated by "
                       "experiment '%s' in this run; an experiment's costs "
                       "belong to its own wijken (its rows in "
                       "data.assignment, else the treatment): add it "
                       "there, or remove the row",
                       we_csv_table_path(t), we_csv_table_line(t),
                       we_csv_table_col(t, c[C_AREA]),
                       x->p->areas[r->area].code, x->exps[r->experiment]);
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

static int read_costs(we_csv_table *t, we_costs *out, const cost_ctx *x,
                      we_error *err)
{
    long c[C_NCOL];
    if (we_csv_table_columns(t, COST_COLS, C_NCOL, C_NCOL, c, err) != 0 ||
        we_csv_table_only(t, COST_COLS, C_NCOL, err) != 0)
        return -1;
    we_strmap *seen = we_strmap_new(1024);
    if (seen == NULL)
        return we_csv_table_oom(t, err);
    size_t cap = 0;
    int rc;
    while ((rc = we_csv_table_next(t, err)) == 1) {
        we_cost_row r;
        if (cost_row(t, c, x, seen, &r, err) != 0)
            rc = -1;
        else if (push_cost(out, &cap, &r) != 0)
            rc = we_csv_table_oom(t, err);
        if (rc != 1)
            break;
    }
    we_strmap_free(seen);
    if (rc == 0 && out->n == 0)
        return we_fail(err, WE_EINVAL,
                       "%s: no costs after the header; add rows or "
                       "remove data.costs from the config",
                       we_csv_table_path(t));
    return rc;
}

int we_costs_load(we_costs *out, const char *path, const we_panel *p,
                  const char *const *experiments, size_t n_experiments,
                  const unsigned char *treated, we_error *err)
{
    memset(out, 0, sizeof *out);
    cost_ctx x = {p, experiments, n_experiments, treated};
    we_csv_table t;
    int rc = gopen(&t, path, COST_HEADER, out->sha256, err);
    if (rc == 0)
        rc = read_costs(&t, out, &x, err);
    we_csv_table_close(&t);
    if (rc == 0 && (out->path = we_strdup(path)) == NULL)
        rc = we_fail(err, WE_ENOMEM, "%s: out of memory", path);
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
