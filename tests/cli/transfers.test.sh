#!/usr/bin/env bash
# transfers.test.sh — `steerwatch transfers`: detention stays in an ICE
# layout (preamble, mapped columns, date-times, a redacted id) become the
# exact transfer records expected, with re-books merged, gaps and overlaps
# counted and bad stays rejected with line, column and reason; --max-gap
# moves the line between a transfer and a new detention; then a generated
# stays file goes through `transfers` into `audit` with the facilities as
# the alternatives (docs/transfers.md).
# Usage: bash transfers.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -u
bin=$(realpath "$1") src=$2 scratch=$(realpath -m "$3")
rm -rf "$scratch" && mkdir -p "$scratch" && cd "$scratch" || exit 1
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

cat >stays.csv <<'CSV'
Detention Stays FY2020,,,
,,,
Unique Identifier,Detention Facility Code,Book In Date Time,Book Out Date Time
P1,AAA,2020-01-01 10:00:00,2020-01-05 08:00:00
P1,BBB,2020-01-05 18:00:00,2020-01-20 09:00:00
P1,BBB,2020-01-20 11:00:00,2020-02-01 00:00:00
P1,CCC,2020-02-02 00:00:00,2020-03-01 00:00:00
P2,AAA,2020-01-03 00:00:00,2020-01-04 00:00:00
P2,CCC,2020-02-10 00:00:00,
(b)(6)(b)(7)(c),AAA,2020-01-01 00:00:00,2020-01-02 00:00:00
P3,,2020-01-01 00:00:00,2020-01-02 00:00:00
P4,AAA,2020-01-05 00:00:00,2020-01-02 00:00:00
P5,AAA,2020-01-01 00:00:00,2020-01-10 00:00:00
P5,BBB,2020-01-08 00:00:00,2020-01-12 00:00:00
P6,"CCC",2020-03-01 00:00:00,2020-03-02 00:00:00
P6,AAA,2020-03-02 00:00:00,
CSV
map=(--column 'id=Unique Identifier' --column 'facility=Detention Facility Code'
  --column 'book_in=Book In Date Time' --column 'book_out=Book Out Date Time')

"$bin" transfers stays.csv "${map[@]}" --rejects rejects.csv -o t.csv 2>stderr
rc=$?
[[ $rc == 0 ]] || fail "transfers: exit $rc: $(cat stderr)"
want='id,date,facility,release_region,person,arrival,gap_days
P1:1,2020-01-05,AAA,BBB,P1,2020-01-05,0
P1:2,2020-02-01,BBB,CCC,P1,2020-02-02,1
P6:1,2020-03-02,CCC,AAA,P6,2020-03-02,0'
[[ $(cat t.csv) == "$want" ]] || fail "transfers:
$(cat t.csv)
want:
$want"
for line in 'stays read    13' 'accepted      10' 'rejected      3' \
  'people        4' 'transfers     3' 're-books      1 ' 'gaps          1 ' \
  'overlaps      1 '; do
  grep -qF "$line" stderr || fail "summary lacks '$line': $(cat stderr)"
done
want='line,byte,column,reason,raw
10,372,Unique Identifier,"redacted: ""(b)(6)(b)(7)(c)""","(b)(6)(b)(7)(c),AAA,2020-01-01 00:00:00,2020-01-02 00:00:00"
11,432,Detention Facility Code,empty,"P3,,2020-01-01 00:00:00,2020-01-02 00:00:00"
12,476,Book Out Date Time,"before Book In Date Time: ""2020-01-02 00:00:00""","P4,AAA,2020-01-05 00:00:00,2020-01-02 00:00:00"'
[[ $(cat rejects.csv) == "$want" ]] || fail "rejects.csv:
$(cat rejects.csv)
want:
$want"

