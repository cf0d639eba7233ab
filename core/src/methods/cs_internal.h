/* Shared state of the Callaway-Sant'Anna estimator (cs.c, cs_aggregate.c,
 * cs_inference.c). Not part of the core API. */
#ifndef WE_METHODS_CS_INTERNAL_H
#define WE_METHODS_CS_INTERNAL_H

#include <stddef.h>

#include "methods/cs.h"

/* Every estimated quantity is a "statistic": an estimate and its influence
 * function over the used areas, psi[k * n + i], scaled as did's so that
 * estimate - truth ~ (1/n) sum_i psi_i. */
typedef struct cs_work {
    const double *y;
    const we_design *d;
    we_cs_control control;
    size_t last;       /* last period index of the window */
    long *g;           /* per design area: cohort in the window, -1 never
                          treated, -2 not in the sample */
    long *cohort;      /* distinct cohorts, ascending */
    size_t n_cohorts;
    size_t n;          /* used areas: those entering some cell */
    long *pos;         /* design area -> used index, -1 if unused */
    int *cl;           /* used index -> cluster 0..G-1 */
    long *ug;          /* used index -> cohort, -1 never treated */
    size_t G;
    size_t n_stats, cap;
    double *est;       /* cap */
    double *psi;       /* cap * n */
    double *se;        /* cap; analytic, clustered */
    double *boot_se;   /* cap; NaN without bootstrap */
} cs_work;

/* Where the statistics of each output lie: families are contiguous. */
typedef struct cs_layout {
    size_t n_cells;            /* statistics 0 .. n_cells - 1 */
    size_t simple;
    size_t dyn0, n_dyn, dyn_all;
    size_t grp0, n_grp, grp_all;
    size_t cal0, n_cal, cal_all;
} cs_layout;

/* 1: area a is a treated area of cell c, -1: a comparison area, 0: none;
 * both need y at the cell's period and base period. */
int we_cs_member(const cs_work *w, const we_cs_cell *c, size_t a);

/* Appends the aggregations after the cells (statistics 0..n_cells-1) and
 * fills the keys of out's aggregations. */
int we_cs_aggregate(cs_work *w, we_cs_result *out, cs_layout *lay,
                    we_error *err);

/* Standard errors, the bootstrap and the filling of every we_cs_stat. */
int we_cs_inference(cs_work *w, const cs_layout *lay,
                    const we_cs_options *o, we_cs_result *out,
                    we_error *err);

/* The dynamic elements' covariance and the pre-period Wald test into
 * out (cs.h), after we_cs_inference. */
int we_cs_pretest(const cs_work *w, const cs_layout *lay, we_cs_result *out,
                  we_error *err);

#endif
