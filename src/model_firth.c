/*
 * model_firth.c — the conditional logit with a constant per chosen id,
 * penalised by Jeffreys' prior (Firth 1993): it maximises
 * log L(theta) + 0.5 log det I(theta), theta = (alpha, beta), which is
 * finite where the likelihood has no maximum (separation: every placement
 * after an event went to the target, or none did). The audit turns to it
 * when the headline's change cannot be estimated otherwise
 * (docs/design/separation.md).
 *
 * The penalty's gradient is Firth's modified score U*_r = U_r + 0.5
 * tr(I^-1 dI/dtheta_r); for a conditional logit dI/dtheta_r is the third
 * central moment of the features within each choice set, so with
 * h_ij = dx_ij' I^-1 dx_ij (dx centred on the set's mean) the extra term
 * is 0.5 sum_ij p_ij h_ij dx_ijr. The iterations are Heinze and Schemper
 * (2002)'s: theta += I^-1 U*, each step at most MAX_STEP in any
 * coordinate, halved until the penalised likelihood does not fall.
 *
 * The constants come first in theta, so the Cholesky factor of I carries
 * L (the constants' information) in its leading block and the Schur
 * complement S = I_bb - I_ba L^-1 I_ab of model_fe.c in its trailing
 * one: log det I = log det L + log det S, the constants profiled out as
 * in the unpenalised fit. That takes a dense matrix over the chosen ids,
 * hence SW_FIRTH_MAX_CHOSEN. The tested coefficient comes last: holding
 * it fixed (the test, the profile interval) leaves the leading block of
 * the same factor for the other parameters' steps.
 */
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "dense.h"
#include "err.h"
#include "model_firth.h"
#include "stats.h"

/* logistf's default largest step per coordinate. */
#define MAX_STEP 5.0
/* Converged when no coordinate of a step exceeds this. */
#define STEP_TOL 1e-10
#define MAX_ITER 200
#define MAX_HALVINGS 40
/* Half the 95% point of chi-square with 1 df: the profile interval's
 * drop in the penalised log-likelihood. */
#define HALF_CHI2_95 1.9207294103470614
/* The interval's ends to this many units of the coefficient. */
#define CI_TOL 1e-9
#define MAX_ROOT 100

/* An id's place in theta; or never chosen; or the reference (pinned 0). */
#define ID_NEVER (-2)
#define ID_REF (-1)

typedef struct firth {
  size_t n, p, m;    /* records, features, most alternatives */
  size_t Ja, q, P;   /* constants estimated, coefficients, Ja + q */
  size_t *coef;      /* q: feature of each coefficient, the tested last */
  int32_t *par;      /* n_ids: theta index of the id's constant, or ID_ */
  double *x;         /* n * p * m: the design, kept */
  uint32_t *alt;     /* n * m */
  size_t *n_alt;     /* n */
  size_t *chosen;    /* n */
  const double *w;   /* n frequency weights (sw_design.weight), or NULL */
  double *theta;     /* P */
  double *beta;      /* p: the coefficients as the utilities use them */
  double *U, *Us;    /* P: score, modified score */
  double *I, *Lf;    /* P x P: information (lower), its factor */
  double *A;         /* P x P: I^-1 */
  double *pr, *dz;   /* m, m x q: a record's probabilities, centred features */
  double *u, *h, *v; /* m, m, q */
  double *step;      /* P */
  double *keep;      /* P */
  double ll, pl;     /* log-likelihood, penalised */
} firth;

static void firth_free(firth *F) {
  void *ptrs[] = {F->coef, F->par, F->x,  F->alt, F->n_alt, F->chosen, F->theta,
                  F->beta, F->U,   F->Us, F->I,   F->Lf,    F->A,      F->pr,
                  F->dz,   F->u,   F->h,  F->v,   F->step,  F->keep};
  for (size_t k = 0; k < sizeof ptrs / sizeof *ptrs; k++)
    sw__free(ptrs[k]);
}

/* Record i's probabilities at theta into pr (0 for never-chosen ids) and
 * its features centred on their expectation into dz; returns the log
 * probability of the chosen alternative. */
