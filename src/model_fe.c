/*
 * model_fe.c — the conditional logit with a constant per alternative id
 * (region fixed effects): V_ij = alpha_{id(j)} + x_ij' beta. The constants
 * absorb each region's own time-invariant pull (size, shelters, bus
 * depots: anything no column records), which is what makes the audit's
 * within-region design robust (docs/design/within-region.md).
 *
 * A national audit has 3,000+ constants and a handful of features, so the
 * constants never enter a dense solve. Newton's step for (beta, alpha)
 * solves [I_bb I_ba; I_ab L] [db; da] = [g_b; g_a], where L, the
 * constants' information, is a weighted graph Laplacian over the ids (sum
 * over records of diag(P) - P P'). Eliminating da leaves beta's step under
 * the Schur complement S = I_bb - I_ba L^-1 I_ab with gradient g_b -
 * I_ba L^-1 g_a; then da = L^-1 g_a - (L^-1 I_ab) db. So each iteration
 * needs L^-1 applied to q + 1 columns, which conjugate gradients with
 * Jacobi preconditioning give in shared passes over the records (one
 * pass an iteration, all columns at once), warm-started from the
 * previous iterate's solution. model.c's Newton driver then sees beta
 * alone, with S and the reduced gradient in place of the plain ones; the
 * constants follow each trial point along the same Newton line. At the
 * optimum S is the profile information of beta, so the standard errors
 * are those of the joint fit: R's clogit(chosen ~ x + factor(region) +
 * strata(record)) to rounding.
 *
 * Measured on the 3,000 x 60 peer design before settling on this: solving
 * the constants to convergence at every beta, by Berry (1994)'s
 * contraction alpha_j += ln n_j - ln E_j (with SQUAREM) or by Newton in
 * alpha alone, took 3 to 6 times more passes.
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
/* The constants have converged when no id's log expected count is this
 * far from its log observed count. */
#define CONSTANTS_TOL 1e-10
/* Conjugate gradients stop when each column's residual is this small
 * relative to its right-hand side: CG_TOL where the constants have
 * converged (the Schur complement there gives the standard errors), and
 * looser, in proportion to the constants' gap, on the way (an inexact
 * Newton step still converges; measured: a fifth fewer passes). */
#define CG_TOL 1e-11
#define CG_LOOSEST 1e-6
#define MAX_CG 2000
/* Contraction steps that start the constants when no start is given. */
#define START_CONTRACTIONS 3
/* Conjugate gradients make many passes at one point, so the fit pass
 * keeps each record's probabilities for them when records x alternatives
 * is at most SW_MODEL_KEPT_CELLS and the ids fit in 16 bits (6 bytes a
 * cell: 606 MB for 1,000,000 records with 100 sampled alternatives);
 * past it they are recomputed, which costs a design fill and the
 * exponentials per pass (measured: 73% of a 20,000-record audit's time
 * went to those recomputations). */
#define KEPT_MAX_IDS 65536u

/* Per id, the constants' point and its Newton direction: alpha at the
 * accepted iterate, and X = L^-1 [I_ab g_a] there (J x (p + 1), column p
 * the constants' own Newton step), then the same for the latest trial,
 * which becomes the iterate when model.c accepts it. */
typedef struct fe_point {
  double *alpha; /* J */
  double *beta;  /* p */
  double *X;     /* J x (p + 1) */
  double gap;    /* max |ln n_j - ln E_j| there */
} fe_point;

struct fe_state {
  size_t J, ref, ld; /* ld = p + 1 */
  bool counted;
  const double *start;        /* NULL, or the J starting constants */
  const double *caller_start; /* the caller's, NULL or J */
  double *warm;               /* J: the warm start's constants */
  double *count;              /* J: times chosen */
  double *diag;               /* J: diagonal of L */
  double *alpha;              /* J: where the latest pass ran */
  fe_point base, trial;       /* the iterate and the latest trial */
  double *B, *R, *Z, *P, *AP; /* J x ld: conjugate gradients */
  double *rz, *bn;            /* ld */
  bool *done;                 /* ld */
  size_t *cols;               /* the free columns and p */
  float *kept_pr;             /* n x max_alts, or NULL: not kept */
  uint16_t *kept_alt;
  uint32_t *kept_m;
  double *scratch; /* width: sums of the scores pass */
};

