/*
 * records_repeats.c — the first pass of streaming validation
 * (sw_records_validate) over a large records file: which ids may occur
 * more than once. The second pass then keeps exact track of those ids
 * alone, so that memory is a fixed 64 MiB filter plus the repeated ids,
 * not a set of every id in the file.
 *
 * A Bloom filter rather than a library: it is a bit array and four probes
 * (double hashing of one 64-bit hash), written here in a dozen lines.
 */
#include "records.h"

#include "alloc.h"
#include "csv.h"
#include "err.h"
#include "rows.h"

#define PROBES 4

/* Set id's bits; true when all were set already (seen, or a false
 * positive). */
static bool bloom_add(uint64_t *bits, size_t n_bits, const char *id,
                      size_t len) {
  uint64_t h = sw__id_hash(id, len);
  uint64_t step = (h >> 32 | h << 32) | 1, mask = n_bits - 1;
  bool all = true;
  for (int k = 0; k < PROBES; k++, h += step) {
    uint64_t bit = h & mask, word = bits[bit >> 6], m = 1ull << (bit & 63);
    all &= (word & m) != 0;
    bits[bit >> 6] = word | m;
  }
  return all;
}

sw_status sw__records_repeats(const char *path, const sw_read_opts *opts,
                              sw_records_header_fn find_header,
                              size_t bloom_bits, sw_progress_fn on_progress,
                              void *progress_user, sw_strmap **out,
                              sw_error *err) {
  *out = NULL;
  sw_csv_opts co = {.delimiter = opts->delimiter,
                    .on_progress = on_progress,
                    .progress_user = progress_user,
                    .encoding = opts->encoding,
                    .sheet = opts->sheet,
                    .sniff = sw__rows_backend_for};
  sw_csv *c;
  sw_status s = sw__csv_open(path, &co, &c, err);
  if (s != SW_OK) return s;
  long col = -1;
  sw_error ignored;
  if (find_header(c, opts, &col, &ignored) != SW_OK || col < 0 ||
      !sw__csv_header_found(c)) {
    sw__csv_close(c);
    return SW_OK; /* no usable header: the real read says why */
  }
  uint64_t *bits = sw__calloc(bloom_bits / 64, sizeof *bits);
  sw_strmap *repeats = sw__strmap_new();
  if (!bits || !repeats) {
    s = sw__err(err, SW_E_NOMEM, "out of memory screening record ids");
    goto done;
  }
  bool got;
  while ((s = sw__csv_next(c, &got, err)) == SW_OK && got) {
    if ((size_t)col >= sw__csv_n_fields(c)) continue;
    size_t len;
    const char *id = sw__csv_field(c, (size_t)col, &len);
    if (len && bloom_add(bits, bloom_bits, id, len) &&
        sw__strmap_put(repeats, id, len, 0, NULL, NULL) < 0) {
      s = sw__err(err, SW_E_NOMEM, "out of memory screening record ids");
      break;
    }
  }
done:
  sw__free(bits);
  sw__csv_close(c);
  if (s != SW_OK) {
    sw__strmap_free(repeats);
    return s;
  }
  *out = repeats;
  return SW_OK;
}
