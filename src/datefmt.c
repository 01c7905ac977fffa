/*
 * datefmt.c — reading the dates agencies write (see datefmt.h).
 *
 * Hand-written rather than strptime(3): glibc's accepts 2021-02-30, reads
 * month names in the process locale and skips any whitespace, and a value
 * that means different dates on different machines is what this module
 * exists to prevent. One pass over a dozen bytes, no allocation.
 */
#include "datefmt.h"

#include <stdio.h>
#include <string.h>

#include "err.h"

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* date.h's conversions, for the dates of years 1000..9999 read here. */
static int32_t days_of(int y, int m, int d) {
  return (int32_t)sw__days_from_civil(y, m, d);
}

static void ymd_of(int32_t days, int *y, int *m, int *d) {
  int64_t yy, mm, dd;
  sw__civil_from_days(days, &yy, &mm, &dd);
  *y = (int)yy;
  *m = (int)mm;
  *d = (int)dd;
}
static bool is_space(char c) { return c == ' ' || c == '\t'; }

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

/* Up to max digits at s[*i]; at least min. -1 when fewer. */
static int num(const char *s, size_t len, size_t *i, int min, int max) {
  int v = 0, k = 0;
  while (*i < len && k < max && is_digit(s[*i])) {
    v = v * 10 + (s[(*i)++] - '0');
    k++;
  }
  return k >= min ? v : -1;
}

static const char *const month_names[12] = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

/* An English month name or its three-letter abbreviation (and "sept"),
 * any case: 1..12, or -1. */
static int month_name(const char *s, size_t len, size_t *i) {
  size_t n = 0;
  while (*i + n < len && lower(s[*i + n]) >= 'a' && lower(s[*i + n]) <= 'z')
    n++;
  for (int m = 0; m < 12; m++) {
    size_t full = strlen(month_names[m]);
    bool ok = n == 3 || n == full || (m == 8 && n == 4);
    for (size_t k = 0; ok && k < n; k++)
      ok = k < full && lower(s[*i + k]) == month_names[m][k];
    if (ok) {
      *i += n;
      return m + 1;
    }
  }
  return -1;
}

static int pivot_year(int yy) { return yy < 69 ? 2000 + yy : 1900 + yy; }

/* A time after a date: H[H]:MM[:SS[.fff]], then optional AM/PM and zone
 * (Z, +hh, +hhmm, +hh:mm). Checked, then dropped: a record's date is the
 * calendar date written, in the writer's time zone. */
static bool time_part(const char *s, size_t len, size_t *i) {
  int h = num(s, len, i, 1, 2);
  if (h < 0 || *i >= len || s[(*i)++] != ':') return false;
  int m = num(s, len, i, 2, 2), sec = 0;
  if (m < 0 || m > 59) return false;
  if (*i < len && s[*i] == ':') {
    (*i)++;
    if ((sec = num(s, len, i, 2, 2)) < 0 || sec > 60) return false;
    if (*i < len && s[*i] == '.') {
      (*i)++;
      if (num(s, len, i, 1, 9) < 0) return false;
    }
  }
  size_t j = *i;
  while (j < len && is_space(s[j]))
    j++;
  if (j + 1 < len && (lower(s[j]) == 'a' || lower(s[j]) == 'p') &&
      lower(s[j + 1]) == 'm') {
    if (h < 1 || h > 12) return false;
    *i = j + 2;
  } else if (h > 23) {
    return false;
  }
  j = *i;
  while (j < len && is_space(s[j]))
    j++;
  if (j < len && (s[j] == 'Z' || s[j] == 'z')) {
    *i = j + 1;
  } else if (j < len && (s[j] == '+' || s[j] == '-')) {
    j++;
    if (num(s, len, &j, 2, 2) < 0) return false;
    if (j < len && s[j] == ':') j++;
    if (j < len && is_digit(s[j]) && num(s, len, &j, 2, 2) < 0) return false;
    *i = j;
  }
  return true;
}

/* After the date at s[*i]: nothing, or a separator (T or spaces) and a
 * time. */
