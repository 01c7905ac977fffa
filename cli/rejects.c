/*
 * rejects.c — the rejects.csv writer: every row a reader rejected, with
 * where it was and why, and its bytes verbatim, so that nothing read is
 * lost and each reject can be fixed at its source (SPEC: `line,byte,
 * column,reason,raw`). Used by check and audit. Cells are formula-guarded
 * like every CSV steerwatch writes: a raw row starting with `=` comes out
 * as `'=...`, and dropping that one `'` gives the bytes back
 * (docs/errors.md).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

bool cli_rejects_open(cli_rejects *w, const char *path) {
  w->path = path;
  w->failed = false;
  w->f = fopen(path, "wb");
  if (!w->f) return false;
  if (fputs("line,byte,column,reason,raw\n", w->f) < 0) w->failed = true;
  return true;
}

/* One field as sw_csv_field writes it (quoted, formula-guarded); a field
 * longer than the stack buffer (a raw row may reach megabytes) is made in
 * one of its own size. */
static void put_field(cli_rejects *w, const char *s, size_t len) {
  char small[1024];
  size_t need = sw_csv_field(s, len, ',', small, sizeof small);
  if (need < sizeof small) {
    fwrite(small, 1, need, w->f);
    return;
  }
  char *big = malloc(need + 1);
  if (!big) {
    w->failed = true;
    return;
  }
  sw_csv_field(s, len, ',', big, need + 1);
  fwrite(big, 1, need, w->f);
  free(big);
}

void cli_rejects_write(cli_rejects *w, const sw_reject *r) {
  if (!w->f) return;
  fprintf(w->f, "%llu,%llu,", (unsigned long long)r->line,
          (unsigned long long)r->byte);
  put_field(w, r->column, strlen(r->column));
  fputc(',', w->f);
  put_field(w, r->reason, strlen(r->reason));
  fputc(',', w->f);
  put_field(w, r->raw, r->raw_len);
  if (fputc('\n', w->f) == EOF) w->failed = true;
}

bool cli_rejects_close(cli_rejects *w) {
  if (!w->f) return !w->failed;
  bool ok = !w->failed && !ferror(w->f);
  if (fclose(w->f) != 0) ok = false;
  w->f = NULL;
  return ok;
}
