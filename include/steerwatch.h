/*
 * steerwatch.h — the public interface of libsteerwatch.
 *
 * steerwatch audits placement records (releases, transfers, busing) for
 * steering toward a political attribute of the destination. The library
 * reads records, region geometry and region attributes, locates points in
 * regions, fits the choice model (with a constant per region for the
 * within-region headline), dates changes, runs the whole audit and writes
 * its results and report, and simulates records for tests and demos.
 *
 * Conventions, stated once for the whole header:
 * - Every fallible call returns an sw_status and fills a caller-owned
 *   sw_error (which may be NULL). On failure every OUT pointer is set to
 *   NULL, nothing leaks, and the inputs are unchanged.
 * - Whoever calls a _new/_open/_read function calls the matching _free,
 *   which accepts NULL.
 * - Getters return borrowed pointers that live as long as their owner.
 * - The library never prints, never exits and never aborts on input; it is
 *   reentrant: distinct objects may be used from distinct threads.
 * - Units are in names: _deg, _km; dates are days since 1970-01-01 (UTC).
 */
#ifndef STEERWATCH_H
#define STEERWATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SW_VERSION_MAJOR 0
#define SW_VERSION_MINOR 1
#define SW_VERSION_PATCH 0
#define SW_VERSION_STRING "0.1.0"

#if defined(__GNUC__)
#define SW_API __attribute__((visibility("default")))
#else
#define SW_API
#endif

/* ------------------------------------------------------------------------
 * MARK: Errors
 * ---------------------------------------------------------------------- */

/** Status of a call. Each code's meaning, with an example input, is in
 *  docs/errors.md. */
typedef enum sw_status {
  SW_OK = 0,     /**< done */
  SW_E_NOMEM,    /**< an allocation failed */
  SW_E_OPEN,     /**< an input could not be opened ("no such file") */
  SW_E_IO,       /**< a read or write failed midway (disk full, gzip CRC) */
  SW_E_PARSE,    /**< input is not well-formed (bad JSON, bad shapefile) */
  SW_E_SCHEMA,   /**< input is well-formed but lacks what is required
                      (a CSV header without `date`) */
  SW_E_RANGE,    /**< a value is out of its allowed range or a limit */
  SW_E_USAGE,    /**< the caller passed an invalid argument */
  SW_E_MODEL,    /**< a model cannot be estimated (no variation, separation) */
  SW_E_INTERNAL, /**< a bug in steerwatch */
  SW_E_CREATE    /**< an output could not be created ("no such directory",
                      "permission denied"); last so that the codes before
                      it keep their values */
} sw_status;

/** Where and why a call failed. Caller-owned; filled by the library. */
typedef struct sw_error {
  sw_status code;    /**< as returned */
  char message[256]; /**< reason, offending value quoted and cut short */
  char file[256];    /**< input path as given; "" when none */
  uint64_t line;     /**< 1-based line; 0 when not applicable */
  char column[64];   /**< header or property name; "" when none */
  uint64_t byte;     /**< byte offset of the record in the file */
} sw_error;

/** A static, human-readable name for a status ("cannot open input"). */
SW_API const char *sw_status_str(sw_status s);

/** Render an error as SPEC asks: `file:line: column: message`, omitting the
 *  parts that are empty. Follows snprintf: writes at most n bytes including
 *  the NUL and returns the length the full text needs. */
SW_API size_t sw_error_format(const sw_error *e, char *buf, size_t n);

/** The library's version, "x.y.z". */
SW_API const char *sw_version(void);

/* ------------------------------------------------------------------------
 * MARK: Callbacks
 * ---------------------------------------------------------------------- */

/** Progress on long work: `done` of `total` units (bytes for readers;
 *  total 0 when unknown, e.g. a gzip stream). Called at most a few hundred
 *  times per call, from the calling thread. */
typedef void (*sw_progress_fn)(void *user, uint64_t done, uint64_t total);

/** Which input a rejected row came from, so that a sink serving several
 *  readers (an audit reads records and attributes) can route each row
 *  without comparing paths. */
typedef enum sw_input {
  SW_INPUT_RECORDS, /**< placement records (sw_records_read, _validate) */
  SW_INPUT_ATTRS,   /**< region attributes (sw_attrs_read) */
  SW_INPUT_POINTS   /**< the CSV of points sw_assign_csv reads */
} sw_input;

/** One rejected input row, as passed to an sw_reject_fn. All pointers are
 *  borrowed for the duration of the callback only. */
typedef struct sw_reject {
  const char *file;   /**< input path as given */
  uint64_t line;      /**< 1-based physical line where the row starts */
  uint64_t byte;      /**< byte offset where the row starts */
  const char *column; /**< offending column name; "" for whole-row faults */
  const char *reason; /**< e.g. `not a number: "4O.7"` */
  const char *raw;    /**< the row's bytes, verbatim, without line end */
  size_t raw_len;     /**< bytes in raw */
  sw_input input;     /**< which input it is; last, so that the fields
                           before it kept their offsets when it was added */
} sw_reject;

/** Receives each rejected row. Return false to stop reading (the call then
 *  fails with SW_E_USAGE and message "stopped by caller"). */
typedef bool (*sw_reject_fn)(void *user, const sw_reject *r);

/* ------------------------------------------------------------------------
 * MARK: CSV output
 * ---------------------------------------------------------------------- */

/** Write s (len bytes; NULL is "") as one CSV field for a file a person
 *  may open in a spreadsheet: quoted (RFC 4180) when it holds the
 *  delimiter (0 means ','), a quote, CR or LF, or starts or ends with a
 *  space; and, when it starts with `=`, `+`, `-`, `@`, tab, CR or `'` and
 *  is not a plain decimal number, with a leading `'` so that no formula
 *  runs (dropping one leading `'` gives s back). Writes at most n bytes
 *  into buf, NUL included (buf may be NULL when n is 0); returns the
 *  length of the whole field, as snprintf does. Thread-safe. */
SW_API size_t sw_csv_field(const char *s, size_t len, char delimiter, char *buf,
                           size_t n);

/** rejects.csv (docs/errors.md): each row a reader rejected, as
 *  `line,byte,column,reason,raw`, the text cells through sw_csv_field and
 *  the raw row's bytes verbatim but for that guard. What `check --rejects`,
 *  `transfers --rejects`, `audit` and the Python and R packages write.
 *  Opaque. */
typedef struct sw_rejects_file sw_rejects_file;

/** Create path (truncating it) and write the header. SW_E_CREATE, naming
 *  the file, when it cannot be created. */
SW_API sw_status sw_rejects_file_open(const char *path, sw_rejects_file **out,
                                      sw_error *err);

/** Append one row. Shaped as an sw_reject_fn, with user the
 *  sw_rejects_file, so that it can be a reader's sink itself. It returns
 *  true even when the write fails, which sw_rejects_file_close reports:
 *  a full disk never cuts a read short, so the counts stay whole. */
