/* report.html: the early warning (#early-warning): the watch list of
 * areas sliding against the national trend, and one small chart per
 * flagged area. */
#include <math.h>
#include <stdio.h>

#include "model/design.h"
#include "report/report_html_internal.h"
#include "analysis/early_warning/render.h"
#include "report/report_internal.h"

/* More panels than this would bury the report; the table lists all. */
#define MAX_PANELS 24

static const char *indicator_name(const we_html *h, size_t k)
{
    return h->run->cfg->early_warning.indicators[k].name;
}

static void drivers_cell(const we_html *h, size_t a)
{
    const we_ew_result *r = early_warning_of(h->run);
    size_t d[3];
    size_t nd = we_ew_drivers(r, a, d, 3);
    fputs("<td>", h->f);
    for (size_t i = 0; i < nd; i++) {
        if (i > 0)
            fputs("; ", h->f);
        we_h_indicator(h, indicator_name(h, d[i]));
        fputs(" (", h->f);
        we_h_num(h, r->contrib[a * r->n_ind + d[i]]);
        fputc(')', h->f);
    }
    fputs("</td>", h->f);
}

static void watch_row(const we_html *h, size_t rank)
{
    const we_ew_result *r = early_warning_of(h->run);
    size_t a = r->watch[rank];
    const we_area_rec *ar = &h->run->panel->areas[a];
    fprintf(h->f, "<tr><td class=\"num\">%zu</td><td>", rank + 1);
    we_h_esc(h, ar->name);
    fputs(" <span class=\"unit\">(", h->f);
    we_h_esc(h, ar->code);
    fputs(")</span>", h->f);
    if (h->run->rd != NULL && h->run->rd->treated_from[a] >= 0) {
        fputs(" <span class=\"badge\">", h->f);
        we_h_tr(h, T_EW_TREATED);
        fputs("</span>", h->f);
    }
    fputs("</td><td>", h->f);
    we_h_municipality(h, ar->municipality);
    fputs("</td><td class=\"num\">", h->f);
    we_h_num(h, r->slope[a]);
    fputs("</td><td class=\"num\">", h->f);
    we_h_p(h, r->p[a]);
    fputs("</td><td class=\"num\">", h->f);
    we_h_p(h, r->q[a]);
    fputs("</td>", h->f);
    drivers_cell(h, a);
    fputs("</tr>\n", h->f);
}

static void watch_table(const we_html *h)
{
    const we_ew_result *r = early_warning_of(h->run);
    fputs("<div class=\"scroll\"><table class=\"watch\"><thead><tr><th "
          "class=\"num\">", h->f);
    we_h_tr(h, T_RANK);
    fputs("</th><th>", h->f);
    we_h_tr(h, T_WIJK);
    fputs("</th><th>", h->f);
    we_h_tr(h, T_MUNICIPALITY);
    fputs("</th><th class=\"num\">", h->f);
    we_h_tr(h, T_EW_SLOPE);
    fputs("</th><th class=\"num\">p</th><th class=\"num\">q</th><th>", h->f);
    we_h_tr(h, T_EW_DRIVERS);
    fputs("</th></tr></thead><tbody>\n", h->f);
    for (size_t i = 0; i < r->n_watch; i++)
        watch_row(h, i);
    fputs("</tbody></table></div>\n", h->f);
}

/* The shared y range of the panels drawn, with 0 (the national mean)
 * inside and a margin. */
static void panel_range(const we_ew_result *r, size_t n, double *lo,
                        double *hi)
{
    *lo = 0;
    *hi = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t t = 0; t < r->n_periods; t++) {
            double v = r->rel[r->watch[i] * r->n_periods + t];
            if (isfinite(v)) {
                *lo = fmin(*lo, v);
                *hi = fmax(*hi, v);
            }
        }
    double pad = 0.08 * (*hi - *lo);
    *lo -= pad;
    *hi += pad;
}

static void multiples(const we_html *h)
{
    const we_ew_result *r = early_warning_of(h->run);
    size_t n = r->n_watch < MAX_PANELS ? r->n_watch : MAX_PANELS;
    double lo, hi;
    panel_range(r, n, &lo, &hi);
    fputs("<figure><div class=\"multiples\">", h->f);
    for (size_t i = 0; i < n; i++) {
        size_t a = r->watch[i];
        char label[160];
        snprintf(label, sizeof label, "%zu. %s", i + 1,
                 h->run->panel->areas[a].name);
        we_small_spec s = {.x = h->run->panel->periods,
                           .y = &r->rel[a * r->n_periods],
                           .n = r->n_periods, .shade_from = r->first,
                           .lo = lo, .hi = hi, .label = label,
                           .title = label, .fmt = h->fmt};
        we_svg_small(h->f, &s);
    }
    fputs("</div>\n<figcaption class=\"note\">", h->f);
    we_h_tr(h, T_EW_CHARTS);
    if (n < r->n_watch) {
        fputc(' ', h->f);
        we_h_tr(h, T_EW_MORE);
        fprintf(h->f, " %zu.", n);
    }
    fputs("</figcaption></figure>\n", h->f);
}

static void summary(const we_html *h)
{
    const we_ew_result *r = early_warning_of(h->run);
    const we_early_warning_cfg *c = &h->run->cfg->early_warning;
    const int *per = h->run->panel->periods;
    fputs("<p>", h->f);
    we_h_tr(h, T_EW_COMPOSITE);
    fputc(' ', h->f);
    for (size_t k = 0; k < c->n_indicators; k++) {
        fputs(k > 0 ? ", " : "", h->f);
        we_h_indicator(h, c->indicators[k].name);
        fputs(" \xc3\x97", h->f);
        we_h_num(h, c->indicators[k].weight);
    }
    fprintf(h->f, ".</p>\n<p>%zu ", r->n_tested);
    we_h_tr(h, T_EW_TESTED);
    fprintf(h->f, ", %zu ", r->n_watch);
    we_h_tr(h, T_EW_FLAGGED);
    fputs(" (", h->f);
    we_h_tr(h, T_EW_WINDOW);
    fprintf(h->f, " %d\xe2\x80\x93%d, ", per[r->first],
            per[r->n_periods - 1]);
    we_h_tr(h, T_EW_FDR);
    fputc(' ', h->f);
    we_h_num(h, r->alpha);
    fputs(").</p>\n", h->f);
}

void we_html_early_warning(const we_html *h)
{
    const we_ew_result *r = early_warning_of(h->run);
    if (r == NULL)
        return;
    fputs("<section class=\"goals\" id=\"early-warning\">\n<h2>", h->f);
    we_h_tr(h, T_EW_TITLE);
    fputs("</h2>\n", h->f);
    summary(h);
    fputs("<p class=\"note\">", h->f);
    we_h_tr(h, T_EW_NOTE);
    fputc(' ', h->f);
    we_h_tr(h, r->test == WE_EW_MANN_KENDALL ? T_EW_TEST_MK
                                              : T_EW_TEST_NULL);
    fputs("</p>\n", h->f);
    if (r->n_watch == 0) {
        fputs("<p>", h->f);
        we_h_tr(h, T_EW_NONE);
        fputs("</p>\n", h->f);
    } else {
        watch_table(h);
        multiples(h);
    }
    fputs("</section>\n", h->f);
}
