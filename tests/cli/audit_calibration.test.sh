#!/usr/bin/env bash
# audit_calibration.test.sh — under no steering the likelihood-ratio test
# rejects at 5% about 5% of the time: 40 seeded null scenarios of 1,000
# records x 60 regions (audit_sim.py) must give at most 6 p-values below
# 0.05 (P(X >= 7) = 0.003 for a calibrated test) and a mean p-value near
# 1/2 (0.35..0.65).
# Usage: bash audit_calibration.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -u
bin=$(realpath "$1") src=$2 scratch=$(realpath -m "$3")
rm -rf "$scratch"
mkdir -p "$scratch"
py=/usr/bin/python3
[[ -x $py ]] || exit 77
for seed in $(seq 101 140); do
  d=$scratch/s$seed
  mkdir -p "$d"
  $py "$src/tests/cli/audit_sim.py" "$d" 1000 0 2000-01-01 "$seed" || exit 1
  "$bin" audit --records "$d/records.csv" --attrs "$d/attrs.csv" \
    --target sanctuary=yes --threads 1 --out "$d/out" 2>/dev/null ||
    { echo "FAIL: seed $seed: exit $?"; exit 1; }
done
$py - "$scratch" <<'PY'
import glob, json, sys
ps = [json.load(open(f))["targets"][0]["choice_model"]["p_value"]
      for f in sorted(glob.glob(sys.argv[1] + "/s*/out/results.json"))]
assert len(ps) == 40 and all(p is not None for p in ps), ps
low = sum(p < 0.05 for p in ps)
mean = sum(ps) / len(ps)
print("null p < 0.05 in %d of 40; mean p %.3f" % (low, mean))
assert low <= 6 and 0.35 <= mean <= 0.65, (low, mean)
PY
