/*
 * audit.c — `steerwatch audit` as a library call: checks the options,
 * digests and reads the inputs, then runs the stages in order (geography,
 * displacement, one model per target, Holm across targets, the summary).
 * The stages live in audit_geo.c, audit_displacement.c, audit_targets.c
 * and audit_results.c; their shared state is struct sw_audit (audit_state.h).
 */
#include <math.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "audit_state.h"
#include "digest.h"
#include "err.h"
#include "records.h"
#include "stats.h"

static void free_target(audit_target *t) {
  sw__free(t->spec);
  sw__free(t->attr);
  sw__free(t->value);
  sw__free(t->bound);
  sw__free(t->table);
  sw__free(t->seg);
  sw__free(t->in_target);
  sw__free(t->p_null);
  sw__free(t->region_expected);
  sw__free(t->region_observed);
  sw__free(t->region_flag);
  sw_model_result_free(t->full);
  sw_model_result_free(t->restricted);
  sw__free(t->model_reason);
  sw__free(t->head.reason);
  sw__free(t->head.placebo_reason);
  sw__free(t->head.separation);
  sw__free(t->head.distance_fallback);
  for (size_t i = 0; i < t->n_periods; i++)
    sw__free(t->periods[i].reason);
  sw__free(t->periods);
  sw_time_free(t->changes);
  sw__free(t->changes_reason);
  sw__free(t->events);
  sw_time_free(t->weeks);
  sw__free(t->facility_n);
  sw__free(t->facility_observed);
  sw__free(t->facility_expected_share);
}

void sw_audit_free(sw_audit *a) {
  if (!a) return;
  for (size_t i = 0; i < a->o.n_targets; i++)
    if (a->targets_copy) sw__free(a->targets_copy[i]);
  sw__free(a->targets_copy);
  for (size_t i = 0; i < a->o.n_covariates; i++)
    if (a->covariates_copy) sw__free(a->covariates_copy[i]);
  sw__free(a->covariates_copy);
  for (size_t i = 0; i < a->o.n_events; i++)
    if (a->events_copy) sw__free((char *)a->events_copy[i].label);
  sw__free(a->events_copy);
  sw__free(a->records_path);
  sw__free(a->regions_path);
  sw__free(a->attrs_path);
  sw__free(a->region_id);
  sw__free(a->layer);
  sw__free(a->truth_path);
  for (size_t i = 0; i < a->n_inputs; i++)
    sw__free(a->inputs[i].path);
  sw_records_free(a->records);
  sw_regions_free(a->regions);
  sw_attrs_free(a->attrs);
  sw__free(a->region_ids);
  sw__free(a->region_points);
  sw__free(a->covariates);
  sw__free(a->rec);
  sw__free(a->chosen);
  sw__free(a->facility);
  sw__free(a->ties);
  sw__free(a->ties_region);
  sw__free(a->date);
  sw__free(a->weight);
  sw__free(a->facility_points);
  for (size_t i = 0; i < a->n_facilities; i++)
    if (a->facility_names) sw__free(a->facility_names[i]);
  sw__free(a->facility_names);
  sw__free(a->flags);
  for (size_t i = 0; i < a->n_targets; i++)
    free_target(&a->targets[i]);
  sw__free(a->targets);
  sw__free(a->summary);
  sw__free(a);
}

/* NULL stays NULL; false only when a copy fails. */
static bool dup_opt(const char *s, char **out) {
  *out = s ? sw__strdup(s) : NULL;
  return !s || *out;
}

/* Records drawn by sw_simulate carry their truth beside them: finding it
 * marks the audit as one of simulated records, whatever the caller said,
 * so the page can never present synthetic records as real ones. */
static sw_status find_truth(sw_audit *a, sw_error *err) {
  size_t n = sw_simulate_truth_path(a->records_path, NULL, 0) + 1;
  char *p = sw__malloc(n);
  if (!p) return sw__err(err, SW_E_NOMEM, "out of memory");
  sw_simulate_truth_path(a->records_path, p, n);
  if (access(p, R_OK) == 0) {
    a->truth_path = p;
    a->o.simulated = true;
  } else {
    sw__free(p);
  }
  return SW_OK;
}

/* Copy the options so that the audit's provenance outlives the caller's
 * argv, and settle the defaults. */
