#include "data/panel.h"

#include <math.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/csv_table.h"
#include "data/number.h"
#include "data/panel_internal.h"
#include "util/reference.h"
#include "util/codes.h"
#include "util/input_file.h"
#include "util/sha256.h"
#include "util/strmap.h"

#define AREAS_HEADER \
    "the columns area,name,municipality[,level,population,municipality_name]"
#define CATALOG_HEADER \
    "the columns indicator,label_nl,label_en,unit,direction,theme,source"
#define DATA_HEADER "the columns area,period,indicator,value"
#define MARKERS "(. x - ? or an empty cell)"
#define DERIVED "(derived from the indicators file)"

typedef we_csv_table table;

/* ---- small helpers ------------------------------------------------------ */

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return s[n] == '\0';
}

/* GM + 4, WK + 6 or BU + 8 digits. */
static int is_cbs_code(const char *s)
{
    if (strncmp(s, "GM", 2) == 0)
        return all_digits(s + 2, 4);
    if (strncmp(s, "WK", 2) == 0)
        return all_digits(s + 2, 6);
    if (strncmp(s, "BU", 2) == 0)
        return all_digits(s + 2, 8);
    return 0;
}

/* realloc to n elements, refusing sizes that overflow. */
static void *resize(void *arr, size_t n, size_t size)
{
    return n > SIZE_MAX / size ? NULL : realloc(arr, n * size);
}

/* The line of each accepted area or indicator row, to name the first of
 * two duplicates. */
typedef struct seen {
    size_t *line;
    size_t cap;
} seen;

/* Makes room for row n in recs (rec_size bytes each) and in s. Returns
 * recs, possibly moved, or NULL when out of memory (recs still valid). */
static void *room_for_row(void *recs, size_t rec_size, seen *s, size_t n)
{
    if (n < s->cap)
        return recs;
    size_t c = s->cap == 0 ? 64 : s->cap * 2;
    size_t *l = resize(s->line, c, sizeof *l);
    if (l == NULL)
        return NULL;
    s->line = l;
    void *r = resize(recs, c, rec_size);
    if (r != NULL)
        s->cap = c;
    return r;
}

/* Names and labels end up in every report's tables and headings; one
 * longer than WE_MAX_NAME characters is a wrong column or file. */
static int text_length(table *t, long col, const char *what, we_error *err)
{
    const char *s = we_csv_table_field(t, col);
    size_t n = we_utf8_chars(s, strlen(s));
    if (n <= WE_MAX_NAME)
        return 0;
    return we_fail(err, WE_EINVAL,
                   "%s:%zu:%zu: %s '%.40s...' has %zu characters, more "
                   "than %d; shorten it (is this the right column?)",
                   we_csv_table_path(t), t->row.line,
                   we_csv_table_col(t, col), what, s, n, WE_MAX_NAME);
}

/* ---- areas -------------------------------------------------------------- */

enum { A_AREA, A_NAME, A_MUNI, A_LEVEL, A_POP, A_MUNI_NAME, A_N };

static int area_codes(table *t, const long *c, we_error *err)
{
    const char *code = we_csv_table_field(t, c[A_AREA]);
    if (!is_cbs_code(code))
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: area code '%.100s' is not a CBS "
                       "code; expected GM + 4 digits (gemeente, e.g. "
                       "GM0363), WK + 6 digits (wijk, e.g. WK036301) "
                       "or BU + 8 digits (buurt, e.g. BU03630101)",
                       we_csv_table_path(t), t->row.line,
                       we_csv_table_col(t, c[A_AREA]), code);
    const char *muni = we_csv_table_field(t, c[A_MUNI]);
    if (!we_is_gm_code(muni))
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: municipality '%.100s' is not a "
                       "CBS municipality code; expected GM + 4 "
                       "digits, e.g. GM0363",
                       we_csv_table_path(t), t->row.line,
                       we_csv_table_col(t, c[A_MUNI]), muni);
    return 0;
}

