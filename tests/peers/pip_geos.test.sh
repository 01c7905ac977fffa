#!/usr/bin/env bash
# steerwatch assign agrees with shapely/GEOS on real US counties: 100,000
# random points over the conterminous US plus Alaska and Hawaii, zero
# disagreements except for points within 1e-9 degrees of a boundary (which
# are counted and excused: there the two tools' boundary rules may differ).
set -euo pipefail
bin=$1 src=$2 scratch=$3
py=/usr/bin/python3
$py -c 'import geopandas, shapely, rtree' 2>/dev/null || { echo "no geopandas"; exit 77; }
mkdir -p "$scratch"
topo=$src/data/counties-10m.json
[ -f "$topo" ] || { echo "FAIL: $topo missing from data/"; exit 1; }
$py "$src/tests/peers/pip_oracle.py" points 100000 20261129 "$scratch/points.csv" --alaska-hawaii
"$bin" assign --regions "$topo" "$scratch/points.csv" -o "$scratch/assigned.csv" \
  2> "$scratch/stderr.txt"
cat "$scratch/stderr.txt"
rows=$(($(wc -l < "$scratch/assigned.csv") - 1))
[ "$rows" -eq 100000 ] || { echo "expected 100000 rows, got $rows"; exit 1; }
grep -q '^assigned  *[1-9]' "$scratch/stderr.txt" || { echo "nothing assigned"; exit 1; }
$py "$src/tests/peers/pip_oracle.py" compare "$topo" "$scratch/assigned.csv" | tee "$scratch/compare.txt"
grep -q ' disagree 0$' "$scratch/compare.txt"
