#!/usr/bin/env bash
# steerwatch simulate as a whole command on the real counties and
# facilities of data/: the SPEC columns, every row accepted by `check`, a
# valid truth file holding the parameters, the same bytes for a seed
# whatever the thread count, steering visible after the start, the summary
# on stderr, and exit codes 64, 65, 66, 73 and 74.
set -uo pipefail
bin=$1 src=$2 scratch=$3
mkdir -p "$scratch"
cd "$scratch" || exit 1
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
expect_exit() { # CODE DESCRIPTION COMMAND...
  local want=$1 what=$2; shift 2
  "$@" > out.txt 2> err.txt
  local got=$?
  [ "$got" -eq "$want" ] || { fail "$what: exit $got, expected $want"; cat err.txt; }
}
py=/usr/bin/python3
[ -x "$py" ] || { echo "SKIP: $py missing"; exit 77; }

data=$src/data
sim=("$bin" simulate --regions "$data/counties-10m.json" --layer counties
     --attrs "$data/county-attrs.csv" --facilities "$data/facilities.csv"
     --target sanctuary=yes)

expect_exit 0 "plain run" "${sim[@]}" --n 2000 --steer 1.2 --seed 9 \
  --threads 2 -o r.csv
cp err.txt summary.txt
head -1 r.csv | grep -qx 'id,date,facility,origin_lat,origin_lon,release_lat,release_lon,release_region,ties_lat,ties_lon,ties_region,cost' ||
  fail "header: $(head -1 r.csv)"
[ "$(wc -l < r.csv)" -eq 2001 ] || fail "rows: $(wc -l < r.csv)"
sed -n 2p r.csv | grep -q '^SIM0000001,20[12][90]-[01][0-9]-[0-3][0-9],' ||
  fail "first row: $(sed -n 2p r.csv)"
for line in 'records *2000 ' 'target *sanctuary=yes, steer 1.2 from 2020-01-01' \
            'before start' 'after start' 'r.truth.json'; do
  grep -q "$line" summary.txt || fail "summary lacks '$line'"
done

# Every row is a valid record.
expect_exit 0 "check" "$bin" check r.csv --json
grep -q '"read": 2000, "accepted": 2000, "rejected": 0' out.txt ||
  fail "check: $(cat out.txt)"

# The truth: valid JSON with the parameters and counts that match the rows.
"$py" - r.csv r.truth.json "$data/facilities.csv" <<'PY' || fail "truth file"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
t = json.load(open(sys.argv[2]))
p = t["parameters"]
assert t["seed"] == 9 and p["n_records"] == 2000, t
assert p["steer"] == 1.2 and p["target"] == "sanctuary=yes", p
assert p["start"] == "2020-01-01" and p["from"] == "2019-01-01", p
assert p["b_origin"] == -1 and p["b_ties"] == -1.5 and p["share_ties"] == 0.8
names = [c["name"] for c in t["coefficients"]]
assert names == ["log1p_km_origin", "log1p_km_ties", "target"], names
assert [x["gamma"] for x in t["periods"]] == [0, 1.2], t["periods"]
assert t["geography"]["regions"] == 3230 and t["geography"]["facilities"] == 316
assert [i["role"] for i in t["inputs"]] == ["regions", "attributes", "facilities"]
assert all(len(i["sha256"]) == 64 for i in t["inputs"])
c = t["counts"]
assert c["records"] == len(rows) == 2000
assert c["with_ties"] == sum(1 for r in rows if r["ties_region"])
before = sum(1 for r in rows if r["date"] < "2020-01-01")
assert c["before_start"]["records"] == before, (c, before)
assert c["after_start"]["records"] == 2000 - before
assert abs(c["cost_total"] - sum(float(r["cost"]) for r in rows)) < 0.01
facs = {l.split(",")[0] for l in open(sys.argv[3])}
assert {r["facility"] for r in rows} <= facs
PY

# Same seed: same bytes, for any thread count; another seed: other rows.
expect_exit 0 "one thread" "${sim[@]}" --n 2000 --steer 1.2 --seed 9 \
  --threads 1 -o r1.csv
