/*
 * cmd_audit.c — `steerwatch audit`: parses the options into an
 * sw_audit_opts, runs the whole audit in the library, writes its files and
 * rejects.csv into --out, and prints the library's plain-words summary on
 * stderr. A finding of steering is a result: it never changes the exit
 * code.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

#define MAX_LIST 256 /* targets, covariates, events per run */

static const char usage[] =
    "steerwatch audit --records FILE [--regions FILE] [--region-id PROP] "
    "[--layer NAME] --attrs FILE --target ATTR=VALUE... [--covariate NAME]... "
    "[--event DATE[:LABEL]]... [--baseline FROM:TO] "
    "[--alternatives all|K] [--ties-km KM] "
    "[--cost-per-km X] [--period month|quarter] [--window WEEKS] "
    "[--min-change PCT] [--seed N] "
    "[--distance spline|log1p] "
    "[--threads N] [--delimiter D] [--simulated] [--column NAME=HEADER]... "
    "[--columns FILE] "
    "[--date-format FMT] [--facilities FILE] [--encoding NAME] "
    "[--sheet NAME] [--skip-rows N] [--gazetteer FILE] "
    "[--publish --key FILE [--min-cell N] [--keep-column NAME]...] --out DIR";

static void help(void) {
  printf(
      "usage: %s\n\n"
      "Audit placement records for steering toward a target attribute of\n"
      "the destination. Writes results.json, regions.csv, flagged.csv,\n"
      "rejects.csv, the tables coefficients.csv, periods.csv, weekly.csv\n"
      "and facilities.csv, and report.html (the page to read and print)\n"
      "into DIR\n"
      "(created if needed) and prints a summary.\n\n"
      "Required inputs:\n"
      "  --records FILE        placement records, one row per person placed\n"
      "                        (- reads standard input)\n"
      "  --attrs FILE          region attributes: region,attribute,value\n"
      "                        [,valid_from,valid_to]\n"
      "  --target ATTR=VALUE   the regions tested, e.g. sanctuary=yes\n"
      "                        (repeatable)\n"
      "  --out DIR             where the results go\n"
      "  --regions FILE        GeoJSON, TopoJSON or Shapefile; optional when\n"
      "                        records name their regions and the attributes\n"
      "                        give each region's lat/lon\n\n"
      "Record columns (header names, any case; map others with --column):\n"
      "  id                    unique record id (required)\n"
      "  date                  release date (required)\n"
      "  origin_lat, origin_lon  where the person was held (required, or\n"
      "                        facility with --facilities)\n"
      "  release_lat, release_lon or release_region  where released (one\n"
      "                        required; or release_facility with\n"
      "                        --facilities)\n"
      "  release_place, ties_place  a ZIP code or \"City, ST\" instead of\n"
      "                        coordinates (--gazetteer; unmatched rows are\n"
      "                        rejected and counted)\n"
      "  release_county, ties_county  a county FIPS code or \"Name, ST\"\n"
      "  ties_lat, ties_lon or ties_region  the person's ties (optional)\n"
      "  facility              facility name or code (optional)\n"
      "  court_lat, court_lon, cost  (optional)\n"
      "  count                 people the row stands for, 1..1000000\n"
      "                        (optional; blank is 1): a published table\n"
      "                        (releases per county) is audited as that\n"
      "                        many identical rows; it still needs origin\n\n",
      usage);
  /* Two calls: one string would pass the 4,095 bytes C11 promises. */
  printf(
      "Options:\n"
      "  --alternatives all|K  choice set: every region (default up to\n"
      "                        1,000 regions) or K sampled (default 100\n"
      "                        above that)\n"
      "  --ties-km KM          displacement threshold (default 100)\n"
      "  --cost-per-km X       extra cost per extra km (default: the cost\n"
      "                        column, scaled by the extra distance)\n"
      "  --period month|quarter  per-period gamma (default month)\n"
      "  --window WEEKS        event window (default 8)\n"
      "  --baseline FROM:TO    the headline compares placements after TO\n"
      "                        with those of FROM to TO (dates included);\n"
      "                        records before FROM are left out of it\n"
      "                        (instead of the first --event's split)\n"
      "  --min-change PCT      smallest change in the weekly rate, in\n"
      "                        percent, that the page calls a finding\n"
      "                        (default 5)\n"
      "  --distance spline|log1p  distance terms of the within-region\n"
      "                        headline: log(1 + km) to 50 km, then\n"
      "                        straight pieces bending at 200 and 800 km\n"
      "                        (default; log1p where they cannot be\n"
      "                        fitted), or SPEC's\n"
      "                        log(1 + km), which the level model always\n"
      "                        uses\n"
      "  --delimiter D         field separator of the records: , | ; tab\n"
      "                        (the attributes are comma-separated)\n"
      "  --threads N           worker threads (default: all CPUs; results\n"
      "                        do not depend on it)\n"
      "  --simulated           the records are synthetic: the page says so\n"
      "                        (implied when RECORDS.truth.json, written by\n"
      "                        `steerwatch simulate`, is beside them)\n"
      "  --publish             write a view safe to publish "
      "(docs/publish.md):\n"
      "                        keyed pseudonyms for record ids, counts under\n"
      "                        --min-cell withheld, the records' other\n"
      "                        columns dropped, no rejects.csv\n"
      "  --key FILE            the pseudonyms' HMAC-SHA256 key (16 bytes or\n"
      "                        more; keep it to re-link rows to records)\n"
      "  --min-cell N          smallest count shown (default 10)\n"
      "  --keep-column NAME    keep this carried-through column "
      "(repeatable)\n\n"
      "%s\n"
      "Examples (more in steerwatch(1)):\n"
      "ICE releases in a workbook, counties, sanctuary targets:\n"
      "  steerwatch audit --records releases.xlsx \\\n"
      "    --column 'id=Unique Identifier' \\\n"
      "    --column 'date=Detention Book Out Date Time' \\\n"
      "    --column 'facility=Detention Facility Code' \\\n"
      "    --column 'release_region=Release County FIPS' \\\n"
      "    --facilities data/ice_facilities_1978_2017.csv \\\n"
      "    --regions data/counties-10m.json --layer counties \\\n"
      "    --attrs data/county-attrs.csv --target sanctuary=yes --out "
      "audit/\n"
      "Children released to sponsors, by the sponsor's ZIP code:\n"
      "  steerwatch audit --records releases.csv \\\n"
      "    --column 'release_place=Sponsor ZIP' \\\n"
      "    --column 'facility=Shelter Code' --facilities shelters.csv \\\n"
      "    --regions data/counties-10m.json --layer counties \\\n"
      "    --attrs data/county-attrs.csv --target sanctuary=yes --out "
      "orr/\n\n"
      "Exit: 0 audited (steering found or not), 64 usage, 65 bad input,\n"
      "66 cannot open an input, 73 cannot create an output, 74 write "
      "error.\n",
      cli_read_help);
}

