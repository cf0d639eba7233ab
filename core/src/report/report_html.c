/* report.html: one self-contained page (inline CSS and SVG, no script,
 * nothing fetched) that answers, for directors-general, which experiment
 * moved its outcomes, by how much, how sure we are and how strong the
 * evidence is. Front page, one section per experiment, method appendix. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/design.h"
#include "report/report_analysis.h"
#include "report/report_html_internal.h"
#include "report/report_internal.h"

static void html_head(const we_html *h)
{
    const we_config *c = h->run->cfg;
    fprintf(h->f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
                  "<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, "
                  "initial-scale=1\">\n",
            we_lang_code(h->lang));
    /* Nothing may be fetched or run, even if a bug let markup through. */
    fputs("<meta http-equiv=\"Content-Security-Policy\" content=\""
          "default-src 'none'; style-src 'unsafe-inline'\">\n"
          "<meta name=\"generator\" content=\"wijkeval ", h->f);
    we_h_esc(h, h->run->version != NULL ? h->run->version : "");
    fputs("\">\n<title>", h->f);
    we_h_esc(h, c->title != NULL && c->title[0] != '\0' ? c->title : c->name);
    fprintf(h->f, "</title>\n<style>%s%s</style>\n</head>\n", we_html_css,
            h->run->since_previous != NULL ? we_html_css_since : "");
}

/* ---- front page ---------------------------------------------------------- */

static void facts_data(const we_html *h)
{
    const we_panel *p = h->run->panel;
    const we_config *c = h->run->cfg;
    fputs("<div><dt>", h->f);
    we_h_tr(h, T_DATA);
    fprintf(h->f, "</dt><dd>%zu ", p->n_areas);
    we_h_tr(h, T_AREAS);
    if (p->n_periods > 0 && p->periods != NULL) {
        fputs(", ", h->f);
        we_h_tr(h, T_PERIODS);
        fprintf(h->f, " %d\xe2\x80\x93%d", p->periods[0],
                p->periods[p->n_periods - 1]);
    }
    fputs("</dd></div>\n<div><dt>", h->f);
    we_h_tr(h, T_BASELINE);
    fprintf(h->f, "</dt><dd>%d", c->baseline);
    for (size_t i = 0; i < c->n_followup; i++) {
        if (i == 0) {
            fputs("; ", h->f);
            we_h_tr(h, T_FOLLOWUP);
        }
        fprintf(h->f, "%s%d", i == 0 ? " " : ", ", c->followup[i]);
    }
    fputs("</dd></div>\n", h->f);
}

/* The distinct first treated periods: the waves. */
static void wave_starts(const we_html *h)
{
    const we_run_design *rd = h->run->rd;
    const we_panel *p = h->run->panel;
    int first = 1;
    for (size_t t = 0; t < p->n_periods; t++) {
        int used = 0;
        for (size_t i = 0; !used && i < p->n_areas; i++)
            used = rd->treated_from[i] == (long)t;
        if (!used)
            continue;
        if (first) {
            fputs(" (", h->f);
            we_h_tr(h, T_WAVES);
            fputc(' ', h->f);
        }
        fprintf(h->f, "%s%d", first ? "" : ", ", p->periods[t]);
        first = 0;
    }
    if (!first)
        fputc(')', h->f);
}

static void facts_design(const we_html *h)
{
    const we_config *c = h->run->cfg;
    const we_run_design *rd = h->run->rd;
    fputs("<div><dt>", h->f);
    we_h_tr(h, T_DESIGN);
    fprintf(h->f, "</dt><dd>%zu ", rd != NULL ? rd->n_treated : c->n_treated);
    we_h_tr(h, T_TREATED_WIJKEN);
    if (rd != NULL) {
        wave_starts(h);
        fprintf(h->f, ", %zu ", rd->n_comparison);
        we_h_tr(h, T_COMPARISON_WIJKEN);
    }
    fputs("; ", h->f);
    we_h_tr(h, T_CLUSTERED);
    fputc(' ', h->f);
    we_h_tr(h, c->cluster == WE_CLUSTER_AREA ? T_BY_AREA : T_BY_MUNICIPALITY);
    fputs("; ", h->f);
    we_h_level(h);
    fputs("% ", h->f);
    we_h_tr(h, T_CI);
    fputs("</dd></div>\n", h->f);
}

static void verdict_effect(const we_html *h, const we_result_rec *r)
{
    we_h_indicator(h, r->indicator);
    fputs(": <strong>", h->f);
    we_h_num(h, r->est.estimate);
    fputs("</strong> ", h->f);
    we_h_ci(h, r->est.ci_low, r->est.ci_high);
    fputs(" \xc2\xb7 ", h->f);
}

static void verdict_line(const we_html *h, const we_experiment_run *x)
{
    const we_result_rec *r = we_report_headline(x);
    fputs("<li><a href=\"#exp-", h->f);
    we_h_esc(h, x->id);
    fputs("\">", h->f);
    we_h_esc(h, we_lang_title(x, h->lang));
    fputs("</a> ", h->f);
    if (x->status != WE_EXP_OK) {
        fputs("<span class=\"badge v-failed\">", h->f);
        we_h_tr(h, T_FAILED);
        fputs("</span> ", h->f);
        we_h_esc(h, x->error != NULL ? x->error : "");
        fputs("</li>\n", h->f);
        return;
    }
    we_h_verdict(h, r);
    fputs(" <span class=\"line\">", h->f);
    if (r != NULL)
        verdict_effect(h, r);
    else {
        we_h_tr(h, T_NO_ESTIMATE);
        fputs(" \xc2\xb7 ", h->f);
    }
    we_h_evidence(h, &x->evidence);
    fputs("</span></li>\n", h->f);
}

