/*
 * audit.c — audit(): the options R gives filled into an sw_audit_opts as
 * the CLI fills them (cli/cmd_audit.c), the whole audit run and written by
 * the library into the output directory, beside rejects.csv, and what the
 * library says of it (summary, counts, headline per target) returned to R.
 * R reads the tables from the files: nothing is computed here.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glue.h"
#include "rejects_csv.h"

typedef struct audit_call {
  sw_status st;
  sw_error err;
  sw_audit *au;
  sw_r_rejects rejects;
} audit_call;

static SEXP date_or_na(int32_t d) {
  return ScalarInteger(d == INT32_MIN ? NA_INTEGER : d);
}

/* One target's headline and tests as a list of scalars. */
static SEXP headline(const sw_audit *au, size_t t) {
  sw_headline h;
  sw_audit_headline(au, t, &h);
  double p_adj;
  double p = sw_audit_p_value(au, t, &p_adj);
  static const char *names[] = {
      "design",  "event",   "onset", "estimate",      "ci_low",
      "ci_high", "p_value", "p_lr",  "p_lr_adjusted", ""};
  SEXP out = PROTECT(mkNamed(VECSXP, names));
  SET_VECTOR_ELT(out, 0, sw_r_mkstr(h.design));
  SET_VECTOR_ELT(out, 1, date_or_na(h.event));
  SET_VECTOR_ELT(out, 2, date_or_na(h.onset));
  SET_VECTOR_ELT(out, 3, ScalarReal(h.estimate));
  SET_VECTOR_ELT(out, 4, ScalarReal(h.ci_low));
  SET_VECTOR_ELT(out, 5, ScalarReal(h.ci_high));
  SET_VECTOR_ELT(out, 6, ScalarReal(h.p_value));
  SET_VECTOR_ELT(out, 7, ScalarReal(p));
  SET_VECTOR_ELT(out, 8, ScalarReal(p_adj));
  UNPROTECT(1);
  return out;
}

static SEXP build(void *data) {
  audit_call *c = data;
  if (c->st) return sw_r_error(&c->err);
  static const char *names[] = {"summary",  "counts",       "n_flagged",
                                "headline", "attr_rejects", ""};
  SEXP out = PROTECT(mkNamed(VECSXP, names));
  SET_VECTOR_ELT(out, 0, sw_r_mkstr(sw_audit_summary(c->au)));
  uint64_t unassigned;
  sw_counts k = sw_audit_counts(c->au, &unassigned);
  static const char *count_names[] = {"read", "accepted", "rejected",
                                      "unassigned", ""};
  SEXP counts = PROTECT(mkNamed(REALSXP, count_names));
  REAL(counts)[0] = (double)k.read;
  REAL(counts)[1] = (double)k.accepted;
  REAL(counts)[2] = (double)k.rejected;
  REAL(counts)[3] = (double)unassigned;
  SET_VECTOR_ELT(out, 1, counts);
  SET_VECTOR_ELT(out, 2, ScalarReal((double)sw_audit_n_flagged(c->au)));
  size_t n = sw_audit_n_targets(c->au);
  SEXP heads = PROTECT(allocVector(VECSXP, n));
  for (size_t t = 0; t < n; t++)
    SET_VECTOR_ELT(heads, t, headline(c->au, t));
  SET_VECTOR_ELT(out, 3, heads);
  SET_VECTOR_ELT(out, 4, sw_r_rejects_list(&c->rejects, SW_INPUT_ATTRS));
  UNPROTECT(3);
  return out;
}

static void cleanup(void *data) {
  audit_call *c = data;
  sw_audit_free(c->au);
  sw_r_rejects_free(&c->rejects);
}

/* A usage error for an option value, worded as the CLI's. */
static sw_status usage(sw_error *err, const char *option, const char *v) {
  *err = (sw_error){.code = SW_E_USAGE};
  snprintf(err->message, sizeof err->message, "%s: not %s", option, v);
  return SW_E_USAGE;
}