static sw_status copy_opts(sw_audit *a, const sw_audit_opts *o, sw_error *err) {
  a->o = *o;
  if (!dup_opt(o->records_path, &a->records_path) ||
      !dup_opt(o->regions_path, &a->regions_path) ||
      !dup_opt(o->attrs_path, &a->attrs_path) ||
      !dup_opt(o->region_id, &a->region_id) || !dup_opt(o->layer, &a->layer))
    return sw__err(err, SW_E_NOMEM, "out of memory");
  a->targets_copy = sw__calloc(o->n_targets, sizeof *a->targets_copy);
  a->covariates_copy =
      sw__calloc(o->n_covariates ? o->n_covariates : 1, sizeof(char *));
  a->events_copy =
      sw__calloc(o->n_events ? o->n_events : 1, sizeof *a->events_copy);
  if (!a->targets_copy || !a->covariates_copy || !a->events_copy)
    return sw__err(err, SW_E_NOMEM, "out of memory");
  for (size_t i = 0; i < o->n_targets; i++)
    if (!dup_opt(o->targets[i], &a->targets_copy[i]))
      return sw__err(err, SW_E_NOMEM, "out of memory");
  for (size_t i = 0; i < o->n_covariates; i++)
    if (!dup_opt(o->covariates[i], &a->covariates_copy[i]))
      return sw__err(err, SW_E_NOMEM, "out of memory");
  for (size_t i = 0; i < o->n_events; i++) {
    char *l;
    if (!dup_opt(o->events[i].label ? o->events[i].label : "", &l))
      return sw__err(err, SW_E_NOMEM, "out of memory");
    a->events_copy[i].date = o->events[i].date;
    a->events_copy[i].label = l;
  }
  a->o.records_path = a->records_path;
  a->o.regions_path = a->regions_path;
  a->o.attrs_path = a->attrs_path;
  a->o.region_id = a->region_id;
  a->o.layer = a->layer;
  a->o.targets = (const char *const *)a->targets_copy;
  a->o.covariates = (const char *const *)a->covariates_copy;
  a->o.events = a->events_copy;
  if (!a->o.ties_km) a->o.ties_km = 100;
  if (!a->o.period) a->o.period = SW_PERIOD_MONTH;
  if (!a->o.window_weeks) a->o.window_weeks = 8;
  if (!a->o.min_change) a->o.min_change = SW_MIN_CHANGE_DEFAULT;
  if (isnan(a->o.cost_per_km)) a->o.cost_per_km = 0;
  if (!a->o.threads) {
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    a->o.threads = c > 0 ? (unsigned)c : 1;
  }
  return find_truth(a, err);
}

static sw_status check_opts(const sw_audit_opts *o, sw_error *err) {
  if (!o || !o->records_path || !o->attrs_path)
    return sw__err(err, SW_E_USAGE, "records and attributes are required");
  if (!o->n_targets || !o->targets)
    return sw__err(err, SW_E_USAGE, "at least one target ATTR=VALUE needed");
  size_t attr_len;
  for (size_t i = 0; i < o->n_targets; i++)
    if (sw_target_split(o->targets[i], &attr_len, err)) return SW_E_USAGE;
  if (o->n_covariates && !o->covariates)
    return sw__err(err, SW_E_USAGE, "covariate names missing");
  if (o->n_events && !o->events)
    return sw__err(err, SW_E_USAGE, "events missing");
  if (!(o->ties_km >= 0) || !(o->cost_per_km >= 0 || isnan(o->cost_per_km)))
    return sw__err(err, SW_E_USAGE, "--ties-km and --cost-per-km must be >= 0");
  if (!(o->min_change >= 0) || !isfinite(o->min_change))
    return sw__err(err, SW_E_USAGE, "--min-change must be a number >= 0");
  if (o->baseline && o->baseline_from > o->baseline_to) {
    char f[16], t[16];
    sw_date_format(o->baseline_from, f, sizeof f);
    sw_date_format(o->baseline_to, t, sizeof t);
    return sw__err(err, SW_E_USAGE,
                   "--baseline: FROM %s is after TO %s (the baseline is "
                   "FROM:TO, earliest first)",
                   f, t);
  }
  if (o->period && o->period != SW_PERIOD_MONTH &&
      o->period != SW_PERIOD_QUARTER)
    return sw__err(err, SW_E_USAGE, "period must be month or quarter");
  if (o->distance != SW_DISTANCE_DEFAULT && o->distance != SW_DISTANCE_SPLINE &&
      o->distance != SW_DISTANCE_LOG1P)
    return sw__err(err, SW_E_USAGE, "distance must be spline or log1p");
  return SW_OK;
}

