/*
 * simulate_draw.c — draws every record of `steerwatch simulate` from
 * SPEC's choice model: facility by weight, date uniform, ties region by
 * population, and the release region from the conditional logit over all
 * regions,
 *   P(j) ∝ exp(b_origin ln(1+km(origin, j)) + b_ties ln(1+km(ties, j))
 *              + gamma_t T_j(date)),   gamma_t = steer from the start on.
 *
 * Speed: the three factors exp(.) are tabled rather than computed per
 * record. The origin factor is a table per facility (facilities x regions);
 * the ties factor is one row per ties region, computed when a batch of
 * records sharing that region is drawn (records are grouped by ties
 * region, so no regions x regions table is stored); the target factor is
 * 1 or e^gamma. A record then costs one pass of multiplies and adds over
 * the regions (sums per block of 64), one over the target's regions, and
 * no exp; the draw finds its block from the block sums and forms that
 * block's 64 weights alone. docs/design/simulate.md has the measurements.
 * Rows are scaled so that their largest entry is 1, which leaves the
 * probabilities unchanged and keeps products far from underflow; a record
 * whose weights still underflow or overflow (extreme coefficients) is
 * drawn again in log space.
 *
 * Reproducibility: record i's random numbers come from the stream (seed,
 * i), always five of them in a fixed order (facility, date, has ties, ties
 * region, release), whatever the options. The output is thus the same for
 * any number of threads, and two runs that differ only in steer differ only
 * in the release regions of records dated on or after the start.
 */
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "alloc.h"
#include "dot.h"
#include "err.h"
#include "geodesy.h"
#include "rng.h"
#include "simulate_state.h"

#define BLOCK 64   /* regions per partial sum of the inverse-CDF draw */
#define CHUNK 2048 /* records per unit of work handed to a thread */

typedef struct draw_ctx {
  sw_sim *s;
  size_t R, n_blocks;
  double *fac_w;        /* n_fac x R: exp(b_origin ln(1+km)), row max 1 */
  double *ux, *uy, *uz; /* region unit vectors */
  double *ones;         /* the ties row of records without ties */
  double gm1;           /* e^steer - 1 */
  uint32_t *order;      /* record indices by ties region, then facility */
  size_t *chunk;        /* chunk k is order[chunk[k] .. chunk[k+1]) */
  size_t n_chunks;
  pthread_mutex_t mu;
  size_t next;   /* next chunk to hand out */
  uint64_t done; /* records drawn */
} draw_ctx;

typedef struct worker {
  draw_ctx *c;
  bool reports;     /* the calling thread: reports progress */
  double *w;        /* R: the record's weights (in part) */
  double *block;    /* n_blocks partial sums of the weights */
  double *block_t;  /* n_blocks partial sums over the target */
  double *trow;     /* R: the ties row of trow_of */
  double *tmp;      /* R: log-space scratch */
  uint32_t trow_of; /* region of trow; UINT32_MAX: none yet */
} worker;

/* out[j] = b ln(1 + km(p, region j)), SPEC's distance through the chord
 * of unit vectors (geodesy.h). */
static void log_row(const draw_ctx *c, sw_point p, double b, double *out) {
  double u[3];
  sw__unit_vector(p, u);
  for (size_t j = 0; j < c->R; j++) {
    double dx = u[0] - c->ux[j], dy = u[1] - c->uy[j], dz = u[2] - c->uz[j];
    out[j] = b * sw__log1p_km(sw__chord_km(dx * dx + dy * dy + dz * dz));
  }
}

/* exp(b ln(1 + km(p, j))) scaled to a largest entry of 1. */
static void weight_row(const draw_ctx *c, sw_point p, double b, double *out) {
  log_row(c, p, b, out);
  double m = -INFINITY;
  for (size_t j = 0; j < c->R; j++)
    if (out[j] > m) m = out[j];
  for (size_t j = 0; j < c->R; j++)
    out[j] = exp(out[j] - m);
}

