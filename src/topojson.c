/*
 * topojson.c — the TopoJSON region reader, first stage of the pipeline for
 * `--regions x.topojson` (e.g. the us-atlas files): decodes the shared arcs
 * once (undoing quantization and delta encoding), then stitches each
 * polygon ring from its arcs and hands it to the region builder
 * (regions.c). Rules: docs/design/geometry-readers.md.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "err.h"
#include "geojson.h"
#include "regions.h"

/* The decoded arcs and the walk's state. */
typedef struct topo {
  const char *path;
  double *arc_xy;    /* all arcs' lon,lat pairs, absolute */
  size_t *arc_start; /* [n_arcs+1]: arc i owns points arc_start[i].. */
  size_t n_arcs;
  sw_regions_builder *b;
  double *xy; /* one ring being stitched */
  size_t n_xy, cap_xy;
  char what[96];   /* "object \"counties\" geometry", for errors */
  size_t geometry; /* index of the geometry being read */
  sw_error *err;
} topo;

static sw_status parse_err(topo *t, sw_status code, const char *msg) {
  sw__err(t->err, code, "%s", msg);
  sw__err_at(t->err, t->path, 0, NULL, 0);
  return code;
}

static bool number_pair(const cJSON *a, double *x, double *y) {
  const cJSON *cx = cJSON_IsArray(a) ? a->child : NULL;
  const cJSON *cy = cx ? cx->next : NULL;
  if (!cJSON_IsNumber(cx) || !cJSON_IsNumber(cy)) return false;
  *x = cx->valuedouble;
  *y = cy->valuedouble;
  return true;
}

/* Decode every arc into absolute lon,lat. With a transform, positions are
 * quantized and each one after the first is a delta from the previous:
 * the running sums stay integers, so summing in doubles is exact. */
static sw_status decode_arcs(topo *t, const cJSON *root) {
  const cJSON *arcs = cJSON_GetObjectItemCaseSensitive(root, "arcs");
  if (!cJSON_IsArray(arcs))
    return parse_err(t, SW_E_PARSE, "Topology without an \"arcs\" array");
  const cJSON *tr = cJSON_GetObjectItemCaseSensitive(root, "transform");
  bool quantized = tr && !cJSON_IsNull(tr);
  double sx = 1, sy = 1, tx = 0, ty = 0;
  if (quantized) {
    if (!number_pair(cJSON_GetObjectItemCaseSensitive(tr, "scale"), &sx, &sy) ||
        !(sx > 0) || !(sy > 0) || !isfinite(sx) || !isfinite(sy))
      /* Zero collapses every arc to a point; a negative scale mirrors the
       * map, which no encoder writes and which would put every region in
       * the wrong place without a word. */
      return parse_err(t, SW_E_PARSE,
                       "transform: \"scale\" must be two finite numbers "
                       "greater than 0");
    if (!number_pair(cJSON_GetObjectItemCaseSensitive(tr, "translate"), &tx,
                     &ty) ||
        !isfinite(tx) || !isfinite(ty))
      return parse_err(t, SW_E_PARSE,
                       "transform: \"translate\" must be two finite numbers");
  }
  size_t n_arcs = (size_t)cJSON_GetArraySize(arcs), n_pts = 0;
  const cJSON *arc;
  cJSON_ArrayForEach(arc, arcs) {
    if (!cJSON_IsArray(arc))
      return parse_err(t, SW_E_PARSE, "an arc is not an array of positions");
    n_pts += (size_t)cJSON_GetArraySize(arc);
  }
  size_t bytes;
  t->arc_start = sw__calloc(n_arcs + 1, sizeof *t->arc_start);
  if (!t->arc_start || !sw__mul_size(n_pts, 2 * sizeof(double), &bytes) ||
      !(t->arc_xy = sw__malloc(bytes ? bytes : 1)))
    return sw__err(t->err, SW_E_NOMEM, "out of memory reading regions");
  t->n_arcs = n_arcs;
  size_t i = 0, p = 0;
  cJSON_ArrayForEach(arc, arcs) {
    t->arc_start[i++] = p;
    double qx = 0, qy = 0;
    const cJSON *pos;
    cJSON_ArrayForEach(pos, arc) {
      double x, y;
      if (!number_pair(pos, &x, &y))
        return parse_err(t, SW_E_PARSE, "an arc position is not [x, y]");
      if (quantized) {
        qx += x;
        qy += y;
        x = qx * sx + tx;
        y = qy * sy + ty;
      }
      t->arc_xy[2 * p] = x;
      t->arc_xy[2 * p + 1] = y;
      p++;
    }
  }
  t->arc_start[n_arcs] = p;
  return SW_OK;
}