static bool rest_is_time(const char *s, size_t len, size_t i) {
  if (i == len) return true;
  if (s[i] == 'T' || s[i] == 't') {
    i++;
  } else if (is_space(s[i])) {
    while (i < len && is_space(s[i]))
      i++;
  } else {
    return false;
  }
  return time_part(s, len, &i) && i == len;
}

int32_t sw__date_day_first(int32_t days) {
  int y, m, d;
  ymd_of(days, &y, &m, &d);
  return days_of(y, d, m);
}

/* What a value recognised without a format is. */
enum shape { NOT_DATE, EXACT, MONTH_FIRST, DAY_FIRST, EITHER, SERIAL };

/* Recognise s: EXACT sets *days; MONTH_FIRST/DAY_FIRST/EITHER give a, b
 * (the first two parts) and y, the order deciding which is the month. */
static enum shape recognise(const char *s, size_t len, int32_t *days, int *a,
                            int *b, int *y) {
  size_t i = 0;
  int p1 = num(s, len, &i, 1, 5);
  if (p1 < 0) return NOT_DATE;
  size_t n1 = i;
  /* An Excel serial day number: five digits (1927-05-18..2173-10-14), an
   * optional fraction for the time of day. Fewer digits are more likely a
   * year or a count than a date, so they are not read as one. */
  if (n1 == 5 && (i == len || s[i] == '.')) {
    if (i < len) {
      i++;
      if (num(s, len, &i, 1, 17) < 0 || i != len) return NOT_DATE;
    }
    *days = (int32_t)(p1 - 25569); /* serial 25569 is 1970-01-01 */
    return SERIAL;
  }
  if (i >= len || n1 > 4) return NOT_DATE;
  char sep = s[i];
  if (sep != '-' && sep != '/' && sep != '.') return NOT_DATE;
  i++;
  if (n1 == 4) { /* Y-M-D, ISO (or with slashes or dots) */
    int m = num(s, len, &i, 1, 2);
    if (m < 0 || i >= len || s[i++] != sep) return NOT_DATE;
    int d = num(s, len, &i, 1, 2);
    if (d < 0 || !sw__civil_valid(p1, m, d) || !rest_is_time(s, len, i))
      return NOT_DATE;
    *days = days_of(p1, m, d);
    return EXACT;
  }
  if (i < len && !is_digit(s[i])) { /* DD-Mon-YY(YY): day first */
    int m = month_name(s, len, &i);
    if (m < 0 || i >= len || s[i++] != sep) return NOT_DATE;
    size_t at = i;
    int yr = num(s, len, &i, 2, 4);
    if (yr < 0 || (i - at != 2 && i - at != 4)) return NOT_DATE;
    if (i - at == 2) yr = pivot_year(yr);
    if (!sw__civil_valid(yr, m, p1) || !rest_is_time(s, len, i))
      return NOT_DATE;
    *days = days_of(yr, m, p1);
    return EXACT;
  }
  int p2 = num(s, len, &i, 1, 2);
  if (p2 < 0 || i >= len || s[i++] != sep) return NOT_DATE;
  size_t at = i;
  int yr = num(s, len, &i, 2, 4);
  if (yr < 0 || (i - at != 2 && i - at != 4) || !rest_is_time(s, len, i))
    return NOT_DATE;
  if (i - at == 2) yr = pivot_year(yr);
  *a = p1;
  *b = p2;
  *y = yr;
  bool mf = sw__civil_valid(yr, p1, p2), df = sw__civil_valid(yr, p2, p1);
  if (mf && df) return p1 == p2 ? MONTH_FIRST : EITHER;
  if (mf) return MONTH_FIRST;
  if (df) return DAY_FIRST;
  return NOT_DATE;
}