static double record_probs(firth *F, size_t i) {
  const size_t m = F->m, p = F->p, q = F->q, na = F->n_alt[i];
  const double *x = F->x + i * p * m;
  const uint32_t *alt = F->alt + i * m;
  double vmax = -INFINITY;
  for (size_t j = 0; j < na; j++) {
    int32_t a = F->par[alt[j]];
    if (a == ID_NEVER) {
      F->pr[j] = -INFINITY;
      continue;
    }
    double v = a >= 0 ? F->theta[a] : 0;
    for (size_t k = 0; k < p; k++)
      v += F->beta[k] * x[k * m + j];
    F->pr[j] = v;
    if (v > vmax) vmax = v;
  }
  double sum = 0;
  for (size_t j = 0; j < na; j++)
    sum += F->pr[j] = F->par[alt[j]] == ID_NEVER ? 0 : exp(F->pr[j] - vmax);
  double lp = log(F->pr[F->chosen[i]] / sum);
  for (size_t j = 0; j < na; j++)
    F->pr[j] /= sum;
  for (size_t b = 0; b < q; b++) {
    const double *xk = x + F->coef[b] * m;
    double mean = 0;
    for (size_t j = 0; j < na; j++)
      mean += F->pr[j] * xk[j];
    for (size_t j = 0; j < na; j++)
      F->dz[j * q + b] = xk[j] - mean;
  }
  return lp;
}

static void set_beta(firth *F) {
  memset(F->beta, 0, F->p * sizeof *F->beta);
  for (size_t b = 0; b < F->q; b++)
    F->beta[F->coef[b]] = F->theta[F->Ja + b];
}

/* At theta: the log-likelihood, score and information, the factor of the
 * information and the penalised log-likelihood. False when the
 * information is not positive definite (its determinant is 0: the
 * penalty is -inf there). */
static bool eval_info(firth *F) {
  const size_t P = F->P, Ja = F->Ja, q = F->q;
  set_beta(F);
  F->ll = 0;
  memset(F->U, 0, P * sizeof *F->U);
  memset(F->I, 0, P * P * sizeof *F->I);
  for (size_t i = 0; i < F->n; i++) {
    /* A record of weight w is w identical records: every sum takes it w
     * times, the penalty's information included. */
    const double w = F->w ? F->w[i] : 1;
    F->ll += w * record_probs(F, i);
    const size_t na = F->n_alt[i], c = F->chosen[i];
    const uint32_t *alt = F->alt + i * F->m;
    for (size_t j = 0; j < na; j++) {
      int32_t a = F->par[alt[j]];
      double pj = F->pr[j], wp = w * pj;
      if (a < 0 || pj == 0) continue;
      F->U[a] += w * ((j == c) - pj);
      F->I[(size_t)a * P + (size_t)a] += wp;
      for (size_t l = 0; l < na; l++) {
        int32_t b = F->par[alt[l]];
        if (b >= 0 && b <= a) /* the lower triangle: Cholesky reads no more */
          F->I[(size_t)a * P + (size_t)b] -= wp * F->pr[l];
      }
      for (size_t b = 0; b < q; b++)
        F->I[(Ja + b) * P + (size_t)a] += wp * F->dz[j * q + b];
    }
    for (size_t b = 0; b < q; b++) {
      F->U[Ja + b] += w * F->dz[c * q + b];
      for (size_t e = 0; e <= b; e++) {
        double s = 0;
        for (size_t j = 0; j < na; j++)
          s += F->pr[j] * F->dz[j * q + b] * F->dz[j * q + e];
        F->I[(Ja + b) * P + Ja + e] += w * s;
      }
    }
  }
  memcpy(F->Lf, F->I, P * P * sizeof *F->Lf);
  if (sw__cholesky(F->Lf, P, 0) < P) return false;
  double logdet = 0;
  for (size_t k = 0; k < P; k++)
    logdet += 2 * log(F->Lf[k * P + k]);
  F->pl = F->ll + 0.5 * logdet;
  return isfinite(F->pl);
}

