/*
 * stats.c — chi-square survival, normal quantile and Holm adjustment (see
 * stats.h). Hand-written because libm has erfc but no inverse, and the
 * audit needs only these few functions, not a statistics library.
 */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "err.h"

#define SQRT_1_2 0.70710678118654752440
#define SQRT_2_PI 0.79788456080286535588 /* sqrt(2 / pi) */
#define SQRT_2PI 2.50662827463100050242  /* sqrt(2 pi) */

double sw__chisq_sf(double x, unsigned df) {
  if (isnan(x) || df == 0) return NAN;
  if (x <= 0) return 1.0;
  if (isinf(x)) return 0.0;
  double h = 0.5 * x;
  if (df % 2 == 0) {
    /* Even df: Q = e^{-x/2} sum_{k < df/2} (x/2)^k / k!. */
    double term = 1.0, sum = 1.0;
    for (unsigned k = 1; k < df / 2; k++) {
      term *= h / k;
      sum += term;
    }
    return exp(-h) * sum;
  }
  /* Odd df: Q = erfc(sqrt(x/2)) + sqrt(2x/pi) e^{-x/2}
   * sum_{k=1}^{(df-1)/2} x^{k-1} / (1*3*...*(2k-1)). For df = 1 only the
   * erfc term remains, which keeps full relative precision far in the
   * tail, unlike 1 - cdf. */
  double q = erfc(sqrt(h));
  if (df > 1) {
    double term = 1.0, sum = 1.0;
    for (unsigned k = 2; k <= (df - 1) / 2; k++) {
      term *= x / (2.0 * k - 1.0);
      sum += term;
    }
    q += SQRT_2_PI * sqrt(x) * exp(-h) * sum;
  }
  return q;
}

double sw__normal_cdf(double z) { return 0.5 * erfc(-z * SQRT_1_2); }

double sw__normal_quantile(double p) {
  if (isnan(p) || p < 0 || p > 1) return NAN;
  if (p == 0) return -INFINITY;
  if (p == 1) return INFINITY;
  /* Acklam's coefficients: relative error below 1.15e-9 before polishing. */
  static const double a[6] = {-3.969683028665376e+01, 2.209460984245205e+02,
                              -2.759285104469687e+02, 1.383577518672690e+02,
                              -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[5] = {-5.447609879822406e+01, 1.615858368580409e+02,
                              -1.556989798598866e+02, 6.680131188771972e+01,
                              -1.328068155288572e+01};
  static const double c[6] = {-7.784894002430293e-03, -3.223964580411365e-01,
                              -2.400758277161838e+00, -2.549732539343734e+00,
                              4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[4] = {7.784695709041462e-03, 3.224671290700398e-01,
                              2.445134137142996e+00, 3.754408661907416e+00};
  const double lo = 0.02425;
  double x;
  if (p < lo || p > 1 - lo) {
    double q = sqrt(-2 * log(p < lo ? p : 1 - p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    if (p > 1 - lo) x = -x;
  } else {
    double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) *
        q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  /* One Halley step on cdf(x) - p; the error is taken on the smaller tail
   * so that it keeps its relative precision for p near 1. */
  double e = p < 0.5 ? sw__normal_cdf(x) - p : (1 - p) - sw__normal_cdf(-x);
  double u = e * SQRT_2PI * exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}

typedef struct pv {
  double p;
  size_t i;
} pv;

/* The continued fraction of the incomplete beta function (modified
 * Lentz's method), for x < (a + 1) / (a + b + 2) where it converges fast. */
static double beta_cf(double a, double b, double x) {
  const double tiny = 1e-300;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  d = 1 / (fabs(d) < tiny ? tiny : d);
  double h = d;
  for (int m = 1; m <= 300; m++) {
    double m2 = 2.0 * m;
    double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    for (int half = 0; half < 2; half++) {
      d = 1 + num * d;
      d = 1 / (fabs(d) < tiny ? tiny : d);
      c = 1 + num / c;
      if (fabs(c) < tiny) c = tiny;
      h *= d * c;
      num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    }
    if (fabs(d * c - 1) < 1e-15) break;
  }
  return h;
}

/* Regularized incomplete beta I_x(a, b). */
static double inc_beta(double x, double a, double b) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  double lead =
      exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return lead * beta_cf(a, b, x) / a;
  return 1 - lead * beta_cf(b, a, 1 - x) / b;
}

double sw__t_sf2(double t, double df) {
  if (isnan(t) || !(df > 0)) return NAN;
  if (isinf(t)) return 0;
  return inc_beta(df / (df + t * t), 0.5 * df, 0.5);
}

double sw__t_quantile(double p, double df) {
  if (!(p >= 0.5 && p < 1) || !(df > 0)) return NAN;
  double lo = 0, hi = 1;
  while (sw__t_sf2(hi, df) > 2 * (1 - p))
    hi *= 2;
  while (hi - lo > 1e-12 * hi) {
    double mid = 0.5 * (lo + hi);
    if (sw__t_sf2(mid, df) > 2 * (1 - p))
      lo = mid;
    else
      hi = mid;
  }
  return 0.5 * (lo + hi);
}

static int cmp_pv(const void *a, const void *b) {
  const pv *x = a, *y = b;
  if (x->p < y->p) return -1;
  if (x->p > y->p) return 1;
  /* Ties keep input order, so the result does not depend on qsort. */
  return (x->i > y->i) - (x->i < y->i);
}

sw_status sw__holm(size_t n, const double *p, double *adj, sw_error *err) {
  if (n == 0) return SW_OK;
  pv *v = sw__calloc(n, sizeof *v);
  if (!v) return sw__err(err, SW_E_NOMEM, "out of memory adjusting p-values");
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (!isnan(p[i])) v[m++] = (pv){p[i], i};
  for (size_t i = 0; i < n; i++)
    if (isnan(p[i])) adj[i] = NAN;
  qsort(v, m, sizeof *v, cmp_pv);
  double run = 0;
  for (size_t j = 0; j < m; j++) {
    double a = (double)(m - j) * v[j].p;
    if (a > 1) a = 1;
    if (a > run) run = a;
    adj[v[j].i] = run;
  }
  sw__free(v);
  return SW_OK;
}
