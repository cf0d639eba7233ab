/* Code changes between years: areas merged into or split over new codes.
 * A row old_code,new_code,year,weight says that from `year` on the
 * residents of old_code (as many as `weight`) live in new_code. Data of a
 * period before `year` are carried over to the new codes: counts are
 * divided over the new areas by weight and added up, levels and rates are
 * averaged with the weights. Changes of later years are applied after
 * those of earlier ones, so a panel ends up in the newest codes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "import/cbs_internal.h"
#include "util/strmap.h"

#define RECODE_HEADER "old_code,new_code,year,weight[,new_name]"

typedef struct rc_row {
    char *old_code, *new_code, *new_name;
    int year;
    double weight;
    size_t line;
} rc_row;

typedef struct recode {
    const char *path;
    rc_row *r;
    size_t n, cap;
    we_strmap *keys; /* "old\tnew\tyear" -> row, to refuse duplicates */
} recode;

/* ---- the file ----------------------------------------------------------- */

enum { R_OLD, R_NEW, R_YEAR, R_WEIGHT, R_NAME, R_N };

static int bad_code(we_csv_table *t, long col, const char *what, we_error *err)
{
    return we_fail(err, WE_EINVAL,
                   "%s:%zu:%zu: %s '%.100s' is not a CBS code; "
                   "expected GM + 4 digits, WK + 6 digits or BU + 8 "
                   "digits",
                   we_csv_table_path(t), t->row.line, we_csv_table_col(t, col),
                   what, we_csv_table_field(t, col));
}

static int check_row(we_csv_table *t, const long *c, rc_row *e, we_error *err)
{
    const char *o = we_csv_table_field(t, c[R_OLD]);
    const char *n = we_csv_table_field(t, c[R_NEW]);
    if (!imp_is_area_code(o))
        return bad_code(t, c[R_OLD], "old_code", err);
    if (!imp_is_area_code(n))
        return bad_code(t, c[R_NEW], "new_code", err);
    if (imp_level(o) != imp_level(n))
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: %s is a %s and %s a %s; a code "
                       "change stays within one level",
                       we_csv_table_path(t), t->row.line,
                       we_csv_table_col(t, c[R_NEW]), o, imp_level_name(o), n,
                       imp_level_name(n));
    long y;
    if (imp_parse_int(we_csv_table_field(t, c[R_YEAR]), 1000, 9999, &y) != 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: year '%.100s' is not a year; "
                       "write the first year of the new code, e.g. "
                       "2021",
                       we_csv_table_path(t), t->row.line,
                       we_csv_table_col(t, c[R_YEAR]),
                       we_csv_table_field(t, c[R_YEAR]));
    e->year = (int)y;
    const char *w = we_csv_table_field(t, c[R_WEIGHT]);
    if (we_csv_number(t->r, w, &e->weight) != 0 || !(e->weight > 0))
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: weight '%.100s' is not a number "
                       "> 0; write the number of residents of %s "
                       "who live in %s (docs/import.md)",
                       we_csv_table_path(t), t->row.line,
                       we_csv_table_col(t, c[R_WEIGHT]), w, o, n);
    return 0;
}

static int add_row(recode *rc, we_csv_table *t, const long *c, we_error *err)
{
    rc_row e = { .line = t->row.line };
    if (check_row(t, c, &e, err) != 0)
        return -1;
    char key[64];
    snprintf(key, sizeof key, "%s\t%s\t%d", we_csv_table_field(t, c[R_OLD]),
             we_csv_table_field(t, c[R_NEW]), e.year);
    long have = we_strmap_put(rc->keys, key, rc->n);
    if (have >= 0 && (size_t)have != rc->n)
        return we_fail(
            err, WE_EINVAL,
            "%s:%zu: %s -> %s in %d is given twice (first "
            "on line %zu); keep one row",
            we_csv_table_path(t), t->row.line, we_csv_table_field(t, c[R_OLD]),
            we_csv_table_field(t, c[R_NEW]), e.year, rc->r[have].line);
    if (rc->n == rc->cap) {
        size_t cap = rc->cap ? 2 * rc->cap : 64;
        rc_row *r = realloc(rc->r, cap * sizeof *r);
        if (r == NULL)
            return we_fail(err, WE_ENOMEM, "%s: out of memory", rc->path);
        rc->r = r;
        rc->cap = cap;
    }
    e.old_code = we_strdup(we_csv_table_field(t, c[R_OLD]));
    e.new_code = we_strdup(we_csv_table_field(t, c[R_NEW]));
    e.new_name = we_strdup(c[R_NAME] >= 0 ? we_csv_table_field(t, c[R_NAME])
                                          : "");
    rc->r[rc->n++] = e;
    if (have < 0 || !e.old_code || !e.new_code || !e.new_name)
        return we_fail(err, WE_ENOMEM, "%s: out of memory", rc->path);
    return 0;
}

