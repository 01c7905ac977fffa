#define _DEFAULT_SOURCE /* usleep */
/*
 * test_input.c — placement records as agencies release them: standard
 * input (plain and gzip, through a pipe that delivers a byte at a time),
 * other character sets, header names mapped with --column, a preamble
 * above the header, facility codes located through a facility list, FOIA
 * redaction marks, and date columns whose month/day order the values
 * decide.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "alloc.h"
#include "datefmt.h"
#include "digest.h"
#include "records.h"
#include "source.h"
#include "testutil.h"

typedef struct seen {
  unsigned n;
  uint64_t line[16];
  char column[16][64];
  char reason[16][192];
  char file[16][64];
} seen;

static bool collect(void *user, const sw_reject *r) {
  seen *s = user;
  if (s->n < 16) {
    s->line[s->n] = r->line;
    snprintf(s->column[s->n], 64, "%s", r->column);
    snprintf(s->reason[s->n], 192, "%s", r->reason);
    snprintf(s->file[s->n], 64, "%s", r->file);
  }
  s->n++;
  return true;
}

/* Read path with o (its sink set here); SW_OK expected. */
static sw_records *read_with(const char *path, sw_read_opts *o, seen *s) {
  memset(s, 0, sizeof *s);
  o->on_reject = collect;
  o->reject_user = s;
  sw_records *r;
  sw_error e;
  sw_status st = sw_records_read(path, o, &r, &e);
  if (st != SW_OK) {
    char msg[512];
    sw_error_format(&e, msg, sizeof msg);
    fail_msg("read failed: %s", msg);
  }
  sw_counts c = sw_records_counts(r);
  assert_int_equal(c.read, c.accepted + c.rejected);
  assert_int_equal(c.rejected, s->n);
  return r;
}

static const char plain[] = "id,date,origin_lat,origin_lon,release_region\n"
                            "a,2020-01-04,40,-74,X\n"
                            "b,2020-01-05,41,-75,Y\n";

/* Feed data to our standard input through a pipe, one byte first (so
 * that a reader must not assume a read gives it the magic bytes at once),
 * then the rest; read "-" with o; restore standard input. */
static sw_status read_stdin(const void *data, size_t len, sw_read_opts *o,
                            sw_records **r, sw_error *e) {
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    const char *p = data;
    if (len && write(fds[1], p, 1) != 1) _exit(1);
    usleep(20000);
    size_t off = len ? 1 : 0;
    while (off < len) {
      ssize_t w = write(fds[1], p + off, len - off);
      if (w <= 0) _exit(1);
      off += (size_t)w;
    }
    _exit(0);
  }
  close(fds[1]);
  int saved = dup(STDIN_FILENO);
  dup2(fds[0], STDIN_FILENO);
  close(fds[0]);
  sw_status st = sw_records_read("-", o, r, e);
  dup2(saved, STDIN_FILENO);
  close(saved);
  int status;
  waitpid(pid, &status, 0);
  return st;
}

static void test_input_stdin_loses_no_bytes(void **state) {
  (void)state;
  sw_read_opts o = {0};
  sw_records *r;
  sw_error e;
  assert_int_equal(read_stdin(plain, strlen(plain), &o, &r, &e), SW_OK);
  assert_int_equal(sw_records_count(r), 2);
  sw_record rec;
  sw_records_get(r, 0, &rec);
  assert_string_equal(rec.id, "a");
  sw_records_free(r);
}