SW_API bool sw_rejects_file_write(void *file, const sw_reject *r);

/** Close and free the file (NULL is fine): SW_E_IO, naming the file, when
 *  any write failed. */
SW_API sw_status sw_rejects_file_close(sw_rejects_file *f, sw_error *err);

/* ------------------------------------------------------------------------
 * MARK: Dates
 * ---------------------------------------------------------------------- */

/** Parse a `YYYY-MM-DD` calendar date (proleptic Gregorian, years
 *  1000..9999) of exactly len bytes into days since 1970-01-01.
 *  Returns SW_E_PARSE for anything else ("2021-02-30", "99999-01-01"). */
SW_API sw_status sw_date_parse(const char *s, size_t len, int32_t *days);

/** Parse s (len bytes) with an strptime-style format into days since
 *  1970-01-01. Conversions: %Y (4-digit year), %y (2 digits: 69-99 are
 *  19xx, 00-68 20xx, as POSIX says), %m, %d, %e (1 or 2 digits), %b %h %B
 *  (English month name or abbreviation, any case), %j (day of the year),
 *  %H %I %M %S (1 or 2 digits; the time is checked and dropped), %p
 *  (AM/PM), %z (Z or +hh[:mm], dropped), %F (%Y-%m-%d), %T (%H:%M:%S), %D
 *  (%m/%d/%y), %%; a space matches any run of spaces, anything else itself.
 *  Spaces around the value are ignored; the rest must match exactly.
 *  SW_E_USAGE when the format is not one (an unknown conversion, or no
 *  year, month and day), SW_E_PARSE when s does not match or is no real
 *  date. */
SW_API sw_status sw_date_parse_format(const char *format, const char *s,
                                      size_t len, int32_t *days);

/** Write days as `YYYY-MM-DD` into buf (snprintf rules; 11 bytes suffice).*/
SW_API size_t sw_date_format(int32_t days, char *buf, size_t n);

/* ------------------------------------------------------------------------
 * MARK: Geometry basics
 * ---------------------------------------------------------------------- */

/** A WGS84 position in degrees. */
typedef struct sw_point {
  double lat_deg; /**< latitude, -90..90 */
  double lon_deg; /**< longitude, -180..180 */
} sw_point;

/** Great-circle distance by the haversine formula on a sphere of radius
 *  6371.0088 km (SPEC's fixed definition). */
SW_API double sw_haversine_km(sw_point a, sw_point b);

/* ------------------------------------------------------------------------
 * MARK: Placement records
 * ---------------------------------------------------------------------- */

/** A set of accepted placement records, stored by column. Opaque. */
typedef struct sw_records sw_records;

/** Options for reading records or attributes. Zero-initialise, then set.
 *  Strings are borrowed for the duration of the call. */
typedef struct sw_read_opts {
  char delimiter;             /**< field separator; 0 means ',' */
  sw_reject_fn on_reject;     /**< may be NULL: rejects are only counted */
  void *reject_user;          /**< passed to on_reject */
  sw_progress_fn on_progress; /**< may be NULL */
  void *progress_user;        /**< passed to on_progress */
  /* Files as agencies release them (docs/input.md). */
  const char *encoding; /**< NULL: UTF-8; else an iconv name of the
                             input's character set: "latin1",
                             "windows-1252", ... */
  size_t skip_rows;     /**< with skip_rows_set: rows above the
                             header */
  bool skip_rows_set;   /**< false: the header is the first of the
                             first 100 rows that names the required
                             columns; rows above it are a preamble */
  /* Records only: */
  const char *const *columns; /**< n_columns `NAME=HEADER`: SPEC's column
                                   NAME is the one headed HEADER (compared
                                   as header names are). SW_E_USAGE for an
                                   unknown NAME, SW_E_SCHEMA for a HEADER
                                   the header lacks */
  size_t n_columns;
  const char *columns_path;    /**< NULL, or a file of such mappings, one
                                    `NAME=HEADER` a line (blank lines and
                                    # comments allowed); with columns, each
                                    NAME mapped once */
  const char *date_format;     /**< strptime-style, see
                                    sw_date_parse_format; NULL: each value
                                    is recognised (ISO date or date-time,
                                    M/D/YYYY, M/D/YY, D/M/YYYY, DD-Mon-YY,
                                    Excel serial) and a column whose
                                    month/day order nothing shows is refused
                                    (SW_E_SCHEMA), never guessed */
  const char *facilities_path; /**< NULL, or a facility list (CSV `code,
                                    lat,lon[,name]`): a row without origin
                                    coordinates is located by its
                                    `facility` code, a release by a
                                    `release_facility` code; an unknown
                                    code rejects the row */
  const char *sheet;           /**< .xlsx: the sheet to read; NULL: every
                                    sheet, in order, as one table */
  const char *gazetteer_path;  /**< NULL, or a gazetteer (`kind,key,lat,
                                    lon`, e.g. data/gazetteer.csv.gz), read
                                    when the header has release_place,
                                    release_county, ties_place or
                                    ties_county (ZIP codes, "City, ST",
                                    county FIPS or "Name, ST"); a place it
                                    does not resolve rejects the row */
} sw_read_opts;

/** The gazetteer to read when the user names none (the CLI's --gazetteer
 *  default, and the Python and R packages'): the copy installed with this
 *  library (PREFIX/share/steerwatch/gazetteer.csv.gz), else the one in the
 *  source tree it was built from (a build never installed); NULL when
 *  neither is readable. A static string. */
SW_API const char *sw_gazetteer_default(void);

/** What happened to the input rows: read == accepted + rejected. */
typedef struct sw_counts {
  uint64_t read;     /**< data rows seen (header excluded) */
  uint64_t accepted; /**< rows kept */
  uint64_t rejected; /**< rows passed to the reject sink */
} sw_counts;

/** One accepted record, as a view. Absent coordinates are NaN, absent
 *  strings are NULL, an absent cost is NaN. Pointers borrow from the
 *  sw_records and live as long as it. */
typedef struct sw_record {
  const char *id;             /**< unique record id */
  int32_t date;               /**< release date, days since 1970-01-01 */
  sw_point origin;            /**< where the person was held */
  sw_point release;           /**< release place, NaN when by region only */
  const char *release_region; /**< release region id, or NULL */
  sw_point ties;              /**< the person's ties, NaN when absent */
  const char *ties_region;    /**< ties region id, or NULL */
  const char *facility;       /**< facility name/code, or NULL */
  sw_point court;             /**< immigration court, NaN when absent */
  double cost;                /**< transport cost, NaN when absent */
  uint64_t line;              /**< input line of the record */
  uint32_t count;             /**< people the row stands for (its `count`,
                                   a frequency weight); 1 without one */
} sw_record;

/** The largest `count` a records row may give (docs/input.md): far above
 *  any published table's cell, low enough that a stray number (a FIPS
 *  code in the wrong column) is caught. */
#define SW_MAX_COUNT 1000000u

