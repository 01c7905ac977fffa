/*
 * test_model.c — the conditional logit: exact agreement with an
 * independently coded binary logit, optimality, determinism across thread
 * counts, the SW_E_MODEL diagnoses, the geography provider's distances and
 * sampled alternatives, and a calibration smoke test of the LR test.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "model_design.h"
#include "model_pass.h"
#include "rng.h"
#include "testutil.h"

/* ---- a small in-memory design, for exact cases ------------------------ */

typedef struct mem_design {
  size_t n, p, m;
  double *x;      /* n * p * m, feature-major per record */
  size_t *chosen; /* n */
} mem_design;

static sw_status mem_fill(void *user, size_t i, double *x, uint32_t *alt,
                          size_t *n_alt, size_t *chosen) {
  const mem_design *md = user;
  memcpy(x, md->x + i * md->p * md->m, md->p * md->m * sizeof *x);
  for (size_t j = 0; j < md->m; j++)
    alt[j] = (uint32_t)j;
  *n_alt = md->m;
  *chosen = md->chosen[i];
  return SW_OK;
}

static const char *const NAMES[] = {"a", "b", "c", "d"};

static sw_design mem_as_design(mem_design *md) {
  return (sw_design){.n_records = md->n,
                     .n_features = md->p,
                     .max_alts = md->m,
                     .names = NAMES,
                     .fill = mem_fill,
                     .user = md};
}

static double *X(mem_design *md, size_t i, size_t k, size_t j) {
  return &md->x[(i * md->p + k) * md->m + j];
}

static void mem_init(mem_design *md, size_t n, size_t p, size_t m) {
  md->n = n, md->p = p, md->m = m;
  md->x = calloc(n * p * m, sizeof *md->x);
  md->chosen = calloc(n, sizeof *md->chosen);
  assert_non_null(md->x);
  assert_non_null(md->chosen);
}

static void mem_clear(mem_design *md) {
  free(md->x);
  free(md->chosen);
}

/* Draw choices from the model with coefficients beta. */
static void mem_draw(mem_design *md, const double *beta, sw_rng *r) {
  double v[64];
  for (size_t i = 0; i < md->n; i++) {
    double s = 0;
    for (size_t j = 0; j < md->m; j++) {
      double u = 0;
      for (size_t k = 0; k < md->p; k++)
        u += beta[k] * *X(md, i, k, j);
      v[j] = exp(u);
      s += v[j];
    }
    double t = sw__rng_uniform(r) * s;
    size_t j = 0;
    while (j + 1 < md->m && (t -= v[j]) > 0)
      j++;
    md->chosen[i] = j;
  }
}

static void assert_rel(double got, double want, double tol) {
  double rel = fabs(got - want) / fmax(fabs(want), 1e-300);
  if (!(rel <= tol))
    fail_msg("got %.17g, want %.17g (relative error %.3g > %.3g)", got, want,
             rel, tol);
}

/* ---- exact cases -------------------------------------------------------- */

/* With two alternatives the conditional logit is the binary logit of the
 * feature differences (no intercept); fit that by plain Newton here. */
static void test_two_alternatives_equal_binary_logit(void **state) {
  (void)state;
  enum { N = 400, P = 2 };
  mem_design md;
  mem_init(&md, N, P, 2);
  sw_rng r;
  sw__rng_init(&r, 7, 0);
  for (size_t i = 0; i < N; i++)
    for (size_t k = 0; k < P; k++)
      for (size_t j = 0; j < 2; j++)
        *X(&md, i, k, j) = 2 * sw__rng_uniform(&r) - 1 + (k == 1) * (j == 1);
  const double truth[P] = {1.5, -0.7};
  mem_draw(&md, truth, &r);

  double b[P] = {0, 0}, h[P][P], ll = 0;
  for (int it = 0; it < 50; it++) {
    double g[P] = {0, 0};
    memset(h, 0, sizeof h);
    ll = 0;
    for (size_t i = 0; i < N; i++) {
      double d[P], eta = 0;
      for (size_t k = 0; k < P; k++) {
        d[k] = *X(&md, i, k, 1) - *X(&md, i, k, 0);
        eta += b[k] * d[k];
      }
      double pr = 1 / (1 + exp(-eta)), y = md.chosen[i] == 1;
      ll += y ? log(pr) : log1p(-pr);
      for (size_t k = 0; k < P; k++) {
        g[k] += (y - pr) * d[k];
        for (size_t l = 0; l < P; l++)
          h[k][l] += pr * (1 - pr) * d[k] * d[l];
      }
    }
    double det = h[0][0] * h[1][1] - h[0][1] * h[1][0];
    b[0] += (h[1][1] * g[0] - h[0][1] * g[1]) / det;
    b[1] += (h[0][0] * g[1] - h[1][0] * g[0]) / det;
  }
  double det = h[0][0] * h[1][1] - h[0][1] * h[1][0];
  double se[P] = {sqrt(h[1][1] / det), sqrt(h[0][0] / det)};

  sw_design d = mem_as_design(&md);
  sw_model_result *fit;
  sw_error e;
  assert_int_equal(sw_model_fit(&d, NULL, &fit, &e), SW_OK);
  for (size_t k = 0; k < P; k++) {
    assert_rel(fit->estimate[k], b[k], 1e-9);
    assert_rel(fit->se[k], se[k], 1e-8);
    assert_true(isnan(fit->se_cluster[k])); /* no clusters given */
  }
  assert_rel(fit->log_likelihood, ll, 1e-12);
  assert_true(fit->gradient_norm < 1e-8);
  assert_string_equal(fit->names[1], "b");
  assert_int_equal(fit->n_free, 2);
  sw_model_result_free(fit);
  mem_clear(&md);
}

