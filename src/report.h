/*
 * report.h — the audit's report page, report.html: what the renderer needs,
 * as plain data, and the one call that writes the page.
 *
 * Place in the pipeline: last. The audit (src/audit*.c) fills an
 * sw_report_input from its results and calls sw__report_write; the renderer
 * knows nothing of records, models or files beyond this struct, so either
 * side can change without the other. Every pointer in the input is borrowed
 * for the duration of the call; nothing is kept.
 *
 * Conventions of the struct: dates are days since 1970-01-01; a number that
 * is not available is NaN (the page says "n/a"); a string that is not
 * available is NULL. Strings are UTF-8 text from the data and are escaped
 * by the renderer, never trusted.
 *
 * The page's layout, projection, colour scale, small-numbers rule and
 * escaping are described in docs/design/report.md.
 */
#ifndef SW_REPORT_H
#define SW_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "steerwatch.h"
#include "suppress.h"

/* Counts of people below this are printed as "fewer than 10", and shares,
 * rates and map colours computed from them are not shown. */
#define SW_REPORT_MIN_PEOPLE 10

/* Flagged records listed on the page; the rest are in flagged.csv. */
#define SW_REPORT_MAX_FLAGGED 20

typedef struct sw_report_file {
  const char *path;   /* as given on the command line */
  const char *sha256; /* 64 lowercase hex digits, or NULL */
  uint64_t bytes;     /* file size */
} sw_report_file;

typedef struct sw_report_param {
  const char *key;   /* e.g. "ties_km" */
  const char *value; /* as text, e.g. "100" */
} sw_report_param;

/* One record placed away from its ties (SPEC's displacement rule). */
typedef struct sw_report_flagged {
  const char *id;             /* record id */
  const char *facility;       /* or NULL */
  const char *release_region; /* or NULL when unassigned */
  const char *ties_region;    /* or NULL */
  double km;                  /* km(release, ties) */
  const char *reason;         /* e.g. "released 812 km from ties" */
} sw_report_flagged;

/* One choice-model coefficient. */
typedef struct sw_report_coef {
  const char *name;  /* "log1p_km_origin", "log1p_km_ties", "target", ... */
  double estimate;   /* maximum-likelihood estimate */
  double se;         /* model-based standard error */
  double se_cluster; /* facility-clustered standard error, NaN if none */
  double ci_low;     /* 95% interval, lower end */
  double ci_high;    /* upper end */
} sw_report_coef;

/* The steering coefficient fitted on one calendar period. */
typedef struct sw_report_period {
  int32_t from;  /* first day */
  int32_t to;    /* day after the last */
  double gamma;  /* NaN when it could not be estimated */
  double ci_low; /* 95% interval; NaN with gamma */
  double ci_high;
  uint64_t n;              /* records in the period */
  const char *why_missing; /* when gamma is NaN: the reason, or NULL */
} sw_report_period;

/* One week of the weekly series (sw_week without the derived fields). */
typedef struct sw_report_week {
  int32_t start;     /* its Monday */
  uint64_t n;        /* records dated in the week */
  uint64_t observed; /* of them, released into the target */
  double expected;   /* null-model expectation of observed */
} sw_report_week;

typedef struct sw_report_change {
  int32_t date;       /* first Monday of the new segment */
  int32_t ci_from;    /* 95% interval for the day of the change */
  int32_t ci_to;      /* its last day */
  double rate_before; /* observed / expected before the change */
  double rate_after;  /* and after */
  bool notable;       /* at least the minimum change worth a finding */
} sw_report_change;

typedef struct sw_report_event {
  int32_t date;        /* the event's day */
  const char *label;   /* from --event DATE:LABEL, or NULL */
  double before_share; /* share in the target in the window before */
  double after_share;  /* and from the event on */
  double p_value;      /* Fisher's exact test of equal shares */
  uint64_t n_before;   /* records in the window before */
  uint64_t n_after;    /* records in the window after */
} sw_report_event;

/* One region's releases in one target's audit. */
typedef struct sw_report_region {
  const char *id;    /* region id, as in the geometry */
  uint64_t observed; /* releases into the region */
  double expected;   /* null-model expectation */
  double excess;     /* observed - expected */
  bool in_target;    /* in the target (on the last day audited) */
} sw_report_region;

