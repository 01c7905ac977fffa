/*
 * fuzz_temp.h — the steps the file-reading fuzz targets share: the readers
 * take a path, so each input is first written to a temporary file; the
 * region targets then read it and touch every region. Header-only, so that
 * each target stays one source file for both the libFuzzer build and the
 * CTest corpus replay.
 */
#ifndef SW_FUZZ_TEMP_H
#define SW_FUZZ_TEMP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "steerwatch.h"

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

/* Read regions from path with opts; on success compute every centroid
 * (the pass over every ring that a corrupt layout would trip). */
static inline void fuzz_read_regions(const char *path,
                                     const sw_regions_opts *opts) {
  sw_regions *g = NULL;
  sw_error err;
  if (sw_regions_read(path, opts, &g, &err) == SW_OK)
    for (size_t i = 0; i < sw_regions_count(g); i++)
      (void)sw_regions_centroid(g, i);
  sw_regions_free(g);
}

/* A one-file region input: written to a temporary file with suffix, read
 * with the format forced (so every input reaches that reader), removed. */
static inline void fuzz_region_file(const uint8_t *data, size_t size,
                                    const char *suffix, sw_geo_format format) {
  char path[64];
  if (!fuzz_temp_file(data, size, suffix, path)) return;
  sw_regions_opts opts = {.format = format};
  fuzz_read_regions(path, &opts);
  unlink(path);
}

#endif
