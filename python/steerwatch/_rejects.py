"""The reject sink: collects each row a reader rejects (through the
library's sw_reject_fn callback), and writes them as rejects.csv exactly as
the CLI does (cli/rejects.c).

ctypes cannot let an exception cross C frames: one raised in a callback is
printed and dropped, and the callback returns 0. So the sink catches any
exception, asks the library to stop reading (returns false), and keeps the
exception for `raise_pending()` to raise after the call returns.
"""
import ctypes

from ._lib import lib
from ._structs import sw_reject_fn

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
        """Write rejects.csv (`line,byte,column,reason,raw`), each text
        field quoted and formula-guarded by the library's sw_csv_field."""
        with open(path, "wb") as f:
            f.write(b"line,byte,column,reason,raw\n")
            for _, line, byte, column, reason, raw in self.rows.get(input, []):
                f.write(b"%d,%d,%s,%s,%s\n" % (line, byte, _field(column),
                                               _field(reason), _field(raw)))


def _field(b):
    n = lib.sw_csv_field(b, len(b), b",", None, 0)
    buf = ctypes.create_string_buffer(n + 1)
    lib.sw_csv_field(b, len(b), b",", buf, n + 1)
    return buf.raw[:n]