/* The first index whose cumulative weight exceeds u times the total; a
 * rounding overshoot falls back to the last index with weight. */
static uint32_t pick_cdf(const double *cdf, size_t n, double u) {
  double x = u * cdf[n - 1];
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cdf[mid] > x)
      hi = mid;
    else
      lo = mid + 1;
  }
  if (lo == n) {
    lo = n - 1;
    while (lo > 0 && cdf[lo] == cdf[lo - 1])
      lo--;
  }
  return (uint32_t)lo;
}

/* The block whose partial sums straddle x = u * total, and in *acc the
 * weight of the blocks before it. Rounding can leave x beyond the sums;
 * then the last block with weight is returned and *over set. */
static size_t find_block(const draw_ctx *c, const double *block, double x,
                         double *acc, bool *over) {
  double a = 0;
  size_t k = 0;
  while (k < c->n_blocks && !(a + block[k] > x))
    a += block[k++];
  *acc = a;
  *over = k == c->n_blocks;
  if (*over)
    while (k > 0 && !(block[k - 1] > 0))
      k--;
  return *over ? k - 1 : k; /* total > 0: some block has weight */
}

/* The region of block k where the running sum from acc passes x; on a
 * rounding overshoot, the block's last region with weight. w holds the
 * block's weights. */
static uint32_t scan_block(const draw_ctx *c, const double *w, size_t k,
                           double acc, double x, bool over) {
  size_t j0 = k * BLOCK, j1 = j0 + BLOCK < c->R ? j0 + BLOCK : c->R;
  if (!over)
    for (size_t j = j0; j < j1; j++) {
      acc += w[j];
      if (acc > x) return (uint32_t)j;
    }
  size_t j = j1;
  while (j > j0 + 1 && !(w[j - 1] > 0))
    j--;
  return (uint32_t)(j - 1);
}

/* Record i in log space, for weights the tables cannot hold. */
static void draw_slow(const draw_ctx *c, worker *wk, size_t i) {
  sw_sim *s = c->s;
  const sw_simulate_opts *o = s->o;
  size_t R = c->R;
  const uint8_t *tm = s->in_target + sw__sim_period_of(s, s->date[i]) * R;
  double *v = wk->tmp, *w = wk->w;
  log_row(c, s->fac_pt[s->facility[i]], o->b_origin, v);
  if (s->ties[i] != SIM_NO_TIES) {
    log_row(c, s->point[s->ties[i]], o->b_ties, w);
    for (size_t j = 0; j < R; j++)
      v[j] += w[j];
  }
  double gamma = s->date[i] >= s->start ? o->steer : 0;
  double m0 = -INFINITY, m1 = -INFINITY;
  for (size_t j = 0; j < R; j++) {
    if (v[j] > m0) m0 = v[j];
    if (v[j] + gamma * tm[j] > m1) m1 = v[j] + gamma * tm[j];
  }
  double nsum = 0, tsum = 0, total = 0;
  for (size_t k = 0; k < c->n_blocks; k++) {
    double b = 0;
    size_t j1 = (k + 1) * BLOCK < R ? (k + 1) * BLOCK : R;
    for (size_t j = k * BLOCK; j < j1; j++) {
      double e = exp(v[j] - m0);
      nsum += e;
      tsum += tm[j] ? e : 0;
      w[j] = exp(v[j] + gamma * tm[j] - m1);
      b += w[j];
    }
    wk->block[k] = b;
    total += b;
  }
  s->p_target[i] = tsum / nsum;
  double x = s->u[i] * total, acc;
  bool over;
  size_t k = find_block(c, wk->block, x, &acc, &over);
  s->release[i] = scan_block(c, w, k, acc, x, over);
}

