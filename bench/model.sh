#!/usr/bin/env bash
# Choice-model benchmark: on one simulated audit design (3,000 records x 60
# regions, 20 facilities, 4 coefficients), steerwatch's estimation (full
# fit + restricted fit for the LR test + expected share, 2 threads) against
# R survival::clogit's fit alone (exact) and statsmodels ConditionalLogit's
# fit alone. Prints medians and ratios; SPEC's goals are 30x R, 300x
# statsmodels.
# Usage: bench/model.sh BUILD_DIR|STEERWATCH_BIN SCRATCH_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
build=${1:?usage: bench/model.sh BUILD_DIR|STEERWATCH_BIN SCRATCH_DIR}
[ -d "$build" ] || build=$(dirname "$build")
scratch=${2:?usage: bench/model.sh BUILD_DIR|STEERWATCH_BIN SCRATCH_DIR}
peer=$build/tests/model_peer
[ -x "$peer" ] || { echo "model_peer not built in $build/tests"; exit 1; }
mkdir -p "$scratch"

sw=$("$peer" "$scratch" 3000 60 1 31 2)
printf 'steerwatch fit+restricted+share (median of 31): %.4f s\n' "$sw"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

if command -v Rscript >/dev/null && Rscript -e 'library(survival)' \
    >/dev/null 2>&1; then
  r=$(Rscript "$src/tests/peers/clogit_oracle.R" "$scratch/long.csv" - 5)
  printf 'R clogit exact fit alone (median of 5):         %.4f s  ratio %sx (goal 30x)\n' \
    "$r" "$(ratio "$r" "$sw")"
else
  echo "R clogit: not available"
fi
if /usr/bin/python3 -c 'import statsmodels' 2>/dev/null; then
  sm=$(/usr/bin/python3 "$src/tests/peers/clogit_statsmodels.py" \
    "$scratch/long.csv" - 1)
  printf 'statsmodels ConditionalLogit fit alone (1 run):  %.4f s  ratio %sx (goal 300x)\n' \
    "$sm" "$(ratio "$sm" "$sw")"
else
  echo "statsmodels: not available"
fi
