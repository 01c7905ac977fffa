#!/usr/bin/env bash
# Point-in-polygon: `steerwatch assign` against geopandas `sjoin` on the same
# 1,000,000 random points over the conterminous US and the 3,231 counties of
# data/counties-10m.json, in one run. Both are timed from reading the
# regions and the points to the written CSV: steerwatch as the whole
# process (median of 3), geopandas inside Python from TopoJSON decoding to
# to_csv (one run, ~45 s; the interpreter's start-up is not counted, which
# favours geopandas). Prints seconds and the ratio (SPEC asks >= 20x).
# Usage: bench/pip.sh STEERWATCH_BIN SCRATCH_DIR
set -euo pipefail
bin=$(readlink -f "${1:?usage: bench/pip.sh STEERWATCH_BIN SCRATCH_DIR}")
scratch=${2:?usage: bench/pip.sh STEERWATCH_BIN SCRATCH_DIR}
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
py=/usr/bin/python3
oracle=$src/tests/peers/pip_oracle.py
topo=$src/data/counties-10m.json
n=${PIP_POINTS:-1000000}
mkdir -p "$scratch"
pts=$scratch/points-$n.csv
[ -f "$pts" ] || $py "$oracle" points "$n" 42 "$pts"

times=()
for run in 1 2 3; do
  t0=$(date +%s.%N)
  "$bin" assign --regions "$topo" "$pts" -o "$scratch/steerwatch.csv" 2> "$scratch/steerwatch.log"
  t1=$(date +%s.%N)
  times+=("$(echo "$t1 - $t0" | bc -l)")
done
sw=$(printf '%s\n' "${times[@]}" | sort -g | sed -n 2p)
echo "steerwatch assign: runs ${times[*]} s, median $(printf %.3f "$sw") s"
sed 's/^/  /' "$scratch/steerwatch.log"

if [ "${PIP_SKIP_GEOPANDAS:-0}" = 1 ] ||
   ! $py -c 'import geopandas, rtree' 2>/dev/null; then
  echo "geopandas sjoin: skipped"
  exit 0
fi
gp=$($py "$oracle" sjoin "$topo" "$pts" "$scratch/geopandas.csv")
echo "geopandas sjoin (read+join+write): $gp s"
echo "ratio geopandas/steerwatch: $(echo "$gp / $sw" | bc -l | xargs printf %.1f)x"

# Same answers: the region columns of the two outputs match row by row.
diff <(cut -d, -f4 "$scratch/steerwatch.csv" | tail -n +2) \
     <(cut -d, -f4 "$scratch/geopandas.csv" | tail -n +2) > /dev/null &&
  echo "outputs agree on every row" ||
  echo "outputs differ on $(paste -d, <(cut -d, -f4 "$scratch/steerwatch.csv") \
        <(cut -d, -f4 "$scratch/geopandas.csv") | awk -F, '$1!=$2' | wc -l) rows (boundary points?)"
