#include "util/suggest.h"

#include <stdlib.h>
#include <string.h>

/* Optimal string alignment distance, capped: returns cap + 1 as soon as
 * it exceeds cap (and for words longer than 64 bytes). */
static size_t distance(const char *a, const char *b, size_t cap)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 64 || m > 64 || (n > m ? n - m : m - n) > cap)
        return cap + 1;
    size_t d[65][65];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[n][m];
}

const char *we_suggest(const char *word, const char *const *candidates,
                       size_t n)
{
    if (word == NULL)
        return NULL;
    size_t len = strlen(word);
    size_t cap = len / 2 > 0 ? (len - 1) / 2 : 0;
    if (cap > 2)
        cap = 2;
    const char *best = NULL;
    size_t best_d = cap + 1;
    for (size_t k = 0; k < n; k++) {
        if (candidates[k] == NULL || strcmp(candidates[k], word) == 0)
            continue;
        size_t d = distance(word, candidates[k], cap);
        if (d < best_d) {
            best_d = d;
            best = candidates[k];
        }
    }
    return best;
}
