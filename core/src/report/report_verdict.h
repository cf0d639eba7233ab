/* The words of a verdict, a side effect and the plain-words sentence, in
 * the report's language, for every format (JSON, Markdown, HTML, the
 * terminal). The judgements themselves come from the analysis layer
 * (model/views.h, model/run.h); these only word them, with the numbers
 * in the language's format (a decimal comma in Dutch). */
#ifndef WE_REPORT_REPORT_VERDICT_H
#define WE_REPORT_REPORT_VERDICT_H

#include <stddef.h>

#include "model/run.h"
#include "report/report_lang.h"

/* Room for one sentence. */
#define WE_SENTENCE 768

/* Fills catalogue template t into buf: {k} (k = 1..9) becomes
 * arg[k-1] ("" past n_arg). */
void we_lang_fill(char *buf, size_t n, const char *t, const char *const *arg,
                  size_t n_arg);

/* "better" / "beter", ... ; "" for WE_HV_NONE. */
const char *we_lang_hverdict(we_hverdict v, we_lang l);
/* A symbol that carries the verdict without colour: ✓ better, ✗ worse,
 * = no effect, ? inconclusive, ⚠ not credible; "" for NONE. */
const char *we_hverdict_symbol(we_hverdict v);
/* The row mark of a result's interval verdict: ✓ better, ✗ worse,
 * ? unclear. */
const char *we_verdict_symbol(we_verdict v);
/* "better" / "beter", "worse", "unclear". */
const char *we_lang_verdict(we_verdict v, we_lang l);

/* The unit of a catalogue unit code in words ("procentpunt" for pct,
 * "dagen" for days, ...); "" for a count or an unknown code. *scale
 * (may be NULL) gets the factor that turns a value into that unit (100
 * for a share given as a fraction, else 1). */
const char *we_lang_unit(const char *unit, we_lang l, double *scale);
/* A method's name in the language ("Callaway-Sant'Anna", "voor/na"). */
const char *we_lang_method(we_method m, we_lang l);
/* x with at most two significant digits, trailing zeros dropped (a
 * whole number from 100 on, grouped),
 * in the language's format. */
void we_lang_num2(char *buf, size_t n, double x, we_lang l);

/* Why experiment x's verdict is what it is, one sentence. */
void we_verdict_reason(char *buf, size_t n, const we_run *run,
                       const we_experiment_run *x, we_lang l);
/* What happened to x's headline indicator, one sentence in its own
 * label and unit, e.g. "Afgelopen jaar actief geweest voor de buurt:
 * steeg met ongeveer 1,9 procentpunt meer dan in vergelijkbare wijken
 * (95%: 1,6 tot 2,3)."; "" without a headline. */
void we_plain_sentence(char *buf, size_t n, const we_run *run,
                       const we_experiment_run *x, we_lang l);
/* One side effect, one sentence. */
void we_side_effect_sentence(char *buf, size_t n, const we_run *run,
                             const we_side_effect *s, we_lang l);

#endif
