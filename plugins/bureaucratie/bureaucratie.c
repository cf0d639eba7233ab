/* Experiment "Terugdringen bureaucratie": do procedures in the treated
 * wijken get shorter, and are permits decided within the legal term? */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

typedef struct config {
    double legal_term_days;
} config;

/* Reads and checks the settings once; evaluate gets a copy. */
static int init(const we_host *h, we_ctx *ctx, void **state)
{
    config c = {.legal_term_days = 56.0};
    if (we_setting_double_in(h, ctx, "legal_term_days", 1, 3650,
                             &c.legal_term_days))
        return WE_EPLUGIN;
    if ((*state = malloc(sizeof c)) == NULL)
        return h->fail(ctx, "out of memory");
    memcpy(*state, &c, sizeof c);
    return WE_OK;
}

static void fini(void *state) { free(state); }

/* v: the permit procedure times of the n treated wijken with data at the
 * latest period. */
static int permit_metrics(const we_host *h, we_ctx *ctx, const config *c,
                          const double *v, size_t n)
{
    size_t within = 0;
    for (size_t i = 0; i < n; i++)
        within += v[i] <= c->legal_term_days;
    we_summary s = {.struct_size = sizeof s};
    if (h->summarise(ctx, v, n, &s) == WE_ENOMEM)
        return h->fail(ctx, "out of memory");
    int rc = we_emit_metric_over(h, ctx, "median_permit_days", s.median, n,
                                 "days", "Median permit procedure time in "
                                 "days in the treated wijken at the latest "
                                 "period.");
    char desc[200];
    snprintf(desc, sizeof desc, "Share of treated wijken whose permit "
             "procedure time at the latest period is within the legal term "
             "of %g days.", c->legal_term_days);
    if (rc == WE_OK)
        rc = we_emit_metric_over(h, ctx, "share_within_legal_term",
                                 n ? (double)within / (double)n : NAN, n,
                                 "share", desc);
    return rc;
}

static int evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    double *v = malloc(h->n_areas(ctx) * sizeof *v);
    if (v == NULL)
        return h->fail(ctx, "out of memory");
    size_t n = 0;
    int rc = h->treated_values(ctx, PERMIT, h->latest(ctx), v, &n);
    if (rc == WE_OK)
        rc = permit_metrics(h, ctx, state, v, n);
    free(v);
    return rc != WE_OK ? rc : h->evaluate_targets(ctx, WE_METHODS_ALL);
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
