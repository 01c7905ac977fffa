/*
 * index.h — what other modules of the library may ask of an sw_index
 * beyond the public API (assign needs the regions it was built over, to
 * name the region a point falls in).
 */
#ifndef SW_INDEX_H
#define SW_INDEX_H

#include "steerwatch.h"

/* The regions ix was built over (borrowed; they outlive ix). */
const sw_regions *sw__index_regions(const sw_index *ix);

#endif
