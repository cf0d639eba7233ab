/* Experiment "Samenhang in de wijk": does social cohesion in the treated
 * wijken grow? Besides the core methods it checks that the cohesion items
 * form one scale (Cronbach's alpha) and measures how far the treated wijken
 * moved on that scale. */
#include <math.h>
#include <stdlib.h>

#include <wijkeval/plugin.h>

static const we_indicator_spec indicators[] = {
    {"sociale_cohesie_score", WE_ROLE_PRIMARY, WE_HIGHER_IS_BETTER},
    {"eenzaamheid_pct", WE_ROLE_SECONDARY, WE_LOWER_IS_BETTER},
    {"vrijwilligerswerk_pct", WE_ROLE_SECONDARY, WE_HIGHER_IS_BETTER},
    {"rapportcijfer_woonomgeving", WE_ROLE_SECONDARY, WE_HIGHER_IS_BETTER},
};

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
    double *col; /* room for one value per area */
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

/* Fits means and sample SDs at period t: 1, or 0 when there are too few
 * complete areas or an item does not vary (no standardisation possible),
 * or WE_ENOMEM. */
static int fit(const we_host *h, we_ctx *ctx, scale *s, size_t t)
{
    for (size_t j = 0; j < K; j++) {
        s->n = 0;
        for (size_t a = 0; a < h->n_areas(ctx); a++)
            if (complete(s, a, t))
                s->col[s->n++] = s->x[j][a * s->T + t];
        we_summary sum = {.struct_size = sizeof sum};
        if (h->summarise(ctx, s->col, s->n, &sum) == WE_ENOMEM)
            return WE_ENOMEM;
        s->mean[j] = sum.mean;
        s->sd[j] = sum.sd;
        if (s->n < 3 || !(s->sd[j] > 0))
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
    return *n ? sum / (double)*n : NAN;
}

/* Alpha at the latest period, then the change in baseline units: each
 * needs the scale fitted at its own period. */
static int cohesion_metrics(const we_host *h, we_ctx *ctx, scale *s)
{
    size_t A = h->n_areas(ctx), b = h->baseline(ctx), l = h->latest(ctx);
    size_t n_alpha = 0, n_change = 0;
    double alpha = NAN, change = NAN;
    int fit_l = fit(h, ctx, s, l);
    if (fit_l == 1 && !isnan(alpha = cronbach_alpha(s, A, l)))
        n_alpha = s->n;
    int fit_b = fit_l < 0 ? fit_l : fit(h, ctx, s, b);
    if (fit_b == 1)
        change = treated_change(h, ctx, s, b, l, &n_change);
    if (fit_b < 0)
        return h->fail(ctx, "out of memory");
    we_metric m = {
        .struct_size = sizeof m,
        .name = "cohesion_scale_alpha",
        .value = alpha,
        .unit = "alpha",
        .unit_nl = "alfa",
        .label_en = "Reliability of the cohesion scale",
        .label_nl = "Betrouwbaarheid van de samenhangschaal",
        .description = "Cronbach's alpha of the cohesion scale (cohesion, "
                       "activity for the neighbourhood, volunteering, "
                       "reversed loneliness) across all wijken at the "
                       "latest period.",
        .description_nl = "Cronbachs alfa van de samenhangschaal "
                          "(sociale samenhang, actief voor de buurt, "
                          "vrijwilligerswerk, omgekeerde eenzaamheid) over "
                          "alle wijken in de laatste periode."};
    int rc = we_emit_metric_text_over(h, ctx, &m, n_alpha);
    m = (we_metric){
        .struct_size = sizeof m,
        .name = "cohesion_scale_treated_change",
        .value = change,
        .unit = "sd",
        .unit_nl = "sd",
        .label_en = "Change on the cohesion scale",
        .label_nl = "Verandering op de samenhangschaal",
        .description = "Mean change of the standardised cohesion scale in "
                       "treated wijken from baseline to the latest period, "
                       "in baseline standard deviations.",
        .description_nl = "Gemiddelde verandering van de gestandaardiseerde "
                          "samenhangschaal in de aangepakte wijken van de "
                          "nulmeting tot de laatste periode, in "
                          "standaarddeviaties bij de nulmeting."};
    if (rc == WE_OK)
        rc = we_emit_metric_text_over(h, ctx, &m, n_change);
    return rc;
}

static int evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    (void)state;
    scale s = {.T = h->n_periods(ctx)};
    for (size_t j = 0; j < K; j++) {
        if ((s.x[j] = h->indicator(ctx, items[j])) == NULL)
            return h->fail(ctx, "indicator '%s' is not in the panel; the "
                           "cohesion scale needs it; add it to the "
                           "indicators file", items[j]);
        we_direction d = h->direction(ctx, items[j]);
        s.sign[j] = (d != WE_DIRECTION_FROM_CATALOG ? d : item_direction[j]);
    }
    if ((s.col = malloc(h->n_areas(ctx) * sizeof *s.col)) == NULL)
        return h->fail(ctx, "out of memory");
    int rc = cohesion_metrics(h, ctx, &s);
    free(s.col);
    return rc != WE_OK ? rc : h->evaluate_targets(ctx, WE_METHODS_ALL);
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
    .summary_nl = "Groeit de sociale samenhang in de aangepakte wijken: "
                  "voelen bewoners zich meer verbonden, minder eenzaam en "
                  "doen ze meer vrijwilligerswerk dan in vergelijkbare "
                  "wijken?",
    .indicators = indicators,
    .n_indicators = sizeof indicators / sizeof indicators[0],
    .evaluate = evaluate,
};

WE_PLUGIN_DEFINE(descriptor)
