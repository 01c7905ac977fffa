/*
 * timing.c — the time analysis of an audit: when did steering start or
 * stop, and did it move at a given event?
 *
 * Place in the pipeline: after the choice model has given every record its
 * null-model probability of landing in the target, the audit command hands
 * this module per-record (date, in target, probability) and gets back
 *   - the weekly series (Monday-aligned ISO weeks) of observed, expected and
 *     excess releases into the target, for the report's chart;
 *   - the change points of the weekly observed/expected rate, found by PELT
 *     with exact pruning on a Poisson rate-ratio cost and the MBIC penalty,
 *     each with a 95% interval for its date;
 *   - before/after shares around each event, with Fisher's exact test;
 *   - calendar month or quarter bounds, for per-period fits of the model.
 * The choices and what was measured are in docs/design/timing.md.
 */
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "date.h"
#include "err.h"
#include "steerwatch.h"
#include "timing.h"

/* Dates accepted: the years sw_date_parse accepts, 1000-01-01 (-354285)
 * through 9999-12-31 (2932896). Bounding them bounds the weekly series. */
#define MIN_DAY (-354285)
#define MAX_DAY 2932896

#define DEFAULT_MIN_SEGMENT_WEEKS 4
#define DEFAULT_WINDOW_WEEKS 8
#define HALF_WEEK 3
/* Block length for the dispersion of sums (estimate_dispersion): a month,
 * long enough to see a misfit that wanders for weeks, short enough that a
 * change spoils only 7 block differences. Growing it with the series (as
 * Newey and West's bandwidth does) made a series of 10,000 weeks with a
 * change every 50 see a dispersion of 7 and no change at all. */
#define BLOCK_WEEKS 4

/* The Monday on or before day d. 1970-01-01 was a Thursday, so day d is
 * (d + 3) mod 7 days after a Monday. */
static int32_t monday_of(int32_t d) {
  int32_t wd = ((d + 3) % 7 + 7) % 7;
  return d - wd;
}

static bool day_in_range(int32_t d) { return d >= MIN_DAY && d <= MAX_DAY; }

void sw_time_free(void *p) { sw__free(p); }

/* ------------------------------------------------------------------------
 * Weekly series
 * ---------------------------------------------------------------------- */

sw_status sw_time_weekly(const int32_t *dates, const uint8_t *in_target,
                         const double *p_target, size_t n, sw_week **out,
                         size_t *n_weeks, sw_error *err) {
  return sw_time_weekly_people(dates, in_target, p_target, NULL, n, out,
                               n_weeks, err);
}

sw_status sw_time_weekly_people(const int32_t *dates, const uint8_t *in_target,
                                const double *p_target, const double *people,
                                size_t n, sw_week **out, size_t *n_weeks,
                                sw_error *err) {
  if (out) *out = NULL;
  if (n_weeks) *n_weeks = 0;
  if (!out || !n_weeks || (n > 0 && (!dates || !in_target || !p_target)))
    return sw__err(err, SW_E_USAGE, "sw_time_weekly: NULL argument");
  if (n == 0) return SW_OK;

  int32_t lo = INT32_MAX, hi = INT32_MIN;
  for (size_t i = 0; i < n; i++) {
    if (!day_in_range(dates[i]))
      return sw__err(err, SW_E_RANGE,
                     "record %zu: date %ld outside years 1000..9999", i,
                     (long)dates[i]);
    double p = p_target[i];
    if (!(p >= 0.0 && p <= 1.0))
      return sw__err(err, SW_E_RANGE,
                     "record %zu: target probability %g not in [0, 1]", i, p);
    if (dates[i] < lo) lo = dates[i];
    if (dates[i] > hi) hi = dates[i];
  }
  int32_t first = monday_of(lo);
  size_t count = (size_t)((monday_of(hi) - first) / 7) + 1;
  sw_week *w = sw__calloc(count, sizeof *w);
  if (!w) return sw__err(err, SW_E_NOMEM, "out of memory (%zu weeks)", count);
  for (size_t k = 0; k < count; k++)
    w[k].start = first + (int32_t)(7 * k);
  for (size_t i = 0; i < n; i++) {
    sw_week *wk = &w[(size_t)(dates[i] - first) / 7];
    double p = p_target[i], c = people ? people[i] : 1;
    wk->n += (uint64_t)c;
    wk->observed += in_target[i] != 0 ? (uint64_t)c : 0;
    wk->expected += c * p;
    wk->variance += c * (p * (1.0 - p));
  }
  for (size_t k = 0; k < count; k++)
    w[k].excess = (double)w[k].observed - w[k].expected;
  *out = w;
  *n_weeks = count;
  return SW_OK;
}

