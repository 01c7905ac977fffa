/*
 * audit_targets.c — one target of the audit, after the geography: its
 * membership table, the full and restricted (gamma = 0) choice models and
 * their likelihood-ratio test, the expected share and per-region expected
 * releases, gamma per calendar period, change points of the weekly excess
 * and the event windows.
 *
 * Target membership T_j(date) is constant between consecutive bounds of
 * the attribute's facts, so it is tabulated once per such segment of the
 * records' date span, and each record points at its segment's row.
 *
 * Expected releases come from the restricted model's probabilities over
 * every region. With sampled alternatives the fit's own probabilities are
 * over the sample, not the population, so the prediction runs on a design
 * with the full choice set; when records x regions exceeds MAX_CELLS it
 * runs on every s-th record (a deterministic subsample) and is scaled up,
 * which results.json says.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "attrs.h"
#include "audit_state.h"
#include "err.h"

#define MAX_CELLS 200000000.0 /* records x regions of a full-set prediction */

/* Per-record arrays of a design over a subset of the located records. */
typedef struct subset {
  size_t n;
  uint32_t *origin, *chosen, *period;
  sw_point *ties;
  double *weight; /* NULL when every record is one person */
  double people;  /* the subset's weights summed */
} subset;

static void subset_free(subset *s) {
  sw__free(s->origin);
  sw__free(s->chosen);
  sw__free(s->period);
  sw__free(s->ties);
  sw__free(s->weight);
}

/* Subset of the located records idx[0..m) (idx NULL: all of them, by
 * reference, nothing allocated). */
static sw_status subset_make(const sw_audit *a, const audit_target *t,
                             const size_t *idx, size_t m, subset *s,
                             sw_error *err) {
  memset(s, 0, sizeof *s);
  s->n = m;
  if (!idx) {
    s->people = (double)a->people_located;
    return SW_OK;
  }
  s->origin = sw__malloc((m ? m : 1) * sizeof *s->origin);
  s->chosen = sw__malloc((m ? m : 1) * sizeof *s->chosen);
  s->period = sw__malloc((m ? m : 1) * sizeof *s->period);
  s->ties = sw__malloc((m ? m : 1) * sizeof *s->ties);
  if (a->weight) s->weight = sw__malloc((m ? m : 1) * sizeof *s->weight);
  if (!s->origin || !s->chosen || !s->period || !s->ties ||
      (a->weight && !s->weight)) {
    subset_free(s);
    return sw__err(err, SW_E_NOMEM, "out of memory");
  }
  for (size_t i = 0; i < m; i++) {
    size_t k = idx[i];
    s->origin[i] = a->facility[k];
    s->chosen[i] = a->chosen[k];
    s->period[i] = t->seg[k];
    s->ties[i] = a->ties[k];
    if (s->weight) s->weight[i] = a->weight[k];
    s->people += (double)sw__audit_people(a, k);
  }
  return SW_OK;
}

/* The design of a subset (or of all located records), with n_sampled
 * alternatives (0: all), borrowing the distance tables of share (the
 * design of all records; NULL for that one). *has_ties tells whether any record
 * has ties, else the ties coefficient must be omitted (it has no variation). */
static sw_status design(const sw_audit *a, const audit_target *t,
                        const subset *s, size_t n_sampled,
                        const sw_geo_design *share, sw_geo_design **g,
                        bool *has_ties, sw_error *err) {
  sw_geo_spec sp;
  sw__audit_geo_spec(a, t->table, t->n_seg, s->period ? s->period : t->seg,
                     true, &sp);
  sp.share = share;
  sp.n_records = s->n;
  if (s->origin) sp.origin = sp.cluster = s->origin;
  if (s->ties) sp.ties = s->ties;
  if (s->chosen) sp.chosen = s->chosen;
  if (s->origin) sp.weight = s->weight;
  sp.n_sampled = n_sampled;
  *has_ties = false;
  for (size_t i = 0; i < s->n && !*has_ties; i++)
    *has_ties = !isnan(sp.ties[i].lat_deg);
  return sw__geo_design_new(&sp, g, err);
}

static sw_status note(char **reason, const sw_error *e) {
  *reason = sw__strdup(e->message);
  return *reason ? SW_OK : SW_E_NOMEM;
}

