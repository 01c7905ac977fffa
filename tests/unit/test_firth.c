/*
 * test_firth.c — the Firth-penalised within-region fit (model_firth.c):
 * finite where the maximum-likelihood fit diverges, close to it where it
 * exists, the same whichever region is the constants' reference, the cap
 * on chosen regions, and out-of-memory at each allocation.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "model_firth.h"
#include "rng.h"
#include "testutil.h"

/* n records over R regions: feature 0 a distance-like draw, feature 1
 * target x after (after: the second half of the records; the target:
 * every third region). */
typedef struct world {
  size_t n, R;
  double *x;      /* n x R */
  uint32_t *pick; /* n */
  uint32_t *id;   /* R: the id region j is given */
} world;

static bool is_target(size_t j) { return j % 3 == 0; }

static sw_status fill(void *user, size_t i, double *x, uint32_t *alt,
                      size_t *n_alt, size_t *chosen) {
  const world *w = user;
  for (size_t j = 0; j < w->R; j++) {
    x[j] = w->x[i * w->R + j];
    x[w->R + j] = i >= w->n / 2 && is_target(j);
    alt[j] = w->id[j];
  }
  *n_alt = w->R;
  *chosen = w->pick[i];
  return SW_OK;
}

static const char *const NAMES[] = {"x", "target"};

/* cmocka's float assertion rounds to float: this one keeps doubles and
 * prints both values. */
static void assert_near(double a, double b, double tol) {
  if (!(fabs(a - b) <= tol))
    fail_msg("%.17g and %.17g differ by more than %g", a, b, tol);
}

/* Draw choices with change delta after the midpoint; post (1, -1, 0):
 * after it every placement goes to a target region, none does, or
 * either. */
static void world_init(world *w, size_t n, size_t R, double delta, int post,
                       uint64_t seed) {
  *w = (world){.n = n, .R = R};
  w->x = calloc(n * R, sizeof *w->x);
  w->pick = calloc(n, sizeof *w->pick);
  w->id = calloc(R, sizeof *w->id);
  double *v = calloc(R, sizeof *v);
  assert_non_null(w->x);
  assert_non_null(w->pick);
  assert_non_null(w->id);
  assert_non_null(v);
  sw_rng r;
  sw__rng_init(&r, seed, 0);
  for (size_t j = 0; j < R; j++)
    w->id[j] = (uint32_t)j;
  for (size_t i = 0; i < n; i++) {
    bool after = i >= n / 2;
    double s = 0;
    for (size_t j = 0; j < R; j++) {
      w->x[i * R + j] = sw__rng_normal(&r);
      bool shut =
          after && ((post > 0 && !is_target(j)) || (post < 0 && is_target(j)));
      v[j] = shut ? 0
                  : exp(0.3 * (double)(j % 4) - w->x[i * R + j] +
                        (after && is_target(j) ? delta : 0));
      s += v[j];
    }
    double t = sw__rng_uniform(&r) * s;
    size_t k = 0;
    while (k + 1 < R && (t -= v[k]) > 0)
      k++;
    while (v[k] == 0)
      k--;
    w->pick[i] = (uint32_t)k;
  }
  free(v);
}

static void world_clear(world *w) {
  free(w->x);
  free(w->pick);
  free(w->id);
}

static sw_design design(world *w) {
  return (sw_design){.n_records = w->n,
                     .n_features = 2,
                     .max_alts = w->R,
                     .names = NAMES,
                     .fill = fill,
                     .user = w};
}

static void test_separated_change_gets_a_finite_estimate(void **state) {
  (void)state;
  for (int post = -1; post <= 1; post += 2) {
    world w;
    world_init(&w, 160, 7, 0, post, 3);
    sw_design d = design(&w);
    sw_model_opts o = {.n_constants = w.R};
    sw_model_result *mle = NULL;
    sw_error e;
    /* The ordinary fit has no estimate to give. */
    assert_int_equal(sw_model_fit(&d, &o, &mle, &e), SW_E_MODEL);
    assert_non_null(strstr(e.message, "separation"));
    sw_firth_result f;
    assert_int_equal(sw__firth_fit(&d, w.R, NULL, 1, &f, &e), SW_OK);
    assert_true(isfinite(f.estimate) && post * f.estimate > 1);
    assert_true(f.ci_low < f.estimate && f.estimate < f.ci_high);
    assert_true(isfinite(f.ci_low) && isfinite(f.ci_high));
    assert_true(f.p_value < 1e-3 && f.statistic > 0);
    assert_int_equal(f.n_chosen, w.R);
    world_clear(&w);
  }
}

