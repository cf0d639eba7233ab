/* CBS region codes and indicator ids. */
#ifndef WE_UTIL_CODES_H
#define WE_UTIL_CODES_H

/* 1 when s is a municipality code: GM and four digits, e.g. GM0363. */
int we_is_gm_code(const char *s);

/* The municipality of a CBS code: GM0363 of GM0363, WK036301 or
 * BU03630101, into out; 0, or -1 for any other code. */
int we_municipality_of_code(const char *code, char out[7]);

/* 1 when s is an indicator id: one or more of a-z, 0-9 and '_'. */
int we_is_indicator_id(const char *s);

#endif
