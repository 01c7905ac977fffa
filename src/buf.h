/*
 * buf.h — a growable byte buffer, for building rows and output text.
 */
#ifndef SW_BUF_H
#define SW_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sw_buf {
  char *data; /* NUL-terminated when len > 0 or after any append */
  size_t len;
  size_t cap;
} sw_buf;

/* Append n bytes; false when out of memory (buffer unchanged). */
bool sw__buf_append(sw_buf *b, const void *p, size_t n);
bool sw__buf_putc(sw_buf *b, char c);
bool sw__buf_printf(sw_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sw__buf_clear(sw_buf *b); /* len = 0, keeps memory */
void sw__buf_free(sw_buf *b);  /* releases memory, zeroes b */

#endif
