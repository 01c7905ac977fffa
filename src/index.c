/*
 * index.c — the point-in-polygon index: which region contains a point.
 *
 * Sits between the geometry readers (which fill sw_regions) and everything
 * that locates points: assign, the audit's record locator, simulate.
 *
 * A uniform grid covers the regions' extent. For each cell and each region
 * whose edges come near the cell, the cell keeps an "entry": the region's
 * edges whose bounding box meets the cell, and a summary of the region's
 * edges lying wholly to the right of the cell (a parity bit and a few
 * y-breakpoints). The even-odd crossing count of a horizontal ray to +x is
 * then the near edges tested exactly plus that summary, so a query touches
 * only the handful of edges in its cell. A cell that no edge of a region
 * meets is wholly inside or outside it; the lowest region that wholly
 * contains the cell is stored as the cell's "full" region, so interior
 * points are answered with one load. See docs/design/point-in-polygon.md
 * for the boundary rule and the measurements behind the choices.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "err.h"
#include "index.h"
#include "regions.h"

#define NONE UINT32_MAX

/* Slack around each cell when classifying edges, in degrees. A point is
 * mapped to a cell by one multiply and floor, which may put a point lying a
 * rounding error outside the cell's exact rectangle into it; treating the
 * cell as this much larger keeps every edge that can matter among its near
 * edges or its right-hand summary. */
#define SLACK 1e-9

/* An edge with its lower end first (y0 <= y1), so that an edge shared by
 * two regions, traversed in opposite directions, is tested with the very
 * same arithmetic in both and a point on it is given to exactly one. */
typedef struct edge {
  double x0, y0, x1, y1;
} edge;

typedef struct entry {
  uint32_t region;   /* region index */
  uint32_t edge_off; /* near edges: edges[edge_off .. +n_edges] */
  uint32_t n_edges;
  uint32_t bp_off; /* breakpoints: bps[bp_off .. +n_bp], ascending */
  uint32_t n_bp;
  uint32_t parity; /* crossings of right-hand edges below the cell, mod 2 */
} entry;

struct sw_index {
  const sw_regions *g;
  double ox, oy; /* grid origin: lower-left of the extent */
  double cw, ch; /* cell width and height */
  double inv_cw, inv_ch;
  double max_x, max_y; /* upper-right of the extent */
  size_t nx, ny;
  uint32_t *full;     /* [nx*ny] lowest region wholly containing the cell */
  uint32_t *cell_off; /* [nx*ny+1] entries of cell c: cell_off[c].. */
  entry *entries;
  edge *edges;
  double *bps;
  size_t n_entries, n_edges, n_bps;
};

/* Growable arrays used while building; freed at the end of the build. */
typedef struct scratch {
  /* Row buckets of one region's edges. */
  size_t *row_cnt, cap_row_cnt;
  size_t *row_edges, cap_row_edges;
  /* One row's near (cell, edge) pairs, bucketed by cell. */
  size_t *col_cnt, cap_col_cnt;
  size_t *col_edges, cap_col_edges;
  /* One row's edges with their x-extent within the row. */
  struct row_edge *row_x;
  size_t cap_row_x;
  /* The current toggle set of right-hand breakpoints. */
  double *set, *snap;
  size_t n_set, cap_set, cap_snap;
  /* Entries before they are grouped by cell. */
  entry *ent;
  uint32_t *ent_cell;
  size_t n_ent, cap_ent, cap_ent_cell;
  edge *edges;
  size_t n_edges, cap_edges;
  double *bps;
  size_t n_bps, cap_bps;
} scratch;

static void scratch_free(scratch *s) {
  sw__free(s->row_cnt);
  sw__free(s->row_edges);
  sw__free(s->col_cnt);
  sw__free(s->col_edges);
  sw__free(s->row_x);
  sw__free(s->set);
  sw__free(s->snap);
  sw__free(s->ent);
  sw__free(s->ent_cell);
  sw__free(s->edges);
  sw__free(s->bps);
}

static double cell_x0(const sw_index *ix, size_t cx) {
  return ix->ox + (double)cx * ix->cw;
}
static double cell_y0(const sw_index *ix, size_t cy) {
  return ix->oy + (double)cy * ix->ch;
}

