/*
 * make_dta.c — writes a Stata .dta (or, for OUT.sav, an SPSS .sav) file
 * from a CSV, for the tests of those readers: every column a string
 * variable, except those named after the output path, which hold
 * date-times ("YYYY-MM-DD HH:MM:SS" or a bare date) and become Stata %tc
 * values (milliseconds since 1960-01-01) or SPSS DATETIME values (seconds
 * since 1582-10-14), as agencies' exports store them. Empty date cells are
 * missing.
 * Usage: make_dta IN.csv OUT.dta|OUT.sav [DATE_COLUMN]...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readstat.h>

#include "csv.h"
#include "steerwatch.h"

static ssize_t write_bytes(const void *data, size_t len, void *ctx) {
  return (ssize_t)fwrite(data, 1, len, ctx);
}

#define MAX_ROWS 100000
#define MAX_COLS 64

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: make_dta IN.csv OUT.dta [DATE_COLUMN]...\n");
    return 64;
  }
  sw_csv *c;
  sw_error e;
  if (sw__csv_open(argv[1], NULL, &c, &e) != SW_OK) return 66;
  static char *cell[MAX_ROWS][MAX_COLS];
  char *name[MAX_COLS];
  size_t n_cols = 0, n_rows = 0, width[MAX_COLS] = {0};
  bool got, header = true;
  while (sw__csv_next(c, &got, &e) == SW_OK && got) {
    if (header) {
      n_cols = sw__csv_n_fields(c);
      for (size_t k = 0; k < n_cols; k++)
        name[k] = strdup(sw__csv_field(c, k, NULL));
      header = false;
      continue;
    }
    if (n_rows == MAX_ROWS) return 65;
    for (size_t k = 0; k < n_cols; k++) {
      size_t len;
      const char *f = sw__csv_field(c, k, &len);
      cell[n_rows][k] = strdup(f);
      if (len > width[k]) width[k] = len;
    }
    n_rows++;
  }
  sw__csv_close(c);
  FILE *out = fopen(argv[2], "wb");
  if (!out) return 73;
  readstat_writer_t *w = readstat_writer_init();
  readstat_set_data_writer(w, write_bytes);
  size_t plen = strlen(argv[2]);
  bool sav = plen > 4 && !strcmp(argv[2] + plen - 4, ".sav");
  readstat_variable_t *var[MAX_COLS];
  bool is_date[MAX_COLS] = {false};
  for (size_t k = 0; k < n_cols; k++) {
    for (int a = 3; a < argc; a++)
      if (!strcmp(argv[a], name[k])) is_date[k] = true;
    /* Stata names: letters, digits, underscores. */
    char vname[33];
    size_t j = 0;
    for (const char *p = name[k]; *p && j < 32; p++)
      vname[j++] = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                           (*p >= '0' && *p <= '9')
                       ? *p
                       : '_';
    vname[j] = '\0';
    var[k] = is_date[k]
                 ? readstat_add_variable(w, vname, READSTAT_TYPE_DOUBLE, 0)
                 : readstat_add_variable(w, vname, READSTAT_TYPE_STRING,
                                         width[k] ? width[k] : 1);
    if (is_date[k]) readstat_variable_set_format(var[k], "%tc");
  }
  if (readstat_begin_writing_dta(w, out, (long)n_rows) != READSTAT_OK)
    return 74;
  for (size_t i = 0; i < n_rows; i++) {
    readstat_begin_row(w);
    for (size_t k = 0; k < n_cols; k++) {
      const char *v = cell[i][k];
      if (!is_date[k]) {
        readstat_insert_string_value(w, var[k], v);
        continue;
      }
      int32_t days;
      int h = 0, m = 0, s = 0;
      if (strlen(v) < 10 || sw_date_parse(v, 10, &days) != SW_OK) {
        readstat_insert_missing_value(w, var[k]);
        continue;
      }
      if (strlen(v) >= 19) sscanf(v + 11, "%d:%d:%d", &h, &m, &s);
      double ms =
          ((double)(days + 3653) * 86400.0 + h * 3600 + m * 60 + s) * 1000.0;
      readstat_insert_double_value(w, var[k], ms);
    }
    readstat_end_row(w);
  }
  readstat_end_writing(w);
  readstat_writer_free(w);
  for (size_t i = 0; i < n_rows; i++)
    for (size_t k = 0; k < n_cols; k++)
      free(cell[i][k]);
  for (size_t k = 0; k < n_cols; k++)
    free(name[k]);
  return fclose(out) ? 74 : 0;
}
