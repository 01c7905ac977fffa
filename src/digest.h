/*
 * digest.h — SHA-256 of input files, for the provenance block of
 * results.json (which inputs, exactly, produced these figures).
 */
#ifndef SW_DIGEST_H
#define SW_DIGEST_H

#include <stdint.h>

#include "steerwatch.h"

/* Hash the file at path with SHA-256 (OpenSSL libcrypto), writing 64 lower
 * hex digits and a NUL into hex, and its size into *bytes. */
sw_status sw__sha256_file(const char *path, char hex[65], uint64_t *bytes,
                          sw_error *err);

#endif
