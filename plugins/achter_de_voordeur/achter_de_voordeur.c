/* Experiment "Achter de voordeur": does outreach reach the households
 * behind the front door (multi-problem families, debts, school drop-out),
 * and do those households get a plan? */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <wijkeval/plugin.h>

#define REACHED "huishoudens_bereikt_per_1000"
#define PLAN "mpg_met_plan_pct"

static const we_indicator_spec indicators[] = {
    {"huishoudens_bereikt_per_1000", WE_ROLE_PRIMARY, WE_HIGHER_IS_BETTER},
    {"mpg_met_plan_pct", WE_ROLE_SECONDARY, WE_HIGHER_IS_BETTER},
    {"langdurige_bijstand_pct", WE_ROLE_SECONDARY, WE_LOWER_IS_BETTER},
    {"wachttijd_schuldhulp_dagen", WE_ROLE_SECONDARY, WE_LOWER_IS_BETTER},
};

static const we_setting_spec settings[] = {
    {"mpg_per_1000", WE_SETTING_DOUBLE,
     "assumed number of multi-problem households per 1000 households in a "
     "wijk (default 50)"},
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
    double mpg_per_1000;
} config;

/* Reads and checks the settings once; evaluate uses the result. */
static int init(const we_host *h, we_ctx *ctx, void **state)
{
    config *c = malloc(sizeof *c);
    if (c == NULL)
        return h->fail(ctx, "out of memory");
    *c = (config){.mpg_per_1000 = 50.0};
    if (read_double(h, ctx, "mpg_per_1000", 1, 1000,
                    &c->mpg_per_1000) != WE_OK) {
        free(c);
        return WE_EPLUGIN;
    }
    *state = c;
    return WE_OK;
}

static void fini(void *state) { free(state); }

static int outreach_metrics(const we_host *h, we_ctx *ctx, const config *c)
{
    const double *reached = require(h, ctx, REACHED);
    const double *plan = reached ? require(h, ctx, PLAN) : NULL;
    if (plan == NULL)
        return WE_EPLUGIN;
    size_t T = h->n_periods(ctx), t = h->latest(ctx), n_r = 0, n_p = 0;
    double sum_r = 0, sum_p = 0;
    for (size_t a = 0; a < h->n_areas(ctx); a++) {
        if (h->treated_from(ctx, a) < 0)
            continue;
        double r = reached[a * T + t], p = plan[a * T + t];
        if (!isnan(r)) {
            /* Reaching more households than have problems is full reach. */
            sum_r += fmin(1.0, r / c->mpg_per_1000);
            n_r++;
        }
        if (!isnan(p)) {
            sum_p += p / 100.0;
            n_p++;
        }
    }
    char desc[200];
    snprintf(desc, sizeof desc, "Mean share of the multi-problem households "
             "(assumed %g per 1000) that outreach reached in treated wijken "
             "at the latest period.", c->mpg_per_1000);
    int rc = emit(h, ctx, "outreach_reach_share", mean_of(sum_r, n_r), n_r,
                  "share", desc);
    if (rc == WE_OK)
        rc = emit(h, ctx, "mpg_plan_share_latest", mean_of(sum_p, n_p), n_p,
                  "share", "Mean share of multi-problem households with a "
                  "plan in treated wijken at the latest period.");
    return rc;
}

static int evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    int rc = outreach_metrics(h, ctx, state);
    return rc != WE_OK ? rc : estimate_targets(h, ctx);
}

static const we_plugin_descriptor descriptor = {
    WE_DESCRIPTOR_HEADER,
    .id = "achter_de_voordeur",
    .title_nl = "Achter de voordeur",
    .title_en = "Behind the front door",
    .version = "1.0.0",
    .summary = "Does outreach behind the front door reach more of the "
               "multi-problem households in the treated wijken, and do "
               "fewer of them end up on long-term benefits or waiting for "
               "debt help?",
    .indicators = indicators,
    .n_indicators = sizeof indicators / sizeof indicators[0],
    .settings = settings,
    .n_settings = sizeof settings / sizeof settings[0],
    .init = init,
    .evaluate = evaluate,
    .fini = fini,
};

WE_PLUGIN_DEFINE(descriptor)
