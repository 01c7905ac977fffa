/*
 * test_index.c — the point-in-polygon index: holes, shared edges and
 * vertices (each point in exactly one region, on_boundary set), multipolygons,
 * concave rings, points outside or NaN, and a randomized comparison with a
 * brute-force even-odd scan over the real US counties.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "regions.h"
#include "testutil.h"

typedef struct shape {
  const char *id;
  const double *xy; /* lon,lat pairs */
  size_t n;
  bool hole;
} shape;

static sw_regions *build(const shape *s, size_t n) {
  sw_regions_builder *b = sw__regions_builder_new();
  assert_non_null(b);
  sw_error err;
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || strcmp(s[i].id, s[i - 1].id) != 0)
      assert_int_equal(
          sw__regions_builder_feature(b, s[i].id, strlen(s[i].id), &err),
          SW_OK);
    assert_int_equal(
        sw__regions_builder_ring(b, s[i].xy, s[i].n, s[i].hole, &err), 1);
  }
  sw_regions *g;
  assert_int_equal(sw__regions_builder_finish(b, &g, &err), SW_OK);
  return g;
}

static sw_index *index_of(const sw_regions *g) {
  sw_index *ix;
  sw_error err;
  assert_int_equal(sw_index_build(g, &ix, &err), SW_OK);
  return ix;
}

static const char *where(const sw_index *ix, const sw_regions *g, double lon,
                         double lat, bool *on) {
  size_t r = sw_index_locate(ix, (sw_point){lat, lon}, on);
  return r == SW_NO_REGION ? "-" : sw_regions_id(g, r);
}

/* Brute force: even-odd over every ring of every region, lowest region
 * first, with the documented rule written out plainly: edge lower end
 * first, crossed when y0 <= py < y1 and p is strictly left of it. */
static size_t brute(const sw_regions *g, double px, double py) {
  for (size_t i = 0; i < sw_regions_count(g); i++) {
    bool in = false;
    for (size_t k = 0; k < sw_regions_n_rings(g, i); k++) {
      size_t n;
      const double *p = sw_regions_ring(g, i, k, &n, NULL);
      for (size_t j = 0; j + 1 < n; j++) {
        double x0 = p[2 * j], y0 = p[2 * j + 1];
        double x1 = p[2 * j + 2], y1 = p[2 * j + 3];
        if (y0 > y1 || (y0 == y1 && x0 > x1)) {
          double t = x0;
          x0 = x1;
          x1 = t;
          t = y0;
          y0 = y1;
          y1 = t;
        }
        if (y0 <= py && py < y1 &&
            (x1 - x0) * (py - y0) - (y1 - y0) * (px - x0) > 0)
          in = !in;
      }
    }
    if (in) return i;
  }
  return SW_NO_REGION;
}

static const double square[] = {0, 0, 10, 0, 10, 10, 0, 10, 0, 0};
static const double hole[] = {3, 3, 3, 7, 7, 7, 7, 3, 3, 3};

static void test_index_point_in_hole_is_in_no_region(void **state) {
  (void)state;
  shape s[] = {{"A", square, 5, false}, {"A", hole, 5, true}};
  sw_regions *g = build(s, 2);
  sw_index *ix = index_of(g);
  bool on;
  assert_string_equal(where(ix, g, 5, 5, &on), "-");
  assert_false(on);
  assert_string_equal(where(ix, g, 1, 1, &on), "A");
  assert_false(on);
  assert_string_equal(where(ix, g, 8.5, 5, &on), "A");
  /* On the hole's edges: by the half-open rule a point on a vertical edge
   * belongs to the side on its right. */
  assert_string_equal(where(ix, g, 3, 5, &on), "-");
  assert_true(on);
  assert_string_equal(where(ix, g, 7, 5, &on), "A");
  assert_true(on);
  sw_index_free(ix);
  sw_regions_free(g);
}

static const double left_sq[] = {0, 0, 1, 0, 1, 1, 0, 1, 0, 0};
/* Opposite orientation on purpose: shared edges are traversed both ways. */
static const double right_sq[] = {1, 0, 1, 1, 2, 1, 2, 0, 1, 0};