/** Read a placement-records CSV (plain or gzip, detected by content) per
 *  SPEC: validates every row, passes bad rows to opts->on_reject and keeps
 *  the rest. Fails (SW_E_SCHEMA) only when the header lacks a required
 *  column, (SW_E_OPEN/SW_E_IO) on I/O faults. Bad rows are not failures. */
SW_API sw_status sw_records_read(const char *path, const sw_read_opts *opts,
                                 sw_records **out, sw_error *err);

/** Validate a placement-records file exactly as sw_records_read does (the
 *  same rejects, in the same order, with the same counts) without keeping
 *  the records: rows stream through, and what stays in memory is what
 *  duplicate detection needs. Up to 64 MB (16 MB gzip) that is every id
 *  (about 60 bytes each); past that a first pass screens the ids through a
 *  fixed 64 MiB Bloom filter and only those that may repeat are kept, so
 *  the file is read twice (docs/limits.md). */
SW_API sw_status sw_records_validate(const char *path, const sw_read_opts *opts,
                                     sw_counts *counts, sw_error *err);

/** Free records; NULL is fine. */
SW_API void sw_records_free(sw_records *r);

/** Row counts of the read that produced r. */
SW_API sw_counts sw_records_counts(const sw_records *r);

/** Rows rejected because a place column (release_place, release_county,
 *  ties_place, ties_county) named a place the gazetteer does not resolve;
 *  -1 when the header has no such column. */
SW_API int64_t sw_records_unmatched_places(const sw_records *r);

/** Number of accepted records. */
SW_API size_t sw_records_count(const sw_records *r);

/** Fill *out with a view of record i (0 <= i < count). */
SW_API void sw_records_get(const sw_records *r, size_t i, sw_record *out);

/** Columns of the input that SPEC does not name, carried through to outputs
 *  that list records: their number, header names, and record i's value. */
SW_API size_t sw_records_n_extra(const sw_records *r);
SW_API const char *sw_records_extra_name(const sw_records *r, size_t col);
SW_API const char *sw_records_extra(const sw_records *r, size_t i, size_t col);

/* ------------------------------------------------------------------------
 * MARK: Regions
 * ---------------------------------------------------------------------- */

/** Region geometry: a set of named regions, each a set of polygon rings
 *  (exteriors and holes) in lon/lat degrees. Opaque. */
typedef struct sw_regions sw_regions;

/** Geometry file formats. */
typedef enum sw_geo_format {
  SW_GEO_AUTO = 0, /**< by extension, then by content */
  SW_GEO_GEOJSON,  /**< FeatureCollection / Feature / geometry */
  SW_GEO_TOPOJSON, /**< Topology, quantized or not */
  SW_GEO_SHAPEFILE /**< .shp with its .dbf beside it */
} sw_geo_format;

/** Options for sw_regions_read. Zero-initialise, then set. */
typedef struct sw_regions_opts {
  sw_geo_format format;    /**< SW_GEO_AUTO by default */
  const char *id_property; /**< property naming the region id; NULL: the
                                feature `id`, else property `id` (shapefile:
                                DBF field `id`, else `GEOID`, else the first
                                field) */
  const char *layer;       /**< TopoJSON object name; NULL: the object with
                                the most polygon geometries */
} sw_regions_opts;

/** Read region polygons. Features that are not Polygon/MultiPolygon, or
 *  whose rings are all degenerate (fewer than 3 distinct finite points, or
 *  no area), are skipped and counted in sw_regions_n_skipped, each with a
 *  note saying which and why (sw_regions_skip_note). Duplicate ids are merged
 * into one region. Fails with SW_E_PARSE naming the offset/feature on bad
 * input. */
SW_API sw_status sw_regions_read(const char *path, const sw_regions_opts *opts,
                                 sw_regions **out, sw_error *err);

/** Free regions; NULL is fine. */
SW_API void sw_regions_free(sw_regions *g);

/** Number of regions. */
SW_API size_t sw_regions_count(const sw_regions *g);

/** Number of features skipped while reading (non-polygonal, degenerate). */
SW_API size_t sw_regions_n_skipped(const sw_regions *g);

/** How many skipped features sw_regions_skip_note describes. */
#define SW_REGIONS_SKIP_NOTES 8

/** Which feature was skipped and why, for the first SW_REGIONS_SKIP_NOTES
 *  skipped: `feature 3 (id "06075"): no ring with 3 distinct, finite
 *  points and an area`; features count from 0 in file order. NULL for i past
 * them. */
SW_API const char *sw_regions_skip_note(const sw_regions *g, size_t i);

/** Region i's id. */
SW_API const char *sw_regions_id(const sw_regions *g, size_t i);

/** Index of the region with this id; false when there is none. */
SW_API bool sw_regions_find(const sw_regions *g, const char *id, size_t *i);

/** Area centroid of region i (holes subtracted), computed on the lon/lat
 *  plane, which is what SPEC means by "area centroid". */
SW_API sw_point sw_regions_centroid(const sw_regions *g, size_t i);

/** Rings of region i: how many there are, and ring k's vertices as
 *  interleaved lon,lat pairs (closed: the last equals the first). */
SW_API size_t sw_regions_n_rings(const sw_regions *g, size_t i);
SW_API const double *sw_regions_ring(const sw_regions *g, size_t i, size_t k,
                                     size_t *n_points, bool *is_hole);

/* ------------------------------------------------------------------------
 * MARK: Point-in-polygon index
 * ---------------------------------------------------------------------- */

/** A spatial index over regions for point location. Opaque; immutable once
 *  built, so one index may be queried from many threads at once. It borrows
 *  the regions, which must outlive it. */
typedef struct sw_index sw_index;

/** Returned by sw_index_locate for a point in no region. */
#define SW_NO_REGION ((size_t)-1)

/** Build the index (see docs/design/point-in-polygon.md). */
SW_API sw_status sw_index_build(const sw_regions *g, sw_index **out,
                                sw_error *err);

/** Free an index; NULL is fine. */
SW_API void sw_index_free(sw_index *ix);

/** The region containing p, or SW_NO_REGION. A point inside a hole is not
 *  in the polygon. A point exactly on a boundary shared by two regions is
 *  given to exactly one of them by the half-open crossing rule (documented
 *  in the design note); if on_boundary is not NULL it is set to whether p
 *  lies exactly on some region's boundary. */
SW_API size_t sw_index_locate(const sw_index *ix, sw_point p,
                              bool *on_boundary);

/* ------------------------------------------------------------------------
 * MARK: Assign (streaming point-in-polygon over a CSV)
 * ---------------------------------------------------------------------- */

/** Options for sw_assign_csv. Zero-initialise, then set. */
typedef struct sw_assign_opts {
  char delimiter;          /**< 0 means ',' */
  const char *lat_column;  /**< NULL: `lat`, else `release_lat` */
  const char *lon_column;  /**< NULL: `lon`, else `release_lon` */
  sw_reject_fn on_invalid; /**< rows whose point is not valid; they are
                                still written, with an empty region */
  void *invalid_user;
  sw_progress_fn on_progress;
  void *progress_user;
} sw_assign_opts;

