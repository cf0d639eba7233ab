/* One experiment's section of report.html: question, verdict, evidence
 * and warnings, indicators, headline, charts, results, metrics and the
 * per-wijk view. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_html_internal.h"
#include "report/report_internal.h"

static void exp_title(const we_html *h, const we_experiment_run *x)
{
    fputs("<h2>", h->f);
    we_h_esc(h, we_lang_title(x, h->lang));
    fputs(" <span class=\"id\">", h->f);
    we_h_esc(h, x->id);
    if (x->version != NULL && x->version[0] != '\0') {
        fputs(" \xc2\xb7 v", h->f);
        we_h_esc(h, x->version);
    }
    fputs("</span></h2>\n", h->f);
    const char *question = we_lang_summary(x, h->lang);
    if (question != NULL && question[0] != '\0') {
        fputs("<p class=\"question\"><span class=\"label\">", h->f);
        we_h_tr(h, T_QUESTION);
        fputs(":</span> ", h->f);
        we_h_esc(h, question);
        fputs("</p>\n", h->f);
    }
    fputs("<p class=\"question\"><span class=\"label\">", h->f);
    we_h_tr(h, T_ANSWERS);
    fputs(":</span> ", h->f);
    we_h_tr(h, (we_text)we_report_question_text(x));
    if (x->rd != NULL)
        fprintf(h->f, " (%s: %zu / %zu)", we_tr(h->lang, T_COMPARED_WITH),
                x->rd->n_treated, x->rd->n_comparison);
    fputs(".", h->f);
    if (x->n_overlap > 0) {
        fprintf(h->f, " %zu ", x->n_overlap);
        we_h_tr(h, T_OVERLAP);
        fputs(".", h->f);
    }
    fputs("</p>\n", h->f);
}

static void exp_evidence(const we_html *h, const we_experiment_run *x,
                         const we_result_rec *r)
{
    (void)r;
    fputs("<div class=\"evidence\"><p>", h->f);
    we_h_hverdict(h, x);
    fputs(" <strong>", h->f);
    we_h_tr(h, T_EVIDENCE);
    fputs(": ", h->f);
    we_h_evidence(h, &x->evidence);
    fputs("</strong></p>\n<p class=\"verdict-words\">", h->f);
    we_h_verdict_words(h, x, 1);
    fputs("</p>\n", h->f);
    const char *reasons = h->lang == WE_LANG_NL &&
                                  x->evidence.reasons_nl[0] != '\0'
                              ? x->evidence.reasons_nl
                              : x->evidence.reasons;
    if (reasons[0] != '\0') {
        fputs("<p class=\"reasons\">", h->f);
        we_h_esc(h, reasons);
        fputs("</p>", h->f);
    }
    fputs("</div>\n", h->f);
}

static void warning_open(const we_html *h)
{
    fputs("<div class=\"warning\" role=\"note\"><strong>\xe2\x9a\xa0 ", h->f);
    we_h_tr(h, T_WARNING);
    fputs(":</strong> ", h->f);
}

static void exp_warnings(const we_html *h, const we_result_rec *r)
{
    if (we_report_pretrend_rejected(h->run, r)) {
        warning_open(h);
        we_h_tr(h, T_PRETREND_REJECTED);
        fputs(" (", h->f);
        we_h_p_eq(h, r->x.pretrend_p);
        fputs("): ", h->f);
        we_h_tr(h, T_WARN_PRETREND);
        fputs("</div>\n", h->f);
    }
    if (we_report_underpowered(h->run, r)) {
        warning_open(h);
        we_h_tr(h, T_WARN_POWER1);
        fputs(" (", h->f);
        we_h_num(h, r->est.estimate);
        fputs(") ", h->f);
        we_h_tr(h, T_WARN_POWER2);
        fputs(" (", h->f);
        we_h_num(h, r->x.mde.mde);
        fputs(", ", h->f);
        we_h_p_eq(h, r->est.p_value);
        fputs(") ", h->f);
        we_h_tr(h, T_WARN_POWER3);
        fputs("</div>\n", h->f);
    }
}

static void indicator_row(const we_html *h, const we_result_rec *r)
{
    const we_catalog_rec *cat = we_report_catalog(h->run->panel,
                                                  r->indicator);
    fputs("<tr><td>", h->f);
    we_h_indicator(h, r->indicator);
    fputs("</td><td><code>", h->f);
    we_h_esc(h, r->indicator);
    fputs("</code></td><td>", h->f);
    we_h_tr(h, r->role == WE_ROLE_PRIMARY ? T_PRIMARY : T_SECONDARY);
    fputs("</td><td>", h->f);
    if (cat != NULL && cat->direction != WE_DIRECTION_FROM_CATALOG)
        we_h_tr(h, cat->direction == WE_HIGHER_IS_BETTER ? T_HIGHER_BETTER
                                                          : T_LOWER_BETTER);
    else
        fputs("\xe2\x80\x94", h->f);
    fputs("</td></tr>\n", h->f);
}

/* Each indicator once, in the order the plugin reported them. */
static void exp_indicators(const we_html *h, const we_experiment_run *x)
{
    fputs("<h3>", h->f);
    we_h_tr(h, T_INDICATORS);
    fputs("</h3>\n<table class=\"indicators\"><thead><tr><th>", h->f);
    we_h_tr(h, T_INDICATOR);
    fputs("</th><th>id</th><th>", h->f);
    we_h_tr(h, T_ROLE);
    fputs("</th><th>", h->f);
    we_h_tr(h, T_DIRECTION);
    fputs("</th></tr></thead><tbody>\n", h->f);
    for (size_t i = 0; i < x->n_results; i++) {
        size_t j = 0;
        while (j < i && strcmp(x->results[j].indicator,
                               x->results[i].indicator) != 0)
            j++;
        if (j == i)
            indicator_row(h, &x->results[i]);
    }
    fputs("</tbody></table>\n", h->f);
}