static void test_index_shared_edge_gives_exactly_one(void **state) {
  (void)state;
  shape s[] = {{"L", left_sq, 5, false}, {"R", right_sq, 5, false}};
  sw_regions *g = build(s, 2);
  sw_index *ix = index_of(g);
  bool on;
  /* The half-open rule gives points on the shared vertical edge to the
   * region on its right (the edge counts only when px < its x). */
  for (int k = 1; k < 100; k++) {
    double y = k / 100.0;
    assert_string_equal(where(ix, g, 1, y, &on), "R");
    assert_true(on);
  }
  /* Shared vertices and the lower edge: y = 0 is in (rule y0 <= py < y1),
   * y = 1 is out. */
  assert_string_equal(where(ix, g, 1, 0, &on), "R");
  assert_true(on);
  assert_string_equal(where(ix, g, 1, 1, &on), "-");
  assert_true(on);
  assert_string_equal(where(ix, g, 0.5, 0, &on), "L");
  assert_true(on);
  assert_string_equal(where(ix, g, 0, 0.5, &on), "L");
  assert_true(on);
  assert_string_equal(where(ix, g, 2, 0.5, &on), "-");
  assert_true(on);
  assert_string_equal(where(ix, g, 0.5, 0.5, &on), "L");
  assert_false(on);
  assert_string_equal(where(ix, g, 1.5, 0.5, &on), "R");
  assert_false(on);
  /* Deterministic: the same answer every time. */
  for (int k = 0; k < 10; k++)
    assert_string_equal(where(ix, g, 1, 0.37, NULL), "R");
  sw_index_free(ix);
  sw_regions_free(g);
}

static const double low_sq[] = {0, 0, 1, 0, 1, 1, 0, 1, 0, 0};
static const double high_sq[] = {0, 1, 1, 1, 1, 2, 0, 2, 0, 1};

static void test_index_shared_horizontal_edge_goes_north(void **state) {
  (void)state;
  shape s[] = {{"S", low_sq, 5, false}, {"N", high_sq, 5, false}};
  sw_regions *g = build(s, 2);
  sw_index *ix = index_of(g);
  bool on;
  for (int k = 1; k < 100; k++) {
    assert_string_equal(where(ix, g, k / 100.0, 1, &on), "N");
    assert_true(on);
  }
  assert_string_equal(where(ix, g, 0, 1, &on), "N");
  assert_string_equal(where(ix, g, 1, 1, &on), "-");
  sw_index_free(ix);
  sw_regions_free(g);
}

static const double q_sw[] = {0, 0, 1, 0, 1, 1, 0, 1, 0, 0};
static const double q_se[] = {1, 0, 2, 0, 2, 1, 1, 1, 1, 0};
static const double q_nw[] = {0, 1, 1, 1, 1, 2, 0, 2, 0, 1};
static const double q_ne[] = {1, 1, 1, 2, 2, 2, 2, 1, 1, 1};

static void test_index_vertex_of_four_goes_north_east(void **state) {
  (void)state;
  shape s[] = {{"SW", q_sw, 5, false},
               {"SE", q_se, 5, false},
               {"NW", q_nw, 5, false},
               {"NE", q_ne, 5, false}};
  sw_regions *g = build(s, 4);
  sw_index *ix = index_of(g);
  bool on;
  assert_string_equal(where(ix, g, 1, 1, &on), "NE");
  assert_true(on);
  /* Every grid point of the 2x2 block but the outline's east and north
   * sides lands in exactly one square; count them. */
  int n_in = 0;
  for (int i = 0; i <= 8; i++)
    for (int j = 0; j <= 8; j++) {
      size_t r = sw_index_locate(ix, (sw_point){j / 4.0, i / 4.0}, NULL);
      if (r != SW_NO_REGION) n_in++;
    }
  assert_int_equal(n_in, 64);
  sw_index_free(ix);
  sw_regions_free(g);
}

/* A diagonal shared edge, where the crossing x is computed, not given. */
static const double tri_a[] = {0, 0, 3, 1, 0, 1, 0, 0};
static const double tri_b[] = {0, 0, 3, 0, 3, 1, 0, 0};

static void test_index_shared_diagonal_gives_exactly_one(void **state) {
  (void)state;
  shape s[] = {{"A", tri_a, 4, false}, {"B", tri_b, 4, false}};
  sw_regions *g = build(s, 2);
  sw_index *ix = index_of(g);
  int n_a = 0, n_b = 0;
  for (int k = 1; k < 300; k++) {
    double x = k / 100.0, y = x / 3;
    size_t r = sw_index_locate(ix, (sw_point){y, x}, NULL);
    assert_true(r != SW_NO_REGION);
    if (r == 0) n_a++;
    if (r == 1) n_b++;
    /* Same answer as a second query. */
    assert_int_equal(sw_index_locate(ix, (sw_point){y, x}, NULL), r);
  }
  assert_int_equal(n_a + n_b, 299);
  sw_index_free(ix);
  sw_regions_free(g);
}

