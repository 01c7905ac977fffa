/*
 * strmap.h — an open-addressing hash map from byte strings to size_t.
 *
 * Used wherever ids are looked up: duplicate record ids, region ids,
 * attribute regions. Keys are copied into an arena the map owns, so callers
 * may pass transient buffers (a CSV field).
 */
#ifndef SW_STRMAP_H
#define SW_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sw_strmap sw_strmap;

sw_strmap *sw__strmap_new(void);
void sw__strmap_free(sw_strmap *m);

/* Find key; true and *value set when present. */
bool sw__strmap_get(const sw_strmap *m, const char *key, size_t len,
                    size_t *value);

/* Insert key -> value unless present. Returns 1 when inserted, 0 when the
 * key was already there (*existing set to its value, if not NULL), -1 when
 * out of memory. *stored, if not NULL, receives the map's NUL-terminated
 * copy of the key, which lives as long as the map. */
int sw__strmap_put(sw_strmap *m, const char *key, size_t len, size_t value,
                   size_t *existing, const char **stored);

size_t sw__strmap_count(const sw_strmap *m);

#endif