/* ------------------------------------------------------------------------
 * Calendar periods
 * ---------------------------------------------------------------------- */

sw_status sw_time_periods(int32_t first, int32_t last, sw_period_unit unit,
                          sw_period **out, size_t *n_periods, sw_error *err) {
  if (out) *out = NULL;
  if (n_periods) *n_periods = 0;
  if (!out || !n_periods)
    return sw__err(err, SW_E_USAGE, "sw_time_periods: NULL argument");
  if (unit != SW_PERIOD_MONTH && unit != SW_PERIOD_QUARTER)
    return sw__err(err, SW_E_USAGE, "unknown period unit %d", (int)unit);
  if (!day_in_range(first) || !day_in_range(last) || first > last)
    return sw__err(err, SW_E_RANGE, "bad date range %ld..%ld", (long)first,
                   (long)last);
  int32_t step = unit == SW_PERIOD_QUARTER ? 3 : 1;
  int64_t y0, m0, d0, y1, m1, d1;
  sw__civil_from_days(first, &y0, &m0, &d0);
  sw__civil_from_days(last, &y1, &m1, &d1);
  /* Months counted from year 0, snapped down to the unit's start. */
  int32_t a = (int32_t)(y0 * 12 + (m0 - 1)), b = (int32_t)(y1 * 12 + (m1 - 1));
  a -= a % step;
  b -= b % step;
  size_t count = (size_t)((b - a) / step) + 1;
  sw_period *p = sw__calloc(count, sizeof *p);
  if (!p) return sw__err(err, SW_E_NOMEM, "out of memory (%zu periods)", count);
  for (size_t k = 0; k < count; k++) {
    int32_t s = a + (int32_t)k * step, e = s + step;
    p[k].from = (int32_t)sw__days_from_civil(s / 12, s % 12 + 1, 1);
    p[k].to = (int32_t)sw__days_from_civil(e / 12, e % 12 + 1, 1);
  }
  *out = p;
  *n_periods = count;
  return SW_OK;
}

/* ------------------------------------------------------------------------
 * Change points
 * ---------------------------------------------------------------------- */

/* The weekly series reduced to what the cost needs: prefix sums of observed
 * and expected counts, so that any segment's cost is O(1). Weeks are
 * indexed 1..t_max; segment (s, t] holds weeks s+1..t. */
typedef struct series {
  size_t t_max;
  double *cum_obs; /* [t_max + 1] */
  double *cum_exp; /* [t_max + 1] */
  double scale;    /* 1 / dispersion */
  bool mbic;       /* add Zhang-Siegmund's segment-length term */
} series;

/* Twice the negative maximised Poisson log-likelihood of the segment's
 * weekly counts o_t ~ Poisson(theta * e_t), theta free, without the terms
 * sum(o_t log e_t - log o_t!) that do not depend on the segmentation. The
 * MLE is theta = O/E, giving 2 (O - O ln(O/E)); O = 0 gives theta = 0 and
 * cost 0. Divided by the dispersion (quasi-likelihood). */
static double seg_lik(const series *s, size_t a, size_t b) {
  double o = s->cum_obs[b] - s->cum_obs[a];
  double e = s->cum_exp[b] - s->cum_exp[a];
  if (o <= 0.0) return 0.0;
  return 2.0 * (o - o * log(o / e)) * s->scale;
}

/* The segment's cost in the penalised objective: the likelihood part plus,
 * under MBIC, log(n_i / n). That term is <= 0 and log(ab/((a+b)n)) <= 0
 * for any split of a segment into lengths a and b, so splitting never
 * lowers the cost: the PELT pruning constant K is 0. */
static double seg_cost(const series *s, size_t a, size_t b) {
  double c = seg_lik(s, a, b);
  if (s->mbic) c += log((double)(b - a) / (double)s->t_max);
  return c;
}

/* Bartlett bandwidth of Newey and West, floor(4 (n/100)^(2/9)): 4 for two
 * years of weeks. */
