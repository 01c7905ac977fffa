#!/usr/bin/python3
"""Step 3 of data/derive_county_attrs.sh: turn the GeoNames places located
in counties (us_places.js output after `steerwatch assign`) and the
sanctuary list into data/county-attrs.csv, rows
`region,attribute,value,valid_from,valid_to` for every county id of
data/counties-10m.json:

sanctuary  `yes` or `no`, so a target lookup has a value everywhere.
    A county is `yes` when
    - its state has status `sanctuary` in sanctuary_jurisdictions_2026.csv,
      from the state's effective_date; or
    - it contains a city (or is a county) listed with status
      `sanctuary_strong` or `sanctuary_limited`.
    `sanctuary_partial` (case-by-case cooperation), `cooperative` and
    `policy_conflict` do not count.  The list describes January 2026 and
    gives a date for only 15 of its 211 rows (no city has one): a missing
    date means the status holds over the whole analysis period (open
    start).  A county `yes` from date D is `no` before D.
population  the sum of the populations of the GeoNames places (1,000+
    people) in the county; 0 when the county has none.  An approximation
    that undercounts rural people; see data/README.md.

Standard library only.
Usage: county_attrs.py PLACES_WITH_REGION.csv OUT.csv
"""

import csv
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
COUNTIES = os.path.join(HERE, "counties-10m.json")
SANCTUARY = os.path.join(HERE, "sanctuary_jurisdictions_2026.csv")

USPS_FIPS = {
    "AL": "01", "AK": "02", "AZ": "04", "AR": "05", "CA": "06", "CO": "08",
    "CT": "09", "DE": "10", "DC": "11", "FL": "12", "GA": "13", "HI": "15",
    "ID": "16", "IL": "17", "IN": "18", "IA": "19", "KS": "20", "KY": "21",
    "LA": "22", "ME": "23", "MD": "24", "MA": "25", "MI": "26", "MN": "27",
    "MS": "28", "MO": "29", "MT": "30", "NE": "31", "NV": "32", "NH": "33",
    "NJ": "34", "NM": "35", "NY": "36", "NC": "37", "ND": "38", "OH": "39",
    "OK": "40", "OR": "41", "PA": "42", "RI": "44", "SC": "45", "SD": "46",
    "TN": "47", "TX": "48", "UT": "49", "VT": "50", "VA": "51", "WA": "53",
    "WV": "54", "WI": "55", "WY": "56", "AS": "60", "GU": "66", "MP": "69",
    "PR": "72", "VI": "78",
}

SANCTUARY_STATE_STATUSES = {"sanctuary"}
SANCTUARY_CITY_STATUSES = {"sanctuary_strong", "sanctuary_limited"}

# City names of the sanctuary list spelled differently in GeoNames.
CITY_ALIASES = {
    ("Bronx", "NY"): "The Bronx",
    ("Washington DC", "DC"): "Washington, D.C.",
}
# Entries of the list that are counties, not cities: (county FIPS, the
# name counties-10m.json gives it).  24005 and not 24510, which is the
# independent city of Baltimore.
COUNTY_ENTRIES = {
    ("Cook County", "IL"): ("17031", "Cook"),
    ("Baltimore County", "MD"): ("24005", "Baltimore"),
}

# Places not summed into population because GeoNames counts their people
# in another place too: sections of a place, abandoned and historical
# places.  In the consolidated city-counties below, GeoNames also lists
# neighbourhoods as places of their own (Brooklyn's East Flatbush, DC's
# Shaw) and New York City as a whole beside its boroughs, so only the
# county's own place counts there.
SKIP_FEATURES = {"PPLX", "PPLQ", "PPLH"}
COUNTY_IS_PLACE = {
    "36005": "The Bronx", "36047": "Brooklyn", "36061": "Manhattan",
    "36081": "Queens", "36085": "Staten Island",
    "11001": "Washington, D.C.", "24510": "Baltimore",
}
# Places that fall in no county (coastal towns the 1:10m coastline cuts
# off) take the county of the nearest located place of their state within
# this distance.
SNAP_KM = 25.0


