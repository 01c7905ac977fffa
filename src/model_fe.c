/*
 * model_fe.c — the conditional logit with a constant per alternative id
 * (region fixed effects): V_ij = alpha_{id(j)} + x_ij' beta. The constants
 * absorb each region's own time-invariant pull (size, shelters, bus
 * depots: anything no column records), which is what makes the audit's
 * within-region design robust (docs/design/within-region.md).
 *
 * A national audit has 3,000+ constants and a handful of features, so the
 * constants are never in a dense solve. They are profiled out:
 * - for given beta they solve sum_i P_ij = n_j (each id's expected count
 *   equals its observed count) by the contraction alpha_j += ln n_j -
 *   ln sum_i P_ij (Berry 1994's, for logit shares), accelerated by
 *   SQUAREM (Varadhan & Roland 2008), one prediction pass per step;
 * - Newton's iterations on beta use the profile information, the Schur
 *   complement I_bb - I_ba L^-1 I_ab, where L, the constants' information,
 *   is a weighted graph Laplacian over the ids; L^-1 I_ab is solved by
 *   conjugate gradients with Jacobi preconditioning, one pass per
 *   iteration for all columns at once, warm-started from the previous
 *   Newton iterate's solution, so that later iterations take a few passes.
 * The profile gradient is the gradient in beta at the solved constants, so
 * the fixed point is the joint maximum likelihood: R's
 * clogit(chosen ~ x + factor(region) + strata(record)) to rounding.
 *
 * An id never chosen has constant -inf (its MLE): it is kept at a utility
 * so low that its probability is zero to double precision, and left out
 * of the linear algebra. One chosen id is the reference, pinned at 0.
 */
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "err.h"
#include "model_fit.h"

/* The utility offset of an id never chosen: below any utility difference a
 * fit meets, and finite so that no NaN arises (expneg floors at -708). */
#define NEVER_CHOSEN (-1e4)
/* The contraction stops when no id's log expected count is this far from
 * its log observed count. */
#define CONTRACTION_TOL 1e-11
#define MAX_CONTRACTION 5000
/* Conjugate gradients stop when each column's residual is this small
 * relative to its right-hand side. */
#define CG_TOL 1e-11
#define MAX_CG 2000

struct fe_state {
  size_t J, ref;
  bool counted;
  double *alpha;      /* J */
  double *count;      /* J: times chosen */
  double *diag;       /* J: diagonal of L */
  double *pred;       /* J: a prediction pass's expected counts */
  double *a0, *a1;    /* J: SQUAREM's iterates */
  double *beta_last;  /* p: beta of the last solve */
  double *X;          /* J x p: L^-1 I_ab, kept as the next warm start */
  double *B, *R, *Z, *P, *AP; /* J x p: conjugate gradients */
  double *rz, *bn;            /* p */
  bool *done;                 /* p */
  double *scratch;            /* width: sums of the scores pass */
};

size_t sw__fe_width(size_t p, size_t J) { return 2 * J + J * p; }

void sw__fe_free(fit *f) {
  fe_state *e = f->fe;
  if (!e) return;
  sw__free(e->alpha);
  sw__free(e->count);
  sw__free(e->diag);
  sw__free(e->pred);
  sw__free(e->a0);
  sw__free(e->a1);
  sw__free(e->beta_last);
  sw__free(e->X);
  sw__free(e->B);
  sw__free(e->R);
  sw__free(e->Z);
  sw__free(e->P);
  sw__free(e->AP);
  sw__free(e->rz);
  sw__free(e->bn);
  sw__free(e->done);
  sw__free(e->scratch);
  sw__free(e);
  f->fe = NULL;
}