static int area_population(table *t, const long *c, double *pop,
                           we_error *err)
{
    *pop = NAN;
    if (c[A_POP] < 0)
        return 0;
    const char *s = we_csv_table_field(t, c[A_POP]);
    int rc = we_csv_table_number(t, s, pop);
    if (rc == WE_CSV_AMBIGUOUS)
        return we_csv_ambiguous(we_csv_table_path(t), t->row.line,
                                we_csv_table_col(t, c[A_POP]), s, err);
    if (rc < 0 || (rc == 0 && *pop < 0))
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: population '%.100s' is not a "
                       "number >= 0; write a count such as 12500, "
                       "or leave it empty when unknown",
                       we_csv_table_path(t), t->row.line,
                       we_csv_table_col(t, c[A_POP]), s);
    return 0;
}

static int area_add(we_panel *p, table *t, const long *c, seen *s,
                    we_error *err)
{
    if (text_length(t, c[A_NAME], "name", err) != 0 ||
        (c[A_LEVEL] >= 0 && text_length(t, c[A_LEVEL], "level", err) != 0))
        return -1;
    const char *code = we_csv_table_field(t, c[A_AREA]);
    long have = we_strmap_put(p->area_index, code, p->n_areas);
    if (have < 0)
        return we_csv_table_oom(t, err);
    if ((size_t)have != p->n_areas)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: area '%s' appears twice (first "
                       "on line %zu); keep one row per area",
                       we_csv_table_path(t), t->row.line,
                       we_csv_table_col(t, c[A_AREA]), code, s->line[have]);
    we_area_rec *recs = room_for_row(p->areas, sizeof *recs, s, p->n_areas);
    if (recs == NULL)
        return we_csv_table_oom(t, err);
    p->areas = recs;
    s->line[p->n_areas] = t->row.line;
    we_area_rec *a = &p->areas[p->n_areas++];
    memset(a, 0, sizeof *a);
    a->code = we_strdup(code);
    a->name = we_strdup(we_csv_table_field(t, c[A_NAME]));
    a->municipality = we_strdup(we_csv_table_field(t, c[A_MUNI]));
    a->level = we_strdup(c[A_LEVEL] >= 0 ? we_csv_table_field(t, c[A_LEVEL])
                                         : "");
    if (!a->code || !a->name || !a->municipality || !a->level)
        return we_csv_table_oom(t, err);
    if (c[A_MUNI_NAME] >= 0 &&
        we_csv_table_field(t, c[A_MUNI_NAME])[0] != '\0') {
        a->municipality_name =
            we_strdup(we_csv_table_field(t, c[A_MUNI_NAME]));
        if (a->municipality_name == NULL)
            return we_csv_table_oom(t, err);
    }
    return area_population(t, c, &a->population, err);
}

static int read_areas(we_panel *p, table *t, we_error *err)
{
    static const char *const names[A_N] = { "area", "name", "municipality",
                                            "level", "population",
                                            "municipality_name" };
    long c[A_N];
    if (we_csv_table_columns(t, names, A_N, 3, c, err) != 0)
        return -1;
    p->area_index = we_strmap_new(1024);
    if (p->area_index == NULL)
        return we_csv_table_oom(t, err);
    seen s = { 0 };
    int rc;
    while ((rc = we_csv_table_next(t, err)) == 1)
        if (area_codes(t, c, err) != 0 || area_add(p, t, c, &s, err) != 0) {
            rc = -1;
            break;
        }
    free(s.line);
    if (rc == 0 && p->n_areas == 0)
        return we_fail(err, WE_EINVAL,
                       "%s: no areas after the header; add one row "
                       "per area",
                       we_csv_table_path(t));
    return rc;
}

/* ---- catalogue ---------------------------------------------------------- */

enum { C_ID, C_NL, C_EN, C_UNIT, C_DIR, C_THEME, C_SOURCE, C_N };

