/*
 * records.h — what the placement-records reader (records.c) shares with
 * the first pass that streaming validation makes over large files
 * (records_repeats.c).
 */
#ifndef SW_RECORDS_H
#define SW_RECORDS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "steerwatch.h"
#include "strmap.h"

/* The 64-bit hash of a record id, eight bytes per step (ids are short):
 * the reader's id set and the first pass's Bloom filter both probe by it.
 * Inline here, below both, since each calls it once per row. */
static inline uint64_t sw__id_hash(const char *s, size_t len) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ len;
  while (len >= 8) {
    uint64_t w;
    memcpy(&w, s, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
    s += 8;
    len -= 8;
  }
  uint64_t w = 0;
  memcpy(&w, s, len);
  h = (h ^ w) * 0x94D049BB133111EBull;
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 32);
}

/* Memory of the first pass's Bloom filter on large files: 2^29 bits
 * (64 MiB). With 4 probes, 10,000,000 distinct ids give about 3 false
 * repeats in 100,000; 50,000,000 about 1 in 100. */
#define SW_REPEATS_BLOOM_BITS ((size_t)1 << 29)

/* Every id of the records file at path (as CSV with delimiter) that may
 * occur more than once: all that do, and the false positives of the Bloom
 * filter of bloom_bits bits (a power of two, at least 64) that screens
 * them. *out is NULL when the file has no id column (the real read then
 * reports it). Only I/O and memory fail it. */
sw_status sw__records_repeats(const char *path, char delimiter,
                              size_t bloom_bits, sw_progress_fn on_progress,
                              void *progress_user, sw_strmap **out,
                              sw_error *err);

/* Validate as sw_records_validate does: in one pass when bloom_bits is 0,
 * else in two with a filter of that many bits (the public call decides by
 * file size; tests and fuzzing choose, small filters included, whose many
 * false positives must change nothing). */
sw_status sw__records_validate(const char *path, const sw_read_opts *opts,
                               size_t bloom_bits, sw_counts *counts,
                               sw_error *err);

#endif
