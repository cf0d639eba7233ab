/* What one run produced: the per-experiment results the host copied in
 * from plugins, plus provenance. The report writers read only this. */
#ifndef WE_MODEL_RUN_H
#define WE_MODEL_RUN_H

#include <stddef.h>
#include <time.h>

#include "config/config.h"
#include "data/panel.h"
#include "methods/event.h"
#include "methods/inference.h"
#include "methods/sensitivity.h"
#include "model/analysis.h"
#include "model/design.h"
#include "model/design_detail.h"
#include "model/displacement.h"
#include "model/early_warning.h"
#include "model/goals.h"
#include "model/matching.h"
#include "model/since_previous.h"
#include "model/views.h"
#include "wijkeval/plugin.h"

/* What the host adds to a result a plugin emitted, so that every
 * experiment's numbers get the same inference and evidence rules. */
typedef struct we_result_extra {
    int enriched; /* 1 once the host's pass over the run filled the rest */
    /* The analytic CR1 p-value and interval when a bootstrap replaced
     * them in `est` (has_cr1), so that both can be shown. */
    int has_cr1;
    double p_cr1, ci_low_cr1, ci_high_cr1;
    int has_effect_size; /* did_2x2 and twfe */
    we_effect_size effect_size;
    /* Holm and Benjamini-Hochberg adjusted p-values. The family is one
     * method's results within the experiment, or across the report. */
    double p_holm, p_bh, p_holm_all, p_bh_all;
    double p_adjusted;   /* the one the config's `adjust` chooses, within
                            the experiment */
    int has_event;       /* twfe: the event study and pre-trend test */
    we_event_result event;
    double pretrend_p;   /* the pre-trend p the evidence rules use */
    int has_ri;          /* twfe of the primary indicator */
    we_ri_result ri;
    int has_mde;         /* twfe of the primary indicator, and every
                            design headline (cs, sc, sdid) */
    we_mde mde;
    /* 1 when this row's p-value and interval are not valid inference for
     * its design and the row is shown as descriptive only: CR1 (did_2x2,
     * twfe without the wild bootstrap) with fewer than 6 treated
     * clusters, and every method but the placebo / randomisation ones
     * with one treated cluster. A descriptive row never feeds an evidence
     * level. descriptive_reason says why (one line; English, and
     * descriptive_reason_nl in Dutch). */
    int descriptive;
    char descriptive_reason[192];
    char descriptive_reason_nl[224];
    /* The pre-period check's power against a linear pre-trend that
     * biases the estimate by the MDE at the last event time (Roth 2022):
     * twfe of the primary indicator with an event study and an MDE.
     * pretest_slope is that trend's change per period, pretest_ncp the
     * Wald noncentrality. NaN when not computed. */
    double pretest_power, pretest_slope, pretest_ncp;
    /* 1: the pre-period check the evidence used is another design's (the
     * twfe event study's leads for a cs, sc or sdid headline). */
    int pretest_borrowed;
    const char *pretest_what; /* the check, in words (a static string);
                                 NULL when there is none */
    /* An sc or sdid headline's own check (methods/synth.h): pre-period
     * fit and in-time placebo, with its power by simulation. */
    int has_synth_pretest;
    char synth_pretest_error[256];     /* why it could not run */
    double pretest_min_p; /* the smallest p the check can attain; 0 or
                             NaN when not a placebo rank */
    we_synth_pretest_result synth_pretest;
    const char *pretest_what_nl; /* the same in Dutch */
    /* Rambachan-Roth relative-magnitudes sensitivity of the event study
     * (methods/sensitivity.h); for a design headline, that of the twfe
     * event study of the same indicator (sensitivity_borrowed). */
    int has_sensitivity, sensitivity_borrowed;
    we_rm_sensitivity sensitivity;
    we_evidence evidence;
    /* The wild bootstrap's p-value and interval used all 2^G Rademacher
     * sign vectors (exact, seed-free) rather than random draws. */
    int boot_enumerated;
    /* The judgements every report format shows (analysis/judge.c):
     * the verdict of the interval, the pre-trend test rejected parallel
     * trends at alpha, and a non-significant estimate below the MDE. */
    we_verdict verdict;
    int pretrend_rejected;
    int underpowered;
    /* For a design result (cs, sc, sdid): the full result (group-time
     * cells, donor weights, ...). */
    we_design_detail detail;
} we_result_extra;

typedef struct we_result_rec {
    char *indicator;
    we_role role;
    we_estimate est;
    we_result_extra x;
} we_result_rec;

typedef struct we_metric_rec {
    char *name;
    double value;
    char *unit;
    char *description;
    /* ABI 1.3 text (emit_metric_text); NULL when the plugin gave none. */
    char *label_en, *label_nl, *description_nl, *unit_nl;
} we_metric_rec;

/* A per-wijk metric (host->emit_area_metric): n values, one per panel
 * area, NaN where it does not apply. */
typedef struct we_area_metric_rec {
    char *name;
    double *values;
    size_t n;
    char *unit, *description, *label_en, *label_nl, *description_nl,
        *unit_nl;
} we_area_metric_rec;

/* The most warnings an experiment keeps for the report. */
#define WE_WARNINGS_MAX 100

