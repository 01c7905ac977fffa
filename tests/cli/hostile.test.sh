#!/usr/bin/env bash
# hostile.test.sh — issue 5's hostile inputs through the real commands:
# each must end within a minute, never in a crash, with the exit code SPEC
# gives and an error that names the file and says where. Whole-file faults
# (regions, headers) exit 65; a bad row is rejected with its line and the
# run goes on (exit 0, read = accepted + rejected). The record catalog in
# tests/data/bad (check.test.sh) covers NUL bytes, invalid UTF-8, NaN and
# 99999-01-01 in records; this adds what is too big or too odd to commit,
# and the region and attribute files.
# Usage: bash hostile.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -u
bin=$(realpath "$1") src=$(realpath "$2") scratch=$(realpath -m "$3")
rm -rf "$scratch" && mkdir -p "$scratch" && cd "$scratch" || exit 1
fails=0 n=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
small=$src/tests/golden/audit_small

python3 - <<'EOF' || exit 1
import json
HDR = 'id,date,origin_lat,origin_lon,release_lat,release_lon'
ROW = ',2021-01-01,40.5,-99.5,40.5,-99.5'
def w(name, data):
    open(name, 'wb').write(data if isinstance(data, bytes) else data.encode())

# Records: a 5 MB field, 100,000 columns, a file cut inside a quote.
w('field_5mb.csv', HDR + ',note\na' + ROW + ',' + 'x' * 5_000_000 + '\nb' + ROW + ',ok\n')
w('cols_100k.csv', HDR + ''.join(',c%d' % i for i in range(100_000)) + '\n')
w('row_100k.csv', HDR + '\na' + ROW + ',1' * 100_000 + '\nb' + ROW + '\n')
w('cut_in_quote.csv', HDR + ',note\na' + ROW + ',ok\nb' + ROW + ',"never clo')
w('id_3mb.csv', HDR + '\n' + 'i' * 3_000_000 + ROW + '\nb' + ROW + '\n')

# Attributes: 100,000 columns in the header, a NUL byte, a 5-digit year.
w('attrs_cols.csv', 'region,attribute,value' + ''.join(',c%d' % i for i in range(100_000)) + '\n')
w('attrs_nul.csv', b'region,attribute,value,valid_from,valid_to\nG00,sanct\x00uary,yes,,\n')
w('attrs_year.csv', 'region,attribute,value,valid_from,valid_to\nG00,sanctuary,yes,99999-01-01,\n')

# GeoJSON.
def fc(*geoms):
    return json.dumps({'type': 'FeatureCollection', 'features': [
        {'type': 'Feature', 'properties': {'code': c}, 'geometry': g} for c, g in geoms]})
