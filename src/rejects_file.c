/*
 * rejects_file.c — rejects.csv: every row a reader rejected, with where it
 * was and why, and its bytes verbatim, so that nothing read is lost and
 * each reject can be fixed at its source (SPEC: `line,byte,column,reason,
 * raw`). The one writer of that file, for the CLI (check, transfers,
 * audit) and for the Python and R packages alike. Cells are formula-guarded
 * like every CSV steerwatch writes (sw_csv_field): a raw row starting with
 * `=` comes out as `'=...`, and dropping that one `'` gives the bytes back
 * (docs/errors.md).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "err.h"
#include "steerwatch.h"

struct sw_rejects_file {
  FILE *f;
  char *path;
  bool failed; /* a write failed: sw_rejects_file_close says so */
  char *field; /* one guarded field; a raw row may reach megabytes */
  size_t cap;
};

sw_status sw_rejects_file_open(const char *path, sw_rejects_file **out,
                               sw_error *err) {
  *out = NULL;
  if (!path) return sw__err(err, SW_E_USAGE, "rejects file: no path");
  sw_rejects_file *w = sw__calloc(1, sizeof *w);
  if (!w || !(w->path = sw__strdup(path))) {
    sw__free(w);
    return sw__err(err, SW_E_NOMEM, "out of memory");
  }
  if (!(w->f = fopen(path, "wb"))) {
    sw__err(err, SW_E_CREATE, "cannot create: %s", strerror(errno));
    sw__err_at(err, path, 0, NULL, 0);
    sw__free(w->path);
    sw__free(w);
    return SW_E_CREATE;
  }
  if (fputs("line,byte,column,reason,raw\n", w->f) < 0) w->failed = true;
  *out = w;
  return SW_OK;
}

/* One field as sw_csv_field writes it. */
static void put_field(sw_rejects_file *w, const char *s, size_t len) {
  size_t need = sw_csv_field(s, len, ',', w->field, w->cap);
  if (need >= w->cap) {
    char *grown = sw__realloc(w->field, need + 1);
    if (!grown) {
      w->failed = true;
      return;
    }
    w->field = grown;
    w->cap = need + 1;
    sw_csv_field(s, len, ',', w->field, w->cap);
  }
  if (fwrite(w->field, 1, need, w->f) != need) w->failed = true;
}

bool sw_rejects_file_write(void *file, const sw_reject *r) {
  sw_rejects_file *w = file;
  if (fprintf(w->f, "%llu,%llu,", (unsigned long long)r->line,
              (unsigned long long)r->byte) < 0)
    w->failed = true;
  put_field(w, r->column, r->column ? strlen(r->column) : 0);
  fputc(',', w->f);
  put_field(w, r->reason, r->reason ? strlen(r->reason) : 0);
  fputc(',', w->f);
  put_field(w, r->raw, r->raw_len);
  if (fputc('\n', w->f) == EOF) w->failed = true;
  return true;
}

sw_status sw_rejects_file_close(sw_rejects_file *w, sw_error *err) {
  if (!w) return SW_OK;
  bool ok = !w->failed && !ferror(w->f);
  if (fclose(w->f) != 0) ok = false;
  sw_status st = SW_OK;
  if (!ok) {
    st = sw__err(err, SW_E_IO, "write error");
    sw__err_at(err, w->path, 0, NULL, 0);
  }
  sw__free(w->field);
  sw__free(w->path);
  sw__free(w);
  return st;
}
