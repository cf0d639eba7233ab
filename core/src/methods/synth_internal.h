/* Shared between the synthetic control and SDID sources; not part of the
 * public API (synth.h). */
#ifndef WE_METHODS_SYNTH_INTERNAL_H
#define WE_METHODS_SYNTH_INTERNAL_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "methods/synth.h"

/* One weight problem of the synthetic control: a target and its donors on
 * the fitting periods, and optionally on predictors. Donor-major. */
typedef struct we_sc_problem {
    size_t n_donors;
    size_t m_fit;       /* fitting periods */
    const double *Y0;   /* Y0[j * m_fit + r]: donor j in fitting period r */
    const double *y1;   /* the target in the fitting periods */
    size_t n_pred;      /* 0: fit the outcome rows */
    const double *X0;   /* X0[j * n_pred + k] */
    const double *x1;
} we_sc_problem;

/* Chooses the predictor weights v (n_pred, sum 1; untouched without
 * predictors) by o->v_mode and solves the donor weights w (n_donors).
 * info describes the final weight problem. */
int we_sc_solve(const we_sc_problem *p, const we_sc_options *o, double *v,
                double *w, we_simplex_info *info, we_error *err);

/* Mean squared pre-period error of weights w on the outcome rows. */
double we_sc_mspe(const we_sc_problem *p, const double *w);

/* Appends a formatted sentence to a note buffer, truncating with "...". */
void we_synth_note(char *note, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends "a, b, c" of the flagged area indices to the note. */
void we_synth_note_areas(char *note, size_t cap, const char *what,
                         const unsigned char *flag, size_t n);

/* The treated areas of the design (in_sample, treated_from >= 0), their
 * common first treated period *g, and the follow-up periods >= g. Fails
 * with a message when the starts differ, there are none, or no pre or
 * post period remains. treated and post must hold n_areas and n_followup
 * entries. */
int we_synth_layout(const we_design *d, size_t *treated, size_t *n_treated,
                    size_t *g, size_t *post, size_t *n_post, we_error *err);

/* ---- placebo assignments that keep the treated group's clusters -------
 * A placebo assignment makes control areas pseudo-treated in the shape of
 * the treated group: as many clusters (municipalities) as the treated
 * areas occupy, holding as many pseudo-treated areas each. Treated wijken
 * share their municipality's shocks; a placebo group of areas drawn one by
 * one from all over the country would not, and its effects would vary
 * less than the treated group's (the check would over-reject). The treated
 * areas themselves leave the placebo designs. */
typedef struct we_placebo_pool {
    size_t n_ctrl;           /* control areas that can play the treated */
    size_t *area;            /* them, grouped by cluster */
    size_t n_cl;             /* their clusters */
    size_t *cl_start, *cl_n; /* cluster c: area[cl_start[c]..][cl_n[c]] */
    unsigned char *cl_used;  /* scratch of one draw */
    size_t n_tr;             /* treated areas */
    size_t *need;            /* treated areas per treated cluster, desc. */
    size_t n_need;
} we_placebo_pool;

/* The complete controls of the backdated design bd (in sample, never
 * treated, a value in every period before its start and at its
 * follow-ups) grouped by cluster, and the cluster sizes of its treated
 * group (the same filter), largest first. Without d->cluster every area
 * is its own cluster. Free with we_placebo_pool_free, also after an
 * error. */
int we_placebo_pool_build(const double *y, const we_design *bd,
                          we_placebo_pool *p, we_error *err);

/* One placebo assignment, n_tr areas into out: for each treated cluster
 * (largest first) a control cluster not yet used and holding at least as
 * many controls, uniformly, and that many of its controls, uniformly;
 * when no unused cluster is that large, all controls of the largest
 * unused one and the rest from the next such. -1 when the controls run
 * out (never when n_ctrl >= n_tr). */
int we_placebo_pool_draw(we_placebo_pool *p, gsl_rng *rng, size_t *out);

/* The same pool from explicit lists: controls 0..nc-1 in clusters
 * ctrl_cl (its area[] holds these indices), treated areas in clusters
 * tr_cl; NULL puts every control, or every treated area, in its own. */
int we_placebo_pool_make(const int *ctrl_cl, size_t nc, const int *tr_cl,
                         size_t nt, we_placebo_pool *p, we_error *err);

void we_placebo_pool_free(we_placebo_pool *p);

/* The placebo assignments a test ranks its statistic among, one rule for
 * the pre-period check and the SC and SDID headline tests: every one of
 * the C(n_ctrl, n_tr) assignments once (exact, in lexicographic order of
 * p->area) when the treated group is one area, or when no cluster holds
 * two controls or two treated areas (then the cluster shape is no
 * constraint), and there are at most `reps` of them; else `reps` draws of
 * we_placebo_pool_draw from mt19937 seeded with `seed`. */
typedef struct we_placebo_walk {
    we_placebo_pool *pool;
    size_t J;     /* assignments */
    int exact;    /* 1: all of them */
    size_t b;     /* made so far */
    size_t *sub;  /* the current subset (exact) */
    gsl_rng *rng; /* the draws (not exact) */
} we_placebo_walk;

int we_placebo_walk_init(we_placebo_walk *w, we_placebo_pool *p, size_t reps,
                         unsigned long seed, we_error *err);
/* The next assignment, p->n_tr areas into out; -1 after the J-th or when
 * the controls run out (never when n_ctrl >= n_tr). */
int we_placebo_walk_next(we_placebo_walk *w, size_t *out);
void we_placebo_walk_free(we_placebo_walk *w);

#endif
