/*
 * test_topojson.c — the TopoJSON region reader: quantized, delta-encoded
 * arcs with a reversed arc, holes, object choice, id rules, bad indices and
 * transforms, and the us-atlas counties file.
 */
#include <math.h>
#include <stdio.h>
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
  const char *path = tu_temp_text(text, ".topojson");
  sw_regions *g = NULL;
  sw_error e;
  sw_status st = sw_regions_read(path, opts, &g, &e);
  if (st != SW_OK) fail_msg("read failed: %s", e.message);
  return g;
}

static sw_status read_err(const char *text, const sw_regions_opts *opts,
                          sw_error *e) {
  const char *path = tu_temp_text(text, ".topojson");
  sw_regions *g = (sw_regions *)1;
  sw_status st = sw_regions_read(path, opts, &g, e);
  assert_null(g);
  return st;
}

/* Two unit squares (in quantized units 2x2) sharing the edge x = 2: arc 0
 * is that edge going up; A = arcs 0, 1; B = arc 2 then arc 0 reversed
 * (~0 = -1). Decoded: x = q * 0.5 + 10, y = q * 0.25 + 20. */
#define TWO_SQUARES(TRANSFORM, ARCS_B)                                         \
  "{\"type\":\"Topology\"," TRANSFORM "\"objects\":{\"sq\":{\"type\":"         \
  "\"GeometryCollection\",\"geometries\":["                                    \
  "{\"type\":\"Polygon\",\"id\":\"A\",\"arcs\":[[0,1]]},"                      \
  "{\"type\":\"Polygon\",\"properties\":{\"id\":\"B\"},\"arcs\":[" ARCS_B      \
  "]}]}},\"arcs\":[[[2,0],[0,2]],[[2,2],[-2,0],[0,-2],[2,0]],"                 \
  "[[2,0],[2,0],[0,2],[-2,0]]]}"
#define QUANTIZED "\"transform\":{\"scale\":[0.5,0.25],\"translate\":[10,20]},"

static void test_topojson_quantized_with_reversed_arc(void **state) {
  (void)state;
  sw_regions *g = read_ok(TWO_SQUARES(QUANTIZED, "[2,-1]"), NULL);
  assert_int_equal(sw_regions_count(g), 2);
  assert_string_equal(sw_regions_id(g, 0), "A");
  assert_string_equal(sw_regions_id(g, 1), "B");
  size_t n;
  const double *xy = sw_regions_ring(g, 1, 0, &n, NULL);
  const double want[] = {11, 20, 12, 20, 12, 20.5, 11, 20.5, 11, 20};
  assert_int_equal(n, 5);
  for (size_t k = 0; k < 10; k++)
    assert_near(xy[k], want[k], 0);
  xy = sw_regions_ring(g, 0, 0, &n, NULL);
  const double want_a[] = {11, 20, 11, 20.5, 10, 20.5, 10, 20, 11, 20};
  assert_int_equal(n, 5);
  for (size_t k = 0; k < 10; k++)
    assert_near(xy[k], want_a[k], 0);
  sw_point c = sw_regions_centroid(g, 0);
  assert_near(c.lon_deg, 10.5, 1e-12);
  assert_near(c.lat_deg, 20.25, 1e-12);
  c = sw_regions_centroid(g, 1);
  assert_near(c.lon_deg, 11.5, 1e-12);
  sw_regions_free(g);
}

static void test_topojson_unquantized_arcs_are_absolute(void **state) {
  (void)state;
  sw_regions *g =
      read_ok("{\"type\":\"Topology\",\"objects\":{\"o\":{\"type\":\"Polygon\","
              "\"id\":5,\"arcs\":[[0],[1]]}},\"arcs\":["
              "[[0,0],[10,0],[10,10],[0,10],[0,0]],"
              "[[1,1],[1,3],[3,3],[3,1],[1,1]]]}",
              NULL);
  assert_int_equal(sw_regions_count(g), 1);
  assert_string_equal(sw_regions_id(g, 0), "5");
  assert_int_equal(sw_regions_n_rings(g, 0), 2);
  bool hole;
  sw_regions_ring(g, 0, 1, NULL, &hole);
  assert_true(hole);
  sw_point c = sw_regions_centroid(g, 0);
  assert_near(c.lon_deg, 492.0 / 96, 1e-12);
  sw_regions_free(g);
}