/* Fit on a design; SW_E_MODEL is a finding (reason set), not a failure. */
static sw_status fit(const sw_audit *a, const sw_geo_design *g, bool has_ties,
                     bool restricted, const double *start, unsigned threads,
                     sw_model_result **out, char **reason, sw_error *err) {
  size_t p = 3 + a->o.n_covariates;
  bool omit[3 + 64];
  bool *om = p <= 67 ? omit : sw__calloc(p, sizeof *om);
  if (!om) return sw__err(err, SW_E_NOMEM, "out of memory");
  memset(om, 0, p * sizeof *om);
  om[AUDIT_F_TIES] = !has_ties;
  om[AUDIT_F_TARGET] = restricted;
  sw_model_opts mo = {0};
  mo.threads = threads;
  mo.omit = om;
  mo.start = start;
  sw_error e;
  sw_status st = sw_model_fit(sw__geo_design_get(g), &mo, out, &e);
  if (om != omit) sw__free(om);
  if (st == SW_E_MODEL)
    return note(reason, &e) ? sw__err(err, SW_E_NOMEM, "out of memory") : SW_OK;
  if (st && err) *err = e;
  return st;
}

static sw_status tables(sw_audit *a, audit_target *t, sw_error *err) {
  int32_t *b = NULL;
  size_t nb = 0, R = a->n_regions;
  if (sw__attrs_bounds(a->attrs, t->attr, &b, &nb))
    return sw__err(err, SW_E_NOMEM, "out of memory");
  t->bound = sw__malloc((nb + 2) * sizeof *t->bound);
  if (!t->bound) {
    sw__free(b);
    return sw__err(err, SW_E_NOMEM, "out of memory");
  }
  size_t n_seg = 0;
  t->bound[n_seg++] = a->date_min;
  for (size_t i = 0; i < nb; i++)
    if (b[i] > a->date_min && b[i] <= a->date_max) t->bound[n_seg++] = b[i];
  t->bound[n_seg] = a->date_max + 1;
  sw__free(b);
  t->n_seg = n_seg;
  size_t cells;
  if (!sw__mul_size(n_seg, R, &cells) || !(t->table = sw__malloc(cells)) ||
      !(t->seg = sw__malloc(a->n_located * sizeof *t->seg)) ||
      !(t->in_target = sw__malloc(a->n_located)) ||
      !(t->region_observed = sw__calloc(R, sizeof *t->region_observed)) ||
      !(t->region_expected = sw__calloc(R, sizeof *t->region_expected)) ||
      !(t->region_flag = sw__calloc(R, sizeof *t->region_flag)) ||
      !(t->p_null = sw__malloc(a->n_located * sizeof *t->p_null)))
    return sw__err(err, SW_E_NOMEM, "out of memory");
  double span = (double)a->date_max + 1 - a->date_min;
  for (size_t s = 0; s < n_seg; s++)
    for (size_t j = 0; j < R; j++) {
      const char *v =
          sw_attrs_get(a->attrs, a->region_ids[j], t->attr, t->bound[s]);
      uint8_t in = v && !strcmp(v, t->value);
      t->table[s * R + j] = in;
      if (in)
        t->region_flag[j] += ((double)t->bound[s + 1] - t->bound[s]) / span;
    }
  for (size_t k = 0; k < a->n_located; k++) {
    size_t lo = 0, hi = n_seg; /* last segment starting on or before */
    while (hi - lo > 1) {
      size_t mid = lo + (hi - lo) / 2;
      if (t->bound[mid] <= a->date[k])
        lo = mid;
      else
        hi = mid;
    }
    t->seg[k] = (uint32_t)lo;
    t->in_target[k] = t->table[lo * R + a->chosen[k]];
    uint64_t c = sw__audit_people(a, k);
    t->observed += t->in_target[k] ? c : 0;
    t->region_observed[a->chosen[k]] += c;
    t->p_null[k] = NAN;
  }
  return SW_OK;
}

/* Expected releases under the restricted model, over every region; all
 * is the design of all records. */
