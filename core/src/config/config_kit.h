/* The config loader's kit, shared by its files and by the config groups
 * of the optional analyses (analysis/<name>/config.c): the reading
 * context, the checked getters that name file and line in every message,
 * and the key tables that describe a group's settings once each
 * (config_keys.c). */
#ifndef WE_CONFIG_CONFIG_KIT_H
#define WE_CONFIG_CONFIG_KIT_H

#include <libconfig.h>
#include <stddef.h>

#include "config/config.h"
#include "util/error.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define PATH_TEXT 512  /* room for a setting path in messages */
#define LIST_TEXT 1024 /* room for a list of allowed names */

/* The config being filled, the config file's path and where errors go. */
typedef struct cfg_ctx {
    we_config *c;
    we_error *err;
    const char *path;
} cfg_ctx;

/* A loader of one part of the config. Every part has this signature, so
 * the parts can live in their own files and be listed in one table
 * (config.c); `root` is the config's root group, `path` the config
 * file. */
typedef int (*we_cfg_group_fn)(const config_setting_t *root, we_config *c,
                               const char *path, we_error *err);

int we_cfg_group_treatment(const config_setting_t *root, we_config *c,
                           const char *path, we_error *err);
/* data.assignment (config_treatment.c) and the top-level `programme`
 * group (config_experiments.c). */
struct cfg_key;
int we_cfg_read_assignment(cfg_ctx *L, const config_setting_t *g,
                           const struct cfg_key *k, void *base);
int we_cfg_read_programme(cfg_ctx *L, const config_setting_t *g,
                          const struct cfg_key *k, void *base);
int we_cfg_group_experiments(const config_setting_t *root, we_config *c,
                             const char *path, we_error *err);

/* ---- key tables --------------------------------------------------------- */

typedef enum cfg_kind {
    CFG_BOOL,      /* int: true or false */
    CFG_ENUM,      /* int: the index of the value among `names` */
    CFG_COUNT,     /* size_t, an integer in [lo, hi] */
    CFG_INT,       /* int, an integer in [lo, hi] */
    CFG_NUMBER,    /* double, in the interval lo..hi (see flags) */
    CFG_STRING,    /* char *, a copy of a non-empty string */
    CFG_PATH,      /* char *, resolved against the config's directory */
    CFG_SECONDS,   /* double: seconds up to a week, 0 = no limit */
    CFG_MEGABYTES, /* long: megabytes, 0 = no limit */
    CFG_GROUP,     /* a nested group described by `sub` */
    CFG_CUSTOM,    /* read by `load` */
    CFG_PART,      /* a part of the config read by `part` from the root;
                      name NULL when the part owns no key of its own */
    CFG_ELSEWHERE  /* a known key that another part of the loader reads */
} cfg_kind;

enum {
    CFG_REQUIRED = 1, /* absent is an error */
    CFG_LO_OPEN = 2,  /* CFG_NUMBER: lo itself is out of range */
    CFG_HI_OPEN = 4,  /* CFG_NUMBER: hi itself is out of range */
    CFG_DEFAULT = 8,  /* `def` is the default (cfg_keys_defaults) */
    CFG_LATE = 16     /* read after the other keys of the table */
};

typedef struct cfg_key cfg_key;
/* Reads key `k` of group g into base; returns 0 or -1. */
typedef int (*cfg_load_fn)(cfg_ctx *L, const config_setting_t *g,
                           const cfg_key *k, void *base);
/* A check after the key was read: s is the setting, NULL when absent. */
typedef int (*cfg_check_fn)(cfg_ctx *L, const config_setting_t *g,
                            const config_setting_t *s, void *base);

struct cfg_key {
    const char *name;
    cfg_kind kind;
    size_t offset;            /* of the field in the base struct */
    unsigned flags;
    double lo, hi;            /* CFG_COUNT, CFG_INT, CFG_NUMBER */
    double def;               /* with CFG_DEFAULT */
    const char *const *names; /* CFG_ENUM: spellings in C enum order */
    size_t n_names;
    const char *tail;         /* ends a range message: ", e.g. 0.05" */
    const cfg_key *sub;       /* CFG_GROUP */
    size_t n_sub;
    cfg_load_fn load;         /* CFG_CUSTOM; with another kind, it reads
                                 the key instead of the kind's reader */
    we_cfg_group_fn part;     /* CFG_PART */
    cfg_check_fn check;       /* optional */
};

#define CFG_NAMES(a) .names = (a), .n_names = N_OF(a)
#define CFG_SUB(a) .sub = (a), .n_sub = N_OF(a)

/* Checks that g holds only the keys of the table, then reads them in
 * table order. */
