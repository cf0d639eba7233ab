/* One experiment's section of report.md: its evidence and warnings, the
 * headline's details, the results, the event study and the metrics. */
#include <math.h>
#include <stdio.h>

#include "report/report_internal.h"
#include "report/report_lang.h"
#include "report/report_md_internal.h"
#include "report/report_verdict.h"

static const char *method_label(we_method m)
{
    switch (m) {
    case WE_METHOD_PRE_POST: return "before/after";
    case WE_METHOD_GAP: return "gap";
    case WE_METHOD_DID_2X2: return "DiD 2\xc3\x97" "2";
    case WE_METHOD_TWFE: return "TWFE";
    case WE_METHOD_CS: return "Callaway-Sant'Anna";
    case WE_METHOD_SC: return "synthetic control";
    case WE_METHOD_SDID: return "synthetic DiD";
    default: return "unknown";
    }
}

static const char *unit_of(const we_run *run, const char *indicator)
{
    const we_catalog_rec *cat = we_report_catalog(run->panel, indicator);
    return cat != NULL && cat->unit != NULL && cat->unit[0] != '\0'
               ? cat->unit
               : NULL;
}

/* The experiment's verdict, what happened and why. */
static void md_verdict(const we_run *run, FILE *f, const we_experiment_run *x)
{
    char text[WE_SENTENCE];
    fprintf(f, "**Verdict:** %s %s. ",
            we_hverdict_symbol(x->judgement.verdict),
            we_lang_hverdict(x->judgement.verdict, we_lang_of(run->cfg)));
    we_plain_sentence(text, sizeof text, run, x, we_lang_of(run->cfg));
    we_md_cell(f, text);
    fputc(' ', f);
    we_verdict_reason(text, sizeof text, run, x, we_lang_of(run->cfg));
    we_md_cell(f, text);
    fputs("\n\n", f);
}

static void md_evidence(const we_run *run, FILE *f,
                        const we_experiment_run *x)
{
    we_lang l = we_lang_of(run->cfg);
    if (x->evidence.reasons[0] == '\0')
        return;
    fprintf(f, "**%s:** ", we_tr(l, T_EVIDENCE));
    we_md_evidence(f, &x->evidence);
    fputs(". ", f);
    we_md_cell(f, l == WE_LANG_NL && x->evidence.reasons_nl[0] != '\0'
                      ? x->evidence.reasons_nl
                      : x->evidence.reasons);
    fputs("\n\n", f);
}

static void md_pretrend_warning(const we_run *run, FILE *f,
                                const we_result_rec *h)
{
    we_lang l = we_lang_of(run->cfg);
    if (!we_report_pretrend_rejected(run, h))
        return;
    fputs("> **Warning:** pre-trends rejected (", f);
    we_md_p_eq(f, h->x.pretrend_p, l);
    fputs("): the treated wijken already diverged before the start; the "
          "effect is not credible.\n\n", f);
}

static void md_effect_size(FILE *f, const we_result_rec *h, we_lang l)
{
    const we_effect_size *s = &h->x.effect_size;
    char b[40];
    if (!h->x.has_effect_size)
        return;
    fprintf(f, "- Standardised effect: Glass's \xce\x94 %s ",
            we_md_num(b, sizeof b, s->glass_delta, l));
    we_md_ci(f, s->glass_low, s->glass_high, l);
    fprintf(f, ", Hedges' g %s ", we_md_num(b, sizeof b, s->hedges_g, l));
    we_md_ci(f, s->hedges_low, s->hedges_high, l);
    fputs(" (positive is an improvement).\n", f);
}

static void md_cr1_ri(const we_run *run, FILE *f, const we_result_rec *h)
{
    we_lang l = we_lang_of(run->cfg);
    char lv[40];
    if (h->x.has_cr1) {
        fputs("- Analytic CR1 instead of the bootstrap: ", f);
        we_md_p_eq(f, h->x.p_cr1, l);
        fprintf(f, ", %s%% CI ", we_md_ci_level(lv, sizeof lv,
                                                run->cfg->alpha, l));
        we_md_ci(f, h->x.ci_low_cr1, h->x.ci_high_cr1, l);
        fputs(".\n", f);
    }
    if (h->x.has_ri) {
        char reps[48];
        we_report_grouped(reps, sizeof reps, h->x.ri.reps);
        fputs("- Randomisation inference: ", f);
        we_md_p_eq(f, h->x.ri.p_value, l);
        fprintf(f, " (%s permutations of the treatment paths%s).\n", reps,
                run->cfg->inference.perm_strata ? " within municipalities"
                                                : "");
    }
}

