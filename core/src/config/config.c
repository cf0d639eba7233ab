/* Run configuration loader. Every value is checked where it is read, so
 * each message can name the file and line of the offending setting. */
#include "config/config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/csv.h"
#include "util/codes.h"
#include "util/sha256.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define PATH_TEXT 512  /* room for a setting path in messages */
#define LIST_TEXT 1024 /* room for a list of allowed names */

/* The config being filled and where errors go; passed to every step. */
typedef struct loader {
    we_config *c;
    we_error *err;
    size_t cap_treated;
} loader;

static const char *const TOP_KEYS[] = {
    "name",       "title", "data",   "baseline",    "followup",
    "treatment",  "comparison", "gap", "inference", "output",
    "plugin_dirs", "experiments", "report", "designs", "isolation",
    "early_warning", "displacement"};
static const char *const DATA_KEYS[] = {"areas",   "indicators", "catalog",
                                        "targets", "costs",      "adjacency",
                                        "centroids"};
static const char *const DISPLACEMENT_KEYS[] = {"indicators", "band_m"};
static const char *const TREATMENT_KEYS[] = {"file", "waves"};
static const char *const WAVE_KEYS[] = {"label", "from", "areas"};
static const char *const COMPARISON_KEYS[] = {"type", "areas"};
static const char *const GAP_KEYS[] = {"reference", "weighted"};
static const char *const INFERENCE_KEYS[] = {
    "alpha", "seed", "cluster", "method", "bootstrap", "permutation",
    "event_study", "adjust", "power", "mde_simulations"};
static const char *const BOOTSTRAP_KEYS[] = {"reps", "weights"};
static const char *const PERMUTATION_KEYS[] = {"reps", "strata"};
static const char *const EVENT_KEYS[] = {"min", "max", "bootstrap_reps"};
static const char *const INFER_METHOD_NAMES[] = {"auto", "cr1", "wild"};
static const char *const DESIGN_NAMES[] = {"auto", "twfe", "cs", "sc",
                                           "sdid"};
static const char *const EXP_COMPARISON_NAMES[] = {"run", "matched"};
static const char *const MATCHING_KEYS[] = {"method", "k", "replace",
                                            "same_municipality",
                                            "covariates"};
static const char *const MATCHING_METHOD_NAMES[] = {"mahalanobis",
                                                    "propensity"};
static const char *const REPORT_KEYS[] = {"language"};
static const char *const DESIGNS_KEYS[] = {"cs_control", "cs_bootstrap_reps",
                                           "sdid_reps"};
static const char *const CS_CONTROL_NAMES[] = {"never_treated",
                                               "not_yet_treated"};
static const char *const LANGUAGE_NAMES[] = {"en", "nl"};
static const char *const WEIGHT_NAMES[] = {"rademacher", "webb"};
static const char *const STRATA_NAMES[] = {"none", "municipality"};
static const char *const ADJUST_NAMES[] = {"holm", "bh"};
static const char *const OUTPUT_KEYS[] = {"dir", "formats"};
static const char *const EXPERIMENT_KEYS[] = {
    "plugin", "indicators", "settings", "design", "comparison", "matching",
    "municipalities", "time_limit", "memory_limit_mb"};
static const char *const ISOLATION_KEYS[] = {"enabled", "time_limit",
                                             "memory_limit_mb"};
static const char *const TARGET_KEYS[] = {"name", "role"};
static const char *const EW_KEYS[] = {"indicators", "window", "alpha",
                                      "test"};
/* In the order of we_ew_test (methods/early_warning.h). */
static const char *const EW_TEST_NAMES[] = {"empirical_null",
                                            "mann_kendall"};
static const char *const EW_INDICATOR_KEYS[] = {"name", "weight"};

/* Enum spellings, in the order of the matching C enum values. */
static const char *const COMPARISON_NAMES[] = {"untreated",
                                               "same_municipality", "list"};
static const char *const GAP_NAMES[] = {"municipality", "national"};
static const char *const CLUSTER_NAMES[] = {"area", "municipality"};
static const char *const ROLE_NAMES[] = {"primary", "secondary"};
static const char *const FORMAT_NAMES[] = {"json", "csv", "md", "html"};
static const unsigned FORMAT_BITS[] = {WE_FORMAT_JSON, WE_FORMAT_CSV,
                                       WE_FORMAT_MD, WE_FORMAT_HTML};

/* ---- messages ----------------------------------------------------------- */

static const char *file_of(const we_config *c, const config_setting_t *s)
{
    const char *f = s != NULL ? config_setting_source_file(s) : NULL;
    if (f == NULL)
        f = (c != NULL && c->path != NULL) ? c->path : "config";
    return f;
}

/* Prefixes the message with "file:line: " of setting s (no line for the
 * root, which has none). */
__attribute__((format(printf, 4, 5))) static int
fail_at(const we_config *c, we_error *err, const config_setting_t *s,
        const char *fmt, ...)
{
    char msg[WE_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    unsigned line = s != NULL ? config_setting_source_line(s) : 0;
    if (line > 0)
        return we_errorf(err, "%s:%u: %s", file_of(c, s), line, msg);
    return we_errorf(err, "%s: %s", file_of(c, s), msg);
}

static int oom(const loader *L)
{
    return we_errorf(L->err, "%s: out of memory while reading the config",
                     L->c->path != NULL ? L->c->path : "config");
}

/* The dotted path of a setting as a user would write it, with list
 * entries counted from 1: "experiments[2].settings.items". */
static void setting_path(const config_setting_t *s, char *buf, size_t cap)
{
    const config_setting_t *p = config_setting_parent(s);
    buf[0] = '\0';
    if (p == NULL)
        return;
    setting_path(p, buf, cap);
    size_t len = strlen(buf);
    if (config_setting_is_group(p))
        snprintf(buf + len, cap - len, "%s%s", len > 0 ? "." : "",
                 config_setting_name(s));
    else
        snprintf(buf + len, cap - len, "[%d]", config_setting_index(s) + 1);
}

static const char *type_name(int type)
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

static void append(char *buf, size_t cap, const char *s)
{
    size_t len = strlen(buf);
    if (len + 1 < cap)
        snprintf(buf + len, cap - len, "%s", s);
}

/* "a, b, c" or, with quotes, "\"a\", \"b\"". */
static void join_names(char *buf, size_t cap, const char *const *names,
                       size_t n, int quoted)
{
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            append(buf, cap, ", ");
        if (quoted)
            append(buf, cap, "\"");
        append(buf, cap, names[i]);
        if (quoted)
            append(buf, cap, "\"");
    }
}

static int type_error(const loader *L, const config_setting_t *s,
                      const char *want)
{
    char p[PATH_TEXT];
    setting_path(s, p, sizeof p);
    return fail_at(L->c, L->err, s, "'%s' must be %s, not %s", p, want,
                   type_name(config_setting_type(s)));
}

/* ---- generic getters ---------------------------------------------------- */

static int check_keys(const loader *L, const config_setting_t *g,
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
        setting_path(g, p, sizeof p);
        if (p[0] == '\0')
            snprintf(where, sizeof where, "at the top level");
        else
            snprintf(where, sizeof where, "in group '%s'", p);
        join_names(list, sizeof list, known, n, 0);
        return fail_at(L->c, L->err, m,
                       "unknown key '%s' %s; known keys are: %s", name,
                       where, list);
    }
    return 0;
}

/* Returns 1 with *out set, 0 when the key is absent and optional, -1 when
 * it is absent and required. */
static int member(const loader *L, const config_setting_t *g,
                  const char *key, int required, config_setting_t **out)
{
    *out = config_setting_get_member(g, key);
    if (*out != NULL)
        return 1;
    if (!required)
        return 0;
    char p[PATH_TEXT];
    setting_path(g, p, sizeof p);
    if (p[0] == '\0')
        return fail_at(L->c, L->err, g,
                       "missing required key '%s' at the top level; "
                       "add it (see docs/config.md)", key);
    return fail_at(L->c, L->err, g,
                   "missing required key '%s' in group '%s'; add it "
                   "(see docs/config.md)", key, p);
}

static int get_group(const loader *L, const config_setting_t *g,
                     const char *key, int required, config_setting_t **out)
{
    int rc = member(L, g, key, required, out);
    if (rc == 1 && !config_setting_is_group(*out))
        return type_error(L, *out, "a group { ... }");
    return rc;
}

