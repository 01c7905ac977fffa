/*
 * audit_publish.c — the publishable view of a finished audit (issue 14,
 * docs/publish.md): findings meant for the public and for Congress, made
 * from records of real people. It builds a shallow copy of the audit whose
 * tables hold protected counts, and hands it to the ordinary writers
 * (sw_audit_write), which read the protections from audit_publish:
 *
 *  - record ids become "p" and the first 32 hex digits of HMAC-SHA256(key,
 *    id): the key's holder can re-link a row to the record, a reader
 *    cannot, and without a key nothing is written (a bare hash of an id
 *    is reversed by hashing every likely id);
 *  - counts of people from 1 to k - 1 are withheld, with complementary
 *    suppression (suppress.c) over regions, facilities, periods and weeks,
 *    the totals of which are published;
 *  - columns carried through from the records are dropped unless named:
 *    they are free text, where names and case notes hide.
 *
 * The headline figures (targets' headline, observed, expected, excess,
 * the models) are the full audit's: they are totals and estimates.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "alloc.h"
#include "audit_state.h"
#include "err.h"

#define MIN_KEY_BYTES 16
#define DEFAULT_MIN_CELL 10

static bool pseudonym(const sw_publish_opts *p, const char *id,
                      char out[AUDIT_PSEUDONYM_MAX]) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!HMAC(EVP_sha256(), p->key, (int)p->key_len, (const unsigned char *)id,
            strlen(id), md, &n) ||
      n < 16)
    return false;
  static const char hex[] = "0123456789abcdef";
  /* A leading letter: a spreadsheet would read "12e45..." as a number. */
  out[0] = 'p';
  for (size_t i = 0; i < 16; i++) {
    out[1 + 2 * i] = hex[md[i] >> 4];
    out[2 + 2 * i] = hex[md[i] & 15];
  }
  out[33] = '\0';
  return true;
}

/* Everything the view owns. */
typedef struct view {
  sw_audit a; /* the audit, with targets and publish replaced */
  audit_publish pub;
  audit_target *targets;
} view;

static void view_free(view *v) {
  for (size_t i = 0; v->targets && i < v->a.n_targets; i++) {
    audit_target *t = &v->targets[i];
    sw__free(t->region_observed);
    sw__free(t->facility_n);
    sw__free(t->facility_observed);
    sw__free(t->periods);
    sw__free(t->weeks);
    sw__free(t->events);
  }
  sw__free(v->targets);
  sw__free(v->pub.flag_ids);
  sw__free(v->pub.keep_extra);
  sw__free(v->pub.region_hidden);
  sw__free(v->pub.facility_hidden);
}

static void *copy(const void *p, size_t n, size_t elem) {
  void *c = sw__calloc(n ? n : 1, elem);
  if (c && n) memcpy(c, p, n * elem);
  return c;
}

/* One count shown alone (no published total beside it): withheld when
 * from 1 to k - 1. */
static void small_alone(uint64_t *n, audit_publish *pub) {
  if (*n > 0 && *n < pub->min_cell) {
    *n = SW__SUPPRESSED;
    pub->n_counts_hidden++;
  }
}

/* Regions: each target's releases by region, split by membership, since
 * the target's observed count and the total are published. One mask
 * serves every target, so that no target shows what another withholds. */
static bool hide_regions(const sw_audit *a, audit_publish *pub) {
  size_t nd = 3 * a->n_targets, nr = a->n_regions;
  size_t m = nr * nd + 1; /* + 1: never a request of 0 */
  uint64_t *cells = sw__calloc(m, sizeof *cells);
  pub->region_hidden = sw__calloc(nr ? nr : 1, 1);
  if (!cells || !pub->region_hidden) {
    sw__free(cells);
    return false;
  }
  for (size_t i = 0; i < a->n_targets; i++) {
    const audit_target *t = &a->targets[i];
    for (size_t j = 0; j < nr; j++) {
      size_t g = t->region_flag[j] == 1 ? 0 : t->region_flag[j] == 0 ? 1 : 2;
      cells[j * nd + 3 * i + g] = t->region_observed[j];
    }
  }
  sw__suppress(cells, nr, nd, pub->min_cell, pub->region_hidden);
  pub->n_regions_hidden = sw__suppressed(pub->region_hidden, nr);
  sw__free(cells);
  return true;
}

