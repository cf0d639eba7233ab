/* The run's summary on the terminal: the same judgements as the reports
 * (report_common.c), in a compact table. */
#include "cli/terminal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report_internal.h"
#include "util/text.h"

#define COLS 7
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
static const int right[COLS] = {0, 0, 1, 0, 0, 0, 0};

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

/* The verdict and warnings the analysis layer judged (analysis/judge.c). */
static void verdict(row *r, const we_result_rec *h)
{
    static const char *const colours[3] = {NULL, C_GREEN, C_RED};
    we_verdict v = h->x.verdict;
    int pre = h->x.pretrend_rejected;
    int low = h->x.underpowered;
    snprintf(r->cell[6], CELL, "%s%s%s", we_verdict_name(v),
             pre ? ", pre-trends rejected" : "",
             low ? ", underpowered" : "");
    r->colour[6] = pre || low ? C_YELLOW : colours[v];
}

static void fill_row(row *r, const we_experiment_run *x)
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
    snprintf(r->cell[5], CELL, "%s", x->status == WE_EXP_OK ? "ok" : "FAILED");
    r->colour[5] = x->status == WE_EXP_OK ? C_GREEN : C_RED;
    if (h == NULL)
        return;
    num(r->cell[2], CELL, h->est.estimate);
    num(a, sizeof a, h->est.ci_low);
    num(b, sizeof b, h->est.ci_high);
    if (!isnan(h->est.ci_low) && !isnan(h->est.ci_high))
        snprintf(r->cell[3], CELL, "[%s, %s]", a, b);
    if (x->evidence.sms_level >= 1) {
        snprintf(r->cell[4], CELL, "SMS %d, %s", x->evidence.sms_level,
                 we_erkenning_name(x->evidence.erkenning));
        r->colour[4] = level_colour(x->evidence.sms_level);
    }
    verdict(r, h);
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

static void failures(FILE *f, const we_run *run, int colour)
{
    for (size_t i = 0; i < run->n_experiments; i++) {
        const we_experiment_run *x = &run->experiments[i];
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

void we_terminal_summary(FILE *f, const we_run *run, int colour)
{
    static const char *const none[COLS] = {NULL};
    char ci[32];
    const char *heads[COLS] = {"experiment", "primary indicator", "effect",
                               ci, "evidence", "status", "verdict"};
    size_t w[COLS];
    snprintf(ci, sizeof ci, "%.3g%% CI", 100.0 * (1.0 - run->cfg->alpha));
    we_report_c_decimal(ci);
    for (int c = 0; c < COLS; c++)
        w[c] = width(heads[c]);
    row r;
    for (int pass = 0; pass < 2; pass++) {
        /* The first pass measures, the second prints. */
        if (pass == 1)
            put_row(f, heads, none, w, colour);
        for (size_t i = 0; i < run->n_experiments; i++) {
            fill_row(&r, &run->experiments[i]);
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
}

void we_terminal_files(FILE *f, const char *dir, unsigned formats,
                       int colour)
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
    fprintf(f, "report written to %s%s%s%s\n", colour ? C_BOLD : "", dir, sep,
            colour ? C_RESET : "");
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
