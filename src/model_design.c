/*
 * model_design.c — the audit's design provider: turns places, regions,
 * target flags and covariates into the conditional-logit features of SPEC's
 * fixed definitions, or of the spline distance terms, record by record,
 * for model.c. Nothing per record x alternative is stored; what every pass
 * reuses is precomputed once: unit vectors of all places and, when small,
 * the origin-to-region distance table (origins are facilities, so there
 * are few) and the same table for ties places (ties given as regions sit
 * at a few thousand representative points at most, however many records
 * there are). Tables hold log1p(km), or km for the splines, whose basis
 * is cheap enough to expand per record.
 *
 * Distance: through the chord of unit vectors (geodesy.h).
 */
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "err.h"
#include "geodesy.h"
#include "model_design.h"
#include "rng.h"
#include "steerwatch.h"
#include "strmap.h"

/* Largest origins x regions table kept (doubles): 32 MB. */
#define MAX_TABLE 4194304u
/* Largest ties-places x regions table kept (doubles): 128 MB, which holds
 * ties at every US county's point over every county (83 MB). Measured on
 * the 3,000 x 60 audit benchmark: ties distances were 39% of all
 * instructions when computed per record and pass. */
#define MAX_TIES_TABLE 16777216u
#define NO_PLACE UINT32_MAX
/* Most sampled-alternative cells kept (16-bit region ids, so 256 MB), and
 * the most regions such an id holds. Past either, each pass samples
 * again: the same ids, slower. Measured on a 20,000-record x 3,231-region
 * within-region fit with K = 100 (callgrind, `model_peer - 20000 3231 1 1
 * 1 100 fe`): keeping them took its instructions from 23.6G to 19.1G. */
#define MAX_SAMPLE_CELLS 134217728u
#define MAX_SAMPLE_REGIONS 65536u

const double sw__geo_knots_km[SW_GEO_N_KNOTS] = {50, 200, 800};

/* Distance terms per place (origin, ties): 1, or 1 + the knots. */
#define TERMS(spline) ((spline) ? 1 + SW_GEO_N_KNOTS : 1)

static const char *const spline_names[2][1 + SW_GEO_N_KNOTS] = {
    {"origin_log1p_km_to50", "origin_100km_50to200", "origin_100km_200to800",
     "origin_100km_past800"},
    {"ties_log1p_km_to50", "ties_100km_50to200", "ties_100km_200to800",
     "ties_100km_past800"}};

struct sw_geo_design {
  sw_design d;
  sw_geo_spec s;        /* the caller's arrays, borrowed */
  const char **names;   /* distance terms, target, covariates; borrowed
                           strings */
  size_t n_fixed;       /* features before the covariates */
  double *region_u;     /* 3 x n_regions: all x, then all y, then all z */
  double *origin_u;     /* 3 per origin, interleaved */
  double *ties_u;       /* 3 per record, interleaved; NaN when no ties;
                           NULL when ties_table serves */
  double *table;        /* n_origins x n_regions log1p(km) (km for the
                           splines), or NULL */
  uint32_t *ties_place; /* per record: row of ties_table, NO_PLACE: none */
  double *ties_table;   /* distinct ties places x n_regions, or NULL */
  sw_strmap *places;    /* ties place (lat, lon bytes) -> ties_table row */
  size_t n_sampled;     /* 0: all regions */
  uint16_t *sampled;    /* n x (n_sampled + 1) alternatives as sample()
                           draws them, or NULL: drawn per pass */
  /* Borrowed from spec.share, not freed: region_u, origin_u and table
   * (geo); ties_table and places (ties). */
  bool borrowed_geo, borrowed_ties;
};

/* log1p(km) (km for the splines) from the point with unit vector u to
 * each listed region, or (alt NULL) to regions 0..m-1. Three loops rather
 * than one: each has independent iterations, so the processor overlaps the
 * long latencies of sqrt, asin and log across alternatives. */
