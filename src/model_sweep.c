/*
 * model_sweep.c — one parallel sweep over a design's records, shared by
 * the choice model's Newton driver (model.c) and its constants
 * (model_fe.c): fixed chunks handed out to threads on demand and reduced
 * in chunk order, so that every sum is bitwise the same whatever the
 * number of threads.
 */
#include <pthread.h>
#include <string.h>

#include "alloc.h"
#include "err.h"
#include "model_fit.h"

static void *run_worker(void *arg) {
  worker *w = arg;
  model_pass *ps = w->ps;
  size_t n = ps->d->n_records;
  for (;;) {
    pthread_mutex_lock(&ps->mu);
    if (ps->stop || ps->next_chunk >= ps->n_chunks) {
      pthread_mutex_unlock(&ps->mu);
      break;
    }
    size_t c = ps->next_chunk++;
    pthread_mutex_unlock(&ps->mu);

    memset(w->acc, 0, ps->width * sizeof *w->acc);
    model_failure f = {SW_OK, 0, NULL};
    size_t begin = c * ps->chunk_step * ps->chunk;
    size_t end = begin + ps->chunk < n ? begin + ps->chunk : n;
    ps->fn(ps, w->s, begin, end, w->acc, &f);

    /* Wait for this chunk's turn: the lowest unreduced chunk is always
     * held by a running worker, so this cannot deadlock. */
    pthread_mutex_lock(&ps->mu);
    while (ps->next_reduce != c)
      pthread_cond_wait(&ps->cv, &ps->mu);
    if (ps->fail.st == SW_OK) {
      if (f.st != SW_OK) {
        ps->fail = f;
        ps->stop = true;
      } else {
        for (size_t k = 0; k < ps->width; k++)
          ps->total[k] += w->acc[k];
      }
    }
    ps->next_reduce++;
    pthread_cond_broadcast(&ps->cv);
    pthread_mutex_unlock(&ps->mu);
  }
  return NULL;
}

void sw__model_workers_free(workers *ws) {
  if (ws->s)
    for (unsigned t = 0; t < ws->n; t++) {
      sw__free(ws->s[t].x);
      sw__free(ws->s[t].alt);
      sw__free(ws->s[t].pr);
      sw__free(ws->s[t].dx);
    }
  sw__free(ws->s);
  sw__free(ws->acc);
  sw__free(ws->tid);
  sw__free(ws->w);
  memset(ws, 0, sizeof *ws);
}

sw_status sw__model_workers_init(workers *ws, const sw_design *d,
                                 unsigned threads, size_t width,
                                 sw_error *err) {
  memset(ws, 0, sizeof *ws);
  size_t n_chunks = (d->n_records + SW_MODEL_CHUNK - 1) / SW_MODEL_CHUNK;
  unsigned n = threads ? threads : 1;
  if (n > n_chunks) n = (unsigned)(n_chunks ? n_chunks : 1);
  ws->n = n;
  ws->width_cap = width;
  size_t pm, accn;
  if (!sw__mul_size(d->n_features, d->max_alts, &pm) ||
      !sw__mul_size(width, n, &accn))
    return sw__err(err, SW_E_RANGE, "choice model too large for memory");
  ws->s = sw__calloc(n, sizeof *ws->s);
  ws->acc = sw__calloc(accn ? accn : 1, sizeof *ws->acc);
  ws->tid = sw__calloc(n, sizeof *ws->tid);
  ws->w = sw__calloc(n, sizeof *ws->w);
  if (!ws->s || !ws->acc || !ws->tid || !ws->w) goto nomem;
  for (unsigned t = 0; t < n; t++) {
    ws->s[t].x = sw__calloc(pm ? pm : 1, sizeof(double));
    ws->s[t].dx = sw__calloc(pm ? pm : 1, sizeof(double));
    ws->s[t].alt = sw__calloc(d->max_alts, sizeof(uint32_t));
    ws->s[t].pr = sw__calloc(d->max_alts, sizeof(double));
    if (!ws->s[t].x || !ws->s[t].dx || !ws->s[t].alt || !ws->s[t].pr)
      goto nomem;
  }
  return SW_OK;
nomem:
  sw__model_workers_free(ws);
  return sw__err(err, SW_E_NOMEM, "out of memory for the choice model");
}

/* Run ps over all records; ps->total receives the sums. */
sw_status sw__model_run_pass(model_pass *ps, workers *ws, sw_error *err) {
  if (!ps->chunk_step) ps->chunk_step = 1;
  if (!ps->chunk) ps->chunk = sw__model_chunk(ps->width);
  size_t all = (ps->d->n_records + ps->chunk - 1) / ps->chunk;
  ps->n_chunks = (all + ps->chunk_step - 1) / ps->chunk_step;
  ps->next_chunk = ps->next_reduce = 0;
  ps->stop = false;
  ps->fail = (model_failure){SW_OK, 0, NULL};
  memset(ps->total, 0, ps->width * sizeof *ps->total);
  if (pthread_mutex_init(&ps->mu, NULL) != 0)
    return sw__err(err, SW_E_INTERNAL, "cannot create a mutex");
  if (pthread_cond_init(&ps->cv, NULL) != 0) {
    pthread_mutex_destroy(&ps->mu);
    return sw__err(err, SW_E_INTERNAL, "cannot create a condition variable");
  }
  for (unsigned t = 0; t < ws->n; t++)
    ws->w[t] = (worker){ps, &ws->s[t], ws->acc + (size_t)t * ws->width_cap};
  /* The calling thread is worker 0. Chunks are handed out on demand, so a
   * thread that cannot be created costs speed, never the result. */
  unsigned started = 0;
  for (unsigned t = 1; t < ws->n; t++)
    if (pthread_create(&ws->tid[started], NULL, run_worker, &ws->w[t]) == 0)
      started++;
  run_worker(&ws->w[0]);
  for (unsigned t = 0; t < started; t++)
    pthread_join(ws->tid[t], NULL);
  pthread_cond_destroy(&ps->cv);
  pthread_mutex_destroy(&ps->mu);
  if (ps->fail.st != SW_OK) {
    if (ps->fail.what)
      return sw__err(err, ps->fail.st, "choice model: record %zu: %s",
                     ps->fail.record, ps->fail.what);
    return sw__err(err, ps->fail.st,
                   "choice model: the design provider failed at record %zu "
                   "(%s)",
                   ps->fail.record, sw_status_str(ps->fail.st));
  }
  return SW_OK;
}
