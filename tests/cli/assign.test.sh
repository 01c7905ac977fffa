#!/usr/bin/env bash
# steerwatch assign as a whole command: every input row comes out, in order,
# byte for byte, with the region appended (empty for points in no region,
# invalid or malformed rows); the header gains `region`; gzip input; other
# delimiters and named columns; the summary on stderr; exit codes 64, 65,
# 66, 73 and 74.
set -uo pipefail
bin=$1 scratch=$3
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

# Two unit squares sharing the edge lon = 1.
cat > squares.geojson <<'JSON'
{"type":"FeatureCollection","features":[
 {"type":"Feature","id":"A","properties":{"name":"west"},"geometry":{"type":"Polygon",
  "coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
 {"type":"Feature","id":"B","properties":{"name":"east"},"geometry":{"type":"Polygon",
  "coordinates":[[[1,0],[2,0],[2,1],[1,1],[1,0]]]}}]}
JSON

printf '%s\n' 'id,lat,lon,note' \
  '1,0.5,0.5,a' \
  '2,0.5,1.5,"has, comma"' \
  '3,5,5,outside' \
  '4,,0.5,empty lat' \
  '5,NaN,0.5,nan' \
  '6,abc,0.5,text' \
  '7,91,0.5,range' \
  '8,0.5,1,on the shared edge' \
  '9,0.25,0.75,"two' 'lines"' \
  '10,0.5,0.5,bad"quote' \
  '11,0.5' \
  '12,0.75,1.25,last' > in.csv
printf '%s\n' 'id,lat,lon,note,region' \
  '1,0.5,0.5,a,A' \
  '2,0.5,1.5,"has, comma",B' \
  '3,5,5,outside,' \
  '4,,0.5,empty lat,' \
  '5,NaN,0.5,nan,' \
  '6,abc,0.5,text,' \
  '7,91,0.5,range,' \
  '8,0.5,1,on the shared edge,B' \
  '9,0.25,0.75,"two' 'lines",A' \
  '10,0.5,0.5,bad"quote,' \
  '11,0.5,' \
  '12,0.75,1.25,last,B' > want.csv

expect_exit 0 "plain run" "$bin" assign --regions squares.geojson in.csv -o out.csv
cmp -s out.csv want.csv || { fail "output differs"; diff want.csv out.csv; }
cp err.txt summary.txt
for line in 'rows read *12' 'assigned *5' 'unassigned *1' 'invalid *6' \
            'on boundary *1' 'regions *2'; do
  grep -Eq "^$line" summary.txt || { fail "summary lacks /$line/"; cat summary.txt; }
done
grep -q 'in.csv:7: lat: not a number: "abc"' summary.txt ||
  fail "no reason shown for row 6 (line 7)"

# Gzip input: same output.
gzip -c in.csv > in.csv.gz
expect_exit 0 "gzip input" "$bin" assign --regions squares.geojson in.csv.gz -o gz.csv
cmp -s gz.csv want.csv || fail "gzip output differs"

# Standard output.
"$bin" assign --regions squares.geojson in.csv -o - > stdout.csv 2> /dev/null
cmp -s stdout.csv want.csv || fail "-o - output differs"

# Pipe-delimited input with named columns, CRLF line ends.
printf 'Y|X|name\r\n0.5|0.5|p\r\n0.5|1.5|q\r\n' > pipe.csv
printf 'Y|X|name|region\n0.5|0.5|p|A\n0.5|1.5|q|B\n' > pipe-want.csv
expect_exit 0 "pipe delimiter" "$bin" assign --regions squares.geojson \
  --delimiter '|' --lat y --lon x pipe.csv -o pipe-out.csv
cmp -s pipe-out.csv pipe-want.csv || { fail "pipe output differs"; diff pipe-want.csv pipe-out.csv; }

# release_lat/release_lon are used when lat/lon are absent.
printf 'id,release_lat,release_lon\nr,0.5,1.5\n' > rel.csv
expect_exit 0 "release columns" "$bin" assign --regions squares.geojson rel.csv -o rel-out.csv
[ "$(tail -1 rel-out.csv)" = "r,0.5,1.5,B" ] || fail "release columns not used"

# A region id property.
expect_exit 0 "--region-id" "$bin" assign --regions squares.geojson --region-id name rel.csv -o name.csv
[ "$(tail -1 name.csv)" = "r,0.5,1.5,east" ] || fail "--region-id name not used"

# Exit codes.
expect_exit 64 "no arguments" "$bin" assign
expect_exit 64 "no --regions" "$bin" assign in.csv -o x.csv
expect_exit 64 "no -o" "$bin" assign --regions squares.geojson in.csv
expect_exit 64 "unknown option" "$bin" assign --regions squares.geojson --bogus in.csv -o x.csv
expect_exit 64 "--lat without --lon" "$bin" assign --regions squares.geojson --lat y in.csv -o x.csv
expect_exit 64 "empty --region-id" "$bin" assign --regions squares.geojson --region-id "" in.csv -o x.csv
expect_exit 64 "empty --layer" "$bin" assign --regions squares.geojson --layer "" in.csv -o x.csv
expect_exit 66 "missing input" "$bin" assign --regions squares.geojson nosuch.csv -o x.csv
expect_exit 66 "missing regions" "$bin" assign --regions nosuch.geojson in.csv -o x.csv
echo '{"type":"FeatureCollection","features":[' > bad.geojson
expect_exit 65 "bad regions file" "$bin" assign --regions bad.geojson in.csv -o x.csv
printf 'id,x,y\n1,2,3\n' > nocols.csv
expect_exit 65 "missing columns" "$bin" assign --regions squares.geojson nocols.csv -o x.csv
grep -q 'lat' err.txt || fail "missing-column error does not name lat"
expect_exit 65 "missing named column" "$bin" assign --regions squares.geojson --lat a --lon b in.csv -o x.csv
cp in.csv same.csv
expect_exit 64 "output is the input" "$bin" assign --regions squares.geojson same.csv -o same.csv
cmp -s same.csv in.csv || fail "input overwritten"
expect_exit 73 "cannot create output" "$bin" assign --regions squares.geojson in.csv -o nodir/out.csv
if [ -w /dev/full ]; then
  expect_exit 74 "disk full" "$bin" assign --regions squares.geojson in.csv -o /dev/full
fi

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "assign: all checks passed"
