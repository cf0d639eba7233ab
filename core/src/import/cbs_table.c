#include "import/cbs_internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- columns ------------------------------------------------------------ */

/* Matches of `name` in the header: exact ones, or (stem != 0) NAME_<digits>
 * ones. Fills up to two indices, returns the count. */
static size_t matches(const we_csv_table *t, const char *name, int stem,
                      long hit[2])
{
    size_t n = 0, len = strlen(name);
    char buf[512];
    for (size_t i = 0; i < t->row.n_fields; i++) {
        const char *h = we_csv_table_header(t, i, buf, sizeof buf);
        int ok;
        if (!stem)
            ok = strcmp(h, name) == 0;
        else {
            ok = strncmp(h, name, len) == 0 && h[len] == '_' &&
                 h[len + 1] != '\0' &&
                 strspn(h + len + 1, "0123456789") == strlen(h + len + 1);
        }
        if (ok && n < 2)
            hit[n] = (long)i;
        n += (size_t)ok;
    }
    return n;
}

static char **header_names(const we_csv_table *t)
{
    char **names = we_calloc(t->row.n_fields, sizeof *names);
    char buf[512];
    for (size_t i = 0; names != NULL && i < t->row.n_fields; i++)
        names[i] = we_strdup(we_csv_table_header(t, i, buf, sizeof buf));
    return names;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; names != NULL && i < n; i++)
        free(names[i]);
    free(names);
}

static int unknown_column(const we_csv_table *t, const char *name,
                          const char *ref, we_error *err)
{
    char **names = header_names(t);
    char hint[1024] = "";
    if (names != NULL)
        imp_suggest((const char *const *)names, t->row.n_fields, name, hint,
                    sizeof hint);
    free_names(names, t->row.n_fields);
    return we_fail(err, WE_EINVAL,
                   "%s: column '%s' is not in %s (header on line "
                   "%zu); %s; fix the name",
                   ref, name, we_csv_table_path(t), t->row.line, hint);
}

int imp_cbs_column(const we_csv_table *t, const char *name, const char *ref,
                   long *idx, we_error *err)
{
    long hit[2];
    int stem = 0;
    size_t n = matches(t, name, 0, hit);
    if (n == 0) {
        stem = 1;
        n = matches(t, name, 1, hit);
    }
    *idx = n > 0 ? hit[0] : -1;
    if (n == 0)
        return unknown_column(t, name, ref, err);
    if (n > 1) {
        char a[512], b[512];
        return we_fail(err, WE_EINVAL,
                       "%s: column '%s' %s %s: '%s' (column %zu) and "
                       "'%s' (column %zu); give the full name",
                       ref, name,
                       stem ? "matches two columns of" : "appears twice in",
                       we_csv_table_path(t),
                       we_csv_table_header(t, (size_t)hit[0], a, sizeof a),
                       t->row.columns[hit[0]],
                       we_csv_table_header(t, (size_t)hit[1], b, sizeof b),
                       t->row.columns[hit[1]]);
    }
    return 0;
}

/* ---- suggestions -------------------------------------------------------- */

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Case-insensitive edit distance of the first 127 bytes of name and
 * cand; *prefix gets the distance of name to the closest prefix of cand
 * (a name cut short, or missing its suffix). */
static size_t distance(const char *name, const char *cand, size_t *prefix)
{
    size_t m = strlen(name), n = strlen(cand);
    m = m > 127 ? 127 : m;
    n = n > 127 ? 127 : n;
    size_t prev[128], cur[128];
    for (size_t j = 0; j <= n; j++)
        prev[j] = j;
    for (size_t i = 1; i <= m; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= n; j++) {
            size_t sub = prev[j - 1] + (lower((unsigned char)name[i - 1]) !=
                                        lower((unsigned char)cand[j - 1]));
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins)
                               : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (n + 1) * sizeof *prev);
    }
    *prefix = prev[0];
    for (size_t j = 1; j <= n; j++)
        *prefix = prev[j] < *prefix ? prev[j] : *prefix;
    return prev[n];
}

/* How far a candidate is from name: the edit distance, or one more than
 * the distance to one of its prefixes, whichever is less. */
