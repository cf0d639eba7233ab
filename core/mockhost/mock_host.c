/* The mock host: a complete we_host table over an in-memory panel, with
 * host->estimate backed by the real core methods. See mock_host.h. */
#include "mock_host.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "methods/methods.h"
#include "util/error.h"

struct we_ctx {
    we_mock *mock;
};

typedef struct mock_area {
    char *code, *name, *municipality;
    double population;
} mock_area;

typedef struct mock_indicator {
    char *name;
    we_direction direction;
    double *values;
} mock_indicator;

typedef struct mock_target {
    char *name;
    we_role role;
} mock_target;

typedef struct mock_setting {
    char *name;
    we_setting_type type;
    long i;     /* int and bool */
    double d;
    char *s;
} mock_setting;

/* A growable array of `elem`-sized items. */
typedef struct vec {
    void *items;
    size_t n, cap;
} vec;

struct we_mock {
    struct we_ctx ctx;
    size_t n_areas, n_periods;
    int *periods;
    mock_area *areas;
    vec indicators;   /* mock_indicator */
    long *treated_from;
    signed char *comparison; /* -1 default, 0 out, 1 in */
    size_t baseline;
    size_t *followup; /* capacity n_periods */
    size_t n_followup;
    int followup_set;
    double alpha;
    uint64_t seed;
    we_mock_cluster cluster;
    vec targets;      /* mock_target; empty = descriptor's */
    vec settings;     /* mock_setting */
    const we_plugin_descriptor *desc; /* during we_mock_run only */
    vec results;      /* we_mock_result */
    vec metrics;      /* we_mock_metric */
    vec logs;         /* we_mock_log */
    char error[WE_ERROR_MAX];
    /* scratch for host->estimate, sized by the panel */
    unsigned char *in_sample;
    int *cluster_id;
    int *municipality_id;
    double *weight;
    double *ref;
};

/* Size of we_estimate in ABI 1.0: everything up to and including
 * `closing`. */
#define ESTIMATE_V1_0_SIZE (offsetof(we_estimate, closing) + sizeof(int))

static const char *const method_names[WE_METHOD_COUNT_] = {
    "pre_post", "gap", "did_2x2", "twfe"};

/* ---- small helpers ---------------------------------------------------- */

static void *vec_push(vec *v, size_t elem)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 8;
        void *p = realloc(v->items, cap * elem);
        if (p == NULL)
            return NULL;
        v->items = p;
        v->cap = cap;
    }
    void *slot = (char *)v->items + v->n * elem;
    memset(slot, 0, elem);
    v->n++;
    return slot;
}

static int setf(we_mock *m, int status, const char *fmt, ...) WE_PRINTF(3, 4);
static int setf(we_mock *m, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->error, sizeof m->error, fmt, ap);
    va_end(ap);
    return status;
}

static int is_identifier(const char *s)
{
    if (s == NULL || *s == '\0')
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return 0;
    return 1;
}

static int replace_string(char **dst, const char *src)
{
    char *copy = we_strdup(src != NULL ? src : "");
    if (copy == NULL)
        return WE_ENOMEM;
    free(*dst);
    *dst = copy;
    return WE_OK;
}

static mock_indicator *find_indicator(const we_mock *m, const char *name)
{
    mock_indicator *ind = m->indicators.items;
    for (size_t k = 0; name != NULL && k < m->indicators.n; k++)
        if (strcmp(ind[k].name, name) == 0)
            return &ind[k];
    return NULL;
}

static mock_setting *find_setting(const we_mock *m, const char *name)
{
    mock_setting *s = m->settings.items;
    for (size_t k = 0; name != NULL && k < m->settings.n; k++)
        if (strcmp(s[k].name, name) == 0)
            return &s[k];
    return NULL;
}

/* ---- lifetime --------------------------------------------------------- */

static void default_followup(we_mock *m)
{
    m->n_followup = 0;
    for (size_t t = m->baseline + 1; t < m->n_periods; t++)
        m->followup[m->n_followup++] = t;
}

static int alloc_panel(we_mock *m)
{
    size_t na = m->n_areas, np = m->n_periods;
    m->periods = we_calloc(np, sizeof *m->periods);
    m->areas = we_calloc(na, sizeof *m->areas);
    m->treated_from = we_calloc(na, sizeof *m->treated_from);
    m->comparison = we_calloc(na, sizeof *m->comparison);
    m->followup = we_calloc(np, sizeof *m->followup);
    m->in_sample = we_calloc(na, sizeof *m->in_sample);
    m->cluster_id = we_calloc(na, sizeof *m->cluster_id);
    m->municipality_id = we_calloc(na, sizeof *m->municipality_id);
    m->weight = we_calloc(na, sizeof *m->weight);
    m->ref = we_calloc(na * np, sizeof *m->ref);
    if (!m->periods || !m->areas || !m->treated_from || !m->comparison ||
        !m->followup || !m->in_sample || !m->cluster_id ||
        !m->municipality_id || !m->weight || !m->ref)
        return WE_ENOMEM;
    for (size_t a = 0; a < na; a++) {
        mock_area *ar = &m->areas[a];
        if (replace_string(&ar->code, "") || replace_string(&ar->name, "") ||
            replace_string(&ar->municipality, ""))
            return WE_ENOMEM;
        ar->population = NAN;
        m->treated_from[a] = -1;
        m->comparison[a] = -1;
    }
    return WE_OK;
}

