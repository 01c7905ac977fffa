/*
 * test_attrs.c — region attributes: time validity (from inclusive, to
 * exclusive, open ends), last row wins, numbers, rejects, regions listed
 * in first-seen order, allocation failures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "testutil.h"

static int32_t day(const char *s) {
  int32_t d;
  assert_int_equal(sw_date_parse(s, strlen(s), &d), SW_OK);
  return d;
}

typedef struct seen {
  unsigned n;
  char column[8][64];
  char reason[8][160];
  uint64_t line[8];
} seen;

static bool collect(void *user, const sw_reject *r) {
  seen *s = user;
  /* Each reject says which input it came from: the audit routes attribute
   * rows to stderr, record rows to rejects.csv, by it. */
  assert_int_equal(r->input, SW_INPUT_ATTRS);
  if (s->n < 8) {
    snprintf(s->column[s->n], 64, "%s", r->column);
    snprintf(s->reason[s->n], 160, "%s", r->reason);
    s->line[s->n] = r->line;
  }
  s->n++;
  return true;
}

static sw_attrs *read_text(const char *text, seen *s) {
  memset(s, 0, sizeof *s);
  sw_read_opts o = {.on_reject = collect, .reject_user = s};
  sw_attrs *a;
  sw_error e;
  assert_int_equal(sw_attrs_read(tu_temp_text(text, ".csv"), &o, &a, &e),
                   SW_OK);
  sw_counts c = sw_attrs_counts(a);
  assert_int_equal(c.read, c.accepted + c.rejected);
  assert_int_equal(c.rejected, s->n);
  return a;
}

static void test_attrs_validity_boundaries(void **state) {
  (void)state;
  seen s;
  sw_attrs *a = read_text("region,attribute,value,valid_from,valid_to\n"
                          "CA-12,party,D,2019-01-03,2021-01-03\n"
                          "CA-12,party,R,2021-01-03,\n",
                          &s);
  assert_null(sw_attrs_get(a, "CA-12", "party", day("2019-01-02")));
  assert_string_equal(sw_attrs_get(a, "CA-12", "party", day("2019-01-03")),
                      "D");
  assert_string_equal(sw_attrs_get(a, "CA-12", "party", day("2021-01-02")),
                      "D");
  assert_string_equal(sw_attrs_get(a, "CA-12", "party", day("2021-01-03")),
                      "R");
  assert_string_equal(sw_attrs_get(a, "CA-12", "party", day("9999-12-31")),
                      "R");
  assert_null(sw_attrs_get(a, "CA-13", "party", day("2020-01-01")));
  assert_null(sw_attrs_get(a, "CA-12", "sanctuary", day("2020-01-01")));
  sw_attrs_free(a);
}

static void test_attrs_without_validity_columns_hold_always(void **state) {
  (void)state;
  seen s;
  sw_attrs *a = read_text("Region,Attribute,Value\n"
                          "06075,population,873965\n"
                          "06075,lat,37.7272\n"
                          "06075,name,San Francisco\n",
                          &s);
  double v;
  assert_true(sw_attrs_get_number(a, "06075", "lat", day("1000-01-01"), &v));
  assert_true(v == 37.7272);
  assert_true(
      sw_attrs_get_number(a, "06075", "population", day("2024-05-05"), &v));
  assert_true(v == 873965);
  assert_false(sw_attrs_get_number(a, "06075", "name", 0, &v));
  assert_false(sw_attrs_get_number(a, "06075", "lon", 0, &v));
  assert_int_equal(sw_attrs_n_regions(a), 1);
  sw_attrs_free(a);
}

static void test_attrs_last_row_wins_on_overlap(void **state) {
  (void)state;
  seen s;
  sw_attrs *a = read_text("region,attribute,value,valid_from,valid_to\n"
                          "06075,sanctuary,yes,2013-10-08,\n"
                          "06075,sanctuary,no,2017-01-01,2018-01-01\n",
                          &s);
  assert_string_equal(sw_attrs_get(a, "06075", "sanctuary", day("2016-12-31")),
                      "yes");
  assert_string_equal(sw_attrs_get(a, "06075", "sanctuary", day("2017-06-01")),
                      "no");
  assert_string_equal(sw_attrs_get(a, "06075", "sanctuary", day("2018-01-01")),
                      "yes");
  assert_null(sw_attrs_get(a, "06075", "sanctuary", day("2013-10-07")));
  sw_attrs_free(a);
}