/* The cells [*lo, *hi] whose slack-widened span [c0 - SLACK, c1 + SLACK]
 * meets [a, b]. The floor estimate is corrected with the exact predicate
 * so that classification agrees with cell_x0/cell_y0 everywhere. */
static void span(double a, double b, double o, double step, double inv,
                 size_t n, size_t *lo, size_t *hi) {
  double fl = floor((a - SLACK - o) * inv), fh = floor((b + SLACK - o) * inv);
  long l = fl < 0 ? 0 : fl > (double)(n - 1) ? (long)n - 1 : (long)fl;
  long h = fh < 0 ? 0 : fh > (double)(n - 1) ? (long)n - 1 : (long)fh;
  while (l > 0 && o + (double)l * step + SLACK >= a)
    l--;
  while (l < h && o + (double)(l + 1) * step + SLACK < a)
    l++;
  while (h + 1 < (long)n && o + (double)(h + 1) * step - SLACK <= b)
    h++;
  while (h > l && o + (double)h * step - SLACK > b)
    h--;
  *lo = (size_t)l;
  *hi = (size_t)h;
}

/* Flip the presence of breakpoint t in the sorted toggle set: two equal
 * breakpoints cancel, which is why chains of right-hand edges collapse to
 * their two ends. */
static bool toggle(scratch *s, double t) {
  size_t i = 0;
  while (i < s->n_set && s->set[i] < t)
    i++;
  if (i < s->n_set && s->set[i] == t) {
    memmove(s->set + i, s->set + i + 1, (s->n_set - i - 1) * sizeof *s->set);
    s->n_set--;
    return true;
  }
  if (!sw__grow((void **)&s->set, &s->cap_set, s->n_set + 1, sizeof *s->set))
    return false;
  memmove(s->set + i + 1, s->set + i, (s->n_set - i) * sizeof *s->set);
  s->set[i] = t;
  s->n_set++;
  return true;
}

/* An edge of the row being indexed, with the x-range of its part within
 * the row's band: a long diagonal edge then meets only the cells it passes
 * through, not every cell of its bounding box. */
typedef struct row_edge {
  double lo, hi;
  const edge *e;
} row_edge;

static int by_lo_desc(const void *a, const void *b) {
  double la = ((const row_edge *)a)->lo, lb = ((const row_edge *)b)->lo;
  return la < lb ? 1 : la > lb ? -1 : 0;
}

/* The x-range of e over y in [yb, yt], widened by SLACK to cover the
 * rounding of the interpolation, and never wider than e's own. */
static void clip_x(const edge *e, double yb, double yt, double *lo,
                   double *hi) {
  double mn = fmin(e->x0, e->x1), mx = fmax(e->x0, e->x1);
  *lo = mn;
  *hi = mx;
  if (e->y0 == e->y1 || (e->y0 >= yb && e->y1 <= yt)) return;
  double ya = e->y0 > yb ? e->y0 : yb, yz = e->y1 < yt ? e->y1 : yt;
  if (ya > yz) return;
  double dxdy = (e->x1 - e->x0) / (e->y1 - e->y0);
  double xa = e->y0 >= yb ? e->x0 : e->x0 + (ya - e->y0) * dxdy;
  double xz = e->y1 <= yt ? e->x1 : e->x0 + (yz - e->y0) * dxdy;
  *lo = fmax(mn, fmin(xa, xz) - SLACK);
  *hi = fmin(mx, fmax(xa, xz) + SLACK);
}

/* Index one region: bucket its edges by row, then per row emit an entry
 * for each cell its edges meet and mark the cells it wholly contains. */
