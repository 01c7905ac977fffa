/*
 * audit_state.h — the state the audit's modules share: the inputs as read,
 * every accepted record located in the region universe, the per-target model
 * results and the displacement list. audit.c fills the geography,
 * audit_targets.c the targets, audit_displacement.c the flagged records,
 * audit_results.c writes them all out.
 */
#ifndef SW_AUDIT_STATE_H
#define SW_AUDIT_STATE_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model_design.h"
#include "model_firth.h"
#include "steerwatch.h"
#include "suppress.h"

#define AUDIT_NO_REGION UINT32_MAX

/* The features of the audit's designs, in SPEC's order (model_design.c):
 * the index of each coefficient in a fit's arrays. */
enum { AUDIT_F_ORIGIN = 0, AUDIT_F_TIES = 1, AUDIT_F_TARGET = 2 };

/* Room for a flagged record's reason (sw__audit_flag_reason): the rule's
 * fixed words and two numbers. */
#define AUDIT_REASON_MAX 160

/* Inputs digested into the provenance: records, regions, attributes and
 * the facility list. */
#define AUDIT_MAX_INPUTS 5

/* One digested input, for provenance. */
typedef struct audit_input {
  char *path;
  char sha256[65];
  uint64_t bytes;
} audit_input;

/* gamma refitted on one calendar period's records. */
typedef struct audit_period {
  int32_t from, to;              /* [from, to) */
  uint64_t n;                    /* located records dated in it */
  double gamma, ci_low, ci_high; /* NaN when not fitted */
  char *reason;                  /* why not fitted, or NULL */
} audit_period;

/* The headline: steering measured within regions (a constant per region
 * absorbs each one's own pull), as a change in the target's attraction
 * (audit_within.c, docs/design/within-region.md). */
typedef struct audit_headline {
  const char *design; /* "within_region_event", "within_region_membership",
                         "within_region_onset", "within_region_baseline";
                         NULL: none (reason) */
  int32_t event;      /* the event's day, or INT32_MIN */
  int32_t onset;      /* the estimated onset's day, or INT32_MIN */
  double estimate;    /* delta: change in the target's log-odds */
  double ci_low, ci_high;
  double p_value;   /* as stated: the more conservative of the two below,
                       or the onset scan's */
  double p_model;   /* likelihood ratio, chi-square 1 df */
  double p_cluster; /* facility-clustered Wald, t with G - 1 df */
  double se, se_cluster;
  double statistic; /* LR, or the onset scan's sup LM */
  size_t n_clusters;
  uint64_t n_before, n_after; /* records either side of the split */
  size_t n_candidates;        /* onset: candidate weeks scanned */
  /* Placebo (event design): the same test at a fake event halfway through
   * the records before the real one, on those records alone. */
  int32_t placebo; /* its day, or INT32_MIN: not run */
  double placebo_estimate, placebo_ci_low, placebo_ci_high, placebo_p;
  char *placebo_reason;
  char *reason;         /* why there is no headline, or NULL */
  const char *distance; /* the fits' distance terms: "spline", "log1p" */
  /* Why the default spline terms gave way to log1p (audit_within.c), or
   * NULL. */
  char *distance_fallback;
  /* Separation (audit_firth.c): in plain words, why the change has no
   * finite maximum-likelihood estimate, or NULL. With it the estimate,
   * interval and p-values above are Firth's penalised ones. */
  char *separation;
  double penalised_statistic; /* the penalised likelihood ratio */
  size_t firth_chosen;        /* regions chosen: the penalty's size */
  /* The baseline design (--baseline FROM:TO): its days, both included;
   * INT32_MIN: another design. */
  int32_t baseline_from, baseline_to;
} audit_headline;

