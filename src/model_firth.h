/*
 * model_firth.h — the Firth-penalised conditional logit with a constant
 * per chosen alternative id (model_firth.c), for the headline when the
 * maximum-likelihood estimate of its change does not exist (separation;
 * docs/design/separation.md). Internal: the audit calls it.
 */
#ifndef SW_MODEL_FIRTH_H
#define SW_MODEL_FIRTH_H

#include <stdbool.h>
#include <stddef.h>

#include "steerwatch.h"

/* The penalty needs a dense information matrix over the chosen ids'
 * constants, a kept design, and per record and pass work in the square of
 * its alternatives (records x alternatives^2 of 1e7 took 14 ms a pass,
 * and a fit with its interval some 260 passes): past these the fit is
 * refused (SW_E_MODEL, saying which was exceeded). */
#define SW_FIRTH_MAX_CHOSEN 1000
#define SW_FIRTH_MAX_CELLS 4000000
#define SW_FIRTH_MAX_WORK 50000000.0

/* The penalised fit of one coefficient. */
typedef struct sw_firth_result {
  double estimate;          /* maximiser of log L + 0.5 log det I */
  double ci_low, ci_high;   /* 95% profile penalised-likelihood interval */
  double statistic;         /* penalised likelihood ratio of coefficient = 0 */
  double p_value;           /* its chi-square (1 df) p-value */
  double penalised_ll;      /* at the estimates */
  double penalised_ll_null; /* at the best fit with the coefficient at 0 */
  size_t n_chosen;          /* ids chosen at least once: the constants + 1 */
  unsigned fits;            /* penalised fits run (estimate, test, interval) */
} sw_firth_result;

/* Fit V_ij = alpha_{id(j)} + x_ij' beta with Jeffreys' penalty (Firth
 * 1993; Heinze and Schemper 2002) on design d, with ids below n_ids, the
 * coefficients flagged in omit (p flags, or NULL) held at 0, and infer
 * coefficient `feature` (not omitted). An id never chosen has constant
 * -inf, as in the unpenalised fit: its alternatives leave the choice sets.
 * SW_E_MODEL with the reason when the fit is refused (the caps above) or
 * does not converge; SW_E_NOMEM; the fill callback's status. */
sw_status sw__firth_fit(const sw_design *d, size_t n_ids, const bool *omit,
                        size_t feature, sw_firth_result *out, sw_error *err);

#endif
