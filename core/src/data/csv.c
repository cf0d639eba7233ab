#include "data/csv.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "data/number.h"
#include "util/input_file.h"

struct we_csv {
    char *path;
    char *data; /* the whole file, followed by a NUL sentinel */
    size_t len;
    size_t pos;
    size_t line;       /* 1-based line of data[pos] */
    size_t line_start; /* offset of the first byte of that line */
    char delim;
    int dot_decimals; /* a '.' is always a decimal point (we_csv_dot_decimals) */
    /* Bytes that end a run of plain field text; the NUL sentinel is one of
     * them, so the inner loop needs no bounds check. */
    unsigned char special[256];
    /* Unquoted field text of the current row, reused across rows. */
    char *scratch;
    size_t scratch_cap;
    size_t *offs; /* field starts in scratch (scratch may move) */
    char **fields;
    size_t *columns;
    size_t fields_cap;
};

static int read_all(FILE *f, char **data, size_t *len)
{
    struct stat st;
    size_t cap = 65536;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        cap = (size_t)st.st_size + 2; /* room to see EOF without growing */
    char *buf = malloc(cap);
    size_t n = 0;
    if (buf == NULL)
        return ENOMEM;
    for (;;) {
        if (n + 1 >= cap) {
            char *b = realloc(buf, cap * 2);
            if (b == NULL) {
                free(buf);
                return ENOMEM;
            }
            buf = b;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - 1 - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        int e = errno != 0 ? errno : EIO;
        free(buf);
        return e;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

/* The header line decides: more ';' than ',' outside quotes means ';'. */
static char detect_delimiter(const char *d, size_t pos, size_t len)
{
    size_t semi = 0, comma = 0;
    int quoted = 0;
    for (; pos < len; pos++) {
        char c = d[pos];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r'))
            break;
        else if (!quoted && c == ';')
            semi++;
        else if (!quoted && c == ',')
            comma++;
    }
    return semi > comma ? ';' : ',';
}

static int check_encoding(we_csv *r, we_error *err)
{
    const unsigned char *u = (const unsigned char *)r->data;
    if (r->len >= 2 &&
        ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff)))
        return we_fail(err, WE_EINVAL,
                       "%s: the file is UTF-16 encoded; save it as "
                       "UTF-8 CSV",
                       r->path);
    if (r->len >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
        r->pos = r->line_start = 3;
    size_t bad = we_utf8_invalid(r->data, r->len);
    if (bad == r->len)
        return 0;
    size_t line = 1, start = 0;
    for (size_t i = 0; i < bad; i++)
        if (r->data[i] == '\n') {
            line++;
            start = i + 1;
        }
    return we_fail(err, WE_EINVAL,
                   "%s:%zu:%zu: invalid UTF-8 (byte 0x%02x at offset %zu); "
                   "save the file as UTF-8 CSV",
                   r->path, line, bad - start + 1, u[bad], bad);
}

int we_csv_open(we_csv **out, const char *path, we_error *err)
{
    *out = NULL;
    FILE *f = we_open_input(path, NULL, err);
    if (f == NULL)
        return -1;
    we_csv *r = calloc(1, sizeof *r);
    int e = r == NULL ? ENOMEM : read_all(f, &r->data, &r->len);
    fclose(f);
    if (e != 0) {
        free(r);
        return we_fail(err, WE_EINVAL, "%s: cannot read: %s", path,
                       strerror(e));
    }
    r->path = we_strdup(path);
    if (r->path == NULL) {
        we_csv_close(r);
        return we_fail(err, WE_ENOMEM, "%s: out of memory", path);
    }
    r->line = 1;
    if (check_encoding(r, err) != 0) {
        we_csv_close(r);
        return -1;
    }
    r->delim = detect_delimiter(r->data, r->pos, r->len);
    const char specials[] = { r->delim, '\n', '\r', '"', '\0' };
    for (size_t i = 0; i < sizeof specials; i++)
        r->special[(unsigned char)specials[i]] = 1;
    *out = r;
    return 0;
}

void we_csv_close(we_csv *r)
{
    if (r == NULL)
        return;
    free(r->path);
    free(r->data);
    free(r->scratch);
    free(r->offs);
    free(r->fields);
    free(r->columns);
    free(r);
}

const char *we_csv_path(const we_csv *r)
{
    return r->path;
}

char we_csv_delimiter(const we_csv *r)
{
    return r->delim;
}

const char *we_csv_bytes(const we_csv *r, size_t *len)
{
    *len = r->len;
    return r->data;
}

static size_t column_of(const we_csv *r, size_t pos)
{
    return pos - r->line_start + 1;
}

static int oom(const we_csv *r, we_error *err)
{
    return we_fail(err, WE_ENOMEM, "%s:%zu: out of memory", r->path, r->line);
}

static int reserve_scratch(we_csv *r, size_t need, we_error *err)
{
    if (need <= r->scratch_cap)
        return 0;
    size_t cap = r->scratch_cap * 2 > need ? r->scratch_cap * 2 : need;
    char *s = realloc(r->scratch, cap);
    if (s == NULL)
        return oom(r, err);
    r->scratch = s;
    r->scratch_cap = cap;
    return 0;
}

static int reserve_fields(we_csv *r, size_t n, we_error *err)
{
    if (n <= r->fields_cap)
        return 0;
    size_t cap = r->fields_cap == 0 ? 16 : r->fields_cap * 2;
    size_t *offs = realloc(r->offs, cap * sizeof *offs);
    if (offs != NULL)
        r->offs = offs;
    char **fields = realloc(r->fields, cap * sizeof *fields);
    if (fields != NULL)
        r->fields = fields;
    size_t *cols = realloc(r->columns, cap * sizeof *cols);
    if (cols != NULL)
        r->columns = cols;
    if (offs == NULL || fields == NULL || cols == NULL)
        return oom(r, err);
    r->fields_cap = cap;
    return 0;
}

static int nul_byte(const we_csv *r, size_t pos, we_error *err)
{
    return we_fail(err, WE_EINVAL,
                   "%s:%zu:%zu: NUL byte; this is not a text CSV "
                   "file (save it as UTF-8 CSV)",
                   r->path, r->line, column_of(r, pos));
}

/* Consumes a line break at pos (LF, CRLF or a lone CR), if any. */
static void end_line(we_csv *r)
{
    const char *d = r->data;
    if (r->pos >= r->len)
        return;
    if (d[r->pos] == '\r' && d[r->pos + 1] == '\n')
        r->pos += 2;
    else
        r->pos++;
    r->line++;
    r->line_start = r->pos;
}

static int unquoted_field(we_csv *r, size_t *out, we_error *err)
{
    const unsigned char *d = (const unsigned char *)r->data;
    size_t p = r->pos;
    while (!r->special[d[p]])
        p++;
    if (d[p] == '"')
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: '\"' inside an unquoted field; "
                       "put the whole field in quotes and write the "
                       "quote as \"\"",
                       r->path, r->line, column_of(r, p));
    if (p < r->len && d[p] == '\0')
        return nul_byte(r, p, err);
    size_t n = p - r->pos;
    if (reserve_scratch(r, *out + n + 1, err) != 0)
        return -1;
    memcpy(r->scratch + *out, r->data + r->pos, n);
    r->scratch[*out + n] = '\0';
    *out += n + 1;
    r->pos = p;
    return 0;
}

/* Finds the closing quote of the field opened at r->pos, counting the
 * lines inside it. Returns its offset, or 0 on error. */
static size_t closing_quote(we_csv *r, we_error *err)
{
    const char *d = r->data;
    size_t open_line = r->line, open_col = column_of(r, r->pos);
    for (size_t p = r->pos + 1;; p++) {
        char c = d[p];
        if (c == '"' && d[p + 1] == '"') {
            p++;
        } else if (c == '"') {
            return p;
        } else if (c == '\0' && p >= r->len) {
            we_fail(err, WE_EINVAL,
                    "%s:%zu:%zu: quoted field is never closed; add "
                    "the closing '\"' (write a quote inside a quoted "
                    "field as \"\")",
                    r->path, open_line, open_col);
            return 0;
        } else if (c == '\0') {
            nul_byte(r, p, err);
            return 0;
        } else if (c == '\n' || (c == '\r' && d[p + 1] != '\n')) {
            r->line++;
            r->line_start = p + 1;
        }
    }
}

static int quoted_field(we_csv *r, size_t *out, we_error *err)
{
    size_t close = closing_quote(r, err);
    if (close == 0)
        return -1;
    if (reserve_scratch(r, *out + (close - r->pos), err) != 0)
        return -1;
    char *dst = r->scratch + *out;
    for (size_t p = r->pos + 1; p < close; p++) {
        *dst++ = r->data[p];
        if (r->data[p] == '"')
            p++; /* the second quote of a "" pair */
    }
    *dst = '\0';
    *out = (size_t)(dst - r->scratch) + 1;
    r->pos = close + 1;
    char c = r->data[r->pos];
    if (c != r->delim && c != '\n' && c != '\r' && r->pos < r->len)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: text after the closing quote of "
                       "a field; quote the whole field, or add the "
                       "missing '%c'",
                       r->path, r->line, column_of(r, r->pos), r->delim);
    return 0;
}

