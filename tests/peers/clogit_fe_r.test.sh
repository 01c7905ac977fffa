#!/usr/bin/env bash
# The within-region choice model (a constant per region, profiled out by
# model_fe.c) vs R clogit(chosen ~ ... + factor(region) + strata(record)) on
# a simulated 3,000-record, 60-region design whose regions each have an
# unrecorded appeal: estimates to 1e-6, SEs and cluster-robust SEs to 1e-5,
# log-likelihoods and the LR test of target x after (clogit_oracle.R fe).
# Usage: clogit_fe_r.test.sh STEERWATCH_BIN SOURCE_DIR SCRATCH_DIR
set -euo pipefail
bin=$1 src=$2 scratch=$3
command -v Rscript >/dev/null || { echo "skip: no Rscript"; exit 77; }
Rscript -e 'library(survival)' >/dev/null 2>&1 ||
  { echo "skip: R package survival missing"; exit 77; }
peer=$(dirname "$bin")/tests/model_peer
[ -x "$peer" ] || { echo "model_peer not built: $peer"; exit 1; }
mkdir -p "$scratch"
"$peer" "$scratch" 3000 60 1 1 2 0 fe >/dev/null
Rscript "$src/tests/peers/clogit_oracle.R" "$scratch/long.csv" "$scratch/sw.csv" fe
