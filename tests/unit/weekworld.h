/*
 * weekworld.h — simulated weekly series for the change-point tests
 * (test_timing.c) and the calibration study (bench/timing_calibration.c).
 *
 * The series are drawn directly as weeks, not as whole audits, so that
 * hundreds of them at up to 1,000,000 records fit in a unit test. Each
 * world breaks one or more assumptions of the change-point model on
 * purpose: records that move in loads (overdispersion), a null model
 * whose error wanders from week to week (misfit, possibly autocorrelated),
 * a yearly wave in volume (seasonality), or a slow drift or seasonal wave
 * in the rate itself. The model says that within a segment the weekly
 * count in the target is (over)dispersed Poisson at a constant multiple of
 * its expectation; none of these worlds quite satisfies it.
 */
#ifndef SW_WEEKWORLD_H
#define SW_WEEKWORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "steerwatch.h"

typedef struct ww_world {
  size_t n_records;    /* over the whole series */
  size_t n_weeks;      /* length of the series */
  bool ties_driven;    /* null probabilities near 0 or 1, as when most people
                          go where their ties are (binomial variance well
                          below Poisson); else spread over 0.2..0.5 */
  double season;       /* amplitude of a yearly wave in weekly volume, 0..1 */
  double load_mean;    /* mean records per load (a bus) that go together,
                          wholly in or out of the target; 1 = independent */
  double misfit_sd;    /* sd of the null model's relative error in a week */
  double misfit_rho;   /* lag-1 autocorrelation of that error (AR(1)) */
  double drift;        /* the odds of the target drift linearly by this
                          fraction over the series (0 = none) */
  double wave;         /* amplitude of a yearly wave in those odds */
  double change;       /* odds multiplier from the change on (0 or 1:
                          none) */
  size_t change_week;  /* the week the change happens in */
  unsigned change_day; /* and its day in that week, 0 (Monday) to 6: the
                          week's records from that day on are changed */
} ww_world;

/* Draw one series of w->n_weeks weeks into out (weeks start on Mondays
 * from 2019-01-07; records spread evenly over the days of a week),
 * advancing the splitmix64 state *rng. Weeks with more
 * than a thousand loads are drawn from the normal law with the exact
 * mean and variance, the others load by load. */
/* Worlds without a change in which the null model is right on average
 * but its weekly counts are not Poisson (weekworld.c): the unit test's and
 * the calibration study's. */
#define WW_NO_CHANGE 6
extern const ww_world ww_no_change[WW_NO_CHANGE];

void ww_draw(const ww_world *w, uint64_t *rng, sw_week *out);

/* The day the change happens, as out[] dates it (days since 1970). */
int32_t ww_change_date(const ww_world *w);

#endif