static void test_gradient_vanishes_at_the_estimates(void **state) {
  (void)state;
  enum { N = 300, P = 3, M = 6 };
  mem_design md;
  mem_init(&md, N, P, M);
  sw_rng r;
  sw__rng_init(&r, 11, 0);
  for (size_t i = 0; i < N * P * M; i++)
    md.x[i] = sw__rng_uniform(&r) * 3;
  const double truth[P] = {0.8, -1.2, 0.3};
  mem_draw(&md, truth, &r);
  sw_design d = mem_as_design(&md);
  sw_model_result *fit;
  assert_int_equal(sw_model_fit(&d, NULL, &fit, NULL), SW_OK);
  /* Recompute the score here, independently of model.c. */
  double g[P] = {0};
  for (size_t i = 0; i < N; i++) {
    double v[M], s = 0;
    for (size_t j = 0; j < M; j++) {
      double u = 0;
      for (size_t k = 0; k < P; k++)
        u += fit->estimate[k] * *X(&md, i, k, j);
      s += v[j] = exp(u);
    }
    for (size_t k = 0; k < P; k++) {
      double xbar = 0;
      for (size_t j = 0; j < M; j++)
        xbar += v[j] / s * *X(&md, i, k, j);
      g[k] += *X(&md, i, k, md.chosen[i]) - xbar;
    }
  }
  double norm = sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]) / N;
  if (!(norm < 1e-8)) fail_msg("gradient norm %g at the estimates", norm);
  assert_true(fit->iterations >= 2 && fit->iterations < 30);
  sw_model_result_free(fit);
  mem_clear(&md);
}

static void test_constant_feature_is_sw_e_model_naming_it(void **state) {
  (void)state;
  enum { N = 50, P = 2, M = 3 };
  mem_design md;
  mem_init(&md, N, P, M);
  sw_rng r;
  sw__rng_init(&r, 3, 0);
  for (size_t i = 0; i < N; i++)
    for (size_t j = 0; j < M; j++) {
      *X(&md, i, 0, j) = sw__rng_uniform(&r);
      *X(&md, i, 1, j) = (double)i; /* varies across records only */
    }
  const double truth[P] = {1, 0};
  mem_draw(&md, truth, &r);
  sw_design d = mem_as_design(&md);
  sw_model_result *fit = (sw_model_result *)&md;
  sw_error e;
  assert_int_equal(sw_model_fit(&d, NULL, &fit, &e), SW_E_MODEL);
  assert_null(fit);
  assert_non_null(strstr(e.message, "\"b\" has no variation"));
  /* Held at zero, the same feature is no obstacle. */
  bool omit[P] = {false, true};
  sw_model_opts o = {.omit = omit};
  assert_int_equal(sw_model_fit(&d, &o, &fit, &e), SW_OK);
  assert_true(fit->omitted[1] && fit->estimate[1] == 0 && isnan(fit->se[1]));
  sw_model_result_free(fit);
  mem_clear(&md);
}

static void test_nan_feature_is_sw_e_model_naming_it(void **state) {
  (void)state;
  enum { N = 30, P = 2, M = 3 };
  mem_design md;
  mem_init(&md, N, P, M);
  sw_rng r;
  sw__rng_init(&r, 4, 0);
  for (size_t i = 0; i < N * P * M; i++)
    md.x[i] = sw__rng_uniform(&r);
  *X(&md, 17, 1, 2) = NAN;
  sw_design d = mem_as_design(&md);
  sw_model_result *fit;
  sw_error e;
  assert_int_equal(sw_model_fit(&d, NULL, &fit, &e), SW_E_MODEL);
  assert_non_null(strstr(e.message, "\"b\" has a non-finite value"));
  mem_clear(&md);
}

static void test_separation_is_sw_e_model(void **state) {
  (void)state;
  enum { N = 80, P = 2, M = 4 };
  mem_design md;
  mem_init(&md, N, P, M);
  sw_rng r;
  sw__rng_init(&r, 5, 0);
  for (size_t i = 0; i < N; i++) {
    for (size_t j = 0; j < M; j++) {
      *X(&md, i, 0, j) = sw__rng_uniform(&r);
      *X(&md, i, 1, j) = sw__rng_uniform(&r);
    }
    /* The chosen alternative always has the largest "b". */
    size_t best = 0;
    for (size_t j = 1; j < M; j++)
      if (*X(&md, i, 1, j) > *X(&md, i, 1, best)) best = j;
    md.chosen[i] = best;
  }
  sw_design d = mem_as_design(&md);
  sw_model_result *fit;
  sw_error e;
  assert_int_equal(sw_model_fit(&d, NULL, &fit, &e), SW_E_MODEL);
  assert_non_null(strstr(e.message, "separation"));
  assert_non_null(strstr(e.message, "\"b\""));
  mem_clear(&md);
}

static void test_collinear_features_are_singular(void **state) {
  (void)state;
  enum { N = 60, P = 3, M = 4 };
  mem_design md;
  mem_init(&md, N, P, M);
  sw_rng r;
  sw__rng_init(&r, 9, 0);
  for (size_t i = 0; i < N; i++)
    for (size_t j = 0; j < M; j++) {
      *X(&md, i, 0, j) = sw__rng_uniform(&r);
      *X(&md, i, 1, j) = sw__rng_uniform(&r);
      /* c = a - 2b + a per-record constant: collinear within sets. */
      *X(&md, i, 2, j) = *X(&md, i, 0, j) - 2 * *X(&md, i, 1, j) + (double)i;
    }
  const double truth[P] = {1, 1, 0};
  mem_draw(&md, truth, &r);
  sw_design d = mem_as_design(&md);
  sw_model_result *fit;
  sw_error e;
  assert_int_equal(sw_model_fit(&d, NULL, &fit, &e), SW_E_MODEL);
  assert_non_null(strstr(e.message, "singular Hessian"));
  assert_non_null(strstr(e.message, "\"c\""));
  mem_clear(&md);
}

