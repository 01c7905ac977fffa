#!/usr/bin/env bash
# tables.test.sh — issue 11 item 8: the tidy tables beside results.json
# (coefficients.csv, periods.csv, weekly.csv, facilities.csv) load in one
# line with pandas and with R's read.csv, and hold exactly results.json's
# numbers: the same doubles, the same rows, in the same order; the weekly
# series adds up to the audited records and the target's releases.
# Usage: bash tables.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -u
bin=$(realpath "$1") src=$(realpath "$2") scratch=$(realpath -m "$3")
rm -rf "$scratch" && mkdir -p "$scratch" && cd "$scratch" || exit 1
small=$src/tests/golden/audit_small
/usr/bin/python3 -c 'import pandas' 2>/dev/null ||
  { echo "SKIP: python3-pandas is not installed (scripts/install-deps test)"; exit 77; }
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

"$bin" audit --records "$small/records.csv" --regions "$small/regions.geojson" \
  --region-id code --attrs "$small/attrs.csv" --target sanctuary=yes \
  --target population=1000 --covariate population --event 2021-03-01:policy \
  --window 4 --seed 1 --threads 2 --out out 2>stderr ||
  { cat stderr; echo "FAIL: audit exit $?"; exit 1; }

/usr/bin/python3 - <<'EOF' || fails=$((fails + 1))
import json, math
import pandas as pd
r = json.load(open('out/results.json'))
ok = True
def load(name):
    # The README's one line, with exact parsing so doubles can be compared.
    return pd.read_csv('out/' + name, float_precision='round_trip',
                       keep_default_na=False, na_values=[''])
def same(what, got, want):
    global ok
    g = None if isinstance(got, float) and math.isnan(got) else got
    if g != want and not (g is not None and want is not None and float(g) == float(want)):
        print('FAIL: %s: table %r, results.json %r' % (what, got, want)); ok = False

c = load('coefficients.csv')
want = [(t['target'], x) for t in r['targets'] for x in t['choice_model']['coefficients']]
same('coefficients rows', len(c), len(want))
for (_, row), (tgt, x) in zip(c.iterrows(), want):
    same('coefficient target', row['target'], tgt)
    same('coefficient name', row['name'], x['name'])
    for k in ('estimate', 'se', 'se_cluster'):
        same('%s %s %s' % (tgt, x['name'], k), row[k], x[k])
    same(tgt + ' ci_low', row['ci_low'], x['ci95'][0])
    same(tgt + ' ci_high', row['ci_high'], x['ci95'][1])

p = load('periods.csv')
want = [(t['target'], x) for t in r['targets'] for x in t['periods']]
same('periods rows', len(p), len(want))
for (_, row), (tgt, x) in zip(p.iterrows(), want):
    for k in ('from', 'to', 'gamma', 'n'):
        same('%s %s %s' % (tgt, x['from'], k), row[k], x[k])
    same(tgt + ' period ci_low', row['ci_low'], x['ci95'][0])
    same(tgt + ' period ci_high', row['ci_high'], x['ci95'][1])

f = load('facilities.csv')
want = [(t['target'], x) for t in r['targets'] for x in t['facilities']]
same('facilities rows', len(f), len(want))
for (_, row), (tgt, x) in zip(f.iterrows(), want):
    for k in ('facility', 'records', 'observed', 'observed_share', 'expected_share', 'excess'):
        same('%s %s %s' % (tgt, x['facility'], k), row[k], x[k])

w = load('weekly.csv')
for t in r['targets']:
    mine = w[w['target'] == t['target']]
    same(t['target'] + ' weekly n total', int(mine['n'].sum()), r['records']['audited'])
    same(t['target'] + ' weekly observed total', int(mine['observed'].sum()), t['observed'])
    weeks = set(mine['week'])
    for cp in t['change_points']:
        if cp['date'] not in weeks:
            print('FAIL: change point %s is not a week of weekly.csv' % cp['date']); ok = False
    bad = (mine['observed'] - mine['expected'] - mine['excess']).abs().max()
    if not bad < 1e-9:
        print('FAIL: %s: excess is not observed - expected (%g)' % (t['target'], bad)); ok = False
raise SystemExit(0 if ok else 1)
EOF

# R: the one line of the README, and the same figures.
if command -v Rscript >/dev/null; then
  audited=$(/usr/bin/python3 -c \
    'import json; print(json.load(open("out/results.json"))["records"]["audited"])')
  Rscript -e '
    audited <- as.numeric(commandArgs(TRUE)[1])
    r <- read.csv("out/coefficients.csv")
    p <- read.csv("out/periods.csv"); w <- read.csv("out/weekly.csv")
    f <- read.csv("out/facilities.csv")
    stopifnot(is.numeric(r$estimate), is.numeric(p$gamma), is.numeric(w$excess),
              is.numeric(f$excess), nrow(r) == 8, sum(w$n) == 2 * audited)
    cat(format(r$estimate[r$name == "target"], digits = 17), "\n")' \
    "$audited" >r.out 2>&1 || fail "R read.csv: $(cat r.out)"
  /usr/bin/python3 - <<'EOF' || fails=$((fails + 1))
import json
r = json.load(open('out/results.json'))
want = [x['estimate'] for t in r['targets'] for x in t['choice_model']['coefficients']
        if x['name'] == 'target']
got = [float(v) for v in open('r.out').read().split()]
if len(got) != len(want) or any(abs(g - w) > 1e-15 * abs(w) for g, w in zip(got, want)):
    print('FAIL: R read gamma %r, results.json %r' % (got, want)); raise SystemExit(1)
EOF
fi

[[ $fails == 0 ]] || exit 1
echo "tables: the tidy CSVs hold results.json's numbers"
