/* Verdicts and warnings, judged once for every report format. Rules:
 * docs/report.md. */
#include "analysis/judge.h"

#include <math.h>
#include <string.h>

/* By a scan of the catalogue: a panel built in memory has no index. */
static const we_catalog_rec *catalog_of(const we_panel *p, const char *name)
{
    if (p == NULL || name == NULL || p->catalog == NULL)
        return NULL;
    for (size_t k = 0; k < p->n_indicators; k++)
        if (p->catalog[k].indicator != NULL &&
            strcmp(p->catalog[k].indicator, name) == 0)
            return &p->catalog[k];
    return NULL;
}

we_verdict we_judge_verdict(const we_estimate *e, const we_catalog_rec *cat)
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

static int pretrend_rejected(const we_config *cfg, const we_result_rec *r)
{
    return r->x.enriched && isfinite(r->x.pretrend_p) &&
           r->x.pretrend_p < cfg->alpha;
}

/* A non-significant estimate below the MDE says little: the design would
 * usually have missed a true effect of that size. */
static int underpowered(const we_config *cfg, const we_result_rec *r)
{
    if (!r->x.enriched || !r->x.has_mde || !isfinite(r->x.mde.mde))
        return 0;
    const we_estimate *e = &r->est;
    return fabs(e->estimate) < r->x.mde.mde &&
           !(isfinite(e->p_value) && e->p_value < cfg->alpha);
}

void we_judge_result(const we_config *cfg, const we_panel *panel,
                     we_result_rec *r)
{
    r->x.verdict = we_judge_verdict(&r->est, catalog_of(panel, r->indicator));
    r->x.pretrend_rejected = pretrend_rejected(cfg, r);
    r->x.underpowered = underpowered(cfg, r);
}

void we_judge_run(const we_config *cfg, const we_panel *panel, we_run *run)
{
    for (size_t e = 0; e < run->n_experiments; e++) {
        we_experiment_run *x = &run->experiments[e];
        x->verdict = WE_VERDICT_UNCLEAR;
        if (x->status != WE_EXP_OK)
            continue;
        for (size_t k = 0; k < x->n_results; k++)
            we_judge_result(cfg, panel, &x->results[k]);
        if (x->headline >= 0 && (size_t)x->headline < x->n_results)
            x->verdict = x->results[x->headline].x.verdict;
    }
}
