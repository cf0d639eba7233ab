/* report.html: one self-contained page (inline CSS and SVG, no script,
 * nothing fetched) that answers, for directors-general, which experiment
 * moved its outcomes, by how much, how sure we are and how strong the
 * evidence is. Front page, one section per experiment, method appendix. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

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
    we_h_esc(h, we_lang_run_title(c, h->lang));
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

/* The optional analyses' lines for experiment e (the costs), in its
 * verdict on the front page. */
void we_html_front_lines(const we_html *h, size_t e)
{
    for (size_t k = 0; k < h->run->n_analyses; k++) {
        const we_analysis_render *r = h->run->analyses[k].render;
        if (r != NULL && r->html_front != NULL)
            r->html_front(h, e);
    }
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

/* One row of the forest plot: x's headline as a standardised effect. */
static void forest_row(const we_html *h, const we_experiment_run *x,
                       we_forest_row *row, char *value, size_t n)
{
    const we_result_rec *r = we_report_headline(x);
    *row = (we_forest_row){.label = we_lang_title(x, h->lang),
                           .est = NAN,
                           .lo = NAN,
                           .hi = NAN,
                           .level = x->evidence.sms_level};
    if (r == NULL || !r->x.has_effect_size) {
        row->value = x->status == WE_EXP_OK ? NULL : we_tr(h->lang, T_FAILED);
        return;
    }
    const we_effect_size *es = &r->x.effect_size;
    row->est = es->glass_delta;
    row->lo = es->glass_low;
    row->hi = es->glass_high;
    forest_value(value, n, es, h->lang);
    row->value = value;
}

/* The experiments in verdict order, with the programme as a whole (the
 * general approach) on top, set apart. */
static int forest(const we_html *h, const size_t *order)
{
    const we_run *run = h->run;
    size_t top = run->programme != NULL ? 1 : 0;
    size_t n = run->n_experiments + top;
    we_forest_row *rows = calloc(n > 0 ? n : 1, sizeof *rows);
    char(*values)[96] = calloc(n > 0 ? n : 1, sizeof *values);
    we_forest_spec s = {.rows = rows,
                        .n_rows = n,
                        .fmt = h->fmt,
                        .title = we_tr(h->lang, T_FOREST_TITLE),
                        .axis_label = we_tr(h->lang, T_FOREST_AXIS),
                        .better = we_tr(h->lang, T_BETTER),
                        .no_estimate = we_tr(h->lang, T_NO_ESTIMATE),
                        .n_top = top};
    static const char *const levels[WE_SVG_LEVELS] = {
        NULL, "SMS 1", "SMS 2", "SMS 3", "SMS 4", "SMS 5"};
    int rc = -1;
    if (rows == NULL || values == NULL)
        goto out;
    for (int l = 0; l < WE_SVG_LEVELS; l++)
        s.level_names[l] = l == 0 ? we_tr(h->lang, T_NO_LEVEL) : levels[l];
    if (top)
        forest_row(h, run->programme, &rows[0], values[0], sizeof values[0]);
    for (size_t i = 0; i < run->n_experiments; i++)
        forest_row(h, &run->experiments[order[i]], &rows[top + i],
                   values[top + i], sizeof values[top + i]);
    fputs("<figure class=\"forest\">", h->f);
    we_svg_forest(h->f, &s);
    fputs("<figcaption>", h->f);
    we_h_tr(h, top ? T_FOREST_CAPTION_PROG : T_FOREST_CAPTION);
    fputs("</figcaption></figure>\n", h->f);
    rc = 0;
out:
    free(rows);
    free(values);
    return rc;
}

/* "5 december 2026" / "5 December 2026". */
static void long_date(const we_html *h, time_t t)
{
    static const char *const en[12] = {
        "January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December"};
    static const char *const nl[12] = {
        "januari", "februari", "maart", "april", "mei", "juni", "juli",
        "augustus", "september", "oktober", "november", "december"};
    struct tm tm;
    if (t == 0 || gmtime_r(&t, &tm) == NULL) {
        fputs("\xe2\x80\x94", h->f);
        return;
    }
    fprintf(h->f, "%d %s %d", tm.tm_mday,
            (h->lang == WE_LANG_NL ? nl : en)[tm.tm_mon], 1900 + tm.tm_year);
}

/* The newest modification date of the data files. */
static time_t data_files_date(const we_config *c)
{
    const char *paths[] = {c->areas_path, c->indicators_path, c->catalog_path};
    time_t newest = 0;
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        struct stat st;
        if (paths[i] != NULL && stat(paths[i], &st) == 0 &&
            st.st_mtime > newest)
            newest = st.st_mtime;
    }
    return newest;
}

/* Report date and data vintage: when the report was made, the latest
 * period in the data and the date of the data files. */
static void dateline(const we_html *h)
{
    const we_panel *p = h->run->panel;
    time_t files = data_files_date(h->run->cfg);
    fputs("<p class=\"dateline\"><span>", h->f);
    we_h_tr(h, T_REPORT_DATE);
    fputs(": <strong>", h->f);
    long_date(h, h->run->finished != 0 ? h->run->finished
                                       : h->run->started);
    fputs("</strong></span> <span>", h->f);
    we_h_tr(h, T_VINTAGE);
    fputs(": <strong>", h->f);
    we_h_tr(h, T_DATA_UNTIL);
    if (p->n_periods > 0 && p->periods != NULL)
        fprintf(h->f, " %d", p->periods[p->n_periods - 1]);
    fputs("</strong>", h->f);
    if (files != 0) {
        fputs(" (", h->f);
        we_h_tr(h, T_FILES_OF);
        fputc(' ', h->f);
        long_date(h, files);
        fputc(')', h->f);
    }
    fputs("</span></p>\n", h->f);
}

