/* The two views of report.html computed from the panel itself: the trend
 * of treated against comparison wijken, and where each treated wijk
 * stands against its city (the gap, achterstand). */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/design.h"
#include "methods/methods.h"
#include "report/report_html_internal.h"
#include "report/report_internal.h"

void we_html_group_band(const double *y, size_t n_areas, size_t n_periods,
                        const unsigned char *member, double alpha,
                        double *mean, double *lo, double *hi)
{
    for (size_t t = 0; t < n_periods; t++) {
        double sum = 0, ss = 0;
        size_t n = 0;
        for (size_t i = 0; i < n_areas; i++) {
            double v = y[i * n_periods + t];
            if (member[i] && isfinite(v)) {
                sum += v;
                n++;
            }
        }
        double m = n > 0 ? sum / (double)n : NAN;
        for (size_t i = 0; i < n_areas; i++) {
            double v = y[i * n_periods + t];
            if (member[i] && isfinite(v))
                ss += (v - m) * (v - m);
        }
        mean[t] = m;
        lo[t] = hi[t] = NAN;
        if (n >= 2) {
            double q = gsl_cdf_tdist_Pinv(1.0 - alpha / 2.0, (double)(n - 1));
            double se = sqrt(ss / (double)(n - 1) / (double)n);
            lo[t] = m - q * se;
            hi[t] = m + q * se;
        }
    }
}

/* By a scan of the catalogue: a panel built in memory has no index. */
static const double *values_of(const we_panel *p, const char *indicator)
{
    for (size_t k = 0; p->values != NULL && k < p->n_indicators; k++)
        if (p->catalog[k].indicator != NULL &&
            strcmp(p->catalog[k].indicator, indicator) == 0)
            return p->values[k];
    return NULL;
}

static int no_view(const we_html *h, const double *y)
{
    if (h->run->rd != NULL && y != NULL)
        return 0;
    fputs("<p class=\"note\">", h->f);
    we_h_tr(h, h->run->rd == NULL ? T_NO_DESIGN : T_NO_PRIMARY);
    fputs("</p>\n", h->f);
    return 1;
}

/* ---- trend ----------------------------------------------------------------- */

