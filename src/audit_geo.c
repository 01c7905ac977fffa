/*
 * audit_geo.c — the audit's geography: the region universe with each
 * region's representative point and covariates, and every accepted record
 * located in it (release region, ties place, facility), the first stage
 * after reading.
 *
 * Release region: the record's release_region when given (it must be in
 * the universe), else the region holding release_lat/lon. A record in no
 * region is counted as unassigned and left out of the model, never dropped
 * silently. Ties place: ties_lat/lon, else the representative point of
 * ties_region; ties region (for the displacement rule): ties_region, else
 * the region holding the ties point. Facility (the stratum and cluster): the
 * facility column, else the origin coordinates as text; a facility seen with
 * several origins keeps its first, and the records that differed are counted.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "audit_state.h"
#include "err.h"
#include "strmap.h"

/* How the universe finds a region by id: the geometry's own lookup, or a
 * map over the attribute regions. */
typedef struct finder {
  const sw_regions *g;
  sw_strmap *ids;
} finder;

static uint32_t find(const finder *f, const char *id) {
  size_t i;
  if (!id) return AUDIT_NO_REGION;
  if (f->g)
    return sw_regions_find(f->g, id, &i) ? (uint32_t)i : AUDIT_NO_REGION;
  return sw__strmap_get(f->ids, id, strlen(id), &i) ? (uint32_t)i
                                                    : AUDIT_NO_REGION;
}

static bool attr_point(const sw_attrs *at, const char *id, int32_t date,
                       sw_point *p) {
  double la, lo;
  if (!sw_attrs_get_number(at, id, "lat", date, &la) ||
      !sw_attrs_get_number(at, id, "lon", date, &lo) || !(fabs(la) <= 90) ||
      !(fabs(lo) <= 180))
    return false;
  p->lat_deg = la;
  p->lon_deg = lo;
  return true;
}

static sw_status universe(sw_audit *a, finder *f, sw_error *err) {
  size_t n =
      a->regions ? sw_regions_count(a->regions) : sw_attrs_n_regions(a->attrs);
  if (n >= AUDIT_NO_REGION)
    return sw__err(err, SW_E_RANGE, "too many regions: %zu", n);
  a->region_ids = sw__calloc(n ? n : 1, sizeof *a->region_ids);
  a->region_points = sw__calloc(n ? n : 1, sizeof *a->region_points);
  if (!a->region_ids || !a->region_points)
    return sw__err(err, SW_E_NOMEM, "out of memory");
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    const char *id = a->regions ? sw_regions_id(a->regions, i)
                                : sw_attrs_region(a->attrs, i);
    sw_point p;
    if (!attr_point(a->attrs, id, a->date_min, &p)) {
      if (!a->regions) continue; /* no place: not in the universe */
      p = sw_regions_centroid(a->regions, i);
    }
    if (!a->regions &&
        sw__strmap_put(f->ids, id, strlen(id), m, NULL, NULL) < 0)
      return sw__err(err, SW_E_NOMEM, "out of memory");
    a->region_ids[m] = id;
    a->region_points[m++] = p;
  }
  a->n_regions = m;
  if (m < 2)
    return sw__err(err, SW_E_SCHEMA,
                   "fewer than two regions to choose between (%zu)%s", m,
                   a->regions ? ""
                              : "; without --regions, attributes must "
                                "give each region lat and lon");
  size_t k = a->o.n_covariates, cells;
  if (!sw__mul_size(m, k ? k : 1, &cells) ||
      !(a->covariates = sw__calloc(cells, sizeof *a->covariates)))
    return sw__err(err, SW_E_NOMEM, "out of memory");
  for (size_t j = 0; j < m; j++)
    for (size_t c = 0; c < k; c++) {
      const char *name = a->o.covariates[c];
      if (!sw_attrs_get_number(a->attrs, a->region_ids[j], name, a->date_min,
                               &a->covariates[j * k + c])) {
        char day[16];
        sw_date_format(a->date_min, day, sizeof day);
        sw__err(err, SW_E_SCHEMA,
                "region \"%s\" has no numeric value of covariate \"%s\" on %s",
                a->region_ids[j], name, day);
        sw__err_at(err, a->o.attrs_path, 0, name, 0);
        return SW_E_SCHEMA;
      }
    }
  return SW_OK;
}

static sw_status facility_of(sw_audit *a, sw_strmap *fm, const sw_record *r,
                             size_t *cap, uint32_t *out, sw_error *err) {
  char coords[64];
  const char *name = r->facility;
  if (!name) {
    snprintf(coords, sizeof coords, "%.6f,%.6f", r->origin.lat_deg,
             r->origin.lon_deg);
    name = coords;
  }
  size_t len = strlen(name), idx;
  int put = sw__strmap_put(fm, name, len, a->n_facilities, &idx, NULL);
  if (put < 0) return sw__err(err, SW_E_NOMEM, "out of memory");
  if (put == 0) {
    sw_point p = a->facility_points[idx];
    if (p.lat_deg != r->origin.lat_deg || p.lon_deg != r->origin.lon_deg)
      a->facility_moved++;
    *out = (uint32_t)idx;
    return SW_OK;
  }
  if (!sw__grow((void **)&a->facility_points, cap, a->n_facilities + 1,
                sizeof *a->facility_points))
    return sw__err(err, SW_E_NOMEM, "out of memory");
  size_t name_cap = *cap;
  char **names = sw__realloc(a->facility_names, name_cap * sizeof *names);
  if (!names) return sw__err(err, SW_E_NOMEM, "out of memory");
  a->facility_names = names;
  if (!(names[a->n_facilities] = sw__strdup(name)))
    return sw__err(err, SW_E_NOMEM, "out of memory");
  a->facility_points[a->n_facilities] = r->origin;
  *out = (uint32_t)a->n_facilities++;
  return SW_OK;
}

