#!/usr/bin/env bash
# Change-point calibration study (bench/timing_calibration.c, fixed seeds):
# false-positive rate, detection and dating, interval coverage, clustered
# records and run time, as quoted in docs/design/timing.md.
# Usage: bench/timing.sh STEERWATCH_BIN SCRATCH_DIR
set -euo pipefail
bin=${1:?usage: bench/timing.sh STEERWATCH_BIN SCRATCH_DIR}
study=$(dirname "$(realpath "$bin")")/tests/timing_calibration
[ -x "$study" ] || { echo "timing_calibration is not built beside $bin"; exit 1; }
"$study"
