/*
 * regions.c — region storage, the builder the readers fill, and
 * centroids. The readers (geojson.c, topojson.c, shapefile.c) call down into
 * the builder; sw_regions_read (regions_read.c) calls down into them.
 */
#include "regions.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "err.h"
#include "number.h"

typedef struct feature {
  size_t id_region; /* index of its region (by id) */
  size_t first_ring, n_rings;
} feature;

struct sw_regions_builder {
  sw_strmap *ids;
  const char **id_list; /* by region index */
  size_t n_regions, cap_regions;
  /* Rings in feature order, with their region. */
  size_t *ring_region, *ring_pt, n_rings, cap_rings, cap_ring_pt;
  unsigned char *ring_hole;
  size_t cap_ring_hole;
  double *xy;
  size_t n_xy, cap_xy;
  /* The open feature's id waits here until its first ring is kept, so a
   * feature whose rings are all dropped leaves no empty region behind. */
  char *pending_id;
  size_t pending_len, cap_pending;
  bool in_feature;
  size_t current; /* region of the open feature, SIZE_MAX until a ring */
  bool current_has_ring;
  size_t n_features; /* features begun or skipped: the next one's index */
  size_t n_skipped;
  char skip_note[SW_REGIONS_SKIP_NOTES][SW_SKIP_NOTE_LEN];
};

sw_regions_builder *sw__regions_builder_new(void) {
  sw_regions_builder *b = sw__calloc(1, sizeof *b);
  if (!b) return NULL;
  b->ids = sw__strmap_new();
  if (!b->ids) {
    sw__free(b);
    return NULL;
  }
  b->current = SIZE_MAX;
  return b;
}

void sw__regions_builder_free(sw_regions_builder *b) {
  if (!b) return;
  sw__strmap_free(b->ids);
  sw__free(b->id_list);
  sw__free(b->ring_region);
  sw__free(b->ring_pt);
  sw__free(b->ring_hole);
  sw__free(b->xy);
  sw__free(b->pending_id);
  sw__free(b);
}

/* Count a skipped feature, keeping the first few reasons with where. */
static void skip(sw_regions_builder *b, size_t index, const char *id,
                 size_t id_len, const char *why) {
  if (b->n_skipped < SW_REGIONS_SKIP_NOTES) {
    char *note = b->skip_note[b->n_skipped];
    int at = snprintf(note, SW_SKIP_NOTE_LEN, "feature %zu", index);
    if (id) {
      char quoted[40];
      sw__quote(quoted, sizeof quoted, id, id_len, 24);
      at += snprintf(note + at, SW_SKIP_NOTE_LEN - (size_t)at, " (id %s)",
                     quoted);
    }
    snprintf(note + at, SW_SKIP_NOTE_LEN - (size_t)at, ": %s", why);
  }
  b->n_skipped++;
}

static void close_feature(sw_regions_builder *b) {
  if (b->in_feature && !b->current_has_ring)
    skip(b, b->n_features - 1, b->pending_id, b->pending_len,
         "no ring with 3 distinct, finite points and an area");
  b->in_feature = false;
  b->current = SIZE_MAX;
}

sw_status sw__regions_builder_feature(sw_regions_builder *b, const char *id,
                                      size_t len, sw_error *err) {
  close_feature(b);
  if (len == SIZE_MAX ||
      !sw__grow((void **)&b->pending_id, &b->cap_pending, len + 1, 1))
    return sw__err(err, SW_E_NOMEM, "out of memory reading regions");
  if (len) memcpy(b->pending_id, id, len);
  b->pending_len = len;
  b->n_features++;
  b->in_feature = true;
  b->current_has_ring = false;
  return SW_OK;
}

/* Make the open feature's region current, creating it for a new id. */
static bool open_region(sw_regions_builder *b) {
  size_t idx;
  if (sw__strmap_get(b->ids, b->pending_id, b->pending_len, &idx)) {
    b->current = idx;
    return true;
  }
  if (!sw__grow((void **)&b->id_list, &b->cap_regions, b->n_regions + 1,
                sizeof *b->id_list))
    return false;
  const char *stored;
  if (sw__strmap_put(b->ids, b->pending_id, b->pending_len, b->n_regions, NULL,
                     &stored) < 0)
    return false;
  b->id_list[b->n_regions] = stored;
  b->current = b->n_regions++;
  return true;
}

void sw__regions_builder_skip(sw_regions_builder *b, const char *why) {
  close_feature(b);
  skip(b, b->n_features++, NULL, 0, why);
}

size_t sw__regions_builder_number_id(double v, char buf[32]) {
  if (v == floor(v) && fabs(v) < 9007199254740992.0) {
    int k = snprintf(buf, 32, "%.0f", v);
    return k > 0 ? (size_t)k : 0;
  }
  return sw__fmt_shortest(v, buf);
}

