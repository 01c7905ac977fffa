"""steerwatch.audit: the whole audit of `steerwatch audit`, run by the
library (sw_audit_run) and written by it (sw_audit_write) into a directory
whose tables are then read with pandas; nothing is computed here.
"""
import contextlib
import ctypes
import html
import json
import os
import shutil
import tempfile
import warnings
import weakref
from functools import cached_property

from . import _inputs
from ._audit_opts import AuditOpts
from ._lib import lib
from ._rejects import INPUT_ATTRS, RejectSink
from ._structs import sw_error, sw_headline
from .errors import check as _check_status

INT32_MIN = -2**31

# Columns that hold names and codes, read as text so that a code such as
# "06075" keeps its zero (the other columns are numbers or dates).
_TEXT = ("target", "name", "region", "facility", "id", "release_region",
         "ties_region", "reason", "column", "raw")

def read_table(path):
    """One of the audit's CSV tables as pandas reads it for steerwatch:
    text columns as str, and every double exactly as written."""
    import pandas as pd
    header = pd.read_csv(path, nrows=0).columns
    return pd.read_csv(path, float_precision="round_trip",
                       dtype={c: str for c in _TEXT if c in header})


def _table(name):
    """A table of the audit's directory, read on first use: flagged.csv
    holds a row per flagged record, which an audit of millions need not
    pay for unless asked."""
    def load(self):
        return read_table(os.path.join(self.dir, name + ".csv"))
    load.__doc__ = "%s.csv as a DataFrame (docs/outputs.md)" % name
    return cached_property(load)


def _date(days):
    if days == INT32_MIN:
        return None
    buf = ctypes.create_string_buffer(16)
    lib.sw_date_format(days, buf, len(buf))
    return buf.value.decode()


class Audit:
    """A finished audit: its files in `dir`, and what they hold.

    results     results.json, parsed
    summary     the findings in plain words (what the CLI prints)
    headline    per target: the within-region change in the target's
                attraction (design, event, onset, estimate, ci_low,
                ci_high, p_value)
    counts      records read, accepted, rejected, unassigned, flagged
    coefficients, periods, weekly, regions, facilities, flagged, rejects
                the tables of docs/outputs.md as DataFrames
    report_html report.html; shown inline in Jupyter
    """

    coefficients = _table("coefficients")
    periods = _table("periods")
    weekly = _table("weekly")
    regions = _table("regions")
    facilities = _table("facilities")
    flagged = _table("flagged")
    rejects = _table("rejects")

    def __init__(self, dir, summary, headline, counts, attr_rejects,
                 owned=False):
        self.dir = dir
        self.summary = summary
        self.headline = headline
        self.counts = counts
        self.attr_rejects = attr_rejects
        # A directory the Audit made goes when the Audit does (or at
        # close()); one the user named stays.
        self._cleanup = (weakref.finalize(self, shutil.rmtree, dir, True)
                         if owned else None)

    def close(self):
        """Remove the files of an audit run without `out` now, rather than
        when the Audit is garbage-collected."""
        if self._cleanup:
            self._cleanup()

    @cached_property
    def results(self):
        path = os.path.join(self.dir, "results.json")
        with open(path, encoding="utf-8") as f:
            return json.load(f)

    @cached_property
    def report_html(self):
        path = os.path.join(self.dir, "report.html")
        with open(path, encoding="utf-8") as f:
            return f.read()

    def _repr_html_(self):
        # In a frame of its own: the page's styles must not restyle the
        # notebook, nor the notebook's the page.
        return ('<iframe srcdoc="%s" style="width:100%%;height:640px;'
                'border:0"></iframe>' % html.escape(self.report_html))

    def __repr__(self):
        return "<steerwatch.Audit of %d records, %s; files in %s>" % (
            self.counts["accepted"],
            ", ".join(self.headline["target"]), self.dir)

    def __str__(self):
        return self.summary

    def write(self, dir):
        """Copy the audit's files into dir (created if needed)."""
        os.makedirs(dir, exist_ok=True)
        for name in os.listdir(self.dir):
            shutil.copy2(os.path.join(self.dir, name), dir)

    def save_report(self, path):
        """Copy report.html to path."""
        shutil.copyfile(os.path.join(self.dir, "report.html"), path)