/* A list or array; `empty_hint` says what to do instead of an empty one. */
static int get_seq(const loader *L, const config_setting_t *g,
                   const char *key, int required, const char *empty_hint,
                   config_setting_t **out)
{
    int rc = member(L, g, key, required, out);
    if (rc != 1)
        return rc;
    if (!config_setting_is_array(*out) && !config_setting_is_list(*out))
        return type_error(L, *out, "an array [ ... ] or a list ( ... )");
    if (empty_hint != NULL && config_setting_length(*out) == 0) {
        char p[PATH_TEXT];
        setting_path(*out, p, sizeof p);
        return fail_at(L->c, L->err, *out, "'%s' is empty; %s", p,
                       empty_hint);
    }
    return 1;
}

static int as_string(const loader *L, const config_setting_t *s,
                     const char **out)
{
    if (config_setting_type(s) != CONFIG_TYPE_STRING)
        return type_error(L, s, "a string");
    *out = config_setting_get_string(s);
    if ((*out)[0] == '\0') {
        char p[PATH_TEXT];
        setting_path(s, p, sizeof p);
        return fail_at(L->c, L->err, s, "'%s' is an empty string; give a "
                       "value or leave the key out if it is optional", p);
    }
    return 0;
}

static int get_string(const loader *L, const config_setting_t *g,
                      const char *key, int required, const char **out,
                      config_setting_t **where)
{
    config_setting_t *s;
    int rc = member(L, g, key, required, &s);
    if (where != NULL)
        *where = s;
    if (rc != 1)
        return rc;
    return as_string(L, s, out) == 0 ? 1 : -1;
}

static int as_int(const loader *L, const config_setting_t *s, int *out)
{
    int t = config_setting_type(s);
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
        return type_error(L, s, "an integer");
    long long v = config_setting_get_int64(s);
    if (v < INT_MIN || v > INT_MAX) {
        char p[PATH_TEXT];
        setting_path(s, p, sizeof p);
        return fail_at(L->c, L->err, s, "'%s' = %lld is out of range; "
                       "periods are years such as 2008", p, v);
    }
    *out = (int)v;
    return 0;
}

static int get_int(const loader *L, const config_setting_t *g,
                   const char *key, int required, int *out)
{
    config_setting_t *s;
    int rc = member(L, g, key, required, &s);
    if (rc != 1)
        return rc;
    return as_int(L, s, out) == 0 ? 1 : -1;
}

static int get_bool(const loader *L, const config_setting_t *g,
                    const char *key, int *out)
{
    config_setting_t *s;
    int rc = member(L, g, key, 0, &s);
    if (rc != 1)
        return rc;
    if (config_setting_type(s) != CONFIG_TYPE_BOOL)
        return type_error(L, s, "a boolean (true or false)");
    *out = config_setting_get_bool(s);
    return 1;
}

static int as_enum(const loader *L, const config_setting_t *s,
                   const char *const *names, size_t n, int *out)
{
    const char *v = NULL;
    if (as_string(L, s, &v) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v, names[i]) == 0) {
            *out = (int)i;
            return 0;
        }
    }
    char p[PATH_TEXT], list[LIST_TEXT];
    setting_path(s, p, sizeof p);
    join_names(list, sizeof list, names, n, 1);
    return fail_at(L->c, L->err, s,
                   "bad value \"%s\" for '%s'; allowed values are: %s", v, p,
                   list);
}

static int get_enum(const loader *L, const config_setting_t *g,
                    const char *key, int required, const char *const *names,
                    size_t n, int *out)
{
    config_setting_t *s;
    int rc = member(L, g, key, required, &s);
    if (rc != 1)
        return rc;
    return as_enum(L, s, names, n, out) == 0 ? 1 : -1;
}

/* ---- paths -------------------------------------------------------------- */

static char *dir_of(const char *path)
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

/* Relative paths in the config are relative to the config file. */
static char *resolve(const char *dir, const char *p)
{
    if (p[0] == '/' || strcmp(dir, ".") == 0)
        return we_strdup(p);
    size_t nd = strlen(dir);
    const char *sep = dir[nd - 1] == '/' ? "" : "/";
    size_t n = nd + strlen(sep) + strlen(p) + 1;
    char *r = malloc(n);
    if (r != NULL)
        snprintf(r, n, "%s%s%s", dir, sep, p);
    return r;
}

static int get_path(const loader *L, const config_setting_t *g,
                    const char *key, int required, char **out)
{
    const char *v = NULL;
    int rc = get_string(L, g, key, required, &v, NULL);
    if (rc != 1)
        return rc;
    *out = resolve(L->c->dir, v);
    return *out != NULL ? 1 : oom(L);
}

