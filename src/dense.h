/*
 * dense.h — the Cholesky factorisation of a small dense symmetric matrix
 * and the solve with its factor, for the choice model's Newton steps
 * (model.c, over the free coefficients) and the Firth-penalised fit
 * (model_firth.c, over the coefficients and the chosen regions'
 * constants).
 */
#ifndef SW_DENSE_H
#define SW_DENSE_H

#include <math.h>
#include <stddef.h>

/* Cholesky factor of the n x n matrix a (row-major, lower triangle used)
 * in place, the lower triangle becoming L with a = L L'. Returns n on
 * success, else the index of the first pivot not above tol (the matrix is
 * not positive definite to that tolerance). The factor of a leading
 * k x k block is the leading block of the factor, which lets a caller
 * solve with a submatrix without factoring again. */
static inline size_t sw__cholesky(double *a, size_t n, double tol) {
  for (size_t j = 0; j < n; j++) {
    double s = a[j * n + j];
    for (size_t k = 0; k < j; k++)
      s -= a[j * n + k] * a[j * n + k];
    if (!(s > tol)) return j;
    double r = sqrt(s);
    a[j * n + j] = r;
    for (size_t i = j + 1; i < n; i++) {
      double t = a[i * n + j];
      for (size_t k = 0; k < j; k++)
        t -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = t / r;
    }
  }
  return n;
}

/* Solve L L' y = b in place, with L the leading m x m block of the
 * n x n factor l (m = n: the whole matrix). */
static inline void sw__chol_solve(const double *l, size_t n, size_t m,
                                  double *b) {
  for (size_t i = 0; i < m; i++) {
    double t = b[i];
    for (size_t k = 0; k < i; k++)
      t -= l[i * n + k] * b[k];
    b[i] = t / l[i * n + i];
  }
  for (size_t i = m; i-- > 0;) {
    double t = b[i];
    for (size_t k = i + 1; k < m; k++)
      t -= l[k * n + i] * b[k];
    b[i] = t / l[i * n + i];
  }
}

#endif