static void test_predict_mass_matches_direct_softmax(void **state) {
  (void)state;
  enum { N = 20, P = 2, M = 5 };
  mem_design md;
  mem_init(&md, N, P, M);
  sw_rng r;
  sw__rng_init(&r, 21, 0);
  for (size_t i = 0; i < N; i++)
    for (size_t j = 0; j < M; j++) {
      *X(&md, i, 0, j) = sw__rng_uniform(&r);
      *X(&md, i, 1, j) = j % 2; /* the "target": alternatives 1 and 3 */
    }
  const double beta[P] = {-1.3, 0.6};
  sw_design d = mem_as_design(&md);
  double mass[N], expected[M];
  assert_int_equal(sw_model_predict(&d, beta, 1, 2, mass, expected, M, NULL),
                   SW_OK);
  double total = 0;
  for (size_t i = 0; i < N; i++) {
    double v[M], s = 0;
    for (size_t j = 0; j < M; j++)
      s += v[j] = exp(beta[0] * *X(&md, i, 0, j) + beta[1] * (double)(j % 2));
    assert_rel(mass[i], (v[1] + v[3]) / s, 1e-14);
  }
  for (size_t j = 0; j < M; j++)
    total += expected[j];
  assert_rel(total, N, 1e-13);
  /* An id outside the caller's table is refused. */
  sw_error e;
  assert_int_equal(sw_model_predict(&d, beta, 1, 1, NULL, expected, 3, &e),
                   SW_E_USAGE);
  mem_clear(&md);
}

/* ---- geography ---------------------------------------------------------- */

typedef struct geo_case {
  size_t n, R, F, C;
  sw_point *regions, *origins, *ties;
  uint32_t *origin, *chosen, *cluster;
  uint8_t *target;
  double *cov;
  sw_geo_spec spec;
} geo_case;

static const char *const COV_NAMES[] = {"income"};

/* SPEC-like geography: regions and facilities scattered in a lon/lat box,
 * records at facilities, ties for 70%, a target flag, one covariate. */
static void geo_init(geo_case *g, size_t n, size_t R, uint64_t seed) {
  memset(g, 0, sizeof *g);
  g->n = n, g->R = R, g->F = 20, g->C = 1;
  g->regions = calloc(R, sizeof *g->regions);
  g->origins = calloc(g->F, sizeof *g->origins);
  g->ties = calloc(n, sizeof *g->ties);
  g->origin = calloc(n, sizeof *g->origin);
  g->chosen = calloc(n, sizeof *g->chosen);
  g->cluster = calloc(n, sizeof *g->cluster);
  g->target = calloc(R, 1);
  g->cov = calloc(R, sizeof *g->cov);
  sw_rng r;
  sw__rng_init(&r, seed, 999);
  for (size_t j = 0; j < R; j++) {
    g->regions[j] = (sw_point){25 + 23 * sw__rng_uniform(&r),
                               -120 + 50 * sw__rng_uniform(&r)};
    g->target[j] = j % 10 < 3; /* 30%, never none: points are random */
    g->cov[j] = 2 * sw__rng_uniform(&r) - 1;
  }
  for (size_t f = 0; f < g->F; f++)
    g->origins[f] = (sw_point){25 + 23 * sw__rng_uniform(&r),
                               -120 + 50 * sw__rng_uniform(&r)};
  for (size_t i = 0; i < n; i++) {
    g->origin[i] = g->cluster[i] = (uint32_t)sw__rng_below(&r, g->F);
    g->ties[i] = sw__rng_uniform(&r) < 0.7
                     ? (sw_point){25 + 23 * sw__rng_uniform(&r),
                                  -120 + 50 * sw__rng_uniform(&r)}
                     : (sw_point){NAN, NAN};
  }
  g->spec = (sw_geo_spec){.n_records = n,
                          .origin = g->origin,
                          .origins = g->origins,
                          .n_origins = g->F,
                          .ties = g->ties,
                          .chosen = g->chosen,
                          .n_regions = R,
                          .region_points = g->regions,
                          .target = g->target,
                          .n_periods = 1,
                          .n_covariates = 1,
                          .covariates = g->cov,
                          .covariate_names = COV_NAMES,
                          .cluster = g->cluster,
                          .n_clusters = g->F};
}

/* Choices drawn from the model over all regions with coefficients beta. */
static void geo_draw(geo_case *g, const double *beta, uint64_t seed) {
  sw_geo_design *gd;
  sw_geo_spec all = g->spec;
  all.n_sampled = 0;
  assert_int_equal(sw__geo_design_new(&all, &gd, NULL), SW_OK);
  const sw_design *d = sw__geo_design_get(gd);
  double *x = calloc(d->n_features * d->max_alts, sizeof *x);
  double *v = calloc(d->max_alts, sizeof *v);
  uint32_t *alt = calloc(d->max_alts, sizeof *alt);
  sw_rng r;
  sw__rng_init(&r, seed, 12345);
  for (size_t i = 0; i < g->n; i++) {
    size_t m, c;
    assert_int_equal(d->fill(d->user, i, x, alt, &m, &c), SW_OK);
    double s = 0;
    for (size_t j = 0; j < m; j++) {
      double u = 0;
      for (size_t k = 0; k < d->n_features; k++)
        u += beta[k] * x[k * d->max_alts + j];
      s += v[j] = exp(u);
    }
    double t = sw__rng_uniform(&r) * s;
    size_t j = 0;
    while (j + 1 < m && (t -= v[j]) > 0)
      j++;
    g->chosen[i] = alt[j];
  }
  free(x);
  free(v);
  free(alt);
  sw__geo_design_free(gd);
}

static void geo_clear(geo_case *g) {
  free(g->regions);
  free(g->origins);
  free(g->ties);
  free(g->origin);
  free(g->chosen);
  free(g->cluster);
  free(g->target);
  free(g->cov);
}

