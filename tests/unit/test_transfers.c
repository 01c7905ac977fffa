/*
 * test_transfers.c — detention stays (stays.c) and the transfers made from
 * them (transfers.c): the rules of docs/transfers.md one by one, the month/
 * day order shared by both date columns, and clean failure out of memory.
 */
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "testutil.h"

static sw_stays *read_stays(const char *text, sw_counts *c) {
  sw_stays *s = NULL;
  sw_error err;
  assert_int_equal(sw_stays_read(tu_temp_text(text, ".csv"), NULL, &s, &err),
                   SW_OK);
  if (c) *c = sw_stays_counts(s);
  return s;
}

/* The transfers as "id from>to date arrival" lines. */
static void describe(const sw_transfers *t, char *out, size_t n) {
  size_t k = 0;
  out[0] = '\0';
  for (size_t i = 0; i < sw_transfers_count(t); i++) {
    sw_transfer x;
    sw_transfers_get(t, i, &x);
    char d[16], a[16];
    sw_date_format(x.date, d, sizeof d);
    sw_date_format(x.arrival, a, sizeof a);
    k += (size_t)snprintf(out + k, n - k, "%s %s>%s %s %s\n", x.id, x.from,
                          x.to, d, a);
  }
}

static void test_transfers_follow_each_persons_stays(void **state) {
  (void)state;
  /* Out of order on purpose: the person's stays are sorted by book-in. */
  sw_stays *s = read_stays("id,facility,book_in,book_out\n"
                           "P1,BBB,2020-01-05,2020-01-20\n"
                           "P1,AAA,2020-01-01,2020-01-05\n"
                           "P1,BBB,2020-01-20,2020-02-01\n" /* re-book */
                           "P1,CCC,2020-02-02,2020-03-01\n" /* 1-day gap */
                           "P1,AAA,2020-03-10,\n"           /* 9-day gap */
                           "P2,AAA,2020-01-01,\n"           /* still held */
                           "P2,BBB,2020-01-05,2020-01-06\n" /* overlap */
                           "P3,AAA,2020-01-01,2020-01-10\n"
                           "P3,BBB,2020-01-08,2020-01-12\n", /* overlap */
                           NULL);
  sw_transfers *t = NULL;
  sw_error err;
  assert_int_equal(sw_transfers_from_stays(s, 1, &t, &err), SW_OK);
  char got[512];
  describe(t, got, sizeof got);
  assert_string_equal(got, "P1:1 AAA>BBB 2020-01-05 2020-01-05\n"
                           "P1:2 BBB>CCC 2020-02-01 2020-02-02\n");
  sw_transfer_stats st = sw_transfers_stats(t);
  assert_int_equal(st.people, 3);
  assert_int_equal(st.transfers, 2);
  assert_int_equal(st.rebooks, 1);
  assert_int_equal(st.gaps, 1);
  assert_int_equal(st.overlaps, 2);
  sw_transfers_free(t);
  /* --max-gap 9 makes the release and return one more transfer; 0 makes
   * the overnight move a new detention. */
  assert_int_equal(sw_transfers_from_stays(s, 9, &t, &err), SW_OK);
  assert_int_equal(sw_transfers_count(t), 3);
  sw_transfers_free(t);
  assert_int_equal(sw_transfers_from_stays(s, 0, &t, &err), SW_OK);
  assert_int_equal(sw_transfers_count(t), 1);
  sw_transfers_free(t);
  assert_int_equal(sw_transfers_from_stays(s, -1, &t, &err), SW_E_USAGE);
  assert_null(t);
  sw_stays_free(s);
}

static void test_stays_reject_bad_rows_with_reasons(void **state) {
  (void)state;
  sw_counts c;
  sw_stays *s = read_stays("id,facility,book_in,book_out\n"
                           "(b)(6)(b)(7)(c),AAA,2020-01-01,2020-01-02\n"
                           "P1,,2020-01-01,2020-01-02\n"
                           "P2,AAA,2020-01-05,2020-01-02\n"
                           "P3,AAA,2020-02-30,\n"
                           "P4,AAA,2020-01-01,(b)(6)\n"
                           "P5,AAA,2020-01-01,2020-01-01\n",
                           &c);
  assert_int_equal(c.read, 6);
  assert_int_equal(c.accepted, 1);
  assert_int_equal(c.rejected, 5);
  sw_stays_free(s);
}

