/*
 * test_csv.c — the RFC 4180 reader: quoting, line ends, BOM, gzip,
 * delimiters, row faults and their resynchronisation, positions, and the
 * field writer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "alloc.h"
#include "csv.h"
#include "testutil.h"

/* Read every row of text; rows are rendered as `line@byte|f1|f2|...` with
 * `!fault` appended, one per line, into out. */
static void render(const char *path, const sw_csv_opts *o, char *out,
                   size_t n) {
  sw_csv *c;
  sw_error e;
  assert_int_equal(sw__csv_open(path, o, &c, &e), SW_OK);
  size_t used = 0;
  out[0] = '\0';
  for (;;) {
    bool got;
    assert_int_equal(sw__csv_next(c, &got, &e), SW_OK);
    if (!got) break;
    used += (size_t)snprintf(out + used, n - used, "%llu@%llu",
                             (unsigned long long)sw__csv_line(c),
                             (unsigned long long)sw__csv_byte(c));
    if (sw__csv_fault(c)) {
      used += (size_t)snprintf(out + used, n - used, "!%s", sw__csv_fault(c));
    } else {
      for (size_t i = 0; i < sw__csv_n_fields(c); i++)
        used += (size_t)snprintf(out + used, n - used, "|%s",
                                 sw__csv_field(c, i, NULL));
    }
    used += (size_t)snprintf(out + used, n - used, "\n");
    assert_true(used < n);
  }
  sw__csv_close(c);
}

static void check_text(const char *text, char delim, const char *expected) {
  char out[4096];
  sw_csv_opts o = {.delimiter = delim};
  render(tu_temp_text(text, ".csv"), &o, out, sizeof out);
  assert_string_equal(out, expected);
}

static void test_csv_reads_plain_fields_and_positions(void **state) {
  (void)state;
  check_text("a,b,c\n1,2,3\n", 0, "1@0|a|b|c\n2@6|1|2|3\n");
}

static void test_csv_unescapes_quotes_and_doubled_quotes(void **state) {
  (void)state;
  check_text("\"x,y\",\"say \"\"hi\"\"\",\"\"\n", 0, "1@0|x,y|say \"hi\"|\n");
}

static void test_csv_quoted_newline_keeps_physical_line_numbers(void **state) {
  (void)state;
  check_text("a,\"two\nlines\"\nb,c\n", 0, "1@0|a|two\nlines\n3@14|b|c\n");
}

static void test_csv_crlf_and_lf_and_last_row_without_newline(void **state) {
  (void)state;
  check_text("a,b\r\nc,d\ne,f", 0, "1@0|a|b\n2@5|c|d\n3@9|e|f\n");
}

static void test_csv_skips_bom_and_blank_lines(void **state) {
  (void)state;
  check_text("\xEF\xBB\xBFid,x\n\n\r\n1,2\n", 0, "1@3|id|x\n4@11|1|2\n");
}

static void test_csv_empty_fields_count(void **state) {
  (void)state;
  check_text(",\n,,x\n", 0, "1@0||\n2@2|||x\n");
}

static void test_csv_pipe_and_tab_delimiters(void **state) {
  (void)state;
  check_text("a|b,c|\"d|e\"\n", '|', "1@0|a|b,c|d|e\n");
  check_text("a\tb c\t\n", '\t', "1@0|a|b c|\n");
}

static void test_csv_bare_quote_faults_and_resumes_next_line(void **state) {
  (void)state;
  check_text("ab\"c,d\nok,1\n", 0,
             "1@0!bare quote in unquoted field 1\n2@7|ok|1\n");
}

static void test_csv_text_after_closing_quote_faults(void **state) {
  (void)state;
  check_text("\"a\"b,c\nx\n", 0,
             "1@0!text after the closing quote of field 1\n2@7|x\n");
}

static void test_csv_unterminated_quote_runs_to_end(void **state) {
  (void)state;
  check_text("a\n\"open,x\ny,z\n", 0,
             "1@0|a\n2@2!unterminated quoted field 1\n");
}

