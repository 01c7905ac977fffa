#!/usr/bin/env bash
# audit_report.test.sh — report.html as `steerwatch audit` writes it, on
# the small inputs of tests/golden/audit_small with hostile record ids,
# facility names and an event label:
# - the hostile strings appear only escaped (never as markup), and the
#   parsed page has no script, img or on* attribute;
# - the page's figures are results.json's: the target's releases and
#   excess, and every facility row (records, into the target, excess);
# - the simulated banner: absent for plain records, present with
#   --simulated, and present (with results.json saying so) when a
#   RECORDS.truth.json lies beside the records.
# Usage: bash audit_report.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -u
bin=$(realpath "$1") src=$(realpath "$2") scratch=$(realpath -m "$3")
py=/usr/bin/python3
[[ -x $py ]] || { echo "skip: $py not installed"; exit 77; }
rm -rf "$scratch"
mkdir -p "$scratch"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
gold=$src/tests/golden/audit_small

# Hostile ids on every record, hostile facility names for both facilities.
"$py" - "$gold/records.csv" "$scratch/records.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
names = {'North Camp': '<script>alert(1)</script>',
         'South, Annex': '"onerror=alert(2) O\'Brien & Sons'}
fac = rows[0].index('facility')
with open(sys.argv[2], 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow(rows[0])
    for i, r in enumerate(rows[1:]):
        r[0] = '<script>alert(1)</script>"onerror=\'&%03d' % i
        r[fac] = names.get(r[fac], r[fac])
        w.writerow(r)
EOF
label='<img src=x onerror=alert(3)> & "q"'
run() { # run OUTDIR RECORDS [extra args]
  local o=$1 recs=$2
  shift 2
  "$bin" audit --records "$recs" --regions "$gold/regions.geojson" \
    --region-id code --attrs "$gold/attrs.csv" --target sanctuary=yes \
    --event "2021-03-01:$label" --seed 1 --threads 2 --out "$o" "$@" \
    >/dev/null 2>"$o.stderr"
}
run "$scratch/out" "$scratch/records.csv" || fail "audit exit $?: $(tail -3 "$scratch/out.stderr")"
page=$scratch/out/report.html
[[ -s $page ]] || { echo "FAIL: no report.html"; exit 1; }

for raw in '<script>alert' '<img src=x' '"onerror=' "O'Brien" '& Sons'; do
  grep -qF -- "$raw" "$page" && fail "unescaped in the page: $raw"
done
for esc in '&lt;script&gt;alert(1)&lt;/script&gt;&quot;onerror=&#39;&amp;0' \
  '&quot;onerror=alert(2) O&#39;Brien &amp; Sons' \
  '&lt;img src=x onerror=alert(3)&gt; &amp; &quot;q&quot;'; do
  grep -qF -- "$esc" "$page" || fail "escaped form missing: $esc"
done
grep -q 'Simulated records' "$page" && fail "banner on records that are not simulated"

"$py" - "$page" "$scratch/out/results.json" <<'EOF' || fails=$((fails + 1))
import json, sys
from html.parser import HTMLParser

class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad, self.rows, self.row, self.cell, self.text = [], [], None, None, []
    def handle_starttag(self, tag, attrs):
        if tag in ('script', 'img', 'iframe', 'object', 'embed', 'link'):
            self.bad.append(tag)
        for k, v in attrs:
            if k.startswith('on') or k in ('src', 'srcset'):
                self.bad.append('%s %s' % (tag, k))
        if tag == 'tr': self.row = []
        if tag in ('td', 'th') and self.row is not None: self.cell = []
    def handle_endtag(self, tag):
        if tag in ('td', 'th') and self.cell is not None:
            self.row.append(''.join(self.cell).strip()); self.cell = None
        if tag == 'tr' and self.row is not None:
            self.rows.append(self.row); self.row = None
    def handle_data(self, d):
        self.text.append(d)
        if self.cell is not None: self.cell.append(d)

p = Page()
p.feed(open(sys.argv[1], encoding='utf-8').read())
r = json.load(open(sys.argv[2]))
text = ''.join(p.text)
errors = []
if p.bad:
    errors.append('active markup: %s' % p.bad[:5])
for s in ('<script>alert(1)</script>"onerror=\'&0',
          '"onerror=alert(2) O\'Brien & Sons', '<img src=x onerror=alert(3)> & "q"'):
    if s not in text:
        errors.append('text missing: %r' % s)

def fmt(x, d, sign=False):
    s = '{:,.{}f}'.format(abs(x), d)
    if x < 0 and float(s.replace(',', '')) != 0: s = '\u2212' + s
    elif sign and x > 0: s = '+' + s
    return s

def people(n):  # the small-numbers rule
    return 'fewer than 10' if 0 < n < 10 else fmt(n, 0)

t = r['targets'][0]
for want in (fmt(t['observed'], 0), fmt(t['excess_releases'], 1, True)):
    if want not in text:
        errors.append('headline figure %r of results.json not on the page' % want)
byname = {row[0]: row for row in p.rows if row}
for f in t['facilities']:
    row = byname.get(f['facility'])
    if row is None:
        errors.append('facility %r has no row' % f['facility']); continue
    want = [f['facility'], people(f['records']), people(f['observed']),
            fmt(100 * f['observed_share'], 1) + '%',
            fmt(100 * f['expected_share'], 1) + '%', fmt(f['excess'], 1, True)]
    if row != want:
        errors.append('facility row %r, results.json says %r' % (row, want))
flagged = [row for row in p.rows
           if len(row) == 6 and row[0].startswith('<script>alert(1)</script>"')]
if len(flagged) != min(20, r['displacement']['flagged']):
    errors.append('%d flagged rows on the page, want %d' %
                  (len(flagged), min(20, r['displacement']['flagged'])))
if errors:
    print('FAIL: ' + '\n'.join(errors)); sys.exit(1)
EOF

# The simulated banner: --simulated, or a truth file beside the records.
run "$scratch/flag" "$scratch/records.csv" --simulated || fail "audit --simulated exit $?"
grep -q 'Simulated records' "$scratch/flag/report.html" || fail "--simulated: no banner"
grep -q '"simulated":	true' "$scratch/flag/results.json" || fail "--simulated: results.json says not simulated"
mkdir -p "$scratch/sim"
cp "$scratch/records.csv" "$scratch/sim/recs.csv"
echo '{"generator": "steerwatch simulate"}' >"$scratch/sim/recs.truth.json"
run "$scratch/truth" "$scratch/sim/recs.csv" || fail "audit with truth file exit $?"
grep -q 'Simulated records' "$scratch/truth/report.html" || fail "truth file: no banner"
grep -qF 'records drawn by steerwatch simulate; the truth is in' "$scratch/truth/report.html" ||
  fail "truth file: the parameters do not name it"
grep -qF "\"truth\":	\"$scratch/sim/recs.truth.json\"" "$scratch/truth/results.json" ||
  fail "truth file: results.json does not name it"

[[ $fails == 0 ]] || exit 1
echo "audit report: escaped, figures equal results.json, simulated banner"
