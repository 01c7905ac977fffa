/*
 * simulate.c — `steerwatch simulate` in the library: checks the options,
 * has the geography prepared (simulate_inputs.c) and the records drawn
 * (simulate_draw.c), then writes the records CSV in record order and the
 * truth beside it. Synthetic records feed the demo, the tests and power
 * analyses, so everything the audit should recover is in the truth file:
 * every parameter, the true coefficients per period, the start, the
 * counts, the seed, the version and the inputs' hashes.
 *
 * Output is a function of the options alone: records are drawn from
 * per-record random streams and written in order, numbers in the truth
 * are printed in their shortest round-trip form, and nothing depends on
 * the clock or the thread count.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "buf.h"
#include "csv.h"
#include "digest.h"
#include "err.h"
#include "simulate_state.h"

#define DEFAULT_FROM 17897 /* 2019-01-01 */
#define DEFAULT_TO 18627   /* 2020-12-31 */
#define MAX_THREADS 256
#define FLUSH_BYTES (1u << 20)

void sw_simulate_opts_init(sw_simulate_opts *o) {
  memset(o, 0, sizeof *o);
  o->start = SW_SIMULATE_MIDPOINT;
  o->from = DEFAULT_FROM;
  o->to = DEFAULT_TO;
  o->b_origin = -1.0;
  o->b_ties = -1.5;
  o->share_ties = 0.8;
  o->cost_per_km = 0.5;
  o->seed = 1;
  o->threads = 1;
}

size_t sw_simulate_truth_path(const char *records_path, char *buf, size_t n) {
  size_t len = strlen(records_path);
  if (len > 4 && !strcmp(records_path + len - 4, ".csv")) len -= 4;
  int w = snprintf(buf, n, "%.*s.truth.json", (int)len, records_path);
  return w < 0 ? 0 : (size_t)w;
}

/* Years 1000..9999, the range of sw_date_parse. */
static bool valid_day(int32_t d) {
  int32_t lo, hi;
  sw_date_parse("1000-01-01", 10, &lo);
  sw_date_parse("9999-12-31", 10, &hi);
  return d >= lo && d <= hi;
}

static sw_status check_opts(const sw_simulate_opts *o, const char *out_path,
                            sw_error *err) {
  if (!o) return sw__err(err, SW_E_USAGE, "no options given");
  if (!out_path || !*out_path)
    return sw__err(err, SW_E_USAGE, "no output path given");
  if (!o->regions) return sw__err(err, SW_E_USAGE, "regions are required");
  if (!o->attrs)
    return sw__err(err, SW_E_USAGE, "region attributes are required");
  bool list = o->facilities || o->n_facilities;
  if (!o->facilities_path && !list)
    return sw__err(err, SW_E_USAGE, "facilities are required");
  if (o->facilities_path && list)
    return sw__err(err, SW_E_USAGE,
                   "facilities given twice: a path and a list");
  if (list && (!o->facilities || !o->n_facilities))
    return sw__err(err, SW_E_USAGE, "facilities: an empty list");
  if (o->n_records < 1 || o->n_records > SW_SIMULATE_MAX_RECORDS ||
      o->n_records > SIZE_MAX / 64)
    return sw__err(err, SW_E_USAGE,
                   "number of records must be 1..%llu, not %llu",
                   (unsigned long long)SW_SIMULATE_MAX_RECORDS,
                   (unsigned long long)o->n_records);
  if (!o->target_attr || !*o->target_attr || !o->target_value ||
      !*o->target_value)
    return sw__err(err, SW_E_USAGE,
                   "target required as an attribute and a value "
                   "(ATTR=VALUE)");
  if (!isfinite(o->steer))
    return sw__err(err, SW_E_USAGE, "steer must be a finite number");
  if (!isfinite(o->b_origin) || !isfinite(o->b_ties))
    return sw__err(err, SW_E_USAGE,
                   "coefficients b_origin and b_ties must be finite");
  if (!(o->share_ties >= 0 && o->share_ties <= 1))
    return sw__err(err, SW_E_USAGE,
                   "share of records with ties must be within 0..1");
  if (!(o->cost_per_km >= 0) || !isfinite(o->cost_per_km))
    return sw__err(err, SW_E_USAGE, "cost per km must be a finite number >= 0");
  if (!valid_day(o->from) || !valid_day(o->to))
    return sw__err(err, SW_E_USAGE,
                   "from and to must be dates in years 1000..9999");
  if (o->from > o->to) {
    char a[16], b[16];
    sw_date_format(o->from, a, sizeof a);
    sw_date_format(o->to, b, sizeof b);
    return sw__err(err, SW_E_USAGE, "from (%s) is after to (%s)", a, b);
  }
  if (o->start != SW_SIMULATE_MIDPOINT && !valid_day(o->start))
    return sw__err(err, SW_E_USAGE, "start must be a date in years 1000..9999");
  if (o->threads > MAX_THREADS)
    return sw__err(err, SW_E_USAGE, "threads must be 1..%d, not %u",
                   MAX_THREADS, o->threads);
  return SW_OK;
}

