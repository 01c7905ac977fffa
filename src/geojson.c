/*
 * geojson.c — the GeoJSON region reader, first stage of the pipeline for
 * `--regions x.geojson`: parses the file (cJSON, chosen by measurement in
 * docs/design/json-parser.md), walks its features and hands polygon rings to
 * the region builder (regions.c). Also holds the JSON plumbing that the
 * TopoJSON reader shares (geojson.h). Rules: docs/design/geometry-readers.md.
 */
#include "geojson.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "err.h"
#include "regions.h"
#include "utf8.h"

/* What cJSON lets through but the outputs must not carry: bytes that are
 * not UTF-8, raw control characters (JSON allows none inside a string,
 * and only tab, newline and return between tokens), and the escape \u0000,
 * which cJSON would decode into a string cut short. The offending offset
 * goes to *at; NULL when the text is clean. */
static const char *text_fault(const char *buf, size_t n, size_t *at) {
  *at = sw__utf8_valid_prefix((const unsigned char *)buf, n);
  if (*at < n) return "invalid UTF-8";
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)buf[i];
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      *at = i;
      return c ? "control character" : "NUL byte";
    }
    if (c == '\\' && i + 1 < n) {
      if (n - i >= 6 && !memcmp(buf + i + 1, "u0000", 5)) {
        *at = i;
        return "\\u0000 (NUL) in a string";
      }
      i++;
    }
  }
  return NULL;
}

/* Fail with SW_E_PARSE at byte at of buf (freed), as line and column. */
static sw_status parse_error(char *buf, size_t n, size_t at, const char *what,
                             const char *path, sw_error *err) {
  uint64_t line = 1, col = 1;
  for (size_t i = 0; i < at; i++) {
    if (buf[i] == '\n') {
      line++;
      col = 1;
    } else {
      col++;
    }
  }
  char near[24];
  sw__quote(near, sizeof near, buf + at, n - at, 12);
  sw__free(buf);
  sw__err(err, SW_E_PARSE, "%s at column %llu, near %s", what,
          (unsigned long long)col, near);
  sw__err_at(err, path, line, NULL, at);
  return SW_E_PARSE;
}

