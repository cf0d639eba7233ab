/* The exact fast path of decimal parsing (Clinger 1990): a decimal
 * [+-]digits[.digits] whose digits, read as an integer m, satisfy
 * m <= 2^53, with at most 22 digits after the point, is m / 10^f with
 * both operands exact doubles, so the one division rounds correctly and
 * gives the same double as strtod. Indicator values (12.5, 183204, 0.37)
 * almost always qualify; the rest goes to strtod. */
#ifndef WE_DATA_NUMBER_H
#define WE_DATA_NUMBER_H

/* 1 with *out set when [s, e) is such a decimal; 0 when it is not (it
 * may still be a number: ask the general parser). */
int we_fast_decimal(const char *s, const char *e, double *out);

#endif