static void distances(const sw_geo_design *g, const double *u,
                      const uint32_t *alt, size_t m, double *restrict out) {
  size_t R = g->s.n_regions;
  const double *rx = g->region_u, *ry = rx + R, *rz = ry + R;
  const double ux = u[0], uy = u[1], uz = u[2];
  if (!alt) {
    for (size_t j = 0; j < m; j++) {
      double dx = ux - rx[j], dy = uy - ry[j], dz = uz - rz[j];
      out[j] = dx * dx + dy * dy + dz * dz;
    }
  } else {
    for (size_t j = 0; j < m; j++) {
      uint32_t a = alt[j];
      double dx = ux - rx[a], dy = uy - ry[a], dz = uz - rz[a];
      out[j] = dx * dx + dy * dy + dz * dz;
    }
  }
  for (size_t j = 0; j < m; j++)
    out[j] = sw__chord_km(out[j]);
  if (!g->s.spline)
    for (size_t j = 0; j < m; j++)
      out[j] = sw__log1p_km(out[j]);
}

/* The spline terms of m distances in km in column 0 of x (columns stride
 * apart): log1p of the km within the first knot, then the km of each
 * distance that fall in each later band, in 100-km units, so column b's
 * coefficient is the pull's slope in band b. Bands rather than km and
 * (km - knot)+: the same span, far better conditioned. The first band is
 * log-shaped because the first kilometres are steep: ties given as a
 * region sit at its own point, 0 km from it and tens of km from the next
 * one, and a linear first band could only express that pull with a
 * slope that diverged (on 6,000 simulated district records the fit's
 * line search failed with that slope at -190 per 100 km). */
static void spline_basis(double *x, size_t m, size_t stride) {
  for (size_t b = SW_GEO_N_KNOTS; b > 0; b--) {
    double *col = x + b * stride, lo = sw__geo_knots_km[b - 1];
    double hi = b < SW_GEO_N_KNOTS ? sw__geo_knots_km[b] : HUGE_VAL;
    for (size_t j = 0; j < m; j++)
      col[j] = x[j] > lo ? ((x[j] < hi ? x[j] : hi) - lo) / SW_GEO_UNIT_KM : 0;
  }
  const double first = sw__geo_knots_km[0];
  for (size_t j = 0; j < m; j++)
    x[j] = log1p(x[j] < first ? x[j] : first);
}

size_t sw__geo_target_feature(const sw_geo_spec *spec) {
  return 2 * TERMS(spec->spline);
}

/* Draw the chosen region plus K others uniformly without replacement, by
 * Floyd's algorithm over the R - 1 other regions, keyed by (seed, record)
 * so every pass regenerates the same set. Membership is tested in a small
 * open-addressing table placed in the (not yet filled) feature buffer. */
static void sample(const sw_geo_design *g, size_t record, uint32_t chosen,
                   uint32_t *alt, double *scratch) {
  size_t K = g->n_sampled;
  uint64_t others = g->s.n_regions - 1;
  /* cap < 4K <= the 2p(K+1) uint32 slots the buffer holds (p >= 3). */
  size_t cap = 2;
  while (cap < 2 * K)
    cap *= 2;
  uint32_t *set = (uint32_t *)scratch;
  memset(set, 0xff, cap * sizeof *set);
  unsigned shift = 32;
  for (size_t c = cap; c > 1; c >>= 1)
    shift--;
  sw_rng r;
  sw__rng_init(&r, g->s.seed, record);
  alt[0] = chosen;
  size_t n = 1;
  for (uint64_t j = others - K; j < others; j++) {
    uint32_t t = (uint32_t)sw__rng_below(&r, j + 1);
    /* Insert t unless present, else j (which cannot be present yet). */
    for (int pass = 0; pass < 2; pass++) {
      uint32_t h = (uint32_t)(t * 2654435769u) >> shift;
      while (set[h] != UINT32_MAX && set[h] != t)
        h = (h + 1) & (cap - 1);
      if (set[h] == UINT32_MAX) {
        set[h] = t;
        alt[n++] = t < chosen ? t : t + 1; /* skip the chosen region */
        break;
      }
      t = (uint32_t)j;
    }
  }
}

/* out[j] = row[ids[j]], or row[j] for every region when ids is NULL. */
static void gather(const double *row, const uint32_t *ids, size_t m,
                   double *restrict out) {
  if (ids)
    for (size_t j = 0; j < m; j++)
      out[j] = row[ids[j]];
  else
    memcpy(out, row, m * sizeof *out);
}

