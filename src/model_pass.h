/*
 * model_pass.h — what the choice model's driver (model.c: Newton's
 * iterations, threads, the ordered reduction) shares with its kernels
 * (model_kernel.h: one chunk of records' probabilities, gradient and
 * information).
 *
 * The kernel exists in more than one build: the portable one every CPU
 * runs (model_kernel_base.c) and, on x86-64, one compiled for AVX2
 * (model_kernel_avx2.c), twice as wide. Both do the same IEEE operations
 * in the same order, so they give bitwise the same sums: the driver picks
 * the widest the CPU supports, and the environment variable
 * STEERWATCH_KERNEL=baseline forces the portable one, which is how the
 * tests check that the results do not depend on the choice.
 */
#ifndef SW_MODEL_PASS_H
#define SW_MODEL_PASS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "steerwatch.h"

/* Records per chunk: small enough to balance two threads on 3,000 records,
 * large enough that the per-chunk reduction is noise. Fixed, so that the
 * chunk boundaries (hence the rounding) do not depend on thread count. */
#define SW_MODEL_CHUNK 64
/* Each chunk's sums are added to the total in turn, so wide sums (the
 * constants' J per id) get proportionally longer chunks: the reduction
 * then stays a small part of a pass. Fixed by the width, never by the
 * thread count, so the rounding does not depend on threads. */
#define SW_CHUNK_WIDTH 1024
static inline size_t sw__model_chunk(size_t width) {
  return SW_MODEL_CHUNK * (1 + width / SW_CHUNK_WIDTH);
}

/* One thread's working space for one record. */
typedef struct model_scratch {
  double *x;     /* p * m design of one record, feature-major */
  uint32_t *alt; /* m alternative ids */
  double *pr;    /* m utilities, then probabilities */
  double *dx;    /* p * m features centred on their expected value */
} model_scratch;

typedef struct model_failure {
  sw_status st;
  size_t record;
  const char *what; /* static reason */
} model_failure;

typedef struct model_pass model_pass;

/* Adds records [begin, end)'s terms to acc (ps->width doubles), or
 * records the first failure in *f and returns. */
typedef void (*model_chunk_fn)(const model_pass *ps, model_scratch *s,
                               size_t begin, size_t end, double *acc,
                               model_failure *f);

/* One parallel sweep over the records. */
struct model_pass {
  const sw_design *d;
  const double *beta;   /* p coefficients (0 where omitted) */
  const size_t *free_k; /* indices of estimated coefficients */
  size_t n_free;
  model_chunk_fn fn;
  size_t width;         /* doubles in a chunk's sums */
  double *scores;       /* NULL, or n * p per-record scores (fit) */
  bool check_variation; /* fit: count records where each feature varies */
  size_t chunk_step;    /* use chunks 0, step, 2 step, ... (1: all) */
  size_t chunk;         /* records per chunk; 0: set by the pass from
                           width. Fixed by a caller whose passes of other
                           widths must cover the same records with
                           chunk_step (model_fe.c) */
  size_t feature;       /* the feature whose nonzero set mass measures */
  double *mass;         /* NULL, or per-record mass of that set */
  size_t n_ids;         /* predict: width of the expected-by-id sums;
                           with offset: J, the alternative ids */
  /* Alternative-specific constants (model_fe.c): offset[id] is added to
   * the utility of alternative id; NULL: none. With an offset the fit
   * pass also sums, after the fit sums, per id: the diagonal of the
   * constants' information, the times chosen, the expected count, and
   * the cross-information with the features (J x p, id-major). */
  const double *offset;
  /* fit: with offset, NULL or the J x ld solution X of L X = I_alpha_beta;
   * the scores are then the efficient ones, with the constants projected
   * out. laplacian: the J x ld matrix L multiplies. */
  const double *proj;
  /* fit with offset: NULL, or where each record's probabilities and ids
   * are kept (max_alts per record) with their count, for the passes of
   * conjugate gradients at the same point (model_fe.c): probabilities in
   * single precision and ids in 16 bits, half the bytes, so that a
   * national fit (1,000,000 records x 101 alternatives) keeps them */
  float *keep_pr;
  uint16_t *keep_alt;
  uint32_t *keep_m;
  /* proj's leading dimension; laplacian: the columns to multiply */
  size_t ld;
  const size_t *cols;
  size_t n_cols;
  /* Scheduling: chunks are handed out in order and reduced in order. */
  pthread_mutex_t mu;
  pthread_cond_t cv;
  size_t n_chunks, next_chunk, next_reduce;
  bool stop;
  double *total;      /* width sums */
  model_failure fail; /* the first failure in chunk order */
};

/* A build of the kernel. fit: sums laid out as [0] log-likelihood,
 * [1, 1+p) gradient, [1+p, 1+p+p*p) information (upper triangle over
 * free coefficients), then p counts of records in which the feature
 * varies, then (with an offset) the constants' sums above. predict: the
 * probability of each alternative id, summed. laplacian: the product of
 * the constants' information L (a weighted graph Laplacian over the ids:
 * sum over records of diag(P) - P P') with the J x ld matrix ps->proj,
 * over its columns ps->cols. */
typedef struct model_kernel {
  const char *name;
  model_chunk_fn fit;
  model_chunk_fn predict;
  model_chunk_fn laplacian;
  model_chunk_fn kept_laplacian; /* the same over kept probabilities */
  model_chunk_fn kept_predict;   /* predict over kept probabilities, at
                                    other constants (model_kernel.h) */
} model_kernel;

/* Offsets of the constants' sums in a fit pass's sums. */
static inline size_t sw__fe_base(size_t p) { return 1 + 2 * p + p * p; }

extern const model_kernel sw__model_kernel_base;
#ifdef SW_HAVE_AVX2_KERNEL
extern const model_kernel sw__model_kernel_avx2;
#endif

/* The kernel this CPU and the environment call for. */
const model_kernel *sw__model_kernel(void);

#endif
