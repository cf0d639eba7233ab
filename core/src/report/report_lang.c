/* Numbers and labels in the report's language. */
#include "report/report_lang.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report_internal.h"
#include "report/report_verdict.h"
#include "util/unit_words.h"

#define DASH "\xe2\x80\x94"    /* em dash: a number that does not exist */
#define MINUS "\xe2\x88\x92"   /* U+2212 */
#define INFTY "\xe2\x88\x9e"

we_lang we_lang_of(const we_config *c)
{
    return c != NULL && c->language != NULL && strcmp(c->language, "nl") == 0
               ? WE_LANG_NL
               : WE_LANG_EN;
}

const char *we_lang_code(we_lang l)
{
    return l == WE_LANG_NL ? "nl" : "en";
}

/* digits: plain ASCII, '.' as decimal point; out gets the language's
 * decimal sign, and thousands separators when `group`. */
static void localise(char *out, size_t n, const char *digits, int negative,
                     int group, we_lang l)
{
    char dec = l == WE_LANG_NL ? ',' : '.', sep = l == WE_LANG_NL ? '.' : ',';
    size_t int_len = strcspn(digits, ".e");
    size_t k = 0;
    char tmp[96];
    if (negative)
        k += (size_t)snprintf(tmp, sizeof tmp, "%s", MINUS);
    for (size_t i = 0; digits[i] != '\0' && k + 2 < sizeof tmp; i++) {
        if (group && i > 0 && i < int_len && (int_len - i) % 3 == 0)
            tmp[k++] = sep;
        if (digits[i] == '.')
            tmp[k++] = dec;
        else
            tmp[k++] = digits[i];
    }
    tmp[k] = '\0';
    snprintf(out, n, "%s", tmp);
}

void we_lang_num(char *buf, size_t n, double x, we_lang l)
{
    char raw[64];
    if (!isfinite(x)) {
        snprintf(buf, n, "%s", DASH);
        return;
    }
    double a = fabs(x);
    /* 999.6 would be "1e+03" with three significant digits. */
    int whole = a >= 999.5 && a < 1e15;
    snprintf(raw, sizeof raw, whole ? "%.0f" : "%.3g", a);
    we_report_c_decimal(raw);
    /* -0.0001 rounds to "0.0001", but -0 and a rounded zero lose the
     * sign. */
    int negative = x < 0 && strspn(raw, "0.") != strlen(raw);
    localise(buf, n, raw, negative, whole, l);
}

void we_lang_fixed(char *buf, size_t n, double x, int decimals, we_lang l)
{
    char raw[64];
    if (!isfinite(x)) {
        snprintf(buf, n, "%s", DASH);
        return;
    }
    double a = fabs(x);
    snprintf(raw, sizeof raw, "%.*f", decimals, a < 1e15 ? a : 1e15);
    we_report_c_decimal(raw);
    int negative = x < 0 && strspn(raw, "0.") != strlen(raw);
    localise(buf, n, raw, negative, a >= 999.5, l);
}

void we_lang_p(char *buf, size_t n, double p, we_lang l)
{
    char raw[64];
    if (!isfinite(p)) {
        snprintf(buf, n, "%s", DASH);
        return;
    }
    if (p < 0.001) {
        snprintf(buf, n, "<%s", l == WE_LANG_NL ? "0,001" : "0.001");
        return;
    }
    snprintf(raw, sizeof raw, "%.3f", p);
    we_report_c_decimal(raw);
    localise(buf, n, raw, 0, 0, l);
}

void we_lang_p_eq(char *buf, size_t n, double p, we_lang l)
{
    char v[64];
    we_lang_p(v, sizeof v, p, l);
    if (v[0] == '<')
        snprintf(buf, n, "p < %s", v + 1);
    else
        snprintf(buf, n, "p = %s", v);
}

void we_lang_count(char *buf, size_t n, unsigned long long v, we_lang l)
{
    char raw[32];
    snprintf(raw, sizeof raw, "%llu", v);
    localise(buf, n, raw, 0, 1, l);
}

/* decimals < 0: significant digits, as we_lang_num. */
static void bound(char *buf, size_t n, double x, int decimals, we_lang l)
{
    if (isinf(x))
        snprintf(buf, n, "%s", x < 0 ? MINUS INFTY : INFTY);
    else if (decimals < 0)
        we_lang_num(buf, n, x, l);
    else
        we_lang_fixed(buf, n, x, decimals, l);
}

