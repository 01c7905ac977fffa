/*
 * audit_results.c — the audit's outputs, the last stage: results.json
 * (SPEC's keys, plus the reasons and counts a reader needs to trust them),
 * regions.csv, flagged.csv and the plain-words summary for the CLI; the
 * page, report.html, is laid out by audit_report.c from the same state.
 *
 * results.json must be byte-identical for the same inputs, options and
 * seed: keys are written in a fixed order (cJSON keeps insertion order),
 * nothing depends on the clock or the thread count, and numbers are
 * formatted here rather than by cJSON: the shortest of %.15g, %.16g and
 * %.17g that reads back to the same double, with the decimal point forced
 * to '.' whatever the locale; non-finite numbers are null.
 *
 * regions.csv target_flag is the share of the records' date span during
 * which the region was in the target (1: all along, 0: never).
 * flagged.csv gives kilometres to 3 decimals and costs to 2.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "alloc.h"
#include "audit_state.h"
#include "buf.h"
#include "csv.h"
#include "err.h"
#include "number.h"

/* Builder that remembers any allocation failure instead of checking each
 * call. */
typedef struct json_builder {
  bool failed; /* some allocation failed: the document is incomplete */
} json_builder;

static cJSON *add(json_builder *b, cJSON *obj, const char *key, cJSON *item) {
  if (!item) {
    b->failed = true;
    return NULL;
  }
  if (!obj) {
    cJSON_Delete(item);
    return NULL;
  }
  bool ok = key ? cJSON_AddItemToObject(obj, key, item)
                : cJSON_AddItemToArray(obj, item);
  if (!ok) {
    cJSON_Delete(item);
    b->failed = true;
    return NULL;
  }
  return item;
}

static cJSON *num(double x) {
  if (!isfinite(x)) return cJSON_CreateNull();
  char buf[40];
  sw__fmt_shortest(x, buf);
  return cJSON_CreateRaw(buf);
}

static cJSON *unum(uint64_t x) {
  char buf[24];
  snprintf(buf, sizeof buf, "%llu", (unsigned long long)x);
  return cJSON_CreateRaw(buf);
}

/* A count of people, null where a published view withholds it. */
static cJSON *count(uint64_t x) {
  return x == SW__SUPPRESSED ? cJSON_CreateNull() : unum(x);
}

