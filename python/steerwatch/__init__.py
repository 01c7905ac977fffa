"""steerwatch for Python: the audit of placement records for steering
toward a political attribute of the destination, run by libsteerwatch (the
library the steerwatch command is built on) through ctypes.

    import steerwatch
    a = steerwatch.audit("records.csv", regions="counties.json",
                         attrs="county-attrs.csv", target="sanctuary=yes")
    print(a.summary); a.weekly; a.report_html

check() validates records, assign() locates points in regions, audit()
runs the whole audit; failures raise steerwatch.Error. The library is
found through STEERWATCH_LIB (the path of libsteerwatch.so), else where
the system's loader finds it. See docs/python.md.
"""
from ._assign import AssignStats, assign
from ._audit import Audit, audit, read_table
from ._check import CheckResult, check
from . import _lib
from .errors import Error

__version__ = "0.1.0"
library_version = _lib.version
library_path = _lib.path

__all__ = ["Audit", "AssignStats", "CheckResult", "Error", "assign", "audit",
           "check", "read_table", "library_path", "library_version"]
