/* The judgements every report format shows, made once after enrichment:
 * the verdict of each result's interval, the warnings (pre-trends
 * rejected, underpowered) and each experiment's headline verdict. The
 * renderers read the fields (model/run.h); they never judge. */
#ifndef WE_ANALYSIS_JUDGE_H
#define WE_ANALYSIS_JUDGE_H

#include "config/config.h"
#include "data/panel.h"
#include "model/run.h"

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

/* Every result of every ok experiment, then each experiment's headline
 * verdict (x->verdict). */
void we_judge_run(const we_config *cfg, const we_panel *panel, we_run *run);

#endif