/* Whether an output just opened is a regular file, which may be removed
 * on failure; a device or pipe (/dev/stdout) is never removed. */
static bool regular_file(FILE *f) {
  struct stat sb;
  return fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode);
}

/* ---- the records CSV ------------------------------------------------- */

/* Text written once per region or facility and copied into every row. */
typedef struct pieces {
  sw_buf text;
  size_t *at; /* [2k] point "lat,lon", [2k+1] the quoted id; offsets */
} pieces;

static bool piece_add(pieces *p, size_t k, sw_point pt, const char *id) {
  p->at[2 * k] = p->text.len;
  if (!sw__buf_printf(&p->text, "%.6f,%.6f", pt.lat_deg, pt.lon_deg) ||
      !sw__buf_putc(&p->text, '\0'))
    return false;
  p->at[2 * k + 1] = p->text.len;
  return sw__csv_put_field(&p->text, id, strlen(id), ',') &&
         sw__buf_putc(&p->text, '\0');
}

static const char *piece(const pieces *p, size_t k, int which) {
  return p->text.data + p->at[2 * k + (size_t)which];
}

static bool put(sw_buf *b, const char *s) {
  return sw__buf_append(b, s, strlen(s));
}

/* v in decimal, zero-padded to at least width digits. */
static bool put_uint(sw_buf *b, uint64_t v, int width) {
  char d[24];
  int n = 0;
  do {
    d[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v || n < width);
  char out[24];
  for (int i = 0; i < n; i++)
    out[i] = d[n - 1 - i];
  return sw__buf_append(b, out, (size_t)n);
}

/* A cost (>= 0) rounded to cents, as `units.cc`: integer digits while
 * the cents fit a double's integers (printf's %.2f was a tenth of the
 * run). */
static bool put_cost(sw_buf *b, double c) {
  if (!(c < 9e13)) return sw__buf_printf(b, "%.2f", c);
  uint64_t cents = (uint64_t)llround(c * 100);
  return put_uint(b, cents / 100, 1) && sw__buf_putc(b, '.') &&
         put_uint(b, cents % 100, 2);
}

/* Dates as text: a table over [from, to] when the span is at most
 * DATE_TABLE days, else formatted per row. */
#define DATE_TABLE 65536
typedef struct date_text {
  int32_t from;
  char (*day)[11]; /* NULL: no table */
} date_text;

static bool put_date(sw_buf *b, const date_text *t, int32_t d) {
  char tmp[16];
  if (t->day) return sw__buf_append(b, t->day[d - t->from], 10);
  size_t n = sw_date_format(d, tmp, sizeof tmp);
  return sw__buf_append(b, tmp, n);
}

static sw_status write_records(sw_sim *s, const char *path,
                               sw_simulate_stats *st, bool *created,
                               sw_error *err) {
  const sw_simulate_opts *o = s->o;
  size_t R = s->n_regions;
  pieces reg = {{0}, NULL}, fac = {{0}, NULL};
  sw_buf row = {0};
  date_text dates = {o->from, NULL};
  if ((int64_t)o->to - o->from < DATE_TABLE) {
    size_t span = (size_t)(o->to - o->from) + 1;
    dates.day = sw__malloc(span * sizeof *dates.day);
    for (size_t k = 0; dates.day && k < span; k++)
      sw_date_format(o->from + (int32_t)k, dates.day[k], sizeof dates.day[k]);
  }
  FILE *f = NULL;
  sw_status status = SW_OK;
  reg.at = sw__malloc(2 * R * sizeof *reg.at);
  fac.at = sw__malloc(2 * s->n_fac * sizeof *fac.at);
  bool ok =
      reg.at && fac.at && (dates.day || (int64_t)o->to - o->from >= DATE_TABLE);
  for (size_t j = 0; ok && j < R; j++)
    ok = piece_add(&reg, j, s->point[j], sw_regions_id(o->regions, j));
  for (size_t k = 0; ok && k < s->n_fac; k++)
    ok = piece_add(&fac, k, s->fac_pt[k], s->fac_code[k]);
  ok = ok && put(&row, "id,date,facility,origin_lat,origin_lon,release_lat,"
                       "release_lon,release_region,ties_lat,ties_lon,"
                       "ties_region,cost\n");
  if (!ok) {
    status = sw__err(err, SW_E_NOMEM, "out of memory");
    goto done;
  }
  f = fopen(path, "wb");
  if (!f) {
    status = sw__err(err, SW_E_CREATE, "cannot create: %s", strerror(errno));
    sw__err_at(err, path, 0, NULL, 0);
    goto done;
  }
  *created = regular_file(f);
  for (size_t i = 0; i < s->n && ok; i++) {
    uint32_t fi = s->facility[i], rel = s->release[i], t = s->ties[i];
    double c = o->cost_per_km * sw_haversine_km(s->fac_pt[fi], s->point[rel]);
    c = round(c * 100) / 100;
    ok = put(&row, "SIM") && put_uint(&row, (uint64_t)i + 1, 7) &&
         sw__buf_putc(&row, ',') && put_date(&row, &dates, s->date[i]) &&
         sw__buf_putc(&row, ',') && put(&row, piece(&fac, fi, 1)) &&
         sw__buf_putc(&row, ',') && put(&row, piece(&fac, fi, 0)) &&
         sw__buf_putc(&row, ',') && put(&row, piece(&reg, rel, 0)) &&
         sw__buf_putc(&row, ',') && put(&row, piece(&reg, rel, 1)) &&
         sw__buf_putc(&row, ',') &&
         (t == SIM_NO_TIES
              ? put(&row, ",,")
              : put(&row, piece(&reg, t, 0)) && sw__buf_putc(&row, ',') &&
                    put(&row, piece(&reg, t, 1))) &&
         sw__buf_putc(&row, ',') && put_cost(&row, c) &&
         sw__buf_putc(&row, '\n');
    if (!ok) {
      status = sw__err(err, SW_E_NOMEM, "out of memory");
      break;
    }
    /* The counts, summed in record order so they do not depend on how
     * the draws were shared between threads. */
    bool after = s->date[i] >= s->start;
    bool hit = s->in_target[sw__sim_period_of(s, s->date[i]) * R + rel] != 0;
    st->with_ties += t != SIM_NO_TIES;
    if (after) {
      st->after_start++;
      st->target_after += hit;
      st->expected_after += s->p_target[i];
    } else {
      st->before_start++;
      st->target_before += hit;
      st->expected_before += s->p_target[i];
    }
    st->cost_total += c;
    st->n_records++;
    if (row.len >= FLUSH_BYTES || i + 1 == s->n) {
      if (fwrite(row.data, 1, row.len, f) != row.len) {
        status = sw__err(err, SW_E_IO, "write failed: %s", strerror(errno));
        sw__err_at(err, path, 0, NULL, 0);
        break;
      }
      sw__buf_clear(&row);
      sw__sim_progress(s, (uint64_t)s->n + i + 1);
    }
  }
  /* Cents, as the rows show them, not the float sum's last bits. */
  st->cost_total = round(st->cost_total * 100) / 100;
done:
  if (f && fclose(f) != 0 && status == SW_OK) {
    status = sw__err(err, SW_E_IO, "write failed: %s", strerror(errno));
    sw__err_at(err, path, 0, NULL, 0);
  }
  sw__buf_free(&row);
  sw__buf_free(&reg.text);
  sw__buf_free(&fac.text);
  sw__free(reg.at);
  sw__free(fac.at);
  sw__free(dates.day);
  return status;
}

/* ---- the truth JSON -------------------------------------------------- */

static bool json_str(sw_buf *b, const char *s) {
  if (!sw__buf_putc(b, '"')) return false;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    bool ok;
    if (*p == '"' || *p == '\\')
      ok = sw__buf_putc(b, '\\') && sw__buf_putc(b, (char)*p);
    else if (*p < 0x20)
      ok = sw__buf_printf(b, "\\u%04x", *p);
    else
      ok = sw__buf_putc(b, (char)*p);
    if (!ok) return false;
  }
  return sw__buf_putc(b, '"');
}

