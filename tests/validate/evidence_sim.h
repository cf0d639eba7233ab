/* Which evidence labels null panels earn (docs/evidence.md): shared by the
 * unit test (tests/unit/test_evidence_sim.c, a few hundred panels) and the
 * validation program (tests/validate/evidence.c, `make validate`).
 * Header-only (static inline) so that both build from one source file.
 *
 * y_it = a_i + (trend + diff * treated_i) t + c_{m(i)t} + u_it
 *        + tau 1{t >= g_i},
 * higher is better. Municipality m has per_muni wijken; in the first
 * n_treated municipalities the first treated_per_muni wijken are treated,
 * from wave1 (even municipalities) or wave2 (odd ones): two waves, few
 * treated municipalities, as in the demo. Each panel goes through the
 * evidence rules as the host does (analysis/enrich.c): before/after, the
 * 2x2 DiD (no pre-check) and TWFE with its event study, MDE and the
 * pre-test's power (methods/sensitivity.h); with boot_reps > 0 the TWFE
 * p-value and the pre-trend p are the wild cluster bootstrap's
 * (Rademacher), as the host's default for few clusters. The effect's p is
 * not adjusted (one indicator). */
#ifndef WE_TESTS_EVIDENCE_SIM_H
#define WE_TESTS_EVIDENCE_SIM_H

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/enrich.h"
#include "methods/event.h"
#include "methods/inference.h"
#include "methods/methods.h"
#include "methods/sensitivity.h"
#include "methods/wild.h"

#define EV_MAX_T 16

typedef struct ev_scenario {
    const char *id, *title;
    size_t n_munis, per_muni, n_treated, treated_per_muni, n_periods;
    long wave1, wave2;
    double trend, diff, tau;
    double sd_area, sd_cluster, sd_u;
} ev_scenario;

enum { EV_PRE_POST = 0, EV_DID = 1, EV_TWFE = 2, EV_N_METHODS = 3 };

typedef struct ev_tally {
    size_t reps, failed[EV_N_METHODS];
    size_t label[EV_N_METHODS][4]; /* by we_erkenning */
    size_t level3[EV_N_METHODS];
    size_t significant[EV_N_METHODS]; /* p < alpha, good direction */
    size_t descriptive[EV_N_METHODS]; /* flagged by the host's rule */
    double est_sum[EV_N_METHODS];     /* of the estimates */
    double power_sum;                 /* pre-test power, TWFE */
    size_t power_n;
    size_t check_rejected; /* TWFE's event-study leads, p < alpha */
    double mde_sum;        /* TWFE's MDE */
    size_t mde_n;
} ev_tally;

typedef struct ev_panel {
    size_t A, T;
    long *from;
    int *cluster;
    unsigned char *in_sample;
    size_t followup[EV_MAX_T];
    double *y;
    we_design d;
} ev_panel;

static inline void ev_panel_free(ev_panel *p)
{
    free(p->from);
    free(p->cluster);
    free(p->in_sample);
    free(p->y);
}

static inline int ev_panel_init(ev_panel *p, const ev_scenario *s)
{
    memset(p, 0, sizeof *p);
    p->A = s->n_munis * s->per_muni;
    p->T = s->n_periods;
    if (p->T > EV_MAX_T || s->wave1 < 2 || s->wave2 < s->wave1 ||
        (size_t)s->wave2 >= p->T)
        return -1;
    p->from = malloc(p->A * sizeof *p->from);
    p->cluster = malloc(p->A * sizeof *p->cluster);
    p->in_sample = malloc(p->A);
    p->y = malloc(p->A * p->T * sizeof *p->y);
    if (!p->from || !p->cluster || !p->in_sample || !p->y) {
        ev_panel_free(p);
        return -1;
    }
    for (size_t i = 0; i < p->A; i++) {
        size_t m = i / s->per_muni, k = i % s->per_muni;
        p->cluster[i] = (int)m;
        p->in_sample[i] = 1;
        p->from[i] = m < s->n_treated && k < s->treated_per_muni
                         ? (m % 2 ? s->wave2 : s->wave1)
                         : -1;
    }
    size_t nf = 0;
    for (size_t t = (size_t)s->wave1; t < p->T; t++)
        p->followup[nf++] = t;
    p->d = (we_design){.n_areas = p->A, .n_periods = p->T,
                       .treated_from = p->from, .in_sample = p->in_sample,
                       .cluster = p->cluster,
                       .baseline = (size_t)s->wave1 - 1,
                       .followup = p->followup, .n_followup = nf,
                       .alpha = 0.05};
    return 0;
}

