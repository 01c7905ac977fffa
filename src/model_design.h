/*
 * model_design.h — the audit's design provider (model_design.c): the
 * geography features (distance terms from the facility and from ties, the
 * target indicator, the covariates) for the choice model, record by
 * record. Internal: the public API reaches it through the audit.
 */
#ifndef SW_MODEL_DESIGN_H
#define SW_MODEL_DESIGN_H

#include "steerwatch.h"

/* A design provider for the audit's geography. Opaque; immutable once
 *  built, so it may serve many threads. */
typedef struct sw_geo_design sw_geo_design;

/* Knots of the spline distance terms, in km, and their unit: each place's
 *  distance d enters as log1p(min(d, 50)), then its km in each band,
 *  50-200, 200-800 and past 800, over 100
 *  (docs/design/within-region.md). */
#define SW_GEO_N_KNOTS 3
extern const double sw__geo_knots_km[SW_GEO_N_KNOTS];
#define SW_GEO_UNIT_KM 100.0

/* The geography of an audit, from which sw_geo_design derives the
 *  features log1p_km_origin, log1p_km_ties, target, then the covariates
 *  (SPEC's fixed definitions); with spline, the origin's and the ties'
 *  spline terms (origin_log1p_km_to50, origin_100km_50to200,
 *  origin_100km_200to800, origin_100km_past800, then ties_log1p_km_to50 ...)
 *  take the place of the two log1p_km terms. A record
 *  without ties has all its ties terms 0, constant over its alternatives,
 *  so they drop out of its likelihood. Zero-initialise, then set. All
 *  arrays are borrowed and must outlive the sw_geo_design built from
 *  them. */
typedef struct sw_geo_spec {
  size_t n_records;
  const uint32_t *origin;  /* per record: index into origins */
  const sw_point *origins; /* origin places (facilities) */
  size_t n_origins;
  const sw_point *ties;   /* per record ties place, NaN latitude
                               when none; NULL: no record has ties */
  const uint32_t *chosen; /* per record: chosen region index */
  const uint32_t *period; /* per record: row of target; NULL: 0 */
  size_t n_regions;
  const sw_point *region_points; /* representative point per region */
  const uint8_t *target;         /* n_periods x n_regions, row-major:
                                      T_j (0/1) in each period */
  size_t n_periods;
  size_t n_covariates;
  const double *covariates; /* n_regions x n_covariates */
  const char *const *covariate_names;
  size_t n_sampled;        /* 0: every region is an alternative;
                                K: the chosen region plus K others
                                drawn uniformly without replacement */
  uint64_t seed;           /* keys the draws, with the record */
  const uint32_t *cluster; /* per record cluster id, or NULL */
  size_t n_clusters;
  const double *weight; /* per record frequency weight, or NULL (one) */
  /* NULL, or a design over the same origins and region points (the same
   *  arrays), e.g. of all the records of which these are a subset: its
   *  unit vectors and distance tables are borrowed, not recomputed. It
   *  must outlive this design. */
  const sw_geo_design *share;
  bool spline; /* the spline distance terms rather than SPEC's log1p_km */
} sw_geo_spec;

/* The index of the target feature in a design built from spec: after the
 *  2 (log1p) or 2 (1 + SW_GEO_N_KNOTS) (spline) distance terms. */
size_t sw__geo_target_feature(const sw_geo_spec *spec);

/* Check the spec and precompute what every pass reuses: unit vectors of
 *  every place, and the origin-to-region log-distance table when it is
 *  small (origins x regions <= 4M). SW_E_USAGE on inconsistent sizes or an
 *  index out of range. Free with sw__geo_design_free. */
sw_status sw__geo_design_new(const sw_geo_spec *spec, sw_geo_design **out,
                             sw_error *err);

/* The design to pass to sw_model_fit / sw_model_predict; borrowed, lives
 *  as long as g. */
const sw_design *sw__geo_design_get(const sw_geo_design *g);

/* Set omit[k] for each distance term of g that is 0 for every record and
 *  alternative, so has nothing to estimate: the ties terms when no record
 *  has ties, and a spline band's term when no distance reaches the band
 *  (a small state has no pair of places 800 km apart). Other flags are
 *  left as they are. */
void sw__geo_design_flat(const sw_geo_design *g, bool *omit);

/* Free a design; NULL is fine. */
void sw__geo_design_free(sw_geo_design *g);

#endif
