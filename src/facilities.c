/*
 * facilities.c — reading a facility list (see facilities.h): a code ->
 * place table that the records reader consults for rows that locate the
 * person by facility code rather than by coordinates.
 */
#include "facilities.h"

#include <math.h>
#include <string.h>

#include "alloc.h"
#include "csv.h"
#include "err.h"
#include "number.h"
#include "strmap.h"

struct sw_facilities {
  sw_strmap *codes; /* code -> index */
  sw_point *place;  /* NaN when the list gives none */
  uint64_t *line;   /* where each was listed */
  size_t n, cap;
  char *path;
};

void sw__facilities_free(sw_facilities *f) {
  if (!f) return;
  sw__strmap_free(f->codes);
  sw__free(f->place);
  sw__free(f->line);
  sw__free(f->path);
  sw__free(f);
}

size_t sw__facilities_count(const sw_facilities *f) { return f->n; }
const char *sw__facilities_path(const sw_facilities *f) { return f->path; }

static void trim(const char **s, size_t *len) {
  while (*len && **s == ' ')
    (*s)++, (*len)--;
  while (*len && (*s)[*len - 1] == ' ')
    (*len)--;
}

int sw__facilities_find(const sw_facilities *f, const char *code, size_t len,
                        sw_point *p) {
  size_t i;
  trim(&code, &len);
  if (!sw__strmap_get(f->codes, code, len, &i)) return SW_FAC_UNKNOWN;
  *p = f->place[i];
  return isnan(p->lat_deg) ? SW_FAC_NO_PLACE : SW_FAC_FOUND;
}

static long find_any(const sw_csv *c, const char *const *names) {
  for (; *names; names++) {
    long k = sw__csv_find(c, *names);
    if (k >= 0) return k;
  }
  return -1;
}

/* A coordinate: SW_OK with NaN when empty. */
static sw_status coord(sw_csv *c, long col, const char *name, double lim,
                       double *v, sw_error *err) {
  size_t len;
  const char *s = sw__csv_field(c, (size_t)col, &len);
  trim(&s, &len);
  *v = NAN;
  if (!len) return SW_OK;
  char tmp[64];
  if (len < sizeof tmp) { /* the trimmed field, NUL-terminated */
    memcpy(tmp, s, len);
    tmp[len] = '\0';
  }
  if (len >= sizeof tmp || !sw__parse_number(tmp, len, v) || fabs(*v) > lim) {
    char q[96];
    sw__quote(q, sizeof q, s, len, 64);
    sw__err(err, SW_E_PARSE, "%s: %s",
            fabs(*v) > lim ? "out of range" : "not a number", q);
    sw__err_at(err, sw__csv_path(c), sw__csv_line(c), name, sw__csv_byte(c));
    return SW_E_PARSE;
  }
  return SW_OK;
}

/* The list being read and the columns of its header. */
typedef struct facilities_read {
  sw_facilities *f;
  long col[3];
} facilities_read;

static sw_status add_row(void *user, sw_csv *c, sw_error *err) {
  sw_facilities *f = ((facilities_read *)user)->f;
  const long *col = ((facilities_read *)user)->col;
  size_t len;
  const char *code = sw__csv_field(c, (size_t)col[0], &len);
  trim(&code, &len);
  if (!len) return SW_OK;
  sw_point p;
  sw_status st;
  if ((st = coord(c, col[1], "lat", 90, &p.lat_deg, err)) ||
      (st = coord(c, col[2], "lon", 180, &p.lon_deg, err)))
    return st;
  if (isnan(p.lat_deg) != isnan(p.lon_deg)) {
    sw__err(err, SW_E_PARSE, "empty, but the other coordinate is given");
    sw__err_at(err, sw__csv_path(c), sw__csv_line(c),
               isnan(p.lat_deg) ? "lat" : "lon", sw__csv_byte(c));
    return SW_E_PARSE;
  }
  size_t prev;
  int put = sw__strmap_put(f->codes, code, len, f->n, &prev, NULL);
  if (put < 0) return sw__err(err, SW_E_NOMEM, "out of memory");
  if (put == 0) {
    sw_point q = f->place[prev];
    bool same = (isnan(p.lat_deg) && isnan(q.lat_deg)) ||
                (p.lat_deg == q.lat_deg && p.lon_deg == q.lon_deg);
    if (same) return SW_OK;
    char qc[96];
    sw__quote(qc, sizeof qc, code, len, 64);
    sw__err(err, SW_E_SCHEMA,
            "facility %s listed twice at different places (first on line "
            "%llu)",
            qc, (unsigned long long)f->line[prev]);
    sw__err_at(err, sw__csv_path(c), sw__csv_line(c), "code", sw__csv_byte(c));
    return SW_E_SCHEMA;
  }
  if (f->n == f->cap) {
    void *a = f->place, *b = f->line;
    size_t ca = f->cap, cb = f->cap;
    if (!sw__grow(&a, &ca, f->n + 1, sizeof *f->place))
      return sw__err(err, SW_E_NOMEM, "out of memory");
    f->place = a;
    if (!sw__grow(&b, &cb, f->n + 1, sizeof *f->line))
      return sw__err(err, SW_E_NOMEM, "out of memory");
    f->line = b;
    f->cap = ca < cb ? ca : cb;
  }
  f->place[f->n] = p;
  f->line[f->n] = sw__csv_line(c);
  f->n++;
  return SW_OK;
}

sw_status sw__facilities_read(const char *path, const char *encoding,
                              sw_facilities **out, sw_error *err) {
  *out = NULL;
  sw_facilities *f = sw__calloc(1, sizeof *f);
  if (!f || !(f->codes = sw__strmap_new()) || !(f->path = sw__strdup(path))) {
    sw__facilities_free(f);
    return sw__err(err, SW_E_NOMEM, "out of memory");
  }
  sw_csv_opts co = {0};
  co.encoding = encoding;
  sw_csv *c = NULL;
  sw_status st = sw__csv_open(path, &co, &c, err);
  if (!st) st = sw__csv_header(c, err);
  facilities_read r = {.f = f, .col = {-1, -1, -1}};
  long *col = r.col;
  if (!st) {
    static const char *const code_names[] = {"code", "facility",
                                             "facility_code", "detloc", NULL};
    static const char *const lat_names[] = {"lat", "latitude", NULL};
    static const char *const lon_names[] = {"lon", "longitude", "lng", NULL};
    col[0] = find_any(c, code_names);
    col[1] = find_any(c, lat_names);
    col[2] = find_any(c, lon_names);
    for (int k = 0; k < 3 && !st; k++) {
      if (col[k] >= 0) continue;
      static const char *const what[] = {"code", "lat", "lon"};
      st = sw__err(err, SW_E_SCHEMA,
                   "required column missing from the header of the facility "
                   "list (code, lat, lon[, name])");
      sw__err_at(err, sw__csv_path(c), sw__csv_line(c), what[k], 0);
    }
  }
  if (!st) st = sw__csv_each_row(c, sw__csv_n_fields(c), add_row, &r, err);
  sw__csv_close(c);
  if (st) {
    sw__facilities_free(f);
    return st;
  }
  *out = f;
  return SW_OK;
}
