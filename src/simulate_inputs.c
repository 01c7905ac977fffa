/*
 * simulate_inputs.c — the geography `steerwatch simulate` draws on, made
 * from its options and data before any record is drawn: each region's
 * representative point and ties weight, the facilities, and the periods in
 * which the target's membership is constant.
 *
 * Ties weights are populations (attribute `population`, a finite number
 * >= 0, read as of opts->from). A region without one gets the median of
 * the populations that are given, so that a partial table neither drops
 * regions nor lets them dominate; with no population at all every region
 * weighs the same.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "attrs.h"
#include "csv.h"
#include "err.h"
#include "number.h"
#include "simulate_state.h"
#include "strmap.h"

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static bool valid_point(sw_point p) {
  return fabs(p.lat_deg) <= 90 && fabs(p.lon_deg) <= 180;
}

sw_status sw__sim_regions(sw_sim *s, sw_error *err) {
  const sw_simulate_opts *o = s->o;
  size_t R = sw_regions_count(o->regions);
  if (R < 2)
    return sw__err(err, SW_E_USAGE,
                   "regions: %zu region, need two or more to choose between",
                   R);
  if (R >= UINT32_MAX)
    return sw__err(err, SW_E_RANGE, "regions: too many (%zu)", R);
  s->n_regions = R;
  s->point = sw__malloc(R * sizeof *s->point);
  s->ties_cdf = sw__malloc(R * sizeof *s->ties_cdf);
  double *pop = sw__malloc(R * sizeof *pop);
  double *sorted = sw__malloc(R * sizeof *sorted);
  if (!s->point || !s->ties_cdf || !pop || !sorted) {
    sw__free(pop);
    sw__free(sorted);
    return sw__err(err, SW_E_NOMEM, "out of memory");
  }
  size_t n_pop = 0;
  for (size_t i = 0; i < R; i++) {
    const char *id = sw_regions_id(o->regions, i);
    double la, lo;
    sw_point p;
    if (sw_attrs_get_number(o->attrs, id, "lat", o->from, &la) &&
        sw_attrs_get_number(o->attrs, id, "lon", o->from, &lo) &&
        valid_point((sw_point){la, lo})) {
      p = (sw_point){la, lo};
      s->n_attr_point++;
    } else {
      p = sw_regions_centroid(o->regions, i);
    }
    if (!valid_point(p)) {
      sw__free(pop);
      sw__free(sorted);
      sw__err(err, SW_E_RANGE,
              "region \"%s\" has no representative point (no lat/lon "
              "attributes and no area)",
              id);
      return SW_E_RANGE;
    }
    s->point[i] = p;
    double v;
    if (sw_attrs_get_number(o->attrs, id, "population", o->from, &v) &&
        v >= 0) {
      pop[i] = v;
      sorted[n_pop++] = v;
    } else {
      pop[i] = NAN;
    }
  }
  double floor_w = 1;
  if (n_pop) {
    qsort(sorted, n_pop, sizeof *sorted, cmp_double);
    floor_w = n_pop % 2 ? sorted[n_pop / 2]
                        : 0.5 * (sorted[n_pop / 2 - 1] + sorted[n_pop / 2]);
  }
  s->n_population = n_pop;
  s->pop_floor = floor_w;
  double acc = 0;
  for (size_t i = 0; i < R; i++) {
    acc += isnan(pop[i]) ? floor_w : pop[i];
    s->ties_cdf[i] = acc;
  }
  sw__free(pop);
  sw__free(sorted);
  if (!(acc > 0) && o->share_ties > 0)
    return sw__err(err, SW_E_RANGE,
                   "every region has population 0: no ties region can be "
                   "drawn (set the share of records with ties to 0)");
  if (!isfinite(acc))
    return sw__err(err, SW_E_RANGE, "populations sum to infinity");
  return SW_OK;
}

/* Copy one facility into s after checking it; where names the source for
 * errors (the file position is attached by the caller). */
