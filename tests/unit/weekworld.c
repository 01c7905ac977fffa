/*
 * weekworld.c — simulated weekly series that break the change-point
 * model's assumptions (see weekworld.h).
 */
#include "weekworld.h"

#include <math.h>
#include <string.h>

#include "rng.h"

#define TWO_PI 6.283185307179586
/* A year in weeks, so that a yearly wave does not line up with weeks. */
#define YEAR_WEEKS 52.1775
/* Above this many loads a week, the normal law with the exact moments is
 * as good as drawing them one by one, and a million records stay cheap. */
#define EXACT_LOADS 1000
/* Midpoints per uniform component when averaging over null probabilities. */
#define QUAD 64
/* 2019-01-07, a Monday: the first week of every series. */
#define FIRST_MONDAY 17903

static double unif(uint64_t *s) {
  return (double)(sw__splitmix64(s) >> 11) * 0x1.0p-53;
}

static double normal(uint64_t *s) {
  double u = unif(s), v = unif(s);
  return sqrt(-2.0 * log(1.0 - u)) * cos(TWO_PI * v);
}

/* The null probabilities: a mixture of uniform components, as weight and
 * range. Ties-driven: 45% of people have ties in the target and land
 * there with probability about 0.9, the rest with about 0.07. */
typedef struct component {
  double weight, lo, hi;
} component;

static const component TIES[] = {{0.45, 0.85, 0.95}, {0.55, 0.02, 0.12}};
static const component SPREAD[] = {{1.0, 0.2, 0.5}};

static double null_p(const ww_world *w, uint64_t *s) {
  const component *c = w->ties_driven ? TIES : SPREAD;
  if (w->ties_driven && unif(s) >= c[0].weight) c++;
  return c->lo + (c->hi - c->lo) * unif(s);
}

/* The chance of the target when the odds are r times the null's. */
static double tilt(double p, double r) { return p * r / (1.0 - p + p * r); }

/* Means over the null probabilities of p, p(1-p), pi and pi(1-pi), pi the
 * tilted probability: what n records contribute per record. */
static void moments(const ww_world *w, double r, double m[4]) {
  const component *c = w->ties_driven ? TIES : SPREAD;
  size_t nc = w->ties_driven ? 2 : 1;
  memset(m, 0, 4 * sizeof *m);
  for (size_t i = 0; i < nc; i++)
    for (int q = 0; q < QUAD; q++) {
      double p = c[i].lo + (c[i].hi - c[i].lo) * (q + 0.5) / QUAD;
      double pi = tilt(p, r), f = c[i].weight / QUAD;
      m[0] += f * p;
      m[1] += f * p * (1 - p);
      m[2] += f * pi;
      m[3] += f * pi * (1 - pi);
    }
}

/* A load's size: geometric on 1, 2, ... with the given mean. */
static uint64_t load_size(double mean, uint64_t *s) {
  if (mean <= 1.0) return 1;
  return 1 + (uint64_t)floor(log(1.0 - unif(s)) / log(1.0 - 1.0 / mean));
}

void ww_draw(const ww_world *w, uint64_t *rng, sw_week *out) {
  double per_week = (double)w->n_records / (double)w->n_weeks;
  double phase = TWO_PI * unif(rng), misfit = w->misfit_sd * normal(rng);
  double L = w->load_mean > 1.0 ? w->load_mean : 1.0;
  double change = w->change > 0 ? w->change : 1.0;
  for (size_t t = 0; t < w->n_weeks; t++) {
    sw_week *k = &out[t];
    memset(k, 0, sizeof *k);
    k->start = FIRST_MONDAY + 7 * (int32_t)t;
    if (t > 0)
      misfit =
          w->misfit_rho * misfit +
          sqrt(1 - w->misfit_rho * w->misfit_rho) * w->misfit_sd * normal(rng);
    double year = TWO_PI * (double)t / YEAR_WEEKS;
    double r0 = exp(misfit) *
                (1 + w->drift * ((double)t / (double)(w->n_weeks - 1) - 0.5)) *
                (1 + w->wave * sin(year + phase));
    /* Share of the week's records after the change. */
    double after = t < w->change_week   ? 0.0
                   : t > w->change_week ? 1.0
                                        : (7.0 - w->change_day) / 7.0;
    double n = per_week * (1 + w->season * sin(year + 2 * phase));
    uint64_t records = (uint64_t)floor(n + unif(rng));
    k->n = records;
    if ((double)records / L > EXACT_LOADS) {
      double m[4], m1[4];
      moments(w, r0, m);
      moments(w, r0 * change, m1);
      for (int i = 2; i < 4; i++)
        m[i] = (1 - after) * m[i] + after * m1[i];
      double nr = (double)records;
      /* Given the null probabilities, a load of s people adds s^2 pi(1-pi)
       * to the variance; geometric sizes have E s^2 = 2L^2 - L. */
      double var = nr / L * (2 * L * L - L) * m[3];
      double o = nr * m[2] + sqrt(var) * normal(rng);
      k->observed = o > 0 ? (uint64_t)llround(o) : 0;
      k->expected = nr * m[0];
      k->variance = nr * m[1];
    } else {
      for (uint64_t left = records; left > 0;) {
        uint64_t s = load_size(L, rng);
        if (s > left) s = left;
        left -= s;
        double p = null_p(w, rng);
        double r = after > 0 && unif(rng) < after ? r0 * change : r0;
        if (unif(rng) < tilt(p, r)) k->observed += s;
        k->expected += (double)s * p;
        k->variance += (double)s * p * (1 - p);
      }
    }
    k->excess = (double)k->observed - k->expected;
  }
}

int32_t ww_change_date(const ww_world *w) {
  return FIRST_MONDAY + 7 * (int32_t)w->change_week + (int32_t)w->change_day;
}

/* Worlds without a change in which the null model is right on average
 * but its weekly counts are not Poisson: binomial records spread over
 * 0.2..0.5 or near 0 and 1 (ties), people moving in loads of 8 or 20,
 * a yearly wave in volume, a null model whose error wanders from week to
 * week with some memory. */
const ww_world ww_no_change[WW_NO_CHANGE] = {
    {.n_weeks = 104},
    {.n_weeks = 104, .ties_driven = true, .season = 0.3, .load_mean = 8},
    {.n_weeks = 104, .season = 0.4, .load_mean = 20},
    {.n_weeks = 104,
     .season = 0.3,
     .load_mean = 3,
     .misfit_sd = 0.03,
     .misfit_rho = 0.3},
    {.n_weeks = 52, .ties_driven = true, .misfit_sd = 0.02, .misfit_rho = 0.3},
    {.n_weeks = 104,
     .ties_driven = true,
     .season = 0.3,
     .misfit_sd = 0.05,
     .misfit_rho = 0.5},
};