/* ---- duplicates --------------------------------------------------------- */

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
static int find_duplicate(const char *const *keys, size_t n, size_t *first,
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

/* ---- name, data, periods ------------------------------------------------ */

static int is_run_name(const char *s)
{
    if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return 0;
    for (const char *p = s; *p != '\0'; p++) {
        char ch = *p;
        int ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                 (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' ||
                 ch == '-';
        if (!ok)
            return 0;
    }
    return s[0] != '\0';
}

static int load_names(loader *L, const config_setting_t *root)
{
    const char *name = NULL, *title = NULL;
    config_setting_t *s;
    if (get_string(L, root, "name", 1, &name, &s) != 1)
        return -1;
    if (!is_run_name(name))
        return fail_at(L->c, L->err, s,
                       "run name \"%s\" is not valid; use only letters, "
                       "digits, '_', '.' and '-' (it names the output "
                       "directory, so \".\" and \"..\" are refused)", name);
    L->c->name = we_strdup(name);
    int rc = get_string(L, root, "title", 0, &title, NULL);
    if (rc < 0)
        return -1;
    L->c->title = we_strdup(rc == 1 ? title : name);
    return L->c->name != NULL && L->c->title != NULL ? 0 : oom(L);
}

static int load_data(loader *L, const config_setting_t *root)
{
    config_setting_t *g;
    if (get_group(L, root, "data", 1, &g) != 1 ||
        check_keys(L, g, DATA_KEYS, N_OF(DATA_KEYS)) != 0)
        return -1;
    if (get_path(L, g, "areas", 1, &L->c->areas_path) != 1 ||
        get_path(L, g, "indicators", 1, &L->c->indicators_path) != 1 ||
        get_path(L, g, "catalog", 1, &L->c->catalog_path) != 1 ||
        get_path(L, g, "targets", 0, &L->c->targets_path) < 0 ||
        get_path(L, g, "costs", 0, &L->c->costs_path) < 0 ||
        get_path(L, g, "adjacency", 0, &L->c->adjacency_path) < 0 ||
        get_path(L, g, "centroids", 0, &L->c->centroids_path) < 0)
        return -1;
    if (L->c->adjacency_path != NULL && L->c->centroids_path != NULL)
        return fail_at(L->c, L->err, config_setting_get_member(g, "centroids"),
                       "give either 'data.adjacency' or 'data.centroids', "
                       "not both");
    return 0;
}

static int check_period_order(const loader *L, const config_setting_t *seq,
                              size_t i)
{
    const we_config *c = L->c;
    const config_setting_t *s = config_setting_get_elem(seq, (unsigned)i);
    if (i == 0 && c->followup[0] <= c->baseline)
        return fail_at(c, L->err, s,
                       "follow-up period %d is not after the baseline %d; "
                       "every follow-up period must come after 'baseline'",
                       c->followup[0], c->baseline);
    if (i > 0 && c->followup[i] <= c->followup[i - 1])
        return fail_at(c, L->err, s,
                       "'followup[%zu]' = %d does not come after "
                       "'followup[%zu]' = %d; list follow-up periods in "
                       "ascending order, each once",
                       i + 1, c->followup[i], i, c->followup[i - 1]);
    return 0;
}

static int load_periods(loader *L, const config_setting_t *root)
{
    we_config *c = L->c;
    config_setting_t *seq;
    if (get_int(L, root, "baseline", 1, &c->baseline) != 1)
        return -1;
    c->baseline_line = config_setting_source_line(
        config_setting_get_member(root, "baseline"));
    if (get_seq(L, root, "followup", 1,
                "give at least one follow-up period, e.g. [2008, 2009]",
                &seq) != 1)
        return -1;
    c->followup_line = config_setting_source_line(seq);
    size_t n = (size_t)config_setting_length(seq);
    c->followup = we_calloc(n, sizeof *c->followup);
    if (c->followup == NULL)
        return oom(L);
    for (size_t i = 0; i < n; i++) {
        if (as_int(L, config_setting_get_elem(seq, (unsigned)i),
                   &c->followup[i]) != 0)
            return -1;
        c->n_followup = i + 1;
        if (check_period_order(L, seq, i) != 0)
            return -1;
    }
    return 0;
}

/* ---- treatment ---------------------------------------------------------- */

static int add_treated(loader *L, const char *area, int from,
                       const char *wave, int line, const char *source)
{
    we_config *c = L->c;
    if (c->n_treated == L->cap_treated) {
        size_t cap = L->cap_treated == 0 ? 64 : 2 * L->cap_treated;
        we_treated_cfg *t = realloc(c->treated, cap * sizeof *t);
        if (t == NULL)
            return oom(L);
        c->treated = t;
        L->cap_treated = cap;
    }
    we_treated_cfg *t = &c->treated[c->n_treated];
    *t = (we_treated_cfg){we_strdup(area), from, we_strdup(wave), line,
                          source};
    c->n_treated++;
    return t->area != NULL && t->wave != NULL ? 0 : oom(L);
}

/* Column indices of the treatment file; wave is -1 when absent. */
typedef struct treat_cols {
    long area, from, wave;
    size_t n;
} treat_cols;

/* Header names compare as we_csv_column does: surrounding blanks ignored. */
static int header_is(const char *field, const char *name)
{
    size_t n = strlen(name);
    while (*field == ' ' || *field == '\t')
        field++;
    if (strncmp(field, name, n) != 0)
        return 0;
    for (field += n; *field == ' ' || *field == '\t'; field++)
        ;
    return *field == '\0';
}

static int treatment_header(const loader *L, const we_csv *r,
                            const we_csv_row *h, treat_cols *cols)
{
    static const char *const names[] = {"area", "from", "wave"};
    const char *path = we_csv_path(r);
    long *slot[] = {&cols->area, &cols->from, &cols->wave};
    for (size_t i = 0; i < h->n_fields; i++) {
        size_t k = 0;
        while (k < N_OF(names) && !header_is(h->fields[i], names[k]))
            k++;
        if (k == N_OF(names))
            return we_errorf(L->err, "%s:%zu:%zu: unknown column '%s'; the "
                             "header must be area,from or area,from,wave",
                             path, h->line, h->columns[i], h->fields[i]);
        if (*slot[k] >= 0)
            return we_errorf(L->err, "%s:%zu:%zu: column '%s' appears "
                             "twice; keep one", path, h->line,
                             h->columns[i], names[k]);
        *slot[k] = (long)i;
    }
    cols->n = h->n_fields;
    if (cols->area < 0 || cols->from < 0)
        return we_errorf(L->err, "%s:%zu: missing column '%s'; the header "
                         "must be area,from or area,from,wave", path,
                         h->line, cols->area < 0 ? "area" : "from");
    return 0;
}

static int treatment_from(const loader *L, const we_csv *r,
                          const we_csv_row *row, long col, int *out)
{
    const char *cell = row->fields[col];
    double v = 0.0;
    int rc = we_csv_number(r, cell, &v);
    const char *why = rc == 1   ? "is empty or a missing marker"
                      : rc != 0 ? "is not a number"
                      : (v != floor(v) || v < INT_MIN || v > INT_MAX)
                          ? "is not an integer period"
                          : NULL;
    if (why != NULL)
        return we_errorf(L->err, "%s:%zu:%zu: 'from' value \"%s\" %s; give "
                         "the first treated period, e.g. 2008",
                         we_csv_path(r), row->line, row->columns[col], cell,
                         why);
    *out = (int)v;
    return 0;
}

static int treatment_row(loader *L, const we_csv *r, const we_csv_row *row,
                         const treat_cols *cols)
{
    const char *path = we_csv_path(r);
    if (row->n_fields != cols->n)
        return we_errorf(L->err, "%s:%zu: expected %zu fields as in the "
                         "header, found %zu", path, row->line, cols->n,
                         row->n_fields);
    const char *area = row->fields[cols->area];
    if (area[0] == '\0')
        return we_errorf(L->err, "%s:%zu:%zu: empty area code; give a code "
                         "such as WK036301", path, row->line,
                         row->columns[cols->area]);
    int from = 0;
    if (treatment_from(L, r, row, cols->from, &from) != 0)
        return -1;
    const char *wave = cols->wave >= 0 ? row->fields[cols->wave] : "";
    return add_treated(L, area, from, wave, (int)row->line,
                       L->c->treatment_path);
}

static int read_treatment_csv(loader *L, we_csv *r)
{
    we_csv_row row;
    treat_cols cols = {-1, -1, -1, 0};
    int rc = we_csv_next(r, &row, L->err);
    if (rc == 0)
        return we_errorf(L->err, "%s: the treatment file is empty; it needs "
                         "a header line area,from[,wave] and one row per "
                         "treated area", we_csv_path(r));
    if (rc < 0 || treatment_header(L, r, &row, &cols) != 0)
        return -1;
    while ((rc = we_csv_next(r, &row, L->err)) == 1) {
        if (treatment_row(L, r, &row, &cols) != 0)
            return -1;
    }
    return rc;
}

static int load_treatment_file(loader *L, const config_setting_t *g)
{
    config_setting_t *fs;
    const char *rel = NULL;
    int rc = get_string(L, g, "file", 0, &rel, &fs);
    if (rc != 1)
        return rc;
    L->c->treatment_path = resolve(L->c->dir, rel);
    if (L->c->treatment_path == NULL)
        return oom(L);
    we_csv *r = NULL;
    we_error open_err = {{0}};
    if (we_csv_open(&r, L->c->treatment_path, &open_err) != 0)
        return fail_at(L->c, L->err, fs, "cannot read treatment.file: %s",
                       open_err.msg);
    rc = read_treatment_csv(L, r);
    we_csv_close(r);
    return rc;
}

static int load_wave(loader *L, const config_setting_t *w)
{
    if (!config_setting_is_group(w))
        return type_error(L, w, "a group { label; from; areas; }");
    if (check_keys(L, w, WAVE_KEYS, N_OF(WAVE_KEYS)) != 0)
        return -1;
    const char *label = "";
    int from = 0;
    config_setting_t *areas;
    if (get_string(L, w, "label", 0, &label, NULL) < 0 ||
        get_int(L, w, "from", 1, &from) != 1 ||
        get_seq(L, w, "areas", 1, "list the area codes of this wave",
                &areas) != 1)
        return -1;
    for (int i = 0; i < config_setting_length(areas); i++) {
        const config_setting_t *a = config_setting_get_elem(areas,
                                                            (unsigned)i);
        const char *code = NULL;
        if (as_string(L, a, &code) != 0 ||
            add_treated(L, code, from, label,
                        (int)config_setting_source_line(a),
                        file_of(L->c, a)) != 0)
            return -1;
    }
    return 0;
}

static int check_treated_unique(const loader *L)
{
    const we_config *c = L->c;
    const char **keys = we_calloc(c->n_treated, sizeof *keys);
    if (keys == NULL)
        return oom(L);
    for (size_t i = 0; i < c->n_treated; i++)
        keys[i] = c->treated[i].area;
    size_t a = 0, b = 0;
    int rc = find_duplicate(keys, c->n_treated, &a, &b);
    free(keys);
    if (rc < 0)
        return oom(L);
    if (rc == 0)
        return 0;
    const we_treated_cfg *x = &c->treated[a], *y = &c->treated[b];
    return we_errorf(L->err, "%s:%d: area '%s' is treated twice (also at "
                     "%s:%d); list each area once, in one wave", y->source,
                     y->line, y->area, x->source, x->line);
}

static int load_treatment(loader *L, const config_setting_t *root)
{
    config_setting_t *g, *waves;
    if (get_group(L, root, "treatment", 1, &g) != 1 ||
        check_keys(L, g, TREATMENT_KEYS, N_OF(TREATMENT_KEYS)) != 0 ||
        load_treatment_file(L, g) != 0)
        return -1;
    int rc = get_seq(L, g, "waves", 0,
                     "remove it or add a wave { label; from; areas; }",
                     &waves);
    if (rc < 0)
        return -1;
    for (int i = 0; rc == 1 && i < config_setting_length(waves); i++) {
        if (load_wave(L, config_setting_get_elem(waves, (unsigned)i)) != 0)
            return -1;
    }
    if (L->c->n_treated == 0)
        return fail_at(L->c, L->err, g,
                       "no treated areas; give treatment.file (a CSV with "
                       "header area,from[,wave]) or treatment.waves");
    return check_treated_unique(L);
}

/* ---- comparison, gap, inference, output --------------------------------- */

/* Comparison areas must be distinct and never treated. */
static int check_comparison_areas(const loader *L, const config_setting_t *seq)
{
    const we_config *c = L->c;
    size_t n = c->n_treated + c->n_comparison_areas, a = 0, b = 0;
    const char **keys = we_calloc(n, sizeof *keys);
    if (keys == NULL)
        return oom(L);
    for (size_t i = 0; i < c->n_treated; i++)
        keys[i] = c->treated[i].area;
    for (size_t i = 0; i < c->n_comparison_areas; i++)
        keys[c->n_treated + i] = c->comparison_areas[i];
    int rc = find_duplicate(keys, n, &a, &b);
    free(keys);
    if (rc <= 0)
        return rc < 0 ? oom(L) : 0;
    const config_setting_t *s =
        config_setting_get_elem(seq, (unsigned)(b - c->n_treated));
    if (a >= c->n_treated)
        return fail_at(c, L->err, s, "comparison area '%s' is listed twice; "
                       "list each area once",
                       c->comparison_areas[b - c->n_treated]);
    return fail_at(c, L->err, s, "comparison area '%s' is also treated (at "
                   "%s:%d); an area is either treated or a comparison area",
                   c->treated[a].area, c->treated[a].source,
                   c->treated[a].line);
}

static int load_comparison_list(loader *L, const config_setting_t *g)
{
    we_config *c = L->c;
    config_setting_t *seq;
    if (get_seq(L, g, "areas", 1, "list the comparison area codes", &seq) !=
        1)
        return -1;
    size_t n = (size_t)config_setting_length(seq);
    c->comparison_areas = we_calloc(n, sizeof *c->comparison_areas);
    if (c->comparison_areas == NULL)
        return oom(L);
    for (size_t i = 0; i < n; i++) {
        const char *code = NULL;
        if (as_string(L, config_setting_get_elem(seq, (unsigned)i), &code) !=
            0)
            return -1;
        c->comparison_areas[i] = we_strdup(code);
        c->n_comparison_areas = i + 1;
        if (c->comparison_areas[i] == NULL)
            return oom(L);
    }
    return check_comparison_areas(L, seq);
}

static int load_comparison(loader *L, const config_setting_t *root)
{
    config_setting_t *g, *areas;
    int mode = WE_COMPARISON_UNTREATED;
    int rc = get_group(L, root, "comparison", 0, &g);
    if (rc != 1)
        return rc;
    if (check_keys(L, g, COMPARISON_KEYS, N_OF(COMPARISON_KEYS)) != 0 ||
        get_enum(L, g, "type", 0, COMPARISON_NAMES, N_OF(COMPARISON_NAMES),
                 &mode) < 0)
        return -1;
    L->c->comparison = (we_comparison_mode)mode;
    if (mode == WE_COMPARISON_LIST)
        return load_comparison_list(L, g);
    if (member(L, g, "areas", 0, &areas) == 1)
        return fail_at(L->c, L->err, areas, "'comparison.areas' is only "
                       "used with type = \"list\"; remove it or set the "
                       "type to \"list\"");
    return 0;
}

static int load_gap(loader *L, const config_setting_t *root)
{
    config_setting_t *g;
    int ref = WE_GAP_MUNICIPALITY;
    int rc = get_group(L, root, "gap", 0, &g);
    if (rc != 1)
        return rc;
    if (check_keys(L, g, GAP_KEYS, N_OF(GAP_KEYS)) != 0 ||
        get_enum(L, g, "reference", 0, GAP_NAMES, N_OF(GAP_NAMES), &ref) <
            0 ||
        get_bool(L, g, "weighted", &L->c->gap_weighted) < 0)
        return -1;
    L->c->gap_reference = (we_gap_ref_mode)ref;
    return 0;
}

static int load_alpha(loader *L, const config_setting_t *g)
{
    config_setting_t *s;
    if (member(L, g, "alpha", 0, &s) != 1)
        return 0;
    if (!config_setting_is_number(s))
        return type_error(L, s, "a number");
    double a = config_setting_type(s) == CONFIG_TYPE_FLOAT
                   ? config_setting_get_float(s)
                   : (double)config_setting_get_int64(s);
    if (!(a > 0.0 && a <= 0.5))
        return fail_at(L->c, L->err, s, "'inference.alpha' = %g is out of "
                       "range; it must be in (0, 0.5], e.g. 0.05", a);
    L->c->alpha = a;
    return 0;
}

static int load_seed(loader *L, const config_setting_t *g)
{
    config_setting_t *s;
    if (member(L, g, "seed", 0, &s) != 1)
        return 0;
    int t = config_setting_type(s);
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
        return type_error(L, s, "an integer");
    long long v = config_setting_get_int64(s);
    if (v < 0)
        return fail_at(L->c, L->err, s, "'inference.seed' = %lld is "
                       "negative; give a seed >= 0 (large values need the "
                       "L suffix, e.g. 12345678901L)", v);
    L->c->seed = (uint64_t)v;
    return 0;
}

/* An optional count in [lo, hi]; absent leaves *out as it is. */
static int get_count(const loader *L, const config_setting_t *g,
                     const char *key, long lo, long hi, size_t *out)
{
    config_setting_t *s;
    int rc = member(L, g, key, 0, &s);
    if (rc != 1)
        return rc;
    int t = config_setting_type(s);
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
        return type_error(L, s, "an integer");
    long long v = config_setting_get_int64(s);
    if (v < lo || v > hi) {
        char p[PATH_TEXT];
        setting_path(s, p, sizeof p);
        return fail_at(L->c, L->err, s, "'%s' = %lld is out of range; it "
                       "must be between %ld and %ld", p, v, lo, hi);
    }
    *out = (size_t)v;
    return 1;
}

static int load_bootstrap(loader *L, const config_setting_t *g)
{
    config_setting_t *b;
    int rc = get_group(L, g, "bootstrap", 0, &b);
    if (rc != 1)
        return rc;
    we_inference_cfg *ic = &L->c->inference;
    if (check_keys(L, b, BOOTSTRAP_KEYS, N_OF(BOOTSTRAP_KEYS)) != 0 ||
        get_count(L, b, "reps", 99, 999999, &ic->boot_reps) < 0 ||
        get_enum(L, b, "weights", 0, WEIGHT_NAMES, N_OF(WEIGHT_NAMES),
                 &ic->boot_weights) < 0)
        return -1;
    return 0;
}

static int load_permutation(loader *L, const config_setting_t *g)
{
    config_setting_t *p;
    int rc = get_group(L, g, "permutation", 0, &p);
    if (rc != 1)
        return rc;
    we_inference_cfg *ic = &L->c->inference;
    if (check_keys(L, p, PERMUTATION_KEYS, N_OF(PERMUTATION_KEYS)) != 0 ||
        get_count(L, p, "reps", 0, 999999, &ic->perm_reps) < 0 ||
        get_enum(L, p, "strata", 0, STRATA_NAMES, N_OF(STRATA_NAMES),
                 &ic->perm_strata) < 0)
        return -1;
    return 0;
}

/* An optional event-time bound within [lo, hi]; absent keeps *out. */
static int get_event_bound(const loader *L, const config_setting_t *e,
                           const char *key, int lo, int hi, int *out)
{
    config_setting_t *s;
    if (member(L, e, key, 0, &s) != 1)
        return 0;
    int v;
    if (as_int(L, s, &v) != 0)
        return -1;
    if (v < lo || v > hi)
        return fail_at(L->c, L->err, s, "'inference.event_study.%s' = %d "
                       "is out of range; it must be between %d and %d "
                       "(min is a lead to test, max a lag)", key, v, lo, hi);
    *out = v;
    return 0;
}

static int load_event_study(loader *L, const config_setting_t *g)
{
    config_setting_t *e;
    int rc = get_group(L, g, "event_study", 0, &e);
    if (rc != 1)
        return rc;
    we_inference_cfg *ic = &L->c->inference;
    if (check_keys(L, e, EVENT_KEYS, N_OF(EVENT_KEYS)) != 0 ||
        get_count(L, e, "bootstrap_reps", 0, 99999, &ic->event_boot_reps) <
            0 ||
        get_event_bound(L, e, "min", -50, -2, &ic->event_min) != 0 ||
        get_event_bound(L, e, "max", 0, 50, &ic->event_max) != 0)
        return -1;
    return 0;
}

static int load_power(loader *L, const config_setting_t *g)
{
    config_setting_t *s;
    if (member(L, g, "power", 0, &s) != 1)
        return 0;
    if (!config_setting_is_number(s))
        return type_error(L, s, "a number");
    double v = config_setting_type(s) == CONFIG_TYPE_FLOAT
                   ? config_setting_get_float(s)
                   : (double)config_setting_get_int64(s);
    if (!(v >= 0.5 && v < 1.0))
        return fail_at(L->c, L->err, s, "'inference.power' = %g is out of "
                       "range; it must be in [0.5, 1), e.g. 0.8", v);
    L->c->inference.power = v;
    return 0;
}

static int load_inference(loader *L, const config_setting_t *root)
{
    config_setting_t *g;
    int cluster = WE_CLUSTER_MUNICIPALITY;
    int method = (int)L->c->inference.method;
    int adjust = (int)L->c->inference.adjust;
    int rc = get_group(L, root, "inference", 0, &g);
    if (rc != 1)
        return rc;
    if (check_keys(L, g, INFERENCE_KEYS, N_OF(INFERENCE_KEYS)) != 0 ||
        load_alpha(L, g) != 0 || load_seed(L, g) != 0 ||
        get_enum(L, g, "cluster", 0, CLUSTER_NAMES, N_OF(CLUSTER_NAMES),
                 &cluster) < 0 ||
        get_enum(L, g, "method", 0, INFER_METHOD_NAMES,
                 N_OF(INFER_METHOD_NAMES), &method) < 0 ||
        get_enum(L, g, "adjust", 0, ADJUST_NAMES, N_OF(ADJUST_NAMES),
                 &adjust) < 0 ||
        load_bootstrap(L, g) != 0 || load_permutation(L, g) != 0 ||
        load_event_study(L, g) != 0 || load_power(L, g) != 0 ||
        get_count(L, g, "mde_simulations", 0, 100000,
                  &L->c->inference.mde_sims) < 0)
        return -1;
    L->c->cluster = (we_cluster)cluster;
    L->c->inference.method = (we_infer_method)method;
    L->c->inference.adjust = (we_adjust_method)adjust;
    return 0;
}

static int load_formats(loader *L, const config_setting_t *g)
{
    config_setting_t *seq;
    int rc = get_seq(L, g, "formats", 0,
                     "give at least one of \"json\", \"csv\", \"md\", "
                     "\"html\"", &seq);
    if (rc != 1)
        return rc;
    unsigned bits = 0;
    for (int i = 0; i < config_setting_length(seq); i++) {
        const config_setting_t *s = config_setting_get_elem(seq, (unsigned)i);
        int k = 0;
        if (as_enum(L, s, FORMAT_NAMES, N_OF(FORMAT_NAMES), &k) != 0)
            return -1;
        if (bits & FORMAT_BITS[k])
            return fail_at(L->c, L->err, s, "format \"%s\" is listed twice "
                           "in 'output.formats'; list it once",
                           FORMAT_NAMES[k]);
        bits |= FORMAT_BITS[k];
    }
    L->c->formats = bits;
    return 0;
}

static int load_output(loader *L, const config_setting_t *root)
{
    config_setting_t *g;
    int rc = get_group(L, root, "output", 0, &g);
    if (rc < 0)
        return -1;
    if (rc == 1 && (check_keys(L, g, OUTPUT_KEYS, N_OF(OUTPUT_KEYS)) != 0 ||
                    get_path(L, g, "dir", 0, &L->c->output_dir) < 0 ||
                    load_formats(L, g) != 0))
        return -1;
    if (L->c->output_dir == NULL)
        L->c->output_dir = resolve(L->c->dir, "out");
    return L->c->output_dir != NULL ? 0 : oom(L);
}

static int load_report(loader *L, const config_setting_t *root)
{
    config_setting_t *g;
    int lang = 0;
    int rc = get_group(L, root, "report", 0, &g);
    if (rc < 0 || (rc == 1 && (check_keys(L, g, REPORT_KEYS,
                                          N_OF(REPORT_KEYS)) != 0 ||
                               get_enum(L, g, "language", 0, LANGUAGE_NAMES,
                                        N_OF(LANGUAGE_NAMES), &lang) < 0)))
        return -1;
    L->c->language = we_strdup(LANGUAGE_NAMES[lang]);
    return L->c->language != NULL ? 0 : oom(L);
}

static int load_designs(loader *L, const config_setting_t *root)
{
    config_setting_t *g;
    int rc = get_group(L, root, "designs", 0, &g);
    if (rc != 1)
        return rc;
    we_designs_cfg *dc = &L->c->designs;
    if (check_keys(L, g, DESIGNS_KEYS, N_OF(DESIGNS_KEYS)) != 0 ||
        get_enum(L, g, "cs_control", 0, CS_CONTROL_NAMES,
                 N_OF(CS_CONTROL_NAMES), &dc->cs_not_yet) < 0 ||
        get_count(L, g, "cs_bootstrap_reps", 0, 99999, &dc->cs_boot_reps) <
            0 ||
        get_count(L, g, "sdid_reps", 2, 99999, &dc->sdid_reps) < 0)
        return -1;
    return 0;
}

static int load_plugin_dirs(loader *L, const config_setting_t *root)
{
    we_config *c = L->c;
    config_setting_t *seq;
    int rc = get_seq(L, root, "plugin_dirs", 0, NULL, &seq);
    if (rc != 1)
        return rc;
    size_t n = (size_t)config_setting_length(seq);
    c->plugin_dirs = we_calloc(n, sizeof *c->plugin_dirs);
    if (c->plugin_dirs == NULL)
        return oom(L);
    for (size_t i = 0; i < n; i++) {
        const char *d = NULL;
        if (as_string(L, config_setting_get_elem(seq, (unsigned)i), &d) != 0)
            return -1;
        c->plugin_dirs[i] = resolve(c->dir, d);
        c->n_plugin_dirs = i + 1;
        if (c->plugin_dirs[i] == NULL)
            return oom(L);
    }
    return 0;
}

/* ---- isolation ---------------------------------------------------------- */

#define MAX_TIME_LIMIT 604800.0  /* a week, in seconds */
#define MIN_MEMORY_MB 64L        /* the child holds the host's data too */
#define MAX_MEMORY_MB 16777216L  /* 16 TiB */

/* Seconds of wall-clock time: a number from 0 (no limit) up to a week;
 * absent leaves *out as it is. */
static int get_time_limit(const loader *L, const config_setting_t *g,
                          double *out)
{
    config_setting_t *s;
    if (member(L, g, "time_limit", 0, &s) != 1)
        return 0;
    if (!config_setting_is_number(s))
        return type_error(L, s, "a number of seconds");
    double v = config_setting_type(s) == CONFIG_TYPE_FLOAT
                   ? config_setting_get_float(s)
                   : (double)config_setting_get_int64(s);
    if (!(v >= 0.0 && v <= MAX_TIME_LIMIT)) {
        char p[PATH_TEXT];
        setting_path(s, p, sizeof p);
        return fail_at(L->c, L->err, s, "'%s' = %g is out of range; give "
                       "a number of seconds up to %.0f, or 0 for no limit",
                       p, v, MAX_TIME_LIMIT);
    }
    *out = v;
    return 0;
}

static int get_memory_limit(const loader *L, const config_setting_t *g,
                            long *out)
{
    config_setting_t *s;
    if (member(L, g, "memory_limit_mb", 0, &s) != 1)
        return 0;
    int t = config_setting_type(s);
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
        return type_error(L, s, "an integer number of megabytes");
    long long v = config_setting_get_int64(s);
    if (v != 0 && (v < MIN_MEMORY_MB || v > MAX_MEMORY_MB)) {
        char p[PATH_TEXT];
        setting_path(s, p, sizeof p);
        return fail_at(L->c, L->err, s, "'%s' = %lld is out of range; give "
                       "megabytes from %ld to %ld, or 0 for no limit", p, v,
                       MIN_MEMORY_MB, MAX_MEMORY_MB);
    }
    *out = (long)v;
    return 0;
}

static int load_isolation(loader *L, const config_setting_t *root)
{
    config_setting_t *g;
    int rc = get_group(L, root, "isolation", 0, &g);
    if (rc != 1)
        return rc;
    we_isolation_cfg *ic = &L->c->isolation;
    if (check_keys(L, g, ISOLATION_KEYS, N_OF(ISOLATION_KEYS)) != 0 ||
        get_bool(L, g, "enabled", &ic->enabled) < 0 ||
        get_time_limit(L, g, &ic->time_limit) != 0 ||
        get_memory_limit(L, g, &ic->memory_limit_mb) != 0)
        return -1;
    return 0;
}

/* ---- early warning ------------------------------------------------------ */

static int load_ew_indicator(loader *L, const config_setting_t *t,
                             we_ew_indicator_cfg *out)
{
    const char *name = NULL;
    config_setting_t *w;
    if (!config_setting_is_group(t))
        return type_error(L, t, "a group { name; weight; }");
    out->line = (int)config_setting_source_line(t);
    out->weight = 1.0;
    if (check_keys(L, t, EW_INDICATOR_KEYS, N_OF(EW_INDICATOR_KEYS)) != 0 ||
        get_string(L, t, "name", 1, &name, NULL) != 1)
        return -1;
    if ((out->name = we_strdup(name)) == NULL)
        return oom(L);
    if (member(L, t, "weight", 0, &w) != 1)
        return 0;
    if (!config_setting_is_number(w))
        return type_error(L, w, "a number");
    out->weight = config_setting_type(w) == CONFIG_TYPE_FLOAT
                      ? config_setting_get_float(w)
                      : (double)config_setting_get_int64(w);
    if (!(out->weight > 0 && out->weight <= 1e6))
        return fail_at(L->c, L->err, w, "'early_warning' weight %g of '%s' "
                       "is out of range; give a positive weight, e.g. 1.0",
                       out->weight, out->name);
    return 0;
}

static int load_ew_indicators(loader *L, const config_setting_t *g,
                              we_early_warning_cfg *ew)
{
    config_setting_t *seq;
    if (get_seq(L, g, "indicators", 1, "list the composite's catalogue "
                "indicators, e.g. ( { name = \"verloedering_score\"; } )",
                &seq) != 1)
        return -1;
    size_t n = (size_t)config_setting_length(seq);
    if ((ew->indicators = we_calloc(n, sizeof *ew->indicators)) == NULL)
        return oom(L);
    for (size_t i = 0; i < n; i++) {
        const config_setting_t *t = config_setting_get_elem(seq, (unsigned)i);
        ew->n_indicators = i + 1;
        if (load_ew_indicator(L, t, &ew->indicators[i]) != 0)
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(ew->indicators[j].name, ew->indicators[i].name) == 0)
                return fail_at(L->c, L->err, t, "early_warning: indicator "
                               "'%s' is listed twice; list it once",
                               ew->indicators[i].name);
    }
    return 0;
}

static int load_early_warning(loader *L, const config_setting_t *root)
{
    config_setting_t *g, *a;
    int rc = get_group(L, root, "early_warning", 0, &g);
    if (rc != 1)
        return rc;
    we_early_warning_cfg *ew = &L->c->early_warning;
    ew->enabled = 1;
    ew->line = (int)config_setting_source_line(g);
    if (check_keys(L, g, EW_KEYS, N_OF(EW_KEYS)) != 0 ||
        load_ew_indicators(L, g, ew) != 0 ||
        get_count(L, g, "window", 4, 1000, &ew->window) < 0 ||
        get_enum(L, g, "test", 0, EW_TEST_NAMES, N_OF(EW_TEST_NAMES),
                 &ew->test) < 0)
        return -1;
    if (member(L, g, "alpha", 0, &a) != 1)
        return 0;
    if (!config_setting_is_number(a))
        return type_error(L, a, "a number");
    ew->alpha = config_setting_type(a) == CONFIG_TYPE_FLOAT
                    ? config_setting_get_float(a)
                    : (double)config_setting_get_int64(a);
    if (!(ew->alpha > 0.0 && ew->alpha <= 0.5))
        return fail_at(L->c, L->err, a, "'early_warning.alpha' = %g is out "
                       "of range; it must be in (0, 0.5], e.g. 0.05",
                       ew->alpha);
    return 0;
}

/* ---- displacement ------------------------------------------------------- */

static int load_displacement_indicators(loader *L, const config_setting_t *g,
                                        we_displacement_cfg *d)
{
    config_setting_t *seq;
    if (get_seq(L, g, "indicators", 1, "list the catalogue indicators to "
                "test, e.g. [\"misdrijven_per_1000\"]", &seq) != 1)
        return -1;
    size_t n = (size_t)config_setting_length(seq);
    d->indicators = we_calloc(n, sizeof *d->indicators);
    d->indicator_line = we_calloc(n, sizeof *d->indicator_line);
    if (d->indicators == NULL || d->indicator_line == NULL)
        return oom(L);
    for (size_t i = 0; i < n; i++) {
        const config_setting_t *t = config_setting_get_elem(seq, (unsigned)i);
        const char *name = NULL;
        if (as_string(L, t, &name) != 0)
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(d->indicators[j], name) == 0)
                return fail_at(L->c, L->err, t, "displacement: indicator "
                               "'%s' is listed twice; list it once", name);
        d->n_indicators = i + 1;
        d->indicator_line[i] = (int)config_setting_source_line(t);
        if ((d->indicators[i] = we_strdup(name)) == NULL)
            return oom(L);
    }
    return 0;
}