static size_t bandwidth(size_t n) {
  return (size_t)floor(4.0 * pow((double)n / 100.0, 2.0 / 9.0));
}

/* The dispersion of k-week sums, from differences of the rates of
 * neighbouring blocks of k weeks, R2 - R1, each standardised by its
 * Poisson standard deviation at the overall rate theta: where the rate is
 * constant they have mean 0 and variance phi_k, and a change spoils only
 * the 2k - 1 differences whose blocks straddle it. phi_k = mean z^2, which
 * is unbiased whatever the shape of the noise (a median-based estimate is
 * not: it saw a third of the true dispersion of clustered records). For
 * k = 1 this is the week-to-week dispersion; for larger k it also holds
 * the covariance of neighbouring weeks, as when the null model's error
 * wanders for weeks at a time. 0 when no pair of blocks expects releases.
 */
static double block_dispersion(const sw_week *w, size_t nw, size_t k,
                               double theta) {
  double sum = 0;
  size_t nz = 0;
  for (size_t t = k; t + k <= nw; t++) {
    double o1 = 0, e1 = 0, o2 = 0, e2 = 0;
    for (size_t j = 0; j < k; j++) {
      o1 += (double)w[t - k + j].observed;
      e1 += w[t - k + j].expected;
      o2 += (double)w[t + j].observed;
      e2 += w[t + j].expected;
    }
    if (!(e1 > 0 && e2 > 0)) continue;
    double d = o2 / e2 - o1 / e1;
    sum += d * d / (theta * (1.0 / e1 + 1.0 / e2));
    nz++;
  }
  return nz ? sum / (double)nz : 0.0;
}

/* The dispersion phi of weekly counts about their Poisson mean, in the
 * units of the Poisson cost: the larger of the week-to-week and the
 * BLOCK_WEEKS block dispersions (block_dispersion), so that wander over
 * several weeks counts as noise rather than as changes. Floored at the
 * binomial limit sum p(1-p) / sum p (records are Bernoulli draws, so no
 * tighter than that); 1 (Poisson) with fewer than 9 non-empty weeks. */
static double estimate_dispersion(const sw_week *w, size_t nw) {
  double so = 0, se = 0, sv = 0;
  size_t nonempty = 0;
  for (size_t k = 0; k < nw; k++) {
    so += (double)w[k].observed;
    se += w[k].expected;
    sv += w[k].variance;
    nonempty += w[k].expected > 0;
  }
  double floor_phi = se > 0 ? sv / se : 1.0;
  if (nonempty < 9 || so <= 0) return floor_phi > 1.0 ? floor_phi : 1.0;
  double theta = so / se, est = block_dispersion(w, nw, 1, theta);
  double longer = block_dispersion(w, nw, BLOCK_WEEKS, theta);
  if (longer > est) est = longer;
  return est > floor_phi ? est : floor_phi;
}

/* A PELT candidate: a possible last change s, pruned for good from
 * kill_at on. */
typedef struct cand {
  size_t s;
  size_t kill_at;
} cand;

/* Optimal partitioning of weeks 1..t_max into segments of at least m
 * weeks, minimising sum(seg_cost) + beta * (#segments - 1), by PELT
 * (Killick, Fearnhead & Eckley 2012). F[t] is the optimum for weeks 1..t
 * and last[t] the start of its final segment. Candidate s is dominated
 * once F[s] + C(s, t) > F[t]: then F[s] + C(s, u) >= F[t] + C(t, u) for
 * every u, but t can only start a segment ending at u >= t + m, so s stays
 * a candidate until then (pruning at once is inexact with a minimum
 * segment length). On return last[] describes the optimum. */
