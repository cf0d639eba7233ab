/* "Since the previous report": this run against the latest earlier run
 * of its series in the history (docs/history.md). The history layer
 * builds it (history/compare.c) before the report is written; the report
 * layer renders it and never opens the history itself. */
#ifndef WE_MODEL_SINCE_PREVIOUS_H
#define WE_MODEL_SINCE_PREVIOUS_H

#include <stddef.h>

/* One side (then or now) of an experiment's row. present 0: the
 * experiment was not in that run, or it failed there (status). */
typedef struct we_sp_side {
    int present;
    int ok;               /* the experiment ran without failing */
    char verdict[32];     /* the DG verdict the report shows
                             (we_hverdict_name: "better", "worse",
                             "no_effect", "inconclusive",
                             "not_credible"); "" none, or a run recorded
                             before history schema 3 */
    char interval[32];    /* the headline interval's verdict
                             (we_verdict_name: "better", "worse",
                             "unclear"); "" none */
    int has_effect;       /* a headline estimate */
    char indicator[128];  /* the headline's indicator */
    char method[32];      /* the headline's method name */
    double estimate, ci_low, ci_high;
    int sms_level;        /* evidence level 1-5; 0 none */
} we_sp_side;

/* How the row changed, for the arrows (docs/history.md). */
typedef enum we_sp_move {
    WE_SP_SAME = 0,      /* verdict and evidence unchanged */
    WE_SP_UP = 1,        /* the verdict improved, or it stayed and the
                            evidence level rose */
    WE_SP_DOWN = 2,      /* the verdict worsened, or the level fell */
    WE_SP_CHANGED = 3,   /* changed in a way that is neither (e.g. from
                            unclear to a verdict that is not ranked) */
    WE_SP_NEW = 4,       /* not in the previous run */
    WE_SP_GONE = 5       /* in the previous run, not in this one */
} we_sp_move;

typedef struct we_sp_experiment {
    char id[128];
    we_sp_side then, now;
    we_sp_move move;
    int indicator_revised; /* the headline indicator's data were revised */
    int verdict_changed;   /* the DG verdict differs; when the previous
                              run has none (schema < 3), the interval's */
    int is_programme;      /* the programme row (we_run.programme) */
} we_sp_experiment;

/* A target whose status changed: newly met, or newly missed. */
typedef struct we_sp_target {
    char area[64];
    char indicator[128];   /* "" for an item */
    char then[16], now[16]; /* we_goal_status_name */
} we_sp_target;

/* An indicator whose values changed for periods both runs cover. */
typedef struct we_sp_revision {
    char indicator[128];
    size_t n_periods;      /* periods with a changed value */
    long n_cells;          /* cells changed; -1 when not countable (the
                              cell fingerprints were not kept, or the
                              areas differ) */
    int first_period, last_period; /* of the changed periods */
} we_sp_revision;

/* A setting that differs between the runs (config, design, inference). */
typedef struct we_sp_setting {
    char key[64];
    char then[96], now[96];
} we_sp_setting;

typedef struct we_since_previous {
    long prev_id;              /* the previous run's id in the history */
    char prev_name[128];
    char prev_finished[32];    /* ISO 8601 UTC */
    char prev_version[32];
    int chosen;                /* 1: --compare-with, 0: latest of series */
    char series[128];
    /* The data windows: first and last period of the panel, baseline. */
    int prev_first, prev_last, now_first, now_last;
    int prev_baseline, now_baseline;
    /* Causes. */
    int new_periods;           /* the window grew at its end */
    int *added_periods;        /* periods in now, not in then */
    size_t n_added_periods;
    we_sp_revision *revisions; /* revised indicators, by name */
    size_t n_revisions;
    int config_changed;        /* the config file's SHA-256 differs */
    we_sp_setting *settings;   /* the settings that differ */
    size_t n_settings;
    we_sp_setting *inputs;     /* input files whose SHA-256 differs:
                                  key = role (areas, indicators, ...) */
    size_t n_inputs;
    /* Per experiment, in the current run's order, then the ones gone. */
    we_sp_experiment *experiments;
    size_t n_experiments;
    we_sp_target *targets;     /* newly met or newly missed */
    size_t n_targets;
    size_t n_verdicts_changed; /* rows with verdict_changed */
} we_since_previous;

void we_since_previous_free(we_since_previous *sp);
/* "up", "down", "same", "changed", "new", "gone". */
const char *we_sp_move_name(we_sp_move m);

#endif
