/*
 * number.h — the strict decimal number syntax of every numeric CSV field
 * (record coordinates and cost, numeric region attributes), and fast
 * fixed-point output for the CSV files the audit writes.
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

/* x with decimals (0 to 3) digits after the point, the same bytes as
 * snprintf's "%.*f", written to out (NUL-terminated); returns the length.
 * Without printf, about 2,000 instructions a number, except near a rounding
 * tie, from 1e9 on, and for NaN and infinities, which go to snprintf. */
/* x as the shortest of %.15g, %.16g and %.17g that reads back to x, the
 * decimal point '.' whatever the locale: every double the outputs write
 * (results.json, regions.csv, the page) and numeric region ids, so that
 * one value has one spelling everywhere. Non-finite x is written as %g
 * writes it. Returns the length. */
#define SW_SHORTEST_MAX 32 /* bytes: "-1.2345678901234567e-308" and NUL */
size_t sw__fmt_shortest(double x, char out[SW_SHORTEST_MAX]);

#define SW_FIXED_MAX 320 /* bytes: DBL_MAX with 3 decimals, sign, NUL */
size_t sw__fmt_fixed(double x, int decimals, char out[SW_FIXED_MAX]);

#endif
