/*
 * worlds.h — simulated worlds that do and do not follow the audit's model,
 * for the headline's calibration and power study (worlds.c).
 */
#ifndef SW_TEST_WORLDS_H
#define SW_TEST_WORLDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "steerwatch.h"

typedef enum world_kind {
  WORLD_SPEC,   /* SPEC's model exactly */
  WORLD_APPEAL, /* plus an unrecorded appeal per region */
  WORLD_SIZE,   /* plus a size pull that goes with the target */
  WORLD_LINEAR, /* distance decays linearly in km */
  N_WORLDS
} world_kind;

extern const char *const world_names[N_WORLDS];

/* Write DIR/records.csv (n records dated 2021-01-01..2022-12-31, steered
 * by gamma toward sanctuary=yes from day start on) and DIR/attrs.csv,
 * where the target regions are sanctuary=yes throughout, or, with
 * membership, only from day start on (sanctuary=no before it: the
 * audit's membership design). Returns 0, or -1 when a file cannot be
 * written. */
int world_write(const char *dir, world_kind kind, size_t n, double gamma,
                int32_t start, bool membership, uint64_t seed);

#endif
