/* Staggered-adoption simulation shared by the unit test (tests/unit/
 * test_cs.c, ~100 panels) and the validation program (tests/validate/
 * validate.c, --staggered): TWFE against Callaway-Sant'Anna when effects
 * grow with time since treatment. Header-only (static inline) so that both
 * programs build from their single source file. */
#ifndef WE_TESTS_STAGGERED_SIM_H
#define WE_TESTS_STAGGERED_SIM_H

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "methods/cs.h"
#include "methods/methods.h"

/* y_it = a_i + l_t + c_{m(i)t} + u_it + tau(t - g_i) 1{t >= g_i} with
 * tau(e) = tau0 + slope e. Areas cycle through the cohorts: area i has
 * cohort i mod 3 (first wave, second wave, never treated); municipality
 * m(i) = i / cluster_size, so municipalities mix cohorts. */
typedef struct stag_design {
    size_t n_areas, n_periods, cluster_size;
    long wave1, wave2;            /* first treated period indices */
    double tau0, slope;
    double sd_area, sd_period, sd_cluster, sd_noise;
} stag_design;

typedef struct stag_panel {
    stag_design s;
    long *from;
    int *cluster;
    unsigned char *in_sample;
    size_t *followup;
    double *y;
    we_design d;
} stag_panel;

static inline void stag_free(stag_panel *p)
{
    free(p->from);
    free(p->cluster);
    free(p->in_sample);
    free(p->followup);
    free(p->y);
}

/* Baseline wave1 - 1, follow-ups wave1 .. last period; alpha 0.05. */
static inline int stag_init(stag_panel *p, const stag_design *s)
{
    size_t A = s->n_areas, T = s->n_periods;
    size_t M = (A + s->cluster_size - 1) / s->cluster_size;
    *p = (stag_panel){.s = *s};
    /* stag_draw keeps the period and cluster shocks on the stack */
    if (T > 64 || M * T > 64 * 64 || s->wave1 < 1 || s->wave2 < 1)
        return -1;
    p->from = malloc(A * sizeof *p->from);
    p->cluster = malloc(A * sizeof *p->cluster);
    p->in_sample = malloc(A);
    p->followup = malloc(T * sizeof *p->followup);
    p->y = malloc(A * T * sizeof *p->y);
    if (!p->from || !p->cluster || !p->in_sample || !p->followup || !p->y)
        return -1;
    for (size_t i = 0; i < A; i++) {
        long c = (long)(i % 3);
        p->from[i] = c == 0 ? s->wave1 : c == 1 ? s->wave2 : -1;
        p->cluster[i] = (int)(i / s->cluster_size);
        p->in_sample[i] = 1;
    }
    size_t nf = 0;
    for (size_t t = (size_t)s->wave1; t < T; t++)
        p->followup[nf++] = t;
    p->d = (we_design){A, T, p->from, p->in_sample, p->cluster,
                       (size_t)s->wave1 - 1, p->followup, nf, 0.05};
    return 0;
}

static inline double stag_tau(const stag_design *s, long e)
{
    return s->tau0 + s->slope * (double)e;
}

/* The average effect over the treated (area, period) observations from
 * treatment on: the estimand of the simple aggregation (balanced panel). */
static inline double stag_truth(const stag_panel *p)
{
    double sum = 0;
    size_t n = 0;
    for (size_t i = 0; i < p->s.n_areas; i++)
        for (long t = p->from[i]; p->from[i] >= 0 &&
                                  t < (long)p->s.n_periods; t++) {
            sum += stag_tau(&p->s, t - p->from[i]);
            n++;
        }
    return sum / (double)n;
}

static inline void stag_draw(gsl_rng *r, stag_panel *p)
{
    const stag_design *s = &p->s;
    size_t A = s->n_areas, T = s->n_periods;
    size_t M = (A + s->cluster_size - 1) / s->cluster_size;
    double l[64], c[64 * 64];
    for (size_t t = 0; t < T && t < 64; t++)
        l[t] = 0.1 * (double)t + gsl_ran_gaussian(r, s->sd_period);
    for (size_t k = 0; k < M * T && k < 64 * 64; k++)
        c[k] = gsl_ran_gaussian(r, s->sd_cluster);
    for (size_t i = 0; i < A; i++) {
        double a = gsl_ran_gaussian(r, s->sd_area);
        for (size_t t = 0; t < T; t++) {
            double v = a + l[t] + c[(size_t)p->cluster[i] * T + t] +
                       gsl_ran_gaussian(r, s->sd_noise);
            if (p->from[i] >= 0 && (long)t >= p->from[i])
                v += stag_tau(s, (long)t - p->from[i]);
            p->y[i * T + t] = v;
        }
    }
}

/* Running figures of one estimator over replications. */
typedef struct stag_tally {
    size_t n, covered, failures;
    double sum, sumsq;
} stag_tally;

static inline void stag_add(stag_tally *t, double est, double lo, double hi,
                            double truth)
{
    t->n++;
    t->sum += est - truth;
    t->sumsq += (est - truth) * (est - truth);
    t->covered += lo <= truth && truth <= hi;
}

static inline double stag_bias(const stag_tally *t)
{
    return t->sum / (double)t->n;
}

/* Monte Carlo standard error of the bias. */
static inline double stag_bias_se(const stag_tally *t)
{
    double m = stag_bias(t);
    double var = (t->sumsq / (double)t->n - m * m) * (double)t->n /
                 (double)(t->n - 1);
    return sqrt(var / (double)t->n);
}

static inline double stag_rmse(const stag_tally *t)
{
    return sqrt(t->sumsq / (double)t->n);
}

/* One panel: TWFE (CR1, t(G-1)) and the CS simple aggregation (analytic,
 * normal) with the never-treated comparison group. */
static inline void stag_replicate(gsl_rng *r, stag_panel *p, stag_tally *twfe,
                                  stag_tally *cs)
{
    stag_draw(r, p);
    double truth = stag_truth(p);
    we_estimate e = {.struct_size = sizeof e};
    we_error err;
    if (we_twfe(p->y, &p->d, &e, &err) == WE_OK)
        stag_add(twfe, e.estimate, e.ci_low, e.ci_high, truth);
    else
        twfe->failures++;
    we_cs_options o = {WE_CS_NEVER_TREATED, 0, WE_CS_RADEMACHER, 0,
                       WE_CS_REF_NORMAL};
    we_cs_result res;
    if (we_cs_estimate(p->y, &p->d, &o, &res, &err) == WE_OK)
        stag_add(cs, res.simple.estimate, res.simple.ci_low,
                 res.simple.ci_high, truth);
    else
        cs->failures++;
    we_cs_result_free(&res);
}

#endif
