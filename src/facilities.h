/*
 * facilities.h — a facility list (`code,lat,lon[,name]`), so that records
 * that name where a person was held by the agency's facility code (as ICE
 * data does: `Detention Facility Code`) get that place's coordinates.
 */
#ifndef SW_FACILITIES_H
#define SW_FACILITIES_H

#include <stddef.h>

#include "steerwatch.h"

typedef struct sw_facilities sw_facilities;

/* Read a facility list. The header names the code column `code`,
 * `facility`, `facility_code` or `detloc`, the coordinates `lat`/`latitude`
 * and `lon`/`longitude`/`lng`, and optionally `name`. A row without a code
 * is skipped (it cannot be referred to); a row with both coordinates empty
 * is a facility with no known place. Anything else malformed (a bad or
 * half-given coordinate, a code listed twice at different places) fails
 * with SW_E_PARSE/SW_E_SCHEMA naming file, line and column: this is a
 * reference list, to be fixed rather than partly used. */
sw_status sw__facilities_read(const char *path, const char *encoding,
                              sw_facilities **out, sw_error *err);
void sw__facilities_free(sw_facilities *f);

/* What sw__facilities_find found. */
enum { SW_FAC_FOUND, SW_FAC_UNKNOWN, SW_FAC_NO_PLACE };

/* Look up a code (len bytes, compared exactly after trimming spaces). */
int sw__facilities_find(const sw_facilities *f, const char *code, size_t len,
                        sw_point *p);

size_t sw__facilities_count(const sw_facilities *f);
const char *sw__facilities_path(const sw_facilities *f);

#endif
