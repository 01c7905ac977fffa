/*
 * test_simulate.c — synthetic records: the same output for a seed whatever
 * the thread count, release regions distributed as the choice model says
 * (chi-square goodness of fit on a four-region geometry, with and without
 * ties, and the log-space path of extreme coefficients), steering that
 * moves the target share after the start only, clear SW_E_USAGE and input
 * errors, rows that the records reader accepts whole, and the true
 * coefficients recovered by the model fitted on the simulated records.
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "testutil.h"

#define assert_near(a, b, eps)                                                 \
  do {                                                                         \
    double a_ = (a), b_ = (b);                                                 \
    if (!(fabs(a_ - b_) <= (eps)))                                             \
      fail_msg("%s = %.17g, expected %.17g within %g", #a, a_, b_,             \
               (double)(eps));                                                 \
  } while (0)

/* ---- fixtures ---------------------------------------------------------- */

/* A 1-degree square region centred at (lat, lon). */
static void square(char *buf, size_t n, const char *id, double lat,
                   double lon) {
  double a = lon - 0.5, b = lon + 0.5, c = lat - 0.5, d = lat + 0.5;
  snprintf(buf, n,
           "{\"type\":\"Feature\",\"id\":\"%s\",\"properties\":{},"
           "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%g,%g],"
           "[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}",
           id, a, c, b, c, b, d, a, d, a, c);
}

/* Regions A..D: A and B close together, C farther, D far. */
static const double SQ[4][2] = {{40, -100}, {40, -98}, {42, -101}, {45, -92}};

static sw_regions *four_regions(void) {
  char fc[4096] = "{\"type\":\"FeatureCollection\",\"features\":[";
  for (int k = 0; k < 4; k++) {
    char f[512], id[2] = {(char)('A' + k), 0};
    square(f, sizeof f, id, SQ[k][0], SQ[k][1]);
    strcat(fc, f);
    strcat(fc, k < 3 ? "," : "]}");
  }
  sw_regions *g = NULL;
  sw_error e;
  assert_int_equal(sw_regions_read(tu_temp_text(fc, ".geojson"), NULL, &g, &e),
                   SW_OK);
  assert_int_equal(sw_regions_count(g), 4);
  return g;
}

/* Target t=yes in B and D; ties only in A (the others have population 0). */
static sw_attrs *four_attrs(const char *extra) {
  char text[1024];
  snprintf(text, sizeof text,
           "region,attribute,value,valid_from,valid_to\n"
           "A,t,no,,\nB,t,yes,,\nC,t,no,,\nD,t,yes,,\n"
           "A,population,100,,\nB,population,0,,\nC,population,0,,\n"
           "D,population,0,,\n%s",
           extra);
  sw_attrs *a = NULL;
  sw_error e;
  assert_int_equal(sw_attrs_read(tu_temp_text(text, ".csv"), NULL, &a, &e),
                   SW_OK);
  return a;
}

static const sw_facility ONE_FAC[] = {{"F1", {41.0, -99.0}, 1}};

/* A scratch directory and paths in it, removed by cleanup_dir. */
static char dir[64];
static char *out_path(const char *name) {
  static char p[4][128];
  static int k;
  if (!dir[0]) {
    snprintf(dir, sizeof dir, "/tmp/sw_sim_XXXXXX");
    assert_non_null(mkdtemp(dir));
  }
  char *r = p[k++ % 4];
  snprintf(r, 128, "%s/%s", dir, name);
  return r;
}

static void cleanup_dir(void) {
  if (!dir[0]) return;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
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
  b[n] = 0;
  fclose(f);
  if (len) *len = (size_t)n;
  return b;
}

static void four_opts(sw_simulate_opts *o, sw_regions *g, sw_attrs *a) {
  sw_simulate_opts_init(o);
  o->regions = g;
  o->attrs = a;
  o->facilities = ONE_FAC;
  o->n_facilities = 1;
  o->target_attr = "t";
  o->target_value = "yes";
}

/* The model's probabilities for a record from ONE_FAC, with ties at A's
 * point or none, and the target term gamma. */
