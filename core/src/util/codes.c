#include "util/codes.h"

#include <string.h>

int we_is_gm_code(const char *s)
{
    if (strncmp(s, "GM", 2) != 0 || strlen(s) != 6)
        return 0;
    for (int i = 2; i < 6; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}