static void test_topojson_multipolygon_and_skips(void **state) {
  (void)state;
  sw_regions *g =
      read_ok("{\"type\":\"Topology\",\"objects\":{\"o\":{\"type\":"
              "\"GeometryCollection\",\"geometries\":["
              "{\"type\":\"MultiPolygon\",\"id\":\"M\",\"arcs\":[[[0]],[[1]]]},"
              "{\"type\":\"LineString\",\"id\":\"L\",\"arcs\":[0]},"
              "{\"type\":\"Point\",\"coordinates\":[1,1]},"
              "{\"type\":null}]}},\"arcs\":["
              "[[0,0],[1,0],[1,1],[0,0]],[[5,5],[6,5],[6,6],[5,5]]]}",
              NULL);
  assert_int_equal(sw_regions_count(g), 1);
  assert_int_equal(sw_regions_n_rings(g, 0), 2);
  assert_int_equal(sw_regions_n_skipped(g), 3);
  sw_regions_free(g);
}

#define LAYERS                                                                 \
  "{\"type\":\"Topology\",\"objects\":{"                                       \
  "\"one\":{\"type\":\"GeometryCollection\",\"geometries\":["                  \
  "{\"type\":\"Polygon\",\"id\":\"all\",\"arcs\":[[0]]}]},"                    \
  "\"two\":{\"type\":\"GeometryCollection\",\"geometries\":["                  \
  "{\"type\":\"Polygon\",\"id\":\"x\",\"properties\":{\"name\":\"X\"},"        \
  "\"arcs\":[[0]]},"                                                           \
  "{\"type\":\"Polygon\",\"id\":\"y\",\"properties\":{\"name\":\"Y\"},"        \
  "\"arcs\":[[-2]]}]}},"                                                       \
  "\"arcs\":[[[0,0],[1,0],[1,1],[0,0]],[[5,5],[6,5],[6,6],[5,5]]]}"

static void test_topojson_layer_choice(void **state) {
  (void)state;
  /* "two" has the most polygons; -2 is arc 1 reversed. */
  const char *text = LAYERS;
  sw_regions *g = read_ok(text, NULL);
  assert_int_equal(sw_regions_count(g), 2);
  assert_string_equal(sw_regions_id(g, 1), "y");
  sw_regions_free(g);
  sw_regions_opts o = {.layer = "one"};
  g = read_ok(text, &o);
  assert_int_equal(sw_regions_count(g), 1);
  assert_string_equal(sw_regions_id(g, 0), "all");
  sw_regions_free(g);
  o = (sw_regions_opts){.layer = "two", .id_property = "name"};
  g = read_ok(text, &o);
  assert_string_equal(sw_regions_id(g, 0), "X");
  assert_string_equal(sw_regions_id(g, 1), "Y");
  sw_regions_free(g);
  sw_error e;
  o = (sw_regions_opts){.layer = "three"};
  assert_int_equal(read_err(text, &o, &e), SW_E_SCHEMA);
  assert_non_null(strstr(e.message, "no object \"three\""));
  assert_non_null(strstr(e.message, "one, two"));
}

static void test_topojson_out_of_range_arc(void **state) {
  (void)state;
  sw_error e;
  assert_int_equal(read_err(TWO_SQUARES(QUANTIZED, "[2,3]"), NULL, &e),
                   SW_E_PARSE);
  assert_non_null(strstr(e.message, "geometry 1: arc index 3 out of range"));
  assert_non_null(strstr(e.message, "\"sq\""));
  assert_int_equal(read_err(TWO_SQUARES(QUANTIZED, "[2,-4]"), NULL, &e),
                   SW_E_PARSE);
  assert_non_null(strstr(e.message, "arc index -4"));
  assert_int_equal(read_err(TWO_SQUARES(QUANTIZED, "[2,0.5]"), NULL, &e),
                   SW_E_PARSE);
  assert_int_equal(read_err(TWO_SQUARES(QUANTIZED, "[2,\"0\"]"), NULL, &e),
                   SW_E_PARSE);
  assert_int_equal(read_err(TWO_SQUARES(QUANTIZED, "[2,1e300]"), NULL, &e),
                   SW_E_PARSE);
}

