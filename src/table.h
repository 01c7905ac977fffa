/*
 * table.h — the row loop shared by the table readers (placement records,
 * region attributes): every row read is either accepted or rejected, the
 * counts say so, and each reject reaches the caller's sink with where and
 * why. Keeping the loop in one place keeps `read = accepted + rejected`
 * true in one place.
 */
#ifndef SW_TABLE_H
#define SW_TABLE_H

#include "csv.h"

/* Why a row was rejected: the offending column's header name ("" for a
 * whole-row fault) and the reason, e.g. `not a number: "4O.7"`. */
typedef struct sw_table_verdict {
  const char *column;
  char reason[192];
} sw_table_verdict;

/* Validates the current row of the reader and stores it. Returns SW_OK
 * with *kept true when stored; SW_OK with *kept false when rejected, having
 * filled the verdict the loop was given; any other status (out of memory)
 * ends the loop. Rows the CSV reader found malformed, or whose field count
 * is not the header's, the loop rejects itself without calling it. */
typedef sw_status (*sw_table_take_fn)(void *user, bool *kept);

/* Read the header row of c: SW_E_SCHEMA for an empty file, SW_E_PARSE
 * for a malformed header, both naming the file. */
sw_status sw__table_read_header(sw_csv *c, sw_error *err);

/* Reads the current row of *csv_slot as the header; user is the reader's. */
typedef sw_status (*sw_table_header_fn)(void *user, sw_error *err);

/* Find the header row of c and pass it to header: after opts->skip_rows
 * rows when skip_rows_set, else the first of the first 100 rows that header
 * does not answer SW_E_PARSE ("no header at all"; rows above the header are
 * a preamble, not data). SW_E_SCHEMA when none is, with the first row's
 * error (and a hint naming --skip-rows when that row is a title). */
sw_status sw__table_find_header(sw_csv *c, const sw_read_opts *opts,
                                sw_table_header_fn header, void *user,
                                sw_error *err);

/* A whole table: open path with the delimiter and progress of opts into
 * *csv_slot (the reader's own pointer, which take and header use), read
 * the header row through sw__table_find_header, then every
 * row through sw__table_read_rows; close the file and clear *csv_slot. */
sw_status sw__table_read(const char *path, const sw_read_opts *opts,
                         sw_csv **csv_slot, sw_table_header_fn header,
                         sw_table_take_fn take, void *user,
                         sw_table_verdict *verdict, sw_counts *counts,
                         sw_input input, sw_error *err);

/* The SHA-256 and size of the raw bytes of a table as it was read, for
 * an input that cannot be read twice (standard input). */
typedef struct sw_table_digest {
  char sha256[65];
  uint64_t bytes;
} sw_table_digest;

/* sw__table_read, hashing the input as it goes into *digest. */
sw_status sw__table_read_hashed(const char *path, const sw_read_opts *opts,
                                sw_csv **csv_slot, sw_table_header_fn header,
                                sw_table_take_fn take, void *user,
                                sw_table_verdict *verdict, sw_counts *counts,
                                sw_input input, sw_table_digest *digest,
                                sw_error *err);

/* Read every remaining row of c (whose current row is the header) through
 * take, counting into *counts and passing rejects, as *verdict describes
 * them and marked as from input, to opts->on_reject. Fails on I/O, on take's
 * failure, or with SW_E_USAGE
 * ("stopped by caller") when the sink returns false. */
sw_status sw__table_read_rows(sw_csv *c, const sw_read_opts *opts,
                              sw_counts *counts, sw_table_take_fn take,
                              void *user, sw_table_verdict *verdict,
                              sw_input input, sw_error *err);

#endif
