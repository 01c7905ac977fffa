/*
 * rows.c — which reader a table input needs: CSV (plain or gzip), or one of
 * the formats agencies also release, recognised by their first bytes (a
 * name can lie, and standard input has none) and, for Stata files that
 * have no magic bytes before version 117, by the name.
 */
#include <string.h>

#include "rows.h"
#include "source.h"

extern const sw_rows_backend sw__xlsx_backend;
extern const sw_rows_backend sw__dta_backend;
extern const sw_rows_backend sw__sav_backend;

static bool ends_with(const char *s, const char *tail) {
  size_t n = strlen(s), t = strlen(tail);
  return n >= t && !strcmp(s + n - t, tail);
}

const sw_rows_backend *sw__rows_backend_for(const sw_source *src,
                                            const char *path) {
  unsigned char m[8];
  size_t n = sw__source_magic(src, m);
  if (n >= 4 && !memcmp(m, "PK\x03\x04", 4)) return &sw__xlsx_backend;
  if (n >= 8 && !memcmp(m, "<stata_d", 8)) return &sw__dta_backend;
  if (n >= 4 && (!memcmp(m, "$FL2", 4) || !memcmp(m, "$FL3", 4)))
    return &sw__sav_backend;
  /* Stata 8-13 (formats 113-115): a version byte, a byte order, a type. */
  if (n >= 4 && m[0] >= 113 && m[0] <= 115 && (m[1] == 1 || m[1] == 2) &&
      m[2] == 1 && path && (ends_with(path, ".dta") || ends_with(path, ".DTA")))
    return &sw__dta_backend;
  return NULL;
}
