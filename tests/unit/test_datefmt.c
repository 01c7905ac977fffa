/*
 * test_datefmt.c — the dates agencies write: ISO dates and date-times,
 * M/D/YYYY and M/D/YY, day-first dates, DD-Mon-YY, Excel serials, explicit
 * strptime-style formats, and a column's month/day order taken from its
 * values, never guessed.
 */
#include <string.h>

#include "datefmt.h"
#include "testutil.h"

static int32_t ymd(int y, int m, int d) {
  return (int32_t)sw__days_from_civil(y, m, d);
}

/* Read one value in a fresh column; its kind, and *days. */
static int read1(const char *s, int32_t *days) {
  sw_date_col dc = {0};
  char why[192];
  return sw__date_col_read(&dc, s, strlen(s), 2, days, why, sizeof why);
}

static void expect_date(const char *s, int y, int m, int d) {
  int32_t days = 0;
  int k = read1(s, &days);
  if (k != SW_DATE_OK) fail_msg("\"%s\" not read as a date (kind %d)", s, k);
  if (days != ymd(y, m, d))
    fail_msg("\"%s\": got day %d, want %04d-%02d-%02d", s, days, y, m, d);
}

static void expect_bad(const char *s) {
  int32_t days;
  if (read1(s, &days) != SW_DATE_BAD) fail_msg("\"%s\" read as a date", s);
}

static void test_datefmt_iso_dates_and_date_times(void **state) {
  (void)state;
  expect_date("2020-01-04", 2020, 1, 4);
  expect_date("2020-01-04 00:00:00", 2020, 1, 4);
  expect_date("2020-01-04T13:45:10.123Z", 2020, 1, 4);
  expect_date("2020-01-04 13:45", 2020, 1, 4);
  expect_date("2020-01-04T23:59:59-05:00", 2020, 1, 4);
  expect_date(" 2020-01-04 ", 2020, 1, 4);
  expect_date("2020/1/4", 2020, 1, 4);
  expect_bad("2020-01-04 24:00:00");
  expect_bad("2020-01-04 12:60");
  expect_bad("2020-01-04x");
  expect_bad("2021-02-29");
  expect_bad("2020-01-04 00:00:00 junk");
}

static void test_datefmt_month_first_and_two_digit_years(void **state) {
  (void)state;
  expect_date("1/13/20", 2020, 1, 13);
  expect_date("01/13/2020", 2020, 1, 13);
  expect_date("12/31/99", 1999, 12, 31);
  expect_date("1/13/68", 2068, 1, 13);
  expect_date("1/13/69", 1969, 1, 13);
  expect_date("01/13/2020 12:00:00 AM", 2020, 1, 13);
  expect_date("1/13/2020 0:00", 2020, 1, 13);
  expect_date("03/03/2020", 2020, 3, 3); /* the same either way */
  expect_bad("01/13/2020 13:00 PM");
  expect_bad("02/30/2020");
  expect_bad("13/13/2020");
  expect_bad("1/13/2020x");
  expect_bad("1/13/202");
}

static void test_datefmt_day_first_and_month_names(void **state) {
  (void)state;
  expect_date("13/01/2020", 2020, 1, 13);
  expect_date("13.01.2020", 2020, 1, 13);
  expect_date("04-JAN-20", 2020, 1, 4);
  expect_date("4-Jan-2020", 2020, 1, 4);
  expect_date("04-September-2020", 2020, 9, 4);
  expect_date("04-sept-2020", 2020, 9, 4);
  expect_bad("31-Feb-2020");
  expect_bad("04-Foo-2020");
}

static void test_datefmt_excel_serials(void **state) {
  (void)state;
  expect_date("43834", 2020, 1, 4);
  expect_date("43834.5", 2020, 1, 4);
  expect_date("25569", 1970, 1, 1);
  /* Not five digits: a year, a count, a compact date are not serials. */
  expect_bad("2020");
  expect_bad("20200104");
  expect_bad("43834.");
  expect_bad("43834.5.1");
}

static void test_datefmt_no_serials_in_a_data_set(void **state) {
  (void)state;
  sw_date_col dc = {.no_serials = true};
  char why[192];
  int32_t d;
  assert_int_equal(sw__date_col_read(&dc, "21918", 5, 2, &d, why, 192),
                   SW_DATE_BAD);
  assert_non_null(strstr(why, "a number, not a date"));
  assert_int_equal(sw__date_col_read(&dc, "2020-01-04", 10, 3, &d, why, 192),
                   SW_DATE_OK);
}

static void test_datefmt_column_order_decided_by_values(void **state) {
  (void)state;
  sw_date_col dc = {0};
  char why[192];
  int32_t d;
  /* Ambiguous first: pending, read month first. */
  assert_int_equal(sw__date_col_read(&dc, "03/04/2020", 10, 2, &d, why, 192),
                   SW_DATE_PENDING);
  assert_int_equal(d, ymd(2020, 3, 4));
  assert_int_equal(sw__date_day_first(d), ymd(2020, 4, 3));
  /* A day above 12 in front: day first from here on. */
  assert_int_equal(sw__date_col_read(&dc, "25/04/2020", 10, 3, &d, why, 192),
                   SW_DATE_OK);
  assert_int_equal(d, ymd(2020, 4, 25));
  assert_int_equal(dc.order, 2);
  assert_int_equal(sw__date_col_read(&dc, "05/06/2020", 10, 4, &d, why, 192),
                   SW_DATE_OK);
  assert_int_equal(d, ymd(2020, 6, 5));
  /* A month-first value now contradicts the column. */
  assert_int_equal(sw__date_col_read(&dc, "04/25/2020", 10, 5, &d, why, 192),
                   SW_DATE_BAD);
  assert_non_null(strstr(why, "day first (line 3"));
  assert_non_null(strstr(why, "--date-format"));
  sw_error e;
  assert_int_equal(sw__date_col_finish(&dc, "x.csv", "date", &e), SW_OK);
}

