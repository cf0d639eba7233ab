/* A header-keyed CSV table: the one way every input with a header line
 * (areas, catalogue, indicators, targets, costs, the treatment file, the
 * importer's files) is read. It opens the file, reads the header, finds
 * columns by name and walks the rows, checking each row's width; every
 * error names the file, the line (and column where there is one) and
 * says what to do. The streaming reader of the indicators file
 * (panel_fast.c) reads its chunks itself and leaves every file it does
 * not take to this one. */
#ifndef WE_DATA_CSV_TABLE_H
#define WE_DATA_CSV_TABLE_H

#include <stddef.h>

#include "data/csv.h"
#include "util/error.h"
#include "util/sha256.h"

typedef struct we_csv_table {
    we_csv *r;
    we_csv_row row;       /* the header until the first we_csv_table_next */
    size_t width;         /* fields in the header */
    size_t header_line;
    const char *expected; /* what the header should hold, for messages:
                             "the columns area,from[,wave]" */
} we_csv_table;

/* Opens the file and reads its header line. `expected` (kept, not
 * copied) completes "the header must name ..." in messages; an empty
 * file is an error that names it too. On failure the table is still safe
 * to close. */
int we_csv_table_open(we_csv_table *t, const char *path,
                      const char *expected, we_error *err);
/* we_csv_table_open that also adds the file's bytes to h (the
 * fingerprint of a run's inputs). */
int we_csv_table_open_hashed(we_csv_table *t, const char *path,
                             const char *expected, we_sha256 *h,
                             we_error *err);
void we_csv_table_close(we_csv_table *t);

const char *we_csv_table_path(const we_csv_table *t);
/* The file's bytes as read, e.g. to hash them. */
const char *we_csv_table_bytes(const we_csv_table *t, size_t *len);

/* Header field i without the blanks around it, copied into buf. */
const char *we_csv_table_header(const we_csv_table *t, size_t i, char *buf,
                                size_t size);

/* The index of header column `name` in *idx (blanks around header names
 * are ignored), -1 when it is absent and not required. A missing required
 * column and a column given twice are errors. */
int we_csv_table_column(const we_csv_table *t, const char *name,
                        int required, long *idx, we_error *err);
/* we_csv_table_column for n names: the first n_required are required,
 * the others optional. */
int we_csv_table_columns(const we_csv_table *t, const char *const *names,
                         size_t n, size_t n_required, long *idx,
                         we_error *err);
/* A header column that is none of the n names is an error: a typo would
 * otherwise drop its data silently. */
int we_csv_table_only(const we_csv_table *t, const char *const *names,
                      size_t n, we_error *err);

/* The next data row into t->row, of the header's width: 1, 0 at the end
 * of the file, -1 on error. Blank lines are skipped. */
int we_csv_table_next(we_csv_table *t, we_error *err);

/* Field i of the current row, blanks around it removed (in place). */
char *we_csv_table_field(we_csv_table *t, long i);
/* The 1-based column where field i of the current row starts. */
size_t we_csv_table_col(const we_csv_table *t, long i);
/* The line of the current row. */
size_t we_csv_table_line(const we_csv_table *t);

/* we_csv_number with the file's delimiter. */
int we_csv_table_number(const we_csv_table *t, const char *field,
                        double *out);

/* "path:line: out of memory" for the current row; returns -1. */
int we_csv_table_oom(const we_csv_table *t, we_error *err);

#endif