static const char *const themes[] = { "wonen", "werken", "leren_opgroeien",
                                      "integreren", "veiligheid",
                                      "gezondheid", "participatie",
                                      "bestuur", "welzijn" };

static const char *theme_of(const char *s)
{
    if (strcmp(s, "leren en opgroeien") == 0)
        return "leren_opgroeien";
    for (size_t i = 0; i < sizeof themes / sizeof *themes; i++)
        if (strcmp(s, themes[i]) == 0)
            return themes[i];
    return NULL;
}

static int catalog_check(table *t, const long *c, we_direction *dir,
                         const char **theme, we_error *err)
{
    const char *id = we_csv_table_field(t, c[C_ID]);
    if (!we_is_indicator_id(id))
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: indicator id '%.100s' may only "
                       "hold a-z, 0-9 and '_' (e.g. woz_gemiddeld); "
                       "rename it",
                       we_csv_table_path(t), t->row.line,
                       we_csv_table_col(t, c[C_ID]), id);
    const char *d = we_csv_table_field(t, c[C_DIR]);
    if (strcmp(d, "higher_is_better") == 0)
        *dir = WE_HIGHER_IS_BETTER;
    else if (strcmp(d, "lower_is_better") == 0)
        *dir = WE_LOWER_IS_BETTER;
    else
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: direction '%.100s' is not valid; "
                       "use higher_is_better or lower_is_better",
                       we_csv_table_path(t), t->row.line,
                       we_csv_table_col(t, c[C_DIR]), d);
    const char *th = we_csv_table_field(t, c[C_THEME]);
    *theme = theme_of(th);
    if (*theme == NULL)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: theme '%.100s' is not known; use "
                       "one of wonen, werken, leren_opgroeien, "
                       "integreren, veiligheid, gezondheid, "
                       "participatie, bestuur, welzijn",
                       we_csv_table_path(t), t->row.line,
                       we_csv_table_col(t, c[C_THEME]), th);
    return 0;
}

static int catalog_add(we_panel *p, table *t, const long *c, seen *s,
                       we_error *err)
{
    we_direction dir = WE_DIRECTION_FROM_CATALOG;
    const char *theme = NULL;
    if (catalog_check(t, c, &dir, &theme, err) != 0 ||
        text_length(t, c[C_ID], "indicator id", err) != 0 ||
        text_length(t, c[C_NL], "label_nl", err) != 0 ||
        text_length(t, c[C_EN], "label_en", err) != 0 ||
        text_length(t, c[C_UNIT], "unit", err) != 0)
        return -1;
    const char *id = we_csv_table_field(t, c[C_ID]);
    long have = we_strmap_put(p->indicator_index, id, p->n_indicators);
    if (have < 0)
        return we_csv_table_oom(t, err);
    if ((size_t)have != p->n_indicators)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: indicator '%s' appears twice "
                       "(first on line %zu); keep one row per "
                       "indicator",
                       we_csv_table_path(t), t->row.line,
                       we_csv_table_col(t, c[C_ID]), id, s->line[have]);
    we_catalog_rec *recs = room_for_row(p->catalog, sizeof *recs, s,
                                        p->n_indicators);
    if (recs == NULL)
        return we_csv_table_oom(t, err);
    p->catalog = recs;
    s->line[p->n_indicators] = t->row.line;
    we_catalog_rec *k = &p->catalog[p->n_indicators++];
    memset(k, 0, sizeof *k);
    k->direction = dir;
    k->indicator = we_strdup(id);
    k->label_nl = we_strdup(we_csv_table_field(t, c[C_NL]));
    k->label_en = we_strdup(we_csv_table_field(t, c[C_EN]));
    k->unit = we_strdup(we_csv_table_field(t, c[C_UNIT]));
    k->theme = we_strdup(theme);
    k->source = we_strdup(we_csv_table_field(t, c[C_SOURCE]));
    if (!k->indicator || !k->label_nl || !k->label_en || !k->unit ||
        !k->theme || !k->source)
        return we_csv_table_oom(t, err);
    return 0;
}

