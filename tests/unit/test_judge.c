/* What the analysis layer judges and computes for the report, so that the
 * renderers only read it (analysis/judge.c, analysis/views.c and the
 * enumerated flag of analysis/enrich.c): the verdict rules, the warnings,
 * the headline verdict, the bootstrap's enumerated flag against what
 * methods/wild.c did, and the trend and per-wijk views. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/enrich.h"
#include "analysis/judge.h"
#include "analysis/side_effects.h"
#include "model/displacement.h"
#include "analysis/views.h"
#include "methods/estimator.h"
#include "methods/wild.h"
#include "util/strmap.h"
#include "run_fixture.h"

/* ---- verdict ------------------------------------------------------------- */

static we_verdict verdict_of(double lo, double hi, we_direction dir)
{
    we_estimate e = {.struct_size = sizeof e, .ci_low = lo, .ci_high = hi};
    we_catalog_rec cat = {.indicator = "x", .direction = dir};
    return we_judge_verdict(&e, &cat);
}

static void test_verdict_rules(void **state)
{
    (void)state;
    const we_direction up = WE_HIGHER_IS_BETTER, down = WE_LOWER_IS_BETTER;
    assert_int_equal(verdict_of(0.25, 0.75, up), WE_VERDICT_BETTER);
    assert_int_equal(verdict_of(-0.75, -0.25, up), WE_VERDICT_WORSE);
    assert_int_equal(verdict_of(-0.25, 0.75, up), WE_VERDICT_UNCLEAR);
    assert_int_equal(verdict_of(0, 0.75, up), WE_VERDICT_UNCLEAR);
    assert_int_equal(verdict_of(NAN, 0.75, up), WE_VERDICT_UNCLEAR);
    /* An interval open on one side still excludes 0. */
    assert_int_equal(verdict_of(0.25, INFINITY, up), WE_VERDICT_BETTER);
    assert_int_equal(verdict_of(-INFINITY, -0.25, up), WE_VERDICT_WORSE);
    /* Lower is better turns the sides around. */
    assert_int_equal(verdict_of(-0.75, -0.25, down), WE_VERDICT_BETTER);
    assert_int_equal(verdict_of(0.25, 0.75, down), WE_VERDICT_WORSE);
    /* Not catalogued: unclear. */
    we_estimate e = {.struct_size = sizeof e, .ci_low = 1, .ci_high = 2};
    assert_int_equal(we_judge_verdict(&e, NULL), WE_VERDICT_UNCLEAR);
    assert_string_equal(we_verdict_name(WE_VERDICT_BETTER), "better");
    assert_string_equal(we_verdict_name(WE_VERDICT_WORSE), "worse");
    assert_string_equal(we_verdict_name(WE_VERDICT_UNCLEAR), "unclear");
}

/* The fixture as the analysis left it: samenhang better without
 * warnings; bureaucratie unclear, pre-trends rejected (p = 0.01) and
 * underpowered (|-0.25| < MDE 2, p = 0.625); the failed one unclear. */
static void test_judged_fixture(void **state)
{
    run_fixture *f = *state;
    const we_result_rec *h = &f->res[0], *b = &f->res2[0];
    assert_int_equal(h->x.verdict, WE_VERDICT_BETTER);
    assert_false(h->x.pretrend_rejected);
    assert_false(h->x.underpowered);
    assert_int_equal(f->exps[0].verdict, WE_VERDICT_BETTER);
    /* wachttijd (lower is better), interval open below, up to 2000. */
    assert_int_equal(f->res[2].x.verdict, WE_VERDICT_UNCLEAR);
    assert_int_equal(b->x.verdict, WE_VERDICT_UNCLEAR);
    assert_true(b->x.pretrend_rejected);
    assert_true(b->x.underpowered);
    assert_int_equal(f->exps[1].verdict, WE_VERDICT_UNCLEAR);
    assert_int_equal(f->exps[2].verdict, WE_VERDICT_UNCLEAR);
    /* The decisions: samenhang better; bureaucratie's pre-trends were
     * rejected, so not credible; the failed one has none. */
    assert_int_equal(f->exps[0].judgement.verdict, WE_HV_BETTER);
    assert_int_equal(f->exps[0].judgement.why, WE_WHY_GOOD_SIDE);
    assert_true(f->exps[0].judgement.smallest == 1.25);
    assert_int_equal(f->exps[0].judgement.smallest_from, WE_SMALLEST_MDE);
    assert_int_equal(f->exps[1].judgement.verdict, WE_HV_NOT_CREDIBLE);
    assert_int_equal(f->exps[1].judgement.why, WE_WHY_PRETREND);
    assert_true(f->exps[1].judgement.pretrend_p == 0.01);
    assert_int_equal(f->exps[2].judgement.verdict, WE_HV_NONE);
    assert_null(we_hverdict_name(WE_HV_NONE));
    assert_string_equal(we_hverdict_name(WE_HV_NOT_CREDIBLE), "not_credible");
    assert_string_equal(we_hverdict_name(WE_HV_NO_EFFECT), "no_effect");
}