sw_status sw__fe_new(fit *f, size_t J, sw_error *err) {
  size_t jp;
  if (!sw__mul_size(J, f->p, &jp))
    return sw__err(err, SW_E_RANGE, "choice model too large for memory");
  fe_state *e = f->fe = sw__calloc(1, sizeof *e);
  if (!e) return sw__err(err, SW_E_NOMEM, "out of memory for the constants");
  e->J = J;
  double **vj[] = {&e->alpha, &e->count, &e->diag, &e->pred, &e->a0, &e->a1};
  for (size_t k = 0; k < sizeof vj / sizeof *vj; k++)
    if (!(*vj[k] = sw__calloc(J, sizeof(double)))) goto nomem;
  double **vjp[] = {&e->X, &e->B, &e->R, &e->Z, &e->P, &e->AP};
  for (size_t k = 0; k < sizeof vjp / sizeof *vjp; k++)
    if (!(*vjp[k] = sw__calloc(jp ? jp : 1, sizeof(double)))) goto nomem;
  if (!(e->beta_last = sw__calloc(f->p, sizeof(double))) ||
      !(e->rz = sw__calloc(f->p, sizeof(double))) ||
      !(e->bn = sw__calloc(f->p, sizeof(double))) ||
      !(e->done = sw__calloc(f->p, sizeof(bool))) ||
      !(e->scratch = sw__calloc(f->width, sizeof(double))))
    goto nomem;
  return SW_OK;
nomem:
  sw__fe_free(f);
  return sw__err(err, SW_E_NOMEM, "out of memory for the constants");
}

const double *sw__fe_constants(const fit *f) { return f->fe->alpha; }

static bool active(const fe_state *e, size_t j) {
  return e->count[j] > 0 && j != e->ref;
}

static sw_status fit_pass(fit *f, workers *ws, const double *beta,
                          double *sums, const double *proj, double *scores,
                          bool check_variation, sw_error *err) {
  model_pass ps = {.d = f->d,
                   .beta = beta,
                   .free_k = f->free_k,
                   .n_free = f->q,
                   .fn = f->kernel->fit,
                   .width = f->width,
                   .scores = scores,
                   .check_variation = check_variation,
                   .chunk_step = 1,
                   .mass = f->mass,
                   .feature = f->mass_feature,
                   .n_ids = f->fe->J,
                   .offset = f->fe->alpha,
                   .proj = proj,
                   .total = sums};
  return sw__model_run_pass(&ps, ws, err);
}

/* One contraction step from alpha = in into out; *gap the largest
 * |ln n_j - ln E_j| before the step. */
static sw_status contract(fit *f, workers *ws, const double *beta,
                          const double *in, double *out, double *gap,
                          sw_error *err) {
  fe_state *e = f->fe;
  model_pass ps = {.d = f->d,
                   .beta = beta,
                   .free_k = f->free_k,
                   .n_free = f->q,
                   .fn = f->kernel->predict,
                   .width = e->J,
                   .n_ids = e->J,
                   .offset = in,
                   .chunk_step = 1,
                   .total = e->pred};
  sw_status st = sw__model_run_pass(&ps, ws, err);
  if (st) return st;
  double g = 0;
  for (size_t j = 0; j < e->J; j++) {
    if (!(e->count[j] > 0)) {
      out[j] = NEVER_CHOSEN;
      continue;
    }
    double r = log(e->count[j]) - log(e->pred[j]);
    if (fabs(r) > g || isnan(r)) g = isnan(r) ? INFINITY : fabs(r);
    out[j] = in[j] + r;
  }
  double shift = out[e->ref];
  for (size_t j = 0; j < e->J; j++)
    if (e->count[j] > 0) out[j] -= shift;
  *gap = g;
  return SW_OK;
}

/* The constants for beta, from e->alpha on: SQUAREM's squared extrapolation
 * (scheme S3) of the contraction, each cycle two contraction steps and one
 * to stabilise the extrapolated point; a cycle whose extrapolation fails
 * to bring the gap down falls back on the plain steps. */