static int read_catalog(we_panel *p, table *t, we_error *err)
{
    static const char *const names[C_N] = { "indicator", "label_nl",
                                            "label_en", "unit", "direction",
                                            "theme", "source" };
    long c[C_N];
    if (we_csv_table_columns(t, names, C_N, C_N, c, err) != 0)
        return -1;
    p->indicator_index = we_strmap_new(64);
    if (p->indicator_index == NULL)
        return we_csv_table_oom(t, err);
    seen s = { 0 };
    int rc;
    while ((rc = we_csv_table_next(t, err)) == 1)
        if (catalog_add(p, t, c, &s, err) != 0) {
            rc = -1;
            break;
        }
    free(s.line);
    if (rc != 0)
        return rc;
    if (p->n_indicators == 0)
        return we_fail(err, WE_EINVAL,
                       "%s: no indicators after the header; add one "
                       "row per indicator",
                       we_csv_table_path(t));
    p->values = we_calloc(p->n_indicators, sizeof *p->values);
    p->n_marked_missing = we_calloc(p->n_indicators,
                                    sizeof *p->n_marked_missing);
    if (p->values == NULL || p->n_marked_missing == NULL)
        return we_fail(err, WE_ENOMEM, "%s: out of memory",
                       we_csv_table_path(t));
    return 0;
}

/* ---- indicator values --------------------------------------------------- */

typedef struct reading {
    table t;
    long c[4];
    const char *areas_path;
    const char *catalog_path;
    we_cells cells;
    const unsigned char *want; /* NULL, or the indicators to keep */
} reading;

enum { D_AREA, D_PERIOD, D_IND, D_VALUE };

static void reading_free(reading *rd, size_t n_indicators)
{
    we_cells_free(&rd->cells, n_indicators);
    we_csv_table_close(&rd->t);
}

static int parse_period(reading *rd, int *out, we_error *err)
{
    table *t = &rd->t;
    const char *s = we_csv_table_field(t, rd->c[D_PERIOD]);
    char *end;
    long v = strtol(s, &end, 10);
    /* The first-character test stops strtol skipping other white space. */
    if (*s == '\0' || *end != '\0' || v < INT_MIN || v > INT_MAX ||
        (*s != '-' && *s != '+' && (*s < '0' || *s > '9')))
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: period '%.100s' is not an integer "
                       "year; write the year as a whole number, e.g. "
                       "2007",
                       we_csv_table_path(t), t->row.line,
                       we_csv_table_col(t, rd->c[D_PERIOD]), s);
    /* A stray sign would add a period of its own (-2007 before 2005) and
     * change every estimate. */
    if (v <= 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: period '%.100s' is not positive; "
                       "periods are years such as 2007",
                       we_csv_table_path(t), t->row.line,
                       we_csv_table_col(t, rd->c[D_PERIOD]), s);
    *out = (int)v;
    return 0;
}

/* Looks up area and indicator of the current row. */
static int row_keys(const we_panel *p, reading *rd, long *a, long *k,
                    we_error *err)
{
    table *t = &rd->t;
    const char *code = we_csv_table_field(t, rd->c[D_AREA]);
    *a = we_strmap_get(p->area_index, code);
    if (*a < 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: unknown area '%.100s'; add it to "
                       "the areas file %s, or fix the code",
                       we_csv_table_path(t), t->row.line,
                       we_csv_table_col(t, rd->c[D_AREA]), code,
                       rd->areas_path);
    const char *name = we_csv_table_field(t, rd->c[D_IND]);
    *k = we_strmap_get(p->indicator_index, name);
    if (*k < 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: unknown indicator '%.100s'; add "
                       "it to the catalogue %s, or fix the name",
                       we_csv_table_path(t), t->row.line,
                       we_csv_table_col(t, rd->c[D_IND]), name,
                       rd->catalog_path);
    return 0;
}

