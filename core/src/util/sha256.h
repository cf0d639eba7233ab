/* SHA-256 (FIPS 180-4), used to fingerprint the input files and the
 * configuration in every report, so a result can be traced to its data. */
#ifndef WE_UTIL_SHA256_H
#define WE_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

typedef struct we_sha256 {
    uint32_t state[8];
    uint64_t n_bytes;
    unsigned char block[64];
    size_t n_block; /* bytes waiting in block */
} we_sha256;

void we_sha256_init(we_sha256 *c);
void we_sha256_update(we_sha256 *c, const void *data, size_t n);
void we_sha256_final(we_sha256 *c, unsigned char digest[32]);

/* Lowercase hex of a digest: 64 characters and a NUL. */
void we_sha256_hex(const unsigned char digest[32], char out[65]);

/* Hex digest of n bytes, in one call. */
void we_sha256_buf_hex(const void *data, size_t n, char out[65]);

/* Hex digest of a file's bytes. Errors name the file. */
int we_sha256_file_hex(const char *path, char out[65], we_error *err);

#endif
