/*
 * suppress.c — small-cell suppression with complementary suppression
 * (suppress.h). A greedy rule rather than the linear programmes of
 * statistical agencies' tools (tau-argus): the tables here have one
 * dimension of units and a few published totals, where it is enough that
 * the withheld cells of each total add up to 0 or to at least k. The
 * smallest shown cell is added first, so the least is lost.
 */
#include "suppress.h"

/* Dimension d's withheld counts add up to 1..k-1. */
static bool weak(const uint64_t *cells, size_t n_units, size_t n_dims, size_t d,
                 uint64_t k, const uint8_t *hidden) {
  uint64_t sum = 0;
  for (size_t u = 0; u < n_units && sum < k; u++)
    if (hidden[u]) sum += cells[u * n_dims + d];
  return sum > 0 && sum < k;
}

/* The shown unit with the smallest count above 0 in d, or n_units. */
static size_t smallest_shown(const uint64_t *cells, size_t n_units,
                             size_t n_dims, size_t d, const uint8_t *hidden) {
  size_t best = n_units;
  for (size_t u = 0; u < n_units; u++) {
    uint64_t c = cells[u * n_dims + d];
    if (!hidden[u] && c > 0 &&
        (best == n_units || c < cells[best * n_dims + d]))
      best = u;
  }
  return best;
}

void sw__suppress(const uint64_t *cells, size_t n_units, size_t n_dims,
                  uint64_t k, uint8_t *hidden) {
  for (size_t u = 0; u < n_units; u++) {
    hidden[u] = 0;
    for (size_t d = 0; d < n_dims; d++) {
      uint64_t c = cells[u * n_dims + d];
      if (c > 0 && c < k) hidden[u] = 1;
    }
  }
  /* Withholding a unit for one dimension can leave an earlier one weak,
   * so sweep until a sweep changes nothing; each change withholds one
   * more unit, so this ends. A dimension with nothing left to withhold
   * has a total under k, which no suppression can protect. */
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t d = 0; d < n_dims; d++)
      while (weak(cells, n_units, n_dims, d, k, hidden)) {
        size_t u = smallest_shown(cells, n_units, n_dims, d, hidden);
        if (u == n_units) break;
        hidden[u] = 1;
        changed = true;
      }
  }
}

size_t sw__suppressed(const uint8_t *hidden, size_t n_units) {
  size_t n = 0;
  for (size_t u = 0; u < n_units; u++)
    n += hidden[u] != 0;
  return n;
}
