"""steerwatch.Error: a failed library call, carrying the C sw_error.

The library reports where a failure is (file, line, column) as well as
what it is; an investigator fixing a records file needs all of it, so the
exception keeps every field, and str() is the library's own rendering
(sw_error_format), the text the CLI prints after "steerwatch: ".
"""
import ctypes

from ._lib import lib
from ._structs import sw_error

# sw_status in declaration order (include/steerwatch.h): the names users
# match on, e.g. `except steerwatch.Error as e: if e.code == "SW_E_SCHEMA"`.
STATUS_NAMES = ("SW_OK", "SW_E_NOMEM", "SW_E_OPEN", "SW_E_IO", "SW_E_PARSE",
                "SW_E_SCHEMA", "SW_E_RANGE", "SW_E_USAGE", "SW_E_MODEL",
                "SW_E_INTERNAL", "SW_E_CREATE")


class Error(Exception):
    """A steerwatch call failed.

    Attributes: code (status name, "SW_E_SCHEMA"), status (its number),
    reason (the status in words, "input lacks a required column" style),
    message, file ("" when none), line (0 when none), column ("" when
    none), byte (offset of the record in the file).
    """

    def __init__(self, status, message, file="", line=0, column="", byte=0,
                 text=None):
        self.status = int(status)
        self.code = (STATUS_NAMES[self.status]
                     if 0 <= self.status < len(STATUS_NAMES)
                     else "SW_E_%d" % self.status)
        self.reason = lib.sw_status_str(self.status).decode()
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.byte = byte
        super().__init__(text if text is not None else message)

    @classmethod
    def from_c(cls, err):
        """The exception for a filled sw_error."""
        n = lib.sw_error_format(ctypes.byref(err), None, 0)
        buf = ctypes.create_string_buffer(n + 1)
        lib.sw_error_format(ctypes.byref(err), buf, n + 1)
        return cls(err.code, _text(err.message), _text(err.file), err.line,
                   _text(err.column), err.byte, _text(buf.value))

    @classmethod
    def usage(cls, message):
        """An invalid argument caught before the library is called, as the
        library would report it (SW_E_USAGE)."""
        err = sw_error(code=STATUS_NAMES.index("SW_E_USAGE"))
        err.message = message.encode()[:255]
        return cls.from_c(err)


def _text(b):
    # Paths and data are bytes to the library; undecodable bytes must not
    # hide the error behind a UnicodeDecodeError.
    return b.decode("utf-8", "replace")


def check(status, err):
    """Raise Error for a failed call's status and filled sw_error."""
    if status != 0:
        raise Error.from_c(err)
