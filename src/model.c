/*
 * model.c — the choice model: McFadden's conditional logit, fitted by
 * Newton-Raphson, with model-based and cluster-robust standard errors, the
 * likelihood-ratio test and the fitted probabilities behind the expected
 * share. The audit calls it after the readers and the point index have
 * turned records into a design (model_design.c for geography).
 *
 * Memory is linear in records: the design is regenerated record by record
 * on every pass by the provider's fill callback, never stored. A pass splits
 * the records into fixed chunks of SW_MODEL_CHUNK records; each chunk's
 * sums are formed sequentially (model_kernel.h) and added to the total in
 * chunk order, so that the results are bitwise the same with any number
 * of threads. The algorithm and its choices: docs/design/choice-model.md.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "dense.h"
#include "err.h"
#include "model_fit.h"
#include "model_pass.h"
#include "stats.h"
#include "steerwatch.h"

/* Newton's step is capped so that no coefficient moves the utilities by
 * more than this many within-set standard deviations at once: a full
 * step from zero can otherwise overshoot into a region where the
 * probabilities saturate and the Hessian is nearly singular. */
#define MAX_STEP_SD 5.0
/* Converged when, besides the gradient test, the next Newton step would
 * move utilities by less than this (in within-set SDs). Near an optimum
 * that holds one step after the gradient test; under separation it never
 * does, because the step stays of order one while the gradient vanishes. */
#define STEP_TOL_SD 1e-6
/* A coefficient this many SDs large means odds of e^40 across one SD of
 * its feature: only a diverging (separated) coefficient gets there. */
#define DIVERGED_SD 40.0
/* Pivots of the unit-diagonal Hessian below this mean collinear features. */
#define PIVOT_TOL 1e-11
/* Large fits first iterate on every WARM_STEP-th chunk (to a loose
 * tolerance) and start the full iterations from there: the early, global
 * Newton steps then cost an eighth of a pass each (measured on 3,000
 * records: 6 full passes become 3 or 4 plus half a pass; every 4th or
 * 16th chunk did no better). A caller's start is taken to be better. */
#define WARM_STEP 8
#define WARM_MIN_CHUNKS 32
#define WARM_TOL 1e-3

const model_kernel *sw__model_kernel(void) {
#ifdef SW_HAVE_AVX2_KERNEL
  const char *want = getenv("STEERWATCH_KERNEL");
  if (!(want && strcmp(want, "baseline") == 0) &&
      __builtin_cpu_supports("avx2"))
    return &sw__model_kernel_avx2;
#endif
  return &sw__model_kernel_base;
}

const char *sw_model_kernel_name(void) { return sw__model_kernel()->name; }

/* ---- linear algebra on the free coefficients --------------------------- */

/* Information matrix of the free coefficients, scaled to unit diagonal,
 * into f->a (lower triangle), plus ridge*I. False when a diagonal entry
 * is not positive. */
static bool scaled_info(fit *f, const double *sums, double ridge, size_t *bad) {
  const size_t p = f->p, q = f->q;
  const double *h = sums + 1 + p;
  for (size_t a = 0; a < q; a++) {
    double hd = h[f->free_k[a] * p + f->free_k[a]];
    if (!(hd > 0)) {
      *bad = a;
      return false;
    }
    f->dscale[a] = 1.0 / sqrt(hd);
  }
  for (size_t a = 0; a < q; a++)
    for (size_t b = 0; b <= a; b++) {
      size_t k = f->free_k[b], l = f->free_k[a]; /* k <= l */
      f->a[a * q + b] = h[k * p + l] * f->dscale[a] * f->dscale[b];
    }
  for (size_t a = 0; a < q; a++)
    f->a[a * q + a] += ridge;
  return true;
}

/* Newton (Levenberg-Marquardt when the information is nearly singular)
 * step for the free coefficients into f->step. False when no ridge helps,
 * with *bad the offending coefficient. */