static sw_status expected(sw_audit *a, audit_target *t,
                          const sw_geo_design *all, unsigned threads,
                          sw_error *err) {
  const double *beta = t->restricted->estimate;
  size_t R = a->n_regions, stride = 1;
  if (a->alternatives && (double)a->n_located * (double)R > MAX_CELLS)
    stride = (size_t)ceil((double)a->n_located * (double)R / MAX_CELLS);
  size_t m = (a->n_located + stride - 1) / stride;
  size_t *idx = NULL;
  subset s;
  sw_status st;
  if (stride > 1) {
    if (!(idx = sw__malloc(m * sizeof *idx)))
      return sw__err(err, SW_E_NOMEM, "out of memory");
    for (size_t i = 0; i < m; i++)
      idx[i] = i * stride;
  }
  if ((st = subset_make(a, t, idx, m, &s, err))) {
    sw__free(idx);
    return st;
  }
  sw_geo_design *g = NULL;
  bool has_ties;
  double *mass = sw__malloc(m * sizeof *mass);
  if (!mass) st = sw__err(err, SW_E_NOMEM, "out of memory");
  if (!st) st = design(a, t, &s, 0, all, &g, &has_ties, err);
  if (!st)
    st = sw_model_predict(sw__geo_design_get(g), beta, AUDIT_F_TARGET, threads,
                          mass, t->region_expected, R, err);
  if (!st) {
    double scale = (double)a->people_located / s.people, sum = 0;
    for (size_t i = 0; i < m; i++) {
      t->p_null[idx ? idx[i] : i] = mass[i];
      sum += (s.weight ? s.weight[i] : a->weight ? a->weight[i] : 1) * mass[i];
    }
    t->expected = sum * scale;
    for (size_t j = 0; j < R; j++)
      t->region_expected[j] *= scale;
    t->expected_subsampled = stride > 1;
    t->expected_records = m;
  }
  sw__free(mass);
  sw__geo_design_free(g);
  subset_free(&s);
  sw__free(idx);
  return st;
}

/* The periods' fits, shared out over threads: each fit is small (a month
 * of records), and one thread per fit keeps both cores busy where a fit's
 * own passes, split over two threads, did not (docs/design/audit.md).
 * Each fit is the same whichever thread runs it, so results do not depend
 * on the thread count. */
typedef struct period_jobs {
  const sw_audit *a;
  audit_target *t;
  const sw_geo_design *all; /* the design of all records, to borrow from */
  const size_t *idx;        /* record indices grouped by period */
  const size_t *first;      /* [np + 1]: period q's are idx[first[q]..] */
  size_t np;
  /* Run before or beside the periods, on one thread: the work that does
   * not depend on them (the restricted fit and the expected share). */
  sw_status (*head)(void *user, unsigned threads, sw_error *err);
  void *head_user;
  unsigned head_threads;
  sw_status head_st;
  sw_error head_err;
  pthread_mutex_t mu;
  size_t next;      /* next job, under mu: 0 the head, then the periods */
  sw_status *st;    /* [np] */
  sw_error *errors; /* [np] */
} period_jobs;

static sw_status fit_period(period_jobs *j, size_t q, sw_error *err) {
  const sw_audit *a = j->a;
  audit_target *t = j->t;
  audit_period *ap = &t->periods[q];
  size_t m = j->first[q + 1] - j->first[q];
  ap->n = 0;
  for (size_t i = 0; i < m; i++)
    ap->n += sw__audit_people(a, j->idx[j->first[q] + i]);
  if (!m) {
    ap->reason = sw__strdup("no records in the period");
    return ap->reason ? SW_OK : sw__err(err, SW_E_NOMEM, "out of memory");
  }
  subset s;
  sw_geo_design *g = NULL;
  sw_model_result *r = NULL;
  bool has_ties;
  sw_status st = subset_make(a, t, j->idx + j->first[q], m, &s, err);
  if (st) return st;
  st = design(a, t, &s, a->alternatives, j->all, &g, &has_ties, err);
  if (!st)
    st = fit(a, g, has_ties, false, t->full ? t->full->estimate : NULL, 1, &r,
             &ap->reason, err);
  if (!st && r) {
    ap->gamma = r->estimate[AUDIT_F_TARGET];
    ap->ci_low = r->ci_low[AUDIT_F_TARGET];
    ap->ci_high = r->ci_high[AUDIT_F_TARGET];
  }
  sw_model_result_free(r);
  sw__geo_design_free(g);
  subset_free(&s);
  return st;
}

static void *period_worker(void *arg) {
  period_jobs *j = arg;
  for (;;) {
    pthread_mutex_lock(&j->mu);
    size_t job = j->next++;
    pthread_mutex_unlock(&j->mu);
    if (job == 0) {
      j->head_st = j->head(j->head_user, j->head_threads, &j->head_err);
      continue;
    }
    size_t q = job - 1;
    if (q >= j->np) return NULL;
    j->st[q] = fit_period(j, q, &j->errors[q]);
  }
}

