/*
 * cmd_check.c — `steerwatch check`: validate placement records without
 * auditing them, so that a user can fix the data first.
 *
 * Streams the records through sw_records_validate (memory: the ids seen,
 * not the records); each reject is shown (the first
 * few), kept for --json (the first MAX_JSON_ERRORS) and written to
 * --rejects. The counts always satisfy read = accepted + rejected.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"

#define MAX_SHOWN 10        /* errors printed on stderr */
#define MAX_JSON_ERRORS 100 /* errors listed by --json (see steerwatch(1)) */

static const char usage[] =
    "steerwatch check RECORDS [--rejects FILE] [--json] [--delimiter D] "
    "[--column NAME=HEADER]... [--columns FILE] [--date-format FMT] "
    "[--facilities FILE] "
    "[--encoding NAME] [--sheet NAME] [--skip-rows N] [--gazetteer FILE]";

static void help(void) {
  printf("usage: %s\n\n"
         "Validate placement records: every row is accepted or rejected with\n"
         "a reason, and read = accepted + rejected. Prints the counts and the\n"
         "first %d errors on stderr.\n\n"
         "  --rejects FILE   write rejected rows to FILE "
         "(line,byte,column,reason,raw)\n"
         "  --json           print {\"read\", \"accepted\", \"rejected\", "
         "\"errors\"} on stdout\n"
         "                   (errors lists the first %d)\n"
         "  --delimiter D    field separator: , | ; tab\n\n"
         "%s\n"
         "Example: the ICE layout, piped:\n"
         "  zcat ice.csv.gz | steerwatch check - --delimiter '|' \\\n"
         "    --column 'id=Unique Identifier' \\\n"
         "    --column 'date=Stay Book In Date Time' \\\n"
         "    --column 'facility=Detention Facility Code' \\\n"
         "    --facilities data/ice_facilities_1978_2017.csv\n\n"
         "Exit: 0 checked (even with rejects), 64 usage, 65 header lacks a\n"
         "required column (or dates are ambiguous), 66 cannot open, 73/74\n"
         "cannot write the rejects.\n",
         usage, MAX_SHOWN, MAX_JSON_ERRORS, cli_read_help);
}

typedef struct kept_error {
  uint64_t line;
  char *column;
  char *reason;
} kept_error;

typedef struct sink {
  unsigned shown;
  kept_error errors[MAX_JSON_ERRORS];
  size_t n_errors;
  bool nomem;
  sw_rejects_file *rejects; /* NULL without --rejects */
} sink;

static bool on_reject(void *user, const sw_reject *r) {
  sink *s = user;
  if (s->shown < MAX_SHOWN) {
    cli_print_reject(r);
    s->shown++;
  }
  if (s->n_errors < MAX_JSON_ERRORS) {
    kept_error *e = &s->errors[s->n_errors];
    e->line = r->line;
    e->column = strdup(r->column);
    e->reason = strdup(r->reason);
    if (!e->column || !e->reason) {
      free(e->column);
      free(e->reason);
      s->nomem = true;
      return false;
    }
    s->n_errors++;
  }
  if (s->rejects) sw_rejects_file_write(s->rejects, r);
  return true;
}

/* A JSON string literal for s, via cJSON's escaper; false out of memory. */
static bool put_json_string(FILE *f, const char *s) {
  cJSON *j = cJSON_CreateString(s);
  char *text = j ? cJSON_PrintUnformatted(j) : NULL;
  cJSON_Delete(j);
  if (!text) return false;
  fputs(text, f);
  cJSON_free(text);
  return true;
}

/* SPEC's exact shape, with its spacing, so that the output can be compared
 * as text as well as parsed. */
static bool print_json(const sw_counts *c, const sink *s) {
  printf("{\"read\": %llu, \"accepted\": %llu, \"rejected\": %llu, "
         "\"errors\": [",
         (unsigned long long)c->read, (unsigned long long)c->accepted,
         (unsigned long long)c->rejected);
  for (size_t i = 0; i < s->n_errors; i++) {
    printf("%s{\"line\": %llu, \"column\": ", i ? ", " : "",
           (unsigned long long)s->errors[i].line);
    if (!put_json_string(stdout, s->errors[i].column)) return false;
    fputs(", \"reason\": ", stdout);
    if (!put_json_string(stdout, s->errors[i].reason)) return false;
    fputc('}', stdout);
  }
  puts("]}");
  return fflush(stdout) == 0;
}

static void free_sink(sink *s) {
  for (size_t i = 0; i < s->n_errors; i++) {
    free(s->errors[i].column);
    free(s->errors[i].reason);
  }
}

typedef struct args {
  const char *in, *rejects;
  bool json;
  char delimiter;
  cli_read rd;
} args;

static const cli_opt opts[] = {
    {CLI_ARG("RECORDS", CLI_TEXT, in, "a file, or - for standard input"),
     .required = true},
    {CLI_ARG("--rejects", CLI_TEXT, rejects, "a file name")},
    {CLI_ARG("--json", CLI_FLAG, json, NULL)},
    {CLI_ARG("--delimiter", CLI_DELIMITER, delimiter, "one of , | ; tab")},
    CLI_READ_OPTS(rd),
};
CLI_SYNTAX("check");

int cmd_check(int argc, char **argv) {
  args x = {.delimiter = ',', .rd.skip_rows = UINT64_MAX};
  int code;
  if (!cli_parse(&syntax, argc, argv, &x, &code)) return code;
  /* "-" goes to the library, which reads standard input once, gzip
   * sniffed without losing a byte. */
  const char *in = x.in, *rejects_path = x.rejects;

  sw_rejects_file *rejects = NULL;
  sw_error err;
  if (rejects_path && sw_rejects_file_open(rejects_path, &rejects, &err))
    return cli_fail(&err);
  sink *s = calloc(1, sizeof *s);
  if (!s) {
    sw_rejects_file_close(rejects, NULL);
    fprintf(stderr, "steerwatch: out of memory\n");
    return EXIT_SOFTWARE;
  }
  s->rejects = rejects;

  cli_progress bar;
  cli_progress_init(&bar, "check");
  sw_read_opts ro = {0};
  cli_read_apply(&x.rd, &ro);
  ro.delimiter = x.delimiter;
  ro.on_reject = on_reject;
  ro.reject_user = s;
  ro.on_progress = cli_progress_cb;
  ro.progress_user = &bar;
  sw_counts c;
  sw_status st = sw_records_validate(in, &ro, &c, &err);
  cli_progress_done(&bar);

  code = EXIT_DONE;
  sw_error rejects_err;
  bool rejects_ok = !sw_rejects_file_close(rejects, &rejects_err);
  if (st != SW_OK) {
    if (s->nomem) fprintf(stderr, "steerwatch: out of memory\n");
    code = s->nomem ? EXIT_SOFTWARE : cli_fail(&err);
  } else {
    if (c.rejected > s->shown)
      fprintf(stderr, "... and %llu more rejected rows%s\n",
              (unsigned long long)(c.rejected - s->shown),
              rejects_path ? "" : " (list them with --rejects FILE)");
    fprintf(stderr, "%s: %llu read, %llu accepted, %llu rejected\n",
            strcmp(in, "-") ? in : "<stdin>", (unsigned long long)c.read,
            (unsigned long long)c.accepted, (unsigned long long)c.rejected);
    if (x.json && !print_json(&c, s)) {
      fprintf(stderr, "steerwatch: cannot write the JSON summary\n");
      code = EXIT_IOERR;
    }
    if (!rejects_ok) code = cli_fail(&rejects_err);
  }
  free_sink(s);
  free(s);
  return code;
}
