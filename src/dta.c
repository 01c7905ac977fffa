/*
 * dta.c — Stata (.dta) and SPSS (.sav) data sets as a table, through
 * ReadStat (MIT), handed to the table readers through the sw_csv row
 * interface (csv.h) like any CSV.
 *
 * The table reads as its CSV export would: line 1 is the header (the
 * variable names), data row i is line i + 1. Strings come as ReadStat
 * decodes them to UTF-8; missing values (system, tagged or user-defined)
 * are empty; numbers are written as the shortest text that reads back to
 * the same double; variables with a date format become ISO dates (Stata
 * %td: days since 1960-01-01; %tc/%tC: milliseconds since then, written as
 * date-times; SPSS DATE, ADATE, EDATE, SDATE, JDATE and DATETIME: seconds
 * since 1582-10-14), so the records reader never has to guess a number's
 * meaning.
 *
 * The file is held in memory (standard input cannot seek, and ReadStat
 * seeks) and parsed in batches of BATCH rows (ReadStat's row offset and
 * limit), so the rows waiting to be read are bounded by the batch.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <readstat.h>

#include "alloc.h"
#include "buf.h"
#include "csv.h"
#include "date.h"
#include "datefmt.h"
#include "err.h"
#include "number.h"
#include "source.h"

#define BATCH 20000 /* rows per ReadStat pass */

enum kind { K_PLAIN, K_DAYS_1960, K_MS_1960, K_SECS_1582 };

typedef struct dta {
  bool sav;
  char *data;
  size_t len, pos; /* the memory file ReadStat reads */
  long n_rows;     /* from the metadata; -1 unknown */
  int n_vars;
  char **names;
  enum kind *kinds;
  /* The batch: cells row-major, text in one buffer. */
  sw_buf text;
  size_t *off, *len_of;
  size_t cap_cells;
  size_t n_batch_rows, at;
  long next_offset; /* first row of the next batch */
  long row_base;    /* data row number of the batch's first row */
  bool done, header_sent, nomem, vars_known;
  char bad[160]; /* a value ReadStat could not give */
} dta;

/* ---- ReadStat's I/O, over the file in memory ---- */

static int mem_open(const char *path, void *ctx) {
  (void)path;
  ((dta *)ctx)->pos = 0;
  return 0;
}

static int mem_close(void *ctx) {
  (void)ctx;
  return 0;
}

static readstat_off_t mem_seek(readstat_off_t off, readstat_io_flags_t whence,
                               void *ctx) {
  dta *d = ctx;
  readstat_off_t base = whence == READSTAT_SEEK_SET   ? 0
                        : whence == READSTAT_SEEK_CUR ? (readstat_off_t)d->pos
                                                      : (readstat_off_t)d->len;
  readstat_off_t to = base + off;
  if (to < 0 || (size_t)to > d->len) return -1;
  d->pos = (size_t)to;
  return to;
}

static ssize_t mem_read(void *buf, size_t n, void *ctx) {
  dta *d = ctx;
  size_t k = d->len - d->pos < n ? d->len - d->pos : n;
  memcpy(buf, d->data + d->pos, k);
  d->pos += k;
  return (ssize_t)k;
}

static readstat_error_t mem_update(long size, readstat_progress_handler h,
                                   void *user, void *ctx) {
  (void)size, (void)h, (void)user, (void)ctx;
  return READSTAT_OK;
}

/* ---- the callbacks ---- */

static enum kind kind_of(bool sav, const char *fmt) {
  if (!fmt) return K_PLAIN;
  if (!sav) {
    if (!strncmp(fmt, "%td", 3) || !strncmp(fmt, "%-td", 4) ||
        !strncmp(fmt, "%d", 2))
      return K_DAYS_1960;
    if (!strncmp(fmt, "%tc", 3) || !strncmp(fmt, "%tC", 3) ||
        !strncmp(fmt, "%-tc", 4))
      return K_MS_1960;
    return K_PLAIN;
  }
  static const char *const dates[] = {"DATETIME", "DATE",  "ADATE",
                                      "EDATE",    "SDATE", "JDATE"};
  for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
    if (!strncasecmp(fmt, dates[i], strlen(dates[i]))) return K_SECS_1582;
  return K_PLAIN;
}

