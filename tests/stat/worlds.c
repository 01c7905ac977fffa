/*
 * worlds.c — simulated worlds for the headline's calibration and power
 * study (within_study.c). Each draws placement records over 60 regions on
 * a grid from 8 facilities, with or without steering, from a world that the
 * audit's model does or does not describe:
 * - SPEC: exactly SPEC's conditional logit (log1p distance decay);
 * - APPEAL: every region has an appeal no column records (normal, SD 0.5
 *   on the utility);
 * - SIZE: larger places pull more people (0.5 x log population) and the
 *   target goes with size;
 * - LINEAR: distance decays linearly in km rather than in log(1 + km).
 * The worlds are the issue's, not the audit's: none is tuned to it.
 */
#include "worlds.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "rng.h"

#define N_REGIONS 60
#define N_FAC 8
#define COLS 10
#define R_KM 6371.0088
#define DAY0 18628 /* 2021-01-01 */
#define SPAN 730

const char *const world_names[N_WORLDS] = {"spec", "appeal", "size", "linear"};

static double km(double la1, double lo1, double la2, double lo2) {
  const double r = 0.017453292519943295;
  double h = pow(sin((la2 - la1) * r / 2), 2) +
             cos(la1 * r) * cos(la2 * r) * pow(sin((lo2 - lo1) * r / 2), 2);
  return 2 * R_KM * asin(sqrt(h));
}

int world_write(const char *dir, world_kind kind, size_t n, double gamma,
                int32_t start, bool membership, uint64_t seed) {
  sw_rng r;
  sw__rng_init(&r, seed, (uint64_t)kind);
  double lat[N_REGIONS], lon[N_REGIONS], appeal[N_REGIONS], pop[N_REGIONS];
  int target[N_REGIONS];
  for (int j = 0; j < N_REGIONS; j++) {
    lat[j] = 35 + 0.8 * (j / COLS);
    lon[j] = -100 + 0.8 * (j % COLS);
    double size = sw__rng_normal(&r);
    pop[j] = exp(11 + size);
    /* In SIZE the target is the larger places, give or take. */
    target[j] = kind == WORLD_SIZE ? size + 0.5 * sw__rng_normal(&r) > 0.4
                                   : sw__rng_uniform(&r) < 0.35;
    appeal[j] = kind == WORLD_APPEAL ? 0.5 * sw__rng_normal(&r)
                : kind == WORLD_SIZE ? 0.5 * size
                                     : 0;
  }
  double flat[N_FAC], flon[N_FAC];
  for (int f = 0; f < N_FAC; f++) {
    flat[f] = 35.3 + 0.45 * f;
    flon[f] = -99.5 + 0.9 * f;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/attrs.csv", dir);
  FILE *a = fopen(path, "w");
  if (!a) return -1;
  char from[16];
  sw_date_format(start, from, sizeof from);
  fprintf(a, "region,attribute,value,valid_from,valid_to\n");
  for (int j = 0; j < N_REGIONS; j++) {
    fprintf(a, "R%02d,lat,%.4f,,\nR%02d,lon,%.4f,,\nR%02d,population,%.0f,,\n",
            j, lat[j], j, lon[j], j, pop[j]);
    if (membership && target[j])
      fprintf(a, "R%02d,sanctuary,no,,%s\nR%02d,sanctuary,yes,%s,\n", j, from,
              j, from);
    else
      fprintf(a, "R%02d,sanctuary,%s,,\n", j, target[j] ? "yes" : "no");
  }
  if (fclose(a)) return -1;
  snprintf(path, sizeof path, "%s/records.csv", dir);
  FILE *o = fopen(path, "w");
  if (!o) return -1;
  fprintf(o, "id,date,origin_lat,origin_lon,release_region,ties_region,"
             "facility\n");
  double v[N_REGIONS];
  for (size_t i = 0; i < n; i++) {
    int32_t d = DAY0 + (int32_t)sw__rng_below(&r, SPAN);
    int f = (int)sw__rng_below(&r, N_FAC);
    int ties =
        sw__rng_uniform(&r) < 0.8 ? (int)sw__rng_below(&r, N_REGIONS) : -1;
    double g = d >= start ? gamma : 0, mx = -INFINITY;
    for (int j = 0; j < N_REGIONS; j++) {
      double ko = km(flat[f], flon[f], lat[j], lon[j]);
      double kt = ties < 0 ? 0 : km(lat[ties], lon[ties], lat[j], lon[j]);
      v[j] = kind == WORLD_LINEAR ? -0.012 * ko - 0.015 * kt
                                  : -1.0 * log1p(ko) - 0.7 * log1p(kt);
      v[j] += appeal[j] + g * target[j];
      if (v[j] > mx) mx = v[j];
    }
    double sum = 0;
    for (int j = 0; j < N_REGIONS; j++)
      sum += v[j] = exp(v[j] - mx);
    double u = sw__rng_uniform(&r) * sum;
    int c = 0;
    while (c < N_REGIONS - 1 && (u -= v[c]) > 0)
      c++;
    char date[16];
    sw_date_format(d, date, sizeof date);
    fprintf(o, "r%zu,%s,%.4f,%.4f,R%02d,", i, date, flat[f], flon[f], c);
    if (ties >= 0) fprintf(o, "R%02d", ties);
    fprintf(o, ",F%d\n", f);
  }
  return fclose(o) ? -1 : 0;
}