/* ---- the headline's decision ----------------------------------------------
 */

/* The headline's decision with its adjusted p-values (within the
 * experiment, across the headlines) and its evidence label. */
static we_judgement decide_adj(double lo, double hi, int dir, double pre,
                               int sms, double smallest, double p_exp,
                               double p_head, we_erkenning label)
{
    we_result_rec h = {.indicator = "x", .role = WE_ROLE_PRIMARY};
    h.est = (we_estimate){.struct_size = sizeof h.est,
                          .estimate = isfinite(lo + hi) ? (lo + hi) / 2 : lo,
                          .ci_low = lo,
                          .ci_high = hi};
    h.x.enriched = 1;
    h.x.pretrend_p = pre;
    h.x.pretrend_rejected = isfinite(pre) && pre < 0.05;
    we_evidence ev = {.sms_level = sms, .erkenning = label};
    we_judge_input in = {.headline = &h,
                         .direction = dir,
                         .evidence = &ev,
                         .smallest = smallest,
                         .smallest_from = isfinite(smallest)
                                              ? WE_SMALLEST_MDE
                                              : WE_SMALLEST_NONE,
                         .alpha = 0.05,
                         .min_level = 3,
                         .p_experiment = p_exp,
                         .p_headlines = p_head,
                         .n_headlines = 8};
    we_judgement j;
    we_judge_headline(&in, &j);
    return j;
}

/* Significant after both adjustments, with a label. */
static we_judgement decide(double lo, double hi, int dir, double pre, int sms,
                           double smallest)
{
    return decide_adj(lo, hi, dir, pre, sms, smallest, 0.01, 0.02,
                      WE_ERKENNING_GOEDE);
}

static void test_headline_decisions(void **state)
{
    (void)state;
    const int up = WE_HIGHER_IS_BETTER, down = WE_LOWER_IS_BETTER;
    we_judgement j = decide(0.25, 0.75, up, 0.5, 3, 0.3);
    assert_int_equal(j.verdict, WE_HV_BETTER);
    assert_true(j.ci_low == 0.25 && j.ci_high == 0.75 && j.alpha == 0.05);
    assert_int_equal(decide(0.25, 0.75, down, 0.5, 3, 0.3).verdict,
                     WE_HV_WORSE);
    assert_int_equal(decide(-0.75, -0.25, down, 0.5, 3, 0.3).verdict,
                     WE_HV_BETTER);
    assert_int_equal(decide(0.25, INFINITY, up, 0.5, 3, NAN).verdict,
                     WE_HV_BETTER);
    /* Credibility comes first: a good-side interval with rejected
     * pre-trends, or an evidence level below the minimum, is never
     * better. */
    j = decide(0.25, 0.75, up, 0.01, 3, 0.3);
    assert_int_equal(j.verdict, WE_HV_NOT_CREDIBLE);
    assert_int_equal(j.why, WE_WHY_PRETREND);
    j = decide(0.25, 0.75, up, 0.5, 2, 0.3);
    assert_int_equal(j.verdict, WE_HV_NOT_CREDIBLE);
    assert_int_equal(j.why, WE_WHY_EVIDENCE);
    assert_int_equal(j.sms_level, 2);
    assert_int_equal(j.min_level, 3);
    assert_int_equal(decide(0.25, 0.75, up, 0.05, 3, 0.3).verdict,
                     WE_HV_BETTER); /* p at alpha: not rejected */
    /* Equivalence: within +-0.3 rules a relevant effect out, the bounds
     * included; beyond it on either side the data cannot tell. */
    j = decide(-0.25, 0.25, up, 0.5, 3, 0.3);
    assert_int_equal(j.verdict, WE_HV_NO_EFFECT);
    assert_int_equal(j.why, WE_WHY_WITHIN);
    assert_int_equal(decide(-0.3, 0.3, up, 0.5, 3, 0.3).verdict,
                     WE_HV_NO_EFFECT);
    j = decide(-0.25, 0.35, up, 0.5, 3, 0.3);
    assert_int_equal(j.verdict, WE_HV_INCONCLUSIVE);
    assert_int_equal(j.why, WE_WHY_WIDE);
    assert_int_equal(decide(-0.35, 0.25, up, 0.5, 3, 0.3).verdict,
                     WE_HV_INCONCLUSIVE);
    assert_int_equal(decide(-INFINITY, 0.25, up, 0.5, 3, 0.3).verdict,
                     WE_HV_INCONCLUSIVE);
    /* No MDE and nothing configured: power unknown. */
    j = decide(-0.25, 0.25, up, 0.5, 3, NAN);
    assert_int_equal(j.verdict, WE_HV_INCONCLUSIVE);
    assert_int_equal(j.why, WE_WHY_POWER_UNKNOWN);
    assert_int_equal(j.smallest_from, WE_SMALLEST_NONE);
    /* Significant, but the catalogue gives no direction. */
    j = decide(0.25, 0.75, 0, 0.5, 3, 0.3);
    assert_int_equal(j.verdict, WE_HV_INCONCLUSIVE);
    assert_int_equal(j.why, WE_WHY_NO_DIRECTION);
    /* No interval, or no headline. */
    assert_int_equal(decide(NAN, NAN, up, 0.5, 3, 0.3).why,
                     WE_WHY_NO_HEADLINE);
    we_judge_input none = {.alpha = 0.05, .min_level = 3};
    we_judge_headline(&none, &j);
    assert_int_equal(j.verdict, WE_HV_INCONCLUSIVE);
    assert_int_equal(j.why, WE_WHY_NO_HEADLINE);
}

