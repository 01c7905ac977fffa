#!/usr/bin/env bash
# check.test.sh — `steerwatch check` over the catalog of bad record files in
# tests/data/bad: each NAME.csv has NAME.expected, either the exact
# `check --json` output (exit 0: rejects are data, not failures) or the
# exact first stderr line of a fatal error (exit 65). Then the exit codes
# of SPEC, the rejects file, delimiters and gzip.
# Usage: bash check.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -u
bin=$(realpath "$1") src=$2 scratch=$(realpath -m "$3")
mkdir -p "$scratch"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

cd "$src/tests/data/bad" || exit 1
n=0
for csv in *.csv; do
  name=${csv%.csv}
  want=$(cat "$name.expected")
  out=$("$bin" check --json "$csv" 2>"$scratch/stderr")
  rc=$?
  n=$((n + 1))
  if [[ $want == '{'* ]]; then
    [[ $rc == 0 ]] || fail "$name: exit $rc, want 0"
    [[ $out == "$want" ]] || fail "$name: stdout
  got:  $out
  want: $want"
    # read = accepted + rejected, whatever the case.
    read=$(sed -E 's/^\{"read": ([0-9]+), "accepted": ([0-9]+), "rejected": ([0-9]+).*/\1 \2 \3/' <<<"$out")
    set -- $read
    [[ $# == 3 && $1 == $(($2 + $3)) ]] || fail "$name: read != accepted + rejected ($read)"
  else
    [[ $rc == 65 ]] || fail "$name: exit $rc, want 65"
    got=$(head -1 "$scratch/stderr")
    [[ $got == "$want" ]] || fail "$name: stderr
  got:  $got
  want: $want"
  fi
done
[[ $n -ge 20 ]] || fail "catalog has only $n cases"

# The human summary: the SPEC error line, then the counts.
"$bin" check not_a_number.csv 2>"$scratch/stderr" >/dev/null
grep -qxF 'not_a_number.csv:3: release_lat: not a number: "4O.7"' "$scratch/stderr" ||
  fail "human error line: $(cat "$scratch/stderr")"
grep -qxF 'not_a_number.csv: 2 read, 1 accepted, 1 rejected' "$scratch/stderr" ||
  fail "human summary: $(cat "$scratch/stderr")"

# Exit codes.
"$bin" check "$scratch/no-such-file.csv" 2>/dev/null
[[ $? == 66 ]] || fail "missing file: want 66"
"$bin" check missing_date_column.csv 2>/dev/null
[[ $? == 65 ]] || fail "missing column: want 65"
"$bin" check 2>/dev/null
[[ $? == 64 ]] || fail "no argument: want 64"
"$bin" check --frobnicate not_a_number.csv 2>/dev/null
[[ $? == 64 ]] || fail "unknown option: want 64"
"$bin" check --delimiter ab not_a_number.csv 2>/dev/null
[[ $? == 64 ]] || fail "bad delimiter: want 64"
"$bin" check a.csv b.csv 2>/dev/null
[[ $? == 64 ]] || fail "two inputs: want 64"
"$bin" check --rejects "$scratch/no/such/dir/r.csv" not_a_number.csv 2>/dev/null
[[ $? == 73 ]] || fail "unwritable rejects: want 73"
"$bin" check --help >/dev/null || fail "--help: want 0"

# The rejects file: header, position, reason and the raw row, CSV-quoted.
"$bin" check --rejects "$scratch/rejects.csv" not_a_number.csv 2>/dev/null ||
  fail "check --rejects failed"
expected='line,byte,column,reason,raw
3,89,release_lat,"not a number: ""4O.7""","2,2021-03-01,40.7,-74.0,4O.7,-73.5"'
[[ $(cat "$scratch/rejects.csv") == "$expected" ]] ||
  fail "rejects.csv: $(cat "$scratch/rejects.csv")"
"$bin" check --rejects "$scratch/rejects2.csv" unterminated_quote.csv 2>/dev/null
[[ $(wc -l <"$scratch/rejects2.csv") == 4 ]] ||
  fail "a multi-line raw row must be kept verbatim: $(cat "$scratch/rejects2.csv")"

# Pipe- and tab-separated, and gzip read transparently.
printf 'id|date|origin_lat|origin_lon|release_region\n1|2021-01-01|40|-74|a,b\n2|2021-01-01|x|-74|c\n' >"$scratch/pipe.csv"
out=$("$bin" check --json --delimiter '|' "$scratch/pipe.csv" 2>/dev/null)
[[ $out == '{"read": 2, "accepted": 1, "rejected": 1, "errors": [{"line": 3, "column": "origin_lat", "reason": "not a number: \"x\""}]}' ]] ||
  fail "pipe: $out"
printf 'id\tdate\torigin_lat\torigin_lon\trelease_region\n1\t2021-01-01\t40\t-74\tr\n' >"$scratch/tab.tsv"
out=$("$bin" check --json --delimiter tab "$scratch/tab.tsv" 2>/dev/null)
[[ $out == '{"read": 1, "accepted": 1, "rejected": 0, "errors": []}' ]] || fail "tab: $out"
gzip -c not_a_number.csv >"$scratch/gz.csv.gz"
out=$("$bin" check --json "$scratch/gz.csv.gz" 2>/dev/null)
[[ $out == "$(cat not_a_number.expected)" ]] || fail "gzip: $out"

# More than 100 rejects: the JSON lists 100, the counts all.
{
  echo "id,date,origin_lat,origin_lon,release_region"
  for i in $(seq 1 150); do echo "$i,2021-01-01,bad,-74,r"; done
} >"$scratch/many.csv"
out=$("$bin" check --json "$scratch/many.csv" 2>/dev/null)
[[ $out == '{"read": 150, "accepted": 0, "rejected": 150, '* ]] || fail "many: counts"
[[ $(grep -o '"line":' <<<"$out" | wc -l) == 100 ]] || fail "many: want 100 errors listed"

if [[ $fails != 0 ]]; then
  echo "$fails failure(s)"
  exit 1
fi
echo "ok: $n catalog cases and the exit codes"
