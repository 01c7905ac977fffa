/*
 * records.c — reading placement records: the first stage of an audit and
 * all of `steerwatch check`.
 *
 * Each row of the CSV (csv.c) is validated against SPEC's columns and
 * either kept or handed to the caller's reject sink with its position,
 * column and reason, so that read = accepted + rejected always holds.
 * Kept records are stored by column (one array per field, strings in one
 * arena addressed by offset, no array for an optional column the header
 * lacks), which lets later stages scan one field without touching the
 * others and costs at most about 120 bytes a record plus its strings
 * (bench/ingest.sh: 1.57M records of 128 bytes, 293 MB resident, 0.87 s).
 *
 * Duplicate ids are found with a set of record indices made for this one
 * job: 8-byte slots holding a 32-bit hash tag and the index, the slot
 * position taken from the tag so that growing never rereads an id. With
 * sw_strmap's general 32-byte slots and key copies, the lookups were a
 * quarter of `check`'s time on 1.5M records (bench/ingest.sh); this halves
 * the memory they touch and avoids a second copy of every id.
 *
 * sw_records_validate (`check`) keeps nothing but that set, and on large
 * files only the ids a first pass (records_repeats.c) found may repeat.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "alloc.h"
#include "records.h"
#include "buf.h"
#include "csv.h"
#include "datefmt.h"
#include "facilities.h"
#include "gazetteer.h"
#include "table.h"
#include "err.h"
#include "number.h"
#include "source.h"

#define NO_STRING SIZE_MAX /* offset of an absent string */

/* SPEC's columns, in the order of the table. */
enum col {
  C_ID,
  C_DATE,
  C_ORIGIN_LAT,
  C_ORIGIN_LON,
  C_RELEASE_LAT,
  C_RELEASE_LON,
  C_RELEASE_REGION,
  C_TIES_LAT,
  C_TIES_LON,
  C_TIES_REGION,
  C_FACILITY,
  C_COURT_LAT,
  C_COURT_LON,
  C_COST,
  C_RELEASE_FACILITY, /* with a facility list: the release place by code */
  C_COUNT,            /* people the row stands for (a published table's) */
  C_RELEASE_PLACE,    /* ZIP code or "City, ST", through the gazetteer */
  C_RELEASE_COUNTY,   /* county FIPS code or "Name, ST", likewise */
  C_TIES_PLACE,
  C_TIES_COUNTY,
  N_COLS
};

static const char *const col_name[N_COLS] = {"id",
                                             "date",
                                             "origin_lat",
                                             "origin_lon",
                                             "release_lat",
                                             "release_lon",
                                             "release_region",
                                             "ties_lat",
                                             "ties_lon",
                                             "ties_region",
                                             "facility",
                                             "court_lat",
                                             "court_lon",
                                             "cost",
                                             "release_facility",
                                             "count",
                                             "release_place",
                                             "release_county",
                                             "ties_place",
                                             "ties_county"};

struct sw_records {
  sw_counts counts;
  size_t n, cap;
  size_t *id;    /* arena offsets */
  int32_t *date; /* days since 1970-01-01 */
  sw_point *origin, *release, *ties, *court;
  double *cost;           /* NaN when absent */
  uint32_t *count;        /* NULL without a count column */
  size_t *release_region; /* arena offsets, NO_STRING when absent */
  size_t *ties_region;
  size_t *facility;
  uint64_t *line;
  bool has[N_COLS]; /* the header has the column; optional columns
                       it lacks get no array (NULL) */
  size_t n_extra;
  size_t *extra_name; /* arena offsets of the extra columns' names */
  size_t *extra;      /* n x n_extra arena offsets, row-major */
  sw_buf arena;
  uint64_t *idset;  /* tag << 32 | (index + 1); 0 is empty */
  size_t idset_cap; /* a power of two, at least twice the records */
  bool ids_only;    /* sw_records_validate: keep id and line, nothing else */
  bool has_places;  /* the header has a place column (gazetteer.h) */
  uint64_t unmatched_places; /* rows rejected for a place not found */
};

void sw_records_free(sw_records *r) {
  if (!r) return;
  sw__free(r->id);
  sw__free(r->date);
  sw__free(r->origin);
  sw__free(r->release);
  sw__free(r->ties);
  sw__free(r->court);
  sw__free(r->cost);
  sw__free(r->count);
  sw__free(r->release_region);
  sw__free(r->ties_region);
  sw__free(r->facility);
  sw__free(r->line);
  sw__free(r->extra_name);
  sw__free(r->extra);
  sw__buf_free(&r->arena);
  sw__free(r->idset);
  sw__free(r);
}

