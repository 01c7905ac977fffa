/*
 * fuzz_temp.h — the step every file-reading fuzz target shares: the
 * readers take a path, so each input is first written to a temporary file.
 * Header-only, so that each target stays one source file for both the
 * libFuzzer build and the CTest corpus replay.
 */
#ifndef SW_FUZZ_TEMP_H
#define SW_FUZZ_TEMP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Write data to a new file /tmp/sw_fuzz_XXXXXX<suffix>, naming it in path.
 * False, leaving nothing behind, when that fails; else the caller unlinks
 * path. Needs _DEFAULT_SOURCE (mkstemps) before the first include. */
static inline bool fuzz_temp_file(const uint8_t *data, size_t size,
                                  const char *suffix, char path[64]) {
  snprintf(path, 64, "/tmp/sw_fuzz_XXXXXX%s", suffix);
  int fd = mkstemps(path, (int)strlen(suffix));
  if (fd < 0) return false;
  ssize_t put = write(fd, data, size);
  close(fd);
  if (put == (ssize_t)size) return true;
  unlink(path);
  return false;
}

#endif