static void fact(const we_html *h, we_text label)
{
    fputs("<div><dt>", h->f);
    we_h_tr(h, label);
    fputs("</dt><dd>", h->f);
}

static void headline_effect(const we_html *h, const we_result_rec *r)
{
    fact(h, T_EFFECT);
    fputs("<strong>", h->f);
    we_h_num(h, r->est.estimate);
    fputs("</strong>", h->f);
    we_h_unit(h, r->indicator);
    fputs(", ", h->f);
    we_h_level(h);
    fputs("% ", h->f);
    we_h_tr(h, T_CI);
    fputc(' ', h->f);
    we_h_ci(h, r->est.ci_low, r->est.ci_high);
    fputs(", ", h->f);
    we_h_p_eq(h, r->est.p_value);
    fputs(" <span class=\"small\">(", h->f);
    we_h_inference(h, r);
    fputs(")</span>", h->f);
    /* An unbounded or empty interval says why and what to do, as in
     * report.md and report.json (issue 16). */
    char note[640];
    we_report_interval_note_lang(note, sizeof note, r, h->run->cfg->alpha,
                                 h->lang);
    if (note[0]) {
        fputs("<br><span class=\"small\">", h->f);
        we_h_tr(h, T_H_INTERVAL);
        we_h_esc(h, note);
        fputs("</span>", h->f);
    }
    fputs("</dd></div>\n", h->f);
    if (r->x.has_effect_size) {
        const we_effect_size *s = &r->x.effect_size;
        fact(h, T_STD_EFFECT);
        /* The possessive is English; Dutch writes Glass' (as in the
         * texts). */
        fputs(h->lang == WE_LANG_NL ? "Glass' \xce\x94 <strong>"
                                    : "Glass's \xce\x94 <strong>",
              h->f);
        we_h_num(h, s->glass_delta);
        fputs("</strong> ", h->f);
        we_h_ci(h, s->glass_low, s->glass_high);
        fputs(", Hedges' g ", h->f);
        we_h_num(h, s->hedges_g);
        fputc(' ', h->f);
        we_h_ci(h, s->hedges_low, s->hedges_high);
        fputs(" (", h->f);
        we_h_tr(h, T_POSITIVE_BETTER);
        fputs(")</dd></div>\n", h->f);
    }
}

