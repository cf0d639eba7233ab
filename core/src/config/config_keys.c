/* The key tables: a group's settings described once each (name, kind,
 * field, range, default), read and checked by one loop. */
#include "config/config_kit.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_KEYS 32           /* keys of one group */
#define MAX_TIME_LIMIT 604800.0 /* a week, in seconds */
#define MIN_MEMORY_MB 64L       /* the child holds the host's data too */
#define MAX_MEMORY_MB 16777216L /* 16 TiB */

/* Enum fields are read through an int: they must be as wide. */
_Static_assert(sizeof(we_cluster) == sizeof(int), "enum width");

#define FIELD(base, k, type) ((type *)(void *)((char *)(base) + (k)->offset))

static int read_count(cfg_ctx *L, const config_setting_t *s,
                      const cfg_key *k, void *base)
{
    int t = config_setting_type(s);
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
        return cfg_type_error(L, s, "an integer");
    long long v = config_setting_get_int64(s);
    if (v < (long long)k->lo || v > (long long)k->hi) {
        char p[PATH_TEXT];
        cfg_setting_path(s, p, sizeof p);
        return cfg_fail(L, s, "'%s' = %lld is out of range; it must be "
                        "between %ld and %ld%s", p, v, (long)k->lo,
                        (long)k->hi, k->tail != NULL ? k->tail : "");
    }
    *FIELD(base, k, size_t) = (size_t)v;
    return 0;
}

static int read_int(cfg_ctx *L, const config_setting_t *s, const cfg_key *k,
                    void *base)
{
    int v;
    if (cfg_as_int(L, s, &v) != 0)
        return -1;
    if (v < k->lo || v > k->hi) {
        char p[PATH_TEXT];
        cfg_setting_path(s, p, sizeof p);
        return cfg_fail(L, s, "'%s' = %d is out of range; it must be "
                        "between %d and %d%s", p, v, (int)k->lo,
                        (int)k->hi, k->tail != NULL ? k->tail : "");
    }
    *FIELD(base, k, int) = v;
    return 0;
}

static int read_number(cfg_ctx *L, const config_setting_t *s,
                       const cfg_key *k, void *base)
{
    double v;
    if (cfg_as_number(L, s, "a number", &v) != 0)
        return -1;
    int lo_open = (k->flags & CFG_LO_OPEN) != 0;
    int hi_open = (k->flags & CFG_HI_OPEN) != 0;
    int ok = (lo_open ? v > k->lo : v >= k->lo) &&
             (hi_open ? v < k->hi : v <= k->hi);
    if (!ok) {
        char p[PATH_TEXT];
        cfg_setting_path(s, p, sizeof p);
        return cfg_fail(L, s, "'%s' = %g is out of range; it must be in "
                        "%c%g, %g%c%s", p, v, lo_open ? '(' : '[', k->lo,
                        k->hi, hi_open ? ')' : ']',
                        k->tail != NULL ? k->tail : "");
    }
    *FIELD(base, k, double) = v;
    return 0;
}

/* Seconds of wall-clock time: a number from 0 (no limit) up to a week. */
static int read_seconds(cfg_ctx *L, const config_setting_t *s,
                        const cfg_key *k, void *base)
{
    double v;
    if (cfg_as_number(L, s, "a number of seconds", &v) != 0)
        return -1;
    if (!(v >= 0.0 && v <= MAX_TIME_LIMIT)) {
        char p[PATH_TEXT];
        cfg_setting_path(s, p, sizeof p);
        return cfg_fail(L, s, "'%s' = %g is out of range; give a number of "
                        "seconds up to %.0f, or 0 for no limit", p, v,
                        MAX_TIME_LIMIT);
    }
    *FIELD(base, k, double) = v;
    return 0;
}

static int read_megabytes(cfg_ctx *L, const config_setting_t *s,
                          const cfg_key *k, void *base)
{
    int t = config_setting_type(s);
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
        return cfg_type_error(L, s, "an integer number of megabytes");
    long long v = config_setting_get_int64(s);
    if (v != 0 && (v < MIN_MEMORY_MB || v > MAX_MEMORY_MB)) {
        char p[PATH_TEXT];
        cfg_setting_path(s, p, sizeof p);
        return cfg_fail(L, s, "'%s' = %lld is out of range; give megabytes "
                        "from %ld to %ld, or 0 for no limit", p, v,
                        MIN_MEMORY_MB, MAX_MEMORY_MB);
    }
    *FIELD(base, k, long) = (long)v;
    return 0;
}

static int read_string(cfg_ctx *L, const config_setting_t *s,
                       const cfg_key *k, void *base)
{
    const char *v = NULL;
    if (cfg_as_string(L, s, &v) != 0)
        return -1;
    char *copy = k->kind == CFG_PATH ? cfg_resolve(L->c->dir, v)
                                     : we_strdup(v);
    if (copy == NULL)
        return cfg_oom(L);
    *FIELD(base, k, char *) = copy;
    return 0;
}

