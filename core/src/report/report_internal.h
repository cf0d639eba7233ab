/* Shared by the report writers (report*.c); not part of the core API. */
#ifndef WE_REPORT_REPORT_INTERNAL_H
#define WE_REPORT_REPORT_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include "model/run.h"
#include "report/report.h"
#include "report/report_lang.h"
#include "util/error.h"

/* One format: writes the whole document to f. Write errors are left to the
 * stream's error flag, which the caller checks; a writer returns -1 only
 * for what the stream cannot report (e.g. no memory to build a tree). */
typedef int (*we_report_writer)(const we_run *run, FILE *f, we_error *err);

int we_report_json(const we_run *run, FILE *f, we_error *err);
int we_report_csv(const we_run *run, FILE *f, we_error *err);
int we_report_md(const we_run *run, FILE *f, we_error *err);
int we_report_html(const we_run *run, FILE *f, we_error *err);

/* The catalogue entry of an indicator, NULL when it is not catalogued. */
const we_catalog_rec *we_report_catalog(const we_panel *p,
                                        const char *indicator);
const char *we_report_method_name(we_method m);
const char *we_report_role_name(we_role r);
const char *we_report_direction_name(we_direction d);
/* How the p-value and interval of method m were obtained analytically, in
 * a few words (the text before the host recorded the inference). */
const char *we_report_inference(we_method m, const we_config *c);
/* The inference that produced e's p-value and interval; an estimate that
 * did not record it (WE_INFERENCE_NONE) gets its method's analytic one. */
we_inference we_report_inference_of(const we_estimate *e);
/* "t_paired", "cr1", "wild_rademacher", "wild_webb". */
const char *we_report_inference_name(we_inference i);
/* we_report_inference_text and we_report_interval_note: report.h. */
/* we_report_interval_note in Dutch (`l` NL) or English. */
void we_report_interval_note_lang(char *buf, size_t n, const we_result_rec *r,
                                  double alpha, we_lang l);
/* we_report_inference_text in the report's language (report_lang.h):
 * Dutch for the kinds the core methods produce, else the English. */
void we_report_inference_text_lang(char *buf, size_t n, const we_result_rec *r,
                                   const we_config *c, we_lang l);
/* n with a comma between groups of three digits: "9,999". */
void we_report_grouped(char *buf, size_t n, unsigned long long v);
/* 1 when the host added the extras to r (x.evidence has its reasons): a
 * result built outside a run, e.g. by `wijkeval estimate`, has none, and
 * its zeroed extras must not be read as p-values of 0. */
int we_report_enriched(const we_result_rec *r);
/* The experiment's headline result (its primary TWFE), or NULL when the
 * experiment failed or has none. */
const we_result_rec *we_report_headline(const we_experiment_run *x);
/* Glass's delta of the headline, NaN when there is none: the key the
 * Markdown summary sorts by. */
double we_report_headline_delta(const we_experiment_run *x);
/* What the experiment is compared with: "programme", "untreated" (also
 * the run's group without an assignment) or "matched"; the question its
 * number answers ("added_value" or "programme_and_experiment") and that
 * question's text. */
const char *we_report_comparison(const we_experiment_run *x);
const char *we_report_question_id(const we_experiment_run *x);
int we_report_question_text(const we_experiment_run *x); /* a we_text */
const char *we_report_adjust_name(we_adjust_method a); /* "holm", "bh" */
/* "2007-01-01T00:00:00Z" into buf (>= 21 bytes); 0, or -1 when t cannot
 * be converted. */
int we_report_iso_time(char *buf, size_t n, time_t t);
/* "%.17g" with a '.' decimal point whatever the locale. */
void we_report_g17(char *buf, size_t n, double x);
/* Replaces a locale decimal comma by '.', in place. */
void we_report_c_decimal(char *buf);

/* A CSV text field (quoted when needed, or always with force_quote) and
 * ",number" (an empty cell for NaN) (report_csv.c). Every text cell of
 * the report's CSV files goes through we_report_csv_text: a text a
 * spreadsheet would run as a formula (we_report_csv_formula_like: it
 * starts with = + - @, a tab or CR, and is not a plain number like -0.5)
 * is written as "'=...". */
int we_report_csv_formula_like(const char *s);
void we_report_csv_text(FILE *f, const char *s, int force_quote);
void we_report_csv_num(FILE *f, double x);

/* -- what every format reads the same way (report_common.c) --
 * The verdicts and warnings are judged by the analysis layer
 * (analysis/judge.c) into r->x.verdict, r->x.pretrend_rejected and
 * r->x.underpowered; these only read them (r may be NULL: 0). */
int we_report_pretrend_rejected(const we_run *run, const we_result_rec *r);
int we_report_underpowered(const we_run *run, const we_result_rec *r);
/* The headline, else the experiment's first primary result; NULL for a
 * failed experiment or one without a primary result. */
const we_result_rec *we_report_primary(const we_experiment_run *x);
/* Indices of the experiments by the headline's Glass's delta, best first;
 * those without one keep their config order at the end. malloc'd, NULL
 * when out of memory. */
size_t *we_report_order_by_effect(const we_run *run);

/* 1 when the run's plugins ran without the sandbox (run->sandbox is
 * "off: why"): the provenance of report.md and report.html says so. */
int we_report_unsandboxed(const we_run *run);

#endif
