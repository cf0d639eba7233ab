/* report.md: the displacement section (the ring against the wijken
 * further away). */
#include <stdio.h>

#include "analysis/displacement/render.h"
#include "report/report_internal.h"
#include "report/report_lang.h"
#include "report/report_md_internal.h"

static const char *verdict_text(we_disp_verdict v, we_lang l)
{
    switch (v) {
    case WE_DISP_DISPLACEMENT: return we_tr(l, T_MDD_DISPLACEMENT);
    case WE_DISP_SPILLOVER: return we_tr(l, T_MDD_SPILLOVER);
    case WE_DISP_NOT_ESTIMABLE: return we_tr(l, T_MDD_NOT_ESTIMABLE);
    case WE_DISP_NO_EVIDENCE: break;
    }
    return we_tr(l, T_MDD_NO_EVIDENCE);
}

static void md_disp_row(const we_run *run, FILE *f, const we_disp_row *x,
                        we_lang l)
{
    const we_estimate *e = &x->est;
    char b[2][64];
    fputs("| ", f);
    we_md_cell(f, l == WE_LANG_NL
                      ? we_lang_indicator(run->panel, x->indicator, l)
                      : x->indicator);
    fprintf(f, " | %s | ",
            x->lower_is_better ? we_tr(l, T_MDD_LOWER)
                               : we_tr(l, T_MDD_HIGHER));
    if (x->verdict == WE_DISP_NOT_ESTIMABLE) {
        fprintf(f,
                WE_MD_DASH " | " WE_MD_DASH " | " WE_MD_DASH " | " WE_MD_DASH
                           " | %s: ",
                we_tr(l, T_MDD_NOT_ESTIMABLE));
        we_md_cell(f, x->error);
        fputs(" |\n", f);
        return;
    }
    fprintf(f, "%s | ", we_md_num(b[0], sizeof b[0], e->estimate, l));
    we_md_ci(f, e->ci_low, e->ci_high, l);
    fprintf(f, " | %s | %ld / %ld | %s |\n",
            we_md_p(b[1], sizeof b[1], e->p_value, l), e->n_treated,
            e->n_control, verdict_text(x->verdict, l));
}

void we_md_displacement(const we_run *run, FILE *f)
{
    const we_disp_result *r = displacement_of(run);
    if (r == NULL)
        return;
    we_lang l = we_lang_of(run->cfg);
    char b[2][64];
    fputs(we_tr(l, T_MDD_TITLE), f);
    fprintf(f, "%s%zu%s", we_tr(l, T_MDD_T1), r->n_ring, we_tr(l, T_MDD_T2));
    if (r->band_m > 0)
        fprintf(f, "%s%.0f m", we_tr(l, T_MDD_CENTROIDS), r->band_m);
    else
        fputs(we_tr(l, T_MDD_ADJACENCY), f);
    fprintf(f, "%s%zu%s%s%s", we_tr(l, T_MDD_T3), r->n_far, we_tr(l, T_MDD_T4),
            we_md_ci_level(b[1], sizeof b[1], r->alpha, l),
            we_tr(l, T_MDD_T5));
    fprintf(f, "%s%s%s", we_tr(l, T_MDD_HEAD1), we_tr(l, T_CI),
            we_tr(l, T_MDD_HEAD2));
    fputs("|---|---|---:|---|---:|---:|---|\n", f);
    for (size_t i = 0; i < r->n_rows; i++)
        md_disp_row(run, f, &r->rows[i], l);
    fputc('\n', f);
}