static void model_probs(const sw_regions *g, double b_o, double b_t, bool ties,
                        double gamma, double p[4]) {
  double v[4], m = -INFINITY, s = 0;
  sw_point a = sw_regions_centroid(g, 0);
  for (int j = 0; j < 4; j++) {
    sw_point c = sw_regions_centroid(g, (size_t)j);
    v[j] = b_o * log1p(sw_haversine_km(ONE_FAC[0].point, c)) +
           (ties ? b_t * log1p(sw_haversine_km(a, c)) : 0) +
           gamma * (j == 1 || j == 3);
    if (v[j] > m) m = v[j];
  }
  for (int j = 0; j < 4; j++)
    s += (p[j] = exp(v[j] - m));
  for (int j = 0; j < 4; j++)
    p[j] /= s;
}

/* Release-region counts of a records file over the four regions. */
static void count_releases(const char *path, const sw_regions *g,
                           double n_j[4]) {
  sw_records *r = NULL;
  sw_error e;
  assert_int_equal(sw_records_read(path, NULL, &r, &e), SW_OK);
  for (int j = 0; j < 4; j++)
    n_j[j] = 0;
  for (size_t i = 0; i < sw_records_count(r); i++) {
    sw_record rec;
    sw_records_get(r, i, &rec);
    size_t j;
    assert_true(sw_regions_find(g, rec.release_region, &j));
    n_j[j]++;
  }
  sw_records_free(r);
}

static double chi_square(const double n_j[4], const double p[4], double n) {
  double x = 0;
  for (int j = 0; j < 4; j++)
    x += (n_j[j] - n * p[j]) * (n_j[j] - n * p[j]) / (n * p[j]);
  return x;
}

/* ---- tests ------------------------------------------------------------- */

static void test_simulate_same_output_for_any_thread_count(void **state) {
  (void)state;
  sw_regions *g = four_regions();
  sw_attrs *a = four_attrs("B,population,50,,\nC,population,20,,\n");
  sw_simulate_opts o;
  four_opts(&o, g, a);
  o.n_records = 20000;
  o.steer = 1.5;
  o.seed = 42;
  const char *p1 = out_path("t1.csv"), *p3 = out_path("t3.csv");
  sw_error e;
  o.threads = 1;
  assert_int_equal(sw_simulate(&o, p1, NULL, &e), SW_OK);
  o.threads = 3;
  assert_int_equal(sw_simulate(&o, p3, NULL, &e), SW_OK);
  size_t n1, n3;
  char *b1 = slurp(p1, &n1), *b3 = slurp(p3, &n3);
  assert_int_equal(n1, n3);
  assert_memory_equal(b1, b3, n1);
  char *t1 = slurp(out_path("t1.truth.json"), NULL);
  char *t3 = slurp(out_path("t3.truth.json"), NULL);
  assert_string_equal(t1, t3);
  /* Another seed, other records. */
  o.seed = 43;
  assert_int_equal(sw_simulate(&o, p3, NULL, &e), SW_OK);
  char *b4 = slurp(p3, &n3);
  assert_true(n1 != n3 || memcmp(b1, b4, n1) != 0);
  free(b1), free(b3), free(b4), free(t1), free(t3);
  sw_attrs_free(a);
  sw_regions_free(g);
}

static void test_simulate_releases_follow_the_model_with_ties(void **state) {
  (void)state;
  sw_regions *g = four_regions();
  sw_attrs *a = four_attrs("");
  sw_simulate_opts o;
  four_opts(&o, g, a);
  o.n_records = 40000;
  o.share_ties = 1;
  /* Mild distance terms, so that no region's expected count is small. */
  o.b_origin = -0.5;
  o.b_ties = -0.3;
  o.steer = 0.7;
  sw_date_parse("2018-01-01", 10, &o.start); /* steering throughout */
  o.threads = 2;
  const char *path = out_path("chi.csv");
  sw_error e;
  sw_simulate_stats st;
  assert_int_equal(sw_simulate(&o, path, &st, &e), SW_OK);
  assert_int_equal(st.with_ties, 40000);
  assert_int_equal(st.before_start, 0);
  double n_j[4], p[4], q[4];
  count_releases(path, g, n_j);
  model_probs(g, -0.5, -0.3, true, 0.7, p);
  /* 3 df: 16.27 is the 0.999 quantile; the seed is fixed. */
  double x = chi_square(n_j, p, 40000);
  assert_true(x < 16.27);
  /* The same counts against the model without steering fail the test. */
  model_probs(g, -0.5, -0.3, true, 0, q);
  assert_true(chi_square(n_j, q, 40000) > 100);
  /* Expected shares are the no-steering model's. */
  assert_near(st.expected_after / 40000, q[1] + q[3], 1e-12);
  sw_attrs_free(a);
  sw_regions_free(g);
}

