/*
 * test_records.c — placement records: required columns, per-row
 * validation with reasons, read = accepted + rejected, extra columns, and
 * allocation failures.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "alloc.h"
#include "buf.h"
#include "records.h"
#include "testutil.h"

#define HEADER "id,date,origin_lat,origin_lon,release_lat,release_lon\n"

typedef struct seen {
  unsigned n;
  uint64_t line[16];
  uint64_t byte[16];
  char column[16][64];
  char reason[16][192];
  char raw[16][128];
} seen;

static bool collect(void *user, const sw_reject *r) {
  seen *s = user;
  /* Each reject says which input it came from: a sink shared with the
   * attributes routes by it. */
  assert_int_equal(r->input, SW_INPUT_RECORDS);
  if (s->n < 16) {
    s->line[s->n] = r->line;
    s->byte[s->n] = r->byte;
    snprintf(s->column[s->n], 64, "%s", r->column);
    snprintf(s->reason[s->n], 192, "%s", r->reason);
    snprintf(s->raw[s->n], 128, "%.*s", (int)r->raw_len, r->raw);
  }
  s->n++;
  return true;
}

/* Read text; returns the records (the caller frees) and fills s. */
static sw_records *read_text(const char *text, seen *s) {
  memset(s, 0, sizeof *s);
  sw_read_opts o = {.on_reject = collect, .reject_user = s};
  sw_records *r;
  sw_error e;
  assert_int_equal(sw_records_read(tu_temp_text(text, ".csv"), &o, &r, &e),
                   SW_OK);
  sw_counts c = sw_records_counts(r);
  assert_int_equal(c.read, c.accepted + c.rejected);
  assert_int_equal(c.rejected, s->n);
  assert_int_equal(c.accepted, sw_records_count(r));
  return r;
}

/* The single reject of a one-row file. */
static void expect_reject(const char *row, const char *column,
                          const char *reason) {
  char text[512];
  snprintf(text, sizeof text, "%s%s\n", HEADER, row);
  seen s;
  sw_records *r = read_text(text, &s);
  assert_int_equal(sw_records_count(r), 0);
  assert_int_equal(s.n, 1);
  assert_int_equal(s.line[0], 2);
  assert_string_equal(s.column[0], column);
  assert_string_equal(s.reason[0], reason);
  assert_string_equal(s.raw[0], row);
  sw_records_free(r);
}

static void test_records_reads_all_fields(void **state) {
  (void)state;
  seen s;
  sw_records *r = read_text(
      "ID,Date,origin_lat,origin_lon,release_lat,release_lon,release_region,"
      "ties_lat,ties_lon,ties_region,facility,court_lat,court_lon,cost,note\n"
      "a1,2021-03-01,40.5,-74.25,41,-73.5,36061,34.05,-118.25,06037,"
      "\"Elizabeth, NJ\",40.7,-74,123.5,hi\n"
      "a2,2021-03-02,40.5,-74.25,,,36047,,,,,,,,\n",
      &s);
  assert_int_equal(s.n, 0);
  assert_int_equal(sw_records_count(r), 2);
  sw_record rec;
  sw_records_get(r, 0, &rec);
  assert_string_equal(rec.id, "a1");
  assert_int_equal(rec.date, 18687);
  assert_true(rec.origin.lat_deg == 40.5 && rec.origin.lon_deg == -74.25);
  assert_true(rec.release.lat_deg == 41 && rec.release.lon_deg == -73.5);
  assert_string_equal(rec.release_region, "36061");
  assert_true(rec.ties.lat_deg == 34.05 && rec.ties.lon_deg == -118.25);
  assert_string_equal(rec.ties_region, "06037");
  assert_string_equal(rec.facility, "Elizabeth, NJ");
  assert_true(rec.court.lat_deg == 40.7 && rec.court.lon_deg == -74);
  assert_true(rec.cost == 123.5);
  assert_int_equal(rec.line, 2);
  sw_records_get(r, 1, &rec);
  assert_true(isnan(rec.release.lat_deg) && isnan(rec.ties.lon_deg));
  assert_true(isnan(rec.court.lat_deg) && isnan(rec.cost));
  assert_null(rec.ties_region);
  assert_null(rec.facility);
  assert_string_equal(rec.release_region, "36047");
  assert_int_equal(sw_records_n_extra(r), 1);
  assert_string_equal(sw_records_extra_name(r, 0), "note");
  assert_string_equal(sw_records_extra(r, 0, 0), "hi");
  assert_string_equal(sw_records_extra(r, 1, 0), "");
  sw_records_free(r);
}

