/*
 * stays.c — reading detention stays (person, facility code, book-in,
 * book-out), the input of `steerwatch transfers`: the first stage before
 * transfers.c pairs each stay with the next.
 *
 * The table loop, the preamble search, the readers of every format and the
 * date recognition are the records reader's (table.c, datefmt.c); only the
 * columns differ. Both date columns share one month/day order: one agency
 * wrote both, and a book-out showing the order settles the book-ins read
 * before it.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "datefmt.h"
#include "err.h"
#include "facilities.h"
#include "records.h"
#include "source.h"
#include "stays.h"
#include "table.h"

enum col { S_ID, S_FACILITY, S_BOOK_IN, S_BOOK_OUT, N_COLS };

static const char *const col_name[N_COLS] = {"id", "facility", "book_in",
                                             "book_out"};

typedef struct reader {
  sw_csv *csv;
  const sw_read_opts *opts;
  sw_stays *s;
  const char *want[N_COLS]; /* header text of each column (--column) */
  long col[N_COLS];
  sw_table_verdict v;
  sw_date_col dates;
  uint32_t *pending; /* stay * 2 + (0 book_in, 1 book_out): dates read
                        before the month/day order was known */
  size_t n_pending, cap_pending;
  const sw_facilities *fac;
} reader;

void sw_stays_free(sw_stays *s) {
  if (!s) return;
  sw__free(s->person);
  sw__free(s->facility);
  sw__free(s->book_in);
  sw__free(s->book_out);
  sw__free(s->line);
  sw__buf_free(&s->arena);
  sw__free(s);
}

sw_counts sw_stays_counts(const sw_stays *s) { return s->counts; }

static bool reserve(sw_stays *s) {
  if (s->n < s->cap) return true;
  size_t cap = s->cap ? s->cap * 2 : 1024;
  void **cols[] = {(void **)&s->person, (void **)&s->facility,
                   (void **)&s->book_in, (void **)&s->book_out,
                   (void **)&s->line};
  size_t elem[] = {sizeof *s->person, sizeof *s->facility, sizeof *s->book_in,
                   sizeof *s->book_out, sizeof *s->line};
  for (size_t k = 0; k < sizeof cols / sizeof *cols; k++) {
    size_t bytes;
    if (!sw__mul_size(cap, elem[k], &bytes)) return false;
    void *p = sw__realloc(*cols[k], bytes);
    if (!p) return false;
    *cols[k] = p;
  }
  s->cap = cap;
  return true;
}

static bool reject_plain(reader *rd, enum col c, const char *reason) {
  snprintf(rd->v.reason, sizeof rd->v.reason, "%s", reason);
  rd->v.column = rd->want[c];
  return false;
}

static bool reject(reader *rd, enum col c, const char *fmt, const char *s,
                   size_t len) {
  char q[96];
  sw__quote(q, sizeof q, s, len, 64);
  snprintf(rd->v.reason, sizeof rd->v.reason, fmt, q);
  rd->v.column = rd->want[c];
  return false;
}

/* A required text field, trimmed: false (rejected) when empty or
 * redacted. */
static bool text(reader *rd, enum col c, const char **s, size_t *len) {
  *s = sw__csv_field(rd->csv, (size_t)rd->col[c], len);
  while (*len && **s == ' ')
    (*s)++, (*len)--;
  while (*len && (*s)[*len - 1] == ' ')
    (*len)--;
  if (!*len) return reject_plain(rd, c, "empty");
  if (**s == '(' && sw__is_redacted(*s, *len))
    return reject(rd, c, "redacted: %s", *s, *len);
  return true;
}

/* A date field; empty book_out is an open stay. *pending when its
 * month/day order is not known yet. */
