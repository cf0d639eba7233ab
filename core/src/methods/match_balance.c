/* Balance table of a matched sample with MatchIt's statistics for the ATT
 * (summary.matchit: bal1var, wvar and pooled_sd), so that the numbers can
 * be compared with MatchIt's to rounding. */
#include "methods/match.h"

#include <float.h>
#include <math.h>
#include <stddef.h>

/* One feature column over the used rows. */
typedef struct column {
    const double *X;
    size_t n, p, j;
    const unsigned char *treat, *use;
} column;

static double cell(const column *c, size_t i)
{
    return c->X[i * c->p + c->j];
}

static int in_group(const column *c, size_t i, int g)
{
    return (c->use == NULL || c->use[i]) && (c->treat[i] != 0) == g;
}

static double weight_of(const double *w, size_t i)
{
    return w != NULL ? w[i] : 1.0;
}

/* weighted.mean(): sum(x w) / sum(w). */
static double wmean(const column *c, int g, const double *w)
{
    double sxw = 0, sw = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (!in_group(c, i, g) || weight_of(w, i) == 0)
            continue;
        sxw += cell(c, i) * weight_of(w, i);
        sw += weight_of(w, i);
    }
    return sw > 0 ? sxw / sw : NAN;
}

/* MatchIt's wvar(): weights normalised to sum 1; binary p (1 - p), else
 * the reliability-weighted variance sum(w (x - m)^2) / (1 - sum(w^2)). */
static double wvar(const column *c, int g, const double *w, int binary)
{
    double sw = 0, m = 0, ss = 0, sw2 = 0;
    for (size_t i = 0; i < c->n; i++)
        if (in_group(c, i, g))
            sw += weight_of(w, i);
    if (!(sw > 0))
        return NAN;
    for (size_t i = 0; i < c->n; i++)
        if (in_group(c, i, g))
            m += weight_of(w, i) / sw * cell(c, i);
    if (binary)
        return m * (1.0 - m);
    for (size_t i = 0; i < c->n; i++) {
        if (!in_group(c, i, g))
            continue;
        double wi = weight_of(w, i) / sw, d = cell(c, i) - m;
        ss += wi * d * d;
        sw2 += wi * wi;
    }
    return ss / (1.0 - sw2);
}

/* MatchIt's pooled_sd() with proportional contributions and unit
 * weights: the fallback denominator when the treated SD is 0. */
static double pooled_sd(const column *c, int binary)
{
    double total = 0, n = 0;
    for (int g = 0; g < 2; g++) {
        double s = 0, cnt = 0, ss = 0;
        for (size_t i = 0; i < c->n; i++)
            if (in_group(c, i, g)) {
                s += cell(c, i);
                cnt += 1;
            }
        n += cnt;
        if (binary) {
            total += cnt > 0 ? s * (1.0 - s / cnt) : 0;
            continue;
        }
        for (size_t i = 0; i < c->n; i++)
            if (in_group(c, i, g))
                ss += (cell(c, i) - s / cnt) * (cell(c, i) - s / cnt);
        total += ss;
    }
    return sqrt(binary ? total / n : total / (n - 2.0));
}

static int too_small(const column *c, const double *w)
{
    size_t nz[2] = {0, 0};
    for (size_t i = 0; i < c->n; i++)
        for (int g = 0; g < 2; g++)
            nz[g] += in_group(c, i, g) && weight_of(w, i) != 0;
    return nz[1] < 2 && nz[0] < 2;
}

static void side(const column *c, const double *w, int binary, double sd,
                 we_balance_side *out)
{
    int small = too_small(c, w);
    out->mean_treated = wmean(c, 1, w);
    out->mean_control = wmean(c, 0, w);
    double diff = out->mean_treated - out->mean_control;
    /* MatchIt leaves a difference below sqrt(eps) unstandardised. */
    if (fabs(diff) > sqrt(DBL_EPSILON))
        out->smd = small ? NAN : diff / sd;
    else
        out->smd = diff;
    out->var_ratio = binary || small ? NAN
                                     : wvar(c, 1, w, 0) / wvar(c, 0, w, 0);
}

static void clear_side(we_balance_side *s)
{
    s->mean_treated = s->mean_control = s->smd = s->var_ratio = NAN;
}

static int check_cells(const column *c, const double *weight, we_error *err)
{
    for (size_t i = 0; i < c->n; i++) {
        if (c->use != NULL && !c->use[i])
            continue;
        if (!isfinite(cell(c, i)))
            return we_fail(err, WE_EINVAL,
                           "balance: row %zu, feature %zu is not "
                           "finite; leave the row out of `use`",
                           i, c->j);
        if (weight != NULL && !(weight[i] >= 0 && isfinite(weight[i])))
            return we_fail(err, WE_EINVAL,
                           "balance: weight of row %zu is %g; "
                           "weights must be finite and >= 0",
                           i, weight[i]);
    }
    return WE_OK;
}

int we_match_balance(const double *X, size_t n, size_t p,
                     const unsigned char *treat, const unsigned char *use,
                     const double *weight, we_balance_row *rows,
                     we_error *err)
{
    if (X == NULL || treat == NULL || rows == NULL)
        return we_fail(err, WE_EINVAL,
                       "balance: the feature matrix, treatment flags "
                       "and output rows are required");
    for (size_t j = 0; j < p; j++) {
        column c = {X, n, p, j, treat, use};
        int rc = check_cells(&c, weight, err);
        if (rc != WE_OK)
            return rc;
        int binary = 1;
        for (size_t i = 0; i < n && binary; i++)
            if (c.use == NULL || c.use[i])
                binary = cell(&c, i) == 0.0 || cell(&c, i) == 1.0;
        /* The SD of the treated group before matching scales both sides
         * (MatchIt's s.d.denom = "treated" for the ATT). */
        double sd = sqrt(wvar(&c, 1, NULL, binary));
        if (!isfinite(sd) || sd < sqrt(DBL_EPSILON))
            sd = pooled_sd(&c, binary);
        rows[j].binary = binary;
        side(&c, NULL, binary, sd, &rows[j].before);
        if (weight != NULL)
            side(&c, weight, binary, sd, &rows[j].after);
        else
            clear_side(&rows[j].after);
    }
    return WE_OK;
}