static void md_mde_line(const we_run *run, FILE *f, const we_result_rec *h)
{
    we_lang l = we_lang_of(run->cfg);
    const we_mde *m = &h->x.mde;
    const char *unit = unit_of(run, h->indicator);
    char b[40], pw[40];
    if (h->x.has_mde && isinf(m->mde)) {
        fprintf(f, "- Minimum detectable effect: none; no effect is "
                   "detectable, since the smallest placebo p-value this "
                   "design can attain exceeds alpha (simulated from the %s "
                   "estimator).\n", we_method_name(m->method));
        return;
    }
    if (!h->x.has_mde || !isfinite(m->mde)) {
        fputs("- Minimum detectable effect: not available for this "
              "indicator.\n", f);
        return;
    }
    fprintf(f, "- This design could only detect effects larger than %s",
            we_md_num(b, sizeof b, m->mde, l));
    if (unit != NULL) {
        fputc(' ', f);
        we_md_cell(f, unit);
    }
    fprintf(f, " (in the indicator's unit) with %s%% power",
            we_md_num(pw, sizeof pw, 100.0 * m->power, l));
    if (m->simulated)
        fprintf(f, " (by simulation: the spread of the %s estimate over "
                   "%zu simulated panels without an effect).\n",
                we_method_name(m->method), m->sim_reps);
    else
        fputs(" (analytic, for TWFE with CR1).\n", f);
}

/* What produced the headline's p-value and interval, why an interval is
 * unbounded, and whether the row is descriptive only (issue 16). */
static void md_inference(const we_run *run, FILE *f, const we_result_rec *h)
{
    char text[320];
    we_report_inference_text(text, sizeof text, h, run->cfg);
    fputs("- p-value and interval from: ", f);
    we_md_cell(f, text);
    fputs(".\n", f);
    we_report_interval_note(text, sizeof text, h, run->cfg->alpha);
    if (text[0]) {
        fputs("- Interval ", f);
        we_md_cell(f, text);
        fputs(".\n", f);
    }
    if (h->x.descriptive) {
        fputs("- Descriptive only, no evidence level: ", f);
        we_md_cell(f, h->x.descriptive_reason);
        fputs(".\n", f);
    }
}

static void md_power_warning(const we_run *run, FILE *f,
                             const we_result_rec *h)
{
    we_lang l = we_lang_of(run->cfg);
    const we_estimate *e = &h->est;
    char a[40], b[40];
    if (!we_report_underpowered(run, h))
        return;
    fprintf(f, "> **Warning:** underpowered: the estimate (%s) is smaller "
               "than the minimum detectable effect (%s) and not "
               "significant (",
            we_md_num(a, sizeof a, e->estimate, l),
            we_md_num(b, sizeof b, h->x.mde.mde, l));
    we_md_p_eq(f, e->p_value, l);
    fputs("): this design would usually miss a true effect of that size, "
          "so the result does not rule out a small effect.\n\n", f);
}

/* Pre-check power, sensitivity to trend violations, and the p-value
 * adjusted across all headlines of the run. */
static void md_robustness(const we_run *run, FILE *f,
                          const we_experiment_run *x, const we_result_rec *h)
{
    we_lang l = we_lang_of(run->cfg);
    char a[40], b[40];
    if (!we_report_enriched(h))
        return;
    if (isfinite(h->x.pretest_power))
        fprintf(f, "- Power of the pre-period check against a linear "
                   "pre-trend that would bias the estimate by the MDE at "
                   "the last period: %s (level 3 needs at least %s).\n",
                we_md_num(a, sizeof a, h->x.pretest_power, l),
                we_md_num(b, sizeof b,
                          run->cfg->inference.pretest_power_min, l));
    else if (h->x.pretest_borrowed)
        fputs("- Power of the pre-period check: not computed; this design "
              "has no pre-period check of its own here, so it cannot reach "
              "level 3.\n", f);
    if (h->x.has_sensitivity) {
        const we_rm_sensitivity *s = &h->x.sensitivity;
        fputs("- Sensitivity to parallel-trend violations (Rambachan-Roth "
              "relative magnitudes, Bonferroni projection", f);
        if (h->x.sensitivity_borrowed)
            fputs(", from the TWFE event study of the same indicator", f);
        fputs("): robust interval at Mbar = 1: ", f);
        we_md_ci(f, s->ci_low, s->ci_high, l);
        if (!(s->breakdown_mbar > 0.0))
            fputs("; the interval contains 0 even without violations.\n",
                  f);
        else if (isinf(s->breakdown_mbar))
            fputs("; the conclusion survives any violation (the leads show "
                  "no change).\n", f);
        else
            fprintf(f, "; the conclusion survives trend violations up to "
                       "Mbar* = %s times the largest pre-period one.\n",
                    we_md_num(a, sizeof a, s->breakdown_mbar, l));
    }
    if (isfinite(x->p_holm_headlines)) {
        fputs("- Adjusted across all headlines of the report: Holm ", f);
        we_md_p_eq(f, x->p_holm_headlines, l);
        fputs(", BH ", f);
        we_md_p_eq(f, x->p_bh_headlines, l);
        fputs(" (within the experiment: ", f);
        we_md_p_eq(f, h->x.p_adjusted, l);
        fputs(").\n", f);
    }
}

