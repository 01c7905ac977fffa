/*
 * fuzz_csv.c — libFuzzer target for the CSV tokeniser: every row of the
 * input is read with small field limits (so the over-limit paths are
 * reached), and the invariants a reader relies on are checked: fields are
 * NUL-terminated at their length, the raw row lies within the input.
 * The first input byte picks the delimiter.
 */
#define _DEFAULT_SOURCE /* mkstemps */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "fuzz_temp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char delims[] = {',', '|', '\t', ';'};
  char delim = size ? delims[data[0] % 4] : ',';
  char path[64];
  if (!fuzz_temp_file(data, size, ".csv", path)) return 0;
  sw_csv_opts o = {.delimiter = delim, .max_field_bytes = 64, .max_fields = 16};
  sw_csv *c;
  sw_error err;
  if (sw__csv_open(path, &o, &c, &err) == SW_OK) {
    bool got = true;
    uint64_t rows = 0;
    while (sw__csv_next(c, &got, &err) == SW_OK && got) {
      size_t raw_len;
      sw__csv_raw(c, &raw_len);
      if (raw_len > size || sw__csv_n_fields(c) > 16) abort();
      for (size_t i = 0; i < sw__csv_n_fields(c); i++) {
        size_t len;
        const char *f = sw__csv_field(c, i, &len);
        if (len > 64 || f[len] != '\0') abort();
      }
      if (++rows > size + 1) abort();
    }
    sw__csv_close(c);
  }
  unlink(path);
  return 0;
}