static sw_status add_facility(sw_sim *s, sw_strmap *codes, const char *code,
                              size_t len, sw_point p, double weight,
                              const char **column, sw_error *err) {
  size_t k = s->n_fac;
  char q[96];
  sw__quote(q, sizeof q, code, len, 64);
  if (len == 0) {
    *column = "facility";
    return sw__err(err, SW_E_PARSE, "empty facility code");
  }
  if (!(fabs(p.lat_deg) <= 90)) {
    *column = "lat";
    return sw__err(err, SW_E_RANGE, "latitude of %s outside -90..90", q);
  }
  if (!(fabs(p.lon_deg) <= 180)) {
    *column = "lon";
    return sw__err(err, SW_E_RANGE, "longitude of %s outside -180..180", q);
  }
  if (!(weight >= 0) || !isfinite(weight)) {
    *column = "weight";
    return sw__err(err, SW_E_RANGE, "weight of %s is not a finite number >= 0",
                   q);
  }
  int put = sw__strmap_put(codes, code, len, k, NULL, NULL);
  if (put < 0) return sw__err(err, SW_E_NOMEM, "out of memory");
  if (put == 0) {
    *column = "facility";
    return sw__err(err, SW_E_PARSE, "duplicate facility %s", q);
  }
  s->fac_code[k] = sw__strndup(code, len);
  if (!s->fac_code[k]) return sw__err(err, SW_E_NOMEM, "out of memory");
  s->fac_pt[k] = p;
  s->fac_cdf[k] = (k ? s->fac_cdf[k - 1] : 0) + weight;
  s->n_fac = k + 1;
  return SW_OK;
}

static bool reserve(sw_sim *s, size_t *cap, size_t need) {
  if (need <= *cap) return true;
  size_t c1 = *cap, c2 = *cap, c3 = *cap;
  if (!sw__grow((void **)&s->fac_code, &c1, need, sizeof *s->fac_code))
    return false;
  if (!sw__grow((void **)&s->fac_pt, &c2, need, sizeof *s->fac_pt))
    return false;
  if (!sw__grow((void **)&s->fac_cdf, &c3, need, sizeof *s->fac_cdf))
    return false;
  *cap = c1 < c2 ? (c1 < c3 ? c1 : c3) : (c2 < c3 ? c2 : c3);
  return true;
}

/* A numeric field of the current row, or a positioned SW_E_PARSE. */
static bool field_number(sw_csv *c, long col, const char *name, double *out,
                         sw_error *err) {
  size_t len;
  const char *f = sw__csv_field(c, (size_t)col, &len);
  if (sw__parse_number(f, len, out)) return true;
  char q[96];
  sw__quote(q, sizeof q, f, len, 64);
  sw__err(err, SW_E_PARSE, "not a number: %s", q);
  sw__err_at(err, sw__csv_path(c), sw__csv_line(c), name, sw__csv_byte(c));
  return false;
}

