/*
 * assign.c — assign(): the regions read, indexed and every point of a CSV
 * located by sw_assign_csv, as `steerwatch assign` does; rows whose point
 * is invalid are gathered for R to report.
 */
#include "glue.h"

typedef struct assign_call {
  sw_status st;
  sw_error err;
  sw_regions *g;
  sw_index *ix;
  sw_assign_stats stats;
  sw_r_rejects invalid;
} assign_call;

static SEXP build(void *data) {
  assign_call *c = data;
  if (c->st) return sw_r_error(&c->err);
  static const char *names[] = {"stats", "invalid", "skipped", ""};
  SEXP out = PROTECT(mkNamed(VECSXP, names));
  static const char *stat_names[] = {
      "read",        "assigned", "unassigned",      "invalid",
      "on_boundary", "regions",  "regions_skipped", ""};
  SEXP stats = PROTECT(mkNamed(REALSXP, stat_names));
  double v[] = {(double)c->stats.read,
                (double)c->stats.assigned,
                (double)c->stats.unassigned,
                (double)c->stats.invalid,
                (double)c->stats.on_boundary,
                (double)sw_regions_count(c->g),
                (double)sw_regions_n_skipped(c->g)};
  for (int i = 0; i < 7; i++)
    REAL(stats)[i] = v[i];
  SET_VECTOR_ELT(out, 0, stats);
  SET_VECTOR_ELT(out, 1, sw_r_rejects_list(&c->invalid, SW_INPUT_POINTS));
  size_t n = 0;
  while (sw_regions_skip_note(c->g, n))
    n++;
  SEXP notes = PROTECT(allocVector(STRSXP, n));
  for (size_t i = 0; i < n; i++)
    SET_STRING_ELT(notes, i, mkCharCE(sw_regions_skip_note(c->g, i), CE_UTF8));
  SET_VECTOR_ELT(out, 2, notes);
  UNPROTECT(3);
  return out;
}

static void cleanup(void *data) {
  assign_call *c = data;
  sw_index_free(c->ix);
  sw_regions_free(c->g);
  sw_r_rejects_free(&c->invalid);
}

SEXP sw_r_assign(SEXP opts) {
  SEXP cont = PROTECT(R_MakeUnwindCont());
  sw_regions_opts go = {0};
  go.id_property = sw_r_str(opts, "region_id");
  go.layer = sw_r_str(opts, "layer");
  sw_assign_opts ao = {0};
  ao.delimiter = sw_r_delim(opts, "delimiter");
  ao.lat_column = sw_r_str(opts, "lat");
  ao.lon_column = sw_r_str(opts, "lon");
  const char *regions = sw_r_str(opts, "regions");
  const char *in = sw_r_str(opts, "points");
  const char *out_path = sw_r_str(opts, "out");
  assign_call c = {0};
  ao.on_invalid = sw_r_collect;
  ao.invalid_user = &c.invalid;
  c.st = sw_regions_read(regions, &go, &c.g, &c.err);
  if (!c.st) c.st = sw_index_build(c.g, &c.ix, &c.err);
  if (!c.st) c.st = sw_assign_csv(c.ix, in, out_path, &ao, &c.stats, &c.err);
  if (c.invalid.nomem) c.st = sw_r_nomem(&c.err);
  SEXP out = sw_r_protected(cont, build, cleanup, &c);
  UNPROTECT(1);
  return out;
}
