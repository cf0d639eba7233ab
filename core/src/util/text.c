#include "util/text.h"

size_t we_text_control_len(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] == '\0' || u[0] == '\t' || u[0] == '\n')
        return 0;
    if (u[0] < 0x20 || u[0] == 0x7F)
        return 1;
    if (u[0] == 0xC2 && u[1] >= 0x80 && u[1] <= 0x9F)
        return 2;
    /* Here a byte 0x80..0x9F is not inside a sequence: the caller steps
     * over whole sequences with we_text_char_len. */
    if (u[0] >= 0x80 && u[0] <= 0x9F)
        return 1;
    return 0;
}

size_t we_text_char_len(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = u[0] >= 0xF0 && u[0] <= 0xF4   ? 4
               : u[0] >= 0xE0 && u[0] <= 0xEF ? 3
               : u[0] >= 0xC2 && u[0] <= 0xDF ? 2
                                              : 1;
    if (u[0] == '\0')
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((u[i] & 0xC0) != 0x80)
            return 1;
    return n;
}

char *we_text_sanitize(char *s)
{
    if (s == NULL)
        return NULL;
    char *out = s;
    const char *in = s;
    while (*in != '\0') {
        size_t c = we_text_control_len(in);
        if (c > 0) {
            *out++ = WE_TEXT_REPLACEMENT;
            in += c;
            continue;
        }
        for (size_t n = we_text_char_len(in); n > 0; n--)
            *out++ = *in++;
    }
    *out = '\0';
    return s;
}

void we_text_put(FILE *f, const char *s)
{
    while (s != NULL && *s != '\0') {
        size_t c = we_text_control_len(s);
        if (c > 0) {
            fputc(WE_TEXT_REPLACEMENT, f);
            s += c;
            continue;
        }
        size_t n = we_text_char_len(s);
        fwrite(s, 1, n, f);
        s += n;
    }
}
