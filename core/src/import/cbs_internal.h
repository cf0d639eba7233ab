/* Shared by the importer's files: the lookup of a CBS download's columns
 * with suggestions, and CBS region codes. Its CSV files are read as
 * header-keyed tables (data/csv_table.h). */
#ifndef WE_IMPORT_CBS_INTERNAL_H
#define WE_IMPORT_CBS_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include "data/csv_table.h"
#include "data/panel.h"
#include "import/cbs.h"

/* A column of a CBS download, looked up as docs/import.md says: the exact
 * name, or else the one column NAME_<digits> (CBS numbers its columns,
 * and the numbers change between years). `ref` says where the name comes
 * from ("mapping.csv:3:1" or "--code-column") for the errors. */
int imp_cbs_column(const we_csv_table *t, const char *name, const char *ref,
                   long *idx, we_error *err);

/* "close names: a, b" or "the columns are: a, b, ..." for an unknown
 * name among `n` candidates. */
void imp_suggest(const char *const *cands, size_t n, const char *name,
                 char *buf, size_t size);

/* CBS region codes. */
int imp_is_area_code(const char *s);         /* GM+4, WK+6, BU+8 digits */
int imp_is_region_like(const char *s);       /* two capitals + digits */
unsigned imp_level(const char *code);        /* WE_CBS_* bit, 0 if none */
const char *imp_level_name(const char *code);
void imp_municipality(const char *code, char out[7]);

/* Parses a whole integer in [lo, hi]. */
int imp_parse_int(const char *s, long lo, long hi, long *out);

/* Shortest text that reads back as v ("" for NaN). */
void imp_format_value(char *buf, size_t size, double v);

/* Writes a CSV field, quoted when it needs to be. */
void imp_put_field(FILE *f, const char *s);

/* One row of the mapping file. */
typedef struct imp_map {
    char *indicator;
    long column;      /* in the download's header */
    long denominator; /* -1: none */
    double scale;
    int sum;          /* aggregate: 1 sum, 0 mean */
    size_t line;      /* in the mapping file */
} imp_map;

/* Reads the mapping and resolves its columns in the download's header
 * (cbs->row) and its indicators in the catalogue. */
int imp_mapping_load(imp_map **out, size_t *n, const char *path,
                     const we_csv_table *cbs, const we_panel *catalog,
                     const char *catalog_path, we_error *err);
void imp_mapping_free(imp_map *m, size_t n);

#endif
