/*
 * test_rejects_file.c — rejects.csv as the library writes it for the CLI
 * and the Python and R packages: the header, every field where SPEC puts
 * it, the raw row verbatim but for the formula guard (however long), and
 * failures that name the file: cannot create, and a write that failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

/* The whole of path, NUL-terminated; *len its bytes. */
static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  char *s = malloc(1 << 20);
  assert_non_null(s);
  *len = fread(s, 1, (1 << 20) - 1, f);
  s[*len] = '\0';
  fclose(f);
  return s;
}

static void test_rows_as_spec_puts_them(void **state) {
  (void)state;
  char path[] = "/tmp/sw-rejects-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  sw_rejects_file *w;
  sw_error err;
  assert_int_equal(sw_rejects_file_open(path, &w, &err), SW_OK);
  /* A raw row that a spreadsheet would run, with a quote and a comma. */
  const char raw1[] = "=HYPERLINK(\"x\"),2021-01-01";
  sw_reject r1 = {.file = "in.csv",
                  .line = 7,
                  .byte = 120,
                  .column = "date",
                  .reason = "not a date: \"x\"",
                  .raw = raw1,
                  .raw_len = strlen(raw1)};
  assert_true(sw_rejects_file_write(w, &r1));
  /* A row far longer than any stack buffer, with a NUL inside. */
  size_t big = 300000;
  char *raw2 = malloc(big);
  assert_non_null(raw2);
  memset(raw2, 'a', big);
  raw2[5] = '\0';
  sw_reject r2 = {.file = "in.csv",
                  .line = 9,
                  .byte = 400,
                  .column = "",
                  .reason = "too long",
                  .raw = raw2,
                  .raw_len = big};
  assert_true(sw_rejects_file_write(w, &r2));
  assert_int_equal(sw_rejects_file_close(w, &err), SW_OK);

  size_t len;
  char *got = slurp(path, &len);
  const char *want1 = "line,byte,column,reason,raw\n"
                      "7,120,date,\"not a date: \"\"x\"\"\","
                      "\"'=HYPERLINK(\"\"x\"\"),2021-01-01\"\n";
  size_t n1 = strlen(want1);
  assert_true(len > n1 && memcmp(got, want1, n1) == 0);
  const char *want2 = "9,400,,too long,";
  assert_memory_equal(got + n1, want2, strlen(want2));
  const char *field = got + n1 + strlen(want2);
  assert_memory_equal(field, raw2, big); /* verbatim, NUL included */
  assert_int_equal(len, n1 + strlen(want2) + big + 1);
  assert_int_equal(got[len - 1], '\n');
  free(got);
  free(raw2);
  remove(path);
}

static void test_failures_name_the_file(void **state) {
  (void)state;
  sw_rejects_file *w = (sw_rejects_file *)1;
  sw_error err;
  assert_int_equal(sw_rejects_file_open("/nonexistent-dir/r.csv", &w, &err),
                   SW_E_CREATE);
  assert_null(w);
  assert_string_equal(err.file, "/nonexistent-dir/r.csv");
  assert_non_null(strstr(err.message, "cannot create"));
  FILE *probe = fopen("/dev/full", "wb");
  if (!probe) skip();
  fclose(probe);
  assert_int_equal(sw_rejects_file_open("/dev/full", &w, &err), SW_OK);
  sw_reject r = {.file = "in.csv",
                 .line = 2,
                 .byte = 10,
                 .column = "id",
                 .reason = "empty",
                 .raw = ",,",
                 .raw_len = 2};
  /* The read goes on: the failure is the close's to report. */
  assert_true(sw_rejects_file_write(w, &r));
  assert_int_equal(sw_rejects_file_close(w, &err), SW_E_IO);
  assert_string_equal(err.file, "/dev/full");
  assert_int_equal(sw_rejects_file_close(NULL, &err), SW_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rows_as_spec_puts_them),
      cmocka_unit_test(test_failures_name_the_file),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
