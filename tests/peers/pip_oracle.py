#!/usr/bin/python3
"""Peer oracle for point-in-polygon: shapely/GEOS and geopandas.

Used by tests/peers/pip_geos.test.sh (does steerwatch assign agree with GEOS
on every point not on a boundary?) and bench/pip.sh (geopandas sjoin timed
on the same points). TopoJSON is decoded here, since fiona does not read
it: arcs are delta-decoded and scaled by the transform exactly as the spec
says, rings are stitched from arcs, the first ring of a polygon is its
exterior and the rest are holes.

Commands:
  points N SEED OUT.csv [--alaska-hawaii]   random points, columns id,lat,lon
  compare TOPO ASSIGNED.csv                 GEOS vs steerwatch's region column
  sjoin TOPO POINTS.csv OUT.csv             the geopandas equivalent of assign
"""
import json
import sys
import time

import numpy as np


def decode_topojson(path, layer=None):
    """[(id, shapely geometry)] for the polygonal geometries of a layer
    (default: the object with the most polygons)."""
    from shapely.geometry import MultiPolygon, Polygon

    with open(path) as f:
        topo = json.load(f)
    tr = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        a = np.array(arc, dtype=np.float64)[:, :2]
        if tr:
            a = np.cumsum(a, axis=0)
            a[:, 0] = a[:, 0] * tr["scale"][0] + tr["translate"][0]
            a[:, 1] = a[:, 1] * tr["scale"][1] + tr["translate"][1]
        arcs.append(a)

    def ring(idx):
        parts = []
        for k, i in enumerate(idx):
            a = arcs[i] if i >= 0 else arcs[~i][::-1]
            parts.append(a if k == 0 else a[1:])
        return np.concatenate(parts)

    def polygon(rings):
        rs = [ring(r) for r in rings]
        rs = [r for r in rs if len(r) >= 4]
        if not rs:
            return None
        return Polygon(rs[0], rs[1:])

    objects = topo["objects"]
    if layer is None:
        def n_poly(o):
            return sum(g.get("type") in ("Polygon", "MultiPolygon")
                       for g in o.get("geometries", []))
        layer = max(objects, key=lambda k: n_poly(objects[k]))
    out = []
    for g in objects[layer]["geometries"]:
        if g.get("type") == "Polygon":
            geom = polygon(g["arcs"])
        elif g.get("type") == "MultiPolygon":
            ps = [p for p in (polygon(r) for r in g["arcs"]) if p is not None]
            geom = MultiPolygon(ps) if ps else None
        else:
            geom = None
        if geom is not None:
            gid = g.get("id", (g.get("properties") or {}).get("id"))
            out.append((str(gid), geom))
    return out


def cmd_points(n, seed, out, extra):
    rng = np.random.default_rng(seed)
    n_main = n if not extra else n - n // 20
    lon = rng.uniform(-125.0, -66.9, n_main)
    lat = rng.uniform(24.4, 49.4, n_main)
    if extra:
        k = n - n_main
        ak_lon = rng.uniform(-170.0, -130.0, k // 2)
        ak_lat = rng.uniform(54.0, 71.0, k // 2)
        hi_lon = rng.uniform(-160.3, -154.8, k - k // 2)
        hi_lat = rng.uniform(18.9, 22.3, k - k // 2)
        lon = np.concatenate([lon, ak_lon, hi_lon])
        lat = np.concatenate([lat, ak_lat, hi_lat])
    with open(out, "w") as f:
        f.write("id,lat,lon\n")
        for i in range(len(lat)):
            f.write("%d,%.6f,%.6f\n" % (i, lat[i], lon[i]))


def cmd_compare(topo, assigned):
    import geopandas as gpd
    import pandas as pd

    regions = decode_topojson(topo)
    ids = [r[0] for r in regions]
    geoms = [r[1] for r in regions]
    poly = gpd.GeoDataFrame({"gid": ids}, geometry=geoms)
    df = pd.read_csv(assigned, dtype={"region": str}, keep_default_na=False)
    pts = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]))
    j = gpd.sjoin(pts, poly, how="left", predicate="within")
    geos = j.groupby(level=0)["gid"].apply(
        lambda s: set(x for x in s if isinstance(x, str)))
    by_id = dict(zip(ids, geoms))
    agree = near = bad = 0
    for i, mine in enumerate(df["region"]):
        want = geos[i]
        if (mine == "" and not want) or mine in want:
            agree += 1
            continue
        # Excuse a point within 1e-9 degrees of a boundary of either side.
        p = pts.geometry[i]
        cands = set(want) | ({mine} if mine else set())
        d = min(by_id[c].boundary.distance(p) for c in cands)
        if d <= 1e-9:
            near += 1
        else:
            bad += 1
            if bad <= 10:
                print("disagree: %s lat=%s lon=%s steerwatch=%r geos=%r"
                      " (%.3g deg from a boundary)"
                      % (df["id"][i], df["lat"][i], df["lon"][i], mine,
                         sorted(want), d))
    print("points %d agree %d near-boundary %d disagree %d"
          % (len(df), agree, near, bad))
    return 1 if bad else 0


def cmd_sjoin(topo, points, out):
    import geopandas as gpd
    import pandas as pd

    t0 = time.perf_counter()
    regions = decode_topojson(topo)
    poly = gpd.GeoDataFrame({"region": [r[0] for r in regions]},
                            geometry=[r[1] for r in regions])
    df = pd.read_csv(points)
    cols = list(df.columns)
    pts = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]))
    j = gpd.sjoin(pts, poly, how="left", predicate="within")
    j = j[~j.index.duplicated(keep="first")]
    j[cols + ["region"]].to_csv(out, index=False)
    t1 = time.perf_counter()
    print("%.3f" % (t1 - t0))
    return 0


def main(argv):
    if len(argv) >= 4 and argv[0] == "points":
        cmd_points(int(argv[1]), int(argv[2]), argv[3],
                   "--alaska-hawaii" in argv[4:])
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        return cmd_compare(argv[1], argv[2])
    if len(argv) == 4 and argv[0] == "sjoin":
        return cmd_sjoin(argv[1], argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
