"""audit()'s keyword arguments as an sw_audit_opts, filled as
cli/cmd_audit.c fills it from the command line, so that the same call and
the same command give byte-identical results.json.

Defaults are the CLI's: an option left as None is a flag not given (a zero
field, which the library reads as its default).
"""
import ctypes
import datetime
import math

from . import _inputs
from ._lib import lib
from ._structs import sw_audit_event, sw_audit_opts
from .errors import Error

_PERIODS = {"month": 1, "quarter": 3}           # sw_period_unit
_DISTANCES = {"spline": 1, "log1p": 2}          # sw_distance


def as_list(x):
    """One value or several: a str (or a date) is one, not its letters."""
    if x is None:
        return []
    if (isinstance(x, (str, bytes, datetime.date))
            or not hasattr(x, "__iter__")):
        return [x]
    return list(x)


def parse_date(d, what):
    """Days since 1970-01-01 of d (a YYYY-MM-DD string or a date), by the
    library's own date rule."""
    if isinstance(d, datetime.date):   # datetime and pandas.Timestamp too
        d = d.strftime("%Y-%m-%d")
    b = str(d).encode()
    days = ctypes.c_int32()
    if lib.sw_date_parse(b, len(b), ctypes.byref(days)) != 0:
        raise Error.usage("%s needs a date YYYY-MM-DD, not %r" % (what, d))
    return days.value


def _event(e):
    """'DATE[:LABEL]', a date, or a (date, label) pair."""
    if isinstance(e, tuple):
        date, label = e
        return parse_date(date, "event"), str(label)
    if isinstance(e, str):
        date, _, label = e.partition(":")
        return parse_date(date, "event"), label
    return parse_date(e, "event"), ""


def _baseline(b):
    """'FROM:TO' or a (from, to) pair."""
    if isinstance(b, str):
        if ":" not in b:
            raise Error.usage("baseline needs FROM:TO, two dates, not %r" % b)
        b = b.split(":", 1)
    start, end = b
    return parse_date(start, "baseline"), parse_date(end, "baseline")


def _count(v, what, lo, hi):
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise Error.usage("%s needs a count from %d to %d, not %r"
                          % (what, lo, hi, v))
    return v


def _number(v, what):
    x = float(v)
    if not (math.isfinite(x) and x >= 0):
        raise Error.usage("%s needs a number >= 0, not %r" % (what, v))
    return x


def _choice(v, table, what):
    if v not in table:
        raise Error.usage("%s must be one of %s, not %r"
                          % (what, " or ".join(table), v))
    return table[v]


class AuditOpts:
    """An sw_audit_opts and every buffer its pointers borrow."""

    def __init__(self, records, attrs, target, regions=None, region_id=None,
                 layer=None, covariate=None, event=None, baseline=None,
                 alternatives=None, ties_km=None, cost_per_km=None,
                 period=None, window=None, min_change=None, seed=0,
                 distance=None, threads=None, simulated=False, **read):
        o = self.c = sw_audit_opts()
        o.records_path = _inputs.path_bytes(records)
        o.regions_path = _inputs.path_bytes(regions)
        o.region_id = _inputs.text_bytes(region_id)
        o.layer = _inputs.text_bytes(layer)
        o.attrs_path = _inputs.path_bytes(attrs)
        # --delimiter is the records' (as in cmd_audit.c): the attributes
        # are always comma-separated.
        self.read = _inputs.ReadOpts(**read)
        o.delimiter = b","
        o.records_opts = ctypes.pointer(self.read.c)
        self.targets = [str(t) for t in as_list(target)]
        self._targets, o.n_targets = _inputs.c_strings(self.targets)
        o.targets = self._targets
        self._covariates, o.n_covariates = _inputs.c_strings(
            as_list(covariate))
        o.covariates = self._covariates
        events = [_event(e) for e in as_list(event)]
        self._labels = [label.encode() for _, label in events]
        self._events = (sw_audit_event * max(len(events), 1))(
            *[sw_audit_event(d, b) for (d, _), b in zip(events, self._labels)])
        o.events, o.n_events = self._events, len(events)
        if baseline is not None:
            o.baseline = True
            o.baseline_from, o.baseline_to = _baseline(baseline)
        if alternatives is not None:
            o.alternatives_set = True
            o.alternatives = (0 if alternatives == "all" else
                              _count(alternatives, "alternatives", 1, 1000000))
        if ties_km is not None:
            o.ties_km = _number(ties_km, "ties_km")
        if cost_per_km is not None:
            o.cost_per_km = _number(cost_per_km, "cost_per_km")
        if period is not None:
            o.period = _choice(period, _PERIODS, "period")
        if window is not None:
            o.window_weeks = _count(window, "window", 1, 1024)
        if min_change is not None:
            # A fraction, as results.json gives it (the CLI's --min-change
            # is the same in percent).
            x = float(min_change)
            if not 0 < x <= 10:
                raise Error.usage("min_change needs a fraction above 0 "
                                  "(0.05 is 5%%), not %r" % (min_change,))
            o.min_change = x
        o.seed = _count(seed, "seed", 0, 2**64 - 1)
        if distance is not None:
            o.distance = _choice(distance, _DISTANCES, "distance")
        if threads is not None:
            o.threads = _count(threads, "threads", 1, 1024)
        o.simulated = bool(simulated)