poly = lambda ring: {'type': 'Polygon', 'coordinates': [ring]}
square = [[-100, 40], [-99, 40], [-99, 41], [-100, 41], [-100, 40]]
good = fc(('A', poly(square)))
w('deep.geojson', '[' * 100_000 + ']' * 100_000)
w('deep_property.geojson', good.replace('"code": "A"', '"code": "A", "x": ' + '[' * 5000 + ']' * 5000))
w('cut.geojson', good[:len(good) // 2])
w('nan.geojson', good.replace('[-99, 41]', '[NaN, 41]'))
w('inf_only.geojson', good.replace('-99, 41', '1e999, 41').replace('-99, 40', '1e999, 40'))
w('nul.geojson', good.replace('"A"', '"A\x00B"').encode())
w('utf8.geojson', good.encode().replace(b'"A"', b'"A\xff"'))
w('u0000.geojson', good.replace('"A"', '"A\\u0000B"'))
w('degenerate.geojson', fc(('A', poly([[-100, 40]] * 4))))
w('spike_and_good.geojson', fc(('S', poly([[-100, 40], [-99, 40], [-100, 40], [-99, 40], [-100, 40]])),
                              ('A', poly(square))))

# TopoJSON.
def topo(arcs, geoms, scale=(0.001, 0.001)):
    return json.dumps({'type': 'Topology', 'transform': {'scale': scale, 'translate': [-100, 40]},
                       'objects': {'r': {'type': 'GeometryCollection', 'geometries': geoms}},
                       'arcs': arcs})
arc = [[[0, 0], [1000, 0], [0, 1000], [-1000, 0], [0, -1000]]]
feature = lambda arcs: [{'type': 'Polygon', 'properties': {'code': 'A'}, 'arcs': [arcs]}]
w('arc_high.topojson', topo(arc, feature([5])))
w('arc_negative.topojson', topo(arc, feature([-7])))
w('scale_zero.topojson', topo(arc, feature([0]), (0, 0.001)))
w('scale_negative.topojson', topo(arc, feature([0]), (-0.001, 0.001)))
t = topo(arc, feature([0]))
w('cut.topojson', t[:len(t) - 9])
EOF

# run NAME EXIT "STDERR SUBSTRING" COMMAND...: the command ends within 60 s
# with EXIT and stderr holding the substring.
run() {
  local name=$1 want=$2 msg=$3
  shift 3
  n=$((n + 1))
  timeout 60 "$@" >"$name.out" 2>"$name.err"
  local rc=$?
  [[ $rc == "$want" ]] || fail "$name: exit $rc, want $want: $(head -c 300 "$name.err")"
  grep -qF -- "$msg" "$name.err" || fail "$name: stderr lacks '$msg': $(head -c 300 "$name.err")"
}
check() { run "$1" "$2" "$3" "$bin" check --json "$1"; }
regions() { run "$1" "$2" "$3" "$bin" assign --regions "$1" --region-id code "$small/records.csv" -o "$1.csv"; }
attrs() {
  run "$1" "$2" "$3" "$bin" audit --records "$small/records.csv" --regions "$small/regions.geojson" \
    --region-id code --attrs "$1" --target sanctuary=yes --out "$1.dir"
}

check field_5mb.csv 0 'field_5mb.csv:2: field 7 longer than 1048576 bytes'
check cols_100k.csv 65 'cols_100k.csv:1: malformed header: more than 4096 fields'
check row_100k.csv 0 'row_100k.csv:2: more than 4096 fields'
check cut_in_quote.csv 0 'cut_in_quote.csv:3:'
check id_3mb.csv 0 'id_3mb.csv:2: field 1 longer than 1048576 bytes'
for f in field_5mb row_100k cut_in_quote id_3mb; do
  read -r r a j < <(sed -E 's/^\{"read": ([0-9]+), "accepted": ([0-9]+), "rejected": ([0-9]+).*/\1 \2 \3/' "$f.csv.out")
  [[ $r == $((a + j)) && $j -ge 1 ]] || fail "$f: read $r, accepted $a, rejected $j"
done

attrs attrs_cols.csv 65 'attrs_cols.csv:1: malformed header: more than 4096 fields'
attrs attrs_nul.csv 0 'attrs_nul.csv:2'
attrs attrs_year.csv 0 'attrs_year.csv:2: valid_from: not a date (YYYY-MM-DD): "99999-01-01"'

regions deep.geojson 65 'deep.geojson:1: invalid JSON (or nested deeper than 1000) at column 1001'
regions deep_property.geojson 65 'deep_property.geojson:1: invalid JSON (or nested deeper than 1000)'
regions cut.geojson 65 'cut.geojson:1: invalid JSON'
regions nan.geojson 65 'nan.geojson:1: invalid JSON (or nested deeper than 1000) at column'
regions inf_only.geojson 65 'no polygon regions in the file (1 features skipped; first, feature 0 (id "A")'
regions nul.geojson 65 'nul.geojson:1: NUL byte at column'
regions utf8.geojson 65 'utf8.geojson:1: invalid UTF-8 at column'
regions u0000.geojson 65 'u0000.geojson:1: \u0000 (NUL) in a string at column'
regions degenerate.geojson 65 'feature 0 (id "A"): no ring with 3 distinct, finite points and an area'
regions spike_and_good.geojson 0 'spike_and_good.geojson: skipped feature 0 (id "S"): no ring'
regions arc_high.topojson 65 'arc_high.topojson: object "r" geometry 0: arc index 5 out of range (1 arcs)'
regions arc_negative.topojson 65 'arc index -7 out of range'
regions scale_zero.topojson 65 'scale_zero.topojson: transform: "scale" must be two finite numbers greater than 0'
regions scale_negative.topojson 65 'scale_negative.topojson: transform: "scale" must be'
regions cut.topojson 65 'cut.topojson:1: invalid JSON'

# Nothing above may have crashed: a sanitizer report or a signal would have
# shown as a wrong exit code, but say so plainly if one slipped through.
if grep -l "Sanitizer\|runtime error" ./*.err 2>/dev/null; then fail "sanitizer reports above"; fi
echo "$n hostile inputs, $fails failures"
[[ $fails == 0 ]]
