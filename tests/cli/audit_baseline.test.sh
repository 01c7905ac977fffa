#!/usr/bin/env bash
# audit_baseline.test.sh — `steerwatch audit --baseline FROM:TO`: on 6,000
# records simulated over the 435 districts with steering 0.8 toward
# party=R from 2020-03-01, the headline (within_region_baseline) compares
# the placements after 2020-02-29 with those of 2019-09-01..2020-02-29,
# leaves the earlier ones out, and its interval covers 0.8 and not 0;
# bad ranges are errors naming the option. On the same records, the
# default spline terms give way to log1p, and say so.
# Usage: bash audit_baseline.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -u
bin=$(realpath "$1") src=$2 scratch=$(realpath -m "$3")
rm -rf "$scratch"
mkdir -p "$scratch"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
py=/usr/bin/python3
[[ -x $py ]] || exit 77
data=$src/data
"$bin" simulate --regions "$data/cd116.geojson" \
  --attrs "$data/district-attrs.csv" --facilities "$data/facilities.csv" \
  --n 6000 --target party=R --steer 0.8 --start 2020-03-01 \
  --from 2019-03-01 --to 2020-12-31 --seed 5 -o "$scratch/rec.csv" \
  2>/dev/null || exit 1
# The inputs, and (ok) SPEC's log1p distance, as the records were drawn
# with: the default spline terms cannot be fitted on them (below).
in=(--records "$scratch/rec.csv" --regions "$data/cd116.geojson"
  --attrs "$data/district-attrs.csv" --target party=R --seed 3)
ok=("${in[@]}" --distance log1p)

expect() { # expect CODE DESCRIPTION ARGS...
  local want=$1 what=$2
  shift 2
  "$bin" audit "$@" >"$scratch/stdout" 2>"$scratch/stderr"
  local rc=$?
  [[ $rc == "$want" ]] || fail "$what: exit $rc, want $want: $(head -3 "$scratch/stderr")"
}
expect 64 "no colon" "${ok[@]}" --baseline 2019-09-01 --out "$scratch/x"
grep -q -- "--baseline" "$scratch/stderr" || fail "no colon: the error does not name --baseline"
expect 64 "bad date" "${ok[@]}" --baseline 2019-09-01:2020-02-30 --out "$scratch/x"
grep -q -- "--baseline" "$scratch/stderr" || fail "bad date: the error does not name --baseline"
expect 64 "FROM after TO" "${ok[@]}" --baseline 2020-02-29:2019-09-01 --out "$scratch/x"
grep -q -- "--baseline: FROM 2020-02-29 is after TO 2019-09-01" "$scratch/stderr" ||
  fail "FROM after TO: $(cat "$scratch/stderr")"

expect 0 "baseline" "${ok[@]}" --baseline 2019-09-01:2020-02-29 --out "$scratch/o"
grep -q "Within regions (within_region_baseline): after the baseline ending 2020-02-29" \
  "$scratch/stderr" || fail "the summary does not state the baseline"
grep -q "against the baseline from" "$scratch/o/report.html" ||
  fail "the page does not state the baseline"
$py - "$scratch/o/results.json" "$scratch/rec.csv" <<'PY' || fail "baseline results.json"
import csv, json, sys
r = json.load(open(sys.argv[1]))
assert r["provenance"]["parameters"]["baseline"] == {"from": "2019-09-01", "to": "2020-02-29"}
h = r["targets"][0]["headline"]
dates = [r["date"] for r in csv.DictReader(open(sys.argv[2]))]
assert h["design"] == "within_region_baseline", h
assert h["baseline"] == {"from": "2019-09-01", "to": "2020-02-29"}, h
assert h["event"] is None, h
# Records before FROM are out of the fit: the two sides are exactly the
# baseline and what follows it.
assert h["n_before"] == sum("2019-09-01" <= d <= "2020-02-29" for d in dates), h
assert h["n_after"] == sum(d > "2020-02-29" for d in dates), h
lo, hi = h["ci95"]
assert lo <= 0.8 <= hi and lo > 0, h
assert h["p_value"] < 0.001, h
assert "2019-09-01" <= h["placebo"]["date"] <= "2020-02-29", h
print("baseline: delta %.3f (%.3f to %.3f), p %.2g" % (h["estimate"], lo, hi, h["p_value"]))
PY

# A baseline past the records: no headline, and the reason names it.
expect 0 "baseline past the records" "${ok[@]}" --baseline 2020-06-01:2021-06-01 --out "$scratch/late"
$py - "$scratch/late/results.json" <<'PY' || fail "late baseline results.json"
import json, sys
h = json.load(open(sys.argv[1]))["targets"][0]["headline"]
assert h["design"] is None, h
assert h["error"].startswith("--baseline 2020-06-01:2021-06-01: "), h["error"]
assert "the records run from 2019-03-" in h["error"], h["error"]
PY

# The default spline terms cannot be fitted on these records (97% of the
# people with ties are released at their ties, so the far ties bands rest
# on a few): the headline falls back to SPEC's log1p terms, says why on
# the page and in results.json, and still recovers the steering.
expect 0 "spline fallback" "${in[@]}" --event 2020-03-01 --out "$scratch/fb"
grep -q "could not be estimated on these records" "$scratch/fb/report.html" ||
  fail "the page does not say the spline terms gave way"
$py - "$scratch/fb/results.json" <<'PY' || fail "spline fallback results.json"
import json, sys
h = json.load(open(sys.argv[1]))["targets"][0]["headline"]
assert h["design"] == "within_region_event", h
assert h["distance"] == "log1p", h
assert "ties_100km" in h["distance_fallback"], h
lo, hi = h["ci95"]
assert lo <= 0.8 <= hi and lo > 0, h
PY
# Asked for by name, the spline terms stand, fitted or not.
expect 0 "spline by name" "${in[@]}" --event 2020-03-01 --distance spline --out "$scratch/sp"
$py - "$scratch/sp/results.json" <<'PY' || fail "spline by name results.json"
import json, sys
h = json.load(open(sys.argv[1]))["targets"][0]["headline"]
assert h["distance"] == "spline" and h["distance_fallback"] is None, h
assert h["design"] is None and "ties_100km" in h["error"], h
PY

[[ $fails == 0 ]] && echo "audit_baseline: ok"
exit $((fails > 0))