/* One facility: where releases, and steering, flow from. */
typedef struct sw_report_facility {
  const char *facility; /* name or code */
  uint64_t n;           /* records from the facility */
  uint64_t n_target;    /* of them, released into the target */
  double observed_share;
  double expected_share;
  double excess; /* n_target - expected count */
} sw_report_facility;

/* The within-region headline (src/audit_within.c): steering as a change
 * in the target's attraction, each region's own pull absorbed. */
typedef struct sw_report_headline {
  const char *design;     /* "within_region_event", "..._membership",
                             "..._onset"; NULL: not estimated */
  const char *failure;    /* why not, or NULL */
  int32_t event, onset;   /* the split used; INT32_MIN: none */
  double estimate;        /* delta, log-odds */
  double ci_low, ci_high; /* 95% */
  double p_value;
  size_t n_candidates; /* onset: weeks scanned */
  int32_t placebo;     /* a fake event before the real one, or
                          INT32_MIN */
  double placebo_estimate, placebo_p;
  const char *distance;   /* the fits' distance terms: "spline", "log1p" */
  const char *separation; /* why the estimate is Firth's, or NULL */
  int32_t baseline_from, baseline_to; /* design within_region_baseline:
                                         --baseline's days */
  const char *distance_fallback;      /* why the spline terms gave way to
                                         log1p, or NULL */
} sw_report_headline;

typedef struct sw_report_target {
  const char *name;        /* "sanctuary=yes" */
  sw_report_headline head; /* the box's finding */
  uint64_t observed;       /* releases into the target */
  double observed_share;
  double expected_share;
  double excess_releases;      /* observed - expected count */
  const char *model_failure;   /* the reason the choice model could not be
                                  fitted (e.g. separation), or NULL */
  size_t alternatives;         /* 0: every region; K: sampled */
  const sw_report_coef *coefs; /* in SPEC's order; the one named "target"
                                  is gamma, which the headline reads */
  size_t n_coefs;
  double randomization_p;        /* the level permuted over regions */
  bool randomization_stratified; /* within population quintiles */
  double e_value, e_value_ci;    /* of gamma and its interval */
  double lr_statistic;           /* of gamma = 0 */
  double p_value;
  double p_value_adjusted; /* Holm, across targets */
  const sw_report_period *periods;
  size_t n_periods;
  const sw_report_week *weeks;
  size_t n_weeks;
  const sw_report_change *changes;
  size_t n_changes;
  const sw_report_event *events;
  size_t n_events;
  const sw_report_region *regions; /* any order */
  size_t n_regions;
  const sw_report_facility *facilities; /* any order; sorted on the page */
  size_t n_facilities;
} sw_report_target;

typedef struct sw_report_input {
  const char *title;   /* page title; NULL: "steerwatch audit" */
  const char *version; /* steerwatch version, "x.y.z" */
  bool simulated;      /* the records are synthetic (the demo) */

  const sw_report_file *inputs; /* provenance */
  size_t n_inputs;
  uint64_t seed;
  const sw_report_param *params; /* in the order to show */
  size_t n_params;

  uint64_t read, accepted, rejected, unassigned; /* records */
  /* A count table's: the people its accepted rows stand for; 0 when the
   * records have no count column (each is one person). */
  uint64_t people;
  int64_t unmatched_places; /* rejected for a place the gazetteer lacks;
                               -1: the records named no places */

  double min_change; /* --min-change / 100: smaller changes of the weekly
                        rate are not findings */
  double ties_km;    /* --ties-km, the displacement threshold */
  uint64_t flagged;  /* people placed away from ties */
  double median_km_from_ties; /* over flagged records */
  double extra_km_total;
  double extra_cost_total; /* NaN when the records carry no cost */
  const sw_report_flagged *flagged_rows; /* the first few flagged */
  size_t n_flagged_rows;

  const sw_report_target *targets;
  size_t n_targets;

  const sw_regions *regions; /* lon/lat geometry for the maps; NULL: none */

  /* A published view (audit_publish.c): the one line saying which
   * protections were applied, or NULL. Counts it withholds are
   * SW__SUPPRESSED and shown as "withheld". */
  const char *protections;
} sw_report_input;

