/*
 * test_shapefile.c — the Shapefile region reader. Each test writes its own
 * tiny shapefile with shapelib's writer into a temporary directory: rings
 * by orientation, id field rules, missing and damaged files.
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <shapefil.h>

#include "alloc.h"
#include "testutil.h"

#define assert_near(a, b, eps)                                                 \
  do {                                                                         \
    double a_ = (a), b_ = (b);                                                 \
    if (!(fabs(a_ - b_) <= (eps)))                                             \
      fail_msg("%s = %.17g, expected %.17g within %g", #a, a_, b_,             \
               (double)(eps));                                                 \
  } while (0)

/* A shapefile being written: every field of a record gets the value
 * "<field>-<id>", so a test can tell which field the reader chose; an
 * integer field gets atoi(id). */
typedef struct writer {
  char base[256];
  SHPHandle shp;
  DBFHandle dbf;
  int type, n_fields;
  DBFFieldType field_type[4];
  char field[4][12];
} writer;

static char dir[64];
static char shp_path[300];

static void w_open(writer *w, int type, const char *const *fields,
                   const DBFFieldType *types) {
  static int seq;
  if (!dir[0]) {
    snprintf(dir, sizeof dir, "/tmp/sw_shp_XXXXXX");
    assert_non_null(mkdtemp(dir));
  }
  memset(w, 0, sizeof *w);
  snprintf(w->base, sizeof w->base, "%s/t%d", dir, seq++);
  w->type = type;
  w->shp = SHPCreate(w->base, type);
  w->dbf = DBFCreate(w->base);
  assert_non_null(w->shp);
  assert_non_null(w->dbf);
  for (; fields && fields[w->n_fields]; w->n_fields++) {
    int i = w->n_fields;
    w->field_type[i] = types ? types[i] : FTString;
    snprintf(w->field[i], sizeof w->field[i], "%s", fields[i]);
    assert_int_equal(DBFAddField(w->dbf, fields[i], w->field_type[i],
                                 w->field_type[i] == FTString ? 20 : 10, 0),
                     i);
  }
}

/* Add a shape of n_parts rings (starts[] into xy, n points) and its id. */
static void w_add(writer *w, int n_parts, const int *starts, int n,
                  const double *xy, const char *id) {
  double x[64], y[64], z[64] = {0};
  for (int i = 0; i < n; i++) {
    x[i] = xy[2 * i];
    y[i] = xy[2 * i + 1];
  }
  int type = n ? w->type : SHPT_NULL;
  SHPObject *o = SHPCreateObject(type, -1, n_parts, starts, NULL, n, x, y,
                                 w->type == SHPT_POLYGONZ ? z : NULL, NULL);
  int rec = SHPWriteObject(w->shp, -1, o);
  SHPDestroyObject(o);
  assert_true(rec >= 0);
  for (int i = 0; i < w->n_fields; i++) {
    char v[64];
    snprintf(v, sizeof v, "%s-%s", w->field[i], id);
    if (w->field_type[i] == FTInteger)
      DBFWriteIntegerAttribute(w->dbf, rec, i, atoi(id));
    else
      DBFWriteStringAttribute(w->dbf, rec, i, v);
  }
}

static const char *w_close(writer *w) {
  SHPClose(w->shp);
  DBFClose(w->dbf);
  snprintf(shp_path, sizeof shp_path, "%s.shp", w->base);
  return shp_path;
}

