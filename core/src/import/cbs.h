/* Import of CBS StatLine downloads (wide: one row per region, one column
 * per variable) into the long indicators format of the panel loader
 * (area,period,indicator,value). See docs/import.md. */
#ifndef WE_IMPORT_CBS_H
#define WE_IMPORT_CBS_H

#include <stddef.h>

#include "util/error.h"

/* Region levels, for --level. */
enum { WE_CBS_GEMEENTE = 1, WE_CBS_WIJK = 2, WE_CBS_BUURT = 4,
       WE_CBS_ALL = 7 };

typedef struct we_cbs_options {
    const char *input;   /* the CBS download */
    const char *mapping; /* cbs_column,indicator[,scale,denominator,aggregate] */
    const char *catalog; /* every mapped indicator must be in it */
    /* Columns of the download; NULL: the region code is taken from the
     * first column that holds one, the name is the code, no population. */
    const char *code_column;
    const char *name_column;
    const char *population_column;
    /* The period: a column (2019 or CBS style 2019JJ00), or `period`. */
    const char *period_column;
    int period; /* 0: not given */
    unsigned levels; /* WE_CBS_* bits; 0 means all */
} we_cbs_options;

typedef struct we_cbs_row {
    char *code;
    char *name;
    int period;
    size_t line; /* in the download; 0 for an area built by a recode */
    double *v;   /* n_ind mapped values, then the population if any; NaN =
                    missing */
} we_cbs_row;

typedef struct we_cbs_data {
    size_t n_ind;
    char **indicator;   /* catalogue ids, in mapping order */
    unsigned char *sum; /* per value: 1 = a count (a merge adds it up),
                           0 = a level or rate (a merge averages it) */
    int has_population; /* v[n_ind] holds the population */
    size_t n_rows;
    we_cbs_row *rows;
    /* What was left out, for the summary. */
    size_t n_skipped;      /* codes that are not GM, WK or BU (NL00, PV20) */
    char skipped_code[24]; /* the first of them */
    size_t skipped_line;
    size_t n_other_level;  /* left out by `levels` */
    size_t n_recoded;      /* download rows merged or split by a recode */
} we_cbs_data;

/* Reads the download through the mapping. Errors name file:line[:column]
 * and say what to do. On error *d is empty. */
int we_cbs_read(we_cbs_data *d, const we_cbs_options *o, we_error *err);

/* Applies a code-change file (old_code,new_code,year,weight[,new_name]) to
 * the rows of every period before `year`: see docs/import.md. */
int we_cbs_recode(we_cbs_data *d, const char *recode_path, we_error *err);

void we_cbs_free(we_cbs_data *d);

/* Number of cells without a value. */
size_t we_cbs_missing(const we_cbs_data *d);

typedef struct we_cbs_output {
    const char *path;       /* the long indicators file */
    const char *areas_path; /* NULL: no areas file */
    const char *catalog;    /* for the check through the panel loader */
    int append;             /* add to existing files */
    int force;              /* replace existing files */
} we_cbs_output;

/* Writes the long file (and the areas file) under temporary names, loads
 * them through the panel loader, and only then renames them into place.
 * An existing file is refused unless o->append or o->force. */
int we_cbs_write(const we_cbs_data *d, const we_cbs_output *o,
                 we_error *err);

#endif