/* Write the report page to path (created or truncated). Deterministic: the
 * same input gives the same bytes, whatever the locale. SW_E_USAGE for a
 * NULL input or path, SW_E_CREATE / SW_E_IO for the file, SW_E_NOMEM. */
sw_status sw__report_write(const sw_report_input *in, const char *path,
                           sw_error *err);

/* ---- Shared by the report_*.c files ------------------------------------ */

/* A page under construction. Appends never fail the caller: the first
 * allocation failure sets oom and later appends do nothing, so writers can
 * run straight through and the result is checked once. */
typedef struct sw_html {
  sw_buf b;
  bool oom;
} sw_html;

/* Append text as is (trusted markup, never data). */
void sw__html_raw(sw_html *h, const char *s);
/* Append printf-formatted trusted markup; formats must not use %f/%g/%e,
 * which depend on the locale: numbers go through sw__html_num. */
void sw__html_printf(sw_html *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The one escaping function for data: & < > " ' become entities, control
 * bytes become U+FFFD. NULL appends the dash that marks "not given". */
void sw__html_text(sw_html *h, const char *s);
/* x with exactly `decimals` digits after the point (0..9), '.' as the
 * point, a true minus sign when negative, "n/a" for NaN or infinity.
 * grouped: thousands separated by commas. */
void sw__html_num(sw_html *h, double x, int decimals, bool grouped);
/* The same into a caller buffer (64 bytes suffice); returns its length. */
size_t sw__fmt_num(char *buf, double x, int decimals, bool grouped);
/* A count of people: exact from SW_REPORT_MIN_PEOPLE up (and 0), else the
 * words "fewer than 10". */
void sw__html_people(sw_html *h, uint64_t n);
/* A p-value: "p < 0.001", or "p = 0.032". */
void sw__html_p(sw_html *h, double p);
/* A date, YYYY-MM-DD. */
void sw__html_date(sw_html *h, int32_t days);
/* A share as a percentage with one decimal ("12.5%"). */
void sw__html_pct(sw_html *h, double share);
/* An estimate and its interval, as the page states every one:
 * "0.42 (95% CI 0.10 to 0.74)". */
void sw__html_estimate(sw_html *h, double estimate, double ci_low,
                       double ci_high);

/* The charts (report_svg.c) and the map (report_map.c) of one target. */
void sw__report_gamma_chart(sw_html *h, const sw_report_target *t);
void sw__report_weekly_chart(sw_html *h, const sw_report_target *t);

/* The tables (report_tables.c). */
void sw__report_facility_table(sw_html *h, const sw_report_target *t);
void sw__report_region_table(sw_html *h, const sw_report_target *t);
void sw__report_event_table(sw_html *h, const sw_report_target *t);
void sw__report_coef_table(sw_html *h, const sw_report_target *t);
void sw__report_flagged_table(sw_html *h, const sw_report_input *in);

/* The projected, simplified outline of every region, built once and drawn
 * per target. */
typedef struct sw_report_map sw_report_map;
sw_status sw__report_map_new(const sw_regions *g, sw_report_map **out,
                             sw_error *err);
void sw__report_map_free(sw_report_map *m);
void sw__report_map_draw(sw_html *h, const sw_report_map *m,
                         const sw_report_target *t);

/* Albers equal-area conic composite for the United States, as
 * d3.geoAlbersUsa: the lower 48 (parallels 29.5/45.5, centre -96/37.5,
 * scale 1070, on a 960 x 500 frame), Alaska and Hawaii as insets. */
typedef enum sw_albers_part {
  SW_ALBERS_NONE = -1, /* outside all three boxes (e.g. a territory) */
  SW_ALBERS_L48 = 0,
  SW_ALBERS_ALASKA,
  SW_ALBERS_HAWAII
} sw_albers_part;

/* Project lon/lat with one part's conic (no box test); x right, y down. */
void sw__albers_project(sw_albers_part part, double lon_deg, double lat_deg,
                        double *x, double *y);
/* The part whose inset box holds the projected point, tried in d3's order
 * (lower 48, Alaska, Hawaii), or SW_ALBERS_NONE. */
sw_albers_part sw__albers_part(double lon_deg, double lat_deg);

#endif
