/*
 * cli.h — what the subcommands of the steerwatch command share: the exit
 * codes of SPEC, the mapping from library status to them, error printing,
 * option parsing helpers and the progress bar.
 *
 * The CLI alone owns argv, stdout/stderr and exit codes; the library only
 * returns statuses and fills sw_error.
 */
#ifndef SW_CLI_H
#define SW_CLI_H

#include <stdbool.h>
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

/* An option's value at argv[*i]: `NAME VALUE` (advancing *i; "" when the
 * value is missing) or `NAME=VALUE`; NULL when argv[*i] is another option. */
const char *cli_option(int argc, char **argv, int *i, const char *name);

/* Parse all of s as a decimal count <= max (no sign, no spaces). */
bool cli_parse_u64(const char *s, uint64_t max, uint64_t *out);

/* Parse all of s as a finite number. */
bool cli_parse_double(const char *s, double *out);

/* Print a rejected row on stderr as SPEC writes errors:
 * `file:line: column: reason`. */
void cli_print_reject(const sw_reject *r);

/* Print which features of the regions file at path were skipped, and
 * why, on stderr (nothing when none was). */
void cli_print_skipped(const char *path, const sw_regions *g);

/* Monotonic seconds, for the timings commands print. */
double cli_seconds(void);

/* Parse a one-byte delimiter argument: ",", "|", "\t", "tab", ";". */
bool cli_parse_delimiter(const char *s, char *out);

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

/* A rejects.csv sink (`line,byte,column,reason,raw`, SPEC "Placement
 * records"), shared by the commands that read records. */
typedef struct cli_rejects {
  FILE *f;          /* NULL: closed, or never opened */
  const char *path; /* as given; borrowed */
  bool failed;      /* a write failed; reported by cli_rejects_close */
} cli_rejects;

/* Create path and write the header. False when it cannot be created
 * (errno set); w is then closed. */
bool cli_rejects_open(cli_rejects *w, const char *path);

/* Append one rejected row, each field CSV-quoted as needed. */
void cli_rejects_write(cli_rejects *w, const sw_reject *r);

/* Flush and close; false when any write failed. A closed w is fine. */
bool cli_rejects_close(cli_rejects *w);

/* The whole command: argv[0] is the program, argv[1] the subcommand.
 * Returns the exit code; never exits, so it can be called repeatedly. */
int cli_run(int argc, char **argv);

/* Subcommands: argc/argv start at the subcommand's name. */
int cmd_check(int argc, char **argv);
int cmd_assign(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_simulate(int argc, char **argv);

#endif
