/*
 * test_expneg.c — the choice model's own exp (expneg.h) against libm's
 * over the range the model uses, lane by lane.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "expneg.h"
#include "testutil.h"

/* Distance in units in the last place between two positive doubles. */
static double ulps(double a, double b) {
  int64_t ia, ib;
  memcpy(&ia, &a, sizeof ia);
  memcpy(&ib, &b, sizeof ib);
  return fabs((double)(ia - ib));
}

static void test_expneg_within_four_ulp_of_libm(void **state) {
  (void)state;
  double worst = 0, at = 0;
  uint64_t s = 12345;
  for (int i = 0; i < 2000000; i++) {
    /* Uniform over [-708, 0], plus the small arguments most utilities
     * differences are. */
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    double u = (double)(s >> 11) * 0x1p-53;
    double x = i % 2 ? -708.0 * u : -4.0 * u;
    sw_vd v = {x, -x / 2};
    sw_vd e = sw__expneg(v);
    double d = ulps(e[0], exp(x));
    if (d > worst) worst = d, at = x;
    d = ulps(e[1], exp(-x / 2));
    if (d > worst) worst = d, at = -x / 2;
  }
  if (worst > 4) fail_msg("%g ulp at x = %.17g", worst, at);
}

static void test_expneg_edges(void **state) {
  (void)state;
  sw_vd v = {0.0, -0.0};
  sw_vd e = sw__expneg(v);
  assert_true(e[0] == 1.0 && e[1] == 1.0);
  /* Below -708 the floor: tiny, positive, finite, never 0 or garbage. */
  sw_vd low = {-709.5, -1e308}, at_floor = {-708.0, -1.0};
  sw_vd f = sw__expneg(at_floor);
  assert_true(ulps(f[0], exp(-708.0)) <= 4 && ulps(f[1], exp(-1.0)) <= 4);
  e = sw__expneg(low);
  assert_true(e[0] == f[0] && e[1] == f[0]);
  /* The in-place form, odd length: the last element goes alone. */
  double a[3] = {1.0, 0.5, -2.0};
  sw__expneg_sub(a, 1.0, 3);
  assert_true(a[0] == 1.0);
  assert_true(ulps(a[1], exp(-0.5)) <= 4 && ulps(a[2], exp(-3.0)) <= 4);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_expneg_within_four_ulp_of_libm),
      cmocka_unit_test(test_expneg_edges),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
