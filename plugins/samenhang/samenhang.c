/* Experiment "Samenhang in de wijk": does social cohesion in the treated
 * wijken grow? Besides the core methods it checks that the cohesion items
 * form one scale (Cronbach's alpha) and measures how far the treated wijken
 * moved on that scale. */
#include <math.h>
#include <string.h>

#include <wijkeval/plugin.h>

static const we_indicator_spec indicators[] = {
    {"sociale_cohesie_score", WE_ROLE_PRIMARY, WE_HIGHER_IS_BETTER},
    {"eenzaamheid_pct", WE_ROLE_SECONDARY, WE_LOWER_IS_BETTER},
    {"vrijwilligerswerk_pct", WE_ROLE_SECONDARY, WE_HIGHER_IS_BETTER},
    {"rapportcijfer_woonomgeving", WE_ROLE_SECONDARY, WE_HIGHER_IS_BETTER},
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

/* The cohesion scale: items whose good direction is up after reversing
 * loneliness. */
enum { K = 4 };
static const char *const items[K] = {"sociale_cohesie_score",
                                     "actief_voor_buurt_pct",
                                     "vrijwilligerswerk_pct",
                                     "eenzaamheid_pct"};
static const we_direction item_direction[K] = {
    WE_HIGHER_IS_BETTER, WE_HIGHER_IS_BETTER, WE_HIGHER_IS_BETTER,
    WE_LOWER_IS_BETTER};

/* Standardisation of every item over the areas that have all items in
 * one period; sign reverses items where lower is better. */
typedef struct scale {
    const double *x[K];
    double sign[K], mean[K], sd[K];
    size_t T, n;
} scale;

static int complete(const scale *s, size_t a, size_t t)
{
    for (size_t j = 0; j < K; j++)
        if (isnan(s->x[j][a * s->T + t]))
            return 0;
    return 1;
}

static double z(const scale *s, size_t j, size_t a, size_t t)
{
    return s->sign[j] * (s->x[j][a * s->T + t] - s->mean[j]) / s->sd[j];
}

/* Fits means and sample SDs at period t; 0 when there are too few areas
 * or an item does not vary (no standardisation possible). */
static int fit(scale *s, size_t n_areas, size_t t)
{
    memset(s->mean, 0, sizeof s->mean);
    memset(s->sd, 0, sizeof s->sd);
    s->n = 0;
    for (size_t a = 0; a < n_areas; a++) {
        if (!complete(s, a, t))
            continue;
        for (size_t j = 0; j < K; j++)
            s->mean[j] += s->x[j][a * s->T + t];
        s->n++;
    }
    if (s->n < 3)
        return 0;
    for (size_t j = 0; j < K; j++)
        s->mean[j] /= (double)s->n;
    for (size_t a = 0; a < n_areas; a++) {
        if (!complete(s, a, t))
            continue;
        for (size_t j = 0; j < K; j++) {
            double d = s->x[j][a * s->T + t] - s->mean[j];
            s->sd[j] += d * d;
        }
    }
    for (size_t j = 0; j < K; j++) {
        s->sd[j] = sqrt(s->sd[j] / (double)(s->n - 1));
        if (!(s->sd[j] > 0))
            return 0;
    }
    return 1;
}

/* Cronbach's alpha of the z-scored items at t (s fitted at t, so item and
 * total means are zero). */
static double cronbach_alpha(const scale *s, size_t n_areas, size_t t)
{
    double sum_item_var = 0, total_var = 0;
    for (size_t a = 0; a < n_areas; a++) {
        if (!complete(s, a, t))
            continue;
        double total = 0;
        for (size_t j = 0; j < K; j++) {
            double zj = z(s, j, a, t);
            sum_item_var += zj * zj;
            total += zj;
        }
        total_var += total * total;
    }
    if (!(total_var > 0))
        return NAN;
    return (double)K / (K - 1) * (1.0 - sum_item_var / total_var);
}

/* Mean change of the scale score (mean item z, baseline standardisation)
 * of treated areas with all items at baseline and latest. */
static double treated_change(const we_host *h, we_ctx *ctx, const scale *s,
                             size_t b, size_t l, size_t *n)
{
    double sum = 0;
    *n = 0;
    for (size_t a = 0; a < h->n_areas(ctx); a++) {
        if (h->treated_from(ctx, a) < 0 || !complete(s, a, b) ||
            !complete(s, a, l))
            continue;
        for (size_t j = 0; j < K; j++)
            sum += (z(s, j, a, l) - z(s, j, a, b)) / K;
        (*n)++;
    }
    return mean_of(sum, *n);
}

static int cohesion_metrics(const we_host *h, we_ctx *ctx)
{
    scale s = {.T = h->n_periods(ctx)};
    for (size_t j = 0; j < K; j++) {
        if ((s.x[j] = require(h, ctx, items[j])) == NULL)
            return WE_EPLUGIN;
        we_direction d = h->direction(ctx, items[j]);
        s.sign[j] = (d != WE_DIRECTION_FROM_CATALOG ? d : item_direction[j]);
    }
    size_t A = h->n_areas(ctx), b = h->baseline(ctx), l = h->latest(ctx);
    double alpha = fit(&s, A, l) ? cronbach_alpha(&s, A, l) : NAN;
    size_t n = isnan(alpha) ? 0 : s.n;
    int rc = emit(h, ctx, "cohesion_scale_alpha", alpha, n, "alpha",
                  "Cronbach's alpha of the cohesion scale (cohesion, "
                  "activity for the neighbourhood, volunteering, reversed "
                  "loneliness) across all wijken at the latest period.");
    double change = NAN;
    n = 0;
    if (fit(&s, A, b))
        change = treated_change(h, ctx, &s, b, l, &n);
    if (rc == WE_OK)
        rc = emit(h, ctx, "cohesion_scale_treated_change", change, n, "sd",
                  "Mean change of the standardised cohesion scale in treated "
                  "wijken from baseline to the latest period, in baseline "
                  "standard deviations.");
    return rc;
}

static int evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    (void)state;
    int rc = cohesion_metrics(h, ctx);
    return rc != WE_OK ? rc : estimate_targets(h, ctx);
}

static const we_plugin_descriptor descriptor = {
    WE_DESCRIPTOR_HEADER,
    .id = "samenhang",
    .title_nl = "Samenhang in de wijk",
    .title_en = "Social cohesion",
    .version = "1.0.0",
    .summary = "Does social cohesion in the treated wijken grow: do "
               "residents feel more connected, less lonely and more engaged "
               "in volunteering than in comparable wijken?",
    .indicators = indicators,
    .n_indicators = sizeof indicators / sizeof indicators[0],
    .evaluate = evaluate,
};

WE_PLUGIN_DEFINE(descriptor)