/* Facilities: per target, releases into the target and elsewhere. */
static bool hide_facilities(const sw_audit *a, audit_publish *pub) {
  size_t nd = 2 * a->n_targets, nf = a->n_facilities;
  size_t m = nf * nd + 1;
  uint64_t *cells = sw__calloc(m, sizeof *cells);
  pub->facility_hidden = sw__calloc(nf ? nf : 1, 1);
  if (!cells || !pub->facility_hidden) {
    sw__free(cells);
    return false;
  }
  for (size_t i = 0; i < a->n_targets; i++) {
    const audit_target *t = &a->targets[i];
    for (size_t f = 0; f < nf; f++) {
      cells[f * nd + 2 * i] = t->facility_observed[f];
      cells[f * nd + 2 * i + 1] = t->facility_n[f] - t->facility_observed[f];
    }
  }
  sw__suppress(cells, nf, nd, pub->min_cell, pub->facility_hidden);
  pub->n_facilities_hidden = sw__suppressed(pub->facility_hidden, nf);
  sw__free(cells);
  return true;
}

/* Periods (records per period, which add up to the audited records) and
 * weeks (into the target and elsewhere) of one target. */
static bool hide_time(const audit_target *t, audit_target *v,
                      audit_publish *pub) {
  size_t np = t->n_periods, nw = t->n_weeks;
  uint64_t *cells = sw__calloc(np + 2 * nw + 1, sizeof *cells);
  uint8_t *hidden = sw__calloc(np + nw + 1, 1);
  bool ok = cells && hidden;
  if (ok) {
    for (size_t p = 0; p < np; p++)
      cells[p] = t->periods[p].n;
    sw__suppress(cells, np, 1, pub->min_cell, hidden);
    for (size_t p = 0; p < np; p++)
      if (hidden[p]) {
        v->periods[p].n = SW__SUPPRESSED;
        pub->n_periods_hidden++;
      }
    for (size_t w = 0; w < nw; w++) {
      cells[2 * w] = t->weeks[w].observed;
      cells[2 * w + 1] = t->weeks[w].n - t->weeks[w].observed;
    }
    sw__suppress(cells, nw, 2, pub->min_cell, hidden);
    for (size_t w = 0; w < nw; w++)
      if (hidden[w]) {
        sw_week *wk = &v->weeks[w];
        wk->n = wk->observed = SW__SUPPRESSED;
        wk->expected = wk->variance = wk->excess = NAN;
        pub->n_weeks_hidden++;
      }
  }
  sw__free(cells);
  sw__free(hidden);
  return ok;
}

static bool protect_target(const sw_audit *a, const audit_target *t,
                           audit_target *v, audit_publish *pub) {
  *v = *t;
  v->region_observed = copy(t->region_observed, a->n_regions, sizeof(uint64_t));
  v->facility_n = copy(t->facility_n, a->n_facilities, sizeof(uint64_t));
  v->facility_observed =
      copy(t->facility_observed, a->n_facilities, sizeof(uint64_t));
  v->periods = copy(t->periods, t->n_periods, sizeof *t->periods);
  v->weeks = copy(t->weeks, t->n_weeks, sizeof *t->weeks);
  v->events =
      t->events ? copy(t->events, a->o.n_events, sizeof *t->events) : NULL;
  if (!v->region_observed || !v->facility_n || !v->facility_observed ||
      !v->periods || !v->weeks || (t->events && !v->events))
    return false;
  for (size_t j = 0; j < a->n_regions; j++)
    if (pub->region_hidden[j]) v->region_observed[j] = SW__SUPPRESSED;
  for (size_t f = 0; f < a->n_facilities; f++)
    if (pub->facility_hidden[f])
      v->facility_n[f] = v->facility_observed[f] = SW__SUPPRESSED;
  for (size_t e = 0; v->events && e < a->o.n_events; e++) {
    sw_event_window *w = &v->events[e];
    small_alone(&w->n_before, pub);
    small_alone(&w->n_after, pub);
  }
  small_alone(&v->head.n_before, pub);
  small_alone(&v->head.n_after, pub);
  return hide_time(t, v, pub);
}

