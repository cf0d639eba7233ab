#include "util/codes.h"

#include <stdio.h>
#include <string.h>

/* 1 when s[0..n-1] are digits and s[n] ends the string. */
static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return s[n] == '\0';
}

int we_is_gm_code(const char *s)
{
    return strncmp(s, "GM", 2) == 0 && digits(s + 2, 4);
}

int we_municipality_of_code(const char *code, char out[7])
{
    size_t n = strncmp(code, "GM", 2) == 0   ? 4
               : strncmp(code, "WK", 2) == 0 ? 6
               : strncmp(code, "BU", 2) == 0 ? 8
                                             : 0;
    if (n == 0 || !digits(code + 2, n))
        return -1;
    snprintf(out, 7, "GM%.4s", code + 2);
    return 0;
}

int we_is_indicator_id(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s != '\0'; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return 0;
    return 1;
}
