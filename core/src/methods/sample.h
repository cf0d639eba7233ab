/* The TWFE sample: which (area, period) cells enter the two-way fixed
 * effects regressions, and how cluster ids are numbered over a set of
 * areas. we_twfe (and the wild bootstrap on its rows), the event study,
 * randomisation inference and the MDE all estimate on this sample; the
 * rule is written once so that they cannot drift apart, because the report
 * sets their results side by side as views of one regression.
 *
 * The rule. A cell (i, t) is in the sample when area i is in the sample of
 * the design (treated or comparison), t is at most the latest follow-up
 * (later periods are not evaluated; earlier ones, before the baseline too,
 * identify the area and period effects) and y_it is finite (a missing value
 * drops the cell, not the area: the within-area demeaning handles
 * unbalanced panels). A sample area has at least one cell. The first period
 * with a cell is the reference of the period effects; every later period
 * with a cell has a dummy column, 0..n_pc-1 in period order. */
#ifndef WE_METHODS_SAMPLE_H
#define WE_METHODS_SAMPLE_H

#include <math.h>
#include <stddef.h>

#include "methods/methods.h"
#include "util/error.h"

/* period_col values that are not a column. */
#define WE_SAMPLE_REFERENCE (-1) /* the reference period: no dummy */
#define WE_SAMPLE_ABSENT (-2)    /* no cell in this period */

typedef struct we_sample {
    size_t T_max;         /* periods 0..T_max-1: up to the latest follow-up */
    size_t *area_n;       /* cells per area; 0: not a sample area */
    unsigned char *used;  /* 1 for a sample area (area_n > 0) */
    long *period_col;     /* per period < T_max: its dummy column (>= 0),
                             WE_SAMPLE_REFERENCE or WE_SAMPLE_ABSENT */
    size_t n_pc;          /* period dummies: periods with cells minus one */
    size_t N;             /* cells */
    size_t n_treated;     /* sample areas with a first treated period */
    size_t n_control;     /* sample areas never treated */
} we_sample;

/* Scans y for the sample of the design. The caller has checked that the
 * design has a follow-up period inside the panel. Returns WE_OK or
 * WE_ENOMEM with a message; free with we_sample_free either way. */
int we_sample_build(const double *y, const we_design *d, we_sample *s,
                    we_error *err);
void we_sample_free(we_sample *s);

/* 1 when (i, t) is a cell of the sample, for t < T_max. */
static inline int we_sample_cell(const we_sample *s, const double *y,
                                 const we_design *d, size_t i, size_t t)
{
    return s->area_n[i] > 0 && isfinite(y[i * d->n_periods + t]);
}

/* Regressions on the sample absorb the area effects by demeaning within
 * the area (Frisch-Waugh-Lovell: exact, also in unbalanced panels). Their
 * cell rows are dummies: at most two columns are 1 (a treatment or
 * event-time column, and a period column); `cols` names them for cell
 * (i, t), -1 for none. */
typedef void (*we_sample_cols)(const void *ctx, size_t i, size_t t,
                               long *c1, long *c2);

/* Area i's within-area means of the k dummy columns (into mean) and of y
 * (returned), summed over its cells in period order. */
double we_sample_area_means(const double *y, const we_design *d,
                            const we_sample *s, size_t i, size_t k,
                            we_sample_cols cols, const void *ctx,
                            double *mean);

/* Appends area i's cells to ols as rows demeaned within the area, with
 * the cluster given. row and mean are scratch of ols->k elements. */
void we_sample_add_area(we_ols *ols, const double *y, const we_design *d,
                        const we_sample *s, size_t i, int cluster,
                        we_sample_cols cols, const void *ctx, double *row,
                        double *mean);

/* The same regression from per-area sums, without rows (the event study,
 * we_twfe_sums): area i's contribution to X'X (k x k, row-major) and X'y,
 * given its means from we_sample_area_means (ybar returned, ubar the k
 * dummy means); and its score X_i'(y_i - X_i coef), added to sv (k). The
 * demeaned rows are never formed, so the cost per area is O(cells + k^2)
 * and the sums are ordered differently from we_ols on the rows: the
 * results agree with the rows' to rounding (1e-12 relative), not to the
 * bit. */
void we_sample_area_normal(const double *y, const we_design *d,
                           const we_sample *s, size_t i, size_t k,
                           we_sample_cols cols, const void *ctx, double ybar,
                           const double *ubar, double *xtx, double *xty);
void we_sample_area_score(const double *y, const we_design *d,
                          const we_sample *s, size_t i, size_t k,
                          we_sample_cols cols, const void *ctx, double ybar,
                          const double *ubar, const double *coef, double *sv);

/* Cluster numbering. Cluster-robust variances, bootstraps and simulations
 * index clusters 0..G-1 over the areas they use. The order is part of a
 * seeded result (the g-th bootstrap weight or simulated shock goes to the
 * g-th cluster) and of the rounding of sums over clusters, so each method
 * keeps the order its results were published with: */
typedef enum we_cluster_order {
    WE_CLUSTERS_FIRST_SEEN = 0, /* by the first area (index) of a cluster:
                                   we_twfe, the event study, 2x2 DiD, CS */
    WE_CLUSTERS_BY_ID = 1       /* ascending cluster id: the MDE */
} we_cluster_order;

/* Maps the cluster ids of the areas flagged in `used` to 0..G-1 in `order`
 * (cl[i] = -1 for the other areas) and sets *G. Returns WE_OK, or
 * WE_EINVAL (a flagged area with a negative id) / WE_ENOMEM with a
 * message. */
int we_sample_clusters(const we_design *d, const unsigned char *used,
                       we_cluster_order order, int *cl, size_t *G,
                       we_error *err);

/* The checks every estimator makes of its design, written once: a
 * non-empty panel, follow-up periods, baseline and follow-up inside the
 * panel, alpha in (0, 1), first treated periods that are -1 or a period
 * index. WE_OK, or WE_EINVAL with err saying what to fix. */
int we_design_check(const we_design *d, we_error *err);

/* Distinct clusters with an in-sample treated area (the design choice
 * and the few-cluster rule count the same thing). */
size_t we_design_treated_clusters(const we_design *d);

#endif
