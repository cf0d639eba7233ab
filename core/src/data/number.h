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

/* 1 when [s, e), a number's text, could be read with a '.' as a Dutch
 * thousands separator: [+-]d[d[d]].ddd with a first digit 1-9 and no
 * exponent (1.234, 180.204, -271.429). 0.125, 1234.567 and 1.2345 cannot:
 * a thousands group has exactly three digits and no leading 0. */
int we_thousands_ambiguous(const char *s, const char *e);

/* Beyond this magnitude the squares and cross-products the estimators sum
 * overflow a double (1e308 would turn a standard error into Inf or NaN).
 * No indicator of a wijk is near it, so such a value is a data error,
 * refused where the value is read. */
#define WE_VALUE_LIMIT 1e150

#endif
