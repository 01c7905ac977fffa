#!/usr/bin/env bash
# audit.test.sh — `steerwatch audit` from the command line: SPEC's exit
# codes (64 usage, 65 bad data, 66 cannot open, 73 cannot create), the
# files written, rejects counted, determinism across runs and thread
# counts, and a finding of steering leaving the exit code at 0.
# Usage: bash audit.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -u
bin=$(realpath "$1") src=$2 scratch=$(realpath -m "$3")
rm -rf "$scratch"
mkdir -p "$scratch"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
py=/usr/bin/python3
[[ -x $py ]] || exit 77
$py "$src/tests/cli/audit_sim.py" "$scratch" 1500 0.8 2000-01-01 5 || exit 1
recs=$scratch/records.csv attrs=$scratch/attrs.csv

expect() { # expect CODE DESCRIPTION ARGS...
  local want=$1 what=$2
  shift 2
  "$bin" audit "$@" >"$scratch/stdout" 2>"$scratch/stderr"
  local rc=$?
  [[ $rc == "$want" ]] || fail "$what: exit $rc, want $want: $(head -3 "$scratch/stderr")"
}

ok=(--records "$recs" --attrs "$attrs" --target sanctuary=yes)
expect 64 "no --target" --records "$recs" --attrs "$attrs" --out "$scratch/o"
expect 64 "no --out" "${ok[@]}"
expect 64 "no --records" --attrs "$attrs" --target sanctuary=yes --out "$scratch/o"
expect 64 "bad --alternatives" "${ok[@]}" --alternatives lots --out "$scratch/o"
expect 64 "zero --alternatives" "${ok[@]}" --alternatives 0 --out "$scratch/o"
expect 64 "target without =" --records "$recs" --attrs "$attrs" --target sanctuary --out "$scratch/o"
expect 64 "bad --event" "${ok[@]}" --event 2021-13-01 --out "$scratch/o"
expect 64 "bad --period" "${ok[@]}" --period week --out "$scratch/o"
expect 64 "unknown option" "${ok[@]}" --frobnicate 1 --out "$scratch/o"
# As in assign and simulate: an empty property or layer name is a usage
# error, not a data error about the regions file.
expect 64 "empty --region-id" "${ok[@]}" --region-id "" --out "$scratch/o"
expect 64 "empty --layer" "${ok[@]}" --layer "" --out "$scratch/o"
expect 66 "missing records" --records "$scratch/nope.csv" --attrs "$attrs" --target sanctuary=yes --out "$scratch/o"
expect 66 "missing attrs" --records "$recs" --attrs "$scratch/nope.csv" --target sanctuary=yes --out "$scratch/o"
printf 'id,date\n1,2021-01-01\n' >"$scratch/nohdr.csv"
expect 65 "header lacks columns" --records "$scratch/nohdr.csv" --attrs "$attrs" --target sanctuary=yes --out "$scratch/o"
: >"$scratch/file"
expect 73 "out is under a file" "${ok[@]}" --out "$scratch/file/sub"

# A run with rejects: read = accepted + rejected, rejects.csv lists them.
{ cat "$recs"; echo "bad1,2021-02-30,35,-99,R01,R02,F1"; echo "bad2,2021-02-01,4O.7,-99,R01,R02,F1"; } >"$scratch/withbad.csv"
expect 0 "steering found, exit 0" --records "$scratch/withbad.csv" --attrs "$attrs" --target sanctuary=yes --out "$scratch/a" --seed 3 --threads 1
for f in results.json regions.csv flagged.csv rejects.csv; do
  [[ -s $scratch/a/$f ]] || fail "no $f written"
done
[[ $(wc -l <"$scratch/a/rejects.csv") == 3 ]] || fail "rejects.csv should hold 2 rows"
$py - "$scratch/a/results.json" <<'PY' || fail "results.json content"
import json, sys
r = json.load(open(sys.argv[1]))
c = r["records"]
assert c["read"] == 1502 and c["accepted"] == 1500 and c["rejected"] == 2, c
assert c["read"] == c["accepted"] + c["rejected"]
t = r["targets"][0]
assert t["target"] == "sanctuary=yes"
assert t["choice_model"]["p_value"] < 0.01, t["choice_model"]["p_value"]
names = [k["name"] for k in t["choice_model"]["coefficients"]]
assert names == ["log1p_km_origin", "log1p_km_ties", "target"], names
assert abs(t["excess_releases"] - (t["observed"] - t["expected_share"] * 1500)) < 1e-6
assert len(r["provenance"]["inputs"]) == 2 and len(r["provenance"]["inputs"][0]["sha256"]) == 64
PY
grep -q "cannot tell" "$scratch/stderr" || fail "summary lacks what the test cannot tell"

# Same inputs and seed: byte-identical results.json, whatever the threads.
expect 0 "rerun" --records "$scratch/withbad.csv" --attrs "$attrs" --target sanctuary=yes --out "$scratch/b" --seed 3 --threads 2
cmp -s "$scratch/a/results.json" "$scratch/b/results.json" || fail "results.json differs between runs/threads"
expect 0 "sampled 1 thread" "${ok[@]}" --alternatives 20 --seed 9 --threads 1 --out "$scratch/c"
expect 0 "sampled 2 threads" "${ok[@]}" --alternatives 20 --seed 9 --threads 2 --out "$scratch/d"
cmp -s "$scratch/c/results.json" "$scratch/d/results.json" || fail "sampled results.json differs with threads"

# --distance: the headline's fits use the spline terms unless log1p is
# asked for, results.json says which, and the level keeps SPEC's terms.
expect 64 "bad --distance" "${ok[@]}" --distance cubic --out "$scratch/o"
expect 0 "--distance log1p" "${ok[@]}" --alternatives 20 --seed 9 --distance log1p --out "$scratch/e"
$py - "$scratch/c/results.json" "$scratch/e/results.json" <<'PY' || fail "--distance"
import json, sys
spline, log1p = (json.load(open(f))["targets"][0] for f in sys.argv[1:])
assert spline["headline"]["distance"] == "spline", spline["headline"]
assert log1p["headline"]["distance"] == "log1p", log1p["headline"]
assert spline["headline"]["estimate"] != log1p["headline"]["estimate"]
names = [c["name"] for c in spline["choice_model"]["coefficients"]]
assert names[:2] == ["log1p_km_origin", "log1p_km_ties"], names
PY

[[ $fails == 0 ]] || exit 1
echo "audit CLI: all passed"
