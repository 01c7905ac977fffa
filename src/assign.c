/*
 * assign.c — `assign`: stream a CSV of points through the point-in-polygon
 * index and write it back with a `region` column appended.
 *
 * Sits on top of the CSV reader (csv.h) and the index (index.c). Every input
 * row comes out, in order, byte for byte, followed by the delimiter and the
 * region id; a row whose point is missing, not a number, out of range or
 * malformed gets an empty region and is reported to the caller's sink, so
 * `read = assigned + unassigned + invalid` always holds. Memory is bounded
 * by the longest row plus one output buffer, whatever the file size.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "csv.h"
#include "err.h"
#include "index.h"
#include "number.h"

/* Output is gathered and written in blocks of this size: one write call per
 * megabyte instead of one per row. */
#define OUT_BLOCK (1u << 20)

typedef struct writer {
  FILE *f;
  const char *path;
  sw_buf buf;
} writer;

static sw_status flush_out(writer *w, sw_error *err) {
  if (w->buf.len && fwrite(w->buf.data, 1, w->buf.len, w->f) != w->buf.len) {
    sw__err(err, SW_E_IO, "cannot write: %s", strerror(errno));
    sw__err_at(err, w->path, 0, NULL, 0);
    return SW_E_IO;
  }
  sw__buf_clear(&w->buf);
  return SW_OK;
}

/* Which columns hold the point: the caller's, else lat/lon, else
 * release_lat/release_lon. */
static sw_status find_columns(sw_csv *c, const sw_assign_opts *o,
                              const char *path, long *lat, long *lon,
                              const char **lat_name, const char **lon_name,
                              sw_error *err) {
  if (o->lat_column || o->lon_column) {
    *lat_name = o->lat_column ? o->lat_column : "lat";
    *lon_name = o->lon_column ? o->lon_column : "lon";
    *lat = sw__csv_find(c, *lat_name);
    *lon = sw__csv_find(c, *lon_name);
    if (*lat >= 0 && *lon >= 0) return SW_OK;
    const char *missing = *lat < 0 ? *lat_name : *lon_name;
    sw__err(err, SW_E_SCHEMA, "no column \"%s\" in the header", missing);
    sw__err_at(err, path, 1, missing, 0);
    return SW_E_SCHEMA;
  }
  static const char *pairs[2][2] = {{"lat", "lon"},
                                    {"release_lat", "release_lon"}};
  for (int k = 0; k < 2; k++) {
    *lat = sw__csv_find(c, pairs[k][0]);
    *lon = sw__csv_find(c, pairs[k][1]);
    *lat_name = pairs[k][0];
    *lon_name = pairs[k][1];
    if (*lat >= 0 && *lon >= 0) return SW_OK;
  }
  sw__err(err, SW_E_SCHEMA,
          "no point columns: the header needs lat and lon, or release_lat "
          "and release_lon (or name them with --lat/--lon)");
  sw__err_at(err, path, 1, NULL, 0);
  return SW_E_SCHEMA;
}

/* Read one coordinate of the current row; on failure fill reason. */
static bool coordinate(sw_csv *c, long col, double lo, double hi, double *v,
                       char *reason, size_t n) {
  if ((size_t)col >= sw__csv_n_fields(c)) {
    snprintf(reason, n, "missing: the row has %zu fields", sw__csv_n_fields(c));
    return false;
  }
  size_t len;
  const char *s = sw__csv_field(c, (size_t)col, &len);
  if (len == 0) {
    snprintf(reason, n, "empty");
    return false;
  }
  char q[96];
  if (!sw__parse_number(s, len, v)) {
    sw__quote(q, sizeof q, s, len, 64);
    snprintf(reason, n, "not a number: %s", q);
    return false;
  }
  if (*v < lo || *v > hi) {
    sw__quote(q, sizeof q, s, len, 64);
    snprintf(reason, n, "out of range %g..%g: %s", lo, hi, q);
    return false;
  }
  return true;
}

