/*
 * test_audit.c — the audit on small hand-built inputs whose answers are
 * known: displacement figures worked out by hand, unassigned and rejected
 * records counted, target segments from time-bounded attributes, Holm
 * across two targets, and byte-identical results.json across runs and
 * thread counts.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "audit_state.h"
#include "testutil.h"

#define KM_PER_DEG (6371.0088 * 3.14159265358979323846 / 180)

/* Regions on the equator 2 degrees apart, plus D north of B. */
static const char attrs_text[] =
    "region,attribute,value,valid_from,valid_to\n"
    "A,lat,0,,\nA,lon,0,,\nB,lat,0,,\nB,lon,2,,\n"
    "C,lat,0,,\nC,lon,4,,\nD,lat,2,,\nD,lon,2,,\n"
    "B,sanctuary,yes,2021-02-01,\nD,sanctuary,yes,,\n"
    "A,party,D,,\nC,party,D,,\n";

static const char *hand_records(void) {
  return tu_temp_text(
      "id,date,origin_lat,origin_lon,release_region,ties_region,cost,extra\n"
      "r1,2021-01-05,0,0,B,A,100,x1\n" /* flagged: 222 km, extra 222 */
      "r2,2021-01-06,0,0,A,A,50,x2\n"  /* same region: not flagged */
      "r3,2021-01-07,0,0,Z,A,50,x3\n"  /* unknown region: unassigned */
      "r4,2021-03-01,0,0,C,B,,x4\n"    /* flagged: extra 444 - 222 */
      "r5,2021-03-02,0,0,B,,,x5\n"     /* no ties */
      "r6,2021-02-30,0,0,B,A,1,x6\n",  /* bad date: rejected */
      ".csv");
}

/* One attributes file for the whole run: its path is in results.json. */
static const char *attrs_path(void) {
  static char path[256];
  if (!path[0])
    snprintf(path, sizeof path, "%s", tu_temp_text(attrs_text, ".csv"));
  return path;
}

static sw_audit *run(const char *records, const char *const *targets,
                     size_t n_targets, unsigned threads) {
  sw_audit_opts o = {0};
  o.records_path = records;
  o.attrs_path = attrs_path();
  o.targets = targets;
  o.n_targets = n_targets;
  o.threads = threads;
  o.seed = 5;
  sw_audit *a = NULL;
  sw_error e;
  sw_status st = sw_audit_run(&o, &a, &e);
  if (st) fail_msg("audit: %s", e.message);
  return a;
}

static void test_displacement_and_counts(void **state) {
  (void)state;
  const char *t[] = {"sanctuary=yes"};
  sw_audit *a = run(hand_records(), t, 1, 1);
  uint64_t unassigned;
  sw_counts c = sw_audit_counts(a, &unassigned);
  assert_int_equal(c.read, 6);
  assert_int_equal(c.accepted, 5);
  assert_int_equal(c.rejected, 1);
  assert_int_equal(c.read, c.accepted + c.rejected);
  assert_int_equal(unassigned, 1);
  assert_int_equal(a->n_located, 4);
  assert_int_equal(sw_audit_n_flagged(a), 2);
  double d2 = 2 * KM_PER_DEG;
  assert_true(fabs(a->flags[0].km_from_ties - d2) < 1e-6);
  assert_true(fabs(a->flags[0].extra_km - d2) < 1e-6);
  assert_true(fabs(a->flags[0].extra_cost - 100) < 1e-9);
  assert_true(fabs(a->flags[1].extra_km - d2) < 1e-6);
  assert_true(isnan(a->flags[1].extra_cost));
  assert_true(fabs(a->extra_km_total - 2 * d2) < 1e-6);
  assert_true(fabs(a->extra_cost_total - 100) < 1e-9);
  assert_true(fabs(a->median_km_from_ties - d2) < 1e-6);
  sw_audit_free(a);
}

static void test_target_segments(void **state) {
  (void)state;
  const char *t[] = {"sanctuary=yes"};
  sw_audit *a = run(hand_records(), t, 1, 1);
  const audit_target *tg = &a->targets[0];
  int32_t feb1;
  assert_int_equal(sw_date_parse("2021-02-01", 10, &feb1), SW_OK);
  assert_int_equal(tg->n_seg, 2);
  assert_int_equal(tg->bound[1], feb1);
  /* regions in attribute order A, B, C, D */
  assert_int_equal(tg->table[0 * 4 + 1], 0);
  assert_int_equal(tg->table[1 * 4 + 1], 1);
  assert_int_equal(tg->table[0 * 4 + 3], 1);
  /* r1 went to B before it joined, r5 after: observed = 1 */
  assert_int_equal(tg->observed, 1);
  sw_audit_free(a);
}

