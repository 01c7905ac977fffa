/*
 * cmd_audit.c — `steerwatch audit`: parses the options into an
 * sw_audit_opts, runs the whole audit in the library, writes its files and
 * rejects.csv into --out, and prints the library's plain-words summary on
 * stderr. A finding of steering is a result: it never changes the exit
 * code.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

#define MAX_LIST 256 /* targets, covariates, events per run */

static const char usage[] =
    "steerwatch audit --records FILE [--regions FILE] [--region-id PROP] "
    "[--layer NAME] --attrs FILE --target ATTR=VALUE... [--covariate NAME]... "
    "[--event DATE[:LABEL]]... [--alternatives all|K] [--ties-km KM] "
    "[--cost-per-km X] [--period month|quarter] [--window WEEKS] "
    "[--min-change PCT] [--seed N] "
    "[--threads N] [--delimiter D] [--simulated] --out DIR";

static void help(void) {
  printf(
      "usage: %s\n\n"
      "Audit placement records for steering toward a target attribute of\n"
      "the destination. Writes results.json, regions.csv, flagged.csv,\n"
      "rejects.csv and report.html (the page to read and print) into DIR\n"
      "(created if needed) and prints a summary.\n\n"
      "  --alternatives all|K  choice set: every region (default up to\n"
      "                        1,000 regions) or K sampled (default 100\n"
      "                        above that)\n"
      "  --ties-km KM          displacement threshold (default 100)\n"
      "  --cost-per-km X       extra cost per extra km (default: the cost\n"
      "                        column, scaled by the extra distance)\n"
      "  --period month|quarter  per-period gamma (default month)\n"
      "  --window WEEKS        event window (default 8)\n"
      "  --min-change PCT      smallest change in the weekly rate, in\n"
      "                        percent, reported as a finding (default 5)\n"
      "  --threads N           worker threads (default: all CPUs; results\n"
      "                        do not depend on it)\n"
      "  --simulated           the records are synthetic: the page says so\n"
      "                        (implied when RECORDS.truth.json, written by\n"
      "                        `steerwatch simulate`, is beside them)\n\n"
      "Exit: 0 audited (steering found or not), 64 usage, 65 bad input,\n"
      "66 cannot open an input, 73 cannot create an output, 74 write "
      "error.\n",
      usage);
}

/* rejects.csv is SPEC's file of rejected records; a rejected attribute row
 * goes to stderr, where its line number cannot be taken for a record's. */
typedef struct reject_sink {
  cli_rejects records;
  const char *attrs_path;
} reject_sink;

static bool on_reject(void *user, const sw_reject *r) {
  reject_sink *k = user;
  if (!strcmp(r->file, k->attrs_path))
    cli_print_reject(r);
  else
    cli_rejects_write(&k->records, r);
  return true;
}

typedef struct args {
  sw_audit_opts o;
  const char *targets[MAX_LIST], *covariates[MAX_LIST];
  sw_audit_event events[MAX_LIST];
  const char *out;
} args;

/* One option with its value; 0 when consumed, else an exit code. */
static int take(args *x, const char *a, const char *v) {
  sw_audit_opts *o = &x->o;
  uint64_t u;
  if (!strcmp(a, "--records"))
    o->records_path = v;
  else if (!strcmp(a, "--regions"))
    o->regions_path = v;
  else if (!strcmp(a, "--region-id") && !*v)
    return cli_usage_error("audit", usage, "--region-id needs a property");
  else if (!strcmp(a, "--region-id"))
    o->region_id = v;
  else if (!strcmp(a, "--layer") && !*v)
    return cli_usage_error("audit", usage, "--layer needs an object name");
  else if (!strcmp(a, "--layer"))
    o->layer = v;
  else if (!strcmp(a, "--attrs"))
    o->attrs_path = v;
  else if (!strcmp(a, "--out"))
    x->out = v;
  else if (!strcmp(a, "--target") || !strcmp(a, "--covariate")) {
    bool t = a[2] == 't';
    size_t *n = t ? &o->n_targets : &o->n_covariates;
    if (*n == MAX_LIST)
      return cli_usage_error("audit", usage, "too many %s options", a);
    (t ? x->targets : x->covariates)[(*n)++] = v;
  } else if (!strcmp(a, "--event")) {
    if (o->n_events == MAX_LIST)
      return cli_usage_error("audit", usage, "too many --event options");
    const char *colon = strchr(v, ':');
    size_t len = colon ? (size_t)(colon - v) : strlen(v);
    sw_audit_event *e = &x->events[o->n_events];
    if (sw_date_parse(v, len, &e->date) != SW_OK)
      return cli_usage_error("audit", usage,
                             "--event needs DATE[:LABEL], got '%s'", v);
    e->label = colon ? colon + 1 : "";
    o->n_events++;
  } else if (!strcmp(a, "--alternatives")) {
    o->alternatives_set = true;
    if (!strcmp(v, "all"))
      o->alternatives = 0;
    else if (cli_parse_u64(v, 1000000, &u) && u >= 1)
      o->alternatives = u;
    else
      return cli_usage_error("audit", usage,
                             "--alternatives needs 'all' or a count >= 1, "
                             "got '%s'",
                             v);
  } else if (!strcmp(a, "--ties-km") || !strcmp(a, "--cost-per-km")) {
    double *d = a[2] == 't' ? &o->ties_km : &o->cost_per_km;
    if (!cli_parse_double(v, d) || *d < 0)
      return cli_usage_error("audit", usage, "%s needs a number >= 0, got '%s'",
                             a, v);
  } else if (!strcmp(a, "--min-change")) {
    double pct;
    if (!cli_parse_double(v, &pct) || !(pct > 0) || pct > 1000)
      return cli_usage_error("audit", usage,
                             "--min-change needs a percentage above 0, got "
                             "'%s'",
                             v);
    o->min_change = pct / 100;
  } else if (!strcmp(a, "--period")) {
    if (!strcmp(v, "month"))
      o->period = SW_PERIOD_MONTH;
    else if (!strcmp(v, "quarter"))
      o->period = SW_PERIOD_QUARTER;
    else
      return cli_usage_error("audit", usage,
                             "--period needs month or quarter, got '%s'", v);
  } else if (!strcmp(a, "--window") || !strcmp(a, "--threads")) {
    if (!cli_parse_u64(v, 1024, &u) || !u)
      return cli_usage_error("audit", usage,
                             "%s needs a count from 1 to 1024, got '%s'", a, v);
    *(a[2] == 'w' ? &o->window_weeks : &o->threads) = (unsigned)u;
  } else if (!strcmp(a, "--seed")) {
    if (!cli_parse_u64(v, UINT64_MAX, &u))
      return cli_usage_error("audit", usage, "--seed needs a number, got '%s'",
                             v);
    o->seed = u;
  } else if (!strcmp(a, "--delimiter")) {
    if (!cli_parse_delimiter(v, &o->delimiter))
      return cli_usage_error("audit", usage, "bad delimiter '%s'", v);
  } else {
    return cli_usage_error("audit", usage, "unknown option '%s'", a);
  }
  return 0;
}

