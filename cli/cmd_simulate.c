/*
 * cmd_simulate.c — `steerwatch simulate`: synthetic placement records from
 * SPEC's choice model on real geography, with a known steering effect from
 * a known date, and their truth file beside them.
 *
 * Owns argv, the summary on stderr and the exit codes; the work is
 * sw_regions_read, sw_attrs_read and sw_simulate.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
    "steerwatch simulate --regions FILE [--region-id PROP] [--layer NAME] "
    "--attrs FILE --facilities FILE --n N --target ATTR=VALUE "
    "[--steer GAMMA] [--start DATE] [--from DATE --to DATE] [--seed N] "
    "[--threads N] -o RECORDS.csv";

static void help(void) {
  printf(
      "usage: %s\n\n"
      "Draw N synthetic placement records from the choice model of SPEC on\n"
      "the given regions, with a known steering effect toward the target\n"
      "from a known date, and write the truth (parameters, coefficients,\n"
      "counts) beside them as RECORDS.truth.json.\n\n"
      "  --regions FILE      GeoJSON, TopoJSON or Shapefile (.shp)\n"
      "  --region-id PROP    property holding the region id\n"
      "  --layer NAME        TopoJSON object to read\n"
      "  --attrs FILE        region attributes: the target attribute over\n"
      "                      time, `population` (ties), `lat`/`lon`\n"
      "  --facilities FILE   CSV facility,lat,lon[,weight]\n"
      "  --n N               records to draw\n"
      "  --target ATTR=VALUE the regions steered toward, e.g. sanctuary=yes\n"
      "  --steer GAMMA       true target coefficient from --start on "
      "(default 0)\n"
      "  --start DATE        first day of steering (default: midpoint of the "
      "dates)\n"
      "  --from DATE, --to DATE  dates drawn uniformly between them\n"
      "                      (default 2019-01-01 to 2020-12-31)\n"
      "  --b-origin B        true log1p_km_origin coefficient (default -1)\n"
      "  --b-ties B          true log1p_km_ties coefficient (default -1.5)\n"
      "  --share-ties S      share of records with ties, 0..1 (default 0.8)\n"
      "  --cost-per-km C     cost per km from origin to release (default "
      "0.5)\n"
      "  --seed N            random seed (default 1)\n"
      "  --threads N         worker threads (default: online CPUs; the "
      "output\n"
      "                      is the same for any number)\n"
      "  -o RECORDS.csv      output records\n",
      usage);
}

static void share_line(const char *label, uint64_t n, uint64_t hit,
                       double expected) {
  if (!n) {
    fprintf(stderr, "%-14s no records\n", label);
    return;
  }
  fprintf(stderr,
          "%-14s %llu records, %.2f%% in the target (%.2f%% "
          "expected without steering)\n",
          label, (unsigned long long)n, 100.0 * (double)hit / (double)n,
          100.0 * expected / (double)n);
}

/* Dates not given: --from and --to go together. */
#define NO_DATE INT32_MIN

typedef struct args {
  sw_simulate_opts so;
  const char *regions, *id_prop, *layer, *attrs, *facilities, *target, *out;
  int32_t from, to; /* NO_DATE: not given */
} args;

#define ANY_NUMBER .min = -HUGE_VAL, .max = HUGE_VAL
static const cli_opt opts[] = {
    {CLI_ARG("--regions", CLI_TEXT, regions, "a file"), .required = true},
    {CLI_ARG("--region-id", CLI_TEXT, id_prop, "a property")},
    {CLI_ARG("--layer", CLI_TEXT, layer, "an object name")},
    {CLI_ARG("--attrs", CLI_TEXT, attrs, "a file"), .required = true},
    {CLI_ARG("--facilities", CLI_TEXT, facilities, "a file"), .required = true},
    {CLI_ARG("--n", CLI_U64, so.n_records, "a whole number >= 1"),
     .required = true, .lo = 1, .hi = UINT64_MAX},
    {CLI_ARG("--target", CLI_TARGET, target, "ATTR=VALUE"), .required = true},
    {CLI_ARG("--steer", CLI_NUMBER, so.steer, "a number"), ANY_NUMBER},
    {CLI_ARG("--b-origin", CLI_NUMBER, so.b_origin, "a number"), ANY_NUMBER},
    {CLI_ARG("--b-ties", CLI_NUMBER, so.b_ties, "a number"), ANY_NUMBER},
    {CLI_ARG("--share-ties", CLI_NUMBER, so.share_ties, "a number in 0..1"),
     .min = 0, .max = 1},
    {CLI_ARG("--cost-per-km", CLI_NUMBER, so.cost_per_km, "a number >= 0"),
     .min = 0, .max = HUGE_VAL},
    {CLI_ARG("--start", CLI_DATE, so.start, "a date YYYY-MM-DD")},
    {CLI_ARG("--from", CLI_DATE, from, "a date YYYY-MM-DD")},
    {CLI_ARG("--to", CLI_DATE, to, "a date YYYY-MM-DD")},
    {CLI_ARG("--seed", CLI_U64, so.seed, "a whole number >= 0"),
     .hi = UINT64_MAX},
    {CLI_ARG("--threads", CLI_UINT, so.threads, "a number in 1..256"), .lo = 1,
     .hi = 256},
    {CLI_ARG("-o", CLI_TEXT, out, "a file"), .alias = "--output",
     .required = true},
};
CLI_SYNTAX("simulate");

