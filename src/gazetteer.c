/*
 * gazetteer.c — reading a gazetteer (see gazetteer.h) into one map from a
 * normalised key to a point, for the records reader's place columns.
 *
 * Keys are stored as a kind letter and the normalised text, so that one
 * probe answers a lookup: "z10001", "pspringfield, il", "c06075",
 * "ccook county, il". Normalising both the list and the value read makes
 * "St. Louis, MO", "st louis,MO" and "Saint Louis, MO" one key.
 */
#include "gazetteer.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "csv.h"
#include "err.h"
#include "number.h"
#include "strmap.h"

#define MAX_KEY 160 /* longer values are no place name */

struct sw_gazetteer {
  sw_strmap *keys; /* normalised key -> index */
  sw_point *place; /* NaN: the key names two places */
  size_t n, cap;
};

void sw__gazetteer_free(sw_gazetteer *g) {
  if (!g) return;
  sw__strmap_free(g->keys);
  sw__free(g->place);
  sw__free(g);
}

static bool is_digits(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (s[i] < '0' || s[i] > '9') return false;
  return len > 0;
}

/* A 5-digit code into out[0..4]: 5 digits, or 3-4 that a spreadsheet
 * stripped of leading zeros; with plus4, also ZIP+4 (`02134-1234`). */
static bool code5(const char *s, size_t len, bool plus4, char *out) {
  if (plus4 && len == 10 && s[5] == '-' && is_digits(s + 6, 4)) len = 5;
  if (len < 3 || len > 5 || !is_digits(s, len)) return false;
  memset(out, '0', 5 - len);
  memcpy(out + 5 - len, s, len);
  return true;
}

/* Abbreviate the words written both ways. */
static const char *word_of(const char *w, size_t len) {
  static const char *const longs[][2] = {
      {"saint", "st"}, {"fort", "ft"}, {"mount", "mt"}};
  for (size_t k = 0; k < sizeof longs / sizeof *longs; k++)
    if (strlen(longs[k][0]) == len && !memcmp(longs[k][0], w, len))
      return longs[k][1];
  return NULL;
}

/* The base letter of U+00C0 + k and U+00E0 + k (k < 32); '*' for the
 * letters without one (Æ, Ð, Ø, Þ, ß) and the signs × and ÷. */
static const char accents[] = "aaaaaa*ceeeeiiii*nooooo**uuuuy**";

/* "Name, ST" normalised into out (MAX_KEY bytes): lower case, no periods,
 * words one space apart, ", " before the state. False when it is not one
 * name, a comma and a 2-letter state, or too long. */
static bool name_key(const char *s, size_t len, char *out, size_t *n) {
  char low[MAX_KEY];
  size_t m = 0, commas = 0;
  if (len >= MAX_KEY) return false;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (c == '.') continue;
    if (c >= 'A' && c <= 'Z') c = (char)(c | 32);
    /* Latin-1 letters with accents (U+00C0..U+00FF, UTF-8 C3 80..BF) as
     * their base letter: agencies write BOQUERON for Boquerón. */
    unsigned char next = i + 1 < len ? (unsigned char)s[i + 1] : 0;
    if ((unsigned char)c == 0xC3 && next >= 0x80 && next <= 0xBF &&
        accents[next & 0x1F] != '*') {
      c = accents[next & 0x1F];
      i++;
    }
    low[m++] = c;
  }
  size_t k = 0;
  for (size_t i = 0; i < m;) {
    char c = low[i];
    if (c == ' ' || c == '\t') {
      i++;
      continue;
    }
    if (c == ',') {
      commas++;
      memcpy(out + k, ", ", 2);
      k += 2;
      i++;
      continue;
    }
    size_t j = i;
    while (j < m && low[j] != ' ' && low[j] != '\t' && low[j] != ',')
      j++;
    if (k && out[k - 1] != ' ') out[k++] = ' ';
    const char *w = word_of(low + i, j - i);
    size_t wl = w ? strlen(w) : j - i;
    if (k + wl + 2 >= MAX_KEY) return false;
    memcpy(out + k, w ? w : low + i, wl);
    k += wl;
    i = j;
  }
  /* The state: the last two letters, after the one comma. */
  if (commas < 1 || k < 5 || out[k - 3] != ' ' || out[k - 4] != ',' ||
      !(out[k - 1] >= 'a' && out[k - 1] <= 'z') ||
      !(out[k - 2] >= 'a' && out[k - 2] <= 'z') || k == 4)
    return false;
  *n = k;
  return true;
}

/* The map key of value s as kind ('z', 'p' or 'c'); false when s is not
 * written as that kind is. */
static bool make_key(char kind, const char *s, size_t len, char *key,
                     size_t *n) {
  while (len && (*s == ' ' || *s == '\t'))
    s++, len--;
  while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
    len--;
  key[0] = kind;
  if (kind != 'p' || is_digits(s, len < 5 ? len : 5)) {
    if (kind == 'p') key[0] = 'z';
    if (code5(s, len, key[0] == 'z', key + 1)) {
      *n = 6;
      return true;
    }
    if (kind == 'p' || kind == 'z') return false;
  }
  if (!name_key(s, len, key + 1, n)) return false;
  (*n)++;
  return true;
}

