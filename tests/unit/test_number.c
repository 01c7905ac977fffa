/*
 * test_number.c — number.h's formatters: the fixed-point one writes the
 * same bytes as printf's "%.*f" (random values, ties, signs, edges), the
 * shortest one text that reads back.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"
#include "testutil.h"

static void same_as_printf(double x, int decimals) {
  char want[SW_FIXED_MAX + 8], got[SW_FIXED_MAX];
  snprintf(want, sizeof want, "%.*f", decimals, x);
  size_t n = sw__fmt_fixed(x, decimals, got);
  if (strcmp(want, got) || n != strlen(want))
    fail_msg("%.17g with %d decimals: \"%s\", printf \"%s\"", x, decimals, got,
             want);
}

static void test_fmt_fixed_matches_printf_on_random_values(void **state) {
  (void)state;
  uint64_t s = 7;
  for (int i = 0; i < 400000; i++) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    double u = (double)(s >> 11) * 0x1p-53;
    /* Magnitudes from 1e-6 to 1e10, both signs. */
    double x = pow(10, -6 + 16 * u) * (i % 2 ? -1 : 1);
    same_as_printf(x, i % 4);
  }
}

static void test_fmt_fixed_ties_signs_and_edges(void **state) {
  (void)state;
  const double xs[] = {
      0.0,          -0.0,           0.5,     1.5,  2.5,   0.125,    0.0005,
      0.0015,       1.0005,         -0.0001, -2.5, 120.5, 999.9995, 1e9,
      1e9 - 0.0005, 123456789.0625, 1e300,   0.1,  0.7,   1e-320};
  for (size_t i = 0; i < sizeof xs / sizeof *xs; i++)
    for (int d = 0; d <= 3; d++)
      same_as_printf(xs[i], d);
  char out[SW_FIXED_MAX];
  sw__fmt_fixed(NAN, 3, out);
  char want[48];
  snprintf(want, sizeof want, "%.3f", NAN);
  assert_string_equal(out, want);
  sw__fmt_fixed(-INFINITY, 2, out);
  assert_string_equal(out, "-inf");
}

/* The shortest text that reads back, one spelling for one value. */
static void test_fmt_shortest_reads_back(void **state) {
  (void)state;
  char out[SW_SHORTEST_MAX];
  assert_int_equal(sw__fmt_shortest(0.1, out), 3);
  assert_string_equal(out, "0.1");
  sw__fmt_shortest(1.0 / 3, out); /* 16 digits read back; 15 do not */
  assert_string_equal(out, "0.3333333333333333");
  assert_true(strtod(out, NULL) == 1.0 / 3);
  sw__fmt_shortest(0.1 + 0.2, out); /* needs all 17 */
  assert_string_equal(out, "0.30000000000000004");
  sw__fmt_shortest(-2.5e-300, out);
  assert_string_equal(out, "-2.5e-300");
  sw__fmt_shortest(NAN, out); /* not finite: as %g writes it, not mangled */
  assert_string_equal(out, "nan");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fmt_fixed_matches_printf_on_random_values),
      cmocka_unit_test(test_fmt_fixed_ties_signs_and_edges),
      cmocka_unit_test(test_fmt_shortest_reads_back),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
