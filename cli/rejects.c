/*
 * rejects.c — the rejects.csv writer: every row a reader rejected, with
 * where it was and why, and its bytes verbatim, so that nothing read is
 * lost and each reject can be fixed at its source (SPEC: `line,byte,
 * column,reason,raw`). Used by check and audit.
 */
#include <errno.h>
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

/* One CSV field, quoted when it holds a comma, quote, CR or LF, or has
 * spaces at either end (which readers may trim). */
static void put_field(FILE *f, const char *s, size_t len) {
  bool quote = len && (s[0] == ' ' || s[len - 1] == ' ');
  for (size_t i = 0; i < len && !quote; i++)
    quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
  if (!quote) {
    fwrite(s, 1, len, f);
    return;
  }
  fputc('"', f);
  size_t from = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] != '"') continue;
    fwrite(s + from, 1, i + 1 - from, f);
    from = i; /* the quote is written again: doubled */
  }
  fwrite(s + from, 1, len - from, f);
  fputc('"', f);
}

void cli_rejects_write(cli_rejects *w, const sw_reject *r) {
  if (!w->f) return;
  fprintf(w->f, "%llu,%llu,", (unsigned long long)r->line,
          (unsigned long long)r->byte);
  put_field(w->f, r->column, strlen(r->column));
  fputc(',', w->f);
  put_field(w->f, r->reason, strlen(r->reason));
  fputc(',', w->f);
  put_field(w->f, r->raw, r->raw_len);
  if (fputc('\n', w->f) == EOF) w->failed = true;
}

bool cli_rejects_close(cli_rejects *w) {
  if (!w->f) return !w->failed;
  bool ok = !w->failed && !ferror(w->f);
  if (fclose(w->f) != 0) ok = false;
  w->f = NULL;
  return ok;
}
