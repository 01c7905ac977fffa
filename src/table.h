/*
 * table.h — the row loop shared by the table readers (placement records,
 * region attributes): every row read is either accepted or rejected, the
 * counts say so, and each reject reaches the caller's sink with where and
 * why. Keeping the loop in one place keeps `read = accepted + rejected`
 * true in one place.
 */
#ifndef SW_TABLE_H
#define SW_TABLE_H

#include "csv.h"

/* Validates the current row of the reader and stores it. Returns SW_OK
 * with *kept true when stored; SW_OK with *kept false when rejected, with
 * *column (header name, "" for whole-row faults) and *reason set and
 * living until the next call; any other status (out of memory) ends the
 * loop. */
typedef sw_status (*sw_table_take_fn)(void *user, bool *kept,
                                      const char **column, const char **reason);

/* The CSV options that read options imply (delimiter, progress). */
sw_csv_opts sw__table_csv_opts(const sw_read_opts *opts);

/* Read every remaining row of c through take, counting into *counts and
 * passing rejects to opts->on_reject. what names the table in errors
 * ("records"). Fails on I/O, on take's failure, or with SW_E_USAGE
 * ("stopped by caller") when the sink returns false. */
sw_status sw__table_read_rows(sw_csv *c, const sw_read_opts *opts,
                              sw_counts *counts, sw_table_take_fn take,
                              void *user, const char *what, sw_error *err);

#endif