int cfg_keys_load(cfg_ctx *L, const config_setting_t *g, const cfg_key *keys,
                  size_t n, void *base);
/* The two halves of cfg_keys_load. */
int cfg_keys_check(cfg_ctx *L, const config_setting_t *g,
                   const cfg_key *keys, size_t n);
int cfg_keys_read(cfg_ctx *L, const config_setting_t *g, const cfg_key *keys,
                  size_t n, void *base);
/* Reads the present setting s as k's kind says (a `load` of a key of a
 * scalar kind calls this after its own checks). */
int cfg_read_value(cfg_ctx *L, const config_setting_t *s, const cfg_key *k,
                   void *base);
/* Sets the defaults of the table's keys (nested groups included). */
void cfg_keys_defaults(const cfg_key *keys, size_t n, void *base);
/* The group `key` of g read with a key table: 1 read, 0 absent, -1. */
int cfg_group_load(cfg_ctx *L, const config_setting_t *g, const char *key,
                   int required, const cfg_key *keys, size_t n, void *base,
                   config_setting_t **out);

/* ---- messages and getters (config_read.c) ------------------------------ */

/* The config file's text (a regular file only, at most 16 MiB),
 * malloc'd and NUL-terminated. */
int cfg_read_text(const char *path, char **text, size_t *len, we_error *err);
/* Refuses, with path:line, what libconfig would get wrong or do before
 * the loader could refuse it: an @include (the included file is never
 * opened) and an integer beyond 32 bits without the L suffix (libconfig
 * would truncate it). */
int cfg_check_text(const char *path, const char *text, size_t len,
                   we_error *err);

const char *cfg_file_of(const cfg_ctx *L, const config_setting_t *s);
/* Prefixes the message with "file:line: " of setting s. */
__attribute__((format(printf, 3, 4))) int
cfg_fail(const cfg_ctx *L, const config_setting_t *s, const char *fmt, ...);
int cfg_oom(const cfg_ctx *L);
/* "experiments[2].settings.items": list entries counted from 1. */
void cfg_setting_path(const config_setting_t *s, char *buf, size_t cap);
const char *cfg_type_name(int type);
void cfg_join_names(char *buf, size_t cap, const char *const *names,
                    size_t n, int quoted);
void cfg_append(char *buf, size_t cap, const char *s);
int cfg_type_error(const cfg_ctx *L, const config_setting_t *s,
                   const char *want);

/* Unknown keys of g are errors that list the known ones. */
int cfg_check_keys(const cfg_ctx *L, const config_setting_t *g,
                   const char *const *known, size_t n);
/* 1 with *out set, 0 when absent and optional, -1 when absent and
 * required (or on a wrong type for the typed getters). */
int cfg_member(const cfg_ctx *L, const config_setting_t *g, const char *key,
               int required, config_setting_t **out);
int cfg_get_group(const cfg_ctx *L, const config_setting_t *g,
                  const char *key, int required, config_setting_t **out);
/* A list or array; `empty_hint` says what to do instead of an empty one. */
int cfg_get_seq(const cfg_ctx *L, const config_setting_t *g, const char *key,
                int required, const char *empty_hint,
                config_setting_t **out);
int cfg_get_string(const cfg_ctx *L, const config_setting_t *g,
                   const char *key, int required, const char **out,
                   config_setting_t **where);
int cfg_get_enum(const cfg_ctx *L, const config_setting_t *g,
                 const char *key, int required, const char *const *names,
                 size_t n, int *out);
/* 0 or -1. */
int cfg_as_string(const cfg_ctx *L, const config_setting_t *s,
                  const char **out);
int cfg_as_int(const cfg_ctx *L, const config_setting_t *s, int *out);
int cfg_as_enum(const cfg_ctx *L, const config_setting_t *s,
                const char *const *names, size_t n, int *out);
int cfg_as_number(const cfg_ctx *L, const config_setting_t *s,
                  const char *want, double *out);

/* Relative paths in the config are relative to the config file. */
char *cfg_resolve(const char *dir, const char *p);
char *cfg_dir_of(const char *path);

/* A string given twice among n: 1 with *first < *second (the pair whose
 * second occurrence comes first), 0 when all differ, -1 on OOM. */
int cfg_find_duplicate(const char *const *keys, size_t n, size_t *first,
                       size_t *second);

/* A list of non-empty strings, copied: *out gets n entries. With
 * `lines`, the config line of each. Returns 1, 0 when absent, -1. */
int cfg_get_strings(const cfg_ctx *L, const config_setting_t *g,
                    const char *key, int required, const char *empty_hint,
                    char ***out, size_t *n, int **lines);

#endif