/* Everything found for one `--target ATTR=VALUE`. */
typedef struct audit_target {
  char *spec;  /* "ATTR=VALUE" as given */
  char *attr;  /* ATTR */
  char *value; /* VALUE */
  /* Target membership: segments [bound[s], bound[s+1]) of the records'
   * date span, row s of table (n_seg x n_regions), each record's row. */
  int32_t *bound;
  size_t n_seg;
  uint8_t *table;
  uint32_t *seg;      /* per located record */
  uint8_t *in_target; /* per located record: chosen region in the target */
  uint64_t observed;
  double expected; /* sum over records of the null probability */
  /* Derived once, read by results.json and the page alike: the shares of
   * located records observed and expected in the target, and the excess
   * (NaN without the null model). */
  double observed_share, expected_share, excess;
  double *p_null;          /* per located record, NaN where not computed */
  double *region_expected; /* per region */
  uint64_t *region_observed;
  double *region_flag;      /* share of the date span spent in the target */
  bool expected_subsampled; /* expected from a subsample, scaled up */
  size_t expected_records;  /* records the expected share was computed on */
  sw_model_result *full, *restricted;
  audit_headline head;
  /* The level's context (audit_level.c): E-values of gamma and of its
   * interval's bound nearer 0, and the randomization p-value of the excess
   * (NaN: not computed), permuted within population quintiles or not. */
  double e_value, e_value_ci, randomization_p;
  bool randomization_stratified;
  char *model_reason; /* why the model could not be fitted, or NULL */
  double lr_statistic, p_value, p_adjusted;
  audit_period *periods;
  size_t n_periods;
  sw_change_point *changes;
  size_t n_changes;
  char *changes_reason;
  sw_event_window *events; /* one per opts event */
  sw_week *weeks;          /* the series the change points were found on */
  size_t n_weeks;
  /* Per facility (index as a->facility): records, of them into the
   * target, and the mean null probability of the target over those of its
   * records that have one (NaN: none, or no restricted model). */
  uint64_t *facility_n, *facility_observed;
  double *facility_expected_share;
} audit_target;

/* One record placed away from its ties. */
typedef struct audit_flag {
  size_t record; /* index into the sw_records */
  uint32_t facility, release_region, ties_region;
  double km_from_ties, extra_km, extra_cost; /* extra_cost NaN: unknown */
  uint64_t people;                           /* the record's count */
} audit_flag;

/* Room for a record's pseudonym: "p" and 32 hex digits of its HMAC. */
#define AUDIT_PSEUDONYM_MAX 34

/* The protections of a published view (audit_publish.c), read by the
 * writers: counts withheld in the view's tables are SW__SUPPRESSED
 * (suppress.h). */
typedef struct audit_publish {
  uint64_t min_cell;                     /* the threshold k */
  char (*flag_ids)[AUDIT_PSEUDONYM_MAX]; /* per flagged record */
  uint8_t *keep_extra;                   /* per extra records column */
  uint8_t *region_hidden;                /* per region */
  uint8_t *facility_hidden;              /* per facility */
  size_t n_regions_hidden, n_facilities_hidden, n_periods_hidden,
      n_weeks_hidden, n_counts_hidden; /* the last: event windows and
                                          headline sides */
  char line[320]; /* the page's one line saying what was applied */
} audit_publish;

struct sw_audit {
  /* A published view's protections; NULL in the full audit. */
  const audit_publish *publish;
  /* options, copied */
  sw_audit_opts o;
  /* The target being audited fell back to SPEC's log1p distance terms
   * for its headline (audit_within.c; targets are audited one by one). */
  bool headline_log1p;
  char **targets_copy, **covariates_copy;
  sw_audit_event *events_copy;
  char *records_path, *regions_path, *attrs_path, *region_id, *layer;
  char *truth_path;    /* RECORDS.truth.json beside the records, or NULL */
  size_t alternatives; /* K as used; 0: all */
  bool alternatives_defaulted; /* K = 100 chosen because regions > 1,000 */
  audit_input inputs[AUDIT_MAX_INPUTS]; /* records, regions, attributes,
                                          facilities, gazetteer */
  size_t n_inputs;
  bool records_from_stdin; /* inputs[0] is hashed as it is read */
  /* inputs */
  sw_records *records;
  sw_regions *regions; /* NULL without --regions */
  sw_attrs *attrs;
  sw_counts counts, attr_counts;
  int64_t unmatched_places; /* sw_records_unmatched_places: -1 none named */
  /* the region universe */
  size_t n_regions;
  const char **region_ids; /* borrowed from regions or attrs */
  sw_point *region_points;
  double *covariates; /* n_regions x n_covariates */
  /* located records: those with a release region */
  size_t n_located;
  uint64_t unassigned;
  size_t *rec;           /* index into records */
  uint32_t *chosen;      /* release region */
  uint32_t *facility;    /* origin and cluster */
  sw_point *ties;        /* NaN latitude when none */
  uint32_t *ties_region; /* ties_region, else the one holding the ties
                            point; AUDIT_NO_REGION when neither */
  int32_t *date;
  int32_t date_min, date_max;
  /* People per located record (a count table's `count`), as the choice
   * model's frequency weights; NULL when every record is one person, so
   * that the plain audit runs as it did. */
  double *weight;
  uint64_t people;         /* people of the accepted records */
  uint64_t people_located; /* people of the located records */
  size_t n_facilities;
  sw_point *facility_points;
  char **facility_names;
  uint64_t facility_moved; /* records whose facility had other coordinates */
  /* displacement */
  audit_flag *flags;
  size_t n_flags;
  uint64_t flagged_people; /* people of the flagged records */
  double median_km_from_ties, extra_km_total, extra_cost_total;
  uint64_t ties_known; /* located records with a ties region */
  /* per target */
  audit_target *targets; /* one per --target, in the order given */
  size_t n_targets;
  char *summary;
};