/* A fact the host computed on the TWFE result when the headline is
 * another design says so in its label. */
static void fact_of(const we_html *h, we_text label, const we_result_rec *src,
                    const we_result_rec *r)
{
    fputs("<div><dt>", h->f);
    we_h_tr(h, label);
    if (src != r) {
        fputs(" (", h->f);
        we_h_esc(h, we_h_method(h, src->est.method));
        fputc(')', h->f);
    }
    fputs("</dt><dd>", h->f);
}

static void headline_ri(const we_html *h, const we_result_rec *src,
                        const we_result_rec *r)
{
    char reps[48];
    we_lang_count(reps, sizeof reps, src->x.ri.reps, h->lang);
    fact_of(h, T_RI, src, r);
    we_h_p_eq(h, src->x.ri.p_value);
    fprintf(h->f, " (%s ", reps);
    we_h_tr(h, T_PERMUTATIONS);
    if (h->run->cfg->inference.perm_strata) {
        fputc(' ', h->f);
        we_h_tr(h, T_WITHIN_MUNI);
    }
    fputs(")</dd></div>\n", h->f);
}

/* t: the TWFE result of the headline's indicator (r itself when the
 * headline is TWFE), which carries the randomisation inference and the
 * MDE. */
static void headline_checks(const we_html *h, const we_result_rec *r,
                            const we_result_rec *t)
{
    if (r->x.has_cr1) {
        fact(h, T_CR1);
        we_h_p_eq(h, r->x.p_cr1);
        fputs(", ", h->f);
        we_h_ci(h, r->x.ci_low_cr1, r->x.ci_high_cr1);
        fputs("</dd></div>\n", h->f);
    }
    const we_result_rec *src = r->x.has_ri || t == NULL ? r : t;
    if (src->x.has_ri)
        headline_ri(h, src, r);
    src = r->x.has_mde || t == NULL ? r : t;
    fact_of(h, T_MDE, src, r);
    if (src->x.has_mde && isinf(src->x.mde.mde)) {
        we_h_tr(h, T_MDE_NONE);
    } else if (!src->x.has_mde || !isfinite(src->x.mde.mde)) {
        we_h_tr(h, T_MDE_NA);
    } else {
        we_h_num(h, src->x.mde.mde);
        we_h_unit(h, src->indicator);
        fputs(" (", h->f);
        we_h_num(h, 100.0 * src->x.mde.power);
        fputs("% ", h->f);
        we_h_tr(h, T_POWER);
        fputs("; ", h->f);
        we_h_tr(h, src->x.mde.simulated ? T_MDE_SIM : T_MDE_ANALYTIC);
        fputc(')', h->f);
    }
    fputs("</dd></div>\n", h->f);
    if (r->x.descriptive) {
        fputs("<p class=\"note\">", h->f);
        we_h_tr(h, T_DESCRIPTIVE);
        fputs("</p>\n", h->f);
    }
}

/* The TWFE result of r's indicator: r itself, another result, or NULL. */
static const we_result_rec *twfe_of(const we_experiment_run *x,
                                    const we_result_rec *r)
{
    if (r == NULL || r->est.method == WE_METHOD_TWFE)
        return r;
    for (size_t i = 0; i < x->n_results; i++)
        if (x->results[i].est.method == WE_METHOD_TWFE &&
            strcmp(x->results[i].indicator, r->indicator) == 0)
            return &x->results[i];
    return NULL;
}

/* The pre-check's power, the sensitivity to trend violations and the
 * p-value adjusted across all headlines (docs/evidence.md,
 * docs/methods.md). */