static void test_topojson_bad_transform(void **state) {
  (void)state;
  sw_error e;
  assert_int_equal(
      read_err(TWO_SQUARES("\"transform\":{\"scale\":[0,1],\"translate\":"
                           "[0,0]},",
                           "[2,-1]"),
               NULL, &e),
      SW_E_PARSE);
  assert_non_null(strstr(e.message, "scale"));
  assert_int_equal(
      read_err(TWO_SQUARES("\"transform\":{\"scale\":[1],\"translate\":"
                           "[0,0]},",
                           "[2,-1]"),
               NULL, &e),
      SW_E_PARSE);
  assert_int_equal(read_err(TWO_SQUARES("\"transform\":{\"scale\":[1,1e999],"
                                        "\"translate\":[0,0]},",
                                        "[2,-1]"),
                            NULL, &e),
                   SW_E_PARSE);
  assert_int_equal(
      read_err(TWO_SQUARES("\"transform\":{\"scale\":[1,1]},", "[2,-1]"), NULL,
               &e),
      SW_E_PARSE);
  assert_non_null(strstr(e.message, "translate"));
}

static void test_topojson_structure_errors(void **state) {
  (void)state;
  sw_error e;
  assert_int_equal(read_err("{\"type\":\"Topology\",\"objects\":{\"o\":"
                            "{\"type\":\"Polygon\",\"id\":1,\"arcs\":[[0]]}}}",
                            NULL, &e),
                   SW_E_PARSE);
  assert_non_null(strstr(e.message, "arcs"));
  assert_int_equal(read_err("{\"type\":\"Topology\",\"arcs\":[]}", NULL, &e),
                   SW_E_SCHEMA);
  assert_int_equal(read_err("{\"type\":\"Topology\",\"objects\":{\"o\":"
                            "{\"type\":\"Polygon\",\"id\":1,\"arcs\":[[0]]}},"
                            "\"arcs\":[[[0,0],[1,\"y\"]]]}",
                            NULL, &e),
                   SW_E_PARSE);
  assert_int_equal(read_err("{\"type\":\"Topology\",\"objects\":{\"o\":"
                            "{\"type\":\"Polygon\",\"arcs\":[[0]]}},"
                            "\"arcs\":[[[0,0],[1,0],[1,1],[0,0]]]}",
                            NULL, &e),
                   SW_E_SCHEMA);
  assert_non_null(strstr(e.message, "geometry 0: no region id"));
  assert_int_equal(read_err("{\"type\":\"Topology\",", NULL, &e), SW_E_PARSE);
  assert_int_equal(e.line, 1);
}

static void test_topojson_each_allocation_failure_is_nomem(void **state) {
  (void)state;
  const char *path = tu_temp_text(TWO_SQUARES(QUANTIZED, "[2,-1]"), ".json");
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

static void test_topojson_us_atlas_counties(void **state) {
  (void)state;
  sw_regions *g;
  sw_error e;
  assert_int_equal(sw_regions_read(tu_data("counties-10m.json"), NULL, &g, &e),
                   SW_OK);
  /* 3,231 county geometries; Falls Church city (51610) collapses to a
   * degenerate ring at this resolution and is dropped. */
  assert_int_equal(sw_regions_count(g), 3230);
  assert_int_equal(sw_regions_n_skipped(g), 1);
  size_t i;
  assert_false(sw_regions_find(g, "51610", &i));
  for (i = 0; i < sw_regions_count(g); i++) {
    const char *id = sw_regions_id(g, i);
    assert_int_equal(strlen(id), 5);
    assert_int_equal(strspn(id, "0123456789"), 5);
  }
  /* Cook County, IL: the Census internal point is 41.8401, -87.8168. */
  assert_true(sw_regions_find(g, "17031", &i));
  sw_point c = sw_regions_centroid(g, i);
  assert_near(c.lat_deg, 41.8401, 0.1);
  assert_near(c.lon_deg, -87.8168, 0.1);
  /* Alaska's Aleutians West keeps longitudes as given on both sides of
   * the antimeridian (us-atlas splits the rings there). */
  assert_true(sw_regions_find(g, "02016", &i));
  sw_regions_free(g);
  sw_regions_opts o = {.layer = "states"};
  assert_int_equal(sw_regions_read(tu_data("counties-10m.json"), &o, &g, &e),
                   SW_OK);
  assert_int_equal(sw_regions_count(g), 56);
  assert_true(sw_regions_find(g, "06", &i));
  sw_regions_free(g);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_topojson_quantized_with_reversed_arc),
      cmocka_unit_test(test_topojson_unquantized_arcs_are_absolute),
      cmocka_unit_test(test_topojson_multipolygon_and_skips),
      cmocka_unit_test(test_topojson_layer_choice),
      cmocka_unit_test(test_topojson_out_of_range_arc),
      cmocka_unit_test(test_topojson_bad_transform),
      cmocka_unit_test(test_topojson_structure_errors),
      cmocka_unit_test(test_topojson_each_allocation_failure_is_nomem),
      cmocka_unit_test(test_topojson_us_atlas_counties),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