/* rejects.csv is SPEC's file of rejected records; a rejected attribute row
 * goes to stderr, where its line number cannot be taken for a record's. */
static bool on_reject(void *user, const sw_reject *r) {
  if (r->input == SW_INPUT_ATTRS)
    cli_print_reject(r);
  else if (user) /* NULL: a published view keeps no rejects.csv */
    sw_rejects_file_write(user, r);
  return true;
}

typedef struct args {
  sw_audit_opts o;
  const char *targets[MAX_LIST], *covariates[MAX_LIST];
  sw_audit_event events[MAX_LIST];
  const char *out;
  bool publish;
  const char *key;
  uint64_t min_cell;
  const char *keep[MAX_LIST];
  size_t n_keep;
  cli_read rd;
  sw_read_opts ro;
  cli_key secret; /* --key's bytes */
  sw_publish_opts pub;
} args;

/* --event DATE[:LABEL] */
static bool parse_event(void *user, const char *v) {
  args *x = user;
  const char *colon = strchr(v, ':');
  size_t len = colon ? (size_t)(colon - v) : strlen(v);
  sw_audit_event *e = &x->events[x->o.n_events];
  if (sw_date_parse(v, len, &e->date) != SW_OK) return false;
  e->label = colon ? colon + 1 : "";
  x->o.n_events++;
  return true;
}

/* --baseline FROM:TO, two dates; their order is the library's check. */
static bool parse_baseline(void *user, const char *v) {
  sw_audit_opts *o = &((args *)user)->o;
  const char *colon = strchr(v, ':');
  if (!colon || sw_date_parse(v, (size_t)(colon - v), &o->baseline_from) ||
      sw_date_parse(colon + 1, strlen(colon + 1), &o->baseline_to))
    return false;
  o->baseline = true;
  return true;
}