/* Better and worse are claims of an effect: they need the headline
 * significant after the adjustment within its experiment and across the
 * report's headlines, and better needs the evidence label that rests on
 * the same p (docs/evidence.md, "Verdict and label agree"). The old
 * rule read the interval alone and said better in every case below. */
static void test_adjusted_verdicts(void **state)
{
    (void)state;
    const int up = WE_HIGHER_IS_BETTER, down = WE_LOWER_IS_BETTER;
    const we_erkenning none = WE_ERKENNING_NONE, eerste = WE_ERKENNING_EERSTE;
    /* The demo's vernieuwend_welzijn: a good-side interval, p = 0.0265,
     * Holm 0.106 within the experiment and 0.053 across 8 headlines;
     * its label is "geen aanwijzingen". */
    we_judgement j =
        decide_adj(0.156, 0.905, up, 0.88, 3, 0.3, 0.106, 0.053, none);
    assert_int_equal(j.verdict, WE_HV_INCONCLUSIVE);
    assert_int_equal(j.why, WE_WHY_ADJUSTED);
    assert_true(j.p_claim == 0.106 && j.p_experiment == 0.106 &&
                j.p_headlines == 0.053 && j.n_headlines == 8);
    /* Significant within the experiment, not across the headlines. */
    j = decide_adj(0.25, 0.75, up, 0.5, 3, 0.3, 0.01, 0.06, eerste);
    assert_int_equal(j.verdict, WE_HV_INCONCLUSIVE);
    assert_int_equal(j.why, WE_WHY_ADJUSTED);
    assert_true(j.p_claim == 0.06);
    /* And the other way round. */
    j = decide_adj(0.25, 0.75, up, 0.5, 3, 0.3, 0.06, 0.01, eerste);
    assert_int_equal(j.why, WE_WHY_ADJUSTED);
    /* At alpha is not below it. */
    assert_int_equal(
        decide_adj(0.25, 0.75, up, 0.5, 3, 0.3, 0.05, 0.01, eerste).why,
        WE_WHY_ADJUSTED);
    /* Worse needs it too. */
    j = decide_adj(0.25, 0.75, down, 0.5, 3, 0.3, 0.2, 0.1, none);
    assert_int_equal(j.verdict, WE_HV_INCONCLUSIVE);
    assert_int_equal(j.why, WE_WHY_ADJUSTED);
    assert_int_equal(
        decide_adj(0.25, 0.75, down, 0.5, 3, 0.3, 0.01, 0.02, none).verdict,
        WE_HV_WORSE);
    /* Not significant after the adjustment but within the smallest
     * effect of interest: a relevant effect is still ruled out. */
    j = decide_adj(0.05, 0.25, up, 0.5, 3, 0.3, 0.2, 0.1, none);
    assert_int_equal(j.verdict, WE_HV_NO_EFFECT);
    assert_int_equal(j.why, WE_WHY_WITHIN);
    /* No adjusted p at all: no claim. */
    assert_int_equal(
        decide_adj(0.25, 0.75, up, 0.5, 3, 0.3, NAN, NAN, eerste).why,
        WE_WHY_ADJUSTED);
    /* One family missing: the other decides. */
    assert_int_equal(
        decide_adj(0.25, 0.75, up, 0.5, 3, 0.3, NAN, 0.01, eerste).verdict,
        WE_HV_BETTER);
    /* Significant after both, but the label is none (a before/after
     * headline with report.min_evidence_level 1, say): not better. */
    j = decide_adj(0.25, 0.75, up, 0.5, 3, 0.3, 0.01, 0.02, none);
    assert_int_equal(j.verdict, WE_HV_INCONCLUSIVE);
    assert_int_equal(j.why, WE_WHY_NO_LABEL);
    /* Significant after both, with a label: better. */
    j = decide_adj(0.25, 0.75, up, 0.5, 3, 0.3, 0.01, 0.02, eerste);
    assert_int_equal(j.verdict, WE_HV_BETTER);
    assert_true(j.p_claim == 0.02);
    /* The claim's p: the larger, NaN left out. */
    assert_true(we_judge_claim_p(0.1, 0.2) == 0.2);
    assert_true(we_judge_claim_p(0.3, 0.2) == 0.3);
    assert_true(we_judge_claim_p(NAN, 0.2) == 0.2);
    assert_true(we_judge_claim_p(0.1, NAN) == 0.1);
    assert_true(isnan(we_judge_claim_p(NAN, NAN)));
}

