/* Experiment "Slagkracht in de wijk": can professionals in the wijk act
 * faster on signals, and did every wijk realise the concrete improvements
 * it named for the end of 2009? */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wijkeval/plugin.h>

#define DAYS "dagen_signaal_tot_actie"
#define IMPROVEMENTS "concrete_verbeteringen_count"

static const we_indicator_spec indicators[] = {
    {"dagen_signaal_tot_actie", WE_ROLE_PRIMARY, WE_LOWER_IS_BETTER},
    {"meldingen_binnen_termijn_pct", WE_ROLE_SECONDARY, WE_HIGHER_IS_BETTER},
    {"verloedering_score", WE_ROLE_SECONDARY, WE_LOWER_IS_BETTER},
    {"concrete_verbeteringen_count", WE_ROLE_SECONDARY, WE_HIGHER_IS_BETTER},
};

static const we_setting_spec settings[] = {
    {"deadline", WE_SETTING_INT,
     "period by which the named improvements should be realised "
     "(default 2009)"},
    {"improvements_target", WE_SETTING_INT,
     "number of concrete improvements a wijk should have realised by the "
     "deadline (default 3)"},
};

typedef struct config {
    long deadline;
    long improvements_target;
} config;

/* Reads and checks the settings once; evaluate gets a copy. */
static int init(const we_host *h, we_ctx *ctx, void **state)
{
    config c = {.deadline = 2009, .improvements_target = 3};
    if (we_setting_int_in(h, ctx, "deadline", 0, 9999, &c.deadline) ||
        we_setting_int_in(h, ctx, "improvements_target", 0, 100000,
                          &c.improvements_target))
        return WE_EPLUGIN;
    if ((*state = malloc(sizeof c)) == NULL)
        return h->fail(ctx, "out of memory");
    memcpy(*state, &c, sizeof c);
    return WE_OK;
}

static void fini(void *state) { free(state); }

/* days: signal-to-action times of the n_days treated wijken with data at
 * the latest period; done: improvements realised by the n_done with data
 * at the deadline. */
/* Per wijk: 1 when a treated wijk realised at least the target number
 * of improvements by the deadline, 0 when not, NaN for other wijken and
 * for treated wijken without data (ABI 1.3, host->emit_area_metric). */
static int improvements_by_wijk(const we_host *h, we_ctx *ctx, const config *c,
                                size_t t)
{
    size_t A = h->n_areas(ctx), T = h->n_periods(ctx), any = 0;
    const double *x = h->indicator(ctx, IMPROVEMENTS);
    double *v = malloc((A ? A : 1) * sizeof *v);
    if (v == NULL)
        return h->fail(ctx, "out of memory");
    for (size_t a = 0; a < A; a++) {
        double y = x != NULL ? x[a * T + t] : NAN;
        v[a] = h->treated_from(ctx, a) >= 0 && !isnan(y)
                   ? (double)(y >= (double)c->improvements_target)
                   : NAN;
        any += !isnan(v[a]);
    }
    char en[200], nl[200];
    snprintf(en, sizeof en,
             "1 when the treated wijk had realised at least "
             "%ld concrete improvements by %ld, else 0.",
             c->improvements_target, c->deadline);
    snprintf(nl, sizeof nl,
             "1 als de aangepakte wijk in %ld minstens %ld "
             "concrete verbeteringen had gerealiseerd, anders 0.",
             c->deadline, c->improvements_target);
    we_area_metric m = {.struct_size = sizeof m,
                        .name = "improvements_target_reached",
                        .values = v,
                        .unit = "1 = yes",
                        .unit_nl = "1 = ja",
                        .description = en,
                        .description_nl = nl,
                        .label_en = "Improvements target reached",
                        .label_nl = "Doel verbeteringen gehaald"};
    int rc = any > 0 ? h->emit_area_metric(ctx, &m) : WE_OK;
    free(v);
    return rc;
}