static void simulated_banner(const we_html *h)
{
    if (!h->run->cfg->simulated)
        return;
    fputs("<div class=\"simulated\" role=\"note\"><strong>", h->f);
    we_h_tr(h, T_SIMULATED_BANNER);
    fputs("</strong> \xc2\xb7 ", h->f);
    we_h_tr(h, T_SIM_TEXT);
    fputs("</div>\n", h->f);
}

static void toc_link(const we_html *h, const char *id, const char *text)
{
    fputs("<li><a href=\"#", h->f);
    we_h_esc(h, id);
    fputs("\">", h->f);
    we_h_esc(h, text);
    fputs("</a></li>", h->f);
}

/* The analyses' sections at one place, as html_analyses writes them. */
static void toc_analyses(const we_html *h, we_render_place at)
{
    for (size_t k = 0; k < h->run->n_analyses; k++) {
        const we_analysis_render *r = h->run->analyses[k].render;
        if (r == NULL)
            continue;
        for (size_t i = 0; i < WE_RENDER_MAX && r->toc[i].id != NULL; i++)
            if (r->toc[i].at == at &&
                (r->toc[i].wanted == NULL || r->toc[i].wanted(h->run)))
                toc_link(h, r->toc[i].id, we_tr(h->lang, r->toc[i].title));
    }
}

/* The table of contents: the front, the analyses' sections, the
 * experiments, the appendix. */
static void toc(const we_html *h)
{
    const we_run *run = h->run;
    fputs("<nav class=\"toc\" aria-label=\"toc\"><h2>", h->f);
    we_h_tr(h, T_CONTENTS);
    fputs("</h2>\n<ol>", h->f);
    toc_link(h, "glossary", we_tr(h->lang, T_GLOSSARY));
    toc_analyses(h, WE_PLACE_BEFORE_EXPERIMENTS);
    if (run->rd != NULL)
        toc_link(h, "per-municipality", we_tr(h->lang, T_MUNI_TITLE));
    fputs("<li>", h->f);
    we_h_tr(h, T_SECTIONS_EXPERIMENTS);
    fputs("<ol>", h->f);
    for (size_t i = 0; i < run->n_experiments; i++) {
        char id[160];
        snprintf(id, sizeof id, "exp-%s", run->experiments[i].id);
        toc_link(h, id, we_lang_title(&run->experiments[i], h->lang));
    }
    fputs("</ol></li>", h->f);
    toc_analyses(h, WE_PLACE_AFTER_EXPERIMENTS);
    toc_link(h, "appendix", we_tr(h->lang, T_APPENDIX));
    /* The folded per-wijk tables are left out of print (no page holds
     * only a folded line); said once, here. */
    fputs("</ol><p class=\"print-only note\">", h->f);
    we_h_tr(h, T_PRINT_WIJK);
    fputs("</p></nav>\n", h->f);
}

static void glossary(const we_html *h)
{
    static const we_text terms[] = {T_HV_NOTE, T_GLOSS_SMS, T_GLOSS_ERK,
                                    T_GLOSS_GLASS, T_GLOSS_CI};
    fputs("<section class=\"glossary\" id=\"glossary\"><h2>", h->f);
    we_h_tr(h, T_GLOSSARY);
    fputs("</h2>\n<ul>", h->f);
    for (size_t i = 0; i < sizeof terms / sizeof *terms; i++) {
        fputs("<li>", h->f);
        we_h_tr(h, terms[i]);
        fputs("</li>", h->f);
    }
    fputs("</ul></section>\n", h->f);
}

static int front(const we_html *h, const size_t *order)
{
    const we_config *c = h->run->cfg;
    simulated_banner(h);
    fputs("<header class=\"front\" id=\"top\">\n<p class=\"kicker\">"
          "wijkeval \xc2\xb7 ", h->f);
    we_h_tr(h, T_REPORT);
    fputs("</p>\n<h1>", h->f);
    we_h_esc(h, we_lang_run_title(c, h->lang));
    fputs("</h1>\n", h->f);
    dateline(h);
    /* The decision block, page 1 in print: the verdicts with their costs
     * and the side effects. */
    fputs("<div class=\"decision\" id=\"decision\">\n", h->f);
    we_html_verdicts(h, order);
    we_html_side_effects(h);
    fputs("</div>\n", h->f);
    we_html_since_previous(h);
    if (forest(h, order) != 0)
        return -1;
    fputs("<dl class=\"facts\">\n", h->f);
    facts_data(h);
    facts_design(h);
    fputs("</dl>\n</header>\n", h->f);
    toc(h);
    glossary(h);
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
    we_html_municipalities(&h);
    for (size_t i = 0; i < run->n_experiments; i++)
        we_html_experiment(&h, &run->experiments[i]);
    html_analyses(&h, WE_PLACE_AFTER_EXPERIMENTS);
    fputs("</main>\n", f);
    we_html_appendix(&h);
    fputs("</body>\n</html>\n", f);
    return 0;
}