static void headline_robustness(const we_html *h, const we_run *run,
                                const we_experiment_run *x,
                                const we_result_rec *r)
{
    if (!we_report_enriched(r))
        return;
    if (isfinite(r->x.pretest_power) || r->x.pretest_borrowed) {
        fact(h, T_PRETEST_POWER);
        if (isfinite(r->x.pretest_power)) {
            we_h_num(h, r->x.pretest_power);
            fputs(" (", h->f);
            we_h_tr(h, T_PRETEST_TEXT);
            fputc(' ', h->f);
            we_h_num(h, run->cfg->inference.pretest_power_min);
            fputc(')', h->f);
        } else {
            we_h_tr(h, T_PRETEST_BORROWED);
        }
        fputs("</dd></div>\n", h->f);
    }
    if (r->x.has_sensitivity) {
        const we_rm_sensitivity *s = &r->x.sensitivity;
        fact(h, T_SENSITIVITY);
        we_h_tr(h, T_SENS_CI);
        fputs(": ", h->f);
        we_h_ci(h, s->ci_low, s->ci_high);
        fputs("; ", h->f);
        /* "The conclusion survives" only where there is one: a better or
         * worse verdict. */
        int claim = x->judgement.verdict == WE_HV_BETTER ||
                    x->judgement.verdict == WE_HV_WORSE;
        if (!(s->breakdown_mbar > 0.0)) {
            we_h_tr(h, T_SENS_NONE);
        } else if (isinf(s->breakdown_mbar)) {
            we_h_tr(h, claim ? T_SENS_UNBOUNDED : T_SENS_EXCL_ANY);
        } else {
            we_h_tr(h, claim ? T_SENS_SURVIVES1 : T_SENS_EXCL1);
            fputs(" M\u0304* = ", h->f);
            we_h_num(h, s->breakdown_mbar);
            fputc(' ', h->f);
            we_h_tr(h, T_SENS_SURVIVES2);
        }
        if (r->x.sensitivity_borrowed) {
            fputs(" (", h->f);
            we_h_tr(h, T_SENS_BORROWED);
            fputc(')', h->f);
        }
        fputs("</dd></div>\n", h->f);
    }
    if (isfinite(x->p_holm_headlines)) {
        int bh = run->cfg->inference.adjust == WE_ADJUST_BH;
        fact(h, T_ADJ_HEADLINES);
        fputs(bh ? "BH " : "Holm ", h->f);
        we_h_p_eq(h, bh ? x->p_bh_headlines : x->p_holm_headlines);
        fputs(" (", h->f);
        we_h_tr(h, T_ADJ_WITHIN);
        fputs(": ", h->f);
        we_h_p_eq(h, r->x.p_adjusted);
        fputs(")</dd></div>\n", h->f);
    }
}

static void exp_headline(const we_html *h, const we_experiment_run *x,
                         const we_result_rec *r)
{
    if (r == NULL)
        return;
    fputs("<h3>", h->f);
    we_h_tr(h, T_HEADLINE);
    fputs("</h3>\n<p class=\"small\">", h->f);
    we_h_esc(h, we_h_method(h, r->est.method));
    fputc(' ', h->f);
    we_h_tr(h, T_HEADLINE_NOTE);
    fputs(": ", h->f);
    we_h_indicator(h, r->indicator);
    if (x->design_reason[0] != '\0') {
        fputs(". ", h->f);
        we_h_tr(h, T_DESIGN_USED);
        fputs(": ", h->f);
        we_h_esc(h, h->lang == WE_LANG_NL && x->design_reason_nl[0] != '\0'
                        ? x->design_reason_nl
                        : x->design_reason);
    }
    fputs("</p>\n<dl class=\"facts\">\n", h->f);
    headline_effect(h, r);
    headline_checks(h, r, twfe_of(x, r));
    headline_robustness(h, h->run, x, r);
    fputs("</dl>\n", h->f);
}

/* The event study behind the headline: its own, or (for a design whose
 * evidence borrows the TWFE pre-trend test) that of the TWFE result of
 * the same indicator. */
static const we_result_rec *event_source(const we_experiment_run *x,
                                         const we_result_rec *r)
{
    if (r != NULL && !r->x.has_event)
        r = twfe_of(x, r);
    return r != NULL && r->x.has_event ? r : NULL;
}

