"""steerwatch.check: validate placement records without auditing them, as
`steerwatch check` does, so that the data can be fixed first."""
import ctypes
from dataclasses import dataclass

from . import _inputs
from ._lib import lib
from ._rejects import RejectSink
from ._structs import sw_counts, sw_error
from .errors import check as _check_status


@dataclass
class CheckResult:
    """What sw_records_validate saw: read == accepted + rejected, and each
    rejected row (file, line, byte, column, reason, raw) in `rejects`."""
    read: int
    accepted: int
    rejected: int
    rejects: object   # a pandas.DataFrame

    def __repr__(self):
        return ("CheckResult(read=%d, accepted=%d, rejected=%d)"
                % (self.read, self.accepted, self.rejected))


def check(records, **options):
    """Validate records (a path, or a DataFrame) row by row.

    Reading options (docs/input.md), as the CLI's: delimiter, columns
    (dict NAME -> HEADER), columns_file, date_format, facilities, encoding,
    sheet, skip_rows, gazetteer. Raises steerwatch.Error when the file
    cannot be read at all (no such file, a header lacking `date`); rows
    that fail are not errors but rejects.
    """
    opts = _inputs.ReadOpts(**_inputs.split_read_options(options))
    sink = RejectSink()
    opts.c.on_reject = sink.callback
    counts, err = sw_counts(), sw_error()
    with _inputs.as_path(records, "records.csv") as path:
        st = lib.sw_records_validate(_inputs.path_bytes(path),
                                     ctypes.byref(opts.c),
                                     ctypes.byref(counts), ctypes.byref(err))
    sink.raise_pending()
    _check_status(st, err)
    return CheckResult(counts.read, counts.accepted, counts.rejected,
                       sink.frame())