/* Make room for one more record in every column. */
static bool reserve(sw_records *r) {
  if (r->n < r->cap) return true;
  size_t cap = r->cap ? r->cap * 2 : 1024;
  struct {
    void **p;
    size_t elem;
    bool wanted;
  } cols[] = {
      {(void **)&r->id, sizeof *r->id, true},
      {(void **)&r->line, sizeof *r->line, true},
      {(void **)&r->date, sizeof *r->date, !r->ids_only},
      {(void **)&r->origin, sizeof *r->origin, !r->ids_only},
      {(void **)&r->release, sizeof *r->release,
       !r->ids_only && r->has[C_RELEASE_LAT]},
      {(void **)&r->ties, sizeof *r->ties, !r->ids_only && r->has[C_TIES_LAT]},
      {(void **)&r->court, sizeof *r->court,
       !r->ids_only && r->has[C_COURT_LAT]},
      {(void **)&r->cost, sizeof *r->cost, !r->ids_only && r->has[C_COST]},
      {(void **)&r->count, sizeof *r->count, !r->ids_only && r->has[C_COUNT]},
      {(void **)&r->release_region, sizeof *r->release_region,
       !r->ids_only && r->has[C_RELEASE_REGION]},
      {(void **)&r->ties_region, sizeof *r->ties_region,
       !r->ids_only && r->has[C_TIES_REGION]},
      {(void **)&r->facility, sizeof *r->facility,
       !r->ids_only && r->has[C_FACILITY]},
  };
  for (size_t k = 0; k < sizeof cols / sizeof *cols; k++) {
    if (!cols[k].wanted) continue;
    size_t bytes;
    if (!sw__mul_size(cap, cols[k].elem, &bytes)) return false;
    void *p = sw__realloc(*cols[k].p, bytes);
    if (!p) return false;
    *cols[k].p = p;
  }
  if (r->n_extra && !r->ids_only) {
    size_t bytes;
    if (!sw__mul_size(cap, r->n_extra, &bytes) ||
        !sw__mul_size(bytes, sizeof *r->extra, &bytes))
      return false;
    void *p = sw__realloc(r->extra, bytes);
    if (!p) return false;
    r->extra = p;
  }
  r->cap = cap;
  return true;
}

/* The slot of id in the set: the one holding it, or the empty slot where
 * it belongs. */
static uint64_t *id_slot(const sw_records *r, const char *id, size_t len,
                         uint32_t tag) {
  size_t mask = r->idset_cap - 1;
  for (size_t i = tag & mask;; i = (i + 1) & mask) {
    uint64_t *s = &r->idset[i];
    if (!*s) return s;
    if ((uint32_t)(*s >> 32) != tag) continue;
    const char *other = r->arena.data + r->id[(uint32_t)*s - 1];
    if (!strncmp(other, id, len) && other[len] == '\0') return s;
  }
}

/* Double the set; slot positions come from the tags alone. */
static bool id_grow(sw_records *r) {
  size_t cap = r->idset_cap ? r->idset_cap * 2 : 4096;
  uint64_t *slots = sw__calloc(cap, sizeof *slots);
  if (!slots) return false;
  for (size_t i = 0; i < r->idset_cap; i++) {
    uint64_t s = r->idset[i];
    if (!s) continue;
    size_t k = (uint32_t)(s >> 32) & (cap - 1);
    while (slots[k])
      k = (k + 1) & (cap - 1);
    slots[k] = s;
  }
  sw__free(r->idset);
  r->idset = slots;
  r->idset_cap = cap;
  return true;
}

/* Copy the CSV field s (len bytes and the NUL csv.h puts after them) into
 * the arena; its offset, or NO_STRING out of memory. */
static size_t arena_put(sw_buf *a, const char *s, size_t len) {
  size_t off = a->len;
  if (!sw__buf_append(a, s, len + 1)) return NO_STRING;
  return off;
}

/* The reading state: header layout and the current row's verdict. */
typedef struct reader {
  sw_csv *csv;
  const char *path;
  const sw_read_opts *opts;
  sw_records *r;
  long col[N_COLS];         /* field index of each SPEC column, -1 if absent */
  size_t n_header;          /* fields in the header */
  long *extra_col;          /* field index of each extra column */
  sw_table_verdict v;       /* why the current row was rejected */
  const char *want[N_COLS]; /* header text of each column (--column) */
  sw_date_col dates;        /* the date column's formats */
  uint32_t *pending;        /* records whose date awaits the column's
                               month/day order (datefmt.h) */
  size_t n_pending, cap_pending;
  const sw_facilities *fac; /* NULL without a facility list */
  sw_gazetteer *gaz;        /* read once the header names a place column */
  char *map_text;           /* the columns file, which want[] points into */
  /* Two-pass validation: the ids that may repeat, the only ones the id
   * set needs to hold (records_repeats.c). NULL: hold every id. */
  const sw_strmap *repeats;
} reader;

static bool reject_reason(reader *rd, enum col c, const char *fmt,
                          const char *s, size_t len) {
  char q[96];
  sw__quote(q, sizeof q, s, len, 64);
  snprintf(rd->v.reason, sizeof rd->v.reason, fmt, q);
  rd->v.column = rd->want[c];
  return false;
}

static bool reject_plain(reader *rd, enum col c, const char *reason) {
  snprintf(rd->v.reason, sizeof rd->v.reason, "%s", reason);
  rd->v.column = rd->want[c];
  return false;
}

static const char *field(reader *rd, enum col c, size_t *len) {
  if (rd->col[c] < 0) {
    *len = 0;
    return NULL;
  }
  return sw__csv_field(rd->csv, (size_t)rd->col[c], len);
}

/* A FOIA redaction mark such as `(b)(6)`, `(b)(6)(b)(7)(c)` or
 * `(b)(6); (b)(7)(C)`: the agency withheld the value. Optional fields so
 * marked are absent; required ones reject the row with that reason. */
bool sw__is_redacted(const char *s, size_t len) {
  size_t i = 0, marks = 0;
  while (i < len) {
    char c = s[i];
    if (c == ' ' || c == ',' || c == ';' || c == '&') {
      i++;
      continue;
    }
    if (c != '(' || i + 2 >= len || (s[i + 1] | 32) != 'b' || s[i + 2] != ')')
      return false;
    i += 3;
    marks++;
    /* Then the exemption: (N) and an optional letter, e.g. (7)(C). */
    while (i + 2 < len && s[i] == '(' && s[i + 2] == ')' &&
           ((s[i + 1] >= '0' && s[i + 1] <= '9') ||
            ((s[i + 1] | 32) >= 'a' && (s[i + 1] | 32) <= 'z' &&
             (s[i + 1] | 32) != 'b')))
      i += 3;
  }
  return marks > 0;
}

