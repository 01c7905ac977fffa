/*
 * cmd_simulate.c — `steerwatch simulate`: synthetic placement records from
 * SPEC's choice model on real geography, with a known steering effect from
 * a known date, and their truth file beside them.
 *
 * Owns argv, the summary on stderr and the exit codes; the work is
 * sw_regions_read, sw_attrs_read and sw_simulate.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

static bool parse_date(const char *s, int32_t *out) {
  return sw_date_parse(s, strlen(s), out) == SW_OK;
}

/* Rejected attribute rows: the first few are shown, all are counted. */
typedef struct reject_sink {
  uint64_t n;
} reject_sink;

static bool on_reject(void *user, const sw_reject *r) {
  reject_sink *s = user;
  if (s->n++ < 5) cli_print_reject(r);
  return true;
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

int cmd_simulate(int argc, char **argv) {
  const char *regions = NULL, *id_prop = NULL, *layer = NULL, *attrs = NULL,
             *facilities = NULL, *target = NULL, *out = NULL;
  sw_simulate_opts so;
  sw_simulate_opts_init(&so);
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  so.threads = cpus < 1 ? 1 : cpus > 64 ? 64 : (unsigned)cpus;
  bool have_n = false, have_from = false, have_to = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    uint64_t u;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      help();
      return EXIT_DONE;
    }
    if ((v = cli_option(argc, argv, &i, "--regions"))) {
      regions = v;
    } else if ((v = cli_option(argc, argv, &i, "--region-id"))) {
      id_prop = v;
      if (!*v)
        return cli_usage_error("simulate", usage,
                               "--region-id needs a property");
    } else if ((v = cli_option(argc, argv, &i, "--layer"))) {
      layer = v;
      if (!*v)
        return cli_usage_error("simulate", usage,
                               "--layer needs an object name");
    } else if ((v = cli_option(argc, argv, &i, "--attrs"))) {
      attrs = v;
    } else if ((v = cli_option(argc, argv, &i, "--facilities"))) {
      facilities = v;
    } else if ((v = cli_option(argc, argv, &i, "--n"))) {
      if (!cli_parse_u64(v, UINT64_MAX, &so.n_records) || so.n_records == 0)
        return cli_usage_error("simulate", usage,
                               "--n needs a whole number >= 1, not '%s'", v);
      have_n = true;
    } else if ((v = cli_option(argc, argv, &i, "--target"))) {
      target = v;
    } else if ((v = cli_option(argc, argv, &i, "--steer"))) {
      if (!cli_parse_double(v, &so.steer))
        return cli_usage_error("simulate", usage,
                               "--steer needs a number, not '%s'", v);
    } else if ((v = cli_option(argc, argv, &i, "--b-origin"))) {
      if (!cli_parse_double(v, &so.b_origin))
        return cli_usage_error("simulate", usage,
                               "--b-origin needs a number, not '%s'", v);
    } else if ((v = cli_option(argc, argv, &i, "--b-ties"))) {
      if (!cli_parse_double(v, &so.b_ties))
        return cli_usage_error("simulate", usage,
                               "--b-ties needs a number, not '%s'", v);
    } else if ((v = cli_option(argc, argv, &i, "--share-ties"))) {
      if (!cli_parse_double(v, &so.share_ties) || so.share_ties < 0 ||
          so.share_ties > 1)
        return cli_usage_error("simulate", usage,
                               "--share-ties needs a number in 0..1, not '%s'",
                               v);
    } else if ((v = cli_option(argc, argv, &i, "--cost-per-km"))) {
      if (!cli_parse_double(v, &so.cost_per_km) || so.cost_per_km < 0)
        return cli_usage_error("simulate", usage,
                               "--cost-per-km needs a number >= 0, not '%s'",
                               v);
    } else if ((v = cli_option(argc, argv, &i, "--start"))) {
      if (!parse_date(v, &so.start))
        return cli_usage_error("simulate", usage,
                               "--start needs a date YYYY-MM-DD, not '%s'", v);
    } else if ((v = cli_option(argc, argv, &i, "--from"))) {
      if (!parse_date(v, &so.from))
        return cli_usage_error("simulate", usage,
                               "--from needs a date YYYY-MM-DD, not '%s'", v);
      have_from = true;
    } else if ((v = cli_option(argc, argv, &i, "--to"))) {
      if (!parse_date(v, &so.to))
        return cli_usage_error("simulate", usage,
                               "--to needs a date YYYY-MM-DD, not '%s'", v);
      have_to = true;
    } else if ((v = cli_option(argc, argv, &i, "--seed"))) {
      if (!cli_parse_u64(v, UINT64_MAX, &so.seed))
        return cli_usage_error("simulate", usage,
                               "--seed needs a whole number >= 0, not '%s'", v);
    } else if ((v = cli_option(argc, argv, &i, "--threads"))) {
      if (!cli_parse_u64(v, UINT64_MAX, &u) || u < 1 || u > 256)
        return cli_usage_error("simulate", usage,
                               "--threads needs a number in 1..256, not '%s'",
                               v);
      so.threads = (unsigned)u;
    } else if ((v = cli_option(argc, argv, &i, "-o")) ||
               (v = cli_option(argc, argv, &i, "--output"))) {
      out = v;
    } else {
      return cli_usage_error("simulate", usage, "unknown argument '%s'", a);
    }
  }
  if (!regions || !*regions)
    return cli_usage_error("simulate", usage, "--regions FILE is required");
  if (!attrs || !*attrs)
    return cli_usage_error("simulate", usage, "--attrs FILE is required");
  if (!facilities || !*facilities)
    return cli_usage_error("simulate", usage, "--facilities FILE is required");
  if (!have_n) return cli_usage_error("simulate", usage, "--n N is required");
  if (!target || !*target)
    return cli_usage_error("simulate", usage,
                           "--target ATTR=VALUE is required");
  const char *eq = strchr(target, '=');
  if (!eq || eq == target || !eq[1])
    return cli_usage_error("simulate", usage,
                           "--target needs ATTR=VALUE, not '%s'", target);
  if (have_from != have_to)
    return cli_usage_error("simulate", usage, "--from and --to go together");
  if (!out || !*out)
    return cli_usage_error("simulate", usage, "-o RECORDS.csv is required");
  if (!strcmp(out, "-"))
    return cli_usage_error("simulate", usage,
                           "-o needs a file: the truth is written beside it");

  char *attr = strndup(target, (size_t)(eq - target));
  if (!attr) {
    fprintf(stderr, "steerwatch: out of memory\n");
    return EXIT_SOFTWARE;
  }
  so.target_attr = attr;
  so.target_value = eq + 1;
  so.facilities_path = facilities;
  so.regions_path = regions;
  so.attrs_path = attrs;

  double t0 = cli_seconds();
  sw_error err;
  sw_regions_opts ro = {0};
  ro.id_property = id_prop;
  ro.layer = layer;
  sw_regions *g = NULL;
  sw_attrs *at = NULL;
  reject_sink sink = {0};
  sw_read_opts rd = {0};
  rd.on_reject = on_reject;
  rd.reject_user = &sink;
  int code = EXIT_DONE;
  if (sw_regions_read(regions, &ro, &g, &err) != SW_OK ||
      sw_attrs_read(attrs, &rd, &at, &err) != SW_OK) {
    code = cli_fail(&err);
    goto done;
  }
  so.regions = g;
  so.attrs = at;
  double t1 = cli_seconds();

  cli_progress bar;
  cli_progress_init(&bar, "simulate");
  so.on_progress = cli_progress_cb;
  so.progress_user = &bar;
  sw_simulate_stats st;
  sw_status s = sw_simulate(&so, out, &st, &err);
  cli_progress_done(&bar);
  double t2 = cli_seconds();
  if (s != SW_OK) {
    code = cli_fail(&err);
    goto done;
  }
  char truth[4096], start[16];
  sw_simulate_truth_path(out, truth, sizeof truth);
  sw_date_format(st.start, start, sizeof start);
  fprintf(stderr, "records       %llu (%llu with ties)\n",
          (unsigned long long)st.n_records, (unsigned long long)st.with_ties);
  fprintf(stderr, "regions       %zu (%zu features skipped)\n",
          sw_regions_count(g), sw_regions_n_skipped(g));
  cli_print_skipped(regions, g);
  if (sink.n)
    fprintf(stderr, "attributes    %llu rows rejected\n",
            (unsigned long long)sink.n);
  fprintf(stderr, "target        %s, steer %g from %s\n", target, so.steer,
          start);
  share_line("before start", st.before_start, st.target_before,
             st.expected_before);
  share_line("after start", st.after_start, st.target_after, st.expected_after);
  fprintf(stderr,
          "written       %s and %s\n"
          "time          %.3f s (inputs %.3f s, draw and write %.3f s)\n",
          out, truth, t2 - t0, t1 - t0, t2 - t1);
done:
  sw_attrs_free(at);
  sw_regions_free(g);
  free(attr);
  return code;
}