static void test_without_separation_close_to_the_mle(void **state) {
  (void)state;
  world w;
  world_init(&w, 3000, 9, 0.5, 0, 5);
  sw_design d = design(&w);
  sw_model_opts o = {.n_constants = w.R};
  sw_model_result *mle = NULL;
  sw_error e;
  assert_int_equal(sw_model_fit(&d, &o, &mle, &e), SW_OK);
  sw_firth_result f;
  assert_int_equal(sw__firth_fit(&d, w.R, NULL, 1, &f, &e), SW_OK);
  /* The penalty's bias correction is O(1/n): a small part of an SE. */
  double gap = fabs(f.estimate - mle->estimate[1]);
  print_message("firth %.6f mle %.6f se %.6f\n", f.estimate, mle->estimate[1],
                mle->se[1]);
  assert_true(gap < 0.1 * mle->se[1]);
  assert_true(f.ci_low < mle->estimate[1] && mle->estimate[1] < f.ci_high);
  /* The profile interval is near the Wald one when the MLE is regular. */
  double wald = 2 * 1.959963984540054 * mle->se[1];
  assert_true(fabs((f.ci_high - f.ci_low) / wald - 1) < 0.05);
  sw_model_result_free(mle);
  world_clear(&w);
}

static void test_the_same_whichever_region_is_the_reference(void **state) {
  (void)state;
  world w;
  world_init(&w, 200, 6, 0, 1, 7);
  sw_design d = design(&w);
  sw_firth_result a, b;
  sw_error e;
  assert_int_equal(sw__firth_fit(&d, w.R, NULL, 1, &a, &e), SW_OK);
  /* Reversed ids make another region the first chosen (the reference):
   * Jeffreys' penalty is invariant under that change of parameters. */
  for (size_t j = 0; j < w.R; j++)
    w.id[j] = (uint32_t)(w.R - 1 - j);
  assert_int_equal(sw__firth_fit(&d, w.R, NULL, 1, &b, &e), SW_OK);
  assert_near(a.estimate, b.estimate, 1e-8);
  assert_near(a.ci_low, b.ci_low, 1e-7);
  assert_near(a.ci_high, b.ci_high, 1e-7);
  assert_near(a.statistic, b.statistic, 1e-7);
  world_clear(&w);
}

/* Record i chooses id i among ids {i, n}: n chosen regions. */
static sw_status many_fill(void *user, size_t i, double *x, uint32_t *alt,
                           size_t *n_alt, size_t *chosen) {
  size_t n = *(const size_t *)user;
  alt[0] = (uint32_t)i;
  alt[1] = (uint32_t)n;
  x[0] = 1, x[1] = 0, x[2] = (double)(i % 2), x[3] = 0;
  *n_alt = 2;
  *chosen = 0;
  return SW_OK;
}

static void test_refuses_more_chosen_regions_than_the_cap(void **state) {
  (void)state;
  size_t n = SW_FIRTH_MAX_CHOSEN + 1;
  sw_design d = {.n_records = n,
                 .n_features = 2,
                 .max_alts = 2,
                 .names = NAMES,
                 .fill = many_fill,
                 .user = &n};
  sw_firth_result f;
  sw_error e;
  assert_int_equal(sw__firth_fit(&d, n + 1, NULL, 1, &f, &e), SW_E_MODEL);
  assert_non_null(strstr(e.message, "at most 1000"));
  assert_true(isnan(f.estimate));
}

/* Two regions, and a 2 x 2 table: before the split n[0] records chose
 * region 1 and n[1] region 0; after it n[2] and n[3]. */