static int slagkracht_metrics(const we_host *h, we_ctx *ctx, const config *c,
                              const double *days, size_t n_days,
                              const double *done, size_t n_done)
{
    we_summary s = {.struct_size = sizeof s};
    if (h->summarise(ctx, days, n_days, &s) == WE_ENOMEM)
        return h->fail(ctx, "out of memory");
    we_indicator_info info;
    int rc = we_indicator_text(h, ctx, DAYS, &info);
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
                   .name = "median_days_signal_to_action",
                   .value = s.median,
                   .unit = info.unit_en,
                   .unit_nl = info.unit_nl,
                   .description = en,
                   .description_nl = nl,
                   .label_en = "Median days from signal to action",
                   .label_nl = "Mediaan dagen van signaal tot actie"};
    rc = we_emit_metric_text_over(h, ctx, &m, n_days);
    size_t reached = 0;
    for (size_t i = 0; i < n_done; i++)
        reached += done[i] >= (double)c->improvements_target;
    snprintf(en, sizeof en,
             "Share of treated wijken that had realised "
             "at least %ld concrete improvements by %ld.",
             c->improvements_target, c->deadline);
    snprintf(nl, sizeof nl,
             "Aandeel aangepakte wijken dat in %ld minstens "
             "%ld concrete verbeteringen had gerealiseerd.",
             c->deadline, c->improvements_target);
    m = (we_metric){.struct_size = sizeof m,
                    .name = "share_wijken_improvements_realised",
                    .value = n_done ? (double)reached / (double)n_done : NAN,
                    .unit = "share",
                    .unit_nl = "aandeel",
                    .description = en,
                    .description_nl = nl,
                    .label_en = "Wijken with their improvements realised",
                    .label_nl = "Wijken met hun verbeteringen gerealiseerd"};
    if (rc == WE_OK)
        rc = we_emit_metric_text_over(h, ctx, &m, n_done);
    return rc;
}

static int evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    const config *c = state;
    long t = h->period_index(ctx, (int)c->deadline);
    if (t < 0)
        return h->fail(ctx, "setting 'deadline' = %ld is not a period of "
                       "the panel (%d-%d); choose one of the data's periods",
                       c->deadline, h->period(ctx, 0),
                       h->period(ctx, h->n_periods(ctx) - 1));
    size_t A = h->n_areas(ctx), n_days = 0, n_done = 0;
    double *days = malloc(2 * A * sizeof *days);
    if (days == NULL)
        return h->fail(ctx, "out of memory");
    double *done = days + A;
    int rc = h->treated_values(ctx, DAYS, h->latest(ctx), days, &n_days);
    if (rc == WE_OK)
        rc = h->treated_values(ctx, IMPROVEMENTS, (size_t)t, done, &n_done);
    if (rc == WE_OK)
        rc = slagkracht_metrics(h, ctx, c, days, n_days, done, n_done);
    free(days);
    if (rc == WE_OK)
        rc = improvements_by_wijk(h, ctx, c, (size_t)t);
    return rc != WE_OK ? rc : h->evaluate_targets(ctx, WE_METHODS_ALL);
}

static const we_plugin_descriptor descriptor = {
    WE_DESCRIPTOR_HEADER,
    .id = "slagkracht",
    .title_nl = "Slagkracht in de wijk",
    .title_en = "Capacity to act",
    .version = "1.0.0",
    .summary = "Do professionals in the treated wijken act faster on signals "
               "and realise the concrete improvements each wijk named, "
               "compared with other wijken?",
    .summary_nl = "Handelen professionals in de aangepakte wijken sneller "
                  "op signalen en realiseren zij de concrete verbeteringen "
                  "die elke wijk noemde, vergeleken met andere wijken?",
    .indicators = indicators,
    .n_indicators = sizeof indicators / sizeof indicators[0],
    .settings = settings,
    .n_settings = sizeof settings / sizeof settings[0],
    .init = init,
    .evaluate = evaluate,
    .fini = fini,
};

WE_PLUGIN_DEFINE(descriptor)
