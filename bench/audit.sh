#!/usr/bin/env bash
# Whole-audit benchmark. (1) 1,000,000 records over the real US counties
# (data/counties-10m.json, data/county-attrs.csv, target sanctuary=yes)
# with --alternatives 100: wall time, peak RSS and bytes per record (SPEC:
# under a minute on 2 cores, memory linear in records). (2) 3,000 records x
# 60 regions with every region an alternative, the size the model peers
# are timed on (bench/model.sh). Records come from bench/gen-records.awk.
# Usage: bench/audit.sh STEERWATCH_BIN SCRATCH_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
bin=$(realpath "${1:?usage: bench/audit.sh STEERWATCH_BIN SCRATCH_DIR}")
scratch=${2:?usage: bench/audit.sh STEERWATCH_BIN SCRATCH_DIR}
mkdir -p "$scratch"
data=$src/data

# gen N N_REGIONS OUT: regions are the first N_REGIONS county ids.
gen() {
  awk -v n="$1" -v nr="$2" -v seed=42 -f "$here/gen-records.awk" \
    "$data/facilities.csv" "$data/county-attrs.csv" >"$3"
}

measure() { # measure LABEL N ARGS...
  local label=$1 n=$2
  shift 2
  /usr/bin/time -v "$bin" audit "$@" 2>"$scratch/time.txt" >/dev/null ||
    { tail -20 "$scratch/time.txt"; exit 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$scratch/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$scratch/time.txt")
  printf '%s: wall %s, peak RSS %d MB, %.0f bytes/record\n' "$label" "$wall" \
    $((rss / 1024)) "$(awk -v r="$rss" -v n="$n" 'BEGIN { print r * 1024 / n }')"
}

gen 1000000 100000 "$scratch/national.csv"
measure "1,000,000 records x $(($(cut -d, -f1 "$data/county-attrs.csv" | sort -u | wc -l) - 1)) counties, K=100" 1000000 \
  --records "$scratch/national.csv" --regions "$data/counties-10m.json" \
  --attrs "$data/county-attrs.csv" --target sanctuary=yes \
  --alternatives 100 --seed 1 --out "$scratch/national"

# The 60-region case on the test scenario generator's grid (regions by
# their attribute lat/lon), every region an alternative.
/usr/bin/python3 "$src/tests/cli/audit_sim.py" "$scratch" 3000 0.8 2022-01-01 1
measure "3,000 records x 60 regions, all alternatives" 3000 \
  --records "$scratch/records.csv" --attrs "$scratch/attrs.csv" \
  --target sanctuary=yes --seed 1 --out "$scratch/small"
