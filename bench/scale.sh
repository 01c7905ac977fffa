#!/usr/bin/env bash
# National-scale memory benchmark (issue 5). (1) `check` and `assign` over
# 1,000,000 and 10,000,000 records: peak RSS must not grow with the file
# (both stream). (2) `audit` of 1,000,000 and 2,000,000 records over the
# 3,231 real counties with K = 100: peak RSS (goal under 1.5 GB at 2M) and
# bytes per record, whole and marginal (the slope between the two sizes,
# which is what "linear in records" is about). Records come from
# bench/gen-records.awk; the 10M file is about 0.7 GB and made once.
# Usage: bench/scale.sh STEERWATCH_BIN SCRATCH_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
bin=$(realpath "${1:?usage: bench/scale.sh STEERWATCH_BIN SCRATCH_DIR}")
scratch=$(realpath -m "${2:?usage: bench/scale.sh STEERWATCH_BIN SCRATCH_DIR}")
mkdir -p "$scratch"
data=$src/data

records() { # records N: path of a file of N records, made once
  local f=$scratch/records_$1.csv
  [ -s "$f" ] || awk -v n="$1" -v nr=100000 -v seed=42 -f "$here/gen-records.awk" \
    "$data/facilities.csv" "$data/county-attrs.csv" >"$f"
  echo "$f"
}

# run LABEL ARGS...: one steerwatch run under GNU time; sets wall and rss
# (kB) and prints them.
run() {
  local label=$1
  shift
  /usr/bin/time -v "$bin" "$@" 2>"$scratch/time.txt" >/dev/null ||
    { tail -20 "$scratch/time.txt"; exit 1; }
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$scratch/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$scratch/time.txt")
  printf '%-44s wall %8s  peak RSS %6d MB\n' "$label" "$wall" $((rss / 1024))
}

declare -A peak
for n in 1000000 10000000; do
  f=$(records $n)
  run "check, $n records ($(($(stat -c %s "$f") / 1000000)) MB)" check "$f"
  peak[check$n]=$rss
  run "assign to counties, $n records" assign --regions "$data/counties-10m.json" \
    --lat origin_lat --lon origin_lon "$f" -o "$scratch/assigned.csv"
  peak[assign$n]=$rss
  rm -f "$scratch/assigned.csv"
done
for c in check assign; do
  printf '%s: peak RSS at 10M / at 1M = %.2f (streaming: about 1)\n' "$c" \
    "$(awk -v a="${peak[${c}10000000]}" -v b="${peak[${c}1000000]}" 'BEGIN { print a / b }')"
done

for n in 1000000 2000000; do
  run "audit, $n records x 3,231 counties, K=100" audit --records "$(records $n)" \
    --regions "$data/counties-10m.json" --attrs "$data/county-attrs.csv" \
    --target sanctuary=yes --alternatives 100 --seed 1 --out "$scratch/audit_$n"
  peak[audit$n]=$rss
  printf '  %.0f bytes per record\n' "$(awk -v r="$rss" -v n="$n" 'BEGIN { print r * 1024 / n }')"
done
awk -v a="${peak[audit2000000]}" -v b="${peak[audit1000000]}" 'BEGIN {
  printf "audit: marginal %.0f bytes per record from 1M to 2M; 2M peak %.2f GB (goal < 1.5)\n",
    (a - b) * 1024 / 1000000, a * 1024 / 1e9
  exit (a * 1024 >= 1.5e9)
}'