/* The smallest effect of interest: the experiment's, else the
 * indicator's, else the MDE; and the config's indicators are checked
 * against the catalogue. */
static void test_smallest_effect(void **state)
{
    run_fixture *f = *state;
    we_smallest_from from;
    we_experiment_cfg ec = {0};
    const we_result_rec *h = &f->res[0]; /* tevreden_pct, MDE 1.25 */
    assert_true(we_judge_smallest(&f->cfg, &ec, h, &from) == 1.25);
    assert_int_equal(from, WE_SMALLEST_MDE);
    we_smallest_cfg sm[2] = {{"wachttijd_dagen", 7.0, 3},
                             {"tevreden_pct", 4.0, 4}};
    f->cfg.smallest = sm;
    f->cfg.n_smallest = 2;
    assert_true(we_judge_smallest(&f->cfg, &ec, h, &from) == 4.0);
    assert_int_equal(from, WE_SMALLEST_INDICATOR);
    ec.smallest_effect = 0.5;
    assert_true(we_judge_smallest(&f->cfg, &ec, h, &from) == 0.5);
    assert_int_equal(from, WE_SMALLEST_EXPERIMENT);
    we_result_rec bare = {.indicator = "other"};
    assert_true(isnan(we_judge_smallest(&f->cfg, NULL, &bare, &from)));
    assert_int_equal(from, WE_SMALLEST_NONE);
    /* Through the run: samenhang's interval [1.5, 3.5] is better
     * whatever the smallest effect; bureaucratie's [-1.25, 0.75] with
     * credible pre-trends is no effect within +-7 days. */
    f->res2[0].x.pretrend_p = 0.5;
    f->res2[0].x.evidence.sms_level = 3;
    f->exps[1].evidence.sms_level = 3;
    we_judge_run(&f->cfg, &f->panel, &f->run);
    assert_int_equal(f->exps[1].judgement.verdict, WE_HV_NO_EFFECT);
    assert_true(f->exps[1].judgement.smallest == 7.0);
    sm[0].value = 1.0; /* now the interval reaches beyond it */
    we_judge_run(&f->cfg, &f->panel, &f->run);
    assert_int_equal(f->exps[1].judgement.verdict, WE_HV_INCONCLUSIVE);
    assert_int_equal(f->exps[1].judgement.why, WE_WHY_WIDE);
    /* The evidence minimum is the config's. */
    f->cfg.min_evidence_level = 4;
    we_judge_run(&f->cfg, &f->panel, &f->run);
    assert_int_equal(f->exps[0].judgement.verdict, WE_HV_NOT_CREDIBLE);
    assert_int_equal(f->exps[0].judgement.why, WE_WHY_EVIDENCE);
    f->cfg.min_evidence_level = 3;
    /* An indicator not in the catalogue is refused with its line. */
    we_error err = {{0}};
    assert_int_equal(we_judge_check(&f->cfg, &f->panel, &err), 0);
    sm[1].indicator = "tevreden";
    assert_int_equal(we_judge_check(&f->cfg, &f->panel, &err), WE_EINVAL);
    assert_non_null(strstr(err.msg, "configs/unit.cfg:4: "
                                    "report.smallest_effect: indicator "
                                    "'tevreden' is not in the catalogue"));
    f->cfg.smallest = NULL;
    f->cfg.n_smallest = 0;
}

/* ---- side effects
 * ----------------------------------------------------------- */

