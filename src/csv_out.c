/*
 * csv_out.c — the one CSV field writer behind every CSV steerwatch writes:
 * RFC 4180 quoting, and for cells a person opens in a spreadsheet the
 * formula guard (OWASP "CSV injection"). Readers sit in csv.c; the
 * writers (audit_results.c, the tidy tables, the CLI's rejects.csv) call
 * here.
 *
 * The guard: a text cell from the data that starts with `=`, `+`, `-`,
 * `@`, tab or carriage return is run as a formula by Excel and LibreOffice
 * (`=HYPERLINK(...)`, `+cmd|calc`), so it gets a leading `'`, which they
 * show as text. A cell starting with `'` gets one too, so that the rule
 * reverses exactly: drop one leading `'` from a cell that has one. A plain
 * decimal number (`-74.5`, `+1e3`) is left alone: a spreadsheet reads it
 * as that number and runs nothing, and guarding it would turn a negative
 * longitude carried through from the records into text.
 * docs/limits.md ("Cells a spreadsheet opens") is the user's statement.
 */
#include <string.h>

#include "csv.h"

/* Where an encoded field goes: an sw_buf that grows, or a caller's
 * fixed buffer that is filled as far as it goes (snprintf's rule). */
typedef struct sink {
  sw_buf *b;  /* NULL: write into out */
  char *out;  /* n bytes, or NULL when n is 0 */
  size_t n;   /* capacity of out, NUL included */
  size_t len; /* bytes the field takes, whether or not they fit */
  bool ok;    /* false: b could not grow */
} sink;

static void emit(sink *k, const char *p, size_t m) {
  if (k->b) {
    k->ok = k->ok && sw__buf_append(k->b, p, m);
  } else if (k->len + 1 < k->n) {
    size_t room = k->n - 1 - k->len;
    memcpy(k->out + k->len, p, m < room ? m : room);
  }
  k->len += m;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Optional sign, digits with an optional point, optional exponent: the
 * syntax sw__parse_number accepts, checked without needing s[len] == 0. */
static bool plain_number(const char *s, size_t len) {
  size_t i = 0, digits = 0;
  if (i < len && (s[i] == '+' || s[i] == '-')) i++;
  for (; i < len && is_digit(s[i]); i++)
    digits++;
  if (i < len && s[i] == '.')
    for (i++; i < len && is_digit(s[i]); i++)
      digits++;
  if (!digits) return false;
  if (i < len && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < len && (s[i] == '+' || s[i] == '-')) i++;
    if (i == len || !is_digit(s[i])) return false;
    while (i < len && is_digit(s[i]))
      i++;
  }
  return i == len;
}

static bool needs_guard(const char *s, size_t len) {
  if (!len || s[0] == '\0' || !strchr("=+-@\t\r'", s[0])) return false;
  return !plain_number(s, len);
}

static void encode(sink *k, const char *s, size_t len, char delimiter,
                   bool guard) {
  bool quote = len && (s[0] == ' ' || s[len - 1] == ' ');
  for (size_t i = 0; i < len && !quote; i++)
    quote = s[i] == delimiter || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
  if (quote) emit(k, "\"", 1);
  if (guard && needs_guard(s, len)) emit(k, "'", 1);
  size_t from = 0;
  for (size_t i = 0; quote && i < len; i++) {
    if (s[i] != '"') continue;
    emit(k, s + from, i + 1 - from);
    from = i; /* the quote is written again: doubled */
  }
  emit(k, s + from, len - from);
  if (quote) emit(k, "\"", 1);
}

bool sw__csv_put_field(sw_buf *b, const char *s, size_t len, char delimiter) {
  sink k = {.b = b, .ok = true};
  encode(&k, s, len, delimiter, false);
  return k.ok;
}

bool sw__csv_put_cell(sw_buf *b, const char *s, size_t len, char delimiter) {
  sink k = {.b = b, .ok = true};
  encode(&k, s, len, delimiter, true);
  return k.ok;
}

size_t sw_csv_field(const char *s, size_t len, char delimiter, char *buf,
                    size_t n) {
  sink k = {.out = buf, .n = n, .ok = true};
  encode(&k, s ? s : "", s ? len : 0, delimiter ? delimiter : ',', true);
  if (n) buf[k.len < n ? k.len : n - 1] = '\0';
  return k.len;
}
