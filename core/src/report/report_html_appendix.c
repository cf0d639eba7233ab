/* The method appendix of report.html: the designs, the inference the run
 * used, and its provenance. */
#include <inttypes.h>
#include <stdio.h>

#include "report/report_html_internal.h"
#include "report/report_internal.h"

static void item(const we_html *h, we_text label)
{
    fputs("<li><strong>", h->f);
    we_h_tr(h, label);
    fputs(":</strong> ", h->f);
}

static void designs(const we_html *h)
{
    static const struct {
        we_method m;
        we_text text;
    } d[] = {{WE_METHOD_PRE_POST, T_D_PRE_POST}, {WE_METHOD_GAP, T_D_GAP},
             {WE_METHOD_DID_2X2, T_D_DID}, {WE_METHOD_TWFE, T_D_TWFE},
             {WE_METHOD_CS, T_D_CS}, {WE_METHOD_SC, T_D_SC},
             {WE_METHOD_SDID, T_D_SDID}};
    fputs("<h3>", h->f);
    we_h_tr(h, T_DESIGNS);
    fputs("</h3>\n<ul>\n", h->f);
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
        fputs("<li><strong>", h->f);
        we_h_esc(h, we_h_method(h, d[i].m));
        fprintf(h->f, "</strong> <code>%s</code>: ",
                we_report_method_name(d[i].m));
        we_h_tr(h, d[i].text);
        fputs("</li>\n", h->f);
    }
    fputs("</ul>\n", h->f);
}

static int same_inference(const we_result_rec *a, const we_result_rec *b)
{
    return we_report_inference_of(&a->est) ==
               we_report_inference_of(&b->est) &&
           a->est.inference_reps == b->est.inference_reps &&
           a->x.boot_enumerated == b->x.boot_enumerated;
}

/* The inference the TWFE results actually used: one description per
 * distinct kind (in practice one, or two when some indicators fell back
 * to CR1). */
static void twfe_inference(const we_html *h)
{
    const we_result_rec *seen[4];
    size_t n_seen = 0;
    const we_run *run = h->run;
    item(h, T_TWFE_INF);
    for (size_t e = 0; e < run->n_experiments; e++) {
        const we_experiment_run *x = &run->experiments[e];
        for (size_t k = 0; x->status == WE_EXP_OK && k < x->n_results; k++) {
            const we_result_rec *r = &x->results[k];
            size_t j = 0;
            if (r->est.method != WE_METHOD_TWFE)
                continue;
            while (j < n_seen && !same_inference(seen[j], r))
                j++;
            if (j < n_seen || n_seen == 4)
                continue;
            if (n_seen > 0)
                fputs("; ", h->f);
            seen[n_seen++] = r;
            we_h_inference(h, r);
        }
    }
    if (n_seen == 0)
        we_h_tr(h, T_NO_TWFE);
    switch (run->cfg->inference.method) {
    case WE_INFER_CR1:
        fputs(" (inference.method = cr1)", h->f);
        break;
    case WE_INFER_WILD:
        fputs(" (inference.method = wild)", h->f);
        break;
    default:
        fputs(" (inference.method = auto: ", h->f);
        we_h_tr(h, T_INF_AUTO);
        fputc(')', h->f);
    }
    fputs(".</li>\n", h->f);
}

static void event_and_ri(const we_html *h)
{
    const we_inference_cfg *ic = &h->run->cfg->inference;
    char a[48];
    item(h, T_EVENT_STUDY);
    we_h_tr(h, T_WINDOW);
    fprintf(h->f, " %d \xe2\x80\xa6 %d, ", ic->event_min, ic->event_max);
    we_h_tr(h, T_REFERENCE);
    fputs(" \xe2\x88\x92" "1; ", h->f);
    we_h_tr(h, T_PRETREND_TEST);
    fputs(": F, ", h->f);
    we_h_tr(h, T_WILD);
    we_lang_count(a, sizeof a, ic->event_boot_reps, h->lang);
    fprintf(h->f, " (%s ", a);
    we_h_tr(h, T_DRAWS);
    fputs(").</li>\n", h->f);
    item(h, T_RI);
    if (ic->perm_reps == 0) {
        we_h_tr(h, T_OFF);
    } else {
        we_lang_count(a, sizeof a, ic->perm_reps, h->lang);
        fprintf(h->f, "%s ", a);
        we_h_tr(h, T_PERMUTATIONS);
        if (ic->perm_strata) {
            fputc(' ', h->f);
            we_h_tr(h, T_WITHIN_MUNI);
        }
    }
    fputs(".</li>\n", h->f);
}

