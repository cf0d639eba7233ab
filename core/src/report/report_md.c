#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"
#include "report/report_analysis.h"
#include "report/report_lang.h"
#include "report/report_md_internal.h"
#include "report/report_since.h"
#include "report/report_verdict.h"

static void md_header(const we_run *run, FILE *f)
{
    const we_config *c = run->cfg;
    const we_panel *p = run->panel;
    we_lang l = we_lang_of(c);
    fputs("# ", f);
    we_md_cell(f, we_lang_run_title(c, l));
    fputs(we_tr(l, T_MD_RUN), f);
    we_md_cell(f, c->name);
    fprintf(f, " (wijkeval %s)\n\n%s%zu%s",
            run->version != NULL ? run->version : we_tr(l, T_MD_UNKNOWN),
            we_tr(l, T_MD_DATA), p->n_areas, we_tr(l, T_MD_AREAS));
    if (p->n_periods > 0 && p->periods != NULL)
        fprintf(f, "%s%d\xe2\x80\x93%d", we_tr(l, T_MD_PERIODS), p->periods[0],
                p->periods[p->n_periods - 1]);
    fprintf(f, "%s%d", we_tr(l, T_MD_BASELINE), c->baseline);
    for (size_t i = 0; i < c->n_followup; i++)
        fprintf(f, "%s%d", i == 0 ? we_tr(l, T_MD_FOLLOWUP) : ", ",
                c->followup[i]);
    fputs(".\n\n", f);
}

static const char *comparison_text(we_comparison_mode m, we_lang l)
{
    switch (m) {
    case WE_COMPARISON_SAME_MUNICIPALITY: return we_tr(l, T_MD_CMP_SAME);
    case WE_COMPARISON_LIST: return we_tr(l, T_MD_CMP_LIST);
    default: return we_tr(l, T_MD_CMP_ALL);
    }
}

static void md_design(const we_run *run, FILE *f)
{
    const we_config *c = run->cfg;
    we_lang l = we_lang_of(c);
    char lv[40];
    fprintf(f, "%s%s%s%s%s%s%s%s%s", we_tr(l, T_MD_DESIGN1),
            comparison_text(c->comparison, l), we_tr(l, T_MD_DESIGN2),
            c->gap_reference == WE_GAP_NATIONAL ? we_tr(l, T_MD_NATIONAL_MEAN)
                                                : we_tr(l, T_MD_MUNI_MEAN),
            we_tr(l, T_MD_DESIGN3),
            c->cluster == WE_CLUSTER_MUNICIPALITY ? we_tr(l, T_MD_MUNI)
                                                  : we_tr(l, T_MD_AREA),
            "; ", we_md_ci_level(lv, sizeof lv, c->alpha, l),
            we_tr(l, T_MD_DESIGN4));
}

/* A count: "9,999" in English, "9.999" in Dutch. */
static void md_count(char *buf, size_t n, unsigned long long v, we_lang l)
{
    if (l == WE_LANG_NL)
        we_lang_count(buf, n, v, l);
    else
        we_report_grouped(buf, n, v);
}

static const char *adjust_label(const we_config *c)
{
    return c->inference.adjust == WE_ADJUST_BH ? "Benjamini-Hochberg"
                                               : "Holm";
}

/* The summary follows report.language: its words from the catalogue, its
 * numbers in the language's format. */
static void md_tr(FILE *f, we_lang l, we_text t)
{
    fputs(we_tr(l, t), f);
}

/* The verdict cell: a symbol and the word, so that it reads without
 * colour. */
static void md_verdict(FILE *f, const we_experiment_run *x, we_lang l)
{
    if (x->status != WE_EXP_OK) {
        md_tr(f, l, T_FAILED);
        return;
    }
    fprintf(f, "%s %s", we_hverdict_symbol(x->judgement.verdict),
            we_lang_hverdict(x->judgement.verdict, l));
}

/* The row's effect columns: indicator, design, effect with interval,
 * standardised effect, adjusted p, evidence. */
