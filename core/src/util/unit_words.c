#include "util/unit_words.h"

#include <stddef.h>
#include <string.h>

/* Every unit code of data/catalog.csv and data/demo/catalog.csv. */
static const struct {
    const char *code, *en, *nl;
} WORDS[] = {
    {"pct", "percent", "procent"},
    /* The catalogue's labels say per 1,000 of what (residents,
     * dwellings, households). */
    {"per_1000", "per 1,000", "per 1.000"},
    {"per_10000", "per 10,000", "per 10.000"},
    {"eur", "euro", "euro"},
    {"days", "days", "dagen"},
    {"count", "number", "aantal"},
    {"score_0_10", "score from 0 to 10", "score van 0 tot 10"},
    {"score_1_5", "score from 1 to 5", "score van 1 tot 5"},
    {"score_501_550", "score from 501 to 550", "score van 501 tot 550"},
    {"class_1_9", "class from 1 to 9", "klasse van 1 tot 9"},
};

const char *we_unit_words(const char *unit, int dutch)
{
    for (size_t k = 0; unit != NULL && k < sizeof WORDS / sizeof WORDS[0];
         k++)
        if (strcmp(WORDS[k].code, unit) == 0)
            return dutch ? WORDS[k].nl : WORDS[k].en;
    return NULL;
}
