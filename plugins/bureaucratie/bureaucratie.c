/* Experiment "Terugdringen bureaucratie": do procedures in the treated
 * wijken get shorter, and are permits decided within the legal term? */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <wijkeval/plugin.h>

#define PERMIT "doorlooptijd_vergunning_dagen"

static const we_indicator_spec indicators[] = {
    {"doorlooptijd_vergunning_dagen", WE_ROLE_PRIMARY, WE_LOWER_IS_BETTER},
    {"doorlooptijd_subsidie_dagen", WE_ROLE_SECONDARY, WE_LOWER_IS_BETTER},
    {"administratietijd_pct", WE_ROLE_SECONDARY, WE_LOWER_IS_BETTER},
    {"gemeente_bereikbaar_pct", WE_ROLE_SECONDARY, WE_HIGHER_IS_BETTER},
};

static const we_setting_spec settings[] = {
    {"legal_term_days", WE_SETTING_DOUBLE,
     "legal decision term for a permit in days (default 56, eight weeks)"},
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

static int read_double(const we_host *h, we_ctx *ctx, const char *name,
                       double lo, double hi, double *v)
{
    int rc = h->setting_double(ctx, name, v);
    if ((rc != WE_OK && rc != WE_ENOTFOUND) || !(*v >= lo && *v <= hi))
        return h->fail(ctx, "setting '%s' must be a number from %g to %g",
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
    double legal_term_days;
} config;

/* Reads and checks the settings once; evaluate uses the result. */
static int init(const we_host *h, we_ctx *ctx, void **state)
{
    config *c = malloc(sizeof *c);
    if (c == NULL)
        return h->fail(ctx, "out of memory");
    *c = (config){.legal_term_days = 56.0};
    if (read_double(h, ctx, "legal_term_days", 1, 3650,
                    &c->legal_term_days) != WE_OK) {
        free(c);
        return WE_EPLUGIN;
    }
    *state = c;
    return WE_OK;
}

static void fini(void *state) { free(state); }

static int permit_metrics(const we_host *h, we_ctx *ctx, const config *c)
{
    const double *x = require(h, ctx, PERMIT);
    if (x == NULL)
        return WE_EPLUGIN;
    size_t T = h->n_periods(ctx), t = h->latest(ctx), n;
    double median;
    int rc = treated_median(h, ctx, x, t, &median, &n);
    if (rc == WE_OK)
        rc = emit(h, ctx, "median_permit_days", median, n, "days",
                  "Median permit procedure time in days in the treated "
                  "wijken at the latest period.");
    size_t within = 0;
    n = 0;
    for (size_t a = 0; a < h->n_areas(ctx); a++) {
        double v = x[a * T + t];
        if (h->treated_from(ctx, a) < 0 || isnan(v))
            continue;
        n++;
        within += v <= c->legal_term_days;
    }
    char desc[200];
    snprintf(desc, sizeof desc, "Share of treated wijken whose permit "
             "procedure time at the latest period is within the legal term "
             "of %g days.", c->legal_term_days);
    if (rc == WE_OK)
        rc = emit(h, ctx, "share_within_legal_term",
                  mean_of((double)within, n), n, "share", desc);
    return rc;
}

static int evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    int rc = permit_metrics(h, ctx, state);
    return rc != WE_OK ? rc : estimate_targets(h, ctx);
}

static const we_plugin_descriptor descriptor = {
    WE_DESCRIPTOR_HEADER,
    .id = "bureaucratie",
    .title_nl = "Terugdringen bureaucratie",
    .title_en = "Reducing bureaucracy",
    .version = "1.0.0",
    .summary = "Do permit and subsidy procedures in the treated wijken get "
               "shorter and the municipality easier to reach, with less "
               "time lost to administration?",
    .indicators = indicators,
    .n_indicators = sizeof indicators / sizeof indicators[0],
    .settings = settings,
    .n_settings = sizeof settings / sizeof settings[0],
    .init = init,
    .evaluate = evaluate,
    .fini = fini,
};

WE_PLUGIN_DEFINE(descriptor)