/* After eval_info at theta: I^-1 and the modified score. */
static void eval_star(firth *F) {
  const size_t P = F->P, Ja = F->Ja, q = F->q;
  for (size_t c = 0; c < P; c++) {
    double *col = F->step;
    memset(col, 0, P * sizeof *col);
    col[c] = 1;
    sw__chol_solve(F->Lf, P, P, col);
    for (size_t r = 0; r < P; r++)
      F->A[r * P + c] = col[r];
  }
  memcpy(F->Us, F->U, P * sizeof *F->Us);
  const double *A = F->A, *Ab = F->A + Ja * P; /* rows of the coefficients */
  for (size_t i = 0; i < F->n; i++) {
    record_probs(F, i);
    const size_t na = F->n_alt[i];
    const uint32_t *alt = F->alt + i * F->m;
    /* h_j = dx_j' A dx_j with dx_j = (e_j - p, dz_j): u = A_aa p, s =
     * p' A_aa p and v = A_ba p spare an m x m product per alternative. */
    double s = 0;
    memset(F->v, 0, q * sizeof *F->v);
    for (size_t j = 0; j < na; j++) {
      int32_t a = F->par[alt[j]];
      double t = 0;
      if (a >= 0 && F->pr[j] > 0) {
        for (size_t l = 0; l < na; l++) {
          int32_t b = F->par[alt[l]];
          if (b >= 0) t += A[(size_t)a * P + (size_t)b] * F->pr[l];
        }
        for (size_t b = 0; b < q; b++)
          F->v[b] += F->pr[j] * Ab[b * P + (size_t)a];
      }
      F->u[j] = t;
      s += F->pr[j] * t;
    }
    double hbar = 0;
    for (size_t j = 0; j < na; j++) {
      if (F->pr[j] == 0) {
        F->h[j] = 0;
        continue;
      }
      int32_t a = F->par[alt[j]];
      const double *dz = F->dz + j * q;
      double hj = s;
      if (a >= 0) {
        hj += A[(size_t)a * P + (size_t)a] - 2 * F->u[j];
        for (size_t b = 0; b < q; b++)
          hj += 2 * Ab[b * P + (size_t)a] * dz[b];
      }
      for (size_t b = 0; b < q; b++) {
        hj -= 2 * F->v[b] * dz[b];
        for (size_t e = 0; e < q; e++)
          hj += dz[b] * Ab[b * P + Ja + e] * dz[e];
      }
      F->h[j] = hj;
      hbar += F->pr[j] * hj;
    }
    for (size_t j = 0; j < na; j++) {
      int32_t a = F->par[alt[j]];
      if (F->pr[j] == 0) continue;
      double half = 0.5 * (F->w ? F->w[i] : 1) * F->pr[j];
      if (a >= 0) F->Us[a] += half * (F->h[j] - hbar);
      for (size_t b = 0; b < q; b++)
        F->Us[Ja + b] += half * F->h[j] * F->dz[j * q + b];
    }
  }
}

/* Maximise the penalised likelihood over the first n_free parameters of
 * theta from its current value (the rest held). */
static sw_status maximise(firth *F, size_t n_free, sw_error *err) {
  if (!eval_info(F))
    return sw__err(err, SW_E_MODEL,
                   "Firth fit: the information is singular at the start");
  for (unsigned it = 0; it < MAX_ITER; it++) {
    eval_star(F);
    memcpy(F->step, F->Us, n_free * sizeof *F->step);
    sw__chol_solve(F->Lf, F->P, n_free, F->step);
    double big = 0;
    for (size_t k = 0; k < n_free; k++)
      if (fabs(F->step[k]) > big) big = fabs(F->step[k]);
    if (isnan(big))
      return sw__err(err, SW_E_MODEL, "Firth fit: the step is not a number");
    if (big < STEP_TOL) return SW_OK;
    double t = big > MAX_STEP ? MAX_STEP / big : 1, pl0 = F->pl;
    memcpy(F->keep, F->theta, F->P * sizeof *F->keep);
    bool moved = false;
    for (unsigned k = 0; k < MAX_HALVINGS && !moved; k++, t /= 2) {
      for (size_t r = 0; r < n_free; r++)
        F->theta[r] = F->keep[r] + t * F->step[r];
      /* Rounding lets a step near the optimum lose a few ulps. */
      moved = eval_info(F) && F->pl >= pl0 - 1e-12 * (1 + fabs(pl0));
    }
    if (!moved) { /* no step helps: the optimum to rounding */
      memcpy(F->theta, F->keep, F->P * sizeof *F->theta);
      eval_info(F);
      return SW_OK;
    }
  }
  return sw__err(err, SW_E_MODEL, "Firth fit: no convergence in %d iterations",
                 MAX_ITER);
}

/* The penalised log-likelihood maximised with the tested coefficient at
 * c, from start (P values); -inf where the information is singular. */
static sw_status profile(firth *F, double c, const double *start, double *pl,
                         sw_error *err) {
  memcpy(F->theta, start, F->P * sizeof *F->theta);
  F->theta[F->P - 1] = c;
  sw_error e;
  sw_status st = maximise(F, F->P - 1, &e);
  if (st == SW_E_MODEL) {
    *pl = -INFINITY;
    return SW_OK;
  }
  if (st && err) *err = e;
  *pl = F->pl;
  return st;
}

/* The end of the profile interval on side (+1, -1) of the estimate:
 * where the profile falls HALF_CHI2_95 below its maximum, bracketed by
 * doubling steps and closed by regula falsi (Illinois). */
