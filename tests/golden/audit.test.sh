#!/usr/bin/env bash
# audit.test.sh — `steerwatch audit` on the fixed inputs of audit_small/
# (made once by make_inputs.py): results.json, regions.csv, flagged.csv,
# rejects.csv and the tidy tables (docs/outputs.md) must equal the committed expected files byte for byte, with
# every build of the choice model's kernel.
# Regenerate them, after checking a change is intended, with
# SW_UPDATE_GOLDEN=1.
# Usage: bash audit.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -u
bin=$(realpath "$1") src=$(realpath "$2") scratch=$(realpath -m "$3")
rm -rf "$scratch"
mkdir -p "$scratch"
dir=$src/tests/golden/audit_small
source "$src/tests/golden/audit_args.sh"
cd "$dir" || exit 1
fails=0
# Once with the kernel this CPU runs, once with the portable one
# (src/model_pass.h): both must give the expected bytes.
for kernel in auto baseline; do
  out=$scratch/$kernel
  # --version names the kernel that runs: the baseline pass must use it.
  ran=$(STEERWATCH_KERNEL=$kernel "$bin" --version | sed -n 's/.*kernel: \([a-z0-9]*\).*/\1/p')
  [[ -n $ran && ($kernel == auto || $ran == "$kernel") ]] ||
    { echo "FAIL: STEERWATCH_KERNEL=$kernel ran kernel '$ran'"; exit 1; }
  echo "kernel $kernel: $ran"
  # Relative paths: provenance records paths as given.
  STEERWATCH_KERNEL=$kernel "$bin" audit "${golden_audit_args[@]}" \
    --out "$out" 2>"$scratch/stderr"
  rc=$?
  [[ $rc == 0 ]] || { echo "FAIL ($kernel): exit $rc"; cat "$scratch/stderr"; exit 1; }
  for f in results.json regions.csv flagged.csv rejects.csv \
    coefficients.csv periods.csv weekly.csv facilities.csv; do
    if [[ ${SW_UPDATE_GOLDEN:-0} == 1 && $kernel == auto ]]; then
      cp "$out/$f" "$dir/expected.$f"
    elif ! cmp -s "$out/$f" "$dir/expected.$f"; then
      echo "FAIL ($kernel kernel): $f differs from expected.$f:"
      diff "$dir/expected.$f" "$out/$f" | head -20
      fails=$((fails + 1))
    fi
  done
done
[[ $fails == 0 ]] || exit 1
echo "audit golden: all equal"
