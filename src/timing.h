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

/* MBIC's per-change term, 3 ln n, is multiplied by this. MBIC is derived
 * for a known variance; here the dispersion is estimated from a hundred or
 * so weeks whose null-model error may wander, and dividing by an estimate
 * that is sometimes low lets the best split beat MBIC more often than it
 * should. 1.15 was calibrated by simulation (bench/timing_calibration.c,
 * docs/design/timing.md): it brings every world without a change, 3,000
 * to 1,000,000 records, to about 3% or less of series with any change,
 * where 1.0 let two of them reach 6-7%, for a few percent of power. */
#define SW__MBIC_MARGIN 1.15

#endif