int cmd_audit(int argc, char **argv) {
  args *x = calloc(1, sizeof *x);
  if (!x) {
    fprintf(stderr, "steerwatch: out of memory\n");
    return EXIT_SOFTWARE;
  }
  int code = 0;
  for (int i = 1; i < argc && !code; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      help();
      free(x);
      return EXIT_DONE;
    }
    if (!strcmp(a, "--simulated")) {
      x->o.simulated = true;
      continue;
    }
    const char *eq = strncmp(a, "--", 2) ? NULL : strchr(a, '=');
    char name[32];
    if (eq && (size_t)(eq - a) < sizeof name) {
      memcpy(name, a, (size_t)(eq - a));
      name[eq - a] = 0;
      code = take(x, name, eq + 1);
    } else if (strncmp(a, "--", 2)) {
      code = cli_usage_error("audit", usage, "unexpected argument '%s'", a);
    } else if (i + 1 >= argc) {
      code = cli_usage_error("audit", usage, "%s needs a value", a);
    } else {
      code = take(x, a, argv[++i]);
    }
  }
  sw_audit_opts *o = &x->o;
  if (!code && !o->records_path)
    code = cli_usage_error("audit", usage, "--records is required");
  if (!code && !o->attrs_path)
    code = cli_usage_error("audit", usage, "--attrs is required");
  if (!code && !o->n_targets)
    code = cli_usage_error("audit", usage, "at least one --target is needed");
  if (!code && (!x->out || !*x->out))
    code = cli_usage_error("audit", usage, "--out DIR is required");
  if (code) {
    free(x);
    return code;
  }
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
  reject_sink rejects = {.attrs_path = o->attrs_path};
  if (!cli_rejects_open(&rejects.records, path)) {
    fprintf(stderr, "steerwatch: %s: cannot create: %s\n", path,
            strerror(errno));
    free(x);
    return EXIT_CANTCREAT;
  }
  o->on_reject = on_reject;
  o->reject_user = &rejects;
  cli_progress bar;
  cli_progress_init(&bar, "audit");
  o->on_progress = cli_progress_cb;
  o->progress_user = &bar;

  sw_audit *au = NULL;
  sw_error err;
  sw_status st = sw_audit_run(o, &au, &err);
  cli_progress_done(&bar);
  bool rejects_ok = cli_rejects_close(&rejects.records);
  if (st) {
    code = cli_fail(&err);
  } else if ((st = sw_audit_write(au, x->out, &err))) {
    cli_fail(&err);
    code = st == SW_E_OPEN ? EXIT_CANTCREAT : cli_exit_code(st);
  } else if (!rejects_ok) {
    fprintf(stderr, "steerwatch: %s: write error\n", path);
    code = EXIT_IOERR;
  } else {
    fputs(sw_audit_summary(au), stderr);
    fprintf(stderr,
            "\nWritten to %s/: results.json, regions.csv, "
            "flagged.csv, rejects.csv, report.html\n",
            x->out);
  }
  sw_audit_free(au);
  free(x);
  return code;
}
