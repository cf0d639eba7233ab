/* Reading a CBS StatLine download (';' or ',', quoted, padded codes,
 * decimal commas, '.' for secret values) through a mapping. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "import/cbs_internal.h"
#include "util/strmap.h"

typedef struct reader {
    const we_cbs_options *o;
    we_cbs_data *d;
    we_csv_table t;
    char **header; /* the download's column names, for messages */
    size_t n_header;
    imp_map *m;
    size_t n_map;
    long code_col, name_col, pop_col, period_col;
    we_strmap *seen; /* "code\tperiod" -> row */
    size_t cap;
} reader;

static int oom(const reader *rd, we_error *err)
{
    return we_fail(err, WE_ENOMEM, "%s: out of memory", rd->o->input);
}

static int keep_header(reader *rd, we_error *err)
{
    rd->n_header = rd->t.row.n_fields;
    rd->header = we_calloc(rd->n_header, sizeof *rd->header);
    if (rd->header == NULL)
        return oom(rd, err);
    for (size_t i = 0; i < rd->n_header; i++)
        if ((rd->header[i] = we_strdup(we_csv_table_field(&rd->t,
                                                          (long)i))) == NULL)
            return oom(rd, err);
    return 0;
}

/* A column named by an option, or -1 when the option is not given. */
static int option_column(reader *rd, const char *name, const char *option,
                         long *idx, we_error *err)
{
    *idx = -1;
    return name == NULL ? 0 : imp_cbs_column(&rd->t, name, option, idx, err);
}

static int columns(reader *rd, we_error *err)
{
    const we_cbs_options *o = rd->o;
    return option_column(rd, o->code_column, "--code-column", &rd->code_col,
                         err) ||
           option_column(rd, o->name_column, "--name-column", &rd->name_col,
                         err) ||
           option_column(rd, o->population_column, "--population-column",
                         &rd->pop_col, err) ||
           option_column(rd, o->period_column, "--period-column",
                         &rd->period_col, err)
               ? -1
               : 0;
}

static int setup(reader *rd, we_error *err)
{
    we_cbs_data *d = rd->d;
    d->n_ind = rd->n_map;
    d->has_population = rd->pop_col >= 0;
    d->indicator = we_calloc(d->n_ind, sizeof *d->indicator);
    d->sum = we_calloc(d->n_ind + 1, sizeof *d->sum);
    rd->seen = we_strmap_new(1024);
    if (d->indicator == NULL || d->sum == NULL || rd->seen == NULL)
        return oom(rd, err);
    for (size_t k = 0; k < d->n_ind; k++) {
        d->indicator[k] = we_strdup(rd->m[k].indicator);
        d->sum[k] = (unsigned char)rd->m[k].sum;
        if (d->indicator[k] == NULL)
            return oom(rd, err);
    }
    d->sum[d->n_ind] = 1; /* the population is a count */
    return 0;
}

/* Without --code-column: the first column whose first data row holds a
 * region code (NL00, GM0363, WK036301, ...). */
static int detect_code_column(reader *rd, we_error *err)
{
    for (size_t i = 0; i < rd->t.row.n_fields; i++)
        if (imp_is_region_like(we_csv_table_field(&rd->t, (long)i))) {
            rd->code_col = (long)i;
            return 0;
        }
    return we_fail(err, WE_EINVAL,
                   "%s:%zu: no column holds a CBS region code (such "
                   "as GM0363, WK036301 or BU03630101) in the first "
                   "data row; name the column with --code-column",
                   rd->o->input, rd->t.row.line);
}

/* 1 when the row's code is to be imported, 0 when it is left out (not a
 * gemeente, wijk or buurt, or another --level), -1 on a bad code. */
static int code_ok(reader *rd, const char *code, we_error *err)
{
    we_cbs_data *d = rd->d;
    size_t line = rd->t.row.line, col = we_csv_table_col(&rd->t, rd->code_col);
    if (*code == '\0')
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: empty region code in column "
                       "'%s'; fill it in or remove the row",
                       rd->o->input, line, col, rd->header[rd->code_col]);
    if (imp_level(code) == 0) {
        if (d->n_skipped++ == 0) {
            snprintf(d->skipped_code, sizeof d->skipped_code, "%.20s", code);
            d->skipped_line = line;
        }
        return 0;
    }
    if (!imp_is_area_code(code))
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: region code '%.100s' is not a "
                       "CBS code; expected GM + 4 digits (gemeente), "
                       "WK + 6 digits (wijk) or BU + 8 digits "
                       "(buurt)",
                       rd->o->input, line, col, code);
    unsigned levels = rd->o->levels ? rd->o->levels : WE_CBS_ALL;
    if ((imp_level(code) & levels) == 0) {
        d->n_other_level++;
        return 0;
    }
    return 1;
}

