/* The standardised indicator panel: areas x periods x indicators, dense and
 * column-oriented (one areas x periods matrix of doubles per indicator, NaN
 * for missing). See docs/data.md for the file contract. */
#ifndef WE_DATA_PANEL_H
#define WE_DATA_PANEL_H

#include <stddef.h>

#include "util/error.h"
#include "wijkeval/plugin.h"

typedef struct we_area_rec {
    char *code;         /* CBS-style: GM0363, WK036301, BU03630101 */
    char *name;
    char *municipality; /* municipality code, e.g. GM0363 */
    char *level;        /* optional, "" when absent */
    double population;  /* NaN when absent */
    /* the municipality's name: the areas file's optional column
     * municipality_name, or data.municipalities; NULL when unknown */
    char *municipality_name;
} we_area_rec;

typedef struct we_catalog_rec {
    char *indicator;
    char *label_nl;
    char *label_en;
    char *unit;
    we_direction direction; /* WE_HIGHER_IS_BETTER or WE_LOWER_IS_BETTER */
    char *theme;
    char *source;
} we_catalog_rec;

typedef struct we_strmap we_strmap; /* string -> index, see util/strmap.h */

typedef struct we_panel {
    size_t n_areas;
    we_area_rec *areas;
    size_t n_periods;
    int *periods; /* ascending, distinct */
    size_t n_indicators; /* = catalogue entries */
    we_catalog_rec *catalog;
    /* values[k]: n_areas * n_periods doubles, row-major by area
     * (values[k][area * n_periods + t]); NULL when the data file has no row
     * for catalogue indicator k. */
    double **values;
    size_t *n_marked_missing; /* per indicator: cells given as a CBS
                                 missing marker (. x - ? or empty) */
    size_t n_rows;            /* data rows read */
    we_strmap *area_index;
    we_strmap *indicator_index;
    char data_sha256[65];     /* over areas, catalog and indicators files */
} we_panel;

/* Loads the three CSV files. On error fills err with
 * "file:line:column: what is wrong; what to do" and leaves *p empty. */
int we_panel_load(we_panel *p, const char *areas_path,
                  const char *indicators_path, const char *catalog_path,
                  we_error *err);
void we_panel_free(we_panel *p);

/* we_panel_load with areas_path or catalog_path NULL (`wijkeval
 * estimate` without --areas or --catalog): what is not given is derived
 * from the indicators file, in memory. The areas are its distinct codes
 * in order of first appearance, named by their code, each with the
 * municipality read from the CBS code (WK036301 -> GM0363); the
 * indicators are catalogued as higher_is_better, theme welzijn, labelled
 * by their id. The values are then read as by we_panel_load. */
int we_panel_load_derived(we_panel *p, const char *areas_path,
                          const char *indicators_path,
                          const char *catalog_path, we_error *err);

/* What a load may leave out (`wijkeval estimate`): the values of other
 * indicators than those named, and the checksum. Every row is still read
 * and its area, period and indicator checked (the panel's periods come
 * from all rows); the other indicators' values are neither parsed nor
 * kept (their values[k] stay NULL, and a bad value or duplicate row among
 * them is not noticed). */
typedef struct we_panel_load_options {
    const char *indicators; /* comma-separated ids; NULL: every indicator */
    int no_checksum;        /* 1: data_sha256 stays "" */
} we_panel_load_options;

/* we_panel_load (or, with areas_path or catalog_path NULL,
 * we_panel_load_derived) with options. */
int we_panel_load_with(we_panel *p, const char *areas_path,
                       const char *indicators_path, const char *catalog_path,
                       const we_panel_load_options *o, we_error *err);

/* Loads only a catalogue file (no areas, no data): enough to check a
 * plugin's indicators and directions against it. */
int we_panel_load_catalog(we_panel *p, const char *catalog_path,
                          we_error *err);

/* ---- building a panel in memory (the mock host) ---------------------------
 * An empty catalogue over n_areas areas with the given distinct codes (name
 * and municipality "", population NaN) and n_periods ascending periods. */
int we_panel_new_empty(we_panel *p, const char *const *codes, size_t n_areas,
                       const int *periods, size_t n_periods, we_error *err);
/* Gives area i another code; refuses a code another area has. */
int we_panel_set_area_code(we_panel *p, size_t i, const char *code,
                           we_error *err);
/* Adds indicator `name` to the catalogue with a copy of `values`
 * (n_areas * n_periods, row-major by area), or replaces the direction and
 * values of the one there. values NULL: catalogued, but without data. */
int we_panel_add_indicator(we_panel *p, const char *name,
                           we_direction direction, const double *values,
                           we_error *err);

/* Names the areas' municipalities from a file with the columns
 * code,name (data.municipalities; data/municipalities.c): every area
 * whose municipality is listed gets its name. A code that is not a CBS
 * municipality code, a code given twice or an empty name is an error
 * with file, line and column. */
int we_panel_name_municipalities(we_panel *p, const char *path,
                                 we_error *err);

long we_panel_area(const we_panel *p, const char *code);        /* -1 */
long we_panel_indicator(const we_panel *p, const char *name);   /* -1 */
long we_panel_period(const we_panel *p, int period);            /* -1 */

#endif
