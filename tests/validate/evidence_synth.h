/* Which evidence labels SC and SDID headlines earn on the panels of
 * evidence_sim.h (docs/validation.md, "Evidence labels on null panels"):
 * shared by the unit test (tests/unit/test_evidence_sim.c, a few panels)
 * and the validation program (tests/validate/evidence.c).
 *
 * The synthetic designs need one common start, so the panels' second-wave
 * wijken leave the sample (as an experiment of one wave would have it):
 * the first wave's treated wijken against the never-treated ones. Each
 * panel goes through what the host does for an sc or sdid headline
 * (analysis/enrich.c): the estimate with its placebo p (sc: the
 * average's post/pre RMSPE ratio among placebo groups of donors; sdid:
 * placebo permutation; both in the treated group's municipality
 * shape), the MDE by
 * simulation from the design's estimator, the design's own pre-period
 * check (in-time placebo, methods/synth.h) and its power against the
 * linear trend that reaches the MDE at the last follow-up; then the
 * evidence rules. Replications are smaller than the host's defaults
 * (ES_* below) to keep the study affordable. */
#ifndef WE_TESTS_EVIDENCE_SYNTH_H
#define WE_TESTS_EVIDENCE_SYNTH_H

#include "evidence_sim.h"
#include "methods/synth.h"

#define ES_MDE_SIMS 40    /* host: inference.mde_simulations = 200 */
#define ES_POWER_SIMS 40  /* host: inference.pretest_simulations = 100 */
#define ES_SDID_REPS 99   /* host: designs.sdid_reps = 200 */

enum { ES_SC = 0, ES_SDID = 1, ES_N_METHODS = 2 };

typedef struct es_tally {
    size_t reps, failed[ES_N_METHODS];
    size_t label[ES_N_METHODS][4]; /* by we_erkenning */
    size_t level3[ES_N_METHODS];
    size_t significant[ES_N_METHODS];
    size_t check_rejected[ES_N_METHODS], powerless[ES_N_METHODS];
    double power_sum[ES_N_METHODS];
    size_t power_n[ES_N_METHODS];
    double est_sum[ES_N_METHODS]; /* of the estimates */
    double mde_sum[ES_N_METHODS]; /* of the simulated MDEs */
    size_t mde_n[ES_N_METHODS];
} es_tally;

/* The estimate, p and the smallest attainable p of the headline. */
static inline int es_estimate(int m, const ev_panel *p, uint64_t seed,
                              double *est, double *pv, double *min_p)
{
    we_error err = {{0}};
    int rc;
    if (m == ES_SC) {
        /* the treated average ranked among placebo groups of donors,
         * as many as SDID's assignments, drawn as the host draws them */
        we_sc_options o = {.x = NULL, .v_mode = WE_SC_V_INVVAR,
                           .placebo = 1, .reps = ES_SDID_REPS, .seed = seed};
        we_sc_result r;
        rc = we_synth(p->y, &p->d, &o, &r, &err);
        if (rc == WE_OK) {
            *est = r.average.estimate;
            *pv = r.average.p_value;
            *min_p = 1.0 / (1.0 + (double)r.n_placebos);
        }
        we_sc_result_free(&r);
        return rc;
    }
    we_sdid_options o = {.variance = WE_SDID_VAR_NONE,
                         .reps = ES_SDID_REPS, .seed = seed,
                         .permutation = 1};
    we_sdid_result r;
    memset(&r, 0, sizeof r);
    rc = we_sdid(p->y, &p->d, &o, &r, &err);
    if (rc == WE_OK) {
        *est = r.estimate;
        *pv = r.perm_p;
        *min_p = r.perm_min_p;
    }
    we_sdid_result_free(&r);
    return rc;
}