/** What sw_assign_csv saw. read == assigned + unassigned + invalid. */
typedef struct sw_assign_stats {
  uint64_t read;        /**< data rows written (all of them) */
  uint64_t assigned;    /**< rows given a region */
  uint64_t unassigned;  /**< valid points in no region */
  uint64_t invalid;     /**< rows with a missing/bad coordinate, or malformed */
  uint64_t on_boundary; /**< assigned points lying exactly on a boundary */
} sw_assign_stats;

/** Copy in_path to out_path ("-" for none is not accepted; the CLI maps
 *  stdout itself), each row verbatim plus a final `region` column, every
 *  row in order. SW_E_OPEN when in_path cannot be opened, SW_E_CREATE when
 *  out_path cannot be created (err->file names either). */
SW_API sw_status sw_assign_csv(const sw_index *ix, const char *in_path,
                               const char *out_path, const sw_assign_opts *opts,
                               sw_assign_stats *stats, sw_error *err);

/* ------------------------------------------------------------------------
 * MARK: Region attributes
 * ---------------------------------------------------------------------- */

/** Time-bounded facts about regions (`region,attribute,value[,valid_from,
 *  valid_to]`). Opaque. */
typedef struct sw_attrs sw_attrs;

/** Read an attributes CSV. Bad rows go to opts->on_reject, as for records.*/
SW_API sw_status sw_attrs_read(const char *path, const sw_read_opts *opts,
                               sw_attrs **out, sw_error *err);

/** Free attributes; NULL is fine. */
SW_API void sw_attrs_free(sw_attrs *a);

/** Row counts of the read that produced a. */
SW_API sw_counts sw_attrs_counts(const sw_attrs *a);

/** The value of attribute attr of region on day date (valid_from <= date <
 *  valid_to, open ends unbounded), or NULL when none holds. When several
 *  rows hold, the one that appears last in the file wins. */
SW_API const char *sw_attrs_get(const sw_attrs *a, const char *region,
                                const char *attr, int32_t date);

/** As sw_attrs_get, parsed as a finite number; false when absent or not a
 *  number. */
SW_API bool sw_attrs_get_number(const sw_attrs *a, const char *region,
                                const char *attr, int32_t date, double *out);

/** Region ids that have any attribute, in first-seen order. */
SW_API size_t sw_attrs_n_regions(const sw_attrs *a);
SW_API const char *sw_attrs_region(const sw_attrs *a, size_t i);

/** The one rule for a target `ATTR=VALUE` (the regions whose attribute ATTR
 *  has VALUE): split spec at its first '=', setting *attr_len to the bytes
 *  of ATTR; VALUE starts at spec + *attr_len + 1. SW_E_USAGE, quoting spec,
 *  unless both ATTR and VALUE are non-empty (spec NULL included). */
SW_API sw_status sw_target_split(const char *spec, size_t *attr_len,
                                 sw_error *err);

/* ------------------------------------------------------------------------
 * MARK: Time analysis
 * Inputs are per record: date (days since 1970-01-01), in_target (nonzero
 * when released into the target) and p_target (the null model's
 * probability of the target, 0..1). Methods: docs/design/timing.md.
 * ---------------------------------------------------------------------- */

/** Free an array returned by an sw_time_ function; NULL is fine. */
SW_API void sw_time_free(void *p);

/** One week, Monday to Sunday, of the weekly series. */
typedef struct sw_week {
  int32_t start;     /**< its Monday */
  uint64_t n;        /**< records (people) dated in the week */
  uint64_t observed; /**< of them, released into the target */
  double expected;   /**< sum of their p_target */
  double variance;   /**< sum of p(1-p), the binomial variance of observed */
  double excess;     /**< observed - expected */
} sw_week;

/** Bin n records into consecutive weeks from the Monday on or before the
 *  earliest date to the week of the latest, empty weeks included. OUT
 *  *weeks (free with sw_time_free; NULL when n is 0) and *n_weeks.
 *  SW_E_RANGE for a date outside years 1000..9999 or p_target outside
 *  [0, 1] (NaN included), SW_E_USAGE for NULL arguments. */
SW_API sw_status sw_time_weekly(const int32_t *dates, const uint8_t *in_target,
                                const double *p_target, size_t n,
                                sw_week **weeks, size_t *n_weeks,
                                sw_error *err);

/** sw_time_weekly over records that stand for people[i] people each (a
 *  count table's frequency weights, whole numbers >= 1; NULL: one each):
 *  the same weeks as the records repeated that many times. */
SW_API sw_status sw_time_weekly_people(const int32_t *dates,
                                       const uint8_t *in_target,
                                       const double *p_target,
                                       const double *people, size_t n,
                                       sw_week **weeks, size_t *n_weeks,
                                       sw_error *err);

/** Calendar units for per-period estimates (`--period month|quarter`). */
typedef enum sw_period_unit {
  SW_PERIOD_MONTH = 1,  /**< calendar months */
  SW_PERIOD_QUARTER = 3 /**< Jan-Mar, Apr-Jun, Jul-Sep, Oct-Dec */
} sw_period_unit;

/** A half-open span of days [from, to). */
typedef struct sw_period {
  int32_t from; /**< first day */
  int32_t to;   /**< day after the last */
} sw_period;

/** The calendar periods that cover first..last (inclusive), from the start
 *  of the period holding first to the end of the one holding last. OUT
 *  *periods (free with sw_time_free), *n_periods. SW_E_RANGE when
 *  first > last or a date is outside years 1000..9999. */
SW_API sw_status sw_time_periods(int32_t first, int32_t last,
                                 sw_period_unit unit, sw_period **periods,
                                 size_t *n_periods, sw_error *err);

/** The smallest change in the weekly rate, relative to the rate before,
 *  that a change point reports as a finding unless told otherwise: at a
 *  million records a 1% drift is detectable, and no investigator should
 *  be shown one as steering. */
#define SW_MIN_CHANGE_DEFAULT 0.05

/** Options for sw_time_changes. Zero-initialise, then set. */
typedef struct sw_changes_opts {
  size_t min_segment_weeks; /**< shortest segment; 0 means 4 */
  double penalty;           /**< per change, on the deviance scale; 0 means
                                 MBIC (3 ln n_weeks per change, times 1.15
                                 for the estimated dispersion, plus
                                 ln(n_i/n) per segment of n_i weeks) */
  double dispersion;        /**< variance / Poisson variance of weekly
                                 counts; 0 means estimate it */
  double min_change;        /**< smallest change in the rate worth calling a
                                 finding, relative to the rate before (0.05
                                 = 5%); 0 means SW_MIN_CHANGE_DEFAULT.
                                 Changes shown to be smaller are
                                 still returned, with notable false */
} sw_changes_opts;

