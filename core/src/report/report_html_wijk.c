/* The two views of report.html computed from the panel by the analysis
 * layer (analysis/views.c): the trend of treated against comparison
 * wijken, and where each treated wijk stands against its city (the gap,
 * achterstand). This file only lays them out. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/design.h"
#include "report/report_html_internal.h"
#include "report/report_internal.h"

static int no_view(const we_html *h, const we_trend_view *v)
{
    if (h->run->rd != NULL && v->indicator != NULL)
        return 0;
    fputs("<p class=\"note\">", h->f);
    we_h_tr(h, h->run->rd == NULL ? T_NO_DESIGN : T_NO_PRIMARY);
    fputs("</p>\n", h->f);
    return 1;
}

/* ---- trend ----------------------------------------------------------------- */

typedef struct trend_buf {
    char names[2][96];
    char labels[8][64];
    we_line_marker markers[8];
    size_t n_markers;
} trend_buf;

static void trend_markers(const we_html *h, trend_buf *b)
{
    const we_panel *p = h->run->panel;
    const we_run_design *rd = h->run->rd;
    snprintf(b->labels[0], sizeof b->labels[0], "%s %d",
             we_tr(h->lang, T_BASELINE_SHORT), p->periods[rd->baseline]);
    b->markers[0] = (we_line_marker){p->periods[rd->baseline], b->labels[0],
                                     1};
    b->n_markers = 1;
    for (size_t t = 0; t < p->n_periods && b->n_markers < 8; t++) {
        int used = 0;
        for (size_t i = 0; !used && i < p->n_areas; i++)
            used = rd->treated_from[i] == (long)t;
        if (!used)
            continue;
        snprintf(b->labels[b->n_markers], sizeof b->labels[0], "%s %d",
                 we_tr(h->lang, T_START), p->periods[t]);
        b->markers[b->n_markers] =
            (we_line_marker){p->periods[t], b->labels[b->n_markers], 0};
        b->n_markers++;
    }
}

static void trend_series(const we_html *h, const we_trend_view *v,
                         trend_buf *b, we_line_series *s)
{
    const we_text names[2] = {T_TREATED_MEAN, T_COMPARISON_MEAN};
    const we_group_band *g[2] = {&v->treated, &v->comparison};
    for (int k = 0; k < 2; k++) {
        snprintf(b->names[k], sizeof b->names[k], "%s (n = %zu)",
                 we_tr(h->lang, names[k]), g[k]->n_areas);
        s[k] = (we_line_series){b->names[k], g[k]->mean, g[k]->lo,
                                g[k]->hi};
    }
}

static void trend_figure(const we_html *h, const char *indicator,
                         const we_line_spec *spec)
{
    fputs("<figure class=\"trend\"><div class=\"fig-title\">", h->f);
    we_h_tr(h, T_TREND_TITLE);
    fputs(": ", h->f);
    we_h_indicator(h, indicator);
    fputs("</div>", h->f);
    we_svg_line(h->f, spec);
    fputs("<figcaption>", h->f);
    we_h_tr(h, T_TREND_CAPTION);
    fputc(' ', h->f);
    we_h_level(h);
    fputs("% ", h->f);
    we_h_tr(h, T_TREND_CAPTION2);
    fputs("</figcaption></figure>\n", h->f);
}

void we_html_trend(const we_html *h, const we_experiment_run *x)
{
    const we_panel *p = h->run->panel;
    const we_trend_view *v = &x->trend;
    if (h->run->rd != NULL && p->n_periods == 0)
        return;
    if (no_view(h, v) || v->n_periods != p->n_periods)
        return;
    trend_buf b;
    memset(&b, 0, sizeof b);
    we_line_series s[2];
    trend_series(h, v, &b, s);
    trend_markers(h, &b);
    const we_catalog_rec *cat = we_report_catalog(p, v->indicator);
    we_line_spec spec = {
        .x = p->periods, .n = p->n_periods, .series = s, .n_series = 2,
        .markers = b.markers, .n_markers = b.n_markers, .fmt = h->fmt,
        .title = we_tr(h->lang, T_TREND_TITLE),
        .y_label = cat != NULL && cat->unit != NULL ? cat->unit
                                                    : v->indicator};
    trend_figure(h, v->indicator, &spec);
}

/* ---- per wijk -------------------------------------------------------------- */

/* The shared scale of the bars: every treated wijk's gap at the baseline
 * and the latest period, and 0. */
typedef struct wijk_scale {
    double bar_lo, bar_hi;
} wijk_scale;

