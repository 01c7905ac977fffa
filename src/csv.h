/*
 * csv.h — the streaming RFC 4180 reader every CSV input goes through
 * (placement records, region attributes, facilities, assign's input), and
 * the field writer every CSV output uses.
 *
 * Reads plain or gzip input (sniffed, see source.h; "-" is standard
 * input), in UTF-8 or a character set given, LF or CRLF line ends, a
 * UTF-8 byte-order mark, quoted fields with doubled quotes, and any one-byte
 * delimiter. Memory is bounded by the longest row, not the file.
 *
 * A malformed row (bare quote, unterminated quote, a field over the size
 * limit, a NUL byte) is not a failure of the reader: the row is returned
 * with sw__csv_fault() describing it, and reading resumes at the next line.
 * Only I/O faults fail a call.
 */
#ifndef SW_CSV_H
#define SW_CSV_H

#include "buf.h"
#include "steerwatch.h"

typedef struct sw_csv sw_csv;

typedef struct sw_csv_opts {
  char delimiter;             /* 0 means ',' */
  size_t max_field_bytes;     /* 0 means SW_CSV_MAX_FIELD */
  size_t max_fields;          /* 0 means SW_CSV_MAX_FIELDS */
  sw_progress_fn on_progress; /* bytes of the (compressed) file read */
  void *progress_user;
  const char *encoding; /* NULL: UTF-8; else an iconv name (source.h) */
  bool sha256;          /* hash the raw input (sw__csv_sha256) */
} sw_csv_opts;

#define SW_CSV_MAX_FIELD (1u << 20) /* 1 MiB: longer fields are faults */
#define SW_CSV_MAX_FIELDS 4096      /* more columns in a row is a fault */

sw_status sw__csv_open(const char *path, const sw_csv_opts *opts, sw_csv **out,
                       sw_error *err);
void sw__csv_close(sw_csv *c);

/* Read the next row; *got is false at end of input. */
sw_status sw__csv_next(sw_csv *c, bool *got, sw_error *err);

/* The current row: its fields (unescaped, NUL-terminated, borrowed until the
 * next call), its raw bytes without the line end, where it starts, and its
 * fault (NULL when well-formed). */
size_t sw__csv_n_fields(const sw_csv *c);
const char *sw__csv_field(const sw_csv *c, size_t i, size_t *len);
const char *sw__csv_raw(const sw_csv *c, size_t *len);
uint64_t sw__csv_line(const sw_csv *c);
uint64_t sw__csv_byte(const sw_csv *c);
const char *sw__csv_fault(const sw_csv *c);
const char *sw__csv_path(const sw_csv *c); /* "<stdin>" for "-" */

/* After the last row, with opts.sha256: the SHA-256 of the raw input
 * ("" without) and its raw size. */
void sw__csv_sha256(const sw_csv *c, char hex[65], uint64_t *bytes);

/* Index of the header field equal to name, ASCII case-insensitively, among
 * n_fields fields of the current row; -1 when absent. */
long sw__csv_find(const sw_csv *c, const char *name);

/* Append s (len bytes) to b as one CSV field, quoted when it holds the
 * delimiter, a quote, CR or LF, or starts/ends with a space. */
bool sw__csv_put_field(sw_buf *b, const char *s, size_t len, char delimiter);

#endif
