/* Synthetic control (Abadie, Diamond and Hainmueller 2010) and synthetic
 * difference-in-differences (Arkhangelsky, Athey, Hirshberg, Imbens and
 * Wager 2021) on the arrays of methods.h. Formulas, conventions and the
 * reference each number is checked against: docs/methods.md. */
#ifndef WE_METHODS_SYNTH_H
#define WE_METHODS_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "methods/methods.h"
#include "util/error.h"

#define WE_SYNTH_NOTE_MAX 512

/* ---- the simplex least-squares problem ------------------------------- */

typedef struct we_simplex_info {
    size_t iterations;    /* active-set changes */
    size_t support;       /* weights > 0 */
    double objective;     /* ||b - A w||^2 */
    double multiplier;    /* mu = w'g: the gradient value shared by the
                             support, g = 2 A'(A w - b) */
    double kkt;           /* max(|g_j - mu| on the support,
                                 mu - g_j off it, 0) */
} we_simplex_info;

/* Minimises ||b - A w||^2 over w >= 0, sum(w) = 1 exactly: a primal
 * active-set method whose every step is an equality-constrained least
 * squares solve (Householder QR). A is stored by column (donor):
 * A[j * m + r], j < n columns, r < m rows; b has m values; w receives n.
 * When several w reach the minimum (more donors than rows and an exact
 * fit) one of them is returned, with at most m + 1 positive weights.
 * Errors: n == 0 or m == 0, non-finite input (WE_EINVAL), no memory. */
int we_simplex_ls(const double *A, size_t m, size_t n, const double *b,
                  double *w, we_simplex_info *info, we_error *err);

/* ---- synthetic control ------------------------------------------------ */

/* How predictor rows are weighted (only with predictors). */
typedef enum we_sc_vmode {
    WE_SC_V_CUSTOM = 0,   /* v from the caller (normalised to sum 1) */
    WE_SC_V_INVVAR = 1,   /* v_k proportional to 1 / variance of predictor
                             k over the fit's treated unit and donors */
    WE_SC_V_OPTIMISE = 2  /* v minimising the pre-period outcome MSPE of
                             the resulting weights (nested, as Synth) */
} we_sc_vmode;

typedef struct we_sc_options {
    /* Predictors x[area * n_pred + k] (lagged outcomes, covariates), or
     * NULL to fit the outcome path of all pre-treatment periods. */
    const double *x;
    size_t n_pred;
    we_sc_vmode v_mode;
    const double *v;  /* n_pred weights for WE_SC_V_CUSTOM */
    int placebo;      /* 1: placebo-in-space inference over the donors */
    /* With two or more treated areas, the average's placebos are groups
     * of donors in the treated group's cluster shape (we_placebo_walk):
     * `reps` of them (0: WE_SYNTH_PRETEST_REPS), drawn with `seed`. */
    size_t reps;
    uint64_t seed;
} we_sc_options;

/* One synthetic control fit. Arrays are owned by the result. */
typedef struct we_sc_fit {
    long unit;          /* treated area, or -1 for the treated average */
    double *weight;     /* n_areas: donor weights, 0 for other areas */
    double *v;          /* n_pred predictor weights, NULL without */
    double *gap;        /* n_periods: treated minus synthetic, NaN where
                           the treated value or a weighted donor is
                           missing */
    double pre_rmspe;   /* over the fitting periods */
    double post_rmspe;  /* over the follow-up periods with a gap */
    double ratio;       /* post_rmspe / pre_rmspe */
    double estimate;    /* mean gap over the follow-up periods with one */
    double p_value;     /* placebo rank of ratio; NaN without placebos */
    /* The (1 - alpha) interval by inverting the placebo test: the effects
     * tau0 whose test (treated post values minus tau0, weights and
     * placebos unchanged) has p > alpha. -/+INFINITY when no test can
     * reject (1 / (1 + J) > alpha); NaN without placebos, or when every
     * tau0 is rejected (the post gaps vary more than any placebo's). */
    double ci_low, ci_high;
    /* 1: the test rejects every tau0 (an empty confidence set, ci NaN):
     * the spread of the post gaps around their mean alone gives a ratio
     * above the critical placebo ratio. */
    int ci_empty;
    double kkt;         /* KKT violation of the weight problem, on the
                           scale of the mean squared error */
    size_t n_donors;    /* donors offered to the solver */
    size_t n_fit;       /* fitting periods */
    size_t n_post;      /* follow-up periods with a gap */
} we_sc_fit;

