/*
 * albers.c — the one map projection of the report: an Albers equal-area
 * conic composite for the United States with Alaska and Hawaii as insets,
 * the same numbers as d3.geoAlbersUsa so that maps line up with the
 * us-atlas files users already know.
 *
 * Hand-written rather than taken from PROJ: PROJ's aea gives the same conic
 * (+proj=aea +R=1, see tests/unit/test_report.c), but it would add a large
 * library with a data directory for one fixed formula, and it has no notion
 * of the insets, which are the part that needs care here.
 *
 * Spherical conic (Snyder, Map Projections, eq. 14-1..14-4, as d3 writes
 * it): n = (sin p1 + sin p2) / 2, C = 1 + sin p1 (2n - sin p1),
 * rho(phi) = sqrt(C - 2n sin phi) / n, x = rho sin(n lambda),
 * y = rho(0) - rho cos(n lambda), lambda measured from the central meridian.
 */
#include <math.h>

#include "geodesy.h"
#include "report.h"

typedef struct part {
  double p1, p2;     /* standard parallels, degrees */
  double rotate;     /* added to longitude, degrees */
  double centre_lon; /* projection centre in rotated coordinates */
  double centre_lat;
  double scale;  /* pixels per unit of the unit sphere */
  double tx, ty; /* where the centre lands */
  double box[4]; /* inset box: x0, y0, x1, y1 */
} part;

/* d3.geoAlbersUsa with its defaults: k = 1070, translate (480, 250). */
#define K 1070.0
#define X 480.0
#define Y 250.0
static const part PARTS[3] = {
    /* Lower 48. */
    {.p1 = 29.5,
     .p2 = 45.5,
     .rotate = 96,
     .centre_lon = -0.6,
     .centre_lat = 38.7,
     .scale = K,
     .tx = X,
     .ty = Y,
     .box = {X - 0.455 * K, Y - 0.238 * K, X + 0.455 * K, Y + 0.238 * K}},
    /* Alaska, at 0.35 of the scale, lower left. */
    {.p1 = 55,
     .p2 = 65,
     .rotate = 154,
     .centre_lon = -2,
     .centre_lat = 58.5,
     .scale = 0.35 * K,
     .tx = X - 0.307 * K,
     .ty = Y + 0.201 * K,
     .box = {X - 0.425 * K, Y + 0.120 * K, X - 0.214 * K, Y + 0.234 * K}},
    /* Hawaii, right of Alaska. */
    {.p1 = 8,
     .p2 = 18,
     .rotate = 157,
     .centre_lon = -3,
     .centre_lat = 19.9,
     .scale = K,
     .tx = X - 0.205 * K,
     .ty = Y + 0.212 * K,
     .box = {X - 0.214 * K, Y + 0.166 * K, X - 0.115 * K, Y + 0.234 * K}},
};

static void conic(const part *p, double lambda, double phi, double *x,
                  double *y) {
  double s1 = sin(p->p1 * SW_DEG_TO_RAD);
  double n = (s1 + sin(p->p2 * SW_DEG_TO_RAD)) / 2;
  double c = 1 + s1 * (2 * n - s1);
  double r0 = sqrt(c) / n;
  double r = sqrt(c - 2 * n * sin(phi)) / n;
  *x = r * sin(lambda * n);
  *y = r0 - r * cos(lambda * n);
}

void sw__albers_project(sw_albers_part which, double lon_deg, double lat_deg,
                        double *x, double *y) {
  const part *p = &PARTS[which == SW_ALBERS_NONE ? 0 : which];
  /* Rotation wraps longitude into [-180, 180), which keeps the Aleutians
   * west of the antimeridian next to the rest of Alaska. */
  double lon = fmod(lon_deg + p->rotate + 180.0, 360.0);
  if (lon < 0) lon += 360.0;
  lon -= 180.0;
  double cx, cy, px, py;
  conic(p, p->centre_lon * SW_DEG_TO_RAD, p->centre_lat * SW_DEG_TO_RAD, &cx,
        &cy);
  conic(p, lon * SW_DEG_TO_RAD, lat_deg * SW_DEG_TO_RAD, &px, &py);
  *x = p->tx + p->scale * (px - cx);
  *y = p->ty - p->scale * (py - cy);
}

sw_albers_part sw__albers_part(double lon_deg, double lat_deg) {
  for (int i = 0; i < 3; i++) {
    double x, y;
    sw__albers_project((sw_albers_part)i, lon_deg, lat_deg, &x, &y);
    const double *b = PARTS[i].box;
    if (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3])
      return (sw_albers_part)i;
  }
  return SW_ALBERS_NONE;
}