static sw_status add_input(sw_audit *a, const char *path, sw_error *err) {
  if (!(a->inputs[a->n_inputs].path = sw__strdup(path)))
    return sw__err(err, SW_E_NOMEM, "out of memory");
  a->n_inputs++;
  return SW_OK;
}

static sw_status read_files(sw_audit *a, sw_error *err) {
  sw_status st;
  sw_read_opts ro = {0};
  if (a->o.records_opts) ro = *a->o.records_opts;
  /* The records' own delimiter, when given, is theirs alone: an agency's
   * pipe-delimited file beside our comma-separated attributes. */
  char attrs_delimiter = a->o.delimiter;
  if (!ro.delimiter) ro.delimiter = a->o.delimiter;
  ro.on_reject = a->o.on_reject;
  ro.reject_user = a->o.reject_user;
  ro.on_progress = a->o.on_progress;
  ro.progress_user = a->o.progress_user;
  /* Standard input is hashed as it is read (the digest thread skips it:
   * a pipe cannot be read twice). */
  audit_input *in = &a->inputs[0];
  if ((st = a->records_from_stdin
                ? sw__records_read_hashed(a->o.records_path, &ro, &a->records,
                                          in->sha256, &in->bytes, err)
                : sw_records_read(a->o.records_path, &ro, &a->records, err)))
    return st;
  a->counts = sw_records_counts(a->records);
  a->unmatched_places = sw_records_unmatched_places(a->records);
  /* The attributes are our own format: only the delimiter and the
   * character set carry over. */
  sw_read_opts attr_ro = {0};
  attr_ro.delimiter = attrs_delimiter;
  attr_ro.encoding = ro.encoding;
  attr_ro.on_reject = ro.on_reject;
  attr_ro.reject_user = ro.reject_user;
  ro = attr_ro;
  if ((st = sw_attrs_read(a->o.attrs_path, &ro, &a->attrs, err))) return st;
  a->attr_counts = sw_attrs_counts(a->attrs);
  if (a->o.regions_path) {
    sw_regions_opts go = {0};
    go.id_property = a->o.region_id;
    go.layer = a->o.layer;
    if ((st = sw_regions_read(a->o.regions_path, &go, &a->regions, err)))
      return st;
  }
  return SW_OK;
}

/* The inputs' SHA-256, on a thread of its own while the main thread reads
 * them: libcrypto's start-up alone is about 5M instructions, and hashing
 * and reading each read every byte. */
typedef struct digest_job {
  sw_audit *a;
  sw_status st;
  sw_error err;
} digest_job;

static void *digest_inputs(void *arg) {
  digest_job *j = arg;
  for (size_t k = 0; k < j->a->n_inputs && !j->st; k++) {
    if (k == 0 && j->a->records_from_stdin) continue;
    audit_input *in = &j->a->inputs[k];
    j->st = sw__sha256_file(in->path, in->sha256, &in->bytes, &j->err);
  }
  return NULL;
}

/* The gazetteer is an input only when the records named places through it,
 * so it is known, and hashed, after they are read. */
static sw_status add_gazetteer(sw_audit *a, sw_error *err) {
  const char *path =
      a->o.records_opts ? a->o.records_opts->gazetteer_path : NULL;
  if (a->unmatched_places < 0 || !path) return SW_OK;
  audit_input *in = &a->inputs[a->n_inputs];
  sw_status st = add_input(a, path, err);
  return st ? st : sw__sha256_file(in->path, in->sha256, &in->bytes, err);
}

