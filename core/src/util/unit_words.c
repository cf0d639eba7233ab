#include "util/unit_words.h"

#include <stddef.h>
#include <string.h>

#define EN_DASH "\xe2\x80\x93"

/* Per code: the name, the words after a value and the words after a
 * label, each in English and Dutch; the scale of a difference. NULL: no
 * words in that form. */
static const struct {
    const char *code;
    const char *text[3][2]; /* [we_unit_form][dutch] */
    double scale;
} UNITS[] = {
    {"pct",
     {{"percent", "procent"},
      {"percentage points", "procentpunt"},
      {"%", "%"}},
     1.0},
    /* A plugin metric's fraction, shown as a percentage. */
    {"share",
     {{NULL, NULL}, {"percentage points", "procentpunt"}, {"%", "%"}},
     100.0},
    /* The catalogue's labels say per 1,000 of what (residents,
     * dwellings, households). */
    {"per_1000",
     {{"per 1,000", "per 1.000"},
      {"per 1,000", "per 1.000"},
      {"per 1,000", "per 1.000"}},
     1.0},
    {"per_10000",
     {{"per 10,000", "per 10.000"},
      {"per 10,000", "per 10.000"},
      {"per 10,000", "per 10.000"}},
     1.0},
    {"eur", {{"euro", "euro"}, {"euro", "euro"}, {"euro", "euro"}}, 1.0},
    {"days", {{"days", "dagen"}, {"days", "dagen"}, {"days", "dagen"}}, 1.0},
    {"count", {{"number", "aantal"}, {"", ""}, {"number", "aantal"}}, 1.0},
    {"sd",
     {{NULL, NULL},
      {"standard deviations", "standaarddeviaties"},
      {"standard deviations", "standaarddeviaties"}},
     1.0},
    {"score_0_10",
     {{"score from 0 to 10", "score van 0 tot 10"},
      {"points (scale 0" EN_DASH "10)", "punt (schaal 0" EN_DASH "10)"},
      {"scale 0" EN_DASH "10", "schaal 0" EN_DASH "10"}},
     1.0},
    {"score_1_5",
     {{"score from 1 to 5", "score van 1 tot 5"},
      {"points (scale 1" EN_DASH "5)", "punt (schaal 1" EN_DASH "5)"},
      {"scale 1" EN_DASH "5", "schaal 1" EN_DASH "5"}},
     1.0},
    {"score_501_550",
     {{"score from 501 to 550", "score van 501 tot 550"},
      {"points (Cito scale 501" EN_DASH "550)",
       "punt (Cito-schaal 501" EN_DASH "550)"},
      {"Cito scale 501" EN_DASH "550", "Cito-schaal 501" EN_DASH "550"}},
     1.0},
    {"class_1_9",
     {{"class from 1 to 9", "klasse van 1 tot 9"},
      {"classes (scale 1" EN_DASH "9)", "klassen (schaal 1" EN_DASH "9)"},
      {"scale 1" EN_DASH "9", "schaal 1" EN_DASH "9"}},
     1.0},
};

const char *we_unit_text(const char *unit, we_unit_form form, int dutch,
                         double *scale)
{
    if (scale != NULL)
        *scale = 1.0;
    if (unit == NULL || (unsigned)form > WE_UNIT_AFTER_LABEL)
        return NULL;
    for (size_t k = 0; k < sizeof UNITS / sizeof UNITS[0]; k++)
        if (strcmp(UNITS[k].code, unit) == 0) {
            if (scale != NULL && form == WE_UNIT_AFTER_VALUE)
                *scale = UNITS[k].scale;
            return UNITS[k].text[form][dutch ? 1 : 0];
        }
    return NULL;
}

const char *we_unit_words(const char *unit, int dutch)
{
    return we_unit_text(unit, WE_UNIT_NAME, dutch, NULL);
}