static void pretrend_line(const we_html *h, const we_event_result *ev)
{
    char reps[48];
    we_h_tr(h, T_PRETREND_TEST);
    fputs(": ", h->f);
    if (ev->pretrend_q == 0 || !isfinite(ev->pretrend_f)) {
        we_h_tr(h, T_NOT_AVAILABLE);
    } else {
        fprintf(h->f, "F(%zu, %zu) = ", ev->pretrend_q, ev->df);
        we_h_num(h, ev->pretrend_f);
        fputs(", ", h->f);
        we_h_p_eq(h, ev->pretrend_p);
        if (isfinite(ev->pretrend_boot_p)) {
            fputs("; ", h->f);
            we_h_tr(h, T_WILD);
            fputc(' ', h->f);
            we_h_p_eq(h, ev->pretrend_boot_p);
            we_lang_count(reps, sizeof reps, ev->pretrend_boot_reps, h->lang);
            fputs(" (", h->f);
            if (ev->pretrend_boot_enumerated)
                we_h_tr(h, T_ALL_SIGNS);
            else {
                fprintf(h->f, "%s ", reps);
                we_h_tr(h, T_DRAWS);
            }
            fputc(')', h->f);
        }
    }
    fputc('.', h->f);
    if (ev->note[0] != '\0') {
        fputc(' ', h->f);
        we_h_tr(h, T_NOTE);
        fputs(": ", h->f);
        we_h_esc(h, h->lang == WE_LANG_NL && ev->note_nl[0] != '\0'
                        ? ev->note_nl
                        : ev->note);
        fputc('.', h->f);
    }
}

static void exp_event(const we_html *h, const we_result_rec *r)
{
    if (!r->x.has_event)
        return;
    const we_event_result *ev = &r->x.event;
    we_event_point_svg *pts = calloc(ev->n_coef + 1, sizeof *pts);
    const we_catalog_rec *cat = we_report_catalog(h->run->panel,
                                                  r->indicator);
    char y_label[160], unit[96] = "";
    if (pts == NULL)
        return;
    if (cat != NULL && cat->unit != NULL)
        we_lang_unit_words(unit, sizeof unit, cat->unit, 1, h->lang);
    /* "Effect (per 1,000)", but "Effect in points (scale 0-10)": never a
     * bracket in a bracket. */
    if (strchr(unit, '(') != NULL)
        snprintf(y_label, sizeof y_label, "%s %s %s", we_tr(h->lang, T_EFFECT),
                 "in", unit);
    else
        snprintf(y_label, sizeof y_label, "%s%s%s%s", we_tr(h->lang, T_EFFECT),
                 unit[0] != '\0' ? " (" : "", unit,
                 unit[0] != '\0' ? ")" : "");
    for (size_t i = 0; i < ev->n_coef; i++)
        pts[i] = (we_event_point_svg){ev->coef[i].rel_time,
                                      ev->coef[i].estimate,
                                      ev->coef[i].ci_low, ev->coef[i].ci_high};
    we_event_spec s = {
        .pts = pts, .n = ev->n_coef, .ref = -1, .fmt = h->fmt,
        .title = we_tr(h->lang, T_EVENT_TITLE),
        .x_label = we_tr(h->lang, T_EVENT_X),
        .y_label = y_label,
        .ref_label = we_tr(h->lang, T_REFERENCE),
        .start_label = we_tr(h->lang, T_START),
        .pre_label = we_tr(h->lang, T_BEFORE_START),
        .post_label = we_tr(h->lang, T_AFTER_START)};
    fputs("<figure class=\"event\"><div class=\"fig-title\">", h->f);
    we_h_tr(h, T_EVENT_TITLE);
    fputs(" (", h->f);
    we_h_esc(h, we_h_method(h, r->est.method));
    fputs("): ", h->f);
    we_h_indicator(h, r->indicator);
    fputs("</div>", h->f);
    we_svg_event(h->f, &s);
    fputs("<figcaption>", h->f);
    we_h_tr(h, T_EVENT_CAPTION);
    fputc(' ', h->f);
    pretrend_line(h, ev);
    fputs("</figcaption></figure>\n", h->f);
    free(pts);
}

/* A row that starts the results of another indicator: its label, id
 * and role, across the table. */
