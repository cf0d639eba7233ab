/* A small run built by hand, with its design, for the tests of the HTML
 * report and the terminal summary: six areas in two municipalities,
 * 2005-2009, baseline 2006, two waves (2007, 2008). Strings that must be
 * escaped come from every source: an area name, an experiment title, a
 * plugin's summary, a metric, an error message. */
#ifndef WE_TESTS_RUN_FIXTURE_H
#define WE_TESTS_RUN_FIXTURE_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/design.h"
#include "analysis/judge.h"
#include "analysis/views.h"
#include "model/run.h"

#define RF_AREAS 6
#define RF_PERIODS 5
#define RF_HOSTILE "<script>alert(1)</script>"

typedef struct run_fixture {
    we_config cfg;
    we_panel panel;
    we_run_design rd;
    we_run run;
    we_area_rec areas[RF_AREAS];
    int periods[RF_PERIODS];
    we_catalog_rec catalog[2];
    double *values[2];
    double v0[RF_AREAS * RF_PERIODS], v1[RF_AREAS * RF_PERIODS];
    size_t marked[2];
    int followup[3];
    size_t followup_ix[3];
    long treated_from[RF_AREAS];
    unsigned char comparison[RF_AREAS], in_sample[RF_AREAS];
    int municipality[RF_AREAS];
    we_experiment_run exps[3];
    we_result_rec res[3], res2[1];
    we_event_coef coef[4];
    we_metric_rec met[1];
} run_fixture;

static inline void rf_panel(run_fixture *f)
{
    static const char *const codes[RF_AREAS] = {
        "WK000101", "WK000102", "WK000103", "WK000201", "WK000202",
        "WK000203"};
    static const char *const names[RF_AREAS] = {
        RF_HOSTILE, "Oost", "West", "Noord & \"Zuid\"", "Centrum", "Haven"};
    for (int i = 0; i < RF_AREAS; i++)
        f->areas[i] = (we_area_rec){(char *)codes[i], (char *)names[i],
                                    i < 3 ? "GM0001" : "GM0002", "wijk",
                                    1000.0 * (i + 1), NULL};
    for (int t = 0; t < RF_PERIODS; t++)
        f->periods[t] = 2005 + t;
    f->catalog[0] = (we_catalog_rec){
        "tevreden_pct", "Tevreden <met> woonomgeving",
        "Satisfied <with> residential environment", "pct",
        WE_HIGHER_IS_BETTER, "wonen", "WoON"};
    f->catalog[1] = (we_catalog_rec){
        "wachttijd_dagen", "Wachttijd", "Waiting time", "days",
        WE_LOWER_IS_BETTER, "bureaucratie", "gemeente"};
    /* Treated areas start behind and catch up after their start. */
    for (int i = 0; i < RF_AREAS; i++)
        for (int t = 0; t < RF_PERIODS; t++) {
            double treated = i == 0 || i == 3;
            double after = (i == 0 && t >= 2) || (i == 3 && t >= 3);
            f->v0[i * RF_PERIODS + t] =
                60.25 + 0.5 * t + 0.75 * (i % 3) - 4.0 * treated + 3.0 * after;
            f->v1[i * RF_PERIODS + t] = 30.0 - t + (i == 5 ? NAN : 0.0);
        }
    f->values[0] = f->v0;
    f->values[1] = f->v1;
    f->panel = (we_panel){.n_areas = RF_AREAS, .areas = f->areas,
                          .n_periods = RF_PERIODS, .periods = f->periods,
                          .n_indicators = 2, .catalog = f->catalog,
                          .values = f->values, .n_marked_missing = f->marked,
                          .n_rows = 60};
    strcpy(f->panel.data_sha256,
           "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210");
}

static inline void rf_design(run_fixture *f)
{
    for (int i = 0; i < RF_AREAS; i++) {
        f->treated_from[i] = i == 0 ? 2 : i == 3 ? 3 : -1;
        f->comparison[i] = f->treated_from[i] < 0;
        f->in_sample[i] = 1;
        f->municipality[i] = i < 3 ? 0 : 1;
    }
    for (int k = 0; k < 3; k++) {
        f->followup[k] = 2007 + k;
        f->followup_ix[k] = (size_t)(2 + k);
    }
    f->rd = (we_run_design){
        .treated_from = f->treated_from, .comparison = f->comparison,
        .in_sample = f->in_sample, .municipality = f->municipality,
        .gap_group = f->municipality,
        .cluster = f->municipality, .weight = NULL,
        .followup = f->followup_ix, .n_followup = 3, .baseline = 1,
        .n_treated = 2, .n_comparison = 4};
    f->rd.d = (we_design){RF_AREAS, RF_PERIODS, f->treated_from,
                          f->in_sample, f->municipality, 1,
                          f->followup_ix, 3, 0.05};
}

