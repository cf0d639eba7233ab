/* The judgements every report format shows, made once after enrichment:
 * the verdict of each result's interval, the warnings (pre-trends
 * rejected, underpowered) and each experiment's headline verdict. The
 * renderers read the fields (model/run.h); they never judge. */
#ifndef WE_ANALYSIS_JUDGE_H
#define WE_ANALYSIS_JUDGE_H

#include "config/config.h"
#include "data/panel.h"
#include "model/run.h"
#include "util/error.h"

/* The catalogue entry of indicator `name`, NULL when not catalogued; by a
 * scan, since a panel built in memory has no index. */
const we_catalog_rec *we_judge_catalog(const we_panel *p, const char *name);

/* The sign of the interval, not of the point estimate, decides; an
 * interval with an infinite side still excludes 0 when the other side
 * does. cat NULL (not catalogued) or no direction: unclear. */
we_verdict we_judge_verdict(const we_estimate *e, const we_catalog_rec *cat);

/* Sets r->x.verdict, r->x.pretrend_rejected (an enriched result whose
 * pre-trend p is below alpha) and r->x.underpowered (an enriched result
 * with an MDE larger than its absolute estimate, not significant at
 * alpha). */
void we_judge_result(const we_config *cfg, const we_panel *panel,
                     we_result_rec *r);

/* What a headline's judgement rests on; any headline (an experiment's,
 * or a programme row's) can be judged this way. */
typedef struct we_judge_input {
    const we_result_rec *headline; /* NULL: none (inconclusive) */
    int direction;                 /* we_direction of its indicator; 0
                                      when not catalogued */
    const we_evidence *evidence;   /* the headline's evidence level */
    double smallest;               /* we_judge_smallest */
    we_smallest_from smallest_from;
    double alpha;
    int min_level; /* report.min_evidence_level */
    /* The headline's p-value after the run's adjustment (inference.adjust;
     * adjust_bh 1 for Benjamini-Hochberg, 0 for Holm) within its
     * experiment (x.p_adjusted) and across the run's n_headlines
     * headlines; NaN when not adjusted. Better and worse need the larger
     * of the two below alpha. */
    double p_experiment, p_headlines;
    size_t n_headlines;
    int adjust_bh;
} we_judge_input;

/* The verdict and its reason (model/views.h, rules in docs/report.md), in
 * this order: not credible (pre-trends rejected, then an evidence level
 * below min_level); better or worse (the interval excludes 0 and the
 * adjusted p, we_judge_claim_p, is below alpha; better also needs an
 * Erkenningscommissie label, so that it never stands beside "geen
 * aanwijzingen"); no effect (the interval lies within +-smallest);
 * inconclusive (not significant after the adjustment, no label, no
 * smallest effect known, or the interval reaches beyond it). */
void we_judge_headline(const we_judge_input *in, we_judgement *out);

/* The p-value a headline's claim of an effect must bring below alpha:
 * the larger of its p adjusted within the experiment and across the
 * run's headlines (a NaN one is left out; NaN when both are). */
double we_judge_claim_p(double p_experiment, double p_headlines);

/* That p for experiment x's headline, by the config's inference.adjust
 * (x.p_adjusted and x's p_holm_headlines or p_bh_headlines); NaN without
 * a headline. The evidence label of the headline uses it too
 * (analysis/enrich.c). */
double we_judge_headline_p(const we_config *cfg, const we_experiment_run *x);

/* The smallest effect of interest for headline h: the experiment's
 * smallest_effect (ec may be NULL), else report.smallest_effect of the
 * headline's indicator, else the headline's MDE; NaN (from NONE) when
 * none is known. */
double we_judge_smallest(const we_config *cfg, const we_experiment_cfg *ec,
                         const we_result_rec *h, we_smallest_from *from);

/* Every result of every ok experiment, then each experiment's headline
 * interval (x->verdict) and judgement (x->judgement); the same for
 * run->programme when there is one. cfg->experiments[e] is
 * run->experiments[e]'s config. After the run's headline family is
 * adjusted (analysis/enrich.h we_enrich_headlines). */
void we_judge_run(const we_config *cfg, const we_panel *panel, we_run *run);

/* The config's report.smallest_effect names catalogued indicators; else
 * an error naming the config line. Before any plugin runs. */
int we_judge_check(const we_config *cfg, const we_panel *panel, we_error *err);

#endif
