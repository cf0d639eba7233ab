/* Shared by the HTML writer's files (report_html*.c). */
#ifndef WE_REPORT_REPORT_HTML_INTERNAL_H
#define WE_REPORT_REPORT_HTML_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include "model/run.h"
#include "report/report_lang.h"
#include "report/svg.h"

/* One document being written. */
typedef struct we_html {
    const we_run *run;
    FILE *f;
    we_lang lang;
    we_svg_fmt fmt; /* numbers in the charts, as in the text */
} we_html;

void we_html_init(we_html *h, const we_run *run, FILE *f);

/* Text into the document, always escaped: every string from data, config
 * or a plugin goes through one of these (or we_html_escape). */
void we_h_esc(const we_html *h, const char *s);
void we_h_tr(const we_html *h, we_text t);
void we_h_num(const we_html *h, double x);
void we_h_p(const we_html *h, double p);
void we_h_p_eq(const we_html *h, double p); /* "p = 0.04", "p < 0.001" */
/* " pct": a space and the indicator's unit, nothing without one. */
void we_h_unit(const we_html *h, const char *indicator);
void we_h_ci(const we_html *h, double lo, double hi);
/* A municipality's name, else its code. */
void we_h_municipality(const we_html *h, const char *code);
/* "95" for alpha 0.05. */
void we_h_level(const we_html *h);
/* The indicator's label in the language, with its unit in a <span>. */
void we_h_indicator(const we_html *h, const char *indicator);
/* "SMS 3 · goede aanwijzingen", or the dash. */
void we_h_evidence(const we_html *h, const we_evidence *e);
/* A results row's mark by the indicator's direction: a symbol and the
 * word (better / worse / unclear), coloured by class v-<verdict>. */
void we_h_mark(const we_html *h, const we_result_rec *r);
/* The experiment's verdict badge (a symbol and the word, class
 * v-<verdict>), and its plain-words sentence and reason (the reason of
 * a better or worse verdict only with always_why)
 * (report_html_verdicts.c). */
void we_h_hverdict(const we_html *h, const we_experiment_run *x);
void we_h_verdict_words(const we_html *h, const we_experiment_run *x,
                        int always_why);
/* The first screen's blocks (report_html_verdicts.c): the verdict per
 * experiment in `order`, with the note on the verdicts; the side effects
 * in red (or that none were found). */
void we_html_verdicts(const we_html *h, const size_t *order);
void we_html_side_effects(const we_html *h);
/* How r's p-value and interval were obtained, in the language. */
void we_h_inference(const we_html *h, const we_result_rec *r);
const char *we_h_method(const we_html *h, we_method m);

/* The optional analyses' short lines for experiment e on the front page
 * (the costs; report_html.c). */
void we_html_front_lines(const we_html *h, size_t e);

/* One experiment's section (report_html_exp.c). */
void we_html_experiment(const we_html *h, const we_experiment_run *x);

/* The trend chart and the per-wijk view of the experiment's primary
 * indicator (report_html_wijk.c), as the analysis layer computed them
 * (x->trend, x->per_wijk); both need the run's design. */
void we_html_trend(const we_html *h, const we_experiment_run *x);
void we_html_wijken(const we_html *h, const we_experiment_run *x);
/* The plugin's per-wijk metrics (ABI 1.3): one row per wijk where any
 * applies, one column per metric. Nothing when there are none. */
void we_html_area_metrics(const we_html *h, const we_experiment_run *x);

/* "Since the previous report" on the first screen
 * (report_html_since.c); nothing without a previous run. */
void we_html_since_previous(const we_html *h);
/* Beside a first-screen verdict: an arrow and the previous report's
 * verdict when it changed since then (nothing otherwise). */
void we_html_since_mark(const we_html *h, const we_experiment_run *x);

/* Per municipality with treated wijken: their number and, per
 * experiment, how many closed their gap (report_html_wijk.c). */
void we_html_municipalities(const we_html *h);

/* The method appendix and provenance (report_html_appendix.c). */
void we_html_appendix(const we_html *h);

/* The document's style sheet (report_html_style.c). */
extern const char we_html_css[];
extern const char we_html_css_since[];

#endif
