/*
 * attrs.c — region attributes: time-bounded facts (`region,attribute,value
 * [,valid_from,valid_to]`) that define targets (`sanctuary=yes` on a date),
 * representative points (`lat`, `lon`) and model covariates.
 *
 * Rows are validated like records (bad ones go to the reject sink). Facts
 * are chained per (region, attribute) pair, newest row first, so a lookup
 * is three hash probes and a walk of a usually one-element chain, and the
 * first fact found that holds on the date is the one that appears last in
 * the file, as the header promises. Values that parse as numbers are
 * parsed once here, since the model asks for covariates per region often.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "attrs.h"
#include "buf.h"
#include "csv.h"
#include "table.h"
#include "err.h"
#include "number.h"
#include "strmap.h"

#define OPEN_FROM INT32_MIN /* valid_from empty: since always */
#define OPEN_TO INT32_MAX   /* valid_to empty: for ever */
#define NO_FACT SIZE_MAX

enum col { C_REGION, C_ATTR, C_VALUE, C_FROM, C_TO, N_COLS };

static const char *const col_name[N_COLS] = {"region", "attribute", "value",
                                             "valid_from", "valid_to"};

typedef struct fact {
  int32_t from, to; /* valid on from <= date < to */
  size_t value;     /* arena offset of the value */
  double number;    /* the value as a finite number, or NaN */
  size_t older;     /* the previous fact of the same pair, or NO_FACT */
} fact;

struct sw_attrs {
  sw_counts counts;
  sw_strmap *regions;  /* region id -> index in region */
  const char **region; /* ids in first-seen order, owned by regions */
  size_t n_regions, region_cap;
  sw_strmap *attributes; /* attribute name -> index */
  sw_strmap *pairs;      /* (region index, attribute index) -> newest fact */
  size_t *head;          /* newest fact of each pair */
  size_t n_pairs, pair_cap;
  fact *facts;
  size_t n_facts, fact_cap;
  sw_buf arena;
};

void sw_attrs_free(sw_attrs *a) {
  if (!a) return;
  sw__strmap_free(a->regions);
  sw__free(a->region);
  sw__strmap_free(a->attributes);
  sw__strmap_free(a->pairs);
  sw__free(a->head);
  sw__free(a->facts);
  sw__buf_free(&a->arena);
  sw__free(a);
}

/* The binary key of a (region, attribute) pair. */
static void pair_key(size_t region, size_t attr, unsigned char key[16]) {
  uint64_t r = region, t = attr;
  memcpy(key, &r, 8);
  memcpy(key + 8, &t, 8);
}

typedef struct reader {
  sw_csv *csv;
  const char *path;
  const sw_read_opts *opts;
  sw_attrs *a;
  long col[N_COLS];
  sw_table_verdict v; /* why the current row was rejected */
} reader;

static bool reject(reader *rd, enum col c, const char *fmt, const char *s,
                   size_t len) {
  char q[96] = "";
  if (s) sw__quote(q, sizeof q, s, len, 64);
  snprintf(rd->v.reason, sizeof rd->v.reason, fmt, q);
  rd->v.column = col_name[c];
  return false;
}

/* An optional date bound: empty is open (*days = open). */
static bool bound(reader *rd, enum col c, int32_t open, int32_t *days) {
  *days = open;
  if (rd->col[c] < 0) return true;
  size_t len;
  const char *s = sw__csv_field(rd->csv, (size_t)rd->col[c], &len);
  if (len == 0) return true;
  if (sw_date_parse(s, len, days) != SW_OK)
    return reject(rd, c, "not a date (YYYY-MM-DD): %s", s, len);
  return true;
}

/* sw__grow for an array held in a typed pointer. */
static bool grow(void *arrayp, size_t *cap, size_t need, size_t elem) {
  void *p;
  memcpy(&p, arrayp, sizeof p);
  if (!sw__grow(&p, cap, need, elem)) return false;
  memcpy(arrayp, &p, sizeof p);
  return true;
}

/* Index of key in map (next when it is new, and then added); 1 added,
 * 0 present, -1 out of memory. */
