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
/* The median procedure time in the catalogue's unit (host->
 * indicator_info), and the share of wijken within the legal term; text in
 * Dutch and English. */
static int permit_metrics(const we_host *h, we_ctx *ctx, const config *c,
                          const double *v, size_t n)
{
    size_t within = 0;
    for (size_t i = 0; i < n; i++)
        within += v[i] <= c->legal_term_days;
    we_summary s = {.struct_size = sizeof s};
    if (h->summarise(ctx, v, n, &s) == WE_ENOMEM)
        return h->fail(ctx, "out of memory");
    we_indicator_info info;
    int rc = we_indicator_text(h, ctx, PERMIT, &info);
    if (rc != WE_OK)
        return rc;
    char en[300], nl[300];
    snprintf(en, sizeof en,
             "Median of '%s' in the treated wijken at the "
             "latest period.",
             info.label_en);
    snprintf(nl, sizeof nl,
             "Mediaan van '%s' in de aangepakte wijken in "
             "de laatste periode.",
             info.label_nl);
    we_metric m = {.struct_size = sizeof m,
                   .name = "median_permit_days",
                   .value = s.median,
                   .unit = info.unit_en,
                   .unit_nl = info.unit_nl,
                   .description = en,
                   .description_nl = nl,
                   .label_en = "Median permit procedure time",
                   .label_nl = "Mediane doorlooptijd vergunning"};
    rc = we_emit_metric_text_over(h, ctx, &m, n);
    snprintf(en, sizeof en,
             "Share of treated wijken whose permit "
             "procedure time at the latest period is within the legal term "
             "of %g days.",
             c->legal_term_days);
    snprintf(nl, sizeof nl,
             "Aandeel aangepakte wijken waar de doorlooptijd "
             "van een vergunning in de laatste periode binnen de wettelijke "
             "termijn van %g dagen blijft.",
             c->legal_term_days);
    m = (we_metric){.struct_size = sizeof m,
                    .name = "share_within_legal_term",
                    .value = n ? (double)within / (double)n : NAN,
                    .unit = "share",
                    .unit_nl = "aandeel",
                    .description = en,
                    .description_nl = nl,
                    .label_en = "Wijken within the legal term",
                    .label_nl = "Wijken binnen de wettelijke termijn"};
    if (rc == WE_OK)
        rc = we_emit_metric_text_over(h, ctx, &m, n);
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
    .summary_nl = "Worden vergunning- en subsidieprocedures in de "
                  "aangepakte wijken korter en de gemeente beter bereikbaar, "
                  "met minder tijd kwijt aan administratie?",
    .indicators = indicators,
    .n_indicators = sizeof indicators / sizeof indicators[0],
    .settings = settings,
    .n_settings = sizeof settings / sizeof settings[0],
    .init = init,
    .evaluate = evaluate,
    .fini = fini,
};

WE_PLUGIN_DEFINE(descriptor)