static inline void rf_config(run_fixture *f)
{
    we_config_set_defaults(&f->cfg);
    f->cfg.path = "configs/unit.cfg";
    f->cfg.name = "unit_run";
    f->cfg.title = "Unit <run> & \"friends\"";
    f->cfg.baseline = 2006;
    f->cfg.followup = f->followup;
    f->cfg.n_followup = 3;
    f->cfg.alpha = 0.05;
    f->cfg.seed = 12345;
    f->cfg.language = NULL; /* a run built by hand: English */
    strcpy(f->cfg.config_sha256,
           "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
}

static inline we_result_extra rf_extras(void)
{
    we_result_extra x;
    memset(&x, 0, sizeof x);
    x.enriched = 1;
    x.p_holm = x.p_bh = x.p_holm_all = x.p_bh_all = NAN;
    x.p_adjusted = x.pretrend_p = NAN;
    return x;
}

static inline void rf_headline_extras(run_fixture *f, we_result_extra *x)
{
    static const int rel[4] = {-3, -2, 0, 1};
    *x = rf_extras();
    x->has_effect_size = 1;
    x->effect_size = (we_effect_size){0.625, 0.375, 0.875, 0.5,
                                      0.25, 0.75, 4.0, 5.0};
    x->p_holm = x->p_bh = x->p_adjusted = 0.0078125;
    for (int i = 0; i < 4; i++)
        f->coef[i] = (we_event_coef){
            .rel_time = rel[i], .estimate = 1.5 * (i >= 2),
            .se = 0.25, .ci_low = 1.5 * (i >= 2) - 0.5,
            .ci_high = 1.5 * (i >= 2) + 0.5, .p_value = 0.5,
            .n_treated = 2};
    x->has_event = 1;
    x->event = (we_event_result){
        .n_coef = 4, .coef = f->coef, .pretrend_q = 2, .pretrend_f = 0.875,
        .pretrend_p = 0.4375, .pretrend_boot_p = NAN, .df = 1};
    x->pretrend_p = 0.4375;
    x->has_mde = 1;
    x->mde = (we_mde){.mde = 1.25, .power = 0.8, .alpha = 0.05};
    x->evidence.sms_level = 3;
    x->evidence.erkenning = WE_ERKENNING_GOEDE;
    snprintf(x->evidence.reasons, sizeof x->evidence.reasons,
             "Level 3: DiD <with> comparison wijken.");
}

static inline void rf_results(run_fixture *f)
{
    const uint32_t sz = sizeof(we_estimate);
    f->res[0] = (we_result_rec){"tevreden_pct", WE_ROLE_PRIMARY,
        {.struct_size = sz, .method = WE_METHOD_TWFE, .estimate = 2.5,
         .se = 0.5, .ci_low = 1.5, .ci_high = 3.5, .p_value = 0.0078125,
         .df = 1, .n_treated = 2, .n_control = 4, .n_obs = 30,
         .baseline = NAN, .latest = NAN, .inference = WE_INFERENCE_CR1},
        rf_extras()};
    rf_headline_extras(f, &f->res[0].x);
    f->res[1] = (we_result_rec){"tevreden_pct", WE_ROLE_PRIMARY,
        {.struct_size = sz, .method = WE_METHOD_GAP, .estimate = 1.75,
         .se = 0.5, .ci_low = 0.5, .ci_high = 3.0, .p_value = 0.03125,
         .df = 1, .n_treated = 2, .n_control = 0, .n_obs = 4,
         .baseline = -4.5, .latest = -2.75, .closing = 1,
         .inference = WE_INFERENCE_T_PAIRED}, rf_extras()};
    f->res[2] = (we_result_rec){"wachttijd_dagen", WE_ROLE_SECONDARY,
        {.struct_size = sz, .method = WE_METHOD_TWFE, .estimate = 1234.75,
         .se = 400, .ci_low = -HUGE_VAL, .ci_high = 2000, .p_value = 0.25,
         .df = 1, .n_treated = 2, .n_control = 3, .n_obs = 25,
         .baseline = NAN, .latest = NAN, .inference = WE_INFERENCE_CR1},
        rf_extras()};
    f->met[0] = (we_metric_rec){.name = "<b>budget</b>", .value = 0.5, .unit = "share",
                                .description = "Share & <i>more</i>"};
    /* The second experiment: no effect, and the design too small to
     * find one (a warning). */
    f->res2[0] = (we_result_rec){"wachttijd_dagen", WE_ROLE_PRIMARY,
        {.struct_size = sz, .method = WE_METHOD_TWFE, .estimate = -0.25,
         .se = 0.5, .ci_low = -1.25, .ci_high = 0.75, .p_value = 0.625,
         .df = 1, .n_treated = 2, .n_control = 3, .n_obs = 25,
         .baseline = NAN, .latest = NAN, .inference = WE_INFERENCE_CR1},
        rf_extras()};
    we_result_extra *x = &f->res2[0].x;
    x->has_effect_size = 1;
    x->effect_size = (we_effect_size){0.125, -0.25, 0.5, 0.1, -0.2, 0.4,
                                      2.0, 2.5};
    x->has_mde = 1;
    x->mde = (we_mde){.mde = 2.0, .power = 0.8, .alpha = 0.05};
    x->pretrend_p = 0.01; /* rejected: a warning */
    x->evidence.sms_level = 2;
}

static inline void rf_experiments(run_fixture *f)
{
    f->exps[0] = (we_experiment_run){
        .id = "samenhang", .title_nl = "Samenhang <in> de wijk",
        .title_en = "Social <cohesion>", .version = "1.0.0",
        .summary = "Did cohesion rise? <script>x()</script>",
        .status = WE_EXP_OK, .results = f->res, .n_results = 3,
        .metrics = f->met, .n_metrics = 1, .headline = 0,
        .evidence = f->res[0].x.evidence};
    f->exps[1] = (we_experiment_run){
        .id = "bureaucratie", .title_nl = "Terugdringen bureaucratie",
        .title_en = "Reducing bureaucracy", .version = "1.0.0",
        .summary = "Shorter waits?", .status = WE_EXP_OK,
        .results = f->res2, .n_results = 1, .headline = 0,
        .evidence = f->res2[0].x.evidence};
    f->exps[2] = (we_experiment_run){
        .id = "gezonde_wijk", .title_nl = "Gezonde wijk",
        .title_en = "Healthy neighbourhood", .version = "1.0.0",
        .status = WE_EXP_FAILED,
        .error = "data: <img src=x onerror=alert(2)> not found"};
    for (int k = 0; k < 3; k++)
        f->exps[k].design = WE_METHOD_TWFE;
    f->run = (we_run){.cfg = &f->cfg, .panel = &f->panel, .rd = &f->rd,
                      .version = "0.1.0", .started = 1199145600,
                      .finished = 1199145661, .experiments = f->exps,
                      .n_experiments = 3};
}

/* What the analysis layer adds after enrichment: the verdicts and
 * warnings, the trend and per-wijk views. Again after a test changes the
 * results. */
static inline void rf_analyse(run_fixture *f)
{
    we_judge_run(&f->cfg, &f->panel, &f->run);
    if (we_views_run(&f->cfg, &f->panel, &f->rd, &f->run) != 0)
        abort();
}

static inline void rf_build(run_fixture *f)
{
    memset(f, 0, sizeof *f);
    rf_panel(f);
    rf_design(f);
    rf_config(f);
    rf_results(f);
    rf_experiments(f);
    rf_analyse(f);
}

/* The views' memory (the rest is the fixture's own). */
static inline void rf_free(run_fixture *f)
{
    for (size_t k = 0; k < 3; k++) {
        we_trend_view_free(&f->exps[k].trend);
        we_wijk_view_free(&f->exps[k].per_wijk);
    }
}

/* cmocka group setup and teardown: one built fixture per group. */
static inline int rf_setup(void **state)
{
    run_fixture *f = malloc(sizeof *f);
    if (f == NULL)
        return -1;
    rf_build(f);
    *state = f;
    return 0;
}

static inline int rf_teardown(void **state)
{
    rf_free(*state);
    free(*state);
    return 0;
}

#endif