/* The period containing day, np when none (periods are in date order). */
static size_t period_of(const sw_period *per, size_t np, int32_t day) {
  size_t lo = 0, hi = np;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (day >= per[mid].to)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < np && day >= per[lo].from ? lo : np;
}

/* gamma per period, and beside it head(head_user): the first free thread
 * takes the head, the others the periods, so that the restricted fit (whose
 * passes gain little from a second thread) runs on its own thread while
 * the other fits months. An error of the head is reported first. */
static sw_status periods(sw_audit *a, audit_target *t, const sw_geo_design *all,
                         sw_status (*head)(void *, unsigned, sw_error *),
                         void *head_user, sw_error *err) {
  sw_period *per = NULL;
  size_t np = 0;
  sw_status st =
      sw_time_periods(a->date_min, a->date_max, a->o.period, &per, &np, err);
  if (st) return st;
  size_t n1 = np ? np : 1;
  t->periods = sw__calloc(n1, sizeof *t->periods);
  size_t *idx = sw__malloc((a->n_located ? a->n_located : 1) * sizeof *idx);
  size_t *first = sw__calloc(np + 1, sizeof *first);
  size_t *at = sw__malloc(n1 * sizeof *at);
  sw_status *sts = sw__calloc(n1, sizeof *sts);
  sw_error *errors = sw__calloc(n1, sizeof *errors);
  if (!t->periods || !idx || !first || !at || !sts || !errors) {
    st = sw__err(err, SW_E_NOMEM, "out of memory");
    goto done;
  }
  t->n_periods = np;
  for (size_t q = 0; q < np; q++) {
    audit_period *ap = &t->periods[q];
    ap->from = per[q].from;
    ap->to = per[q].to;
    ap->gamma = ap->ci_low = ap->ci_high = NAN;
  }
  /* Records grouped by period, in record order within each (a counting
   * sort), so that each fit sees its records as a sequential scan would. */
  for (size_t k = 0; k < a->n_located; k++) {
    size_t q = period_of(per, np, a->date[k]);
    if (q < np) first[q + 1]++;
  }
  for (size_t q = 0; q < np; q++)
    first[q + 1] += first[q];
  memcpy(at, first, np * sizeof *at);
  for (size_t k = 0; k < a->n_located; k++) {
    size_t q = period_of(per, np, a->date[k]);
    if (q < np) idx[at[q]++] = k;
  }
  period_jobs j = {.a = a,
                   .t = t,
                   .all = all,
                   .idx = idx,
                   .first = first,
                   .np = np,
                   .head = head,
                   .head_user = head_user,
                   .st = sts,
                   .errors = errors};
  unsigned n_threads = a->o.threads < np + 1 ? a->o.threads : (unsigned)np + 1;
  pthread_t *tid = n_threads > 1 ? sw__malloc(n_threads * sizeof *tid) : NULL;
  if (tid && pthread_mutex_init(&j.mu, NULL) == 0) {
    j.head_threads = 1; /* beside the periods, on one thread */
    /* A thread that cannot be started costs speed, never a result. */
    unsigned started = 0;
    for (unsigned k = 1; k < n_threads; k++)
      if (pthread_create(&tid[started], NULL, period_worker, &j) == 0)
        started++;
    period_worker(&j);
    for (unsigned k = 0; k < started; k++)
      pthread_join(tid[k], NULL);
    pthread_mutex_destroy(&j.mu);
  } else {
    j.head_threads = a->o.threads; /* alone: the head may use every thread */
    j.head_st = head(head_user, j.head_threads, &j.head_err);
    for (size_t q = 0; q < np; q++)
      sts[q] = fit_period(&j, q, &errors[q]);
  }
  sw__free(tid);
  if (j.head_st) {
    st = j.head_st;
    if (err) *err = j.head_err;
  }
  for (size_t q = 0; q < np && !st; q++)
    if (sts[q]) {
      st = sts[q];
      if (err) *err = errors[q];
    }
done:
  sw_time_free(per);
  sw__free(idx);
  sw__free(first);
  sw__free(at);
  sw__free(sts);
  sw__free(errors);
  return st;
}

/* When the null probabilities come from a subsample, the weekly series
 * (in *t->weeks, the subsample's) is scaled up to every record: each
 * week's records and releases into the target are counted exactly, and its
 * expected count and variance are the subsample's for that week times
 * records / subsample records (the overall mean probability for a week the
 * subsample missed). So the chart on the page and the change points see
 * the same counts as the headline. */
