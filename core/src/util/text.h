/* Text from data or a plugin on its way to a terminal or a report:
 * control characters (an ESC that starts a terminal escape sequence, a
 * carriage return that overwrites the line) must not reach the reader. */
#ifndef WE_UTIL_TEXT_H
#define WE_UTIL_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* The replacement of a control character: visible, one byte. */
#define WE_TEXT_REPLACEMENT '?'

/* Bytes of the control character that starts at s: a C0 control other
 * than tab and line feed, DEL, a C1 control (U+0080..U+009F in UTF-8, or
 * a stray byte 0x80..0x9F, which 8-bit terminals read as CSI and the
 * like); 0 for anything else, the terminating '\0' included. */
size_t we_text_control_len(const char *s);

/* Bytes of the character at s that is not a control: a whole valid UTF-8
 * sequence, else 1 (a broken byte stays as it is). 0 at '\0'. */
size_t we_text_char_len(const char *s);

/* Replaces each control character of s, in place, by
 * WE_TEXT_REPLACEMENT; tab and line feed stay (messages are formatted
 * with them). Returns s; NULL stays NULL. */
char *we_text_sanitize(char *s);

/* fputs of s as we_text_sanitize would leave it, without copying. */
void we_text_put(FILE *f, const char *s);

#endif
