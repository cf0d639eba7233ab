/* The self-named targets and the policy return as the model records them:
 * each target's status, the tallies per wijk and municipality, and each
 * experiment's cost per resident and per unit of effect. */
#ifndef WE_MODEL_GOALS_H
#define WE_MODEL_GOALS_H

#include <stddef.h>

#include "data/goals.h"

typedef enum we_goal_status {
    WE_GOAL_MET = 0,       /* reached by the deadline (item: realised) */
    WE_GOAL_ON_TRACK = 1,  /* deadline ahead; the trend since the baseline
                              reaches the target in time */
    WE_GOAL_OFF_TRACK = 2, /* deadline ahead; that trend falls short */
    WE_GOAL_OPEN = 3,      /* deadline ahead, not met, no trend to judge
                              (an item not yet realised, or no baseline) */
    WE_GOAL_MISSED = 4,    /* deadline passed, not met */
    WE_GOAL_NO_DATA = 5,   /* no value at or before the deadline */
    WE_GOAL_COUNT_ = 6
} we_goal_status;

typedef struct we_target_result {
    we_goal_status status;
    int as_of;               /* the panel's last period */
    int current_period;      /* latest period with a value at or before
                                min(deadline, as_of); 0 when none */
    double current_value;    /* NaN when none */
    double baseline_value;   /* at the run's baseline; NaN when missing */
    double observed_per_year;/* (current - baseline) / years; NaN if none */
    double required_per_year;/* (target - current) / years to deadline;
                                NaN when the deadline has passed */
    double remaining;        /* target - current (signed); NaN if none */
} we_target_result;

/* Why a cost per unit of effect is or is not given. */
typedef enum we_cpe_status {
    WE_CPE_DEFINED = 0,        /* the interval lies on the good side */
    WE_CPE_INCLUDES_ZERO = 1,  /* the interval includes zero: undefined */
    WE_CPE_HARMFUL = 2,        /* the interval lies on the bad side */
    WE_CPE_NO_ESTIMATE = 3,    /* no headline estimate or interval */
    WE_CPE_NO_COSTS = 4,       /* no cost rows for the experiment */
    WE_CPE_NO_RESIDENTS = 5    /* a treated wijk has no population */
} we_cpe_status;

/* Cost per unit of effect: the point and its interval. */
typedef struct we_cpe {
    we_cpe_status status;
    double value, low, high; /* EUR per resident per unit; NaN unless
                                defined */
} we_cpe;

typedef struct we_policy_return {
    int has_costs;            /* cost rows for this experiment */
    double total_eur;
    size_t n_rows;
    int first_period, last_period;
    size_t n_treated;         /* treated wijken of the experiment */
    size_t n_treated_costed;  /* of which with a cost row */
    size_t n_no_population;   /* treated wijken without a population */
    double residents;         /* population of the treated wijken */
    double per_resident;      /* total / residents; NaN when undefined */
    long headline;            /* index of the result used, -1 none */
    we_cpe per_unit;          /* per unit of the primary indicator */
    we_cpe per_sd;            /* per unit of Glass's delta (one SD) */
    long rank;                /* 1 = cheapest per SD among the defined;
                                 0 when not ranked */
    int not_credible;         /* the headline's verdict is not credible
                                 (model/views.h): never ranked */
    int not_better;           /* credible, a cost per SD defined (the
                                 interval on the good side), but the
                                 verdict is not better (not significant
                                 after the adjustment, or no label):
                                 never ranked */
    /* Ranked experiments whose per-SD interval overlaps this one's:
     * the report cannot tell them apart. Indices into experiments. */
    size_t *overlaps;
    size_t n_overlaps;
} we_policy_return;

/* Counts of statuses for one wijk, one municipality or all targets. */
typedef struct we_goal_tally {
    const char *code;  /* area or municipality code; NULL for the total */
    const char *name;  /* the area's name; NULL for a municipality */
    size_t n;
    size_t count[WE_GOAL_COUNT_];
} we_goal_tally;

/* The targets file as the run judged it. */
typedef struct we_targets_eval {
    const we_wijk_targets *in;
    we_target_result *res;       /* one per target, in file order */
    we_goal_tally *wijken;       /* wijken with a target, in areas order */
    size_t n_wijken;
    we_goal_tally *munis;        /* their municipalities, same order */
    size_t n_munis;
    we_goal_tally total;
    int as_of;                   /* the panel's last period */
} we_targets_eval;

/* The costs file as the run judged it: one entry per experiment. */
typedef struct we_policy_eval {
    const we_costs *in;
    we_policy_return *per_exp;
    size_t n;
    size_t n_ranked;
    /* What the report says in words next to the table: every costed
     * experiment has the same total; the costs are one budget split
     * evenly (every experiment the same amount for the same wijken and
     * years); wijken without cost rows count as nothing (config costs =
     * { missing = "zero"; }), and how many. */
    int identical_totals, even_split;
    int missing_zero;
    size_t n_missing;
    /* The experiments in table order: ranked first (rank 1 on top), then
     * the others in config order. */
    size_t *order;
} we_policy_eval;

void we_targets_eval_free(we_targets_eval *ev);
void we_policy_eval_free(we_policy_eval *ev);

const char *we_goal_status_name(we_goal_status s); /* "met", ... */
const char *we_cpe_status_name(we_cpe_status s);   /* "defined", ... */

#endif
