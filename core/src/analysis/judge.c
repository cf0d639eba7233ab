/* Verdicts and warnings, judged once for every report format. Rules:
 * docs/report.md. */
#include "analysis/judge.h"

#include <math.h>
#include <string.h>

#include "util/error.h"

const we_catalog_rec *we_judge_catalog(const we_panel *p, const char *name)
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
    r->x.verdict =
        we_judge_verdict(&r->est, we_judge_catalog(panel, r->indicator));
    r->x.pretrend_rejected = pretrend_rejected(cfg, r);
    r->x.underpowered = underpowered(cfg, r);
}

double we_judge_smallest(const we_config *cfg, const we_experiment_cfg *ec,
                         const we_result_rec *h, we_smallest_from *from)
{
    *from = WE_SMALLEST_NONE;
    if (ec != NULL && ec->smallest_effect > 0) {
        *from = WE_SMALLEST_EXPERIMENT;
        return ec->smallest_effect;
    }
    for (size_t i = 0; h != NULL && cfg != NULL && i < cfg->n_smallest; i++)
        if (strcmp(cfg->smallest[i].indicator, h->indicator) == 0) {
            *from = WE_SMALLEST_INDICATOR;
            return cfg->smallest[i].value;
        }
    if (h != NULL && h->x.has_mde && isfinite(h->x.mde.mde) &&
        h->x.mde.mde > 0) {
        *from = WE_SMALLEST_MDE;
        return h->x.mde.mde;
    }
    return NAN;
}

/* Not significant after the adjustment: no effect when the interval lies
 * within plus and minus the smallest effect of interest, else
 * inconclusive, saying which adjustment. */
static void not_adjusted(const we_judge_input *in, we_judgement *out)
{
    const we_result_rec *h = in->headline;
    out->verdict = WE_HV_INCONCLUSIVE;
    out->why = WE_WHY_ADJUSTED;
    if (out->smallest_from != WE_SMALLEST_NONE &&
        h->est.ci_low >= -out->smallest && h->est.ci_high <= out->smallest) {
        out->verdict = WE_HV_NO_EFFECT;
        out->why = WE_WHY_WITHIN;
    }
}

void we_judge_headline(const we_judge_input *in, we_judgement *out)
{
    const we_result_rec *h = in->headline;
    *out = (we_judgement){
        .verdict = WE_HV_INCONCLUSIVE,
        .why = WE_WHY_NO_HEADLINE,
        .estimate = NAN,
        .ci_low = NAN,
        .ci_high = NAN,
        .smallest = in->smallest,
        .smallest_from = in->smallest_from,
        .pretrend_p = NAN,
        .alpha = in->alpha,
        .sms_level = in->evidence != NULL ? in->evidence->sms_level : 0,
        .min_level = in->min_level,
        .p_experiment = in->p_experiment,
        .p_headlines = in->p_headlines,
        .p_claim = we_judge_claim_p(in->p_experiment, in->p_headlines),
        .n_headlines = in->n_headlines,
        .adjust_bh = in->adjust_bh};
    if (!(out->smallest > 0))
        out->smallest_from = WE_SMALLEST_NONE;
    if (h == NULL || isnan(h->est.ci_low) || isnan(h->est.ci_high))
        return;
    out->estimate = h->est.estimate;
    out->ci_low = h->est.ci_low;
    out->ci_high = h->est.ci_high;
    out->pretrend_p = h->x.pretrend_p;
    /* Credibility first: "better" is never said of an effect the design
     * cannot support. */
    out->verdict = WE_HV_NOT_CREDIBLE;
    if (h->x.pretrend_rejected) {
        out->why = WE_WHY_PRETREND;
        return;
    }
    if (out->sms_level < in->min_level) {
        out->why = WE_WHY_EVIDENCE;
        return;
    }
    int up = h->est.ci_low > 0, down = h->est.ci_high < 0;
    out->verdict = WE_HV_INCONCLUSIVE;
    if (up || down) {
        if (in->direction != WE_HIGHER_IS_BETTER &&
            in->direction != WE_LOWER_IS_BETTER) {
            out->why = WE_WHY_NO_DIRECTION;
            return;
        }
        /* Better or worse is a claim of an effect: it must survive the
         * adjustment for multiple testing the report shows, within the
         * experiment and across its headlines. */
        if (!(out->p_claim < in->alpha)) {
            not_adjusted(in, out);
            return;
        }
        int good = in->direction == WE_HIGHER_IS_BETTER ? up : down;
        /* And "better" never stands beside "geen aanwijzingen": the
         * evidence label rests on the same p (docs/evidence.md). */
        if (good && in->evidence != NULL &&
            in->evidence->erkenning == WE_ERKENNING_NONE) {
            out->why = WE_WHY_NO_LABEL;
            return;
        }
        out->verdict = good ? WE_HV_BETTER : WE_HV_WORSE;
        out->why = good ? WE_WHY_GOOD_SIDE : WE_WHY_BAD_SIDE;
        return;
    }
    if (out->smallest_from == WE_SMALLEST_NONE) {
        out->why = WE_WHY_POWER_UNKNOWN;
        return;
    }
    /* Equivalence: the whole interval within plus and minus the smallest
     * effect of interest rules out a relevant effect either way. */
    if (h->est.ci_low >= -out->smallest && h->est.ci_high <= out->smallest) {
        out->verdict = WE_HV_NO_EFFECT;
        out->why = WE_WHY_WITHIN;
        return;
    }
    out->why = WE_WHY_WIDE;
}