static void skip_blank_lines(we_csv *r)
{
    while (r->pos < r->len &&
           (r->data[r->pos] == '\n' || r->data[r->pos] == '\r'))
        end_line(r);
}

int we_csv_next(we_csv *r, we_csv_row *row, we_error *err)
{
    skip_blank_lines(r);
    if (r->pos >= r->len)
        return 0;
    row->line = r->line;
    size_t nf = 0, out = 0, row_start = r->pos;
    for (;;) {
        if (reserve_fields(r, nf + 1, err) != 0)
            return -1;
        r->columns[nf] = column_of(r, r->pos);
        r->offs[nf] = out;
        int rc = r->data[r->pos] == '"' ? quoted_field(r, &out, err)
                                         : unquoted_field(r, &out, err);
        if (rc != 0)
            return -1;
        nf++;
        if (r->pos >= r->len || r->data[r->pos] != r->delim)
            break;
        r->pos++;
    }
    if (r->pos - row_start > WE_MAX_LINE)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu: the line is longer than %zu bytes (1 MiB); "
                       "this is not a CSV file of wijkeval's inputs, or "
                       "line breaks are missing",
                       r->path, row->line, WE_MAX_LINE);
    end_line(r);
    for (size_t i = 0; i < nf; i++)
        r->fields[i] = r->scratch + r->offs[i];
    row->n_fields = nf;
    row->fields = r->fields;
    row->columns = r->columns;
    return 1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

