"""Deterministic scenario generator for the audit tests: placement records
drawn from SPEC's conditional logit over a grid of regions (given by their
attribute lat/lon), with a known steering coefficient from a known date.

usage: audit_sim.py OUTDIR N GAMMA START_DATE SEED [N_REGIONS]
writes OUTDIR/records.csv and OUTDIR/attrs.csv; target sanctuary=yes.
"""
import math
import random
import sys
from datetime import date, timedelta

R_KM = 6371.0088


def km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
    return 2 * R_KM * math.asin(math.sqrt(h))


def main():
    out, n, gamma, start, seed = sys.argv[1:6]
    n, gamma, seed = int(n), float(gamma), int(seed)
    n_regions = int(sys.argv[6]) if len(sys.argv) > 6 else 60
    start = date.fromisoformat(start)
    rng = random.Random(seed)
    cols = 10
    pts = [(35 + 0.8 * (j // cols), -100 + 0.8 * (j % cols))
           for j in range(n_regions)]
    target = [1 if rng.random() < 0.35 else 0 for _ in range(n_regions)]
    facs = [(35.3 + 0.5 * f, -99.5 + 0.6 * f) for f in range(12)]
    d0 = date(2021, 1, 1)
    with open(out + "/attrs.csv", "w") as f:
        f.write("region,attribute,value,valid_from,valid_to\n")
        for j, p in enumerate(pts):
            f.write("R%02d,lat,%.4f,,\nR%02d,lon,%.4f,,\n" % (j, p[0], j, p[1]))
            f.write("R%02d,sanctuary,%s,,\n" % (j, "yes" if target[j] else "no"))
    with open(out + "/records.csv", "w") as f:
        f.write("id,date,origin_lat,origin_lon,release_region,ties_region,"
                "facility\n")
        for i in range(n):
            d = d0 + timedelta(days=rng.randrange(730))
            fi = rng.randrange(len(facs))
            ties = rng.randrange(n_regions)
            g = gamma if d >= start else 0.0
            v = [-1.0 * math.log1p(km(facs[fi], p))
                 - 0.7 * math.log1p(km(pts[ties], p)) + g * target[j]
                 for j, p in enumerate(pts)]
            m = max(v)
            w = [math.exp(x - m) for x in v]
            u = rng.random() * sum(w)
            c = 0
            while u > w[c] and c < n_regions - 1:
                u -= w[c]
                c += 1
            f.write("r%d,%s,%.4f,%.4f,R%02d,R%02d,F%d\n" % (
                i, d.isoformat(), facs[fi][0], facs[fi][1], c, ties, fi))


main()