static sw_status solve_constants(fit *f, workers *ws, const double *beta,
                                 sw_error *err) {
  fe_state *e = f->fe;
  const size_t J = e->J;
  double gap, gap1;
  for (unsigned it = 0; it < MAX_CONTRACTION; it += 3) {
    sw_status st = contract(f, ws, beta, e->alpha, e->a0, &gap, err);
    if (st) return st;
    if (gap < CONTRACTION_TOL) return SW_OK;
    if ((st = contract(f, ws, beta, e->a0, e->a1, &gap1, err))) return st;
    double rr = 0, vv = 0;
    for (size_t j = 0; j < J; j++) {
      if (!(e->count[j] > 0)) continue;
      double r = e->a0[j] - e->alpha[j];
      double v = e->a1[j] - 2 * e->a0[j] + e->alpha[j];
      rr += r * r;
      vv += v * v;
    }
    double s = vv > 0 ? -sqrt(rr / vv) : -1;
    if (s > -1) s = -1;
    for (size_t j = 0; j < J; j++) {
      if (!(e->count[j] > 0)) continue;
      double r = e->a0[j] - e->alpha[j];
      double v = e->a1[j] - 2 * e->a0[j] + e->alpha[j];
      e->a0[j] = e->alpha[j] - 2 * s * r + s * s * v;
    }
    double gap2;
    if ((st = contract(f, ws, beta, e->a0, e->alpha, &gap2, err))) return st;
    if (!(gap2 <= gap1)) memcpy(e->alpha, e->a1, J * sizeof *e->alpha);
  }
  return sw__err(err, SW_E_MODEL,
                 "choice model: the region constants did not converge in %d "
                 "steps (a region chosen by every record that can reach it?)",
                 MAX_CONTRACTION);
}

/* AP = L V over the active ids and free columns. */
static sw_status laplacian(fit *f, workers *ws, const double *beta,
                           const double *v, double *out, sw_error *err) {
  fe_state *e = f->fe;
  model_pass ps = {.d = f->d,
                   .beta = beta,
                   .free_k = f->free_k,
                   .n_free = f->q,
                   .fn = f->kernel->laplacian,
                   .width = e->J * f->p,
                   .n_ids = e->J,
                   .offset = e->alpha,
                   .proj = v,
                   .chunk_step = 1,
                   .total = out};
  return sw__model_run_pass(&ps, ws, err);
}

/* X = L^-1 B by preconditioned conjugate gradients, column by column in
 * shared passes, from the X of the previous call. */
static sw_status solve_cross(fit *f, workers *ws, const double *beta,
                             sw_error *err) {
  fe_state *e = f->fe;
  const size_t J = e->J, p = f->p;
  sw_status st = laplacian(f, ws, beta, e->X, e->AP, err);
  if (st) return st;
  size_t left = 0;
  for (size_t a = 0; a < f->q; a++) {
    size_t k = f->free_k[a];
    double rz = 0, bn = 0;
    for (size_t j = 0; j < J; j++) {
      size_t at = j * p + k;
      if (!active(e, j)) {
        e->R[at] = e->P[at] = e->X[at] = 0;
        continue;
      }
      e->R[at] = e->B[at] - e->AP[at];
      e->P[at] = e->R[at] / e->diag[j];
      rz += e->R[at] * e->P[at];
      bn += e->B[at] * e->B[at];
    }
    e->rz[k] = rz;
    e->bn[k] = sqrt(bn);
    e->done[k] = false;
    left++;
  }
  for (unsigned it = 0;; it++) {
    for (size_t a = 0; a < f->q; a++) {
      size_t k = f->free_k[a];
      if (e->done[k]) continue;
      double rn = 0;
      for (size_t j = 0; j < J; j++)
        rn += e->R[j * p + k] * e->R[j * p + k];
      if (sqrt(rn) <= CG_TOL * e->bn[k] || e->bn[k] == 0) {
        e->done[k] = true;
        left--;
      }
    }
    if (!left) return SW_OK;
    if (it >= MAX_CG)
      return sw__err(err, SW_E_MODEL,
                     "choice model: the region constants' information did "
                     "not resolve in %d iterations",
                     MAX_CG);
    if ((st = laplacian(f, ws, beta, e->P, e->AP, err))) return st;
    for (size_t a = 0; a < f->q; a++) {
      size_t k = f->free_k[a];
      if (e->done[k]) continue;
      double pap = 0;
      for (size_t j = 0; j < J; j++)
        if (active(e, j)) pap += e->P[j * p + k] * e->AP[j * p + k];
      if (!(pap > 0)) {
        e->done[k] = true; /* the direction is exhausted: converged */
        left--;
        continue;
      }
      double step = e->rz[k] / pap, rz = 0;
      for (size_t j = 0; j < J; j++) {
        if (!active(e, j)) continue;
        size_t at = j * p + k;
        e->X[at] += step * e->P[at];
        e->R[at] -= step * e->AP[at];
        e->Z[at] = e->R[at] / e->diag[j];
        rz += e->R[at] * e->Z[at];
      }
      double b = rz / e->rz[k];
      e->rz[k] = rz;
      for (size_t j = 0; j < J; j++)
        if (active(e, j)) {
          size_t at = j * p + k;
          e->P[at] = e->Z[at] + b * e->P[at];
        }
    }
  }
}

