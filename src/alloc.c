/*
 * alloc.c — allocation wrappers with an injectable failure (see alloc.h).
 */
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

/* Counters for the failure hook. Plain statics: the hook is for
 * single-threaded tests; in production fail_at stays 0 and the counter's
 * races are harmless because nothing reads it. */
static uint64_t n_allocs;
static uint64_t fail_at;

static bool should_fail(void) {
  n_allocs++;
  return fail_at != 0 && n_allocs == fail_at;
}

uint64_t sw__alloc_fail_at(uint64_t n) {
  uint64_t made = n_allocs;
  n_allocs = 0;
  fail_at = n;
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