/** A change in the weekly rate observed / expected. */
typedef struct sw_change_point {
  size_t week;        /**< index of the first week of the new segment */
  int32_t date;       /**< that week's Monday */
  int32_t ci95_from;  /**< 95% interval for the day the rate changed:
                           first day, 3 days before the Monday of the
                           earliest plausible first week of the new
                           segment (weekly bins place a change only to
                           half a week) */
  int32_t ci95_to;    /**< last day, 3 days after the Monday of the
                           latest */
  double rate_before; /**< observed / expected, segment before */
  double rate_after;  /**< observed / expected, segment after */
  bool notable;       /**< the change may be a finding: the 90% interval
                           of rate_after / rate_before reaches 1 +
                           min_change (or 1 - min_change). False: the data
                           show the change is smaller than that */
} sw_change_point;

/** Change points of a weekly series: the segmentation minimising the
 *  Poisson deviance of observed ~ rate * expected (rate constant within a
 *  segment), divided by the dispersion, plus the penalty, found exactly by
 *  PELT. OUT *changes (free with sw_time_free; NULL when none) in date
 *  order, *n_changes, and *dispersion (may be NULL) as used. SW_E_RANGE
 *  when a week has releases into the target but expected 0. */
SW_API sw_status sw_time_changes(const sw_week *weeks, size_t n_weeks,
                                 const sw_changes_opts *opts,
                                 sw_change_point **changes, size_t *n_changes,
                                 double *dispersion, sw_error *err);

/** Shares in the target around an event. Shares are NaN for a side with no
 *  records. */
typedef struct sw_event_window {
  int32_t date;                 /**< the event's day */
  unsigned window_weeks;        /**< W, as used */
  uint64_t n_before;            /**< records in [date - 7W, date) */
  uint64_t observed_before;     /**< of them, in the target */
  uint64_t n_after;             /**< records in [date, date + 7W) */
  uint64_t observed_after;      /**< of them, in the target */
  double before_share;          /**< observed_before / n_before */
  double after_share;           /**< observed_after / n_after */
  double expected_before_share; /**< mean p_target before; NaN without it */
  double expected_after_share;  /**< mean p_target after; NaN without it */
  double p_value; /**< Fisher's exact test, two-sided, of equal shares */
} sw_event_window;

/** Compare the share of records in the target in the window_weeks (0
 *  means 8) weeks before event_date with the same span from it on.
 *  p_target may be NULL. Fills *out. */
SW_API sw_status sw_time_event(const int32_t *dates, const uint8_t *in_target,
                               const double *p_target, size_t n,
                               int32_t event_date, unsigned window_weeks,
                               sw_event_window *out, sw_error *err);

/** sw_time_event with people[i] people per record (NULL: one each), as
 *  sw_time_weekly_people. */
SW_API sw_status sw_time_event_people(const int32_t *dates,
                                      const uint8_t *in_target,
                                      const double *p_target,
                                      const double *people, size_t n,
                                      int32_t event_date, unsigned window_weeks,
                                      sw_event_window *out, sw_error *err);

/* ------------------------------------------------------------------------
 * MARK: Choice model
 * ---------------------------------------------------------------------- */

/** Fills the design of one record: the features of its alternatives, their
 *  ids and which one was chosen. Called from worker threads, concurrently
 *  for distinct records, and again on every pass of the estimator, so it
 *  must only read shared state and must give the same answer every time.
 *  @param user    the design's user pointer
 *  @param record  0 <= record < n_records
 *  @param x       OUT: feature-major, feature k of alternative j at
 *                 x[k * max_alts + j] (contiguous per feature, so that the
 *                 estimator's loops over alternatives vectorise); holds
 *                 n_features * max_alts doubles
 *  @param alt     OUT: id of alternative j (e.g. a region index), max_alts
 *  @param n_alt   OUT: number of alternatives, 1..max_alts
 *  @param chosen  OUT: index (< n_alt) of the chosen alternative
 *  @return SW_OK, or a status that stops the estimator. */
typedef sw_status (*sw_design_fill_fn)(void *user, size_t record, double *x,
                                       uint32_t *alt, size_t *n_alt,
                                       size_t *chosen);

/** A conditional-logit design, given record by record, so that no records
 *  x alternatives matrix is ever stored. All pointers are borrowed. */
typedef struct sw_design {
  size_t n_records;         /**< records (choice situations) */
  size_t n_features;        /**< p, coefficients */
  size_t max_alts;          /**< most alternatives any record has */
  const char *const *names; /**< p coefficient names */
  sw_design_fill_fn fill;   /**< see sw_design_fill_fn */
  void *user;               /**< passed to fill */
  const uint32_t *cluster;  /**< per record cluster id < n_clusters (the
                                 facility); NULL: no clustered SE */
  size_t n_clusters;        /**< bound on cluster ids */
  const double *weight;     /**< NULL, or per record frequency weight > 0:
                                 a record of weight c counts as c identical
                                 records in the likelihood, its derivatives,
                                 the cluster sums and the constants */
} sw_design;

/** Options for sw_model_fit. Zero-initialise, then set. */
typedef struct sw_model_opts {
  unsigned threads;    /**< worker threads; 0 means 1. Results are bitwise
                            the same for any number */
  unsigned max_iter;   /**< Newton iterations; 0 means 100 */
  double tol;          /**< convergence: Euclidean norm of the log-likelihood
                            gradient divided by n_records (by the sum of
                            the weights with sw_design.weight); 0 means
                            1e-8 */
  const bool *omit;    /**< NULL, or p flags: coefficient k is held at 0
                            (the restricted model of a likelihood-ratio
                            test) */
  const double *start; /**< NULL (zeros), or p starting values */
  bool want_mass;      /**< fill sw_model_result.mass */
  size_t mass_feature; /**< feature whose nonzero set mass measures */
  size_t n_constants;  /**< 0: none; J: a constant per alternative id
                            0..J-1 is added to the utilities and estimated
                            with the coefficients (region fixed effects),
                            profiled out so that J may be in the
                            thousands (docs/design/within-region.md);
                            every id the design gives must be below J */
  const double *start_constants; /**< NULL, or J starting constants (a
                                      related fit's, -inf allowed) */
} sw_model_opts;

/** A fit with constants keeps each record's probabilities for its
 *  conjugate-gradient passes when records x max_alts is at most this and
 *  n_ids at most 65,536 (6 bytes a cell: 768 MB at most); past it every
 *  such pass recomputes them, several times slower. */
#define SW_MODEL_KEPT_CELLS 134217728u

/** A fitted conditional logit. Arrays have n_coef entries; an omitted
 *  coefficient has estimate 0 and NaN standard errors and interval. */
