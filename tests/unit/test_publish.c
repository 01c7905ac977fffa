/*
 * test_publish.c — sw_audit_write_published: no key or a short one is
 * refused before anything is written, a column to keep must exist, the
 * published flagged.csv holds pseudonyms and not the ids, and each
 * allocation failing in turn gives SW_E_NOMEM or success, never a crash
 * (the sanitizer build checks the leaks).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "testutil.h"

static sw_audit *hand_audit(void) {
  const char *records = tu_temp_text(
      "id,date,origin_lat,origin_lon,release_region,ties_region,note\n"
      "secret1,2021-01-05,0,0,B,A,n1\n"
      "secret2,2021-01-06,0,0,A,A,n2\n"
      "secret3,2021-03-01,0,0,C,B,n3\n"
      "secret4,2021-03-02,0,0,B,,n4\n",
      ".csv");
  const char *attrs = tu_temp_text("region,attribute,value\n"
                                   "A,lat,0\nA,lon,0\nB,lat,0\nB,lon,2\n"
                                   "C,lat,0\nC,lon,4\nB,sanctuary,yes\n",
                                   ".csv");
  const char *t[] = {"sanctuary=yes"};
  sw_audit_opts o = {.records_path = records,
                     .attrs_path = attrs,
                     .targets = t,
                     .n_targets = 1,
                     .threads = 1};
  sw_audit *a = NULL;
  sw_error e;
  if (sw_audit_run(&o, &a, &e)) fail_msg("audit: %s", e.message);
  return a;
}

static const unsigned char key[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};

static char *read_file(const char *dir, const char *name) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  static char buf[1 << 16];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  return buf;
}

static void test_no_key_no_view(void **state) {
  (void)state;
  sw_audit *a = hand_audit();
  char dir[] = "/tmp/test_publish_XXXXXX";
  assert_non_null(mkdtemp(dir));
  sw_error e;
  sw_publish_opts p = {0};
  assert_int_equal(sw_audit_write_published(a, dir, &p, &e), SW_E_USAGE);
  p.key = key;
  p.key_len = 15;
  assert_int_equal(sw_audit_write_published(a, dir, &p, &e), SW_E_USAGE);
  assert_non_null(strstr(e.message, "16 bytes"));
  assert_null(read_file(dir, "flagged.csv"));
  rmdir(dir);
  sw_audit_free(a);
}

static void test_columns_to_keep_must_exist(void **state) {
  (void)state;
  sw_audit *a = hand_audit();
  const char *keep[] = {"nosuch"};
  sw_publish_opts p = {.key = key,
                       .key_len = sizeof key,
                       .keep_columns = keep,
                       .n_keep_columns = 1};
  sw_error e;
  assert_int_equal(sw_audit_write_published(a, "/tmp", &p, &e), SW_E_USAGE);
  assert_non_null(strstr(e.message, "nosuch"));
  sw_audit_free(a);
}

static void test_flagged_ids_are_pseudonyms(void **state) {
  (void)state;
  sw_audit *a = hand_audit();
  char dir[] = "/tmp/test_publish_XXXXXX";
  assert_non_null(mkdtemp(dir));
  sw_publish_opts p = {.key = key, .key_len = sizeof key};
  sw_error e;
  assert_int_equal(sw_audit_write_published(a, dir, &p, &e), SW_OK);
  const char *flagged = read_file(dir, "flagged.csv");
  assert_non_null(flagged);
  assert_null(strstr(flagged, "secret"));
  assert_null(strstr(flagged, "note"));
  assert_non_null(strstr(flagged, "\np"));
  const char *json = read_file(dir, "results.json");
  assert_non_null(strstr(json, "\"protections\""));
  sw_audit_free(a);
}

static void test_alloc_failures(void **state) {
  (void)state;
  sw_audit *a = hand_audit();
  char dir[] = "/tmp/test_publish_XXXXXX";
  assert_non_null(mkdtemp(dir));
  sw_publish_opts p = {.key = key, .key_len = sizeof key};
  sw_error e;
  sw__alloc_fail_at(0);
  assert_int_equal(sw_audit_write_published(a, dir, &p, &e), SW_OK);
  uint64_t n = sw__alloc_fail_at(0);
  assert_true(n > 5);
  for (uint64_t k = 1; k <= n; k++) {
    sw__alloc_fail_at(k);
    sw_status st = sw_audit_write_published(a, dir, &p, &e);
    sw__alloc_fail_at(0);
    if (st != SW_OK) assert_int_equal(st, SW_E_NOMEM);
  }
  sw_audit_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_no_key_no_view),
      cmocka_unit_test(test_columns_to_keep_must_exist),
      cmocka_unit_test(test_flagged_ids_are_pseudonyms),
      cmocka_unit_test(test_alloc_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
