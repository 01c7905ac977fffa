/*
 * test_model_weights.c — frequency weights in the choice model
 * (sw_design.weight, a count table's `count`): a record of weight c must
 * fit, predict and cluster exactly as c copies of it, with and without a
 * constant per alternative, and a weight that is not a positive number is
 * a usage error.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "testutil.h"

enum { N = 240, P = 2, M = 6, CLUSTERS = 7 };

/* Records by index into base: the weighted design has one per base record,
 * the replicated one each base record repeated weight times, in order. */
typedef struct design {
  const double *x;    /* N * P * M, feature-major per base record */
  const size_t *base; /* per record: its base record */
  const size_t *pick; /* per base record: the chosen alternative */
} design;

static sw_status fill(void *user, size_t i, double *x, uint32_t *alt,
                      size_t *n_alt, size_t *chosen) {
  const design *d = user;
  size_t b = d->base[i];
  memcpy(x, d->x + b * P * M, P * M * sizeof *x);
  for (size_t j = 0; j < M; j++)
    alt[j] = (uint32_t)j;
  *n_alt = M;
  *chosen = d->pick[b];
  return SW_OK;
}

static const char *const NAMES[] = {"a", "b"};

typedef struct world {
  double x[N * P * M];
  size_t pick[N];
  double weight[N];
  size_t base_w[N];
  uint32_t cluster_w[N];
  size_t *base_r;
  uint32_t *cluster_r;
  size_t n_r;
  design dw, dr;
} world;

/* Random features, choices drawn from a logit with coefficients (1, -0.5)
 * and a pull of its own per alternative, weights 1..5. */
static void world_init(world *w) {
  sw_rng r;
  sw__rng_init(&r, 11, 0);
  w->n_r = 0;
  for (size_t i = 0; i < N; i++) {
    double v[M], s = 0;
    for (size_t j = 0; j < M; j++) {
      for (size_t k = 0; k < P; k++)
        w->x[(i * P + k) * M + j] = 2 * sw__rng_uniform(&r) - 1;
      v[j] = exp(w->x[(i * P) * M + j] - 0.5 * w->x[(i * P + 1) * M + j] +
                 0.3 * (double)j);
      s += v[j];
    }
    double t = sw__rng_uniform(&r) * s;
    size_t j = 0;
    while (j + 1 < M && (t -= v[j]) > 0)
      j++;
    w->pick[i] = j;
    w->weight[i] = (double)(1 + i % 5);
    w->base_w[i] = i;
    w->cluster_w[i] = (uint32_t)(i % CLUSTERS);
    w->n_r += 1 + i % 5;
  }
  w->base_r = malloc(w->n_r * sizeof *w->base_r);
  w->cluster_r = malloc(w->n_r * sizeof *w->cluster_r);
  assert_non_null(w->base_r);
  assert_non_null(w->cluster_r);
  size_t at = 0;
  for (size_t i = 0; i < N; i++)
    for (size_t c = 0; c < 1 + i % 5; c++) {
      w->base_r[at] = i;
      w->cluster_r[at++] = (uint32_t)(i % CLUSTERS);
    }
  w->dw = (design){w->x, w->base_w, w->pick};
  w->dr = (design){w->x, w->base_r, w->pick};
}

static void world_clear(world *w) {
  free(w->base_r);
  free(w->cluster_r);
}

static sw_design weighted(world *w) {
  return (sw_design){.n_records = N,
                     .n_features = P,
                     .max_alts = M,
                     .names = NAMES,
                     .fill = fill,
                     .user = &w->dw,
                     .cluster = w->cluster_w,
                     .n_clusters = CLUSTERS,
                     .weight = w->weight};
}

static sw_design replicated(world *w) {
  return (sw_design){.n_records = w->n_r,
                     .n_features = P,
                     .max_alts = M,
                     .names = NAMES,
                     .fill = fill,
                     .user = &w->dr,
                     .cluster = w->cluster_r,
                     .n_clusters = CLUSTERS};
}