typedef struct sw_model_result {
  size_t n_coef;            /**< p */
  const char *const *names; /**< coefficient names (copies, owned) */
  bool *omitted;            /**< held at 0 by sw_model_opts.omit */
  double *estimate;         /**< maximum-likelihood estimates */
  double *se;               /**< model-based: sqrt diag of the inverse
                                 observed information */
  double *se_cluster;       /**< cluster-robust sandwich with factor
                                 G/(G-1); NaN without clusters or G < 2 */
  double *ci_low;           /**< 95% normal interval, from se_cluster when
                                 available, else from se */
  double *ci_high;          /**< upper end of that interval */
  double *cov;              /**< p x p model-based covariance, row-major;
                                 zero rows and columns for omitted ones */
  double log_likelihood;    /**< at the estimates */
  double gradient_norm;     /**< |gradient| / n_people at the estimates */
  unsigned iterations;      /**< Newton steps on all records (after the
                                 warm start on a subsample, if any) */
  size_t n_records;         /**< records in the fit */
  double n_people;          /**< sum of their weights (n_records without) */
  size_t n_free;            /**< coefficients estimated (not omitted) */
  size_t n_clusters;        /**< clusters with at least one record */
  size_t n_constants;       /**< J of sw_model_opts, or 0 */
  double *mass;             /**< with want_mass, n_records: what
                                 sw_model_predict would put in mass for the
                                 estimates and mass_feature, at no extra pass;
                                 else NULL */
  double *constants;        /**< J constants, the first chosen id's pinned
                                 at 0; -inf for an id never chosen (its
                                 maximum-likelihood value); NULL without.
                                 The covariance and standard errors above are
                                 those with the constants profiled out. */
} sw_model_result;

/** Fit V_ij = sum_k beta_k x_ijk by maximum likelihood (Newton-Raphson with
 *  a trust region and line search; docs/design/choice-model.md).
 *  Fails with SW_E_MODEL naming the cause: a feature with no variation
 *  within any choice set, features that are collinear (singular Hessian),
 *  a coefficient that diverges (perfect separation), or no convergence;
 *  SW_E_USAGE on a malformed design; or the fill callback's status.
 *  The caller frees *out with sw_model_result_free. */
SW_API sw_status sw_model_fit(const sw_design *d, const sw_model_opts *opts,
                              sw_model_result **out, sw_error *err);

/** Free a result; NULL is fine. */
SW_API void sw_model_result_free(sw_model_result *r);

/** Likelihood-ratio test of a restricted fit (some coefficients omitted)
 *  nested in a full fit of the same design: statistic 2 (ll_full -
 *  ll_restricted), floored at 0, and its chi-square p-value with df = the
 *  difference in free coefficients. SW_E_USAGE when df < 1. */
SW_API sw_status sw_model_lr_test(const sw_model_result *full,
                                  const sw_model_result *restricted,
                                  double *statistic, double *p_value,
                                  sw_error *err);

/** Predictions of a fitted model, record by record, for the expected
 *  share: with coefficients beta (p values), the probability that record
 *  i's choice falls among its alternatives whose feature `feature` is
 *  nonzero (the target, for the target indicator) goes to mass[i], and
 *  sum_i P_ij is added up by alternative id into expected[id] (n_ids
 *  entries, zeroed first; ids >= n_ids are an SW_E_USAGE error). Either
 *  output may be NULL. Bitwise the same for any number of threads. */
SW_API sw_status sw_model_predict(const sw_design *d, const double *beta,
                                  size_t feature, unsigned threads,
                                  double *mass, double *expected, size_t n_ids,
                                  sw_error *err);

/** The build of the choice model's inner loops this process runs:
 *  "avx2" or "baseline" (the portable one; also what the environment
 *  variable STEERWATCH_KERNEL=baseline forces). Every build gives
 *  bitwise the same results; this names the one behind a timing. */
SW_API const char *sw_model_kernel_name(void);

/* ------------------------------------------------------------------------
 * MARK: Audit
 * The whole audit of SPEC's `steerwatch audit`: reads the inputs, locates
 * every record, fits the choice model per target, dates changes, measures
 * displacement and writes results.json, regions.csv and flagged.csv.
 * Methods: docs/design/audit.md.
 * ---------------------------------------------------------------------- */

/** One `--event DATE[:LABEL]`. */
typedef struct sw_audit_event {
  int32_t date;      /**< days since 1970-01-01 */
  const char *label; /**< may be NULL or "" */
} sw_audit_event;

/** Distance terms of the headline's within-region fits (`audit
 *  --distance`); the level model (results.json `choice_model`) always has
 *  SPEC's log1p_km terms. */
typedef enum sw_distance {
  SW_DISTANCE_DEFAULT = 0, /**< SW_DISTANCE_SPLINE */
  SW_DISTANCE_SPLINE,      /**< piecewise-linear in km, knots at 50, 200
                                and 800 km, from the facility and from ties:
                                no one decay shape assumed */
  SW_DISTANCE_LOG1P        /**< SPEC's log1p_km_origin, log1p_km_ties */
} sw_distance;

/** Options for sw_audit_run. Zero-initialise, then set. Strings and arrays
 *  are borrowed for the duration of the call (and copied into the
 *  provenance of the result). */
typedef struct sw_audit_opts {
  const char *records_path; /**< required; "-" is standard input, hashed
                                 as it is read */
  const char *regions_path; /**< NULL: regions are those of the attributes
                                 with lat/lon, named by the records */
  const char *region_id;    /**< --region-id PROP, or NULL */
  const char *layer;        /**< TopoJSON object, or NULL */
  const char *attrs_path;   /**< required */
  char delimiter;           /**< of the records and attributes; 0: ',' */
  const sw_read_opts *records_opts; /**< NULL, or how to read the records:
                                         encoding, columns, date_format,
                                         facilities_path (digested into the
                                         provenance), sheet, skip_rows, and
                                         a delimiter of the records alone
                                         (0: the one above); its callbacks
                                         are not used (the fields here
                                         are) */
  const char *const *targets;       /**< ATTR=VALUE strings, at least one */
  size_t n_targets;
  const char *const *covariates; /**< numeric attribute names */
  size_t n_covariates;
  const sw_audit_event *events;
  size_t n_events;
  size_t alternatives;    /**< K sampled; 0: all regions when there are
                               at most 1,000, else 100 sampled */
  bool alternatives_set;  /**< alternatives was given (0 meaning "all"
                               even above 1,000 regions) */
  double ties_km;         /**< displacement threshold; 0 means 100 */
  double cost_per_km;     /**< NaN or 0: use the cost column only */
  uint64_t seed;          /**< keys the sampled alternatives */
  sw_period_unit period;  /**< 0 means SW_PERIOD_MONTH */
  unsigned window_weeks;  /**< event windows; 0 means 8 */
  double min_change;      /**< smallest change in the weekly rate called a
                               finding (--min-change PCT / 100); 0 means
                               SW_MIN_CHANGE_DEFAULT */
  bool simulated;         /**< the records are synthetic; also assumed
                               when RECORDS.truth.json (written by
                               sw_simulate) lies beside the records */
  unsigned threads;       /**< 0: online CPUs. Results do not depend on
                               it */
  sw_reject_fn on_reject; /**< rejected rows of records and attributes */
  void *reject_user;
  sw_progress_fn on_progress; /**< reading progress; may be NULL */
  void *progress_user;
  sw_distance distance;  /**< the headline's distance terms; 0 means
                              SW_DISTANCE_SPLINE */
  bool baseline;         /**< the headline compares the placements after
                              baseline_to with those of the baseline
                              baseline_from..baseline_to (both included),
                              leaving earlier records out of its fit
                              (`within_region_baseline`); --event then
                              keeps its windows but not the headline */
  int32_t baseline_from; /**< days since 1970-01-01; <= baseline_to, else
                              SW_E_USAGE */
  int32_t baseline_to;   /**< days since 1970-01-01 */
} sw_audit_opts;

