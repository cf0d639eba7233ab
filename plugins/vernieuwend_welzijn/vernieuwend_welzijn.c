/* Experiment "Vernieuwend welzijn": does outreach-oriented welfare work
 * make more clients self-reliant? */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <wijkeval/plugin.h>

#define SELF_RELIANCE "zelfredzaamheid_score"

static const we_indicator_spec indicators[] = {
    {"zelfredzaamheid_score", WE_ROLE_PRIMARY, WE_HIGHER_IS_BETTER},
    {"outreach_tijd_pct", WE_ROLE_SECONDARY, WE_HIGHER_IS_BETTER},
    {"huisuitzettingen_per_1000", WE_ROLE_SECONDARY, WE_LOWER_IS_BETTER},
    {"eenzaamheid_pct", WE_ROLE_SECONDARY, WE_LOWER_IS_BETTER},
};

static const we_setting_spec settings[] = {
    {"self_reliance_threshold", WE_SETTING_DOUBLE,
     "mean self-reliance score (1-5 matrix) from which a wijk counts as "
     "self-reliant (default 3.5)"},
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

/* ---- this experiment ----------------------------------------------- */

typedef struct config {
    double threshold;
} config;

/* Reads and checks the settings once; evaluate uses the result. */
static int init(const we_host *h, we_ctx *ctx, void **state)
{
    config *c = malloc(sizeof *c);
    if (c == NULL)
        return h->fail(ctx, "out of memory");
    *c = (config){.threshold = 3.5};
    if (read_double(h, ctx, "self_reliance_threshold", 1, 5,
                    &c->threshold) != WE_OK) {
        free(c);
        return WE_EPLUGIN;
    }
    *state = c;
    return WE_OK;
}

static void fini(void *state) { free(state); }

/* Share of treated wijken with a value at t that reach the threshold. */
static double self_reliant_share(const we_host *h, we_ctx *ctx,
                                 const double *x, size_t t, double threshold,
                                 size_t *n)
{
    size_t T = h->n_periods(ctx), reached = 0;
    *n = 0;
    for (size_t a = 0; a < h->n_areas(ctx); a++) {
        double v = x[a * T + t];
        if (h->treated_from(ctx, a) < 0 || isnan(v))
            continue;
        (*n)++;
        reached += v >= threshold;
    }
    return mean_of((double)reached, *n);
}

static int welfare_metrics(const we_host *h, we_ctx *ctx, const config *c)
{
    const double *x = require(h, ctx, SELF_RELIANCE);
    if (x == NULL)
        return WE_EPLUGIN;
    size_t n_b, n_l;
    double base = self_reliant_share(h, ctx, x, h->baseline(ctx),
                                     c->threshold, &n_b);
    double latest = self_reliant_share(h, ctx, x, h->latest(ctx),
                                       c->threshold, &n_l);
    char desc[200];
    snprintf(desc, sizeof desc, "Change from baseline to the latest period "
             "in the share of treated wijken with a mean self-reliance score "
             "of at least %g.", c->threshold);
    int rc = emit(h, ctx, "self_reliant_share_change", latest - base,
                  n_b < n_l ? n_b : n_l, "share", desc);
    snprintf(desc, sizeof desc, "Share of treated wijken with a mean "
             "self-reliance score of at least %g at the latest period.",
             c->threshold);
    if (rc == WE_OK)
        rc = emit(h, ctx, "self_reliant_share_latest", latest, n_l, "share",
                  desc);
    return rc;
}

static int evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    int rc = welfare_metrics(h, ctx, state);
    return rc != WE_OK ? rc : estimate_targets(h, ctx);
}

static const we_plugin_descriptor descriptor = {
    WE_DESCRIPTOR_HEADER,
    .id = "vernieuwend_welzijn",
    .title_nl = "Vernieuwend welzijn",
    .title_en = "Innovative welfare",
    .version = "1.0.0",
    .summary = "Does outreach-oriented welfare work make more residents of "
               "the treated wijken self-reliant, with fewer evictions and "
               "less loneliness?",
    .indicators = indicators,
    .n_indicators = sizeof indicators / sizeof indicators[0],
    .settings = settings,
    .n_settings = sizeof settings / sizeof settings[0],
    .init = init,
    .evaluate = evaluate,
    .fini = fini,
};

WE_PLUGIN_DEFINE(descriptor)