static sw_status pelt(const series *s, size_t m, double beta, size_t *last,
                      sw_error *err) {
  size_t T = s->t_max;
  double *F = sw__malloc((T + 1) * sizeof *F);
  cand *R = sw__malloc((T + 1) * sizeof *R);
  if (!F || !R) {
    sw__free(F);
    sw__free(R);
    return sw__err(err, SW_E_NOMEM, "out of memory");
  }
  for (size_t t = 0; t <= T; t++) {
    F[t] = INFINITY;
    last[t] = 0;
  }
  F[0] = -beta;
  size_t nr = 0;
  for (size_t t = m; t <= T; t++) {
    /* s = t - m becomes usable now: it is the latest start for a segment
     * of m weeks ending at t. F[s] is finite only for s = 0 or s >= m. */
    size_t ns = t - m;
    if (isfinite(F[ns])) R[nr++] = (cand){ns, SIZE_MAX};
    size_t keep = 0;
    for (size_t i = 0; i < nr; i++)
      if (R[i].kill_at > t) R[keep++] = R[i];
    nr = keep;
    double best = INFINITY;
    size_t arg = 0;
    for (size_t i = 0; i < nr; i++) {
      double v = F[R[i].s] + seg_cost(s, R[i].s, t) + beta;
      if (v < best) {
        best = v;
        arg = R[i].s;
      }
    }
    F[t] = best;
    last[t] = arg;
    /* Prune with a little slack for rounding: keeping a candidate too long
     * costs time only, pruning one too early could lose the optimum. */
    double bar = best + 1e-9 * (1.0 + fabs(best));
    for (size_t i = 0; i < nr; i++)
      if (R[i].kill_at == SIZE_MAX && F[R[i].s] + seg_cost(s, R[i].s, t) > bar)
        R[i].kill_at = t + m;
  }
  sw__free(F);
  sw__free(R);
  return SW_OK;
}

/* Threshold on the profile deviance for the 95% set of a change's
 * location. The likelihood-ratio statistic for the location is not
 * chi-square(1): in the small-change limit it is twice the larger of two
 * independent maxima of Brownian motion with drift -|t|/2, whose law is
 * P(stat <= c) = (1 - exp(-c/2))^2 (the setting of Siegmund 1988). Solving for
 * 0.95 gives c = -2 ln(1 - sqrt(0.95)) = 7.35; chi-square's 3.84 would cover
 * only 73% in that limit (and 90% in our simulations, docs/design/timing.md).
 */
static double location_threshold(void) { return -2.0 * log(1.0 - sqrt(0.95)); }

/* The 95% set of the change at week boundary tau between its neighbours a
 * and b: every split u (leaving m weeks each side) whose two-segment
 * deviance is within the threshold of the best, reported as its hull. */
static void location_interval(const series *s, size_t a, size_t tau, size_t b,
                              size_t m, size_t *lo, size_t *hi) {
  double best = INFINITY;
  for (size_t u = a + m; u + m <= b; u++) {
    double c = seg_lik(s, a, u) + seg_lik(s, u, b);
    if (c < best) best = c;
  }
  double bar = best + location_threshold();
  *lo = *hi = tau;
  for (size_t u = a + m; u + m <= b; u++) {
    if (seg_lik(s, a, u) + seg_lik(s, u, b) > bar) continue;
    if (u < *lo) *lo = u;
    if (u > *hi) *hi = u;
  }
}

static double seg_rate(const series *s, size_t a, size_t b) {
  double e = s->cum_exp[b] - s->cum_exp[a];
  return e > 0 ? (s->cum_obs[b] - s->cum_obs[a]) / e : NAN;
}

/* Whether the change at tau between segments (a, tau] and (tau, b] may be
 * as large as min_change of the rate before: the 90% interval of the rate
 * ratio, exp(ln ratio +- 1.645 sqrt(phi (1/O1 + 1/O2))) (quasi-Poisson, O
 * the segments' counts), reaches 1 + min_change or 1 - min_change. A
 * change is called small only when the data show it is, by the two
 * one-sided tests at 5% of equivalence testing (Schuirmann 1987): a
 * precise 1% drift is small, a 5% onset measured to +-0.5% is not, even
 * when its estimate falls a hair short. A segment with nothing observed
 * leaves the ratio unbounded. */
static bool notable(const series *s, size_t a, size_t tau, size_t b, double phi,
                    double min_change) {
  double o1 = s->cum_obs[tau] - s->cum_obs[a];
  double o2 = s->cum_obs[b] - s->cum_obs[tau];
  if (!(o1 > 0 && o2 > 0)) return true;
  double ratio = seg_rate(s, tau, b) / seg_rate(s, a, tau);
  double half = 1.6448536269514722 * sqrt(phi * (1.0 / o1 + 1.0 / o2));
  return ratio * exp(half) >= 1.0 + min_change ||
         ratio * exp(-half) <= 1.0 - min_change;
}

/* Run PELT and read the optimum back: taus[0..nt) holds 0, the changes in
 * order, and t_max. */