static void test_simulate_releases_follow_the_model_without_ties(void **state) {
  (void)state;
  sw_regions *g = four_regions();
  sw_attrs *a = four_attrs("");
  sw_simulate_opts o;
  four_opts(&o, g, a);
  o.n_records = 40000;
  o.share_ties = 0;
  o.b_origin = -2.0;
  const char *path = out_path("chi0.csv");
  sw_error e;
  sw_simulate_stats st;
  assert_int_equal(sw_simulate(&o, path, &st, &e), SW_OK);
  assert_int_equal(st.with_ties, 0);
  double n_j[4], p[4];
  count_releases(path, g, n_j);
  model_probs(g, -2.0, 0, false, 0, p);
  assert_true(chi_square(n_j, p, 40000) < 16.27);
  sw_attrs_free(a);
  sw_regions_free(g);
}

/* Weights too small for the tables: every record falls back to log space,
 * where the region of highest utility takes (almost) all the mass. */
static void test_simulate_extreme_coefficients_draw_in_log_space(void **state) {
  (void)state;
  sw_regions *g = four_regions();
  sw_attrs *a = four_attrs("");
  sw_simulate_opts o;
  four_opts(&o, g, a);
  o.n_records = 500;
  o.share_ties = 1;
  o.b_origin = -400;
  o.b_ties = -400;
  const char *path = out_path("extreme.csv");
  sw_error e;
  assert_int_equal(sw_simulate(&o, path, NULL, &e), SW_OK);
  double n_j[4], p[4];
  count_releases(path, g, n_j);
  model_probs(g, -400, -400, true, 0, p);
  int best = 0;
  for (int j = 1; j < 4; j++)
    if (p[j] > p[best]) best = j;
  assert_true(p[best] > 0.999999);
  assert_near(n_j[best], 500, 0);
  sw_attrs_free(a);
  sw_regions_free(g);
}

/* e^steer overflows: log space again, where the target takes all the
 * mass and its regions keep the proportions of the null model. */
static void test_simulate_overflowing_steer_keeps_proportions(void **state) {
  (void)state;
  sw_regions *g = four_regions();
  sw_attrs *a = four_attrs("");
  sw_simulate_opts o;
  four_opts(&o, g, a);
  o.n_records = 20000;
  o.share_ties = 1;
  o.b_origin = -0.5;
  o.b_ties = -0.3;
  o.steer = 800;
  o.start = o.from;
  const char *path = out_path("overflow.csv");
  sw_error e;
  sw_simulate_stats st;
  assert_int_equal(sw_simulate(&o, path, &st, &e), SW_OK);
  assert_int_equal(st.target_after, 20000);
  double n_j[4], p[4];
  count_releases(path, g, n_j);
  assert_near(n_j[0] + n_j[2], 0, 0);
  model_probs(g, -0.5, -0.3, true, 0, p);
  double pb = p[1] / (p[1] + p[3]), eb = 20000 * pb, ed = 20000 - eb;
  double x =
      (n_j[1] - eb) * (n_j[1] - eb) / eb + (n_j[3] - ed) * (n_j[3] - ed) / ed;
  assert_true(x < 10.83); /* 1 df, the 0.999 quantile */
  /* The expected share is still the null model's. */
  assert_near(st.expected_after / 20000, p[1] + p[3], 1e-12);
  sw_attrs_free(a);
  sw_regions_free(g);
}