cmp -s r.csv r1.csv || fail "threads 1 and 2 differ"
cmp -s r.truth.json r1.truth.json || fail "truth differs across threads"
expect_exit 0 "other seed" "${sim[@]}" --n 2000 --steer 1.2 --seed 10 -o r2.csv
cmp -s r.csv r2.csv && fail "seeds 9 and 10 gave the same records"

# Strong steering from a later date raises the share after it only.
expect_exit 0 "steer" "${sim[@]}" --n 20000 --steer 2 --start 2020-07-01 \
  --from 2020-01-01 --to 2020-12-31 -o s.csv
"$py" - s.truth.json <<'PY' || fail "steering did not show after the start"
import json, sys
c = json.load(open(sys.argv[1]))["counts"]
b, a = c["before_start"], c["after_start"]
assert abs(b["share"] - b["expected_share"]) < 0.02, b
assert a["share"] > a["expected_share"] + 0.15, a
PY

# Usage errors: 64.
expect_exit 64 "no --n" "${sim[@]}" -o u.csv
expect_exit 64 "bad --n" "${sim[@]}" --n 0 -o u.csv
expect_exit 64 "bad --target" "$bin" simulate --regions "$data/counties-10m.json" \
  --attrs "$data/county-attrs.csv" --facilities "$data/facilities.csv" \
  --n 5 --target sanctuary -o u.csv
expect_exit 64 "bad --steer" "${sim[@]}" --n 5 --steer abc -o u.csv
expect_exit 64 "bad --start" "${sim[@]}" --n 5 --start 2020-02-30 -o u.csv
expect_exit 64 "empty --layer" "${sim[@]}" --n 5 --layer "" -o u.csv
expect_exit 64 "empty --region-id" "${sim[@]}" --n 5 --region-id "" -o u.csv
expect_exit 64 "--from alone" "${sim[@]}" --n 5 --from 2020-01-01 -o u.csv
expect_exit 64 "from after to" "${sim[@]}" --n 5 --from 2021-01-01 \
  --to 2020-01-01 -o u.csv
grep -q 'from (2021-01-01) is after to (2020-01-01)' err.txt || fail "from/to message"
expect_exit 64 "unknown target value" "${sim[@]/sanctuary=yes/sanctuary=maybe}" \
  --n 5 -o u.csv
grep -q 'sanctuary=maybe: no region is in it' err.txt || fail "target message: $(cat err.txt)"
expect_exit 64 "stdout" "${sim[@]}" --n 5 -o -
expect_exit 64 "unknown option" "${sim[@]}" --n 5 --bogus -o u.csv
[ -e u.csv ] && fail "a usage error left u.csv"

# Bad data: 65. Missing input: 66.
printf 'facility,lat,lon\nF1,40,-99\nF2,4O.5,-99\n' > badfac.csv
expect_exit 65 "bad facility" "${sim[@]/$data\/facilities.csv/badfac.csv}" --n 5 -o u.csv
grep -q 'badfac.csv:3: lat: not a number: "4O.5"' err.txt || fail "facility message: $(cat err.txt)"
printf '{"type":' > bad.geojson
expect_exit 65 "bad regions" "${sim[@]/$data\/counties-10m.json/bad.geojson}" --n 5 -o u.csv
expect_exit 66 "no facilities file" "${sim[@]/$data\/facilities.csv/nothere.csv}" --n 5 -o u.csv
expect_exit 66 "no regions file" "${sim[@]/$data\/counties-10m.json/nothere.json}" --n 5 -o u.csv
[ -e u.csv ] && fail "a data error left u.csv"

# Output: 73 when it cannot be created, 74 when a write fails.
expect_exit 73 "output dir missing" "${sim[@]}" --n 5 -o nodir/x.csv
if [ -w /dev/full ]; then
  expect_exit 74 "disk full" "${sim[@]}" --n 20000 -o /dev/full
  [ -c /dev/full ] || fail "/dev/full was removed"
fi

[ "$fails" -eq 0 ] && echo "simulate: all passed"
exit $((fails > 0))