static int on_metadata(readstat_metadata_t *m, void *ctx) {
  dta *d = ctx;
  d->n_rows = readstat_get_row_count(m);
  return READSTAT_HANDLER_OK;
}

static int on_variable(int index, readstat_variable_t *v, const char *labels,
                       void *ctx) {
  (void)labels;
  dta *d = ctx;
  if (d->vars_known) return READSTAT_HANDLER_OK; /* from the first pass */
  if (index != d->n_vars) return READSTAT_HANDLER_ABORT;
  void *a = d->names;
  size_t cap = (size_t)d->n_vars;
  if (!sw__grow(&a, &cap, (size_t)d->n_vars + 1, sizeof(char *))) {
    d->nomem = true;
    return READSTAT_HANDLER_ABORT;
  }
  d->names = a;
  void *b = d->kinds;
  cap = (size_t)d->n_vars;
  if (!sw__grow(&b, &cap, (size_t)d->n_vars + 1, sizeof(enum kind))) {
    d->nomem = true;
    return READSTAT_HANDLER_ABORT;
  }
  d->kinds = b;
  const char *name = readstat_variable_get_name(v);
  d->kinds[d->n_vars] = kind_of(d->sav, readstat_variable_get_format(v));
  if (!(d->names[d->n_vars] = sw__strdup(name ? name : ""))) {
    d->nomem = true;
    return READSTAT_HANDLER_ABORT;
  }
  d->n_vars++;
  return READSTAT_HANDLER_OK;
}

/* A number as the text a CSV export would hold. */
static size_t number_text(double x, enum kind k, char out[SW_SHORTEST_MAX]) {
  double days = NAN, secs = 0;
  if (k == K_DAYS_1960) days = floor(x) + sw__days_from_civil(1960, 1, 1);
  if (k == K_MS_1960) {
    double s = floor(x / 1000.0);
    days = floor(s / 86400.0) + sw__days_from_civil(1960, 1, 1);
    secs = s - floor(s / 86400.0) * 86400.0;
  }
  if (k == K_SECS_1582) {
    days = floor(x / 86400.0) + sw__days_from_civil(1582, 10, 14);
    secs = floor(x) - floor(x / 86400.0) * 86400.0;
  }
  if (k != K_PLAIN && days > -354286.0 && days < 2932897.0) {
    int64_t y, m, dd;
    sw__civil_from_days((int64_t)days, &y, &m, &dd);
    long s = (long)secs;
    if (k == K_DAYS_1960 || !s)
      return (size_t)snprintf(out, SW_SHORTEST_MAX, "%04d-%02d-%02d", (int)y,
                              (int)m, (int)dd);
    return (size_t)snprintf(out, SW_SHORTEST_MAX,
                            "%04d-%02d-%02d %02ld:%02ld:%02ld", (int)y, (int)m,
                            (int)dd, s / 3600, s / 60 % 60, s % 60);
  }
  return sw__fmt_shortest(x, out);
}

