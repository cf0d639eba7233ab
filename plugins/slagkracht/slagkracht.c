/* Experiment "Slagkracht in de wijk": can professionals in the wijk act
 * faster on signals, and did every wijk realise the concrete improvements
 * it named for the end of 2009? */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <wijkeval/plugin.h>

#define DAYS "dagen_signaal_tot_actie"
#define IMPROVEMENTS "concrete_verbeteringen_count"

static const we_indicator_spec indicators[] = {
    {"dagen_signaal_tot_actie", WE_ROLE_PRIMARY, WE_LOWER_IS_BETTER},
    {"meldingen_binnen_termijn_pct", WE_ROLE_SECONDARY, WE_HIGHER_IS_BETTER},
    {"verloedering_score", WE_ROLE_SECONDARY, WE_LOWER_IS_BETTER},
    {"concrete_verbeteringen_count", WE_ROLE_SECONDARY, WE_HIGHER_IS_BETTER},
};

static const we_setting_spec settings[] = {
    {"deadline", WE_SETTING_INT,
     "period by which the named improvements should be realised "
     "(default 2009)"},
    {"improvements_target", WE_SETTING_INT,
     "number of concrete improvements a wijk should have realised by the "
     "deadline (default 3)"},
};

/* ---- shared by every experiment plugin (each carries its own copy) --- */

static const char *const method_names[] = {"pre_post", "gap", "did_2x2",
                                           "twfe"};

/* Runs the four core methods on every target. Too little data for one
 * method is a warning; any other failure ends the evaluation. */
static int estimate_targets(const we_host *h, we_ctx *ctx)
{
    for (size_t k = 0; k < h->n_targets(ctx); k++) {
        const char *name = h->target_name(ctx, k);
        for (int m = WE_METHOD_PRE_POST; m <= WE_METHOD_TWFE; m++) {
            we_estimate est = {.struct_size = sizeof est};
            int rc = h->estimate(ctx, name, (we_method)m, &est);
            if (rc == WE_ENODATA) {
                h->log(ctx, WE_LOG_WARNING, "%s: %s skipped: not enough "
                       "data", name, method_names[m]);
                continue;
            }
            if (rc == WE_ENOTFOUND)
                return h->fail(ctx, "indicator '%s' is not in the panel; "
                               "add it to the data or drop it from the "
                               "targets", name);
            if (rc == WE_OK)
                rc = h->emit_result(ctx, name, h->target_role(ctx, k), &est);
            if (rc != WE_OK)
                return h->fail(ctx, "%s: %s failed (status %d)", name,
                               method_names[m], rc);
        }
    }
    return WE_OK;
}

static const double *require(const we_host *h, we_ctx *ctx, const char *name)
{
    const double *x = h->indicator(ctx, name);
    if (x == NULL)
        h->fail(ctx, "indicator '%s' is not in the panel; this experiment's "
                "metrics need it; add it to the indicators file", name);
    return x;
}

static int period_index(const we_host *h, we_ctx *ctx, const char *setting,
                        long label, size_t *t)
{
    size_t T = h->n_periods(ctx);
    for (*t = 0; *t < T; (*t)++)
        if (h->period(ctx, *t) == label)
            return WE_OK;
    return h->fail(ctx, "setting '%s' = %ld is not a period of the panel "
                   "(%d-%d); choose one of the data's periods", setting,
                   label, h->period(ctx, 0), h->period(ctx, T - 1));
}

static double mean_of(double sum, size_t n)
{
    return n > 0 ? sum / (double)n : NAN;
}

/* Emits a metric over n wijken; with none there is nothing to report. */
static int emit(const we_host *h, we_ctx *ctx, const char *name, double v,
                size_t n, const char *unit, const char *description)
{
    if (n == 0) {
        h->log(ctx, WE_LOG_WARNING, "%s: not enough wijken with data; "
               "metric not computed", name);
        return WE_OK;
    }
    int rc = h->emit_metric(ctx, name, v, unit, description);
    return rc == WE_OK ? WE_OK
                       : h->fail(ctx, "metric %s: emit failed (status %d)",
                                 name, rc);
}

