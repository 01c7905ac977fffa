/*
 * fuzz_shapefile.c — libFuzzer target for the Shapefile region reader.
 * A shapefile is three files, so the input is split: two 4-byte
 * little-endian lengths, then that many bytes of .shp, then of .shx, and
 * the rest is the .dbf. Lengths beyond the input are cut to what is left.
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_temp.h"
#include "steerwatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t take_len(const uint8_t **p, size_t *left) {
  if (*left < 4) {
    *left = 0;
    return 0;
  }
  uint32_t n = (uint32_t)(*p)[0] | (uint32_t)(*p)[1] << 8 |
               (uint32_t)(*p)[2] << 16 | (uint32_t)(*p)[3] << 24;
  *p += 4;
  *left -= 4;
  return n;
}

static int put(const char *dir, const char *name, const uint8_t *p, size_t n) {
  char path[64];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) return -1;
  size_t w = fwrite(p, 1, n, f);
  return fclose(f) == 0 && w == n ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *p = data;
  size_t left = size;
  size_t n_shp = take_len(&p, &left);
  size_t n_shx = take_len(&p, &left);
  if (n_shp > left) n_shp = left;
  if (n_shx > left - n_shp) n_shx = left - n_shp;
  char dir[] = "/tmp/sw_fuzz_shp_XXXXXX";
  if (!mkdtemp(dir)) return 0;
  if (put(dir, "r.shp", p, n_shp) == 0 &&
      put(dir, "r.shx", p + n_shp, n_shx) == 0 &&
      put(dir, "r.dbf", p + n_shp + n_shx, left - n_shp - n_shx) == 0) {
    char path[64];
    snprintf(path, sizeof path, "%s/r.shp", dir);
    fuzz_read_regions(path, NULL);
  }
  const char *names[] = {"r.shp", "r.shx", "r.dbf"};
  for (int i = 0; i < 3; i++) {
    char path[64];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    unlink(path);
  }
  rmdir(dir);
  return 0;
}
