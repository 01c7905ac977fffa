/*
 * timing_calibration.c — the simulation study behind docs/design/timing.md:
 * false-positive rate of the change-point search on constant series,
 * detection and dating of a single change, coverage of the 95% date
 * interval (against the chi-square(1) threshold it replaced), behaviour on
 * clustered records, the worlds of tests/unit/weekworld.c (false changes,
 * drifts, dating, coverage at 3,000 to 1,000,000 records), and run time on
 * long series.
 *
 * Built with the tests (target timing_calibration, so it cannot rot) and
 * run by bench/timing.sh (about a minute on one core).
 * Seeds are fixed, so the numbers in the design note reproduce exactly.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rng.h"
#include "steerwatch.h"
#include "weekworld.h"

static uint64_t rng_state;
static uint64_t rnext(void) { return sw__splitmix64(&rng_state); }
static double runif(void) { return (double)(rnext() >> 11) * 0x1.0p-53; }
static uint64_t rpois(double lambda) {
  uint64_t k = 0;
  while (lambda > 0) {
    double l = lambda > 10 ? 10 : lambda;
    lambda -= l;
    double lim = exp(-l), prod = runif();
    while (prod > lim) {
      k++;
      prod *= runif();
    }
  }
  return k;
}

/* Weekly expected counts uniform on [0.5, 1.5] * mean_e; observed Poisson
 * at rate theta0 before week k0 and theta1 from it on. */
static void sim(sw_week *w, size_t n, double mean_e, double theta0,
                double theta1, size_t k0) {
  for (size_t k = 0; k < n; k++) {
    memset(&w[k], 0, sizeof w[k]);
    w[k].start = 4 + 7 * (int32_t)k;
    w[k].expected = mean_e * (0.5 + runif());
    w[k].variance = w[k].expected;
    w[k].observed = rpois((k < k0 ? theta0 : theta1) * w[k].expected);
  }
}

/* Poisson deviance of weeks [a, b) at their common fitted rate, up to
 * terms that do not depend on the split. */
static double deviance(const sw_week *w, size_t a, size_t b) {
  double o = 0, e = 0;
  for (size_t k = a; k < b; k++) {
    o += (double)w[k].observed;
    e += w[k].expected;
  }
  return o > 0 ? 2 * (o - o * log(o / e)) : 0;
}

static size_t n_changes(const sw_week *w, size_t n, double dispersion,
                        double *phi) {
  sw_changes_opts o = {0, 0, dispersion};
  sw_change_point *cp = NULL;
  size_t nc = 0;
  if (sw_time_changes(w, n, &o, &cp, &nc, phi, NULL) != SW_OK) exit(1);
  sw_time_free(cp);
  return nc;
}

static void false_positives(void) {
  static sw_week w[520];
  const size_t ns[] = {52, 104, 156, 260, 520};
  const double es[] = {2, 5, 20, 100};
  printf("== Constant Poisson series, rate 1.3: share of 1000 series with "
         "any change\n");
  printf("weeks  mean E  estimated phi  (mean phi)  phi fixed at 1\n");
  for (int i = 0; i < 5; i++)
    for (int j = 0; j < 4; j++) {
      rng_state = 1000 + 10 * (uint64_t)i + (uint64_t)j;
      int fp = 0, fp1 = 0;
      double phi_sum = 0, phi;
      for (int r = 0; r < 1000; r++) {
        sim(w, ns[i], es[j], 1.3, 1.3, ns[i]);
        fp += n_changes(w, ns[i], 0, &phi) > 0;
        phi_sum += phi;
        fp1 += n_changes(w, ns[i], 1, NULL) > 0;
      }
      printf("%5zu  %6.0f  %13.3f  (%8.2f)  %14.3f\n", ns[i], es[j], fp / 1e3,
             phi_sum / 1e3, fp1 / 1e3);
    }
}

/* Records with target probability p in [0.5, 0.9]: binomial counts, less
 * variable than Poisson. */
