/*
 * rejects_csv.c — the records' rejected rows, gathered during the audit,
 * written as rejects.csv by the library's writer (sw_rejects_file), the
 * CLI's, so that an audit from R leaves the same files as the CLI.
 */
#include <stdio.h>

#include "rejects_csv.h"

sw_status sw_r_rejects_csv(const sw_r_rejects *c, const char *dir,
                           sw_error *err) {
  char path[4096];
  snprintf(path, sizeof path, "%s/rejects.csv", dir);
  sw_rejects_file *w;
  sw_status st = sw_rejects_file_open(path, &w, err);
  if (st) return st;
  for (size_t i = 0; i < c->n; i++) {
    const sw_r_reject *r = &c->rows[i];
    /* Rejected attribute rows are not records: the CLI prints them. */
    if (r->input != SW_INPUT_RECORDS) continue;
    sw_reject row = {.file = r->file,
                     .line = r->line,
                     .byte = r->byte,
                     .column = r->column,
                     .reason = r->reason,
                     .raw = r->raw,
                     .raw_len = r->raw_len,
                     .input = r->input};
    sw_rejects_file_write(w, &row);
  }
  return sw_rejects_file_close(w, err);
}