/* Record i with the tabled factors; trow is its ties row (or ones).
 * Nothing per region is stored: the pass over all regions only sums the
 * null-model weights f_j t_j per block, the target's regions (a list) add
 * their share per block, and only the chosen block's weights are formed
 * again to find the region within it. */
static void draw_one(const draw_ctx *c, worker *wk, size_t i,
                     const double *trow) {
  sw_sim *s = c->s;
  size_t R = c->R, per = sw__sim_period_of(s, s->date[i]);
  const double *f = c->fac_w + (size_t)s->facility[i] * R;
  double gm1 = s->date[i] >= s->start ? c->gm1 : 0;
  double *restrict bn = wk->block, *restrict bt = wk->block_t;
  double nsum = 0;
  for (size_t k = 0, j0 = 0; j0 < R; k++, j0 += BLOCK) {
    size_t j1 = j0 + BLOCK < R ? j0 + BLOCK : R;
    bn[k] = sw__dot(f + j0, trow + j0, j1 - j0);
    bt[k] = 0;
    nsum += bn[k];
  }
  /* The list is ascending, so each block's target regions are a run,
   * summed in registers (adding into bt[] per region would make each add
   * wait for the store before it). */
  double tsum = 0;
  const uint32_t *tl = s->target + s->target_start[per];
  size_t n_t = s->target_start[per + 1] - s->target_start[per];
  for (size_t q = 0; q < n_t;) {
    size_t k = tl[q] / BLOCK, end = q;
    while (end < n_t && tl[end] / BLOCK == k)
      end++;
    double a0 = 0, a1 = 0;
    for (; q + 2 <= end; q += 2) {
      a0 += f[tl[q]] * trow[tl[q]];
      a1 += f[tl[q + 1]] * trow[tl[q + 1]];
    }
    if (q < end) a0 += f[tl[q]] * trow[tl[q]], q++;
    bt[k] = a0 + a1;
    tsum += bt[k];
  }
  double total = 0;
  for (size_t k = 0; k < c->n_blocks; k++) {
    bn[k] += gm1 * bt[k]; /* the block's weight with steering */
    total += bn[k];
  }
  if (!(nsum >= DBL_MIN && nsum <= DBL_MAX && total >= DBL_MIN &&
        total <= DBL_MAX)) {
    draw_slow(c, wk, i);
    return;
  }
  s->p_target[i] = tsum / nsum;
  double x = s->u[i] * total, acc;
  bool over;
  size_t k = find_block(c, bn, x, &acc, &over);
  const uint8_t *tm = s->in_target + per * R;
  size_t j0 = k * BLOCK, j1 = j0 + BLOCK < R ? j0 + BLOCK : R;
  for (size_t j = j0; j < j1; j++) {
    double v = f[j] * trow[j];
    wk->w[j] = tm[j] ? v + v * gm1 : v;
  }
  s->release[i] = scan_block(c, wk->w, k, acc, x, over);
}

static void *run_worker(void *arg) {
  worker *wk = arg;
  draw_ctx *c = wk->c;
  sw_sim *s = c->s;
  size_t finished = 0;
  for (;;) {
    pthread_mutex_lock(&c->mu);
    c->done += finished;
    uint64_t done = c->done;
    size_t k = c->next++;
    pthread_mutex_unlock(&c->mu);
    if (wk->reports) sw__sim_progress(s, done);
    if (k >= c->n_chunks) break;
    size_t a = c->chunk[k], b = c->chunk[k + 1];
    uint32_t t = s->ties[c->order[a]];
    const double *trow = c->ones;
    if (t != SIM_NO_TIES) {
      if (wk->trow_of != t) {
        weight_row(c, s->point[t], s->o->b_ties, wk->trow);
        wk->trow_of = t;
      }
      trow = wk->trow;
    }
    for (size_t q = a; q < b; q++)
      draw_one(c, wk, c->order[q], trow);
    finished = b - a;
  }
  return NULL;
}

