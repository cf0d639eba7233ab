/* The one table of unit words: every unit code of the catalogues
 * (data/catalog.csv, data/demo/catalog.csv) and of the plugins' metrics
 * (share, sd), in Dutch and English, in the three places a unit is
 * written. The host gives plugins the name (host->indicator_info), the
 * report writes the other two (report_lang.h we_lang_unit,
 * we_lang_unit_words). */
#ifndef WE_UTIL_UNIT_WORDS_H
#define WE_UTIL_UNIT_WORDS_H

typedef enum we_unit_form {
    /* What the unit is: "percent", "score from 0 to 10". */
    WE_UNIT_NAME = 0,
    /* After an effect or a difference: "percentage points",
     * "points (scale 0-10)"; "" for a count ("3 more" says it). */
    WE_UNIT_AFTER_VALUE = 1,
    /* In brackets after an indicator's label: "%", "scale 0-10" (never
     * a bracket of its own, so that "(...)" holds one). */
    WE_UNIT_AFTER_LABEL = 2
} we_unit_form;

/* The words for unit code `unit` ("pct", "per_1000", "score_0_10", ...)
 * in the form, in Dutch (dutch != 0) or English; NULL for a code the
 * table does not know or a form it has no words for (the caller then
 * shows the code). *scale, when not NULL, gets the factor a difference
 * is multiplied by before the AFTER_VALUE words (100 for a share, whose
 * values are fractions shown as percentage points; else 1). */
const char *we_unit_text(const char *unit, we_unit_form form, int dutch,
                         double *scale);

/* we_unit_text(unit, WE_UNIT_NAME, dutch, NULL). */
const char *we_unit_words(const char *unit, int dutch);

#endif
