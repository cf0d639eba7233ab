#include <math.h>
#include <string.h>

#include "report/report_internal.h"
#include "util/text.h"

static const char csv_header[] =
    "experiment,status,indicator,role,method,estimate,se,ci_low,ci_high,"
    "p_value,df,n_treated,n_control,n_obs,baseline,latest,closing,error,"
    "inference,inference_reps,p_cr1,p_holm,p_bh,p_holm_report,p_bh_report,"
    "p_adjusted,effect_size,effect_size_low,effect_size_high,pretrend_p,"
    "ri_p,mde,sms_level,erkenning\n";

/* The cells after `error` of a row without a result. */
#define EXTRA_EMPTY ",,,,,,,,,,,,,,,,"

/* A plain decimal number: sign, digits with at most one '.', an
 * exponent. Such a cell stays as it is even when it starts with '-'. */
static int csv_plain_number(const char *s)
{
    size_t digits = 0;
    if (*s == '+' || *s == '-')
        s++;
    for (int dot = 0; (*s >= '0' && *s <= '9') || (*s == '.' && !dot); s++) {
        dot |= *s == '.';
        digits += *s != '.';
    }
    if (digits > 0 && (*s == 'e' || *s == 'E')) {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!(*s >= '0' && *s <= '9'))
            return 0;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return digits > 0 && *s == '\0';
}

/* A spreadsheet runs a cell that starts with '=', '+', '-' or '@' (or a
 * tab or carriage return before one) as a formula: =HYPERLINK(...) in an
 * area name would become a live link. Such text is neutralised as OWASP
 * advises, with a leading single quote inside a quoted cell. */
int we_report_csv_formula_like(const char *s)
{
    return s != NULL && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL &&
           !csv_plain_number(s);
}

/* The one writer of a text cell of every CSV file of the report
 * (results.csv and the analyses' files). RFC 4180: a field with a comma,
 * quote or line break is quoted, and a quote inside it doubled; a
 * formula-like text gets its quote (we_report_csv_formula_like), and a
 * control character (util/text.h; a line break stays) is written as '?',
 * so that the file shown on a terminal runs no escape sequence. */
void we_report_csv_text(FILE *f, const char *s, int force_quote)
{
    if (s == NULL)
        return;
    int formula = we_report_csv_formula_like(s);
    if (!force_quote && !formula && strpbrk(s, ",\"\r\n") == NULL) {
        we_text_put(f, s);
        return;
    }
    fputc('"', f);
    if (formula)
        fputc('\'', f);
    while (*s != '\0') {
        size_t n = we_text_control_len(s);
        if (n > 0) {
            fputc(WE_TEXT_REPLACEMENT, f);
            s += n;
            continue;
        }
        if (*s == '"')
            fputc('"', f);
        n = we_text_char_len(s);
        fwrite(s, 1, n, f);
        s += n;
    }
    fputc('"', f);
}

/* A missing number is an empty cell, which R, pandas and spreadsheets all
 * read as NA. */
void we_report_csv_num(FILE *f, double x)
{
    char buf[40];
    fputc(',', f);
    if (isfinite(x)) {
        we_report_g17(buf, sizeof buf, x);
        fputs(buf, f);
    }
}

static void csv_count(FILE *f, long n)
{
    fputc(',', f);
    if (n >= 0)
        fprintf(f, "%ld", n);
}

/* The host's additions; a result built outside a run (no extras) gets
 * empty cells rather than zeros. */
static void csv_extras(FILE *f, const we_result_rec *r)
{
    const we_result_extra *x = &r->x;
    int enriched = we_report_enriched(r);
    we_inference inf = we_report_inference_of(&r->est);
    int boot = inf == WE_INFERENCE_WILD_RADEMACHER ||
               inf == WE_INFERENCE_WILD_WEBB;
    fputc(',', f);
    fputs(we_report_inference_name(inf), f);
    csv_count(f, boot && r->est.inference_reps > 0 ? r->est.inference_reps
                                                   : -1);
    we_report_csv_num(f, x->has_cr1 ? x->p_cr1 : NAN);
    we_report_csv_num(f, enriched ? x->p_holm : NAN);
    we_report_csv_num(f, enriched ? x->p_bh : NAN);
    we_report_csv_num(f, enriched ? x->p_holm_all : NAN);
    we_report_csv_num(f, enriched ? x->p_bh_all : NAN);
    we_report_csv_num(f, enriched ? x->p_adjusted : NAN);
    we_report_csv_num(f, x->has_effect_size ? x->effect_size.glass_delta : NAN);
    we_report_csv_num(f, x->has_effect_size ? x->effect_size.glass_low : NAN);
    we_report_csv_num(f, x->has_effect_size ? x->effect_size.glass_high : NAN);
    we_report_csv_num(f, enriched ? x->pretrend_p : NAN);
    we_report_csv_num(f, x->has_ri ? x->ri.p_value : NAN);
    we_report_csv_num(f, x->has_mde ? x->mde.mde : NAN);
    csv_count(f, enriched && x->evidence.sms_level >= 1
                     ? x->evidence.sms_level
                     : -1);
    fputc(',', f);
    if (enriched && x->evidence.erkenning != WE_ERKENNING_NONE)
        fputs(we_erkenning_name(x->evidence.erkenning), f);
}

static void csv_result(FILE *f, const char *id, const we_result_rec *r)
{
    const we_estimate *e = &r->est;
    we_report_csv_text(f, id, 0);
    fputs(",ok,", f);
    we_report_csv_text(f, r->indicator, 0);
    fprintf(f, ",%s,%s", we_report_role_name(r->role),
            we_report_method_name(e->method));
    we_report_csv_num(f, e->estimate);
    we_report_csv_num(f, e->se);
    we_report_csv_num(f, e->ci_low);
    we_report_csv_num(f, e->ci_high);
    we_report_csv_num(f, e->p_value);
    we_report_csv_num(f, e->df);
    csv_count(f, e->n_treated);
    csv_count(f, e->n_control);
    csv_count(f, e->n_obs);
    we_report_csv_num(f, e->baseline);
    we_report_csv_num(f, e->latest);
    fputc(',', f);
    if (e->method == WE_METHOD_GAP)
        fputs(e->closing ? "true" : "false", f);
    fputc(',', f); /* error: empty for a result */
    csv_extras(f, r);
    fputc('\n', f);
}

/* An experiment without result rows still gets one row, so that every
 * experiment of the run is visible in the file. */
static void csv_bare(FILE *f, const we_experiment_run *x)
{
    int ok = x->status == WE_EXP_OK;
    we_report_csv_text(f, x->id, 0);
    fputs(ok ? ",ok" : ",failed", f);
    fputs(",,,,,,,,,,,,,,,,", f); /* 15 empty cells, then error */
    if (!ok)
        we_report_csv_text(f, x->error != NULL ? x->error : "failed", 1);
    fputs(EXTRA_EMPTY "\n", f);
}

int we_report_csv(const we_run *run, FILE *f, we_error *err)
{
    (void)err;
    fputs(csv_header, f);
    /* The programme's row first (experiment "programme"), then the
     * experiments. */
    for (size_t i = run->programme != NULL ? 0 : 1;
         i <= run->n_experiments; i++) {
        const we_experiment_run *x =
            i == 0 ? run->programme : &run->experiments[i - 1];
        if (x->status != WE_EXP_OK || x->n_results == 0) {
            csv_bare(f, x);
            continue;
        }
        for (size_t j = 0; j < x->n_results; j++)
            csv_result(f, x->id, &x->results[j]);
    }
    return 0;
}
