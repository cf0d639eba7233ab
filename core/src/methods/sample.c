/* The TWFE sample and the cluster numbering; the rule is in sample.h. */
#include "methods/sample.h"

#include <stdlib.h>
#include <string.h>

#include "util/reference.h"
#include "wijkeval/plugin.h"

void we_sample_free(we_sample *s)
{
    free(s->area_n);
    free(s->used);
    free(s->period_col);
    memset(s, 0, sizeof *s);
}

int we_sample_build(const double *y, const we_design *d, we_sample *s,
                    we_error *err)
{
    size_t A = d->n_areas, T = d->n_periods;
    memset(s, 0, sizeof *s);
    s->T_max = d->followup[d->n_followup - 1] + 1;
    s->area_n = calloc(A ? A : 1, sizeof *s->area_n);
    s->used = calloc(A ? A : 1, 1);
    s->period_col = malloc(s->T_max * sizeof *s->period_col);
    if (s->area_n == NULL || s->used == NULL || s->period_col == NULL) {
        we_sample_free(s);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    for (size_t t = 0; t < s->T_max; t++)
        s->period_col[t] = WE_SAMPLE_ABSENT; /* until a cell is seen */
    for (size_t i = 0; i < A; i++) {
        for (size_t t = 0; d->in_sample[i] && t < s->T_max; t++) {
            if (!isfinite(y[i * T + t]))
                continue;
            s->area_n[i]++;
            s->period_col[t] = WE_SAMPLE_REFERENCE;
        }
        s->N += s->area_n[i];
        s->used[i] = s->area_n[i] > 0;
        if (s->used[i] && d->treated_from[i] >= 0)
            s->n_treated++;
        else if (s->used[i])
            s->n_control++;
    }
    int first = 1;
    for (size_t t = 0; t < s->T_max; t++) {
        if (s->period_col[t] == WE_SAMPLE_ABSENT)
            continue;
        if (first)
            first = 0; /* the first period present stays the reference */
        else
            s->period_col[t] = (long)s->n_pc++;
    }
    return WE_OK;
}

double we_sample_area_means(const double *y, const we_design *d,
                            const we_sample *s, size_t i, size_t k,
                            we_sample_cols cols, const void *ctx,
                            double *mean)
{
    size_t T = d->n_periods;
    double n = (double)s->area_n[i], ybar = 0;
    memset(mean, 0, k * sizeof *mean);
    for (size_t t = 0; t < s->T_max; t++) {
        if (!we_sample_cell(s, y, d, i, t))
            continue;
        long c1, c2;
        cols(ctx, i, t, &c1, &c2);
        ybar += y[i * T + t] / n;
        if (c1 >= 0)
            mean[c1] += 1.0 / n;
        if (c2 >= 0)
            mean[c2] += 1.0 / n;
    }
    return ybar;
}

void we_sample_add_area(we_ols *ols, const double *y, const we_design *d,
                        const we_sample *s, size_t i, int cluster,
                        we_sample_cols cols, const void *ctx, double *row,
                        double *mean)
{
    size_t T = d->n_periods, k = ols->k;
    double ybar = we_sample_area_means(y, d, s, i, k, cols, ctx, mean);
    for (size_t t = 0; t < s->T_max; t++) {
        if (!we_sample_cell(s, y, d, i, t))
            continue;
        long c1, c2;
        cols(ctx, i, t, &c1, &c2);
        for (size_t a = 0; a < k; a++)
            row[a] = -mean[a];
        if (c1 >= 0)
            row[c1] += 1.0;
        if (c2 >= 0)
            row[c2] += 1.0;
        we_ols_add(ols, row, y[i * T + t] - ybar, cluster);
    }
}

/* Area i's part of X'X = sum u u' - n ubar ubar' and X'y = sum u (y -
 * ybar), u a cell's (at most two) dummies; the order of the sums is the
 * event study's since it was first written from sums. */
void we_sample_area_normal(const double *y, const we_design *d,
                           const we_sample *s, size_t i, size_t k,
                           we_sample_cols cols, const void *ctx, double ybar,
                           const double *ubar, double *xtx, double *xty)
{
    size_t T = d->n_periods;
    double n = (double)s->area_n[i];
    for (size_t t = 0; t < s->T_max; t++) {
        if (!we_sample_cell(s, y, d, i, t))
            continue;
        long c[2];
        cols(ctx, i, t, &c[0], &c[1]);
        double yt = y[i * T + t] - ybar;
        for (int a = 0; a < 2; a++) {
            if (c[a] < 0)
                continue;
            xty[c[a]] += yt;
            for (int b = 0; b < 2; b++)
                if (c[b] >= 0)
                    xtx[(size_t)c[a] * k + (size_t)c[b]] += 1.0;
        }
    }
    /* n ubar[a] ubar[b] is (n ubar[a]) ubar[b] in C's order: hoisting
     * the product changes no bit, and lets the inner loop vectorise. */
    for (size_t a = 0; a < k; a++) {
        if (ubar[a] == 0.0)
            continue;
        double na = n * ubar[a];
        double *row = xtx + a * k;
        for (size_t b = 0; b < k; b++)
            row[b] -= na * ubar[b];
    }
}

void we_sample_area_score(const double *y, const we_design *d,
                          const we_sample *s, size_t i, size_t k,
                          we_sample_cols cols, const void *ctx, double ybar,
                          const double *ubar, const double *coef, double *sv)
{
    size_t T = d->n_periods;
    double fit_bar = 0, sum_e = 0;
    for (size_t a = 0; a < k; a++)
        fit_bar += ubar[a] * coef[a];
    for (size_t t = 0; t < s->T_max; t++) {
        if (!we_sample_cell(s, y, d, i, t))
            continue;
        long ce, cp;
        cols(ctx, i, t, &ce, &cp);
        double e = y[i * T + t] - ybar + fit_bar -
                   (ce >= 0 ? coef[ce] : 0.0) - (cp >= 0 ? coef[cp] : 0.0);
        if (ce >= 0)
            sv[ce] += e;
        if (cp >= 0)
            sv[cp] += e;
        sum_e += e;
    }
    for (size_t a = 0; a < k; a++)
        sv[a] -= ubar[a] * sum_e;
}

int we_sample_clusters(const we_design *d, const unsigned char *used,
                       we_cluster_order order, int *cl, size_t *G,
                       we_error *err)
{
    int max = -1;
    for (size_t i = 0; i < d->n_areas; i++) {
        if (used[i] && d->cluster[i] < 0)
            return we_fail(err, WE_EINVAL,
                           "area %zu has negative cluster id %d; "
                           "cluster ids must be >= 0",
                           i, d->cluster[i]);
        if (used[i] && d->cluster[i] > max)
            max = d->cluster[i];
    }
    /* A table by id: cluster ids are small (municipalities, areas). */
    int *map = malloc(((size_t)max + 2) * sizeof *map);
    if (map == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (int c = 0; c <= max; c++)
        map[c] = -1;
    *G = 0;
    if (order == WE_CLUSTERS_BY_ID) {
        for (size_t i = 0; i < d->n_areas; i++)
            if (used[i])
                map[d->cluster[i]] = -2; /* present, not numbered yet */
        for (int c = 0; c <= max; c++)
            if (map[c] == -2)
                map[c] = (int)(*G)++;
    }
    for (size_t i = 0; i < d->n_areas; i++) {
        cl[i] = -1;
        if (!used[i])
            continue;
        if (map[d->cluster[i]] < 0)
            map[d->cluster[i]] = (int)(*G)++; /* first seen */
        cl[i] = map[d->cluster[i]];
    }
    free(map);
    return WE_OK;
}

int we_design_check(const we_design *d, we_error *err)
{
    if (d->n_areas == 0 || d->n_periods == 0)
        return we_fail(err, WE_EINVAL,
                       "the panel is empty; give at least one area "
                       "and one period");
    if (d->n_followup == 0)
        return we_fail(err, WE_EINVAL,
                       "no follow-up period is set; set the "
                       "follow-up periods of the design");
    if (d->baseline >= d->n_periods ||
        d->followup[d->n_followup - 1] >= d->n_periods)
        return we_fail(err, WE_EINVAL,
                       "baseline or follow-up outside the panel's "
                       "%zu periods; use period indices of the panel",
                       d->n_periods);
    if (!(d->alpha > 0.0 && d->alpha < 1.0))
        return we_fail(err, WE_EINVAL, "alpha must lie in (0, 1), got %g",
                       d->alpha);
    for (size_t i = 0; i < d->n_areas; i++) {
        long g = d->treated_from[i];
        if (d->in_sample[i] && (g < -1 || g >= (long)d->n_periods))
            return we_fail(err, WE_EINVAL,
                           "area %zu: first treated period %ld is "
                           "outside the panel (0..%zu); use -1 for "
                           "an area that is never treated",
                           i, g, d->n_periods - 1);
    }
    return WE_OK;
}

/* The reference: for each treated area, whether an earlier one shares its
 * cluster (O(treated x areas)). */
static size_t treated_clusters_reference(const we_design *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n_areas; i++) {
        if (!d->in_sample[i] || d->treated_from[i] < 0)
            continue;
        size_t j = 0;
        while (j < i && !(d->in_sample[j] && d->treated_from[j] >= 0 &&
                          d->cluster[j] == d->cluster[i]))
            j++;
        n += j == i;
    }
    return n;
}

/* Clusters with an in-sample treated area: one mark per cluster id, one
 * pass (the reference when the marks cannot be had). */
size_t we_design_treated_clusters(const we_design *d)
{
    int top = -1;
    for (size_t i = 0; i < d->n_areas; i++)
        if (d->in_sample[i] && d->treated_from[i] >= 0 && d->cluster[i] > top)
            top = d->cluster[i];
    unsigned char *seen =
        we_reference_paths() ? NULL : calloc((size_t)top + 2, 1);
    if (seen == NULL)
        return treated_clusters_reference(d);
    size_t n = 0;
    for (size_t i = 0; i < d->n_areas; i++)
        if (d->in_sample[i] && d->treated_from[i] >= 0 &&
            !seen[d->cluster[i]]) {
            seen[d->cluster[i]] = 1;
            n++;
        }
    free(seen);
    return n;
}