static bool newton_step(fit *f, const double *sums, size_t *bad) {
  const size_t q = f->q;
  const double *g = sums + 1;
  for (double ridge = 0; ridge <= 1e4; ridge = ridge ? ridge * 100 : 1e-10) {
    if (!scaled_info(f, sums, ridge, bad)) return false;
    size_t piv = sw__cholesky(f->a, q, PIVOT_TOL);
    if (piv < q) {
      *bad = piv;
      continue;
    }
    for (size_t a = 0; a < q; a++)
      f->step[a] = g[f->free_k[a]] * f->dscale[a];
    sw__chol_solve(f->a, q, q, f->step);
    for (size_t a = 0; a < q; a++)
      f->step[a] *= f->dscale[a];
    return true;
  }
  return false;
}

static double grad_norm(const fit *f, const double *sums) {
  double s = 0;
  for (size_t a = 0; a < f->q; a++) {
    double g = sums[1 + f->free_k[a]];
    s += g * g;
  }
  return sqrt(s) / f->n_people;
}

static sw_status eval(fit *f, workers *ws, const double *beta, double *sums,
                      bool check_variation, sw_error *err) {
  if (f->fe) return sw__fe_eval(f, ws, beta, sums, check_variation, err);
  model_pass ps = sw__fit_pass(f, beta, sums, f->scores, check_variation);
  return sw__model_run_pass(&ps, ws, err);
}

static const char *coef_name(const sw_design *d, size_t k) {
  return d->names && d->names[k] ? d->names[k] : "?";
}

static sw_status check_design(const sw_design *d, sw_error *err) {
  if (!d || !d->fill || d->n_features == 0 || d->max_alts == 0)
    return sw__err(err, SW_E_USAGE, "choice model: incomplete design");
  if (d->n_records == 0)
    return sw__err(err, SW_E_MODEL, "choice model: no records to fit");
  if (d->max_alts > UINT32_MAX)
    return sw__err(err, SW_E_RANGE, "choice model: too many alternatives");
  if (d->cluster)
    for (size_t i = 0; i < d->n_records; i++)
      if (d->cluster[i] >= d->n_clusters)
        return sw__err(err, SW_E_USAGE,
                       "choice model: record %zu has cluster id %u >= %zu", i,
                       (unsigned)d->cluster[i], d->n_clusters);
  if (d->weight)
    for (size_t i = 0; i < d->n_records; i++)
      if (!(d->weight[i] > 0 && isfinite(d->weight[i])))
        return sw__err(err, SW_E_USAGE,
                       "choice model: record %zu has weight %g, not a "
                       "positive number",
                       i, d->weight[i]);
  return SW_OK;
}

/* ---- results ------------------------------------------------------------ */

void sw_model_result_free(sw_model_result *r) {
  if (!r) return;
  if (r->names)
    for (size_t k = 0; k < r->n_coef; k++)
      sw__free((char *)r->names[k]);
  sw__free((void *)r->names);
  sw__free(r->mass);
  sw__free(r->omitted);
  sw__free(r->estimate);
  sw__free(r->se);
  sw__free(r->se_cluster);
  sw__free(r->ci_low);
  sw__free(r->ci_high);
  sw__free(r->cov);
  sw__free(r->constants);
  sw__free(r);
}

static sw_model_result *result_new(const sw_design *d) {
  size_t p = d->n_features, pp;
  if (!sw__mul_size(p, p, &pp)) return NULL;
  sw_model_result *r = sw__calloc(1, sizeof *r);
  if (!r) return NULL;
  r->n_coef = p;
  char **names = sw__calloc(p, sizeof *names);
  r->names = (const char *const *)names;
  r->omitted = sw__calloc(p, sizeof *r->omitted);
  r->estimate = sw__calloc(p, sizeof(double));
  r->se = sw__calloc(p, sizeof(double));
  r->se_cluster = sw__calloc(p, sizeof(double));
  r->ci_low = sw__calloc(p, sizeof(double));
  r->ci_high = sw__calloc(p, sizeof(double));
  r->cov = sw__calloc(pp, sizeof(double));
  if (!r->names || !r->omitted || !r->estimate || !r->se || !r->se_cluster ||
      !r->ci_low || !r->ci_high || !r->cov)
    goto fail;
  for (size_t k = 0; k < p; k++)
    if (!(names[k] = sw__strdup(coef_name(d, k)))) goto fail;
  return r;
fail:
  sw_model_result_free(r);
  return NULL;
}

