/*
 * test_gazetteer.c — places by name or code (gazetteer.c): how values are
 * written and still found, what is malformed or ambiguous, the reader's
 * errors, the real data/gazetteer.csv.gz, and clean failure out of memory.
 */
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "gazetteer.h"
#include "testutil.h"

static const char list[] = "kind,key,lat,lon\n"
                           "zip,02134,42.35,-71.13\n"
                           "zip,10001,40.75,-73.99\n"
                           "place,\"St. Louis, MO\",38.63,-90.20\n"
                           "place,\"Boquer\xc3\xb3n, PR\",18.02,-67.17\n"
                           "place,\"Twin, ZZ\",1,1\n"
                           "place,\"twin , zz\",2,2\n"
                           "county,06075,37.75,-122.44\n"
                           "county,\"Cook County, IL\",41.84,-87.82\n";

static int find(const sw_gazetteer *g, int what, const char *s, sw_point *p) {
  return sw__gazetteer_find(g, what, s, strlen(s), p);
}

static void test_gazetteer_finds_values_as_they_are_written(void **state) {
  (void)state;
  sw_gazetteer *g = NULL;
  sw_error err;
  assert_int_equal(sw__gazetteer_read(tu_temp_text(list, ".csv"), &g, &err),
                   SW_OK);
  sw_point p;
  static const char *const louis[] = {"St. Louis, MO", "st louis,mo",
                                      "SAINT  LOUIS , MO", " St Louis, Mo "};
  for (size_t k = 0; k < 4; k++) {
    assert_int_equal(find(g, SW_GAZ_PLACE, louis[k], &p), SW_GAZ_FOUND);
    assert_true(p.lat_deg == 38.63 && p.lon_deg == -90.20);
  }
  assert_int_equal(find(g, SW_GAZ_PLACE, "BOQUER\xc3\x93N,PR", &p),
                   SW_GAZ_FOUND);
  assert_int_equal(find(g, SW_GAZ_PLACE, "Boqueron, PR", &p), SW_GAZ_FOUND);
  /* ZIP codes: plain, ZIP+4, and with the zeros a spreadsheet dropped. */
  static const char *const zips[] = {"02134", "02134-1234", "2134"};
  for (size_t k = 0; k < 3; k++) {
    assert_int_equal(find(g, SW_GAZ_PLACE, zips[k], &p), SW_GAZ_FOUND);
    assert_true(p.lat_deg == 42.35);
  }
  assert_int_equal(find(g, SW_GAZ_COUNTY, "6075", &p), SW_GAZ_FOUND);
  assert_int_equal(find(g, SW_GAZ_COUNTY, "cook county, il", &p), SW_GAZ_FOUND);
  /* A county code is no ZIP code, nor a ZIP code a county. */
  assert_int_equal(find(g, SW_GAZ_PLACE, "06075", &p), SW_GAZ_UNKNOWN);
  assert_int_equal(find(g, SW_GAZ_COUNTY, "10001", &p), SW_GAZ_UNKNOWN);
  assert_int_equal(find(g, SW_GAZ_PLACE, "Springfield, IL", &p),
                   SW_GAZ_UNKNOWN);
  assert_int_equal(find(g, SW_GAZ_PLACE, "Twin, ZZ", &p), SW_GAZ_AMBIGUOUS);
  static const char *const bad[] = {"Springfield", "12",   "123456",
                                    "02134-12",    ", MO", "Town, MOO",
                                    "Town, M1",    ""};
  for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
    assert_int_equal(find(g, SW_GAZ_PLACE, bad[k], &p), SW_GAZ_MALFORMED);
  assert_int_equal(find(g, SW_GAZ_COUNTY, "06075-1234", &p), SW_GAZ_MALFORMED);
  sw__gazetteer_free(g);
}

