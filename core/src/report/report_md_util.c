#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report_internal.h"
#include "report/report_lang.h"
#include "report/report_md_internal.h"
#include "util/text.h"

/* Three significant digits read well in a table; large amounts (euros,
 * counts) are shown whole rather than as 2.16e+05. */
const char *we_md_num(char *buf, size_t n, double x, we_lang l)
{
    if (!isfinite(x))
        return WE_MD_DASH;
    if (l == WE_LANG_NL) {
        we_lang_num(buf, n, x, l);
        return buf;
    }
    double a = fabs(x);
    if (a >= 1000 && a < 1e15)
        snprintf(buf, n, "%.0f", x);
    else
        snprintf(buf, n, "%.3g", x);
    we_report_c_decimal(buf);
    return buf;
}

const char *we_md_p(char *buf, size_t n, double p, we_lang l)
{
    if (!isfinite(p))
        return WE_MD_DASH;
    if (l == WE_LANG_NL) {
        we_lang_p(buf, n, p, l);
        return buf;
    }
    if (p < 0.001)
        return "<0.001";
    snprintf(buf, n, "%.3f", p);
    we_report_c_decimal(buf);
    return buf;
}

void we_md_p_eq(FILE *f, double p, we_lang l)
{
    char b[64];
    if (l == WE_LANG_NL) {
        we_lang_p_eq(b, sizeof b, p, l);
        fputs(isfinite(p) ? b : "p = " WE_MD_DASH, f);
        return;
    }
    if (isfinite(p) && p < 0.001)
        fputs("p < 0.001", f);
    else
        fprintf(f, "p = %s", we_md_p(b, sizeof b, p, l));
}

/* '_' opens or closes emphasis only at a word's edge: between two
 * letters or digits (UTF-8 letters counted as such) it stays as it is,
 * so that ids like score_0_10 read unchanged. */
