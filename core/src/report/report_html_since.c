/* "Since the previous report" on the HTML report's first screen: an
 * arrow per experiment and a short list of the causes (docs/history.md).
 * Nothing when the run has no previous run. */
#include <stdio.h>
#include <string.h>

#include "report/report_html_internal.h"
#include "report/report_verdict.h"

static const char *arrow(we_sp_move m)
{
    switch (m) {
    case WE_SP_UP: return "\xe2\x96\xb2";
    case WE_SP_DOWN: return "\xe2\x96\xbc";
    case WE_SP_CHANGED: return "\xe2\x97\x86";
    case WE_SP_NEW: return "+";
    case WE_SP_GONE: return "\xe2\x80\x93";
    case WE_SP_SAME: break;
    }
    return "=";
}

static const char *verdict_text(const we_html *h, const char *v)
{
    /* The DG verdict (we_hverdict_name); the interval's for a run
     * recorded before history schema 3. */
    for (int d = WE_HV_BETTER; d <= WE_HV_NOT_CREDIBLE; d++)
        if (strcmp(v, we_hverdict_name((we_hverdict)d)) == 0)
            return we_lang_hverdict((we_hverdict)d, h->lang);
    if (strcmp(v, "better") == 0)
        return we_tr(h->lang, T_BETTER);
    if (strcmp(v, "worse") == 0)
        return we_tr(h->lang, T_WORSE);
    if (strcmp(v, "unclear") == 0)
        return we_tr(h->lang, T_UNCLEAR);
    return v;
}

static void side(const we_html *h, const we_sp_side *s)
{
    if (!s->present || !s->ok) {
        we_h_tr(h, !s->present ? T_NOT_AVAILABLE : T_FAILED);
        return;
    }
    const char *v = s->verdict[0] ? s->verdict : s->interval;
    fprintf(h->f, "<span class=\"sv-%s\">", v);
    we_h_esc(h, verdict_text(h, v));
    fputs("</span>", h->f);
    if (s->has_effect) {
        fputs(" ", h->f);
        we_h_num(h, s->estimate);
        fputs(" ", h->f);
        we_h_ci(h, s->ci_low, s->ci_high);
    }
    if (s->sms_level > 0)
        fprintf(h->f, " \xc2\xb7 SMS %d", s->sms_level);
}

static const char *title_of(const we_html *h, const char *id,
                            int is_programme)
{
    if (is_programme && h->run->programme != NULL)
        return we_lang_title(h->run->programme, h->lang);
    for (size_t k = 0; k < h->run->n_experiments; k++)
        if (strcmp(h->run->experiments[k].id, id) == 0)
            return we_lang_title(&h->run->experiments[k], h->lang);
    return id;
}

static void causes(const we_html *h, const we_since_previous *sp)
{
    fputs("<p class=\"since-why\"><strong>", h->f);
    we_h_tr(h, T_SP_WHY);
    fputs(":</strong> ", h->f);
    const char *sep = "";
    if (sp->new_periods) {
        we_h_tr(h, T_SP_PERIODS);
        for (size_t i = 0; i < sp->n_added_periods; i++)
            fprintf(h->f, "%s %d", i ? "," : "", sp->added_periods[i]);
        sep = "; ";
    }
    if (sp->n_revisions > 0) {
        fputs(sep, h->f);
        we_h_tr(h, T_SP_REVISED);
        for (size_t i = 0; i < sp->n_revisions; i++) {
            const we_sp_revision *r = &sp->revisions[i];
            fputs(i ? ", " : ": ", h->f);
            we_h_indicator(h, r->indicator);
            if (r->first_period == r->last_period)
                fprintf(h->f, " (%d", r->first_period);
            else
                fprintf(h->f, " (%d\xe2\x80\x93%d", r->first_period,
                        r->last_period);
            if (r->n_cells >= 0) {
                fprintf(h->f, ", %ld ", r->n_cells);
                we_h_tr(h, T_SP_CELLS);
            }
            fputs(")", h->f);
        }
        sep = "; ";
    }
    if (sp->n_settings > 0) {
        fputs(sep, h->f);
        we_h_tr(h, T_SP_METHOD);
        for (size_t i = 0; i < sp->n_settings; i++) {
            fputs(i ? ", " : ": ", h->f);
            we_h_esc(h, sp->settings[i].key);
            fputs(" ", h->f);
            we_h_esc(h, sp->settings[i].then);
            fputs(" \xe2\x86\x92 ", h->f);
            we_h_esc(h, sp->settings[i].now);
        }
        sep = "; ";
    } else if (sp->config_changed) {
        fputs(sep, h->f);
        we_h_tr(h, T_SP_CONFIG);
        sep = "; ";
    }
    if (sep[0] == '\0')
        we_h_tr(h, T_SP_NOTHING);
    if (sp->n_targets > 0) {
        fprintf(h->f, "; %zu ", sp->n_targets);
        we_h_tr(h, T_SP_TARGETS);
    }
    fputs(".</p>\n", h->f);
}

