/* The runs of `wijkeval check-plugin`: the demo panel as it is and the
 * edge cases derived from it (missing values, a single treated area, no
 * follow-up data). Each case runs the plugin twice: first in a child
 * process, as `wijkeval run` does, so that a crash or a hang fails a check
 * instead of the harness; then, when that ended normally, in this process,
 * where the host's refusals are visible and a debugger or a sanitizer sees
 * the plugin's code. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_check.h"
#include "config/config.h"
#include "analysis/design.h"
#include "analysis/design_choice.h"
#include "host/host.h"
#include "host/sandbox.h"
#include "host/result_check.h"
#include "methods/methods.h"

typedef struct check_data {
    we_config cfg;
    we_panel panel;
    we_run_design rd;
    char detail[256]; /* what the case changed */
} check_data;

typedef struct check_case {
    const char *name;
    /* Changes the freshly loaded demo config and panel before the design
     * is built, and says how in d->detail. */
    int (*derive)(check_data *d, we_error *err);
    int is_demo; /* must succeed and emit a domain metric */
} check_case;

/* What one run gave. */
typedef struct run_out {
    we_experiment_run x;
    char refused[WE_ERROR_MAX]; /* the first result the host refused */
    char **warnings;
    size_t n_warnings, cap_warnings;
} run_out;

/* ---- the panels --------------------------------------------------------- */

static long first_treated(const check_data *d, we_error *err)
{
    long a = d->cfg.n_treated > 0
                 ? we_panel_area(&d->panel, d->cfg.treated[0].area)
                 : -1;
    if (a < 0)
        we_fail(err, WE_EINVAL,
                "the demo panel has no treated area in the panel");
    return a;
}

static void blank(we_panel *p, size_t k, size_t a, size_t t)
{
    if (p->values[k] != NULL)
        p->values[k][a * p->n_periods + t] = NAN;
}

static int derive_demo(check_data *d, we_error *err)
{
    (void)err;
    snprintf(d->detail, sizeof d->detail, "the simulated demo panel, %zu "
             "areas, %d-%d", d->panel.n_areas, d->panel.periods[0],
             d->panel.periods[d->panel.n_periods - 1]);
    return 0;
}

/* A fifth of the cells, spread over areas, periods and indicators, and
 * every value of one treated wijk. */
static int derive_missing(check_data *d, we_error *err)
{
    long first = first_treated(d, err);
    if (first < 0)
        return -1;
    we_panel *p = &d->panel;
    for (size_t k = 0; k < p->n_indicators; k++)
        for (size_t a = 0; a < p->n_areas; a++)
            for (size_t t = 0; t < p->n_periods; t++)
                if ((long)a == first || (7 * a + 3 * t + k) % 5 == 0)
                    blank(p, k, a, t);
    snprintf(d->detail, sizeof d->detail, "a fifth of the values missing, "
             "and every value of treated wijk %s", d->cfg.treated[0].area);
    return 0;
}

static int derive_single(check_data *d, we_error *err)
{
    if (first_treated(d, err) < 0)
        return -1;
    we_config *c = &d->cfg;
    for (size_t i = 1; i < c->n_treated; i++) {
        free(c->treated[i].area);
        free(c->treated[i].wave);
    }
    c->n_treated = 1;
    snprintf(d->detail, sizeof d->detail, "only %s treated (from %d), "
             "every other wijk a comparison wijk", c->treated[0].area,
             c->treated[0].from);
    return 0;
}

/* The evaluation is run before the first follow-up measurement is in. */
static int derive_no_followup(check_data *d, we_error *err)
{
    we_panel *p = &d->panel;
    long b = we_panel_period(p, d->cfg.baseline);
    if (b < 0)
        return we_fail(err, WE_EINVAL,
                       "the baseline %d is not a period of the demo "
                       "panel",
                       d->cfg.baseline);
    for (size_t k = 0; k < p->n_indicators; k++)
        for (size_t a = 0; a < p->n_areas; a++)
            for (size_t t = (size_t)b + 1; t < p->n_periods; t++)
                blank(p, k, a, t);
    snprintf(d->detail, sizeof d->detail, "every value after the baseline "
             "%d missing", d->cfg.baseline);
    return 0;
}

