/* report.md: the early warning section (the watch list). */
#include <math.h>
#include <stdio.h>

#include "model/design.h"
#include "analysis/early_warning/render.h"
#include "report/report_internal.h"
#include "report/report_lang.h"
#include "report/report_md_internal.h"

static void md_drivers(const we_run *run, FILE *f, size_t a)
{
    const we_ew_result *r = early_warning_of(run);
    size_t d[3];
    size_t nd = we_ew_drivers(r, a, d, 3);
    we_lang l = we_lang_of(run->cfg);
    char b[64];
    if (nd == 0)
        fputs(WE_MD_DASH, f);
    for (size_t i = 0; i < nd; i++) {
        fputs(i > 0 ? "; " : "", f);
        we_md_cell(f, run->cfg->early_warning.indicators[d[i]].name);
        fprintf(f, " (%s)",
                we_md_num(b, sizeof b, r->contrib[a * r->n_ind + d[i]], l));
    }
}

static void md_watch_row(const we_run *run, FILE *f, size_t rank)
{
    const we_ew_result *r = early_warning_of(run);
    size_t a = r->watch[rank];
    const we_area_rec *ar = &run->panel->areas[a];
    we_lang l = we_lang_of(run->cfg);
    char b[3][64];
    fprintf(f, "| %zu | ", rank + 1);
    we_md_cell(f, ar->name);
    fputs(" (", f);
    we_md_cell(f, ar->code);
    fputs(")", f);
    if (run->rd != NULL && run->rd->treated_from[a] >= 0)
        fprintf(f, " (%s)", we_tr(l, T_MDW_TREATED));
    fputs(" | ", f);
    we_md_cell(f, l == WE_LANG_NL
                      ? we_lang_municipality(run->panel, ar->municipality)
                      : ar->municipality);
    fprintf(f, " | %s | %s | %s | ",
            we_md_num(b[0], sizeof b[0], r->slope[a], l),
            we_md_p(b[1], sizeof b[1], r->p[a], l),
            we_md_p(b[2], sizeof b[2], r->q[a], l));
    md_drivers(run, f, a);
    fputs(" |\n", f);
}

void we_md_early_warning(const we_run *run, FILE *f)
{
    const we_ew_result *r = early_warning_of(run);
    if (r == NULL)
        return;
    const int *per = run->panel->periods;
    we_lang l = we_lang_of(run->cfg);
    char b[64];
    fputs(we_tr(l, T_MDW_TITLE), f);
    fprintf(f, "%zu%s%zu%s%d-%d%s%s%s%s%s", r->n_tested, we_tr(l, T_MDW_T1),
            r->n_watch, we_tr(l, T_MDW_T2), per[r->first],
            per[r->n_periods - 1], we_tr(l, T_MDW_T3),
            we_md_num(b, sizeof b, r->alpha, l), we_tr(l, T_MDW_T4),
            r->test == WE_EW_MANN_KENDALL ? we_tr(l, T_MDW_MK)
                                          : we_tr(l, T_MDW_NULL),
            we_tr(l, T_MDW_T5));
    if (r->n_watch == 0) {
        fputs(we_tr(l, T_MDW_NONE), f);
        return;
    }
    fputs(we_tr(l, T_MDW_HEAD), f);
    fputs("|---:|---|---|---:|---:|---:|---|\n", f);
    for (size_t i = 0; i < r->n_watch; i++)
        md_watch_row(run, f, i);
    fputc('\n', f);
}
