"""steerwatch.assign: the region containing each point, as `steerwatch
assign` finds it (sw_regions_read, sw_index_build, sw_assign_csv)."""
import ctypes
import os
import tempfile
from dataclasses import dataclass

from . import _inputs
from ._lib import lib
from ._rejects import INPUT_POINTS, RejectSink
from ._structs import (sw_assign_opts, sw_assign_stats, sw_error,
                       sw_regions_opts)
from .errors import Error, check as _check_status


@dataclass
class AssignStats:
    """read == assigned + unassigned + invalid; regions and skipped count
    the regions read and the features skipped."""
    read: int
    assigned: int
    unassigned: int
    invalid: int
    on_boundary: int
    regions: int
    skipped: int


def assign(points, regions, region_id=None, layer=None, lat=None, lon=None,
           delimiter=None, stats=False):
    """Append a `region` column to points (a CSV path or a DataFrame): the id
    of the region containing each row's point, NaN when in none or invalid.

    regions: GeoJSON, TopoJSON or Shapefile path; region_id: the property
    naming the region id; layer: the TopoJSON object; lat/lon: the point
    columns (default lat/lon, else release_lat/release_lon). Returns the
    DataFrame, or (DataFrame, AssignStats) with stats=True. Rows with an
    invalid point are listed by the DataFrame's `attrs["invalid"]`.
    """
    import pandas as pd
    if (lat is None) != (lon is None):
        raise Error.usage("lat and lon go together")
    err = sw_error()
    ro = sw_regions_opts(id_property=_inputs.text_bytes(region_id),
                         layer=_inputs.text_bytes(layer))
    g, ix = ctypes.c_void_p(), ctypes.c_void_p()
    try:
        _check_status(lib.sw_regions_read(_inputs.path_bytes(regions),
                                          ctypes.byref(ro), ctypes.byref(g),
                                          ctypes.byref(err)), err)
        _check_status(lib.sw_index_build(g, ctypes.byref(ix),
                                         ctypes.byref(err)), err)
        sink = RejectSink()
        ao = sw_assign_opts(delimiter=_inputs.delimiter_byte(delimiter),
                            lat_column=_inputs.text_bytes(lat),
                            lon_column=_inputs.text_bytes(lon),
                            on_invalid=sink.callback)
        st = sw_assign_stats()
        with _inputs.as_path(points, "points.csv") as path, \
                tempfile.TemporaryDirectory(prefix="steerwatch-") as d:
            out = os.path.join(d, "assigned.csv")
            status = lib.sw_assign_csv(ix, _inputs.path_bytes(path),
                                       _inputs.path_bytes(out),
                                       ctypes.byref(ao), ctypes.byref(st),
                                       ctypes.byref(err))
            sink.raise_pending()
            _check_status(status, err)
            # Region ids are text ("06075"), never numbers.
            df = pd.read_csv(out, sep=_inputs.delimiter_char(delimiter),
                             dtype={"region": str})
        if _inputs.is_frame(points):
            df = points.assign(region=df["region"].to_numpy())
        df.attrs["invalid"] = sink.frame(INPUT_POINTS)
        result = AssignStats(st.read, st.assigned, st.unassigned, st.invalid,
                             st.on_boundary, lib.sw_regions_count(g),
                             lib.sw_regions_n_skipped(g))
    finally:
        lib.sw_index_free(ix)
        lib.sw_regions_free(g)
    return (df, result) if stats else df
