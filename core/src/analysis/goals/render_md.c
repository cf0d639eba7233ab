/* report.md: the policy return and the self-named targets sections. */
#include <math.h>
#include <stdio.h>

#include "model/goals.h"
#include "analysis/goals/render.h"
#include "report/report_internal.h"
#include "report/report_lang.h"
#include "report/report_md_internal.h"

static const char *cpe_reason(we_cpe_status s, we_lang l)
{
    switch (s) {
    case WE_CPE_INCLUDES_ZERO: return we_tr(l, T_MDG_CPE_ZERO);
    case WE_CPE_HARMFUL: return we_tr(l, T_MDG_CPE_HARMFUL);
    case WE_CPE_NO_ESTIMATE: return we_tr(l, T_MDG_CPE_NO_EST);
    case WE_CPE_NO_COSTS: return we_tr(l, T_MDG_CPE_NO_COSTS);
    case WE_CPE_NO_RESIDENTS: return we_tr(l, T_MDG_CPE_NO_RES);
    default:
        return "";
    }
}

static void md_cpe(FILE *f, const we_cpe *c, we_lang l)
{
    char b[64];
    if (c->status != WE_CPE_DEFINED) {
        fputs(cpe_reason(c->status, l), f);
        return;
    }
    fprintf(f, "%s ", we_md_num(b, sizeof b, c->value, l));
    we_md_ci(f, c->low, c->high, l);
}

static void md_policy_row(const we_run *run, FILE *f, size_t e)
{
    we_lang l = we_lang_of(run->cfg);
    const we_policy_return *r = &goals_policy(run)->per_exp[e];
    const we_experiment_run *x = &run->experiments[e];
    char b[4][64];
    fputs("| ", f);
    we_md_cell(f, we_md_exp_title(x, l));
    fprintf(f, " | %s | %zu %s %zu | %s | %s | ",
            we_md_num(b[0], sizeof b[0], r->total_eur, l), r->n_treated_costed,
            we_tr(l, T_MDG_OF), r->n_treated,
            we_md_num(b[1], sizeof b[1], r->residents, l),
            we_md_num(b[2], sizeof b[2], r->per_resident, l));
    if (r->headline >= 0) {
        const we_result_rec *h = &x->results[r->headline];
        we_md_indicator(f, run->panel, h->indicator, l);
        fprintf(f, " %s ", we_md_num(b[3], sizeof b[3], h->est.estimate, l));
        we_md_ci(f, h->est.ci_low, h->est.ci_high, l);
        if (we_report_pretrend_rejected(run, h))
            fprintf(f, " (%s)", we_tr(l, T_PRETREND_REJECTED));
    } else {
        fputs(WE_MD_DASH, f);
    }
    fputs(" | ", f);
    md_cpe(f, &r->per_unit, l);
    if (r->per_unit.status == WE_CPE_DEFINED && r->headline >= 0) {
        long k = we_panel_indicator(run->panel,
                                    x->results[r->headline].indicator);
        char unit[160];
        if (k >= 0) {
            we_lang_per_unit(unit, sizeof unit, run->panel->catalog[k].unit,
                             l);
            fprintf(f, " %s", unit);
        }
    }
    fputs(" | ", f);
    md_cpe(f, &r->per_sd, l);
    if (r->rank > 0)
        fprintf(f, " | %ld |\n", r->rank);
    else if (r->not_credible)
        fprintf(f, " | \xe2\x9a\xa0 %s |\n", we_tr(l, T_MDG_NOT_CREDIBLE));
    else
        fputs(" | " WE_MD_DASH " |\n", f);
}

static void md_ranking_list(const we_run *run, FILE *f);

/* The experiments left out of the ranking because their effect is not
 * credible, in one note. */