static sw_status add_region(sw_index *ix, scratch *s, uint32_t r, edge *redges,
                            size_t n_redges, sw_error *err) {
  const double *bb = ix->g->bbox + 4 * (size_t)r;
  size_t cx_lo, cx_hi, cy_lo, cy_hi;
  span(bb[0], bb[2], ix->ox, ix->cw, ix->inv_cw, ix->nx, &cx_lo, &cx_hi);
  span(bb[1], bb[3], ix->oy, ix->ch, ix->inv_ch, ix->ny, &cy_lo, &cy_hi);
  size_t rows = cy_hi - cy_lo + 1, cols = cx_hi - cx_lo + 1;
  if (!sw__grow((void **)&s->row_cnt, &s->cap_row_cnt, rows + 1,
                sizeof *s->row_cnt) ||
      !sw__grow((void **)&s->col_cnt, &s->cap_col_cnt, cols + 1,
                sizeof *s->col_cnt))
    return sw__err(err, SW_E_NOMEM, "out of memory building the index");
  /* Counting sort of (row, edge) pairs. */
  memset(s->row_cnt, 0, (rows + 1) * sizeof *s->row_cnt);
  size_t total = 0;
  for (size_t k = 0; k < n_redges; k++) {
    size_t lo, hi;
    span(redges[k].y0, redges[k].y1, ix->oy, ix->ch, ix->inv_ch, ix->ny, &lo,
         &hi);
    for (size_t y = lo; y <= hi; y++)
      s->row_cnt[y - cy_lo + 1]++;
    total += hi - lo + 1;
  }
  if (!sw__grow((void **)&s->row_edges, &s->cap_row_edges, total,
                sizeof *s->row_edges))
    return sw__err(err, SW_E_NOMEM, "out of memory building the index");
  for (size_t y = 0; y < rows; y++)
    s->row_cnt[y + 1] += s->row_cnt[y];
  for (size_t k = 0; k < n_redges; k++) {
    size_t lo, hi;
    span(redges[k].y0, redges[k].y1, ix->oy, ix->ch, ix->inv_ch, ix->ny, &lo,
         &hi);
    for (size_t y = lo; y <= hi; y++)
      s->row_edges[s->row_cnt[y - cy_lo]++] = k;
  }
  /* row_cnt[y] is now the end of row y; its start is row_cnt[y-1]. */
  for (size_t ry = 0; ry < rows; ry++) {
    size_t cy = cy_lo + ry;
    size_t from = ry ? s->row_cnt[ry - 1] : 0, to = s->row_cnt[ry];
    size_t n_row = to - from;
    const size_t *row = s->row_edges + from;
    double yb = cell_y0(ix, cy) - SLACK, yt = cell_y0(ix, cy + 1) + SLACK;
    double yc = cell_y0(ix, cy) + ix->ch / 2;
    if (!sw__grow((void **)&s->row_x, &s->cap_row_x, n_row + 1,
                  sizeof *s->row_x))
      return sw__err(err, SW_E_NOMEM, "out of memory building the index");
    row_edge *rx_e = s->row_x;
    for (size_t k = 0; k < n_row; k++) {
      rx_e[k].e = redges + row[k];
      clip_x(rx_e[k].e, yb, yt, &rx_e[k].lo, &rx_e[k].hi);
    }
    /* Near pairs, bucketed by column. */
    memset(s->col_cnt, 0, (cols + 1) * sizeof *s->col_cnt);
    size_t n_pairs = 0;
    for (size_t k = 0; k < n_row; k++) {
      size_t lo, hi;
      span(rx_e[k].lo, rx_e[k].hi, ix->ox, ix->cw, ix->inv_cw, ix->nx, &lo,
           &hi);
      for (size_t x = lo; x <= hi; x++)
        s->col_cnt[x - cx_lo + 1]++;
      n_pairs += hi - lo + 1;
    }
    if (!sw__grow((void **)&s->col_edges, &s->cap_col_edges, n_pairs + 1,
                  sizeof *s->col_edges))
      return sw__err(err, SW_E_NOMEM, "out of memory building the index");
    for (size_t x = 0; x < cols; x++)
      s->col_cnt[x + 1] += s->col_cnt[x];
    for (size_t k = 0; k < n_row; k++) {
      size_t lo, hi;
      span(rx_e[k].lo, rx_e[k].hi, ix->ox, ix->cw, ix->inv_cw, ix->nx, &lo,
           &hi);
      for (size_t x = lo; x <= hi; x++)
        s->col_edges[s->col_cnt[x - cx_lo]++] = (size_t)(rx_e[k].e - redges);
    }
    /* Sweep the row right to left, adding edges to the right-hand summary
     * once the cell's right side is left of their part in the band. */
    qsort(rx_e, n_row, sizeof *rx_e, by_lo_desc);
    s->n_set = 0;
    uint32_t parity = 0;
    size_t next = 0;
    for (size_t rx = cols; rx-- > 0;) {
      size_t cx = cx_lo + rx;
      double right = cell_x0(ix, cx + 1) + SLACK;
      while (next < n_row && rx_e[next].lo > right) {
        const edge *e = rx_e[next++].e;
        /* The edge crosses the ray of a point at height y when
         * y0 <= y < y1: a toggle at y0 and one at y1. */
        double t[2] = {e->y0, e->y1};
        for (int j = 0; j < 2; j++) {
          if (t[j] <= yb) {
            parity ^= 1;
          } else if (!toggle(s, t[j])) {
            return sw__err(err, SW_E_NOMEM, "out of memory building the index");
          }
        }
      }
      size_t cell = cy * ix->nx + cx;
      size_t c_from = rx ? s->col_cnt[rx - 1] : 0, c_to = s->col_cnt[rx];
      if (c_from == c_to) {
        /* No edge meets the cell: it is wholly in or out of the region. */
        uint32_t in = parity;
        for (size_t j = 0; j < s->n_set && s->set[j] <= yc; j++)
          in ^= 1;
        if (in && ix->full[cell] == NONE) ix->full[cell] = r;
        continue;
      }
      size_t n_bp = 0;
      while (n_bp < s->n_set && s->set[n_bp] <= yt)
        n_bp++;
      size_t n_near = c_to - c_from;
      if (s->n_edges + n_near > UINT32_MAX || s->n_bps + n_bp > UINT32_MAX ||
          s->n_ent + 1 > UINT32_MAX)
        return sw__err(err, SW_E_RANGE, "regions too large to index");
      if (!sw__grow((void **)&s->ent, &s->cap_ent, s->n_ent + 1,
                    sizeof *s->ent) ||
          !sw__grow((void **)&s->ent_cell, &s->cap_ent_cell, s->n_ent + 1,
                    sizeof *s->ent_cell) ||
          !sw__grow((void **)&s->edges, &s->cap_edges, s->n_edges + n_near,
                    sizeof *s->edges) ||
          !sw__grow((void **)&s->bps, &s->cap_bps, s->n_bps + n_bp + 1,
                    sizeof *s->bps))
        return sw__err(err, SW_E_NOMEM, "out of memory building the index");
      entry *en = s->ent + s->n_ent;
      en->region = r;
      en->edge_off = (uint32_t)s->n_edges;
      en->n_edges = (uint32_t)n_near;
      en->bp_off = (uint32_t)s->n_bps;
      en->n_bp = (uint32_t)n_bp;
      en->parity = parity;
      s->ent_cell[s->n_ent++] = (uint32_t)cell;
      for (size_t j = c_from; j < c_to; j++)
        s->edges[s->n_edges++] = redges[s->col_edges[j]];
      if (n_bp) memcpy(s->bps + s->n_bps, s->set, n_bp * sizeof *s->bps);
      s->n_bps += n_bp;
    }
  }
  return SW_OK;
}

