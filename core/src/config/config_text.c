/* The config file's text, read and checked before libconfig parses it.
 * libconfig 1.5 (the version this builds against) follows an @include
 * while it parses, so the included file is opened (a FIFO would block
 * the run) before the loader could refuse it; and it reads an integer
 * without the L suffix into 32 bits, so reps = 4294967395 (2^32 + 99)
 * silently becomes 99. Both are found here, in the text as written. */
#include "config/config_kit.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util/input_file.h"

/* A config is a page or two; 16 MiB is no config. */
#define MAX_CONFIG ((size_t)16 << 20)

int cfg_read_text(const char *path, char **text, size_t *len, we_error *err)
{
    *text = NULL;
    *len = 0;
    FILE *f = we_open_input(path, "the config file", err);
    if (f == NULL)
        return -1;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        n += fread(buf + n, 1, cap - 1 - n, f);
        if (n < cap - 1 || n >= MAX_CONFIG)
            break;
        char *b = realloc(buf, cap * 2);
        if (b == NULL)
            free(buf);
        buf = b;
        cap *= 2;
    }
    int bad = ferror(f), e = errno;
    fclose(f);
    if (buf == NULL)
        return we_fail(err, WE_ENOMEM, "%s: out of memory", path);
    if (bad || n >= MAX_CONFIG) {
        free(buf);
        return bad ? we_fail(err, WE_EINVAL,
                             "%s: cannot read the config file: %s", path,
                             strerror(e))
                   : we_fail(err, WE_EINVAL,
                             "%s: more than %zu bytes; this is not a "
                             "config file",
                             path, MAX_CONFIG);
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return 0;
}

typedef struct scan {
    const char *path;
    const char *s, *e;
    unsigned line;
    we_error *err;
} scan;

/* Skips a comment or string starting at s->s; 1 when there was one. */
static int skip_comment_or_string(scan *sc)
{
    const char *s = sc->s, *e = sc->e;
    if (*s == '#' || (*s == '/' && s + 1 < e && s[1] == '/')) {
        while (s < e && *s != '\n')
            s++;
    } else if (*s == '/' && s + 1 < e && s[1] == '*') {
        for (s += 2; s < e && !(*s == '*' && s + 1 < e && s[1] == '/'); s++)
            sc->line += *s == '\n';
        s = s < e ? s + 2 : e;
    } else if (*s == '"') {
        for (s++; s < e && *s != '"'; s++) {
            if (*s == '\\' && s + 1 < e)
                s++;
            sc->line += *s == '\n';
        }
        s = s < e ? s + 1 : e;
    } else {
        return 0;
    }
    sc->s = s;
    return 1;
}

static int is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '*';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Checks the number at sc->s ([+-] digits, a hex 0x..., or a float) and
 * moves past it. An integer without L must fit 32 bits. */
static int number(scan *sc)
{
    const char *s = sc->s, *e = sc->e, *start = s;
    if (*s == '+' || *s == '-')
        s++;
    int hex = s + 1 < e && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const char *d = s + (hex ? 2 : 0);
    while (d < e && (is_digit(*d) || (hex && strchr("abcdefABCDEF", *d))))
        d++;
    int is_float = !hex && d < e && (*d == '.' || *d == 'e' || *d == 'E');
    const char *end = d;
    while (end < e && (is_name_char(*end) || *end == '.' ||
                       ((*end == '+' || *end == '-') &&
                        (end[-1] == 'e' || end[-1] == 'E'))))
        end++;
    sc->s = end;
    if (is_float || (end > d && (*d == 'L' || *d == 'l')))
        return 0; /* a float, or a 64-bit integer */
    errno = 0;
    long long v = strtoll(start, NULL, hex ? 16 : 10);
    if (errno != ERANGE && v >= INT_MIN && v <= INT_MAX)
        return 0;
    return we_fail(sc->err, WE_EINVAL,
                   "%s:%u: the integer %.*s needs more than 32 bits, and "
                   "libconfig reads an integer without the L suffix as 32 "
                   "bits (it would become another number); write %.*sL "
                   "for a 64-bit value, or a smaller number",
                   sc->path, sc->line, (int)(end - start), start,
                   (int)(end - start), start);
}

int cfg_check_text(const char *path, const char *text, size_t len,
                   we_error *err)
{
    scan sc = {path, text, text + len, 1, err};
    while (sc.s < sc.e) {
        char c = *sc.s;
        if (skip_comment_or_string(&sc))
            continue;
        if (c == '@')
            return we_fail(err, WE_EINVAL,
                           "%s:%u: %.*s is not supported (the file is not "
                           "opened); put all settings in this one file, so "
                           "that the run's fingerprint (config_sha256) "
                           "covers all of them",
                           path, sc.line,
                           (int)strcspn(sc.s, "\r\n") > 200
                               ? 200
                               : (int)strcspn(sc.s, "\r\n"),
                           sc.s);
        if (is_digit(c) ||
            ((c == '+' || c == '-') && sc.s + 1 < sc.e &&
             is_digit(sc.s[1]))) {
            if (number(&sc) != 0)
                return -1;
            continue;
        }
        if (is_name_char(c)) {
            while (sc.s < sc.e && is_name_char(*sc.s))
                sc.s++;
            continue;
        }
        sc.line += c == '\n';
        sc.s++;
    }
    return 0;
}