/* 240 records with enough variation for the model to be fitted. */
static const char *model_records(void) {
  size_t cap = 64 * 240 + 128, n = 0;
  char *s = malloc(cap);
  assert_non_null(s);
  n += (size_t)snprintf(s + n, cap - n,
                        "id,date,origin_lat,origin_lon,release_region,"
                        "ties_region,facility\n");
  const char *reg = "ABCD";
  for (int i = 0; i < 240; i++) {
    int f = i % 3, rel = (i * 7 + i / 3 + (i % 11 == 0)) % 4,
        ties = (i * 5 + i / 7) % 4;
    if (i % 4 == 1) rel = ties; /* ties matter */
    n += (size_t)snprintf(s + n, cap - n,
                          "r%d,2021-%02d-%02d,%d,%d,%c,%c,F%d\n", i, 1 + i % 4,
                          1 + i % 28, f, 2 * f, reg[rel], reg[ties], f);
  }
  const char *p = tu_write_temp(s, n, ".csv");
  free(s);
  return p;
}

static void test_holm_two_targets(void **state) {
  (void)state;
  const char *t[] = {"sanctuary=yes", "party=D"};
  sw_audit *a = run(model_records(), t, 2, 2);
  assert_int_equal(sw_audit_n_targets(a), 2);
  double adj0, adj1;
  double p0 = sw_audit_p_value(a, 0, &adj0), p1 = sw_audit_p_value(a, 1, &adj1);
  assert_false(isnan(p0));
  assert_false(isnan(p1));
  double lo = fmin(p0, p1), hi = fmax(p0, p1);
  double adj_lo = fmin(1, 2 * lo), adj_hi = fmax(adj_lo, fmin(1, hi));
  assert_true(fabs((p0 <= p1 ? adj0 : adj1) - adj_lo) < 1e-15);
  assert_true(fabs((p0 <= p1 ? adj1 : adj0) - adj_hi) < 1e-15);
  sw_audit_free(a);
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  assert_non_null(b);
  assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  *len = (size_t)n;
  return b;
}

static void test_deterministic(void **state) {
  (void)state;
  const char *t[] = {"sanctuary=yes", "party=D"};
  const char *recs = model_records();
  char *text[3];
  size_t len[3];
  unsigned threads[3] = {1, 1, 2};
  for (int k = 0; k < 3; k++) {
    char dir[] = "/tmp/test_audit_XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    sw_audit *a = run(recs, t, 2, threads[k]);
    sw_error e;
    assert_int_equal(sw_audit_write(a, dir, &e), SW_OK);
    sw_audit_free(a);
    snprintf(path, sizeof path, "%s/results.json", dir);
    text[k] = slurp(path, &len[k]);
    const char *names[] = {"results.json", "regions.csv", "flagged.csv"};
    for (int i = 0; i < 3; i++) {
      snprintf(path, sizeof path, "%s/%s", dir, names[i]);
      unlink(path);
    }
    rmdir(dir);
  }
  for (int k = 1; k < 3; k++) {
    assert_int_equal(len[k], len[0]);
    assert_memory_equal(text[k], text[0], len[0]);
  }
  for (int k = 0; k < 3; k++)
    free(text[k]);
}

static void test_bad_target(void **state) {
  (void)state;
  const char *t[] = {"sanctuary"};
  sw_audit_opts o = {0};
  o.records_path = hand_records();
  o.attrs_path = attrs_path();
  o.targets = t;
  o.n_targets = 1;
  sw_audit *a = (sw_audit *)1;
  sw_error e;
  assert_int_equal(sw_audit_run(&o, &a, &e), SW_E_USAGE);
  assert_null(a);
}

/* Each allocation failing in turn: SW_E_NOMEM and nothing leaked (the
 * sanitizer build checks the leaks), or success when the failing one was
 * not needed. */
static void test_alloc_failures(void **state) {
  (void)state;
  const char *t[] = {"sanctuary=yes"};
  sw_audit_opts o = {0};
  o.records_path = hand_records();
  o.attrs_path = attrs_path();
  o.targets = t;
  o.n_targets = 1;
  o.threads = 1;
  sw_audit *a = NULL;
  sw_error e;
  sw__alloc_fail_at(0);
  assert_int_equal(sw_audit_run(&o, &a, &e), SW_OK);
  sw_audit_free(a);
  uint64_t n = sw__alloc_fail_at(0);
  assert_true(n > 10);
  for (uint64_t k = 1; k <= n; k++) {
    sw__alloc_fail_at(k);
    sw_status st = sw_audit_run(&o, &a, &e);
    sw__alloc_fail_at(0);
    if (st == SW_OK) {
      sw_audit_free(a);
      continue;
    }
    assert_int_equal(st, SW_E_NOMEM);
    assert_null(a);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_displacement_and_counts),
      cmocka_unit_test(test_target_segments),
      cmocka_unit_test(test_holm_two_targets),
      cmocka_unit_test(test_deterministic),
      cmocka_unit_test(test_bad_target),
      cmocka_unit_test(test_alloc_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
