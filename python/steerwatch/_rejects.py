"""The reject sink: collects each row a reader rejects (through the
library's sw_reject_fn callback), and writes them as rejects.csv through
the library's writer (sw_rejects_file), the CLI's.

ctypes cannot let an exception cross C frames: one raised in a callback is
printed and dropped, and the callback returns 0. So the sink catches any
exception, asks the library to stop reading (returns false), and keeps the
exception for `raise_pending()` to raise after the call returns.
"""
import ctypes
import os

from ._lib import lib
from ._structs import sw_error, sw_reject, sw_reject_fn
from .errors import check

COLUMNS = ("file", "line", "byte", "column", "reason", "raw")

# sw_input's values (include/steerwatch.h).
INPUT_RECORDS, INPUT_ATTRS, INPUT_POINTS = 0, 1, 2


class RejectSink:
    """Rows rejected by one call, by sw_input, each as COLUMNS in bytes
    (the raw row verbatim, whatever its encoding).

    `callback` is the C function pointer to pass as on_reject; the sink
    owns it, so it lives as long as the sink, which the caller must keep
    until the call returns.
    """

    def __init__(self):
        self.rows = {INPUT_RECORDS: [], INPUT_ATTRS: [], INPUT_POINTS: []}
        self.pending = None
        self.callback = sw_reject_fn(self._on_reject)

    def _on_reject(self, user, r):
        try:
            r = r.contents
            raw = ctypes.string_at(r.raw, r.raw_len) if r.raw_len else b""
            self.add(r.input, (r.file or b"", r.line, r.byte,
                               r.column or b"", r.reason or b"", raw))
            return True
        except BaseException as e:  # KeyboardInterrupt too: stop the read
            self.pending = e
            return False

    def add(self, input, row):
        """Keep one rejected row of input (a sw_input value)."""
        self.rows.setdefault(input, []).append(row)

    def raise_pending(self):
        """Raise what a callback raised, if anything did."""
        if self.pending is not None:
            e, self.pending = self.pending, None
            raise e

    def frame(self, input=INPUT_RECORDS):
        """The rejected rows of one input as a DataFrame (text decoded as
        UTF-8, undecodable bytes replaced)."""
        import pandas as pd

        def text(b):
            return b.decode("utf-8", "replace")

        rows = [(text(f), line, byte, text(c), text(why), text(raw))
                for f, line, byte, c, why, raw in self.rows.get(input, [])]
        return pd.DataFrame(rows, columns=list(COLUMNS))

    def write_csv(self, path, input=INPUT_RECORDS):
        """Write the rejected rows of one input as rejects.csv (`line,byte,
        column,reason,raw`), by the library's writer, the CLI's."""
        err, w = sw_error(), ctypes.c_void_p()
        check(lib.sw_rejects_file_open(os.fsencode(path), ctypes.byref(w),
                                       ctypes.byref(err)), err)
        for f, line, byte, column, reason, raw in self.rows.get(input, []):
            # raw may hold NUL bytes: passed by address and length.
            r = sw_reject(file=f, line=line, byte=byte, column=column,
                          reason=reason, raw=ctypes.cast(raw, ctypes.c_void_p),
                          raw_len=len(raw), input=input)
            lib.sw_rejects_file_write(w, ctypes.byref(r))
        check(lib.sw_rejects_file_close(w, ctypes.byref(err)), err)