/* Covariances, standard errors and intervals at the converged estimates.
 * f->a holds the Cholesky factor of the scaled information. */
static sw_status finish(fit *f, sw_model_result *r, sw_error *err) {
  const size_t p = f->p, q = f->q, n = f->n;
  const sw_design *d = f->d;
  /* Inverse of the information, column by column, unscaled. */
  double *col = f->step;
  for (size_t b = 0; b < q; b++) {
    for (size_t a = 0; a < q; a++)
      col[a] = a == b;
    sw__chol_solve(f->a, q, q, col);
    for (size_t a = 0; a < q; a++)
      r->cov[f->free_k[a] * p + f->free_k[b]] =
          col[a] * f->dscale[a] * f->dscale[b];
  }
  double z = sw__normal_quantile(0.975);
  for (size_t k = 0; k < p; k++) {
    r->estimate[k] = f->beta[k];
    r->se[k] = r->se_cluster[k] = r->ci_low[k] = r->ci_high[k] = NAN;
  }
  for (size_t a = 0; a < q; a++) {
    size_t k = f->free_k[a];
    r->se[k] = sqrt(r->cov[k * p + k]);
  }
  if (f->scores) {
    /* Sandwich V B V with B = sum over clusters of the outer product of the
     * cluster's score sum, scaled by G/(G-1). Cluster sums are formed in
     * record order: deterministic, and linear in records. */
    size_t G = d->n_clusters, gq;
    double *cs = NULL, *bmat = NULL, *vb = NULL;
    unsigned char *seen = NULL;
    if (!sw__mul_size(G, q, &gq) ||
        !(cs = sw__calloc(gq ? gq : 1, sizeof *cs)) ||
        !(seen = sw__calloc(G ? G : 1, 1)) ||
        !(bmat = sw__calloc(q * q, sizeof *bmat)) ||
        !(vb = sw__calloc(q * q, sizeof *vb))) {
      sw__free(cs);
      sw__free(seen);
      sw__free(bmat);
      return sw__err(err, SW_E_NOMEM, "out of memory for clustered SEs");
    }
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
      double *c = cs + (size_t)d->cluster[i] * q;
      for (size_t a = 0; a < q; a++)
        c[a] += f->scores[i * p + f->free_k[a]];
      used += !seen[d->cluster[i]];
      seen[d->cluster[i]] = 1;
    }
    for (size_t g = 0; g < G; g++) {
      const double *c = cs + g * q;
      for (size_t a = 0; a < q; a++)
        for (size_t b = 0; b < q; b++)
          bmat[a * q + b] += c[a] * c[b];
    }
    sw__free(seen);
    r->n_clusters = used;
    if (used >= 2) {
      double adj = (double)used / (double)(used - 1);
      /* vb = V B, then V B V; V is r->cov restricted to the free set. */
      for (size_t a = 0; a < q; a++)
        for (size_t b = 0; b < q; b++) {
          double t = 0;
          for (size_t c = 0; c < q; c++)
            t += r->cov[f->free_k[a] * p + f->free_k[c]] * bmat[c * q + b];
          vb[a * q + b] = t;
        }
      for (size_t a = 0; a < q; a++) {
        double t = 0;
        for (size_t c = 0; c < q; c++)
          t += vb[a * q + c] * r->cov[f->free_k[c] * p + f->free_k[a]];
        r->se_cluster[f->free_k[a]] = sqrt(adj * t);
      }
    }
    sw__free(cs);
    sw__free(bmat);
    sw__free(vb);
  }
  for (size_t a = 0; a < q; a++) {
    size_t k = f->free_k[a];
    double s = isnan(r->se_cluster[k]) ? r->se[k] : r->se_cluster[k];
    r->ci_low[k] = r->estimate[k] - z * s;
    r->ci_high[k] = r->estimate[k] + z * s;
  }
  r->n_records = n;
  r->n_people = f->n_people;
  r->n_free = q;
  return SW_OK;
}

