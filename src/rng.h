/*
 * rng.h — the seeded random numbers of steerwatch: sampled alternatives in
 * the choice model now, synthetic records in simulate later.
 *
 * Reproducibility comes before speed: a generator is keyed by (seed,
 * stream), so that the alternatives drawn for record i can be regenerated
 * on every pass of the estimator, in any thread, without being stored.
 */
#ifndef SW_RNG_H
#define SW_RNG_H

#include <stdint.h>

/* xoshiro256** state (Blackman and Vigna); 32 bytes, copyable. */
typedef struct sw_rng {
  uint64_t s[4];
} sw_rng;

/* One step of splitmix64: advances *state and returns a well-mixed word.
 * Also the seeding function for sw_rng. */
uint64_t sw__splitmix64(uint64_t *state);

/* Key a generator by (seed, stream); distinct pairs give independent-looking
 * sequences, the same pair always the same one. */
void sw__rng_init(sw_rng *r, uint64_t seed, uint64_t stream);

/* The next 64 random bits. */
uint64_t sw__rng_next(sw_rng *r);

/* Uniform on [0, 1) with 53 random bits. */
double sw__rng_uniform(sw_rng *r);

/* Uniform integer on [0, n), n >= 1, without modulo bias (Lemire's
 * multiply-and-reject). */
uint64_t sw__rng_below(sw_rng *r, uint64_t n);

/* A standard normal draw (Box-Muller, the cosine branch only: two uniforms
 * a draw, so that the stream's position never depends on a cached
 * value). */
double sw__rng_normal(sw_rng *r);

#endif