static void test_datefmt_undecided_column_is_refused(void **state) {
  (void)state;
  sw_date_col dc = {0};
  char why[192];
  int32_t d;
  assert_int_equal(sw__date_col_read(&dc, "2020-05-01", 10, 2, &d, why, 192),
                   SW_DATE_OK);
  assert_int_equal(sw__date_col_read(&dc, "03/04/2020", 10, 3, &d, why, 192),
                   SW_DATE_PENDING);
  assert_int_equal(sw__date_col_read(&dc, "01/02/2020", 10, 4, &d, why, 192),
                   SW_DATE_PENDING);
  sw_error e;
  assert_int_equal(sw__date_col_finish(&dc, "x.csv", "date", &e), SW_E_SCHEMA);
  assert_string_equal(e.file, "x.csv");
  assert_int_equal(e.line, 3);
  assert_string_equal(e.column, "date");
  assert_non_null(strstr(e.message, "\"03/04/2020\""));
  assert_non_null(strstr(e.message, "--date-format"));
}

static void expect_format(const char *fmt, const char *s, int y, int m, int d) {
  int32_t days = 0;
  sw_status st = sw_date_parse_format(fmt, s, strlen(s), &days);
  if (st != SW_OK) fail_msg("%s on \"%s\": status %d", fmt, s, st);
  if (days != ymd(y, m, d))
    fail_msg("%s on \"%s\": got day %d, want %04d-%02d-%02d", fmt, s, days, y,
             m, d);
}

static void test_datefmt_explicit_formats(void **state) {
  (void)state;
  expect_format("%d/%m/%Y", "03/04/2020", 2020, 4, 3);
  expect_format("%m/%d/%Y", "03/04/2020", 2020, 3, 4);
  expect_format("%m/%d/%y %H:%M", "3/4/20 17:05", 2020, 3, 4);
  expect_format("%Y%m%d", "20200304", 2020, 3, 4);
  expect_format("%d %B %Y", "4  march 2020", 2020, 3, 4);
  expect_format("%F %T", "2020-03-04 23:59:60", 2020, 3, 4);
  expect_format("%D", "03/04/20", 2020, 3, 4);
  expect_format("%Y-%j", "2020-366", 2020, 12, 31);
  expect_format("%I:%M %p %m/%d/%Y", "12:30 pm 03/04/2020", 2020, 3, 4);
  expect_format("%Y-%m-%dT%H:%M:%S%z", "2020-03-04T01:02:03+0530", 2020, 3, 4);
  int32_t d;
  assert_int_equal(sw_date_parse_format("%d/%m/%Y", "31/02/2020", 10, &d),
                   SW_E_PARSE);
  assert_int_equal(sw_date_parse_format("%Y-%j", "2021-366", 8, &d),
                   SW_E_PARSE);
  assert_int_equal(sw_date_parse_format("%d/%m/%Y", "03/04/2020x", 11, &d),
                   SW_E_PARSE);
  assert_int_equal(sw_date_parse_format("%I %p %F", "13 PM 2020-01-01", 16, &d),
                   SW_E_PARSE);
  /* Not formats: an unknown conversion, or no day. */
  assert_int_equal(sw_date_parse_format("%Q/%m/%Y", "1/1/2020", 8, &d),
                   SW_E_USAGE);
  assert_int_equal(sw_date_parse_format("%m/%Y", "1/2020", 6, &d), SW_E_USAGE);
  assert_int_equal(sw_date_parse_format("%d/%m/%Y%", "1/1/2020", 8, &d),
                   SW_E_USAGE);
}

static void test_datefmt_column_with_a_format_reads_only_it(void **state) {
  (void)state;
  sw_date_col dc = {.format = "%d/%m/%Y"};
  char why[192];
  int32_t d;
  assert_int_equal(sw__date_col_read(&dc, "03/04/2020", 10, 2, &d, why, 192),
                   SW_DATE_OK);
  assert_int_equal(d, ymd(2020, 4, 3));
  assert_int_equal(sw__date_col_read(&dc, "2020-04-03", 10, 3, &d, why, 192),
                   SW_DATE_BAD);
  assert_string_equal(why, "not a date in the format %d/%m/%Y: \"2020-04-03\"");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_datefmt_iso_dates_and_date_times),
      cmocka_unit_test(test_datefmt_month_first_and_two_digit_years),
      cmocka_unit_test(test_datefmt_day_first_and_month_names),
      cmocka_unit_test(test_datefmt_excel_serials),
      cmocka_unit_test(test_datefmt_no_serials_in_a_data_set),
      cmocka_unit_test(test_datefmt_column_order_decided_by_values),
      cmocka_unit_test(test_datefmt_undecided_column_is_refused),
      cmocka_unit_test(test_datefmt_explicit_formats),
      cmocka_unit_test(test_datefmt_column_with_a_format_reads_only_it),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