we_mock *we_mock_new(size_t n_areas, const int *periods, size_t n_periods)
{
    if (n_areas == 0 || n_periods == 0 || periods == NULL ||
        n_areas > ((size_t)-1) / sizeof(double) / n_periods)
        return NULL;
    for (size_t t = 1; t < n_periods; t++)
        if (periods[t] <= periods[t - 1])
            return NULL;
    we_mock *m = calloc(1, sizeof *m);
    if (m == NULL)
        return NULL;
    m->ctx.mock = m;
    m->n_areas = n_areas;
    m->n_periods = n_periods;
    if (alloc_panel(m) != WE_OK) {
        we_mock_free(m);
        return NULL;
    }
    memcpy(m->periods, periods, n_periods * sizeof *periods);
    m->alpha = 0.05;
    m->seed = 1;
    m->cluster = WE_MOCK_CLUSTER_MUNICIPALITY;
    default_followup(m);
    return m;
}

static void clear_outputs(we_mock *m)
{
    we_mock_result *r = m->results.items;
    for (size_t k = 0; k < m->results.n; k++)
        free((char *)r[k].indicator);
    we_mock_metric *mt = m->metrics.items;
    for (size_t k = 0; k < m->metrics.n; k++) {
        free((char *)mt[k].name);
        free((char *)mt[k].unit);
        free((char *)mt[k].description);
    }
    we_mock_log *lg = m->logs.items;
    for (size_t k = 0; k < m->logs.n; k++)
        free((char *)lg[k].message);
    m->results.n = m->metrics.n = m->logs.n = 0;
    m->error[0] = '\0';
}

static void clear_targets(we_mock *m)
{
    mock_target *t = m->targets.items;
    for (size_t k = 0; k < m->targets.n; k++)
        free(t[k].name);
    m->targets.n = 0;
}

void we_mock_free(we_mock *m)
{
    if (m == NULL)
        return;
    clear_outputs(m);
    clear_targets(m);
    for (size_t a = 0; m->areas != NULL && a < m->n_areas; a++) {
        free(m->areas[a].code);
        free(m->areas[a].name);
        free(m->areas[a].municipality);
    }
    mock_indicator *ind = m->indicators.items;
    for (size_t k = 0; k < m->indicators.n; k++) {
        free(ind[k].name);
        free(ind[k].values);
    }
    mock_setting *s = m->settings.items;
    for (size_t k = 0; k < m->settings.n; k++) {
        free(s[k].name);
        free(s[k].s);
    }
    free(m->indicators.items);
    free(m->settings.items);
    free(m->targets.items);
    free(m->results.items);
    free(m->metrics.items);
    free(m->logs.items);
    free(m->periods);
    free(m->areas);
    free(m->treated_from);
    free(m->comparison);
    free(m->followup);
    free(m->in_sample);
    free(m->cluster_id);
    free(m->municipality_id);
    free(m->weight);
    free(m->ref);
    free(m);
}

/* ---- panel setters ---------------------------------------------------- */

static int check_area(we_mock *m, size_t area, const char *what)
{
    if (area >= m->n_areas)
        return setf(m, WE_EINVAL,
                    "%s: area %zu is out of range; the mock has %zu areas",
                    what, area, m->n_areas);
    return WE_OK;
}

int we_mock_set_area_code(we_mock *m, size_t area, const char *code)
{
    int rc = check_area(m, area, "we_mock_set_area_code");
    return rc ? rc : replace_string(&m->areas[area].code, code);
}

int we_mock_set_area_name(we_mock *m, size_t area, const char *name)
{
    int rc = check_area(m, area, "we_mock_set_area_name");
    return rc ? rc : replace_string(&m->areas[area].name, name);
}

int we_mock_set_area_municipality(we_mock *m, size_t area,
                                  const char *municipality)
{
    int rc = check_area(m, area, "we_mock_set_area_municipality");
    return rc ? rc : replace_string(&m->areas[area].municipality,
                                    municipality);
}

int we_mock_set_area_population(we_mock *m, size_t area, double population)
{
    int rc = check_area(m, area, "we_mock_set_area_population");
    if (rc == WE_OK)
        m->areas[area].population = population;
    return rc;
}

int we_mock_set_indicator(we_mock *m, const char *name,
                          we_direction direction, const double *values)
{
    if (name == NULL || values == NULL)
        return setf(m, WE_EINVAL, "we_mock_set_indicator: name and values "
                                  "must not be NULL");
    if (direction < WE_LOWER_IS_BETTER || direction > WE_HIGHER_IS_BETTER)
        return setf(m, WE_EINVAL, "we_mock_set_indicator: '%s' has an "
                                  "invalid direction %d", name, direction);
    size_t n = m->n_areas * m->n_periods;
    double *copy = malloc(n * sizeof *copy);
    if (copy == NULL)
        return WE_ENOMEM;
    memcpy(copy, values, n * sizeof *copy);
    mock_indicator *ind = find_indicator(m, name);
    if (ind == NULL) {
        char *nm = we_strdup(name);
        ind = nm ? vec_push(&m->indicators, sizeof *ind) : NULL;
        if (ind == NULL) {
            free(nm);
            free(copy);
            return WE_ENOMEM;
        }
        ind->name = nm;
    }
    free(ind->values);
    ind->values = copy;
    ind->direction = direction;
    return WE_OK;
}

int we_mock_remove_indicator(we_mock *m, const char *name)
{
    mock_indicator *ind = find_indicator(m, name);
    if (ind == NULL)
        return setf(m, WE_ENOTFOUND, "we_mock_remove_indicator: no "
                                     "indicator '%s'", name ? name : "");
    mock_indicator *all = m->indicators.items;
    size_t k = (size_t)(ind - all);
    free(ind->name);
    free(ind->values);
    memmove(&all[k], &all[k + 1], (m->indicators.n - k - 1) * sizeof *all);
    m->indicators.n--;
    return WE_OK;
}