static sw_status geo_fill(void *user, size_t i, double *x, uint32_t *alt,
                          size_t *n_alt, size_t *chosen) {
  const sw_geo_design *g = user;
  const sw_geo_spec *s = &g->s;
  const size_t R = s->n_regions, stride = g->d.max_alts;
  size_t m;
  const uint32_t *ids = NULL; /* NULL: every region, in index order */
  if (g->n_sampled) {
    m = g->n_sampled + 1;
    if (g->sampled) {
      const uint16_t *kept = g->sampled + i * m;
      for (size_t j = 0; j < m; j++)
        alt[j] = kept[j];
    } else {
      sample(g, i, s->chosen[i], alt, x);
    }
    ids = alt;
    *chosen = 0;
  } else {
    m = R;
    for (size_t j = 0; j < R; j++)
      alt[j] = (uint32_t)j;
    *chosen = s->chosen[i];
  }
  *n_alt = m;

  const size_t q = TERMS(s->spline);
  double *xo = x, *xt = x + q * stride, *xg = x + 2 * q * stride;
  uint32_t o = s->origin[i];
  if (g->table) {
    gather(g->table + (size_t)o * R, ids, m, xo);
  } else {
    distances(g, g->origin_u + 3 * (size_t)o, ids, m, xo);
  }
  const double *tu = g->ties_u ? g->ties_u + 3 * i : NULL;
  uint32_t tp = g->ties_table ? g->ties_place[i] : NO_PLACE;
  if (tp != NO_PLACE)
    gather(g->ties_table + (size_t)tp * R, ids, m, xt);
  else if (tu && !isnan(tu[0]))
    distances(g, tu, ids, m, xt);
  else
    for (size_t k = 0; k < q; k++) /* no ties: constant, so no term */
      memset(xt + k * stride, 0, m * sizeof *xt);
  if (s->spline) {
    spline_basis(xo, m, stride);
    spline_basis(xt, m, stride);
  }
  const uint8_t *trow = s->target + (size_t)(s->period ? s->period[i] : 0) * R;
  const size_t nc = s->n_covariates;
  if (ids) {
    for (size_t j = 0; j < m; j++)
      xg[j] = trow[ids[j]] != 0;
    for (size_t c = 0; c < nc; c++)
      for (size_t j = 0; j < m; j++)
        x[(g->n_fixed + c) * stride + j] =
            s->covariates[(size_t)ids[j] * nc + c];
  } else {
    for (size_t j = 0; j < m; j++)
      xg[j] = trow[j] != 0;
    for (size_t c = 0; c < nc; c++)
      for (size_t j = 0; j < m; j++)
        x[(g->n_fixed + c) * stride + j] = s->covariates[j * nc + c];
  }
  return SW_OK;
}

void sw__geo_design_free(sw_geo_design *g) {
  if (!g) return;
  sw__free(g->names);
  if (!g->borrowed_geo) {
    sw__free(g->region_u);
    sw__free(g->origin_u);
    sw__free(g->table);
  }
  if (!g->borrowed_ties) {
    sw__free(g->ties_table);
    sw__strmap_free(g->places);
  }
  sw__free(g->ties_u);
  sw__free(g->ties_place);
  sw__free(g->sampled);
  sw__free(g);
}

const sw_design *sw__geo_design_get(const sw_geo_design *g) { return &g->d; }

/* The largest km from the point with unit vector u to any region. */
static double farthest(const sw_geo_design *g, const double *u) {
  const size_t R = g->s.n_regions;
  const double *rx = g->region_u, *ry = rx + R, *rz = ry + R;
  double best = 0;
  for (size_t j = 0; j < R; j++) {
    double dx = u[0] - rx[j], dy = u[1] - ry[j], dz = u[2] - rz[j];
    double km = sw__chord_km(dx * dx + dy * dy + dz * dz);
    if (km > best) best = km;
  }
  return best;
}

/* The largest entry of a table of rows x cols km. */
static double table_max(const double *t, size_t rows, size_t cols) {
  double best = 0;
  for (size_t i = 0; i < rows * cols; i++)
    if (t[i] > best) best = t[i];
  return best;
}

