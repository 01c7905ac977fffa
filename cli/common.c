/*
 * common.c — exit codes, error printing and argument helpers shared by the
 * subcommands (see cli.h).
 */
#include <stdarg.h>
#include <string.h>

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

bool cli_parse_delimiter(const char *s, char *out) {
  if (!strcmp(s, "\\t") || !strcmp(s, "tab")) {
    *out = '\t';
    return true;
  }
  if (strlen(s) != 1 || s[0] == '"' || s[0] == '\n' || s[0] == '\r')
    return false;
  *out = s[0];
  return true;
}