static void md_headline(const we_run *run, FILE *f,
                        const we_experiment_run *x, const we_result_rec *h)
{
    we_lang l = we_lang_of(run->cfg);
    if (h == NULL)
        return;
    md_pretrend_warning(run, f, h);
    fprintf(f, "Headline: %s on ", method_label(h->est.method));
    we_md_indicator(f, run->panel, h->indicator, l);
    fputs(".\n\n", f);
    md_effect_size(f, h, l);
    md_inference(run, f, h);
    md_cr1_ri(run, f, h);
    md_mde_line(run, f, h);
    md_robustness(run, f, x, h);
    fputc('\n', f);
    md_power_warning(run, f, h);
}

static void md_result_row(const we_run *run, FILE *f, const we_result_rec *r)
{
    we_lang l = we_lang_of(run->cfg);
    const we_estimate *e = &r->est;
    char b[40], n1[24], n2[24];
    we_verdict v = we_report_enriched(r) ? r->x.verdict : WE_VERDICT_UNCLEAR;
    fprintf(f, "| %s %s | ", we_verdict_symbol(v),
            we_lang_verdict(v, WE_LANG_EN));
    we_md_indicator(f, run->panel, r->indicator, l);
    fprintf(f, " | %s | %s%s | %s | ", we_report_role_name(r->role),
            method_label(e->method),
            e->method != WE_METHOD_GAP ? ""
            : e->closing               ? " (closing)"
                                       : " (not closing)",
            we_md_num(b, sizeof b, e->estimate, l));
    we_md_ci(f, e->ci_low, e->ci_high, l);
    fprintf(f, " | %s", we_md_p(b, sizeof b, e->p_value, l));
    fprintf(f, " | %s | ",
            we_md_p(b, sizeof b,
                    we_report_enriched(r) ? r->x.p_adjusted : NAN, l));
    if (we_report_enriched(r) && r->x.evidence.sms_level >= 1)
        fprintf(f, "SMS %d", r->x.evidence.sms_level);
    else
        fputs(WE_MD_DASH, f);
    snprintf(n1, sizeof n1, "%ld", e->n_treated);
    snprintf(n2, sizeof n2, "%ld", e->n_control);
    fprintf(f, " | %s / %s |\n", e->n_treated >= 0 ? n1 : WE_MD_DASH,
            e->n_control >= 0 ? n2 : WE_MD_DASH);
}

static void md_results(const we_run *run, FILE *f, const we_experiment_run *x)
{
    we_lang l = we_lang_of(run->cfg);
    char lv[40];
    if (x->n_results == 0) {
        fputs("No results were reported.\n\n", f);
        return;
    }
    fprintf(f,
            "| Mark | Indicator | Role | Method | Estimate | %s%% CI | p "
            "| Adjusted p | Evidence | Treated / control |\n"
            "|---|---|---|---|---:|---|---:|---:|---|---:|\n",
            we_md_ci_level(lv, sizeof lv, run->cfg->alpha, l));
    for (size_t i = 0; i < x->n_results; i++)
        md_result_row(run, f, &x->results[i]);
    fputs("\n", f);
    fputs(we_tr(WE_LANG_EN, T_MARK_NOTE), f);
    fputs("\n\n", f);
}

static void md_pretrend_line(FILE *f, const we_event_result *ev, we_lang l)
{
    char a[40], b[48];
    if (ev->pretrend_q == 0 || !isfinite(ev->pretrend_f)) {
        fputs("Pre-trend test: not available.", f);
    } else {
        fprintf(f, "Pre-trend test (all leads zero): F(%zu, %zu) = %s, ",
                ev->pretrend_q, ev->df, we_md_num(a, sizeof a,
                                                  ev->pretrend_f, l));
        we_md_p_eq(f, ev->pretrend_p, l);
        if (isfinite(ev->pretrend_boot_p)) {
            we_report_grouped(b, sizeof b, ev->pretrend_boot_reps);
            fputs("; wild cluster bootstrap ", f);
            we_md_p_eq(f, ev->pretrend_boot_p, l);
            fprintf(f, " (%s %s)", ev->pretrend_boot_enumerated ? "all" : b,
                    ev->pretrend_boot_enumerated ? "sign vectors" : "draws");
        }
        fputc('.', f);
    }
    if (ev->note[0] != '\0') {
        fputs(" Note: ", f);
        we_md_cell(f, ev->note);
        fputc('.', f);
    }
    fputs("\n\n", f);
}