static int recode_load(recode *rc, const char *path, we_error *err)
{
    static const char *const names[R_N] = { "old_code", "new_code", "year",
                                            "weight", "new_name" };
    we_csv_table t;
    long c[R_N];
    rc->path = path;
    rc->keys = we_strmap_new(256);
    if (rc->keys == NULL)
        return we_fail(err, WE_ENOMEM, "%s: out of memory", path);
    int r = we_csv_table_open(&t, path, "the columns " RECODE_HEADER, err);
    if (r == 0)
        r = we_csv_table_columns(&t, names, R_N, R_NAME, c, err);
    while (r == 0 && (r = we_csv_table_next(&t, err)) == 1)
        r = add_row(rc, &t, c, err);
    we_csv_table_close(&t);
    if (r == 0 && rc->n == 0)
        r = we_fail(err, WE_EINVAL,
                    "%s: no rows after the header; add one row per "
                    "old and new code",
                    path);
    return r;
}

static void recode_free(recode *rc)
{
    for (size_t i = 0; i < rc->n; i++) {
        free(rc->r[i].old_code);
        free(rc->r[i].new_code);
        free(rc->r[i].new_name);
    }
    free(rc->r);
    we_strmap_free(rc->keys);
}

/* ---- one year's changes on one period's rows ---------------------------- */

typedef struct stage {
    const recode *rc;
    const we_cbs_data *d;
    int year, period;
    we_cbs_row *list; /* the period's rows */
    size_t n;
    we_strmap *present; /* code -> index in list */
    we_strmap *olds;    /* old code -> 1 */
} stage;

static int in_stage(const stage *s, size_t i)
{
    return s->rc->r[i].year == s->year;
}

/* The sum of the weights of old code `old` in this stage. */
static double old_total(const stage *s, const char *old)
{
    double w = 0;
    for (size_t i = 0; i < s->rc->n; i++)
        if (in_stage(s, i) && strcmp(s->rc->r[i].old_code, old) == 0)
            w += s->rc->r[i].weight;
    return w;
}

static int partial(const stage *s, const rc_row *missing, const rc_row *have,
                   we_error *err)
{
    return we_fail(err, WE_EINVAL,
                   "%s:%zu: %s is not in the data of %d, but %s "
                   "(line %zu), which also becomes %s, is; a merged "
                   "value needs all its parts: import %s too "
                   "(check --level), or remove the rows of %s",
                   s->rc->path, missing->line, missing->old_code, s->period,
                   have->old_code, have->line, missing->new_code,
                   missing->old_code, missing->new_code);
}

/* Whether new code `code` is built in this stage: 1 when all its parts
 * are in the data, 0 when none is, an error when only some are. */
static int built(const stage *s, const char *code, we_error *err)
{
    const rc_row *in = NULL, *out = NULL;
    for (size_t i = 0; i < s->rc->n; i++) {
        const rc_row *r = &s->rc->r[i];
        if (!in_stage(s, i) || strcmp(r->new_code, code) != 0)
            continue;
        if (we_strmap_get(s->present, r->old_code) >= 0)
            in = in ? in : r;
        else
            out = out ? out : r;
    }
    if (in != NULL && out != NULL)
        return partial(s, out, in, err);
    return in != NULL;
}

static int conflict(const stage *s, const rc_row *r, we_error *err)
{
    long i = we_strmap_get(s->present, r->new_code);
    if (i < 0 || we_strmap_get(s->olds, r->new_code) >= 0)
        return 0;
    return we_fail(err, WE_EINVAL,
                   "%s:%zu: %s, the new code of %s, is already an "
                   "area in the data of %d; add the row %s,%s,%d,"
                   "<its residents> so its own data are counted in "
                   "the merge",
                   s->rc->path, r->line, r->new_code, r->old_code, s->period,
                   r->new_code, r->new_code, s->year);
}

