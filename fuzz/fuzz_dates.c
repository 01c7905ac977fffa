/*
 * fuzz_dates.c — libFuzzer target for date parsing: whatever parses must
 * format back to the same ten bytes, and a formatted date must parse.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "steerwatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  int32_t days;
  char buf[32];
  if (sw_date_parse((const char *)data, size, &days) == SW_OK) {
    if (size != 10 || sw_date_format(days, buf, sizeof buf) != 10 ||
        memcmp(buf, data, 10) != 0)
      abort();
  }
  if (size >= 4) {
    int32_t d;
    memcpy(&d, data, 4);
    d = (int32_t)((uint32_t)d % 3287182u) - 354285; /* 1000-01-01.. */
    size_t n = sw_date_format(d, buf, sizeof buf);
    if (n != 10 || sw_date_parse(buf, n, &days) != SW_OK || days != d) abort();
  }
  return 0;
}