static inline void ev_panel_draw(ev_panel *p, const ev_scenario *s,
                                 gsl_rng *r)
{
    double c[64 * EV_MAX_T];
    for (size_t m = 0; m < s->n_munis && m < 64; m++)
        for (size_t t = 0; t < p->T; t++)
            c[m * EV_MAX_T + t] = gsl_ran_gaussian(r, s->sd_cluster);
    for (size_t i = 0; i < p->A; i++) {
        double a = gsl_ran_gaussian(r, s->sd_area);
        int tr = p->from[i] >= 0;
        for (size_t t = 0; t < p->T; t++) {
            double v = a + (s->trend + (tr ? s->diff : 0.0)) * (double)t +
                       c[(size_t)p->cluster[i] * EV_MAX_T + t] +
                       gsl_ran_gaussian(r, s->sd_u);
            if (tr && (long)t >= p->from[i])
                v += s->tau;
            p->y[i * p->T + t] = v;
        }
    }
}

/* The host's descriptive flag (analysis/enrich.c) for the estimate e on
 * the panel's design. */
static inline int ev_descriptive(const ev_panel *p, const we_estimate *e)
{
    we_result_rec *r = calloc(1, sizeof *r);
    if (r == NULL)
        abort();
    r->est = *e;
    we_result_flag_descriptive(&p->d, r);
    int d = r->x.descriptive;
    free(r);
    return d;
}

static inline void ev_count(ev_tally *t, int m, const ev_panel *p,
                            we_evidence_input *in, const we_estimate *e)
{
    we_evidence ev;
    in->descriptive = ev_descriptive(p, e);
    t->descriptive[m] += in->descriptive != 0;
    t->est_sum[m] += e->estimate;
    we_evidence_assess(in, &ev);
    t->label[m][ev.erkenning]++;
    t->level3[m] += ev.sms_level >= 3;
    t->significant[m] += e->p_value < in->alpha && e->estimate > 0;
}

/* The TWFE row as the host assesses it: event-study leads (F test), the
 * MDE and the power against the linear trend reaching it. */
static inline void ev_twfe(ev_tally *t, const ev_panel *p,
                           we_evidence_input in, uint64_t seed,
                           size_t boot_reps)
{
    we_estimate e;
    we_event_result es;
    we_mde mde;
    we_error err = {{0}};
    we_event_options o = {-4, 3};
    if (we_twfe(p->y, &p->d, &e, &err) != WE_OK ||
        we_event_study(p->y, &p->d, &o, boot_reps, seed, &es, &err) !=
            WE_OK) {
        t->failed[EV_TWFE]++;
        return;
    }
    in.pretrend_p = boot_reps > 0 ? es.pretrend_boot_p : es.pretrend_p;
    t->check_rejected += in.pretrend_p < in.alpha;
    if (boot_reps > 0) {
        we_wild_options wo = {.weights = WE_WEIGHTS_RADEMACHER,
                              .reps = boot_reps, .seed = seed,
                              .alpha = 0.05};
        we_wild_result w;
        if (we_twfe_wild(p->y, &p->d, &wo, &w, &err) != WE_OK) {
            t->failed[EV_TWFE]++;
            we_event_result_free(&es);
            return;
        }
        e.p_value = w.p_value;
        e.inference = WE_INFERENCE_WILD_RADEMACHER;
    }
    in.pretest = "event-study leads";
    if (we_mde_compute(p->y, &p->d, 0.8, 0, seed, &mde, &err) == WE_OK &&
        isfinite(mde.mde) && es.n_coef > 0) {
        t->mde_sum += mde.mde;
        t->mde_n++;
        int rel[32];
        double b[32];
        size_t n = es.n_coef < 32 ? es.n_coef : 32;
        for (size_t j = 0; j < n; j++) {
            rel[j] = es.coef[j].rel_time;
            b[j] = es.coef[j].estimate;
        }
        we_es_input x = {.n = n, .rel = rel, .b = b, .V = es.vcov,
                         .df = (double)es.df};
        double ncp;
        int last = rel[n - 1];
        if (last >= 0 &&
            we_pretest_power_linear(&x, mde.mde / (last + 1), in.alpha,
                                    &in.pretest_power, &ncp,
                                    &err) == WE_OK) {
            t->power_sum += in.pretest_power;
            t->power_n++;
        }
    }
    in.p_adjusted = e.p_value;
    in.good_direction = e.estimate > 0;
    ev_count(t, EV_TWFE, p, &in, &e);
    we_event_result_free(&es);
}

