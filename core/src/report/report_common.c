/* The judgements every human-readable report makes the same way: the
 * verdict of an interval, the warnings, and the order of the experiments.
 * report.md and report.html both use these, so they never disagree. */
#include <math.h>
#include <stdlib.h>

#include "report/report_internal.h"

/* The sign of the interval, not of the point estimate, decides; an
 * interval with an infinite side still excludes 0 when the other side
 * does. */
we_verdict we_report_verdict(const we_estimate *e, const we_catalog_rec *cat)
{
    if (cat == NULL || isnan(e->ci_low) || isnan(e->ci_high))
        return WE_VERDICT_UNCLEAR;
    int up = e->ci_low > 0, down = e->ci_high < 0;
    if (!(up || down))
        return WE_VERDICT_UNCLEAR;
    if (cat->direction == WE_HIGHER_IS_BETTER)
        return up ? WE_VERDICT_BETTER : WE_VERDICT_WORSE;
    if (cat->direction == WE_LOWER_IS_BETTER)
        return down ? WE_VERDICT_BETTER : WE_VERDICT_WORSE;
    return WE_VERDICT_UNCLEAR;
}

int we_report_pretrend_rejected(const we_run *run, const we_result_rec *r)
{
    return r != NULL && we_report_enriched(r) && isfinite(r->x.pretrend_p) &&
           r->x.pretrend_p < run->cfg->alpha;
}

/* A non-significant estimate below the MDE says little: the design would
 * usually have missed a true effect of that size. */
int we_report_underpowered(const we_run *run, const we_result_rec *r)
{
    if (r == NULL || !we_report_enriched(r) || !r->x.has_mde ||
        !isfinite(r->x.mde.mde))
        return 0;
    const we_estimate *e = &r->est;
    return fabs(e->estimate) < r->x.mde.mde &&
           !(isfinite(e->p_value) && e->p_value < run->cfg->alpha);
}

const we_result_rec *we_report_primary(const we_experiment_run *x)
{
    const we_result_rec *h = we_report_headline(x);
    for (size_t i = 0; h == NULL && x->status == WE_EXP_OK &&
                       i < x->n_results; i++)
        if (x->results[i].role == WE_ROLE_PRIMARY)
            h = &x->results[i];
    return h;
}

/* Insertion sort: stable, and there are a handful of experiments. */
size_t *we_report_order_by_effect(const we_run *run)
{
    size_t n = run->n_experiments;
    size_t *ix = malloc((n > 0 ? n : 1) * sizeof *ix);
    if (ix == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        double d = we_report_headline_delta(&run->experiments[i]);
        size_t j = i;
        while (j > 0 && isfinite(d)) {
            double e = we_report_headline_delta(&run->experiments[ix[j - 1]]);
            if (isfinite(e) && e >= d)
                break;
            ix[j] = ix[j - 1];
            j--;
        }
        ix[j] = i;
    }
    return ix;
}
