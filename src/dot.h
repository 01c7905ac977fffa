/*
 * dot.h — the dot product (or plain sum) with four interleaved partial
 * sums, for the loops over regions of the choice model (model_kernel.h)
 * and the simulator (simulate_draw.c).
 */
#ifndef SW_DOT_H
#define SW_DOT_H

#include <stddef.h>

/* Sum of a[j] * b[j] (b NULL: of a[j]) in four interleaved partial sums:
 * breaks the chain of dependent additions (and lets the compiler pair
 * lanes) while keeping a fixed, thread-independent order. */
static inline double sw__dot(const double *restrict a, const double *restrict b,
                             size_t m) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t j = 0;
  if (b) {
    for (; j + 4 <= m; j += 4) {
      s0 += a[j] * b[j];
      s1 += a[j + 1] * b[j + 1];
      s2 += a[j + 2] * b[j + 2];
      s3 += a[j + 3] * b[j + 3];
    }
    for (; j < m; j++)
      s0 += a[j] * b[j];
  } else {
    for (; j + 4 <= m; j += 4) {
      s0 += a[j];
      s1 += a[j + 1];
      s2 += a[j + 2];
      s3 += a[j + 3];
    }
    for (; j < m; j++)
      s0 += a[j];
  }
  return (s0 + s1) + (s2 + s3);
}

#endif
