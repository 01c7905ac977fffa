/*
 * audit_report.c — report.html for an audit: fills the renderer's plain
 * struct (sw_report_input, src/report.h) from the audit's state and hands
 * it to sw__report_write. Called last by sw_audit_write.
 *
 * Every figure is read from the same field results.json reads (the
 * targets' counts, expected releases, models, periods, change points,
 * events, per-region and per-facility figures, displacement, provenance),
 * nothing is recomputed here, so the page and results.json cannot
 * disagree. The weekly series is the one the change points were found on.
 * Strings are borrowed from the audit; the few made here (parameter
 * values, flag reasons) are owned by the struct page below and freed
 * together.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "audit_state.h"
#include "buf.h"
#include "err.h"
#include "number.h"
#include "report.h"

#define MAX_PARAMS 24

/* Everything allocated for one page. */
typedef struct page {
  sw_report_input in;
  sw_report_file files[AUDIT_MAX_INPUTS];
  sw_report_param params[MAX_PARAMS];
  char *values[MAX_PARAMS]; /* owned parameter values */
  sw_report_target *targets;
  sw_report_flagged *flagged;
  char (*reasons)[AUDIT_REASON_MAX]; /* one per flagged row */
  bool oom;
} page;

static void page_free(page *p) {
  for (size_t i = 0; i < p->in.n_params; i++)
    sw__free(p->values[i]);
  for (size_t i = 0; p->targets && i < p->in.n_targets; i++) {
    sw_report_target *t = &p->targets[i];
    sw__free((void *)t->coefs);
    sw__free((void *)t->periods);
    sw__free((void *)t->weeks);
    sw__free((void *)t->changes);
    sw__free((void *)t->events);
    sw__free((void *)t->regions);
    sw__free((void *)t->facilities);
  }
  sw__free(p->targets);
  sw__free(p->flagged);
  sw__free(p->reasons);
}

/* An array of n elements (at least one, so that 0 is not a failure). */
static void *array(page *p, size_t n, size_t elem) {
  void *v = sw__calloc(n ? n : 1, elem);
  if (!v) p->oom = true;
  return v;
}

/* A parameter whose value is printf-formatted (from trusted formats; data
 * goes in through %s and is escaped by the renderer). */