static void md_summary_effect(const we_run *run, FILE *f,
                              const we_experiment_run *x, we_lang l)
{
    const we_result_rec *h = we_report_headline(x);
    char b[64];
    const we_result_rec *any = we_report_primary(x);
    we_md_cell(f, any != NULL
                      ? we_lang_indicator(run->panel, any->indicator, l)
                      : WE_MD_DASH);
    if (h == NULL) {
        fputs(" | " WE_MD_DASH " | " WE_MD_DASH " | " WE_MD_DASH
              " | " WE_MD_DASH " | " WE_MD_DASH " |\n",
              f);
        return;
    }
    fprintf(f, " | %s | ", we_lang_method(h->est.method, l));
    we_lang_num(b, sizeof b, h->est.estimate, l);
    fprintf(f, "%s ", b);
    we_lang_ci(b, sizeof b, h->est.ci_low, h->est.ci_high, l);
    fprintf(f, "%s | ", b);
    we_lang_num(b, sizeof b, we_report_headline_delta(x), l);
    fprintf(f, "%s | ", b);
    we_lang_p(b, sizeof b, we_report_enriched(h) ? h->x.p_adjusted : NAN, l);
    fprintf(f, "%s | ", b);
    we_md_evidence(f, &x->evidence);
    fputs(" |\n", f);
}

static void md_summary_row(const we_run *run, FILE *f,
                           const we_experiment_run *x, we_lang l)
{
    fputs("| ", f);
    we_md_cell(f, we_lang_title(x, l));
    fputs(" | ", f);
    md_verdict(f, x, l);
    fputs(" | ", f);
    if (x->status == WE_EXP_OK) {
        md_summary_effect(run, f, x, l);
        return;
    }
    fputs(WE_MD_DASH " | " WE_MD_DASH " | " WE_MD_DASH " | " WE_MD_DASH
                     " | " WE_MD_DASH " | ",
          f);
    we_md_cell(f, x->error != NULL ? x->error : we_tr(l, T_MD_NO_MESSAGE));
    fputs(" |\n", f);
}

/* Per experiment: its verdict's reason and what happened, in words. */
static void md_words(const we_run *run, FILE *f, const size_t *ix, we_lang l)
{
    char reason[WE_SENTENCE], plain[WE_SENTENCE];
    fputs("### ", f);
    md_tr(f, l, T_MD_WHAT);
    fputs("\n\n", f);
    for (size_t i = 0; i < run->n_experiments; i++) {
        const we_experiment_run *x = &run->experiments[ix[i]];
        if (x->status != WE_EXP_OK)
            continue;
        we_verdict_reason(reason, sizeof reason, run, x, l);
        we_plain_sentence(plain, sizeof plain, run, x, l);
        fputs("- **", f);
        we_md_cell(f, we_lang_title(x, l));
        fputs("** (", f);
        md_verdict(f, x, l);
        fputs("): ", f);
        we_md_cell(f, plain);
        fputc(' ', f);
        we_md_cell(f, reason);
        fputc('\n', f);
    }
    fputc('\n', f);
}

static void md_side_effects(const we_run *run, FILE *f, we_lang l)
{
    char text[WE_SENTENCE];
    fputs("### \xe2\x9a\xa0 ", f);
    md_tr(f, l, T_SIDE_TITLE);
    fputs("\n\n", f);
    if (run->n_side_effects == 0) {
        md_tr(f, l, T_SIDE_NONE);
        fputs("\n\n", f);
        return;
    }
    for (size_t i = 0; i < run->n_side_effects; i++) {
        we_side_effect_sentence(text, sizeof text, run, &run->side_effects[i],
                                l);
        fputs("- **\xe2\x9c\x97 ", f);
        we_md_cell(f, text);
        fputs("**\n", f);
    }
    fputc('\n', f);
    md_tr(f, l, T_SIDE_NOTE);
    fputs("\n\n", f);
}

static void md_summary_text(const we_run *run, FILE *f, const char *lv,
                            we_lang l)
{
    char text[4 * WE_SENTENCE];
    const char *arg[] = {lv, adjust_label(run->cfg)};
    we_lang_fill(text, sizeof text, we_tr(l, T_MD_READ), arg, 2);
    fputs(text, f);
    fputs(" ", f);
    md_tr(f, l, T_HV_NOTE);
    fputs("\n\n", f);
}