static sw_status scale_weeks(const sw_audit *a, audit_target *t,
                             sw_error *err) {
  double *zero = sw__calloc(a->n_located, sizeof *zero);
  if (!zero) return sw__err(err, SW_E_NOMEM, "out of memory");
  sw_week *w = NULL;
  size_t nw = 0;
  sw_status st = sw_time_weekly_people(a->date, t->in_target, zero, a->weight,
                                       a->n_located, &w, &nw, err);
  sw__free(zero);
  if (st) return st;
  double sum = 0, m = 0;
  for (size_t j = 0; j < t->n_weeks; j++) {
    sum += t->weeks[j].expected;
    m += (double)t->weeks[j].n;
  }
  double mean = m > 0 ? sum / m : 0;
  size_t off = (size_t)((t->weeks[0].start - w[0].start) / 7);
  for (size_t i = 0; i < nw; i++) {
    const sw_week *s =
        i >= off && i - off < t->n_weeks ? &t->weeks[i - off] : NULL;
    double n = (double)w[i].n;
    if (s && s->n) {
      w[i].expected = s->expected * n / (double)s->n;
      w[i].variance = s->variance * n / (double)s->n;
    } else {
      w[i].expected = mean * n;
      w[i].variance = mean * (1 - mean) * n;
    }
    w[i].excess = (double)w[i].observed - w[i].expected;
  }
  sw_time_free(t->weeks);
  t->weeks = w;
  t->n_weeks = nw;
  return SW_OK;
}

/* Weekly series of observed vs expected, change points and events. The
 * series is built from the records with a null probability (all, unless
 * the expected share came from a subsample, when it is scaled up). */
static sw_status timing(sw_audit *a, audit_target *t, sw_error *err) {
  int32_t *d = sw__malloc(a->n_located * sizeof *d);
  uint8_t *y = sw__malloc(a->n_located);
  double *p = sw__malloc(a->n_located * sizeof *p);
  double *c = a->weight ? sw__malloc(a->n_located * sizeof *c) : NULL;
  sw_status st = SW_OK;
  if (!d || !y || !p || (a->weight && !c))
    st = sw__err(err, SW_E_NOMEM, "out of memory");
  size_t m = 0;
  for (size_t k = 0; k < a->n_located && !st; k++)
    if (!isnan(t->p_null[k])) {
      d[m] = a->date[k];
      y[m] = t->in_target[k];
      if (c) c[m] = a->weight[k];
      p[m++] = t->p_null[k];
    }
  sw_error e;
  if (!st && m) {
    sw_status ts =
        sw_time_weekly_people(d, y, p, c, m, &t->weeks, &t->n_weeks, &e);
    if (!ts && m < a->n_located) ts = scale_weeks(a, t, &e);
    sw_changes_opts co = {.min_change = a->o.min_change};
    if (!ts)
      ts = sw_time_changes(t->weeks, t->n_weeks, &co, &t->changes,
                           &t->n_changes, NULL, &e);
    if (ts == SW_E_NOMEM)
      st = sw__err(err, SW_E_NOMEM, "out of memory");
    else if (ts && note(&t->changes_reason, &e))
      st = sw__err(err, SW_E_NOMEM, "out of memory");
  } else if (!st && !(t->changes_reason = sw__strdup("no expected series")))
    st = sw__err(err, SW_E_NOMEM, "out of memory");
  if (!st && a->o.n_events) {
    if (!(t->events = sw__calloc(a->o.n_events, sizeof *t->events)))
      st = sw__err(err, SW_E_NOMEM, "out of memory");
    bool all = m == a->n_located; /* p for every record: expected shares too */
    for (size_t k = 0; k < a->n_located && !st && !all; k++) {
      d[k] = a->date[k];
      y[k] = t->in_target[k];
      if (c) c[k] = a->weight[k];
    }
    for (size_t i = 0; i < a->o.n_events && !st; i++)
      st = sw_time_event_people(d, y, all ? p : NULL, c, a->n_located,
                                a->o.events[i].date, a->o.window_weeks,
                                &t->events[i], err);
  }
  sw__free(c);
  sw__free(d);
  sw__free(y);
  sw__free(p);
  return st;
}

/* Where releases into the target came from: per facility, its records,
 * those into the target, and the mean null probability of the target over
 * its records that have one (all of them unless the expected share came
 * from a subsample). */