static void test_csv_nul_byte_faults(void **state) {
  (void)state;
  char out[512];
  const char text[] = "a,b\0c\nd,e\n";
  render(tu_write_temp(text, sizeof text - 1, ".csv"), NULL, out, sizeof out);
  assert_string_equal(out, "1@0!NUL byte in field 2\n2@6|d|e\n");
}

static void test_csv_invalid_utf8_faults_valid_utf8_passes(void **state) {
  (void)state;
  check_text("caf\xC3\xA9,\xE2\x82\xAC\nbad\xC3(,x\nover\xC0\xAF\n", 0,
             "1@0|caf\xC3\xA9|\xE2\x82\xAC\n"
             "2@10!invalid UTF-8 at byte 4 of the row\n"
             "3@18!invalid UTF-8 at byte 5 of the row\n");
}

static void test_csv_field_over_limit_skips_rest_of_row(void **state) {
  (void)state;
  char out[512];
  sw_csv_opts o = {.max_field_bytes = 4};
  render(tu_temp_text("abcd,e\nabcde,\"f\ng\"\nh\n", ".csv"), &o, out,
         sizeof out);
  assert_string_equal(out, "1@0|abcd|e\n2@7!field 1 longer than 4 bytes\n"
                           "3@16!bare quote in unquoted field 1\n"
                           "4@19|h\n");
}

static void test_csv_too_many_fields_faults(void **state) {
  (void)state;
  char out[512];
  sw_csv_opts o = {.max_fields = 3};
  render(tu_temp_text("a,b,c\na,b,c,d\ne\n", ".csv"), &o, out, sizeof out);
  assert_string_equal(out, "1@0|a|b|c\n2@6!more than 3 fields\n3@14|e\n");
}

static void test_csv_raw_is_verbatim_without_line_end(void **state) {
  (void)state;
  sw_csv *c;
  sw_error e;
  bool got;
  const char *path = tu_temp_text("\"a\"\"\",b\r\nx\"y\r\n", ".csv");
  assert_int_equal(sw__csv_open(path, NULL, &c, &e), SW_OK);
  size_t len;
  assert_int_equal(sw__csv_next(c, &got, &e), SW_OK);
  assert_true(got);
  const char *raw = sw__csv_raw(c, &len);
  assert_int_equal(len, 7);
  assert_memory_equal(raw, "\"a\"\"\",b", 7);
  assert_int_equal(sw__csv_next(c, &got, &e), SW_OK);
  raw = sw__csv_raw(c, &len);
  assert_non_null(sw__csv_fault(c));
  assert_int_equal(len, 3);
  assert_memory_equal(raw, "x\"y", 3);
  assert_int_equal(sw__csv_next(c, &got, &e), SW_OK);
  assert_false(got);
  sw__csv_close(c);
}

/* Rows long enough to straddle the 1 MiB read blocks. */
static void test_csv_rows_across_block_boundaries(void **state) {
  (void)state;
  size_t n_rows = 60000, cap = n_rows * 40;
  char *text = malloc(cap);
  size_t len = 0;
  for (size_t i = 0; i < n_rows; i++)
    len += (size_t)snprintf(text + len, cap - len, "%zu,\"q\"\"%zu\",%s\r\n", i,
                            i * 7, i % 3 ? "plain" : "\"multi\nline\"");
  const char *path = tu_write_temp(text, len, ".csv");
  free(text);
  sw_csv *c;
  sw_error e;
  assert_int_equal(sw__csv_open(path, NULL, &c, &e), SW_OK);
  size_t i = 0;
  uint64_t line = 1;
  bool got;
  while (sw__csv_next(c, &got, &e) == SW_OK && got) {
    assert_null(sw__csv_fault(c));
    assert_int_equal(sw__csv_n_fields(c), 3);
    char want[64];
    snprintf(want, sizeof want, "%zu", i);
    assert_string_equal(sw__csv_field(c, 0, NULL), want);
    snprintf(want, sizeof want, "q\"%zu", i * 7);
    assert_string_equal(sw__csv_field(c, 1, NULL), want);
    assert_string_equal(sw__csv_field(c, 2, NULL),
                        i % 3 ? "plain" : "multi\nline");
    assert_int_equal(sw__csv_line(c), line);
    line += i % 3 ? 1 : 2;
    i++;
  }
  assert_int_equal(i, n_rows);
  sw__csv_close(c);
}