static sw_status ci_end(firth *F, const double *hat, double est, double se,
                        double pl_hat, double side, double *end, unsigned *fits,
                        sw_error *err) {
  const double goal = pl_hat - HALF_CHI2_95;
  double lo = est, glo = HALF_CHI2_95, hi = NAN, ghi = NAN;
  double stepc = se > 0 && isfinite(se) ? se : 1;
  for (unsigned k = 0; k < MAX_ROOT; k++, stepc *= 2) {
    double c = est + side * stepc, pl;
    sw_status st = profile(F, c, hat, &pl, err);
    ++*fits;
    if (st) return st;
    double g = pl - goal;
    if (g <= 0) {
      hi = c, ghi = g;
      break;
    }
    lo = c, glo = g;
  }
  if (isnan(hi)) {
    *end = side * INFINITY;
    return SW_OK;
  }
  int last = 0;
  for (unsigned k = 0; k < MAX_ROOT && fabs(hi - lo) > CI_TOL * (1 + fabs(lo));
       k++) {
    double gh = isfinite(ghi) ? ghi : -HALF_CHI2_95 * 4;
    double c =
        isfinite(ghi) ? hi - gh * (hi - lo) / (gh - glo) : 0.5 * (lo + hi);
    if (!(c != lo && c != hi)) c = 0.5 * (lo + hi);
    double pl;
    sw_status st = profile(F, c, hat, &pl, err);
    ++*fits;
    if (st) return st;
    double g = pl - goal;
    if (g > 0) {
      lo = c, glo = g;
      if (last == 1) ghi /= 2;
      last = 1;
    } else {
      hi = c, ghi = g;
      if (last == -1) glo /= 2;
      last = -1;
    }
    if (fabs(g) < 1e-12) break;
  }
  *end = isfinite(ghi) && fabs(ghi) < fabs(glo) ? hi : lo;
  return SW_OK;
}

/* Keep the design and number the parameters. */
static sw_status setup(firth *F, const sw_design *d, size_t n_ids,
                       const bool *omit, size_t feature, sw_error *err) {
  F->n = d->n_records, F->p = d->n_features, F->m = d->max_alts;
  F->w = d->weight;
  size_t cells, doubles;
  if (!sw__mul_size(F->n, F->m, &cells) || cells > SW_FIRTH_MAX_CELLS)
    return sw__err(err, SW_E_MODEL,
                   "Firth fit: more than %d records x alternatives",
                   SW_FIRTH_MAX_CELLS);
  if ((double)cells * (double)F->m > SW_FIRTH_MAX_WORK)
    return sw__err(err, SW_E_MODEL,
                   "Firth fit: %zu records x %zu alternatives squared is "
                   "past the %.0f the penalised fit is allowed (some 30 "
                   "seconds)",
                   F->n, F->m, SW_FIRTH_MAX_WORK);
  if (!sw__mul_size(cells, F->p, &doubles) || feature >= F->p ||
      (omit && omit[feature]))
    return sw__err(err, SW_E_USAGE, "Firth fit: bad design or feature");
  F->coef = sw__calloc(F->p, sizeof *F->coef);
  F->par = sw__calloc(n_ids ? n_ids : 1, sizeof *F->par);
  F->x = sw__malloc((doubles ? doubles : 1) * sizeof *F->x);
  F->alt = sw__malloc((cells ? cells : 1) * sizeof *F->alt);
  F->n_alt = sw__calloc(F->n ? F->n : 1, sizeof *F->n_alt);
  F->chosen = sw__calloc(F->n ? F->n : 1, sizeof *F->chosen);
  F->beta = sw__calloc(F->p, sizeof *F->beta);
  if (!F->coef || !F->par || !F->x || !F->alt || !F->n_alt || !F->chosen ||
      !F->beta)
    return sw__err(err, SW_E_NOMEM, "out of memory for the Firth fit");
  for (size_t j = 0; j < n_ids; j++)
    F->par[j] = ID_NEVER;
  for (size_t i = 0; i < F->n; i++) {
    uint32_t *alt = F->alt + i * F->m;
    sw_status st = d->fill(d->user, i, F->x + i * F->p * F->m, alt,
                           &F->n_alt[i], &F->chosen[i]);
    if (st) return sw__err(err, st, "Firth fit: record %zu not filled", i);
    for (size_t j = 0; j < F->n_alt[i]; j++)
      if (alt[j] >= n_ids)
        return sw__err(err, SW_E_USAGE, "Firth fit: id %u out of range",
                       (unsigned)alt[j]);
    F->par[alt[F->chosen[i]]] = ID_REF; /* chosen: numbered below */
  }
  size_t n_chosen = 0;
  for (size_t j = 0; j < n_ids; j++)
    if (F->par[j] != ID_NEVER)
      F->par[j] = n_chosen++ ? (int32_t)(n_chosen - 2) : ID_REF;
  if (n_chosen > SW_FIRTH_MAX_CHOSEN)
    return sw__err(err, SW_E_MODEL,
                   "Firth fit: %zu regions were chosen; the penalty's dense "
                   "matrix is built for at most %d",
                   n_chosen, SW_FIRTH_MAX_CHOSEN);
  F->Ja = n_chosen ? n_chosen - 1 : 0;
  for (size_t k = 0; k < F->p; k++)
    if (k != feature && !(omit && omit[k])) F->coef[F->q++] = k;
  F->coef[F->q++] = feature;
  F->P = F->Ja + F->q;
  const size_t P = F->P, PP = P * P;
  double **vp[] = {&F->theta, &F->U, &F->Us, &F->step, &F->keep};
  for (size_t k = 0; k < sizeof vp / sizeof *vp; k++)
    if (!(*vp[k] = sw__calloc(P, sizeof(double))))
      return sw__err(err, SW_E_NOMEM, "out of memory for the Firth fit");
  if (!(F->I = sw__malloc(PP * sizeof *F->I)) ||
      !(F->Lf = sw__malloc(PP * sizeof *F->Lf)) ||
      !(F->A = sw__malloc(PP * sizeof *F->A)) ||
      !(F->pr = sw__calloc(F->m, sizeof *F->pr)) ||
      !(F->u = sw__calloc(F->m, sizeof *F->u)) ||
      !(F->h = sw__calloc(F->m, sizeof *F->h)) ||
      !(F->v = sw__calloc(F->q, sizeof *F->v)) ||
      !(F->dz = sw__calloc(F->m * F->q, sizeof *F->dz)))
    return sw__err(err, SW_E_NOMEM, "out of memory for the Firth fit");
  return SW_OK;
}

