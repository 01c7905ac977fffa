/*
 * fuzz_stays.c — libFuzzer target for detention stays and the transfers
 * made from them: the input is a stays file, read with and without an ICE
 * layout's --column mappings, then turned into transfers with gaps of 0
 * and 30 days. Any input must end in SW_OK with read = accepted +
 * rejected, every transfer between two different facilities dated no later
 * than its arrival, or a clean error.
 */
#define _DEFAULT_SOURCE /* mkstemps */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_temp.h"
#include "steerwatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[64];
  if (!fuzz_temp_file(data, size, ".csv", path)) return 0;
  static const char *const cols[] = {"id=Unique Identifier",
                                     "facility=Detention Facility Code",
                                     "book_in=Book In", "book_out=Book Out"};
  for (int k = 0; k < 2; k++) {
    sw_read_opts o = {0};
    if (k) {
      o.columns = cols;
      o.n_columns = 4;
    }
    sw_stays *s = NULL;
    sw_error err;
    if (sw_stays_read(path, &o, &s, &err) == SW_OK) {
      sw_counts c = sw_stays_counts(s);
      if (c.read != c.accepted + c.rejected) abort();
      for (int32_t gap = 0; gap <= 30; gap += 30) {
        sw_transfers *t = NULL;
        if (sw_transfers_from_stays(s, gap, &t, &err) != SW_OK) continue;
        sw_transfer_stats ts = sw_transfers_stats(t);
        if (ts.transfers != sw_transfers_count(t) || ts.people > c.accepted)
          abort();
        for (size_t i = 0; i < sw_transfers_count(t); i++) {
          sw_transfer x;
          sw_transfers_get(t, i, &x);
          if (!strcmp(x.from, x.to) || x.arrival < x.date ||
              x.arrival - x.date > gap)
            abort();
        }
        sw_transfers_free(t);
      }
    }
    sw_stays_free(s);
  }
  unlink(path);
  return 0;
}
