/*
 * test_core.c — the shared plumbing: error rendering and quoting, the
 * allocation failure hook, the string map and the byte buffer.
 */
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "err.h"
#include "strmap.h"
#include "testutil.h"

static void test_error_format_has_file_line_column_reason(void **state) {
  (void)state;
  sw_error e;
  sw__err(&e, SW_E_PARSE, "not a number: \"4O.7\"");
  sw__err_at(&e, "releases.csv", 1234, "release_lat", 99);
  char buf[256];
  size_t n = sw_error_format(&e, buf, sizeof buf);
  assert_string_equal(buf,
                      "releases.csv:1234: release_lat: not a number: \"4O.7\"");
  assert_int_equal(n, strlen(buf));
  assert_int_equal(e.byte, 99);
}

static void test_error_format_omits_empty_parts(void **state) {
  (void)state;
  sw_error e;
  sw__err(&e, SW_E_OPEN, "cannot open: No such file or directory");
  char buf[256];
  sw_error_format(&e, buf, sizeof buf);
  assert_string_equal(buf, "cannot open: No such file or directory");
  sw__err_at(&e, "x.csv", 0, NULL, 0);
  sw_error_format(&e, buf, sizeof buf);
  assert_string_equal(buf, "x.csv: cannot open: No such file or directory");
}

static void test_error_format_returns_needed_length_when_cut(void **state) {
  (void)state;
  sw_error e;
  sw__err(&e, SW_E_RANGE, "latitude out of range");
  char small[8];
  size_t n = sw_error_format(&e, small, sizeof small);
  assert_int_equal(n, strlen("latitude out of range"));
  assert_string_equal(small, "latitud");
}

static void test_quote_escapes_and_cuts(void **state) {
  (void)state;
  char q[64];
  sw__quote(q, sizeof q, "a\"b\\c\x01", 6, 32);
  assert_string_equal(q, "\"a\\\"b\\\\c\\x01\"");
  sw__quote(q, sizeof q, "abcdefghij", 10, 4);
  assert_string_equal(q, "\"abcd\"...");
  char tiny[10];
  sw__quote(tiny, sizeof tiny, "abcdefghijklmnop", 16, 100);
  assert_true(strlen(tiny) < sizeof tiny);
  assert_non_null(strstr(tiny, "..."));
}

static void test_status_strings_are_distinct(void **state) {
  (void)state;
  for (int a = SW_OK; a <= SW_E_CREATE; a++) /* the last code */
    for (int b = a + 1; b <= SW_E_CREATE; b++)
      assert_string_not_equal(sw_status_str((sw_status)a),
                              sw_status_str((sw_status)b));
}

static void test_alloc_fail_hook_fails_the_nth(void **state) {
  (void)state;
  sw__alloc_fail_at(2);
  void *a = sw__malloc(8);
  void *b = sw__malloc(8);
  void *c = sw__malloc(8);
  assert_non_null(a);
  assert_null(b);
  assert_non_null(c);
  assert_int_equal(sw__alloc_fail_at(0), 3);
  sw__free(a);
  sw__free(c);
}

static void test_mul_size_detects_overflow(void **state) {
  (void)state;
  size_t out = 7;
  assert_false(sw__mul_size(SIZE_MAX / 2 + 1, 2, &out));
  assert_int_equal(out, 7);
  assert_true(sw__mul_size(3, 5, &out));
  assert_int_equal(out, 15);
}

static void test_strmap_puts_gets_and_keeps_first(void **state) {
  (void)state;
  sw_strmap *m = sw__strmap_new();
  assert_non_null(m);
  char key[32];
  for (size_t i = 0; i < 10000; i++) {
    int n = snprintf(key, sizeof key, "id-%zu", i);
    const char *stored;
    assert_int_equal(sw__strmap_put(m, key, (size_t)n, i, NULL, &stored), 1);
    assert_string_equal(stored, key);
  }
  assert_int_equal(sw__strmap_count(m), 10000);
  size_t v, existing;
  assert_true(sw__strmap_get(m, "id-4242", 7, &v));
  assert_int_equal(v, 4242);
  assert_int_equal(sw__strmap_put(m, "id-7", 4, 99, &existing, NULL), 0);
  assert_int_equal(existing, 7);
  assert_false(sw__strmap_get(m, "id-10000", 8, &v));
  /* Keys are byte strings: an embedded NUL is part of the key. */
  assert_int_equal(sw__strmap_put(m, "a\0b", 3, 1, NULL, NULL), 1);
  assert_false(sw__strmap_get(m, "a", 1, &v));
  sw__strmap_free(m);
}

static void test_strmap_survives_every_allocation_failure(void **state) {
  (void)state;
  for (uint64_t k = 1;; k++) {
    sw__alloc_fail_at(k);
    sw_strmap *m = sw__strmap_new();
    bool failed = m == NULL;
    char key[16];
    for (int i = 0; m && i < 200 && !failed; i++) {
      int n = snprintf(key, sizeof key, "%d", i);
      failed = sw__strmap_put(m, key, (size_t)n, (size_t)i, NULL, NULL) < 0;
    }
    sw__strmap_free(m);
    sw__alloc_fail_at(0);
    if (!failed) break; /* k is past the last allocation: all were tried */
  }
}

static void test_buf_appends_and_formats(void **state) {
  (void)state;
  sw_buf b = {0};
  assert_true(sw__buf_append(&b, "abc", 3));
  assert_true(sw__buf_putc(&b, ','));
  assert_true(sw__buf_printf(&b, "%d-%s", 42, "x"));
  assert_int_equal(b.len, 8);
  assert_string_equal(b.data, "abc,42-x");
  sw__buf_clear(&b);
  assert_int_equal(b.len, 0);
  assert_string_equal(b.data, "");
  sw__buf_free(&b);
  assert_null(b.data);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_error_format_has_file_line_column_reason),
      cmocka_unit_test(test_error_format_omits_empty_parts),
      cmocka_unit_test(test_error_format_returns_needed_length_when_cut),
      cmocka_unit_test(test_quote_escapes_and_cuts),
      cmocka_unit_test(test_status_strings_are_distinct),
      cmocka_unit_test(test_alloc_fail_hook_fails_the_nth),
      cmocka_unit_test(test_mul_size_detects_overflow),
      cmocka_unit_test(test_strmap_puts_gets_and_keeps_first),
      cmocka_unit_test(test_strmap_survives_every_allocation_failure),
      cmocka_unit_test(test_buf_appends_and_formats),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
