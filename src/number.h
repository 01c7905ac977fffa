/*
 * number.h — the strict decimal number syntax of every numeric CSV field
 * (record coordinates and cost, numeric region attributes).
 */
#ifndef SW_NUMBER_H
#define SW_NUMBER_H

#include <stdbool.h>
#include <stddef.h>

/* Parse all of s (len bytes, s[len] == '\0') as a finite decimal number:
 * optional sign, digits with an optional point, optional exponent. Spaces,
 * hex floats, `nan`, `inf` and overflow to infinity are refused (false,
 * *out untouched): a padded or odd field is more likely a data-entry fault
 * than a number, and SPEC wants such rows named, not guessed at. */
bool sw__parse_number(const char *s, size_t len, double *out);

#endif
