#!/usr/bin/env bash
# errors.test.sh — failures reach Python as steerwatch.Error with the C
# error's code, file, line and column, and the CLI's text; rejected rows
# come back from check() with their line and column; an exception raised
# in the reject callback is raised, not swallowed.
# Usage: bash errors.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
source "$(dirname "$0")/venv.sh"
cd "$src/tests/golden/audit_small" || exit 1
"$py" "$src/tests/python/test_errors.py" -v 2>&1 ||
  { echo "FAIL: test_errors.py"; exit 1; }