static void test_simulate_steering_moves_share_after_start_only(void **state) {
  (void)state;
  sw_regions *g = four_regions();
  sw_attrs *a = four_attrs("B,population,50,,\nC,population,20,,\n");
  sw_simulate_opts o;
  four_opts(&o, g, a);
  o.n_records = 20000;
  o.b_origin = -0.5;
  o.b_ties = -0.3;
  const char *p0 = out_path("s0.csv"), *p2 = out_path("s2.csv");
  sw_error e;
  sw_simulate_stats s0, s2;
  assert_int_equal(sw_simulate(&o, p0, &s0, &e), SW_OK);
  o.steer = 2;
  assert_int_equal(sw_simulate(&o, p2, &s2, &e), SW_OK);
  int32_t mid;
  sw_date_parse("2020-01-01", 10, &mid);
  assert_int_equal(s2.start, mid);
  /* Same draws before the start: identical counts there. */
  assert_int_equal(s0.before_start, s2.before_start);
  assert_int_equal(s0.target_before, s2.target_before);
  assert_near(s0.expected_after, s2.expected_after, 1e-6);
  double sh0 = (double)s0.target_after / (double)s0.after_start;
  double sh2 = (double)s2.target_after / (double)s2.after_start;
  assert_true(sh2 > sh0 + 0.1);
  /* Rows dated before the start are byte-identical. */
  sw_records *r0 = NULL, *r2 = NULL;
  assert_int_equal(sw_records_read(p0, NULL, &r0, &e), SW_OK);
  assert_int_equal(sw_records_read(p2, NULL, &r2, &e), SW_OK);
  size_t differ_before = 0, differ_after = 0;
  for (size_t i = 0; i < sw_records_count(r0); i++) {
    sw_record x, y;
    sw_records_get(r0, i, &x);
    sw_records_get(r2, i, &y);
    assert_int_equal(x.date, y.date);
    bool d = strcmp(x.release_region, y.release_region) != 0;
    if (x.date < mid)
      differ_before += d;
    else
      differ_after += d;
  }
  assert_int_equal(differ_before, 0);
  assert_true(differ_after > 500);
  sw_records_free(r0);
  sw_records_free(r2);
  sw_attrs_free(a);
  sw_regions_free(g);
}

static void expect_usage(sw_simulate_opts *o, const char *needle) {
  sw_error e;
  assert_int_equal(sw_simulate(o, out_path("bad.csv"), NULL, &e), SW_E_USAGE);
  if (!strstr(e.message, needle)) fail_msg("message \"%s\"", e.message);
  assert_int_equal(access(out_path("bad.csv"), F_OK), -1);
}

static void test_simulate_bad_options_are_usage_errors(void **state) {
  (void)state;
  sw_regions *g = four_regions();
  sw_attrs *a = four_attrs("");
  sw_simulate_opts o;
  four_opts(&o, g, a);
  o.n_records = 0;
  expect_usage(&o, "number of records");
  o.n_records = 10;
  o.target_attr = NULL;
  expect_usage(&o, "target");
  o.target_attr = "t";
  o.target_value = "maybe";
  expect_usage(&o, "t=maybe: no region is in it");
  o.target_value = "yes";
  o.share_ties = 1.5;
  expect_usage(&o, "share of records with ties");
  o.share_ties = 0.5;
  o.steer = NAN;
  expect_usage(&o, "steer");
  o.steer = 1;
  o.b_ties = INFINITY;
  expect_usage(&o, "coefficients");
  o.b_ties = -1.5;
  sw_date_parse("2021-01-01", 10, &o.from);
  expect_usage(&o, "from (2021-01-01) is after to (2020-12-31)");
  sw_date_parse("2019-01-01", 10, &o.from);
  o.threads = 1000;
  expect_usage(&o, "threads");
  o.threads = 1;
  o.facilities_path = "x.csv";
  expect_usage(&o, "facilities given twice");
  o.facilities_path = NULL;
  o.facilities = NULL;
  o.n_facilities = 0;
  expect_usage(&o, "facilities are required");
  o.facilities = ONE_FAC;
  o.n_facilities = 1;
  o.regions = NULL;
  expect_usage(&o, "regions are required");
  o.regions = g;
  o.cost_per_km = -1;
  expect_usage(&o, "cost per km");
  o.cost_per_km = 1;
  sw_facility bad[] = {{"F1", {91, 0}, 1}};
  o.facilities = bad;
  expect_usage(&o, "latitude of \"F1\" outside");
  sw_attrs_free(a);
  sw_regions_free(g);
}