static bool date(reader *rd, enum col c, int32_t *days, bool *pending) {
  size_t len;
  const char *s = sw__csv_field(rd->csv, (size_t)rd->col[c], &len);
  *pending = false;
  if (!len && c == S_BOOK_OUT) {
    *days = SW_STAY_OPEN;
    return true;
  }
  if (!len) return reject_plain(rd, c, "empty");
  if (*s == '(' && sw__is_redacted(s, len))
    return reject(rd, c, "redacted: %s", s, len);
  int k = sw__date_col_read(&rd->dates, s, len, sw__csv_line(rd->csv), days,
                            rd->v.reason, sizeof rd->v.reason);
  if (k == SW_DATE_BAD) {
    rd->v.column = rd->want[c];
    return false;
  }
  *pending = k == SW_DATE_PENDING;
  return true;
}

static bool add_pending(reader *rd, uint32_t v) {
  if (rd->n_pending == rd->cap_pending) {
    void *p = rd->pending;
    if (!sw__grow(&p, &rd->cap_pending, rd->n_pending + 1, sizeof *rd->pending))
      return false;
    rd->pending = p;
  }
  rd->pending[rd->n_pending++] = v;
  return true;
}

static sw_status take_row(void *user, bool *kept) {
  reader *rd = user;
  sw_stays *s = rd->s;
  *kept = false;
  const char *id, *fac;
  size_t id_len, fac_len;
  int32_t in, out;
  bool in_pending, out_pending;
  if (!text(rd, S_ID, &id, &id_len) || !text(rd, S_FACILITY, &fac, &fac_len) ||
      !date(rd, S_BOOK_IN, &in, &in_pending) ||
      !date(rd, S_BOOK_OUT, &out, &out_pending))
    return SW_OK;
  sw_point p;
  if (rd->fac &&
      sw__facilities_find(rd->fac, fac, fac_len, &p) == SW_FAC_UNKNOWN) {
    reject(rd, S_FACILITY, "unknown facility code: %s", fac, fac_len);
    return SW_OK;
  }
  /* Pending dates are compared once their order is known (transfers.c
   * counts a stay that then ends before it began as an overlap). */
  if (!in_pending && !out_pending && out < in) {
    size_t len;
    const char *o = sw__csv_field(rd->csv, (size_t)rd->col[S_BOOK_OUT], &len);
    char q[96];
    sw__quote(q, sizeof q, o, len, 64);
    snprintf(rd->v.reason, sizeof rd->v.reason, "before %.64s: %s",
             rd->want[S_BOOK_IN], q);
    rd->v.column = rd->want[S_BOOK_OUT];
    return SW_OK;
  }
  if (s->n >= UINT32_MAX / 2) {
    snprintf(rd->v.reason, sizeof rd->v.reason, "more than %u stays",
             (unsigned)(UINT32_MAX / 2));
    rd->v.column = "";
    return SW_OK;
  }
  if (!reserve(s)) return SW_E_NOMEM;
  size_t i = s->n;
  if ((in_pending && !add_pending(rd, (uint32_t)i * 2)) ||
      (out_pending && !add_pending(rd, (uint32_t)i * 2 + 1)))
    return SW_E_NOMEM;
  s->person[i] = s->arena.len;
  if (!sw__buf_append(&s->arena, id, id_len) || !sw__buf_putc(&s->arena, 0))
    return SW_E_NOMEM;
  s->facility[i] = s->arena.len;
  if (!sw__buf_append(&s->arena, fac, fac_len) || !sw__buf_putc(&s->arena, 0))
    return SW_E_NOMEM;
  s->book_in[i] = in;
  s->book_out[i] = out;
  s->line[i] = sw__csv_line(rd->csv);
  s->n++;
  *kept = true;
  return SW_OK;
}

static sw_status read_header(void *user, sw_error *err) {
  reader *rd = user;
  const char *path = sw__csv_path(rd->csv);
  uint64_t line = sw__csv_line(rd->csv);
  for (int k = 0; k < N_COLS; k++) {
    rd->col[k] = sw__csv_find(rd->csv, rd->want[k]);
    if (rd->col[k] >= 0) continue;
    /* Without the id column a row is no header: look further down. */
    sw_status code = k == S_ID ? SW_E_PARSE : SW_E_SCHEMA;
    sw__err(err, code,
            "required column missing from the stays' header (id, facility, "
            "book_in, book_out)");
    sw__err_at(err, path, line, rd->want[k], 0);
    return code;
  }
  rd->dates.no_serials = sw__csv_typed_dates(rd->csv);
  return SW_OK;
}

