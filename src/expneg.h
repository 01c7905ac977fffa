/*
 * expneg.h — exp(x) for x <= 0, a vector of SW_LANES doubles at a time
 * (2 unless the includer says otherwise), for the choice model's loop
 * over alternatives (model_kernel.h).
 *
 * Hand-written because the library's was measured too slow for this loop:
 * on the 3,000 x 60 audit of bench/audit_peers.sh, glibc's exp and its
 * errno wrapper were 25% of all instructions (callgrind), one call per
 * alternative that GCC -O2 cannot vectorise. This one is written in GCC
 * vector extensions (SSE2 or AVX2 on x86-64, NEON on arm64, plain scalar
 * code where there is no SIMD), branch-free, and rounds the same way at
 * every optimisation level and lane count (ISO C mode: no FMA
 * contraction), so Debug, sanitizer and release builds and every kernel
 * give byte-identical results.json.
 *
 * Method: x = k ln2 + r with |r| <= ln2/2 (Cody-Waite: ln2 split in two so
 * k * LN2_HI is exact), exp(r) by its Taylor series to degree 13 (the
 * remainder is below 4e-18, so the result is within a few ulp of exp(x);
 * test_expneg measures it), times 2^k built in the exponent bits. Inputs
 * below -708 give exp(-708), about 3.3e-308, instead of a subnormal or 0:
 * the model only takes exp of utilities minus their maximum and adds them
 * to a sum of at least 1.
 */
#ifndef SW_EXPNEG_H
#define SW_EXPNEG_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifndef SW_LANES
#define SW_LANES 2
#endif

typedef double sw_vd __attribute__((vector_size(8 * SW_LANES)));
typedef int64_t sw_vi __attribute__((vector_size(8 * SW_LANES)));

/* Unaligned load and store of a vector (memcpy compiles to one move). */
static inline sw_vd sw__vload(const double *p) {
  sw_vd v;
  memcpy(&v, p, sizeof v);
  return v;
}

static inline void sw__vstore(double *p, sw_vd v) { memcpy(p, &v, sizeof v); }

static inline sw_vd sw__expneg(sw_vd x) {
  const sw_vd FLOOR = (sw_vd){0} - 708.0;
  const double LOG2E = 1.4426950408889634074;
  const double LN2_HI = 6.93147180369123816490e-01; /* low 32 bits zero */
  const double LN2_LO = 1.90821492927058770002e-10;
  const double SHIFT = 6755399441055744.0; /* 1.5 * 2^52: rounds to integer */
  sw_vi below = x < FLOOR;                 /* all ones where x < -708 */
  x = (sw_vd)(((sw_vi)x & ~below) | ((sw_vi)FLOOR & below));
  sw_vd kd = x * LOG2E + SHIFT; /* SHIFT + k, k = round(x / ln2) */
  sw_vi bits = (sw_vi)kd;
  kd -= SHIFT;
  sw_vd r = (x - kd * LN2_HI) - kd * LN2_LO;
  /* Estrin's scheme: pairs of terms, then pairs of pairs, so that the
   * longest chain of dependent operations is 7 instead of Horner's 26
   * (perf annotate found the Horner loop waiting on that chain). */
  sw_vd r2 = r * r;
  sw_vd r4 = r2 * r2;
  sw_vd r8 = r4 * r4;
  sw_vd a0 = 1.0 + r;
  sw_vd a1 = 0.5 + r * (1.0 / 6.0);
  sw_vd a2 = 1.0 / 24.0 + r * (1.0 / 120.0);
  sw_vd a3 = 1.0 / 720.0 + r * (1.0 / 5040.0);
  sw_vd a4 = 1.0 / 40320.0 + r * (1.0 / 362880.0);
  sw_vd a5 = 1.0 / 3628800.0 + r * (1.0 / 39916800.0);
  sw_vd a6 = 1.0 / 479001600.0 + r * (1.0 / 6227020800.0); /* 12!, 13! */
  sw_vd b0 = a0 + r2 * a1;
  sw_vd b1 = a2 + r2 * a3;
  sw_vd b2 = a4 + r2 * a5;
  sw_vd p = (b0 + r4 * b1) + r8 * (b2 + r4 * a6);
  /* The low bits of SHIFT + k hold 2^51 + k; adding the exponent bias and
   * shifting by 52 leaves k + 1023 in the exponent field (k >= -1022). */
  return p * (sw_vd)((bits + 1023) << 52);
}

/* exp of every v[j] - sub, j < m, in place. */
static inline void sw__expneg_sub(double *v, double sub, size_t m) {
  size_t j = 0;
  for (; j + SW_LANES <= m; j += SW_LANES)
    sw__vstore(v + j, sw__expneg(sw__vload(v + j) - sub));
  if (j < m) {
    sw_vd x = {0};
    for (size_t t = 0; j + t < m; t++)
      x[t] = v[j + t] - sub;
    x = sw__expneg(x);
    for (size_t t = 0; j + t < m; t++)
      v[j + t] = x[t];
  }
}

#endif