static void test_records_rejects_not_a_number(void **state) {
  (void)state;
  expect_reject("1,2021-01-01,40,-74,4O.7,-73", "release_lat",
                "not a number: \"4O.7\"");
}

static void test_records_rejects_nan_and_inf(void **state) {
  (void)state;
  expect_reject("1,2021-01-01,NaN,-74,40,-73", "origin_lat",
                "not a number: \"NaN\"");
  expect_reject("1,2021-01-01,40,inf,40,-73", "origin_lon",
                "not a number: \"inf\"");
  expect_reject("1,2021-01-01,40,-74,1e999,-73", "release_lat",
                "not a number: \"1e999\"");
  expect_reject("1,2021-01-01,40,-74,0x1p3,-73", "release_lat",
                "not a number: \"0x1p3\"");
  expect_reject("1,2021-01-01,40,-74, 40,-73", "release_lat",
                "not a number: \" 40\"");
}

static void test_records_rejects_out_of_range_coordinates(void **state) {
  (void)state;
  expect_reject("1,2021-01-01,90.5,-74,40,-73", "origin_lat",
                "out of range -90..90: \"90.5\"");
  expect_reject("1,2021-01-01,40,-74,40,-180.01", "release_lon",
                "out of range -180..180: \"-180.01\"");
}

static void test_records_rejects_empty_required_and_half_pairs(void **state) {
  (void)state;
  expect_reject("1,2021-01-01,,-74,40,-73", "origin_lat", "empty");
  expect_reject("1,2021-01-01,40,,40,-73", "origin_lon", "empty");
  expect_reject("1,2021-01-01,40,-74,40,", "release_lon",
                "empty, but release_lat is given");
  expect_reject("1,2021-01-01,40,-74,,", "release_lat", "empty");
  expect_reject(",2021-01-01,40,-74,40,-73", "id", "empty");
}

static void test_records_rejects_impossible_dates(void **state) {
  (void)state;
  expect_reject("1,2021-02-30,40,-74,40,-73", "date",
                "not a date: \"2021-02-30\"");
  expect_reject("1,99999-01-01,40,-74,40,-73", "date",
                "not a date: \"99999-01-01\"");
  expect_reject("1,02/30/2021,40,-74,40,-73", "date",
                "not a date: \"02/30/2021\"");
}

static void test_records_rejects_wrong_field_count_and_faults(void **state) {
  (void)state;
  expect_reject("1,2021-01-01,40,-74,40", "", "5 fields, the header has 6");
  expect_reject("1,2021-01-01,40,-74,40,-73,x", "",
                "7 fields, the header has 6");
  expect_reject("1,2021-01-01,4\"0,-74,40,-73", "",
                "bare quote in unquoted field 3");
}

static void test_records_later_duplicate_id_is_rejected(void **state) {
  (void)state;
  seen s;
  sw_records *r = read_text(HEADER "x,2021-01-01,40,-74,40,-73\n"
                                   "y,2021-01-01,bad,-74,40,-73\n"
                                   "x,2021-01-02,40,-74,40,-73\n"
                                   "y,2021-01-02,40,-74,40,-73\n",
                            &s);
  assert_int_equal(sw_records_count(r), 2);
  assert_int_equal(s.n, 2);
  assert_int_equal(s.line[1], 4);
  assert_string_equal(s.column[1], "id");
  assert_string_equal(s.reason[1], "duplicate id \"x\" (first on line 2)");
  sw_record rec;
  sw_records_get(r, 1, &rec);
  assert_string_equal(rec.id, "y");
  assert_int_equal(rec.line, 5);
  sw_records_free(r);
}

/* Every reject folded into one hash, in order: where, which column, why. */
static bool fold(void *user, const sw_reject *r) {
  uint64_t *h = user;
  assert_int_equal(r->input, SW_INPUT_RECORDS);
  char line[320];
  int n = snprintf(line, sizeof line, "%llu|%llu|%s|%s",
                   (unsigned long long)r->line, (unsigned long long)r->byte,
                   r->column, r->reason);
  for (int i = 0; i < n; i++)
    *h = (*h ^ (unsigned char)line[i]) * 0x100000001B3ull;
  return true;
}