static void result_group(const we_html *h, const we_result_rec *r)
{
    fputs("<tr class=\"group\"><th colspan=\"8\">", h->f);
    we_h_indicator(h, r->indicator);
    fputs(" <span class=\"id\">", h->f);
    we_h_tr(h, r->role == WE_ROLE_PRIMARY ? T_PRIMARY : T_SECONDARY);
    fputs("</span></th></tr>\n", h->f);
}

static void result_row(const we_html *h, const we_result_rec *r)
{
    const we_estimate *e = &r->est;
    int enriched = we_report_enriched(r);
    fputs("<tr><td>", h->f);
    we_h_mark(h, r);
    fputs("</td><td>", h->f);
    we_h_esc(h, we_h_method(h, e->method));
    if (e->method == WE_METHOD_GAP) {
        fputs(" (", h->f);
        we_h_tr(h, e->closing ? T_CLOSING : T_NOT_CLOSING);
        fputc(')', h->f);
    }
    fputs("</td><td class=\"num\">", h->f);
    we_h_num(h, e->estimate);
    fputs("</td><td class=\"num\">", h->f);
    we_h_ci(h, e->ci_low, e->ci_high);
    fputs("</td><td class=\"num\">", h->f);
    we_h_p(h, e->p_value);
    fputs("</td><td class=\"num\">", h->f);
    we_h_p(h, enriched ? r->x.p_adjusted : NAN);
    fputs("</td><td>", h->f);
    if (enriched && r->x.evidence.sms_level >= 1)
        fprintf(h->f, "SMS %d", r->x.evidence.sms_level);
    else
        fputs("\xe2\x80\x94", h->f);
    fputs("</td><td class=\"num\">", h->f);
    if (e->n_treated >= 0 && e->n_control >= 0)
        fprintf(h->f, "%ld / %ld", e->n_treated, e->n_control);
    else
        fputs("\xe2\x80\x94", h->f);
    fputs("</td></tr>\n", h->f);
}

static void exp_results(const we_html *h, const we_experiment_run *x)
{
    fputs("<h3>", h->f);
    we_h_tr(h, T_RESULTS);
    fputs("</h3>\n", h->f);
    if (x->n_results == 0) {
        fputs("<p>", h->f);
        we_h_tr(h, T_NO_RESULTS);
        fputs("</p>\n", h->f);
        return;
    }
    fputs("<div class=\"scroll\"><table class=\"results\"><thead><tr>"
          "<th><span class=\"sr\">",
          h->f);
    we_h_tr(h, T_DP_VERDICT);
    fputs("</span></th><th>", h->f);
    we_h_tr(h, T_METHOD);
    fputs("</th><th class=\"num\">", h->f);
    we_h_tr(h, T_ESTIMATE);
    fputs("</th><th class=\"num\">", h->f);
    we_h_level(h);
    fputs("% ", h->f);
    we_h_tr(h, T_CI);
    fputs("</th><th class=\"num\">p</th><th class=\"num\">", h->f);
    we_h_tr(h, T_ADJ_P);
    fprintf(h->f, " (%s)</th><th>",
            h->run->cfg->inference.adjust == WE_ADJUST_BH ? "BH" : "Holm");
    we_h_tr(h, T_EVIDENCE);
    fputs("</th><th class=\"num\">", h->f);
    we_h_tr(h, T_N);
    fputs("</th>", h->f);
    fputs("</tr></thead><tbody>\n", h->f);
    for (size_t i = 0; i < x->n_results; i++) {
        const we_result_rec *r = &x->results[i];
        if (i == 0 || strcmp(r->indicator, x->results[i - 1].indicator) != 0 ||
            r->role != x->results[i - 1].role)
            result_group(h, r);
        result_row(h, r);
    }
    fputs("</tbody></table></div>\n<p class=\"note\">", h->f);
    we_h_tr(h, T_MARK_NOTE);
    fputs("</p>\n", h->f);
}