int sw__regions_builder_ring(sw_regions_builder *b, const double *xy, size_t n,
                             bool is_hole, sw_error *err) {
  if (!b->in_feature) {
    sw__err(err, SW_E_INTERNAL, "ring added outside a feature");
    return -1;
  }
  size_t distinct = 0;
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(xy[2 * i]) || !isfinite(xy[2 * i + 1])) return 0;
    if (i == 0 || xy[2 * i] != xy[2 * i - 2] || xy[2 * i + 1] != xy[2 * i - 1])
      distinct++;
  }
  bool closed = n > 0 && xy[0] == xy[2 * n - 2] && xy[1] == xy[2 * n - 1];
  if (closed && distinct > 0) distinct--;
  if (distinct < 3) return 0;
  /* Collinear points (a spike, or an island that quantisation flattened)
   * enclose nothing: no point can be in them. */
  double area2 = 0;
  for (size_t i = 1; i + 1 < n; i++)
    area2 += (xy[2 * i] - xy[0]) * (xy[2 * i + 3] - xy[1]) -
             (xy[2 * i + 2] - xy[0]) * (xy[2 * i + 1] - xy[1]);
  if (area2 == 0) return 0;
  size_t npts = closed ? n : n + 1;
  if ((b->current == SIZE_MAX && !open_region(b)) ||
      !sw__grow((void **)&b->xy, &b->cap_xy, b->n_xy + 2 * npts,
                sizeof *b->xy) ||
      !sw__grow((void **)&b->ring_region, &b->cap_rings, b->n_rings + 1,
                sizeof *b->ring_region) ||
      !sw__grow((void **)&b->ring_pt, &b->cap_ring_pt, b->n_rings + 2,
                sizeof *b->ring_pt) ||
      !sw__grow((void **)&b->ring_hole, &b->cap_ring_hole, b->n_rings + 1, 1)) {
    sw__err(err, SW_E_NOMEM, "out of memory reading regions");
    return -1;
  }
  b->ring_pt[b->n_rings] = b->n_xy / 2;
  memcpy(b->xy + b->n_xy, xy, 2 * n * sizeof *xy);
  b->n_xy += 2 * n;
  if (!closed) {
    b->xy[b->n_xy] = xy[0];
    b->xy[b->n_xy + 1] = xy[1];
    b->n_xy += 2;
  }
  b->ring_region[b->n_rings] = b->current;
  b->ring_hole[b->n_rings] = is_hole;
  b->n_rings++;
  b->current_has_ring = true;
  return 1;
}

/* Area centroid over all rings with holes subtracted. Ring orientation in
 * the inputs is not trusted (GeoJSON's right-hand rule is often broken), so
 * each ring's signed area is made positive for exteriors and negative for
 * holes. Falls back to the bbox centre for zero-area regions. */
static sw_point centroid_of(const sw_regions *g, size_t i) {
  double a_sum = 0, cx = 0, cy = 0;
  for (size_t k = g->ring_start[i]; k < g->ring_start[i + 1]; k++) {
    const double *p = g->xy + 2 * g->pt_start[k];
    size_t n = g->pt_start[k + 1] - g->pt_start[k];
    /* Shift by the first vertex so large coordinates lose no precision. */
    double x0 = p[0], y0 = p[1], a = 0, sx = 0, sy = 0;
    for (size_t j = 0; j + 1 < n; j++) {
      double xa = p[2 * j] - x0, ya = p[2 * j + 1] - y0;
      double xb = p[2 * j + 2] - x0, yb = p[2 * j + 3] - y0;
      double c = xa * yb - xb * ya;
      a += c;
      sx += (xa + xb) * c;
      sy += (ya + yb) * c;
    }
    double sign = g->is_hole[k] ? -1.0 : 1.0;
    if (a != 0) {
      /* Ring centroid is (sx/3a + x0, sy/3a + y0) with area a/2. */
      double ra = fabs(a) / 2 * sign;
      cx += ra * (sx / (3 * a) + x0);
      cy += ra * (sy / (3 * a) + y0);
      a_sum += ra;
    }
  }
  const double *bb = g->bbox + 4 * i;
  if (a_sum == 0 || !isfinite(cx / a_sum) || !isfinite(cy / a_sum))
    return (sw_point){(bb[1] + bb[3]) / 2, (bb[0] + bb[2]) / 2};
  return (sw_point){cy / a_sum, cx / a_sum};
}

