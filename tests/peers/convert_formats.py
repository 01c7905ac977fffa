#!/usr/bin/python3
"""Convert a TopoJSON file to GeoJSON and ESRI Shapefile with GDAL (through
geopandas/fiona), an implementation independent of steerwatch's readers, so
that peers tests can check that steerwatch reads the same regions from all
three formats.

usage: /usr/bin/python3 convert_formats.py IN.topojson OUTDIR [--layer NAME]

Writes OUTDIR/<stem>.geojson and OUTDIR/<stem>.shp (+ .shx, .dbf, .prj),
where <stem> is IN's file name without extension, and prints both paths.
Without --layer, the object with the most (multi)polygons is converted, as
steerwatch does by default. Region ids stay in the `id` field (text).
"""
import argparse
import os
import sys

import fiona
import geopandas as gpd


def pick_layer(path):
    best, best_n = None, -1
    for name in fiona.listlayers(path):
        with fiona.open(path, layer=name) as src:
            n = sum(1 for f in src
                    if f.geometry and f.geometry.type in ("Polygon", "MultiPolygon"))
        if n > best_n:
            best, best_n = name, n
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("topojson")
    ap.add_argument("outdir")
    ap.add_argument("--layer")
    a = ap.parse_args()
    layer = a.layer or pick_layer(a.topojson)
    gdf = gpd.read_file(a.topojson, layer=layer)
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    if "id" not in gdf.columns:
        sys.exit("convert_formats: layer %r has no id" % layer)
    gdf["id"] = gdf["id"].astype(str)
    gdf = gdf[gdf.geometry.notna() & gdf.geom_type.isin(["Polygon", "MultiPolygon"])]
    os.makedirs(a.outdir, exist_ok=True)
    stem = os.path.splitext(os.path.basename(a.topojson))[0]
    gj = os.path.join(a.outdir, stem + ".geojson")
    shp = os.path.join(a.outdir, stem + ".shp")
    for p in (gj,):
        if os.path.exists(p):
            os.remove(p)
    gdf.to_file(gj, driver="GeoJSON")
    gdf.to_file(shp, driver="ESRI Shapefile")
    print(gj)
    print(shp)


if __name__ == "__main__":
    main()
