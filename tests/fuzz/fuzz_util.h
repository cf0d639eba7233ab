/* Shared by the fuzz targets: the loaders under test read files, so each
 * input is written to a file in a private temporary directory first. */
#ifndef WE_FUZZ_UTIL_H
#define WE_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WE_FUZZ_PATH_MAX 512

static char we_fuzz_dir_[WE_FUZZ_PATH_MAX];

/* The process's temporary directory, created on first use under $TMPDIR.
 * libFuzzer does not always leave through exit(), so removing it is left
 * to the caller: tests/fuzz/run.sh points TMPDIR at a directory it
 * removes after each target. */
static inline const char *we_fuzz_dir(void)
{
    if (we_fuzz_dir_[0] == '\0') {
        /* Every input is a file write: a memory file system is several
         * times faster than a disk. */
        const char *base = getenv("TMPDIR");
        if (base == NULL || base[0] == '\0')
            base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(we_fuzz_dir_, sizeof we_fuzz_dir_, "%s/wefuzz.XXXXXX",
                 base);
        if (mkdtemp(we_fuzz_dir_) == NULL) {
            perror("fuzz: mkdtemp");
            abort();
        }
    }
    return we_fuzz_dir_;
}

/* Writes len bytes to <dir>/name, with the name in path (of
 * WE_FUZZ_PATH_MAX bytes), and returns path. Aborts when the file cannot be written: that is a
 * broken harness, not a finding. */
static inline const char *we_fuzz_write(const char *name, const uint8_t *data,
                                        size_t len, char *path)
{
    snprintf(path, WE_FUZZ_PATH_MAX, "%s/%s", we_fuzz_dir(), name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || (len > 0 && fwrite(data, 1, len, f) != len) ||
        fclose(f) != 0) {
        perror(path);
        abort();
    }
    return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