static void test_stays_dates_share_one_month_day_order(void **state) {
  (void)state;
  /* 03/04 is pending until 13/04 in the other column shows day first. */
  sw_stays *s = read_stays("id,facility,book_in,book_out\n"
                           "P1,AAA,03/04/2020,05/04/2020\n"
                           "P1,BBB,05/04/2020,13/04/2020\n",
                           NULL);
  sw_transfers *t = NULL;
  sw_error err;
  assert_int_equal(sw_transfers_from_stays(s, 0, &t, &err), SW_OK);
  char got[128];
  describe(t, got, sizeof got);
  assert_string_equal(got, "P1:1 AAA>BBB 2020-04-05 2020-04-05\n");
  sw_transfers_free(t);
  sw_stays_free(s);
  /* Read month first, 03/04..02/04 looked fine; day first it ends before
   * it began, so the move after it is an overlap, not a transfer. */
  s = read_stays("id,facility,book_in,book_out\n"
                 "P1,AAA,03/04/2020,02/04/2020\n"
                 "P1,BBB,03/04/2020,05/04/2020\n"
                 "P2,AAA,13/04/2020,14/04/2020\n",
                 NULL);
  assert_int_equal(sw_transfers_from_stays(s, 1, &t, &err), SW_OK);
  assert_int_equal(sw_transfers_count(t), 0);
  assert_int_equal(sw_transfers_stats(t).overlaps, 1);
  sw_transfers_free(t);
  sw_stays_free(s);
  /* Nothing shows the order: refused, never guessed. */
  assert_int_equal(sw_stays_read(tu_temp_text("id,facility,book_in,book_out\n"
                                              "P1,AAA,03/04/2020,05/04/2020\n",
                                              ".csv"),
                                 NULL, &s, &err),
                   SW_E_SCHEMA);
  assert_null(s);
}

static void test_stays_columns_are_mapped_and_required(void **state) {
  (void)state;
  const char *path = tu_temp_text("Title\n"
                                  "Person,Code,In,Out\n"
                                  "P1,AAA,2020-01-01,2020-01-02\n",
                                  ".csv");
  static const char *const cols[] = {"id=Person", "facility=Code", "book_in=In",
                                     "book_out=Out"};
  sw_read_opts o = {0};
  o.columns = cols;
  o.n_columns = 4;
  sw_stays *s = NULL;
  sw_error err;
  assert_int_equal(sw_stays_read(path, &o, &s, &err), SW_OK);
  assert_int_equal(sw_stays_counts(s).accepted, 1);
  sw_stays_free(s);
  o.n_columns = 3; /* book_out left unmapped */
  assert_int_equal(sw_stays_read(path, &o, &s, &err), SW_E_SCHEMA);
  assert_string_equal(err.column, "book_out");
  assert_int_equal(err.line, 2);
  static const char *const bad[] = {"date=In"};
  o.columns = bad;
  o.n_columns = 1;
  assert_int_equal(sw_stays_read(path, &o, &s, &err), SW_E_USAGE);
}

static void test_transfers_write_names_the_output(void **state) {
  (void)state;
  sw_stays *s = read_stays("id,facility,book_in,book_out\n"
                           "\"P,1\",AAA,2020-01-01,2020-01-02\n"
                           "\"P,1\",BBB,2020-01-02,\n",
                           NULL);
  sw_transfers *t = NULL;
  sw_error err;
  assert_int_equal(sw_transfers_from_stays(s, 1, &t, &err), SW_OK);
  const char *out = tu_temp_text("", ".csv");
  assert_int_equal(sw_transfers_write(t, out, &err), SW_OK);
  char buf[256] = {0};
  FILE *f = fopen(out, "rb");
  assert_non_null(f);
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  assert_string_equal(buf,
                      "id,date,facility,release_region,person,arrival,gap_"
                      "days\n\"P,1:1\",2020-01-02,AAA,BBB,\"P,1\",2020-01-02,"
                      "0\n");
  assert_int_equal(sw_transfers_write(t, "/nonexistent-dir/t.csv", &err),
                   SW_E_CREATE);
  assert_string_equal(err.file, "/nonexistent-dir/t.csv");
  sw_transfers_free(t);
  sw_stays_free(s);
}

static void test_transfers_fail_cleanly_out_of_memory(void **state) {
  (void)state;
  const char *in = tu_temp_text("id,facility,book_in,book_out\n"
                                "P1,AAA,2020-01-01,2020-01-05\n"
                                "P1,BBB,2020-01-05,2020-01-20\n"
                                "P2,AAA,2020-01-03,2020-01-04\n"
                                "P2,CCC,2020-01-04,\n",
                                ".csv");
  const char *out = tu_temp_text("", ".csv");
  for (uint64_t k = 1;; k++) {
    sw__alloc_fail_at(k);
    sw_error err;
    sw_stays *s = NULL;
    sw_transfers *t = NULL;
    sw_status st = sw_stays_read(in, NULL, &s, &err);
    if (st == SW_OK) st = sw_transfers_from_stays(s, 1, &t, &err);
    if (st == SW_OK) st = sw_transfers_write(t, out, &err);
    uint64_t left = sw__alloc_fail_at(0);
    sw_transfers_free(t);
    sw_stays_free(s);
    if (st == SW_OK) {
      assert_true(left < k); /* the k-th allocation was never made */
      break;
    }
    assert_int_equal(st, SW_E_NOMEM);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_transfers_follow_each_persons_stays),
      cmocka_unit_test(test_stays_reject_bad_rows_with_reasons),
      cmocka_unit_test(test_stays_dates_share_one_month_day_order),
      cmocka_unit_test(test_stays_columns_are_mapped_and_required),
      cmocka_unit_test(test_transfers_write_names_the_output),
      cmocka_unit_test(test_transfers_fail_cleanly_out_of_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