static void expect_fac_error(sw_simulate_opts *o, const char *csv,
                             sw_status code, uint64_t line, const char *column,
                             const char *needle) {
  o->facilities = NULL;
  o->n_facilities = 0;
  o->facilities_path = tu_temp_text(csv, ".csv");
  sw_error e;
  assert_int_equal(sw_simulate(o, out_path("fac.csv"), NULL, &e), code);
  assert_int_equal(e.line, line);
  assert_string_equal(e.column, column);
  if (!strstr(e.message, needle)) fail_msg("message \"%s\"", e.message);
  assert_string_equal(e.file, o->facilities_path);
}

static void test_simulate_facilities_file_errors_name_line_column(void **s) {
  (void)s;
  sw_regions *g = four_regions();
  sw_attrs *a = four_attrs("");
  sw_simulate_opts o;
  four_opts(&o, g, a);
  o.n_records = 10;
  expect_fac_error(&o, "facility,lat\nF,1\n", SW_E_SCHEMA, 1, "lon",
                   "required column");
  expect_fac_error(&o, "facility,lat,lon\nF,40,-99\nG,4O.1,-99\n", SW_E_PARSE,
                   3, "lat", "not a number: \"4O.1\"");
  expect_fac_error(&o, "facility,lat,lon\nF,40,-99\nF,41,-99\n", SW_E_PARSE, 3,
                   "facility", "duplicate facility \"F\"");
  expect_fac_error(&o, "facility,lat,lon,weight\nF,40,-99,0\n", SW_E_RANGE, 0,
                   "", "weight 0");
  expect_fac_error(&o, "facility,lat,lon,weight\nF,40,-99,-2\n", SW_E_RANGE, 2,
                   "weight", "not a finite number >= 0");
  expect_fac_error(&o, "facility,lat,lon\n", SW_E_SCHEMA, 0, "",
                   "no facilities");
  o.facilities_path = "/nonexistent/fac.csv";
  sw_error e;
  assert_int_equal(sw_simulate(&o, out_path("fac.csv"), NULL, &e), SW_E_OPEN);
  /* Weight is optional (1 each); CSV-quoted codes come out quoted. */
  o.facilities_path =
      tu_temp_text("Facility,Lat,Lon\n\"A, B\",40,-99\nC,44,-93\n", ".csv");
  assert_int_equal(sw_simulate(&o, out_path("fac.csv"), NULL, &e), SW_OK);
  char *text = slurp(out_path("fac.csv"), NULL);
  assert_non_null(strstr(text, ",\"A, B\",40.000000,-99.000000,"));
  free(text);
  sw_attrs_free(a);
  sw_regions_free(g);
}

static void test_simulate_output_cannot_be_created(void **state) {
  (void)state;
  sw_regions *g = four_regions();
  sw_attrs *a = four_attrs("");
  sw_simulate_opts o;
  four_opts(&o, g, a);
  o.n_records = 10;
  sw_error e;
  const char *p = "/nonexistent-dir/out.csv";
  assert_int_equal(sw_simulate(&o, p, NULL, &e), SW_E_CREATE);
  assert_string_equal(e.file, p);
  /* The truth cannot be created: the records are removed too. */
  const char *rec = out_path("lonely.csv");
  assert_int_equal(mkdir(out_path("lonely.truth.json"), 0700), 0);
  assert_int_equal(sw_simulate(&o, rec, NULL, &e), SW_E_CREATE);
  assert_string_equal(e.file, out_path("lonely.truth.json"));
  assert_int_equal(access(rec, F_OK), -1);
  assert_int_equal(rmdir(out_path("lonely.truth.json")), 0);
  sw_attrs_free(a);
  sw_regions_free(g);
}