/* Value k of new code `code`: see the comment at the top. */
static double merged(const stage *s, const char *code, size_t k)
{
    double num = 0, den = 0;
    int sum = s->d->sum[k];
    for (size_t i = 0; i < s->rc->n; i++) {
        const rc_row *r = &s->rc->r[i];
        if (!in_stage(s, i) || strcmp(r->new_code, code) != 0)
            continue;
        double v = s->list[we_strmap_get(s->present, r->old_code)].v[k];
        if (isnan(v))
            return NAN;
        num += sum ? v * r->weight / old_total(s, r->old_code)
                   : v * r->weight;
        den += r->weight;
    }
    return sum ? num : num / den;
}

static const char *name_of(const stage *s, const char *code)
{
    const char *own = NULL;
    for (size_t i = 0; i < s->rc->n; i++) {
        const rc_row *r = &s->rc->r[i];
        if (!in_stage(s, i) || strcmp(r->new_code, code) != 0)
            continue;
        if (r->new_name[0] != '\0')
            return r->new_name;
        if (strcmp(r->old_code, code) == 0)
            own = s->list[we_strmap_get(s->present, code)].name;
    }
    return own ? own : code;
}

static int build(const stage *s, const char *code, we_cbs_row *out)
{
    size_t nv = s->d->n_ind + 1;
    memset(out, 0, sizeof *out);
    out->period = s->period;
    out->code = we_strdup(code);
    out->name = we_strdup(name_of(s, code));
    out->v = we_calloc(nv, sizeof *out->v);
    if (out->code == NULL || out->name == NULL || out->v == NULL)
        return -1;
    for (size_t k = 0; k < s->d->n_ind + (size_t)s->d->has_population; k++)
        out->v[k] = merged(s, code, k);
    return 0;
}

static void free_row(we_cbs_row *r)
{
    free(r->code);
    free(r->name);
    free(r->v);
    memset(r, 0, sizeof *r);
}

static void free_rows(we_cbs_row *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free_row(&r[i]);
    free(r);
}

static int index_stage(stage *s, we_error *err)
{
    s->present = we_strmap_new(s->n);
    s->olds = we_strmap_new(64);
    if (s->present == NULL || s->olds == NULL)
        return we_fail(err, WE_ENOMEM, "%s: out of memory", s->rc->path);
    for (size_t i = 0; i < s->n; i++)
        if (we_strmap_put(s->present, s->list[i].code, i) < 0)
            return we_fail(err, WE_ENOMEM, "%s: out of memory", s->rc->path);
    for (size_t i = 0; i < s->rc->n; i++)
        if (in_stage(s, i) && we_strmap_put(s->olds, s->rc->r[i].old_code,
                                            1) < 0)
            return we_fail(err, WE_ENOMEM, "%s: out of memory", s->rc->path);
    for (size_t i = 0; i < s->rc->n; i++) {
        if (!in_stage(s, i) ||
            we_strmap_get(s->present, s->rc->r[i].old_code) < 0)
            continue;
        if (conflict(s, &s->rc->r[i], err) != 0 ||
            built(s, s->rc->r[i].new_code, err) < 0)
            return -1;
    }
    return 0;
}

/* The rows after a stage: moved ones (still owned by the stage's list
 * until the stage succeeds) and fresh ones built by it. */
typedef struct out_rows {
    we_cbs_row *r;
    unsigned char *fresh;
    size_t n;
} out_rows;

/* The new codes that row `code` goes to, each built once, at the place
 * of the first of its parts in the data. */
static int emit_new(const stage *s, const char *code, we_strmap *done,
                    out_rows *o)
{
    for (size_t i = 0; i < s->rc->n; i++) {
        const rc_row *r = &s->rc->r[i];
        if (!in_stage(s, i) || strcmp(r->old_code, code) != 0)
            continue;
        size_t before = we_strmap_size(done);
        long had = we_strmap_put(done, r->new_code, before);
        if (had < 0)
            return -1;
        if ((size_t)had != before)
            continue;
        o->fresh[o->n] = 1;
        if (build(s, r->new_code, &o->r[o->n++]) != 0)
            return -1;
    }
    return 0;
}

static void out_free(out_rows *o)
{
    for (size_t i = 0; o->r != NULL && i < o->n; i++)
        if (o->fresh[i])
            free_row(&o->r[i]);
    free(o->r);
    free(o->fresh);
}