def log(msg):
    print("county_attrs: " + msg, file=sys.stderr)


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = (math.sin(dp / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2)
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def load_counties():
    with open(COUNTIES, encoding="utf-8") as f:
        topo = json.load(f)
    return {g["id"]: g["properties"]["name"]
            for g in topo["objects"]["counties"]["geometries"]}


def load_places(path, counties):
    with open(path, newline="", encoding="utf-8") as f:
        places = list(csv.DictReader(f))
    for p in places:
        p["lat"], p["lon"] = float(p["lat"]), float(p["lon"])
        p["population"] = int(p["population"])
        if p["region"] and p["region"] not in counties:
            sys.exit("county_attrs: %s: region %r is not a county id of %s"
                     % (p["name"], p["region"], COUNTIES))
    located = {}
    for p in places:
        if p["region"]:
            located.setdefault(p["state"], []).append(p)
    snapped, lost = [], []
    for p in places:
        if p["region"]:
            continue
        best = min(located.get(p["state"], []), default=None,
                   key=lambda q: km(p["lat"], p["lon"], q["lat"], q["lon"]))
        d = km(p["lat"], p["lon"], best["lat"], best["lon"]) if best else None
        if d is not None and d <= SNAP_KM:
            p["region"] = best["region"]
            snapped.append(p)
        else:
            lost.append(p)
    log("%d places, %d in a county by point-in-polygon, %d snapped to the "
        "county of the nearest place within %g km, %d left out"
        % (len(places), len(places) - len(snapped) - len(lost), len(snapped),
           SNAP_KM, len(lost)))
    for p in lost:
        log("  left out: %s, %s (population %d)"
            % (p["name"], p["state"], p["population"]))
    other_state = [p for p in places if p["region"]
                   and p["region"][:2] != USPS_FIPS[p["state"]]]
    log("%d places lie in a county of another state than GeoNames gives "
        "(border geocoding); kept where their point is" % len(other_state))
    return places


def earlier(a, b):
    """Earlier of two start dates where '' (open start) is earliest and
    None means no start at all."""
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def sanctuary_starts(counties, places):
    with open(SANCTUARY, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    start = dict.fromkeys(counties)
    by_name = {}
    for p in places:
        key = (p["name"], p["state"])
        if key not in by_name or p["population"] > by_name[key]["population"]:
            by_name[key] = p

    for r in rows:
        if r["level"] != "state" or r["status"] not in SANCTUARY_STATE_STATUSES:
            continue
        fips = USPS_FIPS[r["state"]]
        n = 0
        for c in counties:
            if c[:2] == fips:
                start[c] = earlier(start[c], r["effective_date"])
                n += 1
        log("state %s (%s): %d counties from %s"
            % (r["state"], r["status"], n, r["effective_date"] or "open start"))

    unmatched = []
    for r in rows:
        if r["level"] != "city" or r["status"] not in SANCTUARY_CITY_STATUSES:
            continue
        key = (r["name"], r["state"])
        if key in COUNTY_ENTRIES:
            county, name = COUNTY_ENTRIES[key]
            if counties.get(county) != name:
                sys.exit("county_attrs: %s is not %s in %s"
                         % (county, name, COUNTIES))
            how = "county entry"
        else:
            p = by_name.get((CITY_ALIASES.get(key, r["name"]), r["state"]))
            if p is None or not p["region"]:
                unmatched.append("%s, %s (%s)" % (r["name"], r["state"],
                                                  r["status"]))
                continue
            county = p["region"]
            if county[:2] != USPS_FIPS[r["state"]]:
                sys.exit("county_attrs: %s, %s located in county %s of "
                         "another state" % (r["name"], r["state"], county))
            how = "GeoNames %s %s" % (p["geonameid"], p["name"])
        start[county] = earlier(start[county], r["effective_date"])
        log("city %s, %s (%s) -> %s %s [%s]"
            % (r["name"], r["state"], r["status"], county, counties[county],
               how))
    for u in unmatched:
        log("city not found in GeoNames, not flagged: " + u)
    return start


def population(counties, places):
    total = dict.fromkeys(counties, 0)
    for p in places:
        c = p["region"]
        if not c or p["feature_code"] in SKIP_FEATURES:
            continue
        if c in COUNTY_IS_PLACE and p["name"] != COUNTY_IS_PLACE[c]:
            continue
        total[c] += p["population"]
    for c, name in COUNTY_IS_PLACE.items():
        if total[c] == 0:
            sys.exit("county_attrs: %s: place %r not found" % (c, name))
    return total


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: county_attrs.py PLACES_WITH_REGION.csv OUT.csv")
    counties = load_counties()
    places = load_places(sys.argv[1], counties)
    start = sanctuary_starts(counties, places)
    pop = population(counties, places)

    with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["region", "attribute", "value", "valid_from", "valid_to"])
        for c in sorted(counties):
            s = start[c]
            if s is None:
                w.writerow([c, "sanctuary", "no", "", ""])
            elif s == "":
                w.writerow([c, "sanctuary", "yes", "", ""])
            else:
                w.writerow([c, "sanctuary", "no", "", s])
                w.writerow([c, "sanctuary", "yes", s, ""])
            w.writerow([c, "population", pop[c], "", ""])

    flagged = [c for c in counties if start[c] is not None]
    log("%d counties: %d sanctuary=yes at some time (%d from an open start), "
        "%d never" % (len(counties), len(flagged),
                      sum(1 for c in flagged if start[c] == ""),
                      len(counties) - len(flagged)))
    log("population: sum %d over %d counties; %d counties have no place "
        "(population 0)" % (sum(pop.values()), len(counties),
                            sum(1 for v in pop.values() if v == 0)))


if __name__ == "__main__":
    main()