static int load_band(loader *L, const config_setting_t *g,
                     we_displacement_cfg *d)
{
    config_setting_t *b;
    int rc = member(L, g, "band_m", 0, &b);
    if (rc != 1 && L->c->centroids_path != NULL)
        return fail_at(L->c, L->err, g, "data.centroids needs "
                       "'displacement.band_m', the distance in metres "
                       "within which two centroids are neighbours, e.g. "
                       "band_m = 1500;");
    if (rc != 1)
        return 0;
    if (L->c->centroids_path == NULL)
        return fail_at(L->c, L->err, b, "'displacement.band_m' needs "
                       "data.centroids; with data.adjacency the file says "
                       "who neighbours whom, so remove band_m");
    if (!config_setting_is_number(b))
        return type_error(L, b, "a number");
    d->band_m = config_setting_type(b) == CONFIG_TYPE_FLOAT
                    ? config_setting_get_float(b)
                    : (double)config_setting_get_int64(b);
    if (!(d->band_m > 0 && d->band_m <= 100000))
        return fail_at(L->c, L->err, b, "'displacement.band_m' = %g is out "
                       "of range; give a distance in metres in (0, 100000], "
                       "e.g. 1500", d->band_m);
    return 0;
}

static int load_displacement(loader *L, const config_setting_t *root)
{
    config_setting_t *g;
    int rc = get_group(L, root, "displacement", 0, &g);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        if (L->c->centroids_path == NULL)
            return 0;
        return fail_at(L->c, L->err, root, "data.centroids needs a "
                       "'displacement' group with band_m (see "
                       "docs/config.md)");
    }
    we_displacement_cfg *d = &L->c->displacement;
    d->enabled = 1;
    d->line = (int)config_setting_source_line(g);
    if (check_keys(L, g, DISPLACEMENT_KEYS, N_OF(DISPLACEMENT_KEYS)) != 0)
        return -1;
    if (L->c->adjacency_path == NULL && L->c->centroids_path == NULL)
        return fail_at(L->c, L->err, g, "the 'displacement' group needs "
                       "neighbours: give data.adjacency (rows "
                       "area,neighbour) or data.centroids (rows area,x,y) "
                       "with band_m");
    return load_band(L, g, d) != 0 ||
                   load_displacement_indicators(L, g, d) != 0
               ? -1
               : 0;
}