/* The shortest of %.15g..%.17g that reads back as x; null when not finite
 * (a share of no records). */
static bool json_num(sw_buf *b, double x) {
  if (!isfinite(x)) return sw__buf_printf(b, "null");
  char t[40];
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(t, sizeof t, "%.*g", prec, x);
    if (strtod(t, NULL) == x) break;
  }
  return sw__buf_printf(b, "%s", t);
}

static bool json_date(sw_buf *b, int32_t d) {
  char t[16];
  sw_date_format(d, t, sizeof t);
  return sw__buf_printf(b, "\"%s\"", t);
}

static sw_status json_input(sw_buf *b, bool *first, const char *role,
                            const char *path, sw_error *err) {
  if (!path) return SW_OK;
  char hex[65];
  uint64_t bytes;
  sw_status st = sw__sha256_file(path, hex, &bytes, err);
  if (st != SW_OK) return st;
  bool ok = sw__buf_printf(b, "%s\n    {\"role\": \"%s\", \"path\": ",
                           *first ? "" : ",", role) &&
            json_str(b, path) &&
            sw__buf_printf(b, ", \"sha256\": \"%s\", \"bytes\": %llu}", hex,
                           (unsigned long long)bytes);
  *first = false;
  return ok ? SW_OK : sw__err(err, SW_E_NOMEM, "out of memory");
}