static int row_value(reading *rd, double *v, int *marked, we_error *err)
{
    table *t = &rd->t;
    const char *s = we_csv_table_field(t, rd->c[D_VALUE]);
    int rc = we_csv_table_number(t, s, v);
    if (rc == WE_CSV_AMBIGUOUS)
        return we_csv_ambiguous(we_csv_table_path(t), t->row.line,
                                we_csv_table_col(t, rd->c[D_VALUE]), s, err);
    if (rc == 0 && fabs(*v) > WE_VALUE_LIMIT)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: value '%.100s' is beyond +-%g, where "
                       "the estimators' sums overflow; correct the value "
                       "or rescale the indicator (e.g. thousands instead "
                       "of units)",
                       we_csv_table_path(t), t->row.line,
                       we_csv_table_col(t, rd->c[D_VALUE]), s,
                       WE_VALUE_LIMIT);
    if (rc < 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: value '%.100s' is not a number; "
                       "write a decimal number such as 12.5%s, or a "
                       "CBS missing marker " MARKERS,
                       we_csv_table_path(t), t->row.line,
                       we_csv_table_col(t, rd->c[D_VALUE]), s,
                       we_csv_delimiter(t->r) == ';' ? " or 12,5" : "");
    *marked = rc == 1;
    return 0;
}

static int store(we_panel *p, reading *rd, long a, long k, int period,
                 double v, we_error *err)
{
    table *t = &rd->t;
    long ti = we_cells_slot(&rd->cells, p->n_indicators, period);
    we_cellblock *b = ti < 0 ? NULL
                             : we_cells_block(&rd->cells, p->n_areas,
                                              p->n_indicators, (size_t)ti,
                                              (size_t)k, 1);
    if (b == NULL)
        return we_csv_table_oom(t, err);
    if (t->row.line > UINT32_MAX)
        return we_fail(
            err, WE_EINVAL, "%s:%zu: more than %u lines; split the file",
            we_csv_table_path(t), t->row.line, (unsigned)UINT32_MAX);
    if (b->line[a] != 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: duplicate row for area '%s', "
                       "period %d, indicator '%s' (first on line "
                       "%u); keep one of the two rows",
                       we_csv_table_path(t), t->row.line,
                       we_csv_table_col(t, rd->c[D_AREA]), p->areas[a].code,
                       period, p->catalog[k].indicator, (unsigned)b->line[a]);
    b->line[a] = (uint32_t)t->row.line;
    b->v[a] = v;
    return 0;
}

static int read_row(we_panel *p, reading *rd, we_error *err)
{
    long a = -1, k = -1;
    int period = 0, marked = 0;
    double v = NAN;
    if (row_keys(p, rd, &a, &k, err) != 0 ||
        parse_period(rd, &period, err) != 0)
        return -1;
    if (rd->want != NULL && !rd->want[k]) {
        /* Another indicator's row: keys checked, its period counts for
         * the panel's periods, its value is not read. */
        if (we_cells_slot(&rd->cells, p->n_indicators, period) < 0)
            return we_csv_table_oom(&rd->t, err);
        p->n_rows++;
        return 0;
    }
    if (row_value(rd, &v, &marked, err) != 0 ||
        store(p, rd, a, k, period, v, err) != 0)
        return -1;
    p->n_marked_missing[k] += (size_t)marked;
    p->n_rows++;
    return 0;
}

static int read_values(we_panel *p, reading *rd, we_error *err)
{
    static const char *const names[4] = { "area", "period", "indicator",
                                          "value" };
    if (we_csv_table_columns(&rd->t, names, 4, 4, rd->c, err) != 0)
        return -1;
    int rc;
    while ((rc = we_csv_table_next(&rd->t, err)) == 1)
        if (read_row(p, rd, err) != 0)
            return -1;
    if (rc != 0)
        return -1;
    if (p->n_rows == 0)
        return we_fail(err, WE_EINVAL,
                       "%s: no data rows after the header; add one "
                       "row per area, period and indicator",
                       we_csv_table_path(&rd->t));
    return we_cells_build(p, &rd->cells, we_csv_table_path(&rd->t), err);
}