/* ---- experiments -------------------------------------------------------- */

static int is_plugin_id(const char *s)
{
    for (const char *p = s; *p != '\0'; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_'))
            return 0;
    }
    return s[0] != '\0';
}

static int load_target(loader *L, const config_setting_t *t,
                       we_target_cfg *out)
{
    const char *name = NULL;
    int role = 0;
    if (!config_setting_is_group(t))
        return type_error(L, t, "a group { name; role; }");
    if (check_keys(L, t, TARGET_KEYS, N_OF(TARGET_KEYS)) != 0 ||
        get_string(L, t, "name", 1, &name, NULL) != 1 ||
        get_enum(L, t, "role", 1, ROLE_NAMES, N_OF(ROLE_NAMES), &role) != 1)
        return -1;
    out->role = (we_role)role;
    out->name = we_strdup(name);
    return out->name != NULL ? 0 : oom(L);
}

/* Indicator overrides: distinct names, exactly one primary. */
static int check_targets(const loader *L, const we_experiment_cfg *e,
                         const config_setting_t *seq)
{
    size_t n_primary = 0;
    for (size_t i = 0; i < e->n_targets; i++) {
        const config_setting_t *s = config_setting_get_elem(seq, (unsigned)i);
        n_primary += e->targets[i].role == WE_ROLE_PRIMARY;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(e->targets[j].name, e->targets[i].name) == 0)
                return fail_at(L->c, L->err, s, "indicator '%s' is listed "
                               "twice for plugin '%s'; list it once",
                               e->targets[i].name, e->plugin);
        }
    }
    if (n_primary != 1)
        return fail_at(L->c, L->err, seq, "plugin '%s' has %zu primary "
                       "indicators; mark exactly one with role = "
                       "\"primary\" and the others \"secondary\"",
                       e->plugin, n_primary);
    return 0;
}