static size_t closeness(const char *cand, const char *name)
{
    size_t prefix, d = distance(name, cand, &prefix);
    return prefix + 1 < d ? prefix + 1 : d;
}

static void append(char *buf, size_t size, size_t *used, const char *s)
{
    if (*used >= size)
        return;
    int n = snprintf(buf + *used, size - *used, "%s", s);
    if (n > 0)
        *used += (size_t)n;
}

/* Whether the shorter of a and b (4 bytes or more) is inside the other,
 * ignoring case. */
static int contains(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na < nb) {
        const char *t = a;
        a = b;
        b = t;
        size_t tn = na;
        na = nb;
        nb = tn;
    }
    if (nb < 4)
        return 0;
    for (size_t i = 0; i + nb <= na; i++) {
        size_t j = 0;
        while (j < nb && lower((unsigned char)a[i + j]) ==
                             lower((unsigned char)b[j]))
            j++;
        if (j == nb)
            return 1;
    }
    return 0;
}

void imp_suggest(const char *const *cands, size_t n, const char *name,
                 char *buf, size_t size)
{
    size_t limit = strlen(name) / 3 > 2 ? strlen(name) / 3 : 2;
    size_t used = 0, shown = 0;
    buf[0] = '\0';
    /* Up to four of the closest, nearest first; a name inside another
     * counts as the farthest that is still close. */
    for (size_t d = 0; d <= limit && shown < 4; d++)
        for (size_t i = 0; i < n && shown < 4; i++) {
            size_t di = closeness(cands[i], name);
            if (di > limit && contains(cands[i], name))
                di = limit;
            if (di != d)
                continue;
            append(buf, size, &used, shown == 0 ? "close names: " : ", ");
            append(buf, size, &used, cands[i]);
            shown++;
        }
    if (shown > 0)
        return;
    append(buf, size, &used, n > 0 ? "the names are: " : "there are none");
    for (size_t i = 0; i < n && i < 12; i++) {
        append(buf, size, &used, i > 0 ? ", " : "");
        append(buf, size, &used, cands[i]);
    }
    if (n > 12)
        append(buf, size, &used, ", ...");
}

/* ---- codes -------------------------------------------------------------- */

static int digits(const char *s, size_t n)
{
    return strlen(s) == n && strspn(s, "0123456789") == n;
}

int imp_is_area_code(const char *s)
{
    if (strncmp(s, "GM", 2) == 0)
        return digits(s + 2, 4);
    if (strncmp(s, "WK", 2) == 0)
        return digits(s + 2, 6);
    if (strncmp(s, "BU", 2) == 0)
        return digits(s + 2, 8);
    return 0;
}

int imp_is_region_like(const char *s)
{
    size_t n = strlen(s);
    return n >= 4 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' &&
           s[1] <= 'Z' && digits(s + 2, n - 2);
}

unsigned imp_level(const char *code)
{
    if (strncmp(code, "GM", 2) == 0)
        return WE_CBS_GEMEENTE;
    if (strncmp(code, "WK", 2) == 0)
        return WE_CBS_WIJK;
    if (strncmp(code, "BU", 2) == 0)
        return WE_CBS_BUURT;
    return 0;
}

const char *imp_level_name(const char *code)
{
    switch (imp_level(code)) {
    case WE_CBS_GEMEENTE: return "gemeente";
    case WE_CBS_WIJK: return "wijk";
    case WE_CBS_BUURT: return "buurt";
    default: return "";
    }
}

void imp_municipality(const char *code, char out[7])
{
    snprintf(out, 7, "GM%.4s", code + 2);
}

int imp_parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* ---- output ------------------------------------------------------------- */

void imp_format_value(char *buf, size_t size, double v)
{
    if (isnan(v)) {
        buf[0] = '\0';
        return;
    }
    /* 15 digits print what CBS published as it was (20.8, not
     * 20.800000000000001); 17 when that would not read back. */
    snprintf(buf, size, "%.15g", v);
    if (strtod(buf, NULL) != v)
        snprintf(buf, size, "%.17g", v);
}

void imp_put_field(FILE *f, const char *s)
{
    size_t n = strlen(s);
    int quote = strpbrk(s, ",\"\r\n") != NULL ||
                (n > 0 && (s[0] == ' ' || s[n - 1] == ' '));
    if (!quote) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s != '\0'; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}
