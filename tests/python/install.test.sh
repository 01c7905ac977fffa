#!/usr/bin/env bash
# install.test.sh — the package installs offline into a venv with one pip
# command, imports from there, and finds the build's library; its version,
# the library's and the CLI's agree; a wrong STEERWATCH_LIB fails at
# import with a message naming the path tried.
# Usage: bash install.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
source "$(dirname "$0")/venv.sh"
cd "$scratch" || exit 1
"$py" "$src/tests/python/test_install.py" -v 2>&1 ||
  { echo "FAIL: test_install.py"; exit 1; }
