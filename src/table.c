/*
 * table.c — the accept-or-reject row loop of the table readers (see
 * table.h).
 */
#include "table.h"

#include <stdio.h>
#include <string.h>

#include "err.h"
#include "rows.h"

sw_status sw__table_read_header(sw_csv *c, sw_error *err) {
  bool got;
  sw_status s = sw__csv_next(c, &got, err);
  if (s != SW_OK) return s;
  if (!got) {
    sw__err(err, SW_E_SCHEMA, "empty file: no header row");
    sw__err_at(err, sw__csv_path(c), 0, NULL, 0);
    return SW_E_SCHEMA;
  }
  if (sw__csv_fault(c)) {
    sw__err(err, SW_E_PARSE, "malformed header: %s", sw__csv_fault(c));
    sw__err_at(err, sw__csv_path(c), sw__csv_line(c), NULL, sw__csv_byte(c));
    return SW_E_PARSE;
  }
  return SW_OK;
}

/* A row the CSV reader found malformed, or with another number of fields
 * than the header, is rejected whole (column "") before the table's take
 * sees it. */
static bool malformed(const sw_csv *c, size_t n_header, sw_table_verdict *v) {
  const char *fault = sw__csv_fault(c);
  v->column = "";
  if (fault)
    snprintf(v->reason, sizeof v->reason, "%s", fault);
  else if (sw__csv_n_fields(c) != n_header)
    snprintf(v->reason, sizeof v->reason, "%zu fields, the header has %zu",
             sw__csv_n_fields(c), n_header);
  else
    return false;
  return true;
}

/* The table as errors name it. */
static const char *table_name(sw_input input) {
  return input == SW_INPUT_ATTRS ? "attributes" : "records";
}

sw_status sw__table_read_rows(sw_csv *c, const sw_read_opts *opts,
                              sw_counts *counts, sw_table_take_fn take,
                              void *user, sw_table_verdict *verdict,
                              sw_input input, sw_error *err) {
  size_t n_header = sw__csv_n_fields(c); /* the current row is the header */
  for (;;) {
    bool got, kept = false;
    sw_status s = sw__csv_next(c, &got, err);
    if (s != SW_OK) return s;
    if (!got) return SW_OK;
    /* Asked per row: a workbook's name changes with its sheet. */
    const char *path = sw__csv_path(c);
    counts->read++;
    if (!malformed(c, n_header, verdict) && (s = take(user, &kept)) != SW_OK) {
      sw__err(err, s, "out of memory reading %s", table_name(input));
      sw__err_at(err, path, sw__csv_line(c), NULL, sw__csv_byte(c));
      return s;
    }
    if (kept) {
      counts->accepted++;
      continue;
    }
    counts->rejected++;
    if (!opts->on_reject) continue;
    sw_reject rj;
    rj.file = path;
    rj.input = input;
    rj.column = verdict->column;
    rj.reason = verdict->reason;
    rj.line = sw__csv_line(c);
    rj.byte = sw__csv_byte(c);
    rj.raw = sw__csv_raw(c, &rj.raw_len);
    if (!opts->on_reject(opts->reject_user, &rj)) {
      sw__err(err, SW_E_USAGE, "stopped by caller");
      sw__err_at(err, path, rj.line, NULL, rj.byte);
      return SW_E_USAGE;
    }
  }
}

/* Rows a header is looked for in when no --skip-rows says where it is:
 * agency spreadsheets put a title, a date and notes above it (ICE's about
 * six rows). */
#define HEADER_SEARCH_ROWS 100

