/*
 * test_date.c — calendar dates as days since 1970-01-01, and distance.
 */
#include <math.h>
#include <string.h>

#include "testutil.h"

#define PI 3.14159265358979323846

static int32_t parse_ok(const char *s) {
  int32_t d = 0;
  assert_int_equal(sw_date_parse(s, strlen(s), &d), SW_OK);
  return d;
}

static void assert_bad(const char *s) {
  int32_t d = 12345;
  assert_int_equal(sw_date_parse(s, strlen(s), &d), SW_E_PARSE);
  assert_int_equal(d, 12345);
}

static void test_date_epoch_and_known_days(void **state) {
  (void)state;
  assert_int_equal(parse_ok("1970-01-01"), 0);
  assert_int_equal(parse_ok("1969-12-31"), -1);
  assert_int_equal(parse_ok("2000-03-01"), 11017);
  assert_int_equal(parse_ok("2021-01-20"), 18647);
  assert_int_equal(parse_ok("1000-01-01"), -354285);
  assert_int_equal(parse_ok("9999-12-31"), 2932896);
}

static void test_date_leap_years(void **state) {
  (void)state;
  assert_int_equal(parse_ok("2024-02-29") + 1, parse_ok("2024-03-01"));
  assert_int_equal(parse_ok("2000-02-29") + 1, parse_ok("2000-03-01"));
  assert_bad("1900-02-29");
  assert_bad("2023-02-29");
  assert_bad("2100-02-29");
}

static void test_date_rejects_impossible_and_malformed(void **state) {
  (void)state;
  assert_bad("2021-02-30");
  assert_bad("2021-04-31");
  assert_bad("2021-13-01");
  assert_bad("2021-00-10");
  assert_bad("2021-01-00");
  assert_bad("99999-01-01");
  assert_bad("0999-12-31");
  assert_bad("2021-1-01");
  assert_bad("2021/01/01");
  assert_bad("2021-01-01 ");
  assert_bad(" 2021-01-01");
  assert_bad("2021-01-0a");
  assert_bad("+021-01-01");
  assert_bad("");
}

static void test_date_parse_takes_exactly_len_bytes(void **state) {
  (void)state;
  int32_t d;
  assert_int_equal(sw_date_parse("2021-01-01T00:00", 10, &d), SW_OK);
  assert_int_equal(d, 18628);
  assert_int_equal(sw_date_parse("2021-01-01", 9, &d), SW_E_PARSE);
}

static void test_date_format_round_trips_every_day(void **state) {
  (void)state;
  char buf[16];
  for (int32_t d = -354285; d <= 2932896; d += 7) {
    size_t n = sw_date_format(d, buf, sizeof buf);
    assert_int_equal(n, 10);
    assert_int_equal(parse_ok(buf), d);
  }
  sw_date_format(0, buf, sizeof buf);
  assert_string_equal(buf, "1970-01-01");
  assert_int_equal(sw_date_format(0, buf, 5), 10);
  assert_string_equal(buf, "1970");
}

static void test_haversine_known_distances(void **state) {
  (void)state;
  sw_point a = {0, 0}, b = {0, 90};
  assert_true(fabs(sw_haversine_km(a, b) - 6371.0088 * PI / 2) < 1e-9);
  sw_point pole_n = {90, 0}, pole_s = {-90, 0};
  assert_true(fabs(sw_haversine_km(pole_n, pole_s) - 6371.0088 * PI) < 1e-9);
  assert_true(sw_haversine_km(a, a) == 0.0);
  /* New York to Los Angeles, about 3936 km on this sphere. */
  sw_point ny = {40.7128, -74.0060}, la = {34.0522, -118.2437};
  double d = sw_haversine_km(ny, la);
  assert_true(d > 3930 && d < 3945);
  assert_true(fabs(d - sw_haversine_km(la, ny)) < 1e-9);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_date_epoch_and_known_days),
      cmocka_unit_test(test_date_leap_years),
      cmocka_unit_test(test_date_rejects_impossible_and_malformed),
      cmocka_unit_test(test_date_parse_takes_exactly_len_bytes),
      cmocka_unit_test(test_date_format_round_trips_every_day),
      cmocka_unit_test(test_haversine_known_distances),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
