/*
 * expneg.h — exp(x) for x <= 0, two lanes at a time, for the choice
 * model's loop over alternatives (model.c).
 *
 * Hand-written because the library's was measured too slow for this loop:
 * on the 3,000 x 60 audit of bench/audit_peers.sh, glibc's exp and its
 * errno wrapper were 25% of all instructions (callgrind), one call per
 * alternative that GCC -O2 cannot vectorise. This one is written in GCC
 * vector extensions (two doubles: SSE2 on any x86-64, plain scalar code
 * where there is no SIMD), branch-free, and rounds the same way at every
 * optimisation level (ISO C mode: no FMA contraction), so Debug, sanitizer
 * and release builds give byte-identical results.json.
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

typedef double sw_v2d __attribute__((vector_size(16)));
typedef int64_t sw_v2i __attribute__((vector_size(16)));

static inline sw_v2d sw__expneg2(sw_v2d x) {
  const sw_v2d FLOOR = {-708.0, -708.0};
  const double LOG2E = 1.4426950408889634074;
  const double LN2_HI = 6.93147180369123816490e-01; /* low 32 bits zero */
  const double LN2_LO = 1.90821492927058770002e-10;
  const double SHIFT = 6755399441055744.0; /* 1.5 * 2^52: rounds to integer */
  sw_v2i below = x < FLOOR;                /* all ones where x < -708 */
  x = (sw_v2d)(((sw_v2i)x & ~below) | ((sw_v2i)FLOOR & below));
  sw_v2d kd = x * LOG2E + SHIFT; /* SHIFT + k, k = round(x / ln2) */
  sw_v2i bits = (sw_v2i)kd;
  kd -= SHIFT;
  sw_v2d r = (x - kd * LN2_HI) - kd * LN2_LO;
  sw_v2d p = r * (1.0 / 6227020800.0) + 1.0 / 479001600.0; /* 1/13!, 1/12! */
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  /* The low bits of SHIFT + k hold 2^51 + k; adding the exponent bias and
   * shifting by 52 leaves k + 1023 in the exponent field (k >= -1022). */
  return p * (sw_v2d)((bits + 1023) << 52);
}

/* exp of every v[j] - sub, j < m, in place. */
static inline void sw__expneg_sub(double *v, double sub, size_t m) {
  size_t j = 0;
  for (; j + 2 <= m; j += 2) {
    sw_v2d x = {v[j] - sub, v[j + 1] - sub};
    x = sw__expneg2(x);
    v[j] = x[0];
    v[j + 1] = x[1];
  }
  if (j < m) {
    sw_v2d x = {v[j] - sub, 0};
    v[j] = sw__expneg2(x)[0];
  }
}

#endif