static int intern(sw_strmap *m, const char *key, size_t len, size_t next,
                  size_t *index, const char **stored) {
  int put = sw__strmap_put(m, key, len, next, index, stored);
  if (put == 1) *index = next;
  return put;
}

/* Validate the current row and store its fact; SW_OK with *kept false
 * when rejected. */
static sw_status take_row(void *user, bool *kept) {
  reader *rd = user;
  sw_attrs *a = rd->a;
  sw_csv *c = rd->csv;
  *kept = false;
  size_t rlen, alen, vlen;
  const char *region = sw__csv_field(c, (size_t)rd->col[C_REGION], &rlen);
  const char *attr = sw__csv_field(c, (size_t)rd->col[C_ATTR], &alen);
  const char *value = sw__csv_field(c, (size_t)rd->col[C_VALUE], &vlen);
  if (rlen == 0) return reject(rd, C_REGION, "empty", NULL, 0), SW_OK;
  if (alen == 0) return reject(rd, C_ATTR, "empty", NULL, 0), SW_OK;
  if (vlen == 0) return reject(rd, C_VALUE, "empty", NULL, 0), SW_OK;
  int32_t from, to;
  if (!bound(rd, C_FROM, OPEN_FROM, &from) || !bound(rd, C_TO, OPEN_TO, &to))
    return SW_OK;
  if (from >= to) {
    size_t len;
    const char *s = sw__csv_field(c, (size_t)rd->col[C_TO], &len);
    return reject(rd, C_TO, "not after valid_from: %s", s, len), SW_OK;
  }

  /* Room first, so that once a key is in a map nothing can fail. */
  if (!grow(&a->region, &a->region_cap, a->n_regions + 1, sizeof *a->region) ||
      !grow(&a->head, &a->pair_cap, a->n_pairs + 1, sizeof *a->head) ||
      !grow(&a->facts, &a->fact_cap, a->n_facts + 1, sizeof *a->facts))
    return SW_E_NOMEM;
  size_t off = a->arena.len;
  if (!sw__buf_append(&a->arena, value, vlen) || !sw__buf_putc(&a->arena, '\0'))
    return SW_E_NOMEM;
  size_t ri, ai, pi;
  const char *stored;
  int put = intern(a->regions, region, rlen, a->n_regions, &ri, &stored);
  if (put < 0) return SW_E_NOMEM;
  if (put == 1) a->region[a->n_regions++] = stored;
  if (intern(a->attributes, attr, alen, sw__strmap_count(a->attributes), &ai,
             NULL) < 0)
    return SW_E_NOMEM;
  unsigned char key[16];
  pair_key(ri, ai, key);
  put = intern(a->pairs, (const char *)key, sizeof key, a->n_pairs, &pi, NULL);
  if (put < 0) return SW_E_NOMEM;
  if (put == 1) a->head[a->n_pairs++] = NO_FACT;
  fact *f = &a->facts[a->n_facts];
  f->from = from;
  f->to = to;
  f->value = off;
  if (!sw__parse_number(a->arena.data + off, vlen, &f->number)) f->number = NAN;
  f->older = a->head[pi];
  a->head[pi] = a->n_facts++;
  *kept = true;
  return SW_OK;
}

static sw_status read_header(void *user, sw_error *err) {
  reader *rd = user;
  sw_csv *c = rd->csv;
  for (int k = 0; k < N_COLS; k++) {
    rd->col[k] = sw__csv_find(c, col_name[k]);
    if (rd->col[k] >= 0 || k >= C_FROM) continue;
    sw__err(err, SW_E_SCHEMA, "required column missing from the header");
    sw__err_at(err, rd->path, sw__csv_line(c), col_name[k], 0);
    return SW_E_SCHEMA;
  }
  return SW_OK;
}