static void test_attrs_rejects_bad_rows_with_reasons(void **state) {
  (void)state;
  seen s;
  sw_attrs *a = read_text("region,attribute,value,valid_from,valid_to\n"
                          "a,x,1,2021-02-30,\n"
                          "a,x,1,2021-01-01,2021-01-01\n"
                          ",x,1,,\n"
                          "a,,1,,\n"
                          "a,x,,,\n"
                          "a,x,1\n"
                          "b,x,2,,\n",
                          &s);
  assert_int_equal(s.n, 6);
  assert_string_equal(s.column[0], "valid_from");
  assert_string_equal(s.reason[0], "not a date (YYYY-MM-DD): \"2021-02-30\"");
  assert_string_equal(s.column[1], "valid_to");
  assert_string_equal(s.reason[1], "not after valid_from: \"2021-01-01\"");
  assert_string_equal(s.column[2], "region");
  assert_string_equal(s.column[3], "attribute");
  assert_string_equal(s.column[4], "value");
  assert_string_equal(s.column[5], "");
  assert_string_equal(s.reason[5], "3 fields, the header has 5");
  assert_int_equal(s.line[5], 7);
  assert_int_equal(sw_attrs_n_regions(a), 1);
  assert_string_equal(sw_attrs_region(a, 0), "b");
  sw_attrs_free(a);
}

static void test_attrs_regions_in_first_seen_order(void **state) {
  (void)state;
  seen s;
  sw_attrs *a = read_text("region,attribute,value\nz,a,1\ny,a,1\nz,b,2\n"
                          "x,a,1\n",
                          &s);
  assert_int_equal(sw_attrs_n_regions(a), 3);
  assert_string_equal(sw_attrs_region(a, 0), "z");
  assert_string_equal(sw_attrs_region(a, 1), "y");
  assert_string_equal(sw_attrs_region(a, 2), "x");
  sw_attrs_free(a);
}

static void test_attrs_missing_column_is_schema_error(void **state) {
  (void)state;
  sw_attrs *a;
  sw_error e;
  assert_int_equal(
      sw_attrs_read(tu_temp_text("region,value\nx,1\n", ".csv"), NULL, &a, &e),
      SW_E_SCHEMA);
  assert_null(a);
  assert_string_equal(e.column, "attribute");
}

static void test_attrs_many_regions_lookups(void **state) {
  (void)state;
  size_t cap = 4000 * 64;
  char *text = malloc(cap);
  size_t len = (size_t)snprintf(text, cap, "region,attribute,value\n");
  for (int i = 0; i < 4000; i++)
    len += (size_t)snprintf(text + len, cap - len, "r%d,pop,%d\n", i, i * 3);
  seen s;
  sw_attrs *a = read_text(text, &s);
  free(text);
  assert_int_equal(sw_attrs_n_regions(a), 4000);
  for (int i = 0; i < 4000; i++) {
    char id[16];
    snprintf(id, sizeof id, "r%d", i);
    double v;
    assert_true(sw_attrs_get_number(a, id, "pop", 0, &v));
    assert_true(v == i * 3);
  }
  sw_attrs_free(a);
}

static void test_attrs_each_allocation_failure_is_nomem(void **state) {
  (void)state;
  const char *path = tu_temp_text("region,attribute,value,valid_from,valid_to\n"
                                  "a,party,D,2019-01-03,2021-01-03\n"
                                  "a,party,R,2021-01-03,\n"
                                  "b,lat,37.5,,\n",
                                  ".csv");
  sw_attrs *a;
  sw_error e;
  sw__alloc_fail_at(0);
  assert_int_equal(sw_attrs_read(path, NULL, &a, &e), SW_OK);
  uint64_t total = sw__alloc_fail_at(0);
  sw_attrs_free(a);
  assert_true(total > 5);
  for (uint64_t k = 1; k <= total; k++) {
    sw__alloc_fail_at(k);
    sw_status st = sw_attrs_read(path, NULL, &a, &e);
    sw__alloc_fail_at(0);
    assert_int_equal(st, SW_E_NOMEM);
    assert_null(a);
  }
}

static void test_target_split_needs_attr_and_value(void **state) {
  (void)state;
  size_t n = 99;
  sw_error e;
  assert_int_equal(sw_target_split("sanctuary=yes", &n, &e), SW_OK);
  assert_int_equal(n, 9);
  /* The first '=' splits: a value may hold more. */
  assert_int_equal(sw_target_split("a=b=c", &n, &e), SW_OK);
  assert_int_equal(n, 1);
  const char *bad[] = {"sanctuary", "=yes", "sanctuary=", "", "="};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    assert_int_equal(sw_target_split(bad[i], &n, &e), SW_E_USAGE);
  assert_string_equal(e.message, "target is not ATTR=VALUE: \"=\"");
  assert_int_equal(sw_target_split(NULL, &n, NULL), SW_E_USAGE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_attrs_validity_boundaries),
      cmocka_unit_test(test_attrs_without_validity_columns_hold_always),
      cmocka_unit_test(test_attrs_last_row_wins_on_overlap),
      cmocka_unit_test(test_attrs_rejects_bad_rows_with_reasons),
      cmocka_unit_test(test_attrs_regions_in_first_seen_order),
      cmocka_unit_test(test_attrs_missing_column_is_schema_error),
      cmocka_unit_test(test_attrs_many_regions_lookups),
      cmocka_unit_test(test_attrs_each_allocation_failure_is_nomem),
      cmocka_unit_test(test_target_split_needs_attr_and_value),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