static sw_status segment(const series *s, size_t m, double beta, size_t *last,
                         size_t *taus, size_t *nt, sw_error *err) {
  sw_status st = pelt(s, m, beta, last, err);
  if (st != SW_OK) return st;
  size_t n = 0;
  for (size_t t = s->t_max; t > 0; t = last[t])
    taus[n++] = t;
  taus[n++] = 0;
  for (size_t i = 0; i < n / 2; i++) {
    size_t x = taus[i];
    taus[i] = taus[n - 1 - i];
    taus[n - 1 - i] = x;
  }
  *nt = n;
  return SW_OK;
}

/* Pearson residual of week k at the segment rate, NaN when the week
 * expects nothing. */
static double residual(const sw_week *w, double rate, size_t k) {
  double mu = rate * w[k].expected;
  return mu > 0 ? ((double)w[k].observed - mu) / sqrt(mu) : NAN;
}

/* The quasi-Poisson dispersion given a segmentation, as a long-run
 * variance: the autocovariances gamma_j of the Pearson residuals about
 * their segment's fitted rate (pairs within a segment only), combined with
 * Bartlett weights, gamma_0 + 2 sum_{j=1..L} (1 - j/(L+1)) gamma_j, with
 * Newey and West's bandwidth L = floor(4 (n/100)^(2/9)). A segment's
 * total varies by this much, not by the week-to-week variance, when the
 * null model's error wanders for several weeks at a time (a shift in the
 * mix of facilities or ties the model does not see). 0 when there are no
 * degrees of freedom. */
static double longrun_dispersion(const sw_week *w, const series *s,
                                 const size_t *taus, size_t nt) {
  size_t used = 0, segs = nt - 1;
  for (size_t k = 0; k < s->t_max; k++)
    used += w[k].expected > 0;
  if (used <= segs) return 0.0;
  size_t L = bandwidth(used);
  double lrv = 0;
  for (size_t j = 0; j <= L; j++) {
    double g = 0;
    for (size_t i = 0; i < segs; i++) {
      double rate = seg_rate(s, taus[i], taus[i + 1]);
      for (size_t k = taus[i] + j; k < taus[i + 1]; k++) {
        double prod = residual(w, rate, k) * residual(w, rate, k - j);
        if (!isnan(prod)) g += prod;
      }
    }
    lrv += (j ? 2.0 * (1.0 - (double)j / (double)(L + 1)) : 1.0) * g;
  }
  return lrv > 0 ? lrv / (double)(used - segs) : 0.0;
}