sw_status sw__firth_fit(const sw_design *d, size_t n_ids, const bool *omit,
                        size_t feature, sw_firth_result *out, sw_error *err) {
  *out = (sw_firth_result){.estimate = NAN,
                           .ci_low = NAN,
                           .ci_high = NAN,
                           .statistic = NAN,
                           .p_value = NAN,
                           .penalised_ll = NAN,
                           .penalised_ll_null = NAN};
  firth F = {0};
  double *hat = NULL;
  sw_status st = setup(&F, d, n_ids, omit, feature, err);
  if (st) goto done;
  out->n_chosen = F.Ja + 1;
  /* Start the constants at ln n_j - ln n_ref, the coefficients at 0. */
  double *count = F.step; /* scratch: at least Ja long */
  memset(count, 0, F.P * sizeof *count);
  double n_ref = 0;
  for (size_t i = 0; i < F.n; i++) {
    int32_t a = F.par[F.alt[i * F.m + F.chosen[i]]];
    if (a >= 0)
      count[a] += F.w ? F.w[i] : 1;
    else
      n_ref += F.w ? F.w[i] : 1;
  }
  for (size_t a = 0; a < F.Ja; a++)
    F.theta[a] = log(count[a] / n_ref);
  memset(F.theta + F.Ja, 0, F.q * sizeof *F.theta);
  out->fits = 1;
  if ((st = maximise(&F, F.P, err))) goto done;
  eval_star(&F);
  const size_t t = F.P - 1;
  double est = F.theta[t], se = sqrt(F.A[t * F.P + t]), pl_hat = F.pl;
  if (!(hat = sw__malloc(F.P * sizeof *hat))) {
    st = sw__err(err, SW_E_NOMEM, "out of memory for the Firth fit");
    goto done;
  }
  memcpy(hat, F.theta, F.P * sizeof *hat);
  out->estimate = est;
  out->penalised_ll = pl_hat;
  double pl0;
  if ((st = profile(&F, 0, hat, &pl0, err))) goto done;
  out->fits++;
  out->penalised_ll_null = pl0;
  double lr = 2 * (pl_hat - pl0);
  out->statistic = lr > 0 ? lr : 0;
  out->p_value = sw__chisq_sf(out->statistic, 1);
  if ((st =
           ci_end(&F, hat, est, se, pl_hat, -1, &out->ci_low, &out->fits, err)))
    goto done;
  st = ci_end(&F, hat, est, se, pl_hat, 1, &out->ci_high, &out->fits, err);
done:
  sw__free(hat);
  firth_free(&F);
  return st;
}