static const check_case cases[] = {
    {"demo panel", derive_demo, 1},
    {"missing values", derive_missing, 0},
    {"single treated area", derive_single, 0},
    {"no follow-up data", derive_no_followup, 0},
};

/* ---- loading ------------------------------------------------------------ */

/* A libconfig string: quotes and backslashes escaped. */
static void put_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void put_path(FILE *f, const char *key, const char *dir,
                     const char *file)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    fprintf(f, "%s = ", key);
    put_string(f, path);
    fputs(";\n", f);
}

/* A throw-away config for the demo panel with this one plugin. */
static int write_config(char *path, const char *demo, const char *id)
{
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (f == NULL) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    fputs("name = \"check\";\ndata = {\n", f);
    put_path(f, "areas", demo, "areas.csv");
    put_path(f, "indicators", demo, "indicators.csv");
    put_path(f, "catalog", demo, "catalog.csv");
    fputs("};\nbaseline = 2007;\nfollowup = [2008, 2009, 2010, 2011, "
          "2012];\ntreatment = {\n",
          f);
    put_path(f, "file", demo, "treatment.csv");
    fprintf(f, "};\nexperiments = ( { plugin = \"%s\"; } );\n", id);
    return fclose(f);
}

static int load_data(check_data *d, const char *demo, const char *id,
                     const check_case *cc, we_error *err)
{
    const char *tmp = we_cli_tmpdir();
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/wijkeval-check-XXXXXX", tmp);
    if (n < 0 || (size_t)n >= sizeof path || write_config(path, demo, id))
        return we_fail(err, WE_EINVAL,
                       "cannot write a temporary config in %s; set "
                       "TMPDIR to a writable directory",
                       tmp);
    int rc = we_config_load(&d->cfg, path, err);
    unlink(path);
    if (rc == 0)
        rc = we_panel_load(&d->panel, d->cfg.areas_path,
                           d->cfg.indicators_path, d->cfg.catalog_path,
                           err);
    if (rc == 0)
        rc = cc->derive(d, err);
    if (rc == 0)
        rc = we_run_design_build(&d->rd, &d->cfg, &d->panel, err);
    return rc;
}

static void free_data(check_data *d)
{
    we_run_design_free(&d->rd);
    we_panel_free(&d->panel);
    we_config_free(&d->cfg);
}

/* ---- running ------------------------------------------------------------ */

static void collect(void *user, we_log_level level, const char *message)
{
    run_out *r = user;
    (void)level;
    if (r->n_warnings == r->cap_warnings) {
        size_t cap = r->cap_warnings ? 2 * r->cap_warnings : 8;
        char **p = realloc(r->warnings, cap * sizeof *p);
        if (p == NULL)
            return;
        r->warnings = p;
        r->cap_warnings = cap;
    }
    char *copy = we_strdup(message);
    if (copy != NULL)
        r->warnings[r->n_warnings++] = copy;
}

static void run_free(run_out *r)
{
    we_experiment_run_free(&r->x);
    for (size_t k = 0; k < r->n_warnings; k++)
        free(r->warnings[k]);
    free(r->warnings);
}

/* Whether the plugin runs sandboxed (isolation.sandbox, the same as a
 * run): where the kernel cannot, check-plugin says so once and runs it
 * anyway. */
static void use_sandbox(check_data *d)
{
    if (d->cfg.isolation.sandbox && !we_sandbox_for_tools())
        d->cfg.isolation.sandbox = 0;
}

/* Both runs are in a child process (the plugin's code never runs in
 * check-plugin's own), in the sandbox: the first says nothing, the
 * second's warnings are collected through the wire's LOG records. */
