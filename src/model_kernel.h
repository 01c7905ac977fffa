/*
 * model_kernel.h — the choice model's inner loops: for each record of a
 * chunk, its utilities, probabilities (log-sum-exp), log-likelihood,
 * score and information, or its fitted probabilities. Nearly all of an
 * audit's arithmetic happens here.
 *
 * Written once and compiled once per instruction set: the including file
 * defines SW_LANES (doubles per vector: 2 for SSE2 or NEON, 4 for AVX2),
 * SW_MODEL_KERNEL (the model_kernel it defines) and SW_KERNEL_NAME, and
 * is compiled with the matching flags. Every loop either works element by
 * element or keeps its partial sums in an order written out below, so
 * that any lane count gives bitwise the same results (model_pass.h).
 */
#ifndef SW_LANES
#error "define SW_LANES, SW_MODEL_KERNEL and SW_KERNEL_NAME first"
#endif

#include <math.h>
#include <string.h>

#include "dot.h"
#include "expneg.h"
#include "model_pass.h"

/* Record i's frequency weight: it counts as that many identical records.
 * Without weights it is 1, and multiplying by 1 is exact, so the sums are
 * bitwise those of the unweighted model. */
static inline double weight(const model_pass *ps, size_t i) {
  return ps->d->weight ? ps->d->weight[i] : 1.0;
}

/* Fill record i and check what the provider returned. */
static bool fill_record(const model_pass *ps, model_scratch *s, size_t i,
                        size_t *n_alt, size_t *chosen, model_failure *f) {
  const sw_design *d = ps->d;
  sw_status st = d->fill(d->user, i, s->x, s->alt, n_alt, chosen);
  if (st != SW_OK) {
    *f = (model_failure){st, i, NULL};
    return false;
  }
  if (*n_alt < 1 || *n_alt > d->max_alts || *chosen >= *n_alt) {
    *f = (model_failure){SW_E_USAGE, i,
                         "the design provider returned an invalid choice set"};
    return false;
  }
  if (ps->offset)
    for (size_t j = 0; j < *n_alt; j++)
      if (s->alt[j] >= ps->n_ids) {
        *f = (model_failure){SW_E_USAGE, i,
                             "alternative id beyond the constants"};
        return false;
      }
  return true;
}

/* y[j] = a * y[j] + b * x[j] (x NULL: a * y[j]), four at a time: at -O2
 * GCC vectorises a block of four statements but not the plain loop. */
static inline void axpby(double *restrict y, double a, double b,
                         const double *restrict x, size_t m) {
  size_t j = 0;
  if (x) {
    for (; j + 4 <= m; j += 4) {
      y[j] = a * y[j] + b * x[j];
      y[j + 1] = a * y[j + 1] + b * x[j + 1];
      y[j + 2] = a * y[j + 2] + b * x[j + 2];
      y[j + 3] = a * y[j + 3] + b * x[j + 3];
    }
    for (; j < m; j++)
      y[j] = a * y[j] + b * x[j];
  } else {
    for (; j + 4 <= m; j += 4) {
      y[j] *= a;
      y[j + 1] *= a;
      y[j + 2] *= a;
      y[j + 3] *= a;
    }
    for (; j < m; j++)
      y[j] *= a;
  }
}

/* The largest of v[0..m), m >= 1, a vector at a time (GCC will not
 * vectorise a max without fast-math); it is exact, so the order does not
 * matter. */
static inline double vmax(const double *v, size_t m) {
  sw_vd top = (sw_vd){0} + v[0];
  size_t j = 0;
  for (; j + SW_LANES <= m; j += SW_LANES) {
    sw_vd u = sw__vload(v + j);
    sw_vi up = u > top;
    top = (sw_vd)(((sw_vi)u & up) | ((sw_vi)top & ~up));
  }
  double mx = top[0];
  for (int t = 1; t < SW_LANES; t++)
    if (top[t] > mx) mx = top[t];
  for (; j < m; j++)
    if (v[j] > mx) mx = v[j];
  return mx;
}