static void md_event_study(const we_run *run, FILE *f,
                           const we_result_rec *h)
{
    we_lang l = we_lang_of(run->cfg);
    char lv[40], b[40];
    if (h == NULL || !h->x.has_event)
        return;
    const we_event_result *ev = &h->x.event;
    fprintf(f, "Event study of the headline (event time 0 is the first "
               "treated period; -1, the period before, is the reference):"
               "\n\n| Event time | Estimate | %s%% CI | Treated |\n"
               "|---:|---:|---|---:|\n",
            we_md_ci_level(lv, sizeof lv, run->cfg->alpha, l));
    for (size_t i = 0; i < ev->n_coef; i++) {
        const we_event_coef *c = &ev->coef[i];
        fprintf(f, "| %d | %s | ", c->rel_time,
                we_md_num(b, sizeof b, c->estimate, l));
        we_md_ci(f, c->ci_low, c->ci_high, l);
        fprintf(f, " | %ld |\n", c->n_treated);
    }
    fputc('\n', f);
    md_pretrend_line(f, ev, l);
}

/* The plugin's warnings (host->log), in the report's language. */
static void md_plugin_warnings(const we_run *run, FILE *f,
                               const we_experiment_run *x)
{
    we_lang l = we_lang_of(run->cfg);
    if (x->n_warnings == 0)
        return;
    fprintf(f, "**%s:**\n\n", we_tr(l, T_PLUGIN_WARNINGS));
    for (size_t k = 0; k < x->n_warnings; k++) {
        fputs("- ", f);
        we_md_cell(f, x->warnings[k]);
        fputc('\n', f);
    }
    fputc('\n', f);
}

static void md_metrics(FILE *f, const we_experiment_run *x, we_lang l)
{
    char b[40];
    if (x->n_metrics == 0)
        return;
    fputs("Domain metrics:\n\n| Metric | Value | Unit | Description |\n"
          "|---|---:|---|---|\n", f);
    for (size_t i = 0; i < x->n_metrics; i++) {
        const we_metric_rec *m = &x->metrics[i];
        fputs("| ", f);
        we_md_cell(f, m->name);
        fprintf(f, " | %s | ", we_md_num(b, sizeof b, m->value, l));
        we_md_cell(f, m->unit);
        fputs(" | ", f);
        we_md_cell(f, m->description);
        fputs(" |\n", f);
    }
    fputc('\n', f);
}

static void md_title(FILE *f, const we_experiment_run *x, we_lang l)
{
    fputs("## ", f);
    we_md_cell(f, we_md_exp_title(x, l));
    fputs(" (", f);
    we_md_cell(f, x->id);
    if (x->version != NULL && x->version[0] != '\0') {
        fputs(", version ", f);
        we_md_cell(f, x->version);
    }
    fputs(")\n\n", f);
    if (x->summary != NULL && x->summary[0] != '\0') {
        we_md_cell(f, x->summary);
        fputs("\n\n", f);
    }
}

/* Which question the number answers, and its own wijken. */
static void md_question(const we_run *run, FILE *f,
                        const we_experiment_run *x)
{
    we_lang l = we_lang_of(run->cfg);
    fprintf(f, "**%s:** %s", we_tr(l, T_ANSWERS),
            we_tr(l, (we_text)we_report_question_text(x)));
    if (x->rd != NULL)
        fprintf(f, " (%s: %zu / %zu)", we_tr(l, T_COMPARED_WITH),
                x->rd->n_treated, x->rd->n_comparison);
    fputs(".", f);
    if (x->n_overlap > 0)
        fprintf(f, " %zu %s.", x->n_overlap, we_tr(l, T_OVERLAP));
    fputs("\n\n", f);
}

void we_md_experiment(const we_run *run, FILE *f,
                      const we_experiment_run *x)
{
    we_lang l = we_lang_of(run->cfg);
    md_title(f, x, l);
    if (x->status != WE_EXP_OK) {
        fputs("**Failed:** ", f);
        we_md_cell(f, x->error != NULL ? x->error : "no message");
        fputs("\n\n", f);
        md_plugin_warnings(run, f, x);
        return;
    }
    const we_result_rec *h = we_report_headline(x);
    md_verdict(run, f, x);
    md_question(run, f, x);
    md_evidence(run, f, x);
    if (x->design_reason[0] != '\0') {
        int nl = we_lang_of(run->cfg) == WE_LANG_NL;
        fprintf(f, "**%s:** ", we_tr(we_lang_of(run->cfg), T_DESIGN_USED));
        we_md_cell(f, nl && x->design_reason_nl[0] != '\0'
                          ? x->design_reason_nl
                          : x->design_reason);
        fputs(".\n\n", f);
    }
    md_headline(run, f, x, h);
    md_results(run, f, x);
    md_event_study(run, f, h);
    md_metrics(f, x, l);
    md_plugin_warnings(run, f, x);
}
