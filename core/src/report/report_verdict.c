/* The words of verdicts, side effects and the plain-words sentence
 * (report_verdict.h). Sentences are catalogue templates with {1}, {2}, ...
 * filled here, so that the word order is each language's own. */
#include "report/report_verdict.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report_internal.h"
#include "util/unit_words.h"

void we_lang_fill(char *buf, size_t n, const char *t, const char *const *arg,
                  size_t n_arg)
{
    size_t k = 0;
    if (n == 0)
        return;
    for (const char *p = t; *p != '\0' && k + 1 < n; p++) {
        if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}') {
            size_t i = (size_t)(p[1] - '1');
            const char *a = i < n_arg && arg[i] != NULL ? arg[i] : "";
            size_t len = strlen(a);
            if (len > n - 1 - k)
                len = n - 1 - k;
            memcpy(buf + k, a, len);
            k += len;
            p += 2;
            continue;
        }
        buf[k++] = *p;
    }
    buf[k] = '\0';
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

const char *we_lang_hverdict(we_hverdict v, we_lang l)
{
    static const we_text t[] = {T_HV_BETTER,       T_HV_BETTER,
                                T_HV_WORSE,        T_HV_NO_EFFECT,
                                T_HV_INCONCLUSIVE, T_HV_NOT_CREDIBLE};
    if (v == WE_HV_NONE || (unsigned)v >= N_OF(t))
        return "";
    return we_tr(l, t[v]);
}

const char *we_hverdict_symbol(we_hverdict v)
{
    static const char *const s[] = {"",  "\xe2\x9c\x93", "\xe2\x9c\x97", "=",
                                    "?", "\xe2\x9a\xa0"};
    return (unsigned)v < N_OF(s) ? s[v] : "";
}

const char *we_verdict_symbol(we_verdict v)
{
    return v == WE_VERDICT_BETTER  ? "\xe2\x9c\x93"
           : v == WE_VERDICT_WORSE ? "\xe2\x9c\x97"
                                   : "?";
}

const char *we_lang_verdict(we_verdict v, we_lang l)
{
    return we_tr(l, v == WE_VERDICT_BETTER  ? T_BETTER
                    : v == WE_VERDICT_WORSE ? T_WORSE
                                            : T_UNCLEAR);
}

const char *we_lang_unit(const char *unit, we_lang l, double *scale)
{
    /* A difference of a percentage is in percentage points, and one of a
     * score in points on its scale: the one table, util/unit_words.c. */
    const char *w =
        we_unit_text(unit, WE_UNIT_AFTER_VALUE, l == WE_LANG_NL, scale);
    return w != NULL ? w : "";
}

const char *we_lang_method(we_method m, we_lang l)
{
    switch (m) {
    case WE_METHOD_PRE_POST: return we_tr(l, T_M_PRE_POST);
    case WE_METHOD_GAP: return we_tr(l, T_M_GAP);
    case WE_METHOD_DID_2X2: return we_tr(l, T_M_DID);
    case WE_METHOD_TWFE: return we_tr(l, T_M_TWFE);
    case WE_METHOD_CS: return we_tr(l, T_M_CS);
    case WE_METHOD_SC: return we_tr(l, T_M_SC);
    case WE_METHOD_SDID: return we_tr(l, T_M_SDID);
    default: return we_report_method_name(m);
    }
}

void we_lang_num2(char *buf, size_t n, double x, we_lang l)
{
    double a = fabs(x);
    if (isfinite(x) && a >= 99.5) {
        we_lang_fixed(buf, n, x, 0, l);
        return;
    }
    if (!isfinite(x) || a == 0.0) {
        we_lang_num(buf, n, x, l);
        return;
    }
    /* Two significant digits: round, then print with just enough
     * decimals (1.6, 0.19, 17). */
    int mag = (int)floor(log10(a));
    int decimals = 1 - mag;
    double r = round(a * pow(10.0, decimals)) / pow(10.0, decimals);
    if (r >= pow(10.0, mag + 1)) /* 9.96 -> 10 */
        decimals--;
    we_lang_fixed(buf, n, x, decimals > 0 ? decimals : 0, l);
    /* "0.50" reads as "0.5", "2.0" as "2". */
    char dec = l == WE_LANG_NL ? ',' : '.';
    if (decimals > 0 && strchr(buf, dec) != NULL) {
        size_t k = strlen(buf);
        while (k > 0 && buf[k - 1] == '0')
            buf[--k] = '\0';
        if (k > 0 && buf[k - 1] == dec)
            buf[--k] = '\0';
    }
}

