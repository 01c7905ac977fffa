# venv.sh — sourced by tests/python/*.test.sh: installs the package from
# this checkout into a fresh venv in the scratch directory, offline, as the
# README tells a user to, and points it at the library the build made.
# Debian's python3 refuses pip installs outside a venv (PEP 668), and only
# /usr/bin/python3 sees Debian's pandas, hence --system-site-packages.
# Sets: bin, src, scratch (absolute), py (the venv's python). Exits 77
# (skipped) when Debian's python3, its venv or pandas is missing.
set -u
bin=$(realpath "$1") src=$(realpath "$2") scratch=$(realpath -m "$3")
rm -rf "$scratch"
mkdir -p "$scratch"
/usr/bin/python3 -c 'import pandas, venv, ensurepip' 2>/dev/null ||
  { echo "SKIP: /usr/bin/python3 with pandas and venv needed"; exit 77; }
/usr/bin/python3 -m venv --system-site-packages "$scratch/venv" ||
  { echo "FAIL: venv"; exit 1; }
# A copy: pip builds in the source tree, and tests run in parallel.
cp -r "$src/python" "$scratch/pkg"
rm -rf "$scratch/pkg/build" "$scratch/pkg"/*.egg-info
"$scratch/venv/bin/python" -m pip install --no-index --no-build-isolation \
  --quiet "$scratch/pkg" >"$scratch/pip.log" 2>&1 ||
  { echo "FAIL: pip install"; cat "$scratch/pip.log"; exit 1; }
py=$scratch/venv/bin/python
export STEERWATCH_LIB=$(dirname "$bin")/libsteerwatch.so
export STEERWATCH_BIN=$bin STEERWATCH_SRC=$src STEERWATCH_SCRATCH=$scratch
# The installed package, never the checkout's python/ by accident.
export PYTHONPATH=