/* The field of an optional column, NULL (absent) when redacted. */
static const char *opt_field(reader *rd, enum col c, size_t *len) {
  const char *s = field(rd, c, len);
  if (s && *len && *s == '(' && sw__is_redacted(s, *len)) {
    *len = 0;
    return "";
  }
  return s;
}

/* A number within lo..hi from column c; empty fields are absent
 * (*present false) and the caller decides whether that is allowed. */
static bool number(reader *rd, enum col c, double lo, double hi, double *v,
                   bool *present) {
  size_t len;
  const char *s = opt_field(rd, c, &len);
  *present = s && len > 0;
  *v = NAN;
  if (!*present) return true;
  if (!sw__parse_number(s, len, v))
    return reject_reason(rd, c, "not a number: %s", s, len);
  if (*v < lo || *v > hi) {
    char fmt[64];
    snprintf(fmt, sizeof fmt, "out of range %g..%g: %%s", lo, hi);
    return reject_reason(rd, c, fmt, s, len);
  }
  return true;
}

/* The people a row stands for: a whole number 1..SW_MAX_COUNT, blank for
 * one. Anything else rejects the row: a fraction or a sign means the column
 * is not a count, and guessing would change every figure of the audit. */
static bool count_of(reader *rd, uint32_t *count) {
  size_t len;
  const char *s = field(rd, C_COUNT, &len);
  *count = 1;
  if (!s) return true;
  while (len && (*s == ' ' || *s == '\t'))
    s++, len--;
  while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
    len--;
  if (!len) return true;
  uint64_t v = 0;
  for (size_t k = 0; k < len; k++) {
    if (s[k] < '0' || s[k] > '9')
      return reject_reason(rd, C_COUNT, "not a whole number of people: %s", s,
                           len);
    if (v <= SW_MAX_COUNT) v = v * 10 + (uint64_t)(s[k] - '0');
  }
  if (v < 1 || v > SW_MAX_COUNT) {
    char fmt[64];
    snprintf(fmt, sizeof fmt, "out of range 1..%u: %%s", SW_MAX_COUNT);
    return reject_reason(rd, C_COUNT, fmt, s, len);
  }
  *count = (uint32_t)v;
  return true;
}

/* A lat/lon pair: both present, or both absent (NaN). */
static bool point(reader *rd, enum col clat, enum col clon, bool required,
                  sw_point *p, bool *present) {
  bool has_lat, has_lon;
  if (!number(rd, clat, -90, 90, &p->lat_deg, &has_lat) ||
      !number(rd, clon, -180, 180, &p->lon_deg, &has_lon))
    return false;
  if (required && (!has_lat || !has_lon))
    return reject_plain(rd, has_lat ? clon : clat, "empty");
  if (has_lat != has_lon) {
    char why[96];
    snprintf(why, sizeof why, "empty, but %s is given",
             rd->want[has_lat ? clat : clon]);
    return reject_plain(rd, has_lat ? clon : clat, why);
  }
  *present = has_lat;
  return true;
}

/* Offset of a non-empty string column in the arena; NO_STRING when empty
 * or absent. False when out of memory. */
static bool string_col(reader *rd, enum col c, size_t *off) {
  size_t len;
  const char *s = opt_field(rd, c, &len);
  *off = NO_STRING;
  if (!s || len == 0) return true;
  *off = arena_put(&rd->r->arena, s, len);
  return *off != NO_STRING;
}

/* The place of the facility whose code is in column c (facility or
 * release_facility), from the facility list. */
static bool locate(reader *rd, enum col c, sw_point *p) {
  size_t len;
  const char *s = field(rd, c, &len);
  if (!rd->fac || rd->col[c] < 0)
    return reject_plain(rd, c == C_FACILITY ? C_ORIGIN_LAT : c, "empty");
  if (!s || !len)
    return reject_plain(rd, c,
                        c == C_FACILITY && rd->col[C_ORIGIN_LAT] >= 0
                            ? "empty, and so are the origin coordinates"
                            : "empty");
  if (*s == '(' && sw__is_redacted(s, len))
    return reject_reason(rd, c, "redacted: %s", s, len);
  switch (sw__facilities_find(rd->fac, s, len, p)) {
  case SW_FAC_FOUND: return true;
  case SW_FAC_UNKNOWN:
    return reject_reason(rd, c, "unknown facility code: %s", s, len);
  default:
    return reject_reason(rd, c, "facility has no coordinates in the list: %s",
                         s, len);
  }
}

/* The place named in column cp (a ZIP code or "City, ST") or else cc (a
 * county), when p is not known yet: *present when one was given. A name
 * the gazetteer does not resolve rejects the row and is counted. */
static bool named_place(reader *rd, enum col cp, enum col cc, sw_point *p,
                        bool *present) {
  const enum col cols[] = {cp, cc};
  int withheld = -1; /* a column whose value is a redaction mark */
  for (size_t k = 0; k < 2 && !*present; k++) {
    size_t len;
    const char *s = field(rd, cols[k], &len);
    if (!s || !len) continue;
    if (*s == '(' && sw__is_redacted(s, len)) {
      withheld = cols[k];
      continue;
    }
    int what = cols[k] == cp ? SW_GAZ_PLACE : SW_GAZ_COUNTY;
    switch (sw__gazetteer_find(rd->gaz, what, s, len, p)) {
    case SW_GAZ_FOUND: *present = true; continue;
    case SW_GAZ_UNKNOWN:
      reject_reason(rd, cols[k], "unmatched place: %s", s, len);
      break;
    case SW_GAZ_AMBIGUOUS:
      reject_reason(rd, cols[k], "ambiguous place: %s names two", s, len);
      break;
    default:
      reject_reason(
          rd, cols[k],
          what == SW_GAZ_PLACE
              ? "unmatched place: %s is not a ZIP code or \"City, ST\""
              : "unmatched place: %s is not a county FIPS code or "
                "\"Name, ST\"",
          s, len);
    }
    rd->r->unmatched_places++;
    return false;
  }
  /* A withheld release place leaves the release unknown unless
   * release_region gives it; withheld ties are only absent. */
  size_t len;
  if (!*present && withheld >= 0 && cp == C_RELEASE_PLACE &&
      (field(rd, C_RELEASE_REGION, &len), len == 0)) {
    const char *s = field(rd, (enum col)withheld, &len);
    return reject_reason(rd, (enum col)withheld, "redacted: %s", s, len);
  }
  return true;
}