void sw__geo_design_flat(const sw_geo_design *g, bool *omit) {
  const size_t n = g->s.n_records, R = g->s.n_regions, q = TERMS(g->s.spline);
  bool ties = false;
  double far_ties = 0, far_origin = 0;
  for (size_t i = 0; i < n; i++) {
    if (g->ties_table ? g->ties_place[i] == NO_PLACE
                      : !g->ties_u || isnan(g->ties_u[3 * i]))
      continue;
    ties = true;
    if (!g->s.spline) break;
    if (!g->ties_table) {
      double km = farthest(g, g->ties_u + 3 * i);
      if (km > far_ties) far_ties = km;
    }
  }
  if (!ties)
    for (size_t k = 0; k < q; k++)
      omit[q + k] = true;
  if (!g->s.spline) return;
  if (ties && g->ties_table)
    far_ties = table_max(g->ties_table, sw__strmap_count(g->places), R);
  if (g->table)
    far_origin = table_max(g->table, g->s.n_origins, R);
  else
    for (size_t o = 0; o < g->s.n_origins; o++) {
      double km = farthest(g, g->origin_u + 3 * o);
      if (km > far_origin) far_origin = km;
    }
  for (size_t k = 0; k < SW_GEO_N_KNOTS; k++) {
    if (!(far_origin > sw__geo_knots_km[k])) omit[1 + k] = true;
    if (!(far_ties > sw__geo_knots_km[k])) omit[q + 1 + k] = true;
  }
}

static bool finite_point(sw_point p) {
  return isfinite(p.lat_deg) && isfinite(p.lon_deg);
}

static sw_status check_spec(const sw_geo_spec *s, sw_error *err) {
  if (!s->n_records || !s->origin || !s->origins || !s->chosen ||
      !s->region_points || !s->target || !s->n_periods)
    return sw__err(err, SW_E_USAGE,
                   "geo design: missing records, places, "
                   "regions or target table");
  if (s->n_regions < 2 || s->n_regions > UINT32_MAX)
    return sw__err(err, SW_E_USAGE,
                   "geo design: need 2 to 2^32-1 regions, have %zu",
                   s->n_regions);
  if (s->n_covariates && (!s->covariates || !s->covariate_names))
    return sw__err(err, SW_E_USAGE,
                   "geo design: covariates without values "
                   "or names");
  for (size_t j = 0; j < s->n_regions; j++)
    if (!finite_point(s->region_points[j]))
      return sw__err(err, SW_E_USAGE,
                     "geo design: region %zu has no finite point", j);
  for (size_t o = 0; o < s->n_origins; o++)
    if (!finite_point(s->origins[o]))
      return sw__err(err, SW_E_USAGE,
                     "geo design: origin %zu is not a finite point", o);
  for (size_t j = 0; j < s->n_regions; j++)
    for (size_t c = 0; c < s->n_covariates; c++)
      if (!isfinite(s->covariates[j * s->n_covariates + c]))
        return sw__err(err, SW_E_USAGE,
                       "geo design: covariate \"%s\" of region %zu is not "
                       "a finite number",
                       s->covariate_names[c] ? s->covariate_names[c] : "?", j);
  for (size_t i = 0; i < s->n_records; i++) {
    if (s->origin[i] >= s->n_origins || s->chosen[i] >= s->n_regions ||
        (s->period && s->period[i] >= s->n_periods) ||
        (s->cluster && s->cluster[i] >= s->n_clusters))
      return sw__err(err, SW_E_USAGE,
                     "geo design: record %zu has an index out of range", i);
  }
  return SW_OK;
}

/* The key of ties place p in the places map: its coordinates' bytes. */
static void place_key(sw_point p, double key[2]) {
  key[0] = p.lat_deg;
  key[1] = p.lon_deg;
}

/* Each record's ties place as a row of share's ties table, when share has
 * one and every place is in it (a subset of share's records); false, with
 * nothing kept, otherwise. */
static bool borrow_ties(sw_geo_design *g, const sw_geo_design *share,
                        sw_error *err, sw_status *st) {
  *st = SW_OK;
  if (!share || !share->ties_table || !share->places ||
      share->s.n_regions != g->s.n_regions || share->s.spline != g->s.spline)
    return false;
  const size_t n = g->s.n_records;
  uint32_t *row = sw__malloc(n * sizeof *row);
  if (!row) {
    *st = sw__err(err, SW_E_NOMEM, "out of memory for the design");
    return false;
  }
  for (size_t i = 0; i < n; i++) {
    row[i] = NO_PLACE;
    if (isnan(g->ties_u[3 * i])) continue;
    double key[2];
    place_key(g->s.ties[i], key);
    size_t at;
    if (!sw__strmap_get(share->places, (const char *)key, sizeof key, &at)) {
      sw__free(row);
      return false;
    }
    row[i] = (uint32_t)at;
  }
  g->ties_place = row;
  g->ties_table = share->ties_table;
  g->places = share->places;
  g->borrowed_ties = true;
  sw__free(g->ties_u);
  g->ties_u = NULL;
  return true;
}

