/* Experiment "Bewonersparticipatie": do residents take an active part in
 * their wijk, and were the resident-initiative budgets spent by the
 * deadline (end of 2009) the programme set? */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wijkeval/plugin.h>

#define BUDGET "bewonersbudget_besteed_pct"

static const we_indicator_spec indicators[] = {
    {"actief_voor_buurt_pct", WE_ROLE_PRIMARY, WE_HIGHER_IS_BETTER},
    {"bewonersinitiatieven_per_10000", WE_ROLE_SECONDARY, WE_HIGHER_IS_BETTER},
    {"opkomst_gemeenteraad_pct", WE_ROLE_SECONDARY, WE_HIGHER_IS_BETTER},
    {"gemeente_betrekt_buurt_pct", WE_ROLE_SECONDARY, WE_HIGHER_IS_BETTER},
};

static const we_setting_spec settings[] = {
    {"deadline", WE_SETTING_INT,
     "period by which the resident-initiative budgets should be spent "
     "(default 2009)"},
    {"spent_threshold_pct", WE_SETTING_DOUBLE,
     "percentage of its budget a wijk must have spent to count as having "
     "spent it (default 90)"},
};

typedef struct config {
    long deadline;
    double spent_threshold_pct;
} config;

/* Reads and checks the settings once; evaluate gets a copy. */
static int init(const we_host *h, we_ctx *ctx, void **state)
{
    config c = {.deadline = 2009, .spent_threshold_pct = 90.0};
    if (we_setting_int_in(h, ctx, "deadline", 0, 9999, &c.deadline) ||
        we_setting_double_in(h, ctx, "spent_threshold_pct", 0, 100,
                             &c.spent_threshold_pct))
        return WE_EPLUGIN;
    if ((*state = malloc(sizeof c)) == NULL)
        return h->fail(ctx, "out of memory");
    memcpy(*state, &c, sizeof c);
    return WE_OK;
}

static void fini(void *state) { free(state); }

/* v: the share of their budget (%) the n treated wijken with data had
 * spent by the deadline. */
static int budget_metrics(const we_host *h, we_ctx *ctx, const config *c,
                          double *v, size_t n)
{
    size_t spent = 0;
    for (size_t i = 0; i < n; i++) {
        spent += v[i] >= c->spent_threshold_pct;
        v[i] /= 100.0;
    }
    we_summary s = {.struct_size = sizeof s};
    if (h->summarise(ctx, v, n, &s) == WE_ENOMEM)
        return h->fail(ctx, "out of memory");
    char en[200], nl[200];
    snprintf(en, sizeof en,
             "Mean share of the resident-initiative "
             "budget that treated wijken had spent by %ld.",
             c->deadline);
    snprintf(nl, sizeof nl,
             "Gemiddeld aandeel van het budget voor "
             "bewonersinitiatieven dat de aangepakte wijken in %ld hadden "
             "besteed.",
             c->deadline);
    we_metric m = {.struct_size = sizeof m,
                   .name = "budget_spent_by_deadline",
                   .value = s.mean,
                   .unit = "share",
                   .unit_nl = "aandeel",
                   .description = en,
                   .description_nl = nl,
                   .label_en = "Budget spent by the deadline",
                   .label_nl = "Budget besteed voor de deadline"};
    int rc = we_emit_metric_text_over(h, ctx, &m, n);
    snprintf(en, sizeof en,
             "Share of treated wijken that had spent at "
             "least %g%% of their resident-initiative budget by %ld.",
             c->spent_threshold_pct, c->deadline);
    snprintf(nl, sizeof nl,
             "Aandeel aangepakte wijken dat in %ld minstens "
             "%g%% van hun budget voor bewonersinitiatieven had besteed.",
             c->deadline, c->spent_threshold_pct);
    m = (we_metric){.struct_size = sizeof m,
                    .name = "wijken_budget_spent_share",
                    .value = n ? (double)spent / (double)n : NAN,
                    .unit = "share",
                    .unit_nl = "aandeel",
                    .description = en,
                    .description_nl = nl,
                    .label_en = "Wijken that spent their budget",
                    .label_nl = "Wijken die hun budget besteedden"};
    if (rc == WE_OK)
        rc = we_emit_metric_text_over(h, ctx, &m, n);
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
    double *v = malloc(h->n_areas(ctx) * sizeof *v);
    if (v == NULL)
        return h->fail(ctx, "out of memory");
    size_t n = 0;
    int rc = h->treated_values(ctx, BUDGET, (size_t)t, v, &n);
    if (rc == WE_OK)
        rc = budget_metrics(h, ctx, c, v, n);
    free(v);
    return rc != WE_OK ? rc : h->evaluate_targets(ctx, WE_METHODS_ALL);
}

static const we_plugin_descriptor descriptor = {
    WE_DESCRIPTOR_HEADER,
    .id = "bewonersparticipatie",
    .title_nl = "Bewonersparticipatie",
    .title_en = "Resident participation",
    .version = "1.0.0",
    .summary = "Do more residents of the treated wijken take an active part "
               "in their neighbourhood, and did the wijken spend their "
               "resident-initiative budgets by the deadline?",
    .summary_nl = "Doen meer bewoners van de aangepakte wijken actief mee "
                  "in hun buurt, en besteedden de wijken hun budget voor "
                  "bewonersinitiatieven voor de deadline?",
    .indicators = indicators,
    .n_indicators = sizeof indicators / sizeof indicators[0],
    .settings = settings,
    .n_settings = sizeof settings / sizeof settings[0],
    .init = init,
    .evaluate = evaluate,
    .fini = fini,
};

WE_PLUGIN_DEFINE(descriptor)