/* Validate the current row and append it. SW_OK with *kept false when it
 * is rejected (rd->v.reason set), SW_E_NOMEM when out of memory. */
static sw_status take_row(void *user, bool *kept) {
  reader *rd = user;
  sw_records *r = rd->r;
  sw_csv *c = rd->csv;
  *kept = false;
  size_t id_len, len;
  const char *id = field(rd, C_ID, &id_len);
  if (id_len == 0) return reject_plain(rd, C_ID, "empty"), SW_OK;
  if (*id == '(' && sw__is_redacted(id, id_len))
    return reject_reason(rd, C_ID, "redacted: %s", id, id_len), SW_OK;
  bool tracked = !rd->repeats || sw__strmap_get(rd->repeats, id, id_len, NULL);
  /* The id's slot is a cache miss in a large set: ask for it now and
   * validate the rest of the row while it arrives. */
  if ((r->n + 1) * 2 > r->idset_cap && !id_grow(r)) return SW_E_NOMEM;
  uint32_t tag = (uint32_t)(sw__id_hash(id, id_len) >> 32);
#if defined(__GNUC__)
  __builtin_prefetch(&r->idset[tag & (r->idset_cap - 1)]);
#endif
  const char *ds = field(rd, C_DATE, &len);
  int32_t date;
  if (len == 0) return reject_plain(rd, C_DATE, "empty"), SW_OK;
  if (*ds == '(' && sw__is_redacted(ds, len))
    return reject_reason(rd, C_DATE, "redacted: %s", ds, len), SW_OK;
  int date_kind = sw__date_col_read(&rd->dates, ds, len, sw__csv_line(c), &date,
                                    rd->v.reason, sizeof rd->v.reason);
  if (date_kind == SW_DATE_BAD) {
    rd->v.column = rd->want[C_DATE];
    return SW_OK;
  }
  sw_point origin, release, ties, court;
  bool has_origin, has_release, has_ties, has, ok = true;
  ok = point(rd, C_ORIGIN_LAT, C_ORIGIN_LON, !rd->fac, &origin, &has_origin) &&
       (has_origin || locate(rd, C_FACILITY, &origin)) &&
       point(rd, C_RELEASE_LAT, C_RELEASE_LON, false, &release, &has_release) &&
       point(rd, C_TIES_LAT, C_TIES_LON, false, &ties, &has_ties) &&
       point(rd, C_COURT_LAT, C_COURT_LON, false, &court, &has);
  if (!ok) return SW_OK;
  if (!has_release && rd->col[C_RELEASE_FACILITY] >= 0 &&
      (field(rd, C_RELEASE_FACILITY, &len), len > 0)) {
    if (!locate(rd, C_RELEASE_FACILITY, &release)) return SW_OK;
    has_release = true;
  }
  if (rd->gaz &&
      (!named_place(rd, C_RELEASE_PLACE, C_RELEASE_COUNTY, &release,
                    &has_release) ||
       !named_place(rd, C_TIES_PLACE, C_TIES_COUNTY, &ties, &has_ties)))
    return SW_OK;
  double cost;
  uint32_t count;
  if (!number(rd, C_COST, -INFINITY, INFINITY, &cost, &has) ||
      !count_of(rd, &count))
    return SW_OK;
  const char *region = field(rd, C_RELEASE_REGION, &len);
  if (!has_release && region && len && *region == '(' &&
      sw__is_redacted(region, len))
    return reject_reason(rd, C_RELEASE_REGION, "redacted: %s", region, len),
           SW_OK;
  if (!has_release && (!region || len == 0)) {
    enum col where = rd->col[C_RELEASE_LAT] >= 0        ? C_RELEASE_LAT
                     : rd->col[C_RELEASE_FACILITY] >= 0 ? C_RELEASE_FACILITY
                     : rd->col[C_RELEASE_PLACE] >= 0    ? C_RELEASE_PLACE
                     : rd->col[C_RELEASE_COUNTY] >= 0   ? C_RELEASE_COUNTY
                                                        : C_RELEASE_REGION;
    return reject_plain(rd, where,
                        where != C_RELEASE_REGION &&
                                rd->col[C_RELEASE_REGION] >= 0
                            ? "empty, and so is release_region"
                            : "empty"),
           SW_OK;
  }

  /* Valid: the id decides last, so that a rejected row never claims it.
   * An id that the first pass saw once cannot be a duplicate. */
  if (!tracked) {
    *kept = true;
    return SW_OK;
  }
  if (r->n >= UINT32_MAX - 1) {
    snprintf(rd->v.reason, sizeof rd->v.reason, "more than %u records",
             (unsigned)(UINT32_MAX - 2));
    return SW_OK;
  }
  uint64_t *slot = id_slot(r, id, id_len, tag);
  if (*slot) {
    char q[96];
    sw__quote(q, sizeof q, id, id_len, 64);
    snprintf(rd->v.reason, sizeof rd->v.reason,
             "duplicate id %s (first on line %llu)", q,
             (unsigned long long)r->line[(uint32_t)*slot - 1]);
    rd->v.column = rd->want[C_ID];
    return SW_OK;
  }
  /* From here on the row is kept; a failure is out of memory only, and the
   * half-made row is never counted (r->n moves last, the id slot is filled
   * last). */
  if (!reserve(r)) return SW_E_NOMEM;
  size_t i = r->n;
  if (r->ids_only) {
    if ((r->id[i] = arena_put(&r->arena, id, id_len)) == NO_STRING)
      return SW_E_NOMEM;
    *slot = (uint64_t)tag << 32 | (uint64_t)(i + 1);
    r->line[i] = sw__csv_line(c);
    r->n++;
    *kept = true;
    return SW_OK;
  }
  if ((r->id[i] = arena_put(&r->arena, id, id_len)) == NO_STRING ||
      (r->release_region &&
       !string_col(rd, C_RELEASE_REGION, &r->release_region[i])) ||
      (r->ties_region && !string_col(rd, C_TIES_REGION, &r->ties_region[i])) ||
      (r->facility && !string_col(rd, C_FACILITY, &r->facility[i])))
    return SW_E_NOMEM;
  for (size_t k = 0; k < r->n_extra; k++) {
    const char *s = sw__csv_field(c, (size_t)rd->extra_col[k], &len);
    size_t off = arena_put(&r->arena, s, len);
    if (off == NO_STRING) return SW_E_NOMEM;
    r->extra[i * r->n_extra + k] = off;
  }
  if (date_kind == SW_DATE_PENDING) {
    if (rd->n_pending == rd->cap_pending) {
      void *p = rd->pending;
      if (!sw__grow(&p, &rd->cap_pending, rd->n_pending + 1,
                    sizeof *rd->pending))
        return SW_E_NOMEM;
      rd->pending = p;
    }
    rd->pending[rd->n_pending++] = (uint32_t)i;
  }
  *slot = (uint64_t)tag << 32 | (uint64_t)(i + 1);
  r->date[i] = date;
  r->origin[i] = origin;
  if (r->release) r->release[i] = release;
  if (r->ties) r->ties[i] = ties;
  if (r->court) r->court[i] = court;
  if (r->cost) r->cost[i] = cost;
  if (r->count) r->count[i] = count;
  r->line[i] = sw__csv_line(c);
  r->n++;
  *kept = true;
  return SW_OK;
}