static sw_status locate(sw_audit *a, const finder *f, const sw_index *ix,
                        sw_error *err) {
  size_t n = sw_records_count(a->records);
  a->rec = sw__malloc(n * sizeof *a->rec);
  a->chosen = sw__malloc(n * sizeof *a->chosen);
  a->facility = sw__malloc(n * sizeof *a->facility);
  a->ties = sw__malloc(n * sizeof *a->ties);
  a->ties_region = sw__malloc(n * sizeof *a->ties_region);
  a->date = sw__malloc(n * sizeof *a->date);
  sw_strmap *fm = sw__strmap_new();
  if (!a->rec || !a->chosen || !a->facility || !a->ties || !a->ties_region ||
      !a->date || !fm) {
    sw__strmap_free(fm);
    return sw__err(err, SW_E_NOMEM, "out of memory");
  }
  size_t cap = 0, m = 0;
  sw_status st = SW_OK;
  for (size_t i = 0; i < n && !st; i++) {
    sw_record r;
    sw_records_get(a->records, i, &r);
    a->people += r.count;
    if (r.count != 1 && !a->weight) {
      /* The first row of more than one person: the records before it,
       * located or not, were one each. */
      if (!(a->weight = sw__malloc(n * sizeof *a->weight))) {
        st = sw__err(err, SW_E_NOMEM, "out of memory");
        break;
      }
      for (size_t k = 0; k < m; k++)
        a->weight[k] = 1;
    }
    uint32_t rel = AUDIT_NO_REGION;
    if (r.release_region)
      rel = find(f, r.release_region);
    else if (ix && !isnan(r.release.lat_deg)) {
      size_t k = sw_index_locate(ix, r.release, NULL);
      if (k != SW_NO_REGION) rel = (uint32_t)k;
    }
    if (rel == AUDIT_NO_REGION) {
      a->unassigned++;
      continue;
    }
    sw_point tp = r.ties;
    uint32_t tr = find(f, r.ties_region);
    if (isnan(tp.lat_deg) || isnan(tp.lon_deg)) {
      tp = tr != AUDIT_NO_REGION ? a->region_points[tr] : (sw_point){NAN, NAN};
    } else if (!r.ties_region && ix) {
      size_t k = sw_index_locate(ix, tp, NULL);
      if (k != SW_NO_REGION) tr = (uint32_t)k;
    }
    a->ties_region[m] = tr;
    a->rec[m] = i;
    a->chosen[m] = rel;
    a->ties[m] = tp;
    a->date[m] = r.date;
    if (a->weight) a->weight[m] = r.count;
    a->people_located += r.count;
    st = facility_of(a, fm, &r, &cap, &a->facility[m], err);
    m++;
  }
  sw__strmap_free(fm);
  a->n_located = m;
  if (!st && !m)
    st = sw__err(err, SW_E_SCHEMA,
                 "no record could be placed in a region (%llu unassigned)%s",
                 (unsigned long long)a->unassigned,
                 a->regions ? ""
                            : "; without --regions, records must name "
                              "their release_region");
  return st;
}

sw_status sw__audit_geography(sw_audit *a, sw_error *err) {
  size_t n = sw_records_count(a->records);
  if (!n)
    return sw__err(err, SW_E_SCHEMA, "no record accepted in %s",
                   a->o.records_path);
  a->date_min = INT32_MAX;
  a->date_max = INT32_MIN;
  for (size_t i = 0; i < n; i++) {
    sw_record r;
    sw_records_get(a->records, i, &r);
    if (r.date < a->date_min) a->date_min = r.date;
    if (r.date > a->date_max) a->date_max = r.date;
  }
  finder f = {a->regions, NULL};
  sw_index *ix = NULL;
  sw_status st = SW_OK;
  if (!a->regions && !(f.ids = sw__strmap_new()))
    return sw__err(err, SW_E_NOMEM, "out of memory");
  if (!(st = universe(a, &f, err)) && a->regions)
    st = sw_index_build(a->regions, &ix, err);
  if (!st) st = locate(a, &f, ix, err);
  /* SPEC: every region by default up to 1,000 of them, else K = 100. */
  a->alternatives = a->o.alternatives;
  if (!a->o.alternatives_set && a->n_regions > 1000) {
    a->alternatives = 100;
    a->alternatives_defaulted = true;
  }
  if (a->alternatives >= a->n_regions - 1) a->alternatives = 0;
  sw_index_free(ix);
  sw__strmap_free(f.ids);
  return st;
}