/* Two decimals: a standardised effect is read on a scale of tenths. */
static void forest_value(char *buf, size_t n, const we_effect_size *es,
                         we_lang l)
{
    size_t k;
    we_lang_fixed(buf, n, es->glass_delta, 2, l);
    k = strlen(buf);
    if (k + 1 < n) {
        buf[k++] = ' ';
        we_lang_ci_fixed(buf + k, n - k, es->glass_low, es->glass_high, 2, l);
    }
}

static int forest(const we_html *h, const size_t *order)
{
    const we_run *run = h->run;
    size_t n = run->n_experiments;
    we_forest_row *rows = calloc(n > 0 ? n : 1, sizeof *rows);
    char(*values)[96] = calloc(n > 0 ? n : 1, sizeof *values);
    we_forest_spec s = {.rows = rows, .n_rows = n, .fmt = h->fmt,
                        .title = we_tr(h->lang, T_FOREST_TITLE),
                        .axis_label = we_tr(h->lang, T_FOREST_AXIS),
                        .better = we_tr(h->lang, T_BETTER),
                        .no_estimate = we_tr(h->lang, T_NO_ESTIMATE)};
    static const char *const levels[WE_SVG_LEVELS] = {
        NULL, "SMS 1", "SMS 2", "SMS 3", "SMS 4", "SMS 5"};
    int rc = -1;
    if (rows == NULL || values == NULL)
        goto out;
    for (int l = 0; l < WE_SVG_LEVELS; l++)
        s.level_names[l] = l == 0 ? we_tr(h->lang, T_NO_LEVEL) : levels[l];
    for (size_t i = 0; i < n; i++) {
        const we_experiment_run *x = &run->experiments[order[i]];
        const we_result_rec *r = we_report_headline(x);
        rows[i] = (we_forest_row){.label = we_lang_title(x, h->lang),
                                  .est = NAN, .lo = NAN, .hi = NAN,
                                  .level = x->evidence.sms_level};
        if (r == NULL || !r->x.has_effect_size) {
            rows[i].value = x->status == WE_EXP_OK
                                ? NULL
                                : we_tr(h->lang, T_FAILED);
            continue;
        }
        const we_effect_size *es = &r->x.effect_size;
        rows[i].est = es->glass_delta;
        rows[i].lo = es->glass_low;
        rows[i].hi = es->glass_high;
        forest_value(values[i], sizeof values[i], es, h->lang);
        rows[i].value = values[i];
    }
    fputs("<figure class=\"forest\">", h->f);
    we_svg_forest(h->f, &s);
    fputs("<figcaption>", h->f);
    we_h_tr(h, T_FOREST_CAPTION);
    fputs("</figcaption></figure>\n", h->f);
    rc = 0;
out:
    free(rows);
    free(values);
    return rc;
}

static int front(const we_html *h, const size_t *order)
{
    const we_config *c = h->run->cfg;
    fputs("<header class=\"front\" id=\"top\">\n<p class=\"kicker\">"
          "wijkeval \xc2\xb7 ", h->f);
    we_h_tr(h, T_REPORT);
    fputs("</p>\n<h1>", h->f);
    we_h_esc(h, c->title != NULL && c->title[0] != '\0' ? c->title : c->name);
    fputs("</h1>\n<dl class=\"facts\">\n", h->f);
    facts_data(h);
    facts_design(h);
    fputs("</dl>\n<h2>", h->f);
    we_h_tr(h, T_VERDICTS);
    fputs("</h2>\n<ul class=\"verdicts\">\n", h->f);
    for (size_t i = 0; i < h->run->n_experiments; i++)
        verdict_line(h, &h->run->experiments[order[i]]);
    fputs("</ul>\n<p class=\"note\">", h->f);
    we_h_tr(h, T_VERDICT_NOTE);
    fputs("</p>\n", h->f);
    we_html_since_previous(h);
    if (forest(h, order) != 0)
        return -1;
    fputs("</header>\n", h->f);
    return 0;
}

/* The optional analyses' sections at one place, in the table's order. */
static void html_analyses(const we_html *h, we_render_place at)
{
    for (size_t k = 0; k < h->run->n_analyses; k++) {
        const we_analysis_render *r = h->run->analyses[k].render;
        if (r != NULL && r->html[at] != NULL)
            r->html[at](h);
    }
}

int we_report_html(const we_run *run, FILE *f, we_error *err)
{
    we_html h;
    we_html_init(&h, run, f);
    size_t *order = we_report_order_by_effect(run);
    if (order == NULL)
        return we_fail(err, WE_ENOMEM,
                       "out of memory ordering the experiments");
    html_head(&h);
    fputs("<body>\n", f);
    int rc = front(&h, order);
    free(order);
    if (rc != 0)
        return we_fail(err, WE_ENOMEM,
                       "out of memory drawing the forest plot");
    fputs("<main>\n", f);
    if (run->programme != NULL)
        we_html_experiment(&h, run->programme);
    html_analyses(&h, WE_PLACE_BEFORE_EXPERIMENTS);
    for (size_t i = 0; i < run->n_experiments; i++)
        we_html_experiment(&h, &run->experiments[i]);
    html_analyses(&h, WE_PLACE_AFTER_EXPERIMENTS);
    fputs("</main>\n", f);
    we_html_appendix(&h);
    fputs("</body>\n</html>\n", f);
    return 0;
}
