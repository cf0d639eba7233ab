/* The checked getters of the config loader: every value is checked where
 * it is read, so each message can name the file and line of the offending
 * setting. */
#include "config/config_kit.h"
#include "util/path.h"
#include "util/suggest.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cfg_file_of(const cfg_ctx *L, const config_setting_t *s)
{
    const char *f = s != NULL ? config_setting_source_file(s) : NULL;
    if (f == NULL)
        f = L->path != NULL ? L->path : "config";
    return f;
}

/* Prefixes the message with "file:line: " of setting s (no line for the
 * root, which has none). */
int cfg_fail(const cfg_ctx *L, const config_setting_t *s, const char *fmt,
             ...)
{
    char msg[WE_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    unsigned line = s != NULL ? config_setting_source_line(s) : 0;
    if (line > 0)
        return we_fail(L->err, WE_EINVAL, "%s:%u: %s", cfg_file_of(L, s), line,
                       msg);
    return we_fail(L->err, WE_EINVAL, "%s: %s", cfg_file_of(L, s), msg);
}

int cfg_oom(const cfg_ctx *L)
{
    return we_fail(L->err, WE_ENOMEM,
                   "%s: out of memory while reading the config",
                   L->path != NULL ? L->path : "config");
}

/* The dotted path of a setting as a user would write it, with list
 * entries counted from 1: "experiments[2].settings.items". */
void cfg_setting_path(const config_setting_t *s, char *buf, size_t cap)
{
    const config_setting_t *p = config_setting_parent(s);
    buf[0] = '\0';
    if (p == NULL)
        return;
    cfg_setting_path(p, buf, cap);
    size_t len = strlen(buf);
    if (config_setting_is_group(p))
        snprintf(buf + len, cap - len, "%s%s", len > 0 ? "." : "",
                 config_setting_name(s));
    else
        snprintf(buf + len, cap - len, "[%d]", config_setting_index(s) + 1);
}

const char *cfg_type_name(int type)
{
    switch (type) {
    case CONFIG_TYPE_GROUP: return "a group { ... }";
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64: return "an integer";
    case CONFIG_TYPE_FLOAT: return "a floating-point number";
    case CONFIG_TYPE_STRING: return "a string";
    case CONFIG_TYPE_BOOL: return "a boolean";
    case CONFIG_TYPE_ARRAY: return "an array [ ... ]";
    case CONFIG_TYPE_LIST: return "a list ( ... )";
    default: return "nothing";
    }
}

void cfg_append(char *buf, size_t cap, const char *s)
{
    size_t len = strlen(buf);
    if (len + 1 < cap)
        snprintf(buf + len, cap - len, "%s", s);
}

/* "a, b, c" or, with quotes, "\"a\", \"b\"". */
void cfg_join_names(char *buf, size_t cap, const char *const *names,
                    size_t n, int quoted)
{
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            cfg_append(buf, cap, ", ");
        if (quoted)
            cfg_append(buf, cap, "\"");
        cfg_append(buf, cap, names[i]);
        if (quoted)
            cfg_append(buf, cap, "\"");
    }
}

int cfg_type_error(const cfg_ctx *L, const config_setting_t *s,
                   const char *want)
{
    char p[PATH_TEXT];
    cfg_setting_path(s, p, sizeof p);
    return cfg_fail(L, s, "'%s' must be %s, not %s", p, want,
                    cfg_type_name(config_setting_type(s)));
}

/* ---- generic getters ---------------------------------------------------- */

int cfg_check_keys(const cfg_ctx *L, const config_setting_t *g,
                   const char *const *known, size_t n)
{
    for (int i = 0; i < config_setting_length(g); i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        const char *name = config_setting_name(m);
        size_t k = 0;
        while (k < n && strcmp(known[k], name) != 0)
            k++;
        if (k < n)
            continue;
        char where[PATH_TEXT + 16], list[LIST_TEXT], p[PATH_TEXT];
        cfg_setting_path(g, p, sizeof p);
        if (p[0] == '\0')
            snprintf(where, sizeof where, "at the top level");
        else
            snprintf(where, sizeof where, "in group '%s'", p);
        cfg_join_names(list, sizeof list, known, n, 0);
        const char *near = we_suggest(name, known, n);
        char hint[96] = "";
        if (near != NULL)
            snprintf(hint, sizeof hint, "did you mean '%s'? ", near);
        return cfg_fail(L, m, "unknown key '%s' %s; %sknown keys are: %s",
                        name, where, hint, list);
    }
    return 0;
}

