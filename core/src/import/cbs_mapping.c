/* The mapping file: which column of a CBS download becomes which
 * catalogue indicator, and how. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "import/cbs_internal.h"

#define MAP_HEADER "cbs_column,indicator[,scale,denominator,aggregate]"

enum { M_COL, M_IND, M_SCALE, M_DEN, M_AGG, M_N };

typedef struct map_reader {
    we_csv_table t;
    long c[M_N];
    const we_csv_table *cbs;
    const we_panel *cat;
    const char *cat_path;
    imp_map *m;
    size_t n, cap;
} map_reader;

static int map_columns(map_reader *mr, we_error *err)
{
    static const char *const names[M_N] = { "cbs_column", "indicator",
                                            "scale", "denominator",
                                            "aggregate" };
    return we_csv_table_columns(&mr->t, names, M_N, M_SCALE, mr->c, err);
}

/* "mapping.csv:3:1" for field i of the current row. */
static void ref_of(const map_reader *mr, long i, char *buf, size_t size)
{
    snprintf(buf, size, "%s:%zu:%zu", we_csv_table_path(&mr->t),
             mr->t.row.line,
             we_csv_table_col(&mr->t, i));
}

static int cbs_column(map_reader *mr, long i, long *idx, we_error *err)
{
    char ref[1200];
    ref_of(mr, i, ref, sizeof ref);
    const char *name = we_csv_table_field(&mr->t, i);
    if (*name == '\0')
        return we_fail(err, WE_EINVAL,
                       "%s: empty CBS column name; write the name "
                       "of a column of %s",
                       ref, we_csv_table_path(mr->cbs));
    return imp_cbs_column(mr->cbs, name, ref, idx, err);
}

static int unknown_indicator(const map_reader *mr, const char *id,
                             we_error *err)
{
    const we_panel *cat = mr->cat;
    const char **ids = we_calloc(cat->n_indicators, sizeof *ids);
    char hint[1024] = "";
    if (ids != NULL) {
        for (size_t j = 0; j < cat->n_indicators; j++)
            ids[j] = cat->catalog[j].indicator;
        imp_suggest(ids, cat->n_indicators, id, hint, sizeof hint);
    }
    free(ids);
    char ref[1200];
    ref_of(mr, mr->c[M_IND], ref, sizeof ref);
    return we_fail(err, WE_EINVAL,
                   "%s: indicator '%.100s' is not in the catalogue "
                   "%s; %s; fix the name, or add the indicator to "
                   "the catalogue (--catalog FILE)",
                   ref, id, mr->cat_path, hint);
}

/* The indicator of the current row: in the catalogue, and mapped once. */
static int indicator_of(map_reader *mr, long *k, we_error *err)
{
    const char *id = we_csv_table_field(&mr->t, mr->c[M_IND]);
    *k = we_panel_indicator(mr->cat, id);
    if (*k < 0)
        return unknown_indicator(mr, id, err);
    for (size_t j = 0; j < mr->n; j++)
        if (strcmp(mr->m[j].indicator, id) == 0) {
            char ref[1200];
            ref_of(mr, mr->c[M_IND], ref, sizeof ref);
            return we_fail(err, WE_EINVAL,
                           "%s: indicator '%s' is mapped twice "
                           "(first on line %zu); map each indicator "
                           "from one column",
                           ref, id, mr->m[j].line);
        }
    return 0;
}

static int scale_of(map_reader *mr, double *scale, we_error *err)
{
    *scale = 1;
    if (mr->c[M_SCALE] < 0)
        return 0;
    const char *s = we_csv_table_field(&mr->t, mr->c[M_SCALE]);
    if (*s == '\0')
        return 0;
    if (we_csv_number(mr->t.r, s, scale) != 0 || *scale == 0) {
        char ref[1200];
        ref_of(mr, mr->c[M_SCALE], ref, sizeof ref);
        return we_fail(err, WE_EINVAL,
                       "%s: scale '%.100s' is not a non-zero "
                       "number; write e.g. 1000 (a value in "
                       "thousands) or leave it empty for 1",
                       ref, s);
    }
    return 0;
}

static int aggregate_of(map_reader *mr, long k, int *sum, we_error *err)
{
    const char *s = mr->c[M_AGG] >= 0 ? we_csv_table_field(&mr->t,
                                                           mr->c[M_AGG])
                                      : "";
    if (*s == '\0')
        *sum = strcmp(mr->cat->catalog[k].unit, "count") == 0;
    else if (strcmp(s, "sum") == 0 || strcmp(s, "mean") == 0)
        *sum = s[0] == 's';
    else {
        char ref[1200];
        ref_of(mr, mr->c[M_AGG], ref, sizeof ref);
        return we_fail(err, WE_EINVAL,
                       "%s: aggregate '%.100s' is not known; use "
                       "sum (counts) or mean (levels, rates, "
                       "percentages), or leave it empty",
                       ref, s);
    }
    return 0;
}

static int map_row(map_reader *mr, we_error *err)
{
    imp_map e = { .denominator = -1, .line = mr->t.row.line };
    long k;
    if (cbs_column(mr, mr->c[M_COL], &e.column, err) != 0 ||
        indicator_of(mr, &k, err) != 0 || scale_of(mr, &e.scale, err) != 0 ||
        aggregate_of(mr, k, &e.sum, err) != 0)
        return -1;
    if (mr->c[M_DEN] >= 0 && *we_csv_table_field(&mr->t,
                                                 mr->c[M_DEN]) != '\0' &&
        cbs_column(mr, mr->c[M_DEN], &e.denominator, err) != 0)
        return -1;
    if (mr->n == mr->cap) {
        size_t cap = mr->cap ? 2 * mr->cap : 16;
        imp_map *m = realloc(mr->m, cap * sizeof *m);
        if (m == NULL)
            return we_fail(err, WE_ENOMEM, "%s: out of memory",
                           we_csv_table_path(&mr->t));
        mr->m = m;
        mr->cap = cap;
    }
    e.indicator = we_strdup(mr->cat->catalog[k].indicator);
    if (e.indicator == NULL)
        return we_fail(err, WE_ENOMEM, "%s: out of memory",
                       we_csv_table_path(&mr->t));
    mr->m[mr->n++] = e;
    return 0;
}

int imp_mapping_load(imp_map **out, size_t *n, const char *path,
                     const we_csv_table *cbs, const we_panel *catalog,
                     const char *catalog_path, we_error *err)
{
    map_reader mr = { .cbs = cbs, .cat = catalog, .cat_path = catalog_path };
    *out = NULL;
    *n = 0;
    int rc = we_csv_table_open(&mr.t, path, "the columns " MAP_HEADER, err);
    if (rc == 0)
        rc = map_columns(&mr, err);
    while (rc == 0 && (rc = we_csv_table_next(&mr.t, err)) == 1)
        rc = map_row(&mr, err);
    if (rc == 0 && mr.n == 0)
        rc = we_fail(err, WE_EINVAL,
                     "%s: no rows after the header; add one row per "
                     "indicator: CBS column, catalogue indicator",
                     path);
    we_csv_table_close(&mr.t);
    if (rc != 0) {
        imp_mapping_free(mr.m, mr.n);
        return -1;
    }
    *out = mr.m;
    *n = mr.n;
    return 0;
}

void imp_mapping_free(imp_map *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(m[i].indicator);
    free(m);
}