/* The first call: one pass counts how often each id was chosen, which
 * starts the constants at ln n_j and picks the reference. */
static sw_status start(fit *f, workers *ws, const double *beta, double *sums,
                       sw_error *err) {
  fe_state *e = f->fe;
  const size_t J = e->J, base = sw__fe_base(f->p);
  sw_status st = fit_pass(f, ws, beta, sums, NULL, NULL, false, err);
  if (st) return st;
  memcpy(e->count, sums + base + J, J * sizeof *e->count);
  e->ref = J;
  for (size_t j = 0; j < J; j++)
    if (e->count[j] > 0 && e->ref == J) e->ref = j;
  if (e->ref == J)
    return sw__err(err, SW_E_MODEL, "choice model: no alternative chosen");
  for (size_t j = 0; j < J; j++)
    e->alpha[j] = e->count[j] > 0 ? log(e->count[j] / e->count[e->ref])
                                  : NEVER_CHOSEN;
  e->counted = true;
  memcpy(e->beta_last, beta, f->p * sizeof *beta);
  return SW_OK;
}

sw_status sw__fe_eval(fit *f, workers *ws, const double *beta, double *sums,
                      bool check_variation, sw_error *err) {
  fe_state *e = f->fe;
  const size_t J = e->J, p = f->p, base = sw__fe_base(p);
  sw_status st;
  if (!e->counted) {
    if ((st = start(f, ws, beta, sums, err))) return st;
  } else {
    /* First-order prediction of the constants at the new beta: at the
     * solution the constants' gradient is 0, so d alpha = -X d beta. */
    for (size_t j = 0; j < J; j++) {
      if (!active(e, j)) continue;
      double t = 0;
      for (size_t a = 0; a < f->q; a++) {
        size_t k = f->free_k[a];
        t += e->X[j * p + k] * (beta[k] - e->beta_last[k]);
      }
      e->alpha[j] -= t;
    }
  }
  memcpy(e->beta_last, beta, p * sizeof *beta);
  if ((st = solve_constants(f, ws, beta, err))) return st;
  if ((st = fit_pass(f, ws, beta, sums, NULL, NULL, check_variation, err)))
    return st;
  memcpy(e->diag, sums + base, J * sizeof *e->diag);
  memcpy(e->B, sums + base + 2 * J, J * p * sizeof *e->B);
  if ((st = solve_cross(f, ws, beta, err))) return st;
  /* The profile information of beta replaces the plain one. */
  double *h = sums + 1 + p;
  for (size_t a = 0; a < f->q; a++)
    for (size_t b = a; b < f->q; b++) {
      size_t k = f->free_k[a], l = f->free_k[b];
      double t = 0;
      for (size_t j = 0; j < J; j++)
        if (active(e, j)) t += e->B[j * p + k] * e->X[j * p + l];
      h[k * p + l] -= t;
    }
  return SW_OK;
}

sw_status sw__fe_scores(fit *f, workers *ws, sw_error *err) {
  return fit_pass(f, ws, f->beta, f->fe->scratch, f->fe->X, f->scores, false,
                  err);
}
