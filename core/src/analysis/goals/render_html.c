/* report.html: the policy return (#policy-return) and the self-named
 * targets (#targets) sections. */
#include <math.h>
#include <stdio.h>

#include "model/goals.h"
#include "report/report_html_internal.h"
#include "analysis/goals/render.h"
#include "report/report_internal.h"

/* Opens the cell and writes the value; the caller closes it. */
static void cpe_cell(const we_html *h, const we_cpe *c)
{
    static const we_text reasons[] = {
        [WE_CPE_INCLUDES_ZERO] = T_CPE_ZERO,
        [WE_CPE_HARMFUL] = T_CPE_HARMFUL,
        [WE_CPE_NO_ESTIMATE] = T_CPE_NO_ESTIMATE,
        [WE_CPE_NO_COSTS] = T_CPE_NO_COSTS,
        [WE_CPE_NO_RESIDENTS] = T_CPE_NO_RESIDENTS};
    if (c->status != WE_CPE_DEFINED) {
        fputs("<td class=\"undefined\">", h->f);
        we_h_tr(h, reasons[c->status]);
        return;
    }
    fputs("<td class=\"num\">", h->f);
    we_h_num(h, c->value);
    fputc(' ', h->f);
    we_h_ci(h, c->low, c->high);
}

/* "EUR per resident per percentage points" (the unit in words, never
 * its code) after a defined cost per unit. */
static void per_unit_unit(const we_html *h, const we_experiment_run *x,
                          const we_policy_return *r)
{
    if (r->per_unit.status != WE_CPE_DEFINED || r->headline < 0)
        return;
    long k = we_panel_indicator(h->run->panel,
                                x->results[r->headline].indicator);
    if (k < 0)
        return;
    char unit[160];
    we_lang_per_unit(unit, sizeof unit, h->run->panel->catalog[k].unit,
                     h->lang);
    fputs("<br><span class=\"unit\">", h->f);
    we_h_esc(h, unit);
    fputs("</span>", h->f);
}

static void policy_row(const we_html *h, size_t e)
{
    const we_run *run = h->run;
    const we_policy_return *r = &goals_policy(run)->per_exp[e];
    const we_experiment_run *x = &run->experiments[e];
    fputs("<tr><td><a href=\"#exp-", h->f);
    we_h_esc(h, x->id);
    fputs("\">", h->f);
    we_h_esc(h, we_lang_title(x, h->lang));
    fputs("</a></td><td class=\"num\">", h->f);
    we_h_num(h, r->total_eur);
    fprintf(h->f, "</td><td class=\"num\">%zu ", r->n_treated_costed);
    we_h_tr(h, T_OF);
    fprintf(h->f, " %zu</td><td class=\"num\">", r->n_treated);
    we_h_num(h, r->residents);
    fputs("</td><td class=\"num\">", h->f);
    we_h_num(h, r->per_resident);
    fputs("</td><td>", h->f);
    if (r->headline >= 0) {
        const we_result_rec *res = &x->results[r->headline];
        we_h_indicator(h, res->indicator);
        fputs(": ", h->f);
        we_h_num(h, res->est.estimate);
        fputc(' ', h->f);
        we_h_ci(h, res->est.ci_low, res->est.ci_high);
        if (we_report_pretrend_rejected(run, res)) {
            fputs(" <span class=\"badge v-worse\">", h->f);
            we_h_tr(h, T_PRETREND_REJECTED);
            fputs("</span>", h->f);
        }
    } else {
        we_h_tr(h, T_NO_ESTIMATE);
    }
    fputs("</td>", h->f);
    cpe_cell(h, &r->per_unit);
    per_unit_unit(h, x, r);
    fputs("</td>", h->f);
    cpe_cell(h, &r->per_sd);
    fputs("</td>", h->f);
    fputs("<td class=\"num\">", h->f);
    if (r->rank > 0)
        fprintf(h->f, "%ld", r->rank);
    else if (r->not_credible) {
        fputs("<span class=\"badge v-not_credible\">\xe2\x9a\xa0 ", h->f);
        we_h_tr(h, T_HV_NOT_CREDIBLE);
        fputs("</span>", h->f);
    } else
        fputs("\xe2\x80\x94", h->f);
    fputs("</td></tr>\n", h->f);
}