/* event_dates / event_labels: `--event DATE[:LABEL]`, split in R. */
static sw_status events(SEXP o, sw_audit_opts *a, sw_error *err) {
  size_t n, n_labels;
  const char **dates = sw_r_strs(o, "event_dates", &n);
  const char **labels = sw_r_strs(o, "event_labels", &n_labels);
  sw_audit_event *ev = (sw_audit_event *)R_alloc(n + 1, sizeof *ev);
  for (size_t i = 0; i < n; i++) {
    if (sw_date_parse(dates[i], strlen(dates[i]), &ev[i].date))
      return usage(err, "event", "a date YYYY-MM-DD");
    ev[i].label = i < n_labels ? labels[i] : "";
  }
  a->events = ev;
  a->n_events = n;
  return SW_OK;
}

/* The options the CLI parses from text and the library does not check. */
static sw_status options(SEXP o, sw_audit_opts *a, sw_error *err) {
  size_t n;
  const char **baseline = sw_r_strs(o, "baseline", &n);
  if (n == 2) {
    if (sw_date_parse(baseline[0], strlen(baseline[0]), &a->baseline_from) ||
        sw_date_parse(baseline[1], strlen(baseline[1]), &a->baseline_to))
      return usage(err, "baseline", "two dates YYYY-MM-DD");
    a->baseline = true;
  }
  const char *alt = sw_r_str(o, "alternatives");
  if (alt) {
    a->alternatives_set = true;
    a->alternatives = strcmp(alt, "all") ? (size_t)strtoull(alt, NULL, 10) : 0;
  }
  const char *seed = sw_r_str(o, "seed");
  if (seed) {
    errno = 0;
    a->seed = strtoull(seed, NULL, 10);
    if (errno) return usage(err, "seed", "a number below 2^64");
  }
  const char *period = sw_r_str(o, "period");
  if (period)
    a->period = strcmp(period, "quarter") ? SW_PERIOD_MONTH : SW_PERIOD_QUARTER;
  const char *distance = sw_r_str(o, "distance");
  if (distance)
    a->distance =
        strcmp(distance, "log1p") ? SW_DISTANCE_SPLINE : SW_DISTANCE_LOG1P;
  /* --min-change PCT is kept as PCT / 100, the same double. */
  double pct = sw_r_num(o, "min_change", 0);
  a->min_change = pct / 100;
  return events(o, a, err);
}

SEXP sw_r_audit(SEXP o) {
  SEXP cont = PROTECT(R_MakeUnwindCont());
  sw_audit_opts a = {0};
  a.records_path = sw_r_str(o, "records");
  a.regions_path = sw_r_str(o, "regions");
  a.region_id = sw_r_str(o, "region_id");
  a.layer = sw_r_str(o, "layer");
  a.attrs_path = sw_r_str(o, "attrs");
  /* The records' delimiter is theirs alone; the attributes are our own
   * comma-separated format (cli/cmd_audit.c). */
  sw_read_opts ro = {0};
  sw_r_read_opts(o, &ro);
  a.delimiter = ',';
  a.records_opts = &ro;
  a.targets = sw_r_strs(o, "targets", &a.n_targets);
  a.covariates = sw_r_strs(o, "covariates", &a.n_covariates);
  a.ties_km = sw_r_num(o, "ties_km", 0);
  a.cost_per_km = sw_r_num(o, "cost_per_km", 0);
  a.window_weeks = (unsigned)sw_r_num(o, "window", 0);
  a.threads = (unsigned)sw_r_num(o, "threads", 0);
  SEXP simulated = sw_r_elt(o, "simulated");
  a.simulated = isLogical(simulated) && asLogical(simulated) == TRUE;
  const char *dir = sw_r_str(o, "out");

  audit_call c = {0};
  a.on_reject = sw_r_collect;
  a.reject_user = &c.rejects;
  c.st = options(o, &a, &c.err);
  if (!c.st) c.st = sw_audit_run(&a, &c.au, &c.err);
  if (c.rejects.nomem) c.st = sw_r_nomem(&c.err);
  if (!c.st) c.st = sw_audit_write(c.au, dir, &c.err);
  if (!c.st) c.st = sw_r_rejects_csv(&c.rejects, dir, &c.err);
  SEXP out = sw_r_protected(cont, build, cleanup, &c);
  UNPROTECT(1);
  return out;
}