/* The unit vectors of the regions and origins, and the origins' table
 * when there is one: what designs sharing the same places borrow. */
static void fill_geo(sw_geo_design *g) {
  const sw_geo_spec *spec = &g->s;
  const size_t R = spec->n_regions;
  for (size_t j = 0; j < R; j++) {
    double u[3];
    sw__unit_vector(spec->region_points[j], u);
    g->region_u[j] = u[0];
    g->region_u[R + j] = u[1];
    g->region_u[2 * R + j] = u[2];
  }
  for (size_t o = 0; o < spec->n_origins; o++)
    sw__unit_vector(spec->origins[o], g->origin_u + 3 * o);
  /* Through the same kernel as on-the-fly distances, so that a table and
   * no table give identical features. */
  if (g->table)
    for (size_t o = 0; o < spec->n_origins; o++)
      distances(g, g->origin_u + 3 * o, NULL, R, g->table + o * R);
}

/* Number the distinct ties places and, when their table fits, compute
 * each place's log-distances once, replacing the per-record unit vectors.
 * Places are told apart by their exact coordinates. */
static sw_status table_ties(sw_geo_design *g, sw_error *err) {
  const size_t n = g->s.n_records, R = g->s.n_regions;
  sw_strmap *places = sw__strmap_new();
  g->ties_place = sw__malloc(n * sizeof *g->ties_place);
  if (!places || !g->ties_place) goto nomem;
  size_t n_places = 0;
  for (size_t i = 0; i < n; i++) {
    g->ties_place[i] = NO_PLACE;
    if (isnan(g->ties_u[3 * i])) continue;
    double key[2];
    place_key(g->s.ties[i], key);
    size_t at;
    int put = sw__strmap_put(places, (const char *)key, sizeof key, n_places,
                             &at, NULL);
    if (put < 0) goto nomem;
    if (put == 1) at = n_places++;
    if (n_places > MAX_TIES_TABLE / R) { /* too many: per record it is */
      sw__free(g->ties_place);
      g->ties_place = NULL;
      sw__strmap_free(places);
      return SW_OK;
    }
    g->ties_place[i] = (uint32_t)at;
  }
  /* Kept, so that designs of subsets can find their rows (spec.share). */
  g->places = places;
  places = NULL;
  g->ties_table = sw__malloc((n_places ? n_places : 1) * R * sizeof(double));
  if (!g->ties_table) goto nomem;
  /* Each place's row, from the first record there (the same kernel as on
   * the fly, so tabled and untabled features are identical). */
  uint8_t *done = sw__calloc(n_places ? n_places : 1, 1);
  if (!done) goto nomem;
  for (size_t i = 0; i < n; i++) {
    uint32_t t = g->ties_place[i];
    if (t == NO_PLACE || done[t]) continue;
    distances(g, g->ties_u + 3 * i, NULL, R, g->ties_table + (size_t)t * R);
    done[t] = 1;
  }
  sw__free(done);
  sw__free(g->ties_u);
  g->ties_u = NULL;
  return SW_OK;
nomem:
  sw__strmap_free(places);
  return sw__err(err, SW_E_NOMEM, "out of memory for the design");
}

/* Draw every record's alternatives once, when they fit (MAX_SAMPLE_*),
 * so that the passes read them instead of drawing them again. */
static sw_status keep_samples(sw_geo_design *g, sw_error *err) {
  const size_t n = g->s.n_records, m = g->n_sampled + 1;
  size_t cells;
  if (g->s.n_regions > MAX_SAMPLE_REGIONS || !sw__mul_size(n, m, &cells) ||
      cells > MAX_SAMPLE_CELLS)
    return SW_OK;
  g->sampled = sw__malloc(cells * sizeof *g->sampled);
  uint32_t *alt = sw__malloc(m * sizeof *alt);
  /* sample()'s membership table: fewer than 4K slots. */
  double *set = sw__malloc(2 * m * sizeof *set);
  if (!g->sampled || !alt || !set) {
    sw__free(alt);
    sw__free(set);
    return sw__err(err, SW_E_NOMEM, "out of memory for the design");
  }
  for (size_t i = 0; i < n; i++) {
    sample(g, i, g->s.chosen[i], alt, set);
    for (size_t j = 0; j < m; j++)
      g->sampled[i * m + j] = (uint16_t)alt[j];
  }
  sw__free(alt);
  sw__free(set);
  return SW_OK;
}