static void run_plugin(check_data *d, const we_check_env *env, int second,
                       run_out *r)
{
    const we_plugin *p = &env->plugin;
    use_sandbox(d);
    d->cfg.isolation.enabled = 1;
    d->cfg.isolation.time_limit = env->time_limit;
    we_ctx_params params = {.design = we_design_for,
                            .cfg = &d->cfg, .panel = &d->panel,
                            .rd = &d->rd, .plugin = p, .out = &r->x,
                            .verbosity = second ? WE_LOG_WARNING : -1,
                            .log_sink = second ? collect : NULL,
                            .log_user = r};
    we_ctx ctx;
    we_error err = {{0}};
    if (we_ctx_open(&ctx, &params, &err) != 0) {
        r->x.status = WE_EXP_FAILED;
        r->x.error = we_strdup(err.msg);
    } else {
        we_host_execute(&ctx);
    }
    /* The child sends what the host refused (a REFUSED record). */
    snprintf(r->refused, sizeof r->refused, "%s", ctx.emit_error);
    we_ctx_close(&ctx);
}

/* ---- the checks of one run ---------------------------------------------- */

static const we_indicator_spec *declared(const we_plugin_descriptor *d,
                                         const char *name)
{
    for (size_t k = 0; k < d->n_indicators; k++)
        if (strcmp(d->indicators[k].name, name) == 0)
            return &d->indicators[k];
    return NULL;
}

/* The host's own rule (host/result_check.h): what the run's host accepts,
 * the harness accepts. The role is checked against the descriptor above. */
static int estimate_valid(const check_data *d, const we_experiment_run *x,
                          size_t k, char *why, size_t n)
{
    const we_result_rec *r = &x->results[k];
    we_target_cfg self = {r->indicator, r->role};
    we_result_scope scope = {.targets = &self, .n_targets = 1,
                             .n_areas = d->panel.n_areas,
                             .n_periods = d->panel.n_periods};
    we_error err = {{0}};
    if (we_result_check(r, x->results, k, &scope, &err) == 0)
        return 1;
    snprintf(why, n, "%s", err.msg);
    return 0;
}

static int results_valid(const we_plugin_descriptor *d,
                         const check_data *data, const we_experiment_run *x,
                         char *why, size_t n)
{
    for (size_t k = 0; k < x->n_results; k++) {
        const we_result_rec *r = &x->results[k];
        const we_indicator_spec *s = declared(d, r->indicator);
        if (s == NULL) {
            snprintf(why, n, "a result for '%s', which the descriptor does "
                     "not declare", r->indicator);
            return 0;
        }
        if (s->role != r->role) {
            snprintf(why, n, "'%s' is declared %s but emitted as %s",
                     r->indicator, s->role ? "secondary" : "primary",
                     r->role ? "secondary" : "primary");
            return 0;
        }
        if (!estimate_valid(data, x, k, why, n))
            return 0;
    }
    return 1;
}

/* The k-th name among the metrics and then the per-wijk metrics. */
static const char *metric_name(const we_experiment_run *x, size_t k)
{
    return k < x->n_metrics ? x->metrics[k].name
                            : x->area_metrics[k - x->n_metrics].name;
}

static int metrics_valid(const we_experiment_run *x, char *why, size_t n)
{
    size_t all = x->n_metrics + x->n_area_metrics;
    for (size_t k = 0; k < all; k++)
        for (size_t j = 0; j < k; j++)
            if (strcmp(metric_name(x, j), metric_name(x, k)) == 0) {
                snprintf(why, n, "metric '%s' is emitted twice; give each "
                         "metric its own name", metric_name(x, k));
                return 0;
            }
    for (size_t k = 0; k < x->n_metrics; k++) {
        const we_metric_rec *m = &x->metrics[k];
        if (!isfinite(m->value)) {
            snprintf(why, n, "metric '%s' is not finite", m->name);
            return 0;
        }
        for (size_t j = 0; j < k; j++)
            if (strcmp(x->metrics[j].name, m->name) == 0) {
                snprintf(why, n, "metric '%s' is emitted twice; give each "
                         "metric its own name", m->name);
                return 0;
            }
    }
    return 1;
}

/* ---- determinism -------------------------------------------------------- */

/* Bitwise: a determinism check must tell NaN payloads and -0 apart; a
 * double has no padding bits. */
