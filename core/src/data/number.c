#include "data/number.h"

#include <stddef.h>
#include <stdint.h>

static const double POW10[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

int we_fast_decimal(const char *s, const char *e, double *out)
{
    int neg = 0;
    if (s < e && (*s == '-' || *s == '+'))
        neg = *s++ == '-';
    uint64_t m = 0;
    int digits = 0, frac = -1;
    for (; s < e; s++) {
        unsigned d = (unsigned)(unsigned char)*s - '0';
        if (d < 10) {
            if (++digits > 19)
                return 0; /* m could overflow: let strtod decide */
            m = m * 10 + d;
            frac += frac >= 0;
        } else if (*s == '.' && frac < 0) {
            frac = 0;
        } else {
            return 0;
        }
    }
    if (digits == 0 || frac == 0 || m > (UINT64_C(1) << 53) || frac > 22)
        return 0; /* "", ".", "5." (strtod takes it), or inexact */
    double v = (double)m;
    if (frac > 0)
        v /= POW10[frac];
    *out = neg ? -v : v;
    return 1;
}

int we_thousands_ambiguous(const char *s, const char *e)
{
    if (s < e && (*s == '-' || *s == '+'))
        s++;
    const char *dot = s;
    while (dot < e && *dot >= '0' && *dot <= '9')
        dot++;
    size_t lead = (size_t)(dot - s);
    if (lead < 1 || lead > 3 || *s == '0' || dot == e || *dot != '.' ||
        e - dot != 4)
        return 0;
    for (const char *p = dot + 1; p < e; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}