/* ---- estimation --------------------------------------------------------- */

/* The people records [begin, end) stand for: the per-record scale of the
 * convergence test and the starting SDs, so that a weighted record and its
 * copies converge alike. */
static double people(const sw_design *d, size_t begin, size_t end) {
  if (!d->weight) return (double)(end - begin);
  double s = 0;
  for (size_t i = begin; i < end; i++)
    s += d->weight[i];
  return s;
}

static void fit_free(fit *f) {
  sw__free(f->free_k);
  sw__free(f->sums);
  sw__free(f->beta);
  sw__free(f->trial);
  sw__free(f->a);
  sw__free(f->dscale);
  sw__free(f->step);
  sw__free(f->sd);
  sw__free(f->scores);
}

static sw_status iterate(fit *f, workers *ws, unsigned max_iter, double tol,
                         double step_tol, sw_model_result *r, sw_error *err) {
  const size_t p = f->p, q = f->q;
  const sw_design *d = f->d;
  double *cur = f->sums, *next = f->sums + f->width;
  f->line_t = 0;
  sw_status st = eval(f, ws, f->beta, cur, true, err);
  if (st != SW_OK) return st;
  if (f->fe) sw__fe_accept(f);

  /* A NaN or infinite feature value (or starting value) poisons its
   * gradient and information entries; name the first such feature rather
   * than let the line search fail mysteriously. */
  for (size_t a = 0; a < q; a++) {
    size_t k = f->free_k[a];
    if (!isfinite(cur[1 + k]) || !isfinite(cur[1 + p + k * p + k]))
      return sw__err(err, SW_E_MODEL,
                     "choice model: feature \"%s\" has a non-finite value "
                     "(NaN or infinity) in some choice set",
                     coef_name(d, k));
  }
  if (!isfinite(cur[0]))
    return sw__err(err, SW_E_MODEL,
                   "choice model: non-finite log-likelihood at the start "
                   "(a feature or starting value is not finite)");

  /* A feature constant within every choice set cancels out of every
   * probability: its coefficient is not identified. */
  for (size_t a = 0; a < q; a++) {
    size_t k = f->free_k[a];
    if (cur[1 + p + p * p + k] == 0)
      return sw__err(err, SW_E_MODEL,
                     "choice model: feature \"%s\" has no variation within "
                     "any record's choice set",
                     coef_name(d, k));
  }
  size_t bad = 0;
  if (!scaled_info(f, cur, 0, &bad) ||
      (bad = sw__cholesky(f->a, q, PIVOT_TOL)) < q) {
    return sw__err(err, SW_E_MODEL,
                   "choice model: singular Hessian: feature \"%s\" is "
                   "collinear with the features before it",
                   coef_name(d, f->free_k[bad]));
  }
  for (size_t a = 0; a < q; a++) {
    size_t k = f->free_k[a];
    f->sd[a] = sqrt(cur[1 + p + k * p + k] / f->n_people);
  }

  unsigned it = 0;
  for (;;) {
    double gn = grad_norm(f, cur);
    if (!newton_step(f, cur, &bad))
      return sw__err(err, SW_E_MODEL,
                     "choice model: perfect separation: the information on "
                     "\"%s\" vanished at estimate %g (coefficient diverging)",
                     coef_name(d, f->free_k[bad]), f->beta[f->free_k[bad]]);
    double big = 0;
    size_t arg = 0;
    for (size_t a = 0; a < q; a++) {
      double u = fabs(f->step[a]) * f->sd[a];
      if (u > big) big = u, arg = a;
    }
    if (gn < tol && big <= step_tol && (!f->fe || sw__fe_settled(f))) break;
    for (size_t a = 0; a < q; a++)
      if (fabs(f->beta[f->free_k[a]]) * f->sd[a] > DIVERGED_SD)
        return sw__err(err, SW_E_MODEL,
                       "choice model: perfect separation: the coefficient "
                       "of \"%s\" diverges (%g after %u iterations)",
                       coef_name(d, f->free_k[a]), f->beta[f->free_k[a]], it);
    if (it >= max_iter) {
      if (gn < tol)
        return sw__err(err, SW_E_MODEL,
                       "choice model: perfect separation: the coefficient "
                       "of \"%s\" keeps growing (%g after %u iterations)",
                       coef_name(d, f->free_k[arg]), f->beta[f->free_k[arg]],
                       it);
      return sw__err(err, SW_E_MODEL,
                     "choice model: no convergence in %u iterations "
                     "(gradient norm %g)",
                     it, gn);
    }
    if (big > MAX_STEP_SD)
      for (size_t a = 0; a < q; a++)
        f->step[a] *= MAX_STEP_SD / big;
    double dec = 0; /* directional derivative of the log-likelihood */
    for (size_t a = 0; a < q; a++)
      dec += cur[1 + f->free_k[a]] * f->step[a];
    /* Backtracking (Armijo) line search on the log-likelihood. Each trial
     * is a full pass that also yields the gradient and Hessian there, so
     * an accepted trial costs nothing more. When the predicted gain is
     * below the rounding noise of the log-likelihood sum, Armijo's test is
     * a coin toss; the iterate is then deep in Newton's quadratic region,
     * and the full step is taken unless it visibly lowers the value. */
    double noise = 1e-11 * (1 + fabs(cur[0]));
    bool tiny = dec <= 0.1 * noise, accepted = false;
    double t = 1;
    for (int h = 0; h < 40 && !accepted; h++, t *= 0.5) {
      memcpy(f->trial, f->beta, p * sizeof *f->trial);
      for (size_t a = 0; a < q; a++)
        f->trial[f->free_k[a]] += t * f->step[a];
      f->line_t = t;
      st = eval(f, ws, f->trial, next, false, err);
      if (st != SW_OK) return st;
      accepted = next[0] >= cur[0] + 1e-4 * t * dec ||
                 (tiny && next[0] >= cur[0] - noise);
    }
    if (!accepted) {
      /* No increase is representable along the Newton direction: the
       * log-likelihood is flat to machine precision here. Accept the point
       * if the gradient test holds, else report the stall. */
      if (gn < tol) {
        f->line_t = 0;
        st = eval(f, ws, f->beta, cur, false, err);
        if (st != SW_OK) return st;
        if (f->fe) sw__fe_accept(f);
        if (!scaled_info(f, cur, 0, &bad) ||
            sw__cholesky(f->a, q, PIVOT_TOL) < q)
          return sw__err(err, SW_E_MODEL,
                         "choice model: singular Hessian at the estimates");
        break;
      }
      return sw__err(err, SW_E_MODEL,
                     "choice model: line search failed at iteration %u "
                     "(gradient norm %g)",
                     it, gn);
    }
    memcpy(f->beta, f->trial, p * sizeof *f->beta);
    if (f->fe) sw__fe_accept(f);
    double *tmp = cur;
    cur = next;
    next = tmp;
    it++;
  }
  /* The covariance needs the factor of the information itself, without
   * the ridge newton_step may have added. */
  if (!scaled_info(f, cur, 0, &bad) || sw__cholesky(f->a, q, PIVOT_TOL) < q)
    return sw__err(err, SW_E_MODEL,
                   "choice model: singular Hessian at the estimates: \"%s\" "
                   "is not identified",
                   coef_name(d, f->free_k[bad < q ? bad : 0]));
  r->log_likelihood = cur[0];
  r->gradient_norm = grad_norm(f, cur);
  r->iterations = it;
  return SW_OK;
}