size_t sw__fe_width(size_t p, size_t J) { return 3 * J + J * p; }

static void point_free(fe_point *pt) {
  sw__free(pt->alpha);
  sw__free(pt->beta);
  sw__free(pt->X);
}

void sw__fe_free(fit *f) {
  fe_state *e = f->fe;
  if (!e) return;
  sw__free(e->count);
  sw__free(e->diag);
  sw__free(e->alpha);
  sw__free(e->warm);
  point_free(&e->base);
  point_free(&e->trial);
  sw__free(e->B);
  sw__free(e->R);
  sw__free(e->Z);
  sw__free(e->P);
  sw__free(e->AP);
  sw__free(e->rz);
  sw__free(e->bn);
  sw__free(e->done);
  sw__free(e->cols);
  sw__free(e->kept_pr);
  sw__free(e->kept_alt);
  sw__free(e->kept_m);
  sw__free(e->scratch);
  sw__free(e);
  f->fe = NULL;
}

sw_status sw__fe_new(fit *f, size_t J, const double *start, sw_error *err) {
  const size_t ld = f->p + 1;
  size_t jl;
  if (!sw__mul_size(J, ld, &jl))
    return sw__err(err, SW_E_RANGE, "choice model too large for memory");
  fe_state *e = f->fe = sw__calloc(1, sizeof *e);
  if (!e) return sw__err(err, SW_E_NOMEM, "out of memory for the constants");
  e->J = J;
  e->ld = ld;
  e->start = e->caller_start = start;
  double **vj[] = {&e->count, &e->diag,       &e->alpha,
                   &e->warm,  &e->base.alpha, &e->trial.alpha};
  for (size_t k = 0; k < sizeof vj / sizeof *vj; k++)
    if (!(*vj[k] = sw__calloc(J, sizeof(double)))) goto nomem;
  double **vjl[] = {&e->base.X, &e->trial.X, &e->B, &e->R,
                    &e->Z,      &e->P,       &e->AP};
  for (size_t k = 0; k < sizeof vjl / sizeof *vjl; k++)
    if (!(*vjl[k] = sw__calloc(jl, sizeof(double)))) goto nomem;
  if (!(e->base.beta = sw__calloc(f->p, sizeof(double))) ||
      !(e->trial.beta = sw__calloc(f->p, sizeof(double))) ||
      !(e->rz = sw__calloc(ld, sizeof(double))) ||
      !(e->bn = sw__calloc(ld, sizeof(double))) ||
      !(e->done = sw__calloc(ld, sizeof(bool))) ||
      !(e->cols = sw__calloc(ld, sizeof(size_t))) ||
      !(e->scratch = sw__calloc(f->width, sizeof(double))))
    goto nomem;
  size_t kept;
  /* The kernel's kept laplacian uses a record's p * max_alts scratch for
   * p + 1 sums, which needs two alternatives. */
  if (f->d->max_alts >= 2 && J <= KEPT_MAX_IDS &&
      sw__mul_size(f->n, f->d->max_alts, &kept) &&
      kept <= SW_MODEL_KEPT_CELLS) {
    /* Without the room, conjugate gradients recompute: slower, not wrong. */
    e->kept_pr = sw__malloc((kept ? kept : 1) * sizeof *e->kept_pr);
    e->kept_alt = sw__malloc((kept ? kept : 1) * sizeof *e->kept_alt);
    e->kept_m = sw__malloc((f->n ? f->n : 1) * sizeof *e->kept_m);
    if (!e->kept_pr || !e->kept_alt || !e->kept_m) {
      sw__free(e->kept_pr);
      sw__free(e->kept_alt);
      sw__free(e->kept_m);
      e->kept_pr = NULL;
      e->kept_alt = NULL;
      e->kept_m = NULL;
    }
  }
  return SW_OK;
nomem:
  sw__fe_free(f);
  return sw__err(err, SW_E_NOMEM, "out of memory for the constants");
}

