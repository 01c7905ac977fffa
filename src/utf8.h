/*
 * utf8.h — UTF-8 validation shared by the readers (see utf8.c).
 */
#ifndef SW_UTF8_H
#define SW_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the longest prefix of s that is well-formed UTF-8: no overlong
 * forms, surrogates or code points past U+10FFFF. n when all of it is. */
size_t sw__utf8_valid_prefix(const unsigned char *s, size_t n);

/* Is s well-formed UTF-8 without control characters (an id, a label)? */
bool sw__utf8_is_text(const char *s, size_t n);

#endif
