/*
 * test_report.c — report.html: escaping of hostile strings, no external
 * loads, the sections a reader needs, byte-identical output, the
 * small-numbers rule, write failures and out-of-memory, and the Albers USA
 * projection against d3.geoAlbersUsa.
 *
 * With SW_REPORT_FIXTURE=PATH in the environment, one more case writes a
 * realistic page (hostile strings, the real county map, or the geometry
 * named by SW_REPORT_FIXTURE_REGIONS) to PATH for
 * tests/cli/report_browser.test.sh to open in a browser.
 */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "report.h"
#include "testutil.h"

#define HOSTILE_ID "<script>alert(1)</script>"
#define HOSTILE_FAC "x\"onerror=alert(2) O'Brien & Sons"
#define HOSTILE_LABEL "<img src=x onerror=alert(3)> https://example.org/x"

static int32_t day(const char *s) {
  int32_t d = 0;
  assert_int_equal(sw_date_parse(s, strlen(s), &d), SW_OK);
  return d;
}

/* splitmix64: deterministic fixture numbers. */
static uint64_t mix(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

enum { N_WEEKS = 104, N_PERIODS = 8, N_FAC = 24, N_FLAG = 25 };

/* Storage for one fixture; the input points into it. */
typedef struct fixture {
  sw_report_input in;
  sw_report_target target[2];
  sw_report_file files[3];
  sw_report_param params[4];
  sw_report_coef coefs[3];
  sw_report_coef coefs_u[1];
  sw_report_period periods[N_PERIODS];
  sw_report_week weeks[N_WEEKS];
  sw_report_change change;
  sw_report_event events[2];
  sw_report_facility fac[N_FAC];
  char fac_names[N_FAC][32];
  sw_report_flagged flagged[N_FLAG];
  char flag_ids[N_FLAG][32];
  sw_report_region *regions;
  char (*region_ids)[16];
  size_t n_regions;
} fixture;

/* A steering episode from week 40 on toward sanctuary=yes. With g, one
 * region row per region of g (ids from g); without, a handful of rows. */
static void fixture_init(fixture *f, const sw_regions *g) {
  memset(f, 0, sizeof *f);
  sw_report_input *in = &f->in;
  in->title = "Release audit: <Test> & \"fixture\"";
  in->version = "0.1.0";
  in->simulated = true;
  f->files[0] = (sw_report_file){
      "data/releases<1>.csv",
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      123456789};
  f->files[1] = (sw_report_file){
      "data/counties-10m.json",
      "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752",
      842143};
  f->files[2] = (sw_report_file){"data/county-attrs.csv", NULL, 200000};
  in->inputs = f->files;
  in->n_inputs = 3;
  in->seed = 42;
  f->params[0] = (sw_report_param){"alternatives", "50"};
  f->params[1] = (sw_report_param){"ties_km", "100"};
  f->params[2] = (sw_report_param){"event", "2024-10-01:" HOSTILE_LABEL};
  f->params[3] = (sw_report_param){"target", "sanctuary=yes"};
  in->params = f->params;
  in->n_params = 4;
  in->read = 200210;
  in->accepted = 200000;
  in->rejected = 210;
  in->unassigned = 37;
  in->ties_km = 100;
  in->flagged = 18234;
  in->median_km_from_ties = 612.4;
  in->extra_km_total = 4123456.7;
  in->extra_cost_total = NAN;
  for (int i = 0; i < N_FLAG; i++) {
    snprintf(f->flag_ids[i], sizeof f->flag_ids[i], "R%06d", 1000 + i * 37);
    f->flagged[i] = (sw_report_flagged){
        f->flag_ids[i], "ELPASO",   "06075",
        "48141",        1100.0 + i, "released 1,100 km from ties"};
  }
  f->flagged[0].id = HOSTILE_ID;
  f->flagged[1].facility = HOSTILE_FAC;
  in->flagged_rows = f->flagged;
  in->n_flagged_rows = N_FLAG;

  sw_report_target *t = &f->target[0];
  t->name = "sanctuary=yes";
  t->alternatives = 50;
  f->coefs[0] = (sw_report_coef){
      "log1p_km_origin", -0.8123, 0.0031, 0.041, -0.892, -0.732};
  f->coefs[1] =
      (sw_report_coef){"log1p_km_ties", -1.2034, 0.0029, 0.035, -1.272, -1.135};
  f->coefs[2] = (sw_report_coef){"target", 0.4312, 0.0081, 0.052, 0.329, 0.533};
  t->coefs = f->coefs;
  t->n_coefs = 3;
  t->lr_statistic = 2841.5;
  t->p_value = 1e-300;
  t->p_value_adjusted = 2e-300;
  t->head = (sw_report_headline){"within_region_event",
                                 NULL,
                                 day("2024-10-07"),
                                 INT32_MIN,
                                 0.3,
                                 0.25,
                                 0.35,
                                 1e-9,
                                 0,
                                 day("2024-05-20"),
                                 0.01,
                                 0.62};

  int32_t start = day("2024-01-01"); /* a Monday */
  double expected_total = 0;
  uint64_t observed_total = 0;
  for (int w = 0; w < N_WEEKS; w++) {
    uint64_t r = mix((uint64_t)w);
    double e = 380 + (double)(r % 40);
    double lift = w >= 40 ? 1.35 : 1.0;
    uint64_t o = (uint64_t)(e * lift + (double)((r >> 8) % 41) - 20);
    f->weeks[w] = (sw_report_week){start + 7 * w, 1900 + (r >> 20) % 100, o, e};
    if (w == 0) f->weeks[w].n = 7; /* a small week */
    expected_total += e;
    observed_total += o;
  }
  t->weeks = f->weeks;
  t->n_weeks = N_WEEKS;
  t->observed = observed_total;
  t->excess_releases = (double)observed_total - expected_total;
  t->observed_share = (double)observed_total / 200000.0;
  t->expected_share = expected_total / 200000.0;
  static const char *const qs[N_PERIODS + 1] = {
      "2024-01-01", "2024-04-01", "2024-07-01", "2024-10-01", "2025-01-01",
      "2025-04-01", "2025-07-01", "2025-10-01", "2026-01-01"};
  for (int p = 0; p < N_PERIODS; p++) {
    double gmm = p >= 3 ? 0.55 + 0.03 * p : 0.02 * (p - 1);
    f->periods[p] = (sw_report_period){
        day(qs[p]), day(qs[p + 1]), gmm, gmm - 0.11, gmm + 0.11, 25000, NULL};
  }
  f->periods[2].gamma = f->periods[2].ci_low = f->periods[2].ci_high = NAN;
  f->periods[2].why_missing = "no variation: " HOSTILE_ID;
  t->periods = f->periods;
  t->n_periods = N_PERIODS;
  f->change =
      (sw_report_change){start + 7 * 40, start + 7 * 38, start + 7 * 42};
  t->changes = &f->change;
  t->n_changes = 1;
  f->events[0] = (sw_report_event){
      day("2024-10-01"), HOSTILE_LABEL, 0.201, 0.268, 1e-12, 15200, 15500};
  f->events[1] = (sw_report_event){
      day("2025-06-15"), "Policy memo", 0.27, 0.268, 0.41, 8, 15500};
  t->events = f->events;
  t->n_events = 2;
  for (int i = 0; i < N_FAC; i++) {
    uint64_t r = mix(1000 + (uint64_t)i);
    snprintf(f->fac_names[i], sizeof f->fac_names[i], "FAC%02d", i);
    uint64_t n = 500 + r % 20000;
    double es = 0.15 + (double)(r % 100) / 1000;
    double os = es * (1 + (double)((r >> 10) % 50) / 100);
    f->fac[i] = (sw_report_facility){
        f->fac_names[i],      n, (uint64_t)(os * (double)n), os, es,
        (os - es) * (double)n};
  }
  f->fac[3].facility = HOSTILE_FAC;
  f->fac[5] = (sw_report_facility){"TINY", 3, 2, 0.667, 0.2, 1.4};
  t->facilities = f->fac;
  t->n_facilities = N_FAC;

  f->n_regions = g ? sw_regions_count(g) : 4;
  f->regions = calloc(f->n_regions, sizeof *f->regions);
  f->region_ids = calloc(f->n_regions, sizeof *f->region_ids);
  assert_non_null(f->regions);
  assert_non_null(f->region_ids);
  for (size_t i = 0; i < f->n_regions; i++) {
    uint64_t r = mix(77 + i);
    if (g)
      snprintf(f->region_ids[i], sizeof f->region_ids[i], "%s",
               sw_regions_id(g, i));
    else
      snprintf(f->region_ids[i], sizeof f->region_ids[i], "R%zu", i);
    /* Expected counts spread over three orders of magnitude, as county
     * populations are; about one region in nine in the target. */
    bool tgt = r % 9 == 0;
    double e = pow(10, (double)(r % 1000) / 1000.0 * 3.2);
    double noise = ((double)((r >> 20) % 1000) / 1000.0 - 0.5) * 2 * sqrt(e);
    double o_real = e * (tgt ? 1.45 : 0.94) + noise;
    uint64_t o = o_real > 0 ? (uint64_t)o_real : 0;
    f->regions[i] =
        (sw_report_region){f->region_ids[i], o, e, (double)o - e, tgt};
  }
  f->regions[0] = (sw_report_region){HOSTILE_ID, 4, 2.5, 1.5, false};
  if (!g) f->regions[1] = (sw_report_region){"R1", 400, 250.0, 150.0, true};
  t->regions = f->regions;
  t->n_regions = f->n_regions;

  /* A second target: no steering, to show the "no evidence" wording. */
  sw_report_target *u = &f->target[1];
  *u = *t;
  u->name = "party=D";
  f->coefs_u[0] = (sw_report_coef){"target", 0.021, 0.02, 0.025, -0.028, 0.070};
  u->coefs = f->coefs_u;
  u->n_coefs = 1;
  u->model_failure = NULL;
  u->p_value = 0.41;
  u->p_value_adjusted = 0.41;
  u->n_changes = 0;
  u->n_events = 0;
  u->n_periods = 0;
  u->head = (sw_report_headline){"within_region_onset",
                                 NULL,
                                 INT32_MIN,
                                 day("2025-02-03"),
                                 0.05,
                                 -0.02,
                                 0.12,
                                 0.44,
                                 71,
                                 INT32_MIN,
                                 NAN,
                                 NAN};
  in->targets = f->target;
  in->n_targets = 2;
  in->regions = g;
}

static void fixture_clear(fixture *f) {
  free(f->regions);
  free(f->region_ids);
}

static char *slurp(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  assert_non_null(fp);
  fseek(fp, 0, SEEK_END);
  long n = ftell(fp);
  fseek(fp, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  assert_non_null(s);
  assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
  s[n] = '\0';
  fclose(fp);
  if (len) *len = (size_t)n;
  return s;
}

static char *render(const sw_report_input *in, size_t *len) {
  const char *path = tu_temp_text("", ".html");
  sw_error err;
  assert_int_equal(sw__report_write(in, path, &err), SW_OK);
  return slurp(path, len);
}

/* Two squares in Nebraska (one with a hostile id) and one in Puerto Rico,
 * which lies outside every inset of the map. */
#define THREE_REGIONS                                                          \
  "{\"type\":\"FeatureCollection\",\"features\":["                             \
  "{\"type\":\"Feature\",\"id\":\"<script>alert(1)</"                          \
  "script>\",\"properties\":{},"                                               \
  "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-100,40],[-99,40],[-" \
  "99,41],[-100,41],[-100,40]]]}},"                                            \
  "{\"type\":\"Feature\",\"id\":\"R1\",\"properties\":{},"                     \
  "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-99,40],[-98,40],[-"  \
  "98,41],[-99,41],[-99,40]]]}},"                                              \
  "{\"type\":\"Feature\",\"id\":\"PR\",\"properties\":{},"                     \
  "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-66.5,18],[-66,18],[" \
  "-66,18.4],[-66.5,18.4],[-66.5,18]]]}}]}"

static sw_regions *counties(void) {
  sw_regions *g = NULL;
  sw_error err;
  assert_int_equal(
      sw_regions_read(SW_DATA "/counties-10m.json", NULL, &g, &err), SW_OK);
  return g;
}

static void test_report_escapes_hostile_strings(void **state) {
  (void)state;
  fixture f;
  fixture_init(&f, NULL);
  char *page = render(&f.in, NULL);
  assert_null(strstr(page, "<script"));
  assert_null(strstr(page, "<img"));
  assert_null(strstr(page, "\"onerror"));
  assert_null(strstr(page, "O'Brien"));
  assert_non_null(strstr(page, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert_non_null(
      strstr(page, "x&quot;onerror=alert(2) O&#39;Brien &amp; Sons"));
  assert_non_null(strstr(page, "&lt;img src=x onerror=alert(3)&gt;"));
  assert_non_null(
      strstr(page, "Release audit: &lt;Test&gt; &amp; &quot;fixture&quot;"));
  assert_non_null(strstr(page, "data/releases&lt;1&gt;.csv"));
  free(page);
  fixture_clear(&f);
}

static void test_report_escape_function(void **state) {
  (void)state;
  sw_html h = {{0}, false};
  sw__html_text(&h, "a&b<c>d\"e'f\x01g\th");
  assert_false(h.oom);
  assert_string_equal(h.b.data,
                      "a&amp;b&lt;c&gt;d&quot;e&#39;f\xef\xbf\xbdg\th");
  sw__buf_free(&h.b);
}

/* Every tag of the page (data never contains a raw '<', so tags are the
 * markup): no attribute that loads something, every link inside the page,
 * no script, import or URL-valued style. */
static void test_report_loads_nothing(void **state) {
  (void)state;
  fixture f;
  fixture_init(&f, NULL);
  char *page = render(&f.in, NULL);
  size_t hrefs = 0, tags = 0;
  for (const char *p = page; (p = strchr(p, '<')) != NULL; p++) {
    const char *end = strchr(p, '>');
    assert_non_null(end);
    size_t n = (size_t)(end - p) + 1;
    char *tag = strndup(p, n);
    assert_non_null(tag);
    tags++;
    if (strstr(tag, "src=") || strstr(tag, "<script") || strstr(tag, "<link") ||
        strstr(tag, "<iframe") || strstr(tag, "<img") ||
        strstr(tag, "<object") || strstr(tag, "<embed") ||
        strstr(tag, "action="))
      fail_msg("loading tag: %s", tag);
    for (const char *h = tag; (h = strstr(h, "href=")) != NULL; h += 5) {
      if (strncmp(h, "href=\"#", 7) != 0) fail_msg("link out: %s", tag);
      hrefs++;
    }
    for (const char *u = tag; (u = strstr(u, "url(")) != NULL; u += 4)
      if (strncmp(u, "url(#", 5) != 0) fail_msg("url in tag: %s", tag);
    free(tag);
  }
  assert_true(tags > 100);
  assert_true(hrefs >= 4);
  const char *css = strstr(page, "<style>");
  assert_non_null(css);
  const char *css_end = strstr(css, "</style>");
  for (const char *u = css; (u = strstr(u, "url(")) != NULL && u < css_end;
       u += 4)
    assert_memory_equal(u, "url(#", 5);
  assert_null(strstr(page, "@import"));
  /* The URL in the hostile label is there as text only. */
  assert_non_null(strstr(page, "https://example.org/x"));
  assert_non_null(strstr(page, "content=\"default-src 'none'"));
  free(page);
  fixture_clear(&f);
}

static void test_report_has_the_sections(void **state) {
  (void)state;
  fixture f;
  fixture_init(&f, NULL);
  char *page = render(&f.in, NULL);
  static const char *const want[] = {
      "id=\"findings\"",
      "id=\"target-1\"",
      "id=\"target-2\"",
      "id=\"records\"",
      "id=\"displacement\"",
      "id=\"method\"",
      "id=\"provenance\"",
      "What this analysis does not show",
      "Association, not intent",
      "Simulated records",
      "<div class=\"finding pos\">Within each region, after 2024-10-07 the "
      "odds of a placement going to <b>sanctuary=yes</b> regions <b>rose by "
      "a factor of 1.35</b> (95% interval 1.28 to 1.42), p &lt; 0.001",
      "A fake event on 2024-05-20, before the real one, shows no change "
      "(factor 1.01, p = 0.620)",
      "<b>Level, for context:</b> releases into <b>sanctuary=yes</b> regions "
      "exceeded",
      "(95% CI 0.33 to 0.53), p &lt; 0.001 (Holm-adjusted across 2 targets)",
      "<div class=\"finding\">Within each region, no change was found in "
      "the pull of <b>party=D</b> regions over the records' span; at the "
      "likeliest date, the week of 2025-02-03, the factor on the odds is "
      "1.05 (95% interval 0.98 to 1.13), p = 0.440 for any change, allowing "
      "for the search over 71 weeks.",
      "releases into <b>party=D</b> regions were in line with what ties and "
      "distance predict",
      "class=\"chart\"",
      "change 2024-10-07",
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      "seed 42",
      "200,210",
      "<code>ties_km</code>",
      "not recorded",
      "No region geometry was given",
      "and 18,214 more in flagged.csv"};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    if (!strstr(page, want[i])) fail_msg("missing: %s", want[i]);
  free(page);
  fixture_clear(&f);
}

static void test_report_small_numbers_shown_as_such(void **state) {
  (void)state;
  fixture f;
  fixture_init(&f, NULL);
  sw_regions *g = NULL;
  sw_error err;
  const char *gj = tu_temp_text(THREE_REGIONS, ".geojson");
  assert_int_equal(sw_regions_read(gj, NULL, &g, &err), SW_OK);
  f.in.regions = g;
  char *page = render(&f.in, NULL);
  /* Facility TINY: 3 records, 2 into the target. */
  assert_non_null(strstr(page,
                         "<td>TINY</td><td class=\"n\">fewer than 10</td>"
                         "<td class=\"n\">fewer than 10</td>"
                         "<td class=\"n\"><span class=\"few\">too few</span>"));
  /* The hostile-named region has 4 people: hatched, no figures. */
  assert_non_null(strstr(page, "<path class=\"sm\""));
  assert_non_null(strstr(page, "&lt;script&gt;alert(1)&lt;/script&gt;: fewer "
                               "than 10 people released or expected"));
  /* The second event has 8 records before: no share. */
  assert_non_null(strstr(page,
                         "<td class=\"n\">fewer than 10</td><td class=\"n\">"
                         "<span class=\"few\">too few</span>"));
  /* The first week (7 records) is grey and says so. */
  assert_non_null(strstr(page, "week of 2024-01-01: fewer than 10 people"));
  /* Puerto Rico lies outside the insets. */
  assert_non_null(strstr(page, "1 region lies outside the lower 48"));
  assert_non_null(strstr(page, "<path class=\"c6\""));
  free(page);
  sw_regions_free(g);
  fixture_clear(&f);
}

static void test_report_is_byte_identical(void **state) {
  (void)state;
  fixture f;
  fixture_init(&f, NULL);
  size_t n1, n2;
  char *a = render(&f.in, &n1);
  char *b = render(&f.in, &n2);
  assert_int_equal(n1, n2);
  assert_memory_equal(a, b, n1);
  free(b);
  /* Where a locale with a decimal comma is installed, it changes nothing. */
  static const char *const comma[] = {"de_DE.UTF-8", "fr_FR.UTF-8", "de_DE"};
  for (size_t i = 0; i < 3; i++) {
    if (!setlocale(LC_NUMERIC, comma[i])) continue;
    b = render(&f.in, &n2);
    setlocale(LC_NUMERIC, "C");
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1);
    free(b);
    break;
  }
  free(a);
  fixture_clear(&f);
}

/* Odd but possible inputs: the last representable weeks, a span of a
 * century, infinite and NaN figures, a change point outside the series.
 * The page is still written, with the values it can show. */
static void test_report_charts_take_extremes(void **state) {
  (void)state;
  fixture f;
  fixture_init(&f, NULL);
  sw_report_target *t = &f.target[0];
  sw_report_week w[3] = {{day("1950-01-02"), 50, 20, 10.0},
                         {day("2049-12-27"), 50, 20, NAN},
                         {day("9999-12-27"), 50, 20, 1e300}};
  t->weeks = w;
  t->n_weeks = 3;
  sw_report_period p[2] = {
      {day("1950-01-01"), day("2000-01-01"), INFINITY, 0, 1, 100, NULL},
      {day("2000-01-01"), day("9999-12-31"), 1e300, -1e300, 1e300, 100, NULL}};
  t->periods = p;
  t->n_periods = 2;
  sw_report_change c = {day("1900-01-01"), day("1899-01-01"),
                        day("1901-01-01")};
  t->changes = &c;
  t->excess_releases = NAN;
  size_t n;
  char *page = render(&f.in, &n);
  assert_true(n > 1000);
  assert_non_null(strstr(page, "week of 9999-12-27"));
  assert_non_null(strstr(page, "</html>"));
  free(page);
  /* A century of weeks: ticks every 24 months or more, labelled by year. */
  sw_report_week *many = calloc(5300, sizeof *many);
  assert_non_null(many);
  for (int i = 0; i < 5300; i++)
    many[i] = (sw_report_week){day("1925-01-05") + 7 * i, 100, 30, 28.5};
  t->weeks = many;
  t->n_weeks = 5300;
  t->n_periods = 0;
  t->n_changes = 0;
  page = render(&f.in, &n);
  assert_non_null(strstr(page, ">1940</text>"));
  assert_null(strstr(page, ">Jan 1940</text>"));
  free(page);
  free(many);
  fixture_clear(&f);
}

static void test_report_numbers_ignore_locale_and_round(void **state) {
  (void)state;
  char buf[64];
  sw__fmt_num(buf, 1234567.891, 2, true);
  assert_string_equal(buf, "1,234,567.89");
  sw__fmt_num(buf, -0.004, 2, false);
  assert_string_equal(buf, "0.00");
  sw__fmt_num(buf, -12.5, 1, false);
  assert_string_equal(buf, "\xe2\x88\x92"
                           "12.5");
  sw__fmt_num(buf, 999.96, 1, true);
  assert_string_equal(buf, "1,000.0");
  sw__fmt_num(buf, NAN, 3, false);
  assert_string_equal(buf, "n/a");
  sw_html h = {{0}, false};
  sw__html_p(&h, 0.0004);
  sw__html_raw(&h, "|");
  sw__html_p(&h, 0.0312);
  sw__html_raw(&h, "|");
  sw__html_people(&h, 9);
  sw__html_raw(&h, "|");
  sw__html_people(&h, 10);
  sw__html_raw(&h, "|");
  sw__html_people(&h, 0);
  assert_string_equal(h.b.data, "p &lt; 0.001|p = 0.031|fewer than 10|10|0");
  sw__buf_free(&h.b);
}

static void test_report_write_failure_is_reported(void **state) {
  (void)state;
  fixture f;
  fixture_init(&f, NULL);
  sw_error err;
  assert_int_equal(
      sw__report_write(&f.in, "/nonexistent-dir/report.html", &err),
      SW_E_CREATE);
  assert_string_equal(err.file, "/nonexistent-dir/report.html");
  assert_int_equal(sw__report_write(NULL, "x", &err), SW_E_USAGE);
  fixture_clear(&f);
}

static void test_report_out_of_memory(void **state) {
  (void)state;
  fixture f;
  fixture_init(&f, NULL);
  sw_regions *g = NULL;
  sw_error err;
  const char *gj = tu_temp_text(THREE_REGIONS, ".geojson");
  assert_int_equal(sw_regions_read(gj, NULL, &g, &err), SW_OK);
  f.in.regions = g;
  const char *path = tu_temp_text("", ".html");
  sw__alloc_fail_at(0);
  assert_int_equal(sw__report_write(&f.in, path, &err), SW_OK);
  uint64_t n = sw__alloc_fail_at(0);
  assert_true(n > 0);
  for (uint64_t k = 1; k <= n; k++) {
    sw__alloc_fail_at(k);
    sw_status s = sw__report_write(&f.in, path, &err);
    sw__alloc_fail_at(0);
    if (s != SW_E_NOMEM)
      fail_msg("allocation %llu of %llu: status %d, %s", (unsigned long long)k,
               (unsigned long long)n, (int)s, err.message);
  }
  sw_regions_free(g);
  fixture_clear(&f);
}

/* Reference values from d3-geo 3.1 (npm), d3.geoAlbersUsa() with its
 * defaults, printed by node; the last two are null there (outside every
 * inset). */
static void test_albers_matches_d3(void **state) {
  (void)state;
  static const struct {
    double lon, lat, x, y;
    sw_albers_part part;
  } ref[] = {
      {-96, 37.5, 488.6603563203512, 272.6570873851242, SW_ALBERS_L48},
      {-122.4194, 37.7749, 107.42689983179525, 214.14309852394865,
       SW_ALBERS_L48},
      {-74.006, 40.7128, 794.5954450548626, 176.53258338778596, SW_ALBERS_L48},
      {-80.19, 25.76, 755.9622778761034, 470.2325823020949, SW_ALBERS_L48},
      {-149.9, 61.22, 171.16312940682022, 446.9316317975319, SW_ALBERS_ALASKA},
      {-176.6, 51.88, 68.42389292402409, 492.99260833481713, SW_ALBERS_ALASKA},
      {179.0, 51.5, 50.836099410038756, 488.75327271323965, SW_ALBERS_ALASKA},
      {-157.86, 21.31, 298.44898072875196, 450.9298708116952, SW_ALBERS_HAWAII},
      {-155.5, 19.6, 339.98244867785814, 482.6569464497551, SW_ALBERS_HAWAII},
  };
  for (size_t i = 0; i < sizeof ref / sizeof ref[0]; i++) {
    sw_albers_part p = sw__albers_part(ref[i].lon, ref[i].lat);
    assert_int_equal(p, ref[i].part);
    double x, y;
    sw__albers_project(p, ref[i].lon, ref[i].lat, &x, &y);
    if (fabs(x - ref[i].x) > 1e-6 || fabs(y - ref[i].y) > 1e-6)
      fail_msg("(%g, %g): got (%.9f, %.9f), d3 (%.9f, %.9f)", ref[i].lon,
               ref[i].lat, x, y, ref[i].x, ref[i].y);
  }
  assert_int_equal(sw__albers_part(-66.1, 18.45), SW_ALBERS_NONE); /* PR */
  assert_int_equal(sw__albers_part(144.8, 13.4), SW_ALBERS_NONE);  /* Guam */
}

/* The real county map: under 2 MB, every state's counties drawn. */
static void test_report_county_map_size(void **state) {
  (void)state;
  sw_regions *g = counties();
  fixture f;
  fixture_init(&f, g);
  size_t n;
  char *page = render(&f.in, &n);
  assert_true(n < 2u * 1000 * 1000);
  size_t paths = 0;
  for (const char *p = page; (p = strstr(p, "<path class=\"")) != NULL; p++)
    paths++;
  /* Two maps; the territories (about 80 regions) are left out. */
  assert_true(paths > 2 * 3100);
  assert_true(paths < 2 * sw_regions_count(g));
  free(page);
  fixture_clear(&f);
  sw_regions_free(g);
}

static void test_report_writes_fixture_for_browser(void **state) {
  (void)state;
  const char *out = getenv("SW_REPORT_FIXTURE");
  if (!out || !*out) skip();
  /* SW_REPORT_FIXTURE_REGIONS: other geometry (e.g. districts) to look at. */
  const char *geo = getenv("SW_REPORT_FIXTURE_REGIONS");
  sw_regions *g = NULL;
  if (geo && *geo) {
    sw_error gerr;
    assert_int_equal(sw_regions_read(geo, NULL, &g, &gerr), SW_OK);
  } else {
    g = counties();
  }
  fixture f;
  fixture_init(&f, g);
  sw_error err;
  assert_int_equal(sw__report_write(&f.in, out, &err), SW_OK);
  fixture_clear(&f);
  sw_regions_free(g);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_report_escapes_hostile_strings),
      cmocka_unit_test(test_report_escape_function),
      cmocka_unit_test(test_report_loads_nothing),
      cmocka_unit_test(test_report_has_the_sections),
      cmocka_unit_test(test_report_small_numbers_shown_as_such),
      cmocka_unit_test(test_report_is_byte_identical),
      cmocka_unit_test(test_report_charts_take_extremes),
      cmocka_unit_test(test_report_numbers_ignore_locale_and_round),
      cmocka_unit_test(test_report_write_failure_is_reported),
      cmocka_unit_test(test_report_out_of_memory),
      cmocka_unit_test(test_albers_matches_d3),
      cmocka_unit_test(test_report_county_map_size),
      cmocka_unit_test(test_report_writes_fixture_for_browser),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