static void test_csv_reads_gzip_transparently(void **state) {
  (void)state;
  const char *path = tu_temp_text("", ".csv.gz");
  gzFile gz = gzopen(path, "wb");
  assert_non_null(gz);
  gzputs(gz, "id,x\n1,\"a,b\"\n2,c\n");
  gzclose(gz);
  char out[256];
  render(path, NULL, out, sizeof out);
  assert_string_equal(out, "1@0|id|x\n2@5|1|a,b\n3@13|2|c\n");
}

static void test_csv_truncated_gzip_is_io_error(void **state) {
  (void)state;
  const char *path = tu_temp_text("", ".csv.gz");
  gzFile gz = gzopen(path, "wb");
  for (int i = 0; i < 20000; i++)
    gzprintf(gz, "%d,row %d\n", i, i * 31);
  gzclose(gz);
  FILE *f = fopen(path, "rb");
  char buf[4000];
  size_t got_bytes = fread(buf, 1, sizeof buf, f);
  fclose(f);
  path = tu_write_temp(buf, got_bytes / 2, ".csv.gz");
  sw_csv *c;
  sw_error e;
  sw_status s = sw__csv_open(path, NULL, &c, &e);
  bool got = true;
  while (s == SW_OK && got)
    s = sw__csv_next(c, &got, &e);
  assert_int_equal(s, SW_E_IO);
  sw__csv_close(c);
}

static void test_csv_missing_file_is_open_error(void **state) {
  (void)state;
  sw_csv *c;
  sw_error e;
  assert_int_equal(sw__csv_open("/nonexistent/r.csv", NULL, &c, &e), SW_E_OPEN);
  assert_null(c);
  assert_string_equal(e.file, "/nonexistent/r.csv");
}

static void test_csv_find_is_case_insensitive(void **state) {
  (void)state;
  sw_csv *c;
  sw_error e;
  bool got;
  assert_int_equal(
      sw__csv_open(tu_temp_text("ID, Release_Lat ,x\n", ".csv"), NULL, &c, &e),
      SW_OK);
  assert_int_equal(sw__csv_next(c, &got, &e), SW_OK);
  assert_int_equal(sw__csv_find(c, "id"), 0);
  assert_int_equal(sw__csv_find(c, "release_lat"), 1);
  assert_int_equal(sw__csv_find(c, "date"), -1);
  sw__csv_close(c);
}

static void test_csv_put_field_quotes_only_when_needed(void **state) {
  (void)state;
  sw_buf b = {0};
  assert_true(sw__csv_put_field(&b, "plain", 5, ','));
  assert_true(sw__buf_putc(&b, ','));
  assert_true(sw__csv_put_field(&b, "a,\"b\"", 5, ','));
  assert_true(sw__buf_putc(&b, ','));
  assert_true(sw__csv_put_field(&b, " pad", 4, ','));
  assert_true(sw__buf_putc(&b, ','));
  assert_true(sw__csv_put_field(&b, "x|y", 3, '|'));
  assert_string_equal(b.data, "plain,\"a,\"\"b\"\"\",\" pad\",\"x|y\"");
  sw__buf_free(&b);
}

static void progress(void *user, uint64_t done, uint64_t total) {
  unsigned *calls = user;
  (*calls)++;
  assert_true(total == 0 || done <= total);
}

static void
test_csv_progress_is_called_a_bounded_number_of_times(void **state) {
  (void)state;
  size_t len = 3u << 20;
  char *text = malloc(len);
  for (size_t i = 0; i < len; i++)
    text[i] = i % 10 == 9 ? '\n' : 'x';
  const char *path = tu_write_temp(text, len, ".csv");
  free(text);
  unsigned calls = 0;
  sw_csv_opts o = {.on_progress = progress, .progress_user = &calls};
  sw_csv *c;
  sw_error e;
  bool got = true;
  assert_int_equal(sw__csv_open(path, &o, &c, &e), SW_OK);
  while (got)
    assert_int_equal(sw__csv_next(c, &got, &e), SW_OK);
  sw__csv_close(c);
  assert_true(calls >= 2);
  assert_true(calls <= 210);
}