static int load_targets(loader *L, const config_setting_t *g,
                        we_experiment_cfg *e)
{
    config_setting_t *seq;
    int rc = get_seq(L, g, "indicators", 0, "leave it out to use the "
                     "plugin's default indicators", &seq);
    if (rc != 1)
        return rc;
    size_t n = (size_t)config_setting_length(seq);
    e->targets = we_calloc(n, sizeof *e->targets);
    if (e->targets == NULL)
        return oom(L);
    for (size_t i = 0; i < n; i++) {
        e->n_targets = i + 1;
        if (load_target(L, config_setting_get_elem(seq, (unsigned)i),
                        &e->targets[i]) != 0)
            return -1;
    }
    return check_targets(L, e, seq);
}

static int load_covariates(loader *L, const config_setting_t *g,
                           we_matching_cfg *m)
{
    config_setting_t *seq;
    int rc = get_seq(L, g, "covariates", 0,
                     "list catalogue indicators, e.g. [\"woz_gemiddeld\"]",
                     &seq);
    if (rc != 1)
        return rc;
    size_t n = (size_t)config_setting_length(seq);
    m->covariates = we_calloc(n, sizeof *m->covariates);
    if (m->covariates == NULL)
        return oom(L);
    for (size_t i = 0; i < n; i++) {
        const char *v = NULL;
        if (as_string(L, config_setting_get_elem(seq, (unsigned)i), &v) != 0)
            return -1;
        if ((m->covariates[i] = we_strdup(v)) == NULL)
            return oom(L);
        m->n_covariates = i + 1;
    }
    return 1;
}