/* Choose the grid: about 8 cells per edge over the extent, which
 * keeps a few edges per boundary cell (measured in the design note). */
static void choose_grid(sw_index *ix, size_t n_edges) {
  double w = ix->max_x - ix->ox, h = ix->max_y - ix->oy;
  double target = 8.0 * (double)n_edges;
  if (target < 64) target = 64;
  if (target > 16e6) target = 16e6;
  double nx, ny;
  if (w <= 0 && h <= 0) {
    nx = ny = 1;
  } else if (w <= 0) {
    nx = 1;
    ny = target;
  } else if (h <= 0) {
    nx = target;
    ny = 1;
  } else {
    nx = ceil(sqrt(target * w / h));
    ny = ceil(target / nx);
  }
  if (nx < 1) nx = 1;
  if (ny < 1) ny = 1;
  ix->nx = (size_t)nx;
  ix->ny = (size_t)ny;
  ix->cw = w > 0 ? w / nx : 1;
  ix->ch = h > 0 ? h / ny : 1;
  ix->inv_cw = 1 / ix->cw;
  ix->inv_ch = 1 / ix->ch;
}

/* Group the entries by cell (stable, so by region within a cell) and lay
 * their edges and breakpoints out in that order for locality. */
static sw_status finish(sw_index *ix, scratch *s, sw_error *err) {
  size_t n_cells = ix->nx * ix->ny;
  ix->entries = sw__malloc((s->n_ent + 1) * sizeof *ix->entries);
  ix->edges = sw__malloc((s->n_edges + 1) * sizeof *ix->edges);
  ix->bps = sw__malloc((s->n_bps + 1) * sizeof *ix->bps);
  if (!ix->entries || !ix->edges || !ix->bps)
    return sw__err(err, SW_E_NOMEM, "out of memory building the index");
  uint32_t *off = ix->cell_off;
  for (size_t k = 0; k < s->n_ent; k++)
    off[s->ent_cell[k] + 1]++;
  for (size_t c = 0; c < n_cells; c++)
    off[c + 1] += off[c];
  /* Place entries using off[c] as a cursor, then shift back. */
  for (size_t k = 0; k < s->n_ent; k++)
    ix->entries[off[s->ent_cell[k]]++] = s->ent[k];
  for (size_t c = n_cells; c > 0; c--)
    off[c] = off[c - 1];
  off[0] = 0;
  size_t ne = 0, nb = 0;
  for (size_t k = 0; k < s->n_ent; k++) {
    entry *en = ix->entries + k;
    /* Every entry has near edges; breakpoints may be absent. */
    memcpy(ix->edges + ne, s->edges + en->edge_off,
           en->n_edges * sizeof *ix->edges);
    if (en->n_bp)
      memcpy(ix->bps + nb, s->bps + en->bp_off, en->n_bp * sizeof *ix->bps);
    en->edge_off = (uint32_t)ne;
    en->bp_off = (uint32_t)nb;
    ne += en->n_edges;
    nb += en->n_bp;
  }
  ix->n_entries = s->n_ent;
  ix->n_edges = ne;
  ix->n_bps = nb;
  return SW_OK;
}