static void test_geo_features_follow_spec_definitions(void **state) {
  (void)state;
  geo_case g;
  geo_init(&g, 50, 30, 1);
  sw_geo_design *gd;
  assert_int_equal(sw__geo_design_new(&g.spec, &gd, NULL), SW_OK);
  const sw_design *d = sw__geo_design_get(gd);
  assert_int_equal(d->n_features, 4);
  assert_string_equal(d->names[0], "log1p_km_origin");
  assert_string_equal(d->names[1], "log1p_km_ties");
  assert_string_equal(d->names[2], "target");
  assert_string_equal(d->names[3], "income");
  size_t S = d->max_alts;
  double *x = calloc(4 * S, sizeof *x);
  uint32_t *alt = calloc(S, sizeof *alt);
  for (size_t i = 0; i < g.n; i++) {
    size_t m, c;
    assert_int_equal(d->fill(d->user, i, x, alt, &m, &c), SW_OK);
    assert_int_equal(m, g.R);
    assert_int_equal(alt[c], g.chosen[i]);
    for (size_t j = 0; j < m; j++) {
      sw_point rp = g.regions[alt[j]];
      double ko = sw_haversine_km(g.origins[g.origin[i]], rp);
      /* Chord-based km equals geodesy.c's haversine to 1e-9 relative. */
      assert_rel(expm1(x[j]), ko, 1e-9);
      if (isnan(g.ties[i].lat_deg))
        assert_true(x[S + j] == 0);
      else
        assert_rel(expm1(x[S + j]), sw_haversine_km(g.ties[i], rp), 1e-9);
      assert_true(x[2 * S + j] == g.target[alt[j]]);
      assert_true(x[3 * S + j] == g.cov[alt[j]]);
    }
  }
  free(x);
  free(alt);
  sw__geo_design_free(gd);
  geo_clear(&g);
}

/* The spline terms: log1p of each distance's km within 50, then its km in
 * the bands 50-200, 200-800 and past 800, over 100, from the origin and
 * from ties (all 0 for a record without ties), then the target and the
 * covariates. */
static void test_geo_spline_features_follow_the_basis(void **state) {
  (void)state;
  geo_case g;
  geo_init(&g, 50, 30, 1);
  g.spec.spline = true;
  sw_geo_design *gd;
  assert_int_equal(sw__geo_design_new(&g.spec, &gd, NULL), SW_OK);
  const sw_design *d = sw__geo_design_get(gd);
  assert_int_equal(d->n_features, 10);
  assert_int_equal(sw__geo_target_feature(&g.spec), 8);
  assert_string_equal(d->names[0], "origin_log1p_km_to50");
  assert_string_equal(d->names[3], "origin_100km_past800");
  assert_string_equal(d->names[4], "ties_log1p_km_to50");
  assert_string_equal(d->names[6], "ties_100km_200to800");
  assert_string_equal(d->names[8], "target");
  assert_string_equal(d->names[9], "income");
  const double bound[5] = {0, 50, 200, 800, HUGE_VAL};
  size_t S = d->max_alts;
  double *x = calloc(10 * S, sizeof *x);
  uint32_t *alt = calloc(S, sizeof *alt);
  bool beyond[3] = {false};
  for (size_t i = 0; i < g.n; i++) {
    size_t m, c;
    assert_int_equal(d->fill(d->user, i, x, alt, &m, &c), SW_OK);
    for (size_t j = 0; j < m; j++) {
      sw_point rp = g.regions[alt[j]];
      double km[2] = {
          sw_haversine_km(g.origins[g.origin[i]], rp),
          isnan(g.ties[i].lat_deg) ? NAN : sw_haversine_km(g.ties[i], rp)};
      for (size_t place = 0; place < 2; place++) {
        const double *col = x + 4 * place * S;
        if (isnan(km[place])) {
          for (size_t k = 0; k < 4; k++)
            assert_true(col[k * S + j] == 0);
          continue;
        }
        for (size_t b = 0; b < 4; b++) {
          double in = fmin(km[place], bound[b + 1]) - bound[b];
          double want = b == 0   ? log1p(fmin(km[place], 50))
                        : in > 0 ? in / 100
                                 : 0;
          if (want > 1e-6)
            assert_rel(col[b * S + j], want, 1e-9);
          else
            assert_true(fabs(col[b * S + j] - want) < 1e-9);
          if (b) beyond[b - 1] |= want > 0;
        }
      }
      assert_true(x[8 * S + j] == g.target[alt[j]]);
      assert_true(x[9 * S + j] == g.cov[alt[j]]);
    }
  }
  for (size_t k = 0; k < 3; k++) /* the draw exercises every knot */
    assert_true(beyond[k]);
  free(x);
  free(alt);
  sw__geo_design_free(gd);
  geo_clear(&g);
}

/* Terms that are 0 everywhere are flagged for omission: ties when no
 * record has any, and a band that no distance reaches (regions 0, ~111
 * and ~222 km from the one origin: the band past 800 km only). */
static void test_geo_flat_flags_unreached_knots_and_absent_ties(void **state) {
  (void)state;
  const sw_point regions[3] = {{40.0, -100.0}, {41.0, -100.0}, {42.0, -100.0}};
  const sw_point origins[1] = {{40.0, -100.0}};
  const sw_point ties[2] = {{NAN, NAN}, {NAN, NAN}};
  const uint32_t origin[2] = {0, 0}, chosen[2] = {1, 2};
  const uint8_t target[3] = {1, 0, 0};
  sw_geo_spec spec = {.n_records = 2,
                      .origin = origin,
                      .origins = origins,
                      .n_origins = 1,
                      .ties = ties,
                      .chosen = chosen,
                      .n_regions = 3,
                      .region_points = regions,
                      .target = target,
                      .n_periods = 1};
  for (int spline = 0; spline < 2; spline++) {
    spec.spline = spline;
    sw_geo_design *gd;
    assert_int_equal(sw__geo_design_new(&spec, &gd, NULL), SW_OK);
    bool omit[9] = {false};
    sw__geo_design_flat(gd, omit);
    const bool want_log1p[3] = {false, true, false};
    const bool want_spline[9] = {false, false, false, true, true,
                                 true,  true,  true,  false};
    for (size_t k = 0; k < (spline ? 9u : 3u); k++)
      assert_int_equal(omit[k], spline ? want_spline[k] : want_log1p[k]);
    sw__geo_design_free(gd);
  }
}