static sw_status read_facilities(sw_sim *s, sw_strmap *codes, sw_error *err) {
  const char *path = s->o->facilities_path;
  sw_csv_opts co = {0};
  sw_csv *c = NULL;
  sw_status st = sw__csv_open(path, &co, &c, err);
  if (st != SW_OK) return st;
  bool got;
  if ((st = sw__csv_header(c, err)) != SW_OK) goto done;
  static const char *const names[] = {"facility", "lat", "lon", "weight"};
  long col[4];
  for (int k = 0; k < 4; k++) {
    col[k] = sw__csv_find(c, names[k]);
    if (col[k] < 0 && k < 3) {
      st = sw__err(err, SW_E_SCHEMA,
                   "required column missing from the header (facility, lat, "
                   "lon[, weight])");
      sw__err_at(err, path, sw__csv_line(c), names[k], 0);
      goto done;
    }
  }
  size_t n_header = sw__csv_n_fields(c), cap = 0;
  for (;;) {
    if ((st = sw__csv_next(c, &got, err)) != SW_OK || !got) break;
    const char *column = "";
    if (sw__csv_fault(c) || sw__csv_n_fields(c) != n_header) {
      if (sw__csv_fault(c))
        st = sw__err(err, SW_E_PARSE, "%s", sw__csv_fault(c));
      else
        st = sw__err(err, SW_E_PARSE, "%zu fields, the header has %zu",
                     sw__csv_n_fields(c), n_header);
      sw__err_at(err, path, sw__csv_line(c), NULL, sw__csv_byte(c));
      break;
    }
    sw_point p;
    double w = 1;
    size_t len;
    if (!field_number(c, col[1], names[1], &p.lat_deg, err) ||
        !field_number(c, col[2], names[2], &p.lon_deg, err)) {
      st = SW_E_PARSE;
      break;
    }
    if (col[3] >= 0) {
      sw__csv_field(c, (size_t)col[3], &len);
      if (len && !field_number(c, col[3], names[3], &w, err)) {
        st = SW_E_PARSE;
        break;
      }
    }
    if (s->n_fac >= UINT32_MAX - 1) {
      st = sw__err(err, SW_E_RANGE, "too many facilities");
      sw__err_at(err, path, sw__csv_line(c), NULL, sw__csv_byte(c));
      break;
    }
    if (!reserve(s, &cap, s->n_fac + 1)) {
      st = sw__err(err, SW_E_NOMEM, "out of memory");
      break;
    }
    const char *code = sw__csv_field(c, (size_t)col[0], &len);
    st = add_facility(s, codes, code, len, p, w, &column, err);
    if (st != SW_OK) {
      sw__err_at(err, path, sw__csv_line(c), column, sw__csv_byte(c));
      break;
    }
  }
  if (st == SW_OK && s->n_fac == 0) {
    st = sw__err(err, SW_E_SCHEMA, "no facilities: the file has no rows");
    sw__err_at(err, path, 0, NULL, 0);
  }
done:
  sw__csv_close(c);
  return st;
}

sw_status sw__sim_facilities(sw_sim *s, sw_error *err) {
  const sw_simulate_opts *o = s->o;
  sw_strmap *codes = sw__strmap_new();
  if (!codes) return sw__err(err, SW_E_NOMEM, "out of memory");
  sw_status st = SW_OK;
  if (o->facilities_path) {
    st = read_facilities(s, codes, err);
  } else {
    size_t cap = 0;
    if (o->n_facilities >= UINT32_MAX)
      st = sw__err(err, SW_E_USAGE, "facilities: too many");
    else if (!reserve(s, &cap, o->n_facilities))
      st = sw__err(err, SW_E_NOMEM, "out of memory");
    for (size_t k = 0; k < o->n_facilities && st == SW_OK; k++) {
      const sw_facility *f = &o->facilities[k];
      const char *column = "", *code = f->code ? f->code : "";
      st = add_facility(s, codes, code, strlen(code), f->point, f->weight,
                        &column, err);
      /* A bad entry of the caller's list is a bad argument. */
      if (st != SW_OK && st != SW_E_NOMEM) {
        char where[64];
        snprintf(where, sizeof where, "facilities[%zu]", k);
        sw__err_at(err, NULL, 0, where, 0);
        if (err) err->code = SW_E_USAGE;
        st = SW_E_USAGE;
      }
    }
  }
  sw__strmap_free(codes);
  if (st != SW_OK) return st;
  if (!(s->fac_cdf[s->n_fac - 1] > 0))
    st = sw__err(err, SW_E_RANGE, "every facility has weight 0");
  else if (!isfinite(s->fac_cdf[s->n_fac - 1]))
    st = sw__err(err, SW_E_RANGE, "facility weights sum to infinity");
  if (st != SW_OK) sw__err_at(err, o->facilities_path, 0, NULL, 0);
  return st;
}