static int same_double(double a, double b)
{
    /* NOLINTNEXTLINE(bugprone-suspicious-memory-comparison) */
    return memcmp(&a, &b, sizeof a) == 0;
}

static int same_estimate(const we_estimate *a, const we_estimate *b)
{
    return a->method == b->method && same_double(a->estimate, b->estimate) &&
           same_double(a->se, b->se) && same_double(a->ci_low, b->ci_low) &&
           same_double(a->ci_high, b->ci_high) &&
           same_double(a->p_value, b->p_value) && same_double(a->df, b->df) &&
           a->n_treated == b->n_treated && a->n_control == b->n_control &&
           a->n_obs == b->n_obs && same_double(a->baseline, b->baseline) &&
           same_double(a->latest, b->latest) && a->closing == b->closing &&
           a->inference == b->inference &&
           a->inference_reps == b->inference_reps;
}

static int same_text(const char *a, const char *b)
{
    return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int same_runs(const we_experiment_run *a, const we_experiment_run *b,
                     char *why, size_t n)
{
    if (a->status != b->status || !same_text(a->error, b->error) ||
        a->n_results != b->n_results || a->n_metrics != b->n_metrics) {
        snprintf(why, n, "the first run gave %s (%zu results, %zu metrics), "
                 "the second %s (%zu results, %zu metrics)",
                 a->error ? a->error : "ok", a->n_results, a->n_metrics,
                 b->error ? b->error : "ok", b->n_results, b->n_metrics);
        return 0;
    }
    for (size_t k = 0; k < a->n_results; k++) {
        const we_result_rec *x = &a->results[k], *y = &b->results[k];
        if (strcmp(x->indicator, y->indicator) != 0 || x->role != y->role ||
            !same_estimate(&x->est, &y->est)) {
            snprintf(why, n, "result %zu ('%s', %s) differs: estimate "
                     "%.17g, then %.17g", k, x->indicator,
                     we_method_name(x->est.method), x->est.estimate,
                     y->est.estimate);
            return 0;
        }
    }
    for (size_t k = 0; k < a->n_metrics; k++) {
        const we_metric_rec *x = &a->metrics[k], *y = &b->metrics[k];
        if (strcmp(x->name, y->name) != 0 || !same_double(x->value, y->value)
            || strcmp(x->unit, y->unit) != 0 ||
            strcmp(x->description, y->description) != 0 ||
            !same_text(x->label_nl, y->label_nl) ||
            !same_text(x->description_nl, y->description_nl)) {
            snprintf(why, n, "metric %zu ('%s') differs: %.17g, then %.17g",
                     k, x->name, x->value, y->value);
            return 0;
        }
    }
    if (a->n_area_metrics != b->n_area_metrics) {
        snprintf(why, n, "the first run gave %zu per-wijk metrics, the "
                 "second %zu", a->n_area_metrics, b->n_area_metrics);
        return 0;
    }
    for (size_t k = 0; k < a->n_area_metrics; k++) {
        const we_area_metric_rec *x = &a->area_metrics[k],
                                 *y = &b->area_metrics[k];
        int same = strcmp(x->name, y->name) == 0 && x->n == y->n;
        for (size_t i = 0; same && i < x->n; i++)
            same = same_double(x->values[i], y->values[i]);
        if (!same) {
            snprintf(why, n, "per-wijk metric %zu ('%s') differs", k,
                     x->name);
            return 0;
        }
    }
    return 1;
}

/* ---- one case ----------------------------------------------------------- */

static void print_warnings(const we_check_env *env, const run_out *r)
{
    if (r->n_warnings == 0)
        return;
    printf("           %zu warning%s from the plugin%s\n", r->n_warnings,
           r->n_warnings == 1 ? "" : "s", env->verbose ? ":" : " (-v shows "
           "them)");
    for (size_t k = 0; env->verbose && k < r->n_warnings; k++)
        printf("             %s\n", r->warnings[k]);
}

/* The first run must end normally: on the demo panel it must succeed, on
 * an edge case it may also fail with a message. */
static int check_ended(we_check_env *env, const check_case *cc,
                       const we_experiment_run *x)
{
    const char *err = x->error ? x->error : "";
    if (cc->is_demo)
        we_check_report(env, x->status == WE_EXP_OK, "runs and succeeds",
                        err);
    else
        we_check_report(env, !x->process_fault, "ends normally: succeeds, "
                        "or fails with a message", err);
    return !x->process_fault;
}

static void print_outcome(const we_experiment_run *x)
{
    if (x->status == WE_EXP_OK && x->n_area_metrics > 0)
        printf("           ok: %zu result%s, %zu domain metric%s, %zu "
               "per-wijk metric%s\n",
               x->n_results, x->n_results == 1 ? "" : "s", x->n_metrics,
               x->n_metrics == 1 ? "" : "s", x->n_area_metrics,
               x->n_area_metrics == 1 ? "" : "s");
    else if (x->status == WE_EXP_OK)
        printf("           ok: %zu result%s, %zu domain metric%s\n",
               x->n_results, x->n_results == 1 ? "" : "s", x->n_metrics,
               x->n_metrics == 1 ? "" : "s");
    else
        printf("           failed with a message (the experiment is "
               "reported as failed): %s\n", x->error ? x->error : "");
}

static void check_runs(we_check_env *env, const check_case *cc,
                       check_data *d)
{
    const we_plugin_descriptor *desc = &env->plugin.desc;
    char why[2 * WE_ERROR_MAX];
    run_out a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    run_plugin(d, env, 0, &a);
    if (check_ended(env, cc, &a.x)) {
        print_outcome(&a.x);
        run_plugin(d, env, 1, &b);
        we_check_report(env, b.refused[0] == '\0', "the host refused no "
                        "result or metric", b.refused);
        we_check_report(env, results_valid(desc, d, &a.x, why, sizeof why),
                        "every result finite or NaN (unavailable), for a "
                        "declared indicator and role", why);
        we_check_report(env, metrics_valid(&a.x, why, sizeof why),
                        "every domain metric finite, each name once", why);
        if (cc->is_demo)
            we_check_report(env, a.x.n_metrics + a.x.n_area_metrics > 0,
                            "emits at least one domain metric",
                            "no metric emitted");
        we_check_report(env, same_runs(&a.x, &b.x, why, sizeof why),
                        "deterministic: the second run gives identical "
                        "results", why);
        print_warnings(env, &b);
    }
    run_free(&a);
    run_free(&b);
}

/* The plugin's indicators in the demo catalogue, with data, in the
 * declared direction: without them no case can run. */
static int check_targets(we_check_env *env, check_data *d)
{
    we_experiment_run out;
    memset(&out, 0, sizeof out);
    we_ctx_params params = {.design = we_design_for,
                            .cfg = &d->cfg, .panel = &d->panel,
                            .rd = &d->rd, .plugin = &env->plugin,
                            .out = &out};
    we_ctx ctx;
    we_error err = {{0}};
    int ok = we_ctx_open(&ctx, &params, &err) == 0;
    we_ctx_close(&ctx);
    return we_check_report(env, ok, "its indicators are in the demo "
                           "catalogue, with data, in the declared "
                           "direction", err.msg);
}

void we_check_cases(we_check_env *env, const char *demo)
{
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const check_case *cc = &cases[k];
        check_data d;
        memset(&d, 0, sizeof d);
        we_error err = {{0}};
        int ok = load_data(&d, demo, env->plugin.desc.id, cc, &err) == 0;
        printf("  %s: %s\n", cc->name, ok ? d.detail : "");
        /* Without the demo panel or the plugin's indicators in it, no
         * case can run. */
        int go_on = 1;
        env->depth = 1;
        if (!ok)
            go_on = we_check_report(env, 0, "prepare the panel", err.msg) ||
                    !cc->is_demo;
        else if (cc->is_demo && !check_targets(env, &d))
            go_on = 0;
        else
            check_runs(env, cc, &d);
        free_data(&d);
        env->depth = 0;
        if (!go_on)
            break;
    }
}