/* Utilities -> probabilities in s->pr, by log-sum-exp; returns the
 * record's log-likelihood contribution. */
static double probabilities(const model_pass *ps, model_scratch *s, size_t m,
                            size_t chosen) {
  const size_t stride = ps->d->max_alts;
  double *restrict v = s->pr;
  for (size_t j = 0; j < m; j++)
    v[j] = 0;
  for (size_t q = 0; q < ps->n_free; q++) {
    size_t k = ps->free_k[q];
    double b = ps->beta[k];
    const double *restrict xk = s->x + k * stride;
    if (b != 0) axpby(v, 1, b, xk, m);
  }
  if (ps->offset)
    for (size_t j = 0; j < m; j++)
      v[j] += ps->offset[s->alt[j]];
  double mx = vmax(v, m);
  double vc = v[chosen] - mx;
  sw__expneg_sub(v, mx, m);
  double sum = sw__dot(v, NULL, m);
  axpby(v, 1.0 / sum, 0, NULL, m);
  return vc - log(sum);
}

/* Probability of the alternatives whose feature ps->feature is nonzero. */
static double set_mass(const model_pass *ps, const model_scratch *s, size_t m) {
  const double *restrict xf = s->x + ps->feature * ps->d->max_alts;
  double t = 0;
  for (size_t j = 0; j < m; j++)
    t += xf[j] != 0 ? s->pr[j] : 0;
  return t;
}

/* A record's terms for the alternative-specific constants: the diagonal
 * of their information, the chosen id's count, its probabilities and the
 * cross-information with the features (s->x holds pr * (x - xbar) by now);
 * with ps->proj (J x ps->ld), the record's scores become the efficient
 * ones, s_k - X[chosen][k] + sum_j P_j X[j][k]. */
static void constants(const model_pass *ps, const model_scratch *s, size_t m,
                      size_t c, double *fe, size_t i, double w) {
  const size_t p = ps->d->n_features, stride = ps->d->max_alts, J = ps->n_ids;
  const size_t ld = ps->ld;
  double *diag = fe, *count = fe + J, *expect = fe + 2 * J, *cross = fe + 3 * J;
  const double *restrict pr = s->pr;
  for (size_t j = 0; j < m; j++) {
    double wp = w * pr[j];
    diag[s->alt[j]] += wp * (1 - pr[j]);
    expect[s->alt[j]] += wp;
  }
  count[s->alt[c]] += w;
  if (ps->keep_pr) {
    float *restrict kp = ps->keep_pr + i * stride;
    uint16_t *restrict ka = ps->keep_alt + i * stride;
    for (size_t j = 0; j < m; j++) {
      kp[j] = (float)pr[j];
      ka[j] = (uint16_t)s->alt[j];
    }
    ps->keep_m[i] = (uint32_t)m;
  }
  for (size_t q = 0; q < ps->n_free; q++) {
    size_t k = ps->free_k[q];
    const double *restrict wk = s->x + k * stride;
    for (size_t j = 0; j < m; j++)
      cross[(size_t)s->alt[j] * p + k] += w * wk[j];
    if (ps->proj && ps->scores) {
      double t = 0;
      for (size_t j = 0; j < m; j++)
        t += pr[j] * ps->proj[(size_t)s->alt[j] * ld + k];
      ps->scores[i * p + k] += w * (t - ps->proj[(size_t)s->alt[c] * ld + k]);
    }
  }
}