static void md_not_ranked(const we_run *run, FILE *f)
{
    we_lang l = we_lang_of(run->cfg);
    const we_policy_eval *ev = goals_policy(run);
    int first = 1;
    for (size_t e = 0; e < ev->n; e++) {
        if (!ev->per_exp[e].not_credible)
            continue;
        fputs(first ? we_tr(l, T_MDG_NOT_RANKED) : ", ", f);
        first = 0;
        we_md_cell(f, we_md_exp_title(&run->experiments[e], l));
    }
    if (!first)
        fputs(".\n\n", f);
}

static void md_ranking(const we_run *run, FILE *f)
{
    md_ranking_list(run, f);
    md_not_ranked(run, f);
}

static void md_ranking_list(const we_run *run, FILE *f)
{
    we_lang l = we_lang_of(run->cfg);
    const we_policy_eval *ev = goals_policy(run);
    if (ev->n_ranked == 0) {
        fputs(we_tr(l, T_MDG_NO_RANKING), f);
        return;
    }
    fputs(we_tr(l, T_MDG_RANKING), f);
    for (long k = 1; k <= (long)ev->n; k++)
        for (size_t e = 0; e < ev->n; e++) {
            const we_policy_return *r = &ev->per_exp[e];
            if (r->rank != k)
                continue;
            fprintf(f, "%ld. ", k);
            we_md_cell(f, we_md_exp_title(&run->experiments[e], l));
            if (r->n_overlaps == 0)
                fputs(we_tr(l, T_MDG_DISTINCT), f);
            for (size_t i = 0; i < r->n_overlaps; i++) {
                fputs(i == 0 ? we_tr(l, T_MDG_NOT_DISTINCT) : ", ", f);
                we_md_cell(
                    f, we_md_exp_title(&run->experiments[r->overlaps[i]], l));
            }
            fputs("\n", f);
        }
    fputs("\n", f);
}

/* In words next to the table: identical totals, an even split, wijken
 * counted as costing nothing. */
static void md_policy_notes(const we_run *run, FILE *f)
{
    const we_policy_eval *ev = goals_policy(run);
    we_lang l = we_lang_of(run->cfg);
    if (ev->even_split)
        fprintf(f, "**%s**\n\n", we_tr(l, T_EVEN_SPLIT));
    else if (ev->identical_totals)
        fprintf(f, "**%s**\n\n", we_tr(l, T_SAME_TOTALS));
    fprintf(f, "%s ", we_tr(l, T_COSTS_DECLARED));
    we_md_code(f, ev->in->path);
    if (ev->missing_zero && ev->n_missing > 0)
        fprintf(f, "; %zu %s", ev->n_missing, we_tr(l, T_MISSING_ZERO));
    fputs(".\n\n", f);
}

void we_md_policy(const we_run *run, FILE *f)
{
    const we_policy_eval *ev = goals_policy(run);
    if (ev == NULL)
        return;
    we_lang l = we_lang_of(run->cfg);
    fputs(we_tr(l, T_MDG_POLICY1), f);
    we_md_code(f, ev->in->path);
    fputs(we_tr(l, T_MDG_POLICY2), f);
    fputs("|---|---|---|---|---|---|---|---|---|\n", f);
    for (size_t i = 0; i < ev->n; i++)
        md_policy_row(run, f, ev->order != NULL ? ev->order[i] : i);
    fputs("\n", f);
    md_policy_notes(run, f);
    md_ranking(run, f);
}

/* ---- targets -------------------------------------------------------------- */

static const we_text STATUS_LABELS[WE_GOAL_COUNT_] = {
    T_MDG_MET,  T_MDG_ON_TRACK, T_MDG_OFF_TRACK,
    T_MDG_OPEN, T_MDG_MISSED,   T_MDG_NO_DATA};

static void md_tally_cells(FILE *f, const we_goal_tally *g)
{
    fprintf(f, " | %zu", g->n);
    for (int s = 0; s < WE_GOAL_COUNT_; s++)
        fprintf(f, " | %zu", g->count[s]);
    fputs(" |\n", f);
}

