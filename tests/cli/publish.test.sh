#!/usr/bin/env bash
# publish.test.sh — issue 14 item 2, `audit --publish`: no key, no
# publishing; with a key, no output holds an input record id, every id is
# the keyed pseudonym the key's holder can recompute, no count from 1 to
# 9 is shown or follows from a published total minus the shown cells, the
# records' free-text column is dropped unless kept, no rejects.csv, and
# the headline figures are the full audit's.
# Usage: bash publish.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -u
bin=$(realpath "$1") src=$(realpath "$2") scratch=$(realpath -m "$3")
rm -rf "$scratch" && mkdir -p "$scratch" && cd "$scratch" || exit 1
small=$src/tests/golden/audit_small
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# The golden records, thinned so that two regions and a facility hold
# fewer than 10 releases: the cells suppression must withhold.
python3 - "$small" <<'EOF' || exit 1
import csv, math, sys
rows = list(csv.reader(open(sys.argv[1] + '/records.csv', newline='')))
kept, seen = [rows[0]], {}
for r in rows[1:]:
    reg = r[6]
    if not reg and r[4]:
        lat, lon = float(r[4]), float(r[5])
        reg = 'G%d%d' % (math.floor(lat - 40), math.floor(lon + 100))
    seen[reg] = seen.get(reg, 0) + 1
    if (reg == 'G22' and seen[reg] > 3) or (reg == 'G21' and seen[reg] > 7):
        continue
    kept.append(r)
kept.append(['tiny1', '2021-03-03', '35', '-90', '41.5', '-99.5', '', '', '', 'G00',
             'Tiny Post', '', 'secret note'])
csv.writer(open('records.csv', 'w', newline=''), lineterminator='\n').writerows(kept)
open('key', 'wb').write(bytes(range(32)))
open('other_key', 'wb').write(bytes(range(1, 33)))
open('short_key', 'wb').write(b'12345678')
EOF

audit() {
  "$bin" audit --records records.csv --regions "$small/regions.geojson" \
    --region-id code --attrs "$small/attrs.csv" --target sanctuary=yes \
    --target population=1000 --event 2021-03-01:policy --window 4 --seed 1 \
    --threads 2 "$@" 2>stderr
}

# Refusals: exit 64 (66 for a key file that is not there), and no files.
expect() {
  local want=$1 what=$2; shift 2
  audit "$@"
  local rc=$?
  [[ $rc == "$want" ]] || fail "$what: exit $rc, want $want ($(head -c 300 stderr))"
}
expect 64 "--publish without --key" --publish --out refused1
[[ -e refused1/results.json ]] && fail "--publish without --key wrote results.json"
grep -q -- "--key" stderr || fail "the refusal does not name --key: $(cat stderr)"
expect 64 "an 8-byte key" --publish --key short_key --out refused2
[[ -e refused2/flagged.csv ]] && fail "a short key still wrote flagged.csv"
expect 66 "a missing key file" --publish --key nothere --out refused3
expect 64 "--key without --publish" --key key --out refused4
expect 64 "--keep-column naming no column" --publish --key key \
  --keep-column nosuch --out refused5

audit --out full || fail "full audit: exit $? ($(cat stderr))"
# Into a directory that holds a full audit: its rejects.csv must go.
cp -r full pub
audit --publish --key key --out pub || fail "published audit: exit $? ($(cat stderr))"
audit --publish --key other_key --out pub_other || fail "other key: exit $?"
audit --publish --key key --keep-column NOTE --min-cell 5 --out pub_kept ||
  fail "--keep-column: exit $?"
[[ -e pub/rejects.csv ]] && fail "a published view kept rejects.csv"

python3 - <<'EOF' || fails=$((fails + 1))
import csv, hashlib, hmac, json, re
ok = True
def bad(msg):
    global ok
    print('FAIL:', msg); ok = False
def rows(path):
    return list(csv.DictReader(open(path, newline='')))
K = 10
full, pub = json.load(open('full/results.json')), json.load(open('pub/results.json'))

# No input id in any published file.
ids = [r['id'] for r in csv.DictReader(open('records.csv', newline=''))]
for name in ('results.json', 'regions.csv', 'flagged.csv', 'report.html'):
    text = open('pub/' + name).read()
    found = [i for i in ids if re.search(r'(?<![0-9A-Za-z])%s(?![0-9A-Za-z])' % re.escape(i), text)]
    if found:
        bad('pub/%s holds input ids %s' % (name, found[:3]))
if 'secret note' in open('pub/flagged.csv').read() + open('pub/report.html').read():
    bad('the free-text column was carried into the published view')