static void fit_chunk(const model_pass *ps, model_scratch *s, size_t begin,
                      size_t end, double *acc, model_failure *f) {
  const sw_design *d = ps->d;
  const size_t p = d->n_features, stride = d->max_alts;
  double *g = acc + 1, *h = acc + 1 + p, *vary = acc + 1 + p + p * p;
  for (size_t i = begin; i < end; i++) {
    size_t m, c;
    if (!fill_record(ps, s, i, &m, &c, f)) return;
    const double w = weight(ps, i);
    acc[0] += w * probabilities(ps, s, m, c);
    const double *restrict pr = s->pr;
    if (ps->mass) ps->mass[i] = set_mass(ps, s, m);
    for (size_t q = 0; q < ps->n_free; q++) {
      size_t k = ps->free_k[q];
      double *restrict xk = s->x + k * stride;
      double *restrict dk = s->dx + k * stride;
      double xbar = sw__dot(pr, xk, m);
      if (ps->check_variation) {
        bool varies = false;
        for (size_t j = 1; j < m; j++)
          varies |= xk[j] != xk[0];
        vary[k] += varies;
      }
      /* Centre, and, the features being spent, keep pr * (x - xbar) in
       * their place. */
      for (size_t j = 0; j < m; j++) {
        double centred = xk[j] - xbar;
        dk[j] = centred;
        xk[j] = pr[j] * centred;
      }
      g[k] += w * dk[c];
      if (ps->scores) ps->scores[i * p + k] = w * dk[c];
    }
    if (ps->offset) constants(ps, s, m, c, acc + sw__fe_base(p), i, w);
    for (size_t q = 0; q < ps->n_free; q++) {
      size_t k = ps->free_k[q];
      const double *restrict wk = s->x + k * stride;
      for (size_t r = q; r < ps->n_free; r++) {
        size_t l = ps->free_k[r];
        h[k * p + l] += w * sw__dot(wk, s->dx + l * stride, m);
      }
    }
  }
}

static void predict_chunk(const model_pass *ps, model_scratch *s, size_t begin,
                          size_t end, double *acc, model_failure *f) {
  for (size_t i = begin; i < end; i++) {
    size_t m, c;
    if (!fill_record(ps, s, i, &m, &c, f)) return;
    probabilities(ps, s, m, c);
    if (ps->mass) ps->mass[i] = set_mass(ps, s, m);
    const double w = weight(ps, i);
    if (ps->n_ids)
      for (size_t j = 0; j < m; j++) {
        if (s->alt[j] >= ps->n_ids) {
          *f = (model_failure){SW_E_USAGE, i, "alternative id beyond n_ids"};
          return;
        }
        acc[s->alt[j]] += w * s->pr[j];
      }
  }
}

static void laplacian_chunk(const model_pass *ps, model_scratch *s,
                            size_t begin, size_t end, double *acc,
                            model_failure *f) {
  const size_t ld = ps->ld;
  const double *restrict v = ps->proj;
  for (size_t i = begin; i < end; i++) {
    size_t m, c;
    if (!fill_record(ps, s, i, &m, &c, f)) return;
    probabilities(ps, s, m, c);
    const double *restrict pr = s->pr;
    const double w = weight(ps, i);
    for (size_t q = 0; q < ps->n_cols; q++) {
      size_t k = ps->cols[q];
      double t = 0;
      for (size_t j = 0; j < m; j++)
        t += pr[j] * v[(size_t)s->alt[j] * ld + k];
      for (size_t j = 0; j < m; j++) {
        size_t at = (size_t)s->alt[j] * ld + k;
        acc[at] += w * pr[j] * (v[at] - t);
      }
    }
  }
}

/* Four doubles as one GCC vector, and four floats. The kept laplacian's
 * rows are only p + 1 columns wide, too few for GCC to vectorise the loops
 * over them on its own; written four columns at a time, callgrind counted
 * 33G instructions in this function fall to 8.7G on a 20,000-record x
 * 3,231-region fit with K = 100 (tests/peers/model_peer ... fe), with
 * bitwise the same results: each element still sums in the order of the
 * alternatives. Loads and stores go through memcpy because the rows are
 * not 32-byte aligned, and through pointers because a vector passed by
 * value changes the ABI between this file's builds (-Wpsabi). */
typedef double sw_v4 __attribute__((vector_size(4 * sizeof(double))));

static inline void v4_load(sw_v4 *out, const double *p) {
  memcpy(out, p, sizeof *out);
}

