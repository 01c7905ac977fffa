#!/usr/bin/python3
"""Derive data/facilities.csv (facility,lat,lon,weight) from
data/ice_facilities_1978_2017.csv, the Marshall Project copy of ICE's
facility list.  The result is the origin list that `steerwatch simulate
--facilities` draws from, so it keeps only detention sites that were
actually holding people at the end of the list (Oct-Nov 2017).

Rule: keep a row when it has an ICE facility code (detloc), both
coordinates, and an ISO last_use date on or after 2017-10-01.  The list
ends in November 2017, so such a facility was still in use when the list
was made.  Every kept facility gets weight 1: the source gives no capacity
or population, and inventing one would make the simulation look more
informed than it is.

Standard library only; run as `/usr/bin/python3 data/make_facilities.py`
(from any directory).  Prints what it dropped and why on stderr.
"""

import csv
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "ice_facilities_1978_2017.csv")
DST = os.path.join(HERE, "facilities.csv")
IN_USE_FROM = "2017-10-01"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def main():
    with open(SRC, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))

    dropped = {
        "no detloc code": 0,
        "no coordinates": 0,
        "no ISO last_use date (empty, bare year or 'Oct-82')": 0,
        "last used before " + IN_USE_FROM: 0,
    }
    keys = list(dropped)
    kept = []
    seen = set()
    for r in rows:
        code = r["detloc"].strip()
        last = r["last_use"].strip()
        if not code:
            dropped[keys[0]] += 1
        elif not r["lat"].strip() or not r["lon"].strip():
            dropped[keys[1]] += 1
        elif not ISO_DATE.fullmatch(last):
            dropped[keys[2]] += 1
        elif last < IN_USE_FROM:
            dropped[keys[3]] += 1
        else:
            if code in seen:
                sys.exit("make_facilities: duplicate detloc %r" % code)
            seen.add(code)
            lat, lon = float(r["lat"]), float(r["lon"])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                sys.exit("make_facilities: %s: coordinates out of range" % code)
            kept.append((code, r["lat"].strip(), r["lon"].strip()))

    kept.sort()
    with open(DST, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["facility", "lat", "lon", "weight"])
        for code, lat, lon in kept:
            w.writerow([code, lat, lon, 1])

    print("make_facilities: %d rows read, %d kept -> %s"
          % (len(rows), len(kept), os.path.relpath(DST)), file=sys.stderr)
    for why, n in dropped.items():
        print("  dropped %4d: %s" % (n, why), file=sys.stderr)


if __name__ == "__main__":
    main()
