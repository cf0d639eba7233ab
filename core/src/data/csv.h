/* A CSV reader for what real exports contain: ',' or ';' delimiters
 * (detected from the header line), a decimal comma with ';', a UTF-8 BOM,
 * CRLF line endings and RFC 4180 quoting (quoted fields may hold the
 * delimiter, doubled quotes and newlines). */
#ifndef WE_DATA_CSV_H
#define WE_DATA_CSV_H

#include <stddef.h>

#include "util/error.h"

typedef struct we_csv we_csv;

typedef struct we_csv_row {
    size_t n_fields;
    char **fields;   /* unquoted, NUL-terminated; valid until the next call */
    size_t *columns; /* 1-based column (byte) where each field starts */
    size_t line;     /* 1-based line where the row starts */
} we_csv_row;

/* Opens and reads the file. Errors name the file. */
int we_csv_open(we_csv **out, const char *path, we_error *err);
void we_csv_close(we_csv *r);
const char *we_csv_path(const we_csv *r);
char we_csv_delimiter(const we_csv *r); /* ',' or ';' */

/* Returns 1 and fills *row, 0 at the end of the file, -1 on a malformed
 * row (err: "path:line:column: ..."). Blank lines are skipped. */
int we_csv_next(we_csv *r, we_csv_row *row, we_error *err);

/* The file's bytes as read (BOM included), e.g. to hash them; unchanged
 * by parsing. */
const char *we_csv_bytes(const we_csv *r, size_t *len);

/* Index of the header column `name`, or -1. Spaces around a header name
 * are ignored. */
long we_csv_column(const we_csv_row *header, const char *name);

/* Parses a numeric cell. Returns 0 with *out set, 1 for a CBS missing
 * marker ("", ".", "x", "X", "-", "?"; spaces around it are ignored;
 * *out = NaN), or -1 when the cell is not a number. With ';' as delimiter
 * a decimal comma is accepted. */
int we_csv_number(const we_csv *r, const char *field, double *out);

#endif
