/* Writing text, numbers and small judgements into the HTML report. */
#include <math.h>
#include <stdio.h>

#include "report/report_html_internal.h"
#include "report/report_internal.h"

static void svg_num(char *buf, size_t n, double x, const void *ud)
{
    we_lang_num(buf, n, x, *(const we_lang *)ud);
}

void we_html_init(we_html *h, const we_run *run, FILE *f)
{
    static const we_lang langs[2] = {WE_LANG_EN, WE_LANG_NL};
    h->run = run;
    h->f = f;
    h->lang = we_lang_of(run->cfg);
    h->fmt = (we_svg_fmt){svg_num, &langs[h->lang == WE_LANG_NL]};
}

void we_h_esc(const we_html *h, const char *s)
{
    we_html_escape(h->f, s);
}

void we_h_tr(const we_html *h, we_text t)
{
    we_html_escape(h->f, we_tr(h->lang, t));
}

void we_h_num(const we_html *h, double x)
{
    char b[64];
    we_lang_num(b, sizeof b, x, h->lang);
    we_html_escape(h->f, b);
}

void we_h_p(const we_html *h, double p)
{
    char b[64];
    we_lang_p(b, sizeof b, p, h->lang);
    we_html_escape(h->f, b);
}

void we_h_p_eq(const we_html *h, double p)
{
    char b[64];
    we_lang_p_eq(b, sizeof b, p, h->lang);
    we_html_escape(h->f, b);
}

void we_h_unit(const we_html *h, const char *indicator)
{
    const we_catalog_rec *cat = we_report_catalog(h->run->panel, indicator);
    char words[96];
    if (cat != NULL && cat->unit != NULL && cat->unit[0] != '\0') {
        we_lang_unit_words(words, sizeof words, cat->unit, 1, h->lang);
        fputs(" <span class=\"unit\">", h->f);
        we_h_esc(h, words);
        fputs("</span>", h->f);
    }
}

void we_h_municipality(const we_html *h, const char *code)
{
    we_h_esc(h, we_lang_municipality(h->run->panel, code));
}

void we_h_ci(const we_html *h, double lo, double hi)
{
    char b[160];
    we_lang_ci(b, sizeof b, lo, hi, h->lang);
    we_html_escape(h->f, b);
}

void we_h_level(const we_html *h)
{
    we_h_num(h, 100.0 * (1.0 - h->run->cfg->alpha));
}

void we_h_indicator(const we_html *h, const char *indicator)
{
    const we_catalog_rec *cat = we_report_catalog(h->run->panel, indicator);
    char words[96];
    we_h_esc(h, we_lang_indicator(h->run->panel, indicator, h->lang));
    if (cat != NULL && cat->unit != NULL && cat->unit[0] != '\0') {
        we_lang_unit_words(words, sizeof words, cat->unit, 0, h->lang);
        fputs(" <span class=\"unit\">(", h->f);
        we_h_esc(h, words);
        fputs(")</span>", h->f);
    }
}

void we_h_evidence(const we_html *h, const we_evidence *e)
{
    if (e->sms_level < 1) {
        fputs("\xe2\x80\x94", h->f);
        return;
    }
    fprintf(h->f, "SMS %d \xc2\xb7 ", e->sms_level);
    we_h_esc(h, we_erkenning_name(e->erkenning));
}

void we_h_mark(const we_html *h, const we_result_rec *r)
{
    static const char *const cls[3] = {"unclear", "better", "worse"};
    static const we_text txt[3] = {T_UNCLEAR, T_BETTER, T_WORSE};
    static const char *const sym[3] = {"?", "\xe2\x9c\x93", "\xe2\x9c\x97"};
    we_verdict v =
        r != NULL && we_report_enriched(r) ? r->x.verdict : WE_VERDICT_UNCLEAR;
    fprintf(h->f, "<span class=\"mark v-%s\">%s ", cls[v], sym[v]);
    we_h_tr(h, txt[v]);
    fputs("</span>", h->f);
}

const char *we_h_method(const we_html *h, we_method m)
{
    switch (m) {
    case WE_METHOD_PRE_POST: return we_tr(h->lang, T_M_PRE_POST);
    case WE_METHOD_GAP: return we_tr(h->lang, T_M_GAP);
    case WE_METHOD_DID_2X2: return we_tr(h->lang, T_M_DID);
    case WE_METHOD_TWFE: return we_tr(h->lang, T_M_TWFE);
    case WE_METHOD_CS: return we_tr(h->lang, T_M_CS);
    case WE_METHOD_SC: return we_tr(h->lang, T_M_SC);
    case WE_METHOD_SDID: return we_tr(h->lang, T_M_SDID);
    default: return we_report_method_name(m);
    }
}

void we_h_inference(const we_html *h, const we_result_rec *r)
{
    char buf[400];
    we_report_inference_text_lang(buf, sizeof buf, r, h->run->cfg, h->lang);
    we_h_esc(h, buf);
}