/* Which carried-through columns stay; SW_E_USAGE for a name not there. */
static sw_status keep_columns(const sw_audit *a, const sw_publish_opts *p,
                              audit_publish *pub, sw_error *err) {
  size_t ne = sw_records_n_extra(a->records);
  pub->keep_extra = sw__calloc(ne ? ne : 1, 1);
  if (!pub->keep_extra) return sw__err(err, SW_E_NOMEM, "out of memory");
  for (size_t k = 0; k < p->n_keep_columns; k++) {
    bool found = false;
    for (size_t c = 0; c < ne; c++)
      if (!strcasecmp(p->keep_columns[k], sw_records_extra_name(a->records, c)))
        pub->keep_extra[c] = found = true;
    if (!found)
      return sw__err(err, SW_E_USAGE,
                     "--keep-column %s: the records carry no such column "
                     "beyond the ones the audit reads",
                     p->keep_columns[k]);
  }
  return SW_OK;
}

static sw_status build(const sw_audit *a, const sw_publish_opts *p, view *v,
                       sw_error *err) {
  audit_publish *pub = &v->pub;
  pub->min_cell = p->min_cell ? p->min_cell : DEFAULT_MIN_CELL;
  sw_status st = keep_columns(a, p, pub, err);
  if (st) return st;
  pub->flag_ids = sw__calloc(a->n_flags ? a->n_flags : 1, AUDIT_PSEUDONYM_MAX);
  v->targets = sw__calloc(a->n_targets ? a->n_targets : 1, sizeof *v->targets);
  if (!pub->flag_ids || !v->targets || !hide_regions(a, pub) ||
      !hide_facilities(a, pub))
    return sw__err(err, SW_E_NOMEM, "out of memory");
  for (size_t i = 0; i < a->n_flags; i++) {
    sw_record r;
    sw_records_get(a->records, a->flags[i].record, &r);
    if (!pseudonym(p, r.id, pub->flag_ids[i]))
      return sw__err(err, SW_E_INTERNAL,
                     "HMAC-SHA256 unavailable in libcrypto");
  }
  v->a = *a;
  v->a.publish = pub;
  v->a.targets = v->targets;
  for (size_t i = 0; i < a->n_targets; i++)
    if (!protect_target(a, &a->targets[i], &v->targets[i], pub))
      return sw__err(err, SW_E_NOMEM, "out of memory");
  snprintf(pub->line, sizeof pub->line,
           "Published view: record ids are keyed pseudonyms, counts under "
           "%llu people are withheld (with others, so that totals do not "
           "give them back), and the records' own free-text columns are "
           "left out.",
           (unsigned long long)pub->min_cell);
  return SW_OK;
}

sw_status sw_audit_write_published(const sw_audit *a, const char *dir,
                                   const sw_publish_opts *p, sw_error *err) {
  if (!a || !dir || !p) return sw__err(err, SW_E_USAGE, "NULL argument");
  if (!p->key || p->key_len < MIN_KEY_BYTES)
    return sw__err(err, SW_E_USAGE,
                   "a published audit needs a key of at least %d bytes for "
                   "its pseudonyms (got %zu)",
                   MIN_KEY_BYTES, p->key ? p->key_len : 0);
  if (p->key_len > INT32_MAX)
    return sw__err(err, SW_E_USAGE, "the key is too long");
  view v = {0};
  sw_status st = build(a, p, &v, err);
  if (st == SW_OK) st = sw_audit_write(&v.a, dir, err);
  view_free(&v);
  return st;
}