/* ---- design setters --------------------------------------------------- */

int we_mock_set_treated(we_mock *m, size_t area, size_t period_index)
{
    int rc = check_area(m, area, "we_mock_set_treated");
    if (rc)
        return rc;
    if (period_index >= m->n_periods)
        return setf(m, WE_EINVAL, "we_mock_set_treated: period index %zu "
                    "is out of range; the mock has %zu periods",
                    period_index, m->n_periods);
    m->treated_from[area] = (long)period_index;
    return WE_OK;
}

int we_mock_set_comparison(we_mock *m, size_t area, int in_comparison)
{
    int rc = check_area(m, area, "we_mock_set_comparison");
    if (rc == WE_OK)
        m->comparison[area] = in_comparison ? 1 : 0;
    return rc;
}

int we_mock_set_baseline(we_mock *m, size_t t)
{
    if (t >= m->n_periods)
        return setf(m, WE_EINVAL, "we_mock_set_baseline: period index %zu "
                    "is out of range; the mock has %zu periods", t,
                    m->n_periods);
    m->baseline = t;
    if (!m->followup_set)
        default_followup(m);
    return WE_OK;
}

int we_mock_set_followup(we_mock *m, const size_t *idx, size_t n)
{
    if (n == 0 || idx == NULL || n > m->n_periods)
        return setf(m, WE_EINVAL, "we_mock_set_followup: give 1 to %zu "
                    "period indices", m->n_periods);
    for (size_t k = 0; k < n; k++)
        if (idx[k] >= m->n_periods || (k > 0 && idx[k] <= idx[k - 1]))
            return setf(m, WE_EINVAL, "we_mock_set_followup: index %zu "
                        "(%zu) is out of range or not ascending", k, idx[k]);
    memcpy(m->followup, idx, n * sizeof *idx);
    m->n_followup = n;
    m->followup_set = 1;
    return WE_OK;
}

int we_mock_set_alpha(we_mock *m, double alpha)
{
    if (!(alpha > 0.0 && alpha < 1.0))
        return setf(m, WE_EINVAL, "we_mock_set_alpha: %g is not in (0, 1)",
                    alpha);
    m->alpha = alpha;
    return WE_OK;
}

void we_mock_set_seed(we_mock *m, uint64_t seed) { m->seed = seed; }

void we_mock_set_cluster(we_mock *m, we_mock_cluster cluster)
{
    m->cluster = cluster;
}

int we_mock_set_targets(we_mock *m, const we_indicator_spec *targets,
                        size_t n)
{
    clear_targets(m);
    for (size_t k = 0; k < n; k++) {
        if (targets == NULL || !is_identifier(targets[k].name))
            return setf(m, WE_EINVAL, "we_mock_set_targets: target %zu has "
                                      "no valid name", k);
        char *nm = we_strdup(targets[k].name);
        mock_target *t = nm ? vec_push(&m->targets, sizeof *t) : NULL;
        if (t == NULL) {
            free(nm);
            return WE_ENOMEM;
        }
        t->name = nm;
        t->role = targets[k].role;
    }
    return WE_OK;
}

/* ---- settings --------------------------------------------------------- */

/* The setting called `name`, new or emptied for a new value. */
static int setting_slot(we_mock *m, const char *name, mock_setting **out)
{
    if (!is_identifier(name))
        return setf(m, WE_EINVAL, "setting name '%s' is not [a-z0-9_]+",
                    name ? name : "");
    mock_setting *s = find_setting(m, name);
    if (s != NULL) {
        free(s->s);
        s->s = NULL;
        *out = s;
        return WE_OK;
    }
    char *nm = we_strdup(name);
    s = nm ? vec_push(&m->settings, sizeof *s) : NULL;
    if (s == NULL) {
        free(nm);
        return setf(m, WE_ENOMEM, "out of memory");
    }
    s->name = nm;
    *out = s;
    return WE_OK;
}

int we_mock_set_setting_int(we_mock *m, const char *name, long value)
{
    mock_setting *s = NULL;
    int rc = setting_slot(m, name, &s);
    if (rc != WE_OK)
        return rc;
    s->type = WE_SETTING_INT;
    s->i = value;
    return WE_OK;
}

int we_mock_set_setting_double(we_mock *m, const char *name, double value)
{
    mock_setting *s = NULL;
    int rc = setting_slot(m, name, &s);
    if (rc != WE_OK)
        return rc;
    s->type = WE_SETTING_DOUBLE;
    s->d = value;
    return WE_OK;
}

int we_mock_set_setting_string(we_mock *m, const char *name,
                               const char *value)
{
    mock_setting *s = NULL;
    int rc = setting_slot(m, name, &s);
    if (rc != WE_OK)
        return rc;
    s->type = WE_SETTING_STRING;
    return replace_string(&s->s, value);
}

int we_mock_set_setting_bool(we_mock *m, const char *name, int value)
{
    mock_setting *s = NULL;
    int rc = setting_slot(m, name, &s);
    if (rc != WE_OK)
        return rc;
    s->type = WE_SETTING_BOOL;
    s->i = value ? 1 : 0;
    return WE_OK;
}

/* ---- host table: messages and settings -------------------------------- */

static void push_log(we_mock *m, we_log_level level, const char *fmt,
                     va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *msg = len >= 0 ? malloc((size_t)len + 1) : NULL;
    we_mock_log *lg = msg ? vec_push(&m->logs, sizeof *lg) : NULL;
    if (lg == NULL) {
        free(msg);
        return;
    }
    vsnprintf(msg, (size_t)len + 1, fmt, ap);
    lg->level = level;
    lg->message = msg;
}