static void mde_line(const we_html *h)
{
    const we_inference_cfg *ic = &h->run->cfg->inference;
    char a[48];
    item(h, T_MDE);
    we_h_num(h, 100.0 * ic->power);
    fputs("% ", h->f);
    we_h_tr(h, T_POWER);
    fputs(", ", h->f);
    we_h_tr(h, T_MDE_TEXT);
    fputc(' ', h->f);
    we_h_num(h, h->run->cfg->alpha);
    if (ic->mde_sims > 0) {
        we_lang_count(a, sizeof a, ic->mde_sims, h->lang);
        fprintf(h->f, "; %s ", a);
        we_h_tr(h, T_SIMULATIONS);
    }
    fputs(".</li>\n", h->f);
}

static void inference(const we_html *h)
{
    fputs("<h3>", h->f);
    we_h_tr(h, T_INFERENCE);
    fputs("</h3>\n<ul>\n", h->f);
    twfe_inference(h);
    item(h, T_OTHER_INF);
    we_h_tr(h, T_OTHER_INF_TEXT);
    fputs("</li>\n", h->f);
    item(h, T_ADJUSTMENT);
    fputs(h->run->cfg->inference.adjust == WE_ADJUST_BH ? "Benjamini-Hochberg "
                                                         : "Holm ",
          h->f);
    we_h_tr(h, T_ADJ_TEXT);
    fputs("</li>\n", h->f);
    item(h, T_EFFECT_SIZES);
    we_h_tr(h, T_ES_TEXT);
    fputs("</li>\n", h->f);
    event_and_ri(h);
    mde_line(h);
    item(h, T_LEVELS);
    we_h_tr(h, T_LEVELS_TEXT);
    fputs("</li>\n</ul>\n", h->f);
}

static void prov(const we_html *h, we_text label, const char *value)
{
    fputs("<div><dt>", h->f);
    we_h_tr(h, label);
    fputs("</dt><dd><code>", h->f);
    we_h_esc(h, value != NULL && value[0] != '\0'
                    ? value
                    : we_tr(h->lang, T_UNKNOWN));
    fputs("</code></dd></div>\n", h->f);
}

static void provenance(const we_html *h)
{
    const we_run *run = h->run;
    const we_config *c = run->cfg;
    char t0[32] = "", t1[32] = "", seed[32];
    if (we_report_iso_time(t0, sizeof t0, run->started) != 0)
        t0[0] = '\0';
    if (we_report_iso_time(t1, sizeof t1, run->finished) != 0)
        t1[0] = '\0';
    snprintf(seed, sizeof seed, "%" PRIu64, c->seed);
    fputs("<h3>", h->f);
    we_h_tr(h, T_PROVENANCE);
    fputs("</h3>\n<dl class=\"facts prov\">\n", h->f);
    prov(h, T_VERSION, run->version);
    prov(h, T_CONFIG, c->path);
    prov(h, T_CONFIG_SHA, c->config_sha256);
    prov(h, T_DATA_SHA, run->panel->data_sha256);
    prov(h, T_SEED, seed);
    prov(h, T_STARTED, t0);
    prov(h, T_FINISHED, t1);
    if (we_report_unsandboxed(run))
        prov(h, T_UNSANDBOXED, run->sandbox);
    prov(h, T_LANGUAGE, we_lang_code(h->lang));
    fputs("</dl>\n", h->f);
}

void we_html_appendix(const we_html *h)
{
    fputs("<section class=\"appendix\" id=\"appendix\">\n<h2>", h->f);
    we_h_tr(h, T_APPENDIX);
    fputs("</h2>\n", h->f);
    designs(h);
    inference(h);
    provenance(h);
    fputs("<p class=\"note screen-only\">", h->f);
    we_h_tr(h, T_PRINT_NOTE);
    fputs("</p>\n</section>\n", h->f);
}
