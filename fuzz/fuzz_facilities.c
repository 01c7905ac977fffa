/*
 * fuzz_facilities.c — libFuzzer target for facility lists and the
 * records that use them: the input up to its first NUL (or all of it) is
 * a facility list, the rest a records file locating origins and releases
 * by code, read in the agency layout (preamble search, --column mapping,
 * redactions). Any input must end in SW_OK with read = accepted + rejected,
 * every accepted origin in range, or a clean error.
 */
#define _DEFAULT_SOURCE /* mkstemps */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "facilities.h"
#include "fuzz_temp.h"
#include "steerwatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *nul = memchr(data, 0, size);
  size_t fl = nul ? (size_t)(nul - data) : size;
  char fpath[64], rpath[64];
  if (!fuzz_temp_file(data, fl, ".csv", fpath)) return 0;
  const uint8_t *rec = nul ? nul + 1 : data + size;
  if (!fuzz_temp_file(rec, (size_t)(data + size - rec), ".csv", rpath)) {
    unlink(fpath);
    return 0;
  }
  sw_facilities *f = NULL;
  sw_error err;
  if (sw__facilities_read(fpath, NULL, &f, &err) == SW_OK) {
    sw_point p;
    if (sw__facilities_find(f, "A", 1, &p) == SW_FAC_FOUND &&
        !(fabs(p.lat_deg) <= 90 && fabs(p.lon_deg) <= 180))
      abort();
  }
  sw__facilities_free(f);
  static const char *const cols[] = {"id=Unique Identifier", "date=Book Out",
                                     "facility=Facility Code"};
  for (int k = 0; k < 2; k++) {
    sw_read_opts o = {.facilities_path = fpath};
    if (k) {
      o.columns = cols;
      o.n_columns = 3;
    }
    sw_records *r = NULL;
    if (sw_records_read(rpath, &o, &r, &err) == SW_OK) {
      sw_counts c = sw_records_counts(r);
      if (c.read != c.accepted + c.rejected ||
          c.accepted != sw_records_count(r))
        abort();
      for (size_t i = 0; i < sw_records_count(r); i++) {
        sw_record rec_i;
        sw_records_get(r, i, &rec_i);
        if (!(fabs(rec_i.origin.lat_deg) <= 90 &&
              fabs(rec_i.origin.lon_deg) <= 180))
          abort();
      }
    }
    sw_records_free(r);
  }
  unlink(fpath);
  unlink(rpath);
  return 0;
}
