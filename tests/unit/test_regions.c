/*
 * test_regions.c — region storage and format dispatch: the builder's
 * merging and dropping rules, format detection, and the same regions read
 * alike from GeoJSON, TopoJSON and Shapefile.
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regions.h"
#include "testutil.h"

static void test_builder_drops_features_without_kept_rings(void **state) {
  (void)state;
  const double line[] = {0, 0, 1, 1, 0, 0};
  const double tri[] = {0, 0, 2, 0, 2, 2};
  sw_error e;
  sw_regions_builder *b = sw__regions_builder_new();
  assert_non_null(b);
  assert_int_equal(sw__regions_builder_feature(b, "gone", 4, &e), SW_OK);
  assert_int_equal(sw__regions_builder_ring(b, line, 3, false, &e), 0);
  assert_int_equal(sw__regions_builder_feature(b, "kept", 4, &e), SW_OK);
  assert_int_equal(sw__regions_builder_ring(b, tri, 3, false, &e), 1);
  assert_int_equal(sw__regions_builder_feature(b, "kept", 4, &e), SW_OK);
  assert_int_equal(sw__regions_builder_ring(b, line, 3, false, &e), 0);
  sw__regions_builder_skip(b, "not a polygon");
  sw_regions *g;
  assert_int_equal(sw__regions_builder_finish(b, &g, &e), SW_OK);
  assert_int_equal(sw_regions_count(g), 1);
  assert_string_equal(sw_regions_id(g, 0), "kept");
  size_t i;
  assert_false(sw_regions_find(g, "gone", &i));
  /* "gone", the second "kept" (nothing kept) and the explicit skip. */
  assert_int_equal(sw_regions_n_skipped(g), 3);
  /* Each skip says which feature, counted in file order, and why. */
  assert_string_equal(sw_regions_skip_note(g, 0),
                      "feature 0 (id \"gone\"): no ring with 3 distinct, "
                      "finite points and an area");
  assert_string_equal(sw_regions_skip_note(g, 1),
                      "feature 2 (id \"kept\"): no ring with 3 distinct, "
                      "finite points and an area");
  assert_string_equal(sw_regions_skip_note(g, 2), "feature 3: not a polygon");
  assert_null(sw_regions_skip_note(g, 3));
  size_t n;
  const double *xy = sw_regions_ring(g, 0, 0, &n, NULL);
  assert_int_equal(n, 4);
  assert_true(xy[6] == 0 && xy[7] == 0);
  sw_regions_free(g);
}

static void test_builder_rejects_ring_outside_feature(void **state) {
  (void)state;
  const double tri[] = {0, 0, 2, 0, 2, 2};
  sw_error e;
  sw_regions_builder *b = sw__regions_builder_new();
  assert_int_equal(sw__regions_builder_ring(b, tri, 3, false, &e), -1);
  assert_int_equal(e.code, SW_E_INTERNAL);
  sw__regions_builder_free(b);
}

static const char *const TOPO =
    "{\"type\":\"Topology\",\"objects\":{\"o\":{\"type\":\"Polygon\","
    "\"id\":\"T\",\"arcs\":[[0]]}},\"arcs\":[[[0,0],[1,0],[1,1],[0,0]]]}";
static const char *const GEO =
    "{\"type\":\"Feature\",\"id\":\"G\",\"geometry\":{\"type\":\"Polygon\","
    "\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}}";

static void test_format_is_detected_by_content(void **state) {
  (void)state;
  sw_regions *g;
  sw_error e;
  assert_int_equal(sw_regions_read(tu_temp_text(TOPO, ".json"), NULL, &g, &e),
                   SW_OK);
  assert_string_equal(sw_regions_id(g, 0), "T");
  sw_regions_free(g);
  assert_int_equal(sw_regions_read(tu_temp_text(GEO, ".json"), NULL, &g, &e),
                   SW_OK);
  assert_string_equal(sw_regions_id(g, 0), "G");
  sw_regions_free(g);
  /* A forced format that does not match the content is a schema error. */
  sw_regions_opts o = {.format = SW_GEO_TOPOJSON};
  assert_int_equal(sw_regions_read(tu_temp_text(GEO, ".json"), &o, &g, &e),
                   SW_E_SCHEMA);
  assert_non_null(strstr(e.message, "not TopoJSON"));
  o.format = SW_GEO_GEOJSON;
  assert_int_equal(sw_regions_read(tu_temp_text(TOPO, ".json"), &o, &g, &e),
                   SW_E_SCHEMA);
  assert_non_null(strstr(e.message, "not GeoJSON"));
  o.format = SW_GEO_SHAPEFILE;
  assert_int_equal(sw_regions_read(tu_temp_text(GEO, ".json"), &o, &g, &e),
                   SW_E_OPEN);
  assert_non_null(strstr(e.file, ".shp"));
}