static void mock_logf(we_mock *m, we_log_level level, const char *fmt, ...)
    WE_PRINTF(3, 4);
static void mock_logf(we_mock *m, we_log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    push_log(m, level, fmt, ap);
    va_end(ap);
}

static void host_log(we_ctx *ctx, we_log_level level, const char *fmt, ...)
    WE_PRINTF(3, 4);
static void host_log(we_ctx *ctx, we_log_level level, const char *fmt, ...)
{
    if (ctx == NULL || fmt == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    push_log(ctx->mock, level, fmt, ap);
    va_end(ap);
}

static int host_fail(we_ctx *ctx, const char *fmt, ...) WE_PRINTF(2, 3);
static int host_fail(we_ctx *ctx, const char *fmt, ...)
{
    if (ctx == NULL || fmt == NULL)
        return WE_EPLUGIN;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->mock->error, sizeof ctx->mock->error, fmt, ap);
    va_end(ap);
    return WE_EPLUGIN;
}

static int get_setting(we_ctx *ctx, const char *name, we_setting_type type,
                       const mock_setting **out)
{
    const mock_setting *s = find_setting(ctx->mock, name);
    if (s == NULL)
        return WE_ENOTFOUND;
    int widen = type == WE_SETTING_DOUBLE && s->type == WE_SETTING_INT;
    if (s->type != type && !widen)
        return WE_ETYPE;
    *out = s;
    return WE_OK;
}

static int host_setting_int(we_ctx *ctx, const char *name, long *out)
{
    const mock_setting *s = NULL;
    int rc = get_setting(ctx, name, WE_SETTING_INT, &s);
    if (rc == WE_OK && out != NULL)
        *out = s->i;
    return rc;
}

static int host_setting_double(we_ctx *ctx, const char *name, double *out)
{
    const mock_setting *s = NULL;
    int rc = get_setting(ctx, name, WE_SETTING_DOUBLE, &s);
    if (rc == WE_OK && out != NULL)
        *out = s->type == WE_SETTING_INT ? (double)s->i : s->d;
    return rc;
}

static int host_setting_string(we_ctx *ctx, const char *name,
                               const char **out)
{
    const mock_setting *s = NULL;
    int rc = get_setting(ctx, name, WE_SETTING_STRING, &s);
    if (rc == WE_OK && out != NULL)
        *out = s->s;
    return rc;
}

static int host_setting_bool(we_ctx *ctx, const char *name, int *out)
{
    const mock_setting *s = NULL;
    int rc = get_setting(ctx, name, WE_SETTING_BOOL, &s);
    if (rc == WE_OK && out != NULL)
        *out = (int)s->i;
    return rc;
}

/* ---- host table: panel and design ------------------------------------- */

static size_t host_n_areas(we_ctx *ctx) { return ctx->mock->n_areas; }
static size_t host_n_periods(we_ctx *ctx) { return ctx->mock->n_periods; }

static int host_period(we_ctx *ctx, size_t t)
{
    return t < ctx->mock->n_periods ? ctx->mock->periods[t] : 0;
}

static const mock_area *area_at(we_ctx *ctx, size_t area)
{
    return area < ctx->mock->n_areas ? &ctx->mock->areas[area] : NULL;
}

static const char *host_area_code(we_ctx *ctx, size_t area)
{
    const mock_area *a = area_at(ctx, area);
    return a ? a->code : NULL;
}

static const char *host_area_name(we_ctx *ctx, size_t area)
{
    const mock_area *a = area_at(ctx, area);
    return a ? a->name : NULL;
}

static const char *host_area_municipality(we_ctx *ctx, size_t area)
{
    const mock_area *a = area_at(ctx, area);
    return a ? a->municipality : NULL;
}

static double host_area_population(we_ctx *ctx, size_t area)
{
    const mock_area *a = area_at(ctx, area);
    return a ? a->population : NAN;
}

static const double *host_indicator(we_ctx *ctx, const char *name)
{
    const mock_indicator *ind = find_indicator(ctx->mock, name);
    return ind ? ind->values : NULL;
}

static we_direction host_direction(we_ctx *ctx, const char *name)
{
    const mock_indicator *ind = find_indicator(ctx->mock, name);
    return ind ? ind->direction : WE_DIRECTION_FROM_CATALOG;
}

static long host_treated_from(we_ctx *ctx, size_t area)
{
    return area < ctx->mock->n_areas ? ctx->mock->treated_from[area] : -1;
}

static int host_is_comparison(we_ctx *ctx, size_t area)
{
    const we_mock *m = ctx->mock;
    if (area >= m->n_areas || m->treated_from[area] >= 0)
        return 0;
    return m->comparison[area] != 0;
}

static size_t host_baseline(we_ctx *ctx) { return ctx->mock->baseline; }

static size_t host_latest(we_ctx *ctx)
{
    const we_mock *m = ctx->mock;
    return m->n_followup ? m->followup[m->n_followup - 1] : m->baseline;
}

static double host_alpha(we_ctx *ctx) { return ctx->mock->alpha; }
static uint64_t host_seed(we_ctx *ctx) { return ctx->mock->seed; }

static size_t host_n_targets(we_ctx *ctx)
{
    const we_mock *m = ctx->mock;
    if (m->targets.n > 0)
        return m->targets.n;
    return m->desc ? m->desc->n_indicators : 0;
}

static const char *host_target_name(we_ctx *ctx, size_t k)
{
    const we_mock *m = ctx->mock;
    if (k >= host_n_targets(ctx))
        return NULL;
    if (m->targets.n > 0)
        return ((const mock_target *)m->targets.items)[k].name;
    return m->desc->indicators[k].name;
}