static inline void ev_replicate(ev_tally *t, ev_panel *p,
                                const ev_scenario *s, gsl_rng *r,
                                uint64_t seed, size_t boot_reps)
{
    ev_panel_draw(p, s, r);
    we_evidence_input base = {.pretrend_p = NAN, .pretest_power = NAN,
                              .pretest_power_min = 0.5, .alpha = 0.05,
                              .n_followup = p->d.n_followup, .n_studies = 1};
    we_estimate e;
    we_error err = {{0}};
    static const int design[2] = {WE_DESIGN_PRE_POST, WE_DESIGN_DID};
    for (int m = EV_PRE_POST; m <= EV_DID; m++) {
        int rc = m == EV_PRE_POST ? we_pre_post(p->y, &p->d, &e, &err)
                                  : we_did_2x2(p->y, &p->d, &e, &err);
        if (rc != WE_OK) {
            t->failed[m]++;
            continue;
        }
        we_evidence_input in = base;
        in.design = (we_design_kind)design[m];
        in.p_adjusted = e.p_value;
        in.good_direction = e.estimate > 0;
        ev_count(t, m, p, &in, &e);
    }
    base.design = WE_DESIGN_DID;
    ev_twfe(t, p, base, seed, boot_reps);
    t->reps++;
}

/* Runs `reps` panels of scenario s from `seed` (boot_reps: wild
 * bootstrap draws, 0 for CR1 and the F test); 0, or -1 when the design
 * cannot be built. */
static inline int ev_run(const ev_scenario *s, size_t reps,
                         size_t boot_reps, uint64_t seed, ev_tally *t)
{
    memset(t, 0, sizeof *t);
    ev_panel p;
    if (s->n_munis > 64 || ev_panel_init(&p, s) != 0)
        return -1;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (r == NULL) {
        ev_panel_free(&p);
        return -1;
    }
    gsl_rng_set(r, (unsigned long)(seed ^ (seed >> 32)));
    for (size_t k = 0; k < reps; k++)
        ev_replicate(t, &p, s, r, seed + k, boot_reps);
    gsl_rng_free(r);
    ev_panel_free(&p);
    return 0;
}

/* Share of the panels of method m with a label that claims an effect. */
static inline double ev_label_share(const ev_tally *t, int m)
{
    size_t n = t->reps - t->failed[m];
    if (n == 0)
        return NAN;
    return (double)(t->label[m][1] + t->label[m][2] + t->label[m][3]) /
           (double)n;
}

/* The scenarios of docs/validation.md: null effect with a favourable
 * secular trend, null with treated wijken already improving faster, and
 * a true effect. 18 municipalities of 6 wijken, 5 of them with 2
 * treated wijken each, waves 2008 and 2009 in 2003-2012. */
static const ev_scenario EV_SCENARIOS[] = {
    {"null_trend", "No effect; a favourable secular trend (+0.15 a year "
                   "everywhere)",
     18, 6, 5, 2, 10, 5, 6, 0.15, 0.0, 0.0, 1.0, 0.3, 0.5},
    {"null_pretrend", "No effect; treated wijken already improving "
                      "faster (+0.05 a year more)",
     18, 6, 5, 2, 10, 5, 6, 0.15, 0.05, 0.0, 1.0, 0.3, 0.5},
    {"effect", "A true effect of 0.5 (one residual sd); the secular trend",
     18, 6, 5, 2, 10, 5, 6, 0.15, 0.0, 0.5, 1.0, 0.3, 0.5},
};
#define EV_N_SCENARIOS (sizeof EV_SCENARIOS / sizeof EV_SCENARIOS[0])

#endif
