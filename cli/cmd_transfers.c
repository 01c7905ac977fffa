/*
 * cmd_transfers.c — `steerwatch transfers`: detention stays in, transfer
 * records out (the library's sw_stays_read and sw_transfers_from_stays),
 * ready for `audit` with the facilities as the alternatives; rejected
 * stays go to --rejects, the counts to stderr.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "steerwatch transfers STAYS [--max-gap DAYS] [--rejects FILE] "
    "[--delimiter D] [--column NAME=HEADER]... [--date-format FMT] "
    "[--facilities FILE] [--encoding NAME] [--sheet NAME] [--skip-rows N] "
    "-o OUT.csv";

static void help(void) {
  printf(
      "usage: %s\n\n"
      "Turn detention stays (one row per person per facility) into transfer\n"
      "records: a person's next stay, at another facility, beginning 0 to\n"
      "DAYS days after the last ended is a transfer dated at that book-out.\n"
      "A stay at the same facility within DAYS is a re-book, not a transfer;\n"
      "a longer gap is a release and a new detention. See docs/transfers.md.\n"
      "\n"
      "Stay columns (any case; map others with --column):\n"
      "  id          the person (redacted ids such as (b)(6) are rejected)\n"
      "  facility    facility code\n"
      "  book_in     date booked in\n"
      "  book_out    date booked out (empty: still held)\n\n"
      "  --max-gap DAYS   largest gap between book-out and the next book-in\n"
      "                   (default 1)\n"
      "  --rejects FILE   rejected stays, with line, column and reason\n"
      "  -o OUT.csv       id,date,facility,release_region,person,arrival,\n"
      "                   gap_days: placement records for audit\n\n"
      "%s(--columns and --gazetteer are for records: stays take --column.)\n\n"
      "Example: ICE stays, then an audit of where people were transferred:\n"
      "  steerwatch transfers stays.xlsx \\\n"
      "    --column 'id=Unique Identifier' \\\n"
      "    --column 'facility=Detention Facility Code' \\\n"
      "    --column 'book_in=Detention Book In Date And Time' \\\n"
      "    --column 'book_out=Detention Book Out Date Time' -o transfers.csv\n"
      "  steerwatch audit --records transfers.csv \\\n"
      "    --facilities data/facilities.csv --attrs facility-attrs.csv \\\n"
      "    --target private=yes --out audit/\n",
      usage, cli_read_help);
}

typedef struct args {
  const char *in, *out, *rejects;
  uint64_t max_gap;
  char delimiter;
  cli_read rd;
} args;

static const cli_opt opts[] = {
    {CLI_ARG("STAYS", CLI_TEXT, in, "a file"), .required = true},
    {CLI_ARG("-o", CLI_TEXT, out, "a file"), .alias = "--output",
     .required = true},
    {CLI_ARG("--max-gap", CLI_U64, max_gap, "a count of days from 0 to 3650"),
     .lo = 0, .hi = 3650},
    {CLI_ARG("--rejects", CLI_TEXT, rejects, "a file")},
    {CLI_ARG("--delimiter", CLI_DELIMITER, delimiter, "one of , | ; tab")},
    CLI_READ_OPTS(rd),
};
CLI_SYNTAX("transfers");

static bool on_reject(void *user, const sw_reject *r) {
  if (user) return sw_rejects_file_write(user, r);
  cli_print_reject(r);
  return true;
}

int cmd_transfers(int argc, char **argv) {
  args x = {.max_gap = 1, .delimiter = ','};
  x.rd.skip_rows = UINT64_MAX;
  int code;
  if (!cli_parse(&syntax, argc, argv, &x, &code)) return code;
  sw_read_opts ro = {0};
  cli_read_apply(&x.rd, &ro);
  ro.delimiter = x.delimiter;
  sw_rejects_file *rejects = NULL;
  sw_error err;
  if (x.rejects && sw_rejects_file_open(x.rejects, &rejects, &err))
    return cli_fail(&err);
  ro.on_reject = on_reject;
  ro.reject_user = rejects;
  sw_stays *s = NULL;
  sw_transfers *t = NULL;
  sw_status st = sw_stays_read(x.in, &ro, &s, &err);
  sw_error rejects_err;
  bool rejects_ok = !sw_rejects_file_close(rejects, &rejects_err);
  if (!st) st = sw_transfers_from_stays(s, (int32_t)x.max_gap, &t, &err);
  if (!st) st = sw_transfers_write(t, x.out, &err);
  if (st) {
    code = cli_fail(&err);
  } else if (!rejects_ok) {
    code = cli_fail(&rejects_err);
  } else {
    sw_counts c = sw_stays_counts(s);
    sw_transfer_stats ts = sw_transfers_stats(t);
    fprintf(stderr,
            "stays read    %llu\n"
            "accepted      %llu\n"
            "rejected      %llu\n"
            "people        %llu\n"
            "transfers     %llu\n"
            "re-books      %llu (same facility, --max-gap %llu: merged)\n"
            "gaps          %llu (next stay over --max-gap %llu days later)\n"
            "overlaps      %llu (next stay before the last ended)\n",
            (unsigned long long)c.read, (unsigned long long)c.accepted,
            (unsigned long long)c.rejected, (unsigned long long)ts.people,
            (unsigned long long)ts.transfers, (unsigned long long)ts.rebooks,
            (unsigned long long)x.max_gap, (unsigned long long)ts.gaps,
            (unsigned long long)x.max_gap, (unsigned long long)ts.overlaps);
    code = EXIT_DONE;
  }
  sw_transfers_free(t);
  sw_stays_free(s);
  return code;
}
