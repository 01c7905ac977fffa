#!/usr/bin/env bash
# The whole audit against the peers' model fit alone, on one design in one
# run (issue 3's goal: 30x R survival::clogit, 300x statsmodels
# ConditionalLogit). 3,000 records over 60 regions from the test scenario
# generator (tests/cli/audit_sim.py, steering 0.8 from a date); the same
# design in long format (one row per record and region, features by SPEC's
# definitions) is what R and statsmodels fit. steerwatch's time is the
# whole `steerwatch audit` command: reading, both fits, per-month fits,
# change points, displacement and every output file.
# Usage: bench/audit_peers.sh STEERWATCH_BIN SCRATCH_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
bin=$(realpath "${1:?usage: bench/audit_peers.sh STEERWATCH_BIN SCRATCH_DIR}")
scratch=${2:?usage: bench/audit_peers.sh STEERWATCH_BIN SCRATCH_DIR}
mkdir -p "$scratch"
py=/usr/bin/python3

"$py" "$src/tests/cli/audit_sim.py" "$scratch" 3000 0.8 2021-07-01 7
"$py" - "$scratch" <<'PY'
import csv, math, sys
d = sys.argv[1]
R = 6371.0088
def km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
    return 2 * R * math.asin(min(1.0, math.sqrt(h)))
pt, tgt = {}, {}
for r in csv.DictReader(open(d + "/attrs.csv")):
    if r["attribute"] in ("lat", "lon"):
        pt.setdefault(r["region"], {})[r["attribute"]] = float(r["value"])
    elif r["attribute"] == "sanctuary":
        tgt[r["region"]] = int(r["value"] == "yes")
regions = sorted(pt)
P = {k: (v["lat"], v["lon"]) for k, v in pt.items()}
with open(d + "/long.csv", "w") as f:
    f.write("rec,choice,log1p_km_origin,log1p_km_ties,target,facility\n")
    for i, r in enumerate(csv.DictReader(open(d + "/records.csv"))):
        o = (float(r["origin_lat"]), float(r["origin_lon"]))
        t = P[r["ties_region"]]
        for j in regions:
            f.write("%d,%d,%.17g,%.17g,%d,%s\n" % (
                i, j == r["release_region"], math.log1p(km(o, P[j])),
                math.log1p(km(t, P[j])), tgt[j], r["facility"]))
PY

"$bin" --version # which kernel the timing is of
sw=$(hyperfine --style none --runs 21 --export-json "$scratch/sw.json" \
  "$bin audit --records $scratch/records.csv --attrs $scratch/attrs.csv --target sanctuary=yes --seed 1 --out $scratch/out" \
  >/dev/null 2>&1 && "$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$scratch/sw.json")
printf 'steerwatch audit, whole (median of 21):        %.4f s\n' "$sw"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

r=$(Rscript -e '
suppressMessages(library(survival))
d <- read.csv(commandArgs(TRUE)[1])
ctl <- coxph.control(eps = 1e-12, toler.chol = 1e-15, iter.max = 100)
t <- replicate(5, system.time(clogit(choice ~ log1p_km_origin + log1p_km_ties +
  target + strata(rec), data = d, method = "exact", control = ctl))[["elapsed"]])
cat(sprintf("%.6f\n", median(t)))' "$scratch/long.csv")
printf 'R clogit exact, fit alone (median of 5):       %.4f s  ratio %sx (goal 30x)\n' \
  "$r" "$(ratio "$r" "$sw")"

sm=$("$py" - "$scratch/long.csv" <<'PY'
import sys, time
import numpy as np
from statsmodels.discrete.conditional_models import ConditionalLogit
a = np.genfromtxt(sys.argv[1], delimiter=",", skip_header=1, usecols=(0, 1, 2, 3, 4))
t0 = time.perf_counter()
ConditionalLogit(a[:, 1], a[:, 2:5], groups=a[:, 0]).fit(disp=0)
print(time.perf_counter() - t0)
PY
)
printf 'statsmodels ConditionalLogit, fit alone (1):   %.4f s  ratio %sx (goal 300x)\n' \
  "$sm" "$(ratio "$sm" "$sw")"
