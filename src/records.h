/*
 * records.h — what the placement-records reader (records.c) shares with
 * the first pass that streaming validation makes over large files
 * (records_repeats.c).
 */
#ifndef SW_RECORDS_H
#define SW_RECORDS_H

#include <stdbool.h>
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

/* Is s (len bytes) a FOIA redaction mark, such as `(b)(6)(b)(7)(c)`? */
bool sw__is_redacted(const char *s, size_t len);

typedef struct sw_csv sw_csv;

/* Find the header row of c as the records reader does (skip_rows, the
 * preamble search, --column) and the field index of the id column. */
sw_status sw__records_find_header(sw_csv *c, const sw_read_opts *opts,
                                  long *id_col, sw_error *err);

/* sw_records_read, also giving the SHA-256 (64 hex digits) and size of
 * the raw input as read: the provenance of standard input, which cannot be
 * read a second time to hash it. */
sw_status sw__records_read_hashed(const char *path, const sw_read_opts *opts,
                                  sw_records **out, char sha256[65],
                                  uint64_t *bytes, sw_error *err);

/* Every id of the records file at path (read as opts say; find_header is
 * sw__records_find_header, passed so that this pass below records.c does
 * not call back up into it) that may
 * occur more than once: all that do, and the false positives of the Bloom
 * filter of bloom_bits bits (a power of two, at least 64) that screens
 * them. *out is NULL when the file has no id column (the real read then
 * reports it). Only I/O and memory fail it. */
typedef sw_status (*sw_records_header_fn)(sw_csv *c, const sw_read_opts *opts,
                                          long *id_col, sw_error *err);

sw_status sw__records_repeats(const char *path, const sw_read_opts *opts,
                              sw_records_header_fn find_header,
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