sw_status sw_attrs_read(const char *path, const sw_read_opts *opts,
                        sw_attrs **out, sw_error *err) {
  static const sw_read_opts defaults;
  if (!out) return sw__err(err, SW_E_USAGE, "attributes: no output pointer");
  *out = NULL;
  if (!path) return sw__err(err, SW_E_USAGE, "attributes: no path");
  reader rd = {0};
  rd.path = path;
  rd.opts = opts ? opts : &defaults;
  sw_attrs *a = rd.a = sw__calloc(1, sizeof *a);
  if (a) {
    a->regions = sw__strmap_new();
    a->attributes = sw__strmap_new();
    a->pairs = sw__strmap_new();
  }
  sw_status s =
      a && a->regions && a->attributes && a->pairs
          ? sw__table_read(path, rd.opts, &rd.csv, read_header, take_row, &rd,
                           &rd.v, &a->counts, SW_INPUT_ATTRS, err)
          : sw__err(err, SW_E_NOMEM, "out of memory reading attributes");
  if (s != SW_OK) {
    sw_attrs_free(a);
    return s;
  }
  *out = a;
  return SW_OK;
}

sw_counts sw_attrs_counts(const sw_attrs *a) { return a->counts; }

/* The fact of (region, attr) that holds on date and comes last in the
 * file, or NULL. */
static const fact *lookup(const sw_attrs *a, const char *region,
                          const char *attr, int32_t date) {
  size_t ri, ai, pi;
  if (!a || !region || !attr ||
      !sw__strmap_get(a->regions, region, strlen(region), &ri) ||
      !sw__strmap_get(a->attributes, attr, strlen(attr), &ai))
    return NULL;
  unsigned char key[16];
  pair_key(ri, ai, key);
  if (!sw__strmap_get(a->pairs, (const char *)key, sizeof key, &pi))
    return NULL;
  for (size_t f = a->head[pi]; f != NO_FACT; f = a->facts[f].older)
    if (a->facts[f].from <= date && date < a->facts[f].to) return &a->facts[f];
  return NULL;
}

const char *sw_attrs_get(const sw_attrs *a, const char *region,
                         const char *attr, int32_t date) {
  const fact *f = lookup(a, region, attr, date);
  return f ? a->arena.data + f->value : NULL;
}

bool sw_attrs_get_number(const sw_attrs *a, const char *region,
                         const char *attr, int32_t date, double *out) {
  const fact *f = lookup(a, region, attr, date);
  if (!f || isnan(f->number)) return false;
  *out = f->number;
  return true;
}

size_t sw_attrs_n_regions(const sw_attrs *a) { return a ? a->n_regions : 0; }

const char *sw_attrs_region(const sw_attrs *a, size_t i) {
  return a->region[i];
}

static int cmp_day(const void *x, const void *y) {
  int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
  return (a > b) - (a < b);
}

/* For the audit's target tables: every valid_from and valid_to of the
 * attribute's facts, sorted and distinct, so that membership is looked up
 * once per span between two of them rather than once per date. */
sw_status sw__attrs_bounds(const sw_attrs *a, const char *attr, int32_t **out,
                           size_t *n_out) {
  *out = NULL;
  *n_out = 0;
  size_t ai;
  if (!sw__strmap_get(a->attributes, attr, strlen(attr), &ai)) return SW_OK;
  int32_t *d = NULL;
  size_t n = 0, cap = 0;
  for (size_t ri = 0; ri < a->n_regions; ri++) {
    unsigned char key[16];
    size_t pi;
    pair_key(ri, ai, key);
    if (!sw__strmap_get(a->pairs, (const char *)key, sizeof key, &pi)) continue;
    for (size_t f = a->head[pi]; f != NO_FACT; f = a->facts[f].older) {
      if (!grow(&d, &cap, n + 2, sizeof *d)) {
        sw__free(d);
        return SW_E_NOMEM;
      }
      if (a->facts[f].from != OPEN_FROM) d[n++] = a->facts[f].from;
      if (a->facts[f].to != OPEN_TO) d[n++] = a->facts[f].to;
    }
  }
  if (n) qsort(d, n, sizeof *d, cmp_day);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (!m || d[m - 1] != d[i]) d[m++] = d[i];
  *out = d;
  *n_out = m;
  return SW_OK;
}

sw_status sw_target_split(const char *spec, size_t *attr_len, sw_error *err) {
  const char *eq = spec ? strchr(spec, '=') : NULL;
  if (!eq || eq == spec || !eq[1])
    return sw__err(err, SW_E_USAGE, "target is not ATTR=VALUE: \"%s\"",
                   spec ? spec : "");
  *attr_len = (size_t)(eq - spec);
  return SW_OK;
}
