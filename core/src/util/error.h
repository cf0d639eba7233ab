/* Error reporting inside the core: a fixed buffer filled once, at the
 * place that knows the file, line and column. */
#ifndef WE_UTIL_ERROR_H
#define WE_UTIL_ERROR_H

#include <stddef.h>

#define WE_ERROR_MAX 2048

typedef struct we_error {
    char msg[WE_ERROR_MAX];
} we_error;

/* Formats into err->msg (when err is not NULL) and returns -1, so callers
 * can write `return we_errorf(err, "%s:%zu: ...", ...)`. */
int we_errorf(we_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Allocation helpers that never return NULL silently: they return NULL and
 * the caller reports; kept here so every module checks the same way. */
char *we_strdup(const char *s);
void *we_calloc(size_t n, size_t size);

#endif