sw_status sw__geo_design_new(const sw_geo_spec *spec, sw_geo_design **out,
                             sw_error *err) {
  *out = NULL;
  if (!spec) return sw__err(err, SW_E_USAGE, "geo design: no spec");
  sw_status st = check_spec(spec, err);
  if (st != SW_OK) return st;
  const size_t R = spec->n_regions, n = spec->n_records;
  const size_t n_fixed = sw__geo_target_feature(spec) + 1;
  size_t p = n_fixed + spec->n_covariates, r3, n3, o3, tab = 0;
  if (p < n_fixed || !sw__mul_size(R, 3, &r3) || !sw__mul_size(n, 3, &n3) ||
      !sw__mul_size(spec->n_origins, 3, &o3))
    return sw__err(err, SW_E_RANGE, "geo design too large");
  /* The same set is both "all but one" and "all": K >= R - 1 means all. */
  size_t K = spec->n_sampled < R - 1 ? spec->n_sampled : 0;
  sw_geo_design *g = sw__calloc(1, sizeof *g);
  if (!g) return sw__err(err, SW_E_NOMEM, "out of memory for the design");
  g->s = *spec;
  g->n_sampled = K;
  g->n_fixed = n_fixed;
  const sw_geo_design *sh = spec->share;
  /* The same places give the same unit vectors and table: borrow them. */
  g->borrowed_geo = sh && sh->s.region_points == spec->region_points &&
                    sh->s.n_regions == R && sh->s.origins == spec->origins &&
                    sh->s.n_origins == spec->n_origins &&
                    sh->s.spline == spec->spline;
  g->names = sw__calloc(p, sizeof *g->names);
  if (g->borrowed_geo) {
    g->region_u = sh->region_u;
    g->origin_u = sh->origin_u;
    g->table = sh->table;
  } else {
    g->region_u = sw__calloc(r3, sizeof(double));
    g->origin_u = sw__calloc(o3 ? o3 : 1, sizeof(double));
    if (spec->n_origins <= MAX_TABLE / R) {
      tab = spec->n_origins * R;
      g->table = sw__calloc(tab ? tab : 1, sizeof(double));
    }
  }
  if (spec->ties) g->ties_u = sw__calloc(n3, sizeof(double));
  if (!g->names || !g->region_u || !g->origin_u || (spec->ties && !g->ties_u) ||
      (tab && !g->table)) {
    sw__geo_design_free(g);
    return sw__err(err, SW_E_NOMEM, "out of memory for the design");
  }
  const size_t q = TERMS(spec->spline);
  for (size_t k = 0; k < q; k++) {
    g->names[k] = spec->spline ? spline_names[0][k] : "log1p_km_origin";
    g->names[q + k] = spec->spline ? spline_names[1][k] : "log1p_km_ties";
  }
  g->names[2 * q] = "target";
  for (size_t c = 0; c < spec->n_covariates; c++)
    g->names[n_fixed + c] = spec->covariate_names[c];
  if (!g->borrowed_geo) fill_geo(g);
  if (g->ties_u)
    for (size_t i = 0; i < n; i++) {
      if (finite_point(spec->ties[i]))
        sw__unit_vector(spec->ties[i], g->ties_u + 3 * i);
      else
        g->ties_u[3 * i] = g->ties_u[3 * i + 1] = g->ties_u[3 * i + 2] = NAN;
    }
  if (g->ties_u && !borrow_ties(g, g->borrowed_geo ? sh : NULL, err, &st) &&
      (st != SW_OK || (st = table_ties(g, err)) != SW_OK)) {
    sw__geo_design_free(g);
    return st;
  }
  if (K && (st = keep_samples(g, err)) != SW_OK) {
    sw__geo_design_free(g);
    return st;
  }
  g->d = (sw_design){
      .n_records = n,
      .n_features = p,
      .max_alts = K ? K + 1 : R,
      .names = g->names,
      .fill = geo_fill,
      .user = g,
      .cluster = spec->cluster,
      .n_clusters = spec->n_clusters,
      .weight = spec->weight,
  };
  *out = g;
  return SW_OK;
}
