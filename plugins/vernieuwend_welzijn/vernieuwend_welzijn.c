/* Experiment "Vernieuwend welzijn": does outreach-oriented welfare work
 * make more clients self-reliant? */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

typedef struct config {
    double threshold;
} config;

/* Reads and checks the settings once; evaluate gets a copy. */
static int init(const we_host *h, we_ctx *ctx, void **state)
{
    config c = {.threshold = 3.5};
    if (we_setting_double_in(h, ctx, "self_reliance_threshold", 1, 5,
                             &c.threshold))
        return WE_EPLUGIN;
    if ((*state = malloc(sizeof c)) == NULL)
        return h->fail(ctx, "out of memory");
    memcpy(*state, &c, sizeof c);
    return WE_OK;
}

static void fini(void *state) { free(state); }

/* Share of the n wijken whose score v reaches the threshold. */
static double self_reliant_share(const double *v, size_t n, double threshold)
{
    size_t reached = 0;
    for (size_t i = 0; i < n; i++)
        reached += v[i] >= threshold;
    return n ? (double)reached / (double)n : NAN;
}

/* base, latest: the treated wijken's scores at baseline and latest. */
static int welfare_metrics(const we_host *h, we_ctx *ctx, const config *c,
                           const double *base, size_t n_b,
                           const double *latest, size_t n_l)
{
    double share_b = self_reliant_share(base, n_b, c->threshold);
    double share_l = self_reliant_share(latest, n_l, c->threshold);
    we_indicator_info info;
    int rc = we_indicator_text(h, ctx, SELF_RELIANCE, &info);
    if (rc != WE_OK)
        return rc;
    char en[300], nl[300];
    snprintf(en, sizeof en,
             "Change from baseline to the latest period "
             "in the share of treated wijken whose '%s' is at least %g.",
             info.label_en, c->threshold);
    snprintf(nl, sizeof nl,
             "Verandering van de nulmeting tot de laatste "
             "periode in het aandeel aangepakte wijken waar '%s' minstens %g "
             "is.",
             info.label_nl, c->threshold);
    we_metric m = {.struct_size = sizeof m,
                   .name = "self_reliant_share_change",
                   .value = share_l - share_b,
                   .unit = "share",
                   .unit_nl = "aandeel",
                   .description = en,
                   .description_nl = nl,
                   .label_en = "Change in self-reliant wijken",
                   .label_nl = "Verandering in zelfredzame wijken"};
    rc = we_emit_metric_text_over(h, ctx, &m, n_b < n_l ? n_b : n_l);
    snprintf(en, sizeof en,
             "Share of treated wijken whose '%s' is at least %g "
             "at the latest period.",
             info.label_en, c->threshold);
    snprintf(nl, sizeof nl,
             "Aandeel aangepakte wijken waar '%s' in de "
             "laatste periode minstens %g is.",
             info.label_nl, c->threshold);
    m = (we_metric){.struct_size = sizeof m,
                    .name = "self_reliant_share_latest",
                    .value = share_l,
                    .unit = "share",
                    .unit_nl = "aandeel",
                    .description = en,
                    .description_nl = nl,
                    .label_en = "Self-reliant wijken",
                    .label_nl = "Zelfredzame wijken"};
    if (rc == WE_OK)
        rc = we_emit_metric_text_over(h, ctx, &m, n_l);
    return rc;
}

static int evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    size_t A = h->n_areas(ctx), n_b = 0, n_l = 0;
    double *base = malloc(2 * A * sizeof *base);
    if (base == NULL)
        return h->fail(ctx, "out of memory");
    double *latest = base + A;
    int rc = h->treated_values(ctx, SELF_RELIANCE, h->baseline(ctx), base,
                               &n_b);
    if (rc == WE_OK)
        rc = h->treated_values(ctx, SELF_RELIANCE, h->latest(ctx), latest,
                               &n_l);
    if (rc == WE_OK)
        rc = welfare_metrics(h, ctx, state, base, n_b, latest, n_l);
    free(base);
    return rc != WE_OK ? rc : h->evaluate_targets(ctx, WE_METHODS_ALL);
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
    .summary_nl = "Maakt outreachgericht welzijnswerk meer bewoners van de "
                  "aangepakte wijken zelfredzaam, met minder "
                  "huisuitzettingen en minder eenzaamheid?",
    .indicators = indicators,
    .n_indicators = sizeof indicators / sizeof indicators[0],
    .settings = settings,
    .n_settings = sizeof settings / sizeof settings[0],
    .init = init,
    .evaluate = evaluate,
    .fini = fini,
};

WE_PLUGIN_DEFINE(descriptor)