static sw_status run(const sw_index *ix, sw_csv *c, writer *w,
                     const sw_assign_opts *o, const char *in_path,
                     sw_assign_stats *st, sw_error *err) {
  bool got;
  sw_status s = sw__csv_next(c, &got, err);
  if (s != SW_OK) return s;
  if (!got) {
    sw__err(err, SW_E_SCHEMA, "empty file: no header row");
    sw__err_at(err, in_path, 0, NULL, 0);
    return SW_E_SCHEMA;
  }
  if (sw__csv_fault(c)) {
    sw__err(err, SW_E_PARSE, "malformed header: %s", sw__csv_fault(c));
    sw__err_at(err, in_path, sw__csv_line(c), NULL, 0);
    return SW_E_PARSE;
  }
  long lat_col, lon_col;
  const char *lat_name, *lon_name;
  s = find_columns(c, o, in_path, &lat_col, &lon_col, &lat_name, &lon_name,
                   err);
  if (s != SW_OK) return s;
  char delim = o->delimiter ? o->delimiter : ',';
  const sw_regions *g = sw__index_regions(ix);
  size_t raw_len;
  const char *raw = sw__csv_raw(c, &raw_len);
  if (!sw__buf_append(&w->buf, raw, raw_len) || !sw__buf_putc(&w->buf, delim) ||
      !sw__buf_append(&w->buf, "region\n", 7))
    return sw__err(err, SW_E_NOMEM, "out of memory writing output");
  char reason[160];
  for (;;) {
    s = sw__csv_next(c, &got, err);
    if (s != SW_OK) return s;
    if (!got) break;
    st->read++;
    raw = sw__csv_raw(c, &raw_len);
    if (!sw__buf_append(&w->buf, raw, raw_len) || !sw__buf_putc(&w->buf, delim))
      return sw__err(err, SW_E_NOMEM, "out of memory writing output");
    const char *bad_col = "";
    const char *fault = sw__csv_fault(c);
    double lat = 0, lon = 0;
    bool ok = false;
    if (fault) {
      snprintf(reason, sizeof reason, "%s", fault);
    } else if (!coordinate(c, lat_col, -90, 90, &lat, reason, sizeof reason)) {
      bad_col = lat_name;
    } else if (!coordinate(c, lon_col, -180, 180, &lon, reason,
                           sizeof reason)) {
      bad_col = lon_name;
    } else {
      ok = true;
    }
    if (ok) {
      bool on;
      size_t r = sw_index_locate(ix, (sw_point){lat, lon}, &on);
      if (r == SW_NO_REGION) {
        st->unassigned++;
      } else {
        const char *id = sw_regions_id(g, r);
        if (!sw__csv_put_field(&w->buf, id, strlen(id), delim))
          return sw__err(err, SW_E_NOMEM, "out of memory writing output");
        st->assigned++;
        if (on) st->on_boundary++;
      }
    } else {
      st->invalid++;
      if (o->on_invalid) {
        sw_reject rj = {.file = in_path,
                        .line = sw__csv_line(c),
                        .byte = sw__csv_byte(c),
                        .column = bad_col,
                        .reason = reason,
                        .raw = raw,
                        .raw_len = raw_len,
                        .input = SW_INPUT_POINTS};
        if (!o->on_invalid(o->invalid_user, &rj)) {
          sw__err(err, SW_E_USAGE, "stopped by caller");
          sw__err_at(err, in_path, sw__csv_line(c), NULL, sw__csv_byte(c));
          return SW_E_USAGE;
        }
      }
    }
    if (!sw__buf_putc(&w->buf, '\n'))
      return sw__err(err, SW_E_NOMEM, "out of memory writing output");
    if (w->buf.len >= OUT_BLOCK && (s = flush_out(w, err)) != SW_OK) return s;
  }
  return flush_out(w, err);
}

sw_status sw_assign_csv(const sw_index *ix, const char *in_path,
                        const char *out_path, const sw_assign_opts *opts,
                        sw_assign_stats *stats, sw_error *err) {
  static const sw_assign_opts defaults;
  const sw_assign_opts *o = opts ? opts : &defaults;
  sw_assign_stats st = {0};
  if (stats) *stats = st;
  if (!ix || !in_path || !out_path)
    return sw__err(err, SW_E_USAGE, "assign needs an index, input and output");
  sw_csv_opts co = {0};
  co.delimiter = o->delimiter;
  co.on_progress = o->on_progress;
  co.progress_user = o->progress_user;
  sw_csv *c;
  sw_status s = sw__csv_open(in_path, &co, &c, err);
  if (s != SW_OK) return s;
  /* Opening the output truncates it: refuse when it is the input itself. */
  struct stat si, so;
  if (stat(in_path, &si) == 0 && stat(out_path, &so) == 0 &&
      si.st_dev == so.st_dev && si.st_ino == so.st_ino && S_ISREG(si.st_mode)) {
    sw__csv_close(c);
    sw__err(err, SW_E_USAGE, "the output is the input file");
    sw__err_at(err, out_path, 0, NULL, 0);
    return SW_E_USAGE;
  }
  writer w = {NULL, out_path, {0}};
  w.f = fopen(out_path, "wb");
  if (!w.f) {
    sw__err(err, SW_E_CREATE, "cannot create: %s", strerror(errno));
    sw__err_at(err, out_path, 0, NULL, 0);
    sw__csv_close(c);
    return SW_E_CREATE;
  }
  s = run(ix, c, &w, o, in_path, &st, err);
  sw__csv_close(c);
  sw__buf_free(&w.buf);
  bool write_failed = ferror(w.f) != 0;
  if (fclose(w.f) != 0 || write_failed) {
    if (s == SW_OK) {
      s = sw__err(err, SW_E_IO, "cannot write: %s",
                  errno ? strerror(errno) : "I/O error");
      sw__err_at(err, out_path, 0, NULL, 0);
    }
  }
  if (stats) *stats = st;
  return s;
}