static wijk_scale wijk_scales(const we_wijk_view *w)
{
    wijk_scale sc = {0, 0};
    for (size_t k = 0; k < w->n_wijken; k++) {
        const double *g = w->gap + k * w->n_periods;
        for (size_t t = 0; t < w->n_periods; t++)
            if (isfinite(g[t]) && (t == w->base || t == w->latest)) {
                sc.bar_lo = fmin(sc.bar_lo, g[t]);
                sc.bar_hi = fmax(sc.bar_hi, g[t]);
            }
    }
    return sc;
}

static void wijk_status(const we_html *h, we_wijk_status st)
{
    if (st == WE_WIJK_NO_GAP)
        fputs("\xe2\x80\x94", h->f);
    else if (st == WE_WIJK_NO_DEFICIT)
        we_h_tr(h, T_NO_DEFICIT);
    else if (st == WE_WIJK_CLOSING) {
        fputs("<span class=\"closing\">\xe2\x9c\x93 ", h->f);
        we_h_tr(h, T_CLOSING);
        fputs("</span>", h->f);
    } else {
        fputs("<span class=\"not-closing\">\xe2\x9c\x97 ", h->f);
        we_h_tr(h, T_NOT_CLOSING);
        fputs("</span>", h->f);
    }
}

static void wijk_row(const we_html *h, const we_wijk_view *w,
                     const wijk_scale *sc, size_t k)
{
    const we_panel *p = h->run->panel;
    size_t i = w->area[k];
    const we_area_rec *a = &p->areas[i];
    const double *g = w->gap + k * p->n_periods;
    /* The course on the row's own scale, so that its shape shows; the
     * bar's shared scale compares the sizes. */
    double lo = INFINITY, hi = -INFINITY;
    for (size_t t = 0; t < p->n_periods; t++)
        if (isfinite(g[t])) {
            lo = fmin(lo, g[t]);
            hi = fmax(hi, g[t]);
        }
    fputs("<tr><td class=\"wijk-name\">", h->f);
    we_h_esc(h, a->name != NULL && a->name[0] != '\0' ? a->name : a->code);
    fputs("</td><td><code>", h->f);
    we_h_esc(h, a->code);
    fputs("</code></td><td><code>", h->f);
    we_h_esc(h, a->municipality);
    fprintf(h->f, "</code></td><td class=\"num\">%d</td><td class=\"num\">",
            p->periods[h->run->rd->treated_from[i]]);
    we_h_num(h, g[w->base]);
    fputs("</td><td class=\"num\">", h->f);
    we_h_num(h, g[w->latest]);
    fputs("</td><td>", h->f);
    we_svg_arrow_bar(h->f, g[w->base], g[w->latest], sc->bar_lo, sc->bar_hi,
                     a->name);
    fputs("</td><td>", h->f);
    we_svg_sparkline(h->f, g, p->n_periods, lo, hi, a->name);
    fputs("</td><td>", h->f);
    wijk_status(h, w->status[k]);
    fputs("</td></tr>\n", h->f);
}

static void wijk_head(const we_html *h, const we_wijk_view *w)
{
    const int *per = h->run->panel->periods;
    size_t T = h->run->panel->n_periods;
    fputs("<div class=\"scroll\"><table class=\"wijken\"><thead><tr><th>",
          h->f);
    we_h_tr(h, T_WIJK);
    fputs("</th><th>code</th><th>", h->f);
    we_h_tr(h, T_MUNICIPALITY);
    fputs("</th><th class=\"num\">", h->f);
    we_h_tr(h, T_TREATED_FROM);
    fputs("</th><th class=\"num\">", h->f);
    we_h_tr(h, T_GAP);
    fprintf(h->f, " %d</th><th class=\"num\">", per[w->base]);
    we_h_tr(h, T_GAP);
    fprintf(h->f, " %d</th><th>", per[w->latest]);
    we_h_tr(h, T_CHANGE);
    fputs("</th><th>", h->f);
    we_h_tr(h, T_COURSE);
    fprintf(h->f, " %d\xe2\x80\x93%d</th><th>", per[0], per[T - 1]);
    we_h_tr(h, T_STATUS);
    fputs("</th></tr></thead><tbody>\n", h->f);
}

