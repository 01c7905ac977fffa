#!/usr/bin/python3
"""Derive data/district-attrs.csv from data/house_terms.csv: which party
held each voting district of the 116th Congress, and when, as region
attributes (`CA-12,party,D,2019-01-03,2021-01-03`) for the district
geometry in data/cd116-topo.json.

One row per House term that overlaps the 116th Congress
(2019-01-03..2021-01-03); the term's own start and end are kept as
valid_from (inclusive) and valid_to (exclusive), so a mid-term death,
resignation or party switch shows up as two rows or a gap.  A vacancy has
no row: the seat had no party.  Where the source splits a term at a
party switch it leaves a one-day hole between the parts; the member held
the seat throughout, so the first part is extended to the second's start.  The six non-voting delegates (DC, PR, GU,
VI, AS, MP) have no geometry and are left out.

Checks (fatal): every written id exists in the geometry, no seat has two
overlapping rows, and each of the geometry's 435 ids has at least one
term.  Prints how many seats have a party on 2019-06-01 and every vacancy
of the 116th Congress on stderr.

Standard library only; run as `/usr/bin/python3 data/make_district_attrs.py`.
"""

import csv
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TERMS = os.path.join(HERE, "house_terms.csv")
GEOMETRY = os.path.join(HERE, "cd116-topo.json")
DST = os.path.join(HERE, "district-attrs.csv")
CONGRESS_START, CONGRESS_END = "2019-01-03", "2021-01-03"
CHECK_DATE = "2019-06-01"
PARTY = {"Democrat": "D", "Republican": "R", "Independent": "I",
         "Libertarian": "L"}


def geometry_ids():
    with open(GEOMETRY, encoding="utf-8") as f:
        topo = json.load(f)
    return {g["id"] for g in topo["objects"]["districts"]["geometries"]}


def close_switch_gaps(rows):
    """house_terms.csv splits a term at a party switch and ends the first
    part the day before the second starts; the member held the seat
    throughout, so the first part runs up to the second's start."""
    out = []
    for i, r in enumerate(rows):
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if (r[6] == "party_switch" and nxt and nxt[0] == r[0]
                and nxt[5] == r[5] and r[2] < nxt[1]):
            r = r[:2] + (nxt[1],) + r[3:]
        out.append(r)
    return out


def main():
    ids = geometry_ids()
    with open(TERMS, newline="", encoding="utf-8") as f:
        terms = list(csv.DictReader(f))

    rows = []
    for t in terms:
        if not (t["start"] < CONGRESS_END and t["end"] > CONGRESS_START):
            continue
        seat = "%s-%d" % (t["state"], int(t["district"]))
        if seat not in ids:
            if t["state"] in ("DC", "PR", "GU", "VI", "AS", "MP"):
                continue
            sys.exit("make_district_attrs: %s has no geometry" % seat)
        if t["party"] not in PARTY:
            sys.exit("make_district_attrs: unknown party %r" % t["party"])
        rows.append((seat, t["start"], t["end"], PARTY[t["party"]], t["name"],
                     t["bioguide_id"], t["end_source"]))
    rows.sort()
    rows = close_switch_gaps(rows)

    by_seat = {}
    for seat, start, end, party, name, _, _ in rows:
        by_seat.setdefault(seat, []).append((start, end, party, name))
    for seat, spans in by_seat.items():
        for a, b in zip(spans, spans[1:]):
            if b[0] < a[1]:
                sys.exit("make_district_attrs: %s: overlapping terms %s, %s"
                         % (seat, a, b))

    never = sorted(ids - set(by_seat))
    if never:
        sys.exit("make_district_attrs: no term at all in the 116th for %s"
                 % ", ".join(never))
    vacant_on_check = [s for s in sorted(ids)
                       if not any(st <= CHECK_DATE < en
                                  for st, en, _, _ in by_seat[s])]

    with open(DST, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["region", "attribute", "value", "valid_from", "valid_to"])
        for seat, start, end, party, _, _, _ in rows:
            w.writerow([seat, "party", party, start, end])

    print("make_district_attrs: %d rows for %d of %d districts -> %s; "
          "%d have a party on %s, vacant then: %s"
          % (len(rows), len(by_seat), len(ids), os.path.relpath(DST),
             len(ids) - len(vacant_on_check), CHECK_DATE,
             ", ".join(vacant_on_check) or "none"), file=sys.stderr)
    print("vacancies in the 116th Congress (seat: from..to, after -> "
          "before):", file=sys.stderr)
    for seat in sorted(by_seat):
        spans = by_seat[seat]
        edges = [(CONGRESS_START, CONGRESS_START, None, None)] + spans + \
            [(CONGRESS_END, CONGRESS_END, None, None)]
        for a, b in zip(edges, edges[1:]):
            gap_from = max(a[1], CONGRESS_START)
            gap_to = min(b[0], CONGRESS_END)
            if gap_from < gap_to:
                print("  %s: %s..%s (%s -> %s)"
                      % (seat, gap_from, gap_to, a[3] or "-", b[3] or "-"),
                      file=sys.stderr)
    switches = [(s, sp) for s, sp in by_seat.items()
                if len({p for _, _, p, _ in sp}) > 1]
    for seat, spans in sorted(switches):
        print("  party change in %s: %s" % (
            seat, " -> ".join("%s from %s" % (p, st) for st, _, p, _ in spans)),
            file=sys.stderr)


if __name__ == "__main__":
    main()