typedef struct we_sc_result {
    size_t n_areas, n_periods, n_pred;
    we_sc_fit average;   /* the headline: the mean of the treated areas'
                            outcomes fitted as one unit */
    we_sc_fit *unit;     /* one fit per treated area, each with its own
                            weights */
    size_t n_units;
    double *placebo_ratio; /* n_areas: post/pre RMSPE ratio of each donor
                              refitted as pseudo-treated, NaN otherwise;
                              the per-area fits' placebos, and the
                              average's with one treated area */
    size_t n_placebos;
    /* With two or more treated areas: the ratios of the placebo groups of
     * donors in the treated group's cluster shape (n_groups of them, NaN
     * where a fit failed), the average's placebos; NULL otherwise. */
    double *group_ratio;
    size_t n_groups;
    int groups_exact;        /* 1: every possible group once */
    size_t average_placebos; /* the placebos the average's p ranks among */
    /* n_areas: each placebo's estimate (its mean post gap), NaN where
     * none; the in-time placebo check ranks |estimate| among them. */
    double *placebo_estimate;
    size_t n_placebo_estimates;
    unsigned char *dropped; /* n_areas: 1 = donor left out of the
                               headline fit for missing values */
    char note[WE_SYNTH_NOTE_MAX];
} we_sc_result;

/* Synthetic control for the treated areas of the design.
 * - Treated: in_sample and treated_from >= 0; all must share one start g.
 *   Donors: in_sample and never treated.
 * - Fitting periods: t < g where the treated series has a value. Donors
 *   with a missing value there (or a missing predictor) are dropped and
 *   listed in `note`; nothing is imputed.
 * - Post periods: the follow-up periods >= g.
 * - Placebos (o->placebo): every donor of the headline fit refitted as
 *   pseudo-treated on the other donors; p = (1 + #{ratio_j >= ratio}) /
 *   (1 + J), J the placebos with a ratio (Abadie et al. 2010). With two
 *   or more treated areas the average's placebos are groups of donors in
 *   the treated group's cluster shape (their mean refitted on the other
 *   donors; group_ratio), so that shocks the treated areas share through
 *   their municipality are in the placebo distribution too.
 * o may be NULL (outcome path, no placebos). Errors: WE_EINVAL (design,
 * options), WE_ENODATA (no treated area, no donor, no fitting or post
 * period), WE_ENOMEM. The result must be freed with we_sc_result_free,
 * also after an error. */
int we_synth(const double *y, const we_design *d, const we_sc_options *o,
             we_sc_result *out, we_error *err);
void we_sc_result_free(we_sc_result *r);

/* An inclusive window of period indices. */
typedef struct we_sc_window {
    size_t from, to;
} we_sc_window;

/* Builds outcome predictors: x[area * n_win + k] = mean of y over window
 * k (a single lag when from == to), NaN when any value in the window is
 * missing. Errors: a window outside the panel or reversed (WE_EINVAL). */
int we_sc_outcome_predictors(const double *y, size_t n_areas,
                             size_t n_periods, const we_sc_window *win,
                             size_t n_win, double *x, we_error *err);

/* ---- synthetic difference-in-differences ----------------------------- */

typedef enum we_sdid_variance {
    WE_SDID_VAR_AUTO = 0,      /* placebo with one treated area, else
                                  jackknife */
    WE_SDID_VAR_PLACEBO = 1,   /* Algorithm 4: placebo treatments among
                                  the controls (seeded) */
    WE_SDID_VAR_JACKKNIFE = 2, /* Algorithm 3: fixed-weight jackknife */
    WE_SDID_VAR_BOOTSTRAP = 3, /* Algorithm 2: unit bootstrap (seeded) */
    WE_SDID_VAR_NONE = 4
} we_sdid_variance;

typedef struct we_sdid_options {
    we_sdid_variance variance;
    size_t reps;    /* placebo and bootstrap replications (synthdid: 200) */
    uint64_t seed;  /* GSL mt19937, folded as in we_twfe_wild */
    int permutation; /* 1: also the placebo permutation test (perm_*) */
} we_sdid_options;

typedef struct we_sdid_result {
    double estimate;
    double se, ci_low, ci_high, p_value; /* normal reference; NaN when the
                                            variance is undefined */
    /* The placebo permutation test (options.permutation): every
     * assignment of N1 of the N0 controls as pseudo-treated (all
     * C(N0, N1) when there are at most `reps`, else `reps` random ones)
     * refitted; perm_p = (1 + #{|tau_b| >= |tau|}) / (1 + perm_n), never
     * below perm_min_p = 1 / (1 + perm_n); the interval inverts the test
     * (tau - tau0 is the estimate under H0: tau0) and is infinite when
     * perm_min_p > alpha. NaN (perm_n 0) when not run or with N0 <= N1. */
    double perm_p, perm_ci_low, perm_ci_high, perm_min_p;
    size_t perm_n;
    int perm_exact;
    we_sdid_variance variance;  /* the method used (AUTO resolved) */
    size_t reps;                /* replications used, 0 for jackknife */
    double *omega;      /* n_areas: control weights, 0 elsewhere */
    double *lambda;     /* n_periods: pre-period weights, 0 elsewhere */
    double *curve;      /* n_periods: effect per post period, NaN
                           elsewhere (synthdid_effect_curve) */
    double noise_level; /* sd of the controls' pre-period first
                           differences */
    double zeta_omega, zeta_lambda;
    size_t n_treated, n_control, n_pre, n_post;
    size_t iter_omega, iter_lambda; /* Frank-Wolfe steps, both rounds */
    unsigned char *dropped;         /* n_areas: 1 = left out for missing
                                       values */
    char note[WE_SYNTH_NOTE_MAX];
} we_sdid_result;

