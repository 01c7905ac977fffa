/*
 * cli.h — what the subcommands of the steerwatch command share: the exit
 * codes of SPEC, the mapping from library status to them, error printing,
 * the option tables and their one parser (options.c), and the progress
 * bar.
 *
 * The CLI alone owns argv, stdout/stderr and exit codes; the library only
 * returns statuses and fills sw_error.
 */
#ifndef SW_CLI_H
#define SW_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "steerwatch.h"

/* Exit codes of SPEC (sysexits.h values). */
enum {
  EXIT_DONE = 0,
  EXIT_USAGE = 64,
  EXIT_DATA = 65,
  EXIT_NOINPUT = 66,
  EXIT_CANTCREAT = 73,
  EXIT_IOERR = 74,
  EXIT_SOFTWARE = 70
};

/* The one table from library status to exit code. */
int cli_exit_code(sw_status s);

/* Print "steerwatch: <formatted error>" on stderr and return its exit code. */
int cli_fail(const sw_error *e);

/* Print "steerwatch <cmd>: <message>" and the command's usage line on
 * stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* What an option's value is, and so how cli_parse checks and stores it
 * at the option's offset in the command's argument struct. */
typedef enum cli_kind {
  CLI_FLAG,      /* no value: bool, set true */
  CLI_TEXT,      /* const char *, as given */
  CLI_TARGET,    /* const char *, an ATTR=VALUE (sw_target_split) */
  CLI_LIST,      /* const char *[max_count], appended; count at count_at */
  CLI_TARGETS,   /* as CLI_LIST, each an ATTR=VALUE */
  CLI_U64,       /* uint64_t, a whole number in lo..hi */
  CLI_UINT,      /* unsigned, a whole number in lo..hi */
  CLI_NUMBER,    /* double, a finite number in min..max */
  CLI_DATE,      /* int32_t days, YYYY-MM-DD */
  CLI_DELIMITER, /* char: , | ; or tab (also "\t") */
  CLI_CUSTOM     /* checked and stored by the option's parse function */
} cli_kind;

/* One row of a command's option table. */
typedef struct cli_opt {
  const char *name;  /* "--regions", "-o"; a name without a leading '-'
                        ("IN.csv") is the command's one positional input */
  const char *alias; /* another name ("--output"), or NULL */
  cli_kind kind;
  size_t at;         /* offsetof the value in the argument struct */
  const char *value; /* what the value must be, completing "NAME needs ":
                        "a file", "a number in 0..1"; no option takes "" */
  bool required;     /* "NAME is required" when absent */
  uint64_t lo, hi;   /* CLI_U64, CLI_UINT: the accepted range */
  double min, max;   /* CLI_NUMBER: the accepted range */
  size_t count_at;   /* repeatable options: offsetof their size_t count */
  size_t max_count;  /* repeatable options: the limit; 0: not repeatable */
  bool (*parse)(void *args, const char *value); /* CLI_CUSTOM: false when
                                                   value does not qualify */
} cli_opt;

#define CLI_MAX_OPTS 64 /* rows in one table */

/* The common start of a row: name, kind, the field of the command's
 * argument struct (each command names it `args`) that holds the value, and
 * what the value must be (NULL for a flag). */
#define CLI_ARG(name_, kind_, field, value_)                                   \
  .name = (name_), .kind = (kind_), .at = offsetof(args, field),               \
  .value = (value_)

/* How to read records as agencies release them: the options check and
 * audit share (docs/input.md), stored in a cli_read inside the command's
 * argument struct. */
#define CLI_MAX_COLUMNS 64
typedef struct cli_read {
  const char *columns[CLI_MAX_COLUMNS]; /* --column NAME=HEADER */
  size_t n_columns;
  const char *columns_file, *date_format, *facilities, *encoding, *sheet;
  const char *gazetteer; /* NULL: the default (cli_read_apply) */
  uint64_t skip_rows;    /* UINT64_MAX: not given */
} cli_read;

/* The option-table rows of a cli_read that is field `field` of the
 * command's `args`. */
