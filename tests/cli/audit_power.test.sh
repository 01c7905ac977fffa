#!/usr/bin/env bash
# audit_power.test.sh — the audit finds a known steering effect and dates
# it, and stays quiet without one (seeded scenarios from audit_sim.py):
#  - 3,000 records, gamma = 0.8 throughout: p < 0.01, 95% CI covers 0.8;
#  - 20,000 records, gamma = 0.8 from 2022-01-01: a change point within a
#    month of that date;
#  - 3,000 records, no steering: p > 0.05 (seed chosen once, fixed);
#  - the first scenario with 50 sampled alternatives: gamma within two
#    standard errors of the all-regions estimate.
# Usage: bash audit_power.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -u
bin=$(realpath "$1") src=$2 scratch=$(realpath -m "$3")
rm -rf "$scratch"
mkdir -p "$scratch"/{const,change,null}
py=/usr/bin/python3
[[ -x $py ]] || exit 77
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
sim=$src/tests/cli/audit_sim.py
run() { # run DIR
  "$bin" audit --records "$1/records.csv" --attrs "$1/attrs.csv" \
    --target sanctuary=yes --out "$1/out" 2>"$1/stderr" ||
    fail "$1: exit $?: $(head -3 "$1/stderr")"
}
$py "$sim" "$scratch/const" 3000 0.8 2000-01-01 1 && run "$scratch/const"
$py "$sim" "$scratch/change" 20000 0.8 2022-01-01 3 && run "$scratch/change"
$py "$sim" "$scratch/null" 3000 0 2000-01-01 7 && run "$scratch/null"
"$bin" audit --records "$scratch/const/records.csv" \
  --attrs "$scratch/const/attrs.csv" --target sanctuary=yes \
  --alternatives 50 --seed 4 --out "$scratch/const/sampled" 2>/dev/null ||
  fail "sampled run: exit $?"

$py - "$scratch" <<'PY' || fail "power/calibration figures"
import json, sys
from datetime import date
d = sys.argv[1]
def target(name):
    return json.load(open(d + "/" + name + "/out/results.json"))["targets"][0]
t = target("const")
g = [c for c in t["choice_model"]["coefficients"] if c["name"] == "target"][0]
assert t["choice_model"]["p_value"] < 0.01, t["choice_model"]["p_value"]
assert g["ci95"][0] <= 0.8 <= g["ci95"][1], g
t = target("change")
cps = [date.fromisoformat(c["date"]) for c in t["change_points"]]
truth = date(2022, 1, 1)
assert any(abs((c - truth).days) <= 31 for c in cps), cps
full = g
s = json.load(open(d + "/const/sampled/results.json"))["targets"][0]
assert s["choice_model"]["alternatives"] == 50
gs = [c for c in s["choice_model"]["coefficients"] if c["name"] == "target"][0]
assert abs(gs["estimate"] - full["estimate"]) < 2 * gs["se"], (gs, full)
t = target("null")
assert t["choice_model"]["p_value"] > 0.05, t["choice_model"]["p_value"]
PY
[[ $fails == 0 ]] || exit 1
echo "audit power: all passed"