/* 2019, or CBS's period code 2019JJ00 (a whole year). */
static int period_of(reader *rd, int *period, we_error *err)
{
    if (rd->period_col < 0) {
        *period = rd->o->period;
        return 0;
    }
    char *s = we_csv_table_field(&rd->t, rd->period_col);
    size_t n = strlen(s);
    if (n == 8 && strcmp(s + 4, "JJ00") == 0)
        s[4] = '\0';
    long v;
    if (imp_parse_int(s, 1000, 9999, &v) != 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: period '%.100s' in column '%s' "
                       "is not a year; expected e.g. 2019 or "
                       "2019JJ00",
                       rd->o->input, rd->t.row.line,
                       we_csv_table_col(&rd->t, rd->period_col), s,
                       rd->header[rd->period_col]);
    *period = (int)v;
    return 0;
}

/* Cell `col` as a number; NaN for a CBS missing marker ('.' = secret). */
static int cell(reader *rd, long col, size_t map_line, double *v,
                we_error *err)
{
    const char *s = we_csv_table_field(&rd->t, col);
    if (we_csv_number(rd->t.r, s, v) >= 0)
        return 0;
    char mapped[1100] = "";
    if (map_line > 0)
        snprintf(mapped, sizeof mapped, " (mapped on %s:%zu)",
                 rd->o->mapping, map_line);
    return we_fail(err, WE_EINVAL,
                   "%s:%zu:%zu: '%.100s' in column '%s'%s is not a "
                   "number; CBS writes 12,5 or 12.5, and '.' for a "
                   "secret or missing value; fix the cell or the "
                   "column name",
                   rd->o->input, rd->t.row.line, we_csv_table_col(&rd->t, col),
                   s, rd->header[col], mapped);
}

static int value_of(reader *rd, const imp_map *m, double *out,
                    we_error *err)
{
    double num, den = 1;
    if (cell(rd, m->column, m->line, &num, err) != 0 ||
        (m->denominator >= 0 &&
         cell(rd, m->denominator, m->line, &den, err) != 0))
        return -1;
    /* A share of an empty area (denominator 0) is missing, not infinite. */
    *out = den == 0 ? NAN : m->scale * num / den;
    if (isinf(*out))
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: the value of '%s' (mapped on "
                       "%s:%zu) overflows after scaling; check the "
                       "scale in the mapping",
                       rd->o->input, rd->t.row.line,
                       we_csv_table_col(&rd->t, m->column),
                       rd->header[m->column], rd->o->mapping, m->line);
    return 0;
}

static int population_of(reader *rd, double *pop, we_error *err)
{
    if (cell(rd, rd->pop_col, 0, pop, err) != 0)
        return -1;
    if (*pop < 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: population %.100s in column "
                       "'%s' is negative; fix the cell or the column "
                       "name",
                       rd->o->input, rd->t.row.line,
                       we_csv_table_col(&rd->t, rd->pop_col),
                       we_csv_table_field(&rd->t, rd->pop_col),
                       rd->header[rd->pop_col]);
    return 0;
}

static int unique(reader *rd, const char *code, int period, we_error *err)
{
    char key[64];
    snprintf(key, sizeof key, "%s\t%d", code, period);
    we_cbs_data *d = rd->d;
    long have = we_strmap_put(rd->seen, key, d->n_rows);
    if (have < 0)
        return oom(rd, err);
    if ((size_t)have != d->n_rows)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: region '%s' appears twice for "
                       "period %d (first on line %zu); keep one row",
                       rd->o->input, rd->t.row.line,
                       we_csv_table_col(&rd->t, rd->code_col), code, period,
                       d->rows[have].line);
    return 0;
}

static we_cbs_row *new_row(reader *rd)
{
    we_cbs_data *d = rd->d;
    if (d->n_rows == rd->cap) {
        size_t cap = rd->cap ? 2 * rd->cap : 256;
        we_cbs_row *r = realloc(d->rows, cap * sizeof *r);
        if (r == NULL)
            return NULL;
        d->rows = r;
        rd->cap = cap;
    }
    we_cbs_row *r = &d->rows[d->n_rows];
    memset(r, 0, sizeof *r);
    r->v = we_calloc(d->n_ind + 1, sizeof *r->v);
    if (r->v == NULL)
        return NULL;
    d->n_rows++;
    return r;
}

