/* The areas and the catalogue of a panel derived from its indicators file,
 * for `wijkeval estimate` without --areas or --catalog: the distinct areas
 * and indicators in order of first appearance, each area's municipality
 * read from its CBS code (WK036301 -> GM0363), each indicator catalogued
 * as higher_is_better under theme welzijn. Nothing is written anywhere:
 * the records go straight into the panel, and the indicators file is then
 * read by the loader a run uses (panel.c, panel_fast.c).
 *
 * The scan streams the file line by line. A file with quotes (which may
 * hide a delimiter or a newline in a field) is scanned again by the CSV
 * reader instead. Rows the scan cannot use (a header without area or
 * indicator, a short row) are left for the loader, which names what is
 * wrong with file, line and column. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/csv.h"
#include "data/csv_table.h"
#include "data/panel_internal.h"
#include "util/codes.h"
#include "util/input_file.h"
#include "util/strmap.h"

typedef struct derive {
    we_panel *p;
    const char *path;
    int areas, catalog; /* which of the two to derive */
    size_t cap_areas, cap_catalog;
} derive;

static int oom(const derive *d, size_t line, we_error *err)
{
    return we_fail(err, WE_ENOMEM, "%s:%zu: out of memory", d->path, line);
}

static int add_area(derive *d, const char *code, size_t line, size_t col,
                    we_error *err)
{
    we_panel *p = d->p;
    if (we_strmap_get(p->area_index, code) >= 0)
        return 0;
    char gm[7];
    if (we_municipality_of_code(code, gm) != 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: area '%.100s' is not a CBS code "
                       "(GM + 4, WK + 6 or BU + 8 digits, e.g. "
                       "WK036301), so its municipality cannot be read "
                       "from it; give an areas file (area,name,"
                       "municipality) with --areas, or fix the code",
                       d->path, line, col, code);
    if (p->n_areas == d->cap_areas) {
        size_t cap = d->cap_areas ? 2 * d->cap_areas : 256;
        we_area_rec *a = realloc(p->areas, cap * sizeof *a);
        if (a == NULL)
            return oom(d, line, err);
        p->areas = a;
        d->cap_areas = cap;
    }
    we_area_rec *a = &p->areas[p->n_areas];
    memset(a, 0, sizeof *a);
    a->population = NAN;
    p->n_areas++; /* counted now, so that we_panel_free frees it */
    a->code = we_strdup(code);
    a->name = we_strdup(code);
    a->municipality = we_strdup(gm);
    a->level = we_strdup("");
    if (!a->code || !a->name || !a->municipality || !a->level ||
        we_strmap_put(p->area_index, code, p->n_areas - 1) < 0)
        return oom(d, line, err);
    return 0;
}

static int add_indicator(derive *d, const char *name, size_t line,
                         size_t col, we_error *err)
{
    we_panel *p = d->p;
    if (we_strmap_get(p->indicator_index, name) >= 0)
        return 0;
    if (!we_is_indicator_id(name))
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: indicator id '%.100s' may only "
                       "hold a-z, 0-9 and '_' (e.g. woz_gemiddeld); "
                       "rename it",
                       d->path, line, col, name);
    if (strlen(name) > WE_MAX_NAME)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: indicator id '%.40s...' has %zu "
                       "characters, more than %d; give it a shorter id",
                       d->path, line, col, name, strlen(name), WE_MAX_NAME);
    if (p->n_indicators == d->cap_catalog) {
        size_t cap = d->cap_catalog ? 2 * d->cap_catalog : 16;
        we_catalog_rec *c = realloc(p->catalog, cap * sizeof *c);
        if (c == NULL)
            return oom(d, line, err);
        p->catalog = c;
        d->cap_catalog = cap;
    }
    we_catalog_rec *k = &p->catalog[p->n_indicators];
    memset(k, 0, sizeof *k);
    k->direction = WE_HIGHER_IS_BETTER;
    p->n_indicators++; /* counted now, so that we_panel_free frees it */
    k->indicator = we_strdup(name);
    k->label_nl = we_strdup(name);
    k->label_en = we_strdup(name);
    k->unit = we_strdup("");
    k->theme = we_strdup("welzijn");
    k->source = we_strdup("");
    if (!k->indicator || !k->label_nl || !k->label_en || !k->unit ||
        !k->theme || !k->source ||
        we_strmap_put(p->indicator_index, name, p->n_indicators - 1) < 0)
        return oom(d, line, err);
    return 0;
}

