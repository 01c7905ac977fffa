/*
 * timing.h — pieces of the time analysis (timing.c) that tests and other
 * modules reach directly, beside the public sw_time_* API.
 */
#ifndef SW_TIMING_H
#define SW_TIMING_H

#include <stdint.h>

/* Two-sided p-value of Fisher's exact test for the 2x2 table
 * [[a, b], [c, d]]: the total probability, under the hypergeometric law
 * with the table's margins fixed, of every table no more probable than the
 * one observed (relative tolerance 1e-7, as R's fisher.test). 1 when a
 * margin is zero. */
double sw__fisher_exact(uint64_t a, uint64_t b, uint64_t c, uint64_t d);

#endif
