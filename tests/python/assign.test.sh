#!/usr/bin/env bash
# assign.test.sh — steerwatch.assign gives each row the region
# `steerwatch assign` gives it, from a file or a DataFrame, with the same
# counts; invalid points come back listed.
# Usage: bash assign.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
source "$(dirname "$0")/venv.sh"
cd "$src/tests/golden/audit_small" || exit 1
"$bin" assign --regions regions.geojson --region-id code --lat origin_lat \
  --lon origin_lon records.csv -o "$scratch/cli.csv" 2>"$scratch/cli.stderr" ||
  { echo "FAIL: the CLI's assign"; cat "$scratch/cli.stderr"; exit 1; }
"$py" "$src/tests/python/test_assign.py" -v 2>&1 ||
  { echo "FAIL: test_assign.py"; exit 1; }
