#!/usr/bin/env bash
# options.test.sh — every command reads its options through the one table
# parser (cli/options.c), so the same fault gets the same usage error (64)
# in the same words, whichever command: an empty or missing value, a value
# that does not qualify, a flag given a value, an unknown option, a stray
# argument, a missing required option; `--name=value` reads as
# `--name value`.
# Usage: bash options.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -u
bin=$(realpath "$1") src=$(realpath "$2") scratch=$(realpath -m "$3")
mkdir -p "$scratch"
cd "$scratch" || exit 1
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
expect() { # CODE FIRST-STDERR-LINE COMMAND...
  local want=$1 line=$2; shift 2
  "$bin" "$@" >out.txt 2>err.txt
  local got=$?
  [[ $got == "$want" ]] || fail "$*: exit $got, want $want"
  [[ -z $line || $(head -1 err.txt) == "$line" ]] ||
    fail "$*: stderr '$(head -1 err.txt)', want '$line'"
}

g=$src/tests/golden/audit_small
audit=(audit --records "$g/records.csv" --attrs "$g/attrs.csv"
       --target sanctuary=yes --out o)
simulate=(simulate --regions r.json --attrs a.csv --facilities f.csv --n 5
          --target t=v -o s.csv)
assign=(assign --regions r.json in.csv -o a.csv)

# The empty-value rule: no option takes "", given either way.
for cmd in audit simulate assign; do
  eval "args=(\"\${$cmd[@]}\")"
  expect 64 "steerwatch $cmd: --region-id needs a property" "${args[@]}" --region-id ""
  expect 64 "steerwatch $cmd: --region-id needs a property" "${args[@]}" --region-id=
  expect 64 "steerwatch $cmd: --layer needs an object name" "${args[@]}" --layer
  expect 64 "steerwatch $cmd: unknown option '--bogus'" "${args[@]}" --bogus=1
done
expect 64 "steerwatch check: --rejects needs a file name" check x.csv --rejects=

# ATTR=VALUE: one rule for audit and simulate.
for spec in sanctuary =yes sanctuary=; do
  expect 64 "steerwatch audit: --target needs ATTR=VALUE, not '$spec'" \
    "${audit[@]}" --target "$spec"
  expect 64 "steerwatch simulate: --target needs ATTR=VALUE, not '$spec'" \
    "${simulate[@]}" --target="$spec"
done

# Values checked by kind, flags, strays, required options.
expect 64 "steerwatch audit: --threads needs a count from 1 to 1024, not '0'" \
  "${audit[@]}" --threads=0
expect 64 "steerwatch simulate: --share-ties needs a number in 0..1, not '2'" \
  "${simulate[@]}" --share-ties 2
expect 64 "steerwatch assign: --delimiter needs one of , | ; tab, not 'ab'" \
  "${assign[@]}" --delimiter ab
expect 64 "steerwatch check: --json takes no value" check x.csv --json=1
expect 64 "steerwatch audit: unexpected argument 'stray'" "${audit[@]}" stray
expect 64 "steerwatch check: more than one input: 'y.csv'" check x.csv y.csv
expect 64 "steerwatch audit: --out is required" audit --records x.csv \
  --attrs y.csv --target a=b
expect 64 "steerwatch simulate: --n is required" simulate --regions r.json \
  --attrs a.csv --facilities f.csv --target t=v -o s.csv
expect 64 "steerwatch assign: IN.csv is required" assign --regions r.json -o x

# Both spellings of a value run the same: the golden audit, once with `=`.
expect 0 "" audit --records="$g/records.csv" --regions="$g/regions.geojson" \
  --region-id=code --attrs="$g/attrs.csv" --target=sanctuary=yes \
  --seed=1 --threads=1 --out=eq
expect 0 "" audit --records "$g/records.csv" --regions "$g/regions.geojson" \
  --region-id code --attrs "$g/attrs.csv" --target sanctuary=yes \
  --seed 1 --threads 1 --out sp
cmp -s eq/results.json sp/results.json || fail "--name=value and --name value differ"

[[ $fails == 0 ]] && echo "options: all passed"
exit $((fails > 0))
