#include "host/host.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/est_settings.h"
#include "data/number.h"
#include "host/result_check.h"
#include "methods/estimator.h"
#include "methods/event.h"
#include "methods/methods.h"
#include "util/text.h"
#include "util/unit_words.h"

static const char *const level_names[] = {"error", "warning", "info",
                                          "debug"};

static int grow(void **items, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? 2 * *cap : 16;
    void *p = realloc(*items, c * size);
    if (p == NULL)
        return -1;
    *items = p;
    *cap = c;
    return 0;
}

/* A warning goes into the experiment's record whatever the verbosity:
 * the report lists them (at most WE_WARNINGS_MAX; the terminal shows
 * the rest). */
static void keep_warning(we_ctx *ctx, const char *msg)
{
    we_experiment_run *o = ctx->out;
    if (o == NULL || o->n_warnings >= WE_WARNINGS_MAX)
        return;
    for (size_t k = 0; k < o->n_warnings; k++)
        if (strcmp(o->warnings[k], msg) == 0)
            return; /* the same warning once */
    char *copy = we_strdup(msg);
    if (copy == NULL || grow((void **)&o->warnings, &o->cap_warnings,
                             o->n_warnings, sizeof *o->warnings) != 0) {
        free(copy);
        return;
    }
    o->warnings[o->n_warnings++] = we_text_sanitize(copy);
}

static void host_log(we_ctx *ctx, we_log_level level, const char *fmt, ...)
{
    if ((int)level < 0 || level > WE_LOG_DEBUG ||
        ((int)level > ctx->verbosity && level != WE_LOG_WARNING))
        return;
    va_list ap;
    va_start(ap, fmt);
    char msg[WE_ERROR_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (level == WE_LOG_WARNING)
        keep_warning(ctx, msg);
    if ((int)level > ctx->verbosity)
        return;
    if (ctx->log_sink != NULL) {
        ctx->log_sink(ctx->log_user, level, msg);
    } else {
        /* A plugin's text reaches the terminal without its control
         * characters (util/text.h). */
        fprintf(stderr, "wijkeval: [%s] %s: ", ctx->plugin->desc.id,
                level_names[level]);
        we_text_put(stderr, msg);
        fputc('\n', stderr);
    }
}

static int host_fail(we_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->error, sizeof ctx->error, fmt, ap);
    va_end(ap);
    return WE_EPLUGIN;
}

/* A result or metric the host refuses. It also fails the evaluation when
 * the plugin ignores the return value: a dropped result must not leave
 * the experiment looking complete. */
static int host_reject(we_ctx *ctx, const char *fmt, ...) WE_PRINTF(2, 3);
static int host_reject(we_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->error, sizeof ctx->error, fmt, ap);
    va_end(ap);
    if (ctx->emit_error[0] == '\0')
        snprintf(ctx->emit_error, sizeof ctx->emit_error, "%s", ctx->error);
    return WE_EINVAL;
}

