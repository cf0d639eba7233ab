#include "host/result_check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "methods/methods.h"

/* How a refused value is written: NaN and the infinities by name, so that
 * a message never shows "nan" or "inf" in the C library's spelling. */
static const char *show(double v, char *buf, size_t n)
{
    if (isnan(v))
        return "NaN";
    if (isinf(v))
        return v > 0 ? "+Inf" : "-Inf";
    snprintf(buf, n, "%.15g", v);
    if (strtod(buf, NULL) != v) /* 15 digits read well, 17 are exact */
        snprintf(buf, n, "%.17g", v);
    return buf;
}

/* "'IND' (METHOD): FIELD is VALUE, WHY" */
static int refuse(we_error *err, const we_result_rec *r, const char *field,
                  double v, const char *why)
{
    char buf[40];
    return we_fail(err, WE_EINVAL, "'%s' (%s): %s is %s, %s", r->indicator,
                   we_method_name(r->est.method), field,
                   show(v, buf, sizeof buf), why);
}

static const we_target_cfg *target_of(const we_result_scope *s,
                                      const char *name)
{
    for (size_t k = 0; name != NULL && k < s->n_targets; k++)
        if (s->targets[k].name != NULL &&
            strcmp(s->targets[k].name, name) == 0)
            return &s->targets[k];
    return NULL;
}

static const char *role_name(we_role role)
{
    return role == WE_ROLE_PRIMARY ? "primary" : "secondary";
}

/* ---- who the result is for ------------------------------------------- */

/* The target, its role, and no second result of the same indicator by the
 * same method: each of these would make the headline, or a row of the
 * report, ambiguous. */
static int check_identity(const we_result_rec *r, const we_result_rec *prev,
                          size_t n_prev, const we_result_scope *s,
                          we_error *err)
{
    const we_target_cfg *t = target_of(s, r->indicator);
    if (t == NULL)
        return we_fail(err, WE_EINVAL,
                       "'%s' is not one of this experiment's indicators; a "
                       "plugin emits results only for its own targets "
                       "(host->target_name)",
                       r->indicator ? r->indicator : "(null)");
    if ((int)r->est.method < 0 || r->est.method >= WE_METHOD_COUNT_)
        return we_fail(err, WE_EINVAL,
                       "'%s': method %d is unknown; emit an estimate of a "
                       "we_method of wijkeval/plugin.h",
                       r->indicator, (int)r->est.method);
    if (r->role != WE_ROLE_PRIMARY && r->role != WE_ROLE_SECONDARY)
        return we_fail(err, WE_EINVAL,
                       "'%s' (%s): role is %d, neither primary nor "
                       "secondary; emit it with the role host->target_role "
                       "gives", r->indicator, we_method_name(r->est.method),
                       (int)r->role);
    if (r->role != t->role)
        return we_fail(err, WE_EINVAL,
                       "'%s' (%s): role is %s, but this experiment has '%s' "
                       "as a %s indicator (its config, or the plugin's "
                       "descriptor), and one primary indicator; emit each "
                       "target with the role host->target_role gives",
                       r->indicator, we_method_name(r->est.method),
                       role_name(r->role), t->name, role_name(t->role));
    for (size_t k = 0; k < n_prev; k++)
        if (prev[k].est.method == r->est.method &&
            strcmp(prev[k].indicator, r->indicator) == 0)
            return we_fail(err, WE_EINVAL,
                           "'%s' (%s): a second result of this indicator "
                           "by this method; the report would hold two "
                           "different answers to one question: emit each "
                           "indicator and method once",
                           r->indicator, we_method_name(r->est.method));
    return 0;
}

/* ---- the numbers ------------------------------------------------------ */

/* NaN (none), or a finite number >= 0. */
static int check_nonneg(const we_result_rec *r, const char *field, double v,
                        we_error *err)
{
    if (isnan(v) || (isfinite(v) && v >= 0))
        return 0;
    return refuse(err, r, field, v,
                  "not a finite number >= 0; emit the one host->estimate "
                  "gives, or NaN when the method has none");
}

static int check_p(const we_result_rec *r, we_error *err)
{
    double p = r->est.p_value;
    if (isnan(p) || (p >= 0 && p <= 1))
        return 0;
    return refuse(err, r, "p_value", p,
                  "outside [0, 1]; a p-value is a probability: emit the one "
                  "host->estimate gives, or NaN when there is none");
}

/* Each side NaN (none) or on its side of the estimate; an infinite side
 * is an interval the method could not bound (the wild bootstrap's). */
