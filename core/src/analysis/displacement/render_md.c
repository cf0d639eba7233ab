/* report.md: the displacement section (the ring against the wijken
 * further away). */
#include <stdio.h>

#include "analysis/displacement/render.h"
#include "report/report_internal.h"
#include "report/report_md_internal.h"

static const char *verdict_text(we_disp_verdict v)
{
    switch (v) {
    case WE_DISP_DISPLACEMENT: return "**displacement**: the ring worsened";
    case WE_DISP_SPILLOVER:
        return "spill-over of improvement: the ring improved too";
    case WE_DISP_NOT_ESTIMABLE: return "not estimable";
    case WE_DISP_NO_EVIDENCE: break;
    }
    return "no evidence of displacement";
}

static void md_disp_row(FILE *f, const we_disp_row *x, we_lang l)
{
    const we_estimate *e = &x->est;
    char b[2][64];
    fputs("| ", f);
    we_md_cell(f, x->indicator);
    fprintf(f, " | %s | ", x->lower_is_better ? "lower" : "higher");
    if (x->verdict == WE_DISP_NOT_ESTIMABLE) {
        fputs(WE_MD_DASH " | " WE_MD_DASH " | " WE_MD_DASH " | " WE_MD_DASH
              " | not estimable: ", f);
        we_md_cell(f, x->error);
        fputs(" |\n", f);
        return;
    }
    fprintf(f, "%s | ", we_md_num(b[0], sizeof b[0], e->estimate, l));
    we_md_ci(f, e->ci_low, e->ci_high, l);
    fprintf(f, " | %s | %ld / %ld | %s |\n",
            we_md_p(b[1], sizeof b[1], e->p_value, l), e->n_treated,
            e->n_control, verdict_text(x->verdict));
}

void we_md_displacement(const we_run *run, FILE *f)
{
    const we_disp_result *r = displacement_of(run);
    if (r == NULL)
        return;
    we_lang l = we_lang_of(run->cfg);
    char b[2][64];
    fputs("## Displacement: do problems move to the neighbouring wijken?\n\n",
          f);
    fprintf(f, "The ring: %zu untreated wijken next to a treated wijk (",
            r->n_ring);
    if (r->band_m > 0)
        fprintf(f, "centroids within %.0f m", r->band_m);
    else
        fputs("the adjacency file", f);
    fprintf(f, "), each treated from the earliest start among its treated "
               "neighbours, against %zu untreated wijken further away: a "
               "two-way fixed effects DiD with the run's inference, %s%% "
               "interval. The ring is left out of every experiment's "
               "comparison group. Effects in the indicator's unit; "
               "displacement when the interval excludes zero on the bad "
               "side.\n\n",
            r->n_far, we_md_ci_level(b[1], sizeof b[1], r->alpha, l));
    fputs("| Indicator | Better when | Effect in the ring | CI | p | "
          "Ring / far | Verdict |\n"
          "|---|---|---:|---|---:|---:|---|\n", f);
    for (size_t i = 0; i < r->n_rows; i++)
        md_disp_row(f, &r->rows[i], l);
    fputc('\n', f);
}
