/* Shared by the three parts of the event study: the regression
 * (event.c), the pre-trend test and its bootstrap (pretrend.c) and
 * randomisation inference (ri.c), which starts from the same design check
 * and sample. Not for other folders: the public interface is event.h. */
#ifndef WE_METHODS_EVENT_INTERNAL_H
#define WE_METHODS_EVENT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "methods/event.h"
#include "methods/ols.h"
#include "methods/sample.h"
#include "util/error.h"

/* A bootstrap or permutation statistic this close (relative) to the
 * observed one counts as at least as large: the draw that reproduces the
 * data must count however it rounds. */
#define TIE_TOL 1e-9

/* mt19937 takes 32 bits: the two halves of the seed are folded (as in
 * the wild bootstrap of the TWFE coefficient), so that the pre-trend
 * bootstrap and randomisation inference give the same draws for a seed. */
static inline unsigned long we_event_fold_seed(uint64_t seed)
{
    return (unsigned long)((seed ^ (seed >> 32)) & 0xffffffffu);
}

int we_event_need_groups(const we_sample *p, we_error *err);

/* The event-time columns of the window. */
typedef struct ev_window {
    long min_rel, max_rel; /* the binning bounds */
    long lo, hi;           /* binned event times that can occur */
    long *col;             /* column of event time lo + j; -1 none */
    long *n_treated;       /* treated areas observed at lo + j */
    size_t *n_obs;         /* observations at lo + j */
    size_t n_ev;           /* event-time columns */
} ev_window;

/* The fitted event-time regression. */
typedef struct ev_fit {
    we_ols ols;      /* demeaned rows: event columns, then period columns
                        (the reference path only) */
    size_t k, G, q;  /* columns, clusters, leads (the first q columns) */
    size_t N;        /* observations */
    double c;        /* CR1 factor G/(G-1) (N-1)/(N-K) */
    double *beta, *V, *B; /* V scaled by c; B = (X'X)^-1 */
    /* Off the reference path the rows are never built: a row is two
     * dummies minus its area's means, so X'X, the scores and the
     * bootstrap's sums are summed area by area from these. */
    int sparse;
    const double *y;
    const we_design *d;
    const we_sample *p;
    const ev_window *w;
    const int *cl;
    double *ubar;    /* A x k: the within-area means of the dummies */
    double *ybar;    /* A: the within-area means of y */
} ev_fit;

/* The two dummy columns of area i's row in period t (-1: none). */
void we_event_row_cols(const ev_fit *f, size_t i, size_t t, long *ce,
                       long *cp);
/* The per-cluster scores at coef, G x k (the area-sums path). */
void we_event_sparse_scores(const ev_fit *f, const double *coef, double *S);
/* Adds a sentence to the result's note, separated by "; ". */
void we_event_note_add(we_event_result *out, const char *msg,
                       const char *msg_nl);

/* The Wald test of the leads and, with reps > 0, its bootstrap p-value,
 * into out (a note says why either is missing). */
int we_event_pretrend(const ev_fit *f, size_t reps, uint64_t seed,
                      we_event_result *out, we_error *err);

#endif
