/* The catalogue's unit codes in words, in Dutch and English: what a
 * plugin reads through host->indicator_info and a report may print next
 * to a number. */
#ifndef WE_UTIL_UNIT_WORDS_H
#define WE_UTIL_UNIT_WORDS_H

/* The words for unit code `unit` ("pct", "per_1000", "score_0_10", ...)
 * in Dutch (dutch != 0) or English; NULL for a code without words (the
 * caller then shows the code). */
const char *we_unit_words(const char *unit, int dutch);

#endif