/* The people located record k stands for. */
static inline uint64_t sw__audit_people(const sw_audit *a, size_t k) {
  return a->weight ? (uint64_t)a->weight[k] : 1;
}

/* audit_geo.c: the region universe and the location of every record. */
sw_status sw__audit_geography(sw_audit *a, sw_error *err);

/* audit_targets.c: one target's tables, model, expected share and time
 * analysis. */
sw_status sw__audit_target(sw_audit *a, audit_target *t, sw_error *err);

/* audit_level.c: the level's randomization p-value and E-values, after
 * the target's models. */
sw_status sw__audit_level(sw_audit *a, audit_target *t, sw_error *err);

/* audit_within.c: the headline of one target, after its tables. */
sw_status sw__audit_within(sw_audit *a, audit_target *t, sw_error *err);

/* audit_within.c: the alternatives of the headline's fits: the audit's,
 * or a sample of them where every region would be too many. */
size_t sw__audit_fe_alternatives(const sw_audit *a);

/* Whether the headline's fits use the spline distance terms
 * (audit_within.c), SPEC's log1p_km terms otherwise. */
bool sw__audit_spline(const sw_audit *a);

/* audit_within.c: the geography spec of a design over all located records
 * (origin, ties, chosen from a), with the given membership table and
 * per-record rows, and the covariates when asked. */
void sw__audit_geo_spec(const sw_audit *a, const uint8_t *table, size_t n_rows,
                        const uint32_t *row, bool covariates, sw_geo_spec *sp);

/* audit_firth.c: whether the change (target x after, after = date >= split)
 * over the located records idx[0..n) (idx NULL: all) is separated: a
 * side of the split whose placements all went, or none went, to target
 * regions (before the split only when membership is static, where the
 * target regions' constants can absorb it). split INT32_MIN: the
 * membership design's change, target membership at each record's date,
 * over all of them. *why gets the plain-words reason (the caller frees
 * it), or NULL when not separated. */
sw_status sw__audit_separation(const sw_audit *a, const audit_target *t,
                               int32_t split, const size_t *idx, size_t n,
                               bool static_membership, char **why,
                               sw_error *err);

/* audit_firth.c: the Firth-penalised fit of the target column on spec sp
 * (its alternatives as the headline's fits use them) with a constant per
 * region, into *out; a refusal (too many chosen regions, no convergence)
 * goes to *reason instead. */
sw_status sw__audit_firth(const sw_geo_spec *sp, sw_firth_result *out,
                          char **reason, sw_error *err);

/* audit_firth.c: the headline's figures from a Firth fit, taking the
 * separation message. */
void sw__audit_firth_infer(audit_headline *h, const sw_firth_result *f,
                           char *separation);

/* audit_displacement.c: records placed away from ties. */
sw_status sw__audit_displacement(sw_audit *a, sw_error *err);

/* audit_displacement.c: why a record was flagged, as flagged.csv and the
 * report page say it. */
void sw__audit_flag_reason(const sw_audit *a, const audit_flag *fl, char *buf,
                           size_t n);

/* audit_results.c: the plain-words summary (a->summary). */
sw_status sw__audit_summarise(sw_audit *a, sw_error *err);

/* A facility's share of releases into the target, and its excess over
 * the null model's expectation, as results.json and the tidy tables give
 * them; NaN where its counts are withheld. Here, not in a writer, so that
 * both writers read one definition. */
static inline double sw__audit_facility_share(const audit_target *t, size_t f) {
  if (t->facility_n[f] == SW__SUPPRESSED) return NAN;
  return (double)t->facility_observed[f] / (double)t->facility_n[f];
}

static inline double sw__audit_facility_excess(const audit_target *t,
                                               size_t f) {
  if (t->facility_n[f] == SW__SUPPRESSED) return NAN;
  return (double)t->facility_observed[f] -
         t->facility_expected_share[f] * (double)t->facility_n[f];
}

/* audit_tables.c: the tidy tables beside results.json (docs/outputs.md). */
sw_status sw__audit_tables(const sw_audit *a, const char *dir, sw_error *err);

/* audit_report.c: report.html at path, from the same state as
 * results.json. */
sw_status sw__audit_report(const sw_audit *a, const char *path, sw_error *err);

#endif
