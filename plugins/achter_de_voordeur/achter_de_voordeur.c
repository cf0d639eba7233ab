/* Experiment "Achter de voordeur": does outreach reach the households
 * behind the front door (multi-problem families, debts, school drop-out),
 * and do those households get a plan? */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

typedef struct config {
    double mpg_per_1000;
} config;

/* Reads and checks the settings once; evaluate gets a copy. */
static int init(const we_host *h, we_ctx *ctx, void **state)
{
    config c = {.mpg_per_1000 = 50.0};
    if (we_setting_double_in(h, ctx, "mpg_per_1000", 1, 1000,
                             &c.mpg_per_1000))
        return WE_EPLUGIN;
    if ((*state = malloc(sizeof c)) == NULL)
        return h->fail(ctx, "out of memory");
    memcpy(*state, &c, sizeof c);
    return WE_OK;
}

static void fini(void *state) { free(state); }

/* reach and plan: the treated wijken's values at the latest period. */
static int outreach_metrics(const we_host *h, we_ctx *ctx, const config *c,
                            double *reach, size_t n_r, double *plan,
                            size_t n_p)
{
    /* Reaching more households than have problems is full reach. */
    for (size_t i = 0; i < n_r; i++)
        reach[i] = fmin(1.0, reach[i] / c->mpg_per_1000);
    for (size_t i = 0; i < n_p; i++)
        plan[i] /= 100.0;
    we_summary r = {.struct_size = sizeof r}, p = {.struct_size = sizeof p};
    if (h->summarise(ctx, reach, n_r, &r) == WE_ENOMEM ||
        h->summarise(ctx, plan, n_p, &p) == WE_ENOMEM)
        return h->fail(ctx, "out of memory");
    we_indicator_info info;
    int rc = we_indicator_text(h, ctx, REACHED, &info);
    if (rc != WE_OK)
        return rc;
    char en[300], nl[300];
    snprintf(en, sizeof en,
             "Mean share of the multi-problem households "
             "(assumed %g %s) that outreach reached in treated wijken "
             "at the latest period.",
             c->mpg_per_1000, info.unit_en);
    snprintf(nl, sizeof nl,
             "Gemiddeld aandeel van de multiprobleemhuishoudens "
             "(aangenomen %g %s) dat outreach bereikte in de aangepakte "
             "wijken in de laatste periode.",
             c->mpg_per_1000, info.unit_nl);
    we_metric m = {.struct_size = sizeof m,
                   .name = "outreach_reach_share",
                   .value = r.mean,
                   .unit = "share",
                   .unit_nl = "aandeel",
                   .description = en,
                   .description_nl = nl,
                   .label_en = "Multi-problem households reached",
                   .label_nl = "Bereikte multiprobleemhuishoudens"};
    rc = we_emit_metric_text_over(h, ctx, &m, r.n);
    we_indicator_info plan_info;
    int info_rc = we_indicator_text(h, ctx, PLAN, &plan_info);
    if (rc == WE_OK)
        rc = info_rc;
    snprintf(en, sizeof en,
             "Mean of '%s' in treated wijken at the latest "
             "period, as a share.",
             plan_info.label_en);
    snprintf(nl, sizeof nl,
             "Gemiddelde van '%s' in de aangepakte wijken in "
             "de laatste periode, als aandeel.",
             plan_info.label_nl);
    m = (we_metric){.struct_size = sizeof m,
                    .name = "mpg_plan_share_latest",
                    .value = p.mean,
                    .unit = "share",
                    .unit_nl = "aandeel",
                    .description = en,
                    .description_nl = nl,
                    .label_en = "Multi-problem households with a plan",
                    .label_nl = "Multiprobleemhuishoudens met een plan"};
    if (rc == WE_OK)
        rc = we_emit_metric_text_over(h, ctx, &m, p.n);
    return rc;
}

static int evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    size_t A = h->n_areas(ctx), t = h->latest(ctx), n_r = 0, n_p = 0;
    double *reach = malloc(2 * A * sizeof *reach);
    if (reach == NULL)
        return h->fail(ctx, "out of memory");
    int rc = h->treated_values(ctx, REACHED, t, reach, &n_r);
    if (rc == WE_OK)
        rc = h->treated_values(ctx, PLAN, t, reach + A, &n_p);
    if (rc == WE_OK)
        rc = outreach_metrics(h, ctx, state, reach, n_r, reach + A, n_p);
    free(reach);
    return rc != WE_OK ? rc : h->evaluate_targets(ctx, WE_METHODS_ALL);
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
    .summary_nl = "Bereikt outreach achter de voordeur meer "
                  "multiprobleemhuishoudens in de aangepakte wijken, en "
                  "komen er minder in een langdurige uitkering of op een "
                  "wachtlijst voor schuldhulp terecht?",
    .indicators = indicators,
    .n_indicators = sizeof indicators / sizeof indicators[0],
    .settings = settings,
    .n_settings = sizeof settings / sizeof settings[0],
    .init = init,
    .evaluate = evaluate,
    .fini = fini,
};

WE_PLUGIN_DEFINE(descriptor)
