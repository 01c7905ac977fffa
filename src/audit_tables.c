/*
 * audit_tables.c — the audit's tidy tables (issue 11, docs/outputs.md):
 * coefficients.csv, periods.csv, weekly.csv and facilities.csv beside
 * results.json, one row per observation and one column per variable, so
 * that R, pandas or DuckDB load each in one line. Written by
 * sw_audit_write after results.json, from the same fields it reads and
 * in the same number spelling (sw__fmt_shortest), so a value here equals
 * its value there; the weekly series is the one the change points and the
 * page's chart were made from. Nothing is recomputed.
 *
 * A missing value (not estimated, or a count a published view withholds)
 * is an empty cell; text from the data is formula-guarded (csv_out.c).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "audit_state.h"
#include "buf.h"
#include "csv.h"
#include "err.h"
#include "number.h"

static bool text(sw_buf *b, const char *s) {
  return sw__csv_put_cell(b, s ? s : "", s ? strlen(s) : 0, ',');
}

/* ",x": the number as results.json spells it; empty when not finite. */
static bool num(sw_buf *b, double x) {
  char s[SW_SHORTEST_MAX];
  size_t n = isfinite(x) ? sw__fmt_shortest(x, s) : 0;
  return sw__buf_putc(b, ',') && sw__buf_append(b, s, n);
}

/* ",n": a count of people; empty when withheld. */
static bool count(sw_buf *b, uint64_t n) {
  if (n == SW__SUPPRESSED) return sw__buf_putc(b, ',');
  return sw__buf_printf(b, ",%llu", (unsigned long long)n);
}

static bool day(sw_buf *b, int32_t d) {
  char s[16];
  size_t n = sw_date_format(d, s, sizeof s);
  return sw__buf_putc(b, ',') && sw__buf_append(b, s, n);
}

static bool coefficients(const sw_audit *a, sw_buf *b) {
  bool ok = sw__buf_printf(b, "target,name,estimate,se,se_cluster,ci_low,"
                              "ci_high\n");
  for (size_t i = 0; i < a->n_targets && ok; i++) {
    const audit_target *t = &a->targets[i];
    const sw_model_result *f = t->full;
    for (size_t k = 0; f && k < f->n_coef && ok; k++)
      ok = text(b, t->spec) && sw__buf_putc(b, ',') && text(b, f->names[k]) &&
           num(b, f->omitted[k] ? NAN : f->estimate[k]) && num(b, f->se[k]) &&
           num(b, f->se_cluster[k]) && num(b, f->ci_low[k]) &&
           num(b, f->ci_high[k]) && sw__buf_putc(b, '\n');
  }
  return ok;
}

static bool periods(const sw_audit *a, sw_buf *b) {
  bool ok = sw__buf_printf(b, "target,from,to,gamma,ci_low,ci_high,n,reason\n");
  for (size_t i = 0; i < a->n_targets && ok; i++) {
    const audit_target *t = &a->targets[i];
    for (size_t k = 0; k < t->n_periods && ok; k++) {
      const audit_period *p = &t->periods[k];
      ok = text(b, t->spec) && day(b, p->from) && day(b, p->to - 1) &&
           num(b, p->gamma) && num(b, p->ci_low) && num(b, p->ci_high) &&
           count(b, p->n) && sw__buf_putc(b, ',') && text(b, p->reason) &&
           sw__buf_putc(b, '\n');
    }
  }
  return ok;
}

static bool weekly(const sw_audit *a, sw_buf *b) {
  bool ok = sw__buf_printf(b, "target,week,n,observed,expected,excess\n");
  for (size_t i = 0; i < a->n_targets && ok; i++) {
    const audit_target *t = &a->targets[i];
    for (size_t k = 0; k < t->n_weeks && ok; k++) {
      const sw_week *w = &t->weeks[k];
      ok = text(b, t->spec) && day(b, w->start) && count(b, w->n) &&
           count(b, w->observed) && num(b, w->expected) && num(b, w->excess) &&
           sw__buf_putc(b, '\n');
    }
  }
  return ok;
}

static bool facilities(const sw_audit *a, sw_buf *b) {
  bool ok = sw__buf_printf(b, "target,facility,records,observed,"
                              "observed_share,expected_share,excess\n");
  for (size_t i = 0; i < a->n_targets && ok; i++) {
    const audit_target *t = &a->targets[i];
    for (size_t f = 0; f < a->n_facilities && ok; f++)
      ok = text(b, t->spec) && sw__buf_putc(b, ',') &&
           text(b, a->facility_names[f]) && count(b, t->facility_n[f]) &&
           count(b, t->facility_observed[f]) &&
           num(b, sw__audit_facility_share(t, f)) &&
           num(b, t->facility_expected_share[f]) &&
           num(b, sw__audit_facility_excess(t, f)) && sw__buf_putc(b, '\n');
  }
  return ok;
}

static sw_status write_table(const sw_audit *a, const char *dir,
                             const char *name,
                             bool (*fill)(const sw_audit *, sw_buf *),
                             sw_error *err) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  sw_buf b = {0};
  if (!fill(a, &b)) {
    sw__buf_free(&b);
    return sw__err(err, SW_E_NOMEM, "out of memory");
  }
  FILE *f = fopen(path, "w");
  if (!f) {
    sw__buf_free(&b);
    sw__err(err, SW_E_CREATE, "cannot create: %s", strerror(errno));
    sw__err_at(err, path, 0, NULL, 0);
    return SW_E_CREATE;
  }
  bool bad = fwrite(b.data, 1, b.len, f) != b.len;
  sw__buf_free(&b);
  if (fclose(f) || bad) {
    sw__err(err, SW_E_IO, "write failed");
    sw__err_at(err, path, 0, NULL, 0);
    return SW_E_IO;
  }
  return SW_OK;
}

sw_status sw__audit_tables(const sw_audit *a, const char *dir, sw_error *err) {
  sw_status st;
  if ((st = write_table(a, dir, "coefficients.csv", coefficients, err)) ||
      (st = write_table(a, dir, "periods.csv", periods, err)) ||
      (st = write_table(a, dir, "weekly.csv", weekly, err)))
    return st;
  return write_table(a, dir, "facilities.csv", facilities, err);
}
