#!/usr/bin/env bash
# simulate -> audit recovers the truth (issue 4): 40,000 records drawn over
# the real counties with steering 0.8 toward sanctuary=yes from 2020-01-01;
# the audit's quarterly intervals must cover 0 before the start and 0.8
# after it in most quarters (at least 3 of 4 on each side, fixed seeds),
# the truth file must say what was drawn, and a change point must be dated
# within a month of the start.
# Usage: bash simulate_recovery.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -euo pipefail
bin=$1 src=$2 scratch=$3
py=/usr/bin/python3
[[ -x $py ]] || exit 77
rm -rf "$scratch"
mkdir -p "$scratch"
data=$src/data
"$bin" simulate --regions "$data/counties-10m.json" \
  --attrs "$data/county-attrs.csv" --facilities "$data/facilities.csv" \
  --n 40000 --target sanctuary=yes --steer 0.8 --start 2020-01-01 \
  --from 2019-01-01 --to 2020-12-31 --seed 11 -o "$scratch/rec.csv" 2>/dev/null
"$bin" audit --records "$scratch/rec.csv" --regions "$data/counties-10m.json" \
  --attrs "$data/county-attrs.csv" --target sanctuary=yes --period quarter \
  --seed 3 --out "$scratch/out" 2>/dev/null
"$py" - "$scratch" <<'PY'
import json, sys
from datetime import date
d = sys.argv[1]
truth = json.load(open(d + "/rec.truth.json"))
assert truth["parameters"]["steer"] == 0.8, truth["parameters"]
start = date.fromisoformat(truth["parameters"]["start"])
t = json.load(open(d + "/out/results.json"))["targets"][0]
before = after = covered_before = covered_after = 0
for p in t["periods"]:
    lo, hi = p["ci95"]
    if date.fromisoformat(p["to"]) <= start:
        before += 1
        covered_before += lo <= 0 <= hi
    elif date.fromisoformat(p["from"]) >= start:
        after += 1
        covered_after += lo <= 0.8 <= hi
assert before == 4 and after == 4, (before, after)
assert covered_before >= 3, ("zero covered before the start", covered_before)
assert covered_after >= 3, ("truth covered after the start", covered_after)
cps = [date.fromisoformat(c["date"]) for c in t["change_points"]]
assert any(abs((c - start).days) <= 31 for c in cps), cps
print("recovered: 0 covered in %d/4 quarters before, 0.8 in %d/4 after; "
      "change points %s" % (covered_before, covered_after,
                            [c.isoformat() for c in cps]))
PY