static void test_csv_each_allocation_failure_is_nomem(void **state) {
  (void)state;
  const char *path = tu_temp_text("a,b\n\"c\",d\n", ".csv");
  for (uint64_t k = 1;; k++) {
    sw__alloc_fail_at(k);
    sw_csv *c = NULL;
    sw_error e;
    bool got = true;
    sw_status s = sw__csv_open(path, NULL, &c, &e);
    while (s == SW_OK && got)
      s = sw__csv_next(c, &got, &e);
    uint64_t made = sw__alloc_fail_at(0);
    sw__csv_close(c);
    if (s == SW_OK) {
      assert_true(made < k);
      break;
    }
    assert_int_equal(s, SW_E_NOMEM);
  }
}

/* The scan for a field's end works on eight bytes at a time: a delimiter,
 * line end, quote or NUL must be found at every offset within a word. */
static void test_csv_field_ends_found_at_every_offset(void **state) {
  (void)state;
  for (size_t n = 0; n < 20; n++) {
    for (int kind = 0; kind < 4; kind++) {
      if (n == 0 && kind == 1) continue; /* a blank line, not a row */
      char text[64];
      memset(text, 'x', n);
      static const char ends[] = {'|', '\r', '"', '\0'};
      text[n] = ends[kind];
      memcpy(text + n + 1, "yy\n", 3);
      sw_csv_opts o = {.delimiter = '|'};
      sw_csv *c;
      sw_error e;
      bool got;
      const char *path = tu_write_temp(text, n + 4, ".csv");
      assert_int_equal(sw__csv_open(path, &o, &c, &e), SW_OK);
      assert_int_equal(sw__csv_next(c, &got, &e), SW_OK);
      assert_true(got);
      size_t len;
      if (kind < 2) {
        assert_null(sw__csv_fault(c));
        assert_int_equal(sw__csv_n_fields(c), kind == 0 ? 2 : 1);
        assert_int_equal(strlen(sw__csv_field(c, 0, &len)), n);
        assert_int_equal(len, n);
      } else {
        assert_non_null(sw__csv_fault(c));
      }
      sw__csv_close(c);
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_csv_reads_plain_fields_and_positions),
      cmocka_unit_test(test_csv_unescapes_quotes_and_doubled_quotes),
      cmocka_unit_test(test_csv_quoted_newline_keeps_physical_line_numbers),
      cmocka_unit_test(test_csv_crlf_and_lf_and_last_row_without_newline),
      cmocka_unit_test(test_csv_skips_bom_and_blank_lines),
      cmocka_unit_test(test_csv_empty_fields_count),
      cmocka_unit_test(test_csv_pipe_and_tab_delimiters),
      cmocka_unit_test(test_csv_bare_quote_faults_and_resumes_next_line),
      cmocka_unit_test(test_csv_text_after_closing_quote_faults),
      cmocka_unit_test(test_csv_unterminated_quote_runs_to_end),
      cmocka_unit_test(test_csv_nul_byte_faults),
      cmocka_unit_test(test_csv_invalid_utf8_faults_valid_utf8_passes),
      cmocka_unit_test(test_csv_field_over_limit_skips_rest_of_row),
      cmocka_unit_test(test_csv_too_many_fields_faults),
      cmocka_unit_test(test_csv_field_ends_found_at_every_offset),
      cmocka_unit_test(test_csv_raw_is_verbatim_without_line_end),
      cmocka_unit_test(test_csv_rows_across_block_boundaries),
      cmocka_unit_test(test_csv_reads_gzip_transparently),
      cmocka_unit_test(test_csv_truncated_gzip_is_io_error),
      cmocka_unit_test(test_csv_missing_file_is_open_error),
      cmocka_unit_test(test_csv_find_is_case_insensitive),
      cmocka_unit_test(test_csv_put_field_quotes_only_when_needed),
      cmocka_unit_test(test_csv_progress_is_called_a_bounded_number_of_times),
      cmocka_unit_test(test_csv_each_allocation_failure_is_nomem),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
