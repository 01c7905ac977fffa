/*
 * date.c — calendar dates as days since 1970-01-01, the one date
 * representation of the library (record dates, attribute validity, weeks
 * and periods of the time analysis).
 *
 * The conversions are the closed-form civil-from-days / days-from-civil
 * formulas on 400-year eras of the proleptic Gregorian calendar, so no
 * table and no libc time zone enters.
 */
#include "date.h"
#include "datefmt.h"

#include <stdio.h>

#include "steerwatch.h"

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int y, int m) {
  static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Counting in 400-year eras of 146097 days, with years starting in March
 * so that the leap day ends the year, makes both conversions branch-free
 * apart from the era's sign. */
int64_t sw__days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;                                   /* 0..399 */
  int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* 0..365 */
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* 0..146096 */
  return era * 146097 + doe - 719468;
}

void sw__civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153; /* March = 0 */
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2);
}

bool sw__civil_valid(int y, int m, int d) {
  return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
         d <= month_days(y, m);
}

static int digits(const char *s, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

sw_status sw_date_parse(const char *s, size_t len, int32_t *days) {
  if (!s || len != 10 || s[4] != '-' || s[7] != '-') return SW_E_PARSE;
  int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
  if (y < 1000 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
    return SW_E_PARSE;
  *days = (int32_t)sw__days_from_civil(y, m, d);
  return SW_OK;
}

size_t sw_date_format(int32_t days, char *buf, size_t n) {
  int64_t y, m, d;
  sw__civil_from_days(days, &y, &m, &d);
  /* Digits by hand: the outputs format a date per flagged record, and
   * snprintf was 1,800 instructions a call (callgrind). Years outside
   * 0..9999 (which no reader accepts) keep the general path. */
  if (y < 0 || y > 9999 || n < 11) {
    int len = snprintf(buf, n, "%04lld-%02lld-%02lld", (long long)y,
                       (long long)m, (long long)d);
    return len < 0 ? 0 : (size_t)len;
  }
  unsigned yy = (unsigned)y, mm = (unsigned)m, dd = (unsigned)d;
  buf[0] = (char)('0' + yy / 1000);
  buf[1] = (char)('0' + yy / 100 % 10);
  buf[2] = (char)('0' + yy / 10 % 10);
  buf[3] = (char)('0' + yy % 10);
  buf[4] = '-';
  buf[5] = (char)('0' + mm / 10);
  buf[6] = (char)('0' + mm % 10);
  buf[7] = '-';
  buf[8] = (char)('0' + dd / 10);
  buf[9] = (char)('0' + dd % 10);
  buf[10] = '\0';
  return 10;
}
