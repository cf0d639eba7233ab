/* Experiment "Gezonde wijk": do residents of the treated wijken get
 * healthier, and does their health gap to the rest of the city close? */
#include <math.h>
#include <stdlib.h>

#include <wijkeval/plugin.h>

static const we_indicator_spec indicators[] = {
    {"ervaren_gezondheid_goed_pct", WE_ROLE_PRIMARY, WE_HIGHER_IS_BETTER},
    {"psychisch_ongezond_pct", WE_ROLE_SECONDARY, WE_LOWER_IS_BETTER},
    {"overgewicht_pct", WE_ROLE_SECONDARY, WE_LOWER_IS_BETTER},
    {"beweegnorm_pct", WE_ROLE_SECONDARY, WE_HIGHER_IS_BETTER},
};

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
    double *ref[K]; /* the run's gap reference of x (host->gap_reference) */
    double sign[K]; /* +1 higher is better, -1 lower is better */
    double sd[K];   /* between-area SD at baseline */
} gap_input;

/* Mean over treated wijken and indicators of the signed gap to the run's
 * gap reference at t in baseline SDs; n counts the (wijk, indicator)
 * pairs used. */
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
            double v = g->x[j][a * T + t], ref = g->ref[j][a * T + t];
            if (isnan(v) || isnan(ref))
                continue;
            sum += g->sign[j] * (v - ref) / g->sd[j];
            (*n)++;
        }
    }
    return *n ? sum / (double)*n : NAN;
}

/* Reads the four indicators, their gap references, their signs and
 * their between-wijk SDs at baseline; col has room for one value per
 * area. */
static int gap_setup(const we_host *h, we_ctx *ctx, gap_input *g,
                     double *col)
{
    size_t A = h->n_areas(ctx), T = h->n_periods(ctx), b = h->baseline(ctx);
    for (size_t j = 0; j < K; j++) {
        if ((g->x[j] = h->indicator(ctx, health[j])) == NULL)
            return h->fail(ctx, "indicator '%s' is not in the panel; the "
                           "health gap index needs it; add it to the "
                           "indicators file", health[j]);
        if ((g->ref[j] = malloc(A * T * sizeof *g->ref[j])) == NULL)
            return h->fail(ctx, "out of memory");
        int rc = h->gap_reference(ctx, health[j], g->ref[j]);
        if (rc != WE_OK)
            return rc;
        we_direction d = h->direction(ctx, health[j]);
        g->sign[j] = d != WE_DIRECTION_FROM_CATALOG ? d : health_direction[j];
        for (size_t a = 0; a < A; a++)
            col[a] = g->x[j][a * T + b];
        we_summary s = {.struct_size = sizeof s};
        if (h->summarise(ctx, col, A, &s) == WE_ENOMEM)
            return h->fail(ctx, "out of memory");
        g->sd[j] = s.sd;
    }
    return WE_OK;
}

static int health_metrics(const we_host *h, we_ctx *ctx, const gap_input *g)
{
    size_t n;
    double v = gap_index(h, ctx, g, h->baseline(ctx), &n);
    we_metric m = {
        .struct_size = sizeof m,
        .name = "health_gap_index_baseline",
        .value = v,
        .unit = "sd",
        .unit_nl = "sd",
        .label_en = "Health gap at baseline",
        .label_nl = "Gezondheidsachterstand bij de nulmeting",
        .description = "Mean health gap of the treated wijken to the run's "
                       "gap reference (the config's gap: their municipality "
                       "or the country) at baseline, over four health "
                       "indicators, in between-wijk standard deviations "
                       "(negative = behind).",
        .description_nl = "Gemiddelde gezondheidsachterstand van de "
                          "aangepakte wijken ten opzichte van de "
                          "vergelijkingsmaat van de run (de gap van de "
                          "config: hun gemeente of het land) bij de "
                          "nulmeting, over vier gezondheidsindicatoren, in "
                          "standaarddeviaties tussen wijken (negatief = "
                          "achter)."};
    int rc = we_emit_metric_text_over(h, ctx, &m, n);
    m.value = gap_index(h, ctx, g, h->latest(ctx), &n);
    m.name = "health_gap_index_latest";
    m.label_en = "Health gap at the latest period";
    m.label_nl = "Gezondheidsachterstand in de laatste periode";
    m.description = "Mean health gap of the treated wijken to the run's "
                    "gap reference (the config's gap: their municipality "
                    "or the country) at the latest period, over four "
                    "health indicators, in baseline between-wijk standard "
                    "deviations (negative = behind).";
    m.description_nl = "Gemiddelde gezondheidsachterstand van de "
                       "aangepakte wijken ten opzichte van de "
                       "vergelijkingsmaat van de run (de gap van de config: "
                       "hun gemeente of het land) in de laatste periode, "
                       "over vier gezondheidsindicatoren, in "
                       "standaarddeviaties tussen wijken bij de nulmeting "
                       "(negatief = achter).";
    if (rc == WE_OK)
        rc = we_emit_metric_text_over(h, ctx, &m, n);
    return rc;
}

