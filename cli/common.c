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

bool cli_count_reject(void *user, const sw_reject *r) {
  cli_reject_count *k = user;
  if (k->n++ < 5) cli_print_reject(r);
  return true;
}

sw_status cli_regions_read(const char *path, const char *id_property,
                           const char *layer, sw_regions **out, sw_error *err) {
  sw_regions_opts ro = {0};
  ro.id_property = id_property;
  ro.layer = layer;
  return sw_regions_read(path, &ro, out, err);
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

const char cli_read_help[] =
    "Records as agencies release them (see docs/input.md):\n"
    "  RECORDS may be - (standard input), CSV (gzip or not), .xlsx, .dta,\n"
    "  .sav; the header may sit below a preamble (found, or --skip-rows)\n"
    "  --column NAME=HEADER  the column NAME is the one headed HEADER, e.g.\n"
    "                        --column 'date=Stay Book In Date Time'\n"
    "                        (repeatable)\n"
    "  --columns FILE        mappings from a file, one NAME=HEADER a line\n"
    "  --date-format FMT     dates written as FMT (%Y %y %m %d %b %H %M %S\n"
    "                        %p ...), e.g. %d/%m/%Y; without it ISO dates and\n"
    "                        date-times, M/D/YYYY, M/D/YY, DD-Mon-YY and "
    "Excel\n"
    "                        serials are read, and a column whose month/day\n"
    "                        order nothing shows is refused\n"
    "  --facilities FILE     a facility list (code,lat,lon[,name], e.g.\n"
    "                        data/ice_facilities_1978_2017.csv): origin by\n"
    "                        the facility code, release by release_facility\n"
    "  --encoding NAME       input character set: latin1, windows-1252, ...\n"
    "  --sheet NAME|N        .xlsx: the sheet (default: all, in order)\n"
    "  --skip-rows N         the header is on row N+1\n"
    "  --gazetteer FILE      places for release_place/ties_place (ZIP code\n"
    "                        or \"City, ST\") and release_county/ties_county\n"
    "                        (FIPS or \"Name, ST\"); default: the gazetteer\n"
    "                        built from public data (data/gazetteer.csv.gz)\n";

void cli_read_apply(const cli_read *r, sw_read_opts *o) {
  o->columns = r->columns;
  o->n_columns = r->n_columns;
  o->columns_path = r->columns_file;
  o->date_format = r->date_format;
  o->facilities_path = r->facilities;
  o->encoding = r->encoding;
  o->sheet = r->sheet;
  o->gazetteer_path = r->gazetteer ? r->gazetteer : sw_gazetteer_default();
  o->skip_rows_set = r->skip_rows != UINT64_MAX;
  o->skip_rows = o->skip_rows_set ? (size_t)r->skip_rows : 0;
}
