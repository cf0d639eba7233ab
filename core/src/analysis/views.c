/* The trend and per-wijk views of report.html and report.json, computed
 * from the panel on the run's design: the group means with their t bands,
 * and each treated wijk's gap to the reference the gap method uses. */
#include "analysis/views.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/estimator.h"

void we_group_band_series(const double *y, size_t n_areas, size_t n_periods,
                          const unsigned char *member, double alpha,
                          double *mean, double *lo, double *hi)
{
    for (size_t t = 0; t < n_periods; t++) {
        double sum = 0, ss = 0;
        size_t n = 0;
        for (size_t i = 0; i < n_areas; i++) {
            double v = y[i * n_periods + t];
            if (member[i] && isfinite(v)) {
                sum += v;
                n++;
            }
        }
        double m = n > 0 ? sum / (double)n : NAN;
        for (size_t i = 0; i < n_areas; i++) {
            double v = y[i * n_periods + t];
            if (member[i] && isfinite(v))
                ss += (v - m) * (v - m);
        }
        mean[t] = m;
        lo[t] = hi[t] = NAN;
        if (n >= 2) {
            double q = gsl_cdf_tdist_Pinv(1.0 - alpha / 2.0, (double)(n - 1));
            double se = sqrt(ss / (double)(n - 1) / (double)n);
            lo[t] = m - q * se;
            hi[t] = m + q * se;
        }
    }
}

/* By a scan of the catalogue: a panel built in memory has no index. */
static long column_of(const we_panel *p, const char *indicator)
{
    for (size_t k = 0; p->values != NULL && k < p->n_indicators; k++)
        if (p->catalog[k].indicator != NULL &&
            strcmp(p->catalog[k].indicator, indicator) == 0)
            return (long)k;
    return -1;
}

/* The headline, else the first primary result (as the report shows). */
static const char *primary_indicator(const we_experiment_run *x)
{
    if (x->headline >= 0 && (size_t)x->headline < x->n_results)
        return x->results[x->headline].indicator;
    for (size_t k = 0; k < x->n_results; k++)
        if (x->results[k].role == WE_ROLE_PRIMARY)
            return x->results[k].indicator;
    return NULL;
}

static int band_alloc(we_group_band *b, size_t T)
{
    b->mean = malloc(3 * T * sizeof *b->mean);
    if (b->mean == NULL)
        return -1;
    b->lo = b->mean + T;
    b->hi = b->mean + 2 * T;
    return 0;
}

static int trend_view(const we_config *cfg, const we_panel *p,
                      const we_run_design *rd, const double *y,
                      we_trend_view *v)
{
    size_t A = p->n_areas, T = p->n_periods;
    unsigned char *member = malloc(2 * (A > 0 ? A : 1));
    if (member == NULL || band_alloc(&v->treated, T) != 0 ||
        band_alloc(&v->comparison, T) != 0) {
        free(member);
        return -1;
    }
    v->n_periods = T;
    for (size_t i = 0; i < A; i++) {
        member[i] = rd->treated_from[i] >= 0;
        member[A + i] = rd->comparison[i] != 0;
        v->treated.n_areas += member[i];
        v->comparison.n_areas += member[A + i];
    }
    we_group_band *g[2] = {&v->treated, &v->comparison};
    for (size_t k = 0; k < 2; k++)
        we_group_band_series(y, A, T, member + k * A, cfg->alpha,
                             g[k]->mean, g[k]->lo, g[k]->hi);
    free(member);
    return 0;
}

static we_wijk_status wijk_status(double gb, double gl)
{
    if (!isfinite(gb) || !isfinite(gl))
        return WE_WIJK_NO_GAP;
    if (gb >= 0)
        return WE_WIJK_NO_DEFICIT;
    return gl > gb ? WE_WIJK_CLOSING : WE_WIJK_NOT_CLOSING;
}