long we_csv_column(const we_csv_row *header, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < header->n_fields; i++) {
        const char *f = header->fields[i];
        while (is_space(*f))
            f++;
        if (strncmp(f, name, n) != 0)
            continue;
        f += n;
        while (is_space(*f))
            f++;
        if (*f == '\0')
            return (long)i;
    }
    return -1;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Checks [+-]digits[sep digits][(e|E)[+-]digits] over [s, e), with at
 * least one mantissa digit. That grammar leaves out "inf", "nan", hex
 * floats and thousands separators. Sets *sep to the decimal separator, if
 * any. */
static int number_syntax(const char *s, const char *e, char dec,
                         const char **sep)
{
    size_t digits = 0;
    *sep = NULL;
    if (s < e && (*s == '+' || *s == '-'))
        s++;
    for (; s < e && is_digit(*s); s++)
        digits++;
    if (s < e && (*s == '.' || *s == dec)) {
        *sep = s++;
        for (; s < e && is_digit(*s); s++)
            digits++;
    }
    if (digits == 0)
        return 0;
    if (s < e && (*s == 'e' || *s == 'E')) {
        s++;
        if (s < e && (*s == '+' || *s == '-'))
            s++;
        if (s == e || !is_digit(*s))
            return 0;
        while (s < e && is_digit(*s))
            s++;
    }
    return s == e;
}

/* strtod on text that number_syntax accepted, with a decimal comma
 * turned into '.'. Returns 0, or -1 when the value overflows. */
static int convert(const char *s, const char *e, const char *sep,
                   double *out)
{
    char small[128];
    size_t n = (size_t)(e - s);
    char *buf = small;
    if (sep == NULL || *sep == '.') {
        char *end;
        *out = strtod(s, &end);
        return end == e && !isinf(*out) ? 0 : -1;
    }
    if (n >= sizeof small && (buf = malloc(n + 1)) == NULL)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    buf[sep - s] = '.';
    char *end;
    *out = strtod(buf, &end);
    int ok = end == buf + n && !isinf(*out);
    if (buf != small)
        free(buf);
    return ok ? 0 : -1;
}

int we_csv_number(const we_csv *r, const char *field, double *out)
{
    const char *s = field;
    while (is_space(*s))
        s++;
    const char *e = s + strlen(s);
    while (e > s && is_space(e[-1]))
        e--;
    if (e == s || (e - s == 1 && strchr(".xX-?", *s) != NULL)) {
        *out = NAN;
        return 1;
    }
    const char *sep;
    char dec = r != NULL && r->delim == ';' ? ',' : '.';
    if (!number_syntax(s, e, dec, &sep))
        return -1;
    if (dec == ',' && !r->dot_decimals && we_thousands_ambiguous(s, e))
        return WE_CSV_AMBIGUOUS;
    return convert(s, e, sep, out);
}

void we_csv_dot_decimals(we_csv *r)
{
    r->dot_decimals = 1;
}

int we_csv_ambiguous(const char *path, size_t line, size_t col,
                     const char *field, we_error *err)
{
    const char *s = field;
    while (is_space(*s))
        s++;
    size_t n = strcspn(s, " \t");
    char whole[32];
    size_t w = 0;
    for (size_t i = 0; i < n && w + 1 < sizeof whole; i++)
        if (s[i] != '.')
            whole[w++] = s[i];
    whole[w] = '\0';
    return we_fail(err, WE_EINVAL,
                   "%s:%zu:%zu: '%.*s' could be %s (a thousands separator) "
                   "or %.*s (a decimal point); this file has ';' between "
                   "fields, so write decimals with a comma (%.*s,%.3s) and "
                   "whole numbers without a separator (%s)",
                   path, line, col, (int)n, s, whole, (int)n, s,
                   (int)(strchr(s, '.') - s), s, strchr(s, '.') + 1, whole);
}
