/*
 * test_digest.c — SHA-256 of files against published test vectors.
 */
#include <string.h>

#include "digest.h"
#include "testutil.h"

static void test_sha256_of_abc_matches_fips_vector(void **state) {
  (void)state;
  const char *p = tu_temp_text("abc", ".txt");
  char hex[65];
  uint64_t bytes;
  assert_int_equal(sw__sha256_file(p, hex, &bytes, NULL), SW_OK);
  assert_string_equal(
      hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert_int_equal(bytes, 3);
}

static void test_sha256_of_empty_file(void **state) {
  (void)state;
  const char *p = tu_write_temp("", 0, ".txt");
  char hex[65];
  uint64_t bytes = 99;
  assert_int_equal(sw__sha256_file(p, hex, &bytes, NULL), SW_OK);
  assert_string_equal(
      hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert_int_equal(bytes, 0);
}

static void test_sha256_spans_chunks(void **state) {
  (void)state;
  /* One million 'a' (FIPS 180-2 long-message vector), over many reads. */
  enum { N = 1000000 };
  static char a[N];
  memset(a, 'a', N);
  const char *p = tu_write_temp(a, N, ".txt");
  char hex[65];
  uint64_t bytes;
  assert_int_equal(sw__sha256_file(p, hex, &bytes, NULL), SW_OK);
  assert_string_equal(
      hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  assert_int_equal(bytes, N);
}

static void test_sha256_missing_file_names_it(void **state) {
  (void)state;
  sw_error e;
  char hex[65];
  uint64_t bytes;
  assert_int_equal(sw__sha256_file("/nonexistent/x.csv", hex, &bytes, &e),
                   SW_E_OPEN);
  assert_string_equal(e.file, "/nonexistent/x.csv");
  assert_string_equal(hex, "");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sha256_of_abc_matches_fips_vector),
      cmocka_unit_test(test_sha256_of_empty_file),
      cmocka_unit_test(test_sha256_spans_chunks),
      cmocka_unit_test(test_sha256_missing_file_names_it),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