/* Replaces s->list by the rows after this stage's changes. */
static int apply_stage(stage *s, size_t *n_recoded, we_error *err)
{
    size_t n_stage = 0;
    for (size_t i = 0; i < s->rc->n; i++)
        n_stage += (size_t)in_stage(s, i);
    out_rows o = { we_calloc(s->n + n_stage, sizeof *o.r),
                   we_calloc(s->n + n_stage, 1), 0 };
    we_strmap *done = we_strmap_new(n_stage);
    int rc = o.r == NULL || o.fresh == NULL || done == NULL ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < s->n; i++) {
        if (we_strmap_get(s->olds, s->list[i].code) < 0)
            o.r[o.n++] = s->list[i];
        else
            rc = emit_new(s, s->list[i].code, done, &o);
    }
    we_strmap_free(done);
    if (rc != 0) {
        out_free(&o);
        return we_fail(err, WE_ENOMEM, "%s: out of memory", s->rc->path);
    }
    for (size_t i = 0; i < s->n; i++)
        if (we_strmap_get(s->olds, s->list[i].code) >= 0) {
            free_row(&s->list[i]);
            (*n_recoded)++;
        }
    free(s->list);
    free(o.fresh);
    s->list = o.r;
    s->n = o.n;
    return 0;
}

static void stage_done(stage *s)
{
    we_strmap_free(s->present);
    we_strmap_free(s->olds);
    s->present = s->olds = NULL;
}

/* ---- all periods -------------------------------------------------------- */

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The distinct values of vals[0..n), ascending, in place; returns their
 * number. */
static size_t distinct(int *vals, size_t n)
{
    qsort(vals, n, sizeof *vals, cmp_int);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || vals[m - 1] != vals[i])
            vals[m++] = vals[i];
    return m;
}

/* Moves the rows of `period` out of d into s->list. */
static int take_period(we_cbs_data *d, stage *s)
{
    s->list = we_calloc(d->n_rows, sizeof *s->list);
    if (s->list == NULL)
        return -1;
    for (size_t i = 0; i < d->n_rows; i++)
        if (d->rows[i].code != NULL && d->rows[i].period == s->period) {
            s->list[s->n++] = d->rows[i];
            memset(&d->rows[i], 0, sizeof d->rows[i]);
        }
    return 0;
}

/* Runs the stages of the years after s->period, in order. */
static int recode_period(stage *s, const int *years, size_t n_years,
                         size_t *n_recoded, we_error *err)
{
    for (size_t y = 0; y < n_years; y++) {
        if (years[y] <= s->period)
            continue;
        s->year = years[y];
        int rc = index_stage(s, err);
        if (rc == 0)
            rc = apply_stage(s, n_recoded, err);
        stage_done(s);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static int append_rows(we_cbs_row **all, size_t *n_all, stage *s)
{
    we_cbs_row *r = realloc(*all, (*n_all + s->n + 1) * sizeof *r);
    if (r == NULL)
        return -1;
    memcpy(r + *n_all, s->list, s->n * sizeof *r);
    *all = r;
    *n_all += s->n;
    free(s->list);
    s->list = NULL;
    s->n = 0;
    return 0;
}

static int recode_all(we_cbs_data *d, const recode *rc, we_error *err)
{
    int *years = we_calloc(rc->n, sizeof *years);
    int *periods = we_calloc(d->n_rows, sizeof *periods);
    we_cbs_row *all = NULL;
    size_t n_all = 0, n_years = 0, n_periods = 0;
    int r = years == NULL || periods == NULL ? -1 : 0;
    if (r == 0) {
        for (size_t i = 0; i < rc->n; i++)
            years[i] = rc->r[i].year;
        for (size_t i = 0; i < d->n_rows; i++)
            periods[i] = d->rows[i].period;
        n_years = distinct(years, rc->n);
        n_periods = distinct(periods, d->n_rows);
    }
    for (size_t p = 0; r == 0 && p < n_periods; p++) {
        stage s = { .rc = rc, .d = d, .period = periods[p] };
        r = take_period(d, &s);
        if (r == 0 &&
            (r = recode_period(&s, years, n_years, &d->n_recoded, err)) < 0)
            err = NULL; /* the message is set */
        if (r == 0)
            r = append_rows(&all, &n_all, &s);
        free_rows(s.list, s.n);
    }
    free(years);
    free(periods);
    if (r != 0) {
        free_rows(all, n_all);
        /* err is NULL when a stage failed and said why. */
        return err == NULL ? WE_EINVAL
                           : we_fail(err, WE_ENOMEM, "%s: out of memory",
                                     rc->path);
    }
    free(d->rows);
    d->rows = all;
    d->n_rows = n_all;
    return 0;
}

int we_cbs_recode(we_cbs_data *d, const char *path, we_error *err)
{
    recode rc;
    memset(&rc, 0, sizeof rc);
    int r = recode_load(&rc, path, err);
    if (r == 0)
        r = recode_all(d, &rc, err);
    recode_free(&rc);
    return r;
}