/* " unit" with its space, or "" when the unit has no words. */
static void unit_words(char *buf, size_t n, const we_run *run,
                       const char *indicator, we_lang l, double *scale)
{
    const we_catalog_rec *cat = we_report_catalog(run->panel, indicator);
    const char *u = we_lang_unit(cat != NULL ? cat->unit : NULL, l, scale);
    snprintf(buf, n, "%s%s", u[0] != '\0' ? " " : "", u);
}

static void level_text(char *buf, size_t n, double alpha, we_lang l)
{
    we_lang_num(buf, n, 100.0 * (1.0 - alpha), l);
}

void we_verdict_reason(char *buf, size_t n, const we_run *run,
                       const we_experiment_run *x, we_lang l)
{
    const we_judgement *j = &x->judgement;
    char lv[32], ci[96], s[64], unit[96], p[64], a[16], b[16];
    const char *src = "";
    double scale = 1.0;
    const we_result_rec *h = we_report_headline(x);
    buf[0] = '\0';
    if (x->status != WE_EXP_OK || j->verdict == WE_HV_NONE)
        return;
    unit_words(unit, sizeof unit, run, h != NULL ? h->indicator : NULL, l,
               &scale);
    level_text(lv, sizeof lv, j->alpha, l);
    we_lang_ci(ci, sizeof ci, scale * j->ci_low, scale * j->ci_high, l);
    we_lang_num(s, sizeof s, scale * j->smallest, l);
    we_lang_p_eq(p, sizeof p, j->pretrend_p, l);
    snprintf(a, sizeof a, "%d", j->sms_level);
    snprintf(b, sizeof b, "%d", j->min_level);
    switch (j->smallest_from) {
    case WE_SMALLEST_MDE: src = we_tr(l, T_SRC_MDE); break;
    case WE_SMALLEST_INDICATOR: src = we_tr(l, T_SRC_INDICATOR); break;
    case WE_SMALLEST_EXPERIMENT: src = we_tr(l, T_SRC_EXPERIMENT); break;
    case WE_SMALLEST_NONE: break;
    }
    static const we_text why[] = {[WE_WHY_NO_HEADLINE] = T_WHY_NONE,
                                  [WE_WHY_PRETREND] = T_WHY_PRETREND,
                                  [WE_WHY_EVIDENCE] = T_WHY_EVIDENCE,
                                  [WE_WHY_GOOD_SIDE] = T_WHY_GOOD,
                                  [WE_WHY_BAD_SIDE] = T_WHY_BAD,
                                  [WE_WHY_WITHIN] = T_WHY_WITHIN,
                                  [WE_WHY_WIDE] = T_WHY_WIDE,
                                  [WE_WHY_POWER_UNKNOWN] = T_WHY_POWER,
                                  [WE_WHY_NO_DIRECTION] = T_WHY_NODIR,
                                  [WE_WHY_ADJUSTED] = T_WHY_ADJUSTED,
                                  [WE_WHY_NO_LABEL] = T_WHY_NOLABEL};
    we_text t = (unsigned)j->why < N_OF(why) ? why[j->why] : T_WHY_NONE;
    const char *arg[7] = {lv, ci, s, unit, src, NULL, NULL};
    char pe[64], ph[64], nh[32], al[32];
    if (t == T_WHY_PRETREND) {
        arg[0] = p;
        if (x->is_programme)
            t = T_WHY_PRETREND_PROG;
    } else if (t == T_WHY_EVIDENCE) {
        arg[0] = a;
        arg[1] = b;
    } else if (t == T_WHY_NOLABEL) {
        arg[2] = a;
    } else if (t == T_WHY_ADJUSTED) {
        we_lang_p_eq(pe, sizeof pe, j->p_experiment, l);
        we_lang_p_eq(ph, sizeof ph, j->p_headlines, l);
        we_lang_count(nh, sizeof nh, (unsigned long long)j->n_headlines, l);
        we_lang_num(al, sizeof al, j->alpha, l);
        arg[2] = we_tr(l, j->adjust_bh ? T_ADJ_BH : T_ADJ_HOLM);
        arg[3] = pe;
        arg[4] = nh;
        arg[5] = ph;
        arg[6] = al;
    }
    we_lang_fill(buf, n, we_tr(l, t), arg, N_OF(arg));
}

