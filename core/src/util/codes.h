/* CBS region codes. */
#ifndef WE_UTIL_CODES_H
#define WE_UTIL_CODES_H

/* 1 when s is a municipality code: GM and four digits, e.g. GM0363. */
int we_is_gm_code(const char *s);

#endif