typedef enum we_exp_status { WE_EXP_OK = 0, WE_EXP_FAILED = 1 } we_exp_status;

typedef struct we_experiment_run {
    char *id;
    char *title_nl, *title_en, *version, *summary;
    char *summary_nl; /* ABI 1.3; NULL when the plugin gave none */
    we_exp_status status;
    char *error;            /* NULL when ok */
    /* 1 when the plugin's process ended abnormally or sent results the
     * host could not use (a crash, a hang, an exit(), a corrupt or invalid
     * message: host/isolate.c), rather than failing with a message. */
    int process_fault;
    we_result_rec *results;
    size_t n_results, cap_results;
    we_metric_rec *metrics;
    size_t n_metrics, cap_metrics;
    we_area_metric_rec *area_metrics;
    size_t n_area_metrics, cap_area_metrics;
    /* The plugin's warnings (host->log at WE_LOG_WARNING), in order, so
     * that the report shows them. */
    char **warnings; /* at most WE_WARNINGS_MAX, each once */
    size_t n_warnings, cap_warnings;
    /* The experiment's headline: its primary indicator's TWFE result
     * (index into results, -1 when there is none) and its evidence. */
    long headline;
    we_evidence evidence;
    /* The headline's p-value adjusted across every headline of the run
     * (one family: all experiments' headlines, and the programme row
     * when there is one); NaN without a headline. */
    double p_holm_headlines, p_bh_headlines;
    size_t n_headlines; /* the size of that family */
    we_verdict verdict; /* the headline's interval, as a row's mark;
                           unclear without one */
    /* The decision the headline supports and why (analysis/judge.c):
     * better, worse, no effect, inconclusive or not credible. */
    we_judgement judgement;
    /* The design this experiment's estimates used: the run's, or the
     * matched comparison group's (then `matching` holds the matches and
     * the balance table). */
    const we_run_design *rd;
    const we_experiment_matching *matching;
    /* What it is compared with (config experiments[k].comparison): with
     * an assignment, programme (the experiment's added value) or
     * untreated (programme and experiment together); matched; or the
     * run's group (WE_EXP_CMP_RUN: programme and experiment together).
     * n_overlap: its wijken that another experiment has too. */
    we_exp_comparison comparison;
    size_t n_overlap;
    int is_programme; /* the run's programme row (we_run.programme) */
    /* The design of the headline and why it was chosen (one line). */
    we_method design;
    char design_reason[256];
    char design_reason_nl[256]; /* the same in Dutch */
    /* The primary indicator's trend and per-wijk gaps (analysis/views.c),
     * on the run's design. */
    we_trend_view trend;
    we_wijk_view per_wijk;
} we_experiment_run;

/* A side effect the report puts up front (analysis/side_effects.c): a
 * secondary indicator of an experiment that moved significantly in its
 * bad direction after the report's adjustment, or an indicator whose
 * displacement analysis found the ring around the treated wijken
 * worsened. */
typedef enum we_side_kind {
    WE_SIDE_SECONDARY = 0,
    WE_SIDE_DISPLACEMENT = 1
} we_side_kind;

typedef struct we_side_effect {
    we_side_kind kind;
    long experiment;       /* index into experiments; -1: displacement */
    const char *indicator; /* the result's or the displacement row's */
    we_method method;
    double estimate, ci_low, ci_high;
    double p; /* the p the finding rests on: the adjusted p
                 of a secondary, the displacement's p */
    int lower_is_better;
} we_side_effect;

/* "secondary", "displacement". */
const char *we_side_kind_name(we_side_kind k);

typedef struct we_run {
    const we_config *cfg;
    const we_panel *panel;
    const we_run_design *rd; /* treated timing, comparison group, clusters,
                                baseline and follow-up indices; NULL in
                                reports built without a run */
    const char *version;
    time_t started, finished;
    we_experiment_run *experiments;
    size_t n_experiments;
    /* The programme's own row (config `programme`), enriched like an
     * experiment; NULL without it. */
    we_experiment_run *programme;
    /* --shard i/n: only experiments k with k mod n = i - 1 ran (index i,
     * count n); 0 when the run is whole. */
    size_t shard_index, shard_count;
    /* One entry per optional analysis of the table (model/analysis.h). */
    const we_analysis_out *analyses;
    size_t n_analyses;
    /* "strict" when every plugin ran in the sandbox (host/sandbox.h),
     * else "off: why"; NULL in reports built without a run. */
    const char *sandbox;
    /* This run against the previous one of its series in the history
     * (docs/history.md); NULL without a history or a previous run. */
    const we_since_previous *since_previous;
    /* Where the run was recorded (docs/history.md): the history file and
     * the run's id in it; NULL and 0 when it was not. */
    const char *history_path;
    long history_id;
    /* The side effects, secondaries in experiment order first, then the
     * displacement findings; owned (we_run_side_effects_free). */
    we_side_effect *side_effects;
    size_t n_side_effects;
} we_run;

/* The result of the analysis `name` (a we_analysis_out's result), or NULL
 * when the run has none. */
const void *we_run_analysis(const we_run *run, const char *name);

void we_result_extra_free(we_result_extra *x);
void we_run_side_effects_free(we_run *run);
void we_experiment_run_free(we_experiment_run *e);

#endif