static bool json_side(sw_buf *b, const char *name, uint64_t n, uint64_t hit,
                      double expected, bool last) {
  return sw__buf_printf(b,
                        "    \"%s\": {\"records\": %llu, \"in_target\": %llu, "
                        "\"expected_in_target\": ",
                        name, (unsigned long long)n, (unsigned long long)hit) &&
         json_num(b, expected) && put(b, ", \"share\": ") &&
         json_num(b, n ? (double)hit / (double)n : NAN) &&
         put(b, ", \"expected_share\": ") &&
         json_num(b, n ? expected / (double)n : NAN) &&
         put(b, last ? "}\n" : "},\n");
}

static sw_status truth_text(const sw_sim *s, const sw_simulate_stats *st,
                            sw_buf *b, sw_error *err) {
  const sw_simulate_opts *o = s->o;
  sw_buf tgt = {0};
  bool ok =
      sw__buf_printf(&tgt, "%s=%s", o->target_attr, o->target_value) &&
      put(b, "{\n  \"generator\": \"steerwatch simulate\",\n  \"version\": ") &&
      json_str(b, SW_VERSION_STRING) &&
      sw__buf_printf(b, ",\n  \"seed\": %llu,\n  \"parameters\": {\n",
                     (unsigned long long)o->seed) &&
      sw__buf_printf(b, "    \"n_records\": %llu,\n    \"target\": ",
                     (unsigned long long)o->n_records) &&
      json_str(b, tgt.data) && put(b, ",\n    \"target_attribute\": ") &&
      json_str(b, o->target_attr) && put(b, ",\n    \"target_value\": ") &&
      json_str(b, o->target_value) && put(b, ",\n    \"steer\": ") &&
      json_num(b, o->steer) && put(b, ",\n    \"start\": ") &&
      json_date(b, s->start) && put(b, ",\n    \"from\": ") &&
      json_date(b, o->from) && put(b, ",\n    \"to\": ") &&
      json_date(b, o->to) && put(b, ",\n    \"b_origin\": ") &&
      json_num(b, o->b_origin) && put(b, ",\n    \"b_ties\": ") &&
      json_num(b, o->b_ties) && put(b, ",\n    \"share_ties\": ") &&
      json_num(b, o->share_ties) && put(b, ",\n    \"cost_per_km\": ") &&
      json_num(b, o->cost_per_km) && put(b, "\n  },\n");
  sw__buf_free(&tgt);
  /* The coefficients as the audit names them, and the target's by
   * period in the shape of results.json's periods. */
  ok = ok &&
       put(b, "  \"coefficients\": [\n"
              "    {\"name\": \"log1p_km_origin\", \"value\": ") &&
       json_num(b, o->b_origin) &&
       put(b, "},\n    {\"name\": \"log1p_km_ties\", \"value\": ") &&
       json_num(b, o->b_ties) &&
       put(b, "},\n    {\"name\": \"target\", \"value\": ") &&
       json_num(b, o->steer) && put(b, ", \"from\": ") &&
       json_date(b, s->start) && put(b, "}\n  ],\n  \"periods\": [");
  bool first = true;
  if (ok && s->start > o->from) {
    ok = put(b, "\n    {\"from\": ") && json_date(b, o->from) &&
         put(b, ", \"to\": ") &&
         json_date(b, s->start <= o->to ? s->start - 1 : o->to) &&
         put(b, ", \"gamma\": 0}");
    first = false;
  }
  if (ok && s->start <= o->to) {
    ok = put(b, first ? "\n" : ",\n") && put(b, "    {\"from\": ") &&
         json_date(b, s->start > o->from ? s->start : o->from) &&
         put(b, ", \"to\": ") && json_date(b, o->to) &&
         put(b, ", \"gamma\": ") && json_num(b, o->steer) && put(b, "}");
  }
  ok = ok &&
       sw__buf_printf(b,
                      "\n  ],\n  \"geography\": {\n    \"regions\": %zu,\n"
                      "    \"regions_with_attribute_point\": %zu,\n"
                      "    \"regions_with_population\": %zu,\n"
                      "    \"population_floor\": ",
                      s->n_regions, s->n_attr_point, s->n_population) &&
       json_num(b, s->pop_floor) &&
       sw__buf_printf(b, ",\n    \"facilities\": %zu,\n", s->n_fac) &&
       put(b, "    \"target_periods\": [");
  for (size_t k = 0; ok && k < s->n_periods; k++)
    ok = put(b, k ? ",\n      {\"from\": " : "\n      {\"from\": ") &&
         json_date(b, s->period_from[k]) &&
         sw__buf_printf(b, ", \"regions_in_target\": %zu}",
                        s->target_start[k + 1] - s->target_start[k]);
  ok = ok && put(b, "\n    ]\n  },\n  \"inputs\": [");
  if (!ok) return sw__err(err, SW_E_NOMEM, "out of memory");
  first = true;
  sw_status r;
  if ((r = json_input(b, &first, "regions", o->regions_path, err)) ||
      (r = json_input(b, &first, "attributes", o->attrs_path, err)) ||
      (r = json_input(b, &first, "facilities", o->facilities_path, err)))
    return r;
  ok = put(b, first ? "],\n" : "\n  ],\n") &&
       sw__buf_printf(b,
                      "  \"counts\": {\n    \"records\": %llu,\n"
                      "    \"with_ties\": %llu,\n",
                      (unsigned long long)st->n_records,
                      (unsigned long long)st->with_ties) &&
       json_side(b, "before_start", st->before_start, st->target_before,
                 st->expected_before, false) &&
       json_side(b, "after_start", st->after_start, st->target_after,
                 st->expected_after, false) &&
       put(b, "    \"cost_total\": ") && json_num(b, st->cost_total) &&
       put(b, "\n  }\n}\n");
  return ok ? SW_OK : sw__err(err, SW_E_NOMEM, "out of memory");
}