/* The format conversions; see sw_date_parse_format in steerwatch.h. */
static sw_status parse_format(const char *f, const char *s, size_t len,
                              int32_t *days) {
  int y = -1, m = -1, d = -1, yday = -1, h = -1;
  bool pm = false, ampm = false;
  size_t i = 0;
  sw_status bad = SW_E_PARSE;
  for (; *f; f++) {
    if (*f == ' ') {
      while (i < len && is_space(s[i]))
        i++;
      continue;
    }
    if (*f != '%') {
      if (i >= len || s[i] != *f) return bad;
      i++;
      continue;
    }
    int v;
    switch (*++f) {
    case 'Y':
      if ((y = num(s, len, &i, 4, 4)) < 0) return bad;
      break;
    case 'y':
      if ((v = num(s, len, &i, 2, 2)) < 0) return bad;
      y = pivot_year(v);
      break;
    case 'm':
      if ((m = num(s, len, &i, 1, 2)) < 0) return bad;
      break;
    case 'e':
      if (i < len && s[i] == ' ') i++;
      /* fallthrough */
    case 'd':
      if ((d = num(s, len, &i, 1, 2)) < 0) return bad;
      break;
    case 'b':
    case 'h':
    case 'B':
      if ((m = month_name(s, len, &i)) < 0) return bad;
      break;
    case 'j':
      if ((yday = num(s, len, &i, 1, 3)) < 1 || yday > 366) return bad;
      break;
    case 'H':
    case 'I':
      ampm |= *f == 'I';
      if ((h = num(s, len, &i, 1, 2)) < 0 || h > 23) return bad;
      break;
    case 'M':
      if ((v = num(s, len, &i, 1, 2)) < 0 || v > 59) return bad;
      break;
    case 'S':
      if ((v = num(s, len, &i, 1, 2)) < 0 || v > 60) return bad;
      break;
    case 'p':
      if (i + 1 >= len || (lower(s[i]) != 'a' && lower(s[i]) != 'p') ||
          lower(s[i + 1]) != 'm')
        return bad;
      pm = lower(s[i]) == 'p';
      ampm = true;
      i += 2;
      break;
    case 'z': {
      size_t j = i;
      if (j < len && (s[j] == 'Z' || s[j] == 'z')) {
        i = j + 1;
        break;
      }
      if (j >= len || (s[j] != '+' && s[j] != '-')) return bad;
      j++;
      if (num(s, len, &j, 2, 2) < 0) return bad;
      if (j < len && s[j] == ':') j++;
      if (j < len && is_digit(s[j]) && num(s, len, &j, 2, 2) < 0) return bad;
      i = j;
      break;
    }
    case 'F':
    case 'T':
    case 'D': {
      static const char *const expand[] = {"%Y-%m-%d", "%H:%M:%S", "%m/%d/%y"};
      const char *sub = expand[*f == 'F' ? 0 : *f == 'T' ? 1 : 2];
      /* Expanded in place: the sub-format reads into the same fields. */
      for (; *sub; sub++) {
        if (*sub != '%') {
          if (i >= len || s[i] != *sub) return bad;
          i++;
          continue;
        }
        switch (*++sub) {
        case 'Y': y = num(s, len, &i, 4, 4); break;
        case 'y':
          v = num(s, len, &i, 2, 2);
          y = v < 0 ? -1 : pivot_year(v);
          break;
        case 'm': m = num(s, len, &i, 1, 2); break;
        case 'd': d = num(s, len, &i, 1, 2); break;
        case 'H': h = num(s, len, &i, 1, 2); break;
        default: v = num(s, len, &i, 1, 2); break;
        }
        if ((*sub == 'Y' || *sub == 'y') && y < 0) return bad;
        if ((*sub == 'm' && m < 0) || (*sub == 'd' && d < 0)) return bad;
      }
      break;
    }
    case '%':
      if (i >= len || s[i++] != '%') return bad;
      break;
    default: return SW_E_USAGE;
    }
  }
  if (y < 0 || !((m >= 0 && d >= 0) || yday >= 0)) return bad;
  if (ampm && h >= 0 && (h < 1 || h > 12)) return bad;
  (void)pm;
  if (i != len) return bad;
  if (m < 0) { /* day of the year */
    if (!sw__civil_valid(y, 1, 1)) return bad;
    int32_t first = days_of(y, 1, 1);
    int yy, mm, dd;
    ymd_of(first + yday - 1, &yy, &mm, &dd);
    if (yy != y) return bad;
    *days = first + yday - 1;
    return SW_OK;
  }
  if (!sw__civil_valid(y, m, d)) return bad;
  *days = days_of(y, m, d);
  return SW_OK;
}

/* Whether a format is one: known conversions, and a year with a month and
 * day or a day of the year. */
