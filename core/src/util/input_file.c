#include "util/input_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind_of(mode_t m)
{
    if (S_ISDIR(m))
        return "a directory";
    if (S_ISFIFO(m))
        return "a FIFO (named pipe)";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    if (S_ISSOCK(m))
        return "a socket";
    return "not a regular file";
}

FILE *we_open_input(const char *path, const char *what, we_error *err)
{
    /* O_NONBLOCK: opening a FIFO without a writer returns at once. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        if (what == NULL)
            we_fail(err, WE_EINVAL, "%s: cannot open: %s; check the path",
                    path, strerror(errno));
        else
            we_fail(err, WE_EINVAL, "%s: cannot read %s: %s; check the path",
                    path, what, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        we_fail(err, WE_EINVAL, "%s: cannot read: %s; check the path", path,
                strerror(e));
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        we_fail(err, WE_EINVAL,
                "%s: is %s, not a regular file; only files are read: give "
                "the path of %s itself",
                path, kind_of(st.st_mode), what != NULL ? what : "the file");
        return NULL;
    }
    int fl = fcntl(fd, F_GETFL);
    FILE *f = NULL;
    if (fl >= 0 && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == 0)
        f = fdopen(fd, "rb");
    if (f == NULL) {
        int e = errno;
        close(fd);
        we_fail(err, WE_EINVAL, "%s: cannot open: %s", path, strerror(e));
    }
    return f;
}

size_t we_utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xc0) != 0x80;
    return c;
}

/* The length of the valid sequence at u[0, n), or 0. */
static size_t utf8_seq(const unsigned char *u, size_t n)
{
    unsigned char c = u[0];
    size_t len;
    unsigned lo = 0x80, hi = 0xbf; /* range of the second byte */
    if (c >= 0xc2 && c <= 0xdf)
        len = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        if (c == 0xe0)
            lo = 0xa0; /* overlong */
        if (c == 0xed)
            hi = 0x9f; /* surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        if (c == 0xf0)
            lo = 0x90; /* overlong */
        if (c == 0xf4)
            hi = 0x8f; /* beyond U+10FFFF */
    } else
        return 0;
    if (n < len || u[1] < lo || u[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((u[i] & 0xc0) != 0x80)
            return 0;
    return len;
}

size_t we_utf8_invalid(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        size_t len = utf8_seq(u + i, n - i);
        if (len == 0)
            return i;
        i += len;
    }
    return n;
}