static const double part1[] = {0, 0, 1, 0, 1, 1, 0, 1, 0, 0};
static const double part2[] = {5, 5, 6, 5, 6, 6, 5, 6, 5, 5};

static void test_index_multipolygon_parts_all_count(void **state) {
  (void)state;
  shape s[] = {{"M", part1, 5, false}, {"M", part2, 5, false}};
  sw_regions *g = build(s, 2);
  assert_int_equal(sw_regions_count(g), 1);
  sw_index *ix = index_of(g);
  assert_string_equal(where(ix, g, 0.5, 0.5, NULL), "M");
  assert_string_equal(where(ix, g, 5.5, 5.5, NULL), "M");
  assert_string_equal(where(ix, g, 3, 3, NULL), "-");
  assert_string_equal(where(ix, g, 0.5, 5.5, NULL), "-");
  sw_index_free(ix);
  sw_regions_free(g);
}

/* A "U": the notch between the arms is outside. */
static const double u_shape[] = {0, 0, 3, 0, 3, 3, 2, 3, 2,
                                 1, 1, 1, 1, 3, 0, 3, 0, 0};

static void test_index_concave_notch_is_outside(void **state) {
  (void)state;
  shape s[] = {{"U", u_shape, 9, false}};
  sw_regions *g = build(s, 1);
  sw_index *ix = index_of(g);
  assert_string_equal(where(ix, g, 1.5, 2, NULL), "-");
  assert_string_equal(where(ix, g, 0.5, 2, NULL), "U");
  assert_string_equal(where(ix, g, 2.5, 2, NULL), "U");
  assert_string_equal(where(ix, g, 1.5, 0.5, NULL), "U");
  /* The ray from here passes through the notch's corner vertices. */
  assert_string_equal(where(ix, g, 0.5, 1, NULL), "U");
  assert_string_equal(where(ix, g, 0.5, 3, NULL), "-");
  sw_index_free(ix);
  sw_regions_free(g);
}

static void test_index_outside_extent_and_nan_are_none(void **state) {
  (void)state;
  shape s[] = {{"A", square, 5, false}};
  sw_regions *g = build(s, 1);
  sw_index *ix = index_of(g);
  bool on = true;
  assert_string_equal(where(ix, g, -1, 5, &on), "-");
  assert_false(on);
  assert_string_equal(where(ix, g, 5, 11, &on), "-");
  assert_string_equal(where(ix, g, NAN, 5, &on), "-");
  assert_false(on);
  assert_string_equal(where(ix, g, 5, NAN, &on), "-");
  assert_string_equal(where(ix, g, INFINITY, 5, &on), "-");
  assert_string_equal(where(ix, g, 5, -INFINITY, &on), "-");
  sw_index_free(ix);
  sw_regions_free(g);
}

static const double big[] = {0, 0, 10, 0, 10, 10, 0, 10, 0, 0};
static const double small_[] = {4, 4, 6, 4, 6, 6, 4, 6, 4, 4};

static void test_index_overlap_lowest_region_wins(void **state) {
  (void)state;
  shape s[] = {{"Z", big, 5, false}, {"Y", small_, 5, false}};
  sw_regions *g = build(s, 2);
  sw_index *ix = index_of(g);
  assert_string_equal(where(ix, g, 5, 5, NULL), "Z");
  sw_index_free(ix);
  sw_regions_free(g);
  shape t[] = {{"Y", small_, 5, false}, {"Z", big, 5, false}};
  g = build(t, 2);
  ix = index_of(g);
  assert_string_equal(where(ix, g, 5, 5, NULL), "Y");
  assert_string_equal(where(ix, g, 1, 1, NULL), "Z");
  sw_index_free(ix);
  sw_regions_free(g);
}

static void test_index_build_fails_cleanly_out_of_memory(void **state) {
  (void)state;
  shape s[] = {{"L", left_sq, 5, false}, {"R", right_sq, 5, false}};
  sw_regions *g = build(s, 2);
  sw__alloc_fail_at(0);
  sw_index *ix = index_of(g);
  sw_index_free(ix);
  uint64_t n = sw__alloc_fail_at(0);
  assert_true(n > 0);
  for (uint64_t k = 1; k <= n; k++) {
    sw__alloc_fail_at(k);
    sw_error err;
    sw_index *bad = (sw_index *)1;
    sw_status st = sw_index_build(g, &bad, &err);
    sw__alloc_fail_at(0);
    assert_int_equal(st, SW_E_NOMEM);
    assert_null(bad);
  }
  sw_regions_free(g);
}

