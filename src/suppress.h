/*
 * suppress.h — small-cell suppression for published tables: which units
 * (regions, facilities, weeks) of a table of counts to withhold so that
 * no count under the threshold can be read, or worked out from the
 * totals that are published beside the table. Used by audit_publish.c;
 * the writers print a withheld count as SW__SUPPRESSED says.
 */
#ifndef SW_SUPPRESS_H
#define SW_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A count withheld in a published view: results.json writes null, the
 * CSV files an empty cell, the page "suppressed". */
#define SW__SUPPRESSED UINT64_MAX

/* cells is n_units x n_dims counts (row-major): dimension d of unit u is
 * one count of people, and each dimension's total over all units is taken
 * to be public. Sets hidden[u] (n_units bytes) for every unit to withhold:
 * first each unit with a count from 1 to k - 1 in any dimension (primary),
 * then, while some dimension's withheld counts add up to more than 0 and
 * less than k (so that the total minus the shown cells would give a small
 * count, or a lone withheld cell), the unit with the smallest count of
 * that dimension among those shown (complementary). Stops when a
 * dimension has nothing left to withhold: its total is then itself under
 * k. Zeros are shown: they describe no person. Deterministic. */
void sw__suppress(const uint64_t *cells, size_t n_units, size_t n_dims,
                  uint64_t k, uint8_t *hidden);

/* The number of units withheld. */
size_t sw__suppressed(const uint8_t *hidden, size_t n_units);

#endif