static void test_side_effects(void **state)
{
    run_fixture *f = *state;
    we_result_rec *w = &f->res[2]; /* wachttijd, secondary, lower better */
    assert_int_equal(we_side_effects_run(&f->cfg, &f->panel, &f->run), 0);
    assert_int_equal(f->run.n_side_effects, 0);
    /* Up significantly after the adjustment: worse, a side effect. */
    w->x.p_adjusted = 0.01;
    assert_int_equal(we_side_effects_run(&f->cfg, &f->panel, &f->run), 0);
    assert_int_equal(f->run.n_side_effects, 1);
    const we_side_effect *s = &f->run.side_effects[0];
    assert_int_equal(s->kind, WE_SIDE_SECONDARY);
    assert_int_equal(s->experiment, 0);
    assert_string_equal(s->indicator, "wachttijd_dagen");
    assert_int_equal(s->method, WE_METHOD_TWFE);
    assert_true(s->estimate == 1234.75 && s->p == 0.01);
    assert_true(s->lower_is_better);
    /* The adjusted p decides, not the raw one: at alpha, none. */
    w->x.p_adjusted = 0.05;
    w->est.p_value = 0.001;
    assert_int_equal(we_side_effects_run(&f->cfg, &f->panel, &f->run), 0);
    assert_int_equal(f->run.n_side_effects, 0);
    /* Significant in the good direction: no side effect. */
    w->x.p_adjusted = 0.01;
    w->est.estimate = -1234.75;
    assert_int_equal(we_side_effects_run(&f->cfg, &f->panel, &f->run), 0);
    assert_int_equal(f->run.n_side_effects, 0);
    /* A primary indicator is never a side effect. */
    f->res[1].x.p_adjusted = 0.001;
    f->res[1].est.estimate = -5;
    assert_int_equal(we_side_effects_run(&f->cfg, &f->panel, &f->run), 0);
    assert_int_equal(f->run.n_side_effects, 0);
    /* A before/after or gap change is not an effect: only designs with a
     * comparison group speak for a secondary. */
    w->est.estimate = 1234.75;
    w->est.method = WE_METHOD_GAP;
    assert_null(we_side_result(&f->exps[0], "wachttijd_dagen"));
    assert_int_equal(we_side_effects_run(&f->cfg, &f->panel, &f->run), 0);
    assert_int_equal(f->run.n_side_effects, 0);
    w->est.method = WE_METHOD_DID_2X2;
    assert_ptr_equal(we_side_result(&f->exps[0], "wachttijd_dagen"), w);
    w->est.method = WE_METHOD_TWFE;
    /* The displacement analysis's "displacement" rows follow. */
    we_disp_row rows[3] = {
        {.indicator = "tevreden_pct",
         .lower_is_better = 0,
         .est = {.method = WE_METHOD_TWFE,
                 .estimate = -2,
                 .ci_low = -3,
                 .ci_high = -1,
                 .p_value = 0.002},
         .verdict = WE_DISP_DISPLACEMENT},
        {.indicator = "wachttijd_dagen",
         .lower_is_better = 1,
         .verdict = WE_DISP_SPILLOVER},
        {.indicator = "wachttijd_dagen", .verdict = WE_DISP_NO_EVIDENCE}};
    we_disp_result d = {.rows = rows, .n_rows = 3};
    we_analysis_out out = {.name = "displacement", .result = &d};
    f->run.analyses = &out;
    f->run.n_analyses = 1;
    assert_int_equal(we_side_effects_run(&f->cfg, &f->panel, &f->run), 0);
    assert_int_equal(f->run.n_side_effects, 2);
    assert_int_equal(f->run.side_effects[0].kind, WE_SIDE_SECONDARY);
    s = &f->run.side_effects[1];
    assert_int_equal(s->kind, WE_SIDE_DISPLACEMENT);
    assert_int_equal(s->experiment, -1);
    assert_string_equal(s->indicator, "tevreden_pct");
    assert_true(s->estimate == -2 && s->p == 0.002);
    assert_string_equal(we_side_kind_name(s->kind), "displacement");
    f->run.analyses = NULL;
    f->run.n_analyses = 0;
    we_run_side_effects_free(&f->run);
    assert_null(f->run.side_effects);
}

