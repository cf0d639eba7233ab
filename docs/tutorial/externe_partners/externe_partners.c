/* Experiment "Externe partners" (Landelijke Alliantie Krachtwijken).
 * More than sixty companies and civil-society organisations joined the
 * alliance to run projects in the krachtwijken, the aim being at least one
 * successful project with an external partner in every wijk in 2009: a
 * supermarket chain opening shops there and offering young people work,
 * entrepreneurs improving liveability with a health insurer. Did youth
 * unemployment fall, did more residents work and were residents more
 * satisfied with their surroundings than in comparable wijken, and did the
 * improvement reach most treated wijken or only a few?
 *
 * The plugin built step by step in wijkeval's docs/plugins.md; the lines
 * in square brackets mark the parts the guide shows. */
#include <math.h>
#include <stdlib.h>

#include <wijkeval/plugin.h>

/* [indicators] */
static const we_indicator_spec indicators[] = {
    {"jeugdwerkloosheid_pct", WE_ROLE_PRIMARY, WE_LOWER_IS_BETTER},
    {"werkzaam_15_64_pct", WE_ROLE_SECONDARY, WE_HIGHER_IS_BETTER},
    {"tevreden_woonomgeving_pct", WE_ROLE_SECONDARY, WE_HIGHER_IS_BETTER},
};
/* [/indicators] */

/* [lifecycle] */
static const we_setting_spec settings[] = {
    {"min_wijken", WE_SETTING_INT,
     "fewest treated wijken with data for the domain metric (default 5)"},
};

/* The plugin's own state: made by init, freed by fini. */
typedef struct state {
    long min_wijken;
} state;

static int init(const we_host *host, we_ctx *ctx, void **out)
{
    state *s = malloc(sizeof *s);
    if (s == NULL)
        return host->fail(ctx, "out of memory");
    s->min_wijken = 5;
    int rc = we_setting_int_in(host, ctx, "min_wijken", 1, 1000000,
                               &s->min_wijken);
    if (rc != WE_OK) {
        free(s); /* a failed init gets no fini */
        return rc;
    }
    *out = s;
    return WE_OK;
}

static void fini(void *st)
{
    free(st);
}
/* [/lifecycle] */

/* [comparison] */
/* The mean of `name` in period t over the comparison wijken that have a
 * value then. WE_ENODATA when none has. */
static int comparison_mean(const we_host *host, we_ctx *ctx,
                           const char *name, size_t t, double *mean)
{
    size_t n_areas = host->n_areas(ctx), n = 0;
    double *x = malloc(n_areas * sizeof *x);
    if (x == NULL)
        return host->fail(ctx, "out of memory");
    int rc = WE_OK;
    if (WE_HOST_HAS(host, comparison_values)) {
        rc = host->comparison_values(ctx, name, t, x, &n);
    } else {
        /* A host of ABI 1.0: the same from the panel itself. */
        const double *y = host->indicator(ctx, name);
        size_t T = host->n_periods(ctx);
        for (size_t a = 0; y != NULL && a < n_areas; a++)
            if (host->is_comparison(ctx, a) && isfinite(y[a * T + t]))
                x[n++] = y[a * T + t];
    }
    we_summary s = {.struct_size = sizeof s};
    if (rc == WE_OK)
        rc = host->summarise(ctx, x, n, &s);
    free(x);
    *mean = s.mean;
    return rc;
}
/* [/comparison] */

/* [metric] */
/* The share of treated wijken whose youth unemployment moved more in the
 * good direction from the baseline to the latest follow-up than that of
 * the comparison wijken did on average: how broad the improvement is,
 * where the core methods say how large it is on average. */
static int ahead_share(const we_host *host, we_ctx *ctx, const state *s)
{
    const char *name = indicators[0].name;
    const double *y = host->indicator(ctx, name);
    if (y == NULL)
        return host->fail(ctx, "indicator '%s' is not in the panel; add "
                          "it to the indicators file", name);
    size_t T = host->n_periods(ctx), b = host->baseline(ctx);
    size_t l = host->latest(ctx);
    double before, after;
    int rc = comparison_mean(host, ctx, name, b, &before);
    if (rc == WE_OK)
        rc = comparison_mean(host, ctx, name, l, &after);
    if (rc == WE_ENODATA) {
        host->log(ctx, WE_LOG_WARNING, "ahead_of_comparison_share: no "
                  "comparison wijk has %s at the baseline and the latest "
                  "follow-up; not computed", name);
        return WE_OK;
    }
    if (rc != WE_OK)
        return rc;
    double good = (double)host->direction(ctx, name);
    size_t n = 0, ahead = 0;
    for (size_t a = 0; a < host->n_areas(ctx); a++) {
        double change = y[a * T + l] - y[a * T + b];
        if (host->treated_from(ctx, a) < 0 || isnan(change))
            continue;
        n++;
        ahead += (change - (after - before)) * good > 0;
    }
    if (n < (size_t)s->min_wijken) {
        host->log(ctx, WE_LOG_WARNING, "ahead_of_comparison_share: %zu "
                  "treated wijken with data, fewer than min_wijken (%ld); "
                  "not computed", n, s->min_wijken);
        return WE_OK;
    }
    return host->emit_metric(ctx, "ahead_of_comparison_share",
                             (double)ahead / (double)n, "share",
                             "Share of the treated wijken whose youth "
                             "unemployment fell more, or rose less, from "
                             "the baseline to the latest follow-up than "
                             "the mean of the comparison wijken.");
}
/* [/metric] */

/* [evaluate] */
static int evaluate(const we_host *host, we_ctx *ctx, void *st)
{
    int rc = host->evaluate_targets(ctx, WE_METHODS_ALL);
    return rc != WE_OK ? rc : ahead_share(host, ctx, st);
}
/* [/evaluate] */

/* [descriptor] */
static const we_plugin_descriptor descriptor = {
    /* Runs on hosts of ABI 1.0 too: see comparison_mean. */
    WE_DESCRIPTOR_HEADER_FOR(0),
    .id = "externe_partners",
    .title_nl = "Externe partners (Landelijke Alliantie Krachtwijken)",
    .title_en = "External partners of the wijken",
    .version = "1.0.0",
    .summary = "Did the projects of companies and civil-society "
               "organisations lower youth unemployment, get more residents "
               "into work and make residents more satisfied with their "
               "surroundings than in comparable wijken, and in how many of "
               "the treated wijken?",
    .indicators = indicators,
    .n_indicators = sizeof indicators / sizeof indicators[0],
    .settings = settings,
    .n_settings = sizeof settings / sizeof settings[0],
    .init = init,
    .evaluate = evaluate,
    .fini = fini,
    .maintainer = "wijkeval plugin tutorial (docs/plugins.md)",
};

WE_PLUGIN_DEFINE(descriptor)
/* [/descriptor] */
