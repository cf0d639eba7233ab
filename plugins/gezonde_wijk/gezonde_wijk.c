/* Experiment "Gezonde wijk": do residents of the treated wijken get
 * healthier, and does their health gap to the rest of the city close? */
#include <math.h>
#include <string.h>

#include <wijkeval/plugin.h>

static const we_indicator_spec indicators[] = {
    {"ervaren_gezondheid_goed_pct", WE_ROLE_PRIMARY, WE_HIGHER_IS_BETTER},
    {"psychisch_ongezond_pct", WE_ROLE_SECONDARY, WE_LOWER_IS_BETTER},
    {"overgewicht_pct", WE_ROLE_SECONDARY, WE_LOWER_IS_BETTER},
    {"beweegnorm_pct", WE_ROLE_SECONDARY, WE_HIGHER_IS_BETTER},
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

/* ---- this experiment ----------------------------------------------- */

/* The health gap index always uses these four, whatever the targets. */
enum { K = 4 };
static const char *const health[K] = {"ervaren_gezondheid_goed_pct",
                                      "psychisch_ongezond_pct",
                                      "overgewicht_pct", "beweegnorm_pct"};
static const we_direction health_direction[K] = {
    WE_HIGHER_IS_BETTER, WE_LOWER_IS_BETTER, WE_LOWER_IS_BETTER,
    WE_HIGHER_IS_BETTER};

typedef struct gap_input {
    const double *x[K];
    double sign[K]; /* +1 higher is better, -1 lower is better */
    double sd[K];   /* between-area SD at baseline */
    int weighted;   /* population weights for the city reference */
} gap_input;

/* Weights only when every area has a population: mixing weighted and
 * unweighted references would compare different averages. */
static int all_populations_known(const we_host *h, we_ctx *ctx)
{
    for (size_t a = 0; a < h->n_areas(ctx); a++) {
        double p = h->area_population(ctx, a);
        if (!(isfinite(p) && p > 0))
            return 0;
    }
    return 1;
}

static double between_sd(const we_host *h, we_ctx *ctx, const double *x,
                         size_t t)
{
    size_t T = h->n_periods(ctx), n = 0;
    double sum = 0, ss = 0;
    for (size_t a = 0; a < h->n_areas(ctx); a++) {
        if (!isnan(x[a * T + t])) {
            sum += x[a * T + t];
            n++;
        }
    }
    if (n < 2)
        return NAN;
    double mean = sum / (double)n;
    for (size_t a = 0; a < h->n_areas(ctx); a++)
        if (!isnan(x[a * T + t]))
            ss += (x[a * T + t] - mean) * (x[a * T + t] - mean);
    return sqrt(ss / (double)(n - 1));
}

/* Average of x at t over the other areas of area a's municipality. */
static double city_reference(const we_host *h, we_ctx *ctx, const double *x,
                             size_t a, size_t t, int weighted)
{
    size_t T = h->n_periods(ctx);
    const char *mine = h->area_municipality(ctx, a);
    double sum = 0, wsum = 0;
    for (size_t b = 0; mine != NULL && b < h->n_areas(ctx); b++) {
        const char *theirs = h->area_municipality(ctx, b);
        if (b == a || isnan(x[b * T + t]) || theirs == NULL ||
            strcmp(mine, theirs) != 0)
            continue;
        double w = weighted ? h->area_population(ctx, b) : 1.0;
        sum += w * x[b * T + t];
        wsum += w;
    }
    return wsum > 0 ? sum / wsum : NAN;
}

/* Mean over treated wijken and indicators of the signed gap to the city
 * at t in baseline SDs; n counts the (wijk, indicator) pairs used. */
static double gap_index(const we_host *h, we_ctx *ctx, const gap_input *g,
                        size_t t, size_t *n)
{
    size_t T = h->n_periods(ctx);
    double sum = 0;
    *n = 0;
    for (size_t j = 0; j < K; j++) {
        for (size_t a = 0; g->sd[j] > 0 && a < h->n_areas(ctx); a++) {
            if (h->treated_from(ctx, a) < 0)
                continue;
            double v = g->x[j][a * T + t];
            double ref = city_reference(h, ctx, g->x[j], a, t, g->weighted);
            if (isnan(v) || isnan(ref))
                continue;
            sum += g->sign[j] * (v - ref) / g->sd[j];
            (*n)++;
        }
    }
    return mean_of(sum, *n);
}

static int health_metrics(const we_host *h, we_ctx *ctx)
{
    gap_input g = {.weighted = all_populations_known(h, ctx)};
    size_t b = h->baseline(ctx), n;
    for (size_t j = 0; j < K; j++) {
        if ((g.x[j] = require(h, ctx, health[j])) == NULL)
            return WE_EPLUGIN;
        we_direction d = h->direction(ctx, health[j]);
        g.sign[j] = d != WE_DIRECTION_FROM_CATALOG ? d : health_direction[j];
        g.sd[j] = between_sd(h, ctx, g.x[j], b);
    }
    double v = gap_index(h, ctx, &g, b, &n);
    int rc = emit(h, ctx, "health_gap_index_baseline", v, n, "sd",
                  "Mean health gap of the treated wijken to the other "
                  "wijken of their municipality at baseline, over four "
                  "health indicators, in between-wijk standard deviations "
                  "(negative = behind the city).");
    v = gap_index(h, ctx, &g, h->latest(ctx), &n);
    if (rc == WE_OK)
        rc = emit(h, ctx, "health_gap_index_latest", v, n, "sd",
                  "Mean health gap of the treated wijken to the other "
                  "wijken of their municipality at the latest period, over "
                  "four health indicators, in baseline between-wijk standard "
                  "deviations (negative = behind the city).");
    return rc;
}

static int evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    (void)state;
    int rc = health_metrics(h, ctx);
    return rc != WE_OK ? rc : estimate_targets(h, ctx);
}

static const we_plugin_descriptor descriptor = {
    WE_DESCRIPTOR_HEADER,
    .id = "gezonde_wijk",
    .title_nl = "Gezonde wijk",
    .title_en = "Healthy neighbourhood",
    .version = "1.0.0",
    .summary = "Do residents of the treated wijken feel healthier, move "
               "more and carry less excess weight, and does their health "
               "gap to the rest of the city close?",
    .indicators = indicators,
    .n_indicators = sizeof indicators / sizeof indicators[0],
    .evaluate = evaluate,
};

WE_PLUGIN_DEFINE(descriptor)