def _headlines(au, targets):
    import pandas as pd
    rows = []
    for i, target in enumerate(targets):
        h = sw_headline()
        lib.sw_audit_headline(au, i, ctypes.byref(h))
        rows.append((target, h.design.decode() if h.design else None,
                     _date(h.event), _date(h.onset), h.estimate, h.ci_low,
                     h.ci_high, h.p_value))
    return pd.DataFrame(rows, columns=["target", "design", "event", "onset",
                                       "estimate", "ci_low", "ci_high",
                                       "p_value"])


def _regions_path(regions, tmp):
    """regions as a path: a GeoDataFrame is written as GeoJSON (WGS84)."""
    if regions is None or not hasattr(regions, "to_json"):
        return regions
    if regions.crs is not None and regions.crs.to_epsg() != 4326:
        regions = regions.to_crs(4326)
    p = os.path.join(tmp(), "regions.geojson")
    with open(p, "w", encoding="utf-8") as f:
        f.write(regions.to_json())
    return p


def audit(records, *, attrs, target, regions=None, out=None, **options):
    """Audit placement records for steering toward a target attribute of
    the destination, as `steerwatch audit` does, and return an Audit.

    records   path of the records file, or a DataFrame
    attrs     region attributes (region,attribute,value[,valid_from,
              valid_to]): a path or a DataFrame
    target    'ATTR=VALUE', or a list of them
    regions   GeoJSON/TopoJSON/Shapefile path, or a GeoDataFrame; None when
              the records name their regions and attrs give lat/lon
    out       directory to write the files into (created if needed); None:
              a temporary one, removed with the Audit

    Options, each the CLI's flag of the same name: region_id, layer,
    covariate (name or list), event ('DATE[:LABEL]', a date, a (date,
    label) pair, or a list), baseline ('FROM:TO'), alternatives ('all' or
    K), ties_km, cost_per_km, period ('month' or 'quarter'), window
    (weeks), min_change (a fraction: 0.05 is --min-change 5), seed
    (default 0, as the CLI's), distance ('spline' or 'log1p'), threads,
    simulated; and the reading options of check().

    Raises steerwatch.Error (code, file, line, column) when an input
    cannot be read or an option is invalid. A finding is a result, not an
    error.
    """
    with contextlib.ExitStack() as stack:
        tmpdir = []

        def tmp():
            if not tmpdir:
                tmpdir.append(stack.enter_context(
                    tempfile.TemporaryDirectory(prefix="steerwatch-")))
            return tmpdir[0]

        def path_of(x, name):
            if not _inputs.is_frame(x):
                return x
            p = os.path.join(tmp(), name)
            _inputs.write_frame(x, p)
            return p

        opts = AuditOpts(path_of(records, "records.csv"),
                         path_of(attrs, "attrs.csv"), target,
                         regions=_regions_path(regions, tmp),
                         **options)
        sink = RejectSink()
        opts.c.on_reject = sink.callback
        au, err = ctypes.c_void_p(), sw_error()
        status = lib.sw_audit_run(ctypes.byref(opts.c), ctypes.byref(au),
                                  ctypes.byref(err))
        stack.callback(lib.sw_audit_free, au)
        sink.raise_pending()
        _check_status(status, err)

        unassigned = ctypes.c_uint64()
        c = lib.sw_audit_counts(au, ctypes.byref(unassigned))
        counts = {"read": c.read, "accepted": c.accepted,
                  "rejected": c.rejected, "unassigned": unassigned.value,
                  "flagged": lib.sw_audit_n_flagged(au)}
        if out is not None:
            os.makedirs(out, exist_ok=True)
        # Made before the files are written, so that a directory it owns
        # is removed with it if writing fails.
        result = Audit(out or tempfile.mkdtemp(prefix="steerwatch-audit-"),
                       lib.sw_audit_summary(au).decode("utf-8", "replace"),
                       _headlines(au, opts.targets), counts,
                       sink.frame(INPUT_ATTRS), owned=out is None)
        _check_status(lib.sw_audit_write(au, _inputs.path_bytes(result.dir),
                                         ctypes.byref(err)), err)
        sink.write_csv(os.path.join(result.dir, "rejects.csv"))
        if len(result.attr_rejects):
            # The CLI prints these on stderr; a warning is Python's stderr.
            first = result.attr_rejects.iloc[0]
            warnings.warn("%s: %d attribute rows rejected (first, line %d: "
                          "%s); see Audit.attr_rejects"
                          % (first.file, len(result.attr_rejects), first.line,
                             first.reason), stacklevel=2)
        return result