static sw_status write_truth(const sw_sim *s, const sw_simulate_stats *st,
                             const char *path, bool *created, sw_error *err) {
  sw_buf b = {0};
  sw_status status = truth_text(s, st, &b, err);
  if (status != SW_OK) {
    sw__buf_free(&b);
    return status;
  }
  FILE *f = fopen(path, "wb");
  if (!f) {
    sw__buf_free(&b);
    status = sw__err(err, SW_E_CREATE, "cannot create: %s", strerror(errno));
    sw__err_at(err, path, 0, NULL, 0);
    return status;
  }
  *created = regular_file(f);
  bool ok = fwrite(b.data, 1, b.len, f) == b.len;
  ok = (fclose(f) == 0) && ok;
  sw__buf_free(&b);
  if (!ok) {
    status = sw__err(err, SW_E_IO, "write failed: %s", strerror(errno));
    sw__err_at(err, path, 0, NULL, 0);
  }
  return status;
}

sw_status sw_simulate(const sw_simulate_opts *opts, const char *out_path,
                      sw_simulate_stats *stats, sw_error *err) {
  sw_simulate_stats st = {0};
  if (stats) *stats = st;
  sw_status status = check_opts(opts, out_path, err);
  if (status != SW_OK) return status;
  size_t tlen = sw_simulate_truth_path(out_path, NULL, 0);
  char *truth = sw__malloc(tlen + 1);
  if (!truth) return sw__err(err, SW_E_NOMEM, "out of memory");
  sw_simulate_truth_path(out_path, truth, tlen + 1);

  sw_sim s = {0};
  s.o = opts;
  s.n = (size_t)opts->n_records;
  s.last_tick = -1;
  s.start =
      opts->start != SW_SIMULATE_MIDPOINT
          ? opts->start
          : opts->from + (int32_t)(((int64_t)opts->to - opts->from + 1) / 2);
  bool made_records = false, made_truth = false;
  if ((status = sw__sim_regions(&s, err)) == SW_OK &&
      (status = sw__sim_facilities(&s, err)) == SW_OK &&
      (status = sw__sim_periods(&s, err)) == SW_OK &&
      (status = sw__sim_draw(&s, err)) == SW_OK) {
    st.start = s.start;
    status = write_records(&s, out_path, &st, &made_records, err);
    if (status == SW_OK) status = write_truth(&s, &st, truth, &made_truth, err);
  }
  /* Leave no half-written output: a truth without its records, or
   * records cut short, would mislead whoever finds them. Files that could
   * not be created, and outputs that are not regular files, are left. */
  if (status != SW_OK) {
    if (made_records) remove(out_path);
    if (made_truth) remove(truth);
  } else if (stats) {
    *stats = st;
  }
  sw__sim_clear(&s);
  sw__free(truth);
  return status;
}
