/*
 * regions_read.c — sw_regions_read: picks the reader for a regions file
 * (by extension, else by its first bytes) and hands over to it. Apart from
 * regions.c because it sits above the readers, which sit above the
 * builder.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "regions.h"

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  if (m > n) return false;
  for (size_t i = 0; i < m; i++) {
    char c = s[n - m + i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

/* Guess a JSON flavour from the first bytes: TopoJSON declares
 * "type":"Topology" at the top level, which in practice comes first. */
static sw_geo_format sniff(const char *path, sw_error *err, sw_status *st) {
  FILE *f = fopen(path, "rb");
  *st = SW_OK;
  if (!f) {
    *st = sw__err(err, SW_E_OPEN, "cannot open: %s", strerror(errno));
    sw__err_at(err, path, 0, NULL, 0);
    return SW_GEO_AUTO;
  }
  char head[4096];
  size_t n = fread(head, 1, sizeof head - 1, f);
  fclose(f);
  head[n] = '\0';
  if (n >= 4 && memcmp(head, "\x00\x00\x27\x0a", 4) == 0)
    return SW_GEO_SHAPEFILE;
  return strstr(head, "\"Topology\"") ? SW_GEO_TOPOJSON : SW_GEO_GEOJSON;
}

sw_status sw_regions_read(const char *path, const sw_regions_opts *opts,
                          sw_regions **out, sw_error *err) {
  static const sw_regions_opts defaults;
  if (!opts) opts = &defaults;
  *out = NULL;
  sw_geo_format f = opts->format;
  if (f == SW_GEO_AUTO) {
    if (ends_with(path, ".shp")) {
      f = SW_GEO_SHAPEFILE;
    } else if (ends_with(path, ".topojson")) {
      f = SW_GEO_TOPOJSON;
    } else {
      sw_status st;
      f = sniff(path, err, &st);
      if (st != SW_OK) return st;
    }
  }
  switch (f) {
  case SW_GEO_GEOJSON: return sw__read_geojson(path, opts, out, err);
  case SW_GEO_TOPOJSON: return sw__read_topojson(path, opts, out, err);
  case SW_GEO_SHAPEFILE: return sw__read_shapefile(path, opts, out, err);
  case SW_GEO_AUTO: break;
  }
  return sw__err(err, SW_E_USAGE, "unknown geometry format");
}