/* Returns 1 with *out set, 0 when the key is absent and optional, -1 when
 * it is absent and required. */
int cfg_member(const cfg_ctx *L, const config_setting_t *g,
               const char *key, int required, config_setting_t **out)
{
    *out = config_setting_get_member(g, key);
    if (*out != NULL)
        return 1;
    if (!required)
        return 0;
    char p[PATH_TEXT];
    cfg_setting_path(g, p, sizeof p);
    if (p[0] == '\0')
        return cfg_fail(L, g,
                        "missing required key '%s' at the top level; "
                        "add it (see docs/config.md)", key);
    return cfg_fail(L, g,
                    "missing required key '%s' in group '%s'; add it "
                    "(see docs/config.md)", key, p);
}

int cfg_get_group(const cfg_ctx *L, const config_setting_t *g,
                  const char *key, int required, config_setting_t **out)
{
    int rc = cfg_member(L, g, key, required, out);
    if (rc == 1 && !config_setting_is_group(*out))
        return cfg_type_error(L, *out, "a group { ... }");
    return rc;
}

/* A list or array; `empty_hint` says what to do instead of an empty one. */
int cfg_get_seq(const cfg_ctx *L, const config_setting_t *g,
                const char *key, int required, const char *empty_hint,
                config_setting_t **out)
{
    int rc = cfg_member(L, g, key, required, out);
    if (rc != 1)
        return rc;
    if (!config_setting_is_array(*out) && !config_setting_is_list(*out))
        return cfg_type_error(L, *out, "an array [ ... ] or a list ( ... )");
    if (empty_hint != NULL && config_setting_length(*out) == 0) {
        char p[PATH_TEXT];
        cfg_setting_path(*out, p, sizeof p);
        return cfg_fail(L, *out, "'%s' is empty; %s", p,
                        empty_hint);
    }
    return 1;
}

int cfg_as_string(const cfg_ctx *L, const config_setting_t *s,
                  const char **out)
{
    if (config_setting_type(s) != CONFIG_TYPE_STRING)
        return cfg_type_error(L, s, "a string");
    *out = config_setting_get_string(s);
    if ((*out)[0] == '\0') {
        char p[PATH_TEXT];
        cfg_setting_path(s, p, sizeof p);
        return cfg_fail(L, s, "'%s' is an empty string; give a "
                        "value or leave the key out if it is optional", p);
    }
    return 0;
}

int cfg_get_string(const cfg_ctx *L, const config_setting_t *g,
                   const char *key, int required, const char **out,
                   config_setting_t **where)
{
    config_setting_t *s;
    int rc = cfg_member(L, g, key, required, &s);
    if (where != NULL)
        *where = s;
    if (rc != 1)
        return rc;
    return cfg_as_string(L, s, out) == 0 ? 1 : -1;
}

int cfg_as_int(const cfg_ctx *L, const config_setting_t *s, int *out)
{
    int t = config_setting_type(s);
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
        return cfg_type_error(L, s, "an integer");
    long long v = config_setting_get_int64(s);
    if (v < INT_MIN || v > INT_MAX) {
        char p[PATH_TEXT];
        cfg_setting_path(s, p, sizeof p);
        return cfg_fail(L, s, "'%s' = %lld is out of range; "
                        "periods are years such as 2008", p, v);
    }
    *out = (int)v;
    return 0;
}



int cfg_as_enum(const cfg_ctx *L, const config_setting_t *s,
                const char *const *names, size_t n, int *out)
{
    const char *v = NULL;
    if (cfg_as_string(L, s, &v) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v, names[i]) == 0) {
            *out = (int)i;
            return 0;
        }
    }
    char p[PATH_TEXT], list[LIST_TEXT];
    cfg_setting_path(s, p, sizeof p);
    cfg_join_names(list, sizeof list, names, n, 1);
    return cfg_fail(L, s,
                    "bad value \"%s\" for '%s'; allowed values are: %s", v, p,
                    list);
}