sw_status sw_model_fit(const sw_design *d, const sw_model_opts *opts,
                       sw_model_result **out, sw_error *err) {
  *out = NULL;
  sw_status st = check_design(d, err);
  if (st != SW_OK) return st;
  sw_model_opts o = opts ? *opts : (sw_model_opts){0};
  if (!o.max_iter) o.max_iter = 100;
  if (!(o.tol > 0)) o.tol = 1e-8;
  const size_t p = d->n_features;
  fit f = {.d = d,
           .p = p,
           .n = d->n_records,
           .n_people = people(d, 0, d->n_records),
           .kernel = sw__model_kernel()};
  size_t pp, np;
  if (!sw__mul_size(p, p, &pp) || pp > SIZE_MAX / 4 ||
      !sw__mul_size(d->n_records, p, &np))
    return sw__err(err, SW_E_RANGE, "choice model too large for memory");
  f.width = 1 + 2 * p + pp;
  size_t J = o.n_constants, work = f.width;
  if (J) {
    size_t jp;
    if (!sw__mul_size(J, p, &jp) || jp > SIZE_MAX / 4)
      return sw__err(err, SW_E_RANGE, "choice model too large for memory");
    f.width += sw__fe_width(p, J);
    work = f.width;
  }
  f.free_k = sw__calloc(p, sizeof *f.free_k);
  f.sums = sw__calloc(2 * f.width, sizeof *f.sums);
  f.beta = sw__calloc(p, sizeof *f.beta);
  f.trial = sw__calloc(p, sizeof *f.trial);
  f.a = sw__calloc(pp, sizeof *f.a);
  f.dscale = sw__calloc(p, sizeof *f.dscale);
  f.step = sw__calloc(p, sizeof *f.step);
  f.sd = sw__calloc(p, sizeof *f.sd);
  if (d->cluster) f.scores = sw__calloc(np, sizeof *f.scores);
  sw_model_result *r = result_new(d);
  workers ws = {0};
  if (!f.free_k || !f.sums || !f.beta || !f.trial || !f.a || !f.dscale ||
      !f.step || !f.sd || (d->cluster && !f.scores) || !r) {
    st = sw__err(err, SW_E_NOMEM, "out of memory for the choice model");
    goto done;
  }
  for (size_t k = 0; k < p; k++) {
    bool om = o.omit && o.omit[k];
    r->omitted[k] = om;
    if (!om) f.free_k[f.q++] = k;
    f.beta[k] = om || !o.start ? 0 : o.start[k];
  }
  if (f.q == 0) {
    st = sw__err(err, SW_E_USAGE, "choice model: every coefficient omitted");
    goto done;
  }
  if (o.want_mass && o.mass_feature >= p) {
    st = sw__err(err, SW_E_USAGE, "choice model: mass_feature out of range");
    goto done;
  }
  if (o.want_mass && !(r->mass = sw__malloc(f.n * sizeof *r->mass))) {
    st = sw__err(err, SW_E_NOMEM, "out of memory for the choice model");
    goto done;
  }
  f.mass = r->mass;
  f.mass_feature = o.mass_feature;
  st = sw__model_workers_init(&ws, d, o.threads, work, err);
  if (st == SW_OK && J) st = sw__fe_new(&f, J, o.start_constants, err);
  if (st != SW_OK) goto done;
  size_t chunk = sw__model_chunk(f.width);
  size_t n_chunks = (f.n + chunk - 1) / chunk;
  /* With constants, the warm start fits the subsample's constants too,
   * and the full fit starts from them (model_fe.c): on 200,000 records x
   * 101 alternatives over 3,231 regions (`model_peer DIR 200000 3231 1 1
   * 2 100 fe`) its Newton iterations from beta = 0 fell from 7 to 3. Starting
   * constants from the caller (a related fit's) are taken to be better. */
  if (n_chunks >= WARM_MIN_CHUNKS && (J ? !o.start_constants : !o.start)) {
    /* Any failure here (a subsample without variation, say) only costs
     * the head start: the full fit begins from the caller's start. */
    f.chunk_step = WARM_STEP;
    f.n = 0;
    f.n_people = 0;
    for (size_t c = 0; c < n_chunks; c += WARM_STEP) {
      size_t len = c + 1 < n_chunks ? chunk : d->n_records - c * chunk;
      f.n += len;
      f.n_people += people(d, c * chunk, c * chunk + len);
    }
    bool warmed = iterate(&f, &ws, 20, WARM_TOL, INFINITY, r, NULL) == SW_OK;
    if (!warmed)
      for (size_t k = 0; k < p; k++)
        f.beta[k] = r->omitted[k] || !o.start ? 0 : o.start[k];
    if (J) sw__fe_restart(&f, warmed);
    f.chunk_step = 1;
    f.n = d->n_records;
    f.n_people = people(d, 0, d->n_records);
  }
  st = iterate(&f, &ws, o.max_iter, o.tol, STEP_TOL_SD, r, err);
  if (st == SW_OK && J && f.scores) st = sw__fe_scores(&f, &ws, err);
  if (st == SW_OK) st = finish(&f, r, err);
  if (st == SW_OK && J) {
    if (!(r->constants = sw__malloc(J * sizeof *r->constants)))
      st = sw__err(err, SW_E_NOMEM, "out of memory for the choice model");
    else {
      const double *al = sw__fe_constants(&f);
      for (size_t j = 0; j < J; j++)
        r->constants[j] = al[j] <= -1e3 ? -INFINITY : al[j];
      r->n_constants = J;
    }
  }
done:
  sw__model_workers_free(&ws);
  sw__fe_free(&f);
  fit_free(&f);
  if (st != SW_OK) {
    sw_model_result_free(r);
    return st;
  }
  *out = r;
  return SW_OK;
}