static void binomial_records(void) {
  static int32_t d[104 * 60];
  static uint8_t in[104 * 60];
  static double p[104 * 60];
  rng_state = 77;
  int fp = 0;
  double phi_sum = 0, phi;
  for (int r = 0; r < 500; r++) {
    size_t n = 0;
    for (int k = 0; k < 104; k++)
      for (int i = 0; i < 60; i++, n++) {
        d[n] = 4 + 7 * k + (int32_t)(rnext() % 7);
        p[n] = 0.5 + 0.4 * runif();
        in[n] = runif() < p[n];
      }
    sw_week *w = NULL;
    size_t nw = 0;
    if (sw_time_weekly(d, in, p, n, &w, &nw, NULL) != SW_OK) exit(1);
    fp += n_changes(w, nw, 0, &phi) > 0;
    phi_sum += phi;
    sw_time_free(w);
  }
  printf("\n== Bernoulli records, p in [0.5, 0.9], 60 a week, 104 weeks, "
         "500 series\nany change %.3f, mean phi %.3f (sum p(1-p)/sum p = "
         "%.3f)\n",
         fp / 500.0, phi_sum / 500, 1 - 0.7 - 0.4 * 0.4 / 12 / 0.7);
}

/* Bus loads: 8 loads a week of 1..20 people, each load wholly in or out of
 * the target. Either a load's people share a day, or (straddle) each has
 * its own day in a 7-day span that crosses a week boundary, which makes
 * neighbouring weeks correlated. */
static void clustered(void) {
  static int32_t d[104 * 8 * 20];
  static uint8_t in[104 * 8 * 20];
  static double p[104 * 8 * 20];
  printf("\n== Bus loads, 104 weeks, 500 series each\n");
  for (int straddle = 0; straddle < 2; straddle++)
    for (int shift = 0; shift < 2; shift++) {
      rng_state = 5 + (uint64_t)shift + 10 * (uint64_t)straddle;
      int any = 0, any1 = 0, near = 0;
      double phi_sum = 0, phi;
      for (int r = 0; r < 500; r++) {
        size_t n = 0;
        for (int wk = 0; wk < 104; wk++)
          for (int load = 0; load < 8; load++) {
            int size = 1 + (int)(rnext() % 20);
            double share = shift && wk >= 52 ? 0.6 : 0.3;
            uint8_t hit = runif() < share;
            int32_t day = 7 * wk + (int32_t)(rnext() % 7);
            for (int i = 0; i < size; i++, n++) {
              d[n] = straddle ? 7 * wk + (int32_t)(rnext() % 7) : day;
              in[n] = hit;
              p[n] = 0.3;
            }
          }
        sw_week *w = NULL;
        size_t nw = 0;
        if (sw_time_weekly(d, in, p, n, &w, &nw, NULL) != SW_OK) exit(1);
        sw_changes_opts o = {0};
        sw_change_point *cp = NULL;
        size_t nc = 0;
        if (sw_time_changes(w, nw, &o, &cp, &nc, &phi, NULL) != SW_OK) exit(1);
        phi_sum += phi;
        any += nc > 0;
        for (size_t i = 0; i < nc; i++)
          near += labs((long)(w[cp[i].week].start - (7 * 52)) / 7) <= 4;
        sw_time_free(cp);
        any1 += n_changes(w, nw, 1, NULL) > 0;
        sw_time_free(w);
      }
      printf("%s, %s: any change %.3f (phi fixed at 1: %.3f), a change "
             "within 4 weeks of the truth %.3f, mean phi %.2f\n",
             straddle ? "loads straddle weeks" : "a load on one day",
             shift ? "share 0.3 -> 0.6 at week 52" : "no change", any / 500.0,
             any1 / 500.0, near / 500.0, phi_sum / 500);
    }
}

