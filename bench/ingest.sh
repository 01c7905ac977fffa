#!/usr/bin/env bash
# Records-ingest benchmark: `steerwatch check` (read, tokenise and validate
# every row) on a generated ~200 MB placement-records CSV, against `wc -l`
# on the same file, the floor for any reader that looks at every byte.
# Prints the median of 5 runs of each, MB/s and the ratio.
# Usage: bench/ingest.sh STEERWATCH_BIN SCRATCH_DIR
set -euo pipefail
bin=$(readlink -f "${1:?usage: bench/ingest.sh STEERWATCH_BIN SCRATCH_DIR}")
scratch=${2:?usage: bench/ingest.sh STEERWATCH_BIN SCRATCH_DIR}
mkdir -p "$scratch"
csv=$scratch/records_200mb.csv

# Realistic rows: quoted facility names with commas, every SPEC column,
# six-decimal coordinates, one bad row in a thousand. Made once, reused.
if [ ! -s "$csv" ]; then
  /usr/bin/python3 - "$csv" <<'PY'
import random, sys
random.seed(1)
facs = ['"Elizabeth Contract Detention Facility, NJ"', "Krome SPC", "Adelanto ICE Processing Center", '"Stewart, GA"', "Otero County"]
target = 200 * 1000 * 1000
with open(sys.argv[1], "w") as f:
    f.write("id,date,facility,origin_lat,origin_lon,release_lat,release_lon,"
            "release_region,ties_lat,ties_lon,cost,note\n")
    n = size = 0
    while size < target:
        lines = []
        for _ in range(10000):
            n += 1
            y, m, d = 2018 + n % 6, 1 + n % 12, 1 + n % 28
            lat = random.uniform(25, 49); lon = random.uniform(-124, -67)
            rel = "4O.7" if n % 1000 == 0 else "%.6f" % random.uniform(25, 49)
            lines.append("R%09d,%04d-%02d-%02d,%s,%.6f,%.6f,%s,%.6f,%05d,%.6f,%.6f,%.2f,%s\n" % (
                n, y, m, d, facs[n % 5], lat, lon, rel, random.uniform(-124, -67),
                n % 3143, random.uniform(25, 49), random.uniform(-124, -67),
                random.uniform(0, 900), "bus" if n % 7 else '"flight, chartered"'))
        s = "".join(lines)
        f.write(s)
        size += len(s)
PY
fi
bytes=$(stat -c %s "$csv")

median5() { sort -g | sed -n 3p; }
time_of() { # seconds of one run of "$@", output discarded
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }'
}

cat "$csv" >/dev/null # warm the page cache for both
"$bin" check "$csv" >/dev/null 2>&1 ||
  { echo "steerwatch check failed on $csv"; exit 1; }
sw=$(for i in 1 2 3 4 5; do time_of "$bin" check "$csv"; done | median5)
wc=$(for i in 1 2 3 4 5; do time_of wc -l "$csv"; done | median5)
mbs() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.0f", b / 1e6 / s }'; }
printf 'file: %.0f MB, %s rows\n' "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" \
  "$(($(wc -l <"$csv") - 1))"
printf 'steerwatch check (median of 5): %.3f s  %s MB/s\n' "$sw" "$(mbs "$sw")"
printf 'wc -l            (median of 5): %.3f s  %s MB/s\n' "$wc" "$(mbs "$wc")"
printf 'ratio check / wc -l: %.2fx slower\n' "$(awk -v a="$sw" -v b="$wc" 'BEGIN { print a / b }')"
