/*
 * audit_level.c — what the cross-sectional level can and cannot carry,
 * beside the within-region headline (docs/design/within-region.md):
 *
 * - Randomization inference. The level's likelihood-ratio p-value assumes
 *   the model; target regions differ from the others in ways it does not
 *   see. Under no steering, and target labels that could as well have
 *   fallen on other regions of the same size, the excess
 *   sum_j T_j (O_j - E_j) (observed minus the null model's expected
 *   releases, E_j from the fit without the target term, which never sees
 *   the labels) is as large for the real labels as for permuted ones. The
 *   labels (T_j, the share of the span region j spent in the target) are
 *   permuted within population quintiles when the attributes give
 *   `population` (one stratum otherwise; regions without one form their
 *   own), RANDOMIZATION_DRAWS times with a fixed seed.
 * - Sensitivity (VanderWeele and Ding 2017's E-value). In the conditional
 *   logit e^gamma is exactly the ratio of the probabilities of two
 *   alternatives that differ only in the target, a risk ratio RR; an
 *   unrecorded pull would have to be associated with both the target and
 *   the choice by a risk ratio of RR + sqrt(RR (RR - 1)) each to explain
 *   the level away, and by the same formula at the interval's bound
 *   nearer 1 to move the interval to include no effect (1 when it already
 *   does).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "attrs.h"
#include "audit_state.h"
#include "err.h"
#include "rng.h"

#define RANDOMIZATION_DRAWS 9999
#define STRATA 5

static double e_value(double log_rr) {
  double rr = exp(fabs(log_rr));
  return rr + sqrt(rr * (rr - 1));
}

typedef struct ranked {
  double pop;
  size_t region;
} ranked;

static int by_pop(const void *x, const void *y) {
  const ranked *a = x, *b = y;
  if (a->pop != b->pop) return a->pop < b->pop ? -1 : 1;
  return (a->region > b->region) - (a->region < b->region);
}

/* Stratum of each region: population quintile, STRATA for none. */
static sw_status strata(const sw_audit *a, uint8_t *st, sw_error *err) {
  const size_t R = a->n_regions;
  ranked *r = sw__malloc((R ? R : 1) * sizeof *r);
  if (!r) return sw__err(err, SW_E_NOMEM, "out of memory");
  size_t n = 0;
  for (size_t j = 0; j < R; j++) {
    double pop;
    st[j] = STRATA;
    if (sw_attrs_get_number(a->attrs, a->region_ids[j], "population",
                            a->date_min, &pop))
      r[n++] = (ranked){pop, j};
  }
  qsort(r, n, sizeof *r, by_pop);
  for (size_t i = 0; i < n; i++)
    st[r[i].region] = (uint8_t)(i * STRATA / n);
  sw__free(r);
  return SW_OK;
}

/* Fisher-Yates within each stratum of the labels in lab (by region). */
static void permute(double *lab, const size_t *order, const size_t *first,
                    sw_rng *g) {
  for (int s = 0; s <= STRATA; s++)
    for (size_t i = first[s + 1] - first[s]; i > 1; i--) {
      size_t k = (size_t)sw__rng_below(g, i);
      size_t x = order[first[s] + i - 1], y = order[first[s] + k];
      double t = lab[x];
      lab[x] = lab[y];
      lab[y] = t;
    }
}

sw_status sw__audit_level(sw_audit *a, audit_target *t, sw_error *err) {
  t->e_value = t->e_value_ci = t->randomization_p = NAN;
  const size_t k = AUDIT_F_TARGET;
  if (t->full && !t->full->omitted[k]) {
    double g = t->full->estimate[k], lo = t->full->ci_low[k],
           hi = t->full->ci_high[k];
    t->e_value = e_value(g);
    t->e_value_ci = lo > 0 ? e_value(lo) : hi < 0 ? e_value(hi) : 1;
  }
  if (!t->restricted) return SW_OK;
  const size_t R = a->n_regions;
  uint8_t *st = sw__malloc(R ? R : 1);
  double *res = sw__malloc((R ? R : 1) * sizeof *res);
  double *lab = sw__malloc((R ? R : 1) * sizeof *lab);
  size_t *order = sw__malloc((R ? R : 1) * sizeof *order);
  size_t first[STRATA + 2] = {0};
  sw_status s = SW_OK;
  if (!st || !res || !lab || !order) {
    s = sw__err(err, SW_E_NOMEM, "out of memory");
    goto done;
  }
  if ((s = strata(a, st, err))) goto done;
  for (size_t j = 0; j < R; j++)
    first[st[j] + 1]++;
  for (int q = 0; q <= STRATA; q++)
    first[q + 1] += first[q];
  size_t at[STRATA + 1];
  memcpy(at, first, sizeof at);
  double stat = 0;
  for (size_t j = 0; j < R; j++) {
    order[at[st[j]]++] = j;
    res[j] = (double)t->region_observed[j] - t->region_expected[j];
    lab[j] = t->region_flag[j];
    stat += lab[j] * res[j];
  }
  sw_rng g;
  sw__rng_init(&g, a->o.seed, 0x72616e646f6dull); /* "random" */
  size_t exceed = 0;
  for (size_t b = 0; b < RANDOMIZATION_DRAWS; b++) {
    permute(lab, order, first, &g);
    double x = 0;
    for (size_t j = 0; j < R; j++)
      x += lab[j] * res[j];
    exceed += fabs(x) >= fabs(stat);
  }
  t->randomization_p = (1.0 + (double)exceed) / (RANDOMIZATION_DRAWS + 1.0);
  t->randomization_stratified = first[STRATA] > 0;
done:
  sw__free(st);
  sw__free(res);
  sw__free(lab);
  sw__free(order);
  return s;
}
