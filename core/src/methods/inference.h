/* What turns estimates into evidence: standardised effect sizes, multiple
 * testing adjustments, minimum detectable effects and evidence levels.
 * Rules for the levels: docs/evidence.md. */
#ifndef WE_METHODS_INFERENCE_H
#define WE_METHODS_INFERENCE_H

#include <stddef.h>
#include <stdint.h>

#include "methods/methods.h"
#include "util/error.h"

/* ---- effect sizes ---------------------------------------------------- */
typedef struct we_effect_size {
    double glass_delta, glass_low, glass_high; /* effect / SD_comparison */
    double hedges_g, hedges_low, hedges_high;  /* effect / pooled SD, J */
    double sd_comparison, sd_pooled;           /* at baseline, across areas */
} we_effect_size;

/* Standardises `est` (estimate and CI) by the baseline standard deviation
 * across comparison areas (Glass) and across treated and comparison areas
 * pooled, with Hedges' small-sample factor J. `direction` makes "better"
 * positive (so the bounds swap when it is -1). The interval treats the SD
 * as fixed; it ignores the SD's own sampling error. Hedges' g is NaN with
 * fewer than 4 areas (J = 0 at 3). Formulas: docs/methods.md. */
int we_effect_size_compute(const double *y, const we_design *d,
                           const we_estimate *est, we_direction direction,
                           we_effect_size *out, we_error *err);

/* ---- multiple testing ------------------------------------------------- */
/* Holm (1979) and Benjamini-Hochberg (1995) adjusted p-values, exactly as
 * R's p.adjust; NaN inputs stay NaN and are not counted in m. `out` may
 * be `p`. Should the sort's memory run out, every output is NaN. */
void we_p_adjust_holm(const double *p, size_t n, double *out);
void we_p_adjust_bh(const double *p, size_t n, double *out);

/* ---- minimum detectable effect ---------------------------------------- */
typedef struct we_mde {
    double mde;       /* smallest true effect detected with `power` */
    double power;     /* e.g. 0.8 */
    double alpha;
    double icc;       /* intra-cluster correlation, pre-period residuals;
                         0 when every cluster is one area */
    double sigma2;    /* residual variance, pre-period: the variance of the
                         error after area and period effects */
    double rho;       /* serial correlation of residuals, pre-period */
    double sim_power; /* simulated power at the MDE (check); NaN if skipped */
    size_t sim_reps;
    /* we_mde_design: the MDE of a design estimator (cs, sc, sdid) from
     * the standard deviation of its estimate over sim_reps simulated null
     * panels (sim_sd); 0 and TWFE for the analytic formula. */
    int simulated;
    double sim_sd;
    we_method method;
} we_mde;

/* Analytic MDE of the TWFE DiD for this design, from pre-period
 * variance components; with sim_reps > 0 also simulates the power at the
 * MDE (seeded). Model, formula and assumptions: docs/methods.md. */
int we_mde_compute(const double *y, const we_design *d, double power,
                   size_t sim_reps, uint64_t seed, we_mde *out,
                   we_error *err);

/* The MDE of the design estimator m (cs, sc or sdid) by simulation:
 * `reps` null panels drawn from the model of we_mde_compute (its variance
 * components, the real panel's missing cells, seeded), each estimated by
 * m itself (point estimate only); MDE = (q(1 - alpha/2) + q(power)) sd,
 * q from t(G - 1) for cs (its reference) and the normal for sc and sdid.
 * INFINITY when min_p, the smallest p-value the design's test can attain
 * (1 / (1 + J) for J placebos; 0 for cs), exceeds alpha: no effect can
 * then be detected. Formula and assumptions: docs/methods.md. */
int we_mde_design(const double *y, const we_design *d, we_method m,
                  double power, size_t reps, double min_p, uint64_t seed,
                  we_mde *out, we_error *err);

/* ---- evidence levels -------------------------------------------------- */
typedef enum we_design_kind {
    WE_DESIGN_PRE_POST = 0,     /* no comparison group */
    WE_DESIGN_GAP = 1,          /* against a reference, no design */
    WE_DESIGN_DID = 2,          /* comparison group, DiD/panel */
    WE_DESIGN_SYNTHETIC = 3,    /* synthetic control / SDID */
    WE_DESIGN_QUASI_RANDOM = 4, /* IV, RD */
    WE_DESIGN_RANDOMISED = 5
} we_design_kind;

typedef enum we_erkenning {
    WE_ERKENNING_NONE = 0,
    WE_ERKENNING_EERSTE = 1, /* eerste aanwijzingen */
    WE_ERKENNING_GOEDE = 2,  /* goede aanwijzingen */
    WE_ERKENNING_STERKE = 3  /* sterke aanwijzingen */
} we_erkenning;

typedef struct we_evidence_input {
    we_design_kind design;
    double pretrend_p;    /* the design's own pre-period check; NaN when
                             not tested */
    /* Power of that check against a linear pre-trend that biases the
     * estimate by its MDE at the last period (Roth 2022); NaN when
     * unknown. Level 3 needs pretest_power >= pretest_power_min. */
    double pretest_power;
    double pretest_power_min;
    const char *pretest;  /* what the check is, e.g. "event-study leads";
                             NULL: "pre-trends" */
    const char *pretest_nl; /* the same in Dutch, for reasons_nl; NULL:
                               "pre-trends" in Dutch words */
    int pretest_borrowed; /* 1: another design's check (a rejection still
                             counts; it cannot grant level 3) */
    /* The smallest p-value the check can attain (a placebo rank: 1 / (1 +
     * J)); above alpha the check can never reject, its power is 0 and the
     * reasons say so. 0 or NaN: not a placebo rank. */
    double pretest_min_p;
    /* 1: the row's inference is not valid for its design; it feeds no
     * evidence level (level 0, no label). */
    int descriptive;
    const char *descriptive_reason;
    const char *descriptive_reason_nl; /* the same in Dutch; NULL: a
                                          general Dutch reason */
    double p_adjusted;    /* of the effect */
    /* 1 when p_adjusted is a headline's: adjusted within its experiment
     * and across the run's headlines (the larger; the reasons say so). */
    int across_headlines;
    double alpha;
    int good_direction;   /* 1 when the effect is in the good direction */
    size_t n_followup;    /* follow-up periods observed */
    size_t n_studies;     /* independent controlled studies (1 here) */
} we_evidence_input;

typedef struct we_evidence {
    int sms_level;        /* Maryland Scientific Methods Scale 1-5 */
    we_erkenning erkenning;
    char reasons[768];    /* plain language, e.g. "Level 3: DiD with
                             comparison wijken; pre-trends not rejected
                             (p = 0.41)" */
    char reasons_nl[640]; /* the same in Dutch ("Niveau 3: ...") */
} we_evidence;

void we_evidence_assess(const we_evidence_input *in, we_evidence *out);
const char *we_erkenning_name(we_erkenning e); /* "goede aanwijzingen" */

#endif
