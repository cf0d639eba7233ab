/* A string -> index map (open addressing, linear probing). It copies the
 * keys, so callers may pass scratch buffers. Used for area codes and
 * indicator names, where lookups run once per data row. */
#ifndef WE_UTIL_STRMAP_H
#define WE_UTIL_STRMAP_H

#include <stddef.h>

typedef struct we_strmap we_strmap;

/* `expected`: number of keys to size for (0 is fine). NULL when out of
 * memory. */
we_strmap *we_strmap_new(size_t expected);
void we_strmap_free(we_strmap *m);

/* Inserts key -> value unless key is present. Returns the value now stored
 * for key: `value` after an insert, the earlier value for a duplicate, -1
 * when out of memory. value must be <= LONG_MAX. */
long we_strmap_put(we_strmap *m, const char *key, size_t value);

/* The value for key, or -1 when absent. */
long we_strmap_get(const we_strmap *m, const char *key);

size_t we_strmap_size(const we_strmap *m);

#endif