/* check's streaming validation, in one pass or two, rejects exactly what
 * the full read rejects, in the same order: ids that repeat (once, many
 * times, first in a rejected row) and ids that do not. */
static void test_records_validate_matches_read(void **state) {
  (void)state;
  sw_buf text = {0};
  assert_true(sw__buf_printf(&text, HEADER));
  for (unsigned i = 0; i < 3000; i++) {
    unsigned id = i % 7 == 0 ? i % 50 : i; /* every 7th reuses 0..49 */
    bool bad = i % 11 == 0;                /* some rows claim no id */
    assert_true(sw__buf_printf(&text, "r%u,2021-01-%02u,%s,-74,40,-73\n", id,
                               1 + i % 28, bad ? "bad" : "40"));
  }
  const char *path = tu_temp_text(text.data, ".csv");
  sw__buf_free(&text);

  uint64_t h_read = 14695981039346656037ull, h_one = h_read, h_two = h_read;
  sw_read_opts o = {.on_reject = fold, .reject_user = &h_read};
  sw_records *r;
  sw_error e;
  assert_int_equal(sw_records_read(path, &o, &r, &e), SW_OK);
  sw_counts want = sw_records_counts(r);
  sw_records_free(r);
  assert_true(want.rejected > 300 && want.accepted > 2000);

  sw_counts one, two, tiny;
  o.reject_user = &h_one;
  assert_int_equal(sw__records_validate(path, &o, 0, &one, &e), SW_OK);
  o.reject_user = &h_two;
  assert_int_equal(
      sw__records_validate(path, &o, SW_REPEATS_BLOOM_BITS, &two, &e), SW_OK);
  assert_memory_equal(&one, &want, sizeof want);
  assert_memory_equal(&two, &want, sizeof want);
  assert_true(h_one == h_read);
  assert_true(h_two == h_read);
  /* A 1,024-bit filter calls most ids repeats: more tracking, same rows. */
  uint64_t h_tiny = 14695981039346656037ull;
  o.reject_user = &h_tiny;
  assert_int_equal(sw__records_validate(path, &o, 1024, &tiny, &e), SW_OK);
  assert_memory_equal(&tiny, &want, sizeof want);
  assert_true(h_tiny == h_read);

  /* The first pass names exactly the ids that occur more than once (plus
   * the Bloom filter's rare false positives, none at this size). */
  sw_strmap *repeats;
  assert_int_equal(
      sw__records_repeats(path, &(sw_read_opts){0}, sw__records_find_header,
                          SW_REPEATS_BLOOM_BITS, NULL, NULL, &repeats, &e),
      SW_OK);
  assert_int_equal(sw__strmap_count(repeats), 50);
  assert_true(sw__strmap_get(repeats, "r0", 2, NULL));
  assert_true(sw__strmap_get(repeats, "r49", 3, NULL));
  assert_false(sw__strmap_get(repeats, "r2999", 5, NULL));
  sw__strmap_free(repeats);
}

/* A count table: count is the people a row stands for, blank for one;
 * without the column every record is one. */
static void test_records_count_is_people_per_row(void **state) {
  (void)state;
  seen s;
  sw_records *r = read_text("id,date,origin_lat,origin_lon,release_region,"
                            "count\n"
                            "a,2021-03-01,40.7,-74.0,06075,12\n"
                            "b,2021-03-01,40.7,-74.0,06075, \n"
                            "c,2021-03-01,40.7,-74.0,06075,1000000\n"
                            "d,2021-03-01,40.7,-74.0,06075,1e3\n",
                            &s);
  assert_int_equal(sw_records_count(r), 3);
  const uint32_t want[] = {12, 1, 1000000};
  for (size_t i = 0; i < 3; i++) {
    sw_record rec;
    sw_records_get(r, i, &rec);
    assert_int_equal(rec.count, want[i]);
  }
  assert_int_equal(s.n, 1);
  assert_int_equal(s.line[0], 5);
  assert_string_equal(s.column[0], "count");
  assert_string_equal(s.reason[0], "not a whole number of people: \"1e3\"");
  sw_records_free(r);
  r = read_text(HEADER "a,2021-03-01,40.7,-74.0,41.0,-73.5\n", &s);
  sw_record rec;
  sw_records_get(r, 0, &rec);
  assert_int_equal(rec.count, 1);
  sw_records_free(r);
}

