#include "data/csv_table.h"

#include <stdio.h>
#include <string.h>

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

int we_csv_table_open(we_csv_table *t, const char *path,
                      const char *expected, we_error *err)
{
    return we_csv_table_open_hashed(t, path, expected, NULL, err);
}

int we_csv_table_open_hashed(we_csv_table *t, const char *path,
                             const char *expected, we_sha256 *h,
                             we_error *err)
{
    memset(t, 0, sizeof *t);
    t->expected = expected != NULL ? expected : "named columns";
    if (we_csv_open(&t->r, path, err) != 0)
        return -1;
    if (h != NULL) {
        size_t n;
        const char *bytes = we_csv_bytes(t->r, &n);
        we_sha256_update(h, bytes, n);
    }
    int rc = we_csv_next(t->r, &t->row, err);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return we_fail(err, WE_EINVAL,
                       "%s: the file is empty; it needs a header "
                       "line with %s",
                       path, t->expected);
    t->width = t->row.n_fields;
    t->header_line = t->row.line;
    return 0;
}

void we_csv_table_close(we_csv_table *t)
{
    we_csv_close(t->r);
    t->r = NULL;
}

const char *we_csv_table_path(const we_csv_table *t)
{
    return we_csv_path(t->r);
}

const char *we_csv_table_bytes(const we_csv_table *t, size_t *len)
{
    return we_csv_bytes(t->r, len);
}

/* ---- header ------------------------------------------------------------- */

const char *we_csv_table_header(const we_csv_table *t, size_t i, char *buf,
                                size_t size)
{
    const char *s = t->row.fields[i];
    while (is_blank(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && is_blank(s[n - 1]))
        n--;
    if (n >= size)
        n = size - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return buf;
}

/* Whether header field i is `name`, blanks around it ignored. */
static int header_is(const we_csv_table *t, size_t i, const char *name)
{
    const char *f = t->row.fields[i];
    size_t n = strlen(name);
    while (is_blank(*f))
        f++;
    if (strncmp(f, name, n) != 0)
        return 0;
    for (f += n; is_blank(*f); f++)
        ;
    return *f == '\0';
}

/* The header as found, "a,b,c", for messages. */
static void header_list(const we_csv_table *t, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < t->row.n_fields && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i > 0 ? "," : "",
                         t->row.fields[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

int we_csv_table_column(const we_csv_table *t, const char *name,
                        int required, long *idx, we_error *err)
{
    *idx = -1;
    for (size_t i = 0; i < t->row.n_fields; i++) {
        if (!header_is(t, i, name))
            continue;
        if (*idx >= 0)
            return we_fail(err, WE_EINVAL,
                           "%s:%zu:%zu: column '%s' appears twice "
                           "(also at column %zu); rename or remove "
                           "one",
                           we_csv_table_path(t), t->row.line,
                           t->row.columns[i], name, t->row.columns[*idx]);
        *idx = (long)i;
    }
    if (*idx >= 0 || !required)
        return 0;
    char found[512];
    header_list(t, found, sizeof found);
    return we_fail(err, WE_EINVAL,
                   "%s:%zu: missing column '%s'; the header must "
                   "name %s (found: %s)",
                   we_csv_table_path(t), t->row.line, name, t->expected,
                   found);
}

int we_csv_table_columns(const we_csv_table *t, const char *const *names,
                         size_t n, size_t n_required, long *idx,
                         we_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (we_csv_table_column(t, names[i], i < n_required, &idx[i],
                                err) != 0)
            return -1;
    return 0;
}

int we_csv_table_only(const we_csv_table *t, const char *const *names,
                      size_t n, we_error *err)
{
    for (size_t i = 0; i < t->row.n_fields; i++) {
        size_t k = 0;
        while (k < n && !header_is(t, i, names[k]))
            k++;
        if (k < n)
            continue;
        char h[128];
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: unknown column '%s'; the header "
                       "must name %s",
                       we_csv_table_path(t), t->row.line, t->row.columns[i],
                       we_csv_table_header(t, i, h, sizeof h), t->expected);
    }
    return 0;
}

/* ---- rows --------------------------------------------------------------- */

int we_csv_table_next(we_csv_table *t, we_error *err)
{
    int rc = we_csv_next(t->r, &t->row, err);
    if (rc <= 0)
        return rc;
    size_t n = t->row.n_fields;
    if (n > t->width)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: expected %zu fields (as in the "
                       "header), found %zu; quote fields that "
                       "contain '%c'",
                       we_csv_table_path(t), t->row.line,
                       t->row.columns[t->width], t->width, n,
                       we_csv_delimiter(t->r));
    if (n < t->width)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu: expected %zu fields (as in the "
                       "header), found %zu; add the missing fields",
                       we_csv_table_path(t), t->row.line, t->width, n);
    return 1;
}

char *we_csv_table_field(we_csv_table *t, long i)
{
    char *s = t->row.fields[i];
    while (is_blank(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && is_blank(s[n - 1]))
        s[--n] = '\0';
    return s;
}

size_t we_csv_table_col(const we_csv_table *t, long i)
{
    return t->row.columns[i];
}

size_t we_csv_table_line(const we_csv_table *t)
{
    return t->row.line;
}

int we_csv_table_number(const we_csv_table *t, const char *field,
                        double *out)
{
    return we_csv_number(t->r, field, out);
}

int we_csv_table_oom(const we_csv_table *t, we_error *err)
{
    return we_fail(err, WE_ENOMEM, "%s:%zu: out of memory",
                   we_csv_table_path(t), t->row.line);
}
