/* Experiment "Bewonersparticipatie": do residents take an active part in
 * their wijk, and were the resident-initiative budgets spent by the
 * deadline (end of 2009) the programme set? */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <wijkeval/plugin.h>

#define BUDGET "bewonersbudget_besteed_pct"

static const we_indicator_spec indicators[] = {
    {"actief_voor_buurt_pct", WE_ROLE_PRIMARY, WE_HIGHER_IS_BETTER},
    {"bewonersinitiatieven_per_10000", WE_ROLE_SECONDARY, WE_HIGHER_IS_BETTER},
    {"opkomst_gemeenteraad_pct", WE_ROLE_SECONDARY, WE_HIGHER_IS_BETTER},
    {"gemeente_betrekt_buurt_pct", WE_ROLE_SECONDARY, WE_HIGHER_IS_BETTER},
};

static const we_setting_spec settings[] = {
    {"deadline", WE_SETTING_INT,
     "period by which the resident-initiative budgets should be spent "
     "(default 2009)"},
    {"spent_threshold_pct", WE_SETTING_DOUBLE,
     "percentage of its budget a wijk must have spent to count as having "
     "spent it (default 90)"},
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
    long deadline;
    double spent_threshold_pct;
} config;

/* Reads and checks the settings once; evaluate uses the result. */
static int init(const we_host *h, we_ctx *ctx, void **state)
{
    config *c = malloc(sizeof *c);
    if (c == NULL)
        return h->fail(ctx, "out of memory");
    *c = (config){.deadline = 2009, .spent_threshold_pct = 90.0};
    if (read_long(h, ctx, "deadline", 0, 9999, &c->deadline) != WE_OK ||
        read_double(h, ctx, "spent_threshold_pct", 0, 100,
                    &c->spent_threshold_pct) != WE_OK) {
        free(c);
        return WE_EPLUGIN;
    }
    *state = c;
    return WE_OK;
}

static void fini(void *state) { free(state); }

static int budget_metrics(const we_host *h, we_ctx *ctx, const config *c)
{
    const double *x = require(h, ctx, BUDGET);
    size_t t;
    if (x == NULL || period_index(h, ctx, "deadline", c->deadline, &t))
        return WE_EPLUGIN;
    size_t T = h->n_periods(ctx), n = 0, spent = 0;
    double sum = 0;
    for (size_t a = 0; a < h->n_areas(ctx); a++) {
        double v = x[a * T + t];
        if (h->treated_from(ctx, a) < 0 || isnan(v))
            continue;
        n++;
        sum += v / 100.0;
        spent += v >= c->spent_threshold_pct;
    }
    char desc[200];
    snprintf(desc, sizeof desc, "Mean share of the resident-initiative "
             "budget that treated wijken had spent by %ld.", c->deadline);
    int rc = emit(h, ctx, "budget_spent_by_deadline", mean_of(sum, n), n,
                  "share", desc);
    snprintf(desc, sizeof desc, "Share of treated wijken that had spent at "
             "least %g%% of their resident-initiative budget by %ld.",
             c->spent_threshold_pct, c->deadline);
    if (rc == WE_OK)
        rc = emit(h, ctx, "wijken_budget_spent_share",
                  mean_of((double)spent, n), n, "share", desc);
    return rc;
}

static int evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    int rc = budget_metrics(h, ctx, state);
    return rc != WE_OK ? rc : estimate_targets(h, ctx);
}

static const we_plugin_descriptor descriptor = {
    WE_DESCRIPTOR_HEADER,
    .id = "bewonersparticipatie",
    .title_nl = "Bewonersparticipatie",
    .title_en = "Resident participation",
    .version = "1.0.0",
    .summary = "Do more residents of the treated wijken take an active part "
               "in their neighbourhood, and did the wijken spend their "
               "resident-initiative budgets by the deadline?",
    .indicators = indicators,
    .n_indicators = sizeof indicators / sizeof indicators[0],
    .settings = settings,
    .n_settings = sizeof settings / sizeof settings[0],
    .init = init,
    .evaluate = evaluate,
    .fini = fini,
};

WE_PLUGIN_DEFINE(descriptor)