/* ---- public ------------------------------------------------------------- */

/* Opens one of the three files and reads it with `read`. */
static int read_file(we_panel *p, const char *path, const char *header,
                     int (*read)(we_panel *, table *, we_error *),
                     we_sha256 *h, we_error *err)
{
    table t = { 0 };
    int rc = we_csv_table_open_hashed(&t, path, header, h, err);
    if (rc == 0)
        rc = read(p, &t, err);
    we_csv_table_close(&t);
    return rc;
}

/* The catalogue indicators named in the comma-separated list, as a mask
 * (names not in the catalogue are left out: the caller finds them
 * without rows). */
static unsigned char *want_mask(const we_panel *p, const char *list)
{
    unsigned char *want = calloc(p->n_indicators + 1, 1);
    if (want == NULL)
        return NULL;
    for (const char *s = list; *s != '\0';) {
        size_t n = strcspn(s, ",");
        for (size_t k = 0; k < p->n_indicators; k++)
            if (strlen(p->catalog[k].indicator) == n &&
                memcmp(p->catalog[k].indicator, s, n) == 0)
                want[k] = 1;
        s += n + (s[n] == ',');
    }
    return want;
}

static int load(we_panel *p, const char *areas_path,
                const char *indicators_path, const char *catalog_path,
                const we_panel_load_options *o, we_error *err)
{
    we_sha256 h;
    we_sha256_init(&h);
    we_sha256 *hp = o->no_checksum ? NULL : &h;
    if ((areas_path != NULL &&
         read_file(p, areas_path, AREAS_HEADER, read_areas, hp, err) != 0) ||
        (catalog_path != NULL &&
         read_file(p, catalog_path, CATALOG_HEADER, read_catalog, hp,
                   err) != 0))
        return -1;
    /* What was not given comes from the indicators file itself. */
    if ((areas_path == NULL || catalog_path == NULL) &&
        we_panel_derive_lists(p, indicators_path, areas_path == NULL,
                              catalog_path == NULL, err) != 0)
        return -1;
    /* The fast reader takes the common case; anything it does not handle,
     * errors included, goes to the general reader, which names it. */
    unsigned char *want = NULL;
    if (o->indicators != NULL &&
        (want = want_mask(p, o->indicators)) == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    int rc = we_reference_paths()
                 ? 0
                 : we_panel_read_values_fast(p, indicators_path, hp, want,
                                             err);
    if (rc == 0) {
        reading rd = {.areas_path = areas_path ? areas_path : DERIVED,
                      .catalog_path = catalog_path ? catalog_path
                                                   : DERIVED,
                      .want = want};
        rc = we_csv_table_open_hashed(&rd.t, indicators_path, DATA_HEADER,
                                      hp, err);
        if (rc == 0)
            rc = read_values(p, &rd, err);
        reading_free(&rd, p->n_indicators);
        rc = rc == 0 ? 1 : -1;
    }
    free(want);
    if (rc < 0)
        return -1;
    if (hp != NULL) {
        unsigned char digest[32];
        we_sha256_final(&h, digest);
        we_sha256_hex(digest, p->data_sha256);
    }
    return 0;
}

int we_panel_load(we_panel *p, const char *areas_path,
                  const char *indicators_path, const char *catalog_path,
                  we_error *err)
{
    static const we_panel_load_options all = {0};
    return we_panel_load_with(p, areas_path, indicators_path, catalog_path,
                              &all, err);
}

int we_panel_load_with(we_panel *p, const char *areas_path,
                       const char *indicators_path, const char *catalog_path,
                       const we_panel_load_options *o, we_error *err)
{
    memset(p, 0, sizeof *p);
    if (load(p, areas_path, indicators_path, catalog_path, o, err) != 0) {
        we_panel_free(p);
        return -1;
    }
    return 0;
}

int we_panel_load_derived(we_panel *p, const char *areas_path,
                          const char *indicators_path,
                          const char *catalog_path, we_error *err)
{
    return we_panel_load(p, areas_path, indicators_path, catalog_path, err);
}

int we_panel_load_catalog(we_panel *p, const char *catalog_path,
                          we_error *err)
{
    we_sha256 h;
    we_sha256_init(&h);
    memset(p, 0, sizeof *p);
    if (read_file(p, catalog_path, CATALOG_HEADER, read_catalog, &h,
                  err) != 0) {
        we_panel_free(p);
        return -1;
    }
    return 0;
}

/* ---- building in memory ------------------------------------------------ */

/* A fresh area_index over the current codes. */
static int index_areas(we_panel *p, we_error *err)
{
    we_strmap *idx = we_strmap_new(p->n_areas);
    if (idx == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t i = 0; i < p->n_areas; i++) {
        long have = we_strmap_put(idx, p->areas[i].code, i);
        if (have < 0 || (size_t)have != i) {
            we_strmap_free(idx);
            return have < 0 ? we_fail(err, WE_ENOMEM, "out of memory")
                            : we_fail(err, WE_EINVAL,
                                      "areas %ld and %zu both have "
                                      "the code '%s'; give each area "
                                      "its own code",
                                      have, i, p->areas[i].code);
        }
    }
    we_strmap_free(p->area_index);
    p->area_index = idx;
    return 0;
}

static int new_areas(we_panel *p, const char *const *codes, size_t n,
                     we_error *err)
{
    p->areas = we_calloc(n, sizeof *p->areas);
    if (p->areas == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (p->n_areas = 0; p->n_areas < n; p->n_areas++) {
        we_area_rec *a = &p->areas[p->n_areas];
        a->code = we_strdup(codes[p->n_areas]);
        a->name = we_strdup("");
        a->municipality = we_strdup("");
        a->level = we_strdup("");
        a->population = NAN;
        if (!a->code || !a->name || !a->municipality || !a->level) {
            p->n_areas++; /* so that we_panel_free frees this one too */
            return we_fail(err, WE_ENOMEM, "out of memory");
        }
    }
    return index_areas(p, err);
}

int we_panel_new_empty(we_panel *p, const char *const *codes, size_t n_areas,
                       const int *periods, size_t n_periods, we_error *err)
{
    memset(p, 0, sizeof *p);
    for (size_t t = 1; t < n_periods; t++)
        if (periods[t] <= periods[t - 1])
            return we_fail(err, WE_EINVAL,
                           "periods must ascend: %d follows %d", periods[t],
                           periods[t - 1]);
    p->periods = malloc((n_periods ? n_periods : 1) * sizeof *p->periods);
    p->indicator_index = we_strmap_new(16);
    if (p->periods == NULL || p->indicator_index == NULL) {
        we_panel_free(p);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    memcpy(p->periods, periods, n_periods * sizeof *periods);
    p->n_periods = n_periods;
    if (new_areas(p, codes, n_areas, err) != 0) {
        we_panel_free(p);
        return -1;
    }
    return 0;
}

int we_panel_set_area_code(we_panel *p, size_t i, const char *code,
                           we_error *err)
{
    if (i >= p->n_areas)
        return we_fail(err, WE_EINVAL,
                       "there is no area %zu; the panel has %zu", i,
                       p->n_areas);
    char *copy = we_strdup(code);
    if (copy == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    char *old = p->areas[i].code;
    p->areas[i].code = copy;
    if (index_areas(p, err) != 0) {
        p->areas[i].code = old;
        free(copy);
        return -1;
    }
    free(old);
    return 0;
}

/* Room for catalogue entry k = n_indicators, zeroed. */
static int grow_catalog(we_panel *p, we_error *err)
{
    size_t n = p->n_indicators + 1;
    we_catalog_rec *c = resize(p->catalog, n, sizeof *c);
    if (c != NULL)
        p->catalog = c;
    double **v = resize(p->values, n, sizeof *v);
    if (v != NULL)
        p->values = v;
    size_t *m = resize(p->n_marked_missing, n, sizeof *m);
    if (m != NULL)
        p->n_marked_missing = m;
    if (c == NULL || v == NULL || m == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    memset(&c[n - 1], 0, sizeof *c);
    v[n - 1] = NULL;
    m[n - 1] = 0;
    return 0;
}

static int catalog_new(we_panel *p, const char *name, we_error *err)
{
    if (grow_catalog(p, err) != 0)
        return -1;
    we_catalog_rec *k = &p->catalog[p->n_indicators];
    k->indicator = we_strdup(name);
    k->label_nl = we_strdup(name);
    k->label_en = we_strdup(name);
    k->unit = we_strdup("");
    k->theme = we_strdup("");
    k->source = we_strdup("");
    p->n_indicators++; /* counted now, so that we_panel_free frees it */
    if (!k->indicator || !k->label_nl || !k->label_en || !k->unit ||
        !k->theme || !k->source ||
        we_strmap_put(p->indicator_index, name, p->n_indicators - 1) < 0)
        return we_fail(err, WE_ENOMEM, "out of memory");
    return 0;
}

int we_panel_add_indicator(we_panel *p, const char *name,
                           we_direction direction, const double *values,
                           we_error *err)
{
    if (name == NULL || !we_is_indicator_id(name))
        return we_fail(err, WE_EINVAL,
                       "indicator id '%.100s' may only hold a-z, 0-9 "
                       "and '_'",
                       name ? name : "");
    size_t cells = p->n_areas * p->n_periods;
    double *copy = NULL;
    if (values != NULL) {
        if ((copy = malloc((cells ? cells : 1) * sizeof *copy)) == NULL)
            return we_fail(err, WE_ENOMEM, "out of memory");
        memcpy(copy, values, cells * sizeof *copy);
    }
    long k = we_panel_indicator(p, name);
    if (k < 0 && catalog_new(p, name, err) != 0) {
        free(copy);
        return -1;
    }
    if (k < 0)
        k = (long)p->n_indicators - 1;
    p->catalog[k].direction = direction;
    free(p->values[k]);
    p->values[k] = copy;
    return 0;
}

void we_panel_free(we_panel *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->n_areas; i++) {
        free(p->areas[i].code);
        free(p->areas[i].name);
        free(p->areas[i].municipality);
        free(p->areas[i].level);
        free(p->areas[i].municipality_name);
    }
    for (size_t k = 0; k < p->n_indicators; k++) {
        we_catalog_rec *c = &p->catalog[k];
        free(c->indicator);
        free(c->label_nl);
        free(c->label_en);
        free(c->unit);
        free(c->theme);
        free(c->source);
        if (p->values != NULL)
            free(p->values[k]);
    }
    free(p->areas);
    free(p->catalog);
    free(p->values);
    free(p->periods);
    free(p->n_marked_missing);
    we_strmap_free(p->area_index);
    we_strmap_free(p->indicator_index);
    memset(p, 0, sizeof *p);
}

long we_panel_area(const we_panel *p, const char *code)
{
    return p->area_index != NULL ? we_strmap_get(p->area_index, code) : -1;
}

long we_panel_indicator(const we_panel *p, const char *name)
{
    return p->indicator_index != NULL ? we_strmap_get(p->indicator_index, name)
                                      : -1;
}

long we_panel_period(const we_panel *p, int period)
{
    return we_find_sorted(p->periods, p->n_periods, period);
}
