#!/usr/bin/env bash
# input.test.sh — records as agencies release them (issue 11), end to end:
# one set of synthetic records in the ICE layout (a preamble above the
# header, ICE's column names, date-times, facility codes resolved through
# the real facility list in data/, FOIA redactions, an unknown code) is
# audited from five files: UTF-8 CSV, an .xlsx workbook split over two
# sheets, a Stata .dta, an SPSS .sav, pipe-delimited gzip on standard
# input, and
# Latin-1. Every audit must give the same results.json but for its
# provenance (which names and hashes each file), every row must be
# accepted or rejected with a reason, and the hash of standard input must
# be the file's. Then standard input for check and assign (plain and
# gzip), ambiguous dates refused with the option named, and usage errors.
# Usage: bash input.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -u
bin=$(realpath "$1") src=$(realpath "$2") scratch=$(realpath -m "$3")
make_dta=$(dirname "$bin")/tests/make_dta
rm -rf "$scratch"
mkdir -p "$scratch"
cd "$scratch" || exit 1
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
[ -x "$make_dta" ] || { echo "SKIP: no $make_dta"; exit 77; }

data=$src/data
python3 "$src/tests/cli/ice_layout.py" "$data/facilities.csv" \
  "$data/county-attrs.csv" . 800 || exit 1
"$make_dta" records.dta.csv records.dta "Detention Book Out Date Time" ||
  exit 1
"$make_dta" records.dta.csv records.sav "Detention Book Out Date Time" ||
  exit 1
gzip -k records.pipe.csv

cols=(--column 'id=Unique Identifier'
  --column 'date=Detention Book Out Date Time'
  --column 'facility=Detention Facility Code'
  --column 'release_region=Release County FIPS'
  --facilities "$data/ice_facilities_1978_2017.csv")
# Stata names have underscores for spaces: the user maps what they see.
dta_cols=(--column 'id=Unique_Identifier'
  --column 'date=Detention_Book_Out_Date_Time'
  --column 'facility=Detention_Facility_Code'
  --column 'release_region=Release_County_FIPS'
  --facilities "$data/ice_facilities_1978_2017.csv")
audit=(--regions "$data/counties-10m.json" --layer counties
  --attrs "$data/county-attrs.csv" --target sanctuary=yes --seed 7
  --threads 2)

"$bin" audit --records records.csv "${cols[@]}" "${audit[@]}" --out csv \
  2>csv.err || fail "csv audit: exit $?: $(tail -1 csv.err)"
"$bin" audit --records records.xlsx "${cols[@]}" "${audit[@]}" --out xlsx \
  2>xlsx.err || fail "xlsx audit: exit $?: $(tail -1 xlsx.err)"
"$bin" audit --records records.dta "${dta_cols[@]}" "${audit[@]}" --out dta \
  2>dta.err || fail "dta audit: exit $?: $(tail -1 dta.err)"
"$bin" audit --records records.sav "${dta_cols[@]}" "${audit[@]}" --out sav \
  2>sav.err || fail "sav audit: exit $?: $(tail -1 sav.err)"
"$bin" audit --records - --delimiter '|' "${cols[@]}" "${audit[@]}" \
  --out pipe <records.pipe.csv.gz 2>pipe.err ||
  fail "stdin audit: exit $?: $(tail -1 pipe.err)"
"$bin" audit --records records.latin1.csv --encoding latin1 "${cols[@]}" \
  "${audit[@]}" --out latin1 2>latin1.err ||
  fail "latin1 audit: exit $?: $(tail -1 latin1.err)"

# results.json without its provenance, byte for byte.
strip() {
  python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
d.pop("provenance")
sys.stdout.write(json.dumps(d, sort_keys=True, indent=1))' "$1"
}
strip csv/results.json >csv.json || fail "csv: no results.json"
for f in xlsx dta sav pipe latin1; do
  strip "$f/results.json" >"$f.json" || { fail "$f: no results.json"; continue; }
  cmp -s csv.json "$f.json" || fail "$f: results.json differs from the CSV's:
$(diff csv.json "$f.json" | head -10)"
done

# Counts: 800 rows, 783 kept; 9 redacted ids and 8 unknown codes rejected
# with their reasons; read = accepted + rejected.
python3 - csv/results.json <<'PY' || fail "csv: counts"
import json, sys
r = json.load(open(sys.argv[1]))["records"]
assert (r["read"], r["accepted"], r["rejected"]) == (800, 783, 17), r
assert r["read"] == r["accepted"] + r["rejected"]
PY
for f in csv xlsx dta sav pipe latin1; do
  n_red=$(grep -c ',"redacted: ""(b)(6)(b)(7)(c)""",' "$f/rejects.csv")
  n_unk=$(grep -c 'unknown facility code: ""ZZZHOLD""' "$f/rejects.csv")
  [[ $n_red == 9 && $n_unk == 8 ]] ||
    fail "$f: rejects.csv has $n_red redacted, $n_unk unknown codes (want 9, 8)"
done
# Each reject names its file and line: the workbook's sheet and row.
grep -q '^13,0,Unique Identifier,' xlsx/rejects.csv ||
  fail "xlsx: the first redacted row is not row 13 of its sheet"
grep -q '^13,685,Unique Identifier,' csv/rejects.csv || fail "csv: first reject not line 13, byte 685"
"$bin" check records.xlsx "${cols[@]}" 2>xcheck.err >/dev/null
grep -q '^records.xlsx\[Book-Outs 2\]:[0-9]*: Detention Facility Code: unknown facility code: "ZZZHOLD"' xcheck.err ||
  fail "check names the sheet of a reject: $(head -3 xcheck.err)"