sw_status sw__table_find_header(sw_csv *c, const sw_read_opts *opts,
                                sw_table_header_fn header, void *user,
                                sw_error *err) {
  sw_status s;
  if (opts->skip_rows_set) {
    /* Counted as lines (a spreadsheet's row numbers), blank ones too: the
     * header is the first row below line skip_rows. */
    for (;;) {
      bool got;
      if ((s = sw__csv_next(c, &got, err)) != SW_OK) return s;
      if (!got) {
        sw__err(err, SW_E_SCHEMA,
                "no header: the input ends within the %zu rows --skip-rows "
                "skips",
                opts->skip_rows);
        sw__err_at(err, sw__csv_path(c), 0, NULL, 0);
        return SW_E_SCHEMA;
      }
      if (sw__csv_line(c) > opts->skip_rows) break;
    }
    if (sw__csv_fault(c)) {
      sw__err(err, SW_E_PARSE, "malformed header: %s", sw__csv_fault(c));
      sw__err_at(err, sw__csv_path(c), sw__csv_line(c), NULL, sw__csv_byte(c));
      return SW_E_PARSE;
    }
    s = header(user, err);
    if (s == SW_E_PARSE && err) err->code = s = SW_E_SCHEMA;
    return s;
  }
  /* A header callback answers SW_E_PARSE for a row that is no header at
   * all (it lacks the key column: a title, a note) and SW_E_SCHEMA for
   * the header with something wrong, which ends the search. */
  sw_error first, tmp;
  size_t filled = 0; /* non-empty fields of the first row */
  if ((s = sw__table_read_header(c, &first)) == SW_OK) {
    for (size_t k = 0; k < sw__csv_n_fields(c); k++) {
      size_t len;
      sw__csv_field(c, k, &len);
      filled += len > 0;
    }
    s = header(user, &first);
  }
  if (s != SW_E_PARSE || !first.line) {
    if (err && s != SW_OK) *err = first;
    return s;
  }
  for (int k = 1; k < HEADER_SEARCH_ROWS; k++) {
    bool got;
    sw_status t = sw__csv_next(c, &got, &tmp);
    if (t != SW_OK) {
      if (err) *err = tmp;
      return t;
    }
    if (!got) break;
    if (sw__csv_fault(c)) continue;
    t = header(user, &tmp);
    if (t == SW_E_PARSE) continue;
    if (t != SW_OK && err) *err = tmp;
    return t;
  }
  if (err) {
    *err = first;
    err->code = SW_E_SCHEMA;
    /* A first row of one cell is a title: say where the way out is. */
    if (filled <= 1) {
      size_t n = strlen(err->message);
      snprintf(err->message + n, sizeof err->message - n,
               "; no row of the next %d is a header either (rows above the "
               "header: set --skip-rows)",
               HEADER_SEARCH_ROWS - 1);
    }
  }
  return SW_E_SCHEMA;
}

sw_status sw__table_read_hashed(const char *path, const sw_read_opts *opts,
                                sw_csv **csv_slot, sw_table_header_fn header,
                                sw_table_take_fn take, void *user,
                                sw_table_verdict *verdict, sw_counts *counts,
                                sw_input input, sw_table_digest *digest,
                                sw_error *err) {
  sw_csv_opts co = {0};
  co.delimiter = opts->delimiter;
  co.on_progress = opts->on_progress;
  co.progress_user = opts->progress_user;
  co.encoding = opts->encoding;
  co.sha256 = digest != NULL;
  co.sheet = opts->sheet;
  co.sniff = sw__rows_backend_for;
  sw_status s = sw__csv_open(path, &co, csv_slot, err);
  if (s != SW_OK) return s;
  if ((s = sw__table_find_header(*csv_slot, opts, header, user, err)) ==
          SW_OK &&
      !sw__csv_header_found(*csv_slot))
    s = sw__err(err, SW_E_NOMEM, "out of memory reading the header");
  if (s == SW_OK)
    s = sw__table_read_rows(*csv_slot, opts, counts, take, user, verdict, input,
                            err);
  if (s == SW_OK && digest)
    s = sw__csv_sha256(*csv_slot, digest->sha256, &digest->bytes, err);
  sw__csv_close(*csv_slot);
  *csv_slot = NULL;
  return s;
}

sw_status sw__table_read(const char *path, const sw_read_opts *opts,
                         sw_csv **csv_slot, sw_table_header_fn header,
                         sw_table_take_fn take, void *user,
                         sw_table_verdict *verdict, sw_counts *counts,
                         sw_input input, sw_error *err) {
  return sw__table_read_hashed(path, opts, csv_slot, header, take, user,
                               verdict, counts, input, NULL, err);
}
