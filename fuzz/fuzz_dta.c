/*
 * fuzz_dta.c — libFuzzer target for the Stata and SPSS readers (dta.c,
 * through ReadStat): any bytes, as a .dta (first byte even) or a .sav
 * (odd; prefixed with the SPSS magic), read as records, must end in SW_OK
 * with read = accepted + rejected or a clean error. Seeds: small .dta and
 * .sav files.
 */
#define _DEFAULT_SOURCE /* mkstemps */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_temp.h"
#include "steerwatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  bool sav = size && (data[0] & 1);
  const char *magic = sav ? "$FL2" : "<stata_dta>";
  size_t m = strlen(magic);
  uint8_t *buf = malloc(size + m);
  if (!buf) return 0;
  size_t n = size;
  if (size >= m && !memcmp(data, magic, m)) {
    memcpy(buf, data, size);
  } else {
    memcpy(buf, magic, m);
    memcpy(buf + m, data, size);
    n += m;
  }
  char path[64];
  bool ok = fuzz_temp_file(buf, n, sav ? ".sav" : ".dta", path);
  free(buf);
  if (!ok) return 0;
  sw_records *r = NULL;
  sw_error err;
  if (sw_records_read(path, NULL, &r, &err) == SW_OK) {
    sw_counts c = sw_records_counts(r);
    if (c.read != c.accepted + c.rejected || c.accepted != sw_records_count(r))
      abort();
  } else if (r || !err.message[0]) {
    abort();
  }
  sw_records_free(r);
  unlink(path);
  return 0;
}