/* --alternatives all|K */
static bool parse_alternatives(void *user, const char *v) {
  sw_audit_opts *o = &((args *)user)->o;
  uint64_t k = 0;
  if (strcmp(v, "all") && !cli_parse_count(v, 1, 1000000, &k)) return false;
  o->alternatives_set = true;
  o->alternatives = (size_t)k;
  return true;
}

/* --period month|quarter */
static bool parse_period(void *user, const char *v) {
  sw_audit_opts *o = &((args *)user)->o;
  if (!strcmp(v, "month"))
    o->period = SW_PERIOD_MONTH;
  else if (!strcmp(v, "quarter"))
    o->period = SW_PERIOD_QUARTER;
  else
    return false;
  return true;
}

/* --min-change PCT: a percentage above 0, kept as a fraction */
static bool parse_min_change(void *user, const char *v) {
  args *x = user;
  char *end;
  errno = 0;
  double pct = strtod(v, &end);
  if (errno || *end || !(pct > 0) || pct > 1000) return false;
  x->o.min_change = pct / 100;
  return true;
}

/* --publish and its options: a key is required (a hash without one is
 * reversed by hashing every likely id), and they mean nothing alone. */
static int publish_args(args *x) {
  if (!x->publish) {
    if (x->key || x->min_cell || x->n_keep)
      return cli_usage_error("audit", usage,
                             "--key, --min-cell and --keep-column go with "
                             "--publish");
    return EXIT_DONE;
  }
  if (!x->key)
    return cli_usage_error("audit", usage,
                           "--publish needs --key FILE: pseudonyms without a "
                           "key could be undone by hashing every likely id");
  int code = cli_publish_key(x->key, &x->secret);
  if (code != EXIT_DONE) return code;
  x->pub = (sw_publish_opts){.key = x->secret.bytes,
                             .key_len = x->secret.len,
                             .min_cell = x->min_cell,
                             .keep_columns = x->keep,
                             .n_keep_columns = x->n_keep};
  return EXIT_DONE;
}

/* --distance spline|log1p */
static bool parse_distance(void *user, const char *v) {
  sw_audit_opts *o = &((args *)user)->o;
  if (!strcmp(v, "spline"))
    o->distance = SW_DISTANCE_SPLINE;
  else if (!strcmp(v, "log1p"))
    o->distance = SW_DISTANCE_LOG1P;
  else
    return false;
  return true;
}

#define REPEATED(count) .count_at = offsetof(args, count), .max_count = MAX_LIST
static const cli_opt opts[] = {
    {CLI_ARG("--records", CLI_TEXT, o.records_path, "a file"),
     .required = true},
    {CLI_ARG("--regions", CLI_TEXT, o.regions_path, "a file")},
    {CLI_ARG("--region-id", CLI_TEXT, o.region_id, "a property")},
    {CLI_ARG("--layer", CLI_TEXT, o.layer, "an object name")},
    {CLI_ARG("--attrs", CLI_TEXT, o.attrs_path, "a file"), .required = true},
    {CLI_ARG("--target", CLI_TARGETS, targets, "ATTR=VALUE"), .required = true,
     REPEATED(o.n_targets)},
    {CLI_ARG("--covariate", CLI_LIST, covariates, "an attribute name"),
     REPEATED(o.n_covariates)},
    {.name = "--event",
     .kind = CLI_CUSTOM,
     .value = "DATE[:LABEL]",
     .parse = parse_event,
     REPEATED(o.n_events)},
    {.name = "--baseline",
     .kind = CLI_CUSTOM,
     .value = "FROM:TO, two dates",
     .parse = parse_baseline},
    {.name = "--alternatives",
     .kind = CLI_CUSTOM,
     .value = "'all' or a count >= 1",
     .parse = parse_alternatives},
    {CLI_ARG("--ties-km", CLI_NUMBER, o.ties_km, "a number >= 0"), .min = 0,
     .max = HUGE_VAL},
    {CLI_ARG("--cost-per-km", CLI_NUMBER, o.cost_per_km, "a number >= 0"),
     .min = 0, .max = HUGE_VAL},
    {.name = "--period",
     .kind = CLI_CUSTOM,
     .value = "month or quarter",
     .parse = parse_period},
    {CLI_ARG("--window", CLI_UINT, o.window_weeks, "a count from 1 to 1024"),
     .lo = 1, .hi = 1024},
    {.name = "--min-change",
     .kind = CLI_CUSTOM,
     .value = "a percentage above 0",
     .parse = parse_min_change},
    {.name = "--distance",
     .kind = CLI_CUSTOM,
     .value = "spline or log1p",
     .parse = parse_distance},
    {CLI_ARG("--threads", CLI_UINT, o.threads, "a count from 1 to 1024"),
     .lo = 1, .hi = 1024},
    {CLI_ARG("--seed", CLI_U64, o.seed, "a number"), .hi = UINT64_MAX},
    {CLI_ARG("--delimiter", CLI_DELIMITER, o.delimiter, "one of , | ; tab")},
    {CLI_ARG("--simulated", CLI_FLAG, o.simulated, NULL)},
    {CLI_ARG("--out", CLI_TEXT, out, "a directory"), .required = true},
    {CLI_ARG("--publish", CLI_FLAG, publish, NULL)},
    {CLI_ARG("--key", CLI_TEXT, key, "a file")},
    {CLI_ARG("--min-cell", CLI_U64, min_cell, "a count from 2 to 1000000"),
     .lo = 2, .hi = 1000000},
    {CLI_ARG("--keep-column", CLI_LIST, keep, "a column name"),
     REPEATED(n_keep)},
    CLI_READ_OPTS(rd),
};
CLI_SYNTAX("audit");

