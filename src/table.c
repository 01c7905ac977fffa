/*
 * table.c — the accept-or-reject row loop of the table readers (see
 * table.h).
 */
#include "table.h"

#include <stdio.h>

#include "err.h"

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
  const char *path = sw__csv_path(c);
  size_t n_header = sw__csv_n_fields(c); /* the current row is the header */
  for (;;) {
    bool got, kept = false;
    sw_status s = sw__csv_next(c, &got, err);
    if (s != SW_OK) return s;
    if (!got) return SW_OK;
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

sw_status sw__table_read(const char *path, const sw_read_opts *opts,
                         sw_csv **csv_slot, sw_table_header_fn header,
                         sw_table_take_fn take, void *user,
                         sw_table_verdict *verdict, sw_counts *counts,
                         sw_input input, sw_error *err) {
  sw_csv_opts co = {0};
  co.delimiter = opts->delimiter;
  co.on_progress = opts->on_progress;
  co.progress_user = opts->progress_user;
  sw_status s = sw__csv_open(path, &co, csv_slot, err);
  if (s != SW_OK) return s;
  if ((s = sw__table_read_header(*csv_slot, err)) == SW_OK &&
      (s = header(user, err)) == SW_OK)
    s = sw__table_read_rows(*csv_slot, opts, counts, take, user, verdict, input,
                            err);
  sw__csv_close(*csv_slot);
  *csv_slot = NULL;
  return s;
}
