/*
 * test_assign.c — sw_assign_csv: rows verbatim plus region, number syntax
 * of coordinates, counts, the invalid-row sink, schema errors, output
 * errors, and failing allocations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "regions.h"
#include "testutil.h"

static const double west[] = {0, 0, 1, 0, 1, 1, 0, 1, 0, 0};
static const double east[] = {1, 0, 2, 0, 2, 1, 1, 1, 1, 0};

typedef struct fixture {
  sw_regions *g;
  sw_index *ix;
  char out[256];
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  sw_regions_builder *b = sw__regions_builder_new();
  sw_error err;
  sw__regions_builder_feature(b, "W", 1, &err);
  sw__regions_builder_ring(b, west, 5, false, &err);
  /* An id that needs quoting in the output. */
  sw__regions_builder_feature(b, "E, \"east\"", 10, &err);
  sw__regions_builder_ring(b, east, 5, false, &err);
  if (sw__regions_builder_finish(b, &f->g, &err) != SW_OK) return -1;
  if (sw_index_build(f->g, &f->ix, &err) != SW_OK) return -1;
  snprintf(f->out, sizeof f->out, "/tmp/sw_test_assign_%ld.csv",
           (long)getpid());
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  remove(f->out);
  sw_index_free(f->ix);
  sw_regions_free(f->g);
  free(f);
  return 0;
}

static char *slurp(const char *path) {
  FILE *fp = fopen(path, "rb");
  assert_non_null(fp);
  static char buf[65536];
  size_t n = fread(buf, 1, sizeof buf - 1, fp);
  fclose(fp);
  buf[n] = '\0';
  return buf;
}

typedef struct seen {
  int n;
  char column[8][32];
  char reason[8][160];
  uint64_t line[8];
  bool stop_at_first;
} seen;

static bool record(void *user, const sw_reject *r) {
  seen *s = user;
  assert_int_equal(r->input, SW_INPUT_POINTS);
  if (s->n < 8) {
    snprintf(s->column[s->n], 32, "%s", r->column);
    snprintf(s->reason[s->n], 160, "%s", r->reason);
    s->line[s->n] = r->line;
  }
  s->n++;
  return !s->stop_at_first;
}

static void test_assign_appends_region_and_keeps_rows(void **state) {
  fixture *f = *state;
  const char *in = tu_temp_text("id,lat,lon\n"
                                "a,0.5,0.5\n"
                                "b,0.5,1.5\n"
                                "c,5,5\n"
                                "d,,1\n",
                                ".csv");
  sw_assign_stats st;
  sw_error err;
  assert_int_equal(sw_assign_csv(f->ix, in, f->out, NULL, &st, &err), SW_OK);
  assert_string_equal(slurp(f->out), "id,lat,lon,region\n"
                                     "a,0.5,0.5,W\n"
                                     "b,0.5,1.5,\"E, \"\"east\"\"\"\n"
                                     "c,5,5,\n"
                                     "d,,1,\n");
  assert_int_equal(st.read, 4);
  assert_int_equal(st.assigned, 2);
  assert_int_equal(st.unassigned, 1);
  assert_int_equal(st.invalid, 1);
  assert_int_equal(st.on_boundary, 0);
}

static void test_assign_number_syntax(void **state) {
  fixture *f = *state;
  const char *in = tu_temp_text("lat,lon\n"
                                "+0.5,0.5\n"                   /* W */
                                "5e-1,.5\n"                    /* W */
                                "0.50000000000000000001,1.5\n" /* E */
                                "-0,0.5\n"                     /* W, on edge */
                                "0x1,0.5\n"                    /* hex */
                                " 0.5,0.5\n"                   /* space */
                                "nan,0.5\n"                    /* nan */
                                "0.5,inf\n"                    /* inf */
                                "1e999,0.5\n"                  /* overflow */
                                "90.5,0.5\n"                   /* range */
                                "0.5,-180.01\n"                /* range */
                                "0.5,1.\n"                     /* E, on edge */
                                "1e,0.5\n",                    /* exponent */
                                ".csv");
  seen s = {0};
  sw_assign_opts o = {0};
  o.on_invalid = record;
  o.invalid_user = &s;
  sw_assign_stats st;
  sw_error err;
  assert_int_equal(sw_assign_csv(f->ix, in, f->out, &o, &st, &err), SW_OK);
  assert_int_equal(st.read, 13);
  assert_int_equal(st.assigned, 5);
  assert_int_equal(st.invalid, 8);
  assert_int_equal(st.on_boundary, 2);
  assert_int_equal(s.n, 8);
  assert_string_equal(s.column[0], "lat");
  assert_string_equal(s.reason[0], "not a number: \"0x1\"");
  assert_int_equal(s.line[0], 6);
  assert_string_equal(s.column[3], "lon");
  assert_string_equal(s.reason[5], "out of range -90..90: \"90.5\"");
  assert_string_equal(s.column[6], "lon");
}

