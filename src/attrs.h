/*
 * attrs.h — what the audit asks of the attributes beyond the public API:
 * the dates at which an attribute's facts start or end, between which
 * target membership is constant.
 */
#ifndef SW_ATTRS_H
#define SW_ATTRS_H

#include <stddef.h>
#include <stdint.h>

#include "steerwatch.h"

/* Every bounded valid_from and valid_to of attribute attr over all regions,
 * sorted ascending and distinct. OUT *out (sw__free; NULL when none) and
 * *n_out. SW_E_NOMEM only. */
sw_status sw__attrs_bounds(const sw_attrs *a, const char *attr, int32_t **out,
                           size_t *n_out);

#endif
