/*
 * fuzz_geojson.c — libFuzzer target for the GeoJSON region reader: the
 * input is written to a temporary file (the reader takes a path) and read
 * with the format forced, so every input reaches the GeoJSON walk.
 */
#define _DEFAULT_SOURCE /* mkstemps */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz_temp.h"
#include "steerwatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[64];
  if (!fuzz_temp_file(data, size, ".geojson", path)) return 0;
  sw_regions_opts opts = {.format = SW_GEO_GEOJSON};
  sw_regions *g = NULL;
  sw_error err;
  if (sw_regions_read(path, &opts, &g, &err) == SW_OK) {
    for (size_t i = 0; i < sw_regions_count(g); i++)
      (void)sw_regions_centroid(g, i);
  }
  sw_regions_free(g);
  unlink(path);
  return 0;
}
