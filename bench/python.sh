#!/usr/bin/env bash
# The Python package's overhead on the national audit (issue 13: under 5%
# over the CLI): the audit of bench/scale.sh (1,000,000 records from
# bench/gen-records.awk over the 3,231 counties, K = 100, seed 1) as
# `steerwatch audit` and as steerwatch.audit() in Debian's python3,
# each timed as a whole process (the interpreter's start-up and pandas'
# import included), then the Audit's summary, headline and weekly table
# read as a user would. Prints both wall times and the ratio, and checks
# that the two results.json are identical. PY_BENCH_RECORDS=N runs a
# smaller audit for a quick look; PY_BENCH_RUNS=R alternates R pairs.
# Usage: bench/python.sh STEERWATCH_BIN SCRATCH_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
bin=$(realpath "${1:?usage: bench/python.sh STEERWATCH_BIN SCRATCH_DIR}")
scratch=$(realpath -m "${2:?usage: bench/python.sh STEERWATCH_BIN SCRATCH_DIR}")
n=${PY_BENCH_RECORDS:-1000000}
data=$src/data
mkdir -p "$scratch"
/usr/bin/python3 -c 'import pandas' 2>/dev/null ||
  { echo "python: skipped (/usr/bin/python3 without pandas)"; exit 0; }

records=$scratch/records_$n.csv
[ -s "$records" ] || awk -v n="$n" -v nr=100000 -v seed=42 \
  -f "$here/gen-records.awk" "$data/facilities.csv" "$data/county-attrs.csv" \
  >"$records"

# Both run in the scratch directory with the same relative input paths:
# provenance records paths as given, so results.json can be compared.
cd "$scratch"
ln -sf "$data/counties-10m.json" "$data/county-attrs.csv" .

cli_run() {
  "$bin" audit --records "records_$n.csv" --regions counties-10m.json \
    --attrs county-attrs.csv --target sanctuary=yes --alternatives 100 \
    --seed 1 --out cli 2>cli.log
}
py_run() {
  STEERWATCH_LIB=$(dirname "$bin")/libsteerwatch.so PYTHONPATH=$src/python \
    /usr/bin/python3 - "records_$n.csv" >py.log <<'PY'
import sys
import steerwatch
a = steerwatch.audit(sys.argv[1], regions="counties-10m.json",
                     attrs="county-attrs.csv", target="sanctuary=yes",
                     alternatives=100, seed=1, out="py")
print(a.summary)
print(a.headline.to_string())
print(len(a.weekly), "weeks")
PY
}
# seconds CMD: run CMD, print its wall time
seconds() {
  local t0 t1
  t0=$(date +%s.%N)
  "$@"
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}

# On a shared machine one pair of runs can differ by 20% either way:
# PY_BENCH_RUNS=R alternates R pairs and compares medians.
runs=${PY_BENCH_RUNS:-1}
cli=() py=()
for ((i = 0; i < runs; i++)); do
  rm -rf cli py
  cli+=("$(seconds cli_run)")
  py+=("$(seconds py_run)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
  print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
printf 'runs (s): CLI %s; Python %s\n' "${cli[*]}" "${py[*]}" |
  sed 's/\([0-9]*\.[0-9]\)[0-9]*/\1/g'
awk -v c="$(median "${cli[@]}")" -v p="$(median "${py[@]}")" -v n="$n" \
  -v r="$runs" 'BEGIN {
  printf "audit of %d records x 3,231 counties, K=100, median of %d:", n, r
  printf " CLI %.1f s, Python %.1f s\n", c, p
  printf "ratio Python/CLI: %.3f (goal <= 1.05)\n", p / c
}'
cmp -s cli/results.json py/results.json &&
  echo "results.json identical" ||
  { echo "results.json differs between the CLI and Python"; exit 1; }