const double *sw__fe_constants(const fit *f) { return f->fe->base.alpha; }

static bool active(const fe_state *e, size_t j) {
  return e->count[j] > 0 && j != e->ref;
}

static sw_status fit_pass(fit *f, workers *ws, const double *beta, double *sums,
                          const double *proj, double *scores,
                          bool check_variation, sw_error *err) {
  model_pass ps = sw__fit_pass(f, beta, sums, scores, check_variation);
  ps.n_ids = f->fe->J;
  ps.offset = f->fe->alpha;
  ps.proj = proj;
  ps.ld = f->fe->ld;
  ps.keep_pr = f->fe->kept_pr;
  ps.keep_alt = f->fe->kept_alt;
  ps.keep_m = f->fe->kept_m;
  return sw__model_run_pass(&ps, ws, err);
}

/* out = L v over the active ids, for columns e->cols of the J x ld v. */
static sw_status laplacian(fit *f, workers *ws, const double *beta,
                           const double *v, size_t n_cols, double *out,
                           sw_error *err) {
  fe_state *e = f->fe;
  model_pass ps = {.d = f->d,
                   .beta = beta,
                   .free_k = f->free_k,
                   .n_free = f->q,
                   .fn = e->kept_pr ? f->kernel->kept_laplacian
                                    : f->kernel->laplacian,
                   .width = e->J * e->ld,
                   .n_ids = e->J,
                   .offset = e->alpha,
                   .proj = v,
                   .ld = e->ld,
                   .cols = e->cols,
                   .n_cols = n_cols,
                   .keep_pr = e->kept_pr,
                   .keep_alt = e->kept_alt,
                   .keep_m = e->kept_m,
                   .chunk = sw__model_chunk(f->width),
                   .chunk_step = f->chunk_step ? f->chunk_step : 1,
                   .total = out};
  return sw__model_run_pass(&ps, ws, err);
}

/* Solve L X = e->B over the active ids for columns e->cols[0..n_cols) by
 * preconditioned conjugate gradients from the X given, each column to
 * relative residual CG_TOL, in shared passes. */