/** A finished audit. Opaque. */
typedef struct sw_audit sw_audit;

/** Run the whole audit. A finding of steering is a result, not an error;
 *  failures are unreadable inputs (SW_E_OPEN, SW_E_PARSE, SW_E_SCHEMA),
 *  bad options (SW_E_USAGE: a target not ATTR=VALUE, an unknown region id
 *  property) and data that leave nothing to audit (SW_E_SCHEMA: no record
 *  located). A target whose model cannot be estimated is reported in the
 *  results with its reason rather than failing the audit. */
SW_API sw_status sw_audit_run(const sw_audit_opts *opts, sw_audit **out,
                              sw_error *err);

/** Free an audit; NULL is fine. */
SW_API void sw_audit_free(sw_audit *a);

/** Write results.json, regions.csv, flagged.csv, the tidy tables
 *  (coefficients.csv, periods.csv, weekly.csv, facilities.csv;
 *  docs/outputs.md) and report.html (the page a person reads,
 *  docs/design/report.md) into the existing directory dir.
 * SW_E_CREATE when a file cannot be created, SW_E_IO when a write fails.
 * results.json is byte-identical for the same inputs, options and seed,
 * whatever the thread count. */
SW_API sw_status sw_audit_write(const sw_audit *a, const char *dir,
                                sw_error *err);

/** Options of sw_audit_write_published. Zero-initialise, then set;
 *  borrowed for the call. */
typedef struct sw_publish_opts {
  const void *key;   /**< the HMAC-SHA256 key of the pseudonyms, at least
                          16 bytes; required: without a key a pseudonym is
                          a hash anyone can recompute from a guessed id */
  size_t key_len;    /**< bytes of key */
  uint64_t min_cell; /**< counts from 1 to min_cell - 1 are withheld;
                          0 means 10 */
  const char *const *keep_columns; /**< carried-through records columns to
                                        keep (header names, any case);
                                        the others are dropped */
  size_t n_keep_columns;
} sw_publish_opts;

/** Write the audit's files as sw_audit_write does, protected for
 *  publication (docs/publish.md): record ids replaced by keyed pseudonyms
 *  (HMAC-SHA256 of the id), counts under min_cell withheld in every table
 *  and chart with complementary suppression so that totals do not give
 *  them back, carried-through columns dropped unless named, and
 *  results.json's `protections` saying so. The headline figures are those
 *  of sw_audit_write. SW_E_USAGE for a missing or short key or a
 *  keep_columns name the records lack; then as sw_audit_write. */
SW_API sw_status sw_audit_write_published(const sw_audit *a, const char *dir,
                                          const sw_publish_opts *p,
                                          sw_error *err);

/** The audit's findings in plain words for a reader (what was found, how
 *  sure, what the test cannot tell), as a NUL-terminated string owned by
 *  the audit. */
SW_API const char *sw_audit_summary(const sw_audit *a);

/** Record counts of the audit: read/accepted/rejected of the records file
 *  and how many accepted records were in no region. */
SW_API sw_counts sw_audit_counts(const sw_audit *a, uint64_t *unassigned);

/** Number of records flagged as placed away from their ties. */
SW_API uint64_t sw_audit_n_flagged(const sw_audit *a);

/** Per target, in the order given: the likelihood-ratio p-value of gamma =
 *  0 (NaN when the model could not be fitted) and its Holm adjustment. */
SW_API size_t sw_audit_n_targets(const sw_audit *a);
SW_API double sw_audit_p_value(const sw_audit *a, size_t target,
                               double *p_adjusted);

/** The headline of one target: steering measured within regions, as a
 *  change in the target's attraction (docs/design/within-region.md). */
typedef struct sw_headline {
  const char *design;     /**< "within_region_event", "within_region_membership"
                               or "within_region_onset"; NULL when it could not
                               be estimated */
  int32_t event;          /**< the event it used, or INT32_MIN */
  int32_t onset;          /**< the onset it estimated, or INT32_MIN */
  double estimate;        /**< delta, the change in the target's log-odds */
  double ci_low, ci_high; /**< 95% interval */
  double p_value;         /**< of no change */
} sw_headline;

/** Fill *out with target's headline; false when target is out of range. */
SW_API bool sw_audit_headline(const sw_audit *a, size_t target,
                              sw_headline *out);

/* ------------------------------------------------------------------------
 * MARK: Simulate
 * Synthetic placement records drawn from SPEC's choice model on real
 * geography, with a known steering effect from a known date: the data of
 * the demo, the tests and power analyses (SPEC `steerwatch simulate`).
 * Method and defaults: docs/design/simulate.md.
 * ---------------------------------------------------------------------- */

/** A place people are held, as sw_simulate draws records from it. */
typedef struct sw_facility {
  const char *code; /**< written to `facility`; non-empty, unique */
  sw_point point;   /**< written as origin_lat, origin_lon */
  double weight;    /**< relative number of records drawn from it, >= 0 */
} sw_facility;

/** sw_simulate_opts.start meaning "the midpoint of [from, to]". */
#define SW_SIMULATE_MIDPOINT INT32_MIN

/** The most records one call draws. */
#define SW_SIMULATE_MAX_RECORDS 4000000000u

/** Options for sw_simulate. Fill with sw_simulate_opts_init (which sets
 *  the defaults named here), then set. Everything is borrowed for the
 *  duration of the call. */
typedef struct sw_simulate_opts {
  const sw_regions *regions;     /**< required: the alternatives */
  const sw_attrs *attrs;         /**< required: the target attribute over
                                      time; `population` (ties weights) and
                                      `lat`/`lon` (representative points)
                                      where known */
  const char *facilities_path;   /**< CSV `facility,lat,lon[,weight]`
                                      (weight default 1); or NULL and: */
  const sw_facility *facilities; /**< the facilities as a list */
  size_t n_facilities;
  uint64_t n_records;         /**< 1..SW_SIMULATE_MAX_RECORDS */
  const char *target_attr;    /**< e.g. "sanctuary"; required */
  const char *target_value;   /**< e.g. "yes"; required */
  double steer;               /**< true gamma from start on (0 before);
                                   default 0 */
  int32_t start;              /**< first day of steering; default
                                   SW_SIMULATE_MIDPOINT */
  int32_t from, to;           /**< dates are uniform on [from, to];
                                   default 2019-01-01..2020-12-31 */
  double b_origin;            /**< true log1p_km_origin; default -1.0 */
  double b_ties;              /**< true log1p_km_ties; default -1.5 */
  double share_ties;          /**< share of records with ties, 0..1;
                                   default 0.8 */
  double cost_per_km;         /**< cost = this x km(origin, release),
                                   rounded to cents; default 0.5 */
  uint64_t seed;              /**< default 1 */
  unsigned threads;           /**< worker threads, 1..256; default 1.
                                   The output does not depend on it */
  const char *regions_path;   /**< for the truth file's provenance
                                   (hashed there); may be NULL */
  const char *attrs_path;     /**< likewise */
  sw_progress_fn on_progress; /**< may be NULL */
  void *progress_user;
} sw_simulate_opts;

