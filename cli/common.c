/*
 * common.c — exit codes and error printing shared by the subcommands (see
 * cli.h); options.c parses their arguments.
 */
#include <stdarg.h>
#include <time.h>

#include "cli.h"

int cli_exit_code(sw_status s) {
  switch (s) {
  case SW_OK: return EXIT_DONE;
  case SW_E_USAGE: return EXIT_USAGE;
  case SW_E_PARSE:
  case SW_E_SCHEMA:
  case SW_E_RANGE:
  case SW_E_MODEL: return EXIT_DATA;
  case SW_E_OPEN: return EXIT_NOINPUT;
  case SW_E_CREATE: return EXIT_CANTCREAT;
  case SW_E_IO: return EXIT_IOERR;
  case SW_E_NOMEM:
  case SW_E_INTERNAL: return EXIT_SOFTWARE;
  }
  return EXIT_SOFTWARE;
}

int cli_fail(const sw_error *e) {
  char msg[1024];
  sw_error_format(e, msg, sizeof msg);
  fprintf(stderr, "steerwatch: %s\n", msg);
  return cli_exit_code(e->code);
}

int cli_usage_error(const char *cmd, const char *usage, const char *fmt, ...) {
  fprintf(stderr, "steerwatch %s: ", cmd);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nusage: %s\n", usage);
  return EXIT_USAGE;
}

void cli_print_reject(const sw_reject *r) {
  fprintf(stderr, "%s:%llu: %s%s%s\n", r->file, (unsigned long long)r->line,
          r->column, r->column[0] ? ": " : "", r->reason);
}

double cli_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

void cli_print_skipped(const char *path, const sw_regions *g) {
  size_t n = sw_regions_n_skipped(g);
  const char *note;
  for (size_t i = 0; (note = sw_regions_skip_note(g, i)); i++)
    fprintf(stderr, "steerwatch: %s: skipped %s\n", path, note);
  if (n > SW_REGIONS_SKIP_NOTES)
    fprintf(stderr, "steerwatch: %s: ... and %zu more features skipped\n", path,
            n - SW_REGIONS_SKIP_NOTES);
}