void we_html_since_mark(const we_html *h, const we_experiment_run *x)
{
    const we_since_previous *sp = h->run->since_previous;
    for (size_t i = 0; sp != NULL && i < sp->n_experiments; i++) {
        const we_sp_experiment *e = &sp->experiments[i];
        if (!e->verdict_changed || e->is_programme != x->is_programme ||
            (!x->is_programme && strcmp(e->id, x->id) != 0))
            continue;
        const we_sp_side *s = &e->then;
        const char *v = s->verdict[0] ? s->verdict : s->interval;
        fprintf(h->f, " <a class=\"was a-%s\" href=\"#since-previous\">"
                "%s ", we_sp_move_name(e->move), arrow(e->move));
        we_h_tr(h, T_SP_WAS);
        fputs(": ", h->f);
        if (s->present && s->ok)
            we_h_esc(h, verdict_text(h, v));
        else
            we_h_tr(h, !s->present ? T_NOT_AVAILABLE : T_FAILED);
        fputs("</a>", h->f);
        return;
    }
}

void we_html_since_previous(const we_html *h)
{
    const we_since_previous *sp = h->run->since_previous;
    if (sp == NULL)
        return;
    fputs("<section class=\"since\" id=\"since-previous\">\n<h2>", h->f);
    we_h_tr(h, T_SP_TITLE);
    fputs("</h2>\n<p class=\"note\">", h->f);
    we_h_tr(h, T_SP_INTRO);
    fprintf(h->f, " %ld (", sp->prev_id);
    we_h_esc(h, sp->prev_name);
    fputs(", ", h->f);
    we_h_esc(h, sp->prev_finished);
    fputs("; ", h->f);
    we_h_tr(h, T_SP_DATA);
    fprintf(h->f, " %d\xe2\x80\x93%d). ", sp->prev_first, sp->prev_last);
    we_h_tr(h, T_SP_LEGEND);
    fputs(".</p>\n<ul class=\"since-list\">\n", h->f);
    for (size_t i = 0; i < sp->n_experiments; i++) {
        const we_sp_experiment *e = &sp->experiments[i];
        fprintf(h->f, "<li><span class=\"arrow a-%s\" aria-label=\"%s\">%s"
                "</span> ", we_sp_move_name(e->move),
                we_sp_move_name(e->move), arrow(e->move));
        we_h_esc(h, title_of(h, e->id, e->is_programme));
        fputs(": ", h->f);
        side(h, &e->then);
        fputs(" \xe2\x86\x92 ", h->f);
        side(h, &e->now);
        if (e->indicator_revised) {
            fputs(" <span class=\"badge\">", h->f);
            we_h_tr(h, T_SP_REV_MARK);
            fputs("</span>", h->f);
        }
        fputs("</li>\n", h->f);
    }
    fputs("</ul>\n", h->f);
    causes(h, sp);
    fputs("</section>\n", h->f);
}
