/*
 * number.c — strict decimal parsing for CSV fields (see number.h).
 *
 * Most fields are short decimals (`-73.935242`): an integer below 2^53
 * divided by an exact power of ten, for which one correctly rounded
 * division gives exactly what strtod returns, several times faster. The
 * rest (long mantissas, exponents) go to strtod once the syntax is checked.
 */
#include "number.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static const double pow10_exact[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

bool sw__parse_number(const char *s, size_t len, double *out) {
  const char *p = s, *end = s + len;
  bool neg = false;
  if (p < end && (*p == '-' || *p == '+')) neg = *p++ == '-';
  uint64_t m = 0; /* wraps past 19 digits; then strtod decides */
  const char *d0 = p;
  while (p < end && (unsigned char)(*p - '0') < 10)
    m = m * 10 + (uint64_t)(*p++ - '0');
  size_t n_digits = (size_t)(p - d0), frac = 0;
  if (p < end && *p == '.') {
    const char *f0 = ++p;
    while (p < end && (unsigned char)(*p - '0') < 10)
      m = m * 10 + (uint64_t)(*p++ - '0');
    frac = (size_t)(p - f0);
    n_digits += frac;
  }
  if (n_digits == 0) return false;
  if (p == end && n_digits <= 19 && m <= (1ull << 53) && frac <= 22) {
    double v = (double)m / pow10_exact[frac];
    *out = neg ? -v : v;
    return true;
  }
  if (p < end) {
    if (*p != 'e' && *p != 'E') return false;
    p++;
    if (p < end && (*p == '-' || *p == '+')) p++;
    if (p == end) return false;
    for (; p < end; p++)
      if ((unsigned char)(*p - '0') >= 10) return false;
  }
  double v = strtod(s, NULL);
  if (!isfinite(v)) return false;
  *out = v;
  return true;
}

/* Below 1e9 the product x * 10^d is within 1.2e-7 of exact, so unless it
 * is within 1e-6 of a tie, rounding it rounds x the way printf does. */
size_t sw__fmt_fixed(double x, int decimals, char out[SW_FIXED_MAX]) {
  static const double scale[] = {1, 10, 100, 1000};
  double y = fabs(x) * scale[decimals], r = nearbyint(y);
  if (!(y < 1e9) || fabs(fabs(y - r) - 0.5) < 1e-6) {
    int k = snprintf(out, SW_FIXED_MAX, "%.*f", decimals, x);
    return k > 0 ? (size_t)k : 0;
  }
  char digits[24];
  int nd = 0;
  for (uint64_t v = (uint64_t)r; nd == 0 || v; v /= 10)
    digits[nd++] = (char)('0' + v % 10);
  while (nd <= decimals)
    digits[nd++] = '0';
  size_t k = 0;
  if (signbit(x)) out[k++] = '-';
  while (nd > decimals)
    out[k++] = digits[--nd];
  if (decimals) out[k++] = '.';
  while (nd > 0)
    out[k++] = digits[--nd];
  out[k] = '\0';
  return k;
}

size_t sw__fmt_shortest(double x, char out[SW_SHORTEST_MAX]) {
  int k = 0;
  for (int prec = 15; prec <= 17; prec++) {
    k = snprintf(out, SW_SHORTEST_MAX, "%.*g", prec, x);
    if (!isfinite(x) || strtod(out, NULL) == x) break;
  }
  if (isfinite(x))
    for (char *c = out; *c; c++)
      if (*c != '-' && *c != '+' && *c != 'e' && (*c < '0' || *c > '9'))
        *c = '.';
  return k > 0 ? (size_t)k : 0;
}