static void test_records_region_instead_of_coordinates(void **state) {
  (void)state;
  seen s;
  sw_records *r = read_text("id,date,origin_lat,origin_lon,release_region\n"
                            "1,2021-01-01,40,-74,06075\n"
                            "2,2021-01-01,40,-74,\n",
                            &s);
  assert_int_equal(sw_records_count(r), 1);
  assert_int_equal(s.n, 1);
  assert_string_equal(s.column[0], "release_region");
  assert_string_equal(s.reason[0], "empty");
  /* Columns the header lacks read as absent. */
  sw_record rec;
  sw_records_get(r, 0, &rec);
  assert_string_equal(rec.release_region, "06075");
  assert_true(isnan(rec.release.lat_deg) && isnan(rec.release.lon_deg));
  assert_true(isnan(rec.ties.lat_deg) && isnan(rec.court.lon_deg));
  assert_true(isnan(rec.cost));
  assert_null(rec.facility);
  assert_null(rec.ties_region);
  sw_records_free(r);
}

static void test_records_counts_hold_and_positions_are_reported(void **state) {
  (void)state;
  seen s;
  sw_records *r = read_text(HEADER "1,2021-01-01,40,-74,40,-73\r\n"
                                   "2,2021-01-01,40,-74,40,x\r\n"
                                   "3,2021-01-01,40,-74,40,-73\r\n",
                            &s);
  sw_counts c = sw_records_counts(r);
  assert_int_equal(c.read, 3);
  assert_int_equal(c.accepted, 2);
  assert_int_equal(c.rejected, 1);
  assert_int_equal(s.line[0], 3);
  assert_int_equal(s.byte[0], strlen(HEADER) + 28);
  assert_string_equal(s.raw[0], "2,2021-01-01,40,-74,40,x");
  sw_records_free(r);
}

static void expect_schema(const char *text, const char *column) {
  sw_records *r = (sw_records *)1;
  sw_error e;
  assert_int_equal(sw_records_read(tu_temp_text(text, ".csv"), NULL, &r, &e),
                   SW_E_SCHEMA);
  assert_null(r);
  assert_string_equal(e.column, column);
  assert_int_equal(e.line, 1);
}

static void test_records_missing_required_column_is_schema_error(void **state) {
  (void)state;
  expect_schema("id,origin_lat,origin_lon,release_lat,release_lon\n", "date");
  expect_schema("id,date,origin_lat,release_lat,release_lon\n", "origin_lon");
  expect_schema("id,date,origin_lat,origin_lon\n", "release_lat");
  expect_schema("id,date,origin_lat,origin_lon,release_lat\n", "release_lon");
  expect_schema("id,date,origin_lat,origin_lon,release_region,ties_lon\n",
                "ties_lat");
  expect_schema("id,ID,date,origin_lat,origin_lon,release_region\n", "id");
}

static void test_records_missing_file_and_empty_file(void **state) {
  (void)state;
  sw_records *r;
  sw_error e;
  assert_int_equal(sw_records_read("/nonexistent.csv", NULL, &r, &e),
                   SW_E_OPEN);
  assert_null(r);
  assert_int_equal(sw_records_read(tu_temp_text("", ".csv"), NULL, &r, &e),
                   SW_E_SCHEMA);
}

static bool stop_now(void *user, const sw_reject *rj) {
  (void)user;
  (void)rj;
  return false;
}

static void test_records_reject_sink_can_stop_the_read(void **state) {
  (void)state;
  sw_read_opts o = {.on_reject = stop_now};
  sw_records *r;
  sw_error e;
  assert_int_equal(
      sw_records_read(tu_temp_text(HEADER "1,x,1,1,1,1\n", ".csv"), &o, &r, &e),
      SW_E_USAGE);
  assert_null(r);
  assert_string_equal(e.message, "stopped by caller");
}

