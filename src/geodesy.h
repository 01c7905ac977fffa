/*
 * geodesy.h — SPEC's one definition of distance: the great circle on a
 * sphere of radius 6371.0088 km. sw_haversine_km (geodesy.c) measures a
 * single pair; the choice model's design (model_design.c) and the
 * simulator (simulate_draw.c), which measure millions of pairs, go through
 * unit vectors with the inline helpers here.
 *
 * On the unit sphere the chord between u and v is |u - v| = 2 sin(theta/2),
 * so the haversine distance is 2 R asin(|u - v| / 2): the same quantity as
 * the textbook formula with no trigonometry per pair.
 */
#ifndef SW_GEODESY_H
#define SW_GEODESY_H

#include <math.h>

#include "steerwatch.h"

#define SW_EARTH_RADIUS_KM 6371.0088 /* IUGG mean radius, as SPEC fixes it */
#define SW_DEG_TO_RAD 0.017453292519943295769

/* The unit vector of p: u[0..2] = x, y, z. */
static inline void sw__unit_vector(sw_point p, double u[3]) {
  double la = p.lat_deg * SW_DEG_TO_RAD, lo = p.lon_deg * SW_DEG_TO_RAD;
  u[0] = cos(la) * cos(lo);
  u[1] = cos(la) * sin(lo);
  u[2] = sin(la);
}

/* Kilometres between two points whose unit vectors are chord2 apart
 * (the squared chord length). */
static inline double sw__chord_km(double chord2) {
  /* Rounding can push antipodal chords a hair past 2. */
  double h = 0.5 * sqrt(chord2);
  return 2 * SW_EARTH_RADIUS_KM * asin(h < 1 ? h : 1);
}

/* ln(1 + km), SPEC's distance feature, without glibc's log1p, which is
 * several times slower than log (measured: 29% of a fit). From 1 km on,
 * rounding 1 + km costs under an ulp of the logarithm; below, Goldberg's
 * identity log(u) * km / (u - 1) restores log1p's accuracy. */
static inline double sw__log1p_km(double km) {
  double u = 1 + km;
  if (km >= 1) return log(u);
  return u == 1 ? km : log(u) * km / (u - 1);
}

#endif