static void test_warning_rules(void **state)
{
    run_fixture *f = *state;
    we_result_rec *r = &f->res2[0];
    /* Significant: not underpowered, however small. */
    r->est.p_value = 0.01;
    we_judge_result(&f->cfg, &f->panel, r);
    assert_false(r->x.underpowered);
    /* Not significant but at least the MDE. */
    r->est.p_value = 0.5;
    r->est.estimate = -2.5;
    we_judge_result(&f->cfg, &f->panel, r);
    assert_false(r->x.underpowered);
    r->est.estimate = -0.25;
    we_judge_result(&f->cfg, &f->panel, r);
    assert_true(r->x.underpowered);
    /* No MDE, or a result the host did not enrich: no warnings. */
    r->x.has_mde = 0;
    we_judge_result(&f->cfg, &f->panel, r);
    assert_false(r->x.underpowered);
    assert_true(r->x.pretrend_rejected);
    r->x.enriched = 0;
    we_judge_result(&f->cfg, &f->panel, r);
    assert_false(r->x.pretrend_rejected);
    r->x.enriched = 1;
    /* The pre-trend p at alpha is not below it. */
    r->x.pretrend_p = 0.05;
    we_judge_result(&f->cfg, &f->panel, r);
    assert_false(r->x.pretrend_rejected);
    /* Turning the headline around turns the experiment's verdict. */
    f->res[0].est.ci_low = -3.5;
    f->res[0].est.ci_high = -1.5;
    we_judge_run(&f->cfg, &f->panel, &f->run);
    assert_int_equal(f->exps[0].verdict, WE_VERDICT_WORSE);
    f->exps[0].headline = -1;
    we_judge_run(&f->cfg, &f->panel, &f->run);
    assert_int_equal(f->exps[0].verdict, WE_VERDICT_UNCLEAR);
}

/* ---- the headline family ------------------------------------------- */

/* The run's headlines form one family with the programme row's
 * (analysis/enrich.c we_enrich_headlines): Holm and BH across all of
 * them, and the label and verdict of every headline judged after the
 * family is complete. samenhang (raw and within-experiment p 0.02) is
 * better in a family of two (Holm 0.04) and no longer once the
 * programme row (p 0.03) joins (Holm 0.06); R's p.adjust(c(0.02, 0.625,
 * 0.03), "holm") = 0.06 0.625 0.06 and "BH" = 0.045 0.625 0.045. */
static void test_headline_family(void **state)
{
    run_fixture *f = *state;
    we_strmap *index = we_strmap_new(4);
    assert_non_null(index);
    assert_true(we_strmap_put(index, "tevreden_pct", 0) >= 0);
    assert_true(we_strmap_put(index, "wachttijd_dagen", 1) >= 0);
    f->panel.indicator_index = index;
    f->cfg.min_evidence_level = 2;
    we_result_rec *h = &f->res[0];
    h->est.p_value = h->x.p_holm = h->x.p_bh = h->x.p_adjusted = 0.02;
    we_enrich_env env = {.cfg = &f->cfg, .panel = &f->panel, .rd = &f->rd};

    /* Without the programme: a family of two (bureaucratie's 0.625). */
    assert_int_equal(we_enrich_headlines(&env, &f->run), 0);
    assert_int_equal(f->exps[0].n_headlines, 2);
    assert_true(fabs(f->exps[0].p_holm_headlines - 0.04) < 1e-15);
    assert_true(fabs(f->exps[0].p_bh_headlines - 0.04) < 1e-15);
    assert_true(isnan(f->exps[2].p_holm_headlines)); /* failed */
    assert_int_equal(f->exps[0].judgement.verdict, WE_HV_BETTER);
    assert_int_not_equal(f->exps[0].evidence.erkenning, WE_ERKENNING_NONE);

    /* The programme row joins: a family of three, for every member. */
    we_result_rec pres = *h;
    pres.est.p_value = pres.x.p_holm = pres.x.p_bh = pres.x.p_adjusted = 0.03;
    we_experiment_run prog = {.id = "programme",
                              .status = WE_EXP_OK,
                              .results = &pres,
                              .n_results = 1,
                              .headline = 0,
                              .design = WE_METHOD_TWFE,
                              .is_programme = 1,
                              .rd = &f->rd};
    f->run.programme = &prog;
    for (int pass = 0; pass < 2; pass++) { /* the same when called again */
        assert_int_equal(we_enrich_headlines(&env, &f->run), 0);
        assert_int_equal(f->exps[0].n_headlines, 3);
        assert_int_equal(f->exps[1].n_headlines, 3);
        assert_int_equal(prog.n_headlines, 3);
        assert_true(fabs(f->exps[0].p_holm_headlines - 0.06) < 1e-15);
        assert_true(fabs(prog.p_holm_headlines - 0.06) < 1e-15);
        assert_true(f->exps[1].p_holm_headlines == 0.625);
        assert_true(fabs(f->exps[0].p_bh_headlines - 0.045) < 1e-15);
        assert_true(fabs(prog.p_bh_headlines - 0.045) < 1e-15);
        assert_true(f->exps[1].p_bh_headlines == 0.625);
        /* samenhang's claim now rests on 0.06: no label, no verdict. */
        assert_int_equal(f->exps[0].evidence.erkenning, WE_ERKENNING_NONE);
        assert_int_equal(f->exps[0].judgement.verdict, WE_HV_INCONCLUSIVE);
        assert_int_equal(f->exps[0].judgement.why, WE_WHY_ADJUSTED);
        assert_int_equal(f->exps[0].judgement.n_headlines, 3);
        assert_true(fabs(f->exps[0].judgement.p_headlines - 0.06) < 1e-15);
        /* ... and the programme row is judged with the same family. */
        assert_int_equal(prog.judgement.verdict, WE_HV_INCONCLUSIVE);
        assert_int_equal(prog.judgement.why, WE_WHY_ADJUSTED);
        assert_int_equal(prog.judgement.n_headlines, 3);
        assert_int_equal(prog.evidence.erkenning, WE_ERKENNING_NONE);
        assert_non_null(prog.trend.indicator); /* its views too */
    }
    /* With Benjamini-Hochberg (0.045 across the headlines) both are
     * better again. */
    f->cfg.inference.adjust = WE_ADJUST_BH;
    assert_int_equal(we_enrich_headlines(&env, &f->run), 0);
    assert_int_equal(f->exps[0].judgement.verdict, WE_HV_BETTER);
    assert_int_equal(prog.judgement.verdict, WE_HV_BETTER);
    assert_int_not_equal(prog.evidence.erkenning, WE_ERKENNING_NONE);
    /* A programme row without a headline is left out of the family. */
    f->cfg.inference.adjust = WE_ADJUST_HOLM;
    prog.headline = -1;
    assert_int_equal(we_enrich_headlines(&env, &f->run), 0);
    assert_int_equal(f->exps[0].n_headlines, 2);
    assert_int_equal(prog.n_headlines, 2);
    assert_true(isnan(prog.p_holm_headlines));
    assert_true(fabs(f->exps[0].p_holm_headlines - 0.04) < 1e-15);
    assert_int_equal(f->exps[0].judgement.verdict, WE_HV_BETTER);
    we_trend_view_free(&prog.trend);
    we_wijk_view_free(&prog.per_wijk);
    f->run.programme = NULL;
    f->panel.indicator_index = NULL;
    we_strmap_free(index);
}

