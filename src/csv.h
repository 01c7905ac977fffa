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
typedef struct sw_source sw_source;
struct sw_rows_backend;

typedef struct sw_csv_opts {
  char delimiter;             /* 0 means ',' */
  size_t max_field_bytes;     /* 0 means SW_CSV_MAX_FIELD */
  size_t max_fields;          /* 0 means SW_CSV_MAX_FIELDS */
  sw_progress_fn on_progress; /* bytes of the (compressed) file read */
  void *progress_user;
  const char *encoding; /* NULL: UTF-8; else an iconv name (source.h) */
  bool sha256;          /* hash the raw input (sw__csv_sha256) */
  const char *sheet;    /* .xlsx: the sheet; NULL: all, in order */
  /* NULL: CSV only. Else the reader an input needs (sw__rows_backend_for,
   * which the table readers pass: a pointer, so that this module never
   * depends on the readers built on it). */
  const struct sw_rows_backend *(*sniff)(const sw_source *src,
                                         const char *path);
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

/* With opts.sha256: read to the end of the input, then give the SHA-256
 * of all its raw bytes ("" without sha256) and their number. */
sw_status sw__csv_sha256(sw_csv *c, char hex[65], uint64_t *bytes,
                         sw_error *err);

/* Readers of other formats (.xlsx, .dta, .sav) hand their rows to the
 * same interface: the table readers cannot tell them from CSV. */
typedef struct sw_rows_backend {
  /* Take over src (left open; closed with the sw_csv) and make *state. */
  sw_status (*open)(sw_source *src, const sw_csv_opts *opts, sw_csv *c,
                    void **state, sw_error *err);
  /* The next row, built with the sw__csv_row_* calls; *got false at the
   * end. */
  sw_status (*next)(void *state, sw_csv *c, bool *got, sw_error *err);
  /* The current row is the header (may be NULL): a workbook pads rows
   * to its width and finds it again atop later sheets. */
  bool (*header)(void *state, const sw_csv *c);
  void (*close)(void *state);
  bool typed_dates; /* dates arrive as ISO text, so a number in a date
                       column is no date (.dta, .sav) */
} sw_rows_backend;

/* Building a row (for backends): begin, each field in order, an optional
 * fault, end (which sets the raw bytes: the row as CSV). row_field is
 * false only out of memory. */
void sw__csv_row_begin(sw_csv *c, uint64_t line, uint64_t byte);
bool sw__csv_row_field(sw_csv *c, const char *s, size_t len);
void sw__csv_row_fault(sw_csv *c, const char *msg);
void sw__csv_row_end(sw_csv *c);
/* The name errors give from now on (e.g. `f.xlsx[Sheet2]`); false out of
 * memory. */
bool sw__csv_set_path(sw_csv *c, const char *path);
char sw__csv_delimiter(const sw_csv *c);

/* Whether the input's dates arrive typed (sw_rows_backend.typed_dates). */
bool sw__csv_typed_dates(const sw_csv *c);

/* The table readers found their header in the current row: tell the
 * backend, if any. False out of memory. */
bool sw__csv_header_found(sw_csv *c);

/* Index of the header field equal to name, ASCII case-insensitively, among
 * n_fields fields of the current row; -1 when absent. */
long sw__csv_find(const sw_csv *c, const char *name);

/* csv_out.c. Append s (len bytes) to b as one CSV field, quoted when it
 * holds the delimiter, a quote, CR or LF, or starts/ends with a space. For
 * text that steerwatch reads back (the reader's reconstructed rows,
 * simulate's records, assign's region column), which must round-trip. */
bool sw__csv_put_field(sw_buf *b, const char *s, size_t len, char delimiter);

/* csv_out.c. The same, for text from the data written into a file a person
 * opens (flagged.csv, regions.csv, the tidy tables): guarded against
 * spreadsheet formulas as sw_csv_field says. */
bool sw__csv_put_cell(sw_buf *b, const char *s, size_t len, char delimiter);

#endif
