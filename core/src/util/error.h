/* Error reporting inside the core: a fixed buffer filled once, at the
 * place that knows the file, line and column. */
#ifndef WE_UTIL_ERROR_H
#define WE_UTIL_ERROR_H

#include <stddef.h>

#include "wijkeval/plugin.h"

#define WE_ERROR_MAX 2048

typedef struct we_error {
    char msg[WE_ERROR_MAX];
} we_error;

/* The one error helper: formats into err->msg (when err is not NULL) and
 * returns `status`, a negative we_status (wijkeval/plugin.h), so that a
 * failure says what and why in one statement:
 *     return we_fail(err, WE_EINVAL, "%s:%zu: ...; do this", ...);
 * WE_ENOMEM for allocations, WE_EINVAL for bad input, the method's own
 * status (WE_ENODATA, WE_ESINGULAR, ...) where it has one. */
int we_fail(we_error *err, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Allocation helpers that never return NULL silently: they return NULL and
 * the caller reports; kept here so every module checks the same way. */
char *we_strdup(const char *s);
void *we_calloc(size_t n, size_t size);

#endif