int sw__gazetteer_find(const sw_gazetteer *g, int what, const char *s,
                       size_t len, sw_point *p) {
  char key[MAX_KEY + 1];
  size_t n, i;
  if (!make_key(what == SW_GAZ_COUNTY ? 'c' : 'p', s, len, key, &n))
    return SW_GAZ_MALFORMED;
  if (!sw__strmap_get(g->keys, key, n, &i)) return SW_GAZ_UNKNOWN;
  *p = g->place[i];
  return isnan(p->lat_deg) ? SW_GAZ_AMBIGUOUS : SW_GAZ_FOUND;
}

static sw_status row_error(sw_csv *c, sw_status code, const char *column,
                           const char *what, const char *s, size_t len,
                           sw_error *err) {
  char q[96];
  sw__quote(q, sizeof q, s, len, 64);
  sw__err(err, code, "%s: %s", what, q);
  sw__err_at(err, sw__csv_path(c), sw__csv_line(c), column, sw__csv_byte(c));
  return code;
}

/* The gazetteer being read and the columns of its header. */
typedef struct gaz_read {
  sw_gazetteer *g;
  long col[4];
} gaz_read;

static sw_status add_row(void *user, sw_csv *c, sw_error *err) {
  sw_gazetteer *g = ((gaz_read *)user)->g;
  const long *col = ((gaz_read *)user)->col;
  size_t len[4];
  const char *f[4];
  for (int k = 0; k < 4; k++)
    f[k] = sw__csv_field(c, (size_t)col[k], &len[k]);
  char kind;
  if (len[0] == 3 && !memcmp(f[0], "zip", 3))
    kind = 'z';
  else if (len[0] == 5 && !memcmp(f[0], "place", 5))
    kind = 'p';
  else if (len[0] == 6 && !memcmp(f[0], "county", 6))
    kind = 'c';
  else
    return row_error(c, SW_E_PARSE, "kind", "not zip, place or county", f[0],
                     len[0], err);
  char key[MAX_KEY + 1];
  size_t n;
  /* A place key must be a name: a ZIP code goes under `zip`. */
  if (!make_key(kind, f[1], len[1], key, &n) || key[0] != kind)
    return row_error(c, SW_E_PARSE, "key", "not a key of its kind", f[1],
                     len[1], err);
  sw_point p;
  static const char *const names[] = {"lat", "lon"};
  double *v[] = {&p.lat_deg, &p.lon_deg};
  for (int k = 0; k < 2; k++)
    if (!sw__parse_number(f[2 + k], len[2 + k], v[k]) ||
        fabs(*v[k]) > (k ? 180 : 90))
      return row_error(c, SW_E_PARSE, names[k], "not a coordinate", f[2 + k],
                       len[2 + k], err);
  size_t prev;
  int put = sw__strmap_put(g->keys, key, n, g->n, &prev, NULL);
  if (put < 0) return sw__err(err, SW_E_NOMEM, "out of memory");
  if (put == 0) {
    sw_point *q = &g->place[prev];
    if (q->lat_deg != p.lat_deg || q->lon_deg != p.lon_deg)
      q->lat_deg = q->lon_deg = NAN;
    return SW_OK;
  }
  void *a = g->place;
  if (!sw__grow(&a, &g->cap, g->n + 1, sizeof *g->place))
    return sw__err(err, SW_E_NOMEM, "out of memory");
  g->place = a;
  g->place[g->n++] = p;
  return SW_OK;
}

sw_status sw__gazetteer_read(const char *path, sw_gazetteer **out,
                             sw_error *err) {
  *out = NULL;
  sw_gazetteer *g = sw__calloc(1, sizeof *g);
  if (!g || !(g->keys = sw__strmap_new())) {
    sw__gazetteer_free(g);
    return sw__err(err, SW_E_NOMEM, "out of memory");
  }
  sw_csv_opts co = {0};
  sw_csv *c = NULL;
  sw_status st = sw__csv_open(path, &co, &c, err);
  if (!st) st = sw__csv_header(c, err);
  static const char *const names[] = {"kind", "key", "lat", "lon"};
  gaz_read r = {.g = g};
  long *col = r.col;
  for (int k = 0; k < 4 && !st; k++)
    if ((col[k] = sw__csv_find(c, names[k])) < 0) {
      st = sw__err(err, SW_E_SCHEMA,
                   "required column missing from the header of the gazetteer "
                   "(kind, key, lat, lon)");
      sw__err_at(err, sw__csv_path(c), sw__csv_line(c), names[k], 0);
    }
  if (!st) st = sw__csv_each_row(c, sw__csv_n_fields(c), add_row, &r, err);
  sw__csv_close(c);
  if (st) {
    sw__gazetteer_free(g);
    return st;
  }
  *out = g;
  return SW_OK;
}

const char *sw_gazetteer_default(void) {
#if defined(SW_GAZETTEER_INSTALLED) && defined(SW_GAZETTEER_SOURCE)
  if (access(SW_GAZETTEER_INSTALLED, R_OK) == 0) return SW_GAZETTEER_INSTALLED;
  if (access(SW_GAZETTEER_SOURCE, R_OK) == 0) return SW_GAZETTEER_SOURCE;
#endif
  return NULL;
}
