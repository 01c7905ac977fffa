/*
 * test_geojson.c — the GeoJSON region reader: polygons with holes,
 * multipolygons, collections, id rules, skipped and degenerate features,
 * bad JSON, and allocation failures.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "testutil.h"

#define assert_near(a, b, eps)                                                 \
  do {                                                                         \
    double a_ = (a), b_ = (b);                                                 \
    if (!(fabs(a_ - b_) <= (eps)))                                             \
      fail_msg("%s = %.17g, expected %.17g within %g", #a, a_, b_,             \
               (double)(eps));                                                 \
  } while (0)

static sw_regions *read_ok(const char *text, const sw_regions_opts *opts) {
  const char *path = tu_temp_text(text, ".geojson");
  sw_regions *g = NULL;
  sw_error e;
  sw_status st = sw_regions_read(path, opts, &g, &e);
  if (st != SW_OK) fail_msg("read failed: %s", e.message);
  return g;
}

static sw_status read_err(const char *text, const sw_regions_opts *opts,
                          sw_error *e) {
  const char *path = tu_temp_text(text, ".geojson");
  sw_regions *g = (sw_regions *)1;
  sw_status st = sw_regions_read(path, opts, &g, e);
  assert_null(g);
  return st;
}

#define SQUARE_WITH_HOLE                                                       \
  "{\"type\":\"Feature\",\"id\":\"A\",\"properties\":{},\"geometry\":"         \
  "{\"type\":\"Polygon\",\"coordinates\":["                                    \
  "[[0,0],[10,0],[10,10],[0,10],[0,0]],"                                       \
  "[[1,1],[1,3],[3,3],[3,1],[1,1]]]}}"

static void test_geojson_square_with_hole(void **state) {
  (void)state;
  sw_regions *g = read_ok(SQUARE_WITH_HOLE, NULL);
  assert_int_equal(sw_regions_count(g), 1);
  assert_string_equal(sw_regions_id(g, 0), "A");
  assert_int_equal(sw_regions_n_rings(g, 0), 2);
  size_t n;
  bool hole;
  const double *xy = sw_regions_ring(g, 0, 0, &n, &hole);
  assert_int_equal(n, 5);
  assert_false(hole);
  assert_true(xy[2] == 10 && xy[3] == 0);
  sw_regions_ring(g, 0, 1, &n, &hole);
  assert_true(hole);
  /* Area 100 minus the 2x2 hole centred at (2,2): x = (500 - 8) / 96. */
  sw_point c = sw_regions_centroid(g, 0);
  assert_near(c.lon_deg, 492.0 / 96, 1e-12);
  assert_near(c.lat_deg, 492.0 / 96, 1e-12);
  sw_regions_free(g);
}

static void test_geojson_multipolygon_is_one_region(void **state) {
  (void)state;
  sw_regions *g = read_ok(
      "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
      "\"id\":\"M\",\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":"
      "[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],"
      "[[[10,0],[13,0],[13,1],[10,1],[10,0]]]]}}]}",
      NULL);
  assert_int_equal(sw_regions_count(g), 1);
  assert_int_equal(sw_regions_n_rings(g, 0), 2);
  /* Areas 1 and 3, centroids at x 0.5 and 11.5. */
  sw_point c = sw_regions_centroid(g, 0);
  assert_near(c.lon_deg, (0.5 + 3 * 11.5) / 4, 1e-12);
  assert_near(c.lat_deg, 0.5, 1e-12);
  sw_regions_free(g);
}

static void test_geojson_open_ring_is_closed(void **state) {
  (void)state;
  sw_regions *g = read_ok("{\"type\":\"Polygon\",\"id\":7,\"coordinates\":"
                          "[[[0,0],[4,0],[4,4],[0,4]]]}",
                          NULL);
  assert_string_equal(sw_regions_id(g, 0), "7");
  size_t n;
  const double *xy = sw_regions_ring(g, 0, 0, &n, NULL);
  assert_int_equal(n, 5);
  assert_true(xy[8] == 0 && xy[9] == 0);
  sw_regions_free(g);
}

static void test_geojson_non_polygonal_features_are_skipped(void **state) {
  (void)state;
  sw_regions *g =
      read_ok("{\"type\":\"FeatureCollection\",\"features\":["
              "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\","
              "\"coordinates\":[1,2]},\"properties\":null},"
              "{\"type\":\"Feature\",\"id\":\"L\",\"geometry\":{\"type\":"
              "\"LineString\",\"coordinates\":[[0,0],[1,1]]}},"
              "{\"type\":\"Feature\",\"id\":\"N\",\"geometry\":null},"
              "{\"type\":\"Feature\",\"id\":\"G\",\"geometry\":{\"type\":"
              "\"GeometryCollection\",\"geometries\":[{\"type\":\"Point\","
              "\"coordinates\":[5,5]},{\"type\":\"Polygon\",\"coordinates\":"
              "[[[0,0],[2,0],[2,2],[0,0]]]}]}}]}",
              NULL);
  assert_int_equal(sw_regions_count(g), 1);
  assert_string_equal(sw_regions_id(g, 0), "G");
  assert_int_equal(sw_regions_n_rings(g, 0), 1);
  assert_int_equal(sw_regions_n_skipped(g), 3);
  sw_regions_free(g);
}

