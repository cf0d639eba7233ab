/* What the analysis layer judged and computed for the report, so that the
 * renderers only read it: the verdict of a result, and per experiment the
 * trend of its primary indicator (treated against comparison wijken) and
 * each treated wijk's gap to the gap reference. Filled by analysis/judge.c
 * and analysis/views.c; written to report.json (docs/report.md). */
#ifndef WE_MODEL_VIEWS_H
#define WE_MODEL_VIEWS_H

#include <stddef.h>

/* Better / worse when the interval excludes 0 on the indicator's good /
 * bad side, else unclear (also without a catalogue entry). */
typedef enum we_verdict {
    WE_VERDICT_UNCLEAR = 0,
    WE_VERDICT_BETTER = 1,
    WE_VERDICT_WORSE = 2
} we_verdict;

/* "unclear", "better", "worse". */
const char *we_verdict_name(we_verdict v);

/* The decision a headline supports (analysis/judge.c, rules in
 * docs/report.md): better or worse (the interval lies on one side of 0),
 * no effect (the interval lies within plus and minus the smallest effect
 * of interest: a relevant effect is ruled out), inconclusive (the
 * interval holds both 0 and a relevant effect, or the power is unknown)
 * and not credible (the pre-trends were rejected, or the evidence level
 * is below the configured minimum). NONE: no headline to judge. */
typedef enum we_hverdict {
    WE_HV_NONE = 0,
    WE_HV_BETTER = 1,
    WE_HV_WORSE = 2,
    WE_HV_NO_EFFECT = 3,
    WE_HV_INCONCLUSIVE = 4,
    WE_HV_NOT_CREDIBLE = 5
} we_hverdict;

/* "better", "worse", "no_effect", "inconclusive", "not_credible"; NULL
 * for NONE. */
const char *we_hverdict_name(we_hverdict v);

/* Why the verdict is what it is; the report words it (one sentence in
 * each language) from the numbers below. */
typedef enum we_hverdict_why {
    WE_WHY_NO_HEADLINE = 0,   /* failed, or no estimate with an interval */
    WE_WHY_PRETREND = 1,      /* not credible: pre-trends rejected */
    WE_WHY_EVIDENCE = 2,      /* not credible: level below the minimum */
    WE_WHY_GOOD_SIDE = 3,     /* better */
    WE_WHY_BAD_SIDE = 4,      /* worse */
    WE_WHY_WITHIN = 5,        /* no effect */
    WE_WHY_WIDE = 6,          /* inconclusive: a relevant effect possible */
    WE_WHY_POWER_UNKNOWN = 7, /* inconclusive: no MDE and no configured
                                 smallest effect of interest */
    WE_WHY_NO_DIRECTION = 8,  /* inconclusive: the indicator has no good
                                 direction in the catalogue */
    WE_WHY_ADJUSTED = 9,      /* inconclusive: the interval excludes 0, but
                                 the effect is not significant after the
                                 adjustment for multiple testing */
    WE_WHY_NO_LABEL = 10      /* inconclusive: good side and significant,
                                 but the evidence earns no
                                 Erkenningscommissie label (a before/after
                                 or gap headline, or a descriptive row) */
} we_hverdict_why;

/* Where the smallest effect of interest came from. */
typedef enum we_smallest_from {
    WE_SMALLEST_NONE = 0,
    WE_SMALLEST_MDE = 1,       /* the headline's minimum detectable effect */
    WE_SMALLEST_INDICATOR = 2, /* report.smallest_effect.<indicator> */
    WE_SMALLEST_EXPERIMENT = 3 /* the experiment's smallest_effect */
} we_smallest_from;

/* "mde", "indicator", "experiment"; NULL for NONE. */
const char *we_smallest_from_name(we_smallest_from s);

/* A judged headline, with every number its reason cites, so that a
 * renderer needs nothing else. */
typedef struct we_judgement {
    we_hverdict verdict;
    we_hverdict_why why;
    double estimate, ci_low, ci_high; /* the headline's */
    double smallest;                  /* smallest effect of interest (> 0), in
                                         the indicator's unit; NaN when none */
    we_smallest_from smallest_from;
    double pretrend_p, alpha; /* the test the verdict used */
    int sms_level, min_level; /* the evidence and the minimum */
    /* The headline's p-value after the run's adjustment (inference.adjust,
     * Holm or BH: adjust_bh) within the experiment and across the
     * n_headlines headlines of the run, and the larger of the two, which
     * the verdict and the evidence label both use (docs/evidence.md,
     * "Verdict and label agree"); NaN when not known. */
    double p_experiment, p_headlines, p_claim;
    size_t n_headlines;
    int adjust_bh;
} we_judgement;

/* One group's mean per period with its (1 - alpha) t interval (NaN when
 * the group has fewer than two values in the period; the mean is NaN with
 * none). Each array has n_periods entries. */
typedef struct we_group_band {
    size_t n_areas; /* members of the group */
    double *mean, *lo, *hi;
} we_group_band;

/* The trend view of an experiment's primary indicator. */
typedef struct we_trend_view {
    char *indicator;    /* NULL: no view (no design, no primary result, no
                           values for it, or no periods) */
    size_t n_periods;
    we_group_band treated, comparison;
} we_trend_view;

/* Where a treated wijk's gap went between the baseline and the latest
 * follow-up period. */
typedef enum we_wijk_status {
    WE_WIJK_NO_GAP = 0,      /* a gap at either period is missing */
    WE_WIJK_NO_DEFICIT = 1,  /* not behind at the baseline */
    WE_WIJK_CLOSING = 2,     /* behind, and the gap got smaller */
    WE_WIJK_NOT_CLOSING = 3  /* behind, and it did not */
} we_wijk_status;

/* "no_gap", "no_deficit", "closing", "not_closing". */
const char *we_wijk_status_name(we_wijk_status s);

typedef enum we_wijk_state {
    WE_WIJK_VIEW_NONE = 0,   /* no view (as the trend's indicator NULL) */
    WE_WIJK_VIEW_FAILED = 1, /* the gap reference could not be computed */
    WE_WIJK_VIEW_OK = 2
} we_wijk_state;

/* Each treated wijk's gap to the gap reference the run uses (config
 * gap.reference, population-weighted when configured), signed by the
 * indicator's good direction: negative = behind. */
typedef struct we_wijk_view {
    we_wijk_state state;
    char *indicator;
    size_t n_periods;
    size_t base, latest;     /* period indices: baseline, latest follow-up */
    size_t n_wijken;         /* treated wijken, in panel order */
    size_t *area;            /* their area indices */
    double *gap;             /* n_wijken x n_periods */
    we_wijk_status *status;  /* n_wijken */
    size_t n_behind;         /* behind at the baseline (both gaps known) */
    size_t n_closing;        /* of those, closing */
} we_wijk_view;

void we_trend_view_free(we_trend_view *v);
void we_wijk_view_free(we_wijk_view *v);

#endif