static void test_input_gzip_on_stdin_loses_no_bytes(void **state) {
  (void)state;
  /* Two gzip members, as `cat a.gz b.gz` makes. */
  unsigned char gz[512];
  size_t n = 0;
  const char *parts[2] = {"id,date,origin_lat,origin_lon,release_region\na,",
                          "2020-01-04,40,-74,X\n"};
  for (int k = 0; k < 2; k++) {
    z_stream z = {0};
    assert_int_equal(
        deflateInit2(&z, 6, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (Bytef *)parts[k];
    z.avail_in = (uInt)strlen(parts[k]);
    z.next_out = gz + n;
    z.avail_out = (uInt)(sizeof gz - n);
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    n = sizeof gz - z.avail_out;
    deflateEnd(&z);
  }
  sw_read_opts o = {0};
  sw_records *r;
  sw_error e;
  assert_int_equal(read_stdin(gz, n, &o, &r, &e), SW_OK);
  assert_int_equal(sw_records_count(r), 1);
  sw_records_free(r);
  /* Cut short: an I/O error, not fewer rows. */
  assert_int_equal(read_stdin(gz, n - 5, &o, &r, &e), SW_E_IO);
  assert_null(r);
  assert_string_equal(e.file, SW_STDIN_NAME);
}

static void test_input_stdin_is_validated_in_one_pass(void **state) {
  (void)state;
  /* check's streaming validation on a pipe: no second open, no sniff. */
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  assert_int_equal(write(fds[1], plain, strlen(plain)), (ssize_t)strlen(plain));
  close(fds[1]);
  int saved = dup(STDIN_FILENO);
  dup2(fds[0], STDIN_FILENO);
  close(fds[0]);
  sw_counts c;
  sw_error e;
  sw_status st = sw_records_validate("-", NULL, &c, &e);
  dup2(saved, STDIN_FILENO);
  close(saved);
  assert_int_equal(st, SW_OK);
  assert_int_equal(c.read, 2);
  assert_int_equal(c.accepted, 2);
}

static void test_input_latin1_and_windows_1252(void **state) {
  (void)state;
  /* "Jos\xe9" in Latin-1; a Windows-1252 curly quote (0x93/0x94). */
  const char text[] = "id,date,origin_lat,origin_lon,release_region,note\n"
                      "Jos\xe9,2020-01-04,40,-74,X,\x93hi\x94\n";
  const char *path = tu_write_temp(text, sizeof text - 1, ".csv");
  seen s;
  sw_read_opts o = {.encoding = "windows-1252"};
  sw_records *r = read_with(path, &o, &s);
  assert_int_equal(sw_records_count(r), 1);
  sw_record rec;
  sw_records_get(r, 0, &rec);
  assert_string_equal(rec.id, "Jos\xc3\xa9");
  assert_string_equal(sw_records_extra(r, 0, 0), "\xe2\x80\x9chi\xe2\x80\x9d");
  sw_records_free(r);
  /* Read as UTF-8, the same bytes are a rejected row, not a guess. */
  sw_read_opts u = {0};
  r = read_with(path, &u, &s);
  assert_int_equal(sw_records_count(r), 0);
  assert_non_null(strstr(s.reason[0], "invalid UTF-8"));
  sw_records_free(r);
  /* A byte Windows-1252 leaves undefined is kept, so the row is
   * rejected rather than altered. */
  const char bad[] = "id,date,origin_lat,origin_lon,release_region\n"
                     "a\x81,2020-01-04,40,-74,X\nb,2020-01-04,40,-74,X\n";
  r = read_with(tu_write_temp(bad, sizeof bad - 1, ".csv"), &o, &s);
  assert_int_equal(sw_records_count(r), 1);
  assert_int_equal(s.n, 1);
  assert_int_equal(s.line[0], 2);
  sw_records_free(r);
  sw_read_opts x = {.encoding = "no-such-charset"};
  sw_error e;
  assert_int_equal(sw_records_read(path, &x, &r, &e), SW_E_USAGE);
  assert_non_null(strstr(e.message, "no-such-charset"));
}

/* A multi-byte character set whose characters straddle the reader's
 * blocks (256 KiB of input are converted at a time): every character
 * must arrive whole, and the read must end. */
static void test_input_multibyte_encoding_across_blocks(void **state) {
  (void)state;
  static const char head[] = "id,date,origin_lat,origin_lon,release_region\n";
  enum { N_CHARS = 150000 };
  size_t len = strlen(head);
  char *text = malloc(len + 2 + 2 * N_CHARS + 64);
  assert_non_null(text);
  memcpy(text, head, len);
  text[len++] = 'x';
  /* Put a character across offset 262144 whatever the header's length. */
  if ((262144 - len) % 2 == 0) text[len++] = 'y';
  size_t first = len;
  for (int i = 0; i < N_CHARS; i++) { /* EUC-JP "a" (hiragana) */
    text[len++] = (char)0xA4;
    text[len++] = (char)0xA2;
  }
  static const char tail[] = ",2020-01-04,40,-74,X\nb,2020-01-05,41,-75,Y\n";
  memcpy(text + len, tail, sizeof tail - 1);
  len += sizeof tail - 1;
  const char *path = tu_write_temp(text, len, ".csv");
  free(text);
  seen s;
  sw_read_opts o = {.encoding = "EUC-JP"};
  sw_records *r = read_with(path, &o, &s);
  assert_int_equal(sw_records_count(r), 2);
  sw_record rec;
  sw_records_get(r, 0, &rec);
  size_t id_len = strlen(rec.id);
  assert_int_equal(id_len, (first - strlen(head)) + 3 * (size_t)N_CHARS);
  for (size_t k = first - strlen(head); k < id_len; k += 3)
    assert_memory_equal(rec.id + k, "\xe3\x81\x82", 3);
  sw_records_free(r);
}

static void test_input_source_hashes_what_it_reads(void **state) {
  (void)state;
  const char *path = tu_temp_text(plain, ".csv");
  sw_source_opts so = {.sha256 = true};
  sw_source *src;
  sw_error e;
  assert_int_equal(sw__source_open(path, &so, &src, &e), SW_OK);
  char buf[7];
  size_t got;
  do {
    assert_int_equal(sw__source_read(src, buf, sizeof buf, &got, &e), SW_OK);
  } while (got);
  char a[65], b[65];
  uint64_t bytes;
  sw__source_sha256(src, a);
  assert_int_equal(sw__source_raw_bytes(src), strlen(plain));
  sw__source_close(src);
  assert_int_equal(sw__sha256_file(path, b, &bytes, &e), SW_OK);
  assert_string_equal(a, b);
}

/* The ICE layout: a title and notes above the header, its own column
 * names, date-times, facility codes and redactions. */
static const char ice[] =
    "ICE Detention Data FY2020\n"
    "Source: ICE ERO,,,,\n"
    "\n"
    "Unique Identifier,Stay Book In Date Time,Detention Facility Code,"
    "Release County,Detention Release Reason\n"
    "u1,2020-01-04 00:00:00,AAA,X,Bonded Out\n"
    "u2,1/13/20,BBB,Y,Paroled\n"
    "(b)(6)(b)(7)(c),1/14/20,AAA,X,Paroled\n"
    "u4,1/15/20,ZZZ,X,Paroled\n"
    "u5,1/16/20,NOPLACE,X,Paroled\n"
    "u6,(b)(6),AAA,X,Paroled\n"
    "u7,1/17/20,AAA,(b)(6),Paroled\n";

static const char *const ice_columns[] = {
    "id=Unique Identifier", "date=stay book in date time",
    "facility=Detention Facility Code", "release_region=Release County"};

static const char facilities[] = "detloc,name,lat,lon\n"
                                 "AAA,\"Alpha, County Jail\",31.5,-97.1\n"
                                 "BBB,Bravo SPC,25.75,-80.5\n"
                                 ",Unnamed camp,35,-94\n"
                                 "NOPLACE,Hold room,,\n";

static void test_input_ice_layout_with_facility_codes(void **state) {
  (void)state;
  const char *path = tu_temp_text(ice, ".csv");
  sw_read_opts o = {.columns = ice_columns,
                    .n_columns = 4,
                    .facilities_path = tu_temp_text(facilities, ".csv")};
  seen s;
  sw_records *r = read_with(path, &o, &s);
  sw_counts c = sw_records_counts(r);
  assert_int_equal(c.read, 7); /* the preamble is not data */
  assert_int_equal(c.accepted, 2);
  sw_record rec;
  sw_records_get(r, 0, &rec);
  assert_string_equal(rec.id, "u1");
  assert_int_equal(rec.date, sw__days_from_civil(2020, 1, 4));
  assert_true(rec.origin.lat_deg == 31.5 && rec.origin.lon_deg == -97.1);
  assert_string_equal(rec.facility, "AAA");
  assert_int_equal(rec.line, 5);
  sw_records_get(r, 1, &rec);
  assert_int_equal(rec.date, sw__days_from_civil(2020, 1, 13));
  assert_true(rec.origin.lat_deg == 25.75);
  assert_string_equal(sw_records_extra_name(r, 0), "Detention Release Reason");
  assert_int_equal(s.n, 5);
  assert_int_equal(s.line[0], 7);
  assert_string_equal(s.column[0], "Unique Identifier");
  assert_string_equal(s.reason[0], "redacted: \"(b)(6)(b)(7)(c)\"");
  assert_string_equal(s.column[1], "Detention Facility Code");
  assert_string_equal(s.reason[1], "unknown facility code: \"ZZZ\"");
  assert_string_equal(s.reason[2],
                      "facility has no coordinates in the list: \"NOPLACE\"");
  assert_string_equal(s.column[3], "stay book in date time");
  assert_string_equal(s.reason[3], "redacted: \"(b)(6)\"");
  assert_string_equal(s.column[4], "Release County");
  assert_string_equal(s.reason[4], "redacted: \"(b)(6)\"");
  sw_records_free(r);
  /* skip_rows says where the header is, counting lines (blank ones too):
   * after 3 lines it is line 4; after 4, line 5 is no header. */
  o.skip_rows_set = true;
  o.skip_rows = 3;
  r = read_with(path, &o, &s);
  assert_int_equal(sw_records_count(r), 2);
  sw_records_free(r);
  o.skip_rows = 4;
  sw_error e;
  assert_int_equal(sw_records_read(path, &o, &r, &e), SW_E_SCHEMA);
  assert_int_equal(e.line, 5);
}

static void test_input_facility_codes_need_the_list(void **state) {
  (void)state;
  const char *path = tu_temp_text(ice, ".csv");
  sw_read_opts o = {.columns = ice_columns, .n_columns = 4};
  sw_records *r;
  sw_error e;
  assert_int_equal(sw_records_read(path, &o, &r, &e), SW_E_SCHEMA);
  assert_string_equal(e.column, "origin_lat");
  assert_non_null(strstr(e.message, "--facilities"));
}

static void test_input_release_by_facility_code(void **state) {
  (void)state;
  const char *path =
      tu_temp_text("id,date,facility,release_facility\n"
                   "t1,2020-02-01,AAA,BBB\nt2,2020-02-01,AAA,QQQ\n"
                   "t3,2020-02-01,AAA,\n",
                   ".csv");
  sw_read_opts o = {.facilities_path = tu_temp_text(facilities, ".csv")};
  seen s;
  sw_records *r = read_with(path, &o, &s);
  assert_int_equal(sw_records_count(r), 1);
  sw_record rec;
  sw_records_get(r, 0, &rec);
  assert_true(rec.release.lat_deg == 25.75 && rec.release.lon_deg == -80.5);
  assert_string_equal(s.column[0], "release_facility");
  assert_string_equal(s.reason[0], "unknown facility code: \"QQQ\"");
  assert_string_equal(s.column[1], "release_facility");
  assert_string_equal(s.reason[1], "empty");
  sw_records_free(r);
}

static void test_input_bad_facility_list_names_its_line(void **state) {
  (void)state;
  const char *path = tu_temp_text(plain, ".csv");
  sw_read_opts o = {.facilities_path =
                        tu_temp_text("code,lat,lon\nA,1,2\nB,1x,2\n", ".csv")};
  sw_records *r;
  sw_error e;
  assert_int_equal(sw_records_read(path, &o, &r, &e), SW_E_PARSE);
  assert_int_equal(e.line, 3);
  assert_string_equal(e.column, "lat");
  o.facilities_path = tu_temp_text("code,lat,lon\nA,1,2\nA,1,3\n", ".csv");
  assert_int_equal(sw_records_read(path, &o, &r, &e), SW_E_SCHEMA);
  assert_non_null(strstr(e.message, "first on line 2"));
  o.facilities_path = tu_temp_text("code,lat\nA,1\n", ".csv");
  assert_int_equal(sw_records_read(path, &o, &r, &e), SW_E_SCHEMA);
  assert_string_equal(e.column, "lon");
}

static void test_input_column_mapping_errors(void **state) {
  (void)state;
  const char *path = tu_temp_text(plain, ".csv");
  sw_records *r;
  sw_error e;
  const char *const unknown[] = {"when=date"};
  sw_read_opts o = {.columns = unknown, .n_columns = 1};
  assert_int_equal(sw_records_read(path, &o, &r, &e), SW_E_USAGE);
  assert_non_null(strstr(e.message, "not a records column"));
  const char *const missing[] = {"date=Book In Date"};
  o.columns = missing;
  assert_int_equal(sw_records_read(path, &o, &r, &e), SW_E_SCHEMA);
  assert_string_equal(e.column, "date");
  assert_non_null(strstr(e.message, "Book In Date"));
  const char *const twice[] = {"date=x", "DATE=y"};
  o.columns = twice;
  o.n_columns = 2;
  assert_int_equal(sw_records_read(path, &o, &r, &e), SW_E_USAGE);
  const char *const bare[] = {"date"};
  o.columns = bare;
  o.n_columns = 1;
  assert_int_equal(sw_records_read(path, &o, &r, &e), SW_E_USAGE);
}

static void test_input_day_first_column_fixes_earlier_dates(void **state) {
  (void)state;
  const char *path =
      tu_temp_text("id,date,origin_lat,origin_lon,release_region\n"
                   "a,03/04/2020,40,-74,X\nb,25/04/2020,40,-74,X\n"
                   "c,04/25/2020,40,-74,X\n",
                   ".csv");
  seen s;
  sw_read_opts o = {0};
  sw_records *r = read_with(path, &o, &s);
  assert_int_equal(sw_records_count(r), 2);
  sw_record rec;
  sw_records_get(r, 0, &rec);
  assert_int_equal(rec.date, sw__days_from_civil(2020, 4, 3));
  assert_int_equal(s.n, 1);
  assert_int_equal(s.line[0], 4);
  sw_records_free(r);
  /* check counts the same without keeping the dates. */
  sw_counts c;
  sw_error e;
  assert_int_equal(sw_records_validate(path, NULL, &c, &e), SW_OK);
  assert_int_equal(c.rejected, 1);
}

static void test_input_ambiguous_column_is_refused(void **state) {
  (void)state;
  const char *path =
      tu_temp_text("id,date,origin_lat,origin_lon,release_region\n"
                   "a,03/04/2020,40,-74,X\nb,05/06/2020,40,-74,X\n",
                   ".csv");
  sw_records *r;
  sw_error e;
  assert_int_equal(sw_records_read(path, NULL, &r, &e), SW_E_SCHEMA);
  assert_null(r);
  assert_int_equal(e.line, 2);
  assert_string_equal(e.column, "date");
  assert_non_null(strstr(e.message, "--date-format"));
  sw_counts c;
  assert_int_equal(sw_records_validate(path, NULL, &c, &e), SW_E_SCHEMA);
  /* Settled by the format. */
  sw_read_opts o = {.date_format = "%d/%m/%Y"};
  seen s;
  r = read_with(path, &o, &s);
  sw_record rec;
  sw_records_get(r, 1, &rec);
  assert_int_equal(rec.date, sw__days_from_civil(2020, 6, 5));
  sw_records_free(r);
  o.date_format = "%d/%Q";
  assert_int_equal(sw_records_read(path, &o, &r, &e), SW_E_USAGE);
  assert_non_null(strstr(e.message, "--date-format"));
}

/* Fail each allocation of a read in turn: SW_E_NOMEM, nothing returned
 * (and, under AddressSanitizer, nothing leaked). */
static void each_failure_is_nomem(const char *path, const sw_read_opts *o) {
  sw_records *r;
  sw_error e;
  sw__alloc_fail_at(0);
  assert_int_equal(sw_records_read(path, o, &r, &e), SW_OK);
  uint64_t total = sw__alloc_fail_at(0);
  sw_records_free(r);
  assert_true(total > 5);
  for (uint64_t k = 1; k <= total; k++) {
    sw__alloc_fail_at(k);
    sw_status st = sw_records_read(path, o, &r, &e);
    sw__alloc_fail_at(0);
    if (st != SW_E_NOMEM)
      fail_msg("allocation %llu of %llu failed: status %d (%s)",
               (unsigned long long)k, (unsigned long long)total, st, e.message);
    assert_null(r);
  }
}

static void test_input_each_allocation_failure_is_nomem(void **state) {
  (void)state;
  sw_read_opts o = {.columns = ice_columns,
                    .n_columns = 4,
                    .facilities_path = tu_temp_text(facilities, ".csv")};
  each_failure_is_nomem(tu_temp_text(ice, ".csv"), &o);
  /* Pending dates, then the column's order found. */
  sw_read_opts plain_o = {0};
  each_failure_is_nomem(
      tu_temp_text("id,date,origin_lat,origin_lon,release_region\n"
                   "a,03/04/2020,40,-74,X\nb,25/04/2020,40,-74,X\n",
                   ".csv"),
      &plain_o);
  /* A workbook and a Stata file (the seeds of their fuzz targets). */
  static const char *const dta_columns[] = {
      "id=Unique_Identifier", "date=Detention_Book_Out_Date_Time",
      "facility=Detention_Facility_Code", "release_region=Release_County_FIPS"};
  sw_read_opts x = {.columns = ice_columns + 0,
                    .n_columns = 1,
                    .facilities_path = o.facilities_path};
  static const char *const xlsx_columns[] = {
      "id=Unique Identifier", "date=Detention Book Out Date Time",
      "facility=Detention Facility Code", "release_region=Release County FIPS"};
  x.columns = xlsx_columns;
  x.n_columns = 4;
  x.facilities_path = SW_DATA "/ice_facilities_1978_2017.csv";
  each_failure_is_nomem(SW_DATA "/../fuzz/corpus/xlsx/ice_layout.xlsx", &x);
  x.columns = dta_columns;
  each_failure_is_nomem(SW_DATA "/../fuzz/corpus/dta/ice_layout.dta", &x);
  each_failure_is_nomem(SW_DATA "/../fuzz/corpus/dta/ice_layout.sav", &x);
}

static void test_input_redaction_marks(void **state) {
  (void)state;
  assert_true(sw__is_redacted("(b)(6)", 6));
  assert_true(sw__is_redacted("(b)(6)(b)(7)(c)", 15));
  assert_true(sw__is_redacted("(b)(6); (b)(7)(C)", 17));
  assert_true(sw__is_redacted("(B)(7)(E)", 9));
  assert_false(sw__is_redacted("(b)", 2));
  assert_false(sw__is_redacted("(b)(6) Smith", 12));
  assert_false(sw__is_redacted("b6", 2));
  assert_false(sw__is_redacted("", 0));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_input_stdin_loses_no_bytes),
      cmocka_unit_test(test_input_gzip_on_stdin_loses_no_bytes),
      cmocka_unit_test(test_input_stdin_is_validated_in_one_pass),
      cmocka_unit_test(test_input_latin1_and_windows_1252),
      cmocka_unit_test(test_input_multibyte_encoding_across_blocks),
      cmocka_unit_test(test_input_source_hashes_what_it_reads),
      cmocka_unit_test(test_input_ice_layout_with_facility_codes),
      cmocka_unit_test(test_input_facility_codes_need_the_list),
      cmocka_unit_test(test_input_release_by_facility_code),
      cmocka_unit_test(test_input_bad_facility_list_names_its_line),
      cmocka_unit_test(test_input_column_mapping_errors),
      cmocka_unit_test(test_input_day_first_column_fixes_earlier_dates),
      cmocka_unit_test(test_input_ambiguous_column_is_refused),
      cmocka_unit_test(test_input_redaction_marks),
      cmocka_unit_test(test_input_each_allocation_failure_is_nomem),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