/* One data row's area and indicator (trimmed as the loader trims them). */
static int note_row(derive *d, const char *area, size_t area_col,
                    const char *ind, size_t ind_col, size_t line,
                    we_error *err)
{
    if (d->areas && add_area(d, area, line, area_col, err) != 0)
        return -1;
    if (d->catalog && add_indicator(d, ind, line, ind_col, err) != 0)
        return -1;
    return 0;
}

/* Removes what a scan added, before the next scan starts over. */
static void forget(derive *d)
{
    we_panel *p = d->p;
    for (size_t i = 0; d->areas && i < p->n_areas; i++) {
        free(p->areas[i].code);
        free(p->areas[i].name);
        free(p->areas[i].municipality);
        free(p->areas[i].level);
    }
    for (size_t k = 0; d->catalog && k < p->n_indicators; k++) {
        we_catalog_rec *c = &p->catalog[k];
        free(c->indicator);
        free(c->label_nl);
        free(c->label_en);
        free(c->unit);
        free(c->theme);
        free(c->source);
    }
    if (d->areas) {
        p->n_areas = 0;
        we_strmap_free(p->area_index);
        p->area_index = we_strmap_new(1024);
    }
    if (d->catalog) {
        p->n_indicators = 0;
        we_strmap_free(p->indicator_index);
        p->indicator_index = we_strmap_new(64);
    }
}

/* ---- the general scan: the CSV reader ----------------------------------- */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static int scan_csv(derive *d, we_error *err)
{
    static const char *const cols[] = {"area", "indicator"};
    we_csv_table t;
    long c[2];
    int rc = we_csv_table_open(&t, d->path,
                               "the columns area,period,indicator,value",
                               err);
    if (rc == 0)
        rc = we_csv_table_columns(&t, cols, 2, 2, c, err);
    while (rc == 0 && (rc = we_csv_table_next(&t, err)) == 1)
        rc = note_row(d, we_csv_table_field(&t, c[0]),
                      we_csv_table_col(&t, c[0]),
                      we_csv_table_field(&t, c[1]),
                      we_csv_table_col(&t, c[1]), we_csv_table_line(&t),
                      err) != 0
                 ? -1
                 : 0;
    we_csv_table_close(&t);
    return rc == 0 ? 0 : -1;
}

/* ---- the streaming scan ------------------------------------------------- */

/* STREAM_QUOTED: the file has quotes or a line the scan leaves to the CSV
 * reader (plain_line). */
enum { STREAM_DONE = 0, STREAM_FAILED = -1, STREAM_QUOTED = 1 };

/* Field i of a line split at delim, trimmed in place; NULL when the line
 * has fewer fields. *col: its 1-based byte column. */
static char *nth_field(char *line, char delim, long i, size_t *col)
{
    char *s = line;
    for (long k = 0; k < i; k++) {
        s = strchr(s, delim);
        if (s == NULL)
            return NULL;
        s++;
    }
    char *e = strchr(s, delim);
    if (e != NULL)
        *e = '\0';
    while (*s == ' ' || *s == '\t')
        s++;
    *col = (size_t)(s - line) + 1;
    return trim(s);
}

/* The index of header column `name`, or -1. */
static long header_column(const char *header, char delim, const char *name)
{
    char *copy = we_strdup(header);
    long found = -1;
    size_t col;
    for (long i = 0; copy != NULL && found < 0; i++) {
        strcpy(copy, header);
        char *f = nth_field(copy, delim, i, &col);
        if (f == NULL)
            break;
        if (strcmp(f, name) == 0)
            found = i;
    }
    free(copy);
    return found;
}