static we_role host_target_role(we_ctx *ctx, size_t k)
{
    const we_mock *m = ctx->mock;
    if (k >= host_n_targets(ctx))
        return WE_ROLE_SECONDARY;
    if (m->targets.n > 0)
        return ((const mock_target *)m->targets.items)[k].role;
    return m->desc->indicators[k].role;
}

/* ---- host table: estimate --------------------------------------------- */

/* A plugin built against an older header has a shorter we_estimate: copy
 * at most its struct_size, as the real host does. */
static void copy_estimate(we_estimate *dst, const we_estimate *src)
{
    uint32_t size = dst->struct_size;
    memcpy(dst, src, size < sizeof *src ? size : sizeof *src);
    dst->struct_size = size;
}

static int is_target(we_ctx *ctx, const char *name)
{
    for (size_t k = 0; name != NULL && k < host_n_targets(ctx); k++)
        if (strcmp(host_target_name(ctx, k), name) == 0)
            return 1;
    return 0;
}

/* Dense ids for equal municipality strings, in order of first appearance. */
static void municipality_ids(we_mock *m)
{
    int next = 0;
    for (size_t a = 0; a < m->n_areas; a++) {
        m->municipality_id[a] = -1;
        for (size_t b = 0; b < a; b++)
            if (strcmp(m->areas[a].municipality,
                       m->areas[b].municipality) == 0) {
                m->municipality_id[a] = m->municipality_id[b];
                break;
            }
        if (m->municipality_id[a] < 0)
            m->municipality_id[a] = next++;
    }
}

static void build_design(we_mock *m, we_design *d)
{
    municipality_ids(m);
    for (size_t a = 0; a < m->n_areas; a++) {
        m->in_sample[a] = m->treated_from[a] >= 0 ||
                          host_is_comparison(&m->ctx, a);
        m->cluster_id[a] = m->cluster == WE_MOCK_CLUSTER_AREA
                               ? (int)a
                               : m->municipality_id[a];
    }
    *d = (we_design){.n_areas = m->n_areas,
                     .n_periods = m->n_periods,
                     .treated_from = m->treated_from,
                     .in_sample = m->in_sample,
                     .cluster = m->cluster_id,
                     .baseline = m->baseline,
                     .followup = m->followup,
                     .n_followup = m->n_followup,
                     .alpha = m->alpha};
}

/* Population weights, but only when every area has a positive population:
 * a partly weighted mean would mix two definitions of the reference. */
static const double *population_weights(we_mock *m)
{
    for (size_t a = 0; a < m->n_areas; a++) {
        double p = m->areas[a].population;
        if (!(isfinite(p) && p > 0.0))
            return NULL;
        m->weight[a] = p;
    }
    return m->weight;
}

static int host_estimate(we_ctx *ctx, const char *name, we_method method,
                         we_estimate *out)
{
    we_mock *m = ctx->mock;
    if (out == NULL || out->struct_size < ESTIMATE_V1_0_SIZE ||
        (int)method < 0 || method >= WE_METHOD_COUNT_)
        return setf(m, WE_EINVAL, "estimate(%s): unknown method, or out is "
                    "NULL or its struct_size is too small",
                    name ? name : "(null)");
    const mock_indicator *ind = find_indicator(m, name);
    if (ind == NULL)
        return setf(m, WE_ENOTFOUND, "estimate: indicator '%s' has no data "
                    "in this panel", name ? name : "(null)");
    we_design d;
    we_error err = {{0}};
    build_design(m, &d);
    const double *ref = NULL;
    if (method == WE_METHOD_GAP) {
        int rc = we_gap_reference(ind->values, m->n_areas, m->n_periods,
                                  m->municipality_id, population_weights(m),
                                  m->ref, &err);
        if (rc != WE_OK) {
            mock_logf(m, WE_LOG_DEBUG, "estimate(%s, gap): %s", name,
                      err.msg);
            return rc < 0 ? rc : WE_EPLUGIN;
        }
        ref = m->ref;
    }
    we_estimate e = {.struct_size = sizeof e};
    int rc = we_method_run(method, ind->values, ref, &d, ind->direction, &e,
                           &err);
    if (rc != WE_OK) {
        mock_logf(m, WE_LOG_DEBUG, "estimate(%s, %s): %s", name,
                  method_names[method], err.msg);
        return rc < 0 ? rc : WE_EPLUGIN;
    }
    copy_estimate(out, &e);
    return WE_OK;
}

/* ---- host table: results ---------------------------------------------- */

static int host_emit_result(we_ctx *ctx, const char *indicator, we_role role,
                            const we_estimate *est)
{
    we_mock *m = ctx->mock;
    if (est == NULL || est->struct_size < ESTIMATE_V1_0_SIZE)
        return setf(m, WE_EINVAL, "emit_result: estimate is NULL or its "
                    "struct_size is too small");
    if (!is_target(ctx, indicator))
        return setf(m, WE_EINVAL, "emit_result: '%s' is not one of this "
                    "experiment's indicators",
                    indicator ? indicator : "(null)");
    if (!isfinite(est->estimate) || (int)est->method < 0 ||
        est->method >= WE_METHOD_COUNT_ ||
        (role != WE_ROLE_PRIMARY && role != WE_ROLE_SECONDARY))
        return setf(m, WE_EINVAL, "emit_result: %s: the estimate is not "
                    "finite, or the method or role is unknown", indicator);
    char *nm = we_strdup(indicator);
    we_mock_result *r = nm ? vec_push(&m->results, sizeof *r) : NULL;
    if (r == NULL) {
        free(nm);
        return WE_ENOMEM;
    }
    r->indicator = nm;
    r->role = role;
    r->est.struct_size = sizeof r->est;
    copy_estimate(&r->est, est);
    r->est.struct_size = sizeof r->est;
    return WE_OK;
}

