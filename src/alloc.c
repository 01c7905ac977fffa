/*
 * alloc.c — allocation wrappers with an injectable failure (see alloc.h).
 */
#include "alloc.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* The failure hook's counters. Nothing counts until a test first arms
 * the hook, so production allocations pay one relaxed load; atomics,
 * because the library allocates from several threads at once. */
static atomic_bool armed;
static atomic_uint_least64_t n_allocs;
static atomic_uint_least64_t fail_at;

static bool should_fail(void) {
  if (!atomic_load_explicit(&armed, memory_order_relaxed)) return false;
  uint64_t n =
      atomic_fetch_add_explicit(&n_allocs, 1, memory_order_relaxed) + 1;
  uint64_t f = atomic_load_explicit(&fail_at, memory_order_relaxed);
  return f != 0 && n == f;
}

uint64_t sw__alloc_fail_at(uint64_t n) {
  atomic_store(&armed, true);
  uint64_t made = atomic_exchange(&n_allocs, 0);
  atomic_store(&fail_at, n);
  return made;
}

void *sw__malloc(size_t n) {
  if (should_fail()) return NULL;
  return malloc(n ? n : 1);
}

void *sw__calloc(size_t count, size_t size) {
  if (should_fail()) return NULL;
  if (count == 0 || size == 0) count = size = 1;
  return calloc(count, size);
}

void *sw__realloc(void *p, size_t n) {
  if (should_fail()) return NULL;
  return realloc(p, n ? n : 1);
}

void sw__free(void *p) { free(p); }

char *sw__strndup(const char *s, size_t n) {
  if (n == SIZE_MAX) return NULL;
  char *d = sw__malloc(n + 1);
  if (!d) return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

char *sw__strdup(const char *s) { return sw__strndup(s, strlen(s)); }

bool sw__mul_size(size_t a, size_t b, size_t *out) {
  if (b != 0 && a > SIZE_MAX / b) return false;
  *out = a * b;
  return true;
}

bool sw__grow(void **buf, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return true;
  size_t ncap = *cap ? *cap : 16;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2) return false;
    ncap *= 2;
  }
  size_t bytes;
  if (!sw__mul_size(ncap, elem, &bytes)) return false;
  void *p = sw__realloc(*buf, bytes);
  if (!p) return false;
  *buf = p;
  *cap = ncap;
  return true;
}
