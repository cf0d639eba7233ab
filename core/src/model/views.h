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
