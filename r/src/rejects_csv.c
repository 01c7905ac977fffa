/*
 * rejects_csv.c — rejects.csv as `steerwatch audit` writes it
 * (cli/rejects.c: `line,byte,column,reason,raw`, each cell through
 * sw_csv_field), so that an audit from R leaves the same files as the CLI.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rejects_csv.h"

/* err for path, its name cut to what sw_error holds. */
static sw_status fail(sw_error *err, sw_status code, const char *message,
                      const char *path) {
  *err = (sw_error){.code = code};
  snprintf(err->message, sizeof err->message, "%s", message);
  size_t n = strlen(path);
  if (n >= sizeof err->file) n = sizeof err->file - 1;
  memcpy(err->file, path, n);
  return code;
}

static bool put_field(FILE *f, const char *s, size_t len) {
  size_t need = sw_csv_field(s, len, ',', NULL, 0);
  char *buf = malloc(need + 1);
  if (!buf) return false;
  sw_csv_field(s, len, ',', buf, need + 1);
  bool ok = fwrite(buf, 1, need, f) == need;
  free(buf);
  return ok;
}

sw_status sw_r_rejects_csv(const sw_r_rejects *c, const char *dir,
                           sw_error *err) {
  char path[4096];
  snprintf(path, sizeof path, "%s/rejects.csv", dir);
  FILE *f = fopen(path, "wb");
  if (!f) return fail(err, SW_E_CREATE, strerror(errno), path);
  bool ok = fputs("line,byte,column,reason,raw\n", f) >= 0;
  for (size_t i = 0; ok && i < c->n; i++) {
    const sw_r_reject *r = &c->rows[i];
    /* Rejected attribute rows are not records: the CLI prints them. */
    if (r->input != SW_INPUT_RECORDS) continue;
    ok = fprintf(f, "%llu,%llu,", (unsigned long long)r->line,
                 (unsigned long long)r->byte) > 0 &&
         put_field(f, r->column, strlen(r->column)) && fputc(',', f) != EOF &&
         put_field(f, r->reason, strlen(r->reason)) && fputc(',', f) != EOF &&
         put_field(f, r->raw, r->raw_len) && fputc('\n', f) != EOF;
  }
  if (fclose(f) != 0) ok = false;
  return ok ? SW_OK : fail(err, SW_E_IO, "write error", path);
}