static int host_emit_metric(we_ctx *ctx, const char *name, double value,
                            const char *unit, const char *description)
{
    we_mock *m = ctx->mock;
    if (!is_identifier(name) || unit == NULL || *unit == '\0' ||
        description == NULL || *description == '\0')
        return setf(m, WE_EINVAL, "emit_metric(%s): the name must be "
                    "snake_case, unit and description non-empty",
                    name ? name : "(null)");
    if (!isfinite(value))
        return setf(m, WE_EINVAL, "emit_metric: %s is not finite", name);
    we_mock_metric copy = {we_strdup(name), value, we_strdup(unit),
                           we_strdup(description)};
    we_mock_metric *mt = copy.name && copy.unit && copy.description
                             ? vec_push(&m->metrics, sizeof *mt)
                             : NULL;
    if (mt == NULL) {
        free((char *)copy.name);
        free((char *)copy.unit);
        free((char *)copy.description);
        return WE_ENOMEM;
    }
    *mt = copy;
    return WE_OK;
}

static const we_host mock_host_table = {
    .abi_major = WE_ABI_MAJOR,
    .abi_minor = WE_ABI_MINOR,
    .struct_size = sizeof(we_host),
    .log = host_log,
    .fail = host_fail,
    .setting_int = host_setting_int,
    .setting_double = host_setting_double,
    .setting_string = host_setting_string,
    .setting_bool = host_setting_bool,
    .n_areas = host_n_areas,
    .n_periods = host_n_periods,
    .period = host_period,
    .area_code = host_area_code,
    .area_name = host_area_name,
    .area_municipality = host_area_municipality,
    .area_population = host_area_population,
    .indicator = host_indicator,
    .direction = host_direction,
    .treated_from = host_treated_from,
    .is_comparison = host_is_comparison,
    .baseline = host_baseline,
    .latest = host_latest,
    .alpha = host_alpha,
    .seed = host_seed,
    .n_targets = host_n_targets,
    .target_name = host_target_name,
    .target_role = host_target_role,
    .estimate = host_estimate,
    .emit_result = host_emit_result,
    .emit_metric = host_emit_metric,
};

const we_host *we_mock_host(we_mock *m)
{
    (void)m;
    return &mock_host_table;
}

we_ctx *we_mock_ctx(we_mock *m) { return m ? &m->ctx : NULL; }

/* ---- descriptor checks ------------------------------------------------ */

static int msgf(char *msg, size_t size, int status, const char *fmt, ...)
    WE_PRINTF(4, 5);
static int msgf(char *msg, size_t size, int status, const char *fmt, ...)
{
    if (msg != NULL && size > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, size, fmt, ap);
        va_end(ap);
    }
    return status;
}

static int check_header(const we_plugin_descriptor *d, char *msg, size_t n)
{
    if (d == NULL)
        return msgf(msg, n, WE_EINVAL, "the plugin returned no descriptor");
    if (d->abi_major != WE_ABI_MAJOR || d->abi_minor > WE_ABI_MINOR)
        return msgf(msg, n, WE_EINVAL, "plugin ABI %u.%u does not fit host "
                    "ABI %d.%d; rebuild the plugin against this plugin.h",
                    d->abi_major, d->abi_minor, WE_ABI_MAJOR, WE_ABI_MINOR);
    if (d->struct_size < sizeof(we_plugin_descriptor))
        return msgf(msg, n, WE_EINVAL, "descriptor struct_size %u is "
                    "smaller than %zu; use WE_DESCRIPTOR_HEADER",
                    d->struct_size, sizeof(we_plugin_descriptor));
    if (!is_identifier(d->id))
        return msgf(msg, n, WE_EINVAL, "plugin id '%s' is not [a-z0-9_]+",
                    d->id ? d->id : "");
    if (!d->title_nl || !*d->title_nl || !d->title_en || !*d->title_en ||
        !d->version || !*d->version || !d->summary || !*d->summary)
        return msgf(msg, n, WE_EINVAL, "plugin '%s': title_nl, title_en, "
                    "version and summary must all be set", d->id);
    if (d->evaluate == NULL)
        return msgf(msg, n, WE_EINVAL, "plugin '%s' has no evaluate "
                    "callback", d->id);
    return WE_OK;
}

static int check_indicators(const we_plugin_descriptor *d, char *msg,
                            size_t n)
{
    if (d->n_indicators == 0 || d->indicators == NULL)
        return msgf(msg, n, WE_EINVAL, "plugin '%s' declares no indicators",
                    d->id);
    size_t primaries = 0;
    for (size_t k = 0; k < d->n_indicators; k++) {
        const we_indicator_spec *s = &d->indicators[k];
        if (!is_identifier(s->name))
            return msgf(msg, n, WE_EINVAL, "plugin '%s': indicator %zu has "
                        "no valid name", d->id, k);
        if ((s->role != WE_ROLE_PRIMARY && s->role != WE_ROLE_SECONDARY) ||
            s->direction < WE_LOWER_IS_BETTER ||
            s->direction > WE_HIGHER_IS_BETTER)
            return msgf(msg, n, WE_EINVAL, "plugin '%s': indicator '%s' has "
                        "an invalid role or direction", d->id, s->name);
        for (size_t j = 0; j < k; j++)
            if (strcmp(d->indicators[j].name, s->name) == 0)
                return msgf(msg, n, WE_EINVAL, "plugin '%s': indicator '%s' "
                            "is declared twice", d->id, s->name);
        primaries += s->role == WE_ROLE_PRIMARY;
    }
    if (primaries != 1)
        return msgf(msg, n, WE_EINVAL, "plugin '%s' declares %zu primary "
                    "indicators; declare exactly one", d->id, primaries);
    return WE_OK;
}