/* ---- the bootstrap's enumerated flag ------------------------------------ */

#define EA 8
#define ET 4

/* Eight areas, each its own cluster; four treated from period 2. */
typedef struct boot_case {
    long treated_from[EA];
    unsigned char in_sample[EA];
    int cluster[EA];
    size_t followup[2];
    double y[EA * ET];
    we_design d;
} boot_case;

static void boot_case_build(boot_case *c)
{
    for (int i = 0; i < EA; i++) {
        c->treated_from[i] = i < 4 ? 2 : -1;
        c->in_sample[i] = 1;
        c->cluster[i] = i;
        for (int t = 0; t < ET; t++)
            c->y[i * ET + t] = 10.0 + 0.5 * t + 0.25 * ((i * 7 + t * 3) % 5) +
                               (i < 4 && t >= 2 ? 1.0 : 0.0);
    }
    c->followup[0] = 2;
    c->followup[1] = 3;
    c->d = (we_design){EA, ET, c->treated_from, c->in_sample, c->cluster,
                       1, c->followup, 2, 0.05};
}

/* The flag the enrichment sets for a TWFE estimate made with `reps`
 * replications and the weights, and what the bootstrap itself said. */
static void check_enumerated(const boot_case *c, size_t reps, int webb,
                             int want)
{
    we_est_settings s = {.seed = 7, .alpha = 0.05, .wild = WE_WILD_ALWAYS,
                         .boot_webb = webb, .boot_reps = reps};
    we_result_rec r;
    memset(&r, 0, sizeof r);
    r.est.struct_size = sizeof r.est;
    we_est_call call = {.d = &c->d, .y = c->y, .method = WE_METHOD_TWFE,
                        .experiment = "e", .indicator = "y"};
    we_error err = {{0}};
    assert_int_equal(we_estimate_run(&s, &call, &r.est, NULL, &err), WE_OK);
    we_wild_options o = {.weights = webb ? WE_WEIGHTS_WEBB
                                         : WE_WEIGHTS_RADEMACHER,
                         .reps = reps, .seed = 7, .alpha = 0.05,
                         .want_ci = 1};
    we_wild_result w;
    assert_int_equal(we_twfe_wild(c->y, &c->d, &o, &w, &err), WE_OK);
    we_config cfg;
    we_config_set_defaults(&cfg);
    cfg.inference.boot_reps = reps;
    cfg.inference.boot_weights = webb;
    we_result_keep_cr1(&cfg, &r);
    assert_int_equal(w.enumerated, want);
    assert_int_equal(r.x.boot_enumerated, want);
    assert_int_equal(r.est.inference_reps, (long)w.reps);
}