/* The chord formula at its extremes: 100 m apart and nearly antipodal. */
static void test_geo_distance_short_and_antipodal(void **state) {
  (void)state;
  const sw_point regions[3] = {{40.0, -100.0}, {-40.0, 80.0}, {10.0, 10.0}};
  const sw_point origins[1] = {{40.0009, -100.0}}; /* ~100 m north */
  const sw_point ties[1] = {{-39.99, 80.0}};       /* ~1 km from [1] */
  const uint32_t origin[1] = {0}, chosen[1] = {2};
  const uint8_t target[3] = {1, 0, 0};
  sw_geo_spec spec = {.n_records = 1,
                      .origin = origin,
                      .origins = origins,
                      .n_origins = 1,
                      .ties = ties,
                      .chosen = chosen,
                      .n_regions = 3,
                      .region_points = regions,
                      .target = target,
                      .n_periods = 1};
  sw_geo_design *gd;
  assert_int_equal(sw__geo_design_new(&spec, &gd, NULL), SW_OK);
  const sw_design *d = sw__geo_design_get(gd);
  double x[9];
  uint32_t alt[3];
  size_t m, c;
  assert_int_equal(d->fill(d->user, 0, x, alt, &m, &c), SW_OK);
  for (size_t j = 0; j < 3; j++) {
    assert_rel(expm1(x[j]), sw_haversine_km(origins[0], regions[j]), 1e-9);
    assert_rel(expm1(x[3 + j]), sw_haversine_km(ties[0], regions[j]), 1e-9);
  }
  assert_true(x[0] < 0.11 && x[1] > 9.9); /* log1p of ~0.1 and ~20,000 km */
  sw__geo_design_free(gd);
}

static void
test_sampled_alternatives_are_reproducible_and_uniform(void **state) {
  (void)state;
  enum { R = 40, K = 9, N = 4000 };
  geo_case g;
  geo_init(&g, N, R, 2);
  for (size_t i = 0; i < N; i++)
    g.chosen[i] = (uint32_t)(i % R);
  g.spec.n_sampled = K;
  g.spec.seed = 77;
  sw_geo_design *gd;
  assert_int_equal(sw__geo_design_new(&g.spec, &gd, NULL), SW_OK);
  const sw_design *d = sw__geo_design_get(gd);
  assert_int_equal(d->max_alts, K + 1);
  double x[4 * (K + 1)];
  uint32_t a1[K + 1], a2[K + 1];
  size_t count[R] = {0};
  size_t same_as_previous = 0;
  uint32_t prev[K + 1] = {0};
  for (size_t i = 0; i < N; i++) {
    size_t m, c;
    assert_int_equal(d->fill(d->user, i, x, a1, &m, &c), SW_OK);
    assert_int_equal(m, K + 1);
    assert_int_equal(c, 0);
    assert_int_equal(a1[0], g.chosen[i]);
    assert_int_equal(d->fill(d->user, i, x, a2, &m, &c), SW_OK);
    assert_memory_equal(a1, a2, sizeof a1); /* regenerated, not stored */
    for (size_t j = 0; j < m; j++) {
      assert_true(a1[j] < R);
      for (size_t l = 0; l < j; l++)
        assert_true(a1[j] != a1[l]);
      if (j) count[a1[j]]++;
    }
    same_as_previous += memcmp(a1 + 1, prev + 1, K * sizeof *a1) == 0;
    memcpy(prev, a1, sizeof prev);
  }
  assert_int_equal(same_as_previous, 0);
  /* Each region is drawn as a non-chosen alternative with probability
   * K/(R-1) whenever it is not the chosen one: chi-square over regions. */
  double expect = (double)(N - N / R) * K / (R - 1), chi2 = 0;
  for (size_t j = 0; j < R; j++)
    chi2 += (count[j] - expect) * (count[j] - expect) / expect;
  if (!(chi2 < 80)) fail_msg("chi-square %g over %d regions", chi2, R);
  /* Another seed, another sample. */
  sw_geo_design *gd2;
  g.spec.seed = 78;
  assert_int_equal(sw__geo_design_new(&g.spec, &gd2, NULL), SW_OK);
  size_t m, c;
  assert_int_equal(d->fill(d->user, 5, x, a1, &m, &c), SW_OK);
  const sw_design *d2 = sw__geo_design_get(gd2);
  assert_int_equal(d2->fill(d2->user, 5, x, a2, &m, &c), SW_OK);
  assert_true(memcmp(a1, a2, sizeof a1) != 0);
  sw__geo_design_free(gd2);
  sw__geo_design_free(gd);
  geo_clear(&g);
}

/* A subset's design that borrows the tables of the design of all records
 * (spec.share) fills exactly what a design of its own fills, also when a
 * ties place of the subset is not among the parent's. */
static void test_geo_subset_sharing_tables_fills_the_same(void **state) {
  (void)state;
  enum { N = 200, R = 30, M = N / 2 };
  geo_case g;
  geo_init(&g, N, R, 5);
  for (size_t i = 0; i < N; i++)
    g.chosen[i] = (uint32_t)(i % R);
  sw_geo_design *all;
  assert_int_equal(sw__geo_design_new(&g.spec, &all, NULL), SW_OK);
  uint32_t origin[M], chosen[M], cluster[M];
  sw_point ties[M];
  for (int stranger = 0; stranger < 2; stranger++) {
    for (size_t i = 0; i < M; i++) {
      origin[i] = g.origin[2 * i + 1];
      chosen[i] = g.chosen[2 * i + 1];
      cluster[i] = g.cluster[2 * i + 1];
      ties[i] = g.ties[2 * i + 1];
    }
    if (stranger) ties[7] = (sw_point){30.5, -100.25}; /* not in the parent */
    sw_geo_spec sub = g.spec;
    sub.n_records = M;
    sub.origin = origin;
    sub.chosen = chosen;
    sub.cluster = cluster;
    sub.ties = ties;
    sw_geo_design *own, *shared;
    assert_int_equal(sw__geo_design_new(&sub, &own, NULL), SW_OK);
    sub.share = all;
    assert_int_equal(sw__geo_design_new(&sub, &shared, NULL), SW_OK);
    const sw_design *d1 = sw__geo_design_get(own),
                    *d2 = sw__geo_design_get(shared);
    size_t p = d1->n_features;
    double x1[4 * R], x2[4 * R];
    uint32_t a1[R], a2[R];
    for (size_t i = 0; i < M; i++) {
      size_t m1, m2, c1, c2;
      assert_int_equal(d1->fill(d1->user, i, x1, a1, &m1, &c1), SW_OK);
      assert_int_equal(d2->fill(d2->user, i, x2, a2, &m2, &c2), SW_OK);
      assert_int_equal(m1, m2);
      assert_int_equal(c1, c2);
      assert_memory_equal(x1, x2, p * R * sizeof *x1);
    }
    sw__geo_design_free(shared);
    sw__geo_design_free(own);
  }
  sw__geo_design_free(all);
  geo_clear(&g);
}

