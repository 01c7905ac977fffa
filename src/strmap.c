/*
 * strmap.c — open addressing with linear probing, FNV-1a hashing, keys in
 * chunked arenas (a key's address never moves, so stored pointers stay
 * valid as the map grows).
 */
#include "strmap.h"

#include <stdint.h>
#include <string.h>

#include "alloc.h"

typedef struct slot {
  const char *key; /* NULL when empty */
  size_t len;
  size_t value;
  uint64_t hash;
} slot;

typedef struct chunk {
  struct chunk *next;
  size_t used, cap;
  char data[];
} chunk;

struct sw_strmap {
  slot *slots;
  size_t cap; /* power of two */
  size_t count;
  chunk *arena;
};

static uint64_t fnv1a(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ull;
  }
  return h;
}

sw_strmap *sw__strmap_new(void) {
  sw_strmap *m = sw__calloc(1, sizeof *m);
  if (!m) return NULL;
  m->cap = 64;
  m->slots = sw__calloc(m->cap, sizeof *m->slots);
  if (!m->slots) {
    sw__free(m);
    return NULL;
  }
  return m;
}

void sw__strmap_free(sw_strmap *m) {
  if (!m) return;
  for (chunk *c = m->arena; c;) {
    chunk *next = c->next;
    sw__free(c);
    c = next;
  }
  sw__free(m->slots);
  sw__free(m);
}

static const char *arena_copy(sw_strmap *m, const char *s, size_t n) {
  if (n == SIZE_MAX) return NULL;
  chunk *c = m->arena;
  if (!c || c->cap - c->used < n + 1) {
    size_t cap = n + 1 > 65536 ? n + 1 : 65536;
    c = sw__malloc(sizeof *c + cap);
    if (!c) return NULL;
    c->next = m->arena;
    c->used = 0;
    c->cap = cap;
    m->arena = c;
  }
  char *d = c->data + c->used;
  memcpy(d, s, n);
  d[n] = '\0';
  c->used += n + 1;
  return d;
}

static slot *find(const sw_strmap *m, const char *key, size_t len, uint64_t h) {
  size_t mask = m->cap - 1;
  for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
    slot *s = &m->slots[i];
    if (!s->key) return s;
    if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)
      return s;
  }
}

bool sw__strmap_get(const sw_strmap *m, const char *key, size_t len,
                    size_t *value) {
  slot *s = find(m, key, len, fnv1a(key, len));
  if (!s->key) return false;
  if (value) *value = s->value;
  return true;
}

static bool rehash(sw_strmap *m) {
  size_t ncap = m->cap * 2;
  slot *ns = sw__calloc(ncap, sizeof *ns);
  if (!ns) return false;
  slot *old = m->slots;
  size_t ocap = m->cap;
  m->slots = ns;
  m->cap = ncap;
  for (size_t i = 0; i < ocap; i++)
    if (old[i].key) *find(m, old[i].key, old[i].len, old[i].hash) = old[i];
  sw__free(old);
  return true;
}

int sw__strmap_put(sw_strmap *m, const char *key, size_t len, size_t value,
                   size_t *existing, const char **stored) {
  uint64_t h = fnv1a(key, len);
  slot *s = find(m, key, len, h);
  if (s->key) {
    if (existing) *existing = s->value;
    if (stored) *stored = s->key;
    return 0;
  }
  /* Keep the load factor under 1/2 so probes stay short. */
  if ((m->count + 1) * 2 > m->cap) {
    if (!rehash(m)) return -1;
    s = find(m, key, len, h);
  }
  const char *k = arena_copy(m, key, len);
  if (!k) return -1;
  s->key = k;
  s->len = len;
  s->value = value;
  s->hash = h;
  m->count++;
  if (stored) *stored = k;
  return 1;
}

size_t sw__strmap_count(const sw_strmap *m) { return m->count; }
