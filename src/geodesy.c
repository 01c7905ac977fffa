/*
 * geodesy.c — great-circle distance, SPEC's fixed definition of distance
 * used by the choice model's features and the displacement figures.
 */
#include <math.h>

#include "steerwatch.h"

#define EARTH_RADIUS_KM 6371.0088 /* IUGG mean radius, as SPEC fixes it */
#define DEG_TO_RAD (3.14159265358979323846 / 180.0)

/* The haversine form stays accurate for the short distances most
 * placements have, where the spherical law of cosines loses digits. */
double sw_haversine_km(sw_point a, sw_point b) {
  double phi1 = a.lat_deg * DEG_TO_RAD, phi2 = b.lat_deg * DEG_TO_RAD;
  double dphi = phi2 - phi1;
  double dlam = (b.lon_deg - a.lon_deg) * DEG_TO_RAD;
  double s1 = sin(dphi * 0.5), s2 = sin(dlam * 0.5);
  double h = s1 * s1 + cos(phi1) * cos(phi2) * s2 * s2;
  if (h > 1.0) h = 1.0;
  return 2.0 * EARTH_RADIUS_KM * asin(sqrt(h));
}
