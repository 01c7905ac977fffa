/*
 * rejects_csv.h — writing the records' rejected rows as the CLI's
 * rejects.csv (see rejects_csv.c).
 */
#ifndef SW_R_REJECTS_CSV_H
#define SW_R_REJECTS_CSV_H

#include "glue.h"

/* Write dir/rejects.csv from c's records rows; SW_E_CREATE or SW_E_IO,
 * with err naming the file, when it cannot. */
sw_status sw_r_rejects_csv(const sw_r_rejects *c, const char *dir,
                           sw_error *err);

#endif
