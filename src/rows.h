/*
 * rows.h — choosing the reader of a table input (rows.c): CSV, or a
 * workbook or data set behind the CSV row interface.
 */
#ifndef SW_ROWS_H
#define SW_ROWS_H

#include "csv.h"

/* The reader for the input src (opened from path), by its first bytes and
 * name; NULL for CSV. Pass it as sw_csv_opts.sniff. */
const sw_rows_backend *sw__rows_backend_for(const sw_source *src,
                                            const char *path);

#endif