static void ci(char *buf, size_t n, double lo, double hi, int decimals,
               we_lang l)
{
    char a[64], b[64];
    if (isnan(lo) || isnan(hi)) {
        snprintf(buf, n, "%s", DASH);
        return;
    }
    bound(a, sizeof a, lo, decimals, l);
    bound(b, sizeof b, hi, decimals, l);
    snprintf(buf, n, "[%s%s %s]", a, l == WE_LANG_NL ? ";" : ",", b);
}

void we_lang_ci(char *buf, size_t n, double lo, double hi, we_lang l)
{
    ci(buf, n, lo, hi, -1, l);
}

void we_lang_ci_fixed(char *buf, size_t n, double lo, double hi,
                      int decimals, we_lang l)
{
    ci(buf, n, lo, hi, decimals < 0 ? 0 : decimals, l);
}

static const char *first_set(const char *a, const char *b, const char *c)
{
    if (a != NULL && a[0] != '\0')
        return a;
    if (b != NULL && b[0] != '\0')
        return b;
    return c;
}

const char *we_lang_indicator(const we_panel *p, const char *indicator,
                              we_lang l)
{
    const we_catalog_rec *cat = we_report_catalog(p, indicator);
    if (cat == NULL)
        return indicator;
    return l == WE_LANG_NL
               ? first_set(cat->label_nl, cat->label_en, indicator)
               : first_set(cat->label_en, cat->label_nl, indicator);
}

const char *we_lang_title(const we_experiment_run *x, we_lang l)
{
    return l == WE_LANG_NL ? first_set(x->title_nl, x->title_en, x->id)
                           : first_set(x->title_en, x->title_nl, x->id);
}

const char *we_lang_run_title(const we_config *c, we_lang l)
{
    const char *t = first_set(c->title, c->name, "");
    return l == WE_LANG_NL ? first_set(c->title_nl, t, "") : t;
}

const char *we_lang_pick(const char *nl, const char *en, const char *fallback,
                         we_lang l)
{
    return l == WE_LANG_NL ? first_set(nl, en, fallback)
                           : first_set(en, nl, fallback);
}

void we_lang_unit_words(char *buf, size_t n, const char *code,
                        int after_value, we_lang l)
{
    buf[0] = '\0';
    if (code == NULL || code[0] == '\0')
        return;
    /* The one table (util/unit_words.c); a count after a value, which
     * has no words there ("3 more"), reads as after a label. */
    int nl = l == WE_LANG_NL;
    const char *w = we_unit_text(
        code, after_value ? WE_UNIT_AFTER_VALUE : WE_UNIT_AFTER_LABEL, nl,
        NULL);
    if (w == NULL || w[0] == '\0')
        w = we_unit_text(code, WE_UNIT_AFTER_LABEL, nl, NULL);
    if (w != NULL) {
        snprintf(buf, n, "%s", w);
        return;
    }
    snprintf(buf, n, "%s", code);
    for (char *c = buf; *c != '\0'; c++)
        if (*c == '_')
            *c = ' ';
}

void we_lang_per_unit(char *buf, size_t n, const char *code, we_lang l)
{
    char unit[96];
    we_lang_unit_words(unit, sizeof unit, code, 1, l);
    const char *u = strncmp(unit, "per ", 4) == 0 ? unit + 4 : unit;
    snprintf(buf, n, "%s %s", we_tr(l, T_PER_UNIT_OF), u);
}

int we_lang_unit_is_share(const char *code)
{
    return code != NULL && strcmp(code, "share") == 0;
}

void we_lang_metric_label(char *buf, size_t n, const we_metric_rec *m,
                          we_lang l)
{
    const char *own = l == WE_LANG_NL ? first_set(m->label_nl, m->label_en, NULL)
                                      : first_set(m->label_en, m->label_nl, NULL);
    if (own != NULL) {
        snprintf(buf, n, "%s", own);
        return;
    }
    snprintf(buf, n, "%s", m->name != NULL ? m->name : "");
    for (char *c = buf; *c != '\0'; c++)
        if (*c == '_')
            *c = ' ';
    if (buf[0] >= 'a' && buf[0] <= 'z')
        buf[0] = (char)(buf[0] - 'a' + 'A');
}

const char *we_lang_summary(const we_experiment_run *x, we_lang l)
{
    return l == WE_LANG_NL ? first_set(x->summary_nl, x->summary, NULL)
                           : first_set(x->summary, x->summary_nl, NULL);
}

const char *we_lang_municipality(const we_panel *p, const char *code)
{
    if (p == NULL || code == NULL)
        return code != NULL ? code : "";
    for (size_t i = 0; i < p->n_areas; i++)
        if (p->areas[i].municipality_name != NULL &&
            strcmp(p->areas[i].municipality, code) == 0)
            return p->areas[i].municipality_name;
    return code;
}