static void test_missing_file_is_open_error(void **state) {
  (void)state;
  sw_regions *g = (sw_regions *)1;
  sw_error e;
  assert_int_equal(sw_regions_read("/nonexistent/r.json", NULL, &g, &e),
                   SW_E_OPEN);
  assert_null(g);
  assert_string_equal(e.file, "/nonexistent/r.json");
}

static void test_cd116_same_in_geojson_and_topojson(void **state) {
  (void)state;
  sw_regions *a, *b;
  sw_error e;
  assert_int_equal(sw_regions_read(tu_data("cd116.geojson"), NULL, &a, &e),
                   SW_OK);
  assert_int_equal(sw_regions_read(tu_data("cd116-topo.json"), NULL, &b, &e),
                   SW_OK);
  assert_int_equal(sw_regions_count(a), 435);
  assert_int_equal(sw_regions_count(b), 435);
  for (size_t i = 0; i < 435; i++) {
    size_t j;
    const char *id = sw_regions_id(a, i);
    if (!sw_regions_find(b, id, &j)) fail_msg("%s missing in TopoJSON", id);
    assert_int_equal(sw_regions_n_rings(a, i), sw_regions_n_rings(b, j));
    sw_point pa = sw_regions_centroid(a, i), pb = sw_regions_centroid(b, j);
    if (fabs(pa.lat_deg - pb.lat_deg) > 1e-9 ||
        fabs(pa.lon_deg - pb.lon_deg) > 1e-9)
      fail_msg("%s: centroid %.12f,%.12f vs %.12f,%.12f", id, pa.lat_deg,
               pa.lon_deg, pb.lat_deg, pb.lon_deg);
  }
  sw_regions_free(a);
  sw_regions_free(b);
}

/* The peers' converter (GDAL, independent of our readers) writes states-10m
 * as GeoJSON and Shapefile; all three must give the same regions. Skipped
 * where geopandas is not installed. */
static void test_states_same_in_three_formats(void **state) {
  (void)state;
  const char *topo = tu_data("states-10m.json");
  char dir[] = "/tmp/sw_formats_XXXXXX";
  assert_non_null(mkdtemp(dir));
  char cmd[1024];
  snprintf(cmd, sizeof cmd,
           "/usr/bin/python3 %s/../tests/peers/convert_formats.py %s %s "
           ">/dev/null 2>&1",
           SW_DATA, topo, dir);
  int rc = system(cmd);
  char paths[2][300];
  snprintf(paths[0], sizeof paths[0], "%s/states-10m.geojson", dir);
  snprintf(paths[1], sizeof paths[1], "%s/states-10m.shp", dir);
  sw_regions *t, *other[2] = {NULL, NULL};
  sw_error e;
  sw_status st[2] = {SW_E_OPEN, SW_E_OPEN};
  if (rc == 0)
    for (int k = 0; k < 2; k++)
      st[k] = sw_regions_read(paths[k], NULL, &other[k], &e);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
  if (rc != 0) skip();
  assert_int_equal(st[0], SW_OK);
  assert_int_equal(st[1], SW_OK);
  assert_int_equal(sw_regions_read(topo, NULL, &t, &e), SW_OK);
  assert_int_equal(sw_regions_count(t), 56);
  for (int k = 0; k < 2; k++) {
    assert_int_equal(sw_regions_count(other[k]), 56);
    for (size_t i = 0; i < 56; i++) {
      size_t j;
      const char *id = sw_regions_id(t, i);
      if (!sw_regions_find(other[k], id, &j))
        fail_msg("%s missing from %s", id, paths[k]);
      sw_point a = sw_regions_centroid(t, i);
      sw_point b = sw_regions_centroid(other[k], j);
      if (fabs(a.lat_deg - b.lat_deg) > 1e-9 ||
          fabs(a.lon_deg - b.lon_deg) > 1e-9)
        fail_msg("%s: centroid %.12f,%.12f vs %.12f,%.12f in %s", id, a.lat_deg,
                 a.lon_deg, b.lat_deg, b.lon_deg, paths[k]);
    }
    sw_regions_free(other[k]);
  }
  sw_regions_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_builder_drops_features_without_kept_rings),
      cmocka_unit_test(test_builder_rejects_ring_outside_feature),
      cmocka_unit_test(test_format_is_detected_by_content),
      cmocka_unit_test(test_missing_file_is_open_error),
      cmocka_unit_test(test_cd116_same_in_geojson_and_topojson),
      cmocka_unit_test(test_states_same_in_three_formats),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