static int check_interval(const we_result_rec *r, we_error *err)
{
    const we_estimate *e = &r->est;
    char lo[40], hi[40];
    if (e->ci_low > e->ci_high)
        return we_fail(err, WE_EINVAL,
                       "'%s' (%s): ci_low..ci_high is [%s, %s], reversed; "
                       "emit the interval host->estimate gives, lower "
                       "bound first",
                       r->indicator, we_method_name(e->method),
                       show(e->ci_low, lo, sizeof lo),
                       show(e->ci_high, hi, sizeof hi));
    if (e->ci_low > e->estimate || e->ci_low == INFINITY)
        return refuse(err, r, "ci_low", e->ci_low,
                      "above the estimate; an interval contains its "
                      "estimate (a side may be -Inf/+Inf, or NaN when "
                      "there is none)");
    if (e->ci_high < e->estimate || e->ci_high == -INFINITY)
        return refuse(err, r, "ci_high", e->ci_high,
                      "below the estimate; an interval contains its "
                      "estimate (a side may be -Inf/+Inf, or NaN when "
                      "there is none)");
    return 0;
}

/* -1 (none), or 0 up to the panel's `max` (0: not known here). */
static int check_count(const we_result_rec *r, const char *field, long v,
                       size_t max, const char *of, we_error *err)
{
    char why[160];
    if (v < -1) {
        snprintf(why, sizeof why, "negative; a count is >= 0, or -1 when "
                 "the method has none");
        return refuse(err, r, field, (double)v, why);
    }
    if (max > 0 && v > 0 && (size_t)v > max) {
        snprintf(why, sizeof why, "more than the panel's %zu %s; count "
                 "only what the estimate used", max, of);
        return refuse(err, r, field, (double)v, why);
    }
    return 0;
}

static int check_counts(const we_result_rec *r, const we_result_scope *s,
                        we_error *err)
{
    const we_estimate *e = &r->est;
    size_t cells = s->n_areas * s->n_periods;
    char why[160];
    if (check_count(r, "n_treated", e->n_treated, s->n_areas, "areas",
                    err) ||
        check_count(r, "n_control", e->n_control, s->n_areas, "areas",
                    err) ||
        check_count(r, "n_obs", e->n_obs, cells, "observations (areas x "
                    "periods)", err) ||
        check_nonneg(r, "df", e->df, err))
        return WE_EINVAL;
    if (cells > 0 && e->df > (double)cells) {
        snprintf(why, sizeof why, "more than the panel's %zu observations; "
                 "emit the degrees of freedom of the estimate's reference",
                 cells);
        return refuse(err, r, "df", e->df, why);
    }
    if (e->inference_reps < 0)
        return refuse(err, r, "inference_reps", (double)e->inference_reps,
                      "negative; it is the replications used, 0 for "
                      "analytic inference");
    return 0;
}

static int check_numbers(const we_result_rec *r, const we_result_scope *s,
                         we_error *err)
{
    const we_estimate *e = &r->est;
    char buf[40];
    if (!isfinite(e->estimate))
        return we_fail(err, WE_EINVAL,
                       "'%s' (%s): the estimate is %s; a plugin must emit "
                       "finite estimates",
                       r->indicator, we_method_name(e->method),
                       show(e->estimate, buf, sizeof buf));
    if ((int)e->inference < 0 || e->inference > WE_INFERENCE_BOOTSTRAP)
        return refuse(err, r, "inference", (double)e->inference,
                      "unknown; use a we_inference of wijkeval/plugin.h");
    if (check_nonneg(r, "se", e->se, err) || check_p(r, err) ||
        check_interval(r, err) || check_counts(r, s, err))
        return WE_EINVAL;
    if (isinf(e->baseline))
        return refuse(err, r, "baseline", e->baseline,
                      "not finite; emit NaN when there is none");
    if (isinf(e->latest))
        return refuse(err, r, "latest", e->latest,
                      "not finite; emit NaN when there is none");
    if (e->closing != 0 && e->closing != 1)
        return refuse(err, r, "closing", (double)e->closing,
                      "neither 0 nor 1; it is 1 when a gap closes");
    return 0;
}

int we_result_check(const we_result_rec *r, const we_result_rec *prev,
                    size_t n_prev, const we_result_scope *scope,
                    we_error *err)
{
    int rc = check_identity(r, prev, n_prev, scope, err);
    return rc != 0 ? rc : check_numbers(r, scope, err);
}
