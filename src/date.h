/*
 * date.h — the calendar conversions behind sw_date_parse and
 * sw_date_format, for the modules that count in months (the time
 * analysis's periods, the report's date axis). One copy of the formulas,
 * in date.c.
 */
#ifndef SW_DATE_H
#define SW_DATE_H

#include <stdint.h>

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d (m 1..12,
 * d 1..31; d past the month's end counts on into the next). */
int64_t sw__days_from_civil(int64_t y, int64_t m, int64_t d);

/* The proleptic Gregorian date of day z (days since 1970-01-01). */
void sw__civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d);

#endif