static void test_simulate_rows_read_back_whole(void **state) {
  (void)state;
  sw_regions *g = four_regions();
  sw_attrs *a = four_attrs("B,population,50,,\n");
  sw_simulate_opts o;
  four_opts(&o, g, a);
  o.n_records = 3000;
  o.cost_per_km = 2;
  const char *path = out_path("back.csv");
  sw_error e;
  sw_simulate_stats st;
  assert_int_equal(sw_simulate(&o, path, &st, &e), SW_OK);
  sw_records *r = NULL;
  assert_int_equal(sw_records_read(path, NULL, &r, &e), SW_OK);
  sw_counts c = sw_records_counts(r);
  assert_int_equal(c.read, 3000);
  assert_int_equal(c.accepted, 3000);
  assert_int_equal(c.rejected, 0);
  assert_int_equal(sw_records_n_extra(r), 0);
  int32_t from, to;
  sw_date_parse("2019-01-01", 10, &from);
  sw_date_parse("2020-12-31", 10, &to);
  uint64_t with_ties = 0;
  double cost = 0;
  for (size_t i = 0; i < 3000; i++) {
    sw_record x;
    sw_records_get(r, i, &x);
    char id[16];
    snprintf(id, sizeof id, "SIM%07zu", i + 1);
    assert_string_equal(x.id, id);
    assert_string_equal(x.facility, "F1");
    assert_true(x.date >= from && x.date <= to);
    assert_near(x.origin.lat_deg, 41.0, 1e-9);
    size_t j;
    assert_true(sw_regions_find(g, x.release_region, &j));
    sw_point c0 = sw_regions_centroid(g, j);
    assert_near(x.release.lat_deg, c0.lat_deg, 1e-6);
    assert_near(x.release.lon_deg, c0.lon_deg, 1e-6);
    double km = sw_haversine_km(x.origin, c0);
    assert_near(x.cost, round(2 * km * 100) / 100, 0.006);
    cost += x.cost;
    if (x.ties_region) {
      with_ties++;
      assert_true(!strcmp(x.ties_region, "A") || !strcmp(x.ties_region, "B"));
      assert_false(isnan(x.ties.lat_deg));
    } else {
      assert_true(isnan(x.ties.lat_deg));
    }
  }
  assert_int_equal(with_ties, st.with_ties);
  /* About 80% have ties: 2400 +- 4 sd. */
  assert_true(with_ties > 2310 && with_ties < 2490);
  assert_near(cost, st.cost_total, 0.01);
  sw_records_free(r);
  sw_attrs_free(a);
  sw_regions_free(g);
}

static void test_simulate_truth_path_and_file(void **state) {
  (void)state;
  char b[64];
  assert_int_equal(sw_simulate_truth_path("a/r.csv", b, sizeof b), 14);
  assert_string_equal(b, "a/r.truth.json");
  sw_simulate_truth_path("records", b, sizeof b);
  assert_string_equal(b, "records.truth.json");
  sw_simulate_truth_path("x.csv.gz", b, sizeof b);
  assert_string_equal(b, "x.csv.gz.truth.json");
  assert_int_equal(sw_simulate_truth_path("abc.csv", b, 4), 14);
  assert_string_equal(b, "abc");

  sw_regions *g = four_regions();
  sw_attrs *a = four_attrs("");
  sw_simulate_opts o;
  four_opts(&o, g, a);
  o.n_records = 100;
  o.steer = 0.25;
  o.seed = 7;
  sw_error e;
  assert_int_equal(sw_simulate(&o, out_path("truth.csv"), NULL, &e), SW_OK);
  char *t = slurp(out_path("truth.truth.json"), NULL);
  static const char *const want[] = {
      "\"version\": \"" SW_VERSION_STRING "\"",
      "\"seed\": 7",
      "\"n_records\": 100",
      "\"target\": \"t=yes\"",
      "\"steer\": 0.25",
      "\"start\": \"2020-01-01\"",
      "\"b_origin\": -1",
      "\"b_ties\": -1.5",
      "\"share_ties\": 0.8",
      "\"cost_per_km\": 0.5",
      "{\"name\": \"target\", \"value\": 0.25, \"from\": \"2020-01-01\"}",
      "{\"from\": \"2019-01-01\", \"to\": \"2019-12-31\", \"gamma\": 0}",
      "{\"from\": \"2020-01-01\", \"to\": \"2020-12-31\", \"gamma\": 0.25}",
      "\"regions\": 4",
      "\"regions_with_population\": 4",
      "\"inputs\": [],"};
  for (size_t k = 0; k < sizeof want / sizeof *want; k++)
    if (!strstr(t, want[k])) fail_msg("truth lacks %s:\n%s", want[k], t);
  free(t);
  sw_attrs_free(a);
  sw_regions_free(g);
}