int cfg_read_value(cfg_ctx *L, const config_setting_t *s,
                   const cfg_key *k, void *base)
{
    switch (k->kind) {
    case CFG_BOOL:
        if (config_setting_type(s) != CONFIG_TYPE_BOOL)
            return cfg_type_error(L, s, "a boolean (true or false)");
        *FIELD(base, k, int) = config_setting_get_bool(s);
        return 0;
    case CFG_ENUM:
        return cfg_as_enum(L, s, k->names, k->n_names, FIELD(base, k, int));
    case CFG_COUNT: return read_count(L, s, k, base);
    case CFG_INT: return read_int(L, s, k, base);
    case CFG_NUMBER: return read_number(L, s, k, base);
    case CFG_STRING:
    case CFG_PATH: return read_string(L, s, k, base);
    case CFG_SECONDS: return read_seconds(L, s, k, base);
    case CFG_MEGABYTES: return read_megabytes(L, s, k, base);
    default: return 0;
    }
}

static int read_key(cfg_ctx *L, const config_setting_t *g, const cfg_key *k,
                    void *base)
{
    int required = (k->flags & CFG_REQUIRED) != 0;
    if (k->load != NULL)
        return k->load(L, g, k, base);
    switch (k->kind) {
    case CFG_ELSEWHERE:
    case CFG_CUSTOM: return 0;
    case CFG_PART: return k->part(g, L->c, L->path, L->err);
    case CFG_GROUP:
        return cfg_group_load(L, g, k->name, required, k->sub, k->n_sub,
                              base, NULL) < 0
                   ? -1
                   : 0;
    default: break;
    }
    config_setting_t *s;
    int rc = cfg_member(L, g, k->name, required, &s);
    if (rc != 1)
        return rc;
    return cfg_read_value(L, s, k, base);
}

int cfg_keys_check(cfg_ctx *L, const config_setting_t *g,
                   const cfg_key *keys, size_t n)
{
    const char *names[MAX_KEYS];
    size_t m = 0;
    for (size_t i = 0; i < n && m < MAX_KEYS; i++)
        if (keys[i].name != NULL)
            names[m++] = keys[i].name;
    return cfg_check_keys(L, g, names, m);
}

int cfg_keys_read(cfg_ctx *L, const config_setting_t *g, const cfg_key *keys,
                  size_t n, void *base)
{
    for (unsigned late = 0; late <= CFG_LATE; late += CFG_LATE)
        for (size_t i = 0; i < n; i++) {
            const cfg_key *k = &keys[i];
            if ((k->flags & CFG_LATE) != late)
                continue;
            if (read_key(L, g, k, base) != 0)
                return -1;
            const config_setting_t *s =
                k->name != NULL ? config_setting_get_member(g, k->name)
                                : NULL;
            if (k->check != NULL && k->check(L, g, s, base) != 0)
                return -1;
        }
    return 0;
}

int cfg_keys_load(cfg_ctx *L, const config_setting_t *g, const cfg_key *keys,
                  size_t n, void *base)
{
    if (cfg_keys_check(L, g, keys, n) != 0)
        return -1;
    return cfg_keys_read(L, g, keys, n, base);
}

int cfg_group_load(cfg_ctx *L, const config_setting_t *g, const char *key,
                   int required, const cfg_key *keys, size_t n, void *base,
                   config_setting_t **out)
{
    config_setting_t *grp;
    int rc = cfg_get_group(L, g, key, required, &grp);
    if (out != NULL)
        *out = rc == 1 ? grp : NULL;
    if (rc != 1)
        return rc;
    return cfg_keys_load(L, grp, keys, n, base) == 0 ? 1 : -1;
}

void cfg_keys_defaults(const cfg_key *keys, size_t n, void *base)
{
    for (size_t i = 0; i < n; i++) {
        const cfg_key *k = &keys[i];
        if (k->kind == CFG_GROUP)
            cfg_keys_defaults(k->sub, k->n_sub, base);
        if (!(k->flags & CFG_DEFAULT))
            continue;
        switch (k->kind) {
        case CFG_BOOL:
        case CFG_ENUM:
        case CFG_INT: *FIELD(base, k, int) = (int)k->def; break;
        case CFG_COUNT: *FIELD(base, k, size_t) = (size_t)k->def; break;
        case CFG_NUMBER:
        case CFG_SECONDS: *FIELD(base, k, double) = k->def; break;
        case CFG_MEGABYTES: *FIELD(base, k, long) = (long)k->def; break;
        default: break;
        }
    }
}