static void md_tally_header(FILE *f, const char *first, we_lang l)
{
    fprintf(f, "| %s%s|---|---|---|---|---|---|---|---|\n", first,
            we_tr(l, T_MDG_TALLY));
}

static void md_target_row(const we_run *run, FILE *f, size_t i)
{
    we_lang l = we_lang_of(run->cfg);
    const we_wijk_target *t = &goals_targets(run)->in->t[i];
    const we_target_result *r = &goals_targets(run)->res[i];
    const we_area_rec *a = &run->panel->areas[t->area];
    char b[3][64];
    fputs("| ", f);
    we_md_cell(f, a->name);
    fputs(" | ", f);
    if (t->indicator >= 0) {
        we_md_indicator(f, run->panel,
                        run->panel->catalog[t->indicator].indicator, l);
        fprintf(f, " %s %s",
                run->panel->catalog[t->indicator].direction ==
                        WE_LOWER_IS_BETTER
                    ? "\xe2\x89\xa4"
                    : "\xe2\x89\xa5",
                we_md_num(b[0], sizeof b[0], t->target, l));
    } else {
        fputs(we_tr(l, T_MDG_ITEM), f);
    }
    if (t->description[0] != '\0') {
        fputs(": ", f);
        we_md_cell(f, t->description);
    }
    fprintf(f, " | %d | %s | ", t->deadline,
            we_tr(l, STATUS_LABELS[r->status]));
    if (t->indicator < 0)
        fputs(t->realised ? we_tr(l, T_MDG_REALISED)
                          : we_tr(l, T_MDG_NOT_REALISED),
              f);
    else if (r->current_period != 0)
        fprintf(f, "%s (%d)",
                we_md_num(b[0], sizeof b[0], r->current_value, l),
                r->current_period);
    else
        fputs(WE_MD_DASH, f);
    fprintf(f, " | %s | %s |\n",
            we_md_num(b[1], sizeof b[1], r->required_per_year, l),
            we_md_num(b[2], sizeof b[2], r->observed_per_year, l));
}

void we_md_targets(const we_run *run, FILE *f)
{
    const we_targets_eval *ev = goals_targets(run);
    if (ev == NULL)
        return;
    we_lang l = we_lang_of(run->cfg);
    fprintf(f, "%s%zu%s", we_tr(l, T_MDG_TARGETS1), ev->total.n,
            we_tr(l, T_MDG_TARGETS2));
    we_md_code(f, ev->in->path);
    fprintf(f, "%s%d%s%d%s%d%s", we_tr(l, T_MDG_TARGETS3), ev->as_of,
            we_tr(l, T_MDG_TARGETS4), ev->as_of, we_tr(l, T_MDG_TARGETS5),
            run->cfg->baseline, we_tr(l, T_MDG_TARGETS6));
    md_tally_header(f, we_tr(l, T_MDG_ALL_H), l);
    fprintf(f, "| %s", we_tr(l, T_MDG_ALL));
    md_tally_cells(f, &ev->total);
    fputs(we_tr(l, T_MDG_PER_MUNI), f);
    md_tally_header(f, we_tr(l, T_MDG_MUNI_H), l);
    for (size_t m = 0; m < ev->n_munis; m++) {
        fputs("| ", f);
        we_md_cell(f, ev->munis[m].code);
        md_tally_cells(f, &ev->munis[m]);
    }
    fputs("\n### Per wijk\n\n", f);
    md_tally_header(f, "Wijk", l);
    for (size_t w = 0; w < ev->n_wijken; w++) {
        fputs("| ", f);
        we_md_cell(f, ev->wijken[w].name);
        fputs(" (", f);
        we_md_cell(f, ev->wijken[w].code);
        fputc(')', f);
        md_tally_cells(f, &ev->wijken[w]);
    }
    fputs(we_tr(l, T_MDG_TARGETS_T), f);
    fputs("|---|---|---|---|---|---|---|\n", f);
    for (size_t i = 0; i < ev->in->n; i++)
        md_target_row(run, f, i);
    fputs("\n", f);
}