static void test_geo_spec_out_of_range_is_usage(void **state) {
  (void)state;
  geo_case g;
  geo_init(&g, 10, 5, 3);
  g.chosen[4] = 5;
  sw_geo_design *gd = (sw_geo_design *)&g;
  sw_error e;
  assert_int_equal(sw__geo_design_new(&g.spec, &gd, &e), SW_E_USAGE);
  assert_null(gd);
  assert_non_null(strstr(e.message, "record 4"));
  g.chosen[4] = 4;
  g.cov[3] = NAN;
  assert_int_equal(sw__geo_design_new(&g.spec, &gd, &e), SW_E_USAGE);
  assert_non_null(strstr(e.message, "\"income\" of region 3"));
  geo_clear(&g);
}

static bool bits_equal(const double *a, const double *b, size_t n) {
  return memcmp(a, b, n * sizeof *a) == 0;
}

static const double TRUTH4[4] = {-1.1, -0.8, 0.4, 0.3};

/* n records over R regions drawn from TRUTH4, and their design. */
static sw_geo_design *drawn_design(geo_case *g, size_t n, size_t R) {
  geo_init(g, n, R, 4);
  geo_draw(g, TRUTH4, 4);
  sw_geo_design *gd;
  assert_int_equal(sw__geo_design_new(&g->spec, &gd, NULL), SW_OK);
  return gd;
}

static void assert_same_fit(const sw_model_result *a,
                            const sw_model_result *b) {
  assert_true(bits_equal(a->estimate, b->estimate, 4));
  assert_true(bits_equal(a->se, b->se, 4));
  assert_true(bits_equal(a->se_cluster, b->se_cluster, 4));
  assert_true(bits_equal(&a->log_likelihood, &b->log_likelihood, 1));
}

static void test_fit_is_bitwise_identical_for_1_and_2_threads(void **state) {
  (void)state;
  geo_case g;
  sw_geo_design *gd = drawn_design(&g, 3000, 60);
  const sw_design *d = sw__geo_design_get(gd);
  sw_model_result *f1, *f2;
  sw_model_opts o1 = {.threads = 1, .want_mass = true, .mass_feature = 2},
                o2 = {.threads = 2};
  assert_int_equal(sw_model_fit(d, &o1, &f1, NULL), SW_OK);
  assert_int_equal(sw_model_fit(d, &o2, &f2, NULL), SW_OK);
  assert_same_fit(f1, f2);
  /* The estimates recover the truth within a few standard errors. */
  for (size_t k = 0; k < 4; k++)
    if (fabs(f1->estimate[k] - TRUTH4[k]) > 4 * f1->se[k])
      fail_msg("%s: %g vs truth %g (se %g)", f1->names[k], f1->estimate[k],
               TRUTH4[k], f1->se[k]);
  assert_int_equal(f1->n_clusters, 20);
  double m1[3000], m2[3000], e1[60], e2[60];
  assert_int_equal(sw_model_predict(d, f1->estimate, 2, 1, m1, e1, 60, NULL),
                   SW_OK);
  assert_int_equal(sw_model_predict(d, f1->estimate, 2, 2, m2, e2, 60, NULL),
                   SW_OK);
  assert_true(bits_equal(m1, m2, 3000));
  assert_true(bits_equal(e1, e2, 60));
  /* The fit's own mass is the prediction's, at no extra pass. */
  assert_true(bits_equal(f1->mass, m1, 3000));
  assert_null(f2->mass);
  sw_model_result_free(f1);
  sw_model_result_free(f2);
  sw__geo_design_free(gd);
  geo_clear(&g);
}

/* A provider that fails at some records: the error must name the lowest,
 * however many threads race past it. */
static sw_status failing_fill(void *user, size_t i, double *x, uint32_t *alt,
                              size_t *n_alt, size_t *chosen) {
  if (i == 700 || i == 1500 || i == 2900) return SW_E_IO;
  return mem_fill(user, i, x, alt, n_alt, chosen);
}

static void test_provider_failure_names_the_lowest_record(void **state) {
  (void)state;
  mem_design md;
  mem_init(&md, 3000, 2, 5);
  sw_rng r;
  sw__rng_init(&r, 7, 0);
  for (size_t i = 0; i < md.n; i++)
    for (size_t k = 0; k < md.p; k++)
      for (size_t j = 0; j < md.m; j++)
        *X(&md, i, k, j) = sw__rng_uniform(&r);
  const double beta[2] = {1, -1};
  mem_draw(&md, beta, &r);
  sw_design d = mem_as_design(&md);
  d.fill = failing_fill;
  for (unsigned threads = 1; threads <= 4; threads++) {
    sw_model_opts o = {.threads = threads};
    sw_model_result *res = NULL;
    sw_error e;
    assert_int_equal(sw_model_fit(&d, &o, &res, &e), SW_E_IO);
    assert_null(res);
    if (!strstr(e.message, "failed at record 700 "))
      fail_msg("%u threads: %s", threads, e.message);
  }
  mem_clear(&md);
}

/* Every kernel build (model_pass.h) must give the same bits: the widest
 * this CPU runs against the portable one, on 61 alternatives so that the
 * vector loops' tails (61 = 4 * 15 + 1 = 2 * 30 + 1) are exercised. */
