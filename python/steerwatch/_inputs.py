"""Inputs as the library takes them: paths as bytes, DataFrames as a CSV
file the package writes and removes itself, and the records-reading
options (sw_read_opts) that check() and audit() share with the CLI's
--column, --date-format, ... (docs/input.md).
"""
import contextlib
import ctypes
import os
import tempfile

from . import _structs as s
from . import _lib
from .errors import Error

# What audit() and check() accept as reading options, and the CLI option
# each stands for.
READ_OPTIONS = {
    "delimiter": "--delimiter",
    "columns": "--column NAME=HEADER (a dict or a list of 'NAME=HEADER')",
    "columns_file": "--columns",
    "date_format": "--date-format",
    "facilities": "--facilities",
    "encoding": "--encoding",
    "sheet": "--sheet",
    "skip_rows": "--skip-rows",
    "gazetteer": "--gazetteer",
}


def path_bytes(p):
    """A path as the library takes it, or None for None."""
    return None if p is None else os.fsencode(p)


def text_bytes(t):
    return None if t is None else str(t).encode()


def c_strings(items):
    """A C array of char * over items (kept alive by the array's _keep)."""
    encoded = [text_bytes(x) for x in items]
    arr = (ctypes.c_char_p * max(len(encoded), 1))(*encoded)
    return arr, len(encoded)


def delimiter_char(d):
    """The field separator d names (',' for None), as the CLI's
    --delimiter accepts it."""
    if d is None:
        return ","
    if d in ("tab", "\\t"):
        d = "\t"
    if d not in (",", "|", ";", "\t"):
        raise Error.usage("delimiter must be one of , | ; tab, not %r" % (d,))
    return d


def delimiter_byte(d):
    """d as sw_read_opts.delimiter: 0 (the library's ',') for None."""
    return b"\0" if d is None else delimiter_char(d).encode()


def default_gazetteer():
    """The gazetteer the CLI reads when none is given: the library's
    answer (sw_gazetteer_default), as a path, or None."""
    p = _lib.lib.sw_gazetteer_default()
    return os.fsdecode(p) if p is not None else None


class ReadOpts:
    """An sw_read_opts built from keyword options, with the buffers its
    pointers borrow kept alive as long as it is."""

    def __init__(self, delimiter=None, columns=None, columns_file=None,
                 date_format=None, facilities=None, encoding=None, sheet=None,
                 skip_rows=None, gazetteer=None):
        o = self.c = s.sw_read_opts()
        o.delimiter = delimiter_byte(delimiter)
        if isinstance(columns, dict):
            columns = ["%s=%s" % kv for kv in columns.items()]
        self._columns, o.n_columns = c_strings(columns or [])
        o.columns = self._columns
        o.columns_path = path_bytes(columns_file)
        o.date_format = text_bytes(date_format)
        o.facilities_path = path_bytes(facilities)
        o.encoding = text_bytes(encoding)
        o.sheet = text_bytes(sheet)
        o.gazetteer_path = path_bytes(gazetteer if gazetteer is not None
                                      else default_gazetteer())
        if skip_rows is not None:
            if not 0 <= int(skip_rows) <= 1000000:
                raise Error.usage(
                    "skip_rows must be a count from 0 to 1000000")
            o.skip_rows, o.skip_rows_set = int(skip_rows), True


def split_read_options(kwargs):
    """Take the reading options out of kwargs; anything else left is an
    unknown keyword, as for any Python function."""
    read = {k: kwargs.pop(k) for k in list(kwargs) if k in READ_OPTIONS}
    if kwargs:
        raise TypeError("unexpected keyword argument(s): %s (reading "
                        "options are: %s)" % (", ".join(sorted(kwargs)),
                                              ", ".join(READ_OPTIONS)))
    return read


def is_frame(x):
    import pandas as pd
    return isinstance(x, pd.DataFrame)


def write_frame(df, path):
    """Write df as a CSV the library reads: dates ISO (YYYY-MM-DD, or an
    ISO date-time when a time of day is set), missing values empty."""
    import pandas as pd
    out = df.copy(deep=False)
    for name in out.columns:
        col = out[name]
        if pd.api.types.is_datetime64_any_dtype(col):
            t = col.dropna()
            midnight = bool((t == t.dt.normalize()).all())
            out[name] = col.dt.strftime("%Y-%m-%d" if midnight
                                        else "%Y-%m-%dT%H:%M:%S")
    out.to_csv(path, index=False, na_rep="")


@contextlib.contextmanager
def as_path(x, name):
    """Yield a path for x: x itself when it is a path, else (a DataFrame) a
    CSV named `name` in a private temporary directory removed afterwards.
    The name is what provenance records for a DataFrame's input."""
    if not is_frame(x):
        yield x
        return
    with tempfile.TemporaryDirectory(prefix="steerwatch-") as d:
        p = os.path.join(d, name)
        write_frame(x, p)
        yield p
