/*
 * rng.c — splitmix64 seeding and the xoshiro256** generator (see rng.h).
 * Written from the published definitions; both are a few shifts and
 * multiplies, so a generator can be re-keyed per record at little cost.
 */
#include "rng.h"

#include <math.h>

uint64_t sw__splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

void sw__rng_init(sw_rng *r, uint64_t seed, uint64_t stream) {
  /* Mix the stream through splitmix first so that neighbouring streams
   * (records i and i+1) do not start from neighbouring states. */
  uint64_t k = stream;
  uint64_t st = seed ^ sw__splitmix64(&k);
  for (int i = 0; i < 4; i++)
    r->s[i] = sw__splitmix64(&st);
  /* xoshiro must not start from all zeros; splitmix64 cannot yield four
   * zero words in a row, but the guard costs nothing. */
  if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3])) r->s[0] = 1;
}

static inline uint64_t rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

/* Inlined into sw__rng_below, which sampling alternatives calls a hundred
 * times a record (callgrind, when every pass drew them: 12% of a
 * 20,000-record x 3,231-region within-region fit's instructions were that
 * call chain; 6.7% with this). */
static inline uint64_t next(sw_rng *r) {
  uint64_t *s = r->s;
  uint64_t out = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return out;
}

uint64_t sw__rng_next(sw_rng *r) { return next(r); }

double sw__rng_uniform(sw_rng *r) {
  return (double)(next(r) >> 11) * 0x1.0p-53;
}

/* Full 64x64 -> 128-bit product as (hi, lo): one instruction where the
 * compiler has a 128-bit integer, else in portable C11 (the same bits). */
static inline uint64_t mul128(uint64_t a, uint64_t b, uint64_t *lo) {
#ifdef __SIZEOF_INT128__
  __extension__ unsigned __int128 x = (unsigned __int128)a * b;
  *lo = (uint64_t)x;
  return (uint64_t)(x >> 64);
#else
  uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
  uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
  *lo = (mid << 32) | (uint32_t)p00;
  return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
#endif
}

uint64_t sw__rng_below(sw_rng *r, uint64_t n) {
  /* The high word of x * n is uniform on [0, n) once the low word falls
   * outside the biased zone of size 2^64 mod n. */
  uint64_t lo;
  uint64_t hi = mul128(next(r), n, &lo);
  if (lo < n) {
    uint64_t zone = (0 - n) % n;
    while (lo < zone)
      hi = mul128(next(r), n, &lo);
  }
  return hi;
}

double sw__rng_normal(sw_rng *r) {
  double u = 1 - sw__rng_uniform(r); /* (0, 1]: the logarithm is finite */
  return sqrt(-2 * log(u)) * cos(6.283185307179586 * sw__rng_uniform(r));
}
