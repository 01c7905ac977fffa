/*
 * model_peer.c — the choice model's side of the peer comparisons and the
 * model benchmark. Simulates an audit design from SPEC's definitions
 * (records at ~20 facilities, regions scattered in a lon/lat box, ties for
 * 70% of records, a target flag, one covariate; choices drawn from the
 * conditional logit with known coefficients), writes it in long format for
 * R clogit and statsmodels, and writes steerwatch's fit of it.
 *
 *   model_peer DIR [RECORDS [REGIONS [SEED [REPS [THREADS [K [fe|spline]]]]]]]
 *
 * With `fe` the design is the audit's within-region one: every region has
 * an appeal of its own (normal, SD 0.5) that the fit absorbs in a
 * constant per region, the target is flagged only for records after a
 * midpoint (target x after), and there is no covariate (a region's
 * covariate is constant, so the constants absorb it too). `spline` is the
 * same design with the spline distance terms (model_design.h) in place of
 * the log1p_km ones, the headline's default. With K > 0 the fit
 * uses the chosen region plus K sampled others, and the choices are drawn among
 * such a sample (a timing case, for scale: the draw over all regions would
 * dominate). DIR "-" writes no files. Otherwise it writes DIR/long.csv
 * (rec,alt,choice,facility,<features>), DIR/sw.csv
 * (name,estimate,se,se_cluster, then log_likelihood, null_log_likelihood,
 * lr_statistic, p_value, n_clusters as name,value rows) and prints the median
 * wall time of REPS fits (full + restricted + expected share) in seconds on
 * stdout.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model_design.h"
#include "rng.h"
#include "steerwatch.h"

#define N_FAC 20

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static sw_point random_point(sw_rng *r) {
  return (sw_point){25 + 23 * sw__rng_uniform(r),
                    -120 + 50 * sw__rng_uniform(r)};
}

static void die(const char *what, const sw_error *e) {
  fprintf(stderr, "model_peer: %s: %s\n", what, e ? e->message : "failed");
  exit(1);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: model_peer DIR [RECORDS [REGIONS [SEED [REPS "
                    "[THREADS]]]]]\n");
    return 64;
  }
  const char *dir = argv[1];
  size_t n = argc > 2 ? strtoul(argv[2], NULL, 10) : 3000;
  size_t R = argc > 3 ? strtoul(argv[3], NULL, 10) : 60;
  uint64_t seed = argc > 4 ? strtoull(argv[4], NULL, 10) : 1;
  int reps = argc > 5 ? atoi(argv[5]) : 1;
  unsigned threads = argc > 6 ? (unsigned)atoi(argv[6]) : 2;
  size_t K = argc > 7 ? strtoul(argv[7], NULL, 10) : 0;
  bool spline = argc > 8 && strcmp(argv[8], "spline") == 0;
  bool fe = spline || (argc > 8 && strcmp(argv[8], "fe") == 0);
  bool files = strcmp(dir, "-") != 0;
  if (n < 10 || R < 3 || reps < 1) return 64;

  sw_point *regions = calloc(R, sizeof *regions);
  sw_point *origins = calloc(N_FAC, sizeof *origins);
  sw_point *ties = calloc(n, sizeof *ties);
  uint32_t *origin = calloc(n, sizeof *origin);
  uint32_t *chosen = calloc(n, sizeof *chosen);
  uint8_t *target = calloc(2 * R, 1); /* fe: row 0 before, row 1 after */
  double *income = calloc(R, sizeof *income);
  double *appeal = calloc(R, sizeof *appeal);
  uint32_t *after = calloc(n, sizeof *after);
  if (!regions || !origins || !ties || !origin || !chosen || !target ||
      !income || !appeal || !after)
    die("allocation", NULL);
  sw_rng r;
  sw__rng_init(&r, seed, 0);
  for (size_t j = 0; j < R; j++) {
    regions[j] = random_point(&r);
    target[j] = j % 10 < 3;
    income[j] = sw__rng_uniform(&r) * 2 - 1;
  }
  if (fe)
    for (size_t j = 0; j < R; j++) {
      target[R + j] = target[j];
      target[j] = 0;
      appeal[j] = 0.5 * sw__rng_normal(&r);
    }
  for (size_t f = 0; f < N_FAC; f++)
    origins[f] = random_point(&r);
  for (size_t i = 0; i < n; i++) {
    origin[i] = (uint32_t)sw__rng_below(&r, N_FAC);
    ties[i] =
        sw__rng_uniform(&r) < 0.7 ? random_point(&r) : (sw_point){NAN, NAN};
    after[i] = fe && i >= n / 2;
  }
  static const char *const cov_names[] = {"income"};
  sw_geo_spec spec = {.n_records = n,
                      .origin = origin,
                      .origins = origins,
                      .n_origins = N_FAC,
                      .ties = ties,
                      .chosen = chosen,
                      .n_regions = R,
                      .region_points = regions,
                      .target = target,
                      .period = after,
                      .n_periods = fe ? 2 : 1,
                      .n_covariates = fe ? 0 : 1,
                      .covariates = income,
                      .covariate_names = cov_names,
                      .cluster = origin,
                      .n_clusters = N_FAC,
                      .n_sampled = K,
                      .seed = seed,
                      .spline = spline};
  if (K)
    for (size_t i = 0; i < n; i++)
      chosen[i] = (uint32_t)sw__rng_below(&r, R);
  sw_geo_design *gd;
  sw_error e;
  if (sw__geo_design_new(&spec, &gd, &e) != SW_OK) die("design", &e);
  const sw_design *d = sw__geo_design_get(gd);
  const size_t p = d->n_features, S = d->max_alts;

  /* Draw the choices, and write the long format with the very features
   * the fit will see (17 significant digits: exact round trip). */
  char path[4096];
  snprintf(path, sizeof path, "%s/long.csv", dir);
  FILE *out = files ? fopen(path, "w") : NULL;
  if (files && !out) die("cannot write long.csv", NULL);
  if (out) {
    fprintf(out, "rec,alt,choice,facility");
    for (size_t k = 0; k < p; k++)
      fprintf(out, ",%s", d->names[k]);
    fprintf(out, "\n");
  }
  /* log1p: origin, ties, target, income; spline: the origin's slope per
   * 100 km in each band, the same for ties, target. */
  static const double beta_log1p[] = {-1.2, -0.9, 0.35, 0.25};
  static const double beta_spline[] = {-0.8, -0.4, -0.1,  -0.05, -1.0,
                                       -0.5, -0.1, -0.05, 0.35};
  const double *beta = spline ? beta_spline : beta_log1p;
  double *x = calloc(p * S, sizeof *x), *v = calloc(S, sizeof *v);
  uint32_t *alt = calloc(S, sizeof *alt);
  for (size_t i = 0; i < n; i++) {
    size_t m, c;
    if (d->fill(d->user, i, x, alt, &m, &c) != SW_OK) die("fill", NULL);
    double s = 0;
    for (size_t j = 0; j < m; j++) {
      double u = 0;
      for (size_t k = 0; k < p; k++)
        u += beta[k] * x[k * S + j];
      s += v[j] = exp(u + appeal[alt[j]]);
    }
    double t = sw__rng_uniform(&r) * s;
    size_t pick = 0;
    while (pick + 1 < m && (t -= v[pick]) > 0)
      pick++;
    chosen[i] = alt[pick];
    for (size_t j = 0; j < m && out; j++) {
      fprintf(out, "%zu,%u,%d,%u", i + 1, (unsigned)alt[j], j == pick,
              (unsigned)origin[i]);
      for (size_t k = 0; k < p; k++)
        fprintf(out, ",%.17g", x[k * S + j]);
      fprintf(out, "\n");
    }
  }
  if (out && fclose(out) != 0) die("write long.csv", NULL);
  if (K) { /* the samples depend on the chosen regions just drawn */
    sw__geo_design_free(gd);
    if (sw__geo_design_new(&spec, &gd, &e) != SW_OK) die("design", &e);
    d = sw__geo_design_get(gd);
  }

  const size_t tf = sw__geo_target_feature(&spec);
  bool omit[2 * (1 + SW_GEO_N_KNOTS) + 1] = {false};
  omit[tf] = true;
  size_t J = fe ? R : 0;
  sw_model_opts of = {.threads = threads, .n_constants = J};
  sw_model_opts orr = {.threads = threads, .omit = omit, .n_constants = J};
  sw_model_result *full = NULL, *restr = NULL;
  double *times = calloc((size_t)reps, sizeof *times);
  double share = 0;
  for (int k = 0; k < reps; k++) {
    sw_model_result_free(full);
    sw_model_result_free(restr);
    double t0 = now();
    if (sw_model_fit(d, &of, &full, &e) != SW_OK) die("fit", &e);
    orr.start = full->estimate; /* gamma is omitted, the rest carry over */
    orr.start_constants = full->constants; /* as the audit's fits do */
    orr.want_mass = true; /* the expected share, from the same pass */
    orr.mass_feature = tf;
    if (sw_model_fit(d, &orr, &restr, &e) != SW_OK) die("restricted", &e);
    times[k] = now() - t0;
  }
  for (size_t i = 0; i < n; i++)
    share += restr->mass[i];
  share /= (double)n;
  double lr, pv;
  if (sw_model_lr_test(full, restr, &lr, &pv, &e) != SW_OK) die("lr", &e);

  snprintf(path, sizeof path, "%s/sw.csv", dir);
  out = fopen(files ? path : "/dev/null", "w");
  if (!out) die("cannot write sw.csv", NULL);
  fprintf(out, "name,estimate,se,se_cluster\n");
  for (size_t k = 0; k < p; k++)
    fprintf(out, "%s,%.17g,%.17g,%.17g\n", full->names[k], full->estimate[k],
            full->se[k], full->se_cluster[k]);
  fprintf(out, "log_likelihood,%.17g,,\n", full->log_likelihood);
  fprintf(out, "null_log_likelihood,%.17g,,\n", restr->log_likelihood);
  fprintf(out, "lr_statistic,%.17g,,\n", lr);
  fprintf(out, "p_value,%.17g,,\n", pv);
  fprintf(out, "n_clusters,%zu,,\n", full->n_clusters);
  fprintf(out, "expected_share,%.17g,,\n", share);
  fprintf(out, "iterations,%u,,\n", full->iterations);
  fprintf(out, "gradient_norm,%.17g,,\n", full->gradient_norm);
  if (fclose(out) != 0) die("write sw.csv", NULL);

  qsort(times, (size_t)reps, sizeof *times, cmp_double);
  printf("%.6f\n", times[reps / 2]);
  sw_model_result_free(full);
  sw_model_result_free(restr);
  sw__geo_design_free(gd);
  free(times);
  free(x);
  free(v);
  free(alt);
  free(regions);
  free(origins);
  free(ties);
  free(origin);
  free(chosen);
  free(target);
  free(income);
  free(appeal);
  free(after);
  return 0;
}