/* `municipalities = ["GM0599"]`: the experiment runs in these only. */
static int load_municipalities(loader *L, const config_setting_t *g,
                               we_experiment_cfg *e)
{
    config_setting_t *seq;
    int rc = get_seq(L, g, "municipalities", 0,
                     "list municipality codes, e.g. [\"GM0599\"]", &seq);
    if (rc != 1)
        return rc;
    size_t n = (size_t)config_setting_length(seq);
    if (n == 0)
        return fail_at(L->c, L->err, seq, "'municipalities' is empty; list "
                       "at least one code, or leave the key out to run in "
                       "all municipalities");
    e->municipalities = we_calloc(n, sizeof *e->municipalities);
    if (e->municipalities == NULL)
        return oom(L);
    for (size_t i = 0; i < n; i++) {
        config_setting_t *el = config_setting_get_elem(seq, (unsigned)i);
        const char *v = NULL;
        if (as_string(L, el, &v) != 0)
            return -1;
        if (!we_is_gm_code(v))
            return fail_at(L->c, L->err, el, "'%s' is not a municipality "
                           "code; write GM and four digits, e.g. \"GM0599\"",
                           v);
        if ((e->municipalities[i] = we_strdup(v)) == NULL)
            return oom(L);
        e->n_municipalities = i + 1;
    }
    return 1;
}

/* `comparison = "matched"` with its optional `matching` group. */
static int load_matching(loader *L, const config_setting_t *g,
                         we_experiment_cfg *e)
{
    int cmp = 0, method = 0;
    config_setting_t *mg;
    if (get_enum(L, g, "comparison", 0, EXP_COMPARISON_NAMES,
                 N_OF(EXP_COMPARISON_NAMES), &cmp) < 0)
        return -1;
    int rc = get_group(L, g, "matching", 0, &mg);
    if (rc < 0)
        return -1;
    we_matching_cfg *m = &e->matching;
    *m = (we_matching_cfg){.enabled = cmp == 1, .k = 3, .replace = 1};
    if (rc == 1 && cmp != 1)
        return fail_at(L->c, L->err, mg, "'matching' is only used with "
                       "comparison = \"matched\" in the same experiment");
    if (rc == 1 &&
        (check_keys(L, mg, MATCHING_KEYS, N_OF(MATCHING_KEYS)) != 0 ||
         get_enum(L, mg, "method", 0, MATCHING_METHOD_NAMES,
                  N_OF(MATCHING_METHOD_NAMES), &method) < 0 ||
         get_count(L, mg, "k", 1, 50, &m->k) < 0 ||
         get_bool(L, mg, "replace", &m->replace) < 0 ||
         get_bool(L, mg, "same_municipality", &m->same_municipality) < 0 ||
         load_covariates(L, mg, m) < 0))
        return -1;
    m->propensity = method == 1;
    return 0;
}

static int load_experiment(loader *L, config_setting_t *g, size_t k)
{
    we_experiment_cfg *e = &L->c->experiments[k];
    const char *id = NULL;
    config_setting_t *s;
    if (!config_setting_is_group(g))
        return type_error(L, g, "a group { plugin = \"...\"; }");
    e->line = (int)config_setting_source_line(g);
    if (check_keys(L, g, EXPERIMENT_KEYS, N_OF(EXPERIMENT_KEYS)) != 0 ||
        get_string(L, g, "plugin", 1, &id, &s) != 1)
        return -1;
    if (!is_plugin_id(id))
        return fail_at(L->c, L->err, s, "plugin id \"%s\" is not valid; ids "
                       "use only a-z, 0-9 and '_' and are not paths (add "
                       "directories to plugin_dirs instead)", id);
    for (size_t j = 0; j < k; j++) {
        if (strcmp(L->c->experiments[j].plugin, id) == 0)
            return fail_at(L->c, L->err, s, "plugin '%s' is listed twice in "
                           "'experiments' (first at line %d); list each "
                           "plugin once", id, L->c->experiments[j].line);
    }
    e->plugin = we_strdup(id);
    if (e->plugin == NULL)
        return oom(L);
    int design = 0;
    if (load_targets(L, g, e) != 0 ||
        get_group(L, g, "settings", 0, &e->settings) < 0 ||
        get_enum(L, g, "design", 0, DESIGN_NAMES, N_OF(DESIGN_NAMES),
                 &design) < 0 ||
        load_matching(L, g, e) != 0 || load_municipalities(L, g, e) < 0)
        return -1;
    e->design = (we_design_choice)design;
    e->time_limit = L->c->isolation.time_limit;
    e->memory_limit_mb = L->c->isolation.memory_limit_mb;
    if (get_time_limit(L, g, &e->time_limit) != 0 ||
        get_memory_limit(L, g, &e->memory_limit_mb) != 0)
        return -1;
    return 0;
}

static int load_experiments(loader *L, const config_setting_t *root)
{
    we_config *c = L->c;
    config_setting_t *seq;
    if (get_seq(L, root, "experiments", 1,
                "list at least one experiment, e.g. ( { plugin = "
                "\"samenhang\"; } )", &seq) != 1)
        return -1;
    size_t n = (size_t)config_setting_length(seq);
    c->experiments = we_calloc(n, sizeof *c->experiments);
    if (c->experiments == NULL)
        return oom(L);
    for (size_t i = 0; i < n; i++) {
        c->n_experiments = i + 1;
        if (load_experiment(L, config_setting_get_elem(seq, (unsigned)i),
                            i) != 0)
            return -1;
    }
    return 0;
}

/* ---- entry points ------------------------------------------------------- */

static int read_error(const loader *L, int saved_errno)
{
    const config_t *lc = &L->c->lc;
    if (config_error_type(lc) == CONFIG_ERR_FILE_IO)
        return we_errorf(L->err, "%s: cannot read the config file: %s; "
                         "check the path", L->c->path,
                         saved_errno != 0 ? strerror(saved_errno)
                                          : "I/O error");
    const char *file = config_error_file(lc);
    return we_errorf(L->err, "%s:%d: %s; fix the syntax (libconfig format, "
                     "see docs/config.md)", file != NULL ? file : L->c->path,
                     config_error_line(lc),
                     config_error_text(lc) != NULL ? config_error_text(lc)
                                                   : "parse error");
}