static int on_value(int obs, readstat_variable_t *v, readstat_value_t value,
                    void *ctx) {
  (void)obs;
  dta *d = ctx;
  int var = readstat_variable_get_index(v);
  if (var < 0 || var >= d->n_vars) return READSTAT_HANDLER_ABORT;
  if (var == 0) d->n_batch_rows++;
  if (!d->n_batch_rows) return READSTAT_HANDLER_ABORT;
  size_t cell = (d->n_batch_rows - 1) * (size_t)d->n_vars + (size_t)var;
  if (cell >= d->cap_cells) {
    size_t c1 = d->cap_cells, c2 = d->cap_cells;
    void *a = d->off, *b = d->len_of;
    if (!sw__grow(&a, &c1, cell + 1, sizeof(size_t)) ||
        (d->off = a, !sw__grow(&b, &c2, cell + 1, sizeof(size_t)))) {
      d->nomem = true;
      return READSTAT_HANDLER_ABORT;
    }
    d->len_of = b;
    d->cap_cells = c1 < c2 ? c1 : c2;
  }
  const char *s = "";
  size_t n = 0;
  char tmp[SW_SHORTEST_MAX];
  readstat_type_t t = readstat_value_type(value);
  bool missing = readstat_value_is_system_missing(value) ||
                 readstat_value_is_tagged_missing(value) ||
                 readstat_value_is_defined_missing(value, v);
  if (t == READSTAT_TYPE_STRING || t == READSTAT_TYPE_STRING_REF) {
    s = readstat_string_value(value);
    if (!s) s = "";
    n = strlen(s);
  } else if (!missing) {
    n = number_text(readstat_double_value(value), d->kinds[var], tmp);
    s = tmp;
  }
  d->off[cell] = d->text.len;
  d->len_of[cell] = n;
  if (!sw__buf_append(&d->text, s, n)) {
    d->nomem = true;
    return READSTAT_HANDLER_ABORT;
  }
  return READSTAT_HANDLER_OK;
}

/* ReadStat's own complaint, for the error message. */
static void on_error(const char *msg, void *ctx) {
  dta *d = ctx;
  if (!d->bad[0]) snprintf(d->bad, sizeof d->bad, "%s", msg);
}

/* A parser over d's bytes in memory; with values, it also delivers the
 * cells (the first pass wants only the variables and the row count). */
static readstat_parser_t *parser_new(dta *d, bool values) {
  readstat_parser_t *p = readstat_parser_init();
  if (!p) return NULL;
  readstat_set_metadata_handler(p, on_metadata);
  readstat_set_variable_handler(p, on_variable);
  if (values) readstat_set_value_handler(p, on_value);
  readstat_set_error_handler(p, on_error);
  readstat_set_open_handler(p, mem_open);
  readstat_set_close_handler(p, mem_close);
  readstat_set_seek_handler(p, mem_seek);
  readstat_set_read_handler(p, mem_read);
  readstat_set_update_handler(p, mem_update);
  readstat_set_io_ctx(p, d);
  return p;
}

/* Parse the next batch of rows. */
static sw_status parse_batch(dta *d, sw_csv *c, sw_error *err) {
  d->n_batch_rows = d->at = 0;
  sw__buf_clear(&d->text);
  readstat_parser_t *p = parser_new(d, true);
  if (!p) return sw__err(err, SW_E_NOMEM, "out of memory");
  bool batched = d->n_rows > 0;
  if (batched) {
    readstat_set_row_offset(p, d->next_offset);
    readstat_set_row_limit(p, BATCH);
  }
  readstat_error_t e =
      d->sav ? readstat_parse_sav(p, "", d) : readstat_parse_dta(p, "", d);
  readstat_parser_free(p);
  if (d->nomem) return sw__err(err, SW_E_NOMEM, "out of memory");
  if (e != READSTAT_OK) {
    sw__err(err, SW_E_PARSE, "not a readable %s file: %s%s%s",
            d->sav ? "SPSS" : "Stata", readstat_error_message(e),
            d->bad[0] ? ": " : "", d->bad);
    sw__err_at(err, sw__csv_path(c), 0, NULL, 0);
    return SW_E_PARSE;
  }
  d->row_base = d->next_offset;
  d->next_offset += (long)d->n_batch_rows;
  /* A file that gives no row count is read whole in one pass. */
  if (!batched || d->n_batch_rows < BATCH || d->next_offset >= d->n_rows)
    d->done = true;
  return SW_OK;
}