sw_status sw_time_changes(const sw_week *weeks, size_t n_weeks,
                          const sw_changes_opts *opts, sw_change_point **out,
                          size_t *n_changes, double *dispersion,
                          sw_error *err) {
  if (out) *out = NULL;
  if (n_changes) *n_changes = 0;
  if (!out || !n_changes || (n_weeks > 0 && !weeks))
    return sw__err(err, SW_E_USAGE, "sw_time_changes: NULL argument");
  sw_changes_opts o = {0};
  if (opts) o = *opts;
  size_t m =
      o.min_segment_weeks ? o.min_segment_weeks : DEFAULT_MIN_SEGMENT_WEEKS;
  if (!(o.penalty >= 0.0) || !isfinite(o.penalty) || !(o.dispersion >= 0.0) ||
      !isfinite(o.dispersion) || !(o.min_change >= 0.0) ||
      !isfinite(o.min_change))
    return sw__err(err, SW_E_USAGE,
                   "penalty, dispersion and minimum change must be finite "
                   "and >= 0");
  double min_change = o.min_change > 0 ? o.min_change : SW_MIN_CHANGE_DEFAULT;
  for (size_t k = 0; k < n_weeks; k++) {
    double e = weeks[k].expected, v = weeks[k].variance;
    if (!(e >= 0.0) || !isfinite(e) || !(v >= 0.0) || !isfinite(v))
      return sw__err(err, SW_E_RANGE,
                     "week %zu: expected count %g, "
                     "variance %g",
                     k, e, v);
    if (e == 0.0 && weeks[k].observed > 0) {
      int64_t y, mo, d;
      sw__civil_from_days(weeks[k].start, &y, &mo, &d);
      return sw__err(err, SW_E_RANGE,
                     "week of %04d-%02d-%02d: %llu releases into the target, "
                     "but the model expects none",
                     (int)y, (int)mo, (int)d,
                     (unsigned long long)weeks[k].observed);
    }
  }

  double phi =
      o.dispersion > 0 ? o.dispersion : estimate_dispersion(weeks, n_weeks);
  if (n_weeks < 2 * m) { /* no room for a change */
    if (dispersion) *dispersion = phi;
    return SW_OK;
  }

  /* The caller holds n_weeks sw_week of 40 bytes, so the arrays below,
   * of n_weeks + 1 elements of at most 16 bytes, cannot overflow size_t. */
  series s = {n_weeks, NULL, NULL, 1.0 / phi, o.penalty == 0.0};
  size_t *last = NULL, *taus = NULL;
  s.cum_obs = sw__malloc((n_weeks + 1) * sizeof *s.cum_obs);
  s.cum_exp = sw__malloc((n_weeks + 1) * sizeof *s.cum_exp);
  last = sw__malloc((n_weeks + 1) * sizeof *last);
  taus = sw__malloc((n_weeks + 1) * sizeof *taus);
  sw_change_point *cp = NULL;
  sw_status st = SW_OK;
  if (!s.cum_obs || !s.cum_exp || !last || !taus) {
    st = sw__err(err, SW_E_NOMEM, "out of memory");
    goto done;
  }
  s.cum_obs[0] = s.cum_exp[0] = 0.0;
  for (size_t k = 0; k < n_weeks; k++) {
    s.cum_obs[k + 1] = s.cum_obs[k] + (double)weeks[k].observed;
    s.cum_exp[k + 1] = s.cum_exp[k] + weeks[k].expected;
  }
  /* MBIC (Zhang & Siegmund 2007): 3 ln n per change, with a margin for
   * the estimated dispersion (timing.h), and the segment term in
   * seg_cost; a caller's penalty replaces both. */
  double beta =
      s.mbic ? SW__MBIC_MARGIN * 3.0 * log((double)n_weeks) : o.penalty;
  size_t nt = 0;
  st = segment(&s, m, beta, last, taus, &nt, err);
  /* Differences of neighbouring weeks see only the week-to-week part of
   * the dispersion; the long-run variance about the segments found sees
   * the rest. While it is larger, segment again with it: only upward, so
   * the estimate cannot feed on its own over-segmentation, and a few
   * rounds at most. */
  for (int round = 0; st == SW_OK && o.dispersion == 0.0 && round < 4;
       round++) {
    double lr = longrun_dispersion(weeks, &s, taus, nt);
    if (!(lr > phi * (1.0 + 1e-9))) break;
    phi = lr;
    s.scale = 1.0 / phi;
    st = segment(&s, m, beta, last, taus, &nt, err);
  }
  if (dispersion) *dispersion = phi;
  if (st != SW_OK) goto done;

  size_t nc = nt - 2;
  if (nc > 0) {
    cp = sw__calloc(nc, sizeof *cp);
    if (!cp) {
      st = sw__err(err, SW_E_NOMEM, "out of memory");
      goto done;
    }
  }
  for (size_t k = 0; k < nc; k++) {
    size_t a = taus[k], tau = taus[k + 1], b = taus[k + 2], lo, hi;
    location_interval(&s, a, tau, b, m, &lo, &hi);
    cp[k].week = tau;
    cp[k].date = weeks[tau].start;
    /* A boundary between weeks only places the change within half a
     * week either side: a change on a Thursday leaves its week half old,
     * half new, and either boundary fits. So the interval for the day
     * runs from half a week before the earliest plausible boundary to
     * half a week after the latest, and is never narrower than a week. */
    cp[k].ci95_from = weeks[lo].start - HALF_WEEK;
    cp[k].ci95_to = weeks[hi].start + HALF_WEEK;
    cp[k].rate_before = seg_rate(&s, a, tau);
    cp[k].rate_after = seg_rate(&s, tau, b);
    cp[k].notable = notable(&s, a, tau, b, phi, min_change);
  }
  *out = cp;
  *n_changes = nc;
done:
  sw__free(s.cum_obs);
  sw__free(s.cum_exp);
  sw__free(last);
  sw__free(taus);
  return st;
}

/* ------------------------------------------------------------------------
 * Events
 * ---------------------------------------------------------------------- */