static void test_kernels_give_bitwise_identical_fits(void **state) {
  (void)state;
  const model_kernel *widest = sw__model_kernel();
  assert_int_equal(setenv("STEERWATCH_KERNEL", "baseline", 1), 0);
  const model_kernel *base = sw__model_kernel();
  assert_string_equal(base->name, "baseline");
  assert_int_equal(unsetenv("STEERWATCH_KERNEL"), 0);
  if (widest == base) skip(); /* no wider kernel on this CPU or build */
  geo_case g;
  sw_geo_design *gd = drawn_design(&g, 1000, 61);
  const sw_design *d = sw__geo_design_get(gd);
  sw_model_result *fit[2];
  double mass[2][1000], expected[2][61];
  for (int k = 0; k < 2; k++) {
    if (k == 1) assert_int_equal(setenv("STEERWATCH_KERNEL", "baseline", 1), 0);
    sw_model_opts o = {.threads = 2};
    assert_int_equal(sw_model_fit(d, &o, &fit[k], NULL), SW_OK);
    assert_int_equal(sw_model_predict(d, fit[k]->estimate, 2, 2, mass[k],
                                      expected[k], 61, NULL),
                     SW_OK);
  }
  assert_int_equal(unsetenv("STEERWATCH_KERNEL"), 0);
  assert_same_fit(fit[0], fit[1]);
  assert_true(bits_equal(mass[0], mass[1], 1000));
  assert_true(bits_equal(expected[0], expected[1], 61));
  sw_model_result_free(fit[0]);
  sw_model_result_free(fit[1]);
  sw__geo_design_free(gd);
  geo_clear(&g);
}

/* The fit with a constant per region (model_fe.c): the same bits for any
 * thread count and kernel, the constants pinned at the first chosen
 * region, -inf for a region never chosen, and a region covariate (constant
 * within each region) refused as collinear with the constants. */
static void test_region_constants(void **state) {
  (void)state;
  enum { N = 2000, R = 41 };
  geo_case g;
  geo_init(&g, N, R, 9);
  geo_draw(&g, TRUTH4, 9);
  for (size_t i = 0; i < N; i++) /* nobody goes to region 7 */
    if (g.chosen[i] == 7) g.chosen[i] = 8;
  sw_geo_design *gd;
  assert_int_equal(sw__geo_design_new(&g.spec, &gd, NULL), SW_OK);
  const sw_design *d = sw__geo_design_get(gd);
  /* The target is constant within regions too: only the distances are
   * identified beside the constants. */
  bool omit[4] = {false, false, true, true};
  sw_model_result *fit[3];
  for (int k = 0; k < 3; k++) {
    if (k == 2) assert_int_equal(setenv("STEERWATCH_KERNEL", "baseline", 1), 0);
    sw_model_opts o = {.threads = k ? 2 : 1, .omit = omit, .n_constants = R};
    assert_int_equal(sw_model_fit(d, &o, &fit[k], NULL), SW_OK);
  }
  assert_int_equal(unsetenv("STEERWATCH_KERNEL"), 0);
  assert_same_fit(fit[0], fit[1]);
  assert_same_fit(fit[0], fit[2]);
  assert_true(bits_equal(fit[0]->constants, fit[1]->constants, R));
  assert_int_equal(fit[0]->n_constants, R);
  size_t ref = R;
  for (size_t j = 0; j < R && ref == R; j++)
    for (size_t i = 0; i < N && ref == R; i++)
      if (g.chosen[i] == j) ref = j;
  assert_true(fit[0]->constants[ref] == 0);
  assert_true(isinf(fit[0]->constants[7]) && fit[0]->constants[7] < 0);
  assert_true(fit[0]->gradient_norm < 1e-8);
  for (size_t k = 0; k < 2; k++)
    if (fabs(fit[0]->estimate[k] - TRUTH4[k]) > 4 * fit[0]->se[k])
      fail_msg("%s: %g vs truth %g (se %g)", fit[0]->names[k],
               fit[0]->estimate[k], TRUTH4[k], fit[0]->se[k]);
  for (int k = 0; k < 3; k++)
    sw_model_result_free(fit[k]);

  sw_error e;
  sw_model_result *bad = NULL;
  bool covariate[4] = {false, false, true, false};
  sw_model_opts o = {.threads = 2, .omit = covariate, .n_constants = R};
  assert_int_equal(sw_model_fit(d, &o, &bad, &e), SW_E_MODEL);
  assert_non_null(strstr(e.message, "income"));
  o = (sw_model_opts){.threads = 2, .omit = omit, .n_constants = R - 1};
  assert_int_equal(sw_model_fit(d, &o, &bad, &e), SW_E_USAGE);
  assert_non_null(strstr(e.message, "beyond the constants"));
  assert_null(bad);
  sw__geo_design_free(gd);
  geo_clear(&g);
}

/* docs/errors.md's example: every record released into the target. */
static void test_all_releases_into_target_is_separation(void **state) {
  (void)state;
  geo_case g;
  geo_init(&g, 600, 30, 12);
  const double truth[4] = {-1.0, -0.6, 0.0, 0.2};
  geo_draw(&g, truth, 12);
  for (size_t i = 0; i < g.n; i++)
    if (!g.target[g.chosen[i]]) g.chosen[i] = (uint32_t)(i % 3); /* 0..2 */
  sw_geo_design *gd;
  assert_int_equal(sw__geo_design_new(&g.spec, &gd, NULL), SW_OK);
  sw_model_result *fit;
  sw_error e;
  assert_int_equal(sw_model_fit(sw__geo_design_get(gd), NULL, &fit, &e),
                   SW_E_MODEL);
  assert_non_null(strstr(e.message, "separation"));
  assert_non_null(strstr(e.message, "\"target\""));
  sw__geo_design_free(gd);
  geo_clear(&g);
}

static void test_lr_test_of_the_target_term(void **state) {
  (void)state;
  geo_case g;
  geo_init(&g, 1500, 40, 6);
  const double truth[4] = {-1.0, -0.6, 0.5, 0.0};
  geo_draw(&g, truth, 6);
  g.spec.n_sampled = 15;
  g.spec.seed = 3;
  sw_geo_design *gd;
  assert_int_equal(sw__geo_design_new(&g.spec, &gd, NULL), SW_OK);
  const sw_design *d = sw__geo_design_get(gd);
  bool omit[4] = {false, false, true, false};
  sw_model_opts of = {.threads = 2}, orr = {.threads = 2, .omit = omit};
  sw_model_result *full, *restr;
  assert_int_equal(sw_model_fit(d, &of, &full, NULL), SW_OK);
  assert_int_equal(sw_model_fit(d, &orr, &restr, NULL), SW_OK);
  double lr, pv;
  assert_int_equal(sw_model_lr_test(full, restr, &lr, &pv, NULL), SW_OK);
  assert_true(lr > 20 && pv < 1e-5); /* gamma = 0.5 on 1,500 records */
  assert_rel(lr, 2 * (full->log_likelihood - restr->log_likelihood), 1e-15);
  assert_true(restr->estimate[2] == 0 && isnan(restr->se_cluster[2]));
  assert_int_equal(sw_model_lr_test(restr, full, &lr, &pv, NULL), SW_E_USAGE);
  sw_model_result_free(full);
  sw_model_result_free(restr);
  sw__geo_design_free(gd);
  geo_clear(&g);
}

