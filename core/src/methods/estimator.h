/* The one estimator entry point. Every estimate the core makes goes
 * through we_estimate_run: the host table's `estimate` (what plugins
 * call), an experiment's design headline, the displacement analysis and
 * `wijkeval estimate`. It picks the method's inference the same way
 * everywhere (the wild cluster bootstrap for TWFE with few clusters) and
 * derives the random stream from (run seed, experiment, indicator,
 * procedure), so a number does not depend on who asked for it or in which
 * order. */
#ifndef WE_METHODS_ESTIMATOR_H
#define WE_METHODS_ESTIMATOR_H

#include <stddef.h>
#include <stdint.h>

#include "methods/cs.h"
#include "methods/methods.h"
#include "methods/synth.h"
#include "util/error.h"

/* When TWFE's p-value and interval come from the wild cluster bootstrap. */
typedef enum we_wild_choice {
    WE_WILD_AUTO = 0,   /* with fewer than 42 clusters */
    WE_WILD_NEVER = 1,  /* CR1 with t(G - 1) */
    WE_WILD_ALWAYS = 2
} we_wild_choice;

/* The run's inference settings as the estimators need them (config/
 * fills it from the `inference` and `designs` groups). */
typedef struct we_est_settings {
    uint64_t seed;        /* the run's seed; streams derive from it */
    double alpha;
    we_wild_choice wild;
    int boot_webb;        /* 1: Webb weights, 0: Rademacher */
    size_t boot_reps;     /* wild bootstrap replications */
    int cs_not_yet;       /* CS comparison: 1 not yet treated, 0 never */
    size_t cs_boot_reps;  /* CS multiplier bootstrap draws */
    size_t sdid_reps;     /* SDID placebo / bootstrap replications */
} we_est_settings;

/* One estimate to make. */
typedef struct we_est_call {
    const we_design *d;
    const double *y;           /* areas x periods, NaN missing */
    we_method method;
    we_direction direction;    /* pre/post and gap: the good side */
    const int *gap_group;      /* gap: the areas' groups, NULL for one */
    const double *gap_weight;  /* gap: the areas' weights, NULL for none */
    const char *experiment;    /* names of the random stream */
    const char *indicator;
    int has_seed;              /* 1: use `seed` as it is (wijkeval
                                  estimate --seed), not a derived one */
    uint64_t seed;
} we_est_call;

/* The full result of a design estimate (Callaway-Sant'Anna group-time
 * cells, synthetic-control or SDID donor weights), kept beside the
 * headline number for the report and `estimate --json`. */
typedef struct we_design_detail {
    we_method method; /* WE_METHOD_CS, ... ; 0 when empty */
    int has_cs;
    we_cs_result cs;
    int has_sc;
    we_sc_result sc;
    int has_sdid;
    we_sdid_result sdid;
} we_design_detail;

/* Runs call->method and fills est. With detail != NULL a design method
 * (cs, sc, sdid) keeps its full result there (free it with
 * we_design_detail_free); other methods leave it empty. */
int we_estimate_run(const we_est_settings *s, const we_est_call *call,
                    we_estimate *est, we_design_detail *detail,
                    we_error *err);

void we_design_detail_free(we_design_detail *detail);

/* A seed for one random procedure on one indicator of one experiment. */
uint64_t we_derive_seed(uint64_t seed, const char *experiment,
                        const char *indicator, const char *procedure);

/* 1 when TWFE's p-value and interval come from the wild bootstrap. */
int we_use_wild(const we_est_settings *s, size_t n_clusters);

/* 1 for the design methods (cs, sc, sdid). */
int we_is_design_method(we_method m);

/* TWFE with the settings' inference: the CR1 estimate, and the wild
 * cluster bootstrap's p-value and interval when we_use_wild says so
 * (est->se stays CR1). Both from one set of per-area sums
 * (we_twfe_area_sums_fit, we_twfe_wild_sums), no rows; on the reference
 * path (we_use_reference_paths) from the rows, built once for both. */
int we_twfe_inferred(const we_est_settings *s, const double *y,
                     const we_design *d, uint64_t seed, we_estimate *est,
                     we_error *err);

/* A design method with an explicit seed (the design headline and the
 * per-call entry above). */
int we_design_estimate(const we_est_settings *s, const we_design *d,
                       const double *y, we_method m, uint64_t seed,
                       we_estimate *est, we_design_detail *detail,
                       we_error *err);

/* The gap reference of y (we_gap_reference) in a new array, or NULL with
 * err set. */
double *we_gap_reference_of(const double *y, size_t n_areas,
                            size_t n_periods, const int *group,
                            const double *weight, we_error *err);

#endif
