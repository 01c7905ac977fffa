/*
 * transfers.c — from detention stays (stays.c) to transfers: each person's
 * stays in time order, and a move from one facility to the next when the
 * next stay begins soon enough after the last ended. The transfers are
 * written as placement records, so that `audit` tests where people were
 * transferred with the facilities as the alternatives (docs/transfers.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "csv.h"
#include "err.h"
#include "stays.h"
#include "strmap.h"

typedef struct move {
  size_t from, to; /* stay indices: the last stay left (after re-books)
                      and the one entered */
  size_t id;       /* arena offset of `PERSON:N` */
  int32_t date;    /* book-out of the stay left */
} move;

struct sw_transfers {
  const sw_stays *s; /* borrowed: the stays must outlive the transfers */
  move *m;
  size_t n, cap;
  sw_buf ids;
  sw_transfer_stats stats;
};

void sw_transfers_free(sw_transfers *t) {
  if (!t) return;
  sw__free(t->m);
  sw__buf_free(&t->ids);
  sw__free(t);
}

size_t sw_transfers_count(const sw_transfers *t) { return t ? t->n : 0; }
sw_transfer_stats sw_transfers_stats(const sw_transfers *t) { return t->stats; }

/* A stay's sort key: the person as a number (order of first appearance),
 * so that the sort needs no strings and no global state. */
typedef struct key {
  size_t person;
  int32_t in, out;
  uint64_t line;
  size_t stay;
} key;

static int by_person_time(const void *a, const void *b) {
  const key *x = a, *y = b;
  if (x->person != y->person) return x->person < y->person ? -1 : 1;
  if (x->in != y->in) return x->in < y->in ? -1 : 1;
  if (x->out != y->out) return x->out < y->out ? -1 : 1;
  return x->line < y->line ? -1 : x->line > y->line;
}

static const char *str(const sw_stays *s, size_t off) {
  return s->arena.data + off;
}

/* Stay i's book-out as the next stay is measured from: a stay that ends
 * before it began (dates read before their month/day order was known)
 * has no usable end, so whatever follows it is an overlap. */
static int32_t end_of(const sw_stays *s, size_t i) {
  return s->book_out[i] < s->book_in[i] ? SW_STAY_OPEN : s->book_out[i];
}

/* The stays' keys in person and time order; NULL out of memory. */
static key *sorted_keys(const sw_stays *s, uint64_t *people) {
  key *k = sw__calloc(s->n ? s->n : 1, sizeof *k);
  sw_strmap *ids = sw__strmap_new();
  bool ok = k && ids;
  for (size_t i = 0; ok && i < s->n; i++) {
    const char *p = str(s, s->person[i]);
    size_t prev;
    int put = sw__strmap_put(ids, p, strlen(p), (size_t)*people, &prev, NULL);
    if (put < 0) ok = false;
    k[i] = (key){put > 0 ? (size_t)(*people)++ : prev, s->book_in[i],
                 s->book_out[i], s->line[i], i};
  }
  sw__strmap_free(ids);
  if (!ok) {
    sw__free(k);
    return NULL;
  }
  qsort(k, s->n, sizeof *k, by_person_time);
  return k;
}

/* Append the move from stay `from` (left on `date`) to stay `to`. */
static bool add_move(sw_transfers *t, size_t from, size_t to, int32_t date,
                     unsigned n) {
  if (t->n == t->cap) {
    void *p = t->m;
    if (!sw__grow(&p, &t->cap, t->n + 1, sizeof *t->m)) return false;
    t->m = p;
  }
  size_t id = t->ids.len;
  if (!sw__buf_printf(&t->ids, "%s:%u", str(t->s, t->s->person[from]), n) ||
      !sw__buf_putc(&t->ids, 0))
    return false;
  t->m[t->n++] = (move){from, to, id, date};
  return true;
}

