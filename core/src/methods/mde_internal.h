/* Shared between the two halves of the minimum detectable effect: the
 * variance components (mde_components.c) and the design, formula and
 * simulation (mde.c). Model and estimator: docs/methods.md, "Minimum
 * detectable effect". */
#ifndef WE_METHODS_MDE_INTERNAL_H
#define WE_METHODS_MDE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "methods/methods.h"
#include "util/error.h"

/* The error of the two-way model, y_it = a_i + l_t + w_it, as
 * w_it = c_{g(i)t} + u_it: a cluster-by-period shock c (variance s2c,
 * independent over clusters and periods) plus an area error u that is
 * AR(1) over periods (variance s2u, lag-one correlation rho). */
typedef struct we_mde_components {
    double s2u, s2c, rho;
    size_t n_areas;   /* areas with a complete pre-period record */
    size_t n_periods; /* pre-periods used */
} we_mde_components;

/* Estimates the components by the method of moments from the two-way
 * demeaned pre-period (t <= baseline) values of the areas flagged in
 * `used` whose treatment, if any, starts after the baseline. */
int we_mde_components_estimate(const double *y, const we_design *d,
                               const unsigned char *used,
                               we_mde_components *c, we_error *err);

/* Calls fn on `reps` null panels (no effect) drawn from the model above,
 * fitted to y (its variance components, the real panel's missing cells,
 * the rng seeded from `seed`): the simulations of we_mde_design and of
 * the synthetic designs' pre-test power (synth_pretest.c) share them.
 * ys has n_areas * n_periods values, NaN where the real panel has none
 * and after the latest follow-up; fn may change it. fn returning non-zero
 * stops the loop and is returned. */
typedef int (*we_mde_panel_fn)(double *ys, void *user, we_error *err);
int we_mde_null_panels(const double *y, const we_design *d, size_t reps,
                       uint64_t seed, we_mde_panel_fn fn, void *user,
                       we_error *err);

#endif
