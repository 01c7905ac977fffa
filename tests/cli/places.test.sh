#!/usr/bin/env bash
# places.test.sh — places by name or code (issue 11, item 4b): a file whose
# releases and ties are ZIP codes, and one whose releases are "City, ST"
# with ties as counties (FIPS and "Name, ST"), each audited end to end on
# the real counties through data/gazetteer.csv.gz; unmatched places are
# rejected rows with a reason, counted in results.json
# (records.unmatched_places) and on the page; --gazetteer overrides the
# list, and a malformed one stops the read at its file, line and column.
# Usage: bash places.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -u
bin=$(realpath "$1") src=$(realpath "$2") scratch=$(realpath -m "$3")
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
rm -rf "$scratch" && mkdir -p "$scratch" && cd "$scratch" || exit 1
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
data=$src/data

# Records from the gazetteer's own keys, so that every good row resolves:
# 1,500 with ZIP codes, 1,500 with "City, ST" and counties, each with 30
# places the gazetteer lacks, written in the ways agencies write them.
python3 - "$data/gazetteer.csv.gz" <<'PY'
import csv, gzip, random, sys
random.seed(11)
rows = list(csv.reader(gzip.open(sys.argv[1], "rt", encoding="utf-8")))[1:]
zips = [k for kind, k, _, _ in rows if kind == "zip"]
places = [k for kind, k, _, _ in rows if kind == "place"]
fips = [k for kind, k, _, _ in rows if kind == "county" and k.isdigit()]
names = [k for kind, k, _, _ in rows if kind == "county" and not k.isdigit()]
facilities = [r["facility"] for r in csv.DictReader(open(sys.argv[1].replace("gazetteer.csv.gz", "facilities.csv")))]
def date(i):
    return "2020-%02d-%02d" % (1 + i % 12, 1 + i % 28)
with open("zips.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "date", "facility", "release_place", "ties_place"])
    for i in range(1500):
        z, t = random.choice(zips), random.choice(zips)
        if i % 3 == 0: z = z + "-0001"          # ZIP+4
        if z.startswith("0") and i % 5 == 0 and "-" not in z:
            z = z.lstrip("0")  # a spreadsheet dropped the zeros
        if i % 50 == 7: z = "00000"             # no such ZIP
        w.writerow([f"z{i}", date(i), random.choice(facilities), z, t])
with open("cities.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "date", "facility", "release_place", "ties_county"])
    for i in range(1500):
        p = random.choice(places)
        if i % 4 == 0: p = p.upper().replace(", ", ",")
        c = random.choice(fips) if i % 2 else random.choice(names)
        if i % 50 == 9: p = "Nowhereville, ZZ"  # no such place
        w.writerow([f"c{i}", date(i), random.choice(facilities), p, c])
PY
[[ -s zips.csv && -s cities.csv ]] || { fail "no records made"; exit 1; }

for name in zips cities; do
  "$bin" audit --records $name.csv --facilities "$data/facilities.csv" \
    --regions "$data/counties-10m.json" --layer counties \
    --attrs "$data/county-attrs.csv" --target sanctuary=yes \
    --alternatives 50 --out $name 2>$name.stderr
  rc=$?
  [[ $rc == 0 ]] || { fail "$name: audit exit $rc: $(tail -3 $name.stderr)"; continue; }
  python3 - $name/results.json <<'PY' || fail "$name: results.json counts"
import json, sys
r = json.load(open(sys.argv[1]))["records"]
ok = (r["read"] == 1500 and r["unmatched_places"] == 30 and
      r["rejected"] == 30 and r["accepted"] == 1470 and
      r["read"] == r["accepted"] + r["rejected"] and r["audited"] > 1400)
print(r) if not ok else None
sys.exit(0 if ok else 1)
PY
  grep -qF 'Places: 30 rows (2.0% of rows read)' $name.stderr ||
    fail "$name: summary: $(grep Places $name.stderr)"
  grep -qF 'not found in the gazetteer: 30 rows (2.0% of rows read)' \
    $name/report.html || fail "$name: the page lacks the unmatched share"
  grep -qF 'gazetteer.csv.gz' $name/results.json ||
    fail "$name: the gazetteer is not in provenance"
done
[[ $(grep -c ',release_place,"unmatched place: ""00000""",' zips/rejects.csv) == 30 ]] ||
  fail "zips: rejects.csv: $(head -3 zips/rejects.csv)"
[[ $(grep -c ',release_place,"unmatched place: ""Nowhereville, ZZ""",' cities/rejects.csv) == 30 ]] ||
  fail "cities: rejects.csv: $(head -3 cities/rejects.csv)"

# --gazetteer: a list of our own, where Springfield, IL is somewhere else;
# a county name two counties share is ambiguous, a bare name is malformed.
cat >gaz.csv <<'CSV'
kind,key,lat,lon
place,"Springfield, IL",40,-90
county,"Twin, ZZ",40,-90
county,"Twin, ZZ",41,-91
CSV
cat >few.csv <<'CSV'
id,date,origin_lat,origin_lon,release_place,ties_county
a,2020-01-01,40,-89,"springfield ,il",
b,2020-01-01,40,-89,"Springfield, IL","Twin, ZZ"
c,2020-01-01,40,-89,Springfield,
CSV
want='line,byte,column,reason,raw
3,95,ties_county,"ambiguous place: ""Twin, ZZ"" names two","b,2020-01-01,40,-89,""Springfield, IL"",""Twin, ZZ"""
4,144,release_place,"unmatched place: ""Springfield"" is not a ZIP code or ""City, ST""","c,2020-01-01,40,-89,Springfield,"'
"$bin" check few.csv --gazetteer gaz.csv --rejects few-rejects.csv >/dev/null 2>&1 ||
  fail "--gazetteer: exit $?"
[[ $(cat few-rejects.csv) == "$want" ]] || fail "--gazetteer rejects:
$(cat few-rejects.csv)
want:
$want"
printf 'kind,key,lat,lon\nplace,"A, ZZ",40,-90\nzip,1234x,40,-90\n' >bad.csv
"$bin" check few.csv --gazetteer bad.csv 2>stderr >/dev/null
rc=$?
[[ $rc == 65 ]] || fail "bad gazetteer: exit $rc, want 65"
grep -qF 'bad.csv:3: key: not a key of its kind: "1234x"' stderr ||
  fail "bad gazetteer: $(cat stderr)"
"$bin" check few.csv --gazetteer nothere.csv 2>stderr >/dev/null
[[ $? == 66 ]] || fail "missing gazetteer: want exit 66: $(cat stderr)"

[[ $fails == 0 ]] && echo "places: all passed"
exit $((fails > 0))