static void ranking_item(const we_html *h, size_t e)
{
    const we_run *run = h->run;
    const we_policy_return *r = &goals_policy(run)->per_exp[e];
    fputs("<li>", h->f);
    we_h_esc(h, we_lang_title(&run->experiments[e], h->lang));
    fputs(": ", h->f);
    if (r->n_overlaps == 0)
        we_h_tr(h, T_DISTINCT_ALL);
    for (size_t i = 0; i < r->n_overlaps; i++) {
        if (i == 0) {
            we_h_tr(h, T_NOT_DISTINCT);
            fputc(' ', h->f);
        } else {
            fputs(", ", h->f);
        }
        we_h_esc(h, we_lang_title(&run->experiments[r->overlaps[i]],
                                  h->lang));
    }
    fputs("</li>\n", h->f);
}

/* The experiments left out of the ranking because their effect is not
 * credible, in one note. */
static void not_ranked(const we_html *h)
{
    const we_policy_eval *ev = goals_policy(h->run);
    int first = 1;
    for (size_t e = 0; e < ev->n; e++) {
        if (!ev->per_exp[e].not_credible)
            continue;
        if (first) {
            fputs("<p class=\"note not-ranked\">\xe2\x9a\xa0 ", h->f);
            we_h_tr(h, T_NOT_RANKED_CREDIBLE);
            fputs(": ", h->f);
        } else {
            fputs(", ", h->f);
        }
        first = 0;
        we_h_esc(h, we_lang_title(&h->run->experiments[e], h->lang));
    }
    if (!first)
        fputs(".</p>\n", h->f);
}

static void ranking(const we_html *h)
{
    const we_policy_eval *ev = goals_policy(h->run);
    fputs("<p>", h->f);
    if (ev->n_ranked == 0) {
        we_h_tr(h, T_NO_RANKING);
        fputs("</p>\n", h->f);
        not_ranked(h);
        return;
    }
    we_h_tr(h, T_RANKING);
    fputs(":</p>\n<ol class=\"ranking\">\n", h->f);
    for (long k = 1; k <= (long)ev->n; k++)
        for (size_t e = 0; e < ev->n; e++)
            if (ev->per_exp[e].rank == k)
                ranking_item(h, e);
    fputs("</ol>\n", h->f);
    not_ranked(h);
}

/* The cost line of experiment e on the front page: cost per resident,
 * per SD of effect and the rank (or why there is none). */
void we_html_policy_front(const we_html *h, size_t e)
{
    const we_policy_eval *ev = goals_policy(h->run);
    if (ev == NULL || e >= ev->n || !ev->per_exp[e].has_costs)
        return;
    const we_policy_return *r = &ev->per_exp[e];
    fputs("<span class=\"cost\">", h->f);
    we_h_tr(h, T_COST_LINE);
    fputs(": \xe2\x82\xac\xc2\xa0", h->f);
    we_h_num(h, r->per_resident);
    fputc(' ', h->f);
    we_h_tr(h, T_COST_PER_RES);
    fputs(" \xc2\xb7 ", h->f);
    if (r->per_sd.status == WE_CPE_DEFINED) {
        fputs("\xe2\x82\xac\xc2\xa0", h->f);
        we_h_num(h, r->per_sd.value);
        fputc(' ', h->f);
        we_h_ci(h, r->per_sd.low, r->per_sd.high);
        fputc(' ', h->f);
        we_h_tr(h, T_COST_PER_SD);
    } else {
        we_h_tr(h, T_COST_NO_SD);
    }
    fputs(" \xc2\xb7 ", h->f);
    if (r->rank > 0) {
        we_h_tr(h, T_COST_RANK);
        fprintf(h->f, " %ld", r->rank);
    } else {
        we_h_tr(h, T_COST_NOT_RANKED);
    }
    fputs("</span>", h->f);
}

