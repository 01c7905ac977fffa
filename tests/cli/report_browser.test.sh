#!/bin/bash
# report_browser.test.sh — report.html in a real browser: Debian's chromium,
# headless, opens a fixture report (hostile ids, facility names and labels,
# the real 3,230-county map) and we check what it rendered and what it asked
# the network for.
#
# Usage: bash report_browser.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
# The fixture is written by the unit-test binary test_report (built beside
# the CLI, in tests/) when SW_REPORT_FIXTURE names a path. Exit 77 (skip)
# only when chromium or Debian's python3 is missing.
#
# What it proves:
# - The rendered DOM has the page's sections, both charts, both maps with
#   thousands of county paths, and the legend; hostile strings are text
#   nodes, never elements or attributes (no script, img, link, iframe,
#   object or embed element; no src attribute; every href is "#...").
# - Chromium's NetLog shows no request initiated by the page. Requests the
#   browser makes on its own (update and time checks, initiator "not an
#   origin") are set apart; all names resolve to nothing
#   (--host-resolver-rules), so no request could succeed either way.
# - The detector is not blind: a probe page with an external image and
#   stylesheet is opened first and must show up as page requests.
# - The page renders (the screenshot has the chart and map colours) and
#   prints (a PDF is produced).
# - A real audit's page, not only the fixture: 5,000 records simulated on
#   the real counties with steering from a date, audited; its DOM has the
#   sections, charts, the county map and the simulated banner, and it makes
#   no network request either.
# What it cannot prove: the behaviour of other browsers or versions; loads
# that the page's Content-Security-Policy blocks before the network stack
# (they never reach the NetLog; the DOM check is what catches the markup
# that would attempt them); that the page looks right to a person, which
# is why screenshots are kept in SCRATCH_DIR for a look.
set -u
BIN=$1
SRC=$2
SCRATCH=$3
PY=/usr/bin/python3

command -v chromium >/dev/null 2>&1 || { echo "skip: chromium not installed"; exit 77; }
[ -x "$PY" ] || { echo "skip: $PY not installed"; exit 77; }
TR=$(dirname "$BIN")/tests/test_report
[ -x "$TR" ] || { echo "FAIL: $TR not built (target test_report)"; exit 1; }
[ -f "$SRC/data/counties-10m.json" ] || { echo "FAIL: no data/counties-10m.json"; exit 1; }

rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
PAGE=$SCRATCH/report.html
fail() { echo "FAIL: $*"; exit 1; }

SW_REPORT_FIXTURE=$PAGE "$TR" >"$SCRATCH/fixture.log" 2>&1 ||
  fail "test_report could not write the fixture: $(tail -5 "$SCRATCH/fixture.log")"
[ -s "$PAGE" ] || fail "no fixture page"
bytes=$(wc -c <"$PAGE")
[ "$bytes" -lt 2000000 ] || fail "page is $bytes bytes, over 2 MB"

browse() { # page netlog [chromium args...]; the DOM (if asked) on stdout
  local page=$1 netlog=$2
  shift 2
  timeout 300 chromium --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d "$SCRATCH/profile.XXXXXX")" \
    --host-resolver-rules="MAP * ~NOTFOUND" \
    --log-net-log="$netlog" "$@" "file://$page" 2>>"$SCRATCH/chromium.log"
}

# Page-initiated requests in a NetLog: URL requests whose initiator is an
# origin (a file:// page's is "null"), as opposed to the browser's own.
page_requests() {
  "$PY" - "$1" <<'EOF'
import json, sys
text = open(sys.argv[1]).read()
try:
    log = json.loads(text)
except ValueError:  # cut short when the browser exits: close the array
    log = json.loads(text.rstrip().rstrip(',') + ']}')
types = {v: k for k, v in log['constants']['logEventTypes'].items()}
for e in log.get('events', []):
    if types.get(e['type']) != 'URL_REQUEST_START_JOB':
        continue
    p = e.get('params', {})
    if 'url' in p and p.get('initiator') != 'not an origin':
        print(p['url'])
EOF
}

# 1. The detector sees a page that does load things.
cat >"$SCRATCH/probe.html" <<'EOF'
<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="http://fonts.example.org/a.css"></head>
<body><img src="https://example.org/x.png"></body></html>
EOF
browse "$SCRATCH/probe.html" "$SCRATCH/probe-netlog.json" --dump-dom >/dev/null
probe=$(page_requests "$SCRATCH/probe-netlog.json")
echo "$probe" | grep -q "example.org/x.png" ||
  fail "the NetLog check did not see the probe page's image request: $probe"

# 2. The report: its DOM after rendering, and its requests.
browse "$PAGE" "$SCRATCH/netlog.json" --dump-dom >"$SCRATCH/dom.html"
[ -s "$SCRATCH/dom.html" ] || fail "chromium dumped no DOM"
reqs=$(page_requests "$SCRATCH/netlog.json")
[ -z "$reqs" ] || fail "the page made network requests: $reqs"