static int check_setting_specs(const we_plugin_descriptor *d, char *msg,
                               size_t n)
{
    if (d->n_settings > 0 && d->settings == NULL)
        return msgf(msg, n, WE_EINVAL, "plugin '%s': n_settings is %zu but "
                    "settings is NULL", d->id, d->n_settings);
    for (size_t k = 0; k < d->n_settings; k++) {
        const we_setting_spec *s = &d->settings[k];
        if (!is_identifier(s->name) || (int)s->type < (int)WE_SETTING_INT ||
            s->type > WE_SETTING_BOOL || !s->description || !*s->description)
            return msgf(msg, n, WE_EINVAL, "plugin '%s': setting %zu needs a "
                        "[a-z0-9_]+ name, a valid type and a description",
                        d->id, k);
        for (size_t j = 0; j < k; j++)
            if (strcmp(d->settings[j].name, s->name) == 0)
                return msgf(msg, n, WE_EINVAL, "plugin '%s': setting '%s' is "
                            "declared twice", d->id, s->name);
    }
    return WE_OK;
}

/* Splits one CSV record in place (RFC 4180 quoting, no embedded newlines);
 * returns the number of fields, at most `max`. */
static size_t csv_split(char *line, char **fields, size_t max)
{
    size_t n = 0;
    char *r = line;
    while (n < max) {
        char *w = r;
        fields[n++] = w;
        if (*r == '"') {
            for (r++; *r; r++) {
                if (*r == '"' && r[1] == '"')
                    *w++ = *r++;
                else if (*r == '"')
                    break;
                else
                    *w++ = *r;
            }
            if (*r == '"')
                r++;
        }
        while (*r && *r != ',')
            *w++ = *r++;
        int more = *r == ',';
        *w = '\0';
        if (!more)
            break;
        r++;
    }
    return n;
}

enum { CSV_MAX_FIELDS = 64 };

/* Direction of `name` in the catalogue CSV: 1/-1, 0 if absent, or a
 * negative status (the message says why). */
static int catalog_direction(FILE *f, const char *path, const char *name,
                             int *dir, char *msg, size_t n)
{
    char *line = NULL, *fields[CSV_MAX_FIELDS];
    size_t cap = 0, col_ind = (size_t)-1, col_dir = (size_t)-1, lineno = 0;
    int rc = WE_OK;
    *dir = 0;
    rewind(f);
    while (rc == WE_OK && *dir == 0 && getline(&line, &cap, f) > 0) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        size_t nf = csv_split(line, fields, CSV_MAX_FIELDS);
        for (size_t k = 0; lineno == 1 && k < nf; k++) {
            if (strcmp(fields[k], "indicator") == 0)
                col_ind = k;
            if (strcmp(fields[k], "direction") == 0)
                col_dir = k;
        }
        if (lineno == 1 && (col_ind == (size_t)-1 || col_dir == (size_t)-1))
            rc = msgf(msg, n, WE_EINVAL, "%s:1:1: no 'indicator' and "
                      "'direction' columns; is this the catalogue?", path);
        if (lineno == 1 || rc != WE_OK || col_ind >= nf || col_dir >= nf ||
            strcmp(fields[col_ind], name) != 0)
            continue;
        if (strcmp(fields[col_dir], "higher_is_better") == 0)
            *dir = WE_HIGHER_IS_BETTER;
        else if (strcmp(fields[col_dir], "lower_is_better") == 0)
            *dir = WE_LOWER_IS_BETTER;
        else
            rc = msgf(msg, n, WE_EINVAL, "%s:%zu: direction '%s' is neither "
                      "higher_is_better nor lower_is_better", path, lineno,
                      fields[col_dir]);
    }
    free(line);
    return rc;
}

static int check_catalog(const we_plugin_descriptor *d, const char *path,
                         char *msg, size_t n)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return msgf(msg, n, WE_ENOTFOUND, "%s: cannot open the catalogue; "
                    "run the test from the repository root", path);
    int rc = WE_OK;
    for (size_t k = 0; rc == WE_OK && k < d->n_indicators; k++) {
        const we_indicator_spec *s = &d->indicators[k];
        int dir = 0;
        rc = catalog_direction(f, path, s->name, &dir, msg, n);
        if (rc == WE_OK && dir == 0)
            rc = msgf(msg, n, WE_ENOTFOUND, "plugin '%s': indicator '%s' is "
                      "not in %s", d->id, s->name, path);
        else if (rc == WE_OK && s->direction != WE_DIRECTION_FROM_CATALOG &&
                 (int)s->direction != dir)
            rc = msgf(msg, n, WE_EINVAL, "plugin '%s': indicator '%s' has "
                      "direction %d, the catalogue %s says %d", d->id,
                      s->name, s->direction, path, dir);
    }
    fclose(f);
    return rc;
}

int we_mock_check_descriptor(const we_plugin_descriptor *d,
                             const char *catalog_path, char *msg,
                             size_t msg_size)
{
    int rc = check_header(d, msg, msg_size);
    if (rc == WE_OK)
        rc = check_indicators(d, msg, msg_size);
    if (rc == WE_OK)
        rc = check_setting_specs(d, msg, msg_size);
    if (rc == WE_OK && catalog_path != NULL)
        rc = check_catalog(d, catalog_path, msg, msg_size);
    return rc;
}