static void test_assign_release_columns_and_named_columns(void **state) {
  fixture *f = *state;
  const char *in = tu_temp_text("release_lon|release_lat|y|x\n"
                                "0.5|0.5|0.5|1.5\n",
                                ".csv");
  sw_assign_opts o = {0};
  o.delimiter = '|';
  sw_error err;
  assert_int_equal(sw_assign_csv(f->ix, in, f->out, &o, NULL, &err), SW_OK);
  assert_string_equal(slurp(f->out), "release_lon|release_lat|y|x|region\n"
                                     "0.5|0.5|0.5|1.5|W\n");
  o.lat_column = "Y";
  o.lon_column = "X";
  assert_int_equal(sw_assign_csv(f->ix, in, f->out, &o, NULL, &err), SW_OK);
  assert_string_equal(slurp(f->out), "release_lon|release_lat|y|x|region\n"
                                     "0.5|0.5|0.5|1.5|\"E, \"\"east\"\"\"\n");
}

static void test_assign_missing_columns_is_schema_error(void **state) {
  fixture *f = *state;
  const char *in = tu_temp_text("id,latitude,lon\n1,2,3\n", ".csv");
  sw_error err;
  assert_int_equal(sw_assign_csv(f->ix, in, f->out, NULL, NULL, &err),
                   SW_E_SCHEMA);
  assert_non_null(strstr(err.message, "lat"));
  assert_string_equal(err.file, in);
  sw_assign_opts o = {0};
  o.lat_column = "latitude";
  o.lon_column = "longitude";
  assert_int_equal(sw_assign_csv(f->ix, in, f->out, &o, NULL, &err),
                   SW_E_SCHEMA);
  assert_string_equal(err.column, "longitude");
  const char *empty = tu_temp_text("", ".csv");
  assert_int_equal(sw_assign_csv(f->ix, empty, f->out, NULL, NULL, &err),
                   SW_E_SCHEMA);
}

static void test_assign_stop_by_caller(void **state) {
  fixture *f = *state;
  const char *in = tu_temp_text("lat,lon\nx,1\n0.5,0.5\n", ".csv");
  seen s = {0};
  s.stop_at_first = true;
  sw_assign_opts o = {0};
  o.on_invalid = record;
  o.invalid_user = &s;
  sw_error err;
  assert_int_equal(sw_assign_csv(f->ix, in, f->out, &o, NULL, &err),
                   SW_E_USAGE);
  assert_string_equal(err.message, "stopped by caller");
}

static void test_assign_output_errors_name_the_output(void **state) {
  fixture *f = *state;
  const char *in = tu_temp_text("lat,lon\n0.5,0.5\n", ".csv");
  sw_error err;
  const char *bad = "/nonexistent-dir/out.csv";
  assert_int_equal(sw_assign_csv(f->ix, in, bad, NULL, NULL, &err),
                   SW_E_CREATE);
  assert_string_equal(err.file, bad);
  assert_int_equal(
      sw_assign_csv(f->ix, "/nonexistent-in.csv", f->out, NULL, NULL, &err),
      SW_E_OPEN);
  assert_string_equal(err.file, "/nonexistent-in.csv");
  FILE *full = fopen("/dev/full", "wb");
  if (full) {
    fclose(full);
    assert_int_equal(sw_assign_csv(f->ix, in, "/dev/full", NULL, NULL, &err),
                     SW_E_IO);
    assert_string_equal(err.file, "/dev/full");
  }
}

static void test_assign_fails_cleanly_out_of_memory(void **state) {
  fixture *f = *state;
  const char *in = tu_temp_text("lat,lon\n0.5,0.5\n0.5,1.5\nx,y\n", ".csv");
  sw_error err;
  sw__alloc_fail_at(0);
  assert_int_equal(sw_assign_csv(f->ix, in, f->out, NULL, NULL, &err), SW_OK);
  uint64_t n = sw__alloc_fail_at(0);
  for (uint64_t k = 1; k <= n; k++) {
    sw__alloc_fail_at(k);
    sw_status st = sw_assign_csv(f->ix, in, f->out, NULL, NULL, &err);
    sw__alloc_fail_at(0);
    assert_int_equal(st, SW_E_NOMEM);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_assign_appends_region_and_keeps_rows),
      cmocka_unit_test(test_assign_number_syntax),
      cmocka_unit_test(test_assign_release_columns_and_named_columns),
      cmocka_unit_test(test_assign_missing_columns_is_schema_error),
      cmocka_unit_test(test_assign_stop_by_caller),
      cmocka_unit_test(test_assign_output_errors_name_the_output),
      cmocka_unit_test(test_assign_fails_cleanly_out_of_memory),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