typedef struct trend_buf {
    double *v;             /* 6 series of n_periods */
    unsigned char *member; /* treated, then comparison */
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

static void trend_series(const we_html *h, const double *y, trend_buf *b,
                         we_line_series *s)
{
    const we_panel *p = h->run->panel;
    const we_run_design *rd = h->run->rd;
    size_t A = p->n_areas, T = p->n_periods, n[2] = {0, 0};
    for (size_t i = 0; i < A; i++) {
        b->member[i] = rd->treated_from[i] >= 0;
        b->member[A + i] = rd->comparison[i] != 0;
        n[0] += b->member[i];
        n[1] += b->member[A + i];
    }
    const we_text names[2] = {T_TREATED_MEAN, T_COMPARISON_MEAN};
    for (int g = 0; g < 2; g++) {
        double *m = b->v + 3 * (size_t)g * T;
        we_html_group_band(y, A, T, b->member + (size_t)g * A,
                           h->run->cfg->alpha, m, m + T, m + 2 * T);
        snprintf(b->names[g], sizeof b->names[g], "%s (n = %zu)",
                 we_tr(h->lang, names[g]), n[g]);
        s[g] = (we_line_series){b->names[g], m, m + T, m + 2 * T};
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

void we_html_trend(const we_html *h, const char *indicator)
{
    const we_panel *p = h->run->panel;
    const double *y = values_of(p, indicator);
    if (no_view(h, y) || p->n_periods == 0)
        return;
    trend_buf b;
    memset(&b, 0, sizeof b);
    b.v = malloc(6 * p->n_periods * sizeof *b.v);
    b.member = malloc(2 * (p->n_areas > 0 ? p->n_areas : 1));
    if (b.v != NULL && b.member != NULL) {
        we_line_series s[2];
        trend_series(h, y, &b, s);
        trend_markers(h, &b);
        const we_catalog_rec *cat = we_report_catalog(p, indicator);
        we_line_spec spec = {
            .x = p->periods, .n = p->n_periods, .series = s, .n_series = 2,
            .markers = b.markers, .n_markers = b.n_markers, .fmt = h->fmt,
            .title = we_tr(h->lang, T_TREND_TITLE),
            .y_label = cat != NULL && cat->unit != NULL ? cat->unit
                                                        : indicator};
        trend_figure(h, indicator, &spec);
    }
    free(b.v);
    free(b.member);
}

/* ---- per wijk -------------------------------------------------------------- */

typedef struct wijk_view {
    double *gap;           /* A x T, signed: negative = behind */
    size_t base, latest;   /* period indices */
    double bar_lo, bar_hi; /* the shared scale of the bars */
    size_t n_deficit, n_closing;
} wijk_view;

/* The gap to the reference the gap method uses (config gap.reference,
 * population-weighted when configured), signed by the indicator's good
 * direction. */
static int wijk_gaps(const we_html *h, const double *y, wijk_view *w)
{
    const we_panel *p = h->run->panel;
    const we_run_design *rd = h->run->rd;
    size_t A = p->n_areas, T = p->n_periods;
    const int *group = h->run->cfg->gap_reference == WE_GAP_NATIONAL
                           ? NULL
                           : rd->municipality;
    we_error err = {{0}};
    w->gap = malloc((A * T > 0 ? A * T : 1) * sizeof *w->gap);
    if (w->gap == NULL ||
        we_gap_reference(y, A, T, group, rd->weight, w->gap, &err) != WE_OK)
        return -1;
    for (size_t k = 0; k < A * T; k++)
        w->gap[k] = y[k] - w->gap[k];
    return 0;
}

static void wijk_scales(const we_html *h, double dir, wijk_view *w)
{
    const we_panel *p = h->run->panel;
    const we_run_design *rd = h->run->rd;
    size_t T = p->n_periods;
    w->bar_lo = w->bar_hi = 0;
    for (size_t i = 0; i < p->n_areas; i++) {
        if (rd->treated_from[i] < 0)
            continue;
        double *g = w->gap + i * T;
        for (size_t t = 0; t < T; t++) {
            g[t] *= dir;
            if (isfinite(g[t]) && (t == w->base || t == w->latest)) {
                w->bar_lo = fmin(w->bar_lo, g[t]);
                w->bar_hi = fmax(w->bar_hi, g[t]);
            }
        }
        if (isfinite(g[w->base]) && isfinite(g[w->latest]) &&
            g[w->base] < 0) {
            w->n_deficit++;
            w->n_closing += g[w->latest] > g[w->base];
        }
    }
}

static void wijk_status(const we_html *h, double gb, double gl)
{
    if (!isfinite(gb) || !isfinite(gl))
        fputs("\xe2\x80\x94", h->f);
    else if (gb >= 0)
        we_h_tr(h, T_NO_DEFICIT);
    else if (gl > gb) {
        fputs("<span class=\"closing\">\xe2\x9c\x93 ", h->f);
        we_h_tr(h, T_CLOSING);
        fputs("</span>", h->f);
    } else {
        fputs("<span class=\"not-closing\">\xe2\x9c\x97 ", h->f);
        we_h_tr(h, T_NOT_CLOSING);
        fputs("</span>", h->f);
    }
}

static void wijk_row(const we_html *h, const wijk_view *w, size_t i)
{
    const we_panel *p = h->run->panel;
    const we_area_rec *a = &p->areas[i];
    const double *g = w->gap + i * p->n_periods;
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
    we_svg_arrow_bar(h->f, g[w->base], g[w->latest], w->bar_lo, w->bar_hi,
                     a->name);
    fputs("</td><td>", h->f);
    we_svg_sparkline(h->f, g, p->n_periods, lo, hi, a->name);
    fputs("</td><td>", h->f);
    wijk_status(h, g[w->base], g[w->latest]);
    fputs("</td></tr>\n", h->f);
}

static void wijk_head(const we_html *h, const wijk_view *w)
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

static void wijk_summary(const we_html *h, const char *indicator,
                         const wijk_view *w)
{
    fputs("<details class=\"per-wijk\"><summary>", h->f);
    we_h_tr(h, T_PER_WIJK);
    fputs(": ", h->f);
    we_h_tr(h, h->run->cfg->gap_reference == WE_GAP_NATIONAL ? T_GAP_NATIONAL
                                                             : T_GAP_MUNI);
    fputs(", ", h->f);
    we_h_esc(h, we_lang_indicator(h->run->panel, indicator, h->lang));
    fputs(" \xe2\x80\x94 ", h->f);
    we_h_tr(h, T_CLOSING);
    fprintf(h->f, ": %zu ", w->n_closing);
    we_h_tr(h, T_OF);
    fprintf(h->f, " %zu ", w->n_deficit);
    we_h_tr(h, T_BEHIND);
    fputs("</summary>\n<p class=\"note\">", h->f);
    we_h_tr(h, T_WIJK_NOTE);
    fputs("</p>\n", h->f);
}

void we_html_wijken(const we_html *h, const char *indicator)
{
    const we_panel *p = h->run->panel;
    const we_run_design *rd = h->run->rd;
    const double *y = values_of(p, indicator);
    if (h->run->rd == NULL || y == NULL || p->n_periods == 0)
        return;
    const we_catalog_rec *cat = we_report_catalog(p, indicator);
    wijk_view w = {.base = rd->baseline,
                   .latest = rd->n_followup > 0
                                 ? rd->followup[rd->n_followup - 1]
                                 : p->n_periods - 1};
    if (wijk_gaps(h, y, &w) == 0) {
        wijk_scales(h, cat != NULL && cat->direction == WE_LOWER_IS_BETTER
                           ? -1.0
                           : 1.0,
                    &w);
        wijk_summary(h, indicator, &w);
        wijk_head(h, &w);
        for (size_t i = 0; i < p->n_areas; i++)
            if (rd->treated_from[i] >= 0)
                wijk_row(h, &w, i);
        fputs("</tbody></table></div></details>\n", h->f);
    } else {
        fputs("<p class=\"note\">", h->f);
        we_h_tr(h, T_PER_WIJK);
        fputs(": ", h->f);
        we_h_tr(h, T_NOT_AVAILABLE);
        fputs(".</p>\n", h->f);
    }
    free(w.gap);
}
