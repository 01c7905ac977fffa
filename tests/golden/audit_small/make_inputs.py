"""Makes the fixed inputs of audit.test.sh (run once; the outputs are
committed): a 3x3 grid of one-degree regions, attributes with a target that
changes on dates inside the records' span, and 300 records mixing release
points and region ids, ties points, ties regions and none, costs, an extra
column, two points in no region and one bad row."""
import json
import random

rng = random.Random(11)
feats = []
for r in range(3):
    for c in range(3):
        x0, y0 = -100 + c, 40 + r
        ring = [[x0, y0], [x0 + 1, y0], [x0 + 1, y0 + 1], [x0, y0 + 1], [x0, y0]]
        feats.append({"type": "Feature", "properties": {"code": "G%d%d" % (r, c)},
                      "geometry": {"type": "Polygon", "coordinates": [ring]}})
json.dump({"type": "FeatureCollection", "features": feats},
          open("regions.geojson", "w"))
ids = [f["properties"]["code"] for f in feats]
with open("attrs.csv", "w") as f:
    f.write("region,attribute,value,valid_from,valid_to\n")
    for k, i in enumerate(ids):
        f.write("%s,population,%d,,\n" % (i, 1000 + 137 * k))
        if k % 2 == 0:
            f.write("%s,sanctuary,yes,2021-03-01,\n" % i)
        if k == 4:
            f.write("%s,sanctuary,yes,,2021-02-01\n" % i)
    f.write("G11,lat,41.4,,\nG11,lon,-98.6,,\n")
facs = [(40.2, -99.8, "North Camp"), (42.7, -97.3, "South, Annex")]
with open("records.csv", "w") as f:
    f.write("id,date,origin_lat,origin_lon,release_lat,release_lon,"
            "release_region,ties_lat,ties_lon,ties_region,facility,cost,note\n")
    for i in range(300):
        d = "2021-%02d-%02d" % (1 + rng.randrange(6), 1 + rng.randrange(28))
        fl = facs[rng.randrange(2)]
        lat, lon = 40 + 3 * rng.random(), -100 + 3 * rng.random()
        if i < 2:
            lat, lon = 10.0, 10.0
        rel = ("", "", ids[rng.randrange(9)]) if i % 7 == 3 else \
            ("%.4f" % lat, "%.4f" % lon, "")
        k = i % 3
        if k == 0:
            ties = ("%.4f" % (40 + 3 * rng.random()),
                    "%.4f" % (-100 + 3 * rng.random()), "")
        elif k == 1:
            ties = ("", "", ids[rng.randrange(9)])
        else:
            ties = ("", "", "")
        fac = fl[2] if i % 5 else ""
        cost = "%.2f" % (50 + 100 * rng.random()) if i % 4 else ""
        f.write(",".join(["id%03d" % i, d, str(fl[0]), str(fl[1]), *rel,
                          *ties, '"%s"' % fac if fac else "", cost,
                          "n%d" % i]) + "\n")
    f.write("bad,2021-02-30,40,-99,41,-99,,,,,x,,z\n")