/* T_j on day d into row; returns how many regions are in the target. */
static size_t target_row(const sw_sim *s, int32_t d, uint8_t *row) {
  const sw_simulate_opts *o = s->o;
  size_t m = 0;
  for (size_t j = 0; j < s->n_regions; j++) {
    const char *v =
        sw_attrs_get(o->attrs, sw_regions_id(o->regions, j), o->target_attr, d);
    row[j] = v && !strcmp(v, o->target_value);
    m += row[j];
  }
  return m;
}

sw_status sw__sim_periods(sw_sim *s, sw_error *err) {
  const sw_simulate_opts *o = s->o;
  size_t R = s->n_regions;
  int32_t *bounds = NULL;
  size_t n_bounds = 0;
  if (sw__attrs_bounds(o->attrs, o->target_attr, &bounds, &n_bounds) != SW_OK)
    return sw__err(err, SW_E_NOMEM, "out of memory");
  /* Membership can change only where some fact starts or ends: a period
   * starts at `from` and at every bound inside (from, to]. */
  size_t cap = 1;
  for (size_t k = 0; k < n_bounds; k++)
    cap += bounds[k] > o->from && bounds[k] <= o->to;
  size_t cells;
  s->period_from = sw__malloc(cap * sizeof *s->period_from);
  s->target_start = sw__malloc((cap + 1) * sizeof *s->target_start);
  s->in_target = sw__mul_size(cap, R, &cells) ? sw__malloc(cells) : NULL;
  if (!s->period_from || !s->target_start || !s->in_target) {
    sw__free(bounds);
    return sw__err(err, SW_E_NOMEM, "out of memory");
  }
  size_t n = 0, any = 0;
  s->target_start[0] = 0;
  for (size_t k = 0; k <= n_bounds; k++) {
    int32_t d = k == 0 ? o->from : bounds[k - 1];
    if (k > 0 && !(d > o->from && d <= o->to)) continue;
    uint8_t *row = s->in_target + n * R;
    size_t m = target_row(s, d, row);
    /* A bound of some other region's fact may leave the target as it was;
     * such a period is merged into the one before. */
    if (n > 0 && !memcmp(row, row - R, R)) continue;
    s->period_from[n] = d;
    s->target_start[n + 1] = s->target_start[n] + m;
    any += m;
    n++;
  }
  sw__free(bounds);
  s->n_periods = n;
  /* The target's regions of each period as a list too: the draw visits
   * them apart from the others. */
  s->target = sw__malloc((any ? any : 1) * sizeof *s->target);
  if (!s->target) return sw__err(err, SW_E_NOMEM, "out of memory");
  for (size_t k = 0, q = 0; k < n; k++)
    for (size_t j = 0; j < R; j++)
      if (s->in_target[k * R + j]) s->target[q++] = (uint32_t)j;
  if (!any) {
    char a[11], b[11];
    sw_date_format(o->from, a, sizeof a);
    sw_date_format(o->to, b, sizeof b);
    return sw__err(err, SW_E_USAGE,
                   "target %s=%s: no region is in it on any day from %s to "
                   "%s",
                   o->target_attr, o->target_value, a, b);
  }
  return SW_OK;
}

size_t sw__sim_period_of(const sw_sim *s, int32_t d) {
  size_t lo = 0, hi = s->n_periods;
  /* The last period whose first day is <= d. */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (s->period_from[mid] <= d)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

void sw__sim_clear(sw_sim *s) {
  for (size_t k = 0; k < s->n_fac; k++)
    sw__free(s->fac_code[k]);
  sw__free(s->fac_code);
  sw__free(s->fac_pt);
  sw__free(s->fac_cdf);
  sw__free(s->point);
  sw__free(s->ties_cdf);
  sw__free(s->period_from);
  sw__free(s->in_target);
  sw__free(s->target_start);
  sw__free(s->target);
  sw__free(s->facility);
  sw__free(s->date);
  sw__free(s->ties);
  sw__free(s->u);
  sw__free(s->release);
  sw__free(s->p_target);
  memset(s, 0, sizeof *s);
}