static void test_enumerated_flag(void **state)
{
    (void)state;
    boot_case c;
    boot_case_build(&c);
    check_enumerated(&c, 999, 0, 1); /* 2^8 = 256 <= 999: every vector */
    check_enumerated(&c, 256, 0, 1);
    check_enumerated(&c, 255, 0, 0); /* random draws */
    check_enumerated(&c, 999, 1, 0); /* Webb never enumerates */
}

/* ---- views --------------------------------------------------------------- */

/* samenhang's primary (tevreden_pct, higher is better): area 0 is 5.125
 * behind the rest of its municipality at the baseline 2006, 2.125 at the
 * latest follow-up 2009, closing; area 3 likewise behind and closing. */
static void test_views(void **state)
{
    run_fixture *f = *state;
    const we_wijk_view *w = &f->exps[0].per_wijk;
    assert_int_equal(w->state, WE_WIJK_VIEW_OK);
    assert_string_equal(w->indicator, "tevreden_pct");
    assert_int_equal(w->n_wijken, 2);
    assert_int_equal(w->area[0], 0);
    assert_int_equal(w->area[1], 3);
    assert_int_equal(w->base, 1);
    assert_int_equal(w->latest, 4);
    assert_true(fabs(w->gap[1] - -5.125) < 1e-12);
    assert_true(fabs(w->gap[4] - -2.125) < 1e-12);
    assert_int_equal(w->status[0], WE_WIJK_CLOSING);
    assert_int_equal(w->n_behind, 2);
    assert_int_equal(w->n_closing, 2);
    const we_trend_view *t = &f->exps[0].trend;
    assert_string_equal(t->indicator, "tevreden_pct");
    assert_int_equal(t->n_periods, RF_PERIODS);
    assert_int_equal(t->treated.n_areas, 2);
    assert_int_equal(t->comparison.n_areas, 4);
    /* 2005: both treated areas at 56.25, no spread. */
    assert_true(fabs(t->treated.mean[0] - 56.25) < 1e-12);
    assert_true(fabs(t->treated.lo[0] - 56.25) < 1e-12);
    /* bureaucratie's wachttijd is the same in every area: no gap, and
     * lower is better does not make 0 a deficit. */
    const we_wijk_view *b = &f->exps[1].per_wijk;
    assert_int_equal(b->state, WE_WIJK_VIEW_OK);
    assert_int_equal(b->status[0], WE_WIJK_NO_DEFICIT);
    assert_true(b->gap[0] == 0);
    /* The failed experiment has none. */
    assert_null(f->exps[2].trend.indicator);
    assert_int_equal(f->exps[2].per_wijk.state, WE_WIJK_VIEW_NONE);
    /* Without a design: no views. */
    assert_int_equal(we_views_experiment(&f->cfg, &f->panel, NULL,
                                         &f->exps[0]), 0);
    assert_null(f->exps[0].trend.indicator);
    assert_int_equal(f->exps[0].per_wijk.state, WE_WIJK_VIEW_NONE);
}

/* Three members at period 0 (1, 2, 3): mean 2, sd 1, t(2) 4.302653;
 * period 1 has one value (a mean, no band); period 2 none. */
static void test_group_band(void **state)
{
    (void)state;
    const double y[4 * 3] = {1, 5, NAN, 2, NAN, NAN, 3, NAN, NAN,
                             100, 100, 100};
    const unsigned char member[4] = {1, 1, 1, 0};
    double mean[3], lo[3], hi[3];
    we_group_band_series(y, 4, 3, member, 0.05, mean, lo, hi);
    double half = 4.302652729911275 / sqrt(3.0);
    assert_true(fabs(mean[0] - 2) < 1e-12);
    assert_true(fabs(lo[0] - (2 - half)) < 1e-9);
    assert_true(fabs(hi[0] - (2 + half)) < 1e-9);
    assert_true(mean[1] == 5 && isnan(lo[1]) && isnan(hi[1]));
    assert_true(isnan(mean[2]) && isnan(lo[2]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verdict_rules),
        cmocka_unit_test_setup_teardown(test_judged_fixture, rf_setup,
                                        rf_teardown),
        cmocka_unit_test_setup_teardown(test_warning_rules, rf_setup,
                                        rf_teardown),
        cmocka_unit_test(test_headline_decisions),
        cmocka_unit_test(test_adjusted_verdicts),
        cmocka_unit_test_setup_teardown(test_smallest_effect, rf_setup,
                                        rf_teardown),
        cmocka_unit_test_setup_teardown(test_side_effects, rf_setup,
                                        rf_teardown),
        cmocka_unit_test(test_enumerated_flag),
        cmocka_unit_test_setup_teardown(test_views, rf_setup, rf_teardown),
        cmocka_unit_test_setup_teardown(test_headline_family, rf_setup,
                                        rf_teardown),
        cmocka_unit_test(test_group_band),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
