/* The first screen's verdicts and side effects (report_html_internal.h):
 * one line per experiment with its verdict (a symbol and a word, never
 * colour alone), what happened in plain words and why the verdict, and
 * the side effects in red beside them. Separate from the page's layout
 * so that the printed first page can place them. */
#include "report/report_html_internal.h"
#include "report/report_internal.h"
#include "report/report_verdict.h"

void we_h_hverdict(const we_html *h, const we_experiment_run *x)
{
    we_hverdict v = x->judgement.verdict;
    if (x->status != WE_EXP_OK || v == WE_HV_NONE) {
        fputs("<span class=\"badge v-failed\">", h->f);
        we_h_tr(h, T_FAILED);
        fputs("</span>", h->f);
        return;
    }
    fprintf(h->f, "<span class=\"badge v-%s\">%s ", we_hverdict_name(v),
            we_hverdict_symbol(v));
    we_h_esc(h, we_lang_hverdict(v, h->lang));
    fputs("</span>", h->f);
}

void we_h_verdict_words(const we_html *h, const we_experiment_run *x,
                        int always_why)
{
    char text[WE_SENTENCE];
    we_plain_sentence(text, sizeof text, h->run, x, h->lang);
    if (text[0] != '\0') {
        fputs("<span class=\"plain\">", h->f);
        we_h_esc(h, text);
        fputs("</span> ", h->f);
    }
    we_hverdict v = x->judgement.verdict;
    if (!always_why && (v == WE_HV_BETTER || v == WE_HV_WORSE))
        return; /* the badge says it all */
    we_verdict_reason(text, sizeof text, h->run, x, h->lang);
    if (text[0] != '\0') {
        fputs("<span class=\"why\">", h->f);
        we_h_esc(h, text);
        fputs("</span>", h->f);
    }
}

static void verdict_line(const we_html *h, const we_experiment_run *x)
{
    fputs(x->is_programme ? "<li class=\"programme\"><span class=\"tag\">"
                          : "<li>",
          h->f);
    if (x->is_programme) {
        we_h_tr(h, T_FRONT_PROG_TAG);
        fputs("</span> ", h->f);
    }
    fputs("<a href=\"#exp-", h->f);
    we_h_esc(h, x->id);
    fputs("\">", h->f);
    we_h_esc(h, we_lang_title(x, h->lang));
    fputs("</a> ", h->f);
    we_h_hverdict(h, x);
    we_html_since_mark(h, x);
    fputs(" <span class=\"line\">", h->f);
    if (x->status != WE_EXP_OK) {
        we_h_esc(h, x->error != NULL ? x->error : "");
    } else {
        we_h_verdict_words(h, x, 0);
        fputs(" \xc2\xb7 ", h->f);
        we_h_evidence(h, &x->evidence);
    }
    fputs("</span>", h->f);
    if (!x->is_programme) /* the costs are per experiment */
        we_html_front_lines(h, (size_t)(x - h->run->experiments));
    fputs("</li>\n", h->f);
}

/* The programme as a whole first, marked as the general approach, then
 * the experiments: what each added to it. */
void we_html_verdicts(const we_html *h, const size_t *order)
{
    fputs("<h2>", h->f);
    we_h_tr(h, T_VERDICTS);
    fputs("</h2>\n", h->f);
    if (h->run->programme != NULL) {
        fputs("<ul class=\"verdicts programme\">\n", h->f);
        verdict_line(h, h->run->programme);
        fputs("</ul>\n<p class=\"exp-head\">", h->f);
        we_h_tr(h, T_FRONT_EXP_HEAD);
        fputs("</p>\n", h->f);
    }
    fputs("<ul class=\"verdicts\">\n", h->f);
    for (size_t i = 0; i < h->run->n_experiments; i++)
        verdict_line(h, &h->run->experiments[order[i]]);
    fputs("</ul>\n<p class=\"note\">", h->f);
    we_h_tr(h, T_HV_NOTE);
    fputs("</p>\n", h->f);
}

void we_html_side_effects(const we_html *h)
{
    char text[WE_SENTENCE];
    const we_run *run = h->run;
    fputs("<section class=\"side-effects", h->f);
    fputs(run->n_side_effects > 0 ? " found" : "", h->f);
    fputs("\" id=\"side-effects\" role=\"note\">\n<h2>", h->f);
    if (run->n_side_effects > 0)
        fputs("\xe2\x9a\xa0 ", h->f);
    we_h_tr(h, T_SIDE_TITLE);
    fputs("</h2>\n", h->f);
    if (run->n_side_effects == 0) {
        fputs("<p>", h->f);
        we_h_tr(h, T_SIDE_NONE);
        fputs("</p>\n</section>\n", h->f);
        return;
    }
    fputs("<ul>\n", h->f);
    for (size_t i = 0; i < run->n_side_effects; i++) {
        const we_side_effect *s = &run->side_effects[i];
        we_side_effect_sentence(text, sizeof text, run, s, h->lang);
        fprintf(h->f,
                "<li class=\"side-%s\"><span class=\"mark\">"
                "\xe2\x9c\x97</span> ",
                we_side_kind_name(s->kind));
        we_h_esc(h, text);
        fputs("</li>\n", h->f);
    }
    fputs("</ul>\n<p class=\"note\">", h->f);
    we_h_tr(h, T_SIDE_NOTE);
    fputs("</p>\n</section>\n", h->f);
}
