#!/usr/bin/env bash
# audit_separation.test.sh — `steerwatch audit --event` on records where
# every placement from the event on went to a target region: the change
# has no finite maximum-likelihood estimate, so the headline says so in
# plain words (results.json, the summary, the page) and gives the Firth-
# penalised estimate, a finite profile interval around it and a p-value;
# with ordinary steering it does not. The same when the target regions
# become targets on that date (the membership design, no --event): the
# ordinary fit diverges, and that is said and replaced.
# Usage: bash audit_separation.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -u
bin=$(realpath "$1") src=$2 scratch=$(realpath -m "$3")
rm -rf "$scratch"
mkdir -p "$scratch/sep" "$scratch/mild" "$scratch/member"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
py=/usr/bin/python3
[[ -x $py ]] || exit 77
# A pull of 30 on the log-odds from 2022-01-01: nobody goes elsewhere.
$py "$src/tests/cli/audit_sim.py" "$scratch/sep" 400 30 2022-01-01 5 12 || exit 1
$py "$src/tests/cli/audit_sim.py" "$scratch/mild" 400 0.8 2022-01-01 5 12 || exit 1
# The separated records, their target regions targets only from the date.
cp "$scratch/sep/records.csv" "$scratch/member/"
sed -E 's/^(R[0-9]+),sanctuary,yes,,$/\1,sanctuary,no,,2022-01-01\n\1,sanctuary,yes,2022-01-01,/' \
  "$scratch/sep/attrs.csv" >"$scratch/member/attrs.csv"
grep -q ',sanctuary,yes,2022-01-01,$' "$scratch/member/attrs.csv" || exit 1
"$bin" audit --records "$scratch/member/records.csv" --attrs "$scratch/member/attrs.csv" \
  --target sanctuary=yes --out "$scratch/member/o" --threads 1 \
  >"$scratch/member/stdout" 2>"$scratch/member/stderr" ||
  fail "member: audit exit $?: $(head -3 "$scratch/member/stderr")"

for w in sep mild; do
  "$bin" audit --records "$scratch/$w/records.csv" --attrs "$scratch/$w/attrs.csv" \
    --target sanctuary=yes --event 2022-01-01 --out "$scratch/$w/o" --threads 1 \
    >"$scratch/$w/stdout" 2>"$scratch/$w/stderr" ||
    fail "$w: audit exit $?: $(head -3 "$scratch/$w/stderr")"
done

$py - "$scratch/sep/o/results.json" <<'PY' || fail "separated results.json"
import json, math, sys
h = json.load(open(sys.argv[1]))["targets"][0]["headline"]
assert h["design"] == "within_region_event", h
assert h["estimator"] == "firth_penalised_likelihood", h
assert h["separation"].startswith("every person placed from 2022-01-01 went to a "
                                  "target region"), h["separation"]
est, (lo, hi), p = h["estimate"], h["ci95"], h["p_value"]
for v in (est, lo, hi, p, h["penalised_lr_statistic"]):
    assert isinstance(v, float) and math.isfinite(v), h
assert 1 < lo < est < hi < 50, h
assert 0 <= p < 1e-6, h
assert h["p_value_model"] == p and h["se"] is None, h
assert h["penalty_regions"] == 12, h
PY
$py - "$scratch/member/o/results.json" <<'PY' || fail "membership results.json"
import json, math, sys
h = json.load(open(sys.argv[1]))["targets"][0]["headline"]
assert h["design"] == "within_region_membership", h
assert h["estimator"] == "firth_penalised_likelihood", h
assert h["separation"].startswith("the ordinary (maximum-likelihood) estimate "
                                  "of the change does not exist"), h
est, (lo, hi), p = h["estimate"], h["ci95"], h["p_value"]
assert 1 < lo < est < hi < 50 and 0 <= p < 1e-6, h
PY
grep -q "^  Separation: every person placed from" "$scratch/sep/stderr" ||
  fail "the summary (stderr) does not name the separation"
grep -q "<b>Separation:</b> every person placed from" "$scratch/sep/o/report.html" ||
  fail "the page does not name the separation"

$py - "$scratch/mild/o/results.json" <<'PY' || fail "mild results.json"
import json, sys
h = json.load(open(sys.argv[1]))["targets"][0]["headline"]
assert "separation" not in h and "estimator" not in h, h
assert h["se"] is not None and 0 < h["estimate"] < 3, h
PY
grep -q "Separation" "$scratch/mild/stderr" && fail "mild steering reported as separation"

[[ $fails == 0 ]] && echo "audit_separation: ok"
exit $((fails > 0))