static void detection_and_coverage(void) {
  static sw_week w[104];
  const double shifts[] = {1.15, 1.25, 1.35, 1.5, 1.6, 2.0};
  const double chi2 = 3.841458820694124;
  printf("\n== One change at week 52 of 104, mean E 20, 500 series each\n");
  printf("rate ratio  found(+-10wk)  only one  mean|err|wk  cover(7.35)  "
         "width  cover(3.84)  width\n");
  for (int s = 0; s < 6; s++) {
    rng_state = 500 + (uint64_t)s;
    int found = 0, one = 0, cov = 0, cov_chi2 = 0;
    double width = 0, width_chi2 = 0, err = 0;
    for (int r = 0; r < 500; r++) {
      sim(w, 104, 20, 1.0, shifts[s], 52);
      sw_change_point *cp = NULL;
      size_t nc = 0;
      double phi;
      if (sw_time_changes(w, 104, NULL, &cp, &nc, &phi, NULL) != SW_OK) exit(1);
      one += nc == 1;
      long best = -1;
      for (size_t i = 0; i < nc; i++)
        if (best < 0 ||
            labs((long)cp[i].week - 52) < labs((long)cp[best].week - 52))
          best = (long)i;
      if (best >= 0 && labs((long)cp[best].week - 52) <= 10) {
        const sw_change_point *c = &cp[best];
        found++;
        err += (double)labs((long)c->week - 52);
        cov += c->ci95_from <= w[52].start && w[52].start <= c->ci95_to;
        width += (c->ci95_to - c->ci95_from) / 7 + 1;
        /* The same profile deviance with chi-square(1)'s threshold. */
        size_t a = best ? cp[best - 1].week : 0;
        size_t b = (size_t)best + 1 < nc ? cp[best + 1].week : 104;
        double mn = INFINITY;
        for (size_t u = a + 4; u + 4 <= b; u++) {
          double v = (deviance(w, a, u) + deviance(w, u, b)) / phi;
          if (v < mn) mn = v;
        }
        size_t lo = c->week, hi = c->week;
        for (size_t u = a + 4; u + 4 <= b; u++)
          if ((deviance(w, a, u) + deviance(w, u, b)) / phi <= mn + chi2) {
            if (u < lo) lo = u;
            if (u > hi) hi = u;
          }
        cov_chi2 += lo <= 52 && 52 <= hi;
        width_chi2 += (double)(hi - lo + 1);
      }
      sw_time_free(cp);
    }
    double f = found ? found : 1;
    printf("%10.2f  %13.3f  %8.3f  %11.2f  %11.3f  %5.1f  %11.3f  %5.1f\n",
           shifts[s], found / 500.0, one / 500.0, err / f, cov / f, width / f,
           cov_chi2 / f, width_chi2 / f);
  }
}

/* Changes found with the defaults; *notable (may be NULL) says whether
 * any is a finding. */
static size_t count_changes(const sw_week *w, size_t n, bool *notable) {
  sw_change_point *cp = NULL;
  size_t nc = 0;
  if (sw_time_changes(w, n, NULL, &cp, &nc, NULL, NULL) != SW_OK) exit(1);
  for (size_t i = 0; notable && i < nc; i++)
    *notable |= cp[i].notable;
  sw_time_free(cp);
  return nc;
}

/* The claims of issue 15 on the worlds of tests/unit/weekworld.c, with
 * more series than the unit tests run: false changes in worlds without
 * one, notable changes in drifting worlds, dating at 20,000 records and
 * coverage of the interval for the day. */