/* SDID for the design: controls are the in-sample never-treated areas,
 * treated areas share one start g; pre periods t < g, post periods the
 * follow-ups >= g. Areas with a missing value in those periods are
 * dropped (listed in `note`). The weights follow the synthdid R package
 * (Frank-Wolfe with its stopping rule, sparsification and defaults) so
 * that its numbers are reproduced. o may be NULL (AUTO, 200 reps, seed
 * 0). Errors: WE_EINVAL, WE_ENODATA, WE_ENOMEM; free the result with
 * we_sdid_result_free, also after an error. */
int we_sdid(const double *y, const we_design *d, const we_sdid_options *o,
            we_sdid_result *out, we_error *err);
void we_sdid_result_free(we_sdid_result *r);

/* ---- the synthetic designs' own pre-period check ----------------------- */

/* The pre-period check of an sc or sdid headline (docs/methods.md, "The
 * synthetic designs' own pre-period check"):
 * - fit: the pre-treatment fit at the real start g (sc: the RMSPE of the
 *   treated mean against its synthetic control; sdid: the RMS of the
 *   treated mean minus the omega-weighted controls around its pre-period
 *   mean), with the treated mean's pre-period SD as its scale;
 * - an in-time placebo: the treatment backdated to the shift-th last
 *   period before g in which every treated area has a value, the design
 *   re-estimated on the periods before g only (fitting periods before
 *   the placebo start, at least 2 with data; placebo follow-ups the last
 *   shift periods with data before g), |its effect| ranked among the
 *   placebo assignments' (the treated areas out, control areas
 *   pseudo-treated in the treated group's cluster shape: as many
 *   clusters, as many areas in each; p = (1 + #{|e_b| >= |e|}) / (1 +
 *   J)). With one treated area every control with data plays it once
 *   when there are at most `reps` (exact); otherwise `reps` random
 *   assignments. min_p is the smallest p the check can attain; it cannot
 *   reject when min_p >= alpha. */
typedef struct we_synth_pretest_result {
    we_method method;
    size_t start;          /* g, the real start (period index) */
    size_t shift;          /* k: placebo periods, counted among the
                              periods before g with treated data */
    size_t placebo_start;  /* the first of them (period index) */
    double estimate;       /* the in-time placebo effect */
    double stat;           /* its test statistic, |estimate| */
    double p, min_p;
    size_t n_placebos;     /* placebo assignments estimated */
    size_t clusters;       /* clusters of the treated group (and of
                              every placebo assignment) */
    int exact;             /* every placebo enumerated */
    double fit_rmspe, fit_sd;
    /* we_synth_pretest_power: the linear trend's slope per period and
     * the share of power_sims simulated panels in which the check
     * rejects at alpha (0 without simulation when min_p >= alpha). */
    double slope, power;
    size_t power_sims;
} we_synth_pretest_result;

#define WE_SYNTH_PRETEST_REPS 200 /* placebo assignments when reps is 0 */

typedef struct we_synth_pretest_options {
    size_t shift;  /* 0: we_synth_pretest_shift */
    size_t reps;   /* placebo assignments (0: WE_SYNTH_PRETEST_REPS) */
    uint64_t seed; /* the assignments and the power simulation */
} we_synth_pretest_options;

/* The default backdating, in periods with data: min(follow-ups after
 * the start, n_pre / 2), at least 1, so that at least half of the n_pre
 * pre-periods with treated data remain to fit. */
size_t we_synth_pretest_shift(size_t n_pre, size_t n_post);

/* The check for method m (WE_METHOD_SC or WE_METHOD_SDID) on the design.
 * Errors: another method, fewer than shift + 2 periods before the start
 * or fewer than (treated areas + 2) complete controls (WE_ENODATA), and
 * the estimators' own. */
int we_synth_pretest(const double *y, const we_design *d, we_method m,
                     const we_synth_pretest_options *o,
                     we_synth_pretest_result *out, we_error *err);

/* The power of the check `pt` (from we_synth_pretest on the same y, d
 * and o) at d->alpha against a linear differential trend: slope * (t - g
 * + 1) added to the treated areas of `sims` null panels drawn from the
 * MDE's model (the variance components of y, municipality shocks
 * included; mde.c), seeded from o->seed. Each panel gives the backdated
 * |effect| without and with the trend (two fits, whatever the number of
 * donors); the untrended ones stand in for the placebo distribution, and
 * a trended panel whose statistic is reached by a share q of them is
 * rejected by the check with its J = pt->n_placebos placebos with
 * probability P(Binomial(J, q) <= kmax), kmax the most placebos at or
 * above the statistic that still give p < alpha. Power 0 without
 * simulation when pt->min_p >= alpha. Sets pt->slope, pt->power,
 * pt->power_sims. */
int we_synth_pretest_power(const double *y, const we_design *d,
                           const we_synth_pretest_options *o, double slope,
                           size_t sims, we_synth_pretest_result *pt, we_error *err);

#endif
