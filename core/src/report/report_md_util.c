#include <math.h>
#include <stdio.h>

#include "report/report_internal.h"
#include "report/report_md_internal.h"

/* Three significant digits read well in a table; large amounts (euros,
 * counts) are shown whole rather than as 2.16e+05. */
const char *we_md_num(char *buf, size_t n, double x)
{
    if (!isfinite(x))
        return WE_MD_DASH;
    double a = fabs(x);
    if (a >= 1000 && a < 1e15)
        snprintf(buf, n, "%.0f", x);
    else
        snprintf(buf, n, "%.3g", x);
    we_report_c_decimal(buf);
    return buf;
}

const char *we_md_p(char *buf, size_t n, double p)
{
    if (!isfinite(p))
        return WE_MD_DASH;
    if (p < 0.001)
        return "<0.001";
    snprintf(buf, n, "%.3f", p);
    we_report_c_decimal(buf);
    return buf;
}

void we_md_p_eq(FILE *f, double p)
{
    char b[40];
    if (isfinite(p) && p < 0.001)
        fputs("p < 0.001", f);
    else
        fprintf(f, "p = %s", we_md_p(b, sizeof b, p));
}

/* A '|' would split the cell and a line break would end the table (or
 * the quoted warning). */
void we_md_cell(FILE *f, const char *s)
{
    if (s == NULL || s[0] == '\0') {
        fputs(WE_MD_DASH, f);
        return;
    }
    for (; *s != '\0'; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
}

static const char *bound(char *buf, size_t n, double x)
{
    if (isinf(x))
        return x < 0 ? "\xe2\x88\x92\xe2\x88\x9e" : "\xe2\x88\x9e";
    return we_md_num(buf, n, x);
}

void we_md_ci(FILE *f, double lo, double hi)
{
    char a[40], b[40];
    if (isnan(lo) || isnan(hi)) {
        fputs(WE_MD_DASH, f);
        return;
    }
    fprintf(f, "[%s, %s]", bound(a, sizeof a, lo), bound(b, sizeof b, hi));
}

void we_md_indicator(FILE *f, const we_panel *p, const char *indicator)
{
    const we_catalog_rec *cat = we_report_catalog(p, indicator);
    if (cat == NULL || cat->label_en == NULL || cat->label_en[0] == '\0') {
        we_md_cell(f, indicator);
        return;
    }
    we_md_cell(f, cat->label_en);
    if (cat->unit != NULL && cat->unit[0] != '\0') {
        fputs(" (", f);
        we_md_cell(f, cat->unit);
        fputc(')', f);
    }
}

const char *we_md_exp_title(const we_experiment_run *x)
{
    if (x->title_en != NULL && x->title_en[0] != '\0')
        return x->title_en;
    if (x->title_nl != NULL && x->title_nl[0] != '\0')
        return x->title_nl;
    return x->id;
}

const char *we_md_ci_level(char *buf, size_t n, double alpha)
{
    return we_md_num(buf, n, 100.0 * (1.0 - alpha));
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
