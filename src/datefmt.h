/*
 * datefmt.h — the dates agencies write, read into days since 1970-01-01:
 * ISO dates and date-times, month-first and day-first dates with slashes,
 * dashes or dots, two-digit years, DD-Mon-YY, Excel serial day numbers, and
 * an explicit strptime-style format. Used by the records reader, one state
 * per date column.
 *
 * Whether 03/04/2020 is March or April cannot be told from the value, so
 * it is never guessed: a column's order is set by its first value that
 * shows it (a part above 12), values read before that are "pending" (they
 * are valid either way, so accepting them changes no count), and a column
 * whose values never show it is refused at the end with an error naming
 * the option that settles it (--date-format).
 */
#ifndef SW_DATEFMT_H
#define SW_DATEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "steerwatch.h"

/* The reading state of one date column. Zero-initialise, set format. */
typedef struct sw_date_col {
  const char *format;     /* strptime-style, or NULL: recognise each value */
  bool no_serials;        /* a number is no date here: the input is a data set
                             (.dta, .sav), whose dates carry a date format
                             and arrive as ISO text, so a bare number in the
                             date column is a variable without one */
  int order;              /* numeric dates: 0 not known, 1 month first, 2 day
                             first */
  uint64_t order_line;    /* the line whose value set the order */
  char order_value[40];   /* that value, quoted */
  uint64_t n_pending;     /* values read before the order was known */
  uint64_t pending_line;  /* the first of them */
  char pending_value[40]; /* quoted */
} sw_date_col;

/* What sw__date_col_read made of a value. */
enum { SW_DATE_OK, SW_DATE_PENDING, SW_DATE_BAD };

/* Read s (len bytes) on line `line`: SW_DATE_OK with *days; SW_DATE_PENDING
 * with *days read month first (sw__date_day_first converts it once the
 * column turns out day first); SW_DATE_BAD with the reason in why (n
 * bytes), the value quoted. */
int sw__date_col_read(sw_date_col *d, const char *s, size_t len, uint64_t line,
                      int32_t *days, char *why, size_t n);

/* A pending value read month first, as the day-first date it also is. */
int32_t sw__date_day_first(int32_t month_first_days);

/* At the end of a column: SW_E_SCHEMA, naming path, the first pending line,
 * column and --date-format, when values are pending and nothing decided
 * their order; else SW_OK. */
sw_status sw__date_col_finish(const sw_date_col *d, const char *path,
                              const char *column, sw_error *err);

/* A real proleptic Gregorian date of years 1000..9999 (date.c; the
 * conversions to and from days are date.h's). */
bool sw__civil_valid(int y, int m, int d);

#endif