double we_judge_claim_p(double p_experiment, double p_headlines)
{
    if (isnan(p_experiment))
        return p_headlines;
    if (isnan(p_headlines))
        return p_experiment;
    return p_experiment > p_headlines ? p_experiment : p_headlines;
}

double we_judge_headline_p(const we_config *cfg, const we_experiment_run *x)
{
    if (x->headline < 0 || (size_t)x->headline >= x->n_results)
        return NAN;
    int bh = cfg != NULL && cfg->inference.adjust == WE_ADJUST_BH;
    return we_judge_claim_p(x->results[x->headline].x.p_adjusted,
                            bh ? x->p_bh_headlines : x->p_holm_headlines);
}

/* ec: the experiment's config, NULL for the programme row (it has no
 * smallest_effect of its own). */
static void judge_experiment(const we_config *cfg, const we_panel *panel,
                             const we_experiment_cfg *ec, we_experiment_run *x)
{
    const we_result_rec *h =
        x->headline >= 0 && (size_t)x->headline < x->n_results
            ? &x->results[x->headline]
            : NULL;
    const we_catalog_rec *cat =
        h ? we_judge_catalog(panel, h->indicator) : NULL;
    we_judge_input in = {.headline = h,
                         .direction = cat ? (int)cat->direction : 0,
                         .evidence = &x->evidence,
                         .alpha = cfg->alpha,
                         .min_level = cfg->min_evidence_level,
                         .p_experiment = h ? h->x.p_adjusted : NAN,
                         .p_headlines = NAN,
                         .n_headlines = x->n_headlines,
                         .adjust_bh = cfg->inference.adjust == WE_ADJUST_BH};
    if (h != NULL)
        in.p_headlines =
            in.adjust_bh ? x->p_bh_headlines : x->p_holm_headlines;
    in.smallest = we_judge_smallest(cfg, ec, h, &in.smallest_from);
    we_judge_headline(&in, &x->judgement);
}

static void judge_one(const we_config *cfg, const we_panel *panel,
                      const we_experiment_cfg *ec, we_experiment_run *x)
{
    x->verdict = WE_VERDICT_UNCLEAR;
    memset(&x->judgement, 0, sizeof x->judgement);
    if (x->status != WE_EXP_OK)
        return;
    for (size_t k = 0; k < x->n_results; k++)
        we_judge_result(cfg, panel, &x->results[k]);
    if (x->headline >= 0 && (size_t)x->headline < x->n_results)
        x->verdict = x->results[x->headline].x.verdict;
    judge_experiment(cfg, panel, ec, x);
}

void we_judge_run(const we_config *cfg, const we_panel *panel, we_run *run)
{
    for (size_t e = 0; e < run->n_experiments; e++)
        judge_one(cfg, panel,
                  e < cfg->n_experiments ? &cfg->experiments[e] : NULL,
                  &run->experiments[e]);
    if (run->programme != NULL)
        judge_one(cfg, panel, NULL, run->programme);
}

int we_judge_check(const we_config *cfg, const we_panel *panel, we_error *err)
{
    for (size_t i = 0; i < cfg->n_smallest; i++)
        if (we_judge_catalog(panel, cfg->smallest[i].indicator) == NULL)
            return we_fail(err, WE_EINVAL,
                           "%s:%d: report.smallest_effect: indicator '%s' "
                           "is not in the catalogue %s; use one of its "
                           "indicator ids",
                           cfg->path, cfg->smallest[i].line,
                           cfg->smallest[i].indicator,
                           cfg->catalog_path ? cfg->catalog_path : "");
    return 0;
}