/* In words next to the table: identical totals, an even split, wijken
 * counted as costing nothing. */
static void policy_notes(const we_html *h, const we_policy_eval *ev)
{
    if (ev->even_split || ev->identical_totals) {
        fputs("<p class=\"warning\">", h->f);
        we_h_tr(h, ev->even_split ? T_EVEN_SPLIT : T_SAME_TOTALS);
        fputs("</p>\n", h->f);
    }
    fputs("<p class=\"note\">", h->f);
    we_h_tr(h, T_COSTS_DECLARED);
    fputc(' ', h->f);
    we_h_esc(h, ev->in->path);
    if (ev->missing_zero && ev->n_missing > 0) {
        fprintf(h->f, "; %zu ", ev->n_missing);
        we_h_tr(h, T_MISSING_ZERO);
    }
    fputs(".</p>\n", h->f);
}

void we_html_policy(const we_html *h)
{
    const we_policy_eval *ev = goals_policy(h->run);
    if (ev == NULL)
        return;
    static const we_text cols[] = {T_EXPERIMENT, T_TOTAL_COST,
                                   T_COSTED_WIJKEN, T_RESIDENTS,
                                   T_PER_RESIDENT, T_EFFECT, T_PER_UNIT,
                                   T_PER_SD, T_RANK};
    fputs("<section class=\"goals\" id=\"policy-return\">\n<h2>", h->f);
    we_h_tr(h, T_POLICY_TITLE);
    fputs("</h2>\n<p class=\"note\">", h->f);
    we_h_tr(h, T_POLICY_NOTE);
    fputs("</p>\n<div class=\"scroll\"><table class=\"policy\"><thead><tr>",
          h->f);
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        fputs("<th>", h->f);
        we_h_tr(h, cols[i]);
        fputs("</th>", h->f);
    }
    fputs("</tr></thead><tbody>\n", h->f);
    for (size_t i = 0; i < ev->n; i++)
        policy_row(h, ev->order != NULL ? ev->order[i] : i);
    fputs("</tbody></table></div>\n", h->f);
    policy_notes(h, ev);
    ranking(h);
    fputs("</section>\n", h->f);
}

/* ---- targets -------------------------------------------------------------- */

static const we_text STATUS_TEXT[WE_GOAL_COUNT_] = {
    T_G_MET, T_G_ON_TRACK, T_G_OFF_TRACK, T_G_OPEN, T_G_MISSED, T_G_NO_DATA};

static void tally_head(const we_html *h, we_text first)
{
    fputs("<div class=\"scroll\"><table class=\"tally\"><thead><tr><th>",
          h->f);
    we_h_tr(h, first);
    fputs("</th><th class=\"num\">", h->f);
    we_h_tr(h, T_TARGETS_N);
    for (int s = 0; s < WE_GOAL_COUNT_; s++) {
        fputs("</th><th class=\"num\">", h->f);
        we_h_tr(h, STATUS_TEXT[s]);
    }
    fputs("</th></tr></thead><tbody>\n", h->f);
}

static void tally_row(const we_html *h, const we_goal_tally *g,
                      const char *label)
{
    fputs("<tr><td>", h->f);
    we_h_esc(h, label);
    if (g->name != NULL) {
        fputs(" <span class=\"unit\">(", h->f);
        we_h_esc(h, g->code);
        fputs(")</span>", h->f);
    }
    fprintf(h->f, "</td><td class=\"num\">%zu", g->n);
    for (int s = 0; s < WE_GOAL_COUNT_; s++)
        fprintf(h->f, "</td><td class=\"num\">%zu", g->count[s]);
    fputs("</td></tr>\n", h->f);
}