# The hash of standard input is that of the bytes piped in.
want=$(sha256sum records.pipe.csv.gz | cut -d' ' -f1)
got=$(python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["provenance"]["inputs"][0]["sha256"])' \
  pipe/results.json 2>/dev/null)
[[ $got == "$want" ]] || fail "stdin sha256 $got, want $want"

# check and assign read standard input, plain or gzip, losing nothing.
printf 'id,date,origin_lat,origin_lon,release_region\nA,2020-01-04,40,-74,X\nB,1/13/20,41,-75,Y\n' >small.csv
for how in plain gzip; do
  if [[ $how == gzip ]]; then feed() { gzip -c small.csv; }; else feed() { cat small.csv; }; fi
  out=$(feed | "$bin" check - --json 2>err) ||
    fail "check - ($how): exit $?: $(cat err)"
  [[ $out == '{"read": 2, "accepted": 2, "rejected": 0, "errors": []}' ]] ||
    fail "check - ($how): $out"
  feed | "$bin" assign --regions "$data/states-10m.json" --lat origin_lat \
    --lon origin_lon - -o assigned.csv 2>err || fail "assign - ($how): $(cat err)"
  [[ $(head -1 assigned.csv) == 'id,date,origin_lat,origin_lon,release_region,region' &&
    $(wc -l <assigned.csv) == 3 ]] || fail "assign - ($how): $(head -3 assigned.csv)"
done

# Dates: an ambiguous column is refused, naming the option; the option
# settles it.
printf 'id,date,origin_lat,origin_lon,release_region\nA,03/04/2020,40,-74,X\nB,05/06/2020,41,-75,Y\n' >amb.csv
"$bin" check amb.csv 2>err >/dev/null
rc=$?
[[ $rc == 65 ]] || fail "ambiguous dates: exit $rc, want 65"
grep -q '^steerwatch: amb.csv:2: date: ambiguous dates: "03/04/2020" .*--date-format' err ||
  fail "ambiguous dates: $(cat err)"
out=$("$bin" check amb.csv --date-format %d/%m/%Y --json 2>/dev/null)
[[ $out == '{"read": 2, "accepted": 2, "rejected": 0, "errors": []}' ]] ||
  fail "--date-format: $out"

# The same mapping from a file (comments, blank lines, spaces, CRLF).
printf '# ICE book-outs\nid = Unique Identifier\r\ndate=Detention Book Out Date Time\n\nfacility=Detention Facility Code\nrelease_region=Release County FIPS\n' >map.txt
out=$("$bin" check records.xlsx --columns map.txt --json \
  --facilities "$data/ice_facilities_1978_2017.csv" 2>err)
[[ $out == '{"read": 800, "accepted": 783, "rejected": 17,'* ]] ||
  fail "--columns FILE: ${out:0:80} $(cat err)"
printf 'id=Unique Identifier\nwhen=Stay Book In Date Time\n' >badmap.txt
"$bin" check records.csv --columns badmap.txt 2>err >/dev/null
[[ $? == 65 ]] && grep -q '^steerwatch: badmap.txt:2: when: not a records column' err ||
  fail "bad --columns file: $(cat err)"

# A Stata date stored as a plain number (no %td format) is no date: it
# must not pass for an Excel serial (21918 would read as 1960-01-03).
if command -v readstat >/dev/null; then
  printf 'id,when,origin_lat,origin_lon,release_region\nu1,21918,40,-74,X\n' >num.csv
  printf '{"type": "STATA", "variables": [{"type": "STRING", "name": "id"}, {"type": "NUMERIC", "name": "when"}, {"type": "NUMERIC", "name": "origin_lat"}, {"type": "NUMERIC", "name": "origin_lon"}, {"type": "STRING", "name": "release_region"}]}\n' >num.json
  readstat num.csv num.json num.dta >/dev/null 2>&1
  out=$("$bin" check num.dta --column date=when --json 2>/dev/null)
  [[ $out == *'"reason": "a number, not a date: \"21918\" (a variable without a date format'* ]] ||
    fail "a numeric Stata date: $out"
fi

# Usage errors name the option.
"$bin" check small.csv --column when=date 2>err >/dev/null
[[ $? == 64 ]] && grep -q 'not a records column' err || fail "bad --column: $(cat err)"
"$bin" check small.csv --date-format '%Q' 2>err >/dev/null
[[ $? == 64 ]] && grep -q -- '--date-format' err || fail "bad --date-format: $(cat err)"
"$bin" check small.csv --encoding no-such-set 2>err >/dev/null
[[ $? == 64 ]] && grep -q 'unknown encoding' err || fail "bad --encoding: $(cat err)"
"$bin" check records.xlsx "${cols[@]}" --sheet Nope 2>err >/dev/null
[[ $? == 64 ]] && grep -q 'no such sheet' err || fail "bad --sheet: $(cat err)"
# One sheet alone, and the header given by --skip-rows (line 7).
out=$("$bin" check records.xlsx "${cols[@]}" --sheet 2 --skip-rows 6 --json 2>err)
[[ $out == '{"read": 400,'* ]] || fail "--sheet 2 --skip-rows 6: $out $(cat err)"

# audit --help teaches: required inputs, record columns, an example.
help=$("$bin" audit --help)
for want in 'Required inputs:' 'Record columns' 'Examples' '--facilities FILE' \
  'release_place, ties_place' 'release_county, ties_county' '--gazetteer FILE'; do
  grep -qF -- "$want" <<<"$help" || fail "audit --help lacks '$want'"
done

[[ $fails == 0 ]] && echo "ok" || echo "$fails failure(s)"
exit $((fails > 0))
