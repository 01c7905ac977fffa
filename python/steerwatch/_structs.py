"""ctypes mirrors of the structs of include/steerwatch.h that the package
passes to or reads from the library.

Each class is named as its C typedef and lists the C fields in the same
order with the same types: ctypes lays a Structure out as the C compiler
does only when both agree, and a wrong layout corrupts memory silently
rather than failing. tests/python/layout.test.sh compares every size and
offset here with the compiler's.
"""
from ctypes import (CFUNCTYPE, POINTER, Structure, c_bool, c_char, c_char_p,
                    c_double, c_int, c_int32, c_size_t, c_uint, c_uint64,
                    c_void_p)

# C enums (sw_status, sw_input, sw_period_unit, sw_distance, sw_geo_format)
# are int-sized on the ABIs steerwatch builds for.
c_enum = c_int


class sw_error(Structure):
    _fields_ = [
        ("code", c_enum),
        ("message", c_char * 256),
        ("file", c_char * 256),
        ("line", c_uint64),
        ("column", c_char * 64),
        ("byte", c_uint64),
    ]


class sw_reject(Structure):
    # raw is not NUL-terminated (raw_len bytes), hence c_void_p, not c_char_p.
    _fields_ = [
        ("file", c_char_p),
        ("line", c_uint64),
        ("byte", c_uint64),
        ("column", c_char_p),
        ("reason", c_char_p),
        ("raw", c_void_p),
        ("raw_len", c_size_t),
        ("input", c_enum),
    ]


sw_reject_fn = CFUNCTYPE(c_bool, c_void_p, POINTER(sw_reject))
sw_progress_fn = CFUNCTYPE(None, c_void_p, c_uint64, c_uint64)


class sw_read_opts(Structure):
    _fields_ = [
        ("delimiter", c_char),
        ("on_reject", sw_reject_fn),
        ("reject_user", c_void_p),
        ("on_progress", sw_progress_fn),
        ("progress_user", c_void_p),
        ("encoding", c_char_p),
        ("skip_rows", c_size_t),
        ("skip_rows_set", c_bool),
        ("columns", POINTER(c_char_p)),
        ("n_columns", c_size_t),
        ("columns_path", c_char_p),
        ("date_format", c_char_p),
        ("facilities_path", c_char_p),
        ("sheet", c_char_p),
        ("gazetteer_path", c_char_p),
    ]


class sw_counts(Structure):
    _fields_ = [
        ("read", c_uint64),
        ("accepted", c_uint64),
        ("rejected", c_uint64),
    ]


class sw_regions_opts(Structure):
    _fields_ = [
        ("format", c_enum),
        ("id_property", c_char_p),
        ("layer", c_char_p),
    ]


class sw_assign_opts(Structure):
    _fields_ = [
        ("delimiter", c_char),
        ("lat_column", c_char_p),
        ("lon_column", c_char_p),
        ("on_invalid", sw_reject_fn),
        ("invalid_user", c_void_p),
        ("on_progress", sw_progress_fn),
        ("progress_user", c_void_p),
    ]


class sw_assign_stats(Structure):
    _fields_ = [
        ("read", c_uint64),
        ("assigned", c_uint64),
        ("unassigned", c_uint64),
        ("invalid", c_uint64),
        ("on_boundary", c_uint64),
    ]


class sw_audit_event(Structure):
    _fields_ = [
        ("date", c_int32),
        ("label", c_char_p),
    ]


class sw_audit_opts(Structure):
    _fields_ = [
        ("records_path", c_char_p),
        ("regions_path", c_char_p),
        ("region_id", c_char_p),
        ("layer", c_char_p),
        ("attrs_path", c_char_p),
        ("delimiter", c_char),
        ("records_opts", POINTER(sw_read_opts)),
        ("targets", POINTER(c_char_p)),
        ("n_targets", c_size_t),
        ("covariates", POINTER(c_char_p)),
        ("n_covariates", c_size_t),
        ("events", POINTER(sw_audit_event)),
        ("n_events", c_size_t),
        ("alternatives", c_size_t),
        ("alternatives_set", c_bool),
        ("ties_km", c_double),
        ("cost_per_km", c_double),
        ("seed", c_uint64),
        ("period", c_enum),
        ("window_weeks", c_uint),
        ("min_change", c_double),
        ("simulated", c_bool),
        ("threads", c_uint),
        ("on_reject", sw_reject_fn),
        ("reject_user", c_void_p),
        ("on_progress", sw_progress_fn),
        ("progress_user", c_void_p),
        ("distance", c_enum),
        ("baseline", c_bool),
        ("baseline_from", c_int32),
        ("baseline_to", c_int32),
    ]


class sw_headline(Structure):
    _fields_ = [
        ("design", c_char_p),
        ("event", c_int32),
        ("onset", c_int32),
        ("estimate", c_double),
        ("ci_low", c_double),
        ("ci_high", c_double),
        ("p_value", c_double),
    ]


# Every mirrored struct, for the layout test.
STRUCTS = (sw_error, sw_reject, sw_read_opts, sw_counts, sw_regions_opts,
           sw_assign_opts, sw_assign_stats, sw_audit_event, sw_audit_opts,
           sw_headline)
