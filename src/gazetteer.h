/*
 * gazetteer.h — places by name or code (`kind,key,lat,lon`: ZIP codes,
 * "City, ST", counties by FIPS code or "Name, ST"), so that records that
 * say where a person was released or has ties that way get coordinates.
 * The records reader (records.c) consults it; data/gazetteer.csv.gz is the
 * one built from public sources (data/README.md).
 */
#ifndef SW_GAZETTEER_H
#define SW_GAZETTEER_H

#include <stddef.h>

#include "steerwatch.h"

typedef struct sw_gazetteer sw_gazetteer;

/* Read a gazetteer (plain or gzip): header `kind,key,lat,lon`, kind `zip`,
 * `place` or `county`. It is reference data: a malformed row, an unknown
 * kind or a key that is not of its kind stops the read (SW_E_PARSE /
 * SW_E_SCHEMA, naming file, line and column). Two rows whose keys read the
 * same at different places make that key ambiguous, not an error. */
sw_status sw__gazetteer_read(const char *path, sw_gazetteer **out,
                             sw_error *err);
void sw__gazetteer_free(sw_gazetteer *g);

/* What a column of places holds. */
enum { SW_GAZ_PLACE, SW_GAZ_COUNTY };

/* What sw__gazetteer_find made of a value. */
enum { SW_GAZ_FOUND, SW_GAZ_UNKNOWN, SW_GAZ_AMBIGUOUS, SW_GAZ_MALFORMED };

/* Look up s (len bytes) as a column of `what` holds it: SW_GAZ_PLACE, a ZIP
 * code (5 digits, ZIP+4, or 3-4 digits that lost their leading zeros in a
 * spreadsheet) or "City, ST"; SW_GAZ_COUNTY, a 5-digit FIPS code (4 digits
 * likewise) or "Name, ST". Names compare ignoring case, periods and
 * repeated spaces, with Saint/St, Fort/Ft and Mount/Mt the same word. */
int sw__gazetteer_find(const sw_gazetteer *g, int what, const char *s,
                       size_t len, sw_point *p);

#endif
