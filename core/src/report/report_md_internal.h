/* Shared by the Markdown writer's files (report_md*.c). */
#ifndef WE_REPORT_REPORT_MD_INTERNAL_H
#define WE_REPORT_REPORT_MD_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include "model/run.h"
#include "report/report_lang.h"

#define WE_MD_DASH "\xe2\x80\x94" /* em dash: a number that does not exist */

/* Every number helper takes the report's language: Dutch numbers are
 * we_lang_num's (the HTML's), English ones unchanged.
 * Three significant digits; amounts of 1000 or more whole. Returns buf, or
 * the dash for a non-finite x. */
const char *we_md_num(char *buf, size_t n, double x, we_lang l);
/* Three decimals, "<0.001" below that, the dash when not finite. */
const char *we_md_p(char *buf, size_t n, double p, we_lang l);
/* "p = 0.003" or "p < 0.001" (or "p = —"). */
void we_md_p_eq(FILE *f, double p, we_lang l);
/* The one way data text enters report.md, in a table cell or a line:
 * HTML, links, images, code spans, emphasis and block markers escaped,
 * '|' escaped, line breaks as spaces, control characters as '?', the dash
 * for NULL or "" (report_md_util.c says exactly what changes). */
void we_md_cell(FILE *f, const char *s);
/* s as a code span with its backticks (a file path); the dash for NULL or
 * "". */
void we_md_code(FILE *f, const char *s);
/* "[lo, hi]"; an infinite bound (a bootstrap side that never rejects) as
 * −∞ or ∞; the dash when a bound is NaN. */
void we_md_ci(FILE *f, double lo, double hi, we_lang l);
/* The catalogue's English label and unit, else the id. */
void we_md_indicator(FILE *f, const we_panel *p, const char *indicator,
                     we_lang l);
const char *we_md_exp_title(const we_experiment_run *x, we_lang l);
/* The (1 - alpha) level as "95". */
const char *we_md_ci_level(char *buf, size_t n, double alpha, we_lang l);
/* "SMS 3 · goede aanwijzingen", or the dash when there is no level. */
void we_md_evidence(FILE *f, const we_evidence *e);

/* One experiment's section (report_md_experiment.c). */
void we_md_experiment(const we_run *run, FILE *f,
                      const we_experiment_run *x);

#endif
