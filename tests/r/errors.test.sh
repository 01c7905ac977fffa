#!/usr/bin/env bash
# errors.test.sh — the package's own tests (r/tests/*.R: errors with the C
# error's code, file, line and column; rejected rows; assign; audit
# tables and data-frame input) against the installed package, each
# reported by name.
# Usage: bash errors.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -u
bin=$(realpath "$1") src=$(realpath "$2") scratch=$(realpath -m "$3")
source "$src/tests/r/install.sh"
cd "$scratch" || exit 1
fails=0
for t in errors assign audit; do
  if ! Rscript "$src/r/tests/$t.R" >"$t.log" 2>&1; then
    echo "FAIL: r/tests/$t.R"
    cat "$t.log"
    fails=$((fails + 1))
  else
    tail -1 "$t.log"
  fi
done
[[ $fails == 0 ]]