static inline void v4_store(double *p, const sw_v4 *v) {
  memcpy(p, v, sizeof *v);
}

/* The laplacian over the probabilities the last fit pass kept (in single
 * precision: L is then exact to about 1e-7, which moves Newton's steps,
 * not the point they converge to, whose gradient is exact): every column
 * of an alternative's row at once (columns that are not asked for hold
 * zeros and give zeros). */
static void kept_laplacian_chunk(const model_pass *ps, model_scratch *s,
                                 size_t begin, size_t end, double *acc,
                                 model_failure *f) {
  (void)f;
  const size_t ld = ps->ld, stride = ps->d->max_alts;
  const double *restrict v = ps->proj;
  /* The record's probabilities widened once, not once per block of
   * columns; weighted, a second copy times the weight (without weights
   * the product would be the same numbers, so it is not formed). */
  double *restrict pd = s->pr, *restrict wpd = s->dx;
  const double *restrict pw = ps->d->weight ? wpd : pd;
  for (size_t i = begin; i < end; i++) {
    const float *restrict kp = ps->keep_pr + i * stride;
    const uint16_t *restrict alt = ps->keep_alt + i * stride;
    size_t m = ps->keep_m[i], q = 0;
    for (size_t j = 0; j < m; j++)
      pd[j] = (double)kp[j];
    if (ps->d->weight)
      for (size_t j = 0; j < m; j++)
        wpd[j] = ps->d->weight[i] * pd[j];
    for (; q + 4 <= ld; q += 4) {
      sw_v4 t = {0, 0, 0, 0}, row, out;
      for (size_t j = 0; j < m; j++) {
        v4_load(&row, v + (size_t)alt[j] * ld + q);
        t += pd[j] * row;
      }
      for (size_t j = 0; j < m; j++) {
        double *o = acc + (size_t)alt[j] * ld + q;
        v4_load(&row, v + (size_t)alt[j] * ld + q);
        v4_load(&out, o);
        out += pw[j] * (row - t);
        v4_store(o, &out);
      }
    }
    for (; q < ld; q++) {
      double t = 0;
      for (size_t j = 0; j < m; j++)
        t += pd[j] * v[(size_t)alt[j] * ld + q];
      for (size_t j = 0; j < m; j++) {
        size_t at = (size_t)alt[j] * ld + q;
        acc[at] += pw[j] * (v[at] - t);
      }
    }
  }
}

/* The expected count of each id over the probabilities the last fit pass
 * kept, moved to other constants: ps->proj[id] is exp(new - kept
 * constant) (0 for an id left out), so a record's probabilities become
 * kept * proj renormalised, with no design fill and no exponential per
 * cell. In single precision, as kept: for the constants' starting point
 * (model_fe.c), not for a fit's sums. */
static void kept_predict_chunk(const model_pass *ps, model_scratch *s,
                               size_t begin, size_t end, double *acc,
                               model_failure *f) {
  (void)f;
  const size_t stride = ps->d->max_alts;
  const double *restrict ea = ps->proj;
  double *restrict pd = s->pr;
  for (size_t i = begin; i < end; i++) {
    const float *restrict kp = ps->keep_pr + i * stride;
    const uint16_t *restrict alt = ps->keep_alt + i * stride;
    size_t m = ps->keep_m[i];
    double sum = 0;
    for (size_t j = 0; j < m; j++) {
      pd[j] = (double)kp[j] * ea[alt[j]];
      sum += pd[j];
    }
    if (!(sum > 0)) continue; /* every alternative left out */
    const double w = weight(ps, i) / sum;
    for (size_t j = 0; j < m; j++)
      acc[alt[j]] += w * pd[j];
  }
}

const model_kernel SW_MODEL_KERNEL = {
    .name = SW_KERNEL_NAME,
    .fit = fit_chunk,
    .predict = predict_chunk,
    .laplacian = laplacian_chunk,
    .kept_laplacian = kept_laplacian_chunk,
    .kept_predict = kept_predict_chunk,
};