/* Map the header to SPEC's columns (or the headers --column names): the
 * checks alone, which find the header among preamble rows and which the
 * first pass of two-pass validation shares. Sets rd->col, rd->n_header
 * and has[]. */
static sw_status map_header(reader *rd, bool *known, bool *has, sw_error *err) {
  sw_csv *c = rd->csv;
  const char *path = sw__csv_path(c);
  uint64_t line = sw__csv_line(c);
  rd->n_header = sw__csv_n_fields(c);
  for (int k = 0; k < N_COLS; k++) {
    /* release_facility means something only with a facility list;
     * without one it is an extra column like any other. */
    if (k == C_RELEASE_FACILITY && !rd->opts->facilities_path) {
      rd->col[k] = -1;
      has[k] = false;
      continue;
    }
    const char *name = rd->want[k];
    rd->col[k] = sw__csv_find(c, name);
    has[k] = rd->col[k] >= 0;
    if (rd->col[k] < 0) {
      /* Without its id column a row is no header (sw__table_find_header
       * then looks further down); with it, a fault of the header. */
      sw_status code = k == C_ID ? SW_E_PARSE : SW_E_SCHEMA;
      if (name == col_name[k] && k != C_ID) continue;
      if (name == col_name[k])
        sw__err(err, code, "required column missing from the header");
      else
        sw__err(err, code,
                "the column --column %s=%.64s names is not in the header",
                col_name[k], name);
      sw__err_at(err, path, line, col_name[k], 0);
      return code;
    }
    known[rd->col[k]] = true;
    for (size_t j = (size_t)rd->col[k] + 1; j < rd->n_header; j++) {
      size_t len;
      const char *f = sw__csv_field(c, j, &len);
      while (len && *f == ' ')
        f++, len--;
      while (len && f[len - 1] == ' ')
        len--;
      if (len == strlen(name) && !strncasecmp(f, name, len)) {
        sw__err(err, SW_E_SCHEMA, "column appears twice in the header");
        sw__err_at(err, path, line, name, 0);
        return SW_E_SCHEMA;
      }
    }
  }
  bool by_code = rd->opts->facilities_path && rd->col[C_FACILITY] >= 0;
  static const enum col required[] = {C_ID, C_DATE, C_ORIGIN_LAT, C_ORIGIN_LON};
  for (size_t k = 0; k < sizeof required / sizeof *required; k++) {
    enum col q = required[k];
    if (rd->col[q] >= 0 ||
        (by_code && (q == C_ORIGIN_LAT || q == C_ORIGIN_LON)))
      continue;
    bool coords = q == C_ORIGIN_LAT || q == C_ORIGIN_LON;
    if (coords && rd->col[C_COUNT] >= 0)
      sw__err(err, SW_E_SCHEMA,
              "a count table cannot be modelled without where its people "
              "were held: give origin_lat and origin_lon, or facility%s",
              rd->opts->facilities_path ? "" : " with --facilities");
    else
      sw__err(err, SW_E_SCHEMA, "required column missing from the header%s",
              !coords ? ""
              : rd->opts->facilities_path
                  ? " (or facility, the code in the facility list)"
                  : " (or facility with a facility list, --facilities)");
    sw__err_at(err, path, line, rd->want[q], 0);
    return SW_E_SCHEMA;
  }
  /* Optional coordinates come in pairs: half a pair is a schema fault. */
  static const enum col pairs[][2] = {{C_ORIGIN_LAT, C_ORIGIN_LON},
                                      {C_RELEASE_LAT, C_RELEASE_LON},
                                      {C_TIES_LAT, C_TIES_LON},
                                      {C_COURT_LAT, C_COURT_LON}};
  for (size_t k = 0; k < sizeof pairs / sizeof *pairs; k++) {
    bool a = rd->col[pairs[k][0]] >= 0, b = rd->col[pairs[k][1]] >= 0;
    if (a == b) continue;
    enum col missing = a ? pairs[k][1] : pairs[k][0];
    sw__err(err, SW_E_SCHEMA, "column missing: %s is given without it",
            rd->want[a ? pairs[k][0] : pairs[k][1]]);
    sw__err_at(err, path, line, rd->want[missing], 0);
    return SW_E_SCHEMA;
  }
  if (rd->col[C_RELEASE_LAT] < 0 && rd->col[C_RELEASE_REGION] < 0 &&
      rd->col[C_RELEASE_FACILITY] < 0 && rd->col[C_RELEASE_PLACE] < 0 &&
      rd->col[C_RELEASE_COUNTY] < 0) {
    sw__err(err, SW_E_SCHEMA,
            "required column missing from the header (or release_region, "
            "release_place, release_county%s)",
            rd->opts->facilities_path ? ", or release_facility" : "");
    sw__err_at(err, path, line, rd->want[C_RELEASE_LAT], 0);
    return SW_E_SCHEMA;
  }
  /* A release by facility code, and places by name, are stored as
   * coordinates. */
  if (rd->col[C_RELEASE_FACILITY] >= 0) has[C_RELEASE_LAT] = true;
  if (rd->col[C_RELEASE_PLACE] >= 0 || rd->col[C_RELEASE_COUNTY] >= 0)
    has[C_RELEASE_LAT] = true;
  if (rd->col[C_TIES_PLACE] >= 0 || rd->col[C_TIES_COUNTY] >= 0)
    has[C_TIES_LAT] = true;
  return SW_OK;
}