static void assert_close(double got, double want, const char *what) {
  double tol = 1e-9 * fmax(1, fmax(fabs(got), fabs(want)));
  if (!(fabs(got - want) <= tol))
    fail_msg("%s: weighted %.17g, replicated %.17g", what, got, want);
}

static void assert_same_fit(const sw_model_result *a,
                            const sw_model_result *b) {
  assert_close(a->log_likelihood, b->log_likelihood, "log-likelihood");
  assert_close(a->n_people, b->n_people, "people");
  assert_int_equal(a->n_clusters, b->n_clusters);
  for (size_t k = 0; k < P; k++) {
    assert_close(a->estimate[k], b->estimate[k], NAMES[k]);
    assert_close(a->se[k], b->se[k], "se");
    assert_close(a->se_cluster[k], b->se_cluster[k], "se_cluster");
  }
  for (size_t j = 0; j < a->n_constants; j++)
    assert_close(a->constants[j], b->constants[j], "constant");
}

static void test_weighted_fit_equals_fit_on_replicated_records(void **state) {
  (void)state;
  world w;
  world_init(&w);
  sw_design dw = weighted(&w), dr = replicated(&w);
  sw_model_result *a = NULL, *b = NULL;
  assert_int_equal(sw_model_fit(&dw, NULL, &a, NULL), SW_OK);
  assert_int_equal(sw_model_fit(&dr, NULL, &b, NULL), SW_OK);
  assert_int_equal(a->n_records, N);
  assert_int_equal(b->n_records, w.n_r);
  assert_same_fit(a, b);
  sw_model_result_free(a);
  sw_model_result_free(b);
  world_clear(&w);
}

/* With a constant per alternative: the counts and the contraction that
 * start them, the Laplacian of the conjugate gradients, the efficient
 * scores behind the clustered SEs. */
static void test_weighted_fit_with_constants_equals_replicated(void **state) {
  (void)state;
  world w;
  world_init(&w);
  sw_design dw = weighted(&w), dr = replicated(&w);
  sw_model_opts o = {.n_constants = M};
  sw_model_result *a = NULL, *b = NULL;
  assert_int_equal(sw_model_fit(&dw, &o, &a, NULL), SW_OK);
  assert_int_equal(sw_model_fit(&dr, &o, &b, NULL), SW_OK);
  assert_int_equal(a->n_constants, M);
  assert_same_fit(a, b);
  sw_model_result_free(a);
  sw_model_result_free(b);
  world_clear(&w);
}

static void test_weighted_prediction_equals_replicated(void **state) {
  (void)state;
  world w;
  world_init(&w);
  sw_design dw = weighted(&w), dr = replicated(&w);
  const double beta[P] = {0.8, -0.3};
  double ew[M], er[M];
  assert_int_equal(sw_model_predict(&dw, beta, 0, 1, NULL, ew, M, NULL), SW_OK);
  assert_int_equal(sw_model_predict(&dr, beta, 0, 1, NULL, er, M, NULL), SW_OK);
  for (size_t j = 0; j < M; j++)
    assert_close(ew[j], er[j], "expected count");
  world_clear(&w);
}

static void test_weight_not_positive_is_usage(void **state) {
  (void)state;
  world w;
  world_init(&w);
  sw_design d = weighted(&w);
  const double bad[] = {0, -1, NAN, INFINITY};
  for (size_t t = 0; t < sizeof bad / sizeof *bad; t++) {
    w.weight[17] = bad[t];
    sw_model_result *r = (sw_model_result *)&d; /* must come back NULL */
    sw_error e;
    assert_int_equal(sw_model_fit(&d, NULL, &r, &e), SW_E_USAGE);
    assert_null(r);
    assert_non_null(strstr(e.message, "record 17"));
  }
  world_clear(&w);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_weighted_fit_equals_fit_on_replicated_records),
      cmocka_unit_test(test_weighted_fit_with_constants_equals_replicated),
      cmocka_unit_test(test_weighted_prediction_equals_replicated),
      cmocka_unit_test(test_weight_not_positive_is_usage),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