/* Stitch one ring from its arc indices into t->xy. Consecutive arcs share
 * their junction point, so each arc after the first drops its first. */
static sw_status stitch_ring(topo *t, const cJSON *ring) {
  t->n_xy = 0;
  if (!cJSON_IsArray(ring)) {
    sw__err(t->err, SW_E_PARSE, "%s %zu: a ring is not an array of arcs",
            t->what, t->geometry);
    sw__err_at(t->err, t->path, 0, NULL, 0);
    return SW_E_PARSE;
  }
  const cJSON *ix;
  cJSON_ArrayForEach(ix, ring) {
    double v = cJSON_IsNumber(ix) ? ix->valuedouble : NAN;
    /* ~i (= -i-1) is arc i reversed. */
    double arc = v < 0 ? -v - 1 : v;
    if (!(arc >= 0 && arc < (double)t->n_arcs && arc == floor(arc))) {
      char shown[32];
      if (cJSON_IsNumber(ix))
        snprintf(shown, sizeof shown, "%.17g", v);
      else
        snprintf(shown, sizeof shown, "(not a number)");
      sw__err(t->err, SW_E_PARSE,
              "%s %zu: arc index %s out of range (%zu arcs)", t->what,
              t->geometry, shown, t->n_arcs);
      sw__err_at(t->err, t->path, 0, NULL, 0);
      return SW_E_PARSE;
    }
    size_t a = (size_t)arc;
    size_t from = t->arc_start[a], n = t->arc_start[a + 1] - from;
    if (n == 0) continue;
    if (!sw__grow((void **)&t->xy, &t->cap_xy, 2 * (t->n_xy + n),
                  sizeof *t->xy))
      return sw__err(t->err, SW_E_NOMEM, "out of memory reading regions");
    const double *src = t->arc_xy + 2 * from;
    size_t skip = t->n_xy > 0 ? 1 : 0;
    for (size_t k = skip; k < n; k++) {
      size_t j = v < 0 ? n - 1 - k : k;
      t->xy[2 * t->n_xy] = src[2 * j];
      t->xy[2 * t->n_xy + 1] = src[2 * j + 1];
      t->n_xy++;
    }
  }
  return SW_OK;
}

/* A polygon's rings: the first is the exterior, the rest holes; holes of a
 * dropped exterior go with it. */
static sw_status add_polygon(topo *t, const cJSON *rings) {
  if (!cJSON_IsArray(rings)) {
    sw__err(t->err, SW_E_PARSE, "%s %zu: polygon arcs are not an array",
            t->what, t->geometry);
    sw__err_at(t->err, t->path, 0, NULL, 0);
    return SW_E_PARSE;
  }
  bool first = true;
  const cJSON *ring;
  cJSON_ArrayForEach(ring, rings) {
    sw_status st = stitch_ring(t, ring);
    if (st != SW_OK) return st;
    int kept = sw__regions_builder_ring(t->b, t->xy, t->n_xy, !first, t->err);
    if (kept < 0) return SW_E_NOMEM;
    if (first && kept == 0) return SW_OK;
    first = false;
  }
  return SW_OK;
}

/* How many region-like geometries an object holds: its polygonal members
 * if it is a collection, else 1 or 0. */
static size_t count_polygons(const cJSON *obj) {
  if (!sw__json_type_is(obj, "GeometryCollection"))
    return sw__json_is_polygonal(obj);
  size_t n = 0;
  const cJSON *m;
  cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(obj, "geometries")) {
    n += sw__json_is_polygonal(m);
  }
  return n;
}