static int data_row(reader *rd, we_error *err)
{
    if (rd->code_col < 0 && detect_code_column(rd, err) != 0)
        return -1;
    const char *code = we_csv_table_field(&rd->t, rd->code_col);
    int rc = code_ok(rd, code, err), period = 0;
    if (rc <= 0)
        return rc;
    if (period_of(rd, &period, err) != 0 || unique(rd, code, period, err))
        return -1;
    we_cbs_row *r = new_row(rd);
    if (r == NULL)
        return oom(rd, err);
    r->period = period;
    r->line = rd->t.row.line;
    r->code = we_strdup(code);
    r->name = we_strdup(rd->name_col >= 0 ? we_csv_table_field(&rd->t,
                                                               rd->name_col)
                                          : code);
    if (r->code == NULL || r->name == NULL)
        return oom(rd, err);
    for (size_t k = 0; k < rd->n_map; k++)
        if (value_of(rd, &rd->m[k], &r->v[k], err) != 0)
            return -1;
    return rd->pop_col >= 0 ? population_of(rd, &r->v[rd->n_map], err) : 0;
}

static int read_rows(reader *rd, we_error *err)
{
    int rc;
    while ((rc = we_csv_table_next(&rd->t, err)) == 1)
        if (data_row(rd, err) != 0)
            return -1;
    if (rc < 0)
        return -1;
    const we_cbs_data *d = rd->d;
    if (d->n_rows == 0)
        return we_fail(err, WE_EINVAL,
                       "%s: no gemeente, wijk or buurt rows to "
                       "import (%zu rows of other regions, %zu of "
                       "other levels); check the file and --level",
                       rd->o->input, d->n_skipped, d->n_other_level);
    return 0;
}

static void reader_free(reader *rd)
{
    we_csv_table_close(&rd->t);
    for (size_t i = 0; rd->header != NULL && i < rd->n_header; i++)
        free(rd->header[i]);
    free(rd->header);
    imp_mapping_free(rd->m, rd->n_map);
    we_strmap_free(rd->seen);
}

int we_cbs_read(we_cbs_data *d, const we_cbs_options *o, we_error *err)
{
    memset(d, 0, sizeof *d);
    reader rd = { .o = o, .d = d };
    we_panel cat;
    memset(&cat, 0, sizeof cat);
    int rc = we_panel_load_catalog(&cat, o->catalog, err);
    if (rc == 0)
        rc = we_csv_table_open(&rd.t, o->input, "the CBS column names", err);
    /* CBS writes no thousands separators (docs/import.md): in its ';'
     * downloads 1.010 is a decimal point, not the ambiguity that the
     * loader refuses in wijkeval's own inputs. */
    if (rc == 0)
        we_csv_dot_decimals(rd.t.r);
    if (rc == 0)
        rc = keep_header(&rd, err);
    if (rc == 0)
        rc = imp_mapping_load(&rd.m, &rd.n_map, o->mapping, &rd.t, &cat,
                              o->catalog, err);
    if (rc == 0)
        rc = columns(&rd, err);
    if (rc == 0 && (rd.period_col < 0) == (o->period == 0))
        rc = we_fail(err, WE_EINVAL,
                     "%s: give the period with either --period YEAR "
                     "or --period-column NAME",
                     o->input);
    if (rc == 0)
        rc = setup(&rd, err);
    if (rc == 0)
        rc = read_rows(&rd, err);
    reader_free(&rd);
    we_panel_free(&cat);
    if (rc != 0)
        we_cbs_free(d);
    return rc;
}

void we_cbs_free(we_cbs_data *d)
{
    for (size_t i = 0; i < d->n_rows; i++) {
        free(d->rows[i].code);
        free(d->rows[i].name);
        free(d->rows[i].v);
    }
    free(d->rows);
    for (size_t k = 0; d->indicator != NULL && k < d->n_ind; k++)
        free(d->indicator[k]);
    free(d->indicator);
    free(d->sum);
    memset(d, 0, sizeof *d);
}

size_t we_cbs_missing(const we_cbs_data *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n_rows; i++)
        for (size_t k = 0; k < d->n_ind; k++)
            n += isnan(d->rows[i].v[k]) != 0;
    return n;
}
