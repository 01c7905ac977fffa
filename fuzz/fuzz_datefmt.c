/*
 * fuzz_datefmt.c — libFuzzer target for the dates agencies write
 * (datefmt.c): the first byte picks a format or none, the rest is a
 * column of values, one per line. Whatever is read must be a real date
 * of years 1000..9999 that formats back and parses as ISO; a pending value
 * read day first must be one too; and a column's finish must agree with
 * its state.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "datefmt.h"
#include "steerwatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const formats[] = {
    NULL,      "%d/%m/%Y",    "%m/%d/%y %H:%M", "%Y-%j",  "%d %B %Y",
    "%F %T%z", "%I:%M %p %D", "%e-%b-%y",       "%Y%m%d", "%d.%m.%Y %H:%M:%S"};

static void check_day(int32_t d) {
  char buf[16];
  int32_t back;
  if (sw_date_format(d, buf, sizeof buf) != 10 ||
      sw_date_parse(buf, 10, &back) != SW_OK || back != d)
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  sw_date_col dc = {0};
  dc.format = formats[data[0] % (sizeof formats / sizeof *formats)];
  const char *s = (const char *)data + 1;
  size_t n = size - 1;
  uint64_t line = 1;
  char why[192];
  while (n) {
    const char *nl = memchr(s, '\n', n);
    size_t len = nl ? (size_t)(nl - s) : n;
    int32_t d;
    int k = sw__date_col_read(&dc, s, len, ++line, &d, why, sizeof why);
    if (k == SW_DATE_OK) check_day(d);
    if (k == SW_DATE_PENDING) {
      check_day(d);
      check_day(sw__date_day_first(d));
    }
    if (k == SW_DATE_BAD && !why[0]) abort();
    if (dc.format) {
      sw_status st = sw_date_parse_format(dc.format, s, len, &d);
      if ((st == SW_OK) != (k == SW_DATE_OK)) abort();
    }
    s += len + (nl != NULL);
    n -= len + (nl != NULL);
  }
  sw_error e;
  sw_status st = sw__date_col_finish(&dc, "x", "date", &e);
  if ((st != SW_OK) != (dc.n_pending && !dc.order)) abort();
  /* The whole input as a format, too: never a crash. */
  char fmt[64];
  size_t fl = size - 1 < sizeof fmt - 1 ? size - 1 : sizeof fmt - 1;
  memcpy(fmt, data + 1, fl);
  fmt[fl] = '\0';
  int32_t d;
  if (sw_date_parse_format(fmt, "2020-01-04", 10, &d) == SW_OK) check_day(d);
  return 0;
}
