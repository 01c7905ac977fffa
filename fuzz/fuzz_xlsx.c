/*
 * fuzz_xlsx.c — libFuzzer target for the workbook reader (xlsx.c): any
 * bytes, read as records (which the ZIP magic sends to the workbook
 * reader; inputs without it are prefixed with it, so every input gets
 * there), must end in SW_OK with read = accepted + rejected or a clean
 * error. The seeds are small real workbooks; libFuzzer mutates them.
 */
#define _DEFAULT_SOURCE /* mkstemps */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_temp.h"
#include "steerwatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t *buf = malloc(size + 4);
  if (!buf) return 0;
  size_t n = size;
  if (size >= 4 && !memcmp(data, "PK\x03\x04", 4)) {
    memcpy(buf, data, size);
  } else {
    memcpy(buf, "PK\x03\x04", 4);
    memcpy(buf + 4, data, size);
    n += 4;
  }
  char path[64];
  bool ok = fuzz_temp_file(buf, n, ".xlsx", path);
  free(buf);
  if (!ok) return 0;
  static const char *const sheets[] = {NULL, "2", "Sheet1"};
  for (size_t k = 0; k < 3; k++) {
    sw_read_opts o = {.sheet = sheets[k]};
    sw_records *r = NULL;
    sw_error err;
    if (sw_records_read(path, &o, &r, &err) == SW_OK) {
      sw_counts c = sw_records_counts(r);
      if (c.read != c.accepted + c.rejected ||
          c.accepted != sw_records_count(r))
        abort();
    } else if (r || !err.message[0]) {
      abort();
    }
    sw_records_free(r);
  }
  unlink(path);
  return 0;
}