/* map_header alone, for the first pass. */
static sw_status header_checks(void *user, sw_error *err) {
  reader *rd = user;
  bool known[SW_CSV_MAX_FIELDS] = {false}, has[N_COLS];
  return map_header(rd, known, has, err);
}

/* The header, then the extra columns, which are carried through. */
static sw_status read_header(void *user, sw_error *err) {
  reader *rd = user;
  sw_csv *c = rd->csv;
  bool known[SW_CSV_MAX_FIELDS] = {false};
  sw_status st = map_header(rd, known, rd->r->has, err);
  if (st != SW_OK) return st;
  static const enum col places[] = {C_RELEASE_PLACE, C_RELEASE_COUNTY,
                                    C_TIES_PLACE, C_TIES_COUNTY};
  for (size_t k = 0; k < 4; k++)
    rd->r->has_places |= rd->col[places[k]] >= 0;
  if (rd->r->has_places && !rd->gaz) {
    if (!rd->opts->gazetteer_path) {
      sw__err(err, SW_E_SCHEMA,
              "places by name or code need a gazetteer (--gazetteer FILE)");
      sw__err_at(err, sw__csv_path(c), sw__csv_line(c), NULL, 0);
      return SW_E_SCHEMA;
    }
    if ((st = sw__gazetteer_read(rd->opts->gazetteer_path, &rd->gaz, err)))
      return st;
  }
  rd->dates.no_serials = sw__csv_typed_dates(c);
  sw_records *r = rd->r;
  for (size_t j = 0; j < rd->n_header; j++)
    if (!known[j]) r->n_extra++;
  if (r->n_extra) {
    r->extra_name = sw__calloc(r->n_extra, sizeof *r->extra_name);
    rd->extra_col = sw__calloc(r->n_extra, sizeof *rd->extra_col);
    if (!r->extra_name || !rd->extra_col) goto nomem;
    size_t k = 0;
    for (size_t j = 0; j < rd->n_header; j++) {
      if (known[j]) continue;
      size_t len;
      const char *f = sw__csv_field(c, j, &len);
      rd->extra_col[k] = (long)j;
      r->extra_name[k] = arena_put(&r->arena, f, len);
      if (r->extra_name[k++] == NO_STRING) goto nomem;
    }
  }
  return SW_OK;
nomem:
  return sw__err(err, SW_E_NOMEM, "out of memory reading the header");
}

/* The header text of each SPEC column: its own name, or what --column
 * maps it to. */
/* One mapping `NAME=HEADER` (m, NUL-terminated); from line `line` of the
 * columns file when line > 0. */
