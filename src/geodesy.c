/*
 * geodesy.c — the great-circle distance between two points (geodesy.h
 * holds SPEC's definition), for the displacement figures and the
 * simulator's extra cost.
 */
#include <math.h>

#include "geodesy.h"

/* The haversine form stays accurate for the short distances most
 * placements have, where the spherical law of cosines loses digits. */
double sw_haversine_km(sw_point a, sw_point b) {
  double phi1 = a.lat_deg * SW_DEG_TO_RAD, phi2 = b.lat_deg * SW_DEG_TO_RAD;
  double dphi = phi2 - phi1;
  double dlam = (b.lon_deg - a.lon_deg) * SW_DEG_TO_RAD;
  double s1 = sin(dphi * 0.5), s2 = sin(dlam * 0.5);
  double h = s1 * s1 + cos(phi1) * cos(phi2) * s2 * s2;
  if (h > 1.0) h = 1.0;
  return 2.0 * SW_EARTH_RADIUS_KM * asin(sqrt(h));
}
