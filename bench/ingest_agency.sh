#!/usr/bin/env bash
# Agency-layout ingest benchmark: `steerwatch check` on 1,500,000 records
# in ICE's layout (a title above the header, pipe-delimited, ICE's column
# names mapped with --column, date-times, M/D/YY, origins by facility code
# through data/ice_facilities_1978_2017.csv), read from the file and as
# gzip on standard input; beside bench/ingest.sh's plain layout, this is
# the cost of docs/input.md's paths (mapping, date-times, facility
# lookups, the pipe). Prints the median of 5 runs of each, and MB/s.
# Usage: bench/ingest_agency.sh STEERWATCH_BIN SCRATCH_DIR
set -euo pipefail
bin=$(readlink -f "${1:?usage: bench/ingest_agency.sh STEERWATCH_BIN SCRATCH_DIR}")
scratch=${2:?usage: bench/ingest_agency.sh STEERWATCH_BIN SCRATCH_DIR}
src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$scratch"
csv=$scratch/agency_1500k.csv

if [ ! -s "$csv" ]; then
  /usr/bin/python3 - "$src/data/facilities.csv" "$csv" <<'PY'
import sys
codes = [l.split(",")[0] for l in open(sys.argv[1]).read().split("\n")[1:] if l]
with open(sys.argv[2], "w") as f:
    f.write("ICE Detention Statistics (SIMULATED)\n\n")
    f.write("Unique Identifier|Stay Book In Date Time|Detention Book Out Date Time|"
            "Detention Facility Code|Release County FIPS|Detention Release Reason\n")
    out = []
    for i in range(1500000):
        m, d, y = 1 + i % 12, 1 + i % 28, 2019 + i % 2
        out.append("ICE%08d|%d/%d/%02d|%04d-%02d-%02d %02d:%02d:00|%s|%05d|Paroled\n"
                   % (i, m, d, y % 100, y, m, d, i % 24, i % 60,
                      codes[i % len(codes)], 1001 + i % 3000))
        if len(out) == 100000:
            f.write("".join(out))
            out = []
    f.write("".join(out))
PY
  gzip -kf "$csv"
fi
args=(--delimiter '|' --column 'id=Unique Identifier'
  --column 'date=Detention Book Out Date Time'
  --column 'facility=Detention Facility Code'
  --column 'release_region=Release County FIPS'
  --facilities "$src/data/ice_facilities_1978_2017.csv")
bytes=$(stat -c %s "$csv")
median5() { sort -g | sed -n 3p; }
time_of() { # seconds of one run of the shell command "$1"
  local t0 t1
  t0=$(date +%s.%N)
  bash -c "$1" >/dev/null 2>&1 || true
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }'
}
q=$(printf '%q ' "${args[@]}")
"$bin" check "$csv" "${args[@]}" 2>&1 | tail -1
file=$(for i in 1 2 3 4 5; do time_of "$(printf '%q' "$bin") check $(printf '%q' "$csv") $q"; done | median5)
pipe=$(for i in 1 2 3 4 5; do time_of "gzip -dc $(printf '%q' "$csv.gz") | $(printf '%q' "$bin") check - $q"; done | median5)
mbs() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.0f", b / 1e6 / s }'; }
printf 'check FILE (median of 5):          %.3f s  %s MB/s\n' "$file" "$(mbs "$file")"
printf 'gzip -dc | check - (median of 5):  %.3f s  %s MB/s\n' "$pipe" "$(mbs "$pipe")"
