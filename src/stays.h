/*
 * stays.h — the detention stays as stays.c keeps them, for the step that
 * turns them into transfers (transfers.c).
 */
#ifndef SW_STAYS_H
#define SW_STAYS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "steerwatch.h"

/* book_out of a stay not yet ended (empty in the input). */
#define SW_STAY_OPEN INT32_MAX

struct sw_stays {
  sw_counts counts;
  size_t n, cap;
  size_t *person;              /* arena offsets */
  size_t *facility;            /* arena offsets */
  int32_t *book_in, *book_out; /* days since 1970-01-01 */
  uint64_t *line;
  sw_buf arena;
};

#endif