static bool format_ok(const char *f) {
  bool y = false, m = false, d = false, j = false;
  for (; *f; f++) {
    if (*f != '%') continue;
    switch (*++f) {
    case 'Y':
    case 'y': y = true; break;
    case 'm':
    case 'b':
    case 'h':
    case 'B': m = true; break;
    case 'd':
    case 'e': d = true; break;
    case 'j': j = true; break;
    case 'F':
    case 'D': y = m = d = true; break;
    case 'H':
    case 'I':
    case 'M':
    case 'S':
    case 'p':
    case 'z':
    case 'T':
    case '%': break;
    default: return false;
    }
  }
  return y && ((m && d) || j);
}

sw_status sw_date_parse_format(const char *format, const char *s, size_t len,
                               int32_t *days) {
  if (!format || !format_ok(format)) return SW_E_USAGE;
  if (!s) return SW_E_PARSE;
  while (len && is_space(*s))
    s++, len--;
  while (len && is_space(s[len - 1]))
    len--;
  int32_t v;
  sw_status st = parse_format(format, s, len, &v);
  if (st == SW_OK) *days = v;
  return st == SW_E_USAGE ? SW_E_USAGE : st;
}

int sw__date_col_read(sw_date_col *dc, const char *s, size_t len, uint64_t line,
                      int32_t *days, char *why, size_t n) {
  char q[40];
  while (len && is_space(*s))
    s++, len--;
  while (len && is_space(s[len - 1]))
    len--;
  if (dc->format) {
    if (sw_date_parse_format(dc->format, s, len, days) == SW_OK)
      return SW_DATE_OK;
    sw__quote(q, sizeof q, s, len, 32);
    snprintf(why, n, "not a date in the format %.32s: %s", dc->format, q);
    return SW_DATE_BAD;
  }
  int a = 0, b = 0, y = 0;
  enum shape sh = recognise(s, len, days, &a, &b, &y);
  if (sh == EXACT || (sh == SERIAL && !dc->no_serials)) return SW_DATE_OK;
  sw__quote(q, sizeof q, s, len, 32);
  if (sh == SERIAL) {
    snprintf(why, n,
             "a number, not a date: %s (a variable without a date format; "
             "give it one, or set --date-format)",
             q);
    return SW_DATE_BAD;
  }
  if (sh == NOT_DATE) {
    snprintf(why, n, "not a date: %s", q);
    return SW_DATE_BAD;
  }
  if (sh == EITHER) {
    if (dc->order) {
      *days = days_of(y, dc->order == 1 ? a : b, dc->order == 1 ? b : a);
      return SW_DATE_OK;
    }
    if (!dc->n_pending++) {
      dc->pending_line = line;
      memcpy(dc->pending_value, q, sizeof q);
    }
    *days = days_of(y, a, b);
    return SW_DATE_PENDING;
  }
  int order = sh == MONTH_FIRST ? 1 : 2;
  if (a == b) { /* the same date either way */
    *days = days_of(y, a, b);
    return SW_DATE_OK;
  }
  if (!dc->order) {
    dc->order = order;
    dc->order_line = line;
    memcpy(dc->order_value, q, sizeof q);
  } else if (dc->order != order) {
    snprintf(why, n,
             "%s: this column's dates are %s first (line %llu: %s); set "
             "--date-format if that is wrong",
             q, dc->order == 1 ? "month" : "day",
             (unsigned long long)dc->order_line, dc->order_value);
    return SW_DATE_BAD;
  }
  *days = days_of(y, order == 1 ? a : b, order == 1 ? b : a);
  return SW_DATE_OK;
}

sw_status sw__date_col_finish(const sw_date_col *dc, const char *path,
                              const char *column, sw_error *err) {
  if (!dc->n_pending || dc->order) return SW_OK;
  sw__err(err, SW_E_SCHEMA,
          "ambiguous dates: %s and %llu like it could be month/day or "
          "day/month, and no value in the column tells which; set "
          "--date-format %%m/%%d/%%Y or --date-format %%d/%%m/%%Y",
          dc->pending_value, (unsigned long long)dc->n_pending - 1);
  sw__err_at(err, path, dc->pending_line, column, 0);
  return SW_E_SCHEMA;
}
