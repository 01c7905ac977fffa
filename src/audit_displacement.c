/*
 * audit_displacement.c — SPEC's displacement rule, run after the records
 * are located: a record is placed away from its ties when its release
 * region differs from its ties region and the release place lies more than
 * --ties-km from the ties place. Places are the record's coordinates, or
 * its region's representative point when it names a region only.
 *
 * Extra distance = max(0, km(origin, release) - km(origin, ties)). Extra
 * cost = --cost-per-km x extra km when given, else the record's own cost
 * scaled by extra km / km(origin, release) (the share of the trip's
 * distance that the detour added, assuming cost proportional to distance),
 * else unknown.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "alloc.h"
#include "audit_state.h"
#include "err.h"
#include "number.h"

/* A flagged record's distance from ties and the people it stands for. */
typedef struct km_people {
  double km;
  uint64_t people;
} km_people;

static int cmp_km(const void *x, const void *y) {
  double a = ((const km_people *)x)->km, b = ((const km_people *)y)->km;
  return (a > b) - (a < b);
}

/* The km of the 0-based position at of the flagged people in km order. */
static double km_at(const km_people *v, uint64_t at) {
  size_t i = 0;
  while (at >= v[i].people)
    at -= v[i++].people;
  return v[i].km;
}

sw_status sw__audit_displacement(sw_audit *a, sw_error *err) {
  size_t cap = 0;
  a->extra_km_total = a->extra_cost_total = 0;
  bool any_cost = false;
  for (size_t k = 0; k < a->n_located; k++) {
    if (isnan(a->ties[k].lat_deg)) continue;
    sw_record r;
    sw_records_get(a->records, a->rec[k], &r);
    uint32_t tr = a->ties_region[k];
    if (tr == AUDIT_NO_REGION) continue;
    uint64_t c = sw__audit_people(a, k);
    a->ties_known += c;
    uint32_t rr = a->chosen[k];
    if (tr == rr) continue;
    sw_point rel = isnan(r.release.lat_deg) ? a->region_points[rr] : r.release;
    double km = sw_haversine_km(rel, a->ties[k]);
    if (!(km > a->o.ties_km)) continue;
    sw_point org = r.origin;
    double to_rel = sw_haversine_km(org, rel);
    double extra = fmax(0, to_rel - sw_haversine_km(org, a->ties[k]));
    double cost = NAN;
    if (a->o.cost_per_km > 0)
      cost = a->o.cost_per_km * extra;
    else if (!isnan(r.cost))
      cost = to_rel > 0 ? r.cost * extra / to_rel : 0;
    if (!sw__grow((void **)&a->flags, &cap, a->n_flags + 1, sizeof *a->flags))
      return sw__err(err, SW_E_NOMEM, "out of memory");
    a->flags[a->n_flags++] =
        (audit_flag){a->rec[k], a->facility[k], rr, tr, km, extra, cost, c};
    a->flagged_people += c;
    a->extra_km_total += (double)c * extra;
    if (!isnan(cost)) {
      a->extra_cost_total += (double)c * cost;
      any_cost = true;
    }
  }
  if (!any_cost) a->extra_cost_total = NAN;
  a->median_km_from_ties = NAN;
  if (a->n_flags) {
    /* The median over people: a row of c people is c equal distances. */
    km_people *v = sw__malloc(a->n_flags * sizeof *v);
    if (!v) return sw__err(err, SW_E_NOMEM, "out of memory");
    for (size_t i = 0; i < a->n_flags; i++)
      v[i] = (km_people){a->flags[i].km_from_ties, a->flags[i].people};
    qsort(v, a->n_flags, sizeof *v, cmp_km);
    uint64_t n = a->flagged_people, h = n / 2;
    a->median_km_from_ties =
        n % 2 ? km_at(v, h) : (km_at(v, h - 1) + km_at(v, h)) / 2;
    sw__free(v);
  }
  return SW_OK;
}

/* The rule's own words, shared by flagged.csv and the report page. */
void sw__audit_flag_reason(const sw_audit *a, const audit_flag *fl, char *buf,
                           size_t n) {
  char km[SW_FIXED_MAX];
  sw__fmt_fixed(fl->km_from_ties, 0, km);
  snprintf(buf, n,
           "released in another region than ties, %s km from ties (over %g "
           "km)",
           km, a->o.ties_km);
}