static void wijk_summary(const we_html *h, const we_wijk_view *w)
{
    fputs("<details class=\"per-wijk\"><summary>", h->f);
    we_h_tr(h, T_PER_WIJK);
    fputs(": ", h->f);
    we_h_tr(h, h->run->cfg->gap_reference == WE_GAP_NATIONAL ? T_GAP_NATIONAL
                                                             : T_GAP_MUNI);
    fputs(", ", h->f);
    we_h_esc(h, we_lang_indicator(h->run->panel, w->indicator, h->lang));
    fputs(" \xe2\x80\x94 ", h->f);
    we_h_tr(h, T_CLOSING);
    fprintf(h->f, ": %zu ", w->n_closing);
    we_h_tr(h, T_OF);
    fprintf(h->f, " %zu ", w->n_behind);
    we_h_tr(h, T_BEHIND);
    fputs("</summary>\n<p class=\"note\">", h->f);
    we_h_tr(h, T_WIJK_NOTE);
    fputs("</p>\n", h->f);
}

void we_html_wijken(const we_html *h, const we_experiment_run *x)
{
    const we_panel *p = h->run->panel;
    const we_wijk_view *w = &x->per_wijk;
    if (h->run->rd == NULL || w->state == WE_WIJK_VIEW_NONE ||
        p->n_periods == 0)
        return;
    if (w->state == WE_WIJK_VIEW_OK && w->n_periods == p->n_periods) {
        wijk_scale sc = wijk_scales(w);
        wijk_summary(h, w);
        wijk_head(h, w);
        for (size_t k = 0; k < w->n_wijken; k++)
            wijk_row(h, w, &sc, k);
        fputs("</tbody></table></div></details>\n", h->f);
    } else {
        fputs("<p class=\"note\">", h->f);
        we_h_tr(h, T_PER_WIJK);
        fputs(": ", h->f);
        we_h_tr(h, T_NOT_AVAILABLE);
        fputs(".</p>\n", h->f);
    }
}

/* ---- the plugin's per-wijk metrics ------------------------------------ */

static int area_applies(const we_experiment_run *x, size_t i)
{
    for (size_t k = 0; k < x->n_area_metrics; k++)
        if (i < x->area_metrics[k].n && isfinite(x->area_metrics[k].values[i]))
            return 1;
    return 0;
}

static void area_metric_head(const we_html *h, const we_experiment_run *x)
{
    fputs("<div class=\"scroll\"><table class=\"wijken area-metrics\">"
          "<thead><tr><th>",
          h->f);
    we_h_tr(h, T_WIJK);
    fputs("</th><th>code</th>", h->f);
    for (size_t k = 0; k < x->n_area_metrics; k++) {
        const we_area_metric_rec *a = &x->area_metrics[k];
        const char *unit = we_lang_pick(a->unit_nl, a->unit, NULL, h->lang);
        fputs("<th class=\"num\" title=\"", h->f);
        we_h_esc(h,
                 we_lang_pick(a->description_nl, a->description, "", h->lang));
        fputs("\">", h->f);
        we_h_esc(h, we_lang_pick(a->label_nl, a->label_en, a->name, h->lang));
        if (unit != NULL && unit[0] != '\0') {
            fputs(" <span class=\"unit\">(", h->f);
            we_h_esc(h, unit);
            fputs(")</span>", h->f);
        }
        fputs("</th>", h->f);
    }
    fputs("</tr></thead><tbody>\n", h->f);
}

void we_html_area_metrics(const we_html *h, const we_experiment_run *x)
{
    const we_panel *p = h->run->panel;
    if (x->n_area_metrics == 0 || p == NULL)
        return;
    fputs("<details class=\"per-wijk\" open><summary>", h->f);
    we_h_tr(h, T_AREA_METRICS);
    fputs("</summary>\n<p class=\"note\">", h->f);
    we_h_tr(h, T_AREA_METRICS_NOTE);
    fputs("</p>\n", h->f);
    area_metric_head(h, x);
    for (size_t i = 0; i < p->n_areas; i++) {
        if (!area_applies(x, i))
            continue;
        const we_area_rec *a = &p->areas[i];
        fputs("<tr><td class=\"wijk-name\">", h->f);
        we_h_esc(h, a->name != NULL && a->name[0] != '\0' ? a->name : a->code);
        fputs("</td><td><code>", h->f);
        we_h_esc(h, a->code);
        fputs("</code></td>", h->f);
        for (size_t k = 0; k < x->n_area_metrics; k++) {
            const we_area_metric_rec *m = &x->area_metrics[k];
            fputs("<td class=\"num\">", h->f);
            we_h_num(h, i < m->n ? m->values[i] : NAN);
            fputs("</td>", h->f);
        }
        fputs("</tr>\n", h->f);
    }
    fputs("</tbody></table></div></details>\n", h->f);
}