static sw_status map_one(reader *rd, const char *m, uint64_t line,
                         sw_error *err) {
  const sw_read_opts *o = rd->opts;
  sw_status code = line ? SW_E_PARSE : SW_E_USAGE;
  const char *eq = m ? strchr(m, '=') : NULL, *what = line ? "" : "--column ";
  if (!eq || eq == m || !eq[1])
    sw__err(err, code, "%sneeds NAME=HEADER, got \"%.64s\"",
            line ? "a column mapping " : "--column ", m ? m : "");
  else {
    /* Spaces around the `=` are not part of either name. */
    const char *name_end = eq, *header = eq + 1;
    while (name_end > m && (name_end[-1] == ' ' || name_end[-1] == '\t'))
      name_end--;
    while (*header == ' ' || *header == '\t')
      header++;
    int k = 0;
    for (; k < N_COLS; k++)
      if (strlen(col_name[k]) == (size_t)(name_end - m) &&
          !strncasecmp(col_name[k], m, (size_t)(name_end - m)))
        break;
    if (k == N_COLS)
      sw__err(err, code,
              "%s%.*s: not a records column (id, date, origin_lat, "
              "origin_lon, release_lat, release_lon, release_region, "
              "ties_lat, ties_lon, ties_region, facility, court_lat, "
              "court_lon, cost, release_facility, count, release_place, "
              "release_county, ties_place, ties_county)",
              what, (int)(name_end - m < 32 ? name_end - m : 32), m);
    else if (rd->want[k] != col_name[k])
      sw__err(err, code, "%s%s mapped twice", what, col_name[k]);
    else if (!*header)
      sw__err(err, code, "%sneeds NAME=HEADER, got \"%.64s\"", what, m);
    else {
      rd->want[k] = header;
      return SW_OK;
    }
  }
  if (line) sw__err_at(err, o->columns_path, line, NULL, 0);
  return code;
}

/* The header text of each SPEC column: its own name, or what --column or
 * the columns file maps it to. The file's text is kept in rd->map_text. */