# The key's holder re-links: HMAC-SHA256(key, id) of each flagged id.
key = open('key', 'rb').read()
def pseudonym(i, k=key):
    return 'p' + hmac.new(k, i.encode(), hashlib.sha256).hexdigest()[:32]
fl, pf = rows('full/flagged.csv'), rows('pub/flagged.csv')
if [pseudonym(r['id']) for r in fl] != [r['id'] for r in pf]:
    bad('published ids are not HMAC-SHA256(key, id) of the full audit\'s, in order')
po = rows('pub_other/flagged.csv')
if any(a['id'] == b['id'] for a, b in zip(pf, po)):
    bad('another key gives the same pseudonyms')
if 'note' in pf[0] or 'note' not in rows('pub_kept/flagged.csv')[0]:
    bad('note must be dropped by default and kept with --keep-column NOTE')

# The headline figures are the full audit's.
for a, b in zip(full['targets'], pub['targets']):
    for k in ('headline', 'observed', 'observed_share', 'expected_share',
              'excess_releases', 'choice_model', 'p_value_adjusted'):
        if a[k] != b[k]:
            bad('%s: %s differs from the full audit' % (a['target'], k))
for k in ('records', 'displacement'):
    if full[k] != pub[k]:
        bad('%s differs from the full audit' % k)
prot = pub.get('protections')
if not prot or prot.get('min_cell') != K or 'note' not in prot.get('columns_dropped', []):
    bad('results.json protections missing or wrong: %r' % prot)
if 'protections' in full:
    bad('the full audit claims protections')
if 'Published view' not in open('pub/report.html').read():
    bad('the page does not say it is a published view')

# No small count shown, none recoverable from a published total.
def check(what, shown, hidden, total):
    for v in shown:
        if 0 < v < K:
            bad('%s: a count of %d is shown' % (what, v))
    rest = total - sum(shown)
    if 0 < rest < K:
        bad('%s: total %d minus the shown cells gives %d' % (what, total, rest))
    if hidden == 1 and rest:
        bad('%s: a lone withheld cell equals the total minus the rest' % what)
audited = pub['records']['audited']
withheld_somewhere = False
for t in pub['targets']:
    name = t['target']
    regs = [r for r in rows('pub/regions.csv') if r['target'] == name]
    shown = [int(r['observed']) for r in regs if r['observed'] != '']
    hidden = sum(1 for r in regs if r['observed'] == '')
    withheld_somewhere |= hidden > 0
    check(name + ' regions', shown, hidden, audited)
    for flag in ('1', '0'):
        g = [r for r in regs if r['target_flag'] == flag]
        check(name + ' regions with flag ' + flag,
              [int(r['observed']) for r in g if r['observed'] != ''],
              sum(1 for r in g if r['observed'] == ''),
              sum(int(r['observed']) for r in rows('full/regions.csv')
                  if r['target'] == name and r['target_flag'] == flag))
    if any(r['excess'] != '' for r in regs if r['observed'] == ''):
        bad(name + ': a withheld region shows its excess')
    fs = t['facilities']
    check(name + ' facility records', [f['records'] for f in fs if f['records'] is not None],
          sum(1 for f in fs if f['records'] is None), audited)
    check(name + ' facility releases into the target',
          [f['observed'] for f in fs if f['observed'] is not None],
          sum(1 for f in fs if f['observed'] is None), t['observed'])
    ps = t['periods']
    check(name + ' periods', [p['n'] for p in ps if p['n'] is not None],
          sum(1 for p in ps if p['n'] is None), audited)
    for f in fs:
        if f['records'] is None and (f['excess'] is not None or f['observed_share'] is not None):
            bad(name + ': a withheld facility shows its excess or share')
if not withheld_somewhere:
    bad('no region was withheld: the thinned regions should have been')
# The full audit shows them: the test data does hold small cells.
if not any(0 < int(r['observed']) < K for r in rows('full/regions.csv')):
    bad('the full audit has no small region count: the test proves nothing')
# Every published region or facility name in flagged.csv has its counts shown.
hidden_regions = {r['region'] for r in rows('pub/regions.csv') if r['observed'] == ''}
for r in pf:
    if r['release_region'] in hidden_regions or r['ties_region'] in hidden_regions:
        bad('flagged.csv names a withheld region: %s' % r['release_region']); break
raise SystemExit(0 if ok else 1)
EOF

[[ $fails == 0 ]] || exit 1
echo "publish: pseudonyms, suppression and the full audit's headline"