static sw_status facilities(sw_audit *a, audit_target *t, sw_error *err) {
  size_t nf = a->n_facilities ? a->n_facilities : 1;
  uint64_t *with_p = sw__calloc(nf, sizeof *with_p);
  double *sum_p = sw__calloc(nf, sizeof *sum_p);
  t->facility_n = sw__calloc(nf, sizeof *t->facility_n);
  t->facility_observed = sw__calloc(nf, sizeof *t->facility_observed);
  t->facility_expected_share =
      sw__malloc(nf * sizeof *t->facility_expected_share);
  if (!with_p || !sum_p || !t->facility_n || !t->facility_observed ||
      !t->facility_expected_share) {
    sw__free(with_p);
    sw__free(sum_p);
    return sw__err(err, SW_E_NOMEM, "out of memory");
  }
  for (size_t k = 0; k < a->n_located; k++) {
    uint32_t f = a->facility[k];
    uint64_t c = sw__audit_people(a, k);
    t->facility_n[f] += c;
    t->facility_observed[f] += t->in_target[k] ? c : 0;
    if (!isnan(t->p_null[k])) {
      with_p[f] += c;
      sum_p[f] += (double)c * t->p_null[k];
    }
  }
  for (size_t f = 0; f < a->n_facilities; f++)
    t->facility_expected_share[f] =
        with_p[f] ? sum_p[f] / (double)with_p[f] : NAN;
  sw__free(with_p);
  sw__free(sum_p);
  return SW_OK;
}

/* Where the restricted fit (gamma = 0) starts: the maximum of the full
 * fit's quadratic approximation of the log-likelihood along gamma = 0,
 * beta_k - cov(k, gamma) / var(gamma) * gamma for each other k. It is
 * usually within Newton's quadratic reach of the restricted estimate,
 * which saves a pass or two over the records against starting from the
 * full estimates with gamma set to 0. Too many covariates for start[]:
 * the full estimates. */
#define MAX_START_COVARIATES 61
static const double *restricted_start(const sw_model_result *full,
                                      double *start) {
  size_t p = full->n_coef;
  double vg = full->cov[AUDIT_F_TARGET * p + AUDIT_F_TARGET],
         g = full->estimate[AUDIT_F_TARGET];
  if (p > 3 + MAX_START_COVARIATES || !(vg > 0) || !isfinite(g))
    return full->estimate;
  for (size_t k = 0; k < p; k++)
    start[k] =
        full->omitted[k]
            ? 0
            : full->estimate[k] - full->cov[k * p + AUDIT_F_TARGET] / vg * g;
  start[AUDIT_F_TARGET] = 0;
  return start;
}

/* The model without the target term, its likelihood-ratio test and the
 * expected share under it: a head job of periods(). */
typedef struct null_job {
  sw_audit *a;
  audit_target *t;
  const sw_geo_design *g;
  bool has_ties;
} null_job;

static sw_status null_model(void *user, unsigned threads, sw_error *err) {
  null_job *n = user;
  audit_target *t = n->t;
  if (!t->full) return SW_OK;
  double start[3 + MAX_START_COVARIATES];
  sw_status st =
      fit(n->a, n->g, n->has_ties, true, restricted_start(t->full, start),
          threads, &t->restricted, &t->model_reason, err);
  if (st || !t->restricted) return st;
  sw_error e;
  if (sw_model_lr_test(t->full, t->restricted, &t->lr_statistic, &t->p_value,
                       &e) != SW_OK)
    t->p_value = NAN;
  return expected(n->a, t, n->g, threads, err);
}

sw_status sw__audit_target(sw_audit *a, audit_target *t, sw_error *err) {
  sw_status st;
  if ((st = tables(a, t, err))) return st;
  subset all;
  subset_make(a, t, NULL, a->n_located, &all, err);
  sw_geo_design *g = NULL;
  bool has_ties;
  if ((st = design(a, t, &all, a->alternatives, NULL, &g, &has_ties, err)))
    return st;
  st = fit(a, g, has_ties, false, NULL, a->o.threads, &t->full,
           &t->model_reason, err);
  null_job nj = {a, t, g, has_ties};
  if (!st) st = periods(a, t, g, null_model, &nj, err);
  if (!st) st = facilities(a, t, err);
  sw__geo_design_free(g);
  double n = (double)a->people_located;
  t->observed_share = (double)t->observed / n;
  t->expected_share = t->restricted ? t->expected / n : NAN;
  t->excess = t->restricted ? (double)t->observed - t->expected : NAN;
  if (!st) st = sw__audit_level(a, t, err);
  if (!st) st = sw__audit_within(a, t, err);
  if (st) return st;
  return timing(a, t, err);
}
