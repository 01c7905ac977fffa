#!/usr/bin/env bash
# Choice-model benchmark: on one simulated audit design (3,000 records x 60
# regions, 20 facilities, 4 coefficients), steerwatch's estimation (full
# fit + restricted fit for the LR test + expected share, 2 threads) against
# R survival::clogit's fit alone (exact) and statsmodels ConditionalLogit's
# fit alone. Prints medians and ratios; SPEC's goals are 30x R, 300x
# statsmodels. Then national scale, steerwatch alone (no peer fits a
# million strata in memory): 1,000,000 records x 3,231 regions with K
# sampled alternatives, the present model (no constants, K = 100) beside
# the within-region fit with a constant per region at the K the audit's
# headline uses there (24) and at the issue's K = 100 (goal: under 60 s
# and 1 GB on 2 cores). BENCH_NATIONAL=0 skips that part.
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

[ "${BENCH_NATIONAL:-1}" = 0 ] && exit 0
national() { # label K [fe]: the fits' time (full + restricted +
  # share), then the whole run's wall time and peak memory
  local fit t
  fit=$(/usr/bin/time -f '%e %M' -o "$scratch/national.time" \
    "$peer" - 1000000 3231 1 1 2 "$2" ${3:-})
  t=$(cat "$scratch/national.time")
  awk -v l="$1" -v f="$fit" -v t="$t" 'BEGIN { split(t, a, " ");
    printf "%-40s fits %6.1f s  run %6.1f s  peak %5.0f MB\n", l, f, a[1],
      a[2] / 1024 }'
}
national "1M x 3,231, no constants, K = 100:" 100
national "1M x 3,231, region constants, K = 24:" 24 fe
national "1M x 3,231, region constants, K = 100:" 100 fe