/* Allocation failures anywhere are SW_E_NOMEM and leave no output. */
static void test_simulate_each_allocation_failure_is_nomem(void **state) {
  (void)state;
  sw_regions *g = four_regions();
  sw_attrs *a = four_attrs("");
  sw_simulate_opts o;
  four_opts(&o, g, a);
  o.n_records = 50;
  const char *path = out_path("oom.csv");
  sw_error e;
  sw__alloc_fail_at(0);
  assert_int_equal(sw_simulate(&o, path, NULL, &e), SW_OK);
  uint64_t total = sw__alloc_fail_at(0);
  assert_true(total > 10);
  unlink(path);
  for (uint64_t k = 1; k <= total; k++) {
    sw__alloc_fail_at(k);
    sw_status st = sw_simulate(&o, path, NULL, &e);
    sw__alloc_fail_at(0);
    if (st != SW_E_NOMEM)
      fail_msg("allocation %llu of %llu: %s", (unsigned long long)k,
               (unsigned long long)total, e.message);
    assert_int_equal(access(path, F_OK), -1);
  }
  sw_attrs_free(a);
  sw_regions_free(g);
}

/* ---- recovery: the model fitted on simulated records ------------------- */

typedef struct grid {
  sw_regions *g;
  sw_attrs *a;
} grid;

/* An 8 x 8 grid of 1-degree squares; target: the columns 5..7. */
static grid make_grid(void) {
  size_t cap = 64 * 512 + 64;
  char *fc = malloc(cap), *attrs = malloc(64 * 64 + 64);
  strcpy(fc, "{\"type\":\"FeatureCollection\",\"features\":[");
  strcpy(attrs, "region,attribute,value\n");
  for (int r = 0; r < 8; r++)
    for (int c = 0; c < 8; c++) {
      char f[512], id[8];
      snprintf(id, sizeof id, "G%d%d", r, c);
      square(f, sizeof f, id, 35 + 1.5 * r, -100 + 1.5 * c);
      strcat(fc, f);
      strcat(fc, r == 7 && c == 7 ? "]}" : ",");
      char line[64];
      snprintf(line, sizeof line, "%s,t,%s\n%s,population,%d\n", id,
               c >= 5 ? "yes" : "no", id, 1000 + 100 * ((r * 8 + c) % 7));
      strcat(attrs, line);
    }
  grid gr = {0};
  sw_error e;
  assert_int_equal(
      sw_regions_read(tu_temp_text(fc, ".geojson"), NULL, &gr.g, &e), SW_OK);
  assert_int_equal(sw_attrs_read(tu_temp_text(attrs, ".csv"), NULL, &gr.a, &e),
                   SW_OK);
  free(fc);
  free(attrs);
  return gr;
}