static int has_comparison(we_method m)
{
    return m != WE_METHOD_PRE_POST && m != WE_METHOD_GAP;
}

void we_plain_sentence(char *buf, size_t n, const we_run *run,
                       const we_experiment_run *x, we_lang l)
{
    const we_result_rec *h = we_report_headline(x);
    char est[48], lo[48], hi[48], lv[32], unit[96];
    double scale = 1.0;
    buf[0] = '\0';
    if (x->status != WE_EXP_OK || h == NULL || !isfinite(h->est.estimate) ||
        isnan(h->est.ci_low) || isnan(h->est.ci_high))
        return;
    unit_words(unit, sizeof unit, run, h->indicator, l, &scale);
    int up = h->est.ci_low > 0, down = h->est.ci_high < 0;
    double e = scale * h->est.estimate;
    we_lang_num2(est, sizeof est, up || down ? fabs(e) : e, l);
    /* "fell by about 3.1 (95%: 2.5 to 3.7)": a fall in magnitudes. */
    we_lang_num2(lo, sizeof lo,
                 scale * (down ? -h->est.ci_high : h->est.ci_low), l);
    we_lang_num2(hi, sizeof hi,
                 scale * (down ? -h->est.ci_low : h->est.ci_high), l);
    level_text(lv, sizeof lv, run->cfg->alpha, l);
    int cmp = has_comparison(h->est.method);
    we_text t = up     ? (cmp ? T_PLAIN_UP : T_PLAIN_UP_PRE)
                : down ? (cmp ? T_PLAIN_DOWN : T_PLAIN_DOWN_PRE)
                       : (cmp ? T_PLAIN_SAME : T_PLAIN_SAME_PRE);
    const char *arg[] = {
        we_lang_indicator(run->panel, h->indicator, l), est, unit, lv, lo, hi};
    we_lang_fill(buf, n, we_tr(l, t), arg, N_OF(arg));
}

void we_side_effect_sentence(char *buf, size_t n, const we_run *run,
                             const we_side_effect *s, we_lang l)
{
    char est[64], ci[96], unit[96], p[64];
    double scale = 1.0;
    unit_words(unit, sizeof unit, run, s->indicator, l, &scale);
    we_lang_num(est + 1, sizeof est - 1, scale * s->estimate, l);
    /* The sign says which way it moved: "+0.427". */
    est[0] = '+';
    const char *e = s->estimate > 0 ? est : est + 1;
    we_lang_ci(ci, sizeof ci, scale * s->ci_low, scale * s->ci_high, l);
    we_lang_p_eq(p, sizeof p, s->p, l);
    const char *title = "";
    if (s->experiment >= 0 && (size_t)s->experiment < run->n_experiments)
        title = we_lang_title(&run->experiments[s->experiment], l);
    const char *arg[] = {we_lang_indicator(run->panel, s->indicator, l),
                         title,
                         e,
                         unit,
                         ci,
                         we_lang_method(s->method, l),
                         p};
    we_lang_fill(buf, n,
                 we_tr(l, s->kind == WE_SIDE_DISPLACEMENT ? T_SIDE_DISPLACEMENT
                                                          : T_SIDE_SECONDARY),
                 arg, N_OF(arg));
}