/** What sw_simulate drew. "Expected" figures sum, over records, the
 *  probability of the target under the true model without steering. */
typedef struct sw_simulate_stats {
  uint64_t n_records;     /**< rows written */
  uint64_t with_ties;     /**< of them, with a ties region */
  uint64_t before_start;  /**< dated before the start of steering */
  uint64_t target_before; /**< of them, released into the target */
  double expected_before; /**< their expected count in the target */
  uint64_t after_start;   /**< dated on or after the start */
  uint64_t target_after;  /**< of them, released into the target */
  double expected_after;  /**< their expected count in the target */
  double cost_total;      /**< sum of the cost column */
  int32_t start;          /**< the start of steering, as used */
} sw_simulate_stats;

/** Set every option to its default (regions, attrs, facilities, target and
 *  n_records stay unset). */
SW_API void sw_simulate_opts_init(sw_simulate_opts *opts);

/** Draw opts->n_records records from SPEC's choice model and write them to
 *  out_path as a records CSV (`id,date,facility,origin_lat,origin_lon,
 *  release_lat,release_lon,release_region,ties_lat,ties_lon,ties_region,
 *  cost`; ids SIM0000001, ...), and the truth (every parameter, the true
 *  coefficients, the start, the counts, the seed, the version) as JSON to
 *  the path sw_simulate_truth_path gives. The same options and seed give
 *  byte-identical files for any thread count. stats may be NULL.
 *  SW_E_USAGE for bad options (the message names the option) and for a
 *  target that no region is in on any date; SW_E_OPEN / SW_E_PARSE /
 *  SW_E_SCHEMA / SW_E_RANGE for an unreadable facilities file (err names
 *  file, line and column); SW_E_RANGE for a region without a representative
 *  point or populations that are all 0; SW_E_CREATE when an output cannot be
 *  created (err->file names it), SW_E_IO when a write fails. On failure no
 *  output file is left (a device such as /dev/stdout is never removed). */
SW_API sw_status sw_simulate(const sw_simulate_opts *opts, const char *out_path,
                             sw_simulate_stats *stats, sw_error *err);

/** The truth file beside records_path: `X.csv` gives `X.truth.json`, any
 *  other name gets `.truth.json` appended. Follows snprintf. */
SW_API size_t sw_simulate_truth_path(const char *records_path, char *buf,
                                     size_t n);

/* ------------------------------------------------------------------------
 * MARK: Transfers from detention stays (docs/transfers.md)
 */

/** Detention stays: one row per person per facility, with the dates the
 *  person was booked in and out (opaque; sw_stays_read, sw_stays_free). */
typedef struct sw_stays sw_stays;

/** Read a stays table: columns `id` (the person), `facility` (its code),
 *  `book_in`, `book_out` (empty: still held), found and mapped as records
 *  are (opts: delimiter, --column mappings, preamble, encoding, sheet,
 *  dates; opts->columns_path is refused, SW_E_USAGE). With
 *  opts->facilities_path a code not in the list rejects the row. Bad rows
 *  (empty or redacted id, facility or book_in, a redacted book_out, a bad
 *  date, book_out before book_in) go to opts->on_reject; read = accepted +
 *  rejected. SW_E_SCHEMA when the header lacks a column or no value shows
 *  the dates' month/day order. The caller frees *out with sw_stays_free. */
SW_API sw_status sw_stays_read(const char *path, const sw_read_opts *opts,
                               sw_stays **out, sw_error *err);
SW_API sw_counts sw_stays_counts(const sw_stays *s);
SW_API void sw_stays_free(sw_stays *s);

/** Transfers made from stays (opaque; sw_transfers_from_stays). */
typedef struct sw_transfers sw_transfers;

/** One transfer, as a view borrowing from its sw_transfers. */
typedef struct sw_transfer {
  const char *id;     /**< `PERSON:N`, the person's N-th transfer */
  const char *person; /**< the stays' id */
  const char *from;   /**< facility code left */
  const char *to;     /**< facility code entered */
  int32_t date;       /**< book-out from `from`, days since 1970-01-01 */
  int32_t arrival;    /**< book-in at `to` */
  uint64_t from_line; /**< input line of the stay left (its last re-book) */
  uint64_t to_line;   /**< input line of the stay entered */
} sw_transfer;

/** What the stays became, beyond the transfers themselves. */
typedef struct sw_transfer_stats {
  uint64_t people;    /**< distinct ids */
  uint64_t transfers; /**< stay pairs that became transfers */
  uint64_t rebooks;   /**< a stay continuing the last at the same facility
                           within the gap: merged, no transfer */
  uint64_t gaps;      /**< next stay begins more than max_gap_days after
                           the last ended: a release and a new detention */
  uint64_t overlaps;  /**< next stay begins before the last ended (or the
                           last never ended): inconsistent, no transfer */
} sw_transfer_stats;

/** Turn stays into transfers: each person's stays in order of book-in
 *  (ties: book-out, then input line); a stay beginning 0..max_gap_days
 *  after the previous one ended, at another facility, is a transfer dated
 *  at that book-out. max_gap_days >= 0. *out borrows from s, which must
 *  outlive it; the caller frees *out. */
SW_API sw_status sw_transfers_from_stays(const sw_stays *s,
                                         int32_t max_gap_days,
                                         sw_transfers **out, sw_error *err);
SW_API size_t sw_transfers_count(const sw_transfers *t);
SW_API void sw_transfers_get(const sw_transfers *t, size_t i, sw_transfer *out);
SW_API sw_transfer_stats sw_transfers_stats(const sw_transfers *t);
SW_API void sw_transfers_free(sw_transfers *t);

/** Write the transfers as placement records audit reads (docs/transfers.md):
 *  `id,date,facility,release_region,person,arrival,gap_days`, the
 *  destination code as release_region. "-" is not special: give a path.
 *  SW_E_CREATE when it cannot be created, SW_E_IO when a write fails. */
SW_API sw_status sw_transfers_write(const sw_transfers *t, const char *path,
                                    sw_error *err);

#ifdef __cplusplus
}
#endif
#endif /* STEERWATCH_H */