/* The gap to the reference the host's gap method uses (the design's gap
 * groups and weights), signed by the good direction. */
static int wijk_view(const we_panel *p, const we_run_design *rd,
                     const double *y, double dir, we_wijk_view *v)
{
    size_t A = p->n_areas, T = p->n_periods, n = 0;
    v->n_periods = T;
    v->base = rd->baseline;
    v->latest = rd->n_followup > 0 ? rd->followup[rd->n_followup - 1]
                                   : T - 1;
    we_error err = {{0}};
    double *ref = we_gap_reference_of(y, A, T, rd->gap_group, rd->weight,
                                      &err);
    if (ref == NULL) {
        v->state = WE_WIJK_VIEW_FAILED;
        return 0;
    }
    for (size_t i = 0; i < A; i++)
        n += rd->treated_from[i] >= 0;
    v->area = malloc((n > 0 ? n : 1) * sizeof *v->area);
    v->gap = malloc((n * T > 0 ? n * T : 1) * sizeof *v->gap);
    v->status = malloc((n > 0 ? n : 1) * sizeof *v->status);
    if (v->area == NULL || v->gap == NULL || v->status == NULL) {
        free(ref);
        return -1;
    }
    for (size_t i = 0; i < A; i++) {
        if (rd->treated_from[i] < 0)
            continue;
        size_t w = v->n_wijken++;
        double *g = v->gap + w * T;
        v->area[w] = i;
        for (size_t t = 0; t < T; t++)
            g[t] = (y[i * T + t] - ref[i * T + t]) * dir;
        v->status[w] = wijk_status(g[v->base], g[v->latest]);
        v->n_behind += v->status[w] == WE_WIJK_CLOSING ||
                       v->status[w] == WE_WIJK_NOT_CLOSING;
        v->n_closing += v->status[w] == WE_WIJK_CLOSING;
    }
    free(ref);
    v->state = WE_WIJK_VIEW_OK;
    return 0;
}

int we_views_experiment(const we_config *cfg, const we_panel *panel,
                        const we_run_design *rd, we_experiment_run *x)
{
    we_trend_view_free(&x->trend);
    we_wijk_view_free(&x->per_wijk);
    const char *name = x->status == WE_EXP_OK ? primary_indicator(x) : NULL;
    long k = name != NULL && rd != NULL ? column_of(panel, name) : -1;
    if (k < 0 || panel->values[k] == NULL || panel->n_periods == 0)
        return 0;
    const double *y = panel->values[k];
    double dir = panel->catalog[k].direction == WE_LOWER_IS_BETTER ? -1.0
                                                                   : 1.0;
    x->trend.indicator = we_strdup(name);
    x->per_wijk.indicator = we_strdup(name);
    int rc = x->trend.indicator != NULL && x->per_wijk.indicator != NULL
                 ? 0
                 : -1;
    if (rc == 0)
        rc = trend_view(cfg, panel, rd, y, &x->trend);
    if (rc == 0)
        rc = wijk_view(panel, rd, y, dir, &x->per_wijk);
    if (rc != 0) {
        we_trend_view_free(&x->trend);
        we_wijk_view_free(&x->per_wijk);
    }
    return rc;
}

int we_views_run(const we_config *cfg, const we_panel *panel,
                 const we_run_design *rd, we_run *run)
{
    for (size_t e = 0; e < run->n_experiments; e++) {
        we_experiment_run *x = &run->experiments[e];
        /* An experiment with its own wijken is shown on its own design. */
        const we_run_design *own =
            e < cfg->n_experiments && cfg->experiments[e].n_assigned > 0 &&
                    x->rd != NULL
                ? x->rd
                : rd;
        if (we_views_experiment(cfg, panel, own, x) != 0)
            return -1;
    }
    /* The programme row: on the run's design. */
    if (run->programme != NULL &&
        we_views_experiment(cfg, panel, rd, run->programme) != 0)
        return -1;
    return 0;
}