#define TWO_FEATURES(ID1, P1, ID2, P2)                                         \
  "{\"type\":\"FeatureCollection\",\"features\":["                             \
  "{\"type\":\"Feature\"" ID1 ",\"properties\":" P1 ",\"geometry\":"           \
  "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}},"       \
  "{\"type\":\"Feature\"" ID2 ",\"properties\":" P2 ",\"geometry\":"           \
  "{\"type\":\"Polygon\",\"coordinates\":[[[5,5],[6,5],[6,6],[5,5]]]}}]}"

static void test_geojson_id_rules(void **state) {
  (void)state;
  /* Feature id first (string or number), then property id. */
  sw_regions *g = read_ok(TWO_FEATURES(",\"id\":6075", "{\"id\":\"x\"}", "",
                                       "{\"id\":\"06001\",\"n\":12.5}"),
                          NULL);
  assert_int_equal(sw_regions_count(g), 2);
  assert_string_equal(sw_regions_id(g, 0), "6075");
  assert_string_equal(sw_regions_id(g, 1), "06001");
  sw_regions_free(g);
  /* A named property wins over the feature id; numbers become text. */
  sw_regions_opts o = {.id_property = "n"};
  g = read_ok(TWO_FEATURES(",\"id\":\"a\"", "{\"n\":1e3}", ",\"id\":\"b\"",
                           "{\"n\":-0.25}"),
              &o);
  assert_string_equal(sw_regions_id(g, 0), "1000");
  assert_string_equal(sw_regions_id(g, 1), "-0.25");
  size_t i;
  assert_true(sw_regions_find(g, "-0.25", &i));
  assert_int_equal(i, 1);
  assert_false(sw_regions_find(g, "a", &i));
  sw_regions_free(g);
}

static void test_geojson_missing_id_names_the_feature(void **state) {
  (void)state;
  sw_error e;
  assert_int_equal(
      read_err(TWO_FEATURES(",\"id\":\"a\"", "{}", "", "{\"name\":\"b\"}"),
               NULL, &e),
      SW_E_SCHEMA);
  assert_non_null(strstr(e.message, "feature 1"));
  assert_non_null(strstr(e.file, ".geojson"));
  sw_regions_opts o = {.id_property = "GEOID"};
  assert_int_equal(read_err(TWO_FEATURES(",\"id\":\"a\"", "{\"GEOID\":\"1\"}",
                                         ",\"id\":\"b\"", "{}"),
                            &o, &e),
                   SW_E_SCHEMA);
  assert_non_null(strstr(e.message, "feature 1: no property \"GEOID\""));
  assert_string_equal(e.column, "GEOID");
  assert_int_equal(
      read_err(TWO_FEATURES(",\"id\":[1]", "{}", ",\"id\":\"b\"", "{}"), NULL,
               &e),
      SW_E_SCHEMA);
  assert_non_null(strstr(e.message, "feature 0"));
}

static void test_geojson_duplicate_ids_are_merged(void **state) {
  (void)state;
  sw_regions *g = read_ok(
      TWO_FEATURES(",\"id\":\"same\"", "{}", ",\"id\":\"same\"", "{}"), NULL);
  assert_int_equal(sw_regions_count(g), 1);
  assert_int_equal(sw_regions_n_rings(g, 0), 2);
  sw_regions_free(g);
}

static void test_geojson_degenerate_rings_are_dropped(void **state) {
  (void)state;
  /* Feature D has only a two-point ring; feature E's exterior is
   * degenerate, so its hole goes too; F's second polygon is dropped. */
  sw_regions *g = read_ok(
      "{\"type\":\"FeatureCollection\",\"features\":["
      "{\"type\":\"Feature\",\"id\":\"D\",\"geometry\":{\"type\":\"Polygon\","
      "\"coordinates\":[[[0,0],[1,1],[1,1],[0,0]]]}},"
      "{\"type\":\"Feature\",\"id\":\"E\",\"geometry\":{\"type\":\"Polygon\","
      "\"coordinates\":[[[0,0],[0,0],[0,0],[0,0]],"
      "[[0,0],[1,0],[1,1],[0,0]]]}},"
      "{\"type\":\"Feature\",\"id\":\"F\",\"geometry\":{\"type\":"
      "\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],"
      "[[[3,3],[3,3]]]]}}]}",
      NULL);
  assert_int_equal(sw_regions_count(g), 1);
  assert_string_equal(sw_regions_id(g, 0), "F");
  assert_int_equal(sw_regions_n_rings(g, 0), 1);
  assert_int_equal(sw_regions_n_skipped(g), 2);
  size_t i;
  assert_false(sw_regions_find(g, "D", &i));
  assert_false(sw_regions_find(g, "E", &i));
  sw_regions_free(g);
}

static void test_geojson_no_polygons_is_an_error(void **state) {
  (void)state;
  sw_error e;
  assert_int_equal(
      read_err("{\"type\":\"FeatureCollection\",\"features\":[]}", NULL, &e),
      SW_E_SCHEMA);
  assert_non_null(strstr(e.message, "no polygon regions"));
}