sw_status sw_index_build(const sw_regions *g, sw_index **out, sw_error *err) {
  *out = NULL;
  if (!g || g->n == 0) return sw__err(err, SW_E_USAGE, "no regions to index");
  if (g->n >= NONE)
    return sw__err(err, SW_E_RANGE, "too many regions to index: %zu", g->n);
  sw_index *ix = sw__calloc(1, sizeof *ix);
  if (!ix) return sw__err(err, SW_E_NOMEM, "out of memory building the index");
  ix->g = g;
  ix->ox = ix->oy = INFINITY;
  ix->max_x = ix->max_y = -INFINITY;
  for (size_t i = 0; i < g->n; i++) {
    const double *bb = g->bbox + 4 * i;
    ix->ox = fmin(ix->ox, bb[0]);
    ix->oy = fmin(ix->oy, bb[1]);
    ix->max_x = fmax(ix->max_x, bb[2]);
    ix->max_y = fmax(ix->max_y, bb[3]);
  }
  size_t n_edges_all = g->pt_start[g->n_rings] - g->n_rings;
  choose_grid(ix, n_edges_all);
  size_t n_cells = ix->nx * ix->ny;
  ix->full = sw__malloc(n_cells * sizeof *ix->full);
  ix->cell_off = sw__calloc(n_cells + 1, sizeof *ix->cell_off);
  if (!ix->full || !ix->cell_off) {
    sw_index_free(ix);
    return sw__err(err, SW_E_NOMEM, "out of memory building the index");
  }
  for (size_t c = 0; c < n_cells; c++)
    ix->full[c] = NONE;
  scratch s = {0};
  edge *redges = NULL;
  size_t cap_redges = 0;
  sw_status st = SW_OK;
  for (size_t i = 0; i < g->n && st == SW_OK; i++) {
    size_t p0 = g->pt_start[g->ring_start[i]];
    size_t p1 = g->pt_start[g->ring_start[i + 1]];
    if (!sw__grow((void **)&redges, &cap_redges, p1 - p0 + 1, sizeof *redges)) {
      st = sw__err(err, SW_E_NOMEM, "out of memory building the index");
      break;
    }
    size_t n = 0;
    for (size_t k = g->ring_start[i]; k < g->ring_start[i + 1]; k++) {
      const double *p = g->xy + 2 * g->pt_start[k];
      size_t np = g->pt_start[k + 1] - g->pt_start[k];
      for (size_t j = 0; j + 1 < np; j++) {
        double ax = p[2 * j], ay = p[2 * j + 1];
        double bx = p[2 * j + 2], by = p[2 * j + 3];
        if (ax == bx && ay == by) continue;
        if (ay > by || (ay == by && ax > bx))
          redges[n++] = (edge){bx, by, ax, ay};
        else
          redges[n++] = (edge){ax, ay, bx, by};
      }
    }
    st = add_region(ix, &s, (uint32_t)i, redges, n, err);
  }
  sw__free(redges);
  if (st == SW_OK) st = finish(ix, &s, err);
  scratch_free(&s);
  if (st != SW_OK) {
    sw_index_free(ix);
    return st;
  }
  *out = ix;
  return SW_OK;
}

