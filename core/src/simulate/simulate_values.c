/* The values of the demo panel. Per indicator and area, with t the period:
 *
 *   y = level + scale * (trend(t) + shock(municipality, t) + noise)
 *       + injected effect (treated, t >= from)
 *
 * level: the krachtwijk mean moved towards the national mean by the area's
 * deprivation, plus an area effect with sd_between_wijken; near a bound of
 * the unit it is gamma-distributed so that it stays inside, and `scale`
 * shrinks the time-varying part with it. The municipality shock is AR(1),
 * shared by all wijken of a municipality, so clustering matters. The
 * effect is additive and constant over time, so a two-way fixed effects
 * DiD is unbiased for it; a ramp (WE_SIM_RAMP) grows linearly after the
 * first treated year, and with one start (one experiment) a TWFE DiD is
 * unbiased for its mean over the treated periods of the window. */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "simulate/simulate_internal.h"

enum { RNG_STREAM_VALUES = 2, RNG_STREAM_MISSING = 3 };

/* In units of sd_between_wijken. */
static const double NOISE_SD = WE_SIM_NOISE_SD;
static const double SHOCK_SD = WE_SIM_SHOCK_SD;
static const double SHOCK_RHO = WE_SIM_SHOCK_RHO;
static const double TREND_SLOPE_SD = 0.20;
static const double TREND_CURVE_SD = 0.10;
static const double BOUND_SDS = 4.0; /* gamma levels within this of a bound */

static const double PROCESS_FIRST = WE_SIM_PROCESS_FIRST;
static const double PROCESS_LATER = WE_SIM_PROCESS_LATER;
static const double PROCESS_SD = 0.025; /* of the unit's range */
static const double MISSING_RATE = WE_SIM_MISSING_RATE;


static void draw_trend(gsl_rng *r, double sd, double *trend)
{
    double a = gsl_ran_gaussian(r, TREND_SLOPE_SD * sd);
    double b = gsl_ran_gaussian(r, TREND_CURVE_SD * sd);
    for (int t = 0; t < WE_SIM_N_PERIODS; t++) {
        double x = (t - 4.5) / 4.5;
        trend[t] = a * x + b * (x * x - 1.0 / 3.0);
    }
}

static void draw_shocks(gsl_rng *r, double sd, size_t n_muni, double *shock)
{
    double innov = SHOCK_SD * sd;
    for (size_t m = 0; m < n_muni; m++) {
        double *s = shock + m * WE_SIM_N_PERIODS;
        s[0] = gsl_ran_gaussian(r, innov / sqrt(1 - SHOCK_RHO * SHOCK_RHO));
        for (int t = 1; t < WE_SIM_N_PERIODS; t++)
            s[t] = SHOCK_RHO * s[t - 1] + gsl_ran_gaussian(r, innov);
    }
}

/* A gamma with mean d and sd `sd`: positive, right-skewed like real
 * indicators close to zero. */
static double gamma_draw(gsl_rng *r, double d, double sd)
{
    return gsl_ran_gamma(r, (d / sd) * (d / sd), sd * sd / d);
}

we_sim_level we_sim_draw_level(gsl_rng *r, const we_sim_indicator *ind,
                               double deprivation)
{
    double m = ind->kw_mean + deprivation * (ind->nl_mean - ind->kw_mean);
    double sd = ind->sd;
    double d_lo = m - ind->unit->lo, d_hi = ind->unit->hi - m;
    we_sim_level l = {m, 1.0};
    if (d_lo > 0 && d_lo <= d_hi && d_lo < BOUND_SDS * sd) {
        double g = gamma_draw(r, d_lo, sd);
        l.mu = ind->unit->lo + g;
        l.scale = g / d_lo;
    } else if (d_hi > 0 && d_hi < d_lo && d_hi < BOUND_SDS * sd) {
        double g = gamma_draw(r, d_hi, sd);
        l.mu = ind->unit->hi - g;
        l.scale = g / d_hi;
    } else {
        l.mu = m + gsl_ran_gaussian(r, sd);
    }
    return l;
}

double we_sim_treatment_part(const we_sim_indicator *ind, int from,
                             int first_period, int period)
{
    if (from == 0)
        return 0;
    if (ind->pre_slope != 0)
        return ind->pre_slope * (period - first_period);
    if (we_sim_is_ramp(ind))
        return period > from ? ind->effect * (period - from) : 0;
    return period >= from ? ind->effect : 0;
}

int we_sim_is_ramp(const we_sim_indicator *ind)
{
    return ind->effect_target != NULL &&
           ind->effect_target->pattern == WE_SIM_RAMP;
}