static int md_summary(const we_run *run, FILE *f, we_error *err)
{
    char lv[40];
    we_lang l = we_lang_of(run->cfg);
    size_t *ix = we_report_order_by_effect(run);
    if (ix == NULL)
        return we_fail(err, WE_ENOMEM,
                       "out of memory ordering the experiments");
    we_lang_num(lv, sizeof lv, 100.0 * (1.0 - run->cfg->alpha), l);
    fputs("## ", f);
    md_tr(f, l, T_MD_GLANCE);
    fputs("\n\n| ", f);
    md_tr(f, l, T_EXPERIMENT);
    fputs(" | ", f);
    md_tr(f, l, T_DP_VERDICT);
    fputs(" | ", f);
    md_tr(f, l, T_MD_PRIMARY);
    fputs(" | ", f);
    md_tr(f, l, T_DESIGN);
    fputs(" | ", f);
    md_tr(f, l, T_EFFECT);
    fprintf(f, " (%s%% %s) | ", lv, we_tr(l, T_CI));
    md_tr(f, l, T_STD_EFFECT);
    fputs(" | ", f);
    md_tr(f, l, T_ADJ_P);
    fprintf(f, " (%s) | ", adjust_label(run->cfg));
    md_tr(f, l, T_EVIDENCE);
    fputs(" |\n|---|---|---|---|---|---:|---:|---|\n", f);
    for (size_t i = 0; i < run->n_experiments; i++)
        md_summary_row(run, f, &run->experiments[ix[i]], l);
    fputc('\n', f);
    md_side_effects(run, f, l);
    md_words(run, f, ix, l);
    free(ix);
    md_summary_text(run, f, lv, l);
    return 0;
}

static const char *method_note(we_infer_method m, we_lang l)
{
    switch (m) {
    case WE_INFER_CR1: return "inference.method = cr1";
    case WE_INFER_WILD: return "inference.method = wild";
    default: return we_tr(l, T_MD_AUTO);
    }
}

/* The inference the TWFE results actually used: one description per
 * distinct kind (in practice one, or two when some indicators fell back
 * to CR1). */
static void md_twfe_inference(const we_run *run, FILE *f)
{
    char seen[4][200], text[200];
    size_t n_seen = 0;
    we_lang l = we_lang_of(run->cfg);
    fputs(we_tr(l, T_MD_TWFE_INF), f);
    for (size_t e = 0; e < run->n_experiments; e++) {
        const we_experiment_run *x = &run->experiments[e];
        for (size_t k = 0; x->status == WE_EXP_OK && k < x->n_results; k++) {
            if (x->results[k].est.method != WE_METHOD_TWFE)
                continue;
            we_report_inference_text_lang(text, sizeof text, &x->results[k],
                                          run->cfg, l);
            size_t j = 0;
            while (j < n_seen && strcmp(seen[j], text) != 0)
                j++;
            if (j < n_seen || n_seen == 4)
                continue;
            snprintf(seen[n_seen], sizeof seen[0], "%s", text);
            fprintf(f, "%s%s", n_seen++ > 0 ? "; " : "", text);
        }
    }
    fprintf(f, "%s (%s).\n", n_seen == 0 ? we_tr(l, T_MD_NO_TWFE) : "",
            method_note(run->cfg->inference.method, l));
}