static int remove_dir(void **state) {
  (void)state;
  if (!dir[0]) return 0;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

static const char *const ID_FIELD[] = {"id", NULL};

/* Clockwise 10x10 exterior, counter-clockwise 2x2 hole at (1..3, 1..3). */
static const double SQUARE_HOLE[] = {0, 0, 0, 10, 10, 10, 10, 0, 0, 0,
                                     1, 1, 3, 1,  3,  3,  1,  3, 1, 1};
static const int TWO_PARTS[] = {0, 5};

static sw_regions *read_ok(const char *path, const sw_regions_opts *opts) {
  sw_regions *g = NULL;
  sw_error e;
  sw_status st = sw_regions_read(path, opts, &g, &e);
  if (st != SW_OK) fail_msg("read failed: %s (%s)", e.message, e.file);
  return g;
}

static void test_shapefile_square_with_hole_by_orientation(void **state) {
  (void)state;
  writer w;
  w_open(&w, SHPT_POLYGON, ID_FIELD, NULL);
  w_add(&w, 2, TWO_PARTS, 10, SQUARE_HOLE, "A");
  sw_regions *g = read_ok(w_close(&w), NULL);
  assert_int_equal(sw_regions_count(g), 1);
  assert_string_equal(sw_regions_id(g, 0), "id-A");
  assert_int_equal(sw_regions_n_rings(g, 0), 2);
  bool hole;
  sw_regions_ring(g, 0, 0, NULL, &hole);
  assert_false(hole);
  sw_regions_ring(g, 0, 1, NULL, &hole);
  assert_true(hole);
  sw_point c = sw_regions_centroid(g, 0);
  assert_near(c.lon_deg, 492.0 / 96, 1e-12);
  assert_near(c.lat_deg, 492.0 / 96, 1e-12);
  sw_regions_free(g);
}

static void test_shapefile_wrongly_wound_shape_is_rewound(void **state) {
  (void)state;
  /* Both rings counter-clockwise: no exterior by the rule, so the reader
   * falls back to containment. */
  const double ccw[] = {0, 0, 10, 0, 10, 10, 0, 10, 0, 0,
                        1, 1, 3,  1, 3,  3,  1, 3,  1, 1};
  writer w;
  w_open(&w, SHPT_POLYGON, ID_FIELD, NULL);
  w_add(&w, 2, TWO_PARTS, 10, ccw, "B");
  sw_regions *g = read_ok(w_close(&w), NULL);
  bool hole0, hole1;
  sw_regions_ring(g, 0, 0, NULL, &hole0);
  sw_regions_ring(g, 0, 1, NULL, &hole1);
  assert_false(hole0);
  assert_true(hole1);
  assert_near(sw_regions_centroid(g, 0).lon_deg, 492.0 / 96, 1e-12);
  sw_regions_free(g);
}

static void
test_shapefile_polygonz_multipart_nulls_and_duplicates(void **state) {
  (void)state;
  const double two[] = {0,  0, 0,  1, 1,  1, 1,  0, 0,  0,
                        10, 0, 10, 1, 13, 1, 13, 0, 10, 0};
  const double deg[] = {5, 5, 5, 5, 6, 6, 5, 5};
  const int one[] = {0};
  writer w;
  w_open(&w, SHPT_POLYGONZ, ID_FIELD, NULL);
  w_add(&w, 2, TWO_PARTS, 10, two, "M");
  w_add(&w, 0, NULL, 0, NULL, "null");
  w_add(&w, 1, one, 4, deg, "degenerate");
  w_add(&w, 1, one, 5, SQUARE_HOLE, "M");
  sw_regions *g = read_ok(w_close(&w), NULL);
  assert_int_equal(sw_regions_count(g), 1);
  assert_string_equal(sw_regions_id(g, 0), "id-M");
  assert_int_equal(sw_regions_n_rings(g, 0), 3);
  assert_int_equal(sw_regions_n_skipped(g), 2);
  sw_regions_free(g);
}

static void test_shapefile_id_field_rules(void **state) {
  (void)state;
  const int one[] = {0};
  const char *const geoid[] = {"name", "GEOID", NULL};
  const char *const plain[] = {"name", "code", NULL};
  writer w;
  w_open(&w, SHPT_POLYGON, geoid, NULL);
  w_add(&w, 1, one, 5, SQUARE_HOLE, "a");
  sw_regions *g = read_ok(w_close(&w), NULL);
  assert_string_equal(sw_regions_id(g, 0), "GEOID-a");
  sw_regions_free(g);
  w_open(&w, SHPT_POLYGON, plain, NULL);
  w_add(&w, 1, one, 5, SQUARE_HOLE, "a");
  const char *path = w_close(&w);
  g = read_ok(path, NULL);
  assert_string_equal(sw_regions_id(g, 0), "name-a");
  sw_regions_free(g);
  sw_regions_opts o = {.id_property = "CODE"};
  g = read_ok(path, &o);
  assert_string_equal(sw_regions_id(g, 0), "code-a");
  sw_regions_free(g);
  o.id_property = "fips";
  sw_error e;
  assert_int_equal(sw_regions_read(path, &o, &g, &e), SW_E_SCHEMA);
  assert_null(g);
  assert_non_null(strstr(e.message, "no field \"fips\""));
  assert_non_null(strstr(e.message, "name, code"));
  /* A numeric field gives the number's text, as the JSON readers do. */
  const char *const fips[] = {"fips", NULL};
  const DBFFieldType integer[] = {FTInteger};
  w_open(&w, SHPT_POLYGON, fips, integer);
  w_add(&w, 1, one, 5, SQUARE_HOLE, "6075");
  g = read_ok(w_close(&w), NULL);
  assert_string_equal(sw_regions_id(g, 0), "6075");
  sw_regions_free(g);
}

static void test_shapefile_missing_dbf_names_it(void **state) {
  (void)state;
  writer w;
  w_open(&w, SHPT_POLYGON, ID_FIELD, NULL);
  w_add(&w, 1, TWO_PARTS, 5, SQUARE_HOLE, "A");
  const char *path = w_close(&w);
  char dbf[300];
  snprintf(dbf, sizeof dbf, "%s.dbf", w.base);
  assert_int_equal(unlink(dbf), 0);
  sw_regions *g;
  sw_error e;
  assert_int_equal(sw_regions_read(path, NULL, &g, &e), SW_E_OPEN);
  assert_null(g);
  assert_string_equal(e.file, dbf);
  assert_non_null(strstr(e.message, ".dbf"));
  assert_int_equal(sw_regions_read("/nonexistent/x.shp", NULL, &g, &e),
                   SW_E_OPEN);
  assert_string_equal(e.file, "/nonexistent/x.shp");
}

static void test_shapefile_points_are_a_schema_error(void **state) {
  (void)state;
  writer w;
  w_open(&w, SHPT_POINT, ID_FIELD, NULL);
  const int one[] = {0};
  w_add(&w, 1, one, 1, SQUARE_HOLE, "P");
  sw_regions *g;
  sw_error e;
  assert_int_equal(sw_regions_read(w_close(&w), NULL, &g, &e), SW_E_SCHEMA);
  assert_non_null(strstr(e.message, "not polygons"));
}

/* Write a good two-shape file and return its base; the caller damages it. */
static const char *good_file(writer *w) {
  w_open(w, SHPT_POLYGON, ID_FIELD, NULL);
  w_add(w, 2, TWO_PARTS, 10, SQUARE_HOLE, "A");
  w_add(w, 2, TWO_PARTS, 10, SQUARE_HOLE, "B");
  return w_close(w);
}

static void patch(const char *path, long at, const void *bytes, size_t n) {
  FILE *f = fopen(path, "r+b");
  assert_non_null(f);
  assert_int_equal(fseek(f, at, SEEK_SET), 0);
  assert_int_equal(fwrite(bytes, 1, n, f), n);
  fclose(f);
}

static void test_shapefile_truncated_or_lying_files_fail_cleanly(void **state) {
  (void)state;
  writer w;
  sw_regions *g;
  sw_error e;
  /* The .shp cut inside the second record. */
  const char *path = good_file(&w);
  assert_int_equal(truncate(path, 100 + 220 + 100), 0); /* records: 220 B */
  assert_int_equal(sw_regions_read(path, NULL, &g, &e), SW_E_PARSE);
  assert_null(g);
  assert_non_null(strstr(e.message, "record 1"));
  assert_non_null(strstr(e.file, ".shp"));
  assert_true(e.byte > 100);
  /* The .shp cut inside its header. */
  path = good_file(&w);
  assert_int_equal(truncate(path, 60), 0);
  assert_int_equal(sw_regions_read(path, NULL, &g, &e), SW_E_PARSE);
  /* The .shx claims a huge first record. */
  path = good_file(&w);
  char shx[300];
  snprintf(shx, sizeof shx, "%s.shx", w.base);
  const unsigned char huge[4] = {0x7f, 0xff, 0xff, 0xf0};
  patch(shx, 100 + 4, huge, 4);
  assert_int_equal(sw_regions_read(path, NULL, &g, &e), SW_E_PARSE);
  assert_non_null(strstr(e.message, "shx"));
  /* The first record claims a huge number of parts and points. */
  path = good_file(&w);
  const unsigned char big_le[4] = {0xf0, 0xff, 0xff, 0x7f};
  patch(path, 100 + 8 + 36, big_le, 4);
  patch(path, 100 + 8 + 40, big_le, 4);
  assert_int_equal(sw_regions_read(path, NULL, &g, &e), SW_E_PARSE);
  /* A part start beyond the points. */
  path = good_file(&w);
  const unsigned char far_le[4] = {50, 0, 0, 0};
  patch(path, 100 + 8 + 44 + 4, far_le, 4);
  assert_int_equal(sw_regions_read(path, NULL, &g, &e), SW_E_PARSE);
  /* A .dbf with fewer records than shapes. */
  path = good_file(&w);
  char dbf[300];
  snprintf(dbf, sizeof dbf, "%s.dbf", w.base);
  const unsigned char one_le[4] = {1, 0, 0, 0};
  patch(dbf, 4, one_le, 4);
  assert_int_equal(sw_regions_read(path, NULL, &g, &e), SW_E_PARSE);
  assert_non_null(strstr(e.message, "1 records for 2 shapes"));
}

/* Ids reach results.json, CSV and the report page: a DBF id that is not
 * UTF-8 (a Latin-1 file, say) is an error naming the record and field. A
 * shape whose points are NaN is skipped with a note saying which. */
static void test_shapefile_bad_ids_and_nan_shapes(void **state) {
  (void)state;
  const int one[] = {0};
  writer w;
  w_open(&w, SHPT_POLYGON, ID_FIELD, NULL);
  w_add(&w, 1, one, 5, SQUARE_HOLE, "ok");
  w_add(&w, 1, one, 5, SQUARE_HOLE,
        "Do\xf1"
        "a Ana");
  sw_regions *g;
  sw_error e;
  assert_int_equal(sw_regions_read(w_close(&w), NULL, &g, &e), SW_E_PARSE);
  assert_null(g);
  assert_non_null(strstr(e.message, "record 1: region id is not UTF-8"));
  assert_string_equal(e.column, "id");
  assert_non_null(strstr(e.file, ".dbf"));

  const double nan_square[] = {NAN, NAN, NAN, 1, 1, NAN, NAN, NAN, NAN, NAN};
  w_open(&w, SHPT_POLYGON, ID_FIELD, NULL);
  w_add(&w, 1, one, 5, nan_square, "nan");
  w_add(&w, 1, one, 5, SQUARE_HOLE, "ok");
  g = read_ok(w_close(&w), NULL);
  assert_int_equal(sw_regions_count(g), 1);
  assert_int_equal(sw_regions_n_skipped(g), 1);
  assert_string_equal(sw_regions_skip_note(g, 0),
                      "feature 0 (id \"id-nan\"): no ring with 3 distinct, "
                      "finite points and an area");
  sw_regions_free(g);
}

static void test_shapefile_each_allocation_failure_is_nomem(void **state) {
  (void)state;
  writer w;
  const char *path = good_file(&w);
  sw_regions *g;
  sw_error e;
  sw__alloc_fail_at(0);
  assert_int_equal(sw_regions_read(path, NULL, &g, &e), SW_OK);
  uint64_t total = sw__alloc_fail_at(0);
  sw_regions_free(g);
  assert_true(total > 5);
  for (uint64_t k = 1; k <= total; k++) {
    sw__alloc_fail_at(k);
    sw_status st = sw_regions_read(path, NULL, &g, &e);
    sw__alloc_fail_at(0);
    assert_int_equal(st, SW_E_NOMEM);
    assert_null(g);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_shapefile_square_with_hole_by_orientation),
      cmocka_unit_test(test_shapefile_wrongly_wound_shape_is_rewound),
      cmocka_unit_test(test_shapefile_polygonz_multipart_nulls_and_duplicates),
      cmocka_unit_test(test_shapefile_id_field_rules),
      cmocka_unit_test(test_shapefile_missing_dbf_names_it),
      cmocka_unit_test(test_shapefile_points_are_a_schema_error),
      cmocka_unit_test(test_shapefile_truncated_or_lying_files_fail_cleanly),
      cmocka_unit_test(test_shapefile_bad_ids_and_nan_shapes),
      cmocka_unit_test(test_shapefile_each_allocation_failure_is_nomem),
  };
  return cmocka_run_group_tests(tests, NULL, remove_dir);
}
