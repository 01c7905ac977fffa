#!/usr/bin/env bash
# golden.test.sh — the golden audit (tests/golden/audit.test.sh's inputs
# and options) through Python gives results.json and every table byte for
# byte as the CLI writes them and as committed in audit_small/expected.*;
# its DataFrames equal those files read with pandas; a DataFrame in gives
# the same numbers as the file.
# Usage: bash golden.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
source "$(dirname "$0")/venv.sh"
source "$src/tests/golden/audit_args.sh"
cd "$src/tests/golden/audit_small" || exit 1
# The CLI's run, the reference; relative paths, since provenance records
# paths as given.
"$bin" audit "${golden_audit_args[@]}" --out "$scratch/cli" 2>"$scratch/cli.stderr" ||
  { echo "FAIL: the CLI's audit"; cat "$scratch/cli.stderr"; exit 1; }
"$py" "$src/tests/python/test_golden.py" -v 2>&1 ||
  { echo "FAIL: test_golden.py"; exit 1; }