static void md_inference_lines(const we_run *run, FILE *f)
{
    const we_config *c = run->cfg;
    const we_inference_cfg *ic = &c->inference;
    we_lang l = we_lang_of(c);
    char a[48], b[40], al[40];
    fprintf(f, "%s%s%s", we_tr(l, T_MD_OTHER_INF1),
            c->cluster == WE_CLUSTER_AREA ? we_tr(l, T_MD_AREA)
                                          : we_tr(l, T_MD_MUNI),
            we_tr(l, T_MD_OTHER_INF2));
    fprintf(f, "%s%s%s", we_tr(l, T_MD_ADJ1), adjust_label(c),
            we_tr(l, T_MD_ADJ2));
    fputs(we_tr(l, T_MD_ES_METHOD), f);
    md_count(a, sizeof a, ic->event_boot_reps, l);
    fprintf(f, "%s%d%s%d%s%s%s", we_tr(l, T_MD_EVENT_M1), ic->event_min,
            we_tr(l, T_MD_TO), ic->event_max, we_tr(l, T_MD_EVENT_M2), a,
            we_tr(l, T_MD_EVENT_M3));
    md_count(a, sizeof a, ic->perm_reps, l);
    if (ic->perm_reps > 0)
        fprintf(f, "%s%s %s%s%s.\n", we_tr(l, T_MD_RI_M), a,
                we_tr(l, T_PERMUTATIONS), ic->perm_strata ? " " : "",
                ic->perm_strata ? we_tr(l, T_WITHIN_MUNI) : "");
    md_count(a, sizeof a, ic->mde_sims, l);
    fprintf(f, "%s%s%s%s%s", we_tr(l, T_MD_MDE_M1),
            we_md_num(b, sizeof b, 100.0 * ic->power, l),
            we_tr(l, T_MD_MDE_M2), we_md_num(al, sizeof al, c->alpha, l),
            we_tr(l, T_MD_MDE_M3));
    if (ic->mde_sims > 0)
        fprintf(f, "%s%s%s", we_tr(l, T_MD_MDE_M4), a, we_tr(l, T_MD_MDE_M5));
    fputs(".\n", f);
    fputs(we_tr(l, T_MD_LEVELS_M), f);
}

static void md_methods(const we_run *run, FILE *f)
{
    we_lang l = we_lang_of(run->cfg);
    fputs(we_tr(l, T_MD_METHODS), f);
    md_twfe_inference(run, f);
    md_inference_lines(run, f);
}

static void md_provenance(const we_run *run, FILE *f)
{
    const we_config *c = run->cfg;
    we_lang l = we_lang_of(c);
    char t0[32], t1[32];
    if (we_report_iso_time(t0, sizeof t0, run->started) != 0)
        snprintf(t0, sizeof t0, "%s", we_tr(l, T_MD_UNKNOWN));
    if (we_report_iso_time(t1, sizeof t1, run->finished) != 0)
        snprintf(t1, sizeof t1, "%s", we_tr(l, T_MD_UNKNOWN));
    fprintf(f, "%s%s%s", we_tr(l, T_MD_PROV1),
            run->version != NULL ? run->version : we_tr(l, T_MD_UNKNOWN),
            we_tr(l, T_MD_PROV2));
    we_md_cell(f, c->path);
    fprintf(f, "%s%s%s%s%s%" PRIu64 "%s%s%s%s\n", we_tr(l, T_MD_PROV3),
            c->config_sha256, we_tr(l, T_MD_PROV4), run->panel->data_sha256,
            we_tr(l, T_MD_PROV5), c->seed, we_tr(l, T_MD_PROV6), t0,
            we_tr(l, T_MD_PROV7), t1);
    if (we_report_unsandboxed(run)) {
        fputs(we_tr(l, T_MD_PROV8), f);
        we_md_cell(f, run->sandbox);
        fputc('\n', f);
    }
}

/* The optional analyses' sections at one place, in the table's order. */
static void md_analyses(const we_run *run, FILE *f, we_render_place at)
{
    for (size_t k = 0; k < run->n_analyses; k++) {
        const we_analysis_render *r = run->analyses[k].render;
        if (r != NULL && r->md[at] != NULL)
            r->md[at](run, f);
    }
}

int we_report_md(const we_run *run, FILE *f, we_error *err)
{
    md_header(run, f);
    md_design(run, f);
    if (md_summary(run, f, err) != 0)
        return -1;
    we_report_since_md(run, f);
    if (run->programme != NULL)
        we_md_experiment(run, f, run->programme);
    md_analyses(run, f, WE_PLACE_BEFORE_EXPERIMENTS);
    for (size_t i = 0; i < run->n_experiments; i++)
        we_md_experiment(run, f, &run->experiments[i]);
    md_analyses(run, f, WE_PLACE_AFTER_EXPERIMENTS);
    md_methods(run, f);
    md_provenance(run, f);
    return 0;
}