static sw_status dta_next(void *state, sw_csv *c, bool *got, sw_error *err) {
  dta *d = state;
  *got = false;
  if (!d->header_sent) {
    d->header_sent = true;
    sw__csv_row_begin(c, 1, 0);
    for (int k = 0; k < d->n_vars; k++)
      if (!sw__csv_row_field(c, d->names[k], strlen(d->names[k])))
        return sw__err(err, SW_E_NOMEM, "out of memory");
    sw__csv_row_end(c);
    *got = true;
    return SW_OK;
  }
  while (d->at == d->n_batch_rows) {
    if (d->done) return SW_OK;
    sw_status s = parse_batch(d, c, err);
    if (s != SW_OK) return s;
  }
  size_t row = d->at++;
  sw__csv_row_begin(c, (uint64_t)d->row_base + row + 2, 0);
  for (int k = 0; k < d->n_vars; k++) {
    size_t cell = row * (size_t)d->n_vars + (size_t)k;
    if (!sw__csv_row_field(c, d->text.data ? d->text.data + d->off[cell] : "",
                           d->len_of[cell]))
      return sw__err(err, SW_E_NOMEM, "out of memory");
  }
  sw__csv_row_end(c);
  *got = true;
  return SW_OK;
}

static void dta_close(void *state) {
  dta *d = state;
  if (!d) return;
  sw__free(d->data);
  for (int k = 0; k < d->n_vars; k++)
    sw__free(d->names[k]);
  sw__free(d->names);
  sw__free(d->kinds);
  sw__buf_free(&d->text);
  sw__free(d->off);
  sw__free(d->len_of);
  sw__free(d);
}

static sw_status open_common(bool sav, sw_source *src, sw_csv *c, void **state,
                             sw_error *err) {
  dta *d = sw__calloc(1, sizeof *d);
  if (!d) return sw__err(err, SW_E_NOMEM, "out of memory");
  d->sav = sav;
  d->n_rows = -1;
  sw_status s = sw__source_slurp(src, &d->data, &d->len, err);
  /* A first pass over no rows: the variables and the row count. */
  if (s == SW_OK) {
    d->n_rows = -1;
    readstat_parser_t *p = parser_new(d, false);
    if (!p) {
      s = sw__err(err, SW_E_NOMEM, "out of memory");
    } else {
      readstat_error_t e =
          sav ? readstat_parse_sav(p, "", d) : readstat_parse_dta(p, "", d);
      readstat_parser_free(p);
      if (d->nomem) {
        s = sw__err(err, SW_E_NOMEM, "out of memory");
      } else if (e != READSTAT_OK) {
        sw__err(err, SW_E_PARSE, "not a readable %s file: %s%s%s",
                sav ? "SPSS" : "Stata", readstat_error_message(e),
                d->bad[0] ? ": " : "", d->bad);
        sw__err_at(err, sw__csv_path(c), 0, NULL, 0);
        s = SW_E_PARSE;
      }
    }
  }
  if (s != SW_OK) {
    dta_close(d);
    return s;
  }
  /* Rows now come batch by batch (or whole, without a count). */
  d->vars_known = true;
  d->n_batch_rows = d->at = 0;
  d->done = d->n_rows == 0;
  *state = d;
  return SW_OK;
}

static sw_status dta_open(sw_source *src, const sw_csv_opts *o, sw_csv *c,
                          void **state, sw_error *err) {
  (void)o;
  return open_common(false, src, c, state, err);
}

static sw_status sav_open(sw_source *src, const sw_csv_opts *o, sw_csv *c,
                          void **state, sw_error *err) {
  (void)o;
  return open_common(true, src, c, state, err);
}

const sw_rows_backend sw__dta_backend = {dta_open, dta_next, NULL, dta_close,
                                         true};
const sw_rows_backend sw__sav_backend = {sav_open, dta_next, NULL, dta_close,
                                         true};