static sw_status map_columns(reader *rd, sw_error *err) {
  for (int k = 0; k < N_COLS; k++)
    rd->want[k] = col_name[k];
  const sw_read_opts *o = rd->opts;
  if (o->n_columns && !o->columns)
    return sw__err(err, SW_E_USAGE, "--column: mappings missing");
  for (size_t i = 0; i < o->n_columns; i++) {
    sw_status st = map_one(rd, o->columns[i], 0, err);
    if (st != SW_OK) return st;
  }
  if (!o->columns_path) return SW_OK;
  /* A small file: `NAME=HEADER` lines, blank lines and # comments. */
  FILE *f = fopen(o->columns_path, "rb");
  if (!f) {
    sw__err(err, SW_E_OPEN, "cannot open: %s", strerror(errno));
    sw__err_at(err, o->columns_path, 0, NULL, 0);
    return SW_E_OPEN;
  }
  enum { MAX_MAP = 64 << 10 };
  rd->map_text = sw__malloc(MAX_MAP + 1);
  size_t n = rd->map_text ? fread(rd->map_text, 1, MAX_MAP + 1, f) : 0;
  fclose(f);
  if (!rd->map_text) return sw__err(err, SW_E_NOMEM, "out of memory");
  if (n > MAX_MAP) {
    sw__err(err, SW_E_RANGE, "a column mapping file over 64 KiB");
    sw__err_at(err, o->columns_path, 0, NULL, 0);
    return SW_E_RANGE;
  }
  rd->map_text[n] = '\0';
  uint64_t line = 0;
  for (char *p = rd->map_text; *p;) {
    char *nl = strchr(p, '\n'), *next = nl ? nl + 1 : p + strlen(p);
    if (nl) *nl = '\0';
    line++;
    size_t len = strlen(p);
    while (len &&
           (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
      p[--len] = '\0';
    while (*p == ' ' || *p == '\t')
      p++;
    if (*p && *p != '#') {
      sw_status st = map_one(rd, p, line, err);
      if (st != SW_OK) return st;
    }
    p = next;
  }
  return SW_OK;
}

sw_status sw__records_find_header(sw_csv *c, const sw_read_opts *opts,
                                  long *id_col, sw_error *err) {
  reader rd = {0};
  rd.csv = c;
  rd.opts = opts;
  sw_status st = map_columns(&rd, err);
  if (st == SW_OK) st = sw__table_find_header(c, opts, header_checks, &rd, err);
  *id_col = rd.col[C_ID];
  sw__free(rd.map_text);
  return st;
}

/* After the last row: the date column's order, now known, applied to the
 * dates read before it was; or the refusal to guess it. */
static sw_status finish_dates(reader *rd, const char *name, sw_error *err) {
  sw_status st = sw__date_col_finish(&rd->dates, name, rd->want[C_DATE], err);
  if (st != SW_OK) return st;
  if (rd->dates.order == 2 && rd->r->date)
    for (size_t k = 0; k < rd->n_pending; k++) {
      int32_t *d = &rd->r->date[rd->pending[k]];
      *d = sw__date_day_first(*d);
    }
  return SW_OK;
}

/* The one read behind sw_records_read and sw_records_validate. */
static sw_status read_records(const char *path, const sw_read_opts *opts,
                              bool ids_only, const sw_strmap *repeats,
                              sw_table_digest *digest, sw_records **out,
                              sw_error *err) {
  static const sw_read_opts defaults;
  *out = NULL;
  if (!path) return sw__err(err, SW_E_USAGE, "records: no path");
  reader rd = {0};
  rd.path = path;
  rd.opts = opts ? opts : &defaults;
  rd.repeats = repeats;
  rd.dates.format = rd.opts->date_format;
  sw_facilities *fac = NULL;
  sw_status s = map_columns(&rd, err);
  if (s == SW_OK && rd.opts->date_format &&
      sw_date_parse_format(rd.opts->date_format, "", 0, &(int32_t){0}) ==
          SW_E_USAGE)
    s = sw__err(err, SW_E_USAGE,
                "--date-format \"%.64s\" is not a date format (it needs %%Y "
                "or %%y, %%m or %%b, and %%d; see sw_date_parse_format)",
                rd.opts->date_format);
  if (s == SW_OK && rd.opts->facilities_path)
    s = sw__facilities_read(rd.opts->facilities_path, NULL, &fac, err);
  rd.fac = fac;
  if (s == SW_OK && !(rd.r = sw__calloc(1, sizeof *rd.r)))
    s = sw__err(err, SW_E_NOMEM, "out of memory reading records");
  if (s == SW_OK) {
    rd.r->ids_only = ids_only;
    s = sw__table_read_hashed(path, rd.opts, &rd.csv, read_header, take_row,
                              &rd, &rd.v, &rd.r->counts, SW_INPUT_RECORDS,
                              digest, err);
  }
  if (s == SW_OK)
    s = finish_dates(&rd, strcmp(path, "-") ? path : SW_STDIN_NAME, err);
  sw__free(rd.extra_col);
  sw__free(rd.pending);
  sw__free(rd.map_text);
  sw__facilities_free(fac);
  sw__gazetteer_free(rd.gaz);
  if (s != SW_OK) {
    sw_records_free(rd.r);
    return s;
  }
  *out = rd.r;
  return SW_OK;
}

sw_status sw_records_read(const char *path, const sw_read_opts *opts,
                          sw_records **out, sw_error *err) {
  if (!out) return sw__err(err, SW_E_USAGE, "records: no output pointer");
  return read_records(path, opts, false, NULL, NULL, out, err);
}

sw_status sw__records_read_hashed(const char *path, const sw_read_opts *opts,
                                  sw_records **out, char sha256[65],
                                  uint64_t *bytes, sw_error *err) {
  sw_table_digest d = {{0}, 0};
  sw_status s = read_records(path, opts, false, NULL, &d, out, err);
  memcpy(sha256, d.sha256, sizeof d.sha256);
  *bytes = d.bytes;
  return s;
}

/* Progress over two passes: the first half of the bar, then the second. */
typedef struct halves {
  const sw_read_opts *opts;
  uint64_t offset;
} halves;

static void half_progress(void *user, uint64_t done, uint64_t total) {
  halves *h = user;
  h->opts->on_progress(h->opts->progress_user,
                       h->offset * (total / 2) + done / 2, total);
}

sw_status sw__records_validate(const char *path, const sw_read_opts *opts,
                               size_t bloom_bits, sw_counts *counts,
                               sw_error *err) {
  static const sw_read_opts defaults;
  if (!counts) return sw__err(err, SW_E_USAGE, "records: no counts pointer");
  if (!opts) opts = &defaults;
  sw_strmap *repeats = NULL;
  sw_read_opts second = *opts;
  halves h = {opts, 0};
  if (bloom_bits && path) {
    sw_status s = sw__records_repeats(
        path, opts, sw__records_find_header, bloom_bits,
        opts->on_progress ? half_progress : NULL, &h, &repeats, err);
    if (s != SW_OK) return s;
    if (opts->on_progress) {
      h.offset = 1;
      second.on_progress = half_progress;
      second.progress_user = &h;
    }
  }
  sw_records *r;
  sw_status s = read_records(path, &second, true, repeats, NULL, &r, err);
  if (s == SW_OK) *counts = r->counts;
  sw_records_free(r);
  sw__strmap_free(repeats);
  return s;
}

sw_status sw_records_validate(const char *path, const sw_read_opts *opts,
                              sw_counts *counts, sw_error *err) {
  /* One pass keeps every id (about 60 bytes each); past this size the
   * first pass's fixed 64 MiB filter is the smaller bill. A gzip file
   * holds several times its size in rows. */
  struct stat st;
  bool two_pass = false;
  /* Standard input can be read only once: one pass. Only a regular file
   * is opened to sniff gzip (a second open of a pipe would eat its first
   * bytes). */
  if (path && strcmp(path, "-") && stat(path, &st) == 0 &&
      S_ISREG(st.st_mode)) {
    FILE *f = fopen(path, "rb");
    unsigned char magic[2] = {0};
    bool gz =
        f && fread(magic, 1, 2, f) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    if (f) fclose(f);
    two_pass = (uint64_t)st.st_size > (gz ? 16u : 64u) * 1000000u;
  }
  return sw__records_validate(path, opts, two_pass ? SW_REPEATS_BLOOM_BITS : 0,
                              counts, err);
}

sw_counts sw_records_counts(const sw_records *r) { return r->counts; }

int64_t sw_records_unmatched_places(const sw_records *r) {
  return r->has_places ? (int64_t)r->unmatched_places : -1;
}

size_t sw_records_count(const sw_records *r) { return r ? r->n : 0; }

static const char *string_at(const sw_records *r, size_t off) {
  return off == NO_STRING ? NULL : r->arena.data + off;
}

void sw_records_get(const sw_records *r, size_t i, sw_record *out) {
  out->id = r->arena.data + r->id[i];
  out->date = r->date[i];
  out->origin = r->origin[i];
  static const sw_point none = {NAN, NAN};
  out->release = r->release ? r->release[i] : none;
  out->release_region =
      r->release_region ? string_at(r, r->release_region[i]) : NULL;
  out->ties = r->ties ? r->ties[i] : none;
  out->ties_region = r->ties_region ? string_at(r, r->ties_region[i]) : NULL;
  out->facility = r->facility ? string_at(r, r->facility[i]) : NULL;
  out->court = r->court ? r->court[i] : none;
  out->cost = r->cost ? r->cost[i] : NAN;
  out->count = r->count ? r->count[i] : 1;
  out->line = r->line[i];
}

size_t sw_records_n_extra(const sw_records *r) { return r->n_extra; }

const char *sw_records_extra_name(const sw_records *r, size_t col) {
  return r->arena.data + r->extra_name[col];
}

const char *sw_records_extra(const sw_records *r, size_t i, size_t col) {
  return r->arena.data + r->extra[i * r->n_extra + col];
}
