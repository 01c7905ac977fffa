/*
 * fuzz_topojson.c — libFuzzer target for the TopoJSON region reader: the
 * input is written to a temporary file (the reader takes a path) and read
 * with the format forced, so every input reaches arc decoding and
 * stitching.
 */
#define _DEFAULT_SOURCE /* mkstemps */
#include <stdint.h>

#include "fuzz_temp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_region_file(data, size, ".topojson", SW_GEO_TOPOJSON);
  return 0;
}
