/* Opening an input (data or config) so that a path which is not a file
 * cannot hang or exhaust the run: a FIFO would block in open() or read()
 * until a writer comes, a device such as /dev/zero never ends, and a
 * directory gives a bare "I/O error" later. Only regular files are read;
 * the rest is refused by name before a byte is read. */
#ifndef WE_UTIL_INPUT_FILE_H
#define WE_UTIL_INPUT_FILE_H

#include <stddef.h>
#include <stdio.h>

#include "util/error.h"

/* The longest line (row) an input file may have: 1 MiB. Real exports
 * have lines of a few kilobytes; a longer one is a wrong file (binary
 * data, a file without line breaks). */
#define WE_MAX_LINE ((size_t)1 << 20)

/* The longest name or label (area name, indicator id, label), in
 * characters. */
#define WE_MAX_NAME 200

/* Opens path for reading ("rb") when it is a regular file. Otherwise
 * returns NULL with err "path: cannot open: ..." (with `what`, e.g. "the
 * config file": "path: cannot read the config file: ...") or "path: is a
 * directory (a FIFO, a character device, ...), not a regular file; ...".
 * Never blocks on a FIFO. */
FILE *we_open_input(const char *path, const char *what, we_error *err);

/* The UTF-8 characters of s[0, n) (bytes that are not continuation
 * bytes). */
size_t we_utf8_chars(const char *s, size_t n);

/* The offset of the first byte of s[0, n) that is not part of a valid
 * UTF-8 sequence (overlong forms, surrogates and code points beyond
 * U+10FFFF are invalid), or n when all of it is valid. */
size_t we_utf8_invalid(const char *s, size_t n);

#endif