#define CLI_READ_OPTS(field)                                                   \
  {CLI_ARG("--column", CLI_LIST, field.columns, "NAME=HEADER"),                \
   .count_at = offsetof(args, field.n_columns), .max_count = CLI_MAX_COLUMNS}, \
      {CLI_ARG("--columns", CLI_TEXT, field.columns_file, "a file")},          \
      {CLI_ARG("--date-format", CLI_TEXT, field.date_format,                   \
               "a format such as %m/%d/%Y")},                                  \
      {CLI_ARG("--facilities", CLI_TEXT, field.facilities, "a file")},         \
      {CLI_ARG("--encoding", CLI_TEXT, field.encoding,                         \
               "a character set such as latin1 or windows-1252")},             \
      {CLI_ARG("--sheet", CLI_TEXT, field.sheet, "a sheet name or number")},   \
      {CLI_ARG("--gazetteer", CLI_TEXT, field.gazetteer, "a file")}, {         \
    CLI_ARG("--skip-rows", CLI_U64, field.skip_rows, "a count of rows"),       \
        .lo = 0, .hi = 1000000                                                 \
  }

/* The usage text of those options, for a command's --help. */
extern const char cli_read_help[];

/* Copy r into o's reading options (o's other fields are left alone);
 * without --gazetteer, the installed data/gazetteer.csv.gz, else the
 * source tree's, when either exists. */
void cli_read_apply(const cli_read *r, sw_read_opts *o);

/* A command's syntax: its name, usage line, --help and option table. */
typedef struct cli_syntax {
  const char *name; /* "audit", for messages */
  const char *usage;
  void (*help)(void);
  const cli_opt *opts;
  size_t n_opts;
} cli_syntax;

/* A command's `syntax`, from its `usage`, `help` and `opts`, named so. */
#define CLI_SYNTAX(name_)                                                      \
  static const cli_syntax syntax = {(name_), usage, help, opts,                \
                                    sizeof opts / sizeof *opts}

/* Read argv (argv[0] is the command's name) into args by s's table. True
 * when the command should run; else *code is the exit code to return:
 * EXIT_DONE after --help, EXIT_USAGE after printing a usage error. */
bool cli_parse(const cli_syntax *s, int argc, char **argv, void *args,
               int *code);

/* Parse all of s as a decimal count in lo..hi (no sign), for the parse
 * functions of CLI_CUSTOM options. */
bool cli_parse_count(const char *s, uint64_t lo, uint64_t hi, uint64_t *out);

/* Print a rejected row on stderr as SPEC writes errors:
 * `file:line: column: reason`. */
void cli_print_reject(const sw_reject *r);

/* A reject sink that counts every row and prints the first few, so that a
 * user sees why without the terminal flooding on a bad file. */
typedef struct cli_reject_count {
  uint64_t n; /* rows rejected so far */
} cli_reject_count;

/* An sw_reject_fn over a cli_reject_count. */
bool cli_count_reject(void *user, const sw_reject *r);

/* sw_regions_read with the --regions, --region-id and --layer options
 * (NULL: not given). */
sw_status cli_regions_read(const char *path, const char *id_property,
                           const char *layer, sw_regions **out, sw_error *err);

/* Print which features of the regions file at path were skipped, and
 * why, on stderr (nothing when none was). */
void cli_print_skipped(const char *path, const sw_regions *g);

/* Monotonic seconds, for the timings commands print. */
double cli_seconds(void);

/* A progress bar on stderr, shown only when stderr is a terminal. */
typedef struct cli_progress {
  const char *label;
  bool enabled;
  int last_permille;
} cli_progress;

void cli_progress_init(cli_progress *p, const char *label);
void cli_progress_cb(void *user, uint64_t done,
                     uint64_t total); /* sw_progress_fn */
void cli_progress_done(cli_progress *p);

/* The whole command: argv[0] is the program, argv[1] the subcommand.
 * Returns the exit code; never exits, so it can be called repeatedly. */
int cli_run(int argc, char **argv);

/* publish.c: the key of `audit --publish`, read whole from a file. */
typedef struct cli_key {
  unsigned char bytes[4096];
  size_t len;
} cli_key;

/* Read the key at path into *key; EXIT_DONE, or the exit code after
 * printing why not (66 cannot open, 74 read error, 64 too long). */
int cli_publish_key(const char *path, cli_key *key);

/* Subcommands: argc/argv start at the subcommand's name. */
int cmd_check(int argc, char **argv);
int cmd_assign(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_transfers(int argc, char **argv);

#endif
