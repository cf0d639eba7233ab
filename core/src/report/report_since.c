/* "Since the previous report" in report.json, report.md and
 * since_previous.csv (docs/history.md); the HTML's is in
 * report_html_since.c. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report_internal.h"
#include "report/report_json_internal.h"
#include "report/report_md_internal.h"
#include "report/report_since.h"

int we_report_has_since(const we_run *run)
{
    return run->since_previous != NULL;
}

/* ---- JSON ------------------------------------------------------------- */

static json_t *j_side(const we_sp_side *s)
{
    if (!s->present)
        return json_null();
    static const char *const k[] = {"status",    "verdict", "interval_verdict",
                                    "indicator", "method",  "estimate",
                                    "ci_low",    "ci_high", "sms_level"};
    json_t *v[] = {json_string(s->ok ? "ok" : "failed"),
                   s->verdict[0] ? we_rj_str(s->verdict) : json_null(),
                   s->interval[0] ? we_rj_str(s->interval) : json_null(),
                   s->indicator[0] ? we_rj_str(s->indicator) : json_null(),
                   s->method[0] ? we_rj_str(s->method) : json_null(),
                   we_rj_num(s->estimate),
                   we_rj_num(s->ci_low),
                   we_rj_num(s->ci_high),
                   s->sms_level > 0 ? json_integer(s->sms_level)
                                    : json_null()};
    return we_rj_object(sizeof k / sizeof k[0], k, v);
}

