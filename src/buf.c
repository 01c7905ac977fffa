/*
 * buf.c — growable byte buffer (see buf.h).
 */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"

static bool reserve(sw_buf *b, size_t extra) {
  if (extra > (size_t)-1 - b->len - 1) return false;
  void *p = b->data;
  size_t cap = b->cap;
  if (!sw__grow(&p, &cap, b->len + extra + 1, 1)) return false;
  b->data = p;
  b->cap = cap;
  return true;
}

bool sw__buf_append(sw_buf *b, const void *p, size_t n) {
  if (!reserve(b, n)) return false;
  if (n) memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
  return true;
}

bool sw__buf_putc(sw_buf *b, char c) { return sw__buf_append(b, &c, 1); }

bool sw__buf_printf(sw_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || !reserve(b, (size_t)n)) {
    va_end(ap2);
    return false;
  }
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  b->len += (size_t)n;
  return true;
}

void sw__buf_clear(sw_buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = '\0';
}

void sw__buf_free(sw_buf *b) {
  sw__free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}
