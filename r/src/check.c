/*
 * check.c — check(): sw_records_validate over a records file, its rejected
 * rows gathered so that R gets them as a data frame with file, line and
 * column, as `steerwatch check --rejects` lists them.
 */
#include "glue.h"

typedef struct check_call {
  sw_status st;
  sw_error err;
  sw_counts counts;
  sw_r_rejects rejects;
} check_call;

static SEXP build(void *data) {
  check_call *c = data;
  if (c->st) return sw_r_error(&c->err);
  static const char *names[] = {"read", "accepted", "rejected", "rejects", ""};
  SEXP out = PROTECT(mkNamed(VECSXP, names));
  SET_VECTOR_ELT(out, 0, ScalarReal((double)c->counts.read));
  SET_VECTOR_ELT(out, 1, ScalarReal((double)c->counts.accepted));
  SET_VECTOR_ELT(out, 2, ScalarReal((double)c->counts.rejected));
  SET_VECTOR_ELT(out, 3, sw_r_rejects_list(&c->rejects, SW_INPUT_RECORDS));
  UNPROTECT(1);
  return out;
}

static void cleanup(void *data) {
  sw_r_rejects_free(&((check_call *)data)->rejects);
}

SEXP sw_r_check(SEXP path, SEXP opts) {
  SEXP cont = PROTECT(R_MakeUnwindCont());
  const char *in = translateChar(STRING_ELT(path, 0));
  sw_read_opts ro = {0};
  sw_r_read_opts(opts, &ro);
  check_call c = {0};
  ro.on_reject = sw_r_collect;
  ro.reject_user = &c.rejects;
  c.st = sw_records_validate(in, &ro, &c.counts, &c.err);
  if (c.rejects.nomem) c.st = sw_r_nomem(&c.err);
  SEXP out = sw_r_protected(cont, build, cleanup, &c);
  UNPROTECT(1);
  return out;
}