static sw_status read_inputs(sw_audit *a, sw_error *err) {
  sw_status st;
  if ((st = add_input(a, a->o.records_path, err)) ||
      (a->o.regions_path && (st = add_input(a, a->o.regions_path, err))) ||
      (st = add_input(a, a->o.attrs_path, err)) ||
      (a->o.records_opts && a->o.records_opts->facilities_path &&
       (st = add_input(a, a->o.records_opts->facilities_path, err))))
    return st;
  a->records_from_stdin = !strcmp(a->o.records_path, "-");
  digest_job job = {.a = a};
  pthread_t tid;
  bool threaded = pthread_create(&tid, NULL, digest_inputs, &job) == 0;
  if (!threaded) digest_inputs(&job);
  st = read_files(a, err);
  if (threaded) pthread_join(tid, NULL);
  /* The hashes come first, as they did when they were taken first: a file
   * that cannot be opened is reported by the digest in either order. */
  if (job.st) {
    if (err) *err = job.err;
    return job.st;
  }
  return st ? st : add_gazetteer(a, err);
}

static sw_status init_targets(sw_audit *a, sw_error *err) {
  a->targets = sw__calloc(a->o.n_targets, sizeof *a->targets);
  if (!a->targets) return sw__err(err, SW_E_NOMEM, "out of memory");
  a->n_targets = a->o.n_targets;
  for (size_t i = 0; i < a->n_targets; i++) {
    const char *s = a->o.targets[i];
    size_t attr_len;
    sw_target_split(s, &attr_len, NULL); /* checked by check_opts */
    audit_target *t = &a->targets[i];
    t->spec = sw__strdup(s);
    t->attr = sw__strndup(s, attr_len);
    t->value = sw__strdup(s + attr_len + 1);
    if (!t->spec || !t->attr || !t->value)
      return sw__err(err, SW_E_NOMEM, "out of memory");
    t->p_value = t->p_adjusted = t->lr_statistic = NAN;
  }
  return SW_OK;
}

static sw_status holm(sw_audit *a, sw_error *err) {
  double *p = sw__malloc(a->n_targets * sizeof *p);
  if (!p) return sw__err(err, SW_E_NOMEM, "out of memory");
  for (size_t i = 0; i < a->n_targets; i++)
    p[i] = a->targets[i].p_value;
  sw_status st = sw__holm(a->n_targets, p, p, err);
  if (!st)
    for (size_t i = 0; i < a->n_targets; i++)
      a->targets[i].p_adjusted = p[i];
  sw__free(p);
  return st;
}

sw_status sw_audit_run(const sw_audit_opts *opts, sw_audit **out,
                       sw_error *err) {
  if (out) *out = NULL;
  sw_status st;
  if (!out) return sw__err(err, SW_E_USAGE, "NULL output");
  if ((st = check_opts(opts, err))) return st;
  sw_audit *a = sw__calloc(1, sizeof *a);
  if (!a) return sw__err(err, SW_E_NOMEM, "out of memory");
  if ((st = copy_opts(a, opts, err)) || (st = read_inputs(a, err)) ||
      (st = init_targets(a, err)) || (st = sw__audit_geography(a, err)) ||
      (st = sw__audit_displacement(a, err))) {
    sw_audit_free(a);
    return st;
  }
  for (size_t i = 0; i < a->n_targets; i++)
    if ((st = sw__audit_target(a, &a->targets[i], err))) {
      sw_audit_free(a);
      return st;
    }
  if ((st = holm(a, err)) || (st = sw__audit_summarise(a, err))) {
    sw_audit_free(a);
    return st;
  }
  *out = a;
  return SW_OK;
}

const char *sw_audit_summary(const sw_audit *a) { return a->summary; }

sw_counts sw_audit_counts(const sw_audit *a, uint64_t *unassigned) {
  if (unassigned) *unassigned = a->unassigned;
  return a->counts;
}

uint64_t sw_audit_n_flagged(const sw_audit *a) { return a->n_flags; }

size_t sw_audit_n_targets(const sw_audit *a) { return a->n_targets; }

double sw_audit_p_value(const sw_audit *a, size_t target, double *p_adjusted) {
  if (p_adjusted) *p_adjusted = a->targets[target].p_adjusted;
  return a->targets[target].p_value;
}

bool sw_audit_headline(const sw_audit *a, size_t target, sw_headline *out) {
  if (!a || target >= a->n_targets) return false;
  const audit_headline *h = &a->targets[target].head;
  *out = (sw_headline){h->design, h->event,   h->onset,  h->estimate,
                       h->ci_low, h->ci_high, h->p_value};
  return true;
}