/* The health gap index of treated wijk a at t (NaN when it has no
 * indicator with data). */
static double wijk_gap(const we_host *h, we_ctx *ctx, const gap_input *g,
                       size_t a, size_t t)
{
    size_t T = h->n_periods(ctx), n = 0;
    double sum = 0;
    for (size_t j = 0; j < K; j++) {
        double v = g->x[j][a * T + t], ref = g->ref[j][a * T + t];
        if (!(g->sd[j] > 0) || isnan(v) || isnan(ref))
            continue;
        sum += g->sign[j] * (v - ref) / g->sd[j];
        n++;
    }
    return n ? sum / (double)n : NAN;
}

/* Per treated wijk (ABI 1.3, host->emit_area_metric): its health gap
 * index at the latest period, and whether a wijk behind at baseline
 * caught up (1) or not (0). */
static int health_by_wijk(const we_host *h, we_ctx *ctx, const gap_input *g)
{
    size_t A = h->n_areas(ctx), b = h->baseline(ctx), l = h->latest(ctx);
    size_t n_latest = 0, n_behind = 0;
    double *v = malloc(2 * (A ? A : 1) * sizeof *v);
    if (v == NULL)
        return h->fail(ctx, "out of memory");
    double *caught = v + A;
    for (size_t a = 0; a < A; a++) {
        int treated = h->treated_from(ctx, a) >= 0;
        double gb = treated ? wijk_gap(h, ctx, g, a, b) : NAN;
        v[a] = treated ? wijk_gap(h, ctx, g, a, l) : NAN;
        caught[a] = gb < 0 && !isnan(v[a]) ? (double)(v[a] >= 0) : NAN;
        n_latest += !isnan(v[a]);
        n_behind += !isnan(caught[a]);
    }
    we_area_metric m = {
        .struct_size = sizeof m,
        .name = "health_gap_by_wijk",
        .values = v,
        .unit = "sd",
        .unit_nl = "sd",
        .label_en = "Health gap, latest period",
        .label_nl = "Gezondheidsachterstand, laatste periode",
        .description = "The wijk's health gap index at the latest period, "
                       "in baseline between-wijk standard deviations "
                       "(negative = behind).",
        .description_nl = "De gezondheidsachterstand van de wijk in de "
                          "laatste periode, in standaarddeviaties tussen "
                          "wijken bij de nulmeting (negatief = achter)."};
    int rc = n_latest > 0 ? h->emit_area_metric(ctx, &m) : WE_OK;
    m.name = "health_gap_caught_up";
    m.values = caught;
    m.unit = "1 = yes";
    m.unit_nl = "1 = ja";
    m.label_en = "Caught up on health";
    m.label_nl = "Gezondheidsachterstand ingehaald";
    m.description = "For a wijk behind at baseline: 1 when its health gap "
                    "index is 0 or more at the latest period (caught up), "
                    "else 0.";
    m.description_nl = "Voor een wijk die bij de nulmeting achterliep: 1 "
                       "als de gezondheidsachterstand in de laatste periode "
                       "0 of meer is (ingehaald), anders 0.";
    if (rc == WE_OK && n_behind > 0)
        rc = h->emit_area_metric(ctx, &m);
    free(v);
    return rc;
}

static int evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    (void)state;
    gap_input g = {0};
    double *col = malloc(h->n_areas(ctx) * sizeof *col);
    if (col == NULL)
        return h->fail(ctx, "out of memory");
    int rc = gap_setup(h, ctx, &g, col);
    free(col);
    if (rc == WE_OK)
        rc = health_metrics(h, ctx, &g);
    if (rc == WE_OK)
        rc = health_by_wijk(h, ctx, &g);
    for (size_t j = 0; j < K; j++)
        free(g.ref[j]);
    return rc != WE_OK ? rc : h->evaluate_targets(ctx, WE_METHODS_ALL);
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
    .summary_nl = "Voelen bewoners van de aangepakte wijken zich gezonder, "
                  "bewegen ze meer en hebben ze minder overgewicht, en "
                  "wordt hun gezondheidsachterstand op de rest van de stad "
                  "kleiner?",
    .indicators = indicators,
    .n_indicators = sizeof indicators / sizeof indicators[0],
    .evaluate = evaluate,
};

WE_PLUGIN_DEFINE(descriptor)
