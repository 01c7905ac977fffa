/*
 * err.c — status names, error rendering and the helpers that fill sw_error.
 */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *sw_version(void) { return SW_VERSION_STRING; }

const char *sw_status_str(sw_status s) {
  switch (s) {
  case SW_OK: return "ok";
  case SW_E_NOMEM: return "out of memory";
  case SW_E_OPEN: return "cannot open input";
  case SW_E_IO: return "input/output error";
  case SW_E_PARSE: return "malformed input";
  case SW_E_SCHEMA: return "input lacks a required field";
  case SW_E_RANGE: return "value out of range";
  case SW_E_USAGE: return "invalid argument";
  case SW_E_MODEL: return "model cannot be estimated";
  case SW_E_INTERNAL: return "internal error";
  case SW_E_CREATE: return "cannot create output";
  }
  return "unknown status";
}

void sw__strlcpy(char *dst, const char *src, size_t n) {
  if (n == 0) return;
  size_t len = strlen(src);
  if (len >= n) len = n - 1;
  memcpy(dst, src, len);
  dst[len] = '\0';
}

sw_status sw__err(sw_error *err, sw_status code, const char *fmt, ...) {
  if (!err) return code;
  memset(err, 0, sizeof *err);
  err->code = code;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
  return code;
}

void sw__err_at(sw_error *err, const char *file, uint64_t line,
                const char *column, uint64_t byte) {
  if (!err) return;
  if (file) sw__strlcpy(err->file, file, sizeof err->file);
  if (line) err->line = line;
  if (column) sw__strlcpy(err->column, column, sizeof err->column);
  if (byte) err->byte = byte;
}

void sw__quote(char *dst, size_t n, const char *s, size_t len, size_t max) {
  size_t o = 0;
  bool cut = len > max;
  if (cut) len = max;
  /* Reserve room for the closing quote, "..." and NUL. */
  size_t limit = n > 6 ? n - 6 : 0;
  if (o < limit) dst[o++] = '"';
  for (size_t i = 0; i < len && o < limit; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      if (o + 2 > limit) {
        cut = true;
        break;
      }
      dst[o++] = '\\';
      dst[o++] = (char)c;
    } else if (c >= 0x20 && c < 0x7f) {
      dst[o++] = (char)c;
    } else {
      if (o + 4 > limit) {
        cut = true;
        break;
      }
      o += (size_t)snprintf(dst + o, 5, "\\x%02x", c);
    }
    if (i + 1 < len && o >= limit) cut = true;
  }
  if (n > 6) {
    dst[o++] = '"';
    if (cut) {
      memcpy(dst + o, "...", 3);
      o += 3;
    }
  }
  if (n) dst[o < n ? o : n - 1] = '\0';
}

size_t sw_error_format(const sw_error *e, char *buf, size_t n) {
  char line[32] = "";
  if (e->line)
    snprintf(line, sizeof line, ":%llu", (unsigned long long)e->line);
  int len = snprintf(buf, n, "%s%s%s%s%s%s", e->file, line,
                     (e->file[0] || e->line) ? ": " : "", e->column,
                     e->column[0] ? ": " : "",
                     e->message[0] ? e->message : sw_status_str(e->code));
  return len < 0 ? 0 : (size_t)len;
}