static void test_geojson_bad_json_has_a_position(void **state) {
  (void)state;
  sw_error e;
  assert_int_equal(read_err("{\"type\":\"FeatureCollection\",\n"
                            "\"features\": [1,]}",
                            NULL, &e),
                   SW_E_PARSE);
  assert_int_equal(e.line, 2);
  assert_int_equal(e.byte, 44);
  assert_non_null(strstr(e.message, "column 16"));
  assert_non_null(strstr(e.file, ".geojson"));
  assert_int_equal(read_err("", NULL, &e), SW_E_PARSE);
  assert_int_equal(read_err("[1, 2]", NULL, &e), SW_E_SCHEMA);
}

static void test_geojson_bad_coordinates_are_parse_errors(void **state) {
  (void)state;
  sw_error e;
  assert_int_equal(read_err("{\"type\":\"Feature\",\"id\":1,\"geometry\":"
                            "{\"type\":\"Polygon\",\"coordinates\":"
                            "[[[0,0],[1,\"x\"],[1,1],[0,0]]]}}",
                            NULL, &e),
                   SW_E_PARSE);
  assert_non_null(strstr(e.message, "feature 0: a position"));
  assert_int_equal(read_err("{\"type\":\"Feature\",\"id\":1,\"geometry\":"
                            "{\"type\":\"Polygon\",\"coordinates\":7}}",
                            NULL, &e),
                   SW_E_PARSE);
}

static void test_geojson_deep_nesting_fails_cleanly(void **state) {
  (void)state;
  size_t depth = 200000;
  char *text = malloc(2 * depth + 1);
  assert_non_null(text);
  memset(text, '[', depth);
  memset(text + depth, ']', depth);
  text[2 * depth] = '\0';
  sw_error e;
  assert_int_equal(read_err(text, NULL, &e), SW_E_PARSE);
  free(text);
}

static void test_geojson_missing_file_is_open_error(void **state) {
  (void)state;
  sw_regions *g;
  sw_error e;
  sw_regions_opts o = {.format = SW_GEO_GEOJSON};
  assert_int_equal(sw_regions_read("/nonexistent/x.geojson", &o, &g, &e),
                   SW_E_OPEN);
  assert_string_equal(e.file, "/nonexistent/x.geojson");
}

static void test_geojson_each_allocation_failure_is_nomem(void **state) {
  (void)state;
  const char *path = tu_temp_text(
      TWO_FEATURES(",\"id\":\"a\"", "{}", ",\"id\":\"b\"", "{}"), ".geojson");
  sw_regions *g;
  sw_error e;
  sw__alloc_fail_at(0);
  assert_int_equal(sw_regions_read(path, NULL, &g, &e), SW_OK);
  uint64_t total = sw__alloc_fail_at(0);
  sw_regions_free(g);
  assert_true(total > 5);
  for (uint64_t k = 1; k <= total; k++) {
    sw__alloc_fail_at(k);
    sw_status st = sw_regions_read(path, NULL, &g, &e);
    sw__alloc_fail_at(0);
    assert_int_equal(st, SW_E_NOMEM);
    assert_null(g);
  }
}

static void test_geojson_cd116_has_435_districts(void **state) {
  (void)state;
  sw_regions *g;
  sw_error e;
  assert_int_equal(sw_regions_read(tu_data("cd116.geojson"), NULL, &g, &e),
                   SW_OK);
  assert_int_equal(sw_regions_count(g), 435);
  assert_int_equal(sw_regions_n_skipped(g), 0);
  size_t i;
  assert_true(sw_regions_find(g, "CA-12", &i));
  /* CA-12 is San Francisco: its centroid is in the city. */
  sw_point c = sw_regions_centroid(g, i);
  assert_near(c.lat_deg, 37.76, 0.05);
  assert_near(c.lon_deg, -122.44, 0.05);
  assert_true(sw_regions_find(g, "WY-0", &i));
  sw_regions_free(g);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_geojson_square_with_hole),
      cmocka_unit_test(test_geojson_multipolygon_is_one_region),
      cmocka_unit_test(test_geojson_open_ring_is_closed),
      cmocka_unit_test(test_geojson_non_polygonal_features_are_skipped),
      cmocka_unit_test(test_geojson_id_rules),
      cmocka_unit_test(test_geojson_missing_id_names_the_feature),
      cmocka_unit_test(test_geojson_duplicate_ids_are_merged),
      cmocka_unit_test(test_geojson_degenerate_rings_are_dropped),
      cmocka_unit_test(test_geojson_no_polygons_is_an_error),
      cmocka_unit_test(test_geojson_bad_json_has_a_position),
      cmocka_unit_test(test_geojson_bad_coordinates_are_parse_errors),
      cmocka_unit_test(test_geojson_deep_nesting_fails_cleanly),
      cmocka_unit_test(test_geojson_missing_file_is_open_error),
      cmocka_unit_test(test_geojson_each_allocation_failure_is_nomem),
      cmocka_unit_test(test_geojson_cd116_has_435_districts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