/* Calibration smoke test (about 200 fits x 2): with gamma = 0 the LR test
 * rejects at 0.05 in about 5% of data sets. */
static void
test_calibration_smoke_lr_size_under_null_200_datasets(void **state) {
  (void)state;
  enum { SETS = 200 };
  const double truth[4] = {-1.0, -0.7, 0.0, 0.4};
  int rejected = 0;
  for (int s = 0; s < SETS; s++) {
    geo_case g;
    geo_init(&g, 500, 20, 1000 + (uint64_t)s);
    geo_draw(&g, truth, 5000 + (uint64_t)s);
    sw_geo_design *gd;
    assert_int_equal(sw__geo_design_new(&g.spec, &gd, NULL), SW_OK);
    const sw_design *d = sw__geo_design_get(gd);
    bool omit[4] = {false, false, true, false};
    sw_model_opts of = {.threads = 2}, orr = {.threads = 2, .omit = omit};
    sw_model_result *full, *restr;
    assert_int_equal(sw_model_fit(d, &of, &full, NULL), SW_OK);
    assert_int_equal(sw_model_fit(d, &orr, &restr, NULL), SW_OK);
    double lr, pv;
    assert_int_equal(sw_model_lr_test(full, restr, &lr, &pv, NULL), SW_OK);
    rejected += pv < 0.05;
    sw_model_result_free(full);
    sw_model_result_free(restr);
    sw__geo_design_free(gd);
    geo_clear(&g);
  }
  print_message("calibration: %d of %d null data sets rejected at 0.05\n",
                rejected, SETS);
  /* Binomial(200, 0.05): mean 10, sd 3.08; 99.9% band is about [1, 21]. */
  if (rejected < 1 || rejected > 21)
    fail_msg("%d of %d null data sets rejected at 0.05", rejected, SETS);
}

/* Fail each allocation of a design build and a fit in turn: SW_E_NOMEM,
 * *out NULL, nothing leaked (LeakSanitizer in the sanitizer build). */
static void test_out_of_memory_at_each_allocation(void **state) {
  (void)state;
  geo_case g;
  geo_init(&g, 200, 12, 8);
  const double truth[4] = {-1.0, -0.5, 0.3, 0.2};
  geo_draw(&g, truth, 8);
  bool omit[4] = {false, false, false, false};
  sw_model_opts o = {
      .threads = 2, .omit = omit, .want_mass = true, .mass_feature = 2};
  sw__alloc_fail_at(0);
  sw_geo_design *gd;
  sw_model_result *fit;
  assert_int_equal(sw__geo_design_new(&g.spec, &gd, NULL), SW_OK);
  uint64_t n_design = sw__alloc_fail_at(0);
  assert_int_equal(sw_model_fit(sw__geo_design_get(gd), &o, &fit, NULL), SW_OK);
  uint64_t n_fit = sw__alloc_fail_at(0);
  sw_model_result_free(fit);
  assert_true(n_design > 0 && n_fit > 0);
  for (uint64_t k = 1; k <= n_fit; k++) {
    sw__alloc_fail_at(k);
    fit = (sw_model_result *)&g;
    sw_error e;
    assert_int_equal(sw_model_fit(sw__geo_design_get(gd), &o, &fit, &e),
                     SW_E_NOMEM);
    assert_null(fit);
  }
  sw__alloc_fail_at(0);
  sw__geo_design_free(gd);
  for (uint64_t k = 1; k <= n_design; k++) {
    sw__alloc_fail_at(k);
    gd = (sw_geo_design *)&g;
    assert_int_equal(sw__geo_design_new(&g.spec, &gd, NULL), SW_E_NOMEM);
    assert_null(gd);
  }
  sw__alloc_fail_at(0);
  geo_clear(&g);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_two_alternatives_equal_binary_logit),
      cmocka_unit_test(test_gradient_vanishes_at_the_estimates),
      cmocka_unit_test(test_constant_feature_is_sw_e_model_naming_it),
      cmocka_unit_test(test_nan_feature_is_sw_e_model_naming_it),
      cmocka_unit_test(test_separation_is_sw_e_model),
      cmocka_unit_test(test_collinear_features_are_singular),
      cmocka_unit_test(test_predict_mass_matches_direct_softmax),
      cmocka_unit_test(test_geo_features_follow_spec_definitions),
      cmocka_unit_test(test_geo_distance_short_and_antipodal),
      cmocka_unit_test(test_sampled_alternatives_are_reproducible_and_uniform),
      cmocka_unit_test(test_geo_subset_sharing_tables_fills_the_same),
      cmocka_unit_test(test_geo_spec_out_of_range_is_usage),
      cmocka_unit_test(test_fit_is_bitwise_identical_for_1_and_2_threads),
      cmocka_unit_test(test_provider_failure_names_the_lowest_record),
      cmocka_unit_test(test_kernels_give_bitwise_identical_fits),
      cmocka_unit_test(test_geo_spline_features_follow_the_basis),
      cmocka_unit_test(test_geo_flat_flags_unreached_knots_and_absent_ties),
      cmocka_unit_test(test_region_constants),
      cmocka_unit_test(test_all_releases_into_target_is_separation),
      cmocka_unit_test(test_lr_test_of_the_target_term),
      cmocka_unit_test(test_out_of_memory_at_each_allocation),
      cmocka_unit_test(test_calibration_smoke_lr_size_under_null_200_datasets),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
