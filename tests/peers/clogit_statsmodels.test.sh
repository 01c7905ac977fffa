#!/usr/bin/env bash
# Choice model vs statsmodels ConditionalLogit on the same simulated design
# as clogit_r: steerwatch's log-likelihood must be no lower (SPEC). Slow
# (statsmodels takes about 45 s on this design).
# Usage: clogit_statsmodels.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -euo pipefail
bin=$1 src=$2 scratch=$3
py=/usr/bin/python3
"$py" -c 'import statsmodels.discrete.conditional_models' 2>/dev/null ||
  { echo "skip: statsmodels missing for $py"; exit 77; }
peer=$(dirname "$bin")/tests/model_peer
[ -x "$peer" ] || { echo "model_peer not built: $peer"; exit 1; }
mkdir -p "$scratch"
"$peer" "$scratch" 3000 60 1 >/dev/null
"$py" "$src/tests/peers/clogit_statsmodels.py" "$scratch/long.csv" \
  "$scratch/sw.csv"
