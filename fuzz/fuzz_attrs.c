/*
 * fuzz_attrs.c — libFuzzer target for the region-attributes reader: read
 * any input, then look every region's attributes up on a few dates.
 */
#define _DEFAULT_SOURCE /* mkstemps */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz_temp.h"
#include "steerwatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[64];
  if (!fuzz_temp_file(data, size, ".csv", path)) return 0;
  sw_attrs *a = NULL;
  sw_error err;
  if (sw_attrs_read(path, NULL, &a, &err) == SW_OK) {
    sw_counts c = sw_attrs_counts(a);
    if (c.read != c.accepted + c.rejected) abort();
    static const char *const names[] = {"sanctuary", "party", "lat", "x"};
    static const int32_t dates[] = {INT32_MIN, -1, 0, 18000, INT32_MAX};
    for (size_t i = 0; i < sw_attrs_n_regions(a); i++)
      for (size_t k = 0; k < 4; k++)
        for (size_t d = 0; d < 5; d++) {
          double v;
          (void)sw_attrs_get(a, sw_attrs_region(a, i), names[k], dates[d]);
          (void)sw_attrs_get_number(a, sw_attrs_region(a, i), names[k],
                                    dates[d], &v);
        }
  }
  sw_attrs_free(a);
  unlink(path);
  return 0;
}
