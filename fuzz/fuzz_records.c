/*
 * fuzz_records.c — libFuzzer target for the placement-records reader: any
 * input must end in SW_OK with read = accepted + rejected, or in a clean
 * error, and every accepted record must satisfy SPEC's ranges; check's
 * streaming validation (one pass or two) must count the same.
 */
#define _DEFAULT_SOURCE /* mkstemps */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_temp.h"
#include "records.h"
#include "steerwatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool count_reject(void *user, const sw_reject *r) {
  (*(uint64_t *)user)++;
  if (!r->reason[0] || r->line == 0) abort();
  return true;
}

static bool bad_point(sw_point p, bool optional) {
  if (optional && isnan(p.lat_deg) && isnan(p.lon_deg)) return false;
  return !(p.lat_deg >= -90 && p.lat_deg <= 90 && p.lon_deg >= -180 &&
           p.lon_deg <= 180);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[64];
  if (!fuzz_temp_file(data, size, ".csv", path)) return 0;
  uint64_t rejects = 0;
  sw_read_opts o = {.on_reject = count_reject, .reject_user = &rejects};
  sw_records *r = NULL;
  sw_error err;
  sw_status want = sw_records_read(path, &o, &r, &err);
  sw_counts rc = {0};
  if (want == SW_OK) {
    sw_counts c = rc = sw_records_counts(r);
    if (c.read != c.accepted + c.rejected || c.rejected != rejects ||
        c.accepted != sw_records_count(r))
      abort();
    for (size_t i = 0; i < sw_records_count(r); i++) {
      sw_record rec;
      sw_records_get(r, i, &rec);
      if (!rec.id || !rec.id[0] || bad_point(rec.origin, false) ||
          bad_point(rec.release, true) || bad_point(rec.ties, true) ||
          bad_point(rec.court, true) ||
          (isnan(rec.release.lat_deg) && !rec.release_region) ||
          rec.count < 1 || rec.count > SW_MAX_COUNT)
        abort();
      for (size_t k = 0; k < sw_records_n_extra(r); k++)
        if (!sw_records_extra(r, i, k)) abort();
    }
  }
  /* check's streaming validation, in one pass and in two (with a small
   * filter, whose false positives must change nothing), must agree with
   * the full read row for row. */
  for (size_t bits = 0; bits <= 4096; bits += 4096) {
    sw_counts c;
    uint64_t n = 0;
    sw_read_opts vo = {.on_reject = count_reject, .reject_user = &n};
    sw_status got = sw__records_validate(path, &vo, bits, &c, &err);
    if (got != want ||
        (got == SW_OK && (memcmp(&c, &rc, sizeof c) || n != c.rejected)))
      abort();
  }
  sw_records_free(r);
  unlink(path);
  return 0;
}
