#!/usr/bin/env bash
# memcheck.test.sh — representative runs of every command under valgrind
# memcheck: no invalid read or write, no use of uninitialised memory, no
# definite or indirect leak (issue 5). The sanitizer build skips it
# (valgrind and AddressSanitizer do not run together; ASan covers it there).
# Usage: bash memcheck.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -uo pipefail
bin=$1 src=$2 scratch=$3
command -v valgrind >/dev/null || { echo "skip: no valgrind"; exit 77; }
# grep reads all of nm's output (no -q), so pipefail sees no SIGPIPE.
if nm "$bin" 2>/dev/null | grep -E '__(asan|tsan)_init' >/dev/null; then
  echo "skip: sanitizer build"
  exit 77
fi
py=/usr/bin/python3
[[ -x $py ]] || exit 77
rm -rf "$scratch"
mkdir -p "$scratch"
data=$src/data
fails=0
vg() { # vg NAME ARGS...: run the binary under memcheck
  local name=$1
  shift
  valgrind --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect --track-origins=yes --quiet \
    "$bin" "$@" >"$scratch/$name.out" 2>"$scratch/$name.err"
  local rc=$?
  if ((rc == 99)); then
    echo "FAIL: $name: memcheck errors:"
    grep '^==' "$scratch/$name.err" | head -30
    fails=$((fails + 1))
  elif ((rc != 0)); then
    echo "FAIL: $name: exit $rc: $(tail -3 "$scratch/$name.err")"
    fails=$((fails + 1))
  fi
}

"$py" "$src/tests/cli/audit_sim.py" "$scratch" 400 0.8 2021-07-01 5 20
printf 'id,date,origin_lat,origin_lon,release_lat,release_lon\n1,2020-01-01,30,-97,4O.7,-74\n2,2021-02-30,30,-97,40.7,-74\n' \
  >"$scratch/bad.csv"

vg simulate simulate --regions "$data/cd116-topo.json" \
  --attrs "$data/district-attrs.csv" --facilities "$data/facilities.csv" \
  --n 500 --target party=D --steer 0.5 --from 2019-01-03 --to 2020-12-31 \
  --seed 3 -o "$scratch/sim.csv"
vg assign assign --regions "$data/counties-10m.json" --lat release_lat \
  --lon release_lon "$scratch/sim.csv" -o "$scratch/assigned.csv"
vg check check "$scratch/bad.csv" --json --rejects "$scratch/rejects.csv"
vg audit audit --records "$scratch/records.csv" --attrs "$scratch/attrs.csv" \
  --target sanctuary=yes --event 2021-07-01:start --seed 1 \
  --out "$scratch/out"
printf 'id,facility,book_in,book_out\nP1,AAA,2020-01-01,2020-01-05\nP1,BBB,2020-01-05,\n(b)(6),AAA,2020-01-01,\n' \
  >"$scratch/stays.csv"
vg transfers transfers "$scratch/stays.csv" -o "$scratch/transfers.csv" \
  --rejects "$scratch/stays-rejects.csv"
printf 'id,date,origin_lat,origin_lon,release_place,ties_county\n1,2020-01-01,30,-97,10001,"Cook County, IL"\n2,2020-01-01,30,-97,"St Louis, MO",06075\n3,2020-01-01,30,-97,"Springfeld, IL",\n' \
  >"$scratch/places.csv"
vg places check "$scratch/places.csv" --gazetteer "$data/gazetteer.csv.gz"
((fails == 0)) || exit 1
echo "memcheck: simulate, assign, check, audit, transfers and places clean"