static void worlds(void) {
  static const ww_world drifting[] = {
      {.n_weeks = 104, .misfit_sd = 0.01, .misfit_rho = 0.3, .drift = 0.04},
      {.n_weeks = 104, .ties_driven = true, .load_mean = 3, .wave = 0.03},
      {.n_weeks = 104, .season = 0.3, .misfit_sd = 0.02, .misfit_rho = 0.8},
  };
  const size_t sizes[] = {3000, 20000, 200000, 1000000};
  static sw_week w[104];
  printf("\n== Worlds without a change, 500 series per cell: share with any "
         "change\nworld   3,000   20,000  200,000  1,000,000\n");
  for (size_t wi = 0; wi < WW_NO_CHANGE; wi++) {
    printf("%5zu", wi);
    for (size_t si = 0; si < 4; si++) {
      uint64_t rng = 3000 + 10 * wi + si;
      int any = 0;
      for (int r = 0; r < 500; r++) {
        ww_world x = ww_no_change[wi];
        x.n_records = sizes[si];
        ww_draw(&x, &rng, w);
        any += count_changes(w, x.n_weeks, NULL) > 0;
      }
      printf("  %7.3f", any / 500.0);
    }
    printf("\n");
  }
  printf("\n== Drifting worlds, 500 series per cell: any change / a notable "
         "one\n");
  for (size_t wi = 0; wi < 3; wi++) {
    printf("%5zu", wi);
    for (size_t si = 0; si < 4; si++) {
      uint64_t rng = 4000 + 10 * wi + si;
      int any = 0, notable = 0;
      for (int r = 0; r < 500; r++) {
        ww_world x = drifting[wi];
        x.n_records = sizes[si];
        ww_draw(&x, &rng, w);
        bool nb = false;
        any += count_changes(w, 104, &nb) > 0;
        notable += nb;
      }
      printf("  %.3f/%.3f", any / 500.0, notable / 500.0);
    }
    printf("\n");
  }
  printf("\n== One change on a random day of weeks 30..73, 500 series each: "
         "nearest change within 30 days and notable; coverage of its "
         "interval; mean width\n");
  static const struct {
    size_t n;
    double change;
    ww_world w;
  } moved[] = {
      {20000, 1.5, {.n_weeks = 104}},
      {20000,
       1.5,
       {.n_weeks = 104,
        .season = 0.3,
        .load_mean = 3,
        .misfit_sd = 0.03,
        .misfit_rho = 0.3}},
      {20000,
       1.5,
       {.n_weeks = 104, .misfit_sd = 0.01, .misfit_rho = 0.3, .drift = 0.04}},
      {20000, 1.3, {.n_weeks = 104}},
      {200000,
       1.15,
       {.n_weeks = 104,
        .season = 0.3,
        .load_mean = 3,
        .misfit_sd = 0.03,
        .misfit_rho = 0.3}},
      {20000, 1.6, {.n_weeks = 104, .ties_driven = true, .misfit_sd = 0.02}},
  };
  for (size_t i = 0; i < 6; i++) {
    uint64_t rng = 5000 + i;
    int dated = 0, found = 0, covered = 0;
    double width = 0;
    for (int r = 0; r < 500; r++) {
      ww_world x = moved[i].w;
      x.n_records = moved[i].n;
      x.change = moved[i].change;
      x.change_week = 30 + (size_t)r % 44;
      x.change_day = (unsigned)(r % 7);
      ww_draw(&x, &rng, w);
      int32_t truth = ww_change_date(&x);
      sw_change_point *cp = NULL;
      size_t nc = 0;
      if (sw_time_changes(w, 104, NULL, &cp, &nc, NULL, NULL) != SW_OK) exit(1);
      size_t best = nc;
      for (size_t k = 0; k < nc; k++)
        if (best == nc ||
            labs((long)cp[k].date - truth) < labs((long)cp[best].date - truth))
          best = k;
      if (best < nc) {
        found++;
        dated += labs((long)cp[best].date - truth) <= 30 && cp[best].notable;
        covered += cp[best].ci95_from <= truth && truth <= cp[best].ci95_to;
        width += cp[best].ci95_to - cp[best].ci95_from + 1;
      }
      sw_time_free(cp);
    }
    printf("%7zu records, odds x%.2f, case %zu: dated %.3f, coverage %.3f "
           "of %d found, width %.0f days\n",
           moved[i].n, moved[i].change, i, dated / 500.0,
           found ? (double)covered / found : NAN, found,
           found ? width / found : NAN);
  }
}

static void speed(void) {
  static sw_week w[60000];
  const size_t ns[] = {1000, 10000, 60000};
  printf("\n== Run time, a change every 50 weeks, E = 20\n");
  for (int i = 0; i < 3; i++) {
    rng_state = 9;
    for (size_t k = 0; k < ns[i]; k++) {
      memset(&w[k], 0, sizeof w[k]);
      w[k].start = 4 + 7 * (int32_t)k;
      w[k].expected = 20;
      w[k].observed = rpois(((k / 50) % 2 ? 1.5 : 1.0) * 20);
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t nc = n_changes(w, ns[i], 0, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%zu weeks: %zu changes in %.1f ms\n", ns[i], nc,
           (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
               (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
  }
}

int main(void) {
  false_positives();
  binomial_records();
  clustered();
  detection_and_coverage();
  worlds();
  speed();
  return 0;
}
