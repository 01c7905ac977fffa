/*
 * err.h — filling an sw_error. Every module reports failures through these
 * so that messages share one shape: `file:line: column: reason "value"`.
 */
#ifndef SW_ERR_H
#define SW_ERR_H

#include "steerwatch.h"

/* Set err (if not NULL) to code with a printf-style message; file, line,
 * column and byte are cleared. Returns code, so callers can
 * `return sw__err(err, SW_E_PARSE, "...")`. */
sw_status sw__err(sw_error *err, sw_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Attach a position to an error already set (NULL/0 leave a part as is). */
void sw__err_at(sw_error *err, const char *file, uint64_t line,
                const char *column, uint64_t byte);

/* Quote up to max bytes of s (len bytes) into dst of n bytes as a C-like
 * string literal: printable ASCII as is, `"` and `\` escaped, other bytes
 * as \xNN, and `...` when cut. Always NUL-terminates (n >= 1). */
void sw__quote(char *dst, size_t n, const char *s, size_t len, size_t max);

/* Copy src into dst (n bytes), truncating, always NUL-terminated. */
void sw__strlcpy(char *dst, const char *src, size_t n);

#endif