static sw_status table_fill(void *user, size_t i, double *x, uint32_t *alt,
                            size_t *n_alt, size_t *chosen) {
  const unsigned *n = user;
  size_t cell = 0, upto = n[0];
  while (i >= upto)
    upto += n[++cell];
  alt[0] = 0, alt[1] = 1;
  x[0] = x[1] = 0;            /* the omitted feature */
  x[2] = 0, x[3] = cell >= 2; /* target x after: region 1 after the split */
  *n_alt = 2;
  *chosen = cell % 2 == 0;
  return SW_OK;
}

/* With two regions the model is a logistic regression on a 2 x 2 table,
 * saturated, where Firth's estimate is known in closed form: the log odds
 * ratio with a half added to every cell. */
static void test_two_regions_give_the_half_added_log_odds_ratio(void **state) {
  (void)state;
  unsigned n[4] = {17, 29, 23, 0}; /* after: every placement into region 1 */
  sw_design d = {.n_records = 17 + 29 + 23,
                 .n_features = 2,
                 .max_alts = 2,
                 .names = NAMES,
                 .fill = table_fill,
                 .user = n};
  bool omit[2] = {true, false};
  sw_firth_result f;
  sw_error e;
  assert_int_equal(sw__firth_fit(&d, 2, omit, 1, &f, &e), SW_OK);
  double want = log((23 + 0.5) / (0 + 0.5)) - log((17 + 0.5) / (29 + 0.5));
  assert_near(f.estimate, want, 1e-9);
}

/* The world's records, record i repeated rep[i] times. */
typedef struct copies {
  world *w;
  size_t *of; /* the world's record behind each copy */
} copies;

static sw_status copies_fill(void *user, size_t i, double *x, uint32_t *alt,
                             size_t *n_alt, size_t *chosen) {
  const copies *c = user;
  return fill(c->w, c->of[i], x, alt, n_alt, chosen);
}

static void test_a_weight_counts_as_copies(void **state) {
  (void)state;
  world w;
  world_init(&w, 90, 5, 0, 1, 13);
  double *weight = calloc(w.n, sizeof *weight);
  size_t *of = calloc(3 * w.n, sizeof *of), n = 0;
  assert_non_null(weight);
  assert_non_null(of);
  for (size_t i = 0; i < w.n; i++) {
    weight[i] = (double)(1 + i % 3);
    for (size_t k = 0; k < 1 + i % 3; k++)
      of[n++] = i;
  }
  sw_design d = design(&w);
  d.weight = weight;
  copies c = {&w, of};
  sw_design e = design(&w);
  e.n_records = n;
  e.fill = copies_fill;
  e.user = &c;
  sw_firth_result a, b;
  sw_error err;
  assert_int_equal(sw__firth_fit(&d, w.R, NULL, 1, &a, &err), SW_OK);
  assert_int_equal(sw__firth_fit(&e, w.R, NULL, 1, &b, &err), SW_OK);
  assert_near(a.estimate, b.estimate, 1e-8);
  assert_near(a.ci_high, b.ci_high, 1e-7);
  assert_near(a.statistic, b.statistic, 1e-7);
  free(weight);
  free(of);
  world_clear(&w);
}

static void test_out_of_memory_at_each_allocation(void **state) {
  (void)state;
  world w;
  world_init(&w, 60, 4, 0, 1, 11);
  sw_design d = design(&w);
  sw_firth_result f;
  sw_error e;
  sw__alloc_fail_at(0);
  assert_int_equal(sw__firth_fit(&d, w.R, NULL, 1, &f, &e), SW_OK);
  uint64_t n_alloc = sw__alloc_fail_at(0);
  assert_true(n_alloc > 0);
  for (uint64_t k = 1; k <= n_alloc; k++) {
    sw__alloc_fail_at(k);
    assert_int_equal(sw__firth_fit(&d, w.R, NULL, 1, &f, &e), SW_E_NOMEM);
  }
  sw__alloc_fail_at(0);
  world_clear(&w);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_separated_change_gets_a_finite_estimate),
      cmocka_unit_test(test_without_separation_close_to_the_mle),
      cmocka_unit_test(test_the_same_whichever_region_is_the_reference),
      cmocka_unit_test(test_refuses_more_chosen_regions_than_the_cap),
      cmocka_unit_test(test_two_regions_give_the_half_added_log_odds_ratio),
      cmocka_unit_test(test_a_weight_counts_as_copies),
      cmocka_unit_test(test_out_of_memory_at_each_allocation),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