int cfg_get_enum(const cfg_ctx *L, const config_setting_t *g,
                 const char *key, int required, const char *const *names,
                 size_t n, int *out)
{
    config_setting_t *s;
    int rc = cfg_member(L, g, key, required, &s);
    if (rc != 1)
        return rc;
    return cfg_as_enum(L, s, names, n, out) == 0 ? 1 : -1;
}


char *cfg_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return we_strdup(".");
    if (slash == path)
        return we_strdup("/");
    size_t n = (size_t)(slash - path);
    char *d = malloc(n + 1);
    if (d != NULL) {
        memcpy(d, path, n);
        d[n] = '\0';
    }
    return d;
}

/* Relative paths in the config are relative to the config file. The
 * result is normalised once, here, so every message names the file as
 * the user would type it ("data/x.csv", not "configs/../data/x.csv"). */
char *cfg_resolve(const char *dir, const char *p)
{
    if (p[0] == '/' || strcmp(dir, ".") == 0)
        return we_path_normalize(p);
    size_t nd = strlen(dir);
    const char *sep = dir[nd - 1] == '/' ? "" : "/";
    size_t n = nd + strlen(sep) + strlen(p) + 1;
    char *r = malloc(n);
    if (r == NULL)
        return NULL;
    snprintf(r, n, "%s%s%s", dir, sep, p);
    char *norm = we_path_normalize(r);
    free(r);
    return norm;
}


typedef struct keyed {
    const char *key;
    size_t idx;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int d = strcmp(x->key, y->key);
    if (d != 0)
        return d;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Finds a string given twice, in O(n log n) because treated lists can hold
 * every area in the country. Reports the pair whose second occurrence comes
 * first. Returns 1 with *first < *second, 0 when all differ, -1 on OOM. */
int cfg_find_duplicate(const char *const *keys, size_t n, size_t *first,
                       size_t *second)
{
    if (n < 2)
        return 0;
    keyed *k = malloc(n * sizeof *k);
    if (k == NULL)
        return -1;
    for (size_t i = 0; i < n; i++)
        k[i] = (keyed){keys[i], i};
    qsort(k, n, sizeof *k, cmp_keyed);
    int found = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        if (strcmp(k[i].key, k[i + 1].key) != 0)
            continue;
        if (!found || k[i + 1].idx < *second) {
            *first = k[i].idx;
            *second = k[i + 1].idx;
            found = 1;
        }
    }
    free(k);
    return found;
}


/* ---- numbers and lists -------------------------------------------------- */

int cfg_as_number(const cfg_ctx *L, const config_setting_t *s,
                  const char *want, double *out)
{
    if (!config_setting_is_number(s))
        return cfg_type_error(L, s, want);
    *out = config_setting_type(s) == CONFIG_TYPE_FLOAT
               ? config_setting_get_float(s)
               : (double)config_setting_get_int64(s);
    return 0;
}

int cfg_get_strings(const cfg_ctx *L, const config_setting_t *g,
                    const char *key, int required, const char *empty_hint,
                    char ***out, size_t *n_out, int **lines)
{
    config_setting_t *seq;
    int rc = cfg_get_seq(L, g, key, required, empty_hint, &seq);
    if (rc != 1)
        return rc;
    size_t n = (size_t)config_setting_length(seq);
    *out = we_calloc(n, sizeof **out);
    if (lines != NULL)
        *lines = we_calloc(n, sizeof **lines);
    if (*out == NULL || (lines != NULL && *lines == NULL))
        return cfg_oom(L);
    for (size_t i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(seq, (unsigned)i);
        const char *v = NULL;
        if (cfg_as_string(L, e, &v) != 0)
            return -1;
        if (((*out)[i] = we_strdup(v)) == NULL)
            return cfg_oom(L);
        *n_out = i + 1;
        if (lines != NULL)
            (*lines)[i] = (int)config_setting_source_line(e);
    }
    return 1;
}