static void param(page *p, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void param(page *p, const char *key, const char *fmt, ...) {
  if (p->in.n_params == MAX_PARAMS) return;
  va_list ap;
  va_start(ap, fmt);
  int len = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *v = len < 0 ? NULL : sw__malloc((size_t)len + 1);
  if (!v) {
    p->oom = true;
    return;
  }
  va_start(ap, fmt);
  vsnprintf(v, (size_t)len + 1, fmt, ap);
  va_end(ap);
  size_t i = p->in.n_params++;
  p->values[i] = v;
  p->params[i] = (sw_report_param){key, v};
}

/* A list option joined by ", " (events as DATE:LABEL). */
static void list_param(page *p, const char *key, const char *const *items,
                       const sw_audit_event *events, size_t n) {
  if (n == 0) return;
  sw_buf b = {0};
  bool ok = true;
  for (size_t i = 0; i < n; i++) {
    if (i) ok &= sw__buf_printf(&b, ", ");
    if (events) {
      char d[16];
      sw_date_format(events[i].date, d, sizeof d);
      ok &= sw__buf_printf(&b, "%s", d);
      if (events[i].label && *events[i].label)
        ok &= sw__buf_printf(&b, ":%s", events[i].label);
    } else {
      ok &= sw__buf_printf(&b, "%s", items[i]);
    }
  }
  if (ok)
    param(p, key, "%s", b.data);
  else
    p->oom = true;
  sw__buf_free(&b);
}

static void params(page *p, const sw_audit *a) {
  const sw_audit_opts *o = &a->o;
  char x[40];
  param(p, "records", "%s", o->records_path);
  if (o->regions_path) param(p, "regions", "%s", o->regions_path);
  if (o->region_id) param(p, "region_id", "%s", o->region_id);
  if (o->layer) param(p, "layer", "%s", o->layer);
  param(p, "attrs", "%s", o->attrs_path);
  list_param(p, "targets", o->targets, NULL, o->n_targets);
  list_param(p, "covariates", o->covariates, NULL, o->n_covariates);
  list_param(p, "events", NULL, o->events, o->n_events);
  if (a->alternatives)
    param(p, "alternatives", "%zu sampled%s", a->alternatives,
          a->alternatives_defaulted ? " (the default above 1,000 regions)"
                                    : "");
  else
    param(p, "alternatives", "all regions");
  sw__fmt_shortest(o->ties_km, x);
  param(p, "ties_km", "%s", x);
  if (o->cost_per_km > 0) {
    sw__fmt_shortest(o->cost_per_km, x);
    param(p, "cost_per_km", "%s", x);
  } else {
    param(p, "cost_per_km", "none: the records' cost column");
  }
  param(p, "period", "%s",
        o->period == SW_PERIOD_QUARTER ? "quarter" : "month");
  param(p, "window_weeks", "%u", o->window_weeks);
  sw__fmt_shortest(100 * o->min_change, x);
  param(p, "min_change", "%s%%", x);
  param(p, "seed", "%llu", (unsigned long long)o->seed);
  for (size_t i = 0; i < a->n_targets; i++)
    if (a->targets[i].expected_subsampled)
      param(p, "expected_from",
            "%s: a regular subsample of %zu of %zu records, scaled up; "
            "the weekly series counts every record, with each week's "
            "expected count scaled up from the subsample",
            a->targets[i].spec, a->targets[i].expected_records, a->n_located);
  if (a->truth_path)
    param(p, "simulated",
          "yes: records drawn by steerwatch simulate; the truth is in %s",
          a->truth_path);
  else if (o->simulated)
    param(p, "simulated", "yes (--simulated)");
}

static sw_report_coef *coefs(page *p, const sw_model_result *f) {
  sw_report_coef *c = array(p, f->n_coef, sizeof *c);
  for (size_t k = 0; c && k < f->n_coef; k++)
    c[k] = (sw_report_coef){f->names[k],  f->omitted[k] ? NAN : f->estimate[k],
                            f->se[k],     f->se_cluster[k],
                            f->ci_low[k], f->ci_high[k]};
  return c;
}

static void target(page *p, const sw_audit *a, const audit_target *t,
                   sw_report_target *r) {
  const audit_headline *h = &t->head;
  r->name = t->spec;
  r->head = (sw_report_headline){
      h->design,      h->reason,           h->event,
      h->onset,       h->estimate,         h->ci_low,
      h->ci_high,     h->p_value,          h->n_candidates,
      h->placebo,     h->placebo_estimate, h->placebo_p,
      h->distance,    h->separation,       h->baseline_from,
      h->baseline_to, h->distance_fallback};
  r->observed = t->observed;
  r->observed_share = t->observed_share;
  r->expected_share = t->expected_share;
  r->excess_releases = t->excess;
  r->model_failure = t->model_reason;
  r->alternatives = a->alternatives;
  if (t->full) {
    r->coefs = coefs(p, t->full);
    r->n_coefs = r->coefs ? t->full->n_coef : 0;
  }
  r->randomization_p = t->randomization_p;
  r->randomization_stratified = t->randomization_stratified;
  r->e_value = t->e_value;
  r->e_value_ci = t->e_value_ci;
  r->lr_statistic = t->lr_statistic;
  r->p_value = t->p_value;
  r->p_value_adjusted = t->p_adjusted;

  sw_report_period *per = array(p, t->n_periods, sizeof *per);
  for (size_t i = 0; per && i < t->n_periods; i++) {
    const audit_period *q = &t->periods[i];
    per[i] = (sw_report_period){q->from,    q->to, q->gamma, q->ci_low,
                                q->ci_high, q->n,  q->reason};
  }
  r->periods = per;
  r->n_periods = per ? t->n_periods : 0;

  sw_report_week *w = array(p, t->n_weeks, sizeof *w);
  for (size_t i = 0; w && i < t->n_weeks; i++)
    w[i] = (sw_report_week){t->weeks[i].start, t->weeks[i].n,
                            t->weeks[i].observed, t->weeks[i].expected};
  r->weeks = w;
  r->n_weeks = w ? t->n_weeks : 0;

  sw_report_change *c = array(p, t->n_changes, sizeof *c);
  for (size_t i = 0; c && i < t->n_changes; i++)
    c[i] =
        (sw_report_change){t->changes[i].date,       t->changes[i].ci95_from,
                           t->changes[i].ci95_to,    t->changes[i].rate_before,
                           t->changes[i].rate_after, t->changes[i].notable};
  r->changes = c;
  r->n_changes = c ? t->n_changes : 0;

  size_t ne = t->events ? a->o.n_events : 0;
  sw_report_event *e = array(p, ne, sizeof *e);
  for (size_t i = 0; e && i < ne; i++) {
    const sw_event_window *x = &t->events[i];
    const char *label = a->o.events[i].label;
    e[i] = (sw_report_event){x->date,         label && *label ? label : NULL,
                             x->before_share, x->after_share,
                             x->p_value,      x->n_before,
                             x->n_after};
  }
  r->events = e;
  r->n_events = e ? ne : 0;

  /* In the target on the last day audited: the last segment's row. */
  const uint8_t *last = t->table + (t->n_seg - 1) * a->n_regions;
  sw_report_region *g = array(p, a->n_regions, sizeof *g);
  for (size_t j = 0; g && j < a->n_regions; j++) {
    double ex = t->restricted ? t->region_expected[j] : NAN;
    bool withheld = t->region_observed[j] == SW__SUPPRESSED;
    g[j] = (sw_report_region){
        a->region_ids[j], t->region_observed[j], ex,
        withheld ? NAN : (double)t->region_observed[j] - ex, last[j] != 0};
  }
  r->regions = g;
  r->n_regions = g ? a->n_regions : 0;

  sw_report_facility *f = array(p, a->n_facilities, sizeof *f);
  for (size_t k = 0; f && k < a->n_facilities; k++) {
    double nf = (double)t->facility_n[k], es = t->facility_expected_share[k];
    if (t->facility_n[k] == SW__SUPPRESSED) nf = NAN;
    f[k] = (sw_report_facility){a->facility_names[k],
                                t->facility_n[k],
                                t->facility_observed[k],
                                (double)t->facility_observed[k] / nf,
                                es,
                                (double)t->facility_observed[k] - es * nf};
  }
  r->facilities = f;
  r->n_facilities = f ? a->n_facilities : 0;
}

static void displacement(page *p, const sw_audit *a) {
  sw_report_input *in = &p->in;
  in->ties_km = a->o.ties_km;
  in->min_change = a->o.min_change;
  in->flagged = a->flagged_people;
  in->median_km_from_ties = a->median_km_from_ties;
  in->extra_km_total = a->extra_km_total;
  in->extra_cost_total = a->extra_cost_total;
  size_t m =
      a->n_flags < SW_REPORT_MAX_FLAGGED ? a->n_flags : SW_REPORT_MAX_FLAGGED;
  p->flagged = array(p, m, sizeof *p->flagged);
  p->reasons = array(p, m, sizeof *p->reasons);
  if (!p->flagged || !p->reasons) return;
  for (size_t i = 0; i < m; i++) {
    const audit_flag *fl = &a->flags[i];
    sw_record r;
    sw_records_get(a->records, fl->record, &r);
    sw__audit_flag_reason(a, fl, p->reasons[i], sizeof p->reasons[i]);
    p->flagged[i] = (sw_report_flagged){r.id,
                                        a->facility_names[fl->facility],
                                        a->region_ids[fl->release_region],
                                        a->region_ids[fl->ties_region],
                                        fl->km_from_ties,
                                        p->reasons[i]};
    const audit_publish *pub = a->publish;
    if (pub) {
      sw_report_flagged *x = &p->flagged[i];
      x->id = pub->flag_ids[i];
      if (pub->facility_hidden[fl->facility]) x->facility = NULL;
      if (pub->region_hidden[fl->release_region]) x->release_region = NULL;
      if (pub->region_hidden[fl->ties_region]) x->ties_region = NULL;
    }
  }
  in->flagged_rows = p->flagged;
  in->n_flagged_rows = m;
}

sw_status sw__audit_report(const sw_audit *a, const char *path, sw_error *err) {
  page *p = sw__calloc(1, sizeof *p);
  if (!p) return sw__err(err, SW_E_NOMEM, "out of memory");
  sw_report_input *in = &p->in;
  in->version = sw_version();
  in->simulated = a->o.simulated;
  for (size_t i = 0; i < a->n_inputs; i++)
    p->files[i] = (sw_report_file){a->inputs[i].path, a->inputs[i].sha256,
                                   a->inputs[i].bytes};
  in->inputs = p->files;
  in->n_inputs = a->n_inputs;
  in->seed = a->o.seed;
  params(p, a);
  in->params = p->params;
  in->read = a->counts.read;
  in->accepted = a->counts.accepted;
  in->rejected = a->counts.rejected;
  in->unassigned = a->unassigned;
  in->people = a->weight ? a->people : 0;
  in->unmatched_places = a->unmatched_places;
  displacement(p, a);
  p->targets = array(p, a->n_targets, sizeof *p->targets);
  if (p->targets) {
    in->n_targets = a->n_targets;
    for (size_t i = 0; i < a->n_targets; i++)
      target(p, a, &a->targets[i], &p->targets[i]);
  }
  in->targets = p->targets;
  in->regions = a->regions;
  in->protections = a->publish ? a->publish->line : NULL;
  sw_status st = p->oom ? sw__err(err, SW_E_NOMEM, "out of memory")
                        : sw__report_write(in, path, err);
  page_free(p);
  sw__free(p);
  return st;
}