static sw_status pcg(fit *f, workers *ws, const double *beta, double *X,
                     size_t n_cols, double tol, sw_error *err) {
  fe_state *e = f->fe;
  const size_t J = e->J, ld = e->ld;
  const double *B = e->B;
  double *R = e->R, *Z = e->Z, *P = e->P, *AP = e->AP;
  sw_status st = laplacian(f, ws, beta, X, n_cols, AP, err);
  if (st) return st;
  size_t left = 0;
  for (size_t a = 0; a < n_cols; a++) {
    size_t k = e->cols[a];
    double rz = 0, bn = 0;
    for (size_t j = 0; j < J; j++) {
      size_t at = j * ld + k;
      if (!active(e, j)) {
        R[at] = P[at] = X[at] = 0;
        continue;
      }
      R[at] = B[at] - AP[at];
      P[at] = R[at] / e->diag[j];
      rz += R[at] * P[at];
      bn += B[at] * B[at];
    }
    e->rz[k] = rz;
    e->bn[k] = sqrt(bn);
    e->done[k] = false;
    left++;
  }
  for (unsigned it = 0;; it++) {
    for (size_t a = 0; a < n_cols; a++) {
      size_t k = e->cols[a];
      if (e->done[k]) continue;
      double rn = 0;
      for (size_t j = 0; j < J; j++)
        rn += R[j * ld + k] * R[j * ld + k];
      if (sqrt(rn) <= tol * e->bn[k] || e->bn[k] == 0) {
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
    if ((st = laplacian(f, ws, beta, P, n_cols, AP, err))) return st;
    for (size_t a = 0; a < n_cols; a++) {
      size_t k = e->cols[a];
      if (e->done[k]) continue;
      double pap = 0;
      for (size_t j = 0; j < J; j++)
        if (active(e, j)) pap += P[j * ld + k] * AP[j * ld + k];
      if (!(pap > 0)) {
        e->done[k] = true; /* the direction is exhausted: converged */
        left--;
        continue;
      }
      double step = e->rz[k] / pap, rz = 0;
      for (size_t j = 0; j < J; j++) {
        if (!active(e, j)) continue;
        size_t at = j * ld + k;
        X[at] += step * P[at];
        R[at] -= step * AP[at];
        Z[at] = R[at] / e->diag[j];
        rz += R[at] * Z[at];
      }
      double b = rz / e->rz[k];
      e->rz[k] = rz;
      for (size_t j = 0; j < J; j++)
        if (active(e, j)) {
          size_t at = j * ld + k;
          P[at] = Z[at] + b * P[at];
        }
    }
  }
}

/* The first call: one pass counts how often each id was chosen, which
 * picks the reference and starts the constants at the caller's values
 * (those of a related fit: a few Newton steps fewer), else at ln n_j. */
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
  bool given = e->start && isfinite(e->start[e->ref]);
  for (size_t j = 0; j < J; j++) {
    double a = log(e->count[j] / e->count[e->ref]);
    if (given && isfinite(e->start[j])) a = e->start[j] - e->start[e->ref];
    e->base.alpha[j] = e->count[j] > 0 ? a : NEVER_CHOSEN;
  }
  /* From there, a few of Berry (1994)'s contraction steps, alpha_j +=
   * ln n_j - ln E_j, bring the constants near their optimum for the
   * starting beta (each region's accessibility from where people are
   * held): measured, Newton then needs half the steps. Where the counting
   * pass kept its probabilities (at constants e->alpha), each step
   * reweights them by exp(alpha_j - e->alpha_j), R's first J entries,
   * instead of a prediction pass that fills the design anew: on the
   * national fit (1,000,000 x 101) those passes were a fifth of the
   * time. */
  for (int k = 0; k < START_CONTRACTIONS; k++) {
    model_pass ps = {.d = f->d,
                     .beta = beta,
                     .free_k = f->free_k,
                     .n_free = f->q,
                     .fn = f->kernel->predict,
                     .width = J,
                     .n_ids = J,
                     .offset = e->alpha,
                     .chunk = sw__model_chunk(f->width),
                     .chunk_step = f->chunk_step ? f->chunk_step : 1,
                     .total = e->diag};
    if (e->kept_pr) {
      for (size_t j = 0; j < J; j++)
        e->R[j] = e->count[j] > 0 ? exp(e->base.alpha[j] - e->alpha[j]) : 0;
      ps.fn = f->kernel->kept_predict;
      ps.proj = e->R;
      ps.keep_pr = e->kept_pr;
      ps.keep_alt = e->kept_alt;
      ps.keep_m = e->kept_m;
    } else {
      memcpy(e->alpha, e->base.alpha, J * sizeof *e->alpha);
    }
    if ((st = sw__model_run_pass(&ps, ws, err))) return st;
    /* A chosen id whose kept probabilities all underflowed single
     * precision (far from everyone, at a start of large coefficients)
     * has no expected count to move by: it keeps its start. */
    for (size_t j = 0; j < J; j++)
      if (e->count[j] > 0 && e->diag[j] > 0)
        e->base.alpha[j] += log(e->count[j]) - log(e->diag[j]);
    double shift = e->base.alpha[e->ref];
    for (size_t j = 0; j < J; j++)
      if (e->count[j] > 0) e->base.alpha[j] -= shift;
  }
  memcpy(e->base.beta, beta, f->p * sizeof *beta);
  e->counted = true;
  return SW_OK;
}

sw_status sw__fe_eval(fit *f, workers *ws, const double *beta, double *sums,
                      bool check_variation, sw_error *err) {
  fe_state *e = f->fe;
  const size_t J = e->J, p = f->p, ld = e->ld, base = sw__fe_base(p);
  sw_status st;
  if (!e->counted && (st = start(f, ws, beta, sums, err))) return st;
  /* The constants on Newton's line from the iterate: at step t of beta's
   * step db, alpha moves by t (L^-1 g_a) - X db. */
  fe_point *b = &e->base, *tr = &e->trial;
  for (size_t j = 0; j < J; j++) {
    double a = b->alpha[j];
    if (active(e, j)) {
      a += f->line_t * b->X[j * ld + p];
      for (size_t q = 0; q < f->q; q++) {
        size_t k = f->free_k[q];
        a -= b->X[j * ld + k] * (beta[k] - b->beta[k]);
      }
    }
    e->alpha[j] = a;
  }
  if ((st = fit_pass(f, ws, beta, sums, NULL, NULL, check_variation, err)))
    return st;
  const double *diag = sums + base, *expect = sums + base + 2 * J;
  const double *cross = sums + base + 3 * J;
  double gap = 0;
  size_t n_cols = 0;
  for (size_t q = 0; q < f->q; q++)
    e->cols[n_cols++] = f->free_k[q];
  e->cols[n_cols++] = p;
  for (size_t j = 0; j < J; j++) {
    e->diag[j] = diag[j];
    for (size_t k = 0; k < p; k++)
      e->B[j * ld + k] = cross[j * p + k];
    e->B[j * ld + p] = active(e, j) ? e->count[j] - expect[j] : 0;
    if (e->count[j] > 0) {
      double r = fabs(log(e->count[j]) - log(expect[j]));
      if (!(r <= gap)) gap = isnan(r) ? INFINITY : r;
    }
  }
  /* Warm start: the iterate's solution. */
  memcpy(tr->X, b->X, J * ld * sizeof *tr->X);
  double tol = 1e-3 * gap;
  tol = tol < CG_TOL ? CG_TOL : tol > CG_LOOSEST ? CG_LOOSEST : tol;
  if ((st = pcg(f, ws, beta, tr->X, n_cols, tol, err))) return st;
  /* beta's reduced gradient and its Schur complement replace the plain
   * ones. */
  double *g = sums + 1, *h = sums + 1 + p;
  for (size_t a = 0; a < f->q; a++) {
    size_t k = f->free_k[a];
    double t = 0;
    for (size_t j = 0; j < J; j++)
      if (active(e, j)) t += e->B[j * ld + k] * tr->X[j * ld + p];
    g[k] -= t;
    for (size_t c = a; c < f->q; c++) {
      size_t l = f->free_k[c];
      double u = 0;
      for (size_t j = 0; j < J; j++)
        if (active(e, j)) u += e->B[j * ld + k] * tr->X[j * ld + l];
      h[k * p + l] -= u;
    }
  }
  memcpy(tr->alpha, e->alpha, J * sizeof *tr->alpha);
  memcpy(tr->beta, beta, p * sizeof *beta);
  tr->gap = gap;
  return SW_OK;
}

void sw__fe_accept(fit *f) {
  fe_state *e = f->fe;
  fe_point t = e->base;
  e->base = e->trial;
  e->trial = t;
}

bool sw__fe_settled(const fit *f) { return f->fe->base.gap < CONSTANTS_TOL; }

void sw__fe_restart(fit *f, bool warmed) {
  fe_state *e = f->fe;
  e->start = e->caller_start;
  if (warmed) {
    /* An id the subsample never chose has no estimate: ln n_j starts it. */
    for (size_t j = 0; j < e->J; j++)
      e->warm[j] =
          e->base.alpha[j] <= NEVER_CHOSEN ? -INFINITY : e->base.alpha[j];
    e->start = e->warm;
  }
  /* The counting pass keeps probabilities at these constants, which the
   * contractions reweight: all zero, as at the first start, so that no id
   * is out of their reach. */
  memset(e->alpha, 0, e->J * sizeof *e->alpha);
  e->counted = false;
}

sw_status sw__fe_scores(fit *f, workers *ws, sw_error *err) {
  fe_state *e = f->fe;
  memcpy(e->alpha, e->base.alpha, e->J * sizeof *e->alpha);
  return fit_pass(f, ws, f->beta, e->scratch, e->base.X, f->scores, false, err);
}