sw_status sw__json_load(const char *path, cJSON **root, sw_error *err) {
  *root = NULL;
  FILE *f = fopen(path, "rb");
  if (!f) {
    sw__err(err, SW_E_OPEN, "cannot open: %s", strerror(errno));
    sw__err_at(err, path, 0, NULL, 0);
    return SW_E_OPEN;
  }
  char *buf = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    if (!sw__grow((void **)&buf, &cap, n + 65536, 1)) {
      fclose(f);
      sw__free(buf);
      return sw__err(err, SW_E_NOMEM, "out of memory reading regions");
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  bool failed = ferror(f) != 0;
  int saved = errno;
  fclose(f);
  if (failed) {
    sw__free(buf);
    sw__err(err, SW_E_IO, "read error: %s", strerror(saved));
    sw__err_at(err, path, 0, NULL, 0);
    return SW_E_IO;
  }
  size_t at;
  const char *fault = text_fault(buf, n, &at);
  if (fault) return parse_error(buf, n, at, fault, path, err);
  const char *end = NULL;
  *root = cJSON_ParseWithLengthOpts(buf, n, &end, false);
  /* cJSON cannot tell a syntax error from its depth limit or from an
   * allocation failure; the position tells the user where to look. */
  if (!*root)
    return parse_error(
        buf, n, end && end >= buf && end <= buf + n ? (size_t)(end - buf) : n,
        "invalid JSON (or nested deeper than 1000)", path, err);
  sw__free(buf);
  return SW_OK;
}

/* A scalar id as text: strings as they are, numbers as the shortest
 * decimal that reads back to the same double (integers without ".0"). */
static bool scalar_text(const cJSON *v, char buf[32], const char **s,
                        size_t *len) {
  if (cJSON_IsString(v) && v->valuestring) {
    *s = v->valuestring;
    *len = strlen(v->valuestring);
    return true;
  }
  if (!cJSON_IsNumber(v)) return false;
  *s = buf;
  *len = sw__regions_builder_number_id(v->valuedouble, buf);
  return true;
}

sw_status sw__json_region_id(const cJSON *obj, const sw_regions_opts *opts,
                             char buf[32], const char **id, size_t *len,
                             const char *path, const char *what, size_t index,
                             sw_error *err) {
  const cJSON *props = cJSON_GetObjectItemCaseSensitive(obj, "properties");
  if (!cJSON_IsObject(props)) props = NULL;
  const char *name = opts->id_property;
  const cJSON *v;
  if (name) {
    v = props ? cJSON_GetObjectItemCaseSensitive(props, name) : NULL;
  } else {
    name = "id";
    v = cJSON_GetObjectItemCaseSensitive(obj, "id");
    if (!v || cJSON_IsNull(v))
      v = props ? cJSON_GetObjectItemCaseSensitive(props, "id") : NULL;
  }
  if (v && scalar_text(v, buf, id, len)) return SW_OK;
  if (!v || cJSON_IsNull(v)) {
    if (opts->id_property)
      sw__err(err, SW_E_SCHEMA, "%s %zu: no property \"%s\"", what, index,
              opts->id_property);
    else
      sw__err(err, SW_E_SCHEMA,
              "%s %zu: no region id (no \"id\" member or property; name "
              "one with --region-id)",
              what, index);
  } else {
    sw__err(err, SW_E_SCHEMA, "%s %zu: id \"%s\" is not a string or number",
            what, index, name);
  }
  sw__err_at(err, path, 0, name, 0);
  return SW_E_SCHEMA;
}

/* The walk's state: where rings are gathered and what to name in errors. */
typedef struct reader {
  const char *path;
  sw_regions_builder *b;
  double *xy; /* one ring's lon,lat pairs */
  size_t cap_xy;
  size_t feature; /* index of the feature being read */
  sw_error *err;
} reader;

static sw_status bad_coords(reader *r, const char *why) {
  sw__err(r->err, SW_E_PARSE, "feature %zu: %s", r->feature, why);
  sw__err_at(r->err, r->path, 0, NULL, 0);
  return SW_E_PARSE;
}

/* Read one linear ring into r->xy. */
static sw_status read_ring(reader *r, const cJSON *ring, size_t *n_out) {
  if (!cJSON_IsArray(ring))
    return bad_coords(r, "a polygon ring is not an array of positions");
  size_t n = (size_t)cJSON_GetArraySize(ring);
  if (!sw__grow((void **)&r->xy, &r->cap_xy, 2 * n + 2, sizeof *r->xy))
    return sw__err(r->err, SW_E_NOMEM, "out of memory reading regions");
  size_t i = 0;
  const cJSON *pos;
  cJSON_ArrayForEach(pos, ring) {
    const cJSON *x = cJSON_IsArray(pos) ? pos->child : NULL;
    const cJSON *y = x ? x->next : NULL;
    if (!cJSON_IsNumber(x) || !cJSON_IsNumber(y))
      return bad_coords(r, "a position is not [lon, lat]");
    r->xy[2 * i] = x->valuedouble;
    r->xy[2 * i + 1] = y->valuedouble;
    i++;
  }
  *n_out = i;
  return SW_OK;
}

/* Polygon coordinates: the first ring is the exterior, the rest holes.
 * Holes of a dropped (degenerate) exterior are dropped with it: alone they
 * would make a region of negative area. */
static sw_status add_polygon(reader *r, const cJSON *rings) {
  if (!cJSON_IsArray(rings))
    return bad_coords(r, "polygon coordinates are not an array of rings");
  bool first = true;
  const cJSON *ring;
  cJSON_ArrayForEach(ring, rings) {
    size_t n = 0;
    sw_status st = read_ring(r, ring, &n);
    if (st != SW_OK) return st;
    int kept = sw__regions_builder_ring(r->b, r->xy, n, !first, r->err);
    if (kept < 0) return SW_E_NOMEM;
    if (first && kept == 0) return SW_OK;
    first = false;
  }
  return SW_OK;
}

/* A polygon of the feature (an sw_json_polygon_fn). */
static sw_status polygon_of(void *user, const cJSON *rings, bool multi) {
  reader *r = user;
  if (multi) return bad_coords(r, "MultiPolygon coordinates are not an array");
  return add_polygon(r, rings);
}

/* One feature (or a bare geometry, which is its own feature): non-polygonal
 * ones are counted as skipped before their id is even looked at. */
static sw_status add_feature(reader *r, const cJSON *feat, bool bare,
                             const sw_regions_opts *opts) {
  if (!cJSON_IsObject(feat) || (!bare && !sw__json_type_is(feat, "Feature")))
    return bad_coords(r, "not a GeoJSON Feature object");
  const cJSON *g =
      bare ? feat : cJSON_GetObjectItemCaseSensitive(feat, "geometry");
  if (!sw__json_is_polygonal(g)) {
    sw__regions_builder_skip(r->b, "geometry is not a Polygon or MultiPolygon");
    return SW_OK;
  }
  char buf[32];
  const char *id;
  size_t len;
  sw_status st = sw__json_region_id(feat, opts, buf, &id, &len, r->path,
                                    "feature", r->feature, r->err);
  if (st != SW_OK) return st;
  st = sw__regions_builder_feature(r->b, id, len, r->err);
  if (st != SW_OK) return st;
  return sw__json_each_polygon(g, "coordinates", polygon_of, r);
}

sw_status sw__read_geojson(const char *path, const sw_regions_opts *opts,
                           sw_regions **out, sw_error *err) {
  *out = NULL;
  cJSON *root;
  sw_status st = sw__json_load(path, &root, err);
  if (st != SW_OK) return st;
  reader r = {.path = path, .err = err};
  r.b = sw__regions_builder_new();
  if (!r.b) {
    cJSON_Delete(root);
    return sw__err(err, SW_E_NOMEM, "out of memory reading regions");
  }
  if (sw__json_type_is(root, "FeatureCollection")) {
    const cJSON *feats = cJSON_GetObjectItemCaseSensitive(root, "features");
    if (!cJSON_IsArray(feats)) {
      st = sw__err(err, SW_E_SCHEMA,
                   "FeatureCollection without a \"features\" array");
      sw__err_at(err, path, 0, NULL, 0);
    }
    const cJSON *f;
    cJSON_ArrayForEach(f, feats) {
      if (st != SW_OK) break;
      st = add_feature(&r, f, false, opts);
      r.feature++;
    }
  } else if (sw__json_type_is(root, "Feature")) {
    st = add_feature(&r, root, false, opts);
  } else if (cJSON_IsObject(root) &&
             cJSON_IsString(cJSON_GetObjectItemCaseSensitive(root, "type")) &&
             !sw__json_type_is(root, "Topology")) {
    st = add_feature(&r, root, true, opts);
  } else {
    st = sw__err(err, SW_E_SCHEMA,
                 "not GeoJSON: expected a FeatureCollection, Feature or "
                 "geometry object");
    sw__err_at(err, path, 0, NULL, 0);
  }
  cJSON_Delete(root);
  sw__free(r.xy);
  return sw__regions_builder_conclude(r.b, st, path, out, err);
}

bool sw__json_type_is(const cJSON *obj, const char *type) {
  const cJSON *t = cJSON_GetObjectItemCaseSensitive(obj, "type");
  return cJSON_IsString(t) && t->valuestring &&
         strcmp(t->valuestring, type) == 0;
}

bool sw__json_is_polygonal(const cJSON *g) {
  if (sw__json_type_is(g, "Polygon") || sw__json_type_is(g, "MultiPolygon"))
    return true;
  if (!sw__json_type_is(g, "GeometryCollection")) return false;
  const cJSON *m;
  cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(g, "geometries")) {
    if (sw__json_is_polygonal(m)) return true;
  }
  return false;
}

sw_status sw__json_each_polygon(const cJSON *g, const char *key,
                                sw_json_polygon_fn add, void *user) {
  const cJSON *parts = cJSON_GetObjectItemCaseSensitive(g, key);
  if (sw__json_type_is(g, "Polygon")) return add(user, parts, false);
  if (sw__json_type_is(g, "MultiPolygon")) {
    if (!cJSON_IsArray(parts)) return add(user, parts, true);
    const cJSON *p;
    cJSON_ArrayForEach(p, parts) {
      sw_status st = add(user, p, false);
      if (st != SW_OK) return st;
    }
    return SW_OK;
  }
  if (sw__json_type_is(g, "GeometryCollection")) {
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(g, "geometries")) {
      sw_status st = sw__json_each_polygon(m, key, add, user);
      if (st != SW_OK) return st;
    }
  }
  return SW_OK;
}