int cmd_audit(int argc, char **argv) {
  args *x = calloc(1, sizeof *x);
  if (!x) {
    fprintf(stderr, "steerwatch: out of memory\n");
    return EXIT_SOFTWARE;
  }
  int code;
  x->rd.skip_rows = UINT64_MAX;
  if (!cli_parse(&syntax, argc, argv, x, &code)) {
    free(x);
    return code;
  }
  sw_audit_opts *o = &x->o;
  if ((code = publish_args(x)) != EXIT_DONE) {
    free(x);
    return code;
  }
  cli_read_apply(&x->rd, &x->ro);
  /* --delimiter is the records': agencies release pipe- and tab-separated
   * records, while the attributes are our own comma-separated format. */
  x->ro.delimiter = o->delimiter;
  o->delimiter = ',';
  o->records_opts = &x->ro;
  o->targets = x->targets;
  o->covariates = x->covariates;
  o->events = x->events;

  char path[4096];
  if (mkdir(x->out, 0777) && errno != EEXIST) {
    fprintf(stderr, "steerwatch: %s: cannot create: %s\n", x->out,
            strerror(errno));
    free(x);
    return EXIT_CANTCREAT;
  }
  snprintf(path, sizeof path, "%s/rejects.csv", x->out);
  sw_rejects_file *rejects = NULL;
  sw_error err;
  /* A published view has no rejects.csv (its rows carry raw ids): one
   * left by an earlier audit into the same directory goes too. */
  if (x->publish) {
    if (remove(path) && errno != ENOENT) {
      fprintf(stderr, "steerwatch: %s: cannot remove: %s\n", path,
              strerror(errno));
      free(x);
      return EXIT_CANTCREAT;
    }
  } else if (sw_rejects_file_open(path, &rejects, &err)) {
    free(x);
    return cli_fail(&err);
  }
  o->on_reject = on_reject;
  o->reject_user = rejects;
  cli_progress bar;
  cli_progress_init(&bar, "audit");
  o->on_progress = cli_progress_cb;
  o->progress_user = &bar;

  sw_audit *au = NULL;
  sw_status st = sw_audit_run(o, &au, &err);
  cli_progress_done(&bar);
  sw_error rejects_err;
  bool rejects_ok = !sw_rejects_file_close(rejects, &rejects_err);
  if (st) {
    code = cli_fail(&err);
  } else if (x->publish ? sw_audit_write_published(au, x->out, &x->pub, &err)
                        : sw_audit_write(au, x->out, &err)) {
    code = cli_fail(&err);
  } else if (!rejects_ok) {
    code = cli_fail(&rejects_err);
  } else {
    fputs(sw_audit_summary(au), stderr);
    fprintf(stderr,
            "\nWritten to %s/: results.json, regions.csv, "
            "flagged.csv, %scoefficients.csv, periods.csv, weekly.csv, "
            "facilities.csv, report.html\n",
            x->out, x->publish ? "" : "rejects.csv, ");
  }
  sw_audit_free(au);
  free(x);
  return code;
}
