#!/usr/bin/env bash
# counts.test.sh — aggregated records: a count table must audit exactly as
# the same table expanded into one row per person. tests/data/
# county_counts.csv holds 560 rows (1,926 people) drawn by `steerwatch
# simulate` on the real counties of AZ, NM, PA, SC and WA from six
# facilities of data/facilities.csv, each row given a simulated count
# (geometric, 1..30, a few left blank for 1) and its county under the
# header `county`, as agencies name it. Every number of results.json and
# regions.csv must match to 1e-9 but the row counts. (Under 2,048 people,
# so that neither fit takes the warm start on every 8th chunk of records,
# which would differ between the two and leave their estimates apart by up
# to the convergence tolerance, about 1e-6 standard deviations.) Then bad
# counts are rejected rows naming file, line and column, and a count table
# without origin is refused (exit 65) saying what is missing.
# Usage: bash counts.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -u
bin=$(realpath "$1") src=$(realpath "$2") scratch=$(realpath -m "$3")
py=/usr/bin/python3
rm -rf "$scratch"
mkdir -p "$scratch"
cd "$scratch" || exit 1
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# The five states' counties: under 1,000 regions, so every region is an
# alternative and no alternative is sampled per row (a sample is drawn per
# record, which a row and its copies could not share).
"$py" - "$src/data/counties-10m.json" states.json <<'EOF' || exit 1
import json, sys
t = json.load(open(sys.argv[1]))
keep = ('04', '35', '42', '45', '53')
g = [x for x in t['objects']['counties']['geometries'] if x['id'][:2] in keep]
t['objects'] = {'counties': {'type': 'GeometryCollection', 'geometries': g}}
json.dump(t, open(sys.argv[2], 'w'))
EOF
# One row per person: row C00007 of count 3 becomes C00007-1..C00007-3.
awk -F, 'NR == 1 { OFS = ","; NF--; print; next }
  { OFS = ","; c = $NF == "" ? 1 : $NF; id = $1; NF--
    for (k = 1; k <= c; k++) { $1 = id "-" k; print } }' \
  "$src/tests/data/county_counts.csv" >expanded.csv

for table in "$src/tests/data/county_counts.csv" expanded.csv; do
  out=$(basename "$table" .csv)
  "$bin" audit --records "$table" --column release_region=county \
    --regions states.json --attrs "$src/data/county-attrs.csv" \
    --target sanctuary=yes --event 2024-07-01 --seed 1 --threads 2 \
    --out "$out" 2>"$out.stderr"
  rc=$?
  [[ $rc == 0 ]] || { fail "audit of $out: exit $rc"; cat "$out.stderr"; exit 1; }
done

"$py" - county_counts/results.json expanded/results.json <<'EOF' || fails=$((fails + 1))
import json, re, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
# Row counts, and what names or hashes the files: all else counts people.
rows = {'records.read', 'records.accepted', 'records.rejected',
        'records.unassigned', 'records.audited', 'provenance',
        'displacement.flagged_records', 'targets[].expected_from.records',
        'targets[].choice_model.n_records'}
bad, n = [], 0
def walk(x, y, path):
    global n
    if re.sub(r'\[\d+\]', '[]', path) in rows:
        return
    if isinstance(x, dict):
        if set(x) != set(y):
            bad.append('%s: keys %s vs %s' % (path, sorted(x), sorted(y)))
        for k in x:
            if k in y:
                walk(x[k], y[k], path + '.' + k if path else k)
    elif isinstance(x, list):
        if len(x) != len(y):
            bad.append('%s: %d vs %d items' % (path, len(x), len(y)))
        for i, (u, v) in enumerate(zip(x, y)):
            walk(u, v, '%s[%d]' % (path, i))
    elif isinstance(x, (int, float)) and not isinstance(x, bool):
        n += 1
        if not (isinstance(y, (int, float)) and
                abs(x - y) <= 1e-9 * max(1, abs(x), abs(y))):
            bad.append('%s: %r vs %r' % (path, x, y))
    elif x != y:
        bad.append('%s: %r vs %r' % (path, x, y))
walk(a, b, '')
if a['records']['people'] != b['records']['accepted'] or a['records']['people'] == a['records']['accepted']:
    bad.append('records.people %r, want %r rows expanded (and not %r rows)' %
               (a['records']['people'], b['records']['accepted'], a['records']['accepted']))