# --max-gap 0: P1's one-day gap from BBB to CCC is a new detention.
"$bin" transfers stays.csv "${map[@]}" --max-gap 0 -o t0.csv 2>stderr
[[ $(grep -c '^P1:' t0.csv) == 1 ]] || fail "--max-gap 0: $(cat t0.csv)"
grep -qF 'gaps          2 ' stderr || fail "--max-gap 0 gaps: $(cat stderr)"

# With a facility list an unknown code rejects the stay.
printf 'code,lat,lon\nAAA,30,-100\nBBB,31,-99\n' >fac.csv
"$bin" transfers stays.csv "${map[@]}" --facilities fac.csv -o tf.csv \
  --rejects rf.csv 2>/dev/null || fail "--facilities: exit $?"
[[ $(grep -c 'unknown facility code: ""CCC""' rf.csv) == 3 ]] ||
  fail "--facilities: $(cat rf.csv)"

# Usage and schema faults.
"$bin" transfers stays.csv --column 'date=Book In' -o x.csv 2>stderr
[[ $? == 64 ]] || fail "--column date: want exit 64"
grep -qF 'not a stays column' stderr || fail "--column date: $(cat stderr)"
"$bin" transfers stays.csv --column 'id=Unique Identifier' -o x.csv 2>stderr
[[ $? == 65 ]] || fail "missing facility column: want exit 65"
grep -qF 'stays.csv:3: facility: required column missing' stderr ||
  fail "missing column: $(cat stderr)"

# Stays through transfers into audit, the facilities as the alternatives:
# each facility's lat/lon and target are region attributes, the transfers'
# destination code is release_region, the origin is located by --facilities.
awk 'BEGIN {
  srand(7); print "code,lat,lon" >"fac20.csv"
  print "region,attribute,value,valid_from,valid_to" >"fac20-attrs.csv"
  for (i = 0; i < 20; i++) {
    c = sprintf("F%02d", i); lat = 30 + (i % 5) * 2; lon = -100 + int(i / 5) * 2.5
    print c "," lat "," lon >"fac20.csv"
    print c ",lat," lat ",,\n" c ",lon," lon ",,\n" c ",private," (i % 3 ? "no" : "yes") ",," >"fac20-attrs.csv"
  }
  print "id,facility,book_in,book_out" >"stays20.csv"
  for (p = 0; p < 800; p++) {
    t = 18262 + int(rand() * 300); f = int(rand() * 20)
    for (k = 0; k < 3; k++) {
      out = t + 1 + int(rand() * 40)
      printf "A%d,F%02d,%s,%s\n", p, f, d(t), d(out) >"stays20.csv"
      t = out + int(rand() * 2); g = int(rand() * 19); f = g >= f ? g + 1 : g
    }
  }
}
function d(n,   y, m, k) { # days since 1970 to ISO, 2020-2021 only
  split("31 29 31 30 31 30 31 31 30 31 30 31 31 28 31 30 31 30 31 31 30 31 30 31", L)
  n -= 18262; y = 2020; m = 1; k = 1
  while (n >= L[k]) { n -= L[k]; k++; m++; if (m > 12) { m = 1; y++ } }
  return sprintf("%d-%02d-%02d", y, m, n + 1)
}'
"$bin" transfers stays20.csv -o t20.csv 2>stderr || fail "stays20: $(cat stderr)"
n=$(($(wc -l <t20.csv) - 1))
[[ $n == 1600 ]] || fail "stays20: $n transfers, want 1600 (800 people x 2)"
"$bin" audit --records t20.csv --facilities fac20.csv --attrs fac20-attrs.csv \
  --target private=yes --out audit20 2>stderr || fail "audit: exit $?: $(tail -3 stderr)"
grep -qF "Records: 1600 read, 1600 accepted, 0 rejected" stderr ||
  fail "audit of transfers: $(head -3 stderr)"
grep -qF "from 20 facilities over 20 regions" stderr ||
  fail "audit alternatives: $(head -3 stderr)"

[[ $fails == 0 ]] && echo "transfers: all passed"
exit $((fails > 0))
