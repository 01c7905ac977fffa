/*
 * simulate_state.h — the state `steerwatch simulate` shares across its
 * files: simulate_inputs.c turns options and data into the geography the draws
 * need (representative points, ties weights, facilities, target periods),
 * simulate_draw.c draws the records from SPEC's choice model, and
 * simulate.c checks the options, writes the records and the truth.
 */
#ifndef SW_SIMULATE_STATE_H
#define SW_SIMULATE_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "steerwatch.h"

#define SIM_NO_TIES UINT32_MAX /* a record without ties */

typedef struct sw_sim {
  const sw_simulate_opts *o; /* as given, checked */
  int32_t start;             /* first day of steering, as used */

  /* Regions: the alternatives, with their representative points. */
  size_t n_regions;
  sw_point *point;     /* [n_regions]: attrs lat/lon, else the centroid */
  size_t n_attr_point; /* regions whose point came from the attributes */
  double *ties_cdf;    /* [n_regions]: cumulative ties weights */
  size_t n_population; /* regions with a usable population */
  double pop_floor;    /* weight of the others: the median population */

  /* Facilities: codes, places and cumulative weights. */
  size_t n_fac;
  char **fac_code;  /* [n_fac], owned */
  sw_point *fac_pt; /* [n_fac] */
  double *fac_cdf;  /* [n_fac] */

  /* Target membership: constant on each period [period_from[k], next). */
  size_t n_periods;
  int32_t *period_from; /* [n_periods], ascending; [0] is opts->from */
  uint8_t *in_target;   /* [n_periods x n_regions]: T_j, 0 or 1 */
  size_t *target_start; /* [n_periods + 1]: period k's regions in the */
  uint32_t *target;     /* target are target[target_start[k]..[k+1]) */

  /* Per record draws and results, in record order. */
  size_t n;
  uint32_t *facility; /* facility index */
  int32_t *date;
  uint32_t *ties;    /* ties region, or SIM_NO_TIES */
  double *u;         /* the uniform that picks the release region */
  uint32_t *release; /* release region */
  double *p_target;  /* null-model probability of the target */

  /* Progress: n records drawn, then n written. */
  int last_tick;
} sw_sim;

/* simulate_inputs.c */
sw_status sw__sim_regions(sw_sim *s, sw_error *err);
sw_status sw__sim_facilities(sw_sim *s, sw_error *err);
sw_status sw__sim_periods(sw_sim *s, sw_error *err);

/* The period holding day d (from <= d <= to). */
size_t sw__sim_period_of(const sw_sim *s, int32_t d);

/* simulate_draw.c: every record's facility, date, ties and release. */
sw_status sw__sim_draw(sw_sim *s, sw_error *err);

/* Report done of 2n units of work (n drawn, then n written), a few hundred
 * times at most; only from the calling thread. Inline here, with the state
 * it reads: simulate.c, which writes, calls the draws (simulate_draw.c),
 * so the draws cannot call back up into it to report. */
static inline void sw__sim_progress(sw_sim *s, uint64_t done) {
  const sw_simulate_opts *o = s->o;
  if (!o->on_progress) return;
  uint64_t total = 2 * (uint64_t)s->n;
  int tick = (int)(done * 200 / total);
  if (tick == s->last_tick) return;
  s->last_tick = tick;
  o->on_progress(o->progress_user, done, total);
}

/* Free everything s owns (not s itself). */
void sw__sim_clear(sw_sim *s);

#endif