cm = a['targets'][0]['choice_model']
if cm.get('n_people') != b['targets'][0]['choice_model']['n_records']:
    bad.append('choice_model.n_people %r' % cm.get('n_people'))
if a['displacement']['flagged'] == 0:
    bad.append('no record flagged: displacement not exercised')
for m in bad[:20]:
    print('FAIL: results.json:', m)
print('results.json: %d numbers compared, %d differ' % (n, len(bad)))
sys.exit(1 if bad or n < 50 else 0)
EOF
paste -d, county_counts/regions.csv expanded/regions.csv | awk -F, '
  NR == 1 { next }
  { for (k = 1; k <= NF / 2; k++) {
      a = $k; b = $(k + NF / 2)
      if (a != b && (a + 0 != a || (a - b) ^ 2 > 1e-18 * (1 + a * a + b * b))) {
        print "regions.csv line " NR ": " a " vs " b; bad = 1 } } }
  END { exit bad }' || fail "regions.csv differs"
# flagged.csv lists rows; its people column adds up to the people flagged.
"$py" - county_counts expanded <<'EOF' || fail "flagged.csv people"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1] + '/flagged.csv')))
n = sum(int(r['people']) for r in rows)
want = json.load(open(sys.argv[1] + '/results.json'))['displacement']['flagged']
copies = sum(1 for _ in csv.DictReader(open(sys.argv[2] + '/flagged.csv')))
if not rows or n != want or n != copies or 'people' in open(sys.argv[2] + '/flagged.csv').readline():
    print('flagged.csv: %d rows, %d people; results.json %d; expanded %d rows' % (len(rows), n, want, copies))
    sys.exit(1)
EOF
grep -q '1,926</b>' county_counts/report.html && grep -q ' people ' county_counts/report.html ||
  fail "report.html does not give the 1,926 people"

# Bad counts: each a rejected row naming file, line and column.
cat >bad.csv <<'EOF'
id,date,origin_lat,origin_lon,release_region,n
1,2021-03-01,40.7,-74.0,06075,0
2,2021-03-01,40.7,-74.0,06075,-2
3,2021-03-01,40.7,-74.0,06075,2.5
4,2021-03-01,40.7,-74.0,06075,1000001
5,2021-03-01,40.7,-74.0,06075,12
6,2021-03-01,40.7,-74.0,06075,
7,2021-03-01,40.7,-74.0,06075,99999999999999999999999
EOF
got=$("$bin" check --json --column count=n bad.csv 2>/dev/null)
want='{"read": 7, "accepted": 2, "rejected": 5, "errors": [{"line": 2, "column": "n", "reason": "out of range 1..1000000: \"0\""}, {"line": 3, "column": "n", "reason": "not a whole number of people: \"-2\""}, {"line": 4, "column": "n", "reason": "not a whole number of people: \"2.5\""}, {"line": 5, "column": "n", "reason": "out of range 1..1000000: \"1000001\""}, {"line": 8, "column": "n", "reason": "out of range 1..1000000: \"99999999999999999999999\""}]}'
[[ $got == "$want" ]] || fail "check of bad counts:
  got:  $got
  want: $want"
"$bin" check --column count=n bad.csv >/dev/null 2>check.stderr
grep -q '^bad.csv:4: n: not a whole number of people: "2.5"' check.stderr ||
  fail "no file:line: column: reason for a fractional count: $(head -3 check.stderr)"

# A table of counts per county and state, without where people were held.
printf 'id,date,county,state,count\n1,2024-01-01,04013,AZ,120\n' >no_origin.csv
"$bin" audit --records no_origin.csv --regions states.json \
  --column release_region=county --attrs "$src/data/county-attrs.csv" \
  --target sanctuary=yes --out no_origin 2>no_origin.stderr
rc=$?
[[ $rc == 65 ]] || fail "count table without origin: exit $rc, want 65"
grep -q 'count table cannot be modelled without where its people were held: give origin_lat and origin_lon, or facility' no_origin.stderr ||
  fail "count table without origin: $(head -2 no_origin.stderr)"

[[ $fails == 0 ]] && echo "counts: all equal" || exit 1