static inline void es_headline(es_tally *t, int m, const ev_panel *p,
                               we_evidence_input in, uint64_t seed)
{
    double est = NAN, pv = NAN, min_p = NAN;
    we_method wm = m == ES_SC ? WE_METHOD_SC : WE_METHOD_SDID;
    we_synth_pretest_options o = {.reps = ES_SDID_REPS, .seed = seed};
    we_synth_pretest_result pt;
    we_mde mde;
    we_error err = {{0}};
    if (es_estimate(m, p, seed, &est, &pv, &min_p) != WE_OK ||
        !isfinite(pv) ||
        we_synth_pretest(p->y, &p->d, wm, &o, &pt, &err) != WE_OK) {
        t->failed[m]++;
        return;
    }
    in.pretrend_p = pt.p;
    in.pretest_min_p = pt.min_p;
    in.pretest = "its own in-time placebo";
    t->check_rejected[m] += pt.p < in.alpha;
    t->powerless[m] += pt.min_p > in.alpha;
    if (we_mde_design(p->y, &p->d, wm, 0.8, ES_MDE_SIMS, min_p, seed, &mde,
                      &err) == WE_OK) {
        if (isfinite(mde.mde)) {
            t->mde_sum[m] += mde.mde;
            t->mde_n[m]++;
        }
        size_t last = p->d.followup[p->d.n_followup - 1];
        double slope = mde.mde / (double)(last - pt.start + 1);
        if (we_synth_pretest_power(p->y, &p->d, &o, slope, ES_POWER_SIMS,
                                   &pt, &err) == WE_OK) {
            in.pretest_power = pt.power;
            t->power_sum[m] += pt.power;
            t->power_n[m]++;
        }
    }
    in.p_adjusted = pv;
    in.good_direction = est > 0;
    /* The host's descriptive rule: placebo inference is never flagged. */
    we_estimate e = {.method = wm,
                     .inference = WE_INFERENCE_PLACEBO,
                     .estimate = est,
                     .p_value = pv};
    in.descriptive = ev_descriptive(p, &e);
    t->est_sum[m] += est;
    we_evidence ev;
    we_evidence_assess(&in, &ev);
    t->label[m][ev.erkenning]++;
    t->level3[m] += ev.sms_level >= 3;
    t->significant[m] += pv < in.alpha && est > 0;
}

/* The first wave only: the second wave's treated wijken leave the
 * sample. */
static inline void es_one_wave(ev_panel *p, const ev_scenario *s)
{
    for (size_t i = 0; i < p->A; i++)
        if (p->from[i] >= 0 && p->from[i] != s->wave1)
            p->in_sample[i] = 0;
}

/* Runs `reps` panels of scenario s from `seed`; 0, or -1 when the design
 * cannot be built. */
static inline int es_run(const ev_scenario *s, size_t reps, uint64_t seed,
                         es_tally *t)
{
    memset(t, 0, sizeof *t);
    ev_panel p;
    if (s->n_munis > 64 || ev_panel_init(&p, s) != 0)
        return -1;
    es_one_wave(&p, s);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (r == NULL) {
        ev_panel_free(&p);
        return -1;
    }
    gsl_rng_set(r, (unsigned long)(seed ^ (seed >> 32)));
    we_evidence_input base = {.design = WE_DESIGN_SYNTHETIC,
                              .pretrend_p = NAN, .pretest_power = NAN,
                              .pretest_power_min = 0.5, .alpha = 0.05,
                              .n_followup = p.d.n_followup,
                              .n_studies = 1};
    for (size_t k = 0; k < reps; k++) {
        ev_panel_draw(&p, s, r);
        for (int m = 0; m < ES_N_METHODS; m++)
            es_headline(t, m, &p, base, seed + k);
        t->reps++;
    }
    gsl_rng_free(r);
    ev_panel_free(&p);
    return 0;
}

/* Share of the panels of method m with a label that claims an effect. */
static inline double es_label_share(const es_tally *t, int m)
{
    size_t n = t->reps - t->failed[m];
    if (n == 0)
        return NAN;
    return (double)(t->label[m][1] + t->label[m][2] + t->label[m][3]) /
           (double)n;
}

#endif
