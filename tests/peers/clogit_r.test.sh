#!/usr/bin/env bash
# Choice model vs R survival::clogit (exact) on a simulated 3,000-record,
# 60-region audit design: estimates to 1e-6, SEs to 1e-5 relative, the
# cluster-robust SEs, log-likelihoods and the LR test (clogit_oracle.R).
# With a fourth argument `fe`, the within-region design: a constant per
# region, against clogit(... + factor(region) + strata(record)); with
# `spline`, the same with the spline distance terms.
# Usage: clogit_r.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR [fe|spline]
set -euo pipefail
bin=$1 src=$2 scratch=$3 mode=${4:-}
command -v Rscript >/dev/null || { echo "skip: no Rscript"; exit 77; }
Rscript -e 'library(survival)' >/dev/null 2>&1 ||
  { echo "skip: R package survival missing"; exit 77; }
peer=$(dirname "$bin")/tests/model_peer
[ -x "$peer" ] || { echo "model_peer not built: $peer"; exit 1; }
mkdir -p "$scratch"
if [ -n "$mode" ]; then
  "$peer" "$scratch" 3000 60 1 1 2 0 "$mode" >/dev/null
else
  "$peer" "$scratch" 3000 60 1 >/dev/null
fi
Rscript "$src/tests/peers/clogit_oracle.R" "$scratch/long.csv" \
  "$scratch/sw.csv" $mode
