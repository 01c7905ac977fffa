/*
 * utf8.c — UTF-8 validation for every reader of text from the data (CSV
 * rows, JSON region files, DBF ids): strings that reach results.json,
 * CSV outputs and the report page must be well-formed UTF-8.
 *
 * Hand-written rather than taken from a library: it is a dozen lines, and
 * the ASCII fast path (eight bytes at a time) keeps it off the profile of
 * the CSV reader, which validates every row.
 */
#include <stdint.h>
#include <string.h>

#include "utf8.h"

size_t sw__utf8_valid_prefix(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    while (i + 8 <= n) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char b = s[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    size_t k;
    uint32_t cp;
    if (b >= 0xC2 && b <= 0xDF) {
      k = 1;
      cp = b & 0x1Fu;
    } else if (b >= 0xE0 && b <= 0xEF) {
      k = 2;
      cp = b & 0x0Fu;
    } else if (b >= 0xF0 && b <= 0xF4) {
      k = 3;
      cp = b & 0x07u;
    } else {
      return i;
    }
    if (n - i <= k) return i;
    for (size_t j = 1; j <= k; j++) {
      if ((s[i + j] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + j] & 0x3Fu);
    }
    /* Overlong forms, surrogates and code points past U+10FFFF. */
    if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      return i;
    i += k + 1;
  }
  return n;
}

bool sw__utf8_is_text(const char *s, size_t n) {
  if (sw__utf8_valid_prefix((const unsigned char *)s, n) != n) return false;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) return false;
  return true;
}