sw_status sw_transfers_from_stays(const sw_stays *s, int32_t max_gap_days,
                                  sw_transfers **out, sw_error *err) {
  if (!out) return sw__err(err, SW_E_USAGE, "transfers: no output pointer");
  *out = NULL;
  if (!s || max_gap_days < 0)
    return sw__err(err, SW_E_USAGE, "transfers: %s",
                   s ? "the largest gap must be >= 0 days" : "no stays");
  sw_transfers *t = sw__calloc(1, sizeof *t);
  key *k = t ? sorted_keys(s, &t->stats.people) : NULL;
  if (!k) {
    sw_transfers_free(t);
    return sw__err(err, SW_E_NOMEM, "out of memory");
  }
  t->s = s;
  size_t cur = 0;      /* the stay the person is in */
  int32_t cur_out = 0; /* its book-out, extended by re-books */
  unsigned n_moves = 0;
  for (size_t j = 0; j < s->n; j++) {
    size_t i = k[j].stay;
    if (!j || k[j].person != k[j - 1].person) {
      cur = i;
      cur_out = end_of(s, i);
      n_moves = 0;
      continue;
    }
    int64_t gap = (int64_t)s->book_in[i] - cur_out;
    if (cur_out == SW_STAY_OPEN || gap < 0 || s->book_out[i] < s->book_in[i]) {
      t->stats.overlaps++;
    } else if (gap > max_gap_days) {
      t->stats.gaps++;
    } else if (!strcmp(str(s, s->facility[i]), str(s, s->facility[cur]))) {
      /* A re-book (a court trip, a new charge): the same detention goes on. */
      t->stats.rebooks++;
      if (s->book_out[i] > cur_out) cur_out = s->book_out[i];
      continue;
    } else if (!add_move(t, cur, i, cur_out, ++n_moves)) {
      sw__free(k);
      sw_transfers_free(t);
      return sw__err(err, SW_E_NOMEM, "out of memory");
    } else {
      t->stats.transfers++;
    }
    cur = i;
    cur_out = end_of(s, i);
  }
  sw__free(k);
  *out = t;
  return SW_OK;
}

void sw_transfers_get(const sw_transfers *t, size_t i, sw_transfer *out) {
  const sw_stays *s = t->s;
  const move *m = &t->m[i];
  out->id = t->ids.data + m->id;
  out->person = str(s, s->person[m->from]);
  out->from = str(s, s->facility[m->from]);
  out->to = str(s, s->facility[m->to]);
  out->date = m->date;
  out->arrival = s->book_in[m->to];
  out->from_line = s->line[m->from];
  out->to_line = s->line[m->to];
}

sw_status sw_transfers_write(const sw_transfers *t, const char *path,
                             sw_error *err) {
  FILE *f = fopen(path, "wb");
  if (!f) {
    sw__err(err, SW_E_CREATE, "cannot create");
    sw__err_at(err, path, 0, NULL, 0);
    return SW_E_CREATE;
  }
  sw_buf b = {0};
  bool mem = sw__buf_printf(
      &b, "id,date,facility,release_region,person,arrival,gap_days\n");
  bool io = true;
  for (size_t i = 0; mem && io && i < t->n; i++) {
    sw_transfer x;
    sw_transfers_get(t, i, &x);
    char day[16], arr[16];
    sw_date_format(x.date, day, sizeof day);
    sw_date_format(x.arrival, arr, sizeof arr);
    mem = sw__csv_put_field(&b, x.id, strlen(x.id), ',') &&
          sw__buf_printf(&b, ",%s,", day) &&
          sw__csv_put_field(&b, x.from, strlen(x.from), ',') &&
          sw__buf_putc(&b, ',') &&
          sw__csv_put_field(&b, x.to, strlen(x.to), ',') &&
          sw__buf_putc(&b, ',') &&
          sw__csv_put_field(&b, x.person, strlen(x.person), ',') &&
          sw__buf_printf(&b, ",%s,%ld\n", arr, (long)x.arrival - x.date);
    if (mem && b.len > (1u << 16)) {
      io = fwrite(b.data, 1, b.len, f) == b.len;
      sw__buf_clear(&b);
    }
  }
  io = io && mem && fwrite(b.data, 1, b.len, f) == b.len;
  io = fclose(f) == 0 && io;
  sw__buf_free(&b);
  if (!mem) return sw__err(err, SW_E_NOMEM, "out of memory");
  if (!io) {
    sw__err(err, SW_E_IO, "write error");
    sw__err_at(err, path, 0, NULL, 0);
    return SW_E_IO;
  }
  return SW_OK;
}
