/* "Did you mean": the known word nearest to a mistyped one. */
#ifndef WE_UTIL_SUGGEST_H
#define WE_UTIL_SUGGEST_H

#include <stddef.h>

/* The candidate nearest to `word` by edit distance (insertions,
 * deletions, substitutions and swaps of neighbours count one each), when
 * it is close enough to be a typing mistake: at most 2 edits, and fewer
 * than half the word's length. NULL when none is. */
const char *we_suggest(const char *word, const char *const *candidates,
                       size_t n);

#endif