/* xorshift64*: reproducible without depending on libc's rand. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static double uniform(double lo, double hi) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  uint64_t v = rng_state * 0x2545f4914f6cdd1dull;
  return lo + (hi - lo) * (double)(v >> 11) / 9007199254740992.0;
}

/* A long diagonal edge among many small regions (a fine grid): the edge is
 * kept only in the cells it passes through, and answers stay exact. */
static void test_index_long_diagonal_among_small_regions(void **state) {
  (void)state;
  sw_regions_builder *b = sw__regions_builder_new();
  sw_error err;
  static const double tri[] = {0, 0, 80, 0, 0, 80, 0, 0};
  assert_int_equal(sw__regions_builder_feature(b, "T", 1, &err), SW_OK);
  assert_int_equal(sw__regions_builder_ring(b, tri, 4, false, &err), 1);
  for (int i = 0; i < 40; i++)
    for (int j = 0; j < 40; j++) {
      char id[16];
      int n = snprintf(id, sizeof id, "s%d_%d", i, j);
      double x = 80.5 + i, y = 0.5 + j;
      double sq[] = {x, y, x + 0.4, y, x + 0.4, y + 0.4, x, y + 0.4, x, y};
      assert_int_equal(sw__regions_builder_feature(b, id, (size_t)n, &err),
                       SW_OK);
      assert_int_equal(sw__regions_builder_ring(b, sq, 5, false, &err), 1);
    }
  sw_regions *g;
  assert_int_equal(sw__regions_builder_finish(b, &g, &err), SW_OK);
  sw_index *ix = index_of(g);
  for (int k = 0; k < 20000; k++) {
    double x = uniform(-1, 121), y = uniform(-1, 81);
    if (k % 10 == 0) y = 80 - x; /* on the diagonal */
    size_t want = brute(g, x, y);
    size_t got = sw_index_locate(ix, (sw_point){y, x}, NULL);
    if (want != got)
      fail_msg("(%.17g, %.17g): index %zu, brute force %zu", x, y, got, want);
  }
  sw_index_free(ix);
  sw_regions_free(g);
}

static void test_index_matches_brute_force_on_counties(void **state) {
  (void)state;
  sw_regions *g;
  sw_error err;
  assert_int_equal(
      sw_regions_read(tu_data("counties-10m.json"), NULL, &g, &err), SW_OK);
  assert_true(sw_regions_count(g) > 3000);
  sw_index *ix = index_of(g);
  size_t n_in = 0;
  for (int k = 0; k < 20000; k++) {
    double x, y;
    if (k % 4 == 3) {
      /* A ring vertex, or a point on an edge: stress the boundary rule. */
      size_t i = (size_t)uniform(0, (double)sw_regions_count(g));
      size_t n;
      const double *p = sw_regions_ring(g, i, 0, &n, NULL);
      size_t j = (size_t)uniform(0, (double)(n - 1));
      x = p[2 * j];
      y = p[2 * j + 1];
      if (k % 8 == 7 && p[2 * j + 1] == p[2 * j + 3])
        x = (x + p[2 * j + 2]) / 2;
    } else {
      x = uniform(-125, -66);
      y = uniform(24, 50);
    }
    size_t want = brute(g, x, y),
           got = sw_index_locate(ix, (sw_point){y, x}, NULL);
    if (want != got)
      fail_msg("(%.17g, %.17g): index %zu, brute force %zu", x, y, got, want);
    if (got != SW_NO_REGION) n_in++;
  }
  assert_true(n_in > 10000);
  sw_index_free(ix);
  sw_regions_free(g);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_index_point_in_hole_is_in_no_region),
      cmocka_unit_test(test_index_shared_edge_gives_exactly_one),
      cmocka_unit_test(test_index_shared_horizontal_edge_goes_north),
      cmocka_unit_test(test_index_vertex_of_four_goes_north_east),
      cmocka_unit_test(test_index_shared_diagonal_gives_exactly_one),
      cmocka_unit_test(test_index_multipolygon_parts_all_count),
      cmocka_unit_test(test_index_concave_notch_is_outside),
      cmocka_unit_test(test_index_outside_extent_and_nan_are_none),
      cmocka_unit_test(test_index_overlap_lowest_region_wins),
      cmocka_unit_test(test_index_build_fails_cleanly_out_of_memory),
      cmocka_unit_test(test_index_long_diagonal_among_small_regions),
      cmocka_unit_test(test_index_matches_brute_force_on_counties),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