void sw_index_free(sw_index *ix) {
  if (!ix) return;
  sw__free(ix->full);
  sw__free(ix->cell_off);
  sw__free(ix->entries);
  sw__free(ix->edges);
  sw__free(ix->bps);
  sw__free(ix);
}

const sw_regions *sw__index_regions(const sw_index *ix) { return ix->g; }

/* Whether p is inside the entry's region (odd crossings), and whether it
 * lies exactly on one of the entry's edges. */
static bool entry_contains(const sw_index *ix, const entry *en, double px,
                           double py, bool *on_edge) {
  unsigned in = en->parity;
  const double *bp = ix->bps + en->bp_off;
  for (uint32_t j = 0; j < en->n_bp && bp[j] <= py; j++)
    in ^= 1u;
  const edge *e = ix->edges + en->edge_off;
  for (uint32_t j = 0; j < en->n_edges; j++, e++) {
    if (py < e->y0 || py > e->y1) continue;
    /* Orientation of p against the upward edge: > 0 when p is left of it,
     * i.e. its ray to +x crosses it. */
    double d = (e->x1 - e->x0) * (py - e->y0) - (e->y1 - e->y0) * (px - e->x0);
    if (py < e->y1 && d > 0) in ^= 1u;
    if (d == 0 && px >= fmin(e->x0, e->x1) && px <= fmax(e->x0, e->x1))
      *on_edge = true;
  }
  return in != 0;
}

size_t sw_index_locate(const sw_index *ix, sw_point p, bool *on_boundary) {
  double px = p.lon_deg, py = p.lat_deg;
  if (on_boundary) *on_boundary = false;
  if (!(px >= ix->ox && px <= ix->max_x && py >= ix->oy && py <= ix->max_y))
    return SW_NO_REGION;
  if (px < -180 || px > 180 || py < -90 || py > 90) return SW_NO_REGION;
  size_t cx = (size_t)((px - ix->ox) * ix->inv_cw);
  size_t cy = (size_t)((py - ix->oy) * ix->inv_ch);
  if (cx >= ix->nx) cx = ix->nx - 1;
  if (cy >= ix->ny) cy = ix->ny - 1;
  size_t cell = cy * ix->nx + cx;
  uint32_t full = ix->full[cell];
  const entry *en = ix->entries + ix->cell_off[cell];
  const entry *end = ix->entries + ix->cell_off[cell + 1];
  uint32_t found = NONE;
  bool on_edge = false;
  for (; en < end && en->region < full; en++) {
    if (entry_contains(ix, en, px, py, &on_edge)) {
      found = en->region;
      break;
    }
  }
  if (found == NONE) found = full;
  if (on_boundary) {
    /* Regions after the winner may also pass through p (overlapping
     * data); the flag covers every region's boundary. */
    for (; !on_edge && en < end; en++)
      entry_contains(ix, en, px, py, &on_edge);
    *on_boundary = on_edge;
  }
  return found == NONE ? SW_NO_REGION : (size_t)found;
}