static void test_gazetteer_errors_name_line_and_column(void **state) {
  (void)state;
  static const struct {
    const char *text, *column;
    uint64_t line;
  } cases[] = {
      {"kind,key,lat,lon\ntown,\"A, ZZ\",1,1\n", "kind", 2},
      {"kind,key,lat,lon\nzip,\"A, ZZ\",1,1\n", "key", 2},
      {"kind,key,lat,lon\nplace,10001,1,1\n", "key", 2},
      {"kind,key,lat,lon\nzip,10001,1,1\nzip,10002,91,1\n", "lat", 3},
      {"kind,key,lat,lon\nzip,10001,1,x\n", "lon", 2},
      {"kind,key,lat\nzip,10001,1\n", "lon", 1},
  };
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    sw_gazetteer *g = NULL;
    sw_error err;
    assert_int_not_equal(
        sw__gazetteer_read(tu_temp_text(cases[k].text, ".csv"), &g, &err),
        SW_OK);
    assert_null(g);
    assert_string_equal(err.column, cases[k].column);
    assert_int_equal(err.line, cases[k].line);
  }
}

static void test_gazetteer_of_the_project_resolves_real_places(void **state) {
  (void)state;
  sw_gazetteer *g = NULL;
  sw_error err;
  assert_int_equal(sw__gazetteer_read(tu_data("gazetteer.csv.gz"), &g, &err),
                   SW_OK);
  static const struct {
    int what;
    const char *s;
    double lat, lon;
  } known[] = {
      {SW_GAZ_PLACE, "10001", 40.75, -74.00},
      {SW_GAZ_PLACE, "New York, NY", 40.71, -74.01},
      {SW_GAZ_PLACE, "Washington, DC", 38.90, -77.04},
      {SW_GAZ_PLACE, "Saint Louis, MO", 38.63, -90.20},
      {SW_GAZ_COUNTY, "Cook County, IL", 41.84, -87.82},
      {SW_GAZ_COUNTY, "06075", 37.75, -122.44},
      {SW_GAZ_COUNTY, "Baltimore city, MD", 39.31, -76.62},
  };
  for (size_t k = 0; k < sizeof known / sizeof *known; k++) {
    sw_point p;
    assert_int_equal(find(g, known[k].what, known[k].s, &p), SW_GAZ_FOUND);
    assert_true(fabs(p.lat_deg - known[k].lat) < 0.05);
    assert_true(fabs(p.lon_deg - known[k].lon) < 0.05);
  }
  sw_point p;
  /* A county and a city share the bare name: only the full names are in. */
  assert_int_equal(find(g, SW_GAZ_COUNTY, "Baltimore, MD", &p), SW_GAZ_UNKNOWN);
  sw__gazetteer_free(g);
}

static void test_gazetteer_fails_cleanly_out_of_memory(void **state) {
  (void)state;
  const char *path = tu_temp_text(list, ".csv");
  for (uint64_t k = 1;; k++) {
    sw__alloc_fail_at(k);
    sw_gazetteer *g = NULL;
    sw_error err;
    sw_status st = sw__gazetteer_read(path, &g, &err);
    uint64_t made = sw__alloc_fail_at(0);
    sw__gazetteer_free(g);
    if (st == SW_OK) {
      assert_true(made < k);
      break;
    }
    assert_int_equal(st, SW_E_NOMEM);
    assert_null(g);
  }
}

/* The default every front end reads (the CLI, Python, R): the project's
 * gazetteer, installed or in this build's source tree, and readable. */
static void test_gazetteer_default_is_the_projects(void **state) {
  (void)state;
  const char *p = sw_gazetteer_default();
  assert_non_null(p);
  assert_true(strcmp(p, tu_data("gazetteer.csv.gz")) == 0 ||
              strstr(p, "/share/steerwatch/gazetteer.csv.gz") != NULL);
  sw_gazetteer *g = NULL;
  sw_error err;
  assert_int_equal(sw__gazetteer_read(p, &g, &err), SW_OK);
  sw__gazetteer_free(g);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_gazetteer_finds_values_as_they_are_written),
      cmocka_unit_test(test_gazetteer_errors_name_line_and_column),
      cmocka_unit_test(test_gazetteer_of_the_project_resolves_real_places),
      cmocka_unit_test(test_gazetteer_fails_cleanly_out_of_memory),
      cmocka_unit_test(test_gazetteer_default_is_the_projects),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