int cmd_simulate(int argc, char **argv) {
  args x = {.from = NO_DATE, .to = NO_DATE};
  sw_simulate_opts *so = &x.so;
  sw_simulate_opts_init(so);
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  so->threads = cpus < 1 ? 1 : cpus > 64 ? 64 : (unsigned)cpus;
  int code;
  if (!cli_parse(&syntax, argc, argv, &x, &code)) return code;
  if ((x.from == NO_DATE) != (x.to == NO_DATE))
    return cli_usage_error("simulate", usage, "--from and --to go together");
  if (x.from != NO_DATE) {
    so->from = x.from;
    so->to = x.to;
  }
  if (!strcmp(x.out, "-"))
    return cli_usage_error("simulate", usage,
                           "-o needs a file: the truth is written beside it");
  size_t attr_len;
  sw_target_split(x.target, &attr_len, NULL); /* checked by cli_parse */
  char *attr = strndup(x.target, attr_len);
  if (!attr) {
    fprintf(stderr, "steerwatch: out of memory\n");
    return EXIT_SOFTWARE;
  }
  so->target_attr = attr;
  so->target_value = x.target + attr_len + 1;
  so->facilities_path = x.facilities;
  so->regions_path = x.regions;
  so->attrs_path = x.attrs;

  double t0 = cli_seconds();
  sw_error err;
  sw_regions *g = NULL;
  sw_attrs *at = NULL;
  cli_reject_count rejected = {0};
  sw_read_opts rd = {0};
  rd.on_reject = cli_count_reject;
  rd.reject_user = &rejected;
  code = EXIT_DONE;
  if (cli_regions_read(x.regions, x.id_prop, x.layer, &g, &err) != SW_OK ||
      sw_attrs_read(x.attrs, &rd, &at, &err) != SW_OK) {
    code = cli_fail(&err);
    goto done;
  }
  so->regions = g;
  so->attrs = at;
  double t1 = cli_seconds();

  cli_progress bar;
  cli_progress_init(&bar, "simulate");
  so->on_progress = cli_progress_cb;
  so->progress_user = &bar;
  sw_simulate_stats st;
  sw_status s = sw_simulate(so, x.out, &st, &err);
  cli_progress_done(&bar);
  double t2 = cli_seconds();
  if (s != SW_OK) {
    code = cli_fail(&err);
    goto done;
  }
  char truth[4096], start[16];
  sw_simulate_truth_path(x.out, truth, sizeof truth);
  sw_date_format(st.start, start, sizeof start);
  fprintf(stderr, "records       %llu (%llu with ties)\n",
          (unsigned long long)st.n_records, (unsigned long long)st.with_ties);
  fprintf(stderr, "regions       %zu (%zu features skipped)\n",
          sw_regions_count(g), sw_regions_n_skipped(g));
  cli_print_skipped(x.regions, g);
  if (rejected.n)
    fprintf(stderr, "attributes    %llu rows rejected\n",
            (unsigned long long)rejected.n);
  fprintf(stderr, "target        %s, steer %g from %s\n", x.target, so->steer,
          start);
  share_line("before start", st.before_start, st.target_before,
             st.expected_before);
  share_line("after start", st.after_start, st.target_after, st.expected_after);
  fprintf(stderr,
          "written       %s and %s\n"
          "time          %.3f s (inputs %.3f s, draw and write %.3f s)\n",
          x.out, truth, t2 - t0, t1 - t0, t2 - t1);
done:
  sw_attrs_free(at);
  sw_regions_free(g);
  free(attr);
  return code;
}