C7=c0,c1,c2,c3,c4,c5,c6 # the choropleth's colour classes
"$PY" "$SRC/tests/cli/page_check.py" "$SCRATCH/dom.html" "fixture page" \
  --id findings --id target-1 --id target-2 --id records --id displacement \
  --id method --id provenance --id sw-hatch \
  --class chart=3 --class map=2 --class legend=2 --class finding=4 \
  --class limits=1 --drawn "$C7=4000" --tables 6 \
  --text '<script>alert(1)</script>' \
  --text "x\"onerror=alert(2) O'Brien & Sons" \
  --text '<img src=x onerror=alert(3)> https://example.org/x' \
  --text 'What this analysis does not show' --text 'fewer than 10' \
  --text 'Simulated records' --text 'Holm-adjusted' || exit 1

# 3. It renders: the chart and map colours are on screen.
browse "$PAGE" "$SCRATCH/netlog-shot.json" --hide-scrollbars \
  --window-size=1280,4000 --screenshot="$SCRATCH/report.png" >/dev/null
[ -s "$SCRATCH/report.png" ] || fail "no screenshot"
reqs=$(page_requests "$SCRATCH/netlog-shot.json")
[ -z "$reqs" ] || fail "the page made network requests while drawing: $reqs"
if "$PY" -c "import PIL" 2>/dev/null; then
  "$PY" - "$SCRATCH/report.png" <<'EOF' || exit 1
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert('RGB')
def near(c, ref):
    return all(abs(a - b) <= 12 for a, b in zip(c, ref))
red = blue = 0
for c in im.getdata():
    if near(c, (0xb2, 0x18, 0x2b)): red += 1
    elif near(c, (0x21, 0x66, 0xac)): blue += 1
if red < 5000 or blue < 1000:
    print('FAIL: screenshot lacks the chart/map colours (red %d, blue %d px)' % (red, blue))
    sys.exit(1)
print('screenshot: %d red, %d blue pixels' % (red, blue))
EOF
fi

# 4. It prints.
browse "$PAGE" "$SCRATCH/netlog-print.json" --no-pdf-header-footer \
  --print-to-pdf="$SCRATCH/report.pdf" >/dev/null
head -c 5 "$SCRATCH/report.pdf" 2>/dev/null | grep -q '%PDF-' || fail "no PDF printed"
reqs=$(page_requests "$SCRATCH/netlog-print.json")
[ -z "$reqs" ] || fail "the page made network requests while printing: $reqs"

# 5. A real audit's page: simulate on the real counties, audit, render.
AUD=$SCRATCH/audit
mkdir -p "$AUD"
"$BIN" simulate --regions "$SRC/data/counties-10m.json" \
  --attrs "$SRC/data/county-attrs.csv" --facilities "$SRC/data/facilities.csv" \
  --n 5000 --target sanctuary=yes --steer 0.8 --start 2020-03-01 --seed 3 \
  --threads 2 -o "$AUD/records.csv" 2>"$AUD/simulate.log" ||
  fail "simulate: $(tail -3 "$AUD/simulate.log")"
"$BIN" audit --records "$AUD/records.csv" --regions "$SRC/data/counties-10m.json" \
  --attrs "$SRC/data/county-attrs.csv" --target sanctuary=yes \
  --event 2020-03-01:start --seed 1 --threads 2 --out "$AUD/out" 2>"$AUD/audit.log" ||
  fail "audit: $(tail -3 "$AUD/audit.log")"
APAGE=$AUD/out/report.html
[ -s "$APAGE" ] || fail "the audit wrote no report.html"
browse "$APAGE" "$AUD/netlog.json" --dump-dom >"$AUD/dom.html"
[ -s "$AUD/dom.html" ] || fail "chromium dumped no DOM of the audit's page"
reqs=$(page_requests "$AUD/netlog.json")
[ -z "$reqs" ] || fail "the audit's page made network requests: $reqs"
"$PY" "$SRC/tests/cli/page_check.py" "$AUD/dom.html" "audit page" \
  --id findings --id target-1 --id records --id displacement --id method \
  --id provenance --id sw-hatch \
  --class chart=2 --class map=1 --class legend=1 --class finding=2 \
  --class limits=1 --class banner=1 --drawn "$C7,sm,nd=3000" \
  --text 'Simulated records' --text 'sanctuary=yes' \
  --text 'What this analysis does not show' \
  --text 'records drawn by steerwatch simulate' \
  --text 'Records placed away from ties' || exit 1
browse "$APAGE" "$AUD/netlog-shot.json" --hide-scrollbars \
  --window-size=1280,4000 --screenshot="$AUD/report.png" >/dev/null
[ -s "$AUD/report.png" ] || fail "no screenshot of the audit's page"
reqs=$(page_requests "$AUD/netlog-shot.json")
[ -z "$reqs" ] || fail "the audit's page made network requests while drawing: $reqs"

echo "ok: $bytes bytes; screenshots $SCRATCH/report.png, $AUD/report.png; print $SCRATCH/report.pdf"
exit 0