sw_status sw_model_lr_test(const sw_model_result *full,
                           const sw_model_result *restricted, double *statistic,
                           double *p_value, sw_error *err) {
  if (!full || !restricted || full->n_free <= restricted->n_free)
    return sw__err(err, SW_E_USAGE,
                   "likelihood-ratio test needs a restricted model with "
                   "fewer free coefficients than the full one");
  double lr = 2 * (full->log_likelihood - restricted->log_likelihood);
  if (lr < 0) lr = 0; /* rounding, when the restriction is not binding */
  *statistic = lr;
  *p_value = sw__chisq_sf(lr, (unsigned)(full->n_free - restricted->n_free));
  return SW_OK;
}

sw_status sw_model_predict(const sw_design *d, const double *beta,
                           size_t feature, unsigned threads, double *mass,
                           double *expected, size_t n_ids, sw_error *err) {
  sw_status st = check_design(d, err);
  if (st != SW_OK) return st;
  if (!beta || feature >= d->n_features)
    return sw__err(err, SW_E_USAGE,
                   "model predict: bad coefficients or "
                   "feature index");
  size_t p = d->n_features;
  size_t *all = sw__calloc(p, sizeof *all);
  size_t width = expected ? n_ids : 0;
  double *total = sw__calloc(width ? width : 1, sizeof *total);
  if (!all || !total) {
    sw__free(all);
    sw__free(total);
    return sw__err(err, SW_E_NOMEM, "out of memory for predictions");
  }
  for (size_t k = 0; k < p; k++)
    all[k] = k;
  workers ws;
  st = sw__model_workers_init(&ws, d, threads, width, err);
  if (st == SW_OK) {
    model_pass ps = {.d = d,
                     .beta = beta,
                     .free_k = all,
                     .n_free = p,
                     .fn = sw__model_kernel()->predict,
                     .width = width,
                     .feature = feature,
                     .mass = mass,
                     .n_ids = width,
                     .total = total};
    st = sw__model_run_pass(&ps, &ws, err);
    if (st == SW_OK && expected) memcpy(expected, total, n_ids * sizeof *total);
  }
  sw__model_workers_free(&ws);
  sw__free(all);
  sw__free(total);
  return st;
}