static int read_long(const we_host *h, we_ctx *ctx, const char *name,
                     long lo, long hi, long *v)
{
    int rc = h->setting_int(ctx, name, v);
    if ((rc != WE_OK && rc != WE_ENOTFOUND) || *v < lo || *v > hi)
        return h->fail(ctx, "setting '%s' must be an integer from %ld to %ld",
                       name, lo, hi);
    return WE_OK;
}

static int cmp_double(const void *pa, const void *pb)
{
    double x = *(const double *)pa, y = *(const double *)pb;
    return (x > y) - (x < y);
}

/* Median of x at period t over the treated areas with a value there. */
static int treated_median(const we_host *h, we_ctx *ctx, const double *x,
                          size_t t, double *median, size_t *n)
{
    size_t A = h->n_areas(ctx), T = h->n_periods(ctx);
    double *v = malloc(A * sizeof *v);
    *n = 0;
    *median = NAN;
    if (v == NULL)
        return h->fail(ctx, "out of memory");
    for (size_t a = 0; a < A; a++)
        if (h->treated_from(ctx, a) >= 0 && !isnan(x[a * T + t]))
            v[(*n)++] = x[a * T + t];
    qsort(v, *n, sizeof *v, cmp_double);
    *median = *n == 0       ? NAN
              : *n % 2 == 1 ? v[*n / 2]
                            : (v[*n / 2 - 1] + v[*n / 2]) / 2.0;
    free(v);
    return WE_OK;
}

/* ---- this experiment ----------------------------------------------- */

typedef struct config {
    long deadline;
    long improvements_target;
} config;

/* Reads and checks the settings once; evaluate uses the result. */
static int init(const we_host *h, we_ctx *ctx, void **state)
{
    config *c = malloc(sizeof *c);
    if (c == NULL)
        return h->fail(ctx, "out of memory");
    *c = (config){.deadline = 2009, .improvements_target = 3};
    if (read_long(h, ctx, "deadline", 0, 9999, &c->deadline) != WE_OK ||
        read_long(h, ctx, "improvements_target", 0, 100000,
                  &c->improvements_target) != WE_OK) {
        free(c);
        return WE_EPLUGIN;
    }
    *state = c;
    return WE_OK;
}

static void fini(void *state) { free(state); }

static int slagkracht_metrics(const we_host *h, we_ctx *ctx, const config *c)
{
    const double *days = require(h, ctx, DAYS);
    const double *done = days ? require(h, ctx, IMPROVEMENTS) : NULL;
    size_t t, n;
    if (done == NULL || period_index(h, ctx, "deadline", c->deadline, &t))
        return WE_EPLUGIN;
    double median;
    int rc = treated_median(h, ctx, days, h->latest(ctx), &median, &n);
    if (rc == WE_OK)
        rc = emit(h, ctx, "median_days_signal_to_action", median, n, "days",
                  "Median number of days from a signal to action in the "
                  "treated wijken at the latest period.");
    size_t T = h->n_periods(ctx), reached = 0;
    n = 0;
    for (size_t a = 0; a < h->n_areas(ctx); a++) {
        double v = done[a * T + t];
        if (h->treated_from(ctx, a) < 0 || isnan(v))
            continue;
        n++;
        reached += v >= (double)c->improvements_target;
    }
    char desc[200];
    snprintf(desc, sizeof desc, "Share of treated wijken that had realised "
             "at least %ld concrete improvements by %ld.",
             c->improvements_target, c->deadline);
    if (rc == WE_OK)
        rc = emit(h, ctx, "share_wijken_improvements_realised",
                  mean_of((double)reached, n), n, "share", desc);
    return rc;
}

static int evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    int rc = slagkracht_metrics(h, ctx, state);
    return rc != WE_OK ? rc : estimate_targets(h, ctx);
}

static const we_plugin_descriptor descriptor = {
    WE_DESCRIPTOR_HEADER,
    .id = "slagkracht",
    .title_nl = "Slagkracht in de wijk",
    .title_en = "Capacity to act",
    .version = "1.0.0",
    .summary = "Do professionals in the treated wijken act faster on signals "
               "and realise the concrete improvements each wijk named, "
               "compared with other wijken?",
    .indicators = indicators,
    .n_indicators = sizeof indicators / sizeof indicators[0],
    .settings = settings,
    .n_settings = sizeof settings / sizeof settings[0],
    .init = init,
    .evaluate = evaluate,
    .fini = fini,
};

WE_PLUGIN_DEFINE(descriptor)
