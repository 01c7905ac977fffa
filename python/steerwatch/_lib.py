"""Finding and loading libsteerwatch.so, and the prototypes of the calls
the package makes.

Every function gets its argtypes and restype here, once: without them
ctypes passes Python ints as C int and reads results as C int, which
truncates size_t, uint64_t and pointers on 64-bit machines.
"""
import ctypes
import ctypes.util
import os
import sys
from ctypes import (POINTER, c_bool, c_char_p, c_double, c_int32,
                    c_size_t, c_uint64, c_void_p)

from . import _structs as s

# The library's major.minor this package was written against: a change in
# either may change the structs mirrored in _structs.py.
API_VERSION = (0, 1)


def _candidates():
    """Where to look for the library, in order, as (how, path) pairs."""
    env = os.environ.get("STEERWATCH_LIB")
    if env:
        # Set on purpose: no silent fallback to some other copy.
        return [("STEERWATCH_LIB", env)]
    found = []
    name = ctypes.util.find_library("steerwatch")
    if name:
        found.append(("ctypes.util.find_library('steerwatch')", name))
    for prefix in dict.fromkeys((sys.prefix, "/usr/local", "/usr")):
        for libdir in ("lib", "lib64", "lib/x86_64-linux-gnu"):
            found.append(("prefix " + prefix,
                          os.path.join(prefix, libdir, "libsteerwatch.so.0")))
    return found


def _load():
    tried = []
    for how, path in _candidates():
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            tried.append("%s: %s (%s)" % (how, path, e))
    raise ImportError(
        "steerwatch: cannot load libsteerwatch.so; build it (`make` in the "
        "checkout, or `make install`) and set STEERWATCH_LIB to its path. "
        "Tried:\n  " + "\n  ".join(tried or ["nothing"]))


lib = _load()


def _loaded_path():
    """The file the loader mapped: find_library gives only a name."""
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                if "/libsteerwatch.so" in line:
                    return line.split(None, 5)[5].strip()
    except OSError:
        pass
    return os.path.realpath(lib._name)


path = _loaded_path()


def _proto(name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = argtypes


_err = POINTER(s.sw_error)
_proto("sw_version", c_char_p)
_proto("sw_gazetteer_default", c_char_p)
_proto("sw_status_str", c_char_p, ctypes.c_int)
_proto("sw_error_format", c_size_t, _err, c_char_p, c_size_t)
_proto("sw_rejects_file_open", ctypes.c_int, c_char_p, POINTER(c_void_p),
       _err)
_proto("sw_rejects_file_write", c_bool, c_void_p, POINTER(s.sw_reject))
_proto("sw_rejects_file_close", ctypes.c_int, c_void_p, _err)
_proto("sw_date_parse", ctypes.c_int, c_char_p, c_size_t, POINTER(c_int32))
_proto("sw_date_format", c_size_t, c_int32, c_char_p, c_size_t)
_proto("sw_records_validate", ctypes.c_int, c_char_p,
       POINTER(s.sw_read_opts), POINTER(s.sw_counts), _err)
_proto("sw_regions_read", ctypes.c_int, c_char_p, POINTER(s.sw_regions_opts),
       POINTER(c_void_p), _err)
_proto("sw_regions_free", None, c_void_p)
_proto("sw_regions_count", c_size_t, c_void_p)
_proto("sw_regions_n_skipped", c_size_t, c_void_p)
_proto("sw_index_build", ctypes.c_int, c_void_p, POINTER(c_void_p), _err)
_proto("sw_index_free", None, c_void_p)
_proto("sw_assign_csv", ctypes.c_int, c_void_p, c_char_p, c_char_p,
       POINTER(s.sw_assign_opts), POINTER(s.sw_assign_stats), _err)
_proto("sw_audit_run", ctypes.c_int, POINTER(s.sw_audit_opts),
       POINTER(c_void_p), _err)
_proto("sw_audit_free", None, c_void_p)
_proto("sw_audit_write", ctypes.c_int, c_void_p, c_char_p, _err)
_proto("sw_audit_summary", c_char_p, c_void_p)
_proto("sw_audit_counts", s.sw_counts, c_void_p, POINTER(c_uint64))
_proto("sw_audit_n_flagged", c_uint64, c_void_p)
_proto("sw_audit_n_targets", c_size_t, c_void_p)
_proto("sw_audit_p_value", c_double, c_void_p, c_size_t, POINTER(c_double))
_proto("sw_audit_headline", c_bool, c_void_p, c_size_t,
       POINTER(s.sw_headline))
_proto("sw_model_kernel_name", c_char_p)

version = lib.sw_version().decode()
if tuple(int(x) for x in version.split(".")[:2]) != API_VERSION:
    raise ImportError(
        "steerwatch: the library at %s is version %s; this package needs "
        "%d.%d.x" % (lib._name, version, *API_VERSION))