static void target_what(const we_html *h, const we_wijk_target *t)
{
    const we_panel *p = h->run->panel;
    if (t->indicator >= 0) {
        we_h_indicator(h, p->catalog[t->indicator].indicator);
        fputs(p->catalog[t->indicator].direction == WE_LOWER_IS_BETTER
                  ? " \xe2\x89\xa4 "
                  : " \xe2\x89\xa5 ",
              h->f);
        we_h_num(h, t->target);
    } else {
        we_h_tr(h, T_ITEM);
    }
    if (t->description[0] != '\0') {
        fputs(": ", h->f);
        we_h_esc(h, t->description);
    }
}

static void target_row(const we_html *h, size_t i)
{
    const we_wijk_target *t = &goals_targets(h->run)->in->t[i];
    const we_target_result *r = &goals_targets(h->run)->res[i];
    fputs("<tr><td>", h->f);
    we_h_esc(h, h->run->panel->areas[t->area].name);
    fputs("</td><td>", h->f);
    target_what(h, t);
    fprintf(h->f, "</td><td class=\"num\">%d</td><td class=\"goal-%s\">",
            t->deadline, we_goal_status_name(r->status));
    we_h_tr(h, STATUS_TEXT[r->status]);
    fputs("</td><td class=\"num\">", h->f);
    if (t->indicator < 0)
        we_h_tr(h, t->realised ? T_REALISED : T_NOT_REALISED);
    else if (r->current_period != 0) {
        we_h_num(h, r->current_value);
        fprintf(h->f, " (%d)", r->current_period);
    } else
        we_h_num(h, NAN);
    fputs("</td><td class=\"num\">", h->f);
    we_h_num(h, r->required_per_year);
    fputs("</td><td class=\"num\">", h->f);
    we_h_num(h, r->observed_per_year);
    fputs("</td></tr>\n", h->f);
}

static void targets_table(const we_html *h)
{
    static const we_text cols[] = {T_WIJK, T_TARGET, T_DEADLINE, T_STATUS,
                                   T_CURRENT, T_NEEDED, T_OBSERVED};
    fputs("<details><summary>", h->f);
    we_h_tr(h, T_TARGETS_N);
    fprintf(h->f, " (%zu)</summary>\n<div class=\"scroll\"><table "
                  "class=\"targets\"><thead><tr>", goals_targets(h->run)->in->n);
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        fputs("<th>", h->f);
        we_h_tr(h, cols[i]);
        fputs("</th>", h->f);
    }
    fputs("</tr></thead><tbody>\n", h->f);
    for (size_t i = 0; i < goals_targets(h->run)->in->n; i++)
        target_row(h, i);
    fputs("</tbody></table></div></details>\n", h->f);
}

void we_html_targets(const we_html *h)
{
    const we_targets_eval *ev = goals_targets(h->run);
    if (ev == NULL)
        return;
    fputs("<section class=\"goals\" id=\"targets\">\n<h2>", h->f);
    we_h_tr(h, T_TARGETS_TITLE);
    fprintf(h->f, "</h2>\n<p>%zu ", ev->total.n);
    we_h_tr(h, T_TARGETS_N);
    fputs(", ", h->f);
    we_h_tr(h, T_AS_OF);
    fprintf(h->f, " %d.</p>\n<p class=\"note\">", ev->as_of);
    we_h_tr(h, T_TARGETS_NOTE);
    fputs("</p>\n", h->f);
    tally_head(h, T_PER_MUNI);
    tally_row(h, &ev->total, we_tr(h->lang, T_ALL));
    for (size_t m = 0; m < ev->n_munis; m++)
        tally_row(h, &ev->munis[m],
                  we_lang_municipality(h->run->panel, ev->munis[m].code));
    fputs("</tbody></table></div>\n<details><summary>", h->f);
    we_h_tr(h, T_PER_WIJK);
    fputs("</summary>\n", h->f);
    tally_head(h, T_WIJK);
    for (size_t w = 0; w < ev->n_wijken; w++)
        tally_row(h, &ev->wijken[w], ev->wijken[w].name);
    fputs("</tbody></table></div></details>\n", h->f);
    targets_table(h);
    fputs("</section>\n", h->f);
}