/* ---- running ---------------------------------------------------------- */

/* The host checks descriptor directions against the catalogue; in the mock
 * the panel's directions play the catalogue's part. */
static int check_directions(we_mock *m, const we_plugin_descriptor *d)
{
    for (size_t k = 0; k < d->n_indicators; k++) {
        const we_indicator_spec *s = &d->indicators[k];
        const mock_indicator *ind = find_indicator(m, s->name);
        if (ind && s->direction && ind->direction &&
            s->direction != ind->direction)
            return setf(m, WE_EINVAL, "plugin '%s': indicator '%s' has "
                        "direction %d, the panel says %d", d->id, s->name,
                        s->direction, ind->direction);
    }
    return WE_OK;
}

static int check_settings(we_mock *m, const we_plugin_descriptor *d)
{
    const mock_setting *s = m->settings.items;
    for (size_t k = 0; k < m->settings.n; k++) {
        const we_setting_spec *spec = NULL;
        for (size_t j = 0; j < d->n_settings; j++)
            if (strcmp(d->settings[j].name, s[k].name) == 0)
                spec = &d->settings[j];
        if (spec == NULL)
            return setf(m, WE_EINVAL, "setting '%s' is not declared by "
                        "plugin '%s'; remove it", s[k].name, d->id);
        if (spec->type != s[k].type &&
            !(spec->type == WE_SETTING_DOUBLE && s[k].type == WE_SETTING_INT))
            return setf(m, WE_ETYPE, "setting '%s' of plugin '%s' has the "
                        "wrong type; it is declared as type %d", s[k].name,
                        d->id, spec->type);
    }
    return WE_OK;
}

static int check_design(we_mock *m)
{
    size_t n_comparison = 0;
    for (size_t a = 0; a < m->n_areas; a++) {
        n_comparison += host_is_comparison(&m->ctx, a);
        if (m->treated_from[a] >= 0 &&
            (size_t)m->treated_from[a] <= m->baseline)
            return setf(m, WE_EINVAL, "area %zu is treated from period "
                        "index %ld, not after the baseline index %zu", a,
                        m->treated_from[a], m->baseline);
    }
    if (n_comparison == 0)
        return setf(m, WE_EINVAL, "the comparison group is empty; leave "
                    "some areas untreated");
    if (m->n_followup == 0)
        return setf(m, WE_EINVAL, "no follow-up period after the baseline "
                    "(index %zu); set a baseline before the last period",
                    m->baseline);
    if (m->followup[0] <= m->baseline)
        return setf(m, WE_EINVAL, "follow-up period index %zu is not after "
                    "the baseline index %zu", m->followup[0], m->baseline);
    return WE_OK;
}

static int finish(we_mock *m, const we_plugin_descriptor *d,
                  const char *callback, int rc)
{
    if (rc == WE_OK)
        return WE_OK;
    if (m->error[0] == '\0')
        setf(m, rc, "plugin '%s': %s returned status %d without a message",
             d->id, callback, rc);
    return rc < 0 ? rc : WE_EPLUGIN;
}

int we_mock_run(we_mock *m, const we_plugin_descriptor *d)
{
    if (m == NULL)
        return WE_EINVAL;
    clear_outputs(m);
    int rc = we_mock_check_descriptor(d, NULL, m->error, sizeof m->error);
    if (rc == WE_OK)
        rc = check_directions(m, d);
    if (rc == WE_OK)
        rc = check_settings(m, d);
    if (rc == WE_OK)
        rc = check_design(m);
    if (rc != WE_OK)
        return rc;
    const we_host *host = &mock_host_table;
    void *state = NULL;
    m->desc = d;
    rc = d->init ? d->init(host, &m->ctx, &state) : WE_OK;
    if (rc == WE_OK) {
        rc = finish(m, d, "evaluate", d->evaluate(host, &m->ctx, state));
        if (d->fini)
            d->fini(state);
    } else {
        rc = finish(m, d, "init", rc);
    }
    m->desc = NULL;
    return rc;
}

/* ---- accessors -------------------------------------------------------- */

size_t we_mock_n_results(const we_mock *m) { return m->results.n; }

const we_mock_result *we_mock_result_at(const we_mock *m, size_t k)
{
    return k < m->results.n ? &((const we_mock_result *)m->results.items)[k]
                            : NULL;
}

const we_mock_result *we_mock_find_result(const we_mock *m,
                                          const char *indicator,
                                          we_method method)
{
    for (size_t k = 0; indicator != NULL && k < m->results.n; k++) {
        const we_mock_result *r = we_mock_result_at(m, k);
        if (r->est.method == method && strcmp(r->indicator, indicator) == 0)
            return r;
    }
    return NULL;
}

size_t we_mock_n_metrics(const we_mock *m) { return m->metrics.n; }

const we_mock_metric *we_mock_metric_at(const we_mock *m, size_t k)
{
    return k < m->metrics.n ? &((const we_mock_metric *)m->metrics.items)[k]
                            : NULL;
}

const we_mock_metric *we_mock_find_metric(const we_mock *m, const char *name)
{
    for (size_t k = 0; name != NULL && k < m->metrics.n; k++) {
        const we_mock_metric *mt = we_mock_metric_at(m, k);
        if (mt->name != NULL && strcmp(mt->name, name) == 0)
            return mt;
    }
    return NULL;
}

size_t we_mock_n_logs(const we_mock *m) { return m->logs.n; }

const we_mock_log *we_mock_log_at(const we_mock *m, size_t k)
{
    return k < m->logs.n ? &((const we_mock_log *)m->logs.items)[k] : NULL;
}

const char *we_mock_error(const we_mock *m) { return m->error; }
