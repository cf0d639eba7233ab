/* Shared between the synthetic control and SDID sources; not part of the
 * public API (synth.h). */
#ifndef WE_METHODS_SYNTH_INTERNAL_H
#define WE_METHODS_SYNTH_INTERNAL_H

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

#endif