void we_config_set_defaults(we_config *c)
{
    c->comparison = WE_COMPARISON_UNTREATED;
    c->gap_reference = WE_GAP_MUNICIPALITY;
    c->gap_weighted = 1;
    c->alpha = 0.05;
    c->seed = 1;
    c->cluster = WE_CLUSTER_MUNICIPALITY;
    c->formats = WE_FORMAT_JSON | WE_FORMAT_CSV | WE_FORMAT_MD |
                 WE_FORMAT_HTML;
    c->designs = (we_designs_cfg){.cs_not_yet = 0, .cs_boot_reps = 999,
                                  .sdid_reps = 200};
    c->isolation = (we_isolation_cfg){.enabled = 1, .time_limit = 300,
                                      .memory_limit_mb = 4096};
    c->early_warning = (we_early_warning_cfg){.window = 8, .alpha = 0.05};
    c->inference = (we_inference_cfg){
        .method = WE_INFER_AUTO,
        .boot_reps = 9999,
        .boot_weights = 0,
        .perm_reps = 999,
        .perm_strata = 1,
        .event_min = -4,
        .event_max = 3,
        .event_boot_reps = 999,
        .adjust = WE_ADJUST_HOLM,
        .power = 0.8,
        .mde_sims = 200,
    };
}

static int load_all(loader *L, const char *path)
{
    we_config *c = L->c;
    c->path = we_strdup(path);
    c->dir = dir_of(path);
    if (c->path == NULL || c->dir == NULL)
        return oom(L);
    we_config_set_defaults(c);
    config_init(&c->lc);
    /* Lets libconfig find an included file, so that the refusal below
     * names it instead of failing to open it. */
    config_set_include_dir(&c->lc, c->dir);
    errno = 0;
    if (config_read_file(&c->lc, path) != CONFIG_TRUE)
        return read_error(L, errno);
    if (c->lc.num_filenames > 1)
        return we_errorf(L->err, "%s: @include \"%s\" is not supported; put "
                         "all settings in this one file, so that the run's "
                         "fingerprint (config_sha256) covers all of them",
                         path, c->lc.filenames[1]);
    if (we_sha256_file_hex(path, c->config_sha256, L->err) != 0)
        return -1;
    const config_setting_t *root = config_root_setting(&c->lc);
    if (check_keys(L, root, TOP_KEYS, N_OF(TOP_KEYS)) != 0 ||
        load_names(L, root) != 0 || load_data(L, root) != 0 ||
        load_periods(L, root) != 0 || load_treatment(L, root) != 0 ||
        load_comparison(L, root) != 0 || load_gap(L, root) != 0 ||
        load_inference(L, root) != 0 || load_output(L, root) != 0 ||
        load_plugin_dirs(L, root) != 0 || load_report(L, root) != 0 ||
        load_designs(L, root) != 0 ||
        load_isolation(L, root) != 0 || load_early_warning(L, root) != 0 ||
        load_displacement(L, root) != 0 ||
        load_experiments(L, root) != 0)
        return -1;
    return 0;
}

int we_config_load(we_config *c, const char *path, we_error *err)
{
    if (c == NULL)
        return we_errorf(err, "internal error: no config to fill");
    memset(c, 0, sizeof *c);
    if (path == NULL || path[0] == '\0')
        return we_errorf(err, "no config file given; pass the path of a "
                         ".cfg file (see docs/config.md)");
    loader L = {c, err, 0};
    if (load_all(&L, path) == 0)
        return 0;
    we_config_free(c);
    return -1;
}

void we_config_clear_areas(we_config *c)
{
    for (size_t i = 0; i < c->n_treated; i++) {
        free(c->treated[i].area);
        free(c->treated[i].wave);
    }
    free(c->treated);
    for (size_t i = 0; i < c->n_comparison_areas; i++)
        free(c->comparison_areas[i]);
    free(c->comparison_areas);
    c->treated = NULL;
    c->comparison_areas = NULL;
    c->n_treated = c->n_comparison_areas = 0;
}

void we_config_free(we_config *c)
{
    if (c == NULL)
        return;
    free(c->path);
    free(c->dir);
    free(c->name);
    free(c->title);
    free(c->areas_path);
    free(c->indicators_path);
    free(c->catalog_path);
    free(c->targets_path);
    free(c->costs_path);
    free(c->adjacency_path);
    free(c->centroids_path);
    for (size_t i = 0; i < c->displacement.n_indicators; i++)
        free(c->displacement.indicators[i]);
    free(c->displacement.indicators);
    free(c->displacement.indicator_line);
    free(c->followup);
    we_config_clear_areas(c);
    free(c->output_dir);
    for (size_t i = 0; i < c->n_plugin_dirs; i++)
        free(c->plugin_dirs[i]);
    free(c->plugin_dirs);
    for (size_t i = 0; i < c->n_experiments; i++) {
        we_experiment_cfg *e = &c->experiments[i];
        for (size_t j = 0; j < e->n_targets; j++)
            free(e->targets[j].name);
        free(e->targets);
        free(e->plugin);
        for (size_t j = 0; j < e->matching.n_covariates; j++)
            free(e->matching.covariates[j]);
        free(e->matching.covariates);
        for (size_t j = 0; j < e->n_municipalities; j++)
            free(e->municipalities[j]);
        free(e->municipalities);
    }
    for (size_t i = 0; i < c->early_warning.n_indicators; i++)
        free(c->early_warning.indicators[i].name);
    free(c->early_warning.indicators);
    free(c->language);
    free(c->experiments);
    free(c->treatment_path);
    /* config_init always creates a root, so a NULL root means lc was never
     * initialised (zeroed struct, or a load that failed before parsing). */
    if (c->lc.root != NULL)
        config_destroy(&c->lc);
    memset(c, 0, sizeof *c);
}

/* ---- plugin settings ---------------------------------------------------- */

static int setting_type_ok(we_setting_type want, int have)
{
    switch (want) {
    case WE_SETTING_INT:
        return have == CONFIG_TYPE_INT || have == CONFIG_TYPE_INT64;
    case WE_SETTING_DOUBLE:
        return have == CONFIG_TYPE_FLOAT || have == CONFIG_TYPE_INT ||
               have == CONFIG_TYPE_INT64;
    case WE_SETTING_STRING: return have == CONFIG_TYPE_STRING;
    case WE_SETTING_BOOL: return have == CONFIG_TYPE_BOOL;
    }
    return 0;
}

static const char *setting_type_name(we_setting_type t)
{
    switch (t) {
    case WE_SETTING_INT: return "an integer";
    case WE_SETTING_DOUBLE: return "a number";
    case WE_SETTING_STRING: return "a string";
    case WE_SETTING_BOOL: return "a boolean (true or false)";
    }
    return "of an unknown type";
}

static int unknown_setting(const we_config *c, const config_setting_t *m,
                           const we_setting_spec *spec, size_t n_spec,
                           const char *pid, we_error *err)
{
    if (n_spec == 0)
        return fail_at(c, err, m, "plugin '%s' has no setting '%s'; it "
                       "declares no settings, so remove its 'settings' "
                       "group", pid, config_setting_name(m));
    char list[LIST_TEXT] = "";
    for (size_t i = 0; i < n_spec; i++) {
        if (i > 0)
            append(list, sizeof list, ", ");
        append(list, sizeof list, spec[i].name);
    }
    return fail_at(c, err, m, "plugin '%s' has no setting '%s'; its "
                   "settings are: %s", pid, config_setting_name(m), list);
}

int we_config_check_settings(const we_config *c, const config_setting_t *s,
                             const we_setting_spec *spec, size_t n_spec,
                             const char *plugin_id, we_error *err)
{
    const char *pid = plugin_id != NULL ? plugin_id : "(unnamed)";
    if (s == NULL)
        return 0;
    if (!config_setting_is_group(s))
        return fail_at(c, err, s, "the settings of plugin '%s' must be a "
                       "group { ... }, not %s", pid,
                       type_name(config_setting_type(s)));
    for (int i = 0; i < config_setting_length(s); i++) {
        const config_setting_t *m = config_setting_get_elem(s, (unsigned)i);
        const char *name = config_setting_name(m);
        size_t k = 0;
        while (k < n_spec && strcmp(spec[k].name, name) != 0)
            k++;
        if (k == n_spec)
            return unknown_setting(c, m, spec, n_spec, pid, err);
        if (!setting_type_ok(spec[k].type, config_setting_type(m)))
            return fail_at(c, err, m, "setting '%s' of plugin '%s' must be "
                           "%s, not %s", name, pid,
                           setting_type_name(spec[k].type),
                           type_name(config_setting_type(m)));
    }
    return 0;
}
