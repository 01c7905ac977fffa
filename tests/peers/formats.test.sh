#!/usr/bin/env bash
# formats.test.sh — the same regions in TopoJSON, GeoJSON and Shapefile give
# the same answers. GDAL (through convert_formats.py) converts us-atlas
# states-10m to the other two formats, independently of our readers; then
# `steerwatch assign` locates each state's representative point (inside it
# by construction, per shapely) and 300 seeded random points with each of
# the three files: the outputs must be identical, and every representative
# point must land in its own state, so all 56 ids are read alike.
# Usage: bash formats.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -euo pipefail
bin=$1 src=$2 scratch=$3
py=/usr/bin/python3
[ -x "$bin" ] || { echo "skip: $bin is not built"; exit 77; }
"$py" -c 'import geopandas, fiona, shapely' 2>/dev/null ||
  { echo "skip: geopandas/fiona/shapely not installed"; exit 77; }

rm -rf "$scratch"
mkdir -p "$scratch"
topo=$src/data/states-10m.json
"$py" "$src/tests/peers/convert_formats.py" "$topo" "$scratch" >/dev/null

"$py" - "$scratch/states-10m.geojson" "$scratch/points.csv" <<'EOF'
import csv, random, sys
import geopandas as gpd
g = gpd.read_file(sys.argv[1])
rng = random.Random(20261129)
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["name", "lat", "lon", "expect"])
    for sid, geom in zip(g["id"], g.geometry):
        p = geom.representative_point()
        w.writerow(["rep-" + sid, repr(p.y), repr(p.x), sid])
    for i in range(300):
        w.writerow(["rnd-%d" % i, "%.6f" % rng.uniform(18, 50),
                    "%.6f" % rng.uniform(-125, -66), ""])
EOF

outs=()
for f in "$topo" "$scratch/states-10m.geojson" "$scratch/states-10m.shp"; do
  out=$scratch/out-$(basename "$f").csv
  "$bin" assign --regions "$f" "$scratch/points.csv" -o "$out" 2>"$out.log" ||
    { echo "FAIL: assign with $f"; cat "$out.log"; exit 1; }
  outs+=("$out")
done
for o in "${outs[@]:1}"; do
  cmp -s "${outs[0]}" "$o" ||
    { echo "FAIL: $o differs from ${outs[0]}"; diff "${outs[0]}" "$o" | head; exit 1; }
done

"$py" - "${outs[0]}" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
rep = [r for r in rows if r["expect"]]
bad = [r for r in rep if r["region"] != r["expect"]]
if len(rep) != 56 or bad:
    sys.exit("FAIL: %d representative points, misplaced: %s"
             % (len(rep), [(r["name"], r["region"]) for r in bad][:5]))
if len(rows) != 356:
    sys.exit("FAIL: %d rows out, expected 356" % len(rows))
print("ok: 56 states alike in 3 formats; %d random points agree"
      % (len(rows) - 56))
EOF
