/* Standardised effect sizes (Glass's delta, Hedges' g) of an estimate in
 * the indicator's own unit. Formulas and their limits: docs/methods.md,
 * "Effect sizes". */
#include "methods/inference.h"

#include <math.h>

/* Count, mean and sum of squared deviations of the baseline values of one
 * group (treated or comparison). */
typedef struct group_stats {
    size_t n;
    double mean, ss;
} group_stats;

static int in_group(const we_design *d, size_t i, int treated)
{
    return d->in_sample[i] && (d->treated_from[i] >= 0) == treated;
}

/* Two passes (mean, then squares) rather than a running sum of squares:
 * indicator levels are large next to their spread (e.g. 70 +- 2). */
static group_stats baseline_stats(const double *y, const we_design *d,
                                  int treated)
{
    group_stats s = {0, 0.0, 0.0};
    size_t T = d->n_periods, b = d->baseline;
    for (size_t i = 0; i < d->n_areas; i++) {
        if (in_group(d, i, treated) && isfinite(y[i * T + b])) {
            s.mean += y[i * T + b];
            s.n++;
        }
    }
    if (s.n == 0)
        return s;
    s.mean /= (double)s.n;
    for (size_t i = 0; i < d->n_areas; i++) {
        double v = y[i * T + b];
        if (in_group(d, i, treated) && isfinite(v))
            s.ss += (v - s.mean) * (v - s.mean);
    }
    return s;
}

/* Multiplies estimate and interval by k; a negative k (lower is better)
 * turns the interval round. */
static void scale(const we_estimate *est, double k, double *value,
                  double *low, double *high)
{
    *value = k * est->estimate;
    double a = k * est->ci_low, b = k * est->ci_high;
    *low = k < 0 ? b : a;
    *high = k < 0 ? a : b;
}

static void clear(we_effect_size *out)
{
    out->glass_delta = out->glass_low = out->glass_high = NAN;
    out->hedges_g = out->hedges_low = out->hedges_high = NAN;
    out->sd_comparison = out->sd_pooled = NAN;
}

static int check_input(const we_design *d, const we_estimate *est,
                       we_direction direction, we_error *err)
{
    if (direction != WE_LOWER_IS_BETTER && direction != WE_HIGHER_IS_BETTER)
        return we_fail(err, WE_EINVAL,
                       "effect size: direction must be +1 (higher "
                       "is better) or -1 (lower is better), got %d; "
                       "resolve it from the catalogue first",
                       (int)direction);
    if (d->n_areas == 0 || d->baseline >= d->n_periods)
        return we_fail(err, WE_EINVAL,
                       "effect size: the baseline period %zu lies "
                       "outside the panel (%zu periods)",
                       d->baseline, d->n_periods);
    if (!isfinite(est->estimate))
        return we_fail(err, WE_EINVAL,
                       "effect size: the estimate is not a finite "
                       "number; standardise only a successful "
                       "estimate");
    return WE_OK;
}

int we_effect_size_compute(const double *y, const we_design *d,
                           const we_estimate *est, we_direction direction,
                           we_effect_size *out, we_error *err)
{
    clear(out);
    int rc = check_input(d, est, direction, err);
    if (rc != WE_OK)
        return rc;
    group_stats c = baseline_stats(y, d, 0), t = baseline_stats(y, d, 1);
    if (c.n < 2 || t.n < 1)
        return we_fail(err, WE_ENODATA,
                       "effect size: %zu comparison and %zu treated "
                       "area(s) with a baseline value; need at "
                       "least 2 and 1",
                       c.n, t.n);
    out->sd_comparison = sqrt(c.ss / (double)(c.n - 1));
    if (!(out->sd_comparison > 0.0))
        return we_fail(err, WE_ENODATA,
                       "effect size: every comparison area has the "
                       "same baseline value, so there is no spread "
                       "to standardise by");
    double dir = (double)direction;
    scale(est, dir / out->sd_comparison, &out->glass_delta, &out->glass_low,
          &out->glass_high);
    /* With n1 + n2 = 3 the approximation J is exactly 0; g is undefined
     * there (one degree of freedom) and stays NaN. */
    double n = (double)(c.n + t.n);
    out->sd_pooled = sqrt((c.ss + t.ss) / (n - 2.0));
    if (c.n + t.n >= 4) {
        double J = 1.0 - 3.0 / (4.0 * n - 9.0);
        scale(est, dir * J / out->sd_pooled, &out->hedges_g,
              &out->hedges_low, &out->hedges_high);
    }
    return WE_OK;
}
