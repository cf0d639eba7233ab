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

/* Opens and reads the file: a regular file only (util/input_file.h), in
 * UTF-8 (invalid bytes are refused with their line and column). Errors
 * name the file. */
int we_csv_open(we_csv **out, const char *path, we_error *err);
void we_csv_close(we_csv *r);
const char *we_csv_path(const we_csv *r);
char we_csv_delimiter(const we_csv *r); /* ',' or ';' */

/* Returns 1 and fills *row, 0 at the end of the file, -1 on a malformed
 * row or one longer than WE_MAX_LINE (err: "path:line:column: ...").
 * Blank lines are skipped. */
int we_csv_next(we_csv *r, we_csv_row *row, we_error *err);

/* The file's bytes as read (BOM included), e.g. to hash them; unchanged
 * by parsing. */
const char *we_csv_bytes(const we_csv *r, size_t *len);

/* Index of the header column `name`, or -1. Spaces around a header name
 * are ignored. */
long we_csv_column(const we_csv_row *header, const char *name);

/* Parses a numeric cell. Returns 0 with *out set, 1 for a CBS missing
 * marker ("", ".", "x", "X", "-", "?"; spaces around it are ignored;
 * *out = NaN), -1 when the cell is not a number, or WE_CSV_AMBIGUOUS
 * (below). With ';' as delimiter a decimal comma is accepted. */
int we_csv_number(const we_csv *r, const char *field, double *out);

/* What we_csv_number returns, with ';' as delimiter, for a number such as
 * 180.204 or 1.234: a '.' followed by exactly three digits, after one to
 * three digits that do not start with 0, and no exponent. In a file that
 * writes decimals with a comma, that '.' may be a Dutch thousands
 * separator (180.204 = 180204) or a decimal point; neither reading is
 * taken (see docs/data.md, "Numbers"). */
#define WE_CSV_AMBIGUOUS (-2)

/* The file's source writes no thousands separators (a CBS download, see
 * docs/import.md): a '.' is a decimal point, and WE_CSV_AMBIGUOUS is not
 * returned. */
void we_csv_dot_decimals(we_csv *r);

/* Fails with "path:line:col: '180.204' could be 180204 (a thousands
 * separator) or 180.204 (a decimal point); ..." for a field for which
 * we_csv_number returned WE_CSV_AMBIGUOUS. Returns -1. */
int we_csv_ambiguous(const char *path, size_t line, size_t col,
                     const char *field, we_error *err);

#endif