static int md_word_byte(char c)
{
    return (unsigned char)c >= 0x80 || (c >= '0' && c <= '9') ||
           (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A line that starts with '#' is a heading, with '>' a quote; with '-', '+' or '=' not
 * followed by a letter or digit a list item, a rule or a setext
 * underline (-0.5 stays); with digits and '.' or ')' then a space an
 * ordered list (1.5 stays). Returns the bytes up to and including the
 * marker to escape, else 0. */
static size_t md_block_marker(const char *s)
{
    if (s[0] == '#' || s[0] == '>')
        return 1;
    if ((s[0] == '-' || s[0] == '+' || s[0] == '=') && !md_word_byte(s[1]))
        return 1;
    size_t i = 0;
    while (s[i] >= '0' && s[i] <= '9')
        i++;
    if (i > 0 && (s[i] == '.' || s[i] == ')') &&
        (s[i + 1] == ' ' || s[i + 1] == '\t' || s[i + 1] == '\0'))
        return i + 1;
    return 0;
}

static int md_ascii_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* One byte of text, escaped for Markdown; start is the text's first
 * byte, for the '_' rule. */
static void md_char(FILE *f, const char *start, const char *p)
{
    switch (*p) {
    case '&':
        fputs(md_ascii_letter(p[1]) || p[1] == '#' ? "&amp;" : "&", f);
        return;
    case '<':
        fputs(md_ascii_letter(p[1]) || p[1] == '/' || p[1] == '!' ||
                      p[1] == '?'
                  ? "&lt;"
                  : "<",
              f);
        return;
    case '\\': case '`': case '*': case '[': case ']': case '|': case '~':
        fputc('\\', f);
        break;
    case '(':
        /* Not needed after an escaped ']', but then no "](" at all is
         * left for a reader or a check to mistake for a link. */
        if (p > start && p[-1] == ']')
            fputc('\\', f);
        break;
    case '_':
        if (p == start || !md_word_byte(p[-1]) || !md_word_byte(p[1]))
            fputc('\\', f);
        break;
    default:
        break;
    }
    fputc(*p, f);
}

/* The one way data text (names, labels, units, a plugin's titles and
 * messages, the configuration's title) enters report.md. Escaped is only
 * what Markdown or HTML would act on: '<' before a letter, '/', '!' or
 * '?' (a tag, comment or autolink) as &lt; and '&' before a letter or '#'
 * (an entity) as &amp; ("p < 0.001" and "R & D" stay); '[' and ']' (no
 * link or image: '(', ')' and '!' mean nothing without them, yet a '('
 * right after ']' is escaped too, so no "](" is left); '`', '*',
 * '~', the backslash and '_' at a word's edge (code span, emphasis,
 * strike-through, an escape of ours undone); '|' (it would split a table
 * cell); a leading block marker (md_block_marker). Line breaks and tabs
 * become spaces (a break would end the table), control characters '?'
 * (util/text.h). Ordinary text (letters, digits, spaces, apostrophes,
 * hyphens, '%', '(', ')', '/', ',', '.', ':', '_' inside a word) is
 * written unchanged. */
void we_md_cell(FILE *f, const char *s)
{
    if (s == NULL || s[0] == '\0') {
        fputs(WE_MD_DASH, f);
        return;
    }
    size_t lead = md_block_marker(s);
    if (lead > 0) {
        fwrite(s, 1, lead - 1, f);
        fputc('\\', f);
        fputc(s[lead - 1], f);
    }
    for (const char *p = s + lead; *p != '\0';) {
        size_t c = we_text_control_len(p);
        if (*p == '\n' || *p == '\r' || *p == '\t') {
            fputc(' ', f);
            p++;
        } else if (c > 0) {
            fputc(WE_TEXT_REPLACEMENT, f);
            p += c;
        } else if ((unsigned char)*p >= 0x80) {
            size_t n = we_text_char_len(p);
            fwrite(p, 1, n, f);
            p += n;
        } else {
            md_char(f, s, p++);
        }
    }
}

/* A code span (a file path): backslash escapes do not work inside one,
 * and nothing in it is HTML or a link, so only the fence matters: longer
 * than any run of backticks in the text, with a space against a backtick
 * at either end. Control characters and line breaks as in we_md_cell. */
void we_md_code(FILE *f, const char *s)
{
    size_t run = 0, longest = 0;
    if (s == NULL || s[0] == '\0') {
        fputs(WE_MD_DASH, f);
        return;
    }
    for (const char *p = s; *p != '\0'; p++) {
        run = *p == '`' ? run + 1 : 0;
        longest = run > longest ? run : longest;
    }
    size_t len = strlen(s);
    int pad = s[0] == '`' || s[len - 1] == '`';
    for (size_t i = 0; i <= longest; i++)
        fputc('`', f);
    if (pad)
        fputc(' ', f);
    for (const char *p = s; *p != '\0';) {
        size_t c = we_text_control_len(p);
        if (*p == '\n' || *p == '\r' || *p == '\t') {
            fputc(' ', f);
            p++;
        } else if (c > 0) {
            fputc(WE_TEXT_REPLACEMENT, f);
            p += c;
        } else {
            size_t n = we_text_char_len(p);
            fwrite(p, 1, n, f);
            p += n;
        }
    }
    if (pad)
        fputc(' ', f);
    for (size_t i = 0; i <= longest; i++)
        fputc('`', f);
}

static const char *bound(char *buf, size_t n, double x, we_lang l)
{
    if (isinf(x))
        return x < 0 ? "\xe2\x88\x92\xe2\x88\x9e" : "\xe2\x88\x9e";
    return we_md_num(buf, n, x, l);
}

void we_md_ci(FILE *f, double lo, double hi, we_lang l)
{
    char a[40], b[40];
    if (isnan(lo) || isnan(hi)) {
        fputs(WE_MD_DASH, f);
        return;
    }
    fprintf(f, l == WE_LANG_NL ? "[%s; %s]" : "[%s, %s]",
            bound(a, sizeof a, lo, l), bound(b, sizeof b, hi, l));
}

void we_md_indicator(FILE *f, const we_panel *p, const char *indicator,
                     we_lang l)
{
    const we_catalog_rec *cat = we_report_catalog(p, indicator);
    if (cat == NULL || cat->label_en == NULL || cat->label_en[0] == '\0') {
        we_md_cell(f, l == WE_LANG_NL ? we_lang_indicator(p, indicator, l)
                                      : indicator);
        return;
    }
    we_md_cell(f, l == WE_LANG_NL ? we_lang_indicator(p, indicator, l)
                                  : cat->label_en);
    if (cat->unit != NULL && cat->unit[0] != '\0') {
        char words[96];
        fputs(" (", f);
        if (l == WE_LANG_NL) {
            we_lang_unit_words(words, sizeof words, cat->unit, 0, l);
            we_md_cell(f, words);
        } else {
            we_md_cell(f, cat->unit);
        }
        fputc(')', f);
    }
}

const char *we_md_exp_title(const we_experiment_run *x, we_lang l)
{
    if (l == WE_LANG_NL)
        return we_lang_title(x, l);
    if (x->title_en != NULL && x->title_en[0] != '\0')
        return x->title_en;
    if (x->title_nl != NULL && x->title_nl[0] != '\0')
        return x->title_nl;
    return x->id;
}

const char *we_md_ci_level(char *buf, size_t n, double alpha, we_lang l)
{
    return we_md_num(buf, n, 100.0 * (1.0 - alpha), l);
}

void we_md_evidence(FILE *f, const we_evidence *e)
{
    if (e->sms_level < 1) {
        fputs(WE_MD_DASH, f);
        return;
    }
    fprintf(f, "SMS %d \xc2\xb7 %s", e->sms_level,
            we_erkenning_name(e->erkenning));
}