static cJSON *str(const char *s) {
  return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *date(int32_t d) {
  char buf[16];
  sw_date_format(d, buf, sizeof buf);
  return cJSON_CreateString(buf);
}

static cJSON *pair(json_builder *b, cJSON *x, cJSON *y) {
  cJSON *a = cJSON_CreateArray();
  add(b, a, NULL, x);
  add(b, a, NULL, y);
  return a;
}

static cJSON *alternatives(const sw_audit *a) {
  return a->alternatives ? unum(a->alternatives) : cJSON_CreateString("all");
}

static cJSON *provenance(json_builder *b, const sw_audit *a) {
  cJSON *p = cJSON_CreateObject(),
        *in = add(b, p, "inputs", cJSON_CreateArray());
  for (size_t i = 0; i < a->n_inputs; i++) {
    cJSON *o = add(b, in, NULL, cJSON_CreateObject());
    add(b, o, "path", str(a->inputs[i].path));
    add(b, o, "sha256", str(a->inputs[i].sha256));
    add(b, o, "bytes", unum(a->inputs[i].bytes));
  }
  add(b, p, "seed", unum(a->o.seed));
  cJSON *q = add(b, p, "parameters", cJSON_CreateObject());
  const sw_audit_opts *o = &a->o;
  add(b, q, "records", str(o->records_path));
  add(b, q, "regions", str(o->regions_path));
  add(b, q, "region_id", str(o->region_id));
  add(b, q, "layer", str(o->layer));
  add(b, q, "attrs", str(o->attrs_path));
  char d[2] = {o->delimiter ? o->delimiter : ',', 0};
  add(b, q, "delimiter", str(d));
  cJSON *t = add(b, q, "targets", cJSON_CreateArray());
  for (size_t i = 0; i < o->n_targets; i++)
    add(b, t, NULL, str(o->targets[i]));
  cJSON *c = add(b, q, "covariates", cJSON_CreateArray());
  for (size_t i = 0; i < o->n_covariates; i++)
    add(b, c, NULL, str(o->covariates[i]));
  cJSON *e = add(b, q, "events", cJSON_CreateArray());
  for (size_t i = 0; i < o->n_events; i++) {
    cJSON *x = add(b, e, NULL, cJSON_CreateObject());
    add(b, x, "date", date(o->events[i].date));
    add(b, x, "label", str(o->events[i].label));
  }
  add(b, q, "alternatives", alternatives(a));
  add(b, q, "alternatives_default",
      cJSON_CreateBool(a->alternatives_defaulted));
  add(b, q, "ties_km", num(o->ties_km));
  add(b, q, "cost_per_km",
      o->cost_per_km > 0 ? num(o->cost_per_km) : cJSON_CreateNull());
  add(b, q, "period",
      str(o->period == SW_PERIOD_QUARTER ? "quarter" : "month"));
  add(b, q, "window_weeks", unum(o->window_weeks));
  add(b, q, "min_change", num(o->min_change));
  add(b, q, "simulated", cJSON_CreateBool(o->simulated));
  add(b, q, "truth", str(a->truth_path));
  if (o->baseline) { /* only when given: older results stay byte-equal */
    cJSON *bl = add(b, q, "baseline", cJSON_CreateObject());
    add(b, bl, "from", date(o->baseline_from));
    add(b, bl, "to", date(o->baseline_to));
  }
  return p;
}

static cJSON *model(json_builder *b, const sw_audit *a, const audit_target *t) {
  cJSON *m = cJSON_CreateObject();
  add(b, m, "alternatives", alternatives(a));
  const sw_model_result *f = t->full, *r = t->restricted;
  add(b, m, "log_likelihood", num(f ? f->log_likelihood : NAN));
  add(b, m, "null_log_likelihood", num(r ? r->log_likelihood : NAN));
  add(b, m, "n_records", unum(a->n_located));
  add(b, m, "n_people", unum(a->people_located));
  add(b, m, "n_clusters", unum(a->n_facilities));
  cJSON *cs = add(b, m, "coefficients", cJSON_CreateArray());
  for (size_t k = 0; f && k < f->n_coef; k++) {
    cJSON *c = add(b, cs, NULL, cJSON_CreateObject());
    add(b, c, "name", str(f->names[k]));
    add(b, c, "estimate",
        f->omitted[k] ? cJSON_CreateNull() : num(f->estimate[k]));
    add(b, c, "se", num(f->se[k]));
    add(b, c, "se_cluster", num(f->se_cluster[k]));
    add(b, c, "ci95", pair(b, num(f->ci_low[k]), num(f->ci_high[k])));
  }
  add(b, m, "lr_statistic", num(t->lr_statistic));
  add(b, m, "p_value", num(t->p_value));
  add(b, m, "randomization_p_value", num(t->randomization_p));
  add(b, m, "randomization_strata",
      str(t->randomization_stratified ? "population quintiles" : "none"));
  cJSON *ev = add(b, m, "e_value", cJSON_CreateObject());
  add(b, ev, "estimate", num(t->e_value));
  add(b, ev, "ci_bound", num(t->e_value_ci));
  add(b, m, "error", str(t->model_reason));
  return m;
}

static cJSON *opt_date(int32_t d) {
  return d == INT32_MIN ? cJSON_CreateNull() : date(d);
}

/* The within-region finding that the page's box states (audit_within.c). */
static cJSON *headline(json_builder *b, const sw_audit *a,
                       const audit_headline *h) {
  cJSON *o = cJSON_CreateObject();
  add(b, o, "design", h->design ? str(h->design) : cJSON_CreateNull());
  add(b, o, "estimate", num(h->estimate));
  add(b, o, "ci95", pair(b, num(h->ci_low), num(h->ci_high)));
  add(b, o, "p_value", num(h->p_value));
  add(b, o, "event", opt_date(h->event));
  add(b, o, "onset", opt_date(h->onset));
  add(b, o, "odds_ratio", num(exp(h->estimate)));
  add(b, o, "se", num(h->se));
  add(b, o, "se_cluster", num(h->se_cluster));
  add(b, o, "p_value_model", num(h->p_model));
  add(b, o, "p_value_cluster", num(h->p_cluster));
  add(b, o, "statistic", num(h->statistic));
  size_t k = sw__audit_fe_alternatives(a);
  add(b, o, "alternatives", k ? unum(k) : str("all"));
  add(b, o, "distance", h->distance ? str(h->distance) : cJSON_CreateNull());
  add(b, o, "distance_fallback",
      h->distance_fallback ? str(h->distance_fallback) : cJSON_CreateNull());
  add(b, o, "n_clusters", unum(h->n_clusters));
  add(b, o, "n_before", count(h->n_before));
  add(b, o, "n_after", count(h->n_after));
  if (h->onset != INT32_MIN)
    add(b, o, "candidate_weeks", unum(h->n_candidates));
  if (h->placebo != INT32_MIN || h->placebo_reason) {
    cJSON *pl = add(b, o, "placebo", cJSON_CreateObject());
    add(b, pl, "date", opt_date(h->placebo));
    add(b, pl, "estimate", num(h->placebo_estimate));
    add(b, pl, "ci95",
        pair(b, num(h->placebo_ci_low), num(h->placebo_ci_high)));
    add(b, pl, "p_value", num(h->placebo_p));
    if (h->placebo_reason) add(b, pl, "error", str(h->placebo_reason));
  }
  if (h->reason) add(b, o, "error", str(h->reason));
  if (h->separation) {
    add(b, o, "separation", str(h->separation));
    add(b, o, "estimator", str("firth_penalised_likelihood"));
    add(b, o, "penalised_lr_statistic", num(h->penalised_statistic));
    add(b, o, "penalty_regions", unum(h->firth_chosen));
  }
  if (h->design && !strcmp(h->design, "within_region_baseline")) {
    cJSON *bl = add(b, o, "baseline", cJSON_CreateObject());
    add(b, bl, "from", date(h->baseline_from));
    add(b, bl, "to", date(h->baseline_to));
  }
  return o;
}

static cJSON *target(json_builder *b, const sw_audit *a,
                     const audit_target *t) {
  cJSON *o = cJSON_CreateObject();
  add(b, o, "target", str(t->spec));
  add(b, o, "headline", headline(b, a, &t->head));
  add(b, o, "observed", unum(t->observed));
  add(b, o, "observed_share", num(t->observed_share));
  add(b, o, "expected_share", num(t->expected_share));
  add(b, o, "excess_releases", num(t->excess));
  cJSON *ef = add(b, o, "expected_from", cJSON_CreateObject());
  add(b, ef, "records", unum(t->expected_records));
  add(b, ef, "subsampled", cJSON_CreateBool(t->expected_subsampled));
  add(b, o, "choice_model", model(b, a, t));
  add(b, o, "p_value_adjusted", num(t->p_adjusted));
  cJSON *ps = add(b, o, "periods", cJSON_CreateArray());
  for (size_t i = 0; i < t->n_periods; i++) {
    const audit_period *p = &t->periods[i];
    cJSON *x = add(b, ps, NULL, cJSON_CreateObject());
    add(b, x, "from", date(p->from));
    add(b, x, "to", date(p->to - 1));
    add(b, x, "gamma", num(p->gamma));
    add(b, x, "ci95", pair(b, num(p->ci_low), num(p->ci_high)));
    add(b, x, "n", count(p->n));
    if (p->reason) add(b, x, "reason", str(p->reason));
  }
  cJSON *fs = add(b, o, "facilities", cJSON_CreateArray());
  for (size_t f = 0; f < a->n_facilities; f++) {
    cJSON *x = add(b, fs, NULL, cJSON_CreateObject());
    add(b, x, "facility", str(a->facility_names[f]));
    add(b, x, "records", count(t->facility_n[f]));
    add(b, x, "observed", count(t->facility_observed[f]));
    add(b, x, "observed_share", num(sw__audit_facility_share(t, f)));
    add(b, x, "expected_share", num(t->facility_expected_share[f]));
    add(b, x, "excess", num(sw__audit_facility_excess(t, f)));
  }
  cJSON *cp = add(b, o, "change_points", cJSON_CreateArray());
  for (size_t i = 0; i < t->n_changes; i++) {
    const sw_change_point *c = &t->changes[i];
    cJSON *x = add(b, cp, NULL, cJSON_CreateObject());
    add(b, x, "date", date(c->date));
    add(b, x, "ci95", pair(b, date(c->ci95_from), date(c->ci95_to)));
    add(b, x, "rate_before", num(c->rate_before));
    add(b, x, "rate_after", num(c->rate_after));
    add(b, x, "notable", cJSON_CreateBool(c->notable));
  }
  if (t->changes_reason)
    add(b, o, "change_points_error", str(t->changes_reason));
  cJSON *ev = add(b, o, "events", cJSON_CreateArray());
  for (size_t i = 0; t->events && i < a->o.n_events; i++) {
    const sw_event_window *w = &t->events[i];
    cJSON *x = add(b, ev, NULL, cJSON_CreateObject());
    add(b, x, "date", date(w->date));
    add(b, x, "label", str(a->o.events[i].label));
    add(b, x, "window_weeks", unum(w->window_weeks));
    add(b, x, "n_before", count(w->n_before));
    add(b, x, "n_after", count(w->n_after));
    add(b, x, "before_share", num(w->before_share));
    add(b, x, "after_share", num(w->after_share));
    add(b, x, "expected_before_share", num(w->expected_before_share));
    add(b, x, "expected_after_share", num(w->expected_after_share));
    add(b, x, "p_value", num(w->p_value));
  }
  return o;
}

/* What a published view applied (audit_publish.c, docs/publish.md). */
static cJSON *protections(json_builder *b, const sw_audit *a) {
  const audit_publish *p = a->publish;
  cJSON *o = cJSON_CreateObject();
  add(b, o, "ids", str("pseudonyms: HMAC-SHA256 with the publisher's key"));
  add(b, o, "min_cell", unum(p->min_cell));
  add(b, o, "complementary_suppression", cJSON_CreateBool(true));
  cJSON *w = add(b, o, "withheld", cJSON_CreateObject());
  add(b, w, "regions", unum(p->n_regions_hidden));
  add(b, w, "facilities", unum(p->n_facilities_hidden));
  add(b, w, "periods", unum(p->n_periods_hidden));
  add(b, w, "weeks", unum(p->n_weeks_hidden));
  add(b, w, "other_counts", unum(p->n_counts_hidden));
  cJSON *kept = add(b, o, "columns_kept", cJSON_CreateArray()),
        *dropped = add(b, o, "columns_dropped", cJSON_CreateArray());
  for (size_t c = 0; c < sw_records_n_extra(a->records); c++)
    add(b, p->keep_extra[c] ? kept : dropped, NULL,
        str(sw_records_extra_name(a->records, c)));
  add(b, o, "rejects", str("not written: rejected rows carry raw ids"));
  return o;
}

static char *results_json(const sw_audit *a) {
  json_builder b = {false};
  cJSON *root = cJSON_CreateObject();
  add(&b, root, "version", str(sw_version()));
  add(&b, root, "provenance", provenance(&b, a));
  cJSON *r = add(&b, root, "records", cJSON_CreateObject());
  add(&b, r, "read", unum(a->counts.read));
  add(&b, r, "accepted", unum(a->counts.accepted));
  add(&b, r, "rejected", unum(a->counts.rejected));
  add(&b, r, "unassigned", unum(a->unassigned));
  add(&b, r, "audited", unum(a->n_located));
  add(&b, r, "people", unum(a->people));
  add(&b, r, "people_audited", unum(a->people_located));
  add(&b, r, "facilities", unum(a->n_facilities));
  add(&b, r, "facility_origin_mismatches", unum(a->facility_moved));
  if (a->unmatched_places >= 0)
    add(&b, r, "unmatched_places", unum((uint64_t)a->unmatched_places));
  cJSON *at = add(&b, root, "attributes", cJSON_CreateObject());
  add(&b, at, "read", unum(a->attr_counts.read));
  add(&b, at, "accepted", unum(a->attr_counts.accepted));
  add(&b, at, "rejected", unum(a->attr_counts.rejected));
  add(&b, root, "regions", unum(a->n_regions));
  cJSON *d = add(&b, root, "displacement", cJSON_CreateObject());
  add(&b, d, "flagged", unum(a->flagged_people));
  add(&b, d, "flagged_records", unum(a->n_flags));
  add(&b, d, "median_km_from_ties", num(a->median_km_from_ties));
  add(&b, d, "extra_km_total", num(a->extra_km_total));
  add(&b, d, "extra_cost_total", num(a->extra_cost_total));
  add(&b, d, "records_with_ties_region", unum(a->ties_known));
  cJSON *ts = add(&b, root, "targets", cJSON_CreateArray());
  for (size_t i = 0; i < a->n_targets; i++)
    add(&b, ts, NULL, target(&b, a, &a->targets[i]));
  if (a->publish) add(&b, root, "protections", protections(&b, a));
  char *text = b.failed ? NULL : cJSON_Print(root);
  cJSON_Delete(root);
  return text;
}

/* A CSV field from the data, quoted and formula-guarded (csv_out.c).
 * Rows are built in a buffer and written whole: stdio's per-call locking
 * (the process has threads) made one fputs per field cost about 950
 * instructions (callgrind). */
static bool put_field(sw_buf *row, const char *s) {
  return !s || sw__csv_put_cell(row, s, strlen(s), ',');
}

/* Write the row and empty it; false when out of memory before (ok false). */
static bool put_row(sw_buf *row, bool ok, FILE *f) {
  if (ok && row->len) fwrite(row->data, 1, row->len, f);
  sw__buf_clear(row);
  return ok;
}

static sw_status open_out(const char *dir, const char *name, FILE **f,
                          char *path, size_t n, sw_error *err) {
  snprintf(path, n, "%s/%s", dir, name);
  if (!(*f = fopen(path, "w"))) {
    sw__err(err, SW_E_CREATE, "cannot create: %s", strerror(errno));
    sw__err_at(err, path, 0, NULL, 0);
    return SW_E_CREATE;
  }
  return SW_OK;
}

static sw_status close_out(FILE *f, const char *path, sw_error *err) {
  bool bad = ferror(f);
  if (fclose(f) || bad) {
    sw__err(err, SW_E_IO, "write failed");
    sw__err_at(err, path, 0, NULL, 0);
    return SW_E_IO;
  }
  return SW_OK;
}

static bool regions_csv(const sw_audit *a, FILE *f) {
  char e[40], x[40], g[40];
  fputs("region,target,observed,expected,excess,target_flag\n", f);
  sw_buf row = {0};
  bool ok = true;
  for (size_t i = 0; i < a->n_targets && ok; i++) {
    const audit_target *t = &a->targets[i];
    for (size_t j = 0; j < a->n_regions && ok; j++) {
      bool withheld = t->region_observed[j] == SW__SUPPRESSED;
      bool have = t->restricted != NULL;
      double ex = t->region_expected[j];
      sw__fmt_shortest(ex, e);
      sw__fmt_shortest((double)t->region_observed[j] - ex, x);
      sw__fmt_shortest(t->region_flag[j], g);
      ok = put_field(&row, a->region_ids[j]) && sw__buf_putc(&row, ',') &&
           put_field(&row, t->spec) &&
           (withheld
                ? sw__buf_putc(&row, ',')
                : sw__buf_printf(&row, ",%llu",
                                 (unsigned long long)t->region_observed[j])) &&
           sw__buf_printf(&row, ",%s,%s,%s\n", have ? e : "",
                          have && !withheld ? x : "", g);
      ok = put_row(&row, ok, f);
    }
  }
  sw__buf_free(&row);
  return ok;
}

/* A region's or facility's name in flagged.csv and on the page: empty
 * where a published view withholds its counts, so that counting rows
 * gives none of them back. */
static const char *shown_name(const char *name, const uint8_t *hidden,
                              size_t i) {
  return hidden && hidden[i] ? "" : name;
}

static bool flagged_csv(const sw_audit *a, FILE *f) {
  const audit_publish *p = a->publish;
  size_t ne = sw_records_n_extra(a->records);
  /* A count table's row stands for its people (its km and cost are each
   * one's); a published view leaves the number out, as it does every
   * count below its threshold. */
  bool people = a->weight && !p;
  sw_buf row = {0};
  bool ok = sw__buf_printf(&row,
                           "id,date,facility,release_region,"
                           "ties_region,km_from_ties,extra_km,"
                           "extra_cost,reason%s",
                           people ? ",people" : "");
  for (size_t c = 0; c < ne && ok; c++)
    if (!p || p->keep_extra[c])
      ok = sw__buf_putc(&row, ',') &&
           put_field(&row, sw_records_extra_name(a->records, c));
  ok = put_row(&row, ok && sw__buf_putc(&row, '\n'), f);
  for (size_t i = 0; i < a->n_flags && ok; i++) {
    const audit_flag *fl = &a->flags[i];
    sw_record r;
    sw_records_get(a->records, fl->record, &r);
    char day[16], reason[AUDIT_REASON_MAX], km[SW_FIXED_MAX],
        extra[SW_FIXED_MAX], cost[SW_FIXED_MAX] = "";
    size_t nd = sw_date_format(r.date, day, sizeof day);
    sw__audit_flag_reason(a, fl, reason, sizeof reason);
    size_t nk = sw__fmt_fixed(fl->km_from_ties, 3, km);
    size_t nx = sw__fmt_fixed(fl->extra_km, 3, extra);
    size_t nc =
        isnan(fl->extra_cost) ? 0 : sw__fmt_fixed(fl->extra_cost, 2, cost);
    const uint8_t *rh = p ? p->region_hidden : NULL;
    ok = put_field(&row, p ? p->flag_ids[i] : r.id) &&
         sw__buf_putc(&row, ',') && sw__buf_append(&row, day, nd) &&
         sw__buf_putc(&row, ',') &&
         put_field(&row,
                   shown_name(a->facility_names[fl->facility],
                              p ? p->facility_hidden : NULL, fl->facility)) &&
         sw__buf_putc(&row, ',') &&
         put_field(&row, shown_name(a->region_ids[fl->release_region], rh,
                                    fl->release_region)) &&
         sw__buf_putc(&row, ',') &&
         put_field(&row, shown_name(a->region_ids[fl->ties_region], rh,
                                    fl->ties_region)) &&
         sw__buf_putc(&row, ',') && sw__buf_append(&row, km, nk) &&
         sw__buf_putc(&row, ',') && sw__buf_append(&row, extra, nx) &&
         sw__buf_putc(&row, ',') && sw__buf_append(&row, cost, nc) &&
         sw__buf_putc(&row, ',') && put_field(&row, reason) &&
         (!people ||
          sw__buf_printf(&row, ",%llu", (unsigned long long)fl->people));
    for (size_t c = 0; c < ne && ok; c++)
      if (!p || p->keep_extra[c])
        ok = sw__buf_putc(&row, ',') &&
             put_field(&row, sw_records_extra(a->records, fl->record, c));
    ok = put_row(&row, ok && sw__buf_putc(&row, '\n'), f);
  }
  sw__buf_free(&row);
  return ok;
}

/* flagged.csv is written on a thread of its own: with a row per flagged
 * record it is the longest of the files, and the others need no more than
 * the main thread. */
typedef struct flagged_job {
  const sw_audit *a;
  const char *dir;
  sw_status st;
  sw_error err;
} flagged_job;

static void *write_flagged(void *arg) {
  flagged_job *j = arg;
  char path[4096];
  FILE *f;
  if ((j->st = open_out(j->dir, "flagged.csv", &f, path, sizeof path,
                        &j->err)) == SW_OK) {
    bool ok = flagged_csv(j->a, f);
    j->st = close_out(f, path, &j->err);
    if (!ok && !j->st) j->st = sw__err(&j->err, SW_E_NOMEM, "out of memory");
  }
  return NULL;
}

/* results.json, regions.csv and report.html, in that order. */
static sw_status write_others(const sw_audit *a, const char *dir,
                              sw_error *err) {
  char path[4096];
  FILE *f;
  sw_status st;
  char *json = results_json(a);
  if (!json) return sw__err(err, SW_E_NOMEM, "out of memory");
  if ((st = open_out(dir, "results.json", &f, path, sizeof path, err))) {
    cJSON_free(json);
    return st;
  }
  fputs(json, f);
  fputc('\n', f);
  cJSON_free(json);
  if ((st = close_out(f, path, err))) return st;
  if ((st = open_out(dir, "regions.csv", &f, path, sizeof path, err)))
    return st;
  bool ok = regions_csv(a, f);
  if ((st = close_out(f, path, err))) return st;
  if (!ok) return sw__err(err, SW_E_NOMEM, "out of memory");
  if ((st = sw__audit_tables(a, dir, err))) return st;
  snprintf(path, sizeof path, "%s/report.html", dir);
  return sw__audit_report(a, path, err);
}

sw_status sw_audit_write(const sw_audit *a, const char *dir, sw_error *err) {
  if (!a || !dir) return sw__err(err, SW_E_USAGE, "NULL argument");
  flagged_job job = {.a = a, .dir = dir};
  pthread_t tid;
  bool threaded = pthread_create(&tid, NULL, write_flagged, &job) == 0;
  if (!threaded) write_flagged(&job);
  sw_status st = write_others(a, dir, err);
  if (threaded) pthread_join(tid, NULL);
  /* Both ran; a failure of the main thread's files is reported first. */
  if (st == SW_OK && job.st != SW_OK) {
    if (err) *err = job.err;
    st = job.st;
  }
  return st;
}

static const char *verdict(double p, double estimate) {
  if (!(p == p)) return "could not be tested";
  if (p >= 0.05) return "no clear evidence of a change";
  if (estimate < 0) return "evidence that the target's pull fell";
  if (p < 0.001) return "strong evidence of steering toward it";
  if (p < 0.01) return "clear evidence of steering toward it";
  return "some evidence of steering toward it";
}

/* The headline, as the page's box leads with it. */
static void summarise_headline(sw_buf *s, const audit_headline *h, bool *ok) {
  if (!h->design) {
    *ok &= sw__buf_printf(s, "  Within regions: not estimated (%s).\n",
                          h->reason ? h->reason : "unknown");
    return;
  }
  char d[16] = "";
  int32_t at = h->event != INT32_MIN ? h->event : h->onset;
  if (at != INT32_MIN) sw_date_format(at, d, sizeof d);
  const char *how = h->event != INT32_MIN   ? "after the event of "
                    : h->onset != INT32_MIN ? "after the estimated onset, "
                                            : "when a region joined the target";
  char bd[48];
  bool baseline = !strcmp(h->design, "within_region_baseline");
  if (baseline) { /* after TO, against FROM..TO */
    char f[16];
    sw_date_format(h->baseline_from, f, sizeof f);
    sw_date_format(h->baseline_to, d, sizeof d);
    snprintf(bd, sizeof bd, "%s (baseline from %s)", d, f);
    how = "after the baseline ending ";
  }
  *ok &= sw__buf_printf(
      s,
      "  Within regions (%s): %s%s the odds of a target region were %.2f "
      "times those before (95%% interval %.2f to %.2f), p = %.3g%s: %s.\n",
      h->design, how, baseline ? bd : d, exp(h->estimate), exp(h->ci_low),
      exp(h->ci_high), h->p_value,
      h->onset != INT32_MIN ? " (allowing for the search over the weeks)" : "",
      verdict(h->p_value, h->estimate));
  if (h->separation)
    *ok &= sw__buf_printf(s,
                          "  Separation: %s; the estimate, interval and "
                          "p-value above are Firth-penalised ones, which "
                          "stay finite.\n",
                          h->separation);
  if (h->placebo != INT32_MIN && isfinite(h->placebo_p)) {
    char pd[16];
    sw_date_format(h->placebo, pd, sizeof pd);
    *ok &= sw__buf_printf(s,
                          "  Placebo: a fake event on %s gives a factor of "
                          "%.2f, p = %.3g%s.\n",
                          pd, exp(h->placebo_estimate), h->placebo_p,
                          h->placebo_p < 0.05
                              ? ": the pull may already have been moving "
                                "before the event"
                              : "");
  }
}

static void summarise_target(sw_buf *s, const sw_audit *a,
                             const audit_target *t, bool *ok) {
  *ok &= sw__buf_printf(s,
                        "\nTarget %s: %llu of %llu audited releases "
                        "(%.1f%%) went to target regions",
                        t->spec, (unsigned long long)t->observed,
                        (unsigned long long)a->people_located,
                        100.0 * t->observed_share);
  *ok &= sw__buf_printf(s, ".\n");
  summarise_headline(s, &t->head, ok);
  if (!t->full || !t->restricted) {
    *ok &= sw__buf_printf(s,
                          "  The level's choice model could not be fitted: "
                          "%s\n",
                          t->model_reason ? t->model_reason : "unknown");
    return;
  }
  const size_t k = AUDIT_F_TARGET;
  double g = t->full->estimate[k];
  *ok &= sw__buf_printf(
      s,
      "  Level, for context (it also carries whatever else draws people to "
      "target regions): about %.1f (%.1f%%) were expected from ties and "
      "distance, an excess of %.1f releases; gamma = %.3f (95%% interval "
      "%.3f to %.3f), odds %.2f times those of another region, "
      "likelihood-ratio p = %.3g (Holm-adjusted across %zu target%s: "
      "%.3g).\n",
      t->expected, 100.0 * t->expected_share, t->excess, g, t->full->ci_low[k],
      t->full->ci_high[k], exp(g), t->p_value, a->n_targets,
      a->n_targets == 1 ? "" : "s", t->p_adjusted);
  if (t->expected_subsampled)
    *ok &= sw__buf_printf(s,
                          "  (Expected releases and the weekly series were "
                          "computed on a subsample of %zu records and scaled "
                          "up.)\n",
                          t->expected_records);
  for (size_t i = 0; i < t->n_changes; i++) {
    char d[16], lo[16], hi[16];
    sw_date_format(t->changes[i].date, d, sizeof d);
    sw_date_format(t->changes[i].ci95_from, lo, sizeof lo);
    sw_date_format(t->changes[i].ci95_to, hi, sizeof hi);
    const sw_change_point *c = &t->changes[i];
    char small[96] = "";
    if (!c->notable)
      snprintf(small, sizeof small,
               ": a change of less than %g%%, too small to count as a finding",
               100.0 * a->o.min_change);
    *ok &= sw__buf_printf(s,
                          "  The rate of target releases relative to "
                          "expectation changed from %.2f to %.2f in the "
                          "week of %s (95%% interval %s to %s)%s.\n",
                          c->rate_before, c->rate_after, d, lo, hi, small);
  }
}

sw_status sw__audit_summarise(sw_audit *a, sw_error *err) {
  sw_buf s = {0};
  bool ok = sw__buf_printf(
      &s,
      "Records: %llu read, %llu accepted, %llu rejected; %llu accepted "
      "records lay in no region and were left out; %zu audited from %zu "
      "facilities over %zu regions (%s).\n",
      (unsigned long long)a->counts.read,
      (unsigned long long)a->counts.accepted,
      (unsigned long long)a->counts.rejected, (unsigned long long)a->unassigned,
      a->n_located, a->n_facilities, a->n_regions,
      a->alternatives ? "sampled alternatives"
                      : "every region an "
                        "alternative");
  if (a->unmatched_places >= 0)
    ok &= sw__buf_printf(
        &s,
        "Places: %lld rows (%.1f%% of rows read) named a ZIP code, city or "
        "county the gazetteer does not resolve, and were rejected.\n",
        (long long)a->unmatched_places,
        a->counts.read
            ? 100.0 * (double)a->unmatched_places / (double)a->counts.read
            : 0.0);
  if (a->attr_counts.rejected)
    ok &= sw__buf_printf(&s,
                         "Attributes: %llu rows read, %llu rejected (each "
                         "named on stderr); a rejected row sets nothing.\n",
                         (unsigned long long)a->attr_counts.read,
                         (unsigned long long)a->attr_counts.rejected);
  if (a->regions && sw_regions_n_skipped(a->regions))
    ok &= sw__buf_printf(&s,
                         "Regions: %zu features of the regions file had no "
                         "polygon and were skipped (the first: %s).\n",
                         sw_regions_n_skipped(a->regions),
                         sw_regions_skip_note(a->regions, 0));
  if (a->alternatives_defaulted)
    ok &= sw__buf_printf(&s, "With over 1,000 regions, each record was "
                             "compared with 100 sampled regions (set "
                             "--alternatives to change this).\n");
  for (size_t i = 0; i < a->n_targets; i++)
    summarise_target(&s, a, &a->targets[i], &ok);
  ok &= sw__buf_printf(&s,
                       "\nDisplacement: %llu records were released in another "
                       "region than their ties, more than %g km away",
                       (unsigned long long)a->flagged_people, a->o.ties_km);
  if (a->n_flags)
    ok &= sw__buf_printf(&s, " (median %.0f km; %.0f extra km in all)",
                         a->median_km_from_ties, a->extra_km_total);
  ok &= sw__buf_printf(
      &s,
      ".\n\nWhat this cannot tell: the model shows an association "
      "between the destination's attribute and where people were "
      "placed, after distance from the facility and from ties; it does "
      "not show intent, and other reasons (capacity, shelters, "
      "transport routes) may explain it. It is only as good as the ties "
      "data: missing or stale addresses weaken the ties term, and %llu "
      "records had a ties region.\n",
      (unsigned long long)a->ties_known);
  if (!ok) {
    sw__buf_free(&s);
    return sw__err(err, SW_E_NOMEM, "out of memory");
  }
  a->summary = s.data;
  return SW_OK;
}