/* A polygon of the geometry (an sw_json_polygon_fn): the arcs of a
 * MultiPolygon that are not an array are reported as a polygon's. */
static sw_status polygon_of(void *user, const cJSON *arcs, bool multi) {
  return add_polygon(user, arcs);
}

static sw_status add_feature(topo *t, const cJSON *g,
                             const sw_regions_opts *opts) {
  if (!sw__json_is_polygonal(g)) {
    sw__regions_builder_skip(t->b, "geometry is not a Polygon or MultiPolygon");
    return SW_OK;
  }
  char buf[32];
  const char *id;
  size_t len;
  sw_status st = sw__json_region_id(g, opts, buf, &id, &len, t->path, t->what,
                                    t->geometry, t->err);
  if (st != SW_OK) return st;
  st = sw__regions_builder_feature(t->b, id, len, t->err);
  if (st != SW_OK) return st;
  return sw__json_each_polygon(g, "arcs", polygon_of, t);
}

/* opts->layer, or the object with the most polygons (the first on a tie):
 * in us-atlas counties-10m that is "counties", not "states" or "nation". */
static const cJSON *pick_object(topo *t, const cJSON *objects,
                                const char *layer) {
  const cJSON *best = NULL, *o;
  size_t best_n = 0;
  cJSON_ArrayForEach(o, objects) {
    if (layer) {
      if (o->string && strcmp(o->string, layer) == 0) return o;
      continue;
    }
    size_t n = count_polygons(o);
    if (!best || n > best_n) {
      best = o;
      best_n = n;
    }
  }
  if (layer) {
    char names[160] = "";
    size_t used = 0;
    cJSON_ArrayForEach(o, objects) {
      if (!o->string || used + 1 >= sizeof names) continue;
      int k = snprintf(names + used, sizeof names - used, "%s%s",
                       used ? ", " : "", o->string);
      if (k > 0) used += (size_t)k;
      if (used >= sizeof names) used = sizeof names - 1;
    }
    sw__err(t->err, SW_E_SCHEMA, "no object \"%s\" in the Topology (has: %s)",
            layer, names);
    sw__err_at(t->err, t->path, 0, NULL, 0);
    return NULL;
  }
  if (!best) parse_err(t, SW_E_SCHEMA, "the Topology has no objects");
  return best;
}

static sw_status read_topology(topo *t, const cJSON *root,
                               const sw_regions_opts *opts) {
  if (!sw__json_type_is(root, "Topology"))
    return parse_err(t, SW_E_SCHEMA, "not TopoJSON: no \"type\": \"Topology\"");
  const cJSON *objects = cJSON_GetObjectItemCaseSensitive(root, "objects");
  if (!cJSON_IsObject(objects))
    return parse_err(t, SW_E_SCHEMA, "Topology without an \"objects\" member");
  const cJSON *obj = pick_object(t, objects, opts->layer);
  if (!obj) return SW_E_SCHEMA;
  sw_status st = decode_arcs(t, root);
  if (st != SW_OK) return st;
  snprintf(t->what, sizeof t->what, "object \"%.60s\" geometry",
           obj->string ? obj->string : "");
  t->b = sw__regions_builder_new();
  if (!t->b)
    return sw__err(t->err, SW_E_NOMEM, "out of memory reading regions");
  if (!sw__json_type_is(obj, "GeometryCollection"))
    return add_feature(t, obj, opts);
  const cJSON *g;
  cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(obj, "geometries")) {
    st = add_feature(t, g, opts);
    if (st != SW_OK) return st;
    t->geometry++;
  }
  return SW_OK;
}

sw_status sw__read_topojson(const char *path, const sw_regions_opts *opts,
                            sw_regions **out, sw_error *err) {
  *out = NULL;
  cJSON *root;
  sw_status st = sw__json_load(path, &root, err);
  if (st != SW_OK) return st;
  topo t = {.path = path, .err = err};
  st = read_topology(&t, root, opts);
  cJSON_Delete(root);
  sw__free(t.arc_xy);
  sw__free(t.arc_start);
  sw__free(t.xy);
  return sw__regions_builder_conclude(t.b, st, path, out, err);
}
