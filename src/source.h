/*
 * source.h — the byte stream under every table reader: a file, or standard
 * input for the path "-", plain or gzip (sniffed from the first bytes, which
 * are kept, so a pipe loses nothing), decoded from a legacy character set to
 * UTF-8 when asked, and optionally hashed (SHA-256 of the bytes as they
 * arrive, which is the only way to hash a pipe that is read once).
 */
#ifndef SW_SOURCE_H
#define SW_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "steerwatch.h"

typedef struct sw_source sw_source;

/* The name errors give standard input. */
#define SW_STDIN_NAME "<stdin>"

typedef struct sw_source_opts {
  const char *encoding;       /* NULL, "" or a UTF-8 name: bytes pass as
                                 they are; else an iconv name ("latin1",
                                 "windows-1252") converted to UTF-8 */
  bool sha256;                /* hash the raw bytes read */
  sw_progress_fn on_progress; /* raw bytes read of the file size */
  void *progress_user;
} sw_source_opts;

/* Open path ("-": standard input, which is not closed afterwards). */
sw_status sw__source_open(const char *path, const sw_source_opts *opts,
                          sw_source **out, sw_error *err);
void sw__source_close(sw_source *s);

/* Up to n decoded bytes into buf; *got 0 only at the end of input. */
sw_status sw__source_read(sw_source *s, char *buf, size_t n, size_t *got,
                          sw_error *err);

/* The first raw bytes of the input (up to 8; fewer for a shorter input),
 * as they were before any decompression: the format sniffers' view. */
size_t sw__source_magic(const sw_source *s, unsigned char magic[8]);

/* Whether the input is gzip, and the path to name in errors. */
bool sw__source_is_gzip(const sw_source *s);
const char *sw__source_name(const sw_source *s);

/* Raw bytes read so far, and the file's size (0 when unknown). */
uint64_t sw__source_raw_bytes(const sw_source *s);
uint64_t sw__source_size(const sw_source *s);

/* After the end of input: the SHA-256 of every raw byte read (64 hex
 * digits and a NUL; "" when not asked for). */
void sw__source_sha256(sw_source *s, char hex[65]);

/* Read the whole raw input (no decompression or decoding) into memory:
 * for the readers that need random access (.xlsx, .dta) on a pipe. The
 * caller frees *data with sw__free. */
sw_status sw__source_slurp(sw_source *s, char **data, size_t *len,
                           sw_error *err);

/* Is this encoding name UTF-8 (or empty/NULL)? */
bool sw__encoding_is_utf8(const char *encoding);

#endif
