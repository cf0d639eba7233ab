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
static int slagkracht_metrics(const we_host *h, we_ctx *ctx, const config *c,
                              const double *days, size_t n_days,
                              const double *done, size_t n_done)
{
    we_summary s = {.struct_size = sizeof s};
    if (h->summarise(ctx, days, n_days, &s) == WE_ENOMEM)
        return h->fail(ctx, "out of memory");
    int rc = we_emit_metric_over(h, ctx, "median_days_signal_to_action",
                                 s.median, n_days, "days", "Median number "
                                 "of days from a signal to action in the "
                                 "treated wijken at the latest period.");
    size_t reached = 0;
    for (size_t i = 0; i < n_done; i++)
        reached += done[i] >= (double)c->improvements_target;
    char desc[200];
    snprintf(desc, sizeof desc, "Share of treated wijken that had realised "
             "at least %ld concrete improvements by %ld.",
             c->improvements_target, c->deadline);
    if (rc == WE_OK)
        rc = we_emit_metric_over(h, ctx, "share_wijken_improvements_realised",
                                 n_done ? (double)reached / (double)n_done
                                        : NAN,
                                 n_done, "share", desc);
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
    .indicators = indicators,
    .n_indicators = sizeof indicators / sizeof indicators[0],
    .settings = settings,
    .n_settings = sizeof settings / sizeof settings[0],
    .init = init,
    .evaluate = evaluate,
    .fini = fini,
};

WE_PLUGIN_DEFINE(descriptor)