/* Facility, date, ties and the release uniform of every record. */
static void draw_inputs(sw_sim *s) {
  const sw_simulate_opts *o = s->o;
  uint64_t span = (uint64_t)((int64_t)o->to - o->from) + 1;
  for (size_t i = 0; i < s->n; i++) {
    sw_rng r;
    sw__rng_init(&r, o->seed, i);
    s->facility[i] = pick_cdf(s->fac_cdf, s->n_fac, sw__rng_uniform(&r));
    s->date[i] = (int32_t)(o->from + (int64_t)sw__rng_below(&r, span));
    bool has_ties = sw__rng_uniform(&r) < o->share_ties;
    uint32_t t = pick_cdf(s->ties_cdf, s->n_regions, sw__rng_uniform(&r));
    s->ties[i] = has_ties ? t : SIM_NO_TIES;
    s->u[i] = sw__rng_uniform(&r);
  }
}

/* Group records by ties region and, within a group, by facility (two
 * stable counting sorts, facility first), then cut the groups into chunks
 * of at most CHUNK records. A worker computes the ties row once per chunk,
 * and consecutive records of a facility find its row in cache. */
static bool make_chunks(draw_ctx *c) {
  sw_sim *s = c->s;
  size_t G = c->R + 1, n = s->n, F = s->n_fac;
  size_t *start = sw__calloc((G > F ? G : F) + 1, sizeof *start);
  uint32_t *by_fac = sw__malloc((n ? n : 1) * sizeof *by_fac);
  c->order = sw__malloc((n ? n : 1) * sizeof *c->order);
  c->chunk = sw__malloc((n / CHUNK + G + 1) * sizeof *c->chunk);
  if (!start || !by_fac || !c->order || !c->chunk) {
    sw__free(start);
    sw__free(by_fac);
    return false;
  }
  for (size_t i = 0; i < n; i++)
    start[s->facility[i] + 1]++;
  for (size_t f = 0; f < F; f++)
    start[f + 1] += start[f];
  for (size_t i = 0; i < n; i++)
    by_fac[start[s->facility[i]]++] = (uint32_t)i;
  memset(start, 0, (G + 1) * sizeof *start);
  for (size_t i = 0; i < n; i++)
    start[(s->ties[i] == SIM_NO_TIES ? c->R : s->ties[i]) + 1]++;
  for (size_t g = 0; g < G; g++)
    start[g + 1] += start[g];
  c->n_chunks = 0;
  for (size_t g = 0; g < G; g++)
    for (size_t a = start[g]; a < start[g + 1]; a += CHUNK)
      c->chunk[c->n_chunks++] = a;
  c->chunk[c->n_chunks] = n;
  for (size_t q = 0; q < n; q++) {
    uint32_t i = by_fac[q];
    size_t g = s->ties[i] == SIM_NO_TIES ? c->R : s->ties[i];
    c->order[start[g]++] = i;
  }
  sw__free(start);
  sw__free(by_fac);
  return true;
}

static bool worker_init(worker *wk, draw_ctx *c) {
  memset(wk, 0, sizeof *wk);
  wk->c = c;
  wk->trow_of = UINT32_MAX;
  wk->w = sw__malloc(c->R * sizeof *wk->w);
  wk->trow = sw__malloc(c->R * sizeof *wk->trow);
  wk->tmp = sw__malloc(c->R * sizeof *wk->tmp);
  wk->block = sw__malloc(c->n_blocks * sizeof *wk->block);
  wk->block_t = sw__malloc(c->n_blocks * sizeof *wk->block_t);
  return wk->w && wk->trow && wk->tmp && wk->block && wk->block_t;
}

static void worker_clear(worker *wk) {
  sw__free(wk->w);
  sw__free(wk->trow);
  sw__free(wk->tmp);
  sw__free(wk->block);
  sw__free(wk->block_t);
}