sw_status sw__regions_builder_finish(sw_regions_builder *b, sw_regions **out,
                                     sw_error *err) {
  *out = NULL;
  close_feature(b);
  if (b->n_regions == 0 || b->n_rings == 0) {
    if (b->n_skipped)
      sw__err(err, SW_E_SCHEMA,
              "no polygon regions in the file (%zu features skipped; "
              "first, %s)",
              b->n_skipped, b->skip_note[0]);
    else
      sw__err(err, SW_E_SCHEMA, "no polygon regions in the file");
    sw__regions_builder_free(b);
    return SW_E_SCHEMA;
  }
  sw_regions *g = sw__calloc(1, sizeof *g);
  size_t n = b->n_regions, nr = b->n_rings;
  if (g) {
    g->n = n;
    g->n_rings = nr;
    g->ring_start = sw__calloc(n + 1, sizeof *g->ring_start);
    g->pt_start = sw__calloc(nr + 1, sizeof *g->pt_start);
    g->is_hole = sw__calloc(nr, 1);
    g->xy = sw__malloc(b->n_xy * sizeof *g->xy);
    g->bbox = sw__calloc(4 * n, sizeof *g->bbox);
    g->centroid = sw__calloc(n, sizeof *g->centroid);
  }
  if (!g || !g->ring_start || !g->pt_start || !g->is_hole || !g->xy ||
      !g->bbox || !g->centroid) {
    sw_regions_free(g);
    sw__regions_builder_free(b);
    return sw__err(err, SW_E_NOMEM, "out of memory reading regions");
  }
  /* Counting sort of rings by region, stable, so merged features keep
   * their file order. */
  for (size_t k = 0; k < nr; k++)
    g->ring_start[b->ring_region[k] + 1]++;
  for (size_t i = 0; i < n; i++)
    g->ring_start[i + 1] += g->ring_start[i];
  size_t *fill = sw__malloc(n * sizeof *fill);
  size_t *order = sw__malloc(nr * sizeof *order);
  if (!fill || !order) {
    sw__free(fill);
    sw__free(order);
    sw_regions_free(g);
    sw__regions_builder_free(b);
    return sw__err(err, SW_E_NOMEM, "out of memory reading regions");
  }
  memcpy(fill, g->ring_start, n * sizeof *fill);
  for (size_t k = 0; k < nr; k++)
    order[fill[b->ring_region[k]]++] = k;
  b->ring_pt[nr] = b->n_xy / 2;
  size_t pt = 0;
  for (size_t k = 0; k < nr; k++) {
    size_t src = order[k];
    size_t from = b->ring_pt[src], to = b->ring_pt[src + 1];
    g->pt_start[k] = pt;
    g->is_hole[k] = b->ring_hole[src];
    memcpy(g->xy + 2 * pt, b->xy + 2 * from, 2 * (to - from) * sizeof *g->xy);
    pt += to - from;
  }
  g->pt_start[nr] = pt;
  sw__free(fill);
  sw__free(order);
  for (size_t i = 0; i < n; i++) {
    double *bb = g->bbox + 4 * i;
    bb[0] = bb[1] = INFINITY;
    bb[2] = bb[3] = -INFINITY;
    for (size_t p = g->pt_start[g->ring_start[i]];
         p < g->pt_start[g->ring_start[i + 1]]; p++) {
      double x = g->xy[2 * p], y = g->xy[2 * p + 1];
      if (x < bb[0]) bb[0] = x;
      if (y < bb[1]) bb[1] = y;
      if (x > bb[2]) bb[2] = x;
      if (y > bb[3]) bb[3] = y;
    }
  }
  for (size_t i = 0; i < n; i++)
    g->centroid[i] = centroid_of(g, i);
  g->n_skipped = b->n_skipped;
  memcpy(g->skip_note, b->skip_note, sizeof g->skip_note);
  /* The id strings live in the builder's map: move the map over. */
  g->id_map = b->ids;
  g->ids = b->id_list;
  b->ids = NULL;
  b->id_list = NULL;
  sw__regions_builder_free(b);
  *out = g;
  return SW_OK;
}

sw_status sw__regions_builder_conclude(sw_regions_builder *b, sw_status st,
                                       const char *path, sw_regions **out,
                                       sw_error *err) {
  *out = NULL;
  if (st != SW_OK) {
    sw__regions_builder_free(b);
    return st;
  }
  st = sw__regions_builder_finish(b, out, err);
  if (st != SW_OK) sw__err_at(err, path, 0, NULL, 0);
  return st;
}

void sw_regions_free(sw_regions *g) {
  if (!g) return;
  sw__strmap_free(g->id_map);
  sw__free((void *)g->ids);
  sw__free(g->ring_start);
  sw__free(g->pt_start);
  sw__free(g->is_hole);
  sw__free(g->xy);
  sw__free(g->bbox);
  sw__free(g->centroid);
  sw__free(g);
}

size_t sw_regions_count(const sw_regions *g) { return g->n; }
size_t sw_regions_n_skipped(const sw_regions *g) { return g->n_skipped; }

const char *sw_regions_skip_note(const sw_regions *g, size_t i) {
  return i < g->n_skipped && i < SW_REGIONS_SKIP_NOTES ? g->skip_note[i] : NULL;
}
const char *sw_regions_id(const sw_regions *g, size_t i) { return g->ids[i]; }
sw_point sw_regions_centroid(const sw_regions *g, size_t i) {
  return g->centroid[i];
}

bool sw_regions_find(const sw_regions *g, const char *id, size_t *i) {
  return sw__strmap_get(g->id_map, id, strlen(id), i);
}

size_t sw_regions_n_rings(const sw_regions *g, size_t i) {
  return g->ring_start[i + 1] - g->ring_start[i];
}

const double *sw_regions_ring(const sw_regions *g, size_t i, size_t k,
                              size_t *n_points, bool *is_hole) {
  size_t r = g->ring_start[i] + k;
  if (n_points) *n_points = g->pt_start[r + 1] - g->pt_start[r];
  if (is_hole) *is_hole = g->is_hole[r] != 0;
  return g->xy + 2 * g->pt_start[r];
}
