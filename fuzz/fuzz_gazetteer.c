/*
 * fuzz_gazetteer.c — libFuzzer target for gazetteers and the records that
 * name places through them: the input up to its first NUL (or all of it)
 * is a gazetteer, the rest a records file with release_place and
 * ties_county. Any input must end in SW_OK with read = accepted + rejected,
 * places that do not resolve counted among the rejected, every found
 * place in range, or a clean error.
 */
#define _DEFAULT_SOURCE /* mkstemps */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_temp.h"
#include "gazetteer.h"
#include "steerwatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *nul = memchr(data, 0, size);
  size_t gl = nul ? (size_t)(nul - data) : size;
  char gpath[64], rpath[64];
  if (!fuzz_temp_file(data, gl, ".csv", gpath)) return 0;
  const uint8_t *rec = nul ? nul + 1 : data + size;
  if (!fuzz_temp_file(rec, (size_t)(data + size - rec), ".csv", rpath)) {
    unlink(gpath);
    return 0;
  }
  sw_gazetteer *g = NULL;
  sw_error err;
  if (sw__gazetteer_read(gpath, &g, &err) == SW_OK) {
    /* Every record value is also tried as a key of both kinds. */
    sw_point p;
    static const char *const probes[] = {"10001",         "02134-1234", "2134",
                                         "St. Louis, MO", "A, ZZ",      ","};
    for (size_t k = 0; k < sizeof probes / sizeof *probes; k++)
      for (int what = SW_GAZ_PLACE; what <= SW_GAZ_COUNTY; what++)
        if (sw__gazetteer_find(g, what, probes[k], strlen(probes[k]), &p) ==
                SW_GAZ_FOUND &&
            !(fabs(p.lat_deg) <= 90 && fabs(p.lon_deg) <= 180))
          abort();
  }
  sw__gazetteer_free(g);
  sw_read_opts o = {.gazetteer_path = gpath};
  sw_records *r = NULL;
  if (sw_records_read(rpath, &o, &r, &err) == SW_OK) {
    sw_counts c = sw_records_counts(r);
    int64_t unmatched = sw_records_unmatched_places(r);
    if (c.read != c.accepted + c.rejected ||
        c.accepted != sw_records_count(r) ||
        (unmatched > 0 && (uint64_t)unmatched > c.rejected))
      abort();
    for (size_t i = 0; i < sw_records_count(r); i++) {
      sw_record x;
      sw_records_get(r, i, &x);
      if (!isnan(x.release.lat_deg) &&
          !(fabs(x.release.lat_deg) <= 90 && fabs(x.release.lon_deg) <= 180))
        abort();
    }
  }
  sw_records_free(r);
  unlink(gpath);
  unlink(rpath);
  return 0;
}