static void test_simulate_model_recovers_true_coefficients(void **state) {
  (void)state;
  grid gr = make_grid();
  static const sw_facility fac[] = {{"P", {36, -99}, 1},
                                    {"Q", {40, -95}, 2},
                                    {"R", {44, -98}, 1},
                                    {"S", {38, -91}, 1}};
  sw_simulate_opts o;
  sw_simulate_opts_init(&o);
  o.regions = gr.g;
  o.attrs = gr.a;
  o.facilities = fac;
  o.n_facilities = 4;
  o.n_records = 4000;
  o.target_attr = "t";
  o.target_value = "yes";
  o.steer = 0.8;
  o.start = o.from; /* steering throughout */
  o.seed = 2024;
  o.threads = 2;
  const char *path = out_path("recover.csv");
  sw_error e;
  assert_int_equal(sw_simulate(&o, path, NULL, &e), SW_OK);

  sw_records *r = NULL;
  assert_int_equal(sw_records_read(path, NULL, &r, &e), SW_OK);
  size_t n = sw_records_count(r), R = sw_regions_count(gr.g);
  uint32_t *origin = calloc(n, sizeof *origin);
  uint32_t *chosen = calloc(n, sizeof *chosen);
  sw_point *ties = calloc(n, sizeof *ties);
  sw_point *pts = calloc(R, sizeof *pts);
  uint8_t *target = calloc(R, 1);
  for (size_t j = 0; j < R; j++) {
    pts[j] = sw_regions_centroid(gr.g, j);
    const char *v = sw_attrs_get(gr.a, sw_regions_id(gr.g, j), "t", o.from);
    target[j] = v && !strcmp(v, "yes");
  }
  sw_point origins[4];
  for (size_t k = 0; k < 4; k++)
    origins[k] = fac[k].point;
  for (size_t i = 0; i < n; i++) {
    sw_record x;
    sw_records_get(r, i, &x);
    origin[i] = (uint32_t)(x.facility[0] - 'P');
    size_t j;
    assert_true(sw_regions_find(gr.g, x.release_region, &j));
    chosen[i] = (uint32_t)j;
    ties[i] = x.ties;
  }
  sw_geo_spec spec = {.n_records = n,
                      .origin = origin,
                      .origins = origins,
                      .n_origins = 4,
                      .ties = ties,
                      .chosen = chosen,
                      .n_regions = R,
                      .region_points = pts,
                      .target = target,
                      .n_periods = 1};
  sw_geo_design *gd = NULL;
  assert_int_equal(sw_geo_design_new(&spec, &gd, &e), SW_OK);
  sw_model_opts mo = {.threads = 2};
  sw_model_result *fit = NULL;
  assert_int_equal(sw_model_fit(sw_geo_design_get(gd), &mo, &fit, &e), SW_OK);
  const double truth[3] = {-1.0, -1.5, 0.8};
  for (size_t k = 0; k < 3; k++) {
    if (!(fit->ci_low[k] < truth[k] && truth[k] < fit->ci_high[k]))
      fail_msg("%s: %g not in [%g, %g]", fit->names[k], truth[k],
               fit->ci_low[k], fit->ci_high[k]);
    /* And the interval is tight enough to mean something. */
    assert_true(fit->ci_high[k] - fit->ci_low[k] < 0.5);
  }
  sw_model_result_free(fit);
  sw_geo_design_free(gd);
  sw_records_free(r);
  free(origin), free(chosen), free(ties), free(pts), free(target);
  sw_attrs_free(gr.a);
  sw_regions_free(gr.g);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_simulate_same_output_for_any_thread_count),
      cmocka_unit_test(test_simulate_releases_follow_the_model_with_ties),
      cmocka_unit_test(test_simulate_releases_follow_the_model_without_ties),
      cmocka_unit_test(test_simulate_extreme_coefficients_draw_in_log_space),
      cmocka_unit_test(test_simulate_overflowing_steer_keeps_proportions),
      cmocka_unit_test(test_simulate_steering_moves_share_after_start_only),
      cmocka_unit_test(test_simulate_bad_options_are_usage_errors),
      cmocka_unit_test(test_simulate_facilities_file_errors_name_line_column),
      cmocka_unit_test(test_simulate_output_cannot_be_created),
      cmocka_unit_test(test_simulate_rows_read_back_whole),
      cmocka_unit_test(test_simulate_truth_path_and_file),
      cmocka_unit_test(test_simulate_each_allocation_failure_is_nomem),
      cmocka_unit_test(test_simulate_model_recovers_true_coefficients),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  cleanup_dir();
  return rc;
}
