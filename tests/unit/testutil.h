/*
 * testutil.h — helpers shared by the unit tests: temporary files with given
 * contents, and the include set cmocka needs.
 */
#ifndef SW_TESTUTIL_H
#define SW_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "steerwatch.h"

/* Write len bytes to a new temporary file whose name ends in suffix (e.g.
 * ".csv"); returns its path in a static ring of buffers (valid for the next
 * 8 calls). Fails the test on error. */
const char *tu_write_temp(const void *data, size_t len, const char *suffix);

/* The path of a file of the project's data/ directory (in a ring of 4
 * buffers). Fails the test when the file is missing: data/ is part of the
 * repository, so a missing file is a fault, never a reason to skip. */
const char *tu_data(const char *name);

/* tu_write_temp for a NUL-terminated string. */
const char *tu_temp_text(const char *text, const char *suffix);

#endif