/* ln C(n, k) */
static double lchoose(double n, double k) {
  return lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0);
}

double sw__fisher_exact(uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
  double r1 = (double)a + (double)b, r2 = (double)c + (double)d;
  double c1 = (double)a + (double)c, c2 = (double)b + (double)d;
  if (r1 == 0 || r2 == 0 || c1 == 0 || c2 == 0) return 1.0;
  double n = r1 + r2;
  /* x = the top-left cell; it ranges over [lo, hi] with the margins
   * fixed, with probability proportional to C(r1, x) C(r2, c1 - x). That
   * law is unimodal, so walking out from the mode until terms fall below
   * e^-800 of the peak (zero in double) visits every term that counts. */
  double lo = c1 > r2 ? c1 - r2 : 0, hi = r1 < c1 ? r1 : c1;
  double mode = floor((r1 + 1.0) * (c1 + 1.0) / (n + 2.0));
  if (mode < lo) mode = lo;
  if (mode > hi) mode = hi;
  double peak = lchoose(r1, mode) + lchoose(r2, c1 - mode);
  double obs = lchoose(r1, (double)a) + lchoose(r2, c1 - (double)a) - peak;
  /* R's fisher.test counts tables within a relative 1e-7 of the observed
   * one as "as probable", so that rounding does not drop ties. */
  double bar = obs + log1p(1e-7);
  double total = 0.0, tail = 0.0;
  for (int dir = -1; dir <= 1; dir += 2) {
    for (double x = dir < 0 ? mode : mode + 1.0; x >= lo && x <= hi; x += dir) {
      double l = lchoose(r1, x) + lchoose(r2, c1 - x) - peak;
      if (l < -800.0) break;
      double p = exp(l);
      total += p;
      if (l <= bar) tail += p;
    }
  }
  double pv = tail / total;
  return pv < 1.0 ? pv : 1.0;
}

sw_status sw_time_event(const int32_t *dates, const uint8_t *in_target,
                        const double *p_target, size_t n, int32_t event_date,
                        unsigned window_weeks, sw_event_window *out,
                        sw_error *err) {
  return sw_time_event_people(dates, in_target, p_target, NULL, n, event_date,
                              window_weeks, out, err);
}

sw_status sw_time_event_people(const int32_t *dates, const uint8_t *in_target,
                               const double *p_target, const double *people,
                               size_t n, int32_t event_date,
                               unsigned window_weeks, sw_event_window *out,
                               sw_error *err) {
  if (!out || (n > 0 && (!dates || !in_target)))
    return sw__err(err, SW_E_USAGE, "sw_time_event: NULL argument");
  if (!day_in_range(event_date))
    return sw__err(err, SW_E_RANGE, "event date %ld outside years 1000..9999",
                   (long)event_date);
  if (window_weeks == 0) window_weeks = DEFAULT_WINDOW_WEEKS;
  if (window_weeks > 52 * 100)
    return sw__err(err, SW_E_RANGE, "event window of %u weeks is too long",
                   window_weeks);
  int64_t span = 7 * (int64_t)window_weeks;
  uint64_t nb = 0, ob = 0, na = 0, oa = 0;
  double eb = 0, ea = 0;
  for (size_t i = 0; i < n; i++) {
    int64_t off = (int64_t)dates[i] - event_date;
    if (off < -span || off >= span) continue;
    double p = p_target ? p_target[i] : 0.0, c = people ? people[i] : 1;
    uint64_t k = (uint64_t)c, o = in_target[i] != 0 ? k : 0;
    if (off < 0) {
      nb += k;
      ob += o;
      eb += c * p;
    } else {
      na += k;
      oa += o;
      ea += c * p;
    }
  }
  memset(out, 0, sizeof *out);
  out->date = event_date;
  out->window_weeks = window_weeks;
  out->n_before = nb;
  out->observed_before = ob;
  out->n_after = na;
  out->observed_after = oa;
  out->before_share = nb ? (double)ob / (double)nb : NAN;
  out->after_share = na ? (double)oa / (double)na : NAN;
  out->expected_before_share = p_target && nb ? eb / (double)nb : NAN;
  out->expected_after_share = p_target && na ? ea / (double)na : NAN;
  out->p_value = sw__fisher_exact(ob, nb - ob, oa, na - oa);
  return SW_OK;
}
