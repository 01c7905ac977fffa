/*
 * firth_peer.c — steerwatch's side of the Firth peer comparison
 * (firth_r.test.sh): a small within-region design under separation, a
 * constant per region, a distance-like feature and target x after, where
 * every placement after the midpoint went to a target region. Writes
 * DIR/long.csv (rec,alt,choice,x,target) and DIR/sw.csv (name,value: the
 * Firth estimate, its profile interval, the penalised likelihood-ratio
 * statistic and p-value, the penalised log-likelihoods).
 *
 *   firth_peer DIR [RECORDS [REGIONS [SEED]]]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_firth.h"
#include "rng.h"

typedef struct world {
  size_t n, R;
  double *x;      /* n x R */
  uint8_t *tgt;   /* R */
  uint32_t *pick; /* n */
} world;

static sw_status fill(void *user, size_t i, double *x, uint32_t *alt,
                      size_t *n_alt, size_t *chosen) {
  const world *w = user;
  bool after = i >= w->n / 2;
  for (size_t j = 0; j < w->R; j++) {
    x[j] = w->x[i * w->R + j];
    x[w->R + j] = after && w->tgt[j];
    alt[j] = (uint32_t)j;
  }
  *n_alt = w->R;
  *chosen = w->pick[i];
  return SW_OK;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: firth_peer DIR [RECORDS [REGIONS [SEED]]]\n");
    return 64;
  }
  world w = {.n = argc > 2 ? strtoul(argv[2], NULL, 10) : 200,
             .R = argc > 3 ? strtoul(argv[3], NULL, 10) : 8};
  uint64_t seed = argc > 4 ? strtoull(argv[4], NULL, 10) : 1;
  if (w.n < 10 || w.R < 3) return 64;
  w.x = calloc(w.n * w.R, sizeof *w.x);
  w.tgt = calloc(w.R, 1);
  w.pick = calloc(w.n, sizeof *w.pick);
  double *appeal = calloc(w.R, sizeof *appeal), *v = calloc(w.R, sizeof *v);
  if (!w.x || !w.tgt || !w.pick || !appeal || !v) return 1;
  sw_rng r;
  sw__rng_init(&r, seed, 0);
  for (size_t j = 0; j < w.R; j++) {
    w.tgt[j] = j % 3 == 0;
    appeal[j] = 0.5 * sw__rng_normal(&r);
  }
  for (size_t i = 0; i < w.n; i++) {
    /* After the midpoint only target regions draw anyone: separation. */
    bool after = i >= w.n / 2;
    double s = 0;
    for (size_t j = 0; j < w.R; j++) {
      w.x[i * w.R + j] = sw__rng_normal(&r);
      v[j] = after && !w.tgt[j] ? 0 : exp(appeal[j] - w.x[i * w.R + j]);
      s += v[j];
    }
    double t = sw__rng_uniform(&r) * s;
    size_t k = 0;
    while (k + 1 < w.R && (t -= v[k]) > 0)
      k++;
    while (v[k] == 0) /* rounding past the last region drawing anyone */
      k--;
    w.pick[i] = (uint32_t)k;
  }
  static const char *const names[] = {"x", "target"};
  sw_design d = {.n_records = w.n,
                 .n_features = 2,
                 .max_alts = w.R,
                 .names = names,
                 .fill = fill,
                 .user = &w};
  char path[4096];
  snprintf(path, sizeof path, "%s/long.csv", argv[1]);
  FILE *out = fopen(path, "w");
  if (!out) return 73;
  fprintf(out, "rec,alt,choice,x,target\n");
  for (size_t i = 0; i < w.n; i++)
    for (size_t j = 0; j < w.R; j++)
      fprintf(out, "%zu,%zu,%d,%.17g,%d\n", i + 1, j, w.pick[i] == j,
              w.x[i * w.R + j], i >= w.n / 2 && w.tgt[j]);
  if (fclose(out)) return 74;
  sw_firth_result f;
  sw_error e;
  if (sw__firth_fit(&d, w.R, NULL, 1, &f, &e)) {
    fprintf(stderr, "firth_peer: %s\n", e.message);
    return 1;
  }
  snprintf(path, sizeof path, "%s/sw.csv", argv[1]);
  if (!(out = fopen(path, "w"))) return 73;
  fprintf(out,
          "name,value\nestimate,%.17g\nci_low,%.17g\nci_high,%.17g\n"
          "statistic,%.17g\np_value,%.17g\npenalised_ll,%.17g\n"
          "penalised_ll_null,%.17g\n",
          f.estimate, f.ci_low, f.ci_high, f.statistic, f.p_value,
          f.penalised_ll, f.penalised_ll_null);
  if (fclose(out)) return 74;
  free(w.x);
  free(w.tgt);
  free(w.pick);
  free(appeal);
  free(v);
  return 0;
}
