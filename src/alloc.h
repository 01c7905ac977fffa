/*
 * alloc.h — the one door through which libsteerwatch allocates.
 *
 * Every allocation goes through these wrappers so that tests can make the
 * n-th one fail and check that each caller reports SW_E_NOMEM without
 * leaking. Size arithmetic that could overflow goes through sw__mul_size.
 */
#ifndef SW_ALLOC_H
#define SW_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *sw__malloc(size_t n);
void *sw__calloc(size_t count, size_t size);
void *sw__realloc(void *p, size_t n);
void sw__free(void *p);
char *sw__strndup(const char *s, size_t n);
char *sw__strdup(const char *s);

/* *out = a * b; false (and *out untouched) when it overflows size_t. */
bool sw__mul_size(size_t a, size_t b, size_t *out);

/* Grow *buf (of *cap elements of elem bytes) so that it holds at least
 * need elements, doubling. False on overflow or allocation failure, with
 * *buf and *cap unchanged. */
bool sw__grow(void **buf, size_t *cap, size_t need, size_t elem);

/* Test hook: make the n-th allocation from now fail (1 = the next one);
 * 0 disables. Returns how many allocations were made since the last call
 * (none are counted before the first), so a test can first count, then
 * fail each in turn. With several threads allocating, which allocation is
 * the n-th depends on their timing. */
uint64_t sw__alloc_fail_at(uint64_t n);

#endif