static size_t chomp(char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return n;
}

/* A line the scan takes: ASCII, at most WE_MAX_LINE bytes and without NUL.
 * Any other goes to the CSV reader, which refuses it with file:line. */
static int plain_line(const char *s, size_t n)
{
    if (n > WE_MAX_LINE || memchr(s, '\0', n) != NULL)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

static int scan_lines(derive *d, FILE *in, char **buf, size_t *cap,
                      we_error *err)
{
    ssize_t got = getline(buf, cap, in);
    if (got < 0)
        return STREAM_DONE; /* empty: the loader says so */
    if (!plain_line(*buf, (size_t)got))
        return STREAM_QUOTED;
    char *h = *buf;
    size_t n = chomp(h, (size_t)got);
    if (n >= 3 && memcmp(h, "\xef\xbb\xbf", 3) == 0)
        h += 3;
    if (strchr(h, '"') != NULL)
        return STREAM_QUOTED;
    size_t semi = 0, comma = 0;
    for (const char *c = h; *c; c++) {
        semi += *c == ';';
        comma += *c == ',';
    }
    char delim = semi > comma ? ';' : ',';
    long ca = header_column(h, delim, "area");
    long ci = header_column(h, delim, "indicator");
    if (ca < 0 || ci < 0)
        return STREAM_DONE; /* the loader names what is missing */
    int second = ci > ca;
    long first_i = second ? ca : ci, second_i = second ? ci : ca;
    for (size_t line = 2; (got = getline(buf, cap, in)) >= 0; line++) {
        char *s = *buf;
        if (!plain_line(s, (size_t)got) || memchr(s, '"', (size_t)got) != NULL)
            return STREAM_QUOTED;
        if (chomp(s, (size_t)got) == 0)
            continue; /* blank lines are skipped */
        /* Both fields from one pass: the later one first, since taking a
         * field cuts the line after it. */
        size_t c1, c2;
        char *f2 = nth_field(s, delim, second_i, &c2);
        char *f1 = f2 ? nth_field(s, delim, first_i, &c1) : NULL;
        if (f1 == NULL)
            continue; /* the loader reports short rows */
        const char *area = second ? f1 : f2, *ind = second ? f2 : f1;
        if (note_row(d, area, second ? c1 : c2, ind, second ? c2 : c1, line,
                     err) != 0)
            return STREAM_FAILED;
    }
    if (ferror(in))
        return we_fail(err, WE_EINVAL, "%s: cannot read: %s", d->path,
                       strerror(errno));
    return STREAM_DONE;
}

int we_panel_derive_lists(we_panel *p, const char *indicators_path,
                          int areas, int catalog, we_error *err)
{
    derive d = {.p = p, .path = indicators_path, .areas = areas,
                .catalog = catalog};
    if (areas && (p->area_index = we_strmap_new(1024)) == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    if (catalog && (p->indicator_index = we_strmap_new(64)) == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    FILE *in = we_open_input(indicators_path, NULL, err);
    if (in == NULL)
        return -1;
    char *buf = NULL;
    size_t cap = 0;
    int rc = scan_lines(&d, in, &buf, &cap, err);
    free(buf);
    fclose(in);
    if (rc == STREAM_QUOTED) {
        forget(&d);
        if ((areas && p->area_index == NULL) ||
            (catalog && p->indicator_index == NULL))
            return we_fail(err, WE_ENOMEM, "out of memory");
        rc = scan_csv(&d, err);
    }
    if (rc != 0)
        return -1;
    if (catalog) {
        size_t n = p->n_indicators ? p->n_indicators : 1;
        p->values = calloc(n, sizeof *p->values);
        p->n_marked_missing = calloc(n, sizeof *p->n_marked_missing);
        if (p->values == NULL || p->n_marked_missing == NULL)
            return we_fail(err, WE_ENOMEM, "%s: out of memory",
                           indicators_path);
    }
    return 0;
}