static void test_records_pipe_delimited_fields(void **state) {
  (void)state;
  sw_read_opts o = {.delimiter = '|'};
  sw_records *r;
  sw_error e;
  assert_int_equal(
      sw_records_read(tu_temp_text("id|date|origin_lat|origin_lon|release_"
                                   "region\n1|2021-01-01|40|-74|a,b\n",
                                   ".csv"),
                      &o, &r, &e),
      SW_OK);
  assert_int_equal(sw_records_count(r), 1);
  sw_record rec;
  sw_records_get(r, 0, &rec);
  assert_string_equal(rec.release_region, "a,b");
  sw_records_free(r);
}

static void test_records_each_allocation_failure_is_nomem(void **state) {
  (void)state;
  const char *path =
      tu_temp_text("id,date,origin_lat,origin_lon,release_lat,release_lon,"
                   "facility,note\n"
                   "1,2021-01-01,40,-74,40,-73,F,n1\n"
                   "2,2021-01-01,40,-74,40,-73,,n2\n"
                   "1,2021-01-01,40,-74,40,-73,F,dup\n",
                   ".csv");
  sw_records *r;
  sw_error e;
  sw__alloc_fail_at(0);
  assert_int_equal(sw_records_read(path, NULL, &r, &e), SW_OK);
  uint64_t total = sw__alloc_fail_at(0);
  sw_records_free(r);
  assert_true(total > 5);
  for (uint64_t k = 1; k <= total; k++) {
    sw__alloc_fail_at(k);
    sw_status st = sw_records_read(path, NULL, &r, &e);
    sw__alloc_fail_at(0);
    assert_int_equal(st, SW_E_NOMEM);
    assert_null(r);
  }
}

static void progress(void *user, uint64_t done, uint64_t total) {
  uint64_t *last = user;
  assert_true(done >= *last);
  assert_true(total == 0 || done <= total);
  *last = done;
}

static void test_records_gzip_reads_like_plain(void **state) {
  (void)state;
  const char *path = tu_temp_text("", ".csv.gz");
  gzFile gz = gzopen(path, "wb");
  assert_non_null(gz);
  gzputs(gz, HEADER);
  for (int i = 0; i < 5000; i++)
    gzprintf(gz, "r%d,2021-01-%02d,40.%d,-74,41,-73\n", i, 1 + i % 28, i);
  gzputs(gz, "bad,2021-01-01,x,-74,41,-73\n");
  gzclose(gz);
  uint64_t last = 0;
  sw_read_opts o = {.on_progress = progress, .progress_user = &last};
  sw_records *r;
  sw_error e;
  assert_int_equal(sw_records_read(path, &o, &r, &e), SW_OK);
  sw_counts c = sw_records_counts(r);
  assert_int_equal(c.read, 5001);
  assert_int_equal(c.accepted, 5000);
  assert_int_equal(c.rejected, 1);
  assert_true(last > 0);
  sw_record rec;
  sw_records_get(r, 4999, &rec);
  assert_string_equal(rec.id, "r4999");
  assert_int_equal(rec.line, 5001);
  sw_records_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_records_reads_all_fields),
      cmocka_unit_test(test_records_count_is_people_per_row),
      cmocka_unit_test(test_records_rejects_not_a_number),
      cmocka_unit_test(test_records_rejects_nan_and_inf),
      cmocka_unit_test(test_records_rejects_out_of_range_coordinates),
      cmocka_unit_test(test_records_rejects_empty_required_and_half_pairs),
      cmocka_unit_test(test_records_rejects_impossible_dates),
      cmocka_unit_test(test_records_rejects_wrong_field_count_and_faults),
      cmocka_unit_test(test_records_later_duplicate_id_is_rejected),
      cmocka_unit_test(test_records_validate_matches_read),
      cmocka_unit_test(test_records_region_instead_of_coordinates),
      cmocka_unit_test(test_records_counts_hold_and_positions_are_reported),
      cmocka_unit_test(test_records_missing_required_column_is_schema_error),
      cmocka_unit_test(test_records_missing_file_and_empty_file),
      cmocka_unit_test(test_records_reject_sink_can_stop_the_read),
      cmocka_unit_test(test_records_pipe_delimited_fields),
      cmocka_unit_test(test_records_gzip_reads_like_plain),
      cmocka_unit_test(test_records_each_allocation_failure_is_nomem),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
