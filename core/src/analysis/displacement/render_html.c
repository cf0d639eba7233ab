/* report.html: the displacement section (#displacement): per indicator,
 * the ring of untreated neighbours against the wijken further away. */
#include <stdio.h>

#include "report/report_html_internal.h"
#include "analysis/displacement/render.h"
#include "report/report_internal.h"

static we_text verdict_text(we_disp_verdict v)
{
    switch (v) {
    case WE_DISP_DISPLACEMENT: return T_DP_DISPLACEMENT;
    case WE_DISP_SPILLOVER: return T_DP_SPILLOVER;
    case WE_DISP_NOT_ESTIMABLE: return T_DP_NOT_ESTIMABLE;
    case WE_DISP_NO_EVIDENCE: break;
    }
    return T_DP_NO_EVIDENCE;
}

static void disp_row(const we_html *h, const we_disp_row *x)
{
    const we_estimate *e = &x->est;
    fputs("<tr><td>", h->f);
    we_h_indicator(h, x->indicator);
    fputs("</td>", h->f);
    if (x->verdict == WE_DISP_NOT_ESTIMABLE) {
        fputs("<td colspan=\"3\">", h->f);
        we_h_esc(h, x->error);
        fputs("</td>", h->f);
    } else {
        fputs("<td class=\"num\">", h->f);
        we_h_num(h, e->estimate);
        we_h_unit(h, x->indicator);
        fputs("</td><td class=\"num\">", h->f);
        we_h_ci(h, e->ci_low, e->ci_high);
        fputs("</td><td class=\"num\">", h->f);
        we_h_p(h, e->p_value);
        fputs("</td>", h->f);
    }
    fprintf(h->f, "<td><span class=\"badge dp-%s\">",
            we_disp_verdict_name(x->verdict));
    we_h_tr(h, verdict_text(x->verdict));
    fputs("</span></td></tr>\n", h->f);
}

static void disp_table(const we_html *h)
{
    const we_disp_result *r = displacement_of(h->run);
    fputs("<div class=\"scroll\"><table class=\"displacement\"><thead><tr>"
          "<th>", h->f);
    we_h_tr(h, T_INDICATOR);
    fputs("</th><th class=\"num\">", h->f);
    we_h_tr(h, T_DP_EFFECT);
    fputs("</th><th class=\"num\">", h->f);
    we_h_level(h);
    fputs("% ", h->f);
    we_h_tr(h, T_CI);
    fputs("</th><th class=\"num\">p</th><th>", h->f);
    we_h_tr(h, T_DP_VERDICT);
    fputs("</th></tr></thead><tbody>\n", h->f);
    for (size_t i = 0; i < r->n_rows; i++)
        disp_row(h, &r->rows[i]);
    fputs("</tbody></table></div>\n", h->f);
}

void we_html_displacement(const we_html *h)
{
    const we_disp_result *r = displacement_of(h->run);
    if (r == NULL)
        return;
    fputs("<section class=\"goals\" id=\"displacement\">\n<h2>", h->f);
    we_h_tr(h, T_DP_TITLE);
    fprintf(h->f, "</h2>\n<p>%zu ", r->n_ring);
    we_h_tr(h, T_DP_RING);
    fprintf(h->f, ", %zu ", r->n_far);
    we_h_tr(h, T_DP_FAR);
    fputs(" (", h->f);
    if (r->band_m > 0) {
        we_h_tr(h, T_DP_BY_CENTROIDS);
        fputc(' ', h->f);
        we_h_num(h, r->band_m);
        fputs(" m", h->f);
    } else {
        we_h_tr(h, T_DP_BY_ADJACENCY);
    }
    fputs(").</p>\n<p class=\"note\">", h->f);
    we_h_tr(h, T_DP_NOTE);
    fputs("</p>\n", h->f);
    disp_table(h);
    fputs("</section>\n", h->f);
}