int we_sim_is_process(const we_sim_indicator *ind)
{
    return ind->effect_target != NULL &&
           ind->effect_target->pattern == WE_SIM_PROCESS;
}

double we_sim_process_value(gsl_rng *r, const we_sim_indicator *ind,
                            int years_treated)
{
    double share = years_treated == 0 ? PROCESS_FIRST : PROCESS_LATER;
    double range = ind->unit->hi - ind->unit->lo;
    return ind->unit->lo + range * share + gsl_ran_gaussian(r, PROCESS_SD *
                                                            range);
}

static double clip_round(we_sim *s, const we_sim_indicator *ind, double v)
{
    if (v < ind->unit->lo || v > ind->unit->hi) {
        s->n_clipped++;
        v = fmin(ind->unit->hi, fmax(ind->unit->lo, v));
    }
    double f = pow(10.0, ind->unit->decimals);
    return round(v * f) / f;
}

static void area_series(we_sim *s, size_t k, size_t a, const double *trend,
                        const double *shock, gsl_rng *r)
{
    const we_sim_indicator *ind = &s->ind[k];
    const we_sim_area *ar = &s->area[a];
    const double *sh = shock + ar->muni * WE_SIM_N_PERIODS;
    we_sim_level l = we_sim_draw_level(r, ind, ar->deprivation);
    /* An experiment's effect starts at its own start in its own wijken;
     * an effect without an experiment (the displacement's improvement)
     * at the programme start. */
    int from = ar->from;
    long e = ind->effect_target != NULL
                 ? we_sim_exp_index(s, ind->effect_target->experiment)
                 : -1;
    if (e >= 0)
        from = ar->exp_from[e];
    for (int t = 0; t < WE_SIM_N_PERIODS; t++) {
        int period = WE_SIM_FIRST_PERIOD + t;
        double noise = gsl_ran_gaussian(r, NOISE_SD * ind->sd);
        double v = l.mu + l.scale * (trend[t] + sh[t] + noise) +
                   we_sim_treatment_part(ind, from, WE_SIM_FIRST_PERIOD,
                                         period);
        if (ar->from != 0 && period >= ar->from)
            v += ind->programme_effect;
        if (ar->ring_from != 0 && period >= ar->ring_from)
            v += ind->ring_effect;
        if (we_sim_is_process(ind) && from != 0 && period >= from)
            v = we_sim_process_value(r, ind, period - from);
        s->value[we_sim_cell_index(s, k, a, (size_t)t)] = clip_round(s, ind,
                                                                     v);
    }
}

static void draw_missing(we_sim *s, gsl_rng *r)
{
    for (size_t k = 0; k < s->n_ind; k++)
        for (size_t a = 0; a < s->n_area; a++)
            for (size_t t = 0; t < WE_SIM_N_PERIODS; t++) {
                double u = gsl_rng_uniform(r), v = gsl_rng_uniform(r);
                unsigned char c = WE_SIM_CELL_VALUE;
                if (!we_sim_observed(&s->ind[k],
                                     WE_SIM_FIRST_PERIOD + (int)t))
                    c = WE_SIM_CELL_ABSENT;
                else if (u < MISSING_RATE)
                    c = v < 0.5    ? WE_SIM_CELL_DOT
                        : v < 0.75 ? WE_SIM_CELL_SECRET
                                   : WE_SIM_CELL_EMPTY;
                s->cell[we_sim_cell_index(s, k, a, t)] = c;
            }
}

int we_sim_generate(we_sim *s, we_error *err)
{
    size_t n = s->n_ind * s->n_area * WE_SIM_N_PERIODS;
    double trend[WE_SIM_N_PERIODS];
    double *shock = malloc(s->n_muni * WE_SIM_N_PERIODS * sizeof *shock);
    gsl_rng *rv = we_sim_rng(s->seed, RNG_STREAM_VALUES);
    gsl_rng *rm = we_sim_rng(s->seed, RNG_STREAM_MISSING);
    s->value = malloc(n * sizeof *s->value);
    s->cell = malloc(n);
    int rc = 0;
    if (shock == NULL || rv == NULL || rm == NULL || s->value == NULL ||
        s->cell == NULL) {
        rc = we_fail(err, WE_ENOMEM, "simulate: out of memory");
    } else {
        for (size_t k = 0; k < s->n_ind; k++) {
            draw_trend(rv, s->ind[k].sd, trend);
            draw_shocks(rv, s->ind[k].sd, s->n_muni, shock);
            for (size_t a = 0; a < s->n_area; a++)
                area_series(s, k, a, trend, shock, rv);
        }
        draw_missing(s, rm);
    }
    free(shock);
    if (rv != NULL)
        gsl_rng_free(rv);
    if (rm != NULL)
        gsl_rng_free(rm);
    return rc;
}