static json_t *j_experiments(const we_since_previous *sp)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < sp->n_experiments; i++) {
        const we_sp_experiment *e = &sp->experiments[i];
        static const char *const k[] = {"id",
                                        "programme",
                                        "change",
                                        "verdict_changed",
                                        "indicator_revised",
                                        "previous",
                                        "current"};
        json_t *v[] = {we_rj_str(e->id),
                       json_boolean(e->is_programme),
                       json_string(we_sp_move_name(e->move)),
                       json_boolean(e->verdict_changed),
                       json_boolean(e->indicator_revised),
                       j_side(&e->then),
                       j_side(&e->now)};
        if (json_array_append_new(a, we_rj_object(7, k, v)) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *j_causes(const we_since_previous *sp)
{
    json_t *added = json_array(), *rev = json_array(), *set = json_array(),
           *inp = json_array();
    int bad = added == NULL || rev == NULL || set == NULL || inp == NULL;
    for (size_t i = 0; !bad && i < sp->n_added_periods; i++)
        bad = json_array_append_new(added,
                                    json_integer(sp->added_periods[i])) != 0;
    for (size_t i = 0; !bad && i < sp->n_revisions; i++) {
        const we_sp_revision *r = &sp->revisions[i];
        bad = json_array_append_new(
                  rev, json_pack("{s:s,s:I,s:o,s:i,s:i}", "indicator",
                                 r->indicator, "periods",
                                 (json_int_t)r->n_periods, "cells",
                                 we_rj_count(r->n_cells), "first_period",
                                 r->first_period, "last_period",
                                 r->last_period)) != 0;
    }
    for (size_t i = 0; !bad && i < sp->n_settings; i++) {
        const we_sp_setting *s = &sp->settings[i];
        bad = json_array_append_new(
                  set, json_pack("{s:s,s:s,s:s}", "key", s->key, "previous",
                                 s->then, "current", s->now)) != 0;
    }
    for (size_t i = 0; !bad && i < sp->n_inputs; i++)
        bad = json_array_append_new(inp, json_string(sp->inputs[i].key)) != 0;
    if (bad) {
        json_decref(added);
        json_decref(rev);
        json_decref(set);
        json_decref(inp);
        return NULL;
    }
    return json_pack("{s:b,s:o,s:b,s:o,s:b,s:b,s:o,s:o}", "new_periods",
                     sp->new_periods, "added_periods", added,
                     "revised_data", sp->n_revisions > 0,
                     "revised_indicators", rev, "config_changed",
                     sp->config_changed, "method_changed",
                     sp->n_settings > 0, "changed_settings", set,
                     "changed_inputs", inp);
}

static json_t *j_targets(const we_since_previous *sp)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < sp->n_targets; i++) {
        const we_sp_target *t = &sp->targets[i];
        if (json_array_append_new(
                a, json_pack("{s:s,s:s,s:s,s:s}", "area", t->area,
                             "indicator", t->indicator, "previous", t->then,
                             "current", t->now)) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

json_t *we_rj_since_previous(const we_run *run)
{
    const we_since_previous *sp = run->since_previous;
    if (sp == NULL)
        return json_null();
    json_t *prev = json_pack("{s:I,s:s,s:s,s:s,s:i,s:i,s:i,s:b}", "run_id",
                             (json_int_t)sp->prev_id, "name", sp->prev_name,
                             "finished", sp->prev_finished, "version",
                             sp->prev_version, "baseline", sp->prev_baseline,
                             "first_period", sp->prev_first, "last_period",
                             sp->prev_last, "chosen", sp->chosen);
    static const char *const k[] = {"series", "previous", "verdicts_changed",
                                    "causes", "experiments", "targets"};
    json_t *v[] = {we_rj_str(sp->series), prev,
                   json_integer((json_int_t)sp->n_verdicts_changed),
                   j_causes(sp), j_experiments(sp), j_targets(sp)};
    return we_rj_object(sizeof k / sizeof k[0], k, v);
}

/* ---- CSV ---------------------------------------------------------------- */

static void csv_num(FILE *f, double x)
{
    char buf[40];
    if (isfinite(x)) {
        we_report_g17(buf, sizeof buf, x);
        fputs(buf, f);
    }
}

static void csv_side(FILE *f, const we_sp_side *s)
{
    fprintf(f, ",%s,%s,%s,", s->present ? (s->ok ? "ok" : "failed") : "",
            s->verdict, s->indicator);
    csv_num(f, s->estimate);
    fputc(',', f);
    csv_num(f, s->ci_low);
    fputc(',', f);
    csv_num(f, s->ci_high);
    fputc(',', f);
    if (s->sms_level > 0)
        fprintf(f, "%d", s->sms_level);
}

int we_report_since_csv(const we_run *run, FILE *f, we_error *err)
{
    const we_since_previous *sp = run->since_previous;
    fputs("experiment,change,previous_run,previous_status,previous_verdict,"
          "previous_indicator,previous_estimate,previous_ci_low,"
          "previous_ci_high,previous_sms_level,current_status,"
          "current_verdict,current_indicator,current_estimate,"
          "current_ci_low,current_ci_high,current_sms_level,"
          "indicator_revised,previous_interval_verdict,"
          "current_interval_verdict,programme\n",
          f);
    for (size_t i = 0; sp != NULL && i < sp->n_experiments; i++) {
        const we_sp_experiment *e = &sp->experiments[i];
        /* Ids are [A-Za-z0-9_]: no quoting needed. */
        fprintf(f, "%s,%s,%ld", e->id, we_sp_move_name(e->move), sp->prev_id);
        csv_side(f, &e->then);
        csv_side(f, &e->now);
        fprintf(f, ",%s,%s,%s,%s\n", e->indicator_revised ? "yes" : "no",
                e->then.interval, e->now.interval,
                e->is_programme ? "yes" : "no");
    }
    return ferror(f) ? we_fail(err, WE_EINVAL, "cannot write "
                               "since_previous.csv") : 0;
}

/* ---- Markdown ----------------------------------------------------------- */

static const char *md_arrow(we_sp_move m, we_lang l)
{
    switch (m) {
    case WE_SP_UP: return "\xe2\x96\xb2";      /* ▲ */
    case WE_SP_DOWN: return "\xe2\x96\xbc";    /* ▼ */
    case WE_SP_CHANGED: return "\xe2\x97\x86"; /* ◆ */
    case WE_SP_NEW: return we_tr(l, T_MDS_NEW);
    case WE_SP_GONE: return we_tr(l, T_MDS_GONE);
    case WE_SP_SAME: break;
    }
    return "=";
}

static void md_side(FILE *f, const we_sp_side *s, we_lang l)
{
    char buf[40];
    if (!s->present) {
        fputs(WE_MD_DASH, f);
        return;
    }
    if (!s->ok) {
        fputs(we_tr(l, T_MDS_FAILED), f);
        return;
    }
    /* The interval's verdict for a run recorded before schema 3. */
    fputs(s->verdict[0]    ? s->verdict
          : s->interval[0] ? s->interval
                           : WE_MD_DASH,
          f);
    if (s->has_effect) {
        fprintf(f, ", %s ", we_md_num(buf, sizeof buf, s->estimate, l));
        we_md_ci(f, s->ci_low, s->ci_high, l);
    }
    if (s->sms_level > 0)
        fprintf(f, ", SMS %d", s->sms_level);
}

static void md_causes(const we_since_previous *sp, FILE *f, we_lang l)
{
    fputs(we_tr(l, T_MDS_WHAT), f);
    if (sp->new_periods) {
        fputs(we_tr(l, T_MDS_NEW_PERIODS), f);
        for (size_t i = 0; i < sp->n_added_periods; i++)
            fprintf(f, "%s %d", i ? "," : "", sp->added_periods[i]);
        fprintf(f, "%s%d%s%d).\n", we_tr(l, T_MDS_RUN_TO1), sp->now_last,
                we_tr(l, T_MDS_RUN_TO2), sp->prev_last);
    }
    if (sp->n_revisions > 0) {
        fputs(we_tr(l, T_MDS_REVISED), f);
        for (size_t i = 0; i < sp->n_revisions; i++) {
            const we_sp_revision *r = &sp->revisions[i];
            fprintf(f, "%s `%s` (", i ? ";" : "", r->indicator);
            if (r->first_period == r->last_period)
                fprintf(f, "%d", r->first_period);
            else
                fprintf(f, "%zu %s, %d-%d", r->n_periods,
                        we_tr(l, T_MDS_PERIODS), r->first_period,
                        r->last_period);
            if (r->n_cells >= 0)
                fprintf(f, ": %ld %s", r->n_cells, we_tr(l, T_MDS_CELLS));
            fputc(')', f);
        }
        fputs(".\n", f);
    }
    if (sp->n_settings > 0) {
        fputs(we_tr(l, T_MDS_CHANGED), f);
        for (size_t i = 0; i < sp->n_settings; i++) {
            const we_sp_setting *s = &sp->settings[i];
            fprintf(f, "%s `%s` %s \xe2\x86\x92 %s", i ? ";" : "", s->key,
                    s->then[0] ? s->then : WE_MD_DASH,
                    s->now[0] ? s->now : WE_MD_DASH);
        }
        fputs(".\n", f);
    } else if (sp->config_changed)
        fputs(we_tr(l, T_MDS_CONFIG), f);
    if (!sp->new_periods && sp->n_revisions == 0 && sp->n_settings == 0 &&
        !sp->config_changed)
        fputs(we_tr(l, T_MDS_NOTHING), f);
}

void we_report_since_md(const we_run *run, FILE *f)
{
    const we_since_previous *sp = run->since_previous;
    if (sp == NULL)
        return;
    we_lang l = we_lang_of(run->cfg);
    fprintf(f, "%s%ld%s%s` (`%s`%s%s%s%d-%d%s%zu%s", we_tr(l, T_MDS_T1),
            sp->prev_id, we_tr(l, T_MDS_T2), sp->series, sp->prev_name,
            we_tr(l, T_MDS_T3), sp->prev_finished, we_tr(l, T_MDS_T4),
            sp->prev_first, sp->prev_last, we_tr(l, T_MDS_T5),
            sp->n_verdicts_changed,
            sp->n_verdicts_changed == 1 ? we_tr(l, T_MDS_T6_ONE)
                                        : we_tr(l, T_MDS_T6_MANY));
    fputs("|---|---|---|---|\n", f);
    for (size_t i = 0; i < sp->n_experiments; i++) {
        const we_sp_experiment *e = &sp->experiments[i];
        fprintf(f, "| %s | %s%s%s | ", md_arrow(e->move, l), e->id,
                e->is_programme ? we_tr(l, T_MDS_PROGRAMME) : "",
                e->indicator_revised ? we_tr(l, T_MDS_IND_REVISED) : "");
        md_side(f, &e->then, l);
        fputs(" | ", f);
        md_side(f, &e->now, l);
        fputs(" |\n", f);
    }
    md_causes(sp, f, l);
    if (sp->n_targets > 0) {
        fputs(we_tr(l, T_MDS_TARGETS), f);
        for (size_t i = 0; i < sp->n_targets; i++) {
            const we_sp_target *t = &sp->targets[i];
            fprintf(f, "- %s %s: %s \xe2\x86\x92 %s\n", t->area,
                    t->indicator[0] ? t->indicator : we_tr(l, T_MDS_ITEM),
                    t->then, t->now);
        }
    }
    fputc('\n', f);
}
