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

/* The method's name: the English one of report.md, the Dutch of the
 * HTML. */
static const char *method_of(we_method m, we_lang l)
{
    return l == WE_LANG_NL ? we_lang_method(m, l) : method_label(m);
}

/* The indicator's unit after a value: the code in English, words in
 * Dutch (as the HTML), in buf; NULL when it has none. */
static const char *unit_of(char *buf, size_t n, const we_run *run,
                           const char *indicator, we_lang l)
{
    const we_catalog_rec *cat = we_report_catalog(run->panel, indicator);
    if (cat == NULL || cat->unit == NULL || cat->unit[0] == '\0')
        return NULL;
    if (l != WE_LANG_NL)
        return cat->unit;
    we_lang_unit_words(buf, n, cat->unit, 1, l);
    return buf;
}

/* The experiment's verdict, what happened and why. */
static void md_verdict(const we_run *run, FILE *f, const we_experiment_run *x)
{
    we_lang l = we_lang_of(run->cfg);
    char text[WE_SENTENCE];
    fprintf(f, "**%s:** %s %s. ", we_tr(l, T_MD_VERDICT),
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
    fputs(we_tr(l, T_MD_PRETREND_W1), f);
    we_md_p_eq(f, h->x.pretrend_p, l);
    fputs(we_tr(l, T_MD_PRETREND_W2), f);
}

static void md_effect_size(FILE *f, const we_result_rec *h, we_lang l)
{
    const we_effect_size *s = &h->x.effect_size;
    char b[40];
    if (!h->x.has_effect_size)
        return;
    fprintf(f, "%s %s ", we_tr(l, T_MD_ES1),
            we_md_num(b, sizeof b, s->glass_delta, l));
    we_md_ci(f, s->glass_low, s->glass_high, l);
    fprintf(f, ", Hedges' g %s ", we_md_num(b, sizeof b, s->hedges_g, l));
    we_md_ci(f, s->hedges_low, s->hedges_high, l);
    fputs(we_tr(l, T_MD_ES2), f);
}

static void md_cr1_ri(const we_run *run, FILE *f, const we_result_rec *h)
{
    we_lang l = we_lang_of(run->cfg);
    char lv[40];
    if (h->x.has_cr1) {
        fputs(we_tr(l, T_MD_CR1), f);
        we_md_p_eq(f, h->x.p_cr1, l);
        fprintf(f, ", %s%% %s ",
                we_md_ci_level(lv, sizeof lv, run->cfg->alpha, l),
                we_tr(l, T_CI));
        we_md_ci(f, h->x.ci_low_cr1, h->x.ci_high_cr1, l);
        fputs(".\n", f);
    }
    if (h->x.has_ri) {
        char reps[48];
        if (l == WE_LANG_NL)
            we_lang_count(reps, sizeof reps, (unsigned long long)h->x.ri.reps,
                          l);
        else
            we_report_grouped(reps, sizeof reps, h->x.ri.reps);
        fprintf(f, "- %s: ", we_tr(l, T_RI));
        we_md_p_eq(f, h->x.ri.p_value, l);
        fprintf(f, " (%s %s%s%s).\n", reps, we_tr(l, T_PERMUTATIONS),
                run->cfg->inference.perm_strata ? " " : "",
                run->cfg->inference.perm_strata ? we_tr(l, T_WITHIN_MUNI)
                                                : "");
    }
}

static void md_mde_line(const we_run *run, FILE *f, const we_result_rec *h)
{
    we_lang l = we_lang_of(run->cfg);
    const we_mde *m = &h->x.mde;
    char ub[96];
    const char *unit = unit_of(ub, sizeof ub, run, h->indicator, l);
    char b[40], pw[40];
    if (h->x.has_mde && isinf(m->mde)) {
        fprintf(f, "%s%s%s", we_tr(l, T_MD_MDE_NONE1),
                we_method_name(m->method), we_tr(l, T_MD_MDE_NONE2));
        return;
    }
    if (!h->x.has_mde || !isfinite(m->mde)) {
        fprintf(f, "- %s: %s.\n", we_tr(l, T_MDE), we_tr(l, T_MDE_NA));
        return;
    }
    fprintf(f, "%s%s", we_tr(l, T_MD_MDE1), we_md_num(b, sizeof b, m->mde, l));
    if (unit != NULL) {
        fputc(' ', f);
        we_md_cell(f, unit);
    }
    fprintf(f, "%s%s%%%s", we_tr(l, T_MD_MDE2),
            we_md_num(pw, sizeof pw, 100.0 * m->power, l),
            we_tr(l, T_MD_MDE3));
    if (m->simulated)
        fprintf(f, "%s%s%s%zu%s", we_tr(l, T_MD_MDE_SIM1),
                we_method_name(m->method), we_tr(l, T_MD_MDE_SIM2),
                m->sim_reps, we_tr(l, T_MD_MDE_SIM3));
    else
        fputs(we_tr(l, T_MD_MDE_ANALYTIC), f);
}

/* What produced the headline's p-value and interval, why an interval is
 * unbounded, and whether the row is descriptive only (issue 16). */
static void md_inference(const we_run *run, FILE *f, const we_result_rec *h)
{
    we_lang l = we_lang_of(run->cfg);
    char text[640];
    we_report_inference_text_lang(text, sizeof text, h, run->cfg, l);
    fputs(we_tr(l, T_MD_INF_FROM), f);
    we_md_cell(f, text);
    fputs(".\n", f);
    we_report_interval_note_lang(text, sizeof text, h, run->cfg->alpha, l);
    if (text[0]) {
        fputs(we_tr(l, T_MD_INTERVAL), f);
        we_md_cell(f, text);
        fputs(".\n", f);
    }
    if (h->x.descriptive) {
        fputs(we_tr(l, T_MD_DESCRIPTIVE), f);
        we_md_cell(f, l == WE_LANG_NL ? we_tr(l, T_MD_DESC_REASON)
                                      : h->x.descriptive_reason);
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
    fprintf(f, "> **%s:** %s (%s) %s (%s) %s (", we_tr(l, T_WARNING),
            we_tr(l, T_WARN_POWER1), we_md_num(a, sizeof a, e->estimate, l),
            we_tr(l, T_MD_POWER2), we_md_num(b, sizeof b, h->x.mde.mde, l),
            we_tr(l, T_MD_POWER3));
    we_md_p_eq(f, e->p_value, l);
    fputs(we_tr(l, T_MD_POWER4), f);
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
        fprintf(
            f, "%s%s%s%s).\n", we_tr(l, T_MD_PRETEST1),
            we_md_num(a, sizeof a, h->x.pretest_power, l),
            we_tr(l, T_MD_PRETEST2),
            we_md_num(b, sizeof b, run->cfg->inference.pretest_power_min, l));
    else if (h->x.pretest_borrowed)
        fputs(we_tr(l, T_MD_PRETEST_BORROWED), f);
    if (h->x.has_sensitivity) {
        const we_rm_sensitivity *s = &h->x.sensitivity;
        fputs(we_tr(l, T_MD_SENS1), f);
        if (h->x.sensitivity_borrowed)
            fprintf(f, ", %s", we_tr(l, T_SENS_BORROWED));
        fputs(we_tr(l, T_MD_SENS2), f);
        we_md_ci(f, s->ci_low, s->ci_high, l);
        /* "The conclusion survives" only where there is one: a better
         * or worse verdict. */
        int claim = x->judgement.verdict == WE_HV_BETTER ||
                    x->judgement.verdict == WE_HV_WORSE;
        if (!(s->breakdown_mbar > 0.0))
            fputs(we_tr(l, T_MD_SENS_NONE), f);
        else if (isinf(s->breakdown_mbar))
            fputs(we_tr(l, claim ? T_MD_SENS_ANY : T_MD_SENS_EXCL_ANY), f);
        else
            fprintf(f, "%s%s%s",
                    we_tr(l, claim ? T_MD_SENS_UPTO1 : T_MD_SENS_EXCL1),
                    we_md_num(a, sizeof a, s->breakdown_mbar, l),
                    we_tr(l, T_MD_SENS_UPTO2));
    }
    if (isfinite(x->p_holm_headlines)) {
        fputs(we_tr(l, T_MD_ADJ_ALL), f);
        we_md_p_eq(f, x->p_holm_headlines, l);
        fputs(", BH ", f);
        we_md_p_eq(f, x->p_bh_headlines, l);
        fputs(we_tr(l, T_MD_ADJ_WITHIN), f);
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
    fprintf(f, "%s%s%s", we_tr(l, T_MD_HEADLINE1), method_of(h->est.method, l),
            we_tr(l, T_MD_HEADLINE2));
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
    fprintf(f, "| %s %s | ", we_verdict_symbol(v), we_lang_verdict(v, l));
    we_md_indicator(f, run->panel, r->indicator, l);
    fprintf(
        f, " | %s | %s%s%s%s | %s | ",
        l == WE_LANG_NL
            ? we_tr(l, r->role == WE_ROLE_PRIMARY ? T_PRIMARY : T_SECONDARY)
            : we_report_role_name(r->role),
        method_of(e->method, l), e->method != WE_METHOD_GAP ? "" : " (",
        e->method != WE_METHOD_GAP ? ""
        : e->closing               ? we_tr(l, T_MD_CLOSING)
                                   : we_tr(l, T_MD_NOT_CLOSING),
        e->method != WE_METHOD_GAP ? "" : ")",
        we_md_num(b, sizeof b, e->estimate, l));
    we_md_ci(f, e->ci_low, e->ci_high, l);
    fprintf(f, " | %s", we_md_p(b, sizeof b, e->p_value, l));
    fprintf(f, " | %s | ",
            we_md_p(b, sizeof b, we_report_enriched(r) ? r->x.p_adjusted : NAN,
                    l));
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
        fprintf(f, "%s\n\n", we_tr(l, T_NO_RESULTS));
        return;
    }
    fprintf(f, "%s%s%s", we_tr(l, T_MD_RESULTS_H1),
            we_md_ci_level(lv, sizeof lv, run->cfg->alpha, l),
            we_tr(l, T_MD_RESULTS_H2));
    fputs("|---|---|---|---|---:|---|---:|---:|---|---:|\n", f);
    for (size_t i = 0; i < x->n_results; i++)
        md_result_row(run, f, &x->results[i]);
    fputs("\n", f);
    fputs(we_tr(l, T_MARK_NOTE), f);
    fputs("\n\n", f);
}

static void md_pretrend_line(FILE *f, const we_event_result *ev, we_lang l)
{
    char a[40], b[48];
    if (ev->pretrend_q == 0 || !isfinite(ev->pretrend_f)) {
        fprintf(f, "%s%s.", we_tr(l, T_MD_PRETREND_TEST),
                we_tr(l, T_NOT_AVAILABLE));
    } else {
        fprintf(f, "%s: F(%zu, %zu) = %s, ", we_tr(l, T_PRETREND_TEST),
                ev->pretrend_q, ev->df,
                we_md_num(a, sizeof a, ev->pretrend_f, l));
        we_md_p_eq(f, ev->pretrend_p, l);
        if (isfinite(ev->pretrend_boot_p)) {
            if (l == WE_LANG_NL)
                we_lang_count(b, sizeof b,
                              (unsigned long long)ev->pretrend_boot_reps, l);
            else
                we_report_grouped(b, sizeof b, ev->pretrend_boot_reps);
            fprintf(f, "; %s ", we_tr(l, T_WILD));
            we_md_p_eq(f, ev->pretrend_boot_p, l);
            fprintf(f, " (%s %s)",
                    ev->pretrend_boot_enumerated ? we_tr(l, T_MD_ALL) : b,
                    ev->pretrend_boot_enumerated ? we_tr(l, T_MD_SIGN_VECTORS)
                                                 : we_tr(l, T_DRAWS));
        }
        fputc('.', f);
    }
    if (ev->note[0] != '\0') {
        fprintf(f, " %s: ", we_tr(l, T_NOTE));
        we_md_cell(f, l == WE_LANG_NL && ev->note_nl[0] != '\0' ? ev->note_nl
                                                                : ev->note);
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
    fprintf(f, "%s%s%s|---:|---:|---|---:|\n", we_tr(l, T_MD_EVENT1),
            we_md_ci_level(lv, sizeof lv, run->cfg->alpha, l),
            we_tr(l, T_MD_EVENT2));
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

/* The metric's label, unit and description: as the plugin gave them in
 * English; in Dutch ABI 1.3's Dutch fields (label_nl, unit_nl,
 * description_nl) when set, as the HTML. */
static void md_metric_row(FILE *f, const we_metric_rec *m, we_lang l)
{
    char b[40], label[160], unit[96];
    int nl = l == WE_LANG_NL;
    int own_unit = nl && m->unit_nl != NULL && m->unit_nl[0] != '\0';
    /* A share is shown as a percentage, as in the HTML. */
    int share = nl && !own_unit && we_lang_unit_is_share(m->unit);
    fputs("| ", f);
    if (nl) {
        we_lang_metric_label(label, sizeof label, m, l);
        we_md_cell(f, label);
    } else {
        we_md_cell(f, m->name);
    }
    fprintf(f, " | %s | ",
            we_md_num(b, sizeof b, share ? 100.0 * m->value : m->value, l));
    if (nl && !own_unit && m->unit != NULL && m->unit[0] != '\0') {
        we_lang_unit_words(unit, sizeof unit, m->unit, 0, l);
        we_md_cell(f, unit);
    } else {
        we_md_cell(f, own_unit ? m->unit_nl : m->unit);
    }
    fputs(" | ", f);
    we_md_cell(f,
               nl && m->description_nl != NULL && m->description_nl[0] != '\0'
                   ? m->description_nl
                   : m->description);
    fputs(" |\n", f);
}

static void md_metrics(FILE *f, const we_experiment_run *x, we_lang l)
{
    if (x->n_metrics == 0)
        return;
    fprintf(f, "%s:\n\n| %s | %s | %s | %s |\n|---|---:|---|---|\n",
            we_tr(l, T_METRICS), we_tr(l, T_METRIC), we_tr(l, T_VALUE),
            we_tr(l, T_UNIT), we_tr(l, T_DESCRIPTION));
    for (size_t i = 0; i < x->n_metrics; i++)
        md_metric_row(f, &x->metrics[i], l);
    fputc('\n', f);
}

static void md_title(FILE *f, const we_experiment_run *x, we_lang l)
{
    fputs("## ", f);
    we_md_cell(f, we_md_exp_title(x, l));
    fputs(" (", f);
    we_md_cell(f, x->id);
    if (x->version != NULL && x->version[0] != '\0') {
        fputs(we_tr(l, T_MD_VERSION), f);
        we_md_cell(f, x->version);
    }
    fputs(")\n\n", f);
    const char *summary = l == WE_LANG_NL ? we_lang_summary(x, l) : x->summary;
    if (summary != NULL && summary[0] != '\0') {
        we_md_cell(f, summary);
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
        fputs(we_tr(l, T_MD_FAILED), f);
        we_md_cell(f, x->error != NULL ? x->error : we_tr(l, T_MD_NO_MESSAGE));
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