/* --column NAME=HEADER for the stays' four columns. */
static sw_status map_columns(reader *rd, sw_error *err) {
  for (int k = 0; k < N_COLS; k++)
    rd->want[k] = col_name[k];
  const sw_read_opts *o = rd->opts;
  if (o->columns_path)
    return sw__err(err, SW_E_USAGE,
                   "--columns: stays take --column mappings only");
  for (size_t i = 0; i < o->n_columns; i++) {
    const char *m = o->columns ? o->columns[i] : NULL;
    const char *eq = m ? strchr(m, '=') : NULL;
    if (!eq || eq == m || !eq[1])
      return sw__err(err, SW_E_USAGE,
                     "--column needs NAME=HEADER, got \"%.64s\"", m ? m : "");
    int k = 0;
    while (k < N_COLS && (strlen(col_name[k]) != (size_t)(eq - m) ||
                          strncasecmp(col_name[k], m, (size_t)(eq - m))))
      k++;
    if (k == N_COLS)
      return sw__err(err, SW_E_USAGE,
                     "--column %.*s: not a stays column (id, facility, "
                     "book_in, book_out)",
                     (int)(eq - m < 32 ? eq - m : 32), m);
    if (rd->want[k] != col_name[k])
      return sw__err(err, SW_E_USAGE, "--column %s mapped twice", col_name[k]);
    rd->want[k] = eq + 1;
  }
  return SW_OK;
}

sw_status sw_stays_read(const char *path, const sw_read_opts *opts,
                        sw_stays **out, sw_error *err) {
  static const sw_read_opts defaults;
  if (!out) return sw__err(err, SW_E_USAGE, "stays: no output pointer");
  *out = NULL;
  if (!path) return sw__err(err, SW_E_USAGE, "stays: no path");
  reader rd = {0};
  rd.opts = opts ? opts : &defaults;
  rd.dates.format = rd.opts->date_format;
  sw_facilities *fac = NULL;
  sw_status st = map_columns(&rd, err);
  if (st == SW_OK && rd.opts->date_format &&
      sw_date_parse_format(rd.opts->date_format, "", 0, &(int32_t){0}) ==
          SW_E_USAGE)
    st =
        sw__err(err, SW_E_USAGE, "--date-format \"%.64s\" is not a date format",
                rd.opts->date_format);
  if (st == SW_OK && rd.opts->facilities_path)
    st = sw__facilities_read(rd.opts->facilities_path, NULL, &fac, err);
  rd.fac = fac;
  if (st == SW_OK && !(rd.s = sw__calloc(1, sizeof *rd.s)))
    st = sw__err(err, SW_E_NOMEM, "out of memory reading stays");
  if (st == SW_OK)
    st = sw__table_read(path, rd.opts, &rd.csv, read_header, take_row, &rd,
                        &rd.v, &rd.s->counts, SW_INPUT_RECORDS, err);
  if (st == SW_OK)
    st =
        sw__date_col_finish(&rd.dates, strcmp(path, "-") ? path : SW_STDIN_NAME,
                            rd.want[S_BOOK_IN], err);
  if (st == SW_OK && rd.dates.order == 2)
    for (size_t k = 0; k < rd.n_pending; k++) {
      uint32_t v = rd.pending[k];
      int32_t *d = v & 1 ? &rd.s->book_out[v / 2] : &rd.s->book_in[v / 2];
      *d = sw__date_day_first(*d);
    }
  sw__free(rd.pending);
  sw__facilities_free(fac);
  if (st != SW_OK) {
    sw_stays_free(rd.s);
    return st;
  }
  *out = rd.s;
  return SW_OK;
}
