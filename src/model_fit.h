/*
 * model_fit.h — what the choice model's Newton driver (model.c), its
 * extension for alternative-specific constants (model_fe.c) and the
 * sweeps both run (model_sweep.c) share: the threads that run a pass, and
 * the fit's working state. Calls go one way: model.c -> model_fe.c ->
 * model_sweep.c.
 */
#ifndef SW_MODEL_FIT_H
#define SW_MODEL_FIT_H

#include "model_pass.h"

typedef struct worker {
  model_pass *ps;
  model_scratch *s;
  double *acc; /* width */
} worker;

typedef struct workers {
  unsigned n;
  model_scratch *s; /* n */
  double *acc;      /* n * width_cap */
  size_t width_cap;
  pthread_t *tid;
  worker *w;
} workers;

/* The constants' state (model_fe.c). */
typedef struct fe_state fe_state;

/* The fit's working state. */
typedef struct fit {
  const sw_design *d;
  size_t p, q, n;
  double n_people; /* the n records' weights summed (n without) */
  size_t *free_k;  /* q */
  double *sums;    /* width: the latest pass */
  double *beta;    /* p */
  double *trial;   /* p */
  double *a;       /* q * q scratch */
  double *dscale;  /* q: 1 / sqrt(H_kk) */
  double *step;    /* q */
  double *sd;      /* q: within-set SD of each feature at the start */
  double *scores;  /* n * p, or NULL */
  size_t width;
  size_t chunk_step; /* 1, or WARM_STEP during the warm start */
  const model_kernel *kernel;
  double *mass; /* NULL, or n: sw_model_opts.mass */
  size_t mass_feature;
  fe_state *fe;  /* NULL: no alternative-specific constants */
  double line_t; /* the step length of the trial being evaluated */
} fit;

/* A fit pass of f at beta into sums (the scores into scores, may be
 * NULL), for model.c's Newton steps and model_fe.c's alike. */
static inline model_pass sw__fit_pass(const fit *f, const double *beta,
                                      double *sums, double *scores,
                                      bool check_variation) {
  return (model_pass){.d = f->d,
                      .beta = beta,
                      .free_k = f->free_k,
                      .n_free = f->q,
                      .fn = f->kernel->fit,
                      .width = f->width,
                      .scores = scores,
                      .check_variation = check_variation,
                      .chunk_step = f->chunk_step ? f->chunk_step : 1,
                      .mass = f->mass,
                      .feature = f->mass_feature,
                      .total = sums};
}

/* model_sweep.c. Threads and per-thread scratch for passes of design d whose
 * sums are at most width doubles wide. */
sw_status sw__model_workers_init(workers *ws, const sw_design *d,
                                 unsigned threads, size_t width, sw_error *err);
void sw__model_workers_free(workers *ws);

/* Run ps over all records; ps->total receives the sums. */
sw_status sw__model_run_pass(model_pass *ps, workers *ws, sw_error *err);

/* model_fe.c. The constants of alternative ids 0..J-1 (a record's chosen
 * id must be among them), from start (J values, or NULL): allocate f->fe;
 * J x p doubles of scratch. */
sw_status sw__fe_new(fit *f, size_t J, const double *start, sw_error *err);
void sw__fe_free(fit *f);
/* Extra doubles a fit pass's sums need for the constants. */
size_t sw__fe_width(size_t p, size_t J);
/* The pass of model.c's eval at beta (a point f->line_t along Newton's
 * step from the iterate), the constants moving along the same step: the
 * gradient and information in sums are beta's after the constants are
 * eliminated (reduced gradient, Schur complement), so that Newton's
 * iterations on beta alone take the joint Newton steps. */
sw_status sw__fe_eval(fit *f, workers *ws, const double *beta, double *sums,
                      bool check_variation, sw_error *err);
/* model.c accepted the point of the last sw__fe_eval as its iterate. */
void sw__fe_accept(fit *f);
/* Whether the constants' gradient vanishes at the iterate. */
bool sw__fe_settled(const fit *f);
/* After model.c's warm start on a subsample: the next sw__fe_eval counts
 * the choices of the records f now covers and starts the constants from
 * those the warm start reached when warmed, else from the caller's. */
void sw__fe_restart(fit *f, bool warmed);
/* At the estimates: the efficient scores (constants projected out) into
 * f->scores, for the clustered standard errors. */
sw_status sw__fe_scores(fit *f, workers *ws, sw_error *err);
/* The constants as solved at the last sw__fe_eval (J values; -inf for an
 * id never chosen). */
const double *sw__fe_constants(const fit *f);

#endif