static const char *non_finite(double v)
{
    return isnan(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
}

/* ---- settings ------------------------------------------------------- */

static const config_setting_t *setting(we_ctx *ctx, const char *name)
{
    if (ctx->settings == NULL || name == NULL)
        return NULL;
    return config_setting_get_member(ctx->settings, name);
}

static int setting_int(we_ctx *ctx, const char *name, long *out)
{
    const config_setting_t *s = setting(ctx, name);
    if (s == NULL)
        return WE_ENOTFOUND;
    int type = config_setting_type(s);
    if (type == CONFIG_TYPE_INT)
        *out = config_setting_get_int(s);
    else if (type == CONFIG_TYPE_INT64)
        *out = (long)config_setting_get_int64(s);
    else
        return WE_ETYPE;
    return WE_OK;
}

static int setting_double(we_ctx *ctx, const char *name, double *out)
{
    const config_setting_t *s = setting(ctx, name);
    if (s == NULL)
        return WE_ENOTFOUND;
    int type = config_setting_type(s);
    if (type == CONFIG_TYPE_FLOAT)
        *out = config_setting_get_float(s);
    else if (type == CONFIG_TYPE_INT)
        *out = config_setting_get_int(s);
    else if (type == CONFIG_TYPE_INT64)
        *out = (double)config_setting_get_int64(s);
    else
        return WE_ETYPE;
    return WE_OK;
}

static int setting_string(we_ctx *ctx, const char *name, const char **out)
{
    const config_setting_t *s = setting(ctx, name);
    if (s == NULL)
        return WE_ENOTFOUND;
    if (config_setting_type(s) != CONFIG_TYPE_STRING)
        return WE_ETYPE;
    *out = config_setting_get_string(s);
    return WE_OK;
}

static int setting_bool(we_ctx *ctx, const char *name, int *out)
{
    const config_setting_t *s = setting(ctx, name);
    if (s == NULL)
        return WE_ENOTFOUND;
    if (config_setting_type(s) != CONFIG_TYPE_BOOL)
        return WE_ETYPE;
    *out = config_setting_get_bool(s);
    return WE_OK;
}

/* ---- panel ---------------------------------------------------------- */

static size_t n_areas(we_ctx *ctx) { return ctx->panel->n_areas; }
static size_t n_periods(we_ctx *ctx) { return ctx->panel->n_periods; }

static int period(we_ctx *ctx, size_t t)
{
    return t < ctx->panel->n_periods ? ctx->panel->periods[t] : 0;
}

static const we_area_rec *area(we_ctx *ctx, size_t i)
{
    return i < ctx->panel->n_areas ? &ctx->panel->areas[i] : NULL;
}

static const char *area_code(we_ctx *ctx, size_t i)
{
    return area(ctx, i) ? area(ctx, i)->code : NULL;
}

static const char *area_name(we_ctx *ctx, size_t i)
{
    return area(ctx, i) ? area(ctx, i)->name : NULL;
}

static const char *area_municipality(we_ctx *ctx, size_t i)
{
    return area(ctx, i) ? area(ctx, i)->municipality : NULL;
}

static double area_population(we_ctx *ctx, size_t i)
{
    return area(ctx, i) ? area(ctx, i)->population : NAN;
}

static const double *indicator(we_ctx *ctx, const char *name)
{
    long k = name ? we_panel_indicator(ctx->panel, name) : -1;
    return k < 0 ? NULL : ctx->panel->values[k];
}

static we_direction direction(we_ctx *ctx, const char *name)
{
    long k = name ? we_panel_indicator(ctx->panel, name) : -1;
    return k < 0 ? WE_DIRECTION_FROM_CATALOG
                 : ctx->panel->catalog[k].direction;
}

/* ---- design --------------------------------------------------------- */

static long treated_from(we_ctx *ctx, size_t i)
{
    return i < ctx->panel->n_areas ? ctx->rd->treated_from[i] : -1;
}

static int is_comparison(we_ctx *ctx, size_t i)
{
    return i < ctx->panel->n_areas && ctx->rd->comparison[i];
}

static size_t baseline(we_ctx *ctx) { return ctx->rd->baseline; }

static size_t latest(we_ctx *ctx)
{
    return ctx->rd->followup[ctx->rd->n_followup - 1];
}

static double alpha(we_ctx *ctx) { return ctx->cfg->alpha; }
static uint64_t seed(we_ctx *ctx) { return ctx->cfg->seed; }
static size_t n_targets(we_ctx *ctx) { return ctx->n_targets; }

static const char *target_name(we_ctx *ctx, size_t k)
{
    return k < ctx->n_targets ? ctx->targets[k].name : NULL;
}

static we_role target_role(we_ctx *ctx, size_t k)
{
    return k < ctx->n_targets ? ctx->targets[k].role : WE_ROLE_SECONDARY;
}

/* ---- methods -------------------------------------------------------- */

/* The run's gap reference of y: the municipality's or the city's mean of
 * the other areas, weighted by population when the config says so. The
 * gap method (estimate) and host->gap_reference both take their groups
 * and weights from these two. */
static const int *gap_groups(we_ctx *ctx)
{
    return ctx->rd->gap_group;
}

/* Population weights when gap.weighted is set and every population is
 * known (the design's rule), else NULL. */
static const double *gap_weights(we_ctx *ctx) { return ctx->rd->weight; }

/* Copies at most the caller's struct_size: a plugin built against an older
 * header has a shorter we_estimate. */
static void copy_estimate(we_estimate *dst, const we_estimate *src)
{
    uint32_t size = dst->struct_size;
    size_t n = size < sizeof *src ? size : sizeof *src;
    memcpy(dst, src, n);
    dst->struct_size = size;
}

/* WE_OK, or WE_EINVAL with err naming the first value beyond the limit
 * the loader enforces (WE_VALUE_LIMIT, data/number.h). A loaded panel
 * never fails this; a panel built in memory (the mock host's) can. */
static int check_magnitude(we_ctx *ctx, const char *name, const double *y,
                           we_error *err)
{
    size_t T = n_periods(ctx);
    for (size_t i = 0; i < n_areas(ctx); i++)
        for (size_t t = 0; t < T; t++)
            if (fabs(y[i * T + t]) > WE_VALUE_LIMIT)
                return we_fail(err, WE_EINVAL,
                               "indicator '%s' has the value %g "
                               "(area %s, period %d), beyond "
                               "+-%g where the estimators' sums "
                               "overflow; correct the value or "
                               "rescale the indicator in the "
                               "indicators file",
                               name, y[i * T + t], area_code(ctx, i),
                               period(ctx, t), WE_VALUE_LIMIT);
    return WE_OK;
}

static int estimate(we_ctx *ctx, const char *name, we_method m,
                    we_estimate *out)
{
    if (out == NULL)
        return host_fail(ctx,
                         "estimate: '%s' (%s): out is NULL; pass "
                         "a we_estimate",
                         name ? name : "(null)", we_method_name(m)),
               WE_EINVAL;
    if (out->struct_size < offsetof(we_estimate, closing))
        return host_fail(ctx,
                         "estimate: '%s' (%s): out->struct_size is "
                         "%u, expected %zu (at least %zu); set "
                         "out->struct_size = sizeof(we_estimate) "
                         "before the call",
                         name ? name : "(null)", we_method_name(m),
                         (unsigned)out->struct_size, sizeof *out,
                         offsetof(we_estimate, closing)),
               WE_EINVAL;
    const double *y = indicator(ctx, name);
    if (y == NULL)
        return host_fail(ctx, "estimate: indicator '%s' has no data in "
                              "this panel", name ? name : "(null)"),
               WE_ENOTFOUND;
    we_error err = {{0}};
    if (check_magnitude(ctx, name, y, &err) != WE_OK) {
        snprintf(ctx->method_error, sizeof ctx->method_error, "%s", err.msg);
        return WE_EINVAL;
    }
    we_estimate full = {.struct_size = sizeof full};
    we_est_settings es = we_config_est_settings(ctx->cfg);
    we_est_call call = {.d = &ctx->rd->d, .y = y, .method = m,
                        .direction = direction(ctx, name),
                        .gap_group = gap_groups(ctx),
                        .gap_weight = gap_weights(ctx),
                        .experiment = ctx->plugin->desc.id,
                        .indicator = name};
    int rc = we_estimate_run(&es, &call, &full, NULL, &err);
    snprintf(ctx->method_error, sizeof ctx->method_error, "%s", err.msg);
    copy_estimate(out, &full);
    return rc;
}

/* The design the report's headline uses (the pipeline's rule), its
 * estimate; a design that cannot run leaves TWFE, as in the report. */
static int headline(we_ctx *ctx, const char *name, we_estimate *out)
{
    we_method m = ctx->design != NULL
                      ? ctx->design(ctx->exp, &ctx->rd->d)
                      : WE_METHOD_TWFE;
    int rc = estimate(ctx, name, m, out);
    if (rc == WE_ENOTFOUND || rc == WE_EINVAL || m == WE_METHOD_TWFE ||
        (rc == WE_OK && isfinite(out->estimate)))
        return rc;
    host_log(ctx, WE_LOG_INFO, "headline: %s of '%s' could not run (%s); "
             "the headline is twfe", we_method_name(m), name,
             ctx->method_error);
    return estimate(ctx, name, WE_METHOD_TWFE, out);
}

/* ---- results -------------------------------------------------------- */

/* The plugin's estimate as the host will keep it (fields an older
 * plugin's smaller struct lacks are zero), checked by the rule that the
 * wire and part files also apply (host/result_check.h). */
static int emit_result(we_ctx *ctx, const char *name, we_role role,
                       const we_estimate *est)
{
    if (est == NULL)
        return host_reject(ctx,
                           "emit_result: '%s': the estimate is "
                           "NULL; pass a we_estimate",
                           name ? name : "(null)");
    if (est->struct_size < offsetof(we_estimate, closing))
        return host_reject(
            ctx,
            "emit_result: '%s' (%s): struct_size is %u, expected %zu "
            "(at least %zu); set struct_size = sizeof(we_estimate)",
            name ? name : "(null)",
            est->struct_size >=
                    offsetof(we_estimate, method) + sizeof est->method
                ? we_method_name(est->method)
                : "method unknown",
            (unsigned)est->struct_size, sizeof *est,
            offsetof(we_estimate, closing));
    we_result_rec rec;
    memset(&rec, 0, sizeof rec);
    rec.est.struct_size = sizeof rec.est;
    copy_estimate(&rec.est, est);
    rec.est.struct_size = sizeof rec.est;
    rec.role = role;
    rec.indicator = (char *)(name ? name : "(null)");
    we_experiment_run *o = ctx->out;
    we_result_scope scope = {.targets = ctx->targets,
                             .n_targets = ctx->n_targets};
    if (ctx->panel != NULL) {
        scope.n_areas = ctx->panel->n_areas;
        scope.n_periods = ctx->panel->n_periods;
    }
    we_error err = {{0}};
    if (we_result_check(&rec, o->results, o->n_results, &scope, &err) != 0)
        return host_reject(ctx, "emit_result: %s", err.msg);
    if (grow((void **)&o->results, &o->cap_results, o->n_results,
             sizeof *o->results) != 0)
        return WE_ENOMEM;
    if ((rec.indicator = we_strdup(name)) == NULL)
        return WE_ENOMEM;
    o->results[o->n_results++] = rec;
    return WE_OK;
}

/* NULL stays NULL; *bad is set when a copy fails. */
static char *dup_opt(const char *s, int *bad)
{
    if (s == NULL)
        return NULL;
    char *c = we_text_sanitize(we_strdup(s));
    if (c == NULL)
        *bad = 1;
    return c;
}

/* The name of a metric or per-wijk metric: [a-z0-9_]+ and not emitted
 * before by this experiment (as check-plugin demands). */
static int metric_name_ok(we_ctx *ctx, const char *what, const char *name)
{
    if (name == NULL || *name == '\0')
        return host_reject(ctx, "%s: the metric has no name", what);
    const we_experiment_run *o = ctx->out;
    for (size_t k = 0; k < o->n_metrics; k++)
        if (strcmp(o->metrics[k].name, name) == 0)
            return host_reject(ctx, "%s: metric '%s' was emitted before; "
                               "each metric name may be emitted once",
                               what, name);
    for (size_t k = 0; k < o->n_area_metrics; k++)
        if (strcmp(o->area_metrics[k].name, name) == 0)
            return host_reject(ctx, "%s: '%s' was emitted before as a "
                               "per-wijk metric; each metric name may be "
                               "emitted once",
                               what, name);
    return WE_OK;
}

/* A metric with its text; emit_metric is the one without Dutch text. */
static int add_metric(we_ctx *ctx, const char *what, const we_metric *in)
{
    int rc = metric_name_ok(ctx, what, in->name);
    if (rc != WE_OK)
        return rc;
    if (!isfinite(in->value))
        return host_reject(ctx, "%s: '%s' is %s; a plugin must "
                                "emit finite metrics",
                           what, in->name, non_finite(in->value));
    we_experiment_run *o = ctx->out;
    if (grow((void **)&o->metrics, &o->cap_metrics, o->n_metrics,
             sizeof *o->metrics) != 0)
        return WE_ENOMEM;
    we_metric_rec *m = &o->metrics[o->n_metrics];
    memset(m, 0, sizeof *m);
    int bad = 0;
    m->name = we_strdup(in->name);
    m->value = in->value;
    m->unit = we_strdup(in->unit ? in->unit : "");
    m->description = we_strdup(in->description ? in->description : "");
    m->label_en = dup_opt(in->label_en, &bad);
    m->label_nl = dup_opt(in->label_nl, &bad);
    m->description_nl = dup_opt(in->description_nl, &bad);
    m->unit_nl = dup_opt(in->unit_nl, &bad);
    o->n_metrics++;
    if (bad || m->name == NULL || m->unit == NULL || m->description == NULL)
        return WE_ENOMEM;
    return WE_OK;
}

static int emit_metric(we_ctx *ctx, const char *name, double value,
                       const char *unit, const char *description)
{
    we_metric m = {.struct_size = sizeof m, .name = name, .value = value,
                   .unit = unit, .description = description};
    return add_metric(ctx, "emit_metric", &m);
}

/* The caller's struct, as large as ours: the members its header lacks
 * are NULL. */
static void copy_sized(void *dst, size_t dst_size, const void *src,
                       uint32_t src_size)
{
    memset(dst, 0, dst_size);
    memcpy(dst, src, src_size < dst_size ? src_size : dst_size);
}

static int emit_metric_text(we_ctx *ctx, const we_metric *in)
{
    if (in == NULL || in->struct_size < offsetof(we_metric, unit))
        return host_reject(ctx, "emit_metric_text: the metric is NULL or "
                                "its struct_size is too small");
    we_metric m;
    copy_sized(&m, sizeof m, in, in->struct_size);
    return add_metric(ctx, "emit_metric_text", &m);
}

static int emit_area_metric(we_ctx *ctx, const we_area_metric *in)
{
    const char *what = "emit_area_metric";
    if (in == NULL || in->struct_size < offsetof(we_area_metric, unit))
        return host_reject(ctx, "%s: the metric is NULL or its "
                                "struct_size is too small", what);
    we_area_metric a;
    copy_sized(&a, sizeof a, in, in->struct_size);
    int rc = metric_name_ok(ctx, what, a.name);
    if (rc != WE_OK)
        return rc;
    if (!we_plugin_id_valid(a.name))
        return host_reject(ctx, "%s: the name '%s' is not [a-z0-9_]+",
                           what, a.name);
    if (a.values == NULL)
        return host_reject(ctx, "%s: '%s' has no values", what, a.name);
    size_t n = ctx->panel->n_areas, finite = 0;
    for (size_t i = 0; i < n; i++) {
        if (isinf(a.values[i]))
            return host_reject(ctx, "%s: '%s' is %s for area %s; use NaN "
                               "where it does not apply",
                               what, a.name, non_finite(a.values[i]),
                               area_code(ctx, i));
        finite += isfinite(a.values[i]) != 0;
    }
    if (finite == 0)
        return host_reject(ctx, "%s: '%s' has no value for any area "
                           "(all NaN); emit it only when some apply",
                           what, a.name);
    we_experiment_run *o = ctx->out;
    if (grow((void **)&o->area_metrics, &o->cap_area_metrics,
             o->n_area_metrics, sizeof *o->area_metrics) != 0)
        return WE_ENOMEM;
    we_area_metric_rec *r = &o->area_metrics[o->n_area_metrics];
    memset(r, 0, sizeof *r);
    o->n_area_metrics++;
    int bad = 0;
    r->name = dup_opt(a.name, &bad);
    r->values = malloc(n * sizeof *r->values);
    r->n = r->values ? n : 0;
    if (r->values != NULL)
        memcpy(r->values, a.values, n * sizeof *r->values);
    r->unit = dup_opt(a.unit ? a.unit : "", &bad);
    r->description = dup_opt(a.description ? a.description : "", &bad);
    r->label_en = dup_opt(a.label_en, &bad);
    r->label_nl = dup_opt(a.label_nl, &bad);
    r->description_nl = dup_opt(a.description_nl, &bad);
    r->unit_nl = dup_opt(a.unit_nl, &bad);
    return bad || r->values == NULL ? WE_ENOMEM : WE_OK;
}

/* ---- catalogue and headline ---------------------------------------- */

static const char *or_null(const char *s)
{
    return s != NULL && *s != '\0' ? s : NULL;
}

static int indicator_info(we_ctx *ctx, const char *name,
                          we_indicator_info *out)
{
    if (out == NULL ||
        out->struct_size < offsetof(we_indicator_info, direction) +
                               sizeof out->direction)
        return host_fail(ctx, "indicator_info: out is NULL or its "
                              "struct_size is too small"),
               WE_EINVAL;
    long k = name ? we_panel_indicator(ctx->panel, name) : -1;
    if (k < 0)
        return host_fail(ctx, "indicator_info: indicator '%s' is not in "
                              "the catalogue; add it there or correct the "
                              "name", name ? name : "(null)"),
               WE_ENOTFOUND;
    const we_catalog_rec *c = &ctx->panel->catalog[k];
    we_indicator_info info = {
        .struct_size = sizeof info,
        .unit = or_null(c->unit),
        .unit_en = we_unit_words(c->unit, 0),
        .unit_nl = we_unit_words(c->unit, 1),
        .label_en = or_null(c->label_en),
        .label_nl = or_null(c->label_nl),
        .theme = or_null(c->theme),
        .direction = c->direction};
    uint32_t size = out->struct_size;
    memcpy(out, &info, size < sizeof info ? size : sizeof info);
    out->struct_size = size;
    return WE_OK;
}

/* ---- conveniences -------------------------------------------------- */


static int evaluate_one(we_ctx *ctx, size_t k, we_method m)
{
    const char *name = ctx->targets[k].name;
    we_estimate est = {.struct_size = sizeof est};
    int rc = estimate(ctx, name, m, &est);
    if (rc == WE_ENODATA) {
        host_log(ctx, WE_LOG_WARNING, "%s: %s skipped: %s", name,
                 we_method_name(m), ctx->method_error);
        return WE_OK;
    }
    if (rc == WE_OK)
        rc = emit_result(ctx, name, ctx->targets[k].role, &est);
    if (rc != WE_OK && ctx->error[0] == '\0')
        host_fail(ctx, "%s: %s failed: %s", name, we_method_name(m),
                  ctx->method_error[0] ? ctx->method_error : "no message");
    return rc;
}

static int evaluate_targets(we_ctx *ctx, unsigned methods)
{
    for (size_t k = 0; k < ctx->n_targets; k++)
        for (int m = 0; m < WE_METHOD_COUNT_; m++) {
            if (!(methods & WE_METHOD_BIT(m)))
                continue;
            int rc = evaluate_one(ctx, k, (we_method)m);
            if (rc != WE_OK)
                return rc;
        }
    return WE_OK;
}

static long period_index(we_ctx *ctx, int label)
{
    return we_panel_period(ctx->panel, label);
}

/* The finite values of indicator `name` in period t of the treated
 * (comparison = 0) or comparison (1) areas. */
static int group_values(we_ctx *ctx, const char *what, int comparison,
                        const char *name, size_t t, double *out, size_t *n)
{
    const double *y = indicator(ctx, name);
    if (y == NULL)
        return host_fail(ctx, "indicator '%s' is not in the panel; this "
                              "experiment needs it; add it to the "
                              "indicators file", name ? name : "(null)"),
               WE_ENOTFOUND;
    if (t >= ctx->panel->n_periods || out == NULL || n == NULL)
        return host_fail(ctx, "%s: bad period or buffer", what), WE_EINVAL;
    size_t T = ctx->panel->n_periods;
    *n = 0;
    for (size_t i = 0; i < ctx->panel->n_areas; i++) {
        int in = comparison ? ctx->rd->comparison[i] != 0
                            : ctx->rd->treated_from[i] >= 0;
        if (in && isfinite(y[i * T + t]))
            out[(*n)++] = y[i * T + t];
    }
    return WE_OK;
}

static int treated_values(we_ctx *ctx, const char *name, size_t t,
                          double *out, size_t *n)
{
    return group_values(ctx, "treated_values", 0, name, t, out, n);
}

static int comparison_values(we_ctx *ctx, const char *name, size_t t,
                             double *out, size_t *n)
{
    return group_values(ctx, "comparison_values", 1, name, t, out, n);
}

static int gap_reference(we_ctx *ctx, const char *name, double *out)
{
    const double *y = indicator(ctx, name);
    if (y == NULL)
        return host_fail(ctx, "gap_reference: indicator '%s' is not in the "
                              "panel; add it to the indicators file",
                         name ? name : "(null)"),
               WE_ENOTFOUND;
    if (out == NULL)
        return host_fail(ctx, "gap_reference: out is NULL"), WE_EINVAL;
    we_error err = {{0}};
    int rc = we_gap_reference(y, ctx->panel->n_areas, ctx->panel->n_periods,
                              gap_groups(ctx), gap_weights(ctx), out, &err);
    if (rc != WE_OK)
        host_fail(ctx, "gap_reference: %s", err.msg);
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int summarise(we_ctx *ctx, const double *x, size_t n, we_summary *out)
{
    if (out == NULL || out->struct_size < sizeof *out || (x == NULL && n))
        return host_fail(ctx, "summarise: bad arguments"), WE_EINVAL;
    double *v = malloc((n ? n : 1) * sizeof *v);
    if (v == NULL)
        return WE_ENOMEM;
    size_t m = 0;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            sum += v[m++] = x[i];
    we_summary s = {.struct_size = out->struct_size, .n = m,
                    .mean = NAN, .sd = NAN, .median = NAN,
                    .min = NAN, .max = NAN};
    if (m > 0) {
        s.mean = sum / (double)m;
        /* Summed in the caller's order, before sorting: the same rounding
         * as a plain loop over x, so a plugin gets the same numbers. */
        double ss = 0;
        for (size_t i = 0; i < m; i++)
            ss += (v[i] - s.mean) * (v[i] - s.mean);
        s.sd = m > 1 ? sqrt(ss / (double)(m - 1)) : NAN;
        qsort(v, m, sizeof *v, cmp_double);
        s.median = m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2.0;
        s.min = v[0];
        s.max = v[m - 1];
    }
    free(v);
    *out = s;
    return m > 0 ? WE_OK : WE_ENODATA;
}

static int event_study(we_ctx *ctx, const char *name, we_event_point *out,
                       size_t cap, size_t *n, double *pretrend_p)
{
    const double *y = indicator(ctx, name);
    if (y == NULL || n == NULL || pretrend_p == NULL || (cap && !out))
        return host_fail(ctx, "event_study: unknown indicator '%s' or a "
                              "NULL argument", name ? name : "(null)"),
               WE_EINVAL;
    const we_inference_cfg *ic = &ctx->cfg->inference;
    we_event_options o = {.min_rel = ic->event_min, .max_rel = ic->event_max};
    we_event_result r;
    we_error err = {{0}};
    int rc = we_event_study(y, &ctx->rd->d, &o, ic->event_boot_reps,
                            we_derive_seed(ctx->cfg->seed,
                                           ctx->plugin->desc.id, name,
                                           "pretrend"),
                            &r, &err);
    snprintf(ctx->method_error, sizeof ctx->method_error, "%s", err.msg);
    if (rc == WE_OK) {
        *n = r.n_coef < cap ? r.n_coef : cap;
        for (size_t k = 0; k < *n; k++)
            out[k] = (we_event_point){r.coef[k].rel_time, r.coef[k].estimate,
                                      r.coef[k].se, r.coef[k].ci_low,
                                      r.coef[k].ci_high, r.coef[k].p_value};
        we_est_settings es = we_config_est_settings(ctx->cfg);
        int wild = we_use_wild(&es, r.df + 1);
        *pretrend_p = wild && isfinite(r.pretrend_boot_p) ? r.pretrend_boot_p
                                                           : r.pretrend_p;
    }
    we_event_result_free(&r);
    return rc;
}

static int randomization_p(we_ctx *ctx, const char *name, double *p,
                           long *reps)
{
    const double *y = indicator(ctx, name);
    if (y == NULL || p == NULL || reps == NULL)
        return host_fail(ctx, "randomization_p: unknown indicator '%s' or "
                              "a NULL argument", name ? name : "(null)"),
               WE_EINVAL;
    const we_inference_cfg *ic = &ctx->cfg->inference;
    we_ri_result r;
    we_error err = {{0}};
    int rc = we_randomization_inference(
        y, &ctx->rd->d, ic->perm_strata ? ctx->rd->municipality : NULL,
        ic->perm_reps,
        we_derive_seed(ctx->cfg->seed, ctx->plugin->desc.id, name,
                       "permutation"),
        &r, &err);
    snprintf(ctx->method_error, sizeof ctx->method_error, "%s", err.msg);
    if (rc == WE_OK) {
        *p = r.p_value;
        *reps = (long)r.reps;
    }
    return rc;
}

static const we_host host_table = {
    .abi_major = WE_ABI_MAJOR,
    .abi_minor = WE_ABI_MINOR,
    .struct_size = sizeof(we_host),
    .log = host_log,
    .fail = host_fail,
    .setting_int = setting_int,
    .setting_double = setting_double,
    .setting_string = setting_string,
    .setting_bool = setting_bool,
    .n_areas = n_areas,
    .n_periods = n_periods,
    .period = period,
    .area_code = area_code,
    .area_name = area_name,
    .area_municipality = area_municipality,
    .area_population = area_population,
    .indicator = indicator,
    .direction = direction,
    .treated_from = treated_from,
    .is_comparison = is_comparison,
    .baseline = baseline,
    .latest = latest,
    .alpha = alpha,
    .seed = seed,
    .n_targets = n_targets,
    .target_name = target_name,
    .target_role = target_role,
    .estimate = estimate,
    .emit_result = emit_result,
    .emit_metric = emit_metric,
    .evaluate_targets = evaluate_targets,
    .period_index = period_index,
    .treated_values = treated_values,
    .summarise = summarise,
    .event_study = event_study,
    .randomization_p = randomization_p,
    .comparison_values = comparison_values,
    .gap_reference = gap_reference,
    .indicator_info = indicator_info,
    .headline = headline,
    .emit_metric_text = emit_metric_text,
    .emit_area_metric = emit_area_metric,
};

const we_host *we_host_table(void) { return &host_table; }
