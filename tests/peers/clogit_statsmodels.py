"""clogit_statsmodels.py — statsmodels ConditionalLogit as a second peer of
steerwatch's choice model, on the long-format design written by model_peer.

    python3 clogit_statsmodels.py LONG.csv SW.csv    compare; exit 1 on failure
    python3 clogit_statsmodels.py LONG.csv - REPS    print median fit seconds

statsmodels' optimisers stop on their own criteria, so SPEC asks only that
steerwatch's log-likelihood be no lower than statsmodels' (up to rounding of
the sum, 1e-9 relative); the estimates are printed for the record.
"""
import csv
import statistics
import sys
import time

import numpy as np
from statsmodels.discrete.conditional_models import ConditionalLogit

FEATURES = ["log1p_km_origin", "log1p_km_ties", "target", "income"]


def load(path):
    data = np.genfromtxt(path, delimiter=",", names=True)
    exog = np.column_stack([data[f] for f in FEATURES])
    return data["choice"], exog, data["rec"]


def fit(endog, exog, groups):
    return ConditionalLogit(endog, exog, groups=groups).fit(disp=0)


def main():
    endog, exog, groups = load(sys.argv[1])
    if sys.argv[2] == "-":
        times = []
        for _ in range(int(sys.argv[3])):
            t0 = time.perf_counter()
            fit(endog, exog, groups)
            times.append(time.perf_counter() - t0)
        print("%.6f" % statistics.median(times))
        return 0
    res = fit(endog, exog, groups)
    with open(sys.argv[2]) as f:
        sw = {row["name"]: row for row in csv.DictReader(f)}
    for k, name in enumerate(FEATURES):
        ours = float(sw[name]["estimate"])
        print("%-16s steerwatch %.10g  statsmodels %.10g  rel %.2e"
              % (name, ours, res.params[k], abs(ours - res.params[k]) / abs(ours)))
    ll_sw = float(sw["log_likelihood"]["estimate"])
    ok = ll_sw >= res.llf - 1e-9 * abs(res.llf)
    print("log-likelihood   steerwatch %.12f  statsmodels %.12f  %s"
          % (ll_sw, res.llf, "ok" if ok else "LOWER THAN STATSMODELS"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