static void ctx_clear(draw_ctx *c) {
  sw__free(c->fac_w);
  sw__free(c->ux);
  sw__free(c->uy);
  sw__free(c->uz);
  sw__free(c->ones);
  sw__free(c->order);
  sw__free(c->chunk);
}

sw_status sw__sim_draw(sw_sim *s, sw_error *err) {
  const sw_simulate_opts *o = s->o;
  size_t n = s->n, R = s->n_regions;
  s->facility = sw__malloc(n * sizeof *s->facility);
  s->date = sw__malloc(n * sizeof *s->date);
  s->ties = sw__malloc(n * sizeof *s->ties);
  s->u = sw__malloc(n * sizeof *s->u);
  s->release = sw__malloc(n * sizeof *s->release);
  s->p_target = sw__malloc(n * sizeof *s->p_target);
  draw_ctx c = {.s = s, .R = R, .n_blocks = (R + BLOCK - 1) / BLOCK};
  size_t cells;
  c.fac_w = sw__mul_size(s->n_fac, R * sizeof *c.fac_w, &cells)
                ? sw__malloc(cells)
                : NULL;
  c.ux = sw__malloc(R * sizeof *c.ux);
  c.uy = sw__malloc(R * sizeof *c.uy);
  c.uz = sw__malloc(R * sizeof *c.uz);
  c.ones = sw__malloc(R * sizeof *c.ones);
  if (!s->facility || !s->date || !s->ties || !s->u || !s->release ||
      !s->p_target || !c.fac_w || !c.ux || !c.uy || !c.uz || !c.ones) {
    ctx_clear(&c);
    return sw__err(err, SW_E_NOMEM, "out of memory");
  }
  for (size_t j = 0; j < R; j++) {
    double u[3];
    sw__unit_vector(s->point[j], u);
    c.ux[j] = u[0];
    c.uy[j] = u[1];
    c.uz[j] = u[2];
    c.ones[j] = 1;
  }
  for (size_t f = 0; f < s->n_fac; f++)
    weight_row(&c, s->fac_pt[f], o->b_origin, c.fac_w + f * R);
  c.gm1 = expm1(o->steer);
  draw_inputs(s);
  if (!make_chunks(&c)) {
    ctx_clear(&c);
    return sw__err(err, SW_E_NOMEM, "out of memory");
  }

  unsigned T = o->threads ? o->threads : 1;
  if (T > c.n_chunks) T = (unsigned)c.n_chunks;
  if (T < 1) T = 1;
  worker *wk = sw__calloc(T, sizeof *wk);
  pthread_t *tid = sw__calloc(T, sizeof *tid);
  bool ok = wk && tid;
  for (unsigned t = 0; ok && t < T; t++)
    ok = worker_init(&wk[t], &c);
  sw_status st = ok ? SW_OK : sw__err(err, SW_E_NOMEM, "out of memory");
  if (st == SW_OK && pthread_mutex_init(&c.mu, NULL) != 0)
    st = sw__err(err, SW_E_INTERNAL, "cannot create a mutex");
  if (st != SW_OK) {
    for (unsigned t = 0; wk && t < T; t++)
      worker_clear(&wk[t]);
    sw__free(wk);
    sw__free(tid);
    ctx_clear(&c);
    return st;
  }
  /* Threads that cannot be started leave their share to the others; the
   * calling thread works too and reports progress. */
  unsigned started = 0;
  for (unsigned t = 1; t < T; t++)
    if (pthread_create(&tid[started + 1], NULL, run_worker, &wk[t]) == 0)
      started++;
  wk[0].reports = true;
  run_worker(&wk[0]);
  for (unsigned t = 0; t < started; t++)
    pthread_join(tid[t + 1], NULL);
  pthread_mutex_destroy(&c.mu);
  for (unsigned t = 0; t < T; t++)
    worker_clear(&wk[t]);
  sw__free(wk);
  sw__free(tid);
  ctx_clear(&c);
  return SW_OK;
}