static void exp_metrics(const we_html *h, const we_experiment_run *x)
{
    if (x->n_metrics == 0)
        return;
    fputs("<h3>", h->f);
    we_h_tr(h, T_METRICS);
    fputs("</h3>\n<table class=\"metrics\"><thead><tr><th>", h->f);
    we_h_tr(h, T_METRIC);
    fputs("</th><th class=\"num\">", h->f);
    we_h_tr(h, T_VALUE);
    fputs("</th><th>", h->f);
    we_h_tr(h, T_UNIT);
    fputs("</th><th>", h->f);
    we_h_tr(h, T_DESCRIPTION);
    fputs("</th></tr></thead><tbody>\n", h->f);
    for (size_t i = 0; i < x->n_metrics; i++) {
        const we_metric_rec *m = &x->metrics[i];
        char label[256], unit[96] = "";
        int nl = h->lang == WE_LANG_NL;
        /* A share is shown as a percentage. */
        int share = we_lang_unit_is_share(m->unit) &&
                    (!nl || m->unit_nl == NULL || m->unit_nl[0] == '\0');
        we_lang_metric_label(label, sizeof label, m, h->lang);
        if (nl && m->unit_nl != NULL && m->unit_nl[0] != '\0')
            snprintf(unit, sizeof unit, "%s", m->unit_nl);
        else if (m->unit != NULL)
            we_lang_unit_words(unit, sizeof unit, m->unit, 0, h->lang);
        fputs("<tr><td>", h->f);
        we_h_esc(h, label);
        fputs("</td><td class=\"num\">", h->f);
        we_h_num(h, share ? 100.0 * m->value : m->value);
        fputs("</td><td>", h->f);
        we_h_esc(h, unit);
        fputs("</td><td>", h->f);
        we_h_esc(h, nl && m->description_nl != NULL &&
                            m->description_nl[0] != '\0'
                        ? m->description_nl
                        : m->description);
        fputs("</td></tr>\n", h->f);
    }
    fputs("</tbody></table>\n", h->f);
}

/* The plugin's warnings (host->log), in its own words. */
static void exp_plugin_warnings(const we_html *h, const we_experiment_run *x)
{
    if (x->n_warnings == 0)
        return;
    fputs("<details class=\"plugin-warnings\"><summary>", h->f);
    we_h_tr(h, T_PLUGIN_WARNINGS);
    fprintf(h->f, " (%zu)</summary>\n<p class=\"note\">", x->n_warnings);
    we_h_tr(h, T_PLUGIN_WARNINGS_NOTE);
    fputs("</p>\n<ul>\n", h->f);
    for (size_t k = 0; k < x->n_warnings; k++) {
        fputs("<li>", h->f);
        we_h_esc(h, x->warnings[k]);
        fputs("</li>\n", h->f);
    }
    fputs("</ul></details>\n", h->f);
}

void we_html_experiment(const we_html *h, const we_experiment_run *x)
{
    fputs("<section class=\"experiment\" id=\"exp-", h->f);
    we_h_esc(h, x->id);
    fputs("\">\n", h->f);
    exp_title(h, x);
    if (x->status != WE_EXP_OK) {
        fputs("<div class=\"warning failed\" role=\"note\"><strong>", h->f);
        we_h_tr(h, T_FAILED_LONG);
        fputs(":</strong> ", h->f);
        we_h_esc(h, x->error != NULL ? x->error : "");
        fputs("</div>\n", h->f);
        exp_plugin_warnings(h, x);
        fputs("</section>\n", h->f);
        return;
    }
    const we_result_rec *r = we_report_headline(x);
    const we_result_rec *prim = we_report_primary(x);
    exp_evidence(h, x, r);
    exp_warnings(h, r);
    exp_indicators(h, x);
    exp_headline(h, x, r);
    if (prim != NULL)
        we_html_trend(h, x);
    if (event_source(x, r) != NULL)
        exp_event(h, event_source(x, r));
    exp_results(h, x);
    exp_metrics(h, x);
    if (prim != NULL)
        we_html_wijken(h, x);
    we_html_area_metrics(h, x);
    exp_plugin_warnings(h, x);
    fputs("</section>\n", h->f);
}
