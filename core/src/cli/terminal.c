/* The run's summary on the terminal: the same judgements as the reports
 * (report_common.c), in a compact table. */
#include "cli/terminal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report_internal.h"
#include "report/report_lang.h"
#include "report/report_verdict.h"
#include "util/text.h"

#define COLS 8
#define CELL 96
#define DASH "\xe2\x80\x94"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_GREEN "\033[32m"
#define C_RED "\033[31m"
#define C_YELLOW "\033[33m"
#define C_DIM "\033[2m"

typedef struct row {
    char cell[COLS][CELL];
    const char *colour[COLS]; /* NULL: plain */
} row;

/* Numbers align right. */
static const int right[COLS] = {0, 0, 0, 1, 0, 0, 0, 0};

int we_terminal_colour(int is_tty, const char *no_color)
{
    return is_tty && (no_color == NULL || no_color[0] == '\0');
}

/* Display columns of UTF-8 text: one per code point. */
static size_t width(const char *s)
{
    size_t n = 0;
    for (; *s != '\0'; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void num(char *buf, size_t n, double x)
{
    if (!isfinite(x)) {
        snprintf(buf, n, isinf(x) ? (x < 0 ? "-inf" : "inf") : DASH);
        return;
    }
    snprintf(buf, n, "%.3g", x);
    we_report_c_decimal(buf);
}

static const char *level_colour(int level)
{
    return level >= 3 ? C_GREEN : level == 2 ? C_YELLOW : C_RED;
}

/* The verdict the analysis layer judged (analysis/judge.c), with its
 * symbol so that it reads without colour. */
static void verdict(row *r, const we_experiment_run *x, we_lang l)
{
    static const char *const colours[] = {NULL,    C_GREEN,  C_RED,
                                          C_GREEN, C_YELLOW, C_RED};
    we_hverdict v = x->judgement.verdict;
    snprintf(r->cell[7], CELL, "%s %s", we_hverdict_symbol(v),
             we_lang_hverdict(v, l));
    r->colour[7] =
        (unsigned)v < sizeof colours / sizeof colours[0] ? colours[v] : NULL;
}

static void fill_row(row *r, const we_experiment_run *x, we_lang l)
{
    const we_result_rec *h = we_report_headline(x);
    const we_result_rec *p = we_report_primary(x);
    char a[40], b[40];
    memset(r, 0, sizeof *r);
    snprintf(r->cell[0], CELL, "%s", x->id);
    snprintf(r->cell[1], CELL, "%s", p != NULL ? p->indicator : DASH);
    /* The id and the indicator come from a plugin: no control character
     * of theirs reaches the terminal. */
    we_text_sanitize(r->cell[0]);
    we_text_sanitize(r->cell[1]);
    for (int c = 2; c < COLS; c++)
        snprintf(r->cell[c], CELL, "%s", DASH);
    snprintf(r->cell[6], CELL, "%s",
             x->status == WE_EXP_OK ? "ok" : we_tr(l, T_T_FAILED));
    r->colour[6] = x->status == WE_EXP_OK ? C_GREEN : C_RED;
    if (h == NULL)
        return;
    snprintf(r->cell[2], CELL, "%s", we_lang_method(h->est.method, l));
    if (l == WE_LANG_NL) { /* a decimal comma, "[lo; hi]" */
        we_lang_num(r->cell[3], CELL, h->est.estimate, l);
        we_lang_ci(r->cell[4], CELL, h->est.ci_low, h->est.ci_high, l);
    } else {
        num(r->cell[3], CELL, h->est.estimate);
        num(a, sizeof a, h->est.ci_low);
        num(b, sizeof b, h->est.ci_high);
        if (!isnan(h->est.ci_low) && !isnan(h->est.ci_high))
            snprintf(r->cell[4], CELL, "[%s, %s]", a, b);
    }
    if (x->evidence.sms_level >= 1) {
        snprintf(r->cell[5], CELL, "SMS %d, %s", x->evidence.sms_level,
                 we_erkenning_name(x->evidence.erkenning));
        r->colour[5] = level_colour(x->evidence.sms_level);
    }
    verdict(r, x, l);
}

static void put_cell(FILE *f, const char *s, size_t w, int align_right,
                     const char *colour, int last)
{
    size_t pad = w > width(s) ? w - width(s) : 0;
    if (align_right)
        fprintf(f, "%*s", (int)pad, "");
    if (colour != NULL)
        fprintf(f, "%s%s%s", colour, s, C_RESET);
    else
        fputs(s, f);
    if (!align_right && !last)
        fprintf(f, "%*s", (int)pad, "");
}

static void put_row(FILE *f, const char *const *cells,
                    const char *const *colours, const size_t *w, int bold)
{
    fputs("  ", f);
    for (int c = 0; c < COLS; c++) {
        if (c > 0)
            fputs("  ", f);
        put_cell(f, cells[c], w[c], right[c], bold ? C_BOLD : colours[c],
                 c == COLS - 1);
    }
    fputc('\n', f);
}

/* The rows: the programme as a whole first (as in every report format),
 * then the experiments. */
static size_t n_rows(const we_run *run)
{
    return run->n_experiments + (run->programme != NULL);
}

static const we_experiment_run *row_of(const we_run *run, size_t i)
{
    if (run->programme != NULL) {
        if (i == 0)
            return run->programme;
        i--;
    }
    return &run->experiments[i];
}

static void failures(FILE *f, const we_run *run, int colour)
{
    for (size_t i = 0; i < n_rows(run); i++) {
        const we_experiment_run *x = row_of(run, i);
        if (x->status == WE_EXP_OK)
            continue;
        /* The message may quote data or be the plugin's own words. */
        fprintf(f, "  %s", colour ? C_RED : "");
        we_text_put(f, x->id);
        fprintf(f, " failed:%s ", colour ? C_RESET : "");
        we_text_put(f, x->error != NULL ? x->error : "");
        fputc('\n', f);
    }
}

/* The side effects, in red: what a reader must not miss. */
static void side_effects(FILE *f, const we_run *run, int colour, we_lang l)
{
    char text[WE_SENTENCE];
    if (run->n_side_effects == 0)
        return;
    fprintf(f, "%s\xe2\x9a\xa0 %s:%s\n", colour ? C_RED C_BOLD : "",
            we_tr(l, T_T_SIDE), colour ? C_RESET : "");
    for (size_t i = 0; i < run->n_side_effects; i++) {
        we_side_effect_sentence(text, sizeof text, run, &run->side_effects[i],
                                l);
        fprintf(f, "  %s\xe2\x9c\x97 ", colour ? C_RED : "");
        we_text_put(f, text);
        fprintf(f, "%s\n", colour ? C_RESET : "");
    }
}

/* Per experiment, what happened in plain words and why the verdict. */
static void plain_words(FILE *f, const we_run *run, we_lang l)
{
    char text[WE_SENTENCE];
    int first = 1;
    for (size_t i = 0; i < n_rows(run); i++) {
        const we_experiment_run *x = row_of(run, i);
        we_plain_sentence(text, sizeof text, run, x, l);
        if (text[0] == '\0')
            continue;
        if (first)
            fprintf(f, "%s:\n", we_tr(l, T_T_WHAT));
        first = 0;
        fputs("  ", f);
        we_text_put(f, x->id);
        fputs(": ", f);
        we_text_put(f, text);
        /* Better and worse say it all; the others say why. */
        we_hverdict v = x->judgement.verdict;
        if (v != WE_HV_BETTER && v != WE_HV_WORSE) {
            we_verdict_reason(text, sizeof text, run, x, l);
            fputc(' ', f);
            we_text_put(f, text);
        }
        fputc('\n', f);
    }
}

void we_terminal_summary(FILE *f, const we_run *run, int colour)
{
    static const char *const none[COLS] = {NULL};
    char ci[64];
    we_lang l = we_lang_of(run->cfg);
    const char *heads[COLS] = {we_tr(l, T_T_EXPERIMENT),
                               we_tr(l, T_T_PRIMARY),
                               we_tr(l, T_T_DESIGN),
                               we_tr(l, T_T_EFFECT),
                               ci,
                               we_tr(l, T_T_EVIDENCE),
                               we_tr(l, T_T_STATUS),
                               we_tr(l, T_T_VERDICT)};
    size_t w[COLS];
    char lv[32];
    we_lang_num(lv, sizeof lv, 100.0 * (1.0 - run->cfg->alpha), l);
    snprintf(ci, sizeof ci, "%s%% %s", lv, we_tr(l, T_T_CI));
    for (int c = 0; c < COLS; c++)
        w[c] = width(heads[c]);
    row r;
    for (int pass = 0; pass < 2; pass++) {
        /* The first pass measures, the second prints. */
        if (pass == 1)
            put_row(f, heads, none, w, colour);
        for (size_t i = 0; i < n_rows(run); i++) {
            fill_row(&r, row_of(run, i), l);
            const char *cells[COLS], *colours[COLS];
            for (int c = 0; c < COLS; c++) {
                cells[c] = r.cell[c];
                colours[c] = colour ? r.colour[c] : NULL;
                if (pass == 0 && width(r.cell[c]) > w[c])
                    w[c] = width(r.cell[c]);
            }
            if (pass == 1)
                put_row(f, cells, colours, w, 0);
        }
    }
    failures(f, run, colour);
    side_effects(f, run, colour, l);
    plain_words(f, run, l);
}

void we_terminal_files(FILE *f, const char *dir, unsigned formats, int colour,
                       we_lang l)
{
    static const struct {
        unsigned bit;
        const char *name;
    } files[] = {{WE_FORMAT_HTML, "report.html"},
                 {WE_FORMAT_MD, "report.md"},
                 {WE_FORMAT_JSON, "report.json"},
                 {WE_FORMAT_CSV, "results.csv"}};
    size_t n = strlen(dir);
    const char *sep = n > 0 && dir[n - 1] == '/' ? "" : "/";
    fprintf(f, "%s %s%s%s%s\n", we_tr(l, T_T_WRITTEN), colour ? C_BOLD : "",
            dir, sep, colour ? C_RESET : "");
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (formats & files[i].bit)
            fprintf(f, "  %s%s%s\n", dir, sep, files[i].name);
}

void we_terminal_more_files(FILE *f, const char *dir,
                            const char *const *names, size_t n)
{
    size_t len = strlen(dir);
    const char *sep = len > 0 && dir[len - 1] == '/' ? "" : "/";
    for (size_t i = 0; i < n; i++)
        fprintf(f, "  %s%s%s\n", dir, sep, names[i]);
}
